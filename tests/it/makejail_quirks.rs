//! One test per construct and quirk of `appjail makejail`, from
//! research/appjail.md and AppJail's sources (cmd/makejail, makejail/cmd/).

use crate::common;

use jailwright::dialect::{self, Bindings, makejail};
use jailwright::document::ProblemKind;
use jailwright::ir::{CmdTarget, CmdUser, CopyFrom, Instruction, PkgAction, Runner, Step};
use jailwright::source::SourceFile;

fn read(text: &str) -> jailwright::document::Document {
    makejail::parse(
        SourceFile::new("Makejail", text.as_bytes()),
        &Bindings::default(),
    )
}

fn steps(text: &str) -> Vec<Step> {
    read(text).template.steps
}

fn problems(text: &str) -> Vec<(ProblemKind, String)> {
    read(text)
        .problems
        .into_iter()
        .map(|p| (p.kind, p.message))
        .collect()
}

#[test]
fn instruction_names_are_case_sensitive_and_end_at_a_space() {
    assert_eq!(problems("cmd ls\n")[0].1, "cmd: command not found.");
    assert_eq!(problems("CMD\tls\n")[0].1, "CMD\tls: command not found.");
    assert_eq!(problems("A/B x\n")[0].1, "Invalid command: A/B");
}

#[test]
fn build_only_instructions_fail_in_other_stages() {
    let p = problems("STAGE start\nOPTION start\n");
    assert_eq!(
        p,
        [(
            ProblemKind::BuildOnly,
            "OPTION: command not found.".to_string()
        )]
    );
}

#[test]
fn a_trailing_comment_becomes_arguments() {
    assert_eq!(steps("PKG nginx # web\n")[0].args, ["nginx", "#", "web"]);
}

#[test]
fn a_closing_quote_ends_the_word() {
    assert_eq!(steps("SYSRC a\"b c\"d\n")[0].args, ["ab c", "d"]);
}

#[test]
fn double_dash_is_a_positional_word() {
    match &steps("PKG -- nginx\n")[0].instruction {
        Instruction::Pkg { packages, .. } => assert_eq!(packages, &["--", "nginx"]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pkg_modes_and_actions() {
    match &steps("PKG --chroot --remove a b\n")[0].instruction {
        Instruction::Pkg {
            packages,
            runner,
            action,
        } => {
            assert_eq!((runner, action), (&Runner::Chroot, &PkgAction::Remove));
            assert_eq!(packages, &["a", "b"]);
        }
        other => panic!("{other:?}"),
    }
    // share/appjail/cmd/pkg:190-198: the host's `pkg -j J` by default,
    // the jail's own pkg (jexec) with --jail.
    match &steps("PKG x\n")[0].instruction {
        Instruction::Pkg { runner, .. } => assert_eq!(runner, &Runner::Host),
        other => panic!("{other:?}"),
    }
    match &steps("PKG --jail x\n")[0].instruction {
        Instruction::Pkg { runner, .. } => assert_eq!(runner, &Runner::Jail),
        other => panic!("{other:?}"),
    }
    assert_eq!(problems("PKG --clean --update\n")[0].0, ProblemKind::Usage);
    assert_eq!(problems("PKG --nope x\n")[0].0, ProblemKind::Usage);
}

#[test]
fn cmd_options_and_the_keep_quotes_command() {
    match &steps("CMD --local --env A=1 --juser www echo \"a  b\"   'c'\n")[0].instruction {
        Instruction::Cmd { script, options } => {
            assert_eq!(script, "echo \"a  b\" 'c'");
            assert_eq!(options.target, CmdTarget::Local);
            assert_eq!(options.env, ["A=1"]);
            assert_eq!(options.user, Some(CmdUser::Jail("www".into())));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        problems("CMD --noclean\n")[0].0,
        ProblemKind::Usage,
        "flags only"
    );
    assert_eq!(
        problems("CMD --workdir /tmp\n")[0].0,
        ProblemKind::Usage,
        "a value is never the last word"
    );
}

#[test]
fn copy_from_another_jail() {
    match &steps("COPY --jail web --verbose /etc/hosts /etc/hosts\n")[0].instruction {
        Instruction::Cp { from, flags, .. } => {
            assert_eq!(from, &CopyFrom::Jail("web".into()));
            assert_eq!(flags, &["--verbose"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn arg_forms() {
    let arg = |t: &str| match &steps(t)[0].instruction {
        Instruction::Arg {
            name,
            default,
            required,
            ..
        } => (name.clone(), default.clone(), *required),
        other => panic!("{other:?}"),
    };
    assert_eq!(arg("ARG name\n"), ("name".into(), None, true));
    assert_eq!(
        arg("ARG name=x y\n"),
        ("name".into(), Some("x y".into()), true)
    );
    assert_eq!(
        arg("ARG name?=\n"),
        ("name".into(), Some(String::new()), false)
    );
    assert_eq!(
        problems("ARG my-name=x\n")[0].1,
        "my-name=x: Invalid variable."
    );
}

#[test]
fn env_needs_a_value() {
    assert_eq!(
        problems("ENV A\n")[0].1,
        "A: this environment variable requires a value."
    );
    assert!(problems("ENV A=1\n").is_empty());
}

#[test]
fn stages_are_validated_and_carried_by_each_step() {
    let s = steps("CMD a\nSTAGE start\nCMD b\nSTAGE custom:my_log\nCMD c\n");
    let stages: Vec<_> = s.iter().map(|s| s.stage.clone().unwrap()).collect();
    assert_eq!(
        stages,
        ["build", "start", "start", "custom:my_log", "custom:my_log"]
    );
    assert_eq!(problems("STAGE run\n")[0].1, "run: stage not found.");
    assert_eq!(
        problems("STAGE custom:bad.name\n")[0].1,
        "bad.name: Invalid custom stage."
    );
}

#[test]
fn execution_order_hoists_arg_from_and_option() {
    let doc = read("CMD one\nOPTION start\nARG x=1\nSTAGE start\nCMD two\nARG y\n");
    let order: Vec<String> = doc
        .template
        .execution_order()
        .into_iter()
        .map(|i| {
            format!(
                "{} {}",
                doc.template.steps[i].name, doc.template.steps[i].text
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            "ARG x=1",
            "OPTION start",
            "CMD one",
            "ARG y",
            "STAGE start",
            "CMD two"
        ]
    );
}

#[test]
fn clear_stage_drops_what_the_stage_held() {
    let doc = read("STAGE start\nCMD gone\nCLEAR stage\nCMD kept\n");
    let names: Vec<_> = doc
        .template
        .execution_order()
        .into_iter()
        .map(|i| doc.template.steps[i].text.clone())
        .collect();
    assert_eq!(names, ["stage", "kept"]);
}

#[test]
fn a_last_line_without_newline_is_read_and_reported() {
    let doc = read("PKG a\nPKG b");
    assert_eq!(doc.template.steps.len(), 2);
    assert_eq!(doc.problems[0].kind, ProblemKind::NoFinalNewline);
}

#[test]
fn include_methods() {
    let include = |t: &str| match &steps(t)[0].instruction {
        Instruction::Include { target, args } => (target.clone(), args.clone()),
        other => panic!("{other:?}"),
    };
    assert_eq!(include("INCLUDE a b.makejail\n").0, "file+a b.makejail");
    assert_eq!(
        include("INCLUDE gl+u/r --branch dev\n"),
        ("gitlab+u/r".into(), vec!["--branch".into(), "dev".into()])
    );
    assert_eq!(problems("INCLUDE svn+x\n")[0].1, "svn: Invalid method.");
}

#[test]
fn expand_includes_flattens_restores_the_stage_and_refuses_a_second_inclusion() {
    let path = common::fixtures().join("makejail/includes/Makejail");
    let doc = dialect::load_expanded(&path, None, &Bindings::default()).unwrap();
    let steps = &doc.template.steps;
    let back = steps
        .iter()
        .find(|s| s.text == "echo back in the start stage")
        .unwrap();
    assert_eq!(back.stage.as_deref(), Some("start"));
    let inner = steps.iter().find(|s| s.text == "echo inside").unwrap();
    assert_eq!(inner.stage.as_deref(), Some("custom:inner"));
    assert!(inner.span.file.ends_with("parts/stage.makejail"));
    assert_eq!(inner.span.line, 2);
    let twice: Vec<_> = doc
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Include)
        .collect();
    assert_eq!(twice.len(), 1);
    assert!(
        twice[0].message.ends_with("Makejail is already included."),
        "{}",
        twice[0].message
    );
    // The remote include stays a step: it is not fetched.
    assert!(steps.iter().any(|s| s.text.starts_with("gh+")));
}

#[test]
fn build_args_from_the_command_line() {
    let bindings = Bindings {
        build_args: vec!["TAG=15.0".into()],
        ..Bindings::default()
    };
    let doc = makejail::parse(
        SourceFile::new("Makejail", b"%{TAG:14.3}\nOPTION from=img:%{TAG}\n"),
        &bindings,
    );
    assert_eq!(doc.template.steps.len(), 1);
    assert_eq!(doc.template.steps[0].args, ["from=img:15.0"]);
    assert_eq!(doc.template.steps[0].text, "from=img:%{TAG}");
}

#[test]
fn a_line_left_indented_by_a_build_arg_keeps_its_name() {
    let s = steps("%{X:1} PKG a\n");
    assert_eq!(s[0].name, "PKG");
    assert_eq!(
        s[0].args,
        ["PKG", "a"],
        "AppJail splits the arguments from the unstripped text"
    );
}

#[test]
fn a_label_key_may_follow_extra_spaces() {
    assert!(problems("LABEL  com.example=1\n").is_empty());
}

#[test]
fn a_last_line_without_newline_is_not_in_the_execution_order() {
    let doc = read("PKG a\nPKG b");
    assert_eq!(doc.template.execution_order(), [0]);
}

#[cfg(unix)]
#[test]
fn includes_resolve_from_the_real_directory_of_a_symlinked_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("a")).unwrap();
    std::fs::create_dir_all(root.join("common")).unwrap();
    std::fs::write(root.join("a/Makejail"), "INCLUDE link.makejail\n").unwrap();
    std::fs::write(
        root.join("common/shared.makejail"),
        "INCLUDE part.makejail\n",
    )
    .unwrap();
    std::fs::write(root.join("common/part.makejail"), "CMD echo from common\n").unwrap();
    std::os::unix::fs::symlink(
        root.join("common/shared.makejail"),
        root.join("a/link.makejail"),
    )
    .unwrap();
    let doc = dialect::load_expanded(&root.join("a/Makejail"), None, &Bindings::default()).unwrap();
    assert!(doc.problems.is_empty(), "{:?}", doc.problems);
    assert_eq!(doc.template.steps[0].text, "echo from common");
}
