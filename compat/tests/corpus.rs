//! The compat suite over the upstream corpus (`$JAILWRIGHT_CORPUS`, else
//! ../shared/corpus beside the project). Without it the tests skip loudly
//! (and fail in CI, where JAILWRIGHT_REQUIRE_ALL is set).

#[path = "../../tests/it/common/skip.rs"]
mod skip;

/// The corpus, or `None` after saying the test is skipped.
fn corpus() -> Option<std::path::PathBuf> {
    let found = jailwright_compat::find_corpus();
    let ready = found
        .as_ref()
        .map(|_| ())
        .ok_or_else(|| jailwright_compat::HOW_TO_GET_THE_CORPUS.to_string());
    if skip::lacks(&ready) { None } else { found }
}

#[test]
fn every_corpus_template_reads_and_lints_as_its_manager_would() {
    let Some(corpus) = corpus() else {
        return;
    };
    let outcome = jailwright_compat::run(&corpus);
    assert!(
        outcome.failures.is_empty(),
        "{} failed:\n{}",
        outcome.failures.len(),
        outcome.failures.join("\n")
    );
    assert!(
        outcome.per_dialect["bastille"] > 0,
        "no Bastille template found"
    );
}

#[test]
fn expected_failures_give_a_reason_for_every_entry() {
    for (path, expected) in jailwright_compat::expected_failures() {
        assert!(!expected.reason.trim().is_empty(), "{path} has no reason");
        assert!(!expected.codes.is_empty(), "{path} lists no code");
    }
}

#[test]
fn every_corpus_template_round_trips_and_converts_there_and_back() {
    let Some(corpus) = corpus() else {
        return;
    };
    let expected = jailwright_compat::expected_failures().into_keys().collect();
    let report = jailwright_compat::conversions::run(&corpus, &expected);
    assert!(
        report.failures.is_empty(),
        "{} failed:\n{}",
        report.failures.len(),
        report.failures.join("\n")
    );
    // Every template printed in its own dialect, but those with no single
    // text (legacy Bastille hook directories, non-UTF-8 files).
    let outcome = jailwright_compat::run(&corpus);
    for (dialect, count) in &outcome.per_dialect {
        let printed = report.round_trips.get(dialect).copied().unwrap_or(0);
        let not_printed = report.not_printed.get(dialect).copied().unwrap_or(0);
        assert_eq!(
            printed + not_printed,
            *count,
            "{dialect}: not every template was printed"
        );
        assert!(
            printed * 4 > *count * 3,
            "{dialect}: most templates are single files"
        );
    }
    assert_eq!(report.directions.len(), 6, "all six directions ran");
    for ((from, to), direction) in &report.directions {
        // pot reads a `#` line of a command file as a command.
        assert_eq!(
            direction.pot_comments, 0,
            "{from} -> {to}: comments in a pot command file"
        );
        // A conversion never adds an error-level finding.
        assert!(
            direction.errors_added.is_empty(),
            "{from} -> {to}: converted templates gain errors:\n{}",
            direction.errors_added.join("\n")
        );
        assert!(
            direction.clean_in > 0 && direction.planned > 0,
            "{from} -> {to}: nothing measured"
        );
    }
}

/// ShellCheck (JW901's findings are part of what the cases and labels
/// judge).
fn shellcheck_ready() -> Result<(), String> {
    std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .map(|_| ())
        .map_err(|_| "needs shellcheck (`.ci/test` installs it as root)".to_string())
}

/// jailwright's own CLI, as the compat binary runs it.
const JAILWRIGHT: (&str, &[&str]) = (env!("CARGO_BIN_EXE_jailwright-compat"), &["jailwright"]);

#[test]
fn every_lint_case_behaves_as_cases_tsv_says() {
    use jailwright_compat::precision;
    let cases = precision::find_lint_cases()
        .ok_or_else(|| "needs ../shared/lint-cases (or $JAILWRIGHT_LINT_CASES)".to_string());
    let ready = cases
        .as_ref()
        .map(|_| ())
        .map_err(Clone::clone)
        .and_then(|()| shellcheck_ready());
    if skip::lacks(&ready) {
        return;
    }
    let cache = tempfile_dir("lint-cases");
    let (count, failures) =
        precision::run_cases(&cases.unwrap(), JAILWRIGHT.0.as_ref(), JAILWRIGHT.1, &cache);
    assert!(count >= 16, "only {count} cases read");
    assert!(
        failures.is_empty(),
        "{} of {count} lint cases wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn lint_labels_hold_over_the_corpus() {
    use jailwright_compat::precision;
    let Some(corpus) = corpus() else {
        return;
    };
    if skip::lacks(&shellcheck_ready()) {
        return;
    }
    let labels = precision::read_labels(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint-labels"),
    )
    .expect("tests/lint-labels reads");
    let cache = tempfile_dir("lint-labels");
    let run = |extra: &[&str]| {
        let json =
            precision::lint_json(JAILWRIGHT.0.as_ref(), JAILWRIGHT.1, extra, &corpus, &cache)
                .expect("lint runs over the corpus");
        precision::findings(&json).expect("lint's JSON reads")
    };
    let default = run(&[]);
    let selectors = precision::opt_in_selectors();
    let all = run(&["--extend-select", &selectors]);
    let gate = precision::gate(&labels, &default, &all);
    eprintln!(
        "lint precision over the corpus (default run, tests/lint-labels):\n{}",
        precision::table(&gate)
    );
    assert!(
        gate.failures.is_empty(),
        "{} label(s) broken:\n{}",
        gate.failures.len(),
        gate.failures.join("\n")
    );
}

/// A fresh directory for ShellCheck's cache, under the target directory.
fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a cache directory");
    dir
}
