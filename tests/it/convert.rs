//! convert: golden conversions of the fixtures in every direction (insta
//! snapshots of every output file and of the losses), and the rules that
//! make a conversion mean the same.

use crate::common;

use crate::common::Test;
use jailwright::convert::{self, Conversion};
use jailwright::dialect::{self, Bindings};
use jailwright::ir::Dialect;
use jailwright::lint;
use std::path::Path;

fn load(path: &Path) -> jailwright::document::Document {
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    match dialect::detect(path, None) {
        Some(dialect::Kind::PotFlavour) => dialect::pot::load_flavours(&[path.to_path_buf()]),
        _ => dialect::load_expanded(path, None, &bindings),
    }
    .expect("fixture reads")
}

/// Every file of a conversion and its losses, as one text.
fn shown(conversion: &Conversion) -> String {
    let mut out = String::new();
    for file in &conversion.files {
        out.push_str(&format!("==> {} <==\n{}", file.path, file.text));
    }
    for carried in &conversion.carried {
        out.push_str(&format!("carried: {}\n", carried.from));
    }
    for lost in &conversion.losses {
        out.push_str(&format!(
            "{} line {} ({}): {}\n",
            lost.loss.code,
            lost.span.line,
            if lost.dropped {
                "dropped"
            } else {
                "worked around"
            },
            lost.loss.message
        ));
    }
    out
}

fn golden(fixture: &str, to: Dialect) -> String {
    let path = common::fixtures().join(fixture);
    let doc = load(&path);
    let dir = doc.sources[0].dir();
    shown(&convert::convert(
        &doc,
        to,
        "web",
        &jailwright::output::source_is_dir(&dir),
    ))
}

macro_rules! golden {
    ($test:ident, $fixture:literal, $to:expr) => {
        #[test]
        fn $test() {
            insta::assert_snapshot!(golden($fixture, $to));
        }
    };
}

golden!(
    bastille_to_makejail,
    "bastille/nginx/Bastillefile",
    Dialect::Makejail
);
golden!(bastille_to_pot, "bastille/nginx/Bastillefile", Dialect::Pot);
golden!(
    makejail_to_bastille,
    "makejail/app/Makejail",
    Dialect::Bastille
);
golden!(makejail_to_pot, "makejail/app/Makejail", Dialect::Pot);
golden!(pot_to_bastille, "pot/web/web", Dialect::Bastille);
golden!(pot_to_makejail, "pot/web/web", Dialect::Makejail);

fn bastille(text: &str) -> jailwright::document::Document {
    dialect::bastille::parse(
        jailwright::source::SourceFile::new("Bastillefile", text.as_bytes()),
        &Bindings {
            keep_references: true,
            ..Bindings::default()
        },
    )
}

#[test]
fn a_copy_after_a_script_step_is_staged_for_pot() {
    let c = convert::convert(
        &bastille(
            "CP early.conf /etc/early.conf\nPKG nginx\nCP nginx.conf /usr/local/etc/nginx/\n",
        ),
        Dialect::Pot,
        "web",
        &|_| false,
    );
    let commands = &c.files[0].text;
    let script = &c.files[1].text;
    assert!(
        commands.contains("copy-in-flv -c -s early.conf -d /etc/early.conf"),
        "before any script step a copy goes straight in:\n{commands}"
    );
    assert!(
        commands.contains("copy-in-flv -c -s nginx.conf -d /root/.jailwright-stage/1/nginx.conf"),
        "{commands}"
    );
    let pkg = script.find("pkg install -y nginx").unwrap();
    let cp = script
        .find("cp -a /root/.jailwright-stage/1/nginx.conf /usr/local/etc/nginx/")
        .unwrap();
    assert!(
        pkg < cp,
        "the staged copy lands after the package, as in the source:\n{script}"
    );
    assert!(
        c.losses
            .iter()
            .any(|l| l.loss.code == "CV009" && !l.dropped)
    );
}

#[test]
fn references_keep_expanding_in_the_target() {
    let c = convert::convert(
        &bastille(
            "ARG PORT=80\nLINE_IN_FILE \"listen ${PORT};\" /etc/x.conf\nCMD echo ${JAIL_NAME}\n",
        ),
        Dialect::Makejail,
        "web",
        &|_| false,
    );
    let text = &c.files[0].text;
    assert!(text.contains("ARG PORT=80"), "{text}");
    assert!(
        text.contains("\"listen ${PORT};\""),
        "double quotes keep ${{PORT}} live: {text}"
    );
    assert!(
        text.contains("ARG JAIL_NAME=${APPJAIL_JAILNAME}\n")
            && text.contains("CMD echo ${JAIL_NAME}"),
        "CMD's clean environment gets the jail's name as an ARG: {text}"
    );
}

#[test]
fn jail_ip_becomes_an_arg_for_appjail_and_a_loss_for_pot() {
    let doc = bastille("CMD echo ${JAIL_IP}\n");
    let makejail = convert::convert(&doc, Dialect::Makejail, "web", &|_| false);
    assert!(
        makejail.files[0].text.contains("ARG JAIL_IP\n"),
        "{}",
        makejail.files[0].text
    );
    let pot = convert::convert(&doc, Dialect::Pot, "web", &|_| false);
    assert!(pot.losses.iter().any(|l| l.loss.code == "CV013"));
}

#[test]
fn a_makejail_run_keeps_its_user_directory_and_environment() {
    let doc = dialect::makejail::parse(
        jailwright::source::SourceFile::new(
            "Makejail",
            b"ENV HOME=/home/www\nUSER www\nWORKDIR /srv\nRUN ./manage.py migrate\n",
        ),
        &Bindings::default(),
    );
    let c = convert::convert(&doc, Dialect::Bastille, "web", &|_| false);
    assert!(
        c.files[0]
            .text
            .contains("CMD su -l www -c 'cd /srv; env HOME=/home/www ./manage.py migrate'"),
        "{}",
        c.files[0].text
    );
}

#[test]
fn cli_convert_writes_a_directory_with_the_files_it_needs() {
    let t = Test::new()
        .file(
            "tpl/Bastillefile",
            "PKG nginx\nCP etc /usr/local/etc\nRDR tcp 80 8080\n",
        )
        .file("tpl/etc/nginx.conf", "events {}\n");
    let out = t.path().join("flavour");
    let t = t.args(&[
        "convert",
        "tpl/Bastillefile",
        "--to",
        "pot",
        "--name",
        "nginx",
        "-o",
        out.to_str().unwrap(),
    ]);
    let run = t.run();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("nginx")).unwrap(),
        "export-ports -e tcp:8080:80\n".replace(
            "export",
            "copy-in-flv -c -s etc -d /root/.jailwright-stage/1/etc\nexport"
        )
    );
    assert!(
        std::fs::read_to_string(out.join("nginx.sh"))
            .unwrap()
            .contains("pkg install -y nginx")
    );
    assert_eq!(
        std::fs::read_to_string(out.join("etc/nginx.conf")).unwrap(),
        "events {}\n",
        "the files the template copies come along"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(out.join("nginx.sh"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o111, 0o111, "pot runs the script: it is executable");
}

#[test]
fn cli_convert_strict_fails_on_any_loss_and_reports_json() {
    let t = Test::new().file(
        "Makejail",
        "OPTION volume=data mountpoint:/data\nPKG nginx\n",
    );
    let t = t.args(&[
        "convert", "Makejail", "--to", "bastille", "--strict", "--format", "json",
    ]);
    let run = t.run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("PKG nginx"), "{}", run.stdout);
    let report: serde_json::Value = serde_json::from_str(&run.stderr).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "CV002");
    assert_eq!(report["diagnostics"][0]["line"], 1);
    let clean = Test::new().file("Makejail", "PKG nginx\n");
    let clean = clean.args(&["convert", "Makejail", "--to", "bastille", "--strict"]);
    assert_eq!(clean.run().code, 0);
}

#[test]
fn cli_fmt_check_lists_unformatted_files_and_fmt_fixes_them() {
    let t = Test::new()
        .file("a/Bastillefile", "pkg  nginx\n\n\nsysrc x=1   \n")
        .file("b/Bastillefile", "PKG nginx\n");
    let t = t.args(&["fmt", ".", "--check"]);
    let run = t.run();
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("a/Bastillefile: not formatted"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("b/Bastillefile"), "{}", run.stdout);
    assert_eq!(
        std::fs::read_to_string(t.path().join("a/Bastillefile")).unwrap(),
        "pkg  nginx\n\n\nsysrc x=1   \n",
        "--check changes nothing"
    );
    let fix = Test::new().file("Bastillefile", "pkg  nginx\n\n\nsysrc x=1   \n");
    let fix = fix.args(&["fmt", "Bastillefile"]);
    assert_eq!(fix.run().code, 0);
    assert_eq!(
        std::fs::read_to_string(fix.path().join("Bastillefile")).unwrap(),
        "PKG nginx\n\nSYSRC x=1\n"
    );
    let again = Test::new().file("Bastillefile", "PKG nginx\n\nSYSRC x=1\n");
    assert_eq!(
        again.args(&["fmt", "Bastillefile", "--check"]).run().code,
        0
    );
}

// Regression tests, one per finding of the review of the first version.

fn to(text: &str, dialect: Dialect) -> Conversion {
    convert::convert(&bastille(text), dialect, "web", &|s| s == "usr")
}

#[test]
fn regression_arg_reference_inside_single_quotes_still_expands() {
    // bastille's sed substitutes inside quotes; the jail's shell does not.
    let text =
        "ARG user=semaphore\nCMD sed -i '' 's/\"user\": \"\"/\"user\": \"${user}\"/g' /c.json\n";
    for dialect in [Dialect::Makejail, Dialect::Pot] {
        let all: String = to(text, dialect)
            .files
            .iter()
            .map(|f| f.text.clone())
            .collect();
        assert!(
            all.contains(r#"'s/"user": ""/"user": "'"${user}"'"/g'"#),
            "{dialect:?}:\n{all}"
        );
    }
}

#[test]
fn regression_overlay_copies_the_directory_itself() {
    let c = to("OVERLAY root\n", Dialect::Makejail);
    assert!(
        c.files[0].text.contains("COPY root /\n"),
        "{}",
        c.files[0].text
    );
}

#[test]
fn regression_the_jail_name_reaches_a_flavour_script() {
    let c = to("SYSRC hostname=${JAIL_NAME}\n", Dialect::Pot);
    let script = &c.files[1].text;
    assert!(script.contains("POT_NAME=\"$1\"\n"), "{script}");
    assert!(
        script.contains("sysrc \"hostname=${POT_NAME}\""),
        "{script}"
    );
}

#[test]
fn regression_a_flavour_command_file_gets_no_variables_or_globs() {
    let c = to(
        "ARG PORT=8080\nRDR tcp ${PORT} 80\nMOUNT ${DATA} /data\nCP files/*.conf /etc/\n",
        Dialect::Pot,
    );
    let commands = &c.files[0].text;
    assert!(
        commands.contains("export-ports -e tcp:80:8080"),
        "{commands}"
    );
    assert!(
        commands
            .lines()
            .filter(|l| !l.starts_with('#'))
            .all(|l| !l.contains('$') && !l.contains('*')),
        "{commands}"
    );
    let dropped: Vec<&str> = c
        .losses
        .iter()
        .filter(|l| l.dropped)
        .map(|l| l.loss.code)
        .collect();
    assert_eq!(dropped, ["CV010", "CV010"], "MOUNT ${{DATA}} and the glob");
}

#[test]
fn regression_a_directory_copy_is_staged_even_before_the_script() {
    // pot copies a directory into an existing destination as DST/copy-in.XXXX.
    let c = to("CP usr /\n", Dialect::Pot);
    assert!(
        c.files[0].text.contains("-d /root/.jailwright-stage/1/usr"),
        "{}",
        c.files[0].text
    );
    assert!(
        c.files[1]
            .text
            .contains("cp -a /root/.jailwright-stage/1/usr /")
    );
}

#[test]
fn regression_a_literal_dollar_stays_literal() {
    let c = to("SYSRC 'motd=$USER was here'\n", Dialect::Makejail);
    assert!(
        c.files[0].text.contains(r#"SYSRC "motd=\\$USER was here""#),
        "AppJail's host script must not expand it:\n{}",
        c.files[0].text
    );
    let back = convert::convert(&convert::read_back(&c), Dialect::Bastille, "web", &|_| {
        false
    });
    assert!(
        back.files[0].text.contains("SYSRC 'motd=$USER was here'"),
        "{}",
        back.files[0].text
    );
}

#[test]
fn regression_a_run_as_another_user_is_not_expanded_by_root() {
    let doc = dialect::makejail::parse(
        jailwright::source::SourceFile::new("Makejail", b"USER www\nRUN echo $HOME\n"),
        &Bindings::default(),
    );
    let c = convert::convert(&doc, Dialect::Bastille, "web", &|_| false);
    assert!(
        c.files[0]
            .text
            .contains(r#"CMD su -l www -c 'cd /; env echo '\''$HOME'\'''"#),
        "{}",
        c.files[0].text
    );
}

#[test]
fn regression_shell_text_cmd_would_respace_is_shipped_not_run() {
    let c = to(
        "ARG X=1\nCMD printf '%s\\n' a\"b\"c ${X}\n",
        Dialect::Makejail,
    );
    let text = &c.files[0].text;
    assert!(!text.contains("RUN "), "{text}");
    assert!(text.contains("COPY step.sh /tmp/step.sh"), "{text}");
    assert!(text.contains("/bin/sh /tmp/step.sh"), "{text}");
}

#[test]
fn regression_invalid_arg_names_are_renamed_with_their_references() {
    let c = to(
        "ARG php-version=82\nPKG php${php-version}-gd\n",
        Dialect::Makejail,
    );
    let text = &c.files[0].text;
    assert!(text.contains("ARG php_version=82"), "{text}");
    assert!(text.contains("PKG php${php_version}-gd"), "{text}");
    assert!(c.losses.iter().any(|l| l.loss.code == "CV010"));
}

#[test]
fn regression_set_e_does_not_reach_into_a_step() {
    // Each Bastille CMD is its own sh -c: `a; b` goes on after a fails,
    // `a && b` stops the template when a fails.
    let c = to(
        "CMD mkdir /data; chown www /data\nCMD false && true\n",
        Dialect::Pot,
    );
    let script = &c.files[1].text;
    assert!(
        script.contains("(mkdir /data; chown www /data) || exit $?"),
        "{script}"
    );
    assert!(script.contains("(false && true) || exit $?"), "{script}");
}

#[test]
fn regression_line_in_file_survives_the_cmd_tokenizer() {
    let c = to(
        "LINE_IN_FILE \"alias ll='ls -l'\" /root/.shrc\n",
        Dialect::Makejail,
    );
    let text = &c.files[0].text;
    assert!(
        text.contains("COPY step.sh /tmp/step.sh"),
        "a line CMD would re-space is shipped:\n{text}"
    );
}

#[test]
fn regression_pkg_update_takes_no_y_and_cp_makes_its_directory() {
    let doc = dialect::makejail::parse(
        jailwright::source::SourceFile::new("Makejail", b"PKG --update\n"),
        &Bindings::default(),
    );
    let c = convert::convert(&doc, Dialect::Pot, "web", &|_| false);
    assert!(
        c.files[1].text.contains("pkg update\n"),
        "{}",
        c.files[1].text
    );
    let c = to(
        "CP x.conf /usr/local/etc/nginx/conf.d/x.conf\n",
        Dialect::Makejail,
    );
    assert!(
        c.files[0]
            .text
            .contains("CMD mkdir -p /usr/local/etc/nginx/conf.d\nCOPY x.conf /usr/local/etc/nginx/conf.d/x.conf"),
        "{}",
        c.files[0].text
    );
}

// Issue "convert: output that works when the target manager runs it": one
// regression test per class of the review.

fn makejail(text: &str) -> jailwright::document::Document {
    dialect::makejail::parse(
        jailwright::source::SourceFile::new("Makejail", text.as_bytes()),
        &Bindings {
            keep_references: true,
            ..Bindings::default()
        },
    )
}

fn all_text(c: &Conversion) -> String {
    c.files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.path, f.text))
        .collect()
}

#[test]
fn regression_conversion_notes_are_not_commands_in_a_pot_command_file() {
    // pot reads every line of the command file as a command: a `#` line is
    // "not valid - ignoring" (common-flv.sh:93-123).
    let doc = makejail("DEVICE foo\nCOPY a /b\nCMD echo hi\n");
    let c = convert::convert(&doc, Dialect::Pot, "web", &|_| false);
    assert!(!c.files[0].text.contains('#'), "{}", all_text(&c));
    assert!(
        c.files[1].text.contains("# jailwright CV005"),
        "{}",
        all_text(&c)
    );
    // No script: the notes go beside the flavour.
    let c = convert::convert(
        &makejail("DEVICE foo\nCOPY a /b\n"),
        Dialect::Pot,
        "web",
        &|_| false,
    );
    assert_eq!(
        c.files[0].text,
        "copy-in-flv -c -s a -d /b\n",
        "{}",
        all_text(&c)
    );
    assert_eq!(c.files[1].path, "web.notes");
    assert!(c.files[1].text.contains("CV005"));
    // Nothing for the command file: an empty file, not a blank line.
    let c = convert::convert(&makejail("CMD echo hi\n"), Dialect::Pot, "web", &|_| false);
    assert_eq!(c.files[0].text, "", "{}", all_text(&c));
}

#[test]
fn regression_legacy_hook_directory_converts_to_a_bastillefile_by_meaning() {
    let t = Test::new()
        .file("tpl/PKG", "ARDUINO\nARDUINO-AVRDUDE\n")
        .file("tpl/SYSRC", "nginx_enable=YES\n")
        .args(&["convert", "tpl", "--to", "bastille"]);
    let run = t.run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("PKG ARDUINO ARDUINO-AVRDUDE\nSYSRC nginx_enable=YES\n"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("\nARDUINO\n"), "{}", run.stdout);
}

#[test]
fn regression_a_step_keeps_the_directory_its_manager_starts_it_in() {
    // Bastille's CMD starts in /root (jexec -l); AppJail's CMD and pot's
    // script start in /.
    let c = to(
        "CMD touch relative-file\nCMD touch /abs\n",
        Dialect::Makejail,
    );
    let text = &c.files[0].text;
    assert!(
        text.contains("CMD cd /root && touch relative-file\n"),
        "{text}"
    );
    assert!(text.contains("CMD touch /abs\n"), "{text}");
    let c = to("CMD touch relative-file\n", Dialect::Pot);
    assert!(
        c.files[1].text.contains("cd /root && touch relative-file"),
        "{}",
        all_text(&c)
    );
    let c = convert::convert(
        &makejail("CMD touch relative-file\nCMD pkg info\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    let text = &c.files[0].text;
    assert!(text.contains("CMD cd / && touch relative-file\n"), "{text}");
    // (`cd /root && X` is X in a Bastillefile)
    let back = to("CMD cd /root && touch x\n", Dialect::Bastille);
    assert_eq!(back.files[0].text, "CMD touch x\n");
}

#[test]
fn regression_a_copy_to_tmp_before_the_script_reaches_the_script() {
    // copy-in mounts a tmpfs on /tmp and unmounts it; the start before the
    // script mounts a new one (copy-in.sh:142-145,210-211).
    let c = to(
        "CP run.sh /tmp/run.sh\nCMD /bin/sh /tmp/run.sh\n",
        Dialect::Pot,
    );
    let all = all_text(&c);
    assert!(!c.files[0].text.contains("-d /tmp/"), "{all}");
    assert!(
        c.files[1]
            .text
            .contains("cp -a /root/.jailwright-stage/1/run.sh /tmp/run.sh"),
        "{all}"
    );
}

#[test]
fn regression_variable_references_keep_their_meaning_across_dialects() {
    // AppJail: `$foo` reads the ARG from CMD's environment, `'${foo}'` is
    // literal. Bastille: only `${foo}` is substituted, quotes or not.
    let c = convert::convert(
        &makejail("ARG foo=1\nCMD echo $foo '${foo}' $(echo '${foo}')\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert!(
        c.files[0]
            .text
            .contains("echo ${foo} '$''{foo}' $(echo '$''{foo}'"),
        "{}",
        c.files[0].text
    );
    // Bastille's `'${foo}'` is the value: out of the quotes, no `''` left.
    let c = to("ARG foo=1\nCMD echo '${foo}'\n", Dialect::Makejail);
    assert!(
        c.files[0].text.contains("CMD echo \"${foo}\"\n"),
        "{}",
        c.files[0].text
    );
    // Bastille's bare `$foo` is empty in the jail: reported.
    let c = to("ARG foo=1\nCMD echo $foo\n", Dialect::Makejail);
    assert!(
        c.losses
            .iter()
            .any(|l| l.loss.code == "CV013" && l.loss.message.starts_with("$foo")),
        "{:?}",
        c.losses
    );
}

#[test]
fn regression_cmd_env_does_not_expand_the_jail_name_in_appjail() {
    // CMD escapes the `$` of an --env value (makejail/cmd/all/CMD:125):
    // the name comes in as an ARG, which CMD has in its environment.
    let c = to("CMD echo ${JAIL_NAME}\n", Dialect::Makejail);
    let text = &c.files[0].text;
    assert!(!text.contains("--env"), "{text}");
    assert!(
        text.contains("ARG JAIL_NAME=${APPJAIL_JAILNAME}\nCMD echo ${JAIL_NAME}\n"),
        "{text}"
    );
    // and it reads back as the jail's name, not as a parameter.
    let back = convert::convert(&makejail(text), Dialect::Bastille, "web", &|_| false);
    assert_eq!(back.files[0].text, "CMD echo ${JAIL_NAME}\n");
}

#[test]
fn regression_a_one_line_cmd_with_extra_blanks_is_not_shipped() {
    let c = to("CMD echo a  b \n", Dialect::Makejail);
    assert!(
        c.files[0].text.contains("CMD echo a b\n"),
        "{}",
        all_text(&c)
    );
    assert_eq!(c.files.len(), 1, "{}", all_text(&c));
}

fn flavour(script: &str) -> jailwright::document::Document {
    dialect::pot::parse(vec![dialect::pot::Flavour {
        name: "web".into(),
        commands: None,
        script: Some(jailwright::source::SourceFile::new(
            "web.sh",
            script.as_bytes(),
        )),
    }])
}

#[test]
fn regression_a_shipped_script_says_why_it_is_shipped() {
    let reason = |script: &str| {
        convert::convert(&flavour(script), Dialect::Bastille, "web", &|_| false)
            .losses
            .iter()
            .find(|l| l.loss.code == "CV008")
            .map(|l| l.loss.message.clone())
            .unwrap_or_default()
    };
    assert!(
        reason("#!/bin/sh\necho a\necho b\n").contains("no set -e"),
        "{}",
        reason("#!/bin/sh\necho a\necho b\n")
    );
    assert!(reason("#!/bin/sh\ncd /x\ntouch a\n").contains("shell state across lines"));
    // `#!/bin/sh -e` stops on error: its lines are steps, nothing shipped.
    let c = convert::convert(
        &flavour("#!/bin/sh -e\necho a\necho b\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert_eq!(
        c.files[0].text,
        "CMD echo a\nCMD echo b\n",
        "{}",
        all_text(&c)
    );
}

#[test]
fn regression_rdr_gets_the_virtual_network_appjail_expose_needs() {
    // quick refuses expose without virtualnet (quick:1391-1393).
    let c = to("RDR tcp 8080 80\n", Dialect::Makejail);
    let text = &c.files[0].text;
    assert!(
        text.contains("OPTION virtualnet=:<random> default\nOPTION expose=8080:80\n"),
        "{text}"
    );
    let found = lint::lint(&makejail(text));
    assert!(!found.iter().any(|d| d.code == "JW719"), "{found:?}");
    // The form every corpus Makejail uses reads back as a redirection.
    let c = convert::convert(
        &makejail(
            "OPTION virtualnet=${network}:web default\nOPTION expose=443:443 network:${network} proto:tcp\n",
        ),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert!(
        c.files[0].text.contains("RDR tcp 443 443\n"),
        "{}",
        all_text(&c)
    );
    assert!(
        !c.losses.iter().any(|l| l.loss.code == "CV005"),
        "{:?}",
        c.losses
    );
    // pot: exported ports need a bridge network type; said so.
    let c = to("RDR tcp 8080 80\n", Dialect::Pot);
    assert!(
        c.files[0].text.contains("export-ports -e tcp:80:8080"),
        "{}",
        all_text(&c)
    );
    assert!(
        c.losses
            .iter()
            .any(|l| l.loss.message.contains("public-bridge")),
        "{:?}",
        c.losses
    );
}

fn pot_commands(commands: &str) -> jailwright::document::Document {
    dialect::pot::parse(vec![dialect::pot::Flavour {
        name: "web".into(),
        commands: Some(jailwright::source::SourceFile::new(
            "web",
            commands.as_bytes(),
        )),
        script: None,
    }])
}

#[test]
fn regression_export_ports_without_a_host_port_is_not_a_fixed_port_silently() {
    // `-e 80`: pot takes a free host port at each start (start.sh:365-367).
    let c = convert::convert(
        &pot_commands("export-ports -e 80\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert_eq!(c.files[0].text, "RDR tcp 80 80\n");
    assert!(
        c.losses
            .iter()
            .any(|l| l.loss.message.contains("free host port")),
        "{:?}",
        c.losses
    );
}

#[test]
fn regression_a_required_makejail_arg_stays_required_in_a_flavour() {
    let c = convert::convert(
        &makejail("ARG version\nCMD echo ${version}\n"),
        Dialect::Pot,
        "web",
        &|_| false,
    );
    let script = &c.files[1].text;
    assert!(
        script
            .contains("version=\"${version:?required: set it in the environment of pot create}\""),
        "{script}"
    );
    // and reads back as a required ARG.
    let back = convert::convert(&flavour(script), Dialect::Makejail, "web", &|_| false);
    assert!(
        back.files[0].text.contains("ARG version\n"),
        "{}",
        all_text(&back)
    );
}

#[test]
fn regression_boot_and_jail_parameters_map_between_managers() {
    let c = convert::convert(
        &pot_commands("set-attribute -A start-at-boot -V YES\nset-attribute -A mlock -V YES\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert_eq!(
        c.files[0].text,
        "CONFIG set boot on\nCONFIG set allow.mlock\n"
    );
    let c = to(
        "CONFIG set boot on\nCONFIG set allow.mlock=1\n",
        Dialect::Pot,
    );
    assert_eq!(
        c.files[0].text,
        "set-attribute -A start-at-boot -V YES\nset-attribute -A mlock -V YES\n"
    );
    let c = to(
        "CONFIG set boot on\nCONFIG set allow.mlock=1\n",
        Dialect::Makejail,
    );
    assert!(
        c.files[0].text.contains("OPTION boot\nSET allow.mlock\n"),
        "{}",
        all_text(&c)
    );
}

#[test]
fn regression_replace_becomes_the_sed_appjail_runs() {
    let c = convert::convert(
        &makejail("ARG v=1\nREPLACE /etc/x.conf VERSION ${v}\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    let text = &c.files[0].text;
    assert!(
        text.contains(
            "CMD grep -qF '%{VERSION}' /etc/x.conf && sed -i '' -E 's#(^%\\{VERSION\\}|([^%])%\\{VERSION\\})#\\2'\"${v}\"'#g' /etc/x.conf && sed -i '' 's#%%{VERSION}#%{VERSION}#g' /etc/x.conf\n"
        ),
        "{text}"
    );
    assert!(
        !c.losses.iter().any(|l| l.loss.code == "CV007"),
        "{:?}",
        c.losses
    );
}

#[test]
fn regression_a_line_the_source_manager_ignores_is_reported_not_run() {
    let c = convert::convert(
        &pot_commands("# install nginx\nfoo bar\nset-attribute -A mlock -V YES\n"),
        Dialect::Bastille,
        "web",
        &|_| false,
    );
    assert_eq!(c.files[0].text, "CONFIG set allow.mlock\n");
    assert_eq!(
        c.losses.iter().filter(|l| l.loss.code == "CV011").count(),
        2,
        "{:?}",
        c.losses
    );
}

#[test]
fn regression_sysrc_with_a_flag_is_not_an_appjail_sysrc() {
    // AppJail's SYSRC runs `sysrc -j J -- ARGS`: `-f` after `--` is a
    // variable's name. And `-f periodic.conf` is relative to where the
    // step starts.
    let c = to(
        "CMD sysrc -f /etc/periodic.conf daily_clean_tmps_enable=YES\nCMD sysrc -f periodic.conf a=1\n",
        Dialect::Makejail,
    );
    let text = &c.files[0].text;
    assert!(
        text.contains("CMD sysrc -f /etc/periodic.conf daily_clean_tmps_enable=YES\n"),
        "{text}"
    );
    assert!(
        text.contains("CMD cd /root && sysrc -f periodic.conf a=1\n"),
        "{text}"
    );
    assert!(!text.contains("SYSRC -f"), "{text}");
}
