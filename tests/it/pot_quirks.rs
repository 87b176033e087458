//! One test per construct and quirk of pot's flavour reader (research/pot.md
//! §3-§5, share/pot/common-flv.sh).

use jailwright::dialect::pot::{self, Flavour};
use jailwright::document::ProblemKind;
use jailwright::ir::{CopyFrom, Instruction, Step};
use jailwright::source::SourceFile;

fn read(commands: &str) -> jailwright::document::Document {
    pot::parse(vec![Flavour {
        name: "web".into(),
        commands: Some(SourceFile::new("web", commands.as_bytes())),
        script: None,
    }])
}

fn steps(commands: &str) -> Vec<Step> {
    read(commands).template.steps
}

fn kinds(commands: &str) -> Vec<ProblemKind> {
    read(commands)
        .problems
        .into_iter()
        .map(|p| p.kind)
        .collect()
}

#[test]
fn words_keep_their_quotes_and_dollars() {
    assert_eq!(
        steps("copy-in -s \"a b\" -d /x\n")[0].args,
        ["-s", "\"a", "b\"", "-d", "/x"]
    );
    assert_eq!(steps("set-env -E A=${HOME}\n")[0].args, ["-E", "A=${HOME}"]);
}

#[test]
fn set_cmd_strips_one_pair_of_double_quotes_only() {
    let command = |line: &str| match &steps(line)[0].instruction {
        Instruction::StartCommand { command } => command.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        command("set-cmd -c \"nginx -g 'daemon off;'\"\n"),
        "nginx -g 'daemon off;'"
    );
    assert_eq!(command("set-cmd -c '/root/ci.sh'\n"), "'/root/ci.sh'");
    assert_eq!(
        command("set-cmd -c /usr/local/bin/cook\n"),
        "/usr/local/bin/cook"
    );
    assert_eq!(command("set-cmd -c \"a\n"), "a");
    assert_eq!(kinds("set-cmd  -c x\n"), [ProblemKind::Usage]);
    assert_eq!(kinds("set-cmd -v -c x\n"), [ProblemKind::Usage]);
}

#[test]
fn a_stray_word_stops_getopts_before_the_appended_pot_name() {
    assert_eq!(
        kinds("set-attribute -A persistent -V NO # no\n"),
        [ProblemKind::Usage]
    );
    assert_eq!(kinds("mount-in ${DIR}\n"), [ProblemKind::Usage]);
}

#[test]
fn options_cluster_and_take_attached_values() {
    match &steps("copy-in -cs/src -d /dst\n")[0].instruction {
        Instruction::Cp {
            sources,
            flags,
            from,
            ..
        } => {
            assert_eq!(sources, &["/src"]);
            assert_eq!(flags, &["-c"]);
            assert_eq!(from, &CopyFrom::Host);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn booleans_in_any_case_are_normalised() {
    match &steps("set-attribute -A persistent -V oFf\n")[0].instruction {
        Instruction::Attribute { name, value } => {
            assert_eq!((name.as_str(), value.as_str()), ("persistent", "NO"))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(kinds("set-attribute -A nope -V 1\n"), [ProblemKind::Usage]);
}

#[test]
fn comments_blank_lines_and_other_commands_are_ignored() {
    assert_eq!(
        kinds("# c\n\nstart\nset-attr -A x -V y\n"),
        [ProblemKind::Ignored; 4]
    );
}

#[test]
fn a_last_line_without_newline_is_read_and_reported() {
    let doc = read("set-attribute -A zfs -V ON");
    assert_eq!(doc.template.steps.len(), 1);
    assert_eq!(doc.problems[0].kind, ProblemKind::NoFinalNewline);
}

#[test]
fn blanks_around_a_line_are_stripped() {
    assert_eq!(steps(" \tset-rss -C 2\t \n")[0].args, ["-C", "2"]);
}

#[test]
fn crlf_leaves_the_carriage_return_on_the_last_word() {
    assert_eq!(
        kinds("set-attribute -A persistent -V YES\r\n"),
        [ProblemKind::Usage]
    );
}

#[test]
fn flavours_apply_in_order_commands_then_script() {
    let doc = pot::parse(vec![
        Flavour {
            name: "a".into(),
            commands: Some(SourceFile::new("a", b"set-env -E A=1\n")),
            script: Some(SourceFile::new("a.sh", b"echo a\n")),
        },
        Flavour {
            name: "b".into(),
            commands: None,
            script: Some(SourceFile::new("b.sh", b"echo b\n")),
        },
    ]);
    let names: Vec<_> = doc.template.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["set-env", "SCRIPT", "SCRIPT"]);
    assert_eq!(doc.template.steps[2].args, ["/tmp/b.sh", "b"]);
}
