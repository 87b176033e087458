//! The differential test over ../shared/corpus: each manager's own shell
//! code (../shared/upstream) under recording stubs, compared with
//! `jailwright plan --jail J --format json`, step by step. It needs root,
//! unshare and original-awk; without them it fails, saying so.

use jailwright_compat::differential::{self, Summary, Verdict};
use std::path::PathBuf;

#[path = "../../tests/it/common/skip.rs"]
mod skip;

/// The corpus and the managers' code, or `None` after saying the test is
/// skipped (CI sets JAILWRIGHT_REQUIRE_ALL: there it fails instead).
fn prerequisites() -> Option<(PathBuf, PathBuf)> {
    let missing = differential::missing_prerequisites();
    let corpus = jailwright_compat::find_corpus();
    let upstream = jailwright_compat::find_upstream();
    let ready = if !missing.is_empty() {
        Err(format!(
            "the differential test cannot run here: it needs {}",
            missing.join(", ")
        ))
    } else if corpus.is_none() {
        Err(jailwright_compat::HOW_TO_GET_THE_CORPUS.to_string())
    } else if upstream.is_none() {
        Err("the managers' shell code was not found: set JAILWRIGHT_UPSTREAM=DIR (../shared/upstream: bastille, AppJail and pot at the commits its SOURCES.md pins)".to_string())
    } else {
        Ok(())
    };
    if skip::lacks(&ready) {
        return None;
    }
    Some((corpus?, upstream?))
}

/// Runs a manager over the corpus and checks every difference is listed
/// in expected-failures.tsv, and every listed one still happens.
fn differential(manager: &str, run: differential::Runner, at_least: usize) {
    let Some((corpus, upstream)) = prerequisites() else {
        return;
    };
    let jailwright = PathBuf::from(env!("CARGO_BIN_EXE_jailwright-compat"));
    let reports = run(&corpus, &upstream, &jailwright).unwrap();
    let mut summary = Summary::default();
    for report in &reports {
        summary.add(report);
    }
    differential::print_summary(manager, &summary);
    let expected = differential::expected_differences(manager);
    let unexplained: Vec<String> = summary
        .differs
        .iter()
        .filter(|(class, _)| !expected.contains_key(*class))
        .flat_map(|(class, cases)| cases.iter().map(move |c| format!("[{class}] {c}")))
        .collect();
    let stale: Vec<&String> = expected
        .keys()
        .filter(|class| !summary.differs.contains_key(*class))
        .collect();
    assert!(
        summary.templates >= at_least,
        "{manager}: only {} corpus templates found",
        summary.templates
    );
    assert!(
        unexplained.is_empty(),
        "{} steps differ from {manager}'s own run and are not in expected-failures.tsv:\n{}",
        unexplained.len(),
        unexplained.join("\n")
    );
    assert!(
        stale.is_empty(),
        "{manager}: expected differences that no longer occur: {stale:?}"
    );
    assert!(
        reports
            .iter()
            .flat_map(|r| &r.steps)
            .any(|s| s.verdict == Verdict::Same),
        "{manager}: no step matched: the harness is broken"
    );
}

#[test]
fn bastille_runs_what_jailwright_plans() {
    differential("bastille", differential::run_bastille, 200);
}

#[test]
fn pot_runs_what_jailwright_plans() {
    differential("pot", differential::run_pot, 80);
}

#[test]
fn appjail_runs_what_jailwright_plans() {
    differential("appjail", differential::run_appjail, 100);
}
