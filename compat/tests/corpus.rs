//! The compat suite over the upstream corpus (`$JAILWRIGHT_CORPUS`, else
//! ../shared/corpus beside the project). Without it the tests skip loudly
//! (and fail in CI, where JAILWRIGHT_REQUIRE_ALL is set).

#[path = "../../tests/common/skip.rs"]
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
