//! The command line, driven through the real binary.

mod common;
use common::Test;

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
    let out = t
        .args(&[
            "parse",
            "Bastillefile",
            "--format",
            "json",
            "--arg",
            "A=cli",
            "--arg-file",
            "args.txt",
        ])
        .run();
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
    let out = t
        .args(&["parse", "template.txt", "--dialect", "bastille"])
        .run();
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
    assert!(out.stdout.contains("Bastillefile:2:9"), "{}", out.stdout);
    assert!(
        out.stdout.contains("JW303(service-arity)"),
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
    let out = t.args(&["lint", "Bastillefile", "--format", "json"]).run();
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
    let out = t
        .args(&["parse", "jail.txt", "--dialect", "makejail"])
        .run();
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
    let out = t
        .args(&["parse", "Makejail", "--expand-includes", "--format", "json"])
        .run();
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
    let out = t.args(&["plan", "Bastillefile", "--jail", "web"]).run();
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
    let out = t
        .args(&[
            "plan",
            "Bastillefile",
            "--root",
            "/tmp/r",
            "--format",
            "json",
        ])
        .run();
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
    let out = t
        .args(&[
            "plan",
            "web/Bastillefile",
            "--jail",
            "web",
            "--bastille-templates",
            templates,
        ])
        .run();
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
    let out = t
        .args(&["plan", "Makejail", "--jail", "web", "--stage", "start"])
        .run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("sh -c go"), "{}", out.stdout);
    assert!(!out.stdout.contains("sh -c build"), "{}", out.stdout);
    let t = Test::new().file("Bastillefile", "CMD x\n");
    let out = t
        .args(&["plan", "Bastillefile", "--jail", "web", "--stage", "start"])
        .run();
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
    let out = t.args(&["lint", ".", "--format", "gnu"]).run();
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
    let out = t
        .args(&["lint", "Bastillefile", "--config", "quiet.toml"])
        .run();
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn lint_pragmas_silence_a_line_or_a_file() {
    let t = Test::new().file(
        "Bastillefile",
        "ARG A=1\n# jailwright ignore=JW202\nARG A=2\nARG A=3\n",
    );
    let out = t.args(&["lint", "Bastillefile", "--format", "gnu"]).run();
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
