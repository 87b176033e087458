//! The compat suite over ../shared/corpus (beside the project), in CI.
//! Without the corpus this test fails: it never passes silently.

use std::path::Path;

#[test]
fn every_corpus_template_reads_and_lints_as_its_manager_would() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    assert!(
        corpus.is_dir(),
        "the upstream corpus is missing at {}: the compat suite cannot run",
        corpus.display()
    );
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
