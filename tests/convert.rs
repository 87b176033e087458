//! convert: golden conversions of the fixtures in every direction (insta
//! snapshots of every output file and of the losses), and the rules that
//! make a conversion mean the same.

mod common;

use common::Test;
use jailwright::convert::{self, Conversion};
use jailwright::dialect::{self, Bindings};
use jailwright::ir::Dialect;
use std::path::Path;

fn load(path: &Path) -> jailwright::document::Document {
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    match dialect::detect(path, None) {
        Some(dialect::Kind::PotFlavour) => dialect::load_flavours(&[path.to_path_buf()]),
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
        text.contains("CMD --env \"JAIL_NAME=${APPJAIL_JAILNAME}\" echo ${JAIL_NAME}"),
        "CMD's clean environment gets the jail's name from the host: {text}"
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
