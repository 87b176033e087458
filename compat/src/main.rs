//! `jailwright-compat [CORPUS]`: prints one line per failing template and
//! `N passed, N failed`; exits 1 when anything failed, 2 when the corpus is
//! missing.

use std::path::PathBuf;

fn main() {
    let corpus = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    if !corpus.is_dir() {
        eprintln!("jailwright-compat: corpus {} not found", corpus.display());
        std::process::exit(2);
    }
    let start = std::time::Instant::now();
    let outcome = jailwright_compat::run(&corpus);
    for failure in &outcome.failures {
        println!("FAIL {failure}");
    }
    for (dialect, count) in &outcome.per_dialect {
        println!("{dialect}: {count} templates");
    }
    println!(
        "makejail: {} read again with --expand-includes",
        outcome.expanded
    );
    println!(
        "{} passed, {} failed ({:.2}s)",
        outcome.passed,
        outcome.failures.len(),
        start.elapsed().as_secs_f64()
    );
    std::process::exit(if outcome.failures.is_empty() { 0 } else { 1 });
}
