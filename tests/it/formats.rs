//! lint's output formats: snapshots of each on a fixture, the SARIF
//! validated against the OASIS SARIF 2.1.0 schema (tests/data, from the
//! specification), failure thresholds, and every format over the whole
//! corpus without a failure.

use crate::common;

use crate::common::Test;
use std::path::Path;
use std::process::Command;

/// A template with an error, a warning and an info finding.
const TEMPLATE: &str = "  PKG nginx\nARG UNSET\nCMD echo ${UNSET} $HOME\nSYSRC x=\"a&b\"\n";

fn lint(format: &str) -> common::Output {
    Test::new()
        .file("web/Bastillefile", TEMPLATE)
        // ShellCheck's findings depend on its version: kept out here.
        .args(&[
            "lint",
            "web/Bastillefile",
            "--no-shellcheck",
            "--format",
            format,
        ])
        .run()
}

#[test]
fn each_format_snapshot() {
    for format in ["json", "sarif", "github", "checkstyle", "gnu"] {
        let out = lint(format);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        insta::assert_snapshot!(format!("format_{format}"), out.stdout);
    }
}

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The published schema's `language` patterns have a stray `]`
    // (`...{2}]?$`) that a strict check of the schema itself rejects; they
    // are corrected here (jailwright writes no `language`).
    let mut schema = schema;
    fix_language_patterns(&mut schema);
    jsonschema::draft7::new(&schema).expect("the SARIF schema compiles")
}

fn fix_language_patterns(value: &mut serde_json::Value) {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if key == "pattern" && v == BROKEN {
                    *v = serde_json::json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                } else {
                    fix_language_patterns(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

fn assert_valid_sarif(text: &str) {
    let log: serde_json::Value = serde_json::from_str(text).expect("SARIF is JSON");
    let validator = validator();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
}

#[test]
fn sarif_is_valid_against_the_schema() {
    let out = lint("sarif");
    assert_valid_sarif(&out.stdout);
    // And the validator does reject what is not SARIF.
    let broken = out.stdout.replace("\"2.1.0\"", "\"9.9\"");
    let log: serde_json::Value = serde_json::from_str(&broken).unwrap();
    assert!(!validator().is_valid(&log), "the schema check can fail");
}

#[test]
fn failure_threshold_decides_the_exit_code() {
    let warning_only = "ARG A=1\nARG A=2\n";
    let run = |threshold: &str| {
        Test::new()
            .file("Bastillefile", warning_only)
            .args(&["lint", "Bastillefile", "--failure-threshold", threshold])
            .run()
            .code
    };
    assert_eq!(run("error"), 0, "a warning is below the error threshold");
    assert_eq!(run("warning"), 1);
    assert_eq!(run("info"), 1);
    assert_eq!(run("none"), 0);
}

#[test]
fn every_format_runs_over_the_whole_corpus() {
    let corpus = std::env::var_os("JAILWRIGHT_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    let ready = if corpus.is_dir() {
        Ok(())
    } else {
        Err(format!(
            "the corpus is missing at {} (set JAILWRIGHT_CORPUS, or `compat/fetch-corpus DIR`)",
            corpus.display()
        ))
    };
    if common::skip::lacks(&ready) {
        return;
    }
    for format in ["text", "json", "sarif", "github", "checkstyle", "gnu"] {
        // ShellCheck runs once (with SARIF), the rest is about the formats.
        let mut command = Command::new(env!("CARGO_BIN_EXE_jailwright"));
        command.args(["lint", "--format", format, "--failure-threshold", "none"]);
        if format != "sarif" {
            command.arg("--no-shellcheck");
        }
        let out = command.arg(&corpus).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{format} printed nothing");
        if format == "sarif" {
            assert_valid_sarif(&String::from_utf8_lossy(&out.stdout));
        }
    }
}

#[test]
fn shellcheck_findings_point_at_the_template() {
    let has_shellcheck = Command::new("shellcheck").arg("--version").output().is_ok();
    assert!(
        has_shellcheck,
        "shellcheck is not installed (apt-get install shellcheck): JW901 cannot be tested"
    );
    let t = Test::new().file(
        "Bastillefile",
        "ARG PORT=80\nPKG nginx\nCMD echo $PORT \\\n  ${undefined_lower}\n",
    );
    let out = t.args(&["lint", "Bastillefile", "--format", "gnu"]).run();
    assert!(
        out.stdout.contains("Bastillefile:4:3: warning: SC2154: undefined_lower is referenced but not assigned. [JW901]"),
        "{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        !out.stdout.contains("PORT is referenced"),
        "ARGs are declared: {}",
        out.stdout
    );
    let skipped = Test::new()
        .file("Bastillefile", "CMD echo $x\n")
        .args(&["lint", "Bastillefile", "--no-shellcheck", "--format", "gnu"])
        .run();
    assert!(!skipped.stdout.contains("JW901"), "{}", skipped.stdout);
}
