//! The command line, driven through the real binary.

use crate::common;
use crate::common::{Test, require_shellcheck};

#[test]
fn parse_json_has_the_documented_fields() {
    let out = Test::new()
        .file(
            "Bastillefile",
            "ARG NAME=world\nSYSRC greeting=\"hello ${NAME}\"\n",
        )
        .args(&["parse", "Bastillefile", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["dialect"], "bastille");
    let step = &json["steps"][1];
    assert_eq!(step["file"], "Bastillefile");
    assert_eq!(step["line"], 2);
    assert_eq!(step["instruction"], "SYSRC");
    assert_eq!(step["text"], "greeting=\"hello ${NAME}\"");
    assert_eq!(step["args"], serde_json::json!(["greeting=hello world"]));
}

#[test]
fn command_line_arg_beats_arg_file_beats_default() {
    let t = Test::new()
        .file(
            "Bastillefile",
            "ARG A=da\nARG B=db\nARG C=dc\nCMD echo ${A} ${B} ${C}\n",
        )
        .file("args.txt", "A=fa\nB=fb\n");
    let t = t.args(&[
        "parse",
        "Bastillefile",
        "--format",
        "json",
        "--arg",
        "A=cli",
        "--arg-file",
        "args.txt",
    ]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["steps"][3]["args"][0], "echo cli fb dc");
}

#[test]
fn builtins_are_substituted_when_the_jail_is_known() {
    let out = Test::new()
        .file(
            "Bastillefile",
            "ARG JAIL_NAME=override\nSYSRC n=${JAIL_NAME} ip=${JAIL_IP}\n",
        )
        .args(&[
            "parse",
            "Bastillefile",
            "--format",
            "json",
            "--jail-name",
            "web",
            "--jail-ip",
            "10.0.0.5",
        ])
        .run();
    assert_eq!(
        out.json()["steps"][1]["args"],
        serde_json::json!(["n=web", "ip=10.0.0.5"])
    );
}

#[test]
fn missing_arg_file_is_an_io_error() {
    let out = Test::new()
        .file("Bastillefile", "PKG nginx\n")
        .args(&["parse", "Bastillefile", "--arg-file", "nope"])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--arg-file nope"), "{}", out.stderr);
}

#[test]
fn arg_without_equals_sets_the_value_empty_like_bastille() {
    let out = Test::new()
        .file("Bastillefile", "ARG NAME=default\nSYSRC x=${NAME}\n")
        .args(&["parse", "Bastillefile", "--format", "json", "--arg", "NAME"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["steps"][1]["args"][0], "x=${NAME}");
}

#[test]
fn parse_of_a_missing_file_exits_2() {
    let out = Test::new().args(&["parse", "Bastillefile"]).run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("Bastillefile"), "{}", out.stderr);
}

#[test]
fn a_file_of_unknown_dialect_needs_dialect() {
    let t = Test::new().file("template.txt", "PKG nginx\n");
    assert_eq!(t.args(&["parse", "template.txt"]).run().code, 2);
    let t = Test::new().file("template.txt", "PKG nginx\n");
    let t = t.args(&["parse", "template.txt", "--dialect", "bastille"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("PKG [\"nginx\"]"), "{}", out.stdout);
}

#[test]
fn lint_exits_0_when_clean() {
    let out = Test::new()
        .file("Bastillefile", "PKG nginx\nSERVICE nginx start\n")
        .args(&["lint", "Bastillefile"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("1 template(s): 0 error(s)"),
        "{}",
        out.stdout
    );
}

#[test]
fn lint_reports_every_finding_at_once_and_exits_1() {
    let out = Test::new()
        .file("Bastillefile", "  PKG nginx\nSERVICE nginx\nCP a\n")
        .file("a", "")
        .args(&["lint", "Bastillefile", "--format", "json"])
        .run();
    assert_eq!(out.code, 1);
    let json = out.json();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["JW103", "JW303", "JW301"]);
    let first = &json["diagnostics"][0];
    for field in [
        "file", "line", "column", "code", "severity", "message", "help",
    ] {
        assert!(!first[field].is_null(), "missing {field}: {first}");
    }
    assert_eq!(first["line"], 1);
    assert_eq!(first["column"], 1);
}

#[test]
fn lint_text_is_a_graphical_report_pointing_at_the_line() {
    let out = Test::new()
        .file("Bastillefile", "PKG nginx\nSERVICE nginx\n")
        .args(&["lint", "Bastillefile"])
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("Bastillefile:2:9: error JW303 (service-arity)"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("2 │ SERVICE nginx"), "{}", out.stdout);
}

#[test]
fn lint_walks_directories_and_finds_legacy_templates() {
    let out = Test::new()
        .file("a/Bastillefile", "PKG nginx\n")
        .file("b/c/Bastillefile", "PKG git\n")
        .file("legacy/PKG", "nginx\n")
        .file(".git/Bastillefile", "BROKEN\n")
        .args(&["lint", ".", "--format", "json"])
        .run();
    let json = out.json();
    assert_eq!(json["summary"]["templates"], 3);
    assert_eq!(json["diagnostics"][0]["code"], "JW601");
}

#[test]
fn lint_of_a_missing_path_exits_2_but_still_lints_the_rest() {
    let out = Test::new()
        .file("Bastillefile", "PKG nginx\n")
        .args(&["lint", "missing", "Bastillefile"])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("1 template(s)"), "{}", out.stdout);
}

#[test]
fn binary_garbage_does_not_panic() {
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice(b"\\\n'\"$(`${\n\r\n\\");
    let t = Test::new().file("Bastillefile", &bytes);
    let t = t.args(&["lint", "Bastillefile", "--format", "json"]);
    let out = t.run();
    assert!(out.code == 0 || out.code == 1, "{}", out.stderr);
    let t = Test::new().file("Bastillefile", &bytes);
    assert_eq!(
        t.args(&["parse", "Bastillefile", "--format", "json"])
            .run()
            .code,
        0
    );
}

#[test]
fn rules_lists_every_rule() {
    let out = Test::new().args(&["rules"]).run();
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("JW101  byte-order-mark"),
        "{}",
        out.stdout
    );
}

#[test]
fn makejail_is_detected_by_name_and_json_has_stage_and_file() {
    let out = Test::new()
        .file(
            "web.makejail",
            "PKG nginx\nSTAGE start\nSERVICE nginx start\n",
        )
        .args(&["parse", "web.makejail", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["dialect"], "makejail");
    assert_eq!(json["steps"][2]["stage"], "start");
    assert_eq!(json["steps"][2]["file"], "web.makejail");
    assert_eq!(json["steps"][2]["instruction"], "SERVICE");
    assert_eq!(json["execution"][1]["stage"], "start");
}

#[test]
fn dialect_makejail_reads_any_file_name() {
    let t = Test::new().file("jail.txt", "CMD echo hi\n");
    let t = t.args(&["parse", "jail.txt", "--dialect", "makejail"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("[build] CMD [\"echo hi\"]"),
        "{}",
        out.stdout
    );
}

#[test]
fn build_arg_replaces_a_declared_default() {
    let out = Test::new()
        .file("Makejail", "OPTION from=img:%{TAG:14.3}%{TAG}\n")
        .args(&[
            "parse",
            "Makejail",
            "--format",
            "json",
            "--build-arg",
            "TAG=15.0",
        ])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.json()["steps"][0]["args"][0], "from=img15.0");
}

#[test]
fn expand_includes_flattens_local_includes() {
    let t = Test::new()
        .file("Makejail", "INCLUDE parts/a.makejail\nCMD echo main\n")
        .file("parts/a.makejail", "STAGE start\nCMD echo part\n");
    let t = t.args(&["parse", "Makejail", "--expand-includes", "--format", "json"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["steps"][1]["file"], "parts/a.makejail");
    assert_eq!(
        json["steps"][2]["stage"], "build",
        "stage restored after the include"
    );
}

#[test]
fn lint_reports_makejail_errors_with_appjails_message() {
    let out = Test::new()
        .file(
            "Makejail",
            "OPTION start\ncmd echo hi\nPKG --clean --update\n",
        )
        .args(&["lint", "Makejail", "--format", "json"])
        .run();
    assert_eq!(out.code, 1);
    let json = out.json();
    assert_eq!(json["diagnostics"][0]["code"], "JW701");
    assert_eq!(json["diagnostics"][0]["message"], "cmd: command not found.");
    assert_eq!(json["diagnostics"][1]["code"], "JW703");
}

#[test]
fn pot_flavour_is_detected_by_its_script_and_reads_both_files() {
    let out = Test::new()
        .file("web", "set-attribute -A persistent -V NO\n")
        .file("web.sh", "#!/bin/sh\npkg install -y nginx\n")
        .args(&["parse", "web", "--format", "json"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["dialect"], "pot");
    assert_eq!(json["steps"][0]["instruction"], "set-attribute");
    assert_eq!(json["steps"][1]["instruction"], "SCRIPT");
    assert_eq!(json["steps"][1]["file"], "web.sh");
}

#[test]
fn several_pot_flavours_apply_in_order() {
    let out = Test::new()
        .file("a", "set-env -E A=1\n")
        .file("b.sh", "echo b\n")
        .args(&["parse", "--dialect", "pot", "a", "b.sh"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("a:1:1 set-env"), "{}", out.stdout);
    assert!(out.stdout.contains("b.sh:1:1 SCRIPT"), "{}", out.stdout);
}

#[test]
fn a_missing_flavour_is_an_io_error() {
    let out = Test::new()
        .args(&["parse", "--dialect", "pot", "nope"])
        .run();
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("Flavour nope not found"),
        "{}",
        out.stderr
    );
}

#[test]
fn several_files_are_only_for_pot() {
    let out = Test::new()
        .file("Bastillefile", "PKG a\n")
        .args(&["parse", "Bastillefile", "Bastillefile"])
        .run();
    assert_eq!(out.code, 2);
}

#[test]
fn lint_finds_potfiles_in_a_directory() {
    let out = Test::new()
        .file("p/Potfile", "set-env -e A=1\n")
        .args(&["lint", ".", "--format", "json"])
        .run();
    assert_eq!(out.code, 1);
    assert_eq!(out.json()["diagnostics"][0]["code"], "JW801");
}

#[test]
fn plan_prints_the_commands_and_exits_1_when_a_step_is_blocked() {
    let t = Test::new().file("Bastillefile", "PKG nginx\nCMD echo ${JAIL_NAME}\n");
    let t = t.args(&["plan", "Bastillefile", "--jail", "web"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("[2/2] Bastillefile:2 CMD"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("jexec -l -U root web sh -c 'echo web'"),
        "{}",
        out.stdout
    );
    let t = Test::new().file("Bastillefile", "CP missing /\n");
    let t = t.args(&[
        "plan",
        "Bastillefile",
        "--root",
        "/tmp/r",
        "--format",
        "json",
    ]);
    let out = t.run();
    assert_eq!(out.code, 1);
    assert!(
        out.json()["steps"][0]["blocked"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );
}

#[test]
fn plan_needs_a_target() {
    let t = Test::new().file("Bastillefile", "PKG nginx\n");
    assert_eq!(t.args(&["plan", "Bastillefile"]).run().code, 2);
}

#[test]
fn plan_runs_a_bastille_include_in_place_with_only_the_args_it_passes() {
    let t = Test::new()
        .file(
            "web/Bastillefile",
            "ARG PORT=80\nARG SECRET=s\nINCLUDE base/common --arg PORT=${PORT}\nCMD echo done\n",
        )
        .file(
            "base/common/Bastillefile",
            "ARG PORT\nARG SECRET=default\nSYSRC port=${PORT} secret=${SECRET}\n",
        )
        .file("tpl/a/Bastillefile", "INCLUDE tpl/b\n")
        .file("tpl/b/Bastillefile", "INCLUDE tpl/a\n");
    let templates = t.path().join("none");
    let templates = templates.to_str().unwrap();
    let t = t.args(&[
        "plan",
        "web/Bastillefile",
        "--jail",
        "web",
        "--bastille-templates",
        templates,
    ]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("base/common/Bastillefile:3 SYSRC\n    jexec -l web /usr/sbin/sysrc 'port=80' 'secret=default'"),
        "a fresh ARG scope: SECRET is not inherited\n{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("[6/6] web/Bastillefile:4 CMD"),
        "{}",
        out.stdout
    );

    let cycle = Test::new()
        .file("tpl/a/Bastillefile", "INCLUDE tpl/b\n")
        .file("tpl/b/Bastillefile", "INCLUDE tpl/a\n");
    let out = cycle
        .args(&["plan", "tpl/a/Bastillefile", "--jail", "web"])
        .run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("includes itself"), "{}", out.stdout);

    let unknown = Test::new().file("Bastillefile", "INCLUDE nowhere/at-all\nINCLUDE noslash\n");
    let out = unknown
        .args(&["plan", "Bastillefile", "--jail", "web"])
        .run();
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("TEMPLATE not found"), "{}", out.stdout);
    assert!(out.stdout.contains("not recognized"), "{}", out.stdout);
}

#[test]
fn plan_stage_runs_another_makejail_stage() {
    let t = Test::new().file("Makejail", "CMD build\nSTAGE start\nCMD go\n");
    let t = t.args(&["plan", "Makejail", "--jail", "web", "--stage", "start"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("sh -c go"), "{}", out.stdout);
    assert!(!out.stdout.contains("sh -c build"), "{}", out.stdout);
    let t = Test::new().file("Bastillefile", "CMD x\n");
    let t = t.args(&["plan", "Bastillefile", "--jail", "web", "--stage", "start"]);
    let out = t.run();
    assert_eq!(out.code, 2, "a Bastillefile has no stages");
}

#[test]
fn lint_reads_the_nearest_config_upward() {
    let t = Test::new()
        .file(
            ".jailwright.toml",
            "failure-threshold = \"warning\"\ndisable = [\"JW206\"]\n[severity]\narg-duplicate = \"error\"\n[[overrides]]\npaths = [\"legacy/**\"]\ndisable = [\"JW202\"]\n",
        )
        .file("web/Bastillefile", "ARG A=1\nARG A=2\nARG UNSET\n")
        .file("legacy/old/Bastillefile", "ARG A=1\nARG A=2\n");
    let t = t.args(&["lint", ".", "--format", "gnu"]);
    let out = t.run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("web/Bastillefile:2:1: error:") && out.stdout.contains("[JW202]"),
        "the severity override made JW202 an error:\n{}",
        out.stdout
    );
    assert!(!out.stdout.contains("JW206"), "disabled:\n{}", out.stdout);
    assert!(
        !out.stdout.contains("legacy/old"),
        "the override disables JW202 under legacy/:\n{}",
        out.stdout
    );
}

#[test]
fn lint_config_errors_and_explicit_config() {
    let t = Test::new()
        .file("bad.toml", "disable = [\"JW999\"]\n")
        .file("quiet.toml", "failure-threshold = \"none\"\n")
        .file("Bastillefile", "  PKG nginx\n");
    assert_eq!(
        t.args(&["lint", "Bastillefile", "--config", "bad.toml"])
            .run()
            .code,
        2
    );
    let t = Test::new()
        .file("quiet.toml", "failure-threshold = \"none\"\n")
        .file("Bastillefile", "  PKG nginx\n");
    let t = t.args(&["lint", "Bastillefile", "--config", "quiet.toml"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn lint_pragmas_silence_a_line_or_a_file() {
    let t = Test::new().file(
        "Bastillefile",
        "ARG A=1\n# jailwright ignore=JW202\nARG A=2\nARG A=3\n",
    );
    let t = t.args(&["lint", "Bastillefile", "--format", "gnu"]);
    let out = t.run();
    assert!(!out.stdout.contains("Bastillefile:3:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("Bastillefile:4:1: warning"),
        "{}",
        out.stdout
    );
}

#[test]
fn jail_ip_without_a_value_is_blocked_instead_of_left_literal() {
    // bastille fills ${JAIL_IP} from the jail (jls -j J ip4.addr); with no
    // jls here and no --jail-ip, the step cannot run as bastille runs it.
    let t = Test::new()
        .file("Bastillefile", "CMD echo ${JAIL_IP} > /ip\nCMD true\n")
        .args(&["plan", "Bastillefile", "--jail", "web"]);
    let out = t.run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("BLOCKED: ${JAIL_IP} has no value here")
            && out.stdout.contains("--jail-ip"),
        "{}",
        out.stdout
    );
    let out = Test::new()
        .file("Bastillefile", "CMD echo ${JAIL_IP} > /ip\n")
        .args(&[
            "plan",
            "Bastillefile",
            "--jail",
            "web",
            "--jail-ip",
            "10.0.0.7",
        ])
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("echo 10.0.0.7 > /ip"), "{}", out.stdout);
}

#[test]
fn makejail_args_are_substituted_in_pkg_sysrc_service_and_copy() {
    // AppJail writes these words double-quoted into its build script, so
    // the host shell expands the ARGs in them.
    let t = Test::new()
        .file(
            "Makejail",
            "ARG pkgname=nginx\nARG port\nPKG ${pkgname}\nSYSRC nginx_port=$port\nSERVICE ${pkgname} restart\nCOPY files/${pkgname}.conf /usr/local/etc/\n",
        )
        .file("files/nginx.conf", "x\n")
        .args(&["plan", "Makejail", "--jail", "web", "--arg", "port=8080", "--format", "json"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = out.stdout;
    assert!(text.contains("\"nginx\""), "{text}");
    assert!(text.contains("nginx_port=8080"), "{text}");
    assert!(
        !text.contains("${pkgname}") && !text.contains("$port"),
        "{text}"
    );
    assert!(text.contains("files/nginx.conf"), "{text}");
    // A reference to the host's environment is refused, not run literally.
    let out = Test::new()
        .file("Makejail", "PKG ${HOME}\n")
        .args(&["plan", "Makejail", "--jail", "web"])
        .run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("is not an ARG or VAR of this Makejail"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_makejail_arg_without_a_value_used_in_pkg_says_to_pass_it() {
    let out = Test::new()
        .file("Makejail", "ARG version\nPKG postgresql${version}-server\n")
        .args(&["plan", "Makejail", "--jail", "web"])
        .run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("ARG version has no value: pass --arg version=VALUE"),
        "{}",
        out.stdout
    );
}

/// Regression: `jailwright rules | head -1` panicked ("failed printing to
/// stdout: Broken pipe") and exited 101.
#[test]
fn a_closed_pipe_never_panics() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("Bastillefile");
    std::fs::write(&template, "PKG nginx\n".repeat(5000)).unwrap();
    let runs: [&[&str]; 3] = [
        &["rules"],
        &["parse", "--format", "json", template.to_str().unwrap()],
        &[
            "plan",
            "--root",
            "/nonexistent",
            "--format",
            "json",
            template.to_str().unwrap(),
        ],
    ];
    for args in runs {
        let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The reader is gone: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

// ---- issue 17: a CLI that fits its ecosystem ----

/// Fails loudly when shellcheck is missing (CI installs it).

#[test]
fn a_closed_pipe_ends_every_subcommand_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let t = Test::new()
        .file("big/Bastillefile", "PKG nginx\nCP a\n".repeat(3000))
        .file("lower/Bastillefile", "pkg  nginx\n".repeat(3000))
        .file("Bastillefile", "PKG nginx\n".repeat(5000));
    let runs: &[&[&str]] = &[
        &["rules"],
        &["explain", "JW301"],
        &["explain", "CV008"],
        &["completions", "bash"],
        &["man"],
        &["parse", "Bastillefile"],
        &["parse", "--format", "json", "Bastillefile"],
        &["plan", "--root", "/nonexistent", "Bastillefile"],
        &[
            "plan",
            "--root",
            "/nonexistent",
            "--format",
            "json",
            "Bastillefile",
        ],
        &["lint", "--no-shellcheck", "big"],
        &["lint", "--no-shellcheck", "--format", "json", "big"],
        &["lint", "--no-shellcheck", "--format", "sarif", "big"],
        &["lint", "--no-shellcheck", "--statistics", "big"],
        &["convert", "Bastillefile", "--to", "makejail"],
        &["convert", "Bastillefile", "--to", "pot"],
        &["fmt", "--diff", "lower/Bastillefile"],
        &["--help"],
    ];
    for args in runs {
        let mut child = Test::new()
            .args(args)
            .command()
            .current_dir(t.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        let read = child.stdout.take().unwrap().read_exact(&mut first);
        // The reader is gone: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(read.is_ok(), "{args:?} printed nothing: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            matches!(out.status.code(), Some(0..=2) | Some(141)),
            "{args:?}: {:?} {stderr}",
            out.status
        );
    }
}

#[test]
fn lint_dash_reads_standard_input_named_by_stdin_filename() {
    let out = Test::new()
        .args(&[
            "lint",
            "-",
            "--stdin-filename",
            "Bastillefile",
            "--no-shellcheck",
        ])
        .stdin("PKG nginx\nSERVICE nginx\n")
        .run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("Bastillefile:2:9: error JW303 (service-arity)"),
        "{}",
        out.stdout
    );
    // --dialect instead of a name; the finding is on `-`.
    let out = Test::new()
        .args(&[
            "lint",
            "-",
            "--dialect",
            "makejail",
            "--no-shellcheck",
            "--format",
            "gnu",
        ])
        .stdin("PKG nginx")
        .run();
    assert!(out.stdout.contains("-:1:"), "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("JW709"), "{}", out.stdout);
    // Nothing names the dialect: a clear error, exit 2.
    let out = Test::new().args(&["lint", "-"]).stdin("PKG nginx\n").run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--stdin-filename"), "{}", out.stderr);
    // parse and convert read `-` too.
    let out = Test::new()
        .args(&["parse", "-", "--stdin-filename", "Bastillefile"])
        .stdin("PKG nginx\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("PKG [\"nginx\"]"), "{}", out.stdout);
    let out = Test::new()
        .args(&[
            "convert",
            "-",
            "--stdin-filename",
            "Bastillefile",
            "--to",
            "makejail",
        ])
        .stdin("PKG nginx\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("PKG nginx"), "{}", out.stdout);
}

#[test]
fn fmt_dash_writes_the_formatted_template_to_stdout() {
    let out = Test::new()
        .args(&["fmt", "-", "--stdin-filename", "Bastillefile"])
        .stdin("pkg   nginx\n\n\n\ncmd echo hi\n")
        .run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "PKG nginx\n\nCMD echo hi\n");
    let out = Test::new()
        .args(&["fmt", "-", "--check", "--dialect", "bastille"])
        .stdin("pkg nginx\n")
        .run();
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[test]
fn fmt_diff_shows_the_change_and_writes_nothing() {
    let t = Test::new().file("Bastillefile", "pkg   nginx\n");
    let t = t.args(&["fmt", "--diff", "Bastillefile"]);
    let out = t.run();
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("-pkg   nginx\n+PKG nginx\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .starts_with("--- Bastillefile\n+++ Bastillefile\n")
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("Bastillefile")).unwrap(),
        "pkg   nginx\n"
    );
}

/// A finding that miette draws with colour and box characters.
fn colour_test() -> Test {
    Test::new().file("Bastillefile", "PKG nginx\nSERVICE nginx\n")
}

#[test]
fn no_color_clicolor_force_and_color_flag_decide_the_escapes() {
    let lint = |t: Test| t.args(&["lint", "--no-shellcheck", "Bastillefile"]).run();
    // Piped (not a terminal): no colour by default.
    let plain = lint(colour_test());
    assert!(!plain.stdout.contains('\x1b'), "{}", plain.stdout);
    let forced = lint(
        colour_test()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1"),
    );
    assert!(forced.stdout.contains("\x1b["), "{}", forced.stdout);
    let both = lint(
        colour_test()
            .env("NO_COLOR", "1")
            .env("CLICOLOR_FORCE", "1"),
    );
    assert!(
        !both.stdout.contains('\x1b'),
        "NO_COLOR wins: {}",
        both.stdout
    );
    let always = lint(colour_test().args(&["--color", "always"]));
    assert!(
        always.stdout.contains("\x1b["),
        "--color always beats NO_COLOR"
    );
    let never = lint(
        colour_test()
            .env_remove("NO_COLOR")
            .env("CLICOLOR_FORCE", "1")
            .args(&["--color", "never"]),
    );
    assert!(!never.stdout.contains('\x1b'), "{}", never.stdout);
}

#[test]
fn term_dumb_gets_ascii_only() {
    let out = colour_test()
        .env("TERM", "dumb")
        .args(&["lint", "--no-shellcheck", "Bastillefile"])
        .run();
    assert!(out.stdout.contains("SERVICE nginx"), "{}", out.stdout);
    assert!(out.stdout.is_ascii(), "{}", out.stdout);
    let unicode = colour_test()
        .env("TERM", "xterm")
        .args(&["lint", "--no-shellcheck", "Bastillefile"])
        .run();
    assert!(!unicode.stdout.is_ascii(), "a pipe takes Unicode");
}

#[test]
fn every_text_finding_carries_its_severity_word() {
    let out = Test::new()
        .file(
            "Bastillefile",
            "PKG nginx\nCP a\nSERVICE nginx start\nPKG nginx\n",
        )
        .args(&["lint", "--no-shellcheck", "Bastillefile"])
        .run();
    let json = Test::new()
        .file(
            "Bastillefile",
            "PKG nginx\nCP a\nSERVICE nginx start\nPKG nginx\n",
        )
        .args(&[
            "lint",
            "--no-shellcheck",
            "--format",
            "json",
            "Bastillefile",
        ])
        .run()
        .json();
    let findings = json["diagnostics"].as_array().unwrap();
    assert!(findings.len() >= 3);
    for d in findings {
        let headline = format!(
            "Bastillefile:{}:{}: {} {} ",
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap()
        );
        assert!(out.stdout.contains(&headline), "{headline}\n{}", out.stdout);
    }
    for word in ["error", "warning", "info"] {
        assert!(out.stdout.contains(&format!(": {word} JW")), "{word}");
    }
}

#[test]
fn quiet_prints_findings_only_and_very_quiet_nothing() {
    let t = || Test::new().file("Bastillefile", "PKG nginx\nSERVICE nginx\n");
    let q = t()
        .args(&["lint", "-q", "--no-shellcheck", "Bastillefile"])
        .run();
    assert_eq!(q.code, 1);
    assert!(q.stdout.contains("JW303"), "{}", q.stdout);
    assert!(!q.stdout.contains("template(s)"), "{}", q.stdout);
    let qq = t().args(&["lint", "-qq", "Bastillefile"]).run();
    assert_eq!(qq.code, 1, "the exit code stands");
    assert_eq!(qq.stdout, "");
    assert_eq!(qq.stderr, "");
}

#[test]
fn select_ignore_and_extend_select_take_codes_names_and_families() {
    let t = || {
        Test::new().file(
            "Bastillefile",
            "PKG nginx\nCP a\nOVERLAY a b\nSERVICE nginx start\nARG X\n",
        )
    };
    let codes = |extra: &[&str]| -> Vec<String> {
        let mut args = vec![
            "lint",
            "--no-shellcheck",
            "--format",
            "json",
            "Bastillefile",
        ];
        args.extend(extra);
        t().args(&args).run().codes()
    };
    let all = codes(&[]);
    assert!(
        all.contains(&"JW301".into()) && all.contains(&"JW302".into()),
        "{all:?}"
    );
    assert_eq!(codes(&["--select", "JW3"]), ["JW301", "JW302"]);
    assert_eq!(
        codes(&["--select", "JW3", "--ignore", "cp-arity"]),
        ["JW302"]
    );
    assert_eq!(codes(&["--select", "JW301,JW302"]), ["JW301", "JW302"]);
    assert_eq!(
        codes(&["--select", "JW301", "--extend-select", "overlay-arity"]),
        ["JW301", "JW302"]
    );
    assert!(
        !codes(&["--ignore", "JW3"])
            .iter()
            .any(|c| c.starts_with("JW3"))
    );
    let bad = t()
        .args(&["lint", "--select", "JW999", "Bastillefile"])
        .run();
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no rule JW999"), "{}", bad.stderr);
}

#[test]
fn a_shellcheck_code_can_be_silenced_everywhere() {
    require_shellcheck();
    let text = "CMD echo $a1\n# jailwright ignore=SC2154\nCMD echo $a2\n";
    let sc = |t: Test, extra: &[&str]| -> Vec<(u64, String)> {
        let mut args = vec!["lint", "--format", "json", "Bastillefile"];
        args.extend(extra);
        t.args(&args).run().json()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["code"] == "JW901")
            .map(|d| {
                (
                    d["line"].as_u64().unwrap(),
                    d["shellcheck_code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // JSON carries the ShellCheck code in its own field; the pragma
    // silences line 3 only.
    let found = sc(Test::new().file("Bastillefile", text), &[]);
    assert_eq!(found, [(1, "SC2154".to_string())], "{found:?}");
    assert!(
        sc(
            Test::new().file("Bastillefile", text),
            &["--ignore", "SC2154"]
        )
        .is_empty()
    );
    let config = Test::new()
        .file("Bastillefile", text)
        .file(".jailwright.toml", "disable = [\"SC2154\"]\n");
    assert!(sc(config, &[]).is_empty());
    let ignore = Test::new()
        .file("Bastillefile", text)
        .file(".jailwright.toml", "ignore = [\"SC2154\"]\n");
    assert!(sc(ignore, &[]).is_empty());
    // Selecting only SC2154 keeps it and nothing else.
    let out = Test::new()
        .file("Bastillefile", "CMD echo $a1\nCP a\n")
        .args(&[
            "lint",
            "--select",
            "SC2154",
            "--format",
            "json",
            "Bastillefile",
        ])
        .run();
    let codes: Vec<&str> = out.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["shellcheck_code"].as_str().unwrap_or("none"))
        .collect::<Vec<_>>()
        .into_iter()
        .map(|s| if s == "SC2154" { "SC2154" } else { "other" })
        .collect();
    assert_eq!(codes, ["SC2154"]);
    // SARIF: ShellCheck's code is the rule, linked to its wiki.
    let sarif = Test::new()
        .file("Bastillefile", "CMD echo $a1\n")
        .args(&["lint", "--format", "sarif", "Bastillefile"])
        .run()
        .json();
    let run = &sarif["runs"][0];
    assert_eq!(run["results"][0]["ruleId"], "SC2154");
    let index = run["results"][0]["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "SC2154");
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["helpUri"],
        "https://www.shellcheck.net/wiki/SC2154"
    );
}

#[test]
fn sarif_rules_link_their_generated_pages() {
    let sarif = Test::new()
        .file("Bastillefile", "CP a\n")
        .args(&[
            "lint",
            "--no-shellcheck",
            "--format",
            "sarif",
            "Bastillefile",
        ])
        .run()
        .json();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for rule in rules {
        let uri = rule["helpUri"].as_str().unwrap();
        let page = uri.rsplit('/').next().unwrap();
        let local = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/rules")
            .join(page);
        assert!(local.is_file(), "{uri}: no {}", local.display());
    }
}

#[test]
fn statistics_counts_findings_per_rule() {
    let out = Test::new()
        .file("a/Bastillefile", "CP a\nCP b\nPKG\n")
        .file("b/Bastillefile", "CP c\n")
        .args(&[
            "lint",
            "--no-shellcheck",
            "--statistics",
            "--select",
            "JW3",
            ".",
        ])
        .run();
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert!(
        lines[0].contains("3  JW301") && lines[0].contains("cp-arity"),
        "{}",
        out.stdout
    );
    assert!(lines[1].contains("1  JW308"), "{}", out.stdout);
}

/// The steps a template reads as, without positions.
fn steps(dir: &std::path::Path, file: &str) -> Vec<serde_json::Value> {
    let out = Test::new()
        .args(&[
            "parse",
            "--format",
            "json",
            dir.join(file).to_str().unwrap(),
        ])
        .run();
    out.json()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["instruction"].clone())
        .collect()
}

#[test]
fn lint_fix_makes_each_certain_fix_and_the_file_reads_as_meant() {
    // (rule, file, broken text, the text its author meant)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "JW101",
            "Bastillefile",
            "\u{feff}PKG nginx\n",
            "PKG nginx\n",
        ),
        (
            "JW102",
            "Bastillefile",
            "PKG nginx\r\nCMD echo hi\r\n",
            "PKG nginx\nCMD echo hi\n",
        ),
        (
            "JW103",
            "Bastillefile",
            "PKG nginx\n  CMD echo hi\n",
            "PKG nginx\nCMD echo hi\n",
        ),
        (
            "JW104",
            "Bastillefile",
            "PKG\tnginx git\n",
            "PKG nginx git\n",
        ),
        (
            "JW106",
            "Bastillefile",
            "CMD echo a \\  \n  b\n",
            "CMD echo a \\\n  b\n",
        ),
        ("JW709", "Makejail", "PKG nginx", "PKG nginx\n"),
        (
            "JW709",
            "flavour",
            "copy-in -s a -d /b",
            "copy-in -s a -d /b\n",
        ),
    ];
    for (code, file, broken, meant) in cases {
        let t = Test::new()
            .file(&format!("fixed/{file}"), broken)
            .file(&format!("meant/{file}"), meant);
        let out = Test::new()
            .args(&["lint", "--fix", "--no-shellcheck", "--format", "json"])
            .args(&[t.path().join("fixed").join(file).to_str().unwrap()])
            .run();
        let left = out.codes();
        assert!(
            !left.contains(&code.to_string()),
            "{code} left: {left:?} {}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(t.path().join("fixed").join(file)).unwrap(),
            *meant,
            "{code}"
        );
        assert_eq!(
            steps(&t.path().join("fixed"), file),
            steps(&t.path().join("meant"), file),
            "{code}: the fixed file reads as meant"
        );
        assert!(
            out.stderr.contains("fixed 1 finding(s)"),
            "{code}: {}",
            out.stderr
        );
    }
}

#[test]
fn lint_fix_reads_again_after_a_fix_that_reshapes_lines() {
    // Without the blanks the backslash continues, and `  b` is no longer
    // a space-indented line of its own: it keeps its indentation.
    let t = Test::new().file("Bastillefile", "CMD echo a \\  \n  b\n  PKG x\n");
    let t = t.args(&["lint", "--fix", "--no-shellcheck", "Bastillefile"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("Bastillefile")).unwrap(),
        "CMD echo a \\\n  b\nPKG x\n"
    );
}

#[test]
fn lint_diff_shows_fixes_and_changes_nothing() {
    let t = Test::new().file("Bastillefile", "PKG nginx\r\n");
    let t = t.args(&["lint", "--diff", "--no-shellcheck", "Bastillefile"]);
    let out = t.run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("-PKG nginx\r\n+PKG nginx\n"),
        "{:?}",
        out.stdout
    );
    assert_eq!(
        std::fs::read(t.path().join("Bastillefile")).unwrap(),
        b"PKG nginx\r\n"
    );
    // From standard input, --fix prints the fixed template.
    let out = Test::new()
        .args(&[
            "lint",
            "-",
            "--stdin-filename",
            "Bastillefile",
            "--fix",
            "--no-shellcheck",
        ])
        .stdin("PKG\tnginx\n")
        .run();
    assert_eq!(out.stdout, "PKG nginx\n", "{}", out.stderr);
}

#[test]
fn rules_and_explain_say_which_rules_are_fixable() {
    let rules = Test::new().args(&["rules"]).run();
    let line = rules
        .stdout
        .lines()
        .find(|l| l.starts_with("JW102"))
        .unwrap();
    assert!(line.contains(" fix "), "{line}");
    let line = rules
        .stdout
        .lines()
        .find(|l| l.starts_with("JW301"))
        .unwrap();
    assert!(!line.contains(" fix "), "{line}");
    let page = Test::new().args(&["explain", "JW104"]).run();
    assert!(page.stdout.contains("fixable: yes"), "{}", page.stdout);
}

#[test]
fn lint_of_a_directory_without_templates_exits_2() {
    let t = Test::new().file("empty/README", "nothing here\n");
    let t = t.args(&["lint", "empty"]);
    let out = t.run();
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("empty: no template found"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_missing_file_says_no_such_file_in_every_command() {
    for args in [
        &["parse", "nope/Bastillefile"][..],
        &["plan", "--root", "/nonexistent", "nope/Bastillefile"],
        &["convert", "nope/Bastillefile", "--to", "pot"],
        &["lint", "nope/Bastillefile"],
        &["fmt", "nope/Bastillefile"],
    ] {
        let out = Test::new().args(args).run();
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr
                .contains("nope/Bastillefile: no such file or directory"),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("entity not found"), "{args:?}");
    }
}

#[test]
fn explain_has_a_page_for_every_conversion_code() {
    for n in 1..=13 {
        let code = format!("CV{n:03}");
        let out = Test::new().args(&["explain", &code]).run();
        assert_eq!(out.code, 0, "{code}: {}", out.stderr);
        assert!(out.stdout.starts_with(&code), "{}", out.stdout);
        assert!(out.stdout.contains("What to do"), "{code}");
    }
    let out = Test::new().args(&["explain", "CV999"]).run();
    assert_eq!(out.code, 2);
    // A code cut inside a character panicked.
    for odd in ["aé", "Sé1", "S"] {
        let out = Test::new().args(&["explain", odd]).run();
        assert_eq!(out.code, 2, "{odd}: {}", out.stderr);
        let out = Test::new().args(&["lint", "--select", odd, "x"]).run();
        assert_eq!(out.code, 2, "{odd}: {}", out.stderr);
    }
    let out = Test::new().args(&["explain", "SC2086"]).run();
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .contains("https://www.shellcheck.net/wiki/SC2086")
    );
    assert!(out.stdout.contains("--ignore SC2086"));
}

#[test]
fn plan_json_numbers_steps_from_one_like_text_and_apply() {
    let t = Test::new().file("Bastillefile", "CMD echo a\nCMD echo b\n");
    let json = t
        .args(&[
            "plan",
            "--root",
            "/nonexistent",
            "--format",
            "json",
            "Bastillefile",
        ])
        .run()
        .json();
    let numbers: Vec<u64> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
    let text = Test::new()
        .file("Bastillefile", "CMD echo a\nCMD echo b\n")
        .args(&["plan", "--root", "/nonexistent", "Bastillefile"])
        .run();
    assert!(text.stdout.contains("[1/2]") && text.stdout.contains("[2/2]"));
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = Test::new().args(&["completions", shell]).run();
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains("jailwright"), "{shell}");
        assert!(
            out.stdout.contains("stdin-filename"),
            "{shell}: options are completed"
        );
    }
    let man = Test::new().args(&["man"]).run();
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH jailwright"),
        "{}",
        &man.stdout[..200]
    );
    assert!(man.stdout.contains("lint"), "subcommands are listed");
}

#[test]
fn readme_commands_are_the_clis() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .unwrap();
    assert!(
        !readme.contains("jailwright snapshots ROOT"),
        "the CLI wants --root"
    );
    assert!(readme.contains("jailwright snapshots --root ROOT"));
    let out = Test::new().args(&["snapshots", "--help"]).run();
    assert!(out.stdout.contains("--root"), "{}", out.stdout);
}

#[test]
fn the_pre_commit_hooks_take_pot_flavours_too() {
    let ready = std::process::Command::new("python3")
        .arg("--version")
        .output()
        .map(drop)
        .map_err(|_| "needs python3 (pre-commit's regular expressions are Python's)".to_string());
    if common::skip::lacks(&ready) {
        return;
    }
    let hooks = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let patterns: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: '"))
        .map(|l| l.strip_suffix('\'').unwrap())
        .collect();
    assert_eq!(patterns.len(), 2, "{hooks}");
    let matching = [
        "Bastillefile",
        "web/Bastillefile",
        "Makejail",
        "app/Makejail.vendor",
        "app/build.makejail",
        "Potfile",
        "pot/flavours/nginx",
        "potluck/nginx/nginx",
        "nginx/nginx",
    ];
    let not_matching = [
        "README.md",
        "app/Makejail.template",
        "nginx/nginx.sh",
        "nginx/other",
        "src/main.rs",
    ];
    for pattern in patterns {
        let script = format!(
            "import re, sys\np = re.compile({pattern:?})\nfor name in sys.argv[1:]:\n    print(name, bool(p.search(name)))\n"
        );
        let out = std::process::Command::new("python3")
            .arg("-c")
            .arg(&script)
            .args(matching.iter().chain(&not_matching))
            .output()
            .unwrap();
        let answer = String::from_utf8_lossy(&out.stdout);
        for name in matching {
            assert!(
                answer.contains(&format!("{name} True")),
                "{name}: {answer}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for name in not_matching {
            assert!(
                answer.contains(&format!("{name} False")),
                "{name}: {answer}"
            );
        }
    }
    // And lint reads what the hook passes.
    let out = Test::new()
        .file("nginx/nginx", "copy-in -s a -d /b\n")
        .file("nginx/nginx.sh", "#!/bin/sh\npkg install -y nginx\n")
        .file("nginx/a", "x\n")
        .file(
            "pot/flavours/web",
            "set-attribute -A start-at-boot -V YES\n",
        )
        .args(&["lint", "--no-shellcheck", "nginx/nginx", "pot/flavours/web"])
        .run();
    assert!(out.code < 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("2 template(s)"), "{}", out.stdout);
}

#[test]
fn the_package_has_a_licence_metadata_and_a_ports_skeleton() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_default();
    let manifest = read("Cargo.toml");
    for key in [
        "license = \"BSD-2-Clause\"",
        "description = ",
        "repository = ",
        "rust-version = ",
    ] {
        assert!(manifest.contains(key), "Cargo.toml lacks {key}");
    }
    assert!(read("LICENSE").contains("Redistribution and use in source and binary forms"));
    let makefile = read("packaging/freebsd/Makefile");
    assert!(makefile.contains("USES=\t\tcargo"), "{makefile}");
    assert!(makefile.contains("LICENSE=\tBSD2CLAUSE"), "{makefile}");
    // Every file the package lists is one the binary makes (or is).
    for entry in read("packaging/freebsd/pkg-plist").lines() {
        let made = match entry {
            "bin/jailwright" => continue,
            "share/man/man1/jailwright.1.gz" => Test::new().args(&["man"]).run(),
            e if e.contains("bash") => Test::new().args(&["completions", "bash"]).run(),
            e if e.contains("zsh") => Test::new().args(&["completions", "zsh"]).run(),
            e if e.contains("fish") => Test::new().args(&["completions", "fish"]).run(),
            other => panic!("pkg-plist: {other} is made by nothing"),
        };
        assert_eq!(made.code, 0, "{entry}");
        assert!(!made.stdout.is_empty(), "{entry}");
        let source = entry.trim_end_matches(".gz");
        assert!(
            makefile.contains(source),
            "the Makefile does not install {source}"
        );
    }
}

// ---- issue 17 review: defects found by attacking the new options ----

#[test]
fn lint_fix_never_joins_a_line_its_author_did_not_continue() {
    // (file, text): removing the blanks or the \r after the backslash
    // would make bastille join the next instruction into this line.
    let cases = [
        ("comment", "# install web server \\ \nPKG nginx\n"),
        ("escaped", "CMD printf '%s' C:\\\\ \nCMD echo done\n"),
        ("keyword", "CMD echo a \\ \nPKG nginx\n"),
        ("crlf", "CMD echo a \\\r\nPKG nginx\r\n"),
    ];
    for (name, text) in cases {
        let t = Test::new().file("Bastillefile", text);
        let before = steps(t.path(), "Bastillefile");
        let t = t.args(&["lint", "--fix", "--no-shellcheck", "Bastillefile"]);
        t.run();
        let after = steps(t.path(), "Bastillefile");
        assert_eq!(before.len(), after.len(), "{name}: a step was swallowed");
    }
    // Where the next line is indented, a continuation was meant: fixed.
    let t = Test::new()
        .file("Bastillefile", "CMD echo a \\ \n  b\n")
        .args(&["lint", "--fix", "--no-shellcheck", "Bastillefile"]);
    t.run();
    assert_eq!(
        std::fs::read_to_string(t.path().join("Bastillefile")).unwrap(),
        "CMD echo a \\\n  b\n"
    );
}

#[test]
fn lint_fix_of_stdin_gives_non_utf8_bytes_back_unchanged() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args([
            "lint",
            "--fix",
            "--stdin-filename",
            "Bastillefile",
            "--no-shellcheck",
            "-",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"PKG caf\xe9\r\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.stdout, b"PKG caf\xe9\r\n");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not UTF-8: not fixed"));
}

#[test]
fn a_failed_write_to_stdout_exits_2() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        panic!("/dev/full is missing: the test cannot run");
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["fmt", "--stdin-filename", "Bastillefile", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(full)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"pkg a\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
}

#[test]
fn lint_fix_never_rewrites_an_include_outside_the_tree_named() {
    let t = Test::new()
        .file(
            "tree/Makejail",
            "INCLUDE dl/v.mk\nINCLUDE ../outside/w.mk\nPKG nginx\n",
        )
        .file("victim/v.mk", "PKG vim")
        .file("outside/w.mk", "PKG git");
    std::os::unix::fs::symlink("../victim", t.path().join("tree/dl")).unwrap();
    let t = t.args(&["lint", "--fix", "--no-shellcheck", "tree/Makejail"]);
    let out = t.run();
    assert!(out.stderr.contains("not fixed"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("victim/v.mk")).unwrap(),
        "PKG vim"
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("outside/w.mk")).unwrap(),
        "PKG git"
    );
}

#[test]
fn an_override_applies_to_the_findings_in_an_included_file() {
    let t = Test::new()
        .file(
            ".jailwright.toml",
            "[[overrides]]\npaths = [\"vendor/**\"]\nignore = [\"JW709\"]\n",
        )
        .file("Makejail", "INCLUDE vendor/common.makejail\nPKG nginx\n")
        .file("vendor/common.makejail", "PKG vim")
        .args(&["lint", "--no-shellcheck", "--format", "json", "Makejail"]);
    let codes = t.run().codes();
    assert!(!codes.contains(&"JW709".to_string()), "{codes:?}");
}

#[test]
fn a_lone_carriage_return_is_reported() {
    let out = Test::new()
        .args(&[
            "lint",
            "-",
            "--stdin-filename",
            "Bastillefile",
            "--no-shellcheck",
            "--format",
            "gnu",
        ])
        .stdin("PKG nginx\rSERVICE nginx start\r")
        .run();
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("carriage return that no newline follows"),
        "{}",
        out.stdout
    );
}

#[test]
fn escape_sequences_in_a_template_never_reach_the_terminal() {
    let out = Test::new()
        .file(
            "Bastillefile",
            "PKG \x1b]0;pwned\x07nginx\x1b[2K\rPKG ok;x\n\u{202e}CP a\n",
        )
        .args(&["lint", "--no-shellcheck", "Bastillefile"])
        .run();
    assert!(!out.stdout.contains('\x1b'), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\x07') && !out.stdout.contains('\r'));
    assert!(!out.stdout.contains('\u{202e}'));
    let dumb = Test::new()
        .file("Bastillefile", "\u{feff}PKG café\r\n")
        .env("TERM", "dumb")
        .args(&["lint", "--no-shellcheck", "Bastillefile"])
        .run();
    assert!(dumb.stdout.is_ascii(), "{:?}", dumb.stdout);
}

#[test]
fn lint_diff_exits_1_only_when_there_is_a_diff() {
    let out = Test::new()
        .file("Bastillefile", "FOO bar\n")
        .args(&["lint", "--diff", "--no-shellcheck", "Bastillefile"])
        .run();
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn lint_fix_of_stdin_reports_in_the_format_asked_on_stderr() {
    let out = Test::new()
        .args(&[
            "lint",
            "-",
            "--stdin-filename",
            "Bastillefile",
            "--fix",
            "--no-shellcheck",
            "--format",
            "json",
        ])
        .stdin("PKG\tnginx\nCP a\n")
        .run();
    assert_eq!(out.stdout, "PKG nginx\nCP a\n");
    let json: serde_json::Value =
        serde_json::from_str(&out.stderr[..out.stderr.rfind('}').unwrap() + 1]).unwrap();
    assert_eq!(json["diagnostics"][0]["code"], "JW301");
}

#[test]
fn pragmas_take_spaces_a_colon_and_rule_names_in_any_case() {
    for pragma in [
        "# jailwright ignore = JW202",
        "# jailwright: ignore=JW202",
        "#jailwright ignore=ARG-DUPLICATE",
    ] {
        let out = Test::new()
            .file("Bastillefile", format!("ARG A=1\n{pragma}\nARG A=2\n"))
            .args(&["lint", "--no-shellcheck", "--format", "gnu", "Bastillefile"])
            .run();
        assert!(!out.stdout.contains("JW202"), "{pragma}: {}", out.stdout);
    }
}

#[test]
fn the_command_lines_select_beats_the_configurations_ignore() {
    let t = || {
        Test::new()
            .file(".jailwright.toml", "ignore = [\"JW301\"]\n")
            .file("Bastillefile", "CP a\n")
    };
    let codes = |t: Test| -> String { t.run().stdout };
    let plain = codes(t().args(&["lint", "--no-shellcheck", "--format", "gnu", "Bastillefile"]));
    assert!(!plain.contains("JW301"), "{plain}");
    let selected = codes(t().args(&[
        "lint",
        "--no-shellcheck",
        "--format",
        "gnu",
        "--select",
        "JW301",
        "Bastillefile",
    ]));
    assert!(selected.contains("JW301"), "{selected}");
    let extended = codes(t().args(&[
        "lint",
        "--no-shellcheck",
        "--format",
        "gnu",
        "--extend-select",
        "cp-arity",
        "Bastillefile",
    ]));
    assert!(extended.contains("JW301"), "{extended}");
}

/// A `shellcheck` on PATH that logs its arguments and runs the real one.
fn logging_shellcheck(t: &Test) -> (String, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let real = String::from_utf8(
        std::process::Command::new("sh")
            .args(["-c", "command -v shellcheck"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let bin = t.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = t.path().join("calls.log");
    let wrapper = bin.join("shellcheck");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\nexec {} \"$@\"\n",
            log.display(),
            real.trim()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    (path, log)
}

#[test]
fn shellcheck_runs_once_for_many_templates_and_not_again_for_unchanged_ones() {
    require_shellcheck();
    let mut t = Test::new();
    for i in 0..12 {
        t = t.file(&format!("t{i}/Bastillefile"), format!("CMD echo $v{i}\n"));
    }
    let (path, log) = logging_shellcheck(&t);
    let cache = t.path().join("cache");
    let lint = |extra: &[&str]| {
        let mut args = vec!["lint", "--format", "json", "."];
        args.extend(extra);
        Test::new()
            .args(&args)
            .command()
            .current_dir(t.path())
            .env("PATH", &path)
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap()
    };
    let calls = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        std::fs::remove_file(&log).ok();
        text.lines().filter(|l| *l != "--version").count()
    };
    let first = lint(&[]);
    let found = |out: &std::process::Output| -> usize {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["shellcheck_code"] == "SC2154")
            .count()
    };
    assert_eq!(
        found(&first),
        12,
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let runs = calls();
    assert!(
        (1..=4).contains(&runs),
        "one ShellCheck run per core, not per template: {runs}"
    );
    let second = lint(&[]);
    assert_eq!(found(&second), 12);
    assert_eq!(calls(), 0, "answers come from the cache");
    let uncached = lint(&["--no-cache"]);
    assert_eq!(found(&uncached), 12);
    assert!(calls() > 0, "--no-cache runs ShellCheck");
    // A cache directory others can write is not trusted.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        cache.join("jailwright/shellcheck"),
        std::fs::Permissions::from_mode(0o777),
    )
    .unwrap();
    lint(&[]);
    assert!(calls() > 0, "a world-writable cache is not read");
}

// ---- issue 18 review: defects of the batched ShellCheck run and lookups ----

/// `lint --format json` of `paths` in `t`, with an empty cache, as
/// (file, line, ShellCheck code) of its JW901 findings.
fn shellcheck_findings(
    t: &Test,
    paths: &[&str],
    env: &[(&str, &str)],
) -> Vec<(String, u64, String)> {
    // Every ShellCheck level (info and style are opt-in).
    let mut args = vec!["lint", "--format", "json", "--extend-select", "JW901"];
    args.extend(paths);
    let mut command = Test::new().args(&args).command();
    command.current_dir(t.path());
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut found: Vec<(String, u64, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "JW901")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["shellcheck_code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn a_template_cannot_source_another_templates_script_in_the_batched_run() {
    require_shellcheck();
    let sourcing = "#!/bin/sh -e\n# shellcheck source-path=SCRIPTDIR\n. ./0.sh\n. ./0.sh\n. ./1.sh\necho \"$x\"\n";
    let t = Test::new()
        .file("a/f", "")
        .file("a/f.sh", sourcing)
        .file("b/g", "")
        .file("b/g.sh", "#!/bin/sh -e\nx=1\n. ./0.sh\n");
    let cache = t.path().join("cache");
    let env = [("XDG_CACHE_HOME", cache.to_str().unwrap())];
    let together = shellcheck_findings(&t, &["."], &env);
    let _ = std::fs::remove_dir_all(&cache);
    let mut alone = shellcheck_findings(&t, &["a/f"], &env);
    let _ = std::fs::remove_dir_all(&cache);
    alone.extend(shellcheck_findings(&t, &["b/g"], &env));
    let alone: Vec<(String, u64, String)> = alone
        .into_iter()
        .map(|(f, l, c)| (format!("./{f}"), l, c))
        .collect();
    let mut alone = alone;
    alone.sort();
    assert_eq!(together, alone, "each template is checked as if alone");
    assert!(
        together.iter().any(|(_, _, c)| c == "SC1091"),
        "{together:?}"
    );
}

#[test]
fn the_shellcheck_cache_key_includes_shellcheck_opts() {
    require_shellcheck();
    let t = Test::new().file("Bastillefile", "CMD echo $1\n");
    let cache = t.path().join("cache");
    let cache = cache.to_str().unwrap();
    let quiet = shellcheck_findings(
        &t,
        &["Bastillefile"],
        &[
            ("XDG_CACHE_HOME", cache),
            ("SHELLCHECK_OPTS", "--severity=error"),
        ],
    );
    assert!(quiet.is_empty(), "{quiet:?}");
    let plain = shellcheck_findings(&t, &["Bastillefile"], &[("XDG_CACHE_HOME", cache)]);
    assert_eq!(plain.len(), 1, "not the answer cached under other options");
}

#[test]
fn a_cache_directory_that_is_a_symlink_is_not_used() {
    require_shellcheck();
    let t = Test::new().file("Bastillefile", "CMD echo $missing\n");
    let (path, log) = logging_shellcheck(&t);
    let cache = t.path().join("cache");
    std::fs::create_dir_all(cache.join("jailwright")).unwrap();
    std::fs::create_dir_all(t.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        t.path().join("elsewhere"),
        cache.join("jailwright/shellcheck"),
    )
    .unwrap();
    for _ in 0..2 {
        let out = Test::new()
            .args(&["lint", "Bastillefile"])
            .command()
            .current_dir(t.path())
            .env("PATH", &path)
            .env("XDG_CACHE_HOME", &cache)
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stdout).contains("SC2154"));
    }
    let runs = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .filter(|l| *l != "--version")
        .count();
    assert_eq!(runs, 2, "no answer read through the symlink");
    assert_eq!(
        std::fs::read_dir(t.path().join("elsewhere"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn a_failed_shellcheck_batch_is_reported_once() {
    require_shellcheck();
    let mut t = Test::new();
    for i in 0..5 {
        t = t.file(&format!("t{i}/Bastillefile"), format!("CMD echo $v{i}\n"));
    }
    let out = t
        .env("TMPDIR", "/nonexistent-jailwright-test")
        .args(&["lint", "--no-cache", "."])
        .run();
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr.matches("temporary directory").count(),
        1,
        "{}",
        out.stderr
    );
}

#[test]
fn a_template_named_through_a_symlink_takes_the_configuration_beside_its_target() {
    let t = Test::new()
        .file("else/.jailwright.toml", "ignore = [\"ALL\"]\n")
        .file("else/proj/Bastillefile", "CP a\n")
        .file("t2/keep", "");
    std::os::unix::fs::symlink(
        t.path().join("else/proj/Bastillefile"),
        t.path().join("t2/Bastillefile"),
    )
    .unwrap();
    let out = t
        .args(&[
            "lint",
            "--no-shellcheck",
            "--format",
            "gnu",
            "t2/Bastillefile",
        ])
        .run();
    assert_eq!(out.stdout, "", "{}", out.stderr);
}

#[test]
fn a_hook_directorys_own_configuration_applies_to_it() {
    let out = Test::new()
        .file("t/hooks/CMD", "chmod 777 /x\n")
        .file("t/hooks/.jailwright.toml", "ignore = [\"ALL\"]\n")
        .args(&["lint", "--no-shellcheck", "--format", "gnu", "t"])
        .run();
    assert_eq!(out.stdout, "", "{}", out.stderr);
}

#[test]
fn lint_fix_reads_again_a_template_whose_include_another_fix_rewrote() {
    let t = Test::new()
        .file("t/a.makejail", "INCLUDE common.makejail\n")
        .file("t/b.makejail", "INCLUDE common.makejail\n")
        .file("t/common.makejail", "PKG nginx");
    let t = t.args(&["lint", "--fix", "--no-shellcheck", "--format", "gnu", "t"]);
    let out = t.run();
    assert!(!out.stdout.contains("JW709"), "{}", out.stdout);
    assert!(
        !out.stderr.contains("changed while linted"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(t.path().join("t/common.makejail")).unwrap(),
        "PKG nginx\n"
    );
}

#[test]
fn a_dangling_bastillefile_symlink_does_not_hide_hook_files() {
    let t = Test::new().file("t/h/PKG", "nginx\n");
    std::os::unix::fs::symlink("/nonexistent", t.path().join("t/h/Bastillefile")).unwrap();
    let out = t.args(&["lint", "--no-shellcheck", "t"]).run();
    assert!(out.code < 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 template(s)"), "{}", out.stdout);
}
