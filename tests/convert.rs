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
    shown(&convert::convert(&doc, to, "web"))
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
    );
    let text = &c.files[0].text;
    assert!(text.contains("ARG PORT=80"), "{text}");
    assert!(
        text.contains("\"listen ${PORT};\""),
        "double quotes keep ${{PORT}} live: {text}"
    );
    assert!(
        text.contains("CMD echo ${APPJAIL_JAILNAME}"),
        "the jail's name, AppJail's way: {text}"
    );
}

#[test]
fn jail_ip_becomes_an_arg_for_appjail_and_a_loss_for_pot() {
    let doc = bastille("CMD echo ${JAIL_IP}\n");
    let makejail = convert::convert(&doc, Dialect::Makejail, "web");
    assert!(
        makejail.files[0].text.contains("ARG JAIL_IP\n"),
        "{}",
        makejail.files[0].text
    );
    let pot = convert::convert(&doc, Dialect::Pot, "web");
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
    let c = convert::convert(&doc, Dialect::Bastille, "web");
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
