//! `jailwright-compat [CORPUS]`: prints one line per failing template and
//! `N passed, N failed`; exits 1 when anything failed, 2 when the corpus is
//! missing.

use std::path::PathBuf;

fn main() {
    // `jailwright-compat jailwright ARGS...` is jailwright's own CLI (the
    // differential test plans with it).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "jailwright")
    {
        std::process::exit(jailwright::cli::run_from(std::env::args_os().skip(1)));
    }
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == "differential")
    {
        let only = std::env::args().nth(3);
        std::process::exit(differential(std::env::args_os().nth(2), only));
    }
    if std::env::args_os().nth(1).is_some_and(|a| a == "outputs") {
        std::process::exit(outputs());
    }
    let corpus = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .or_else(jailwright_compat::find_corpus)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    if !corpus.is_dir() {
        eprintln!(
            "jailwright-compat: corpus {} not found: {}",
            corpus.display(),
            jailwright_compat::HOW_TO_GET_THE_CORPUS
        );
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
    let start = std::time::Instant::now();
    let expected = jailwright_compat::expected_failures().into_keys().collect();
    let conversions = jailwright_compat::conversions::run(&corpus, &expected);
    for failure in &conversions.failures {
        println!("FAIL convert {failure}");
    }
    for (dialect, count) in &conversions.round_trips {
        let changed = conversions.reformatted.get(dialect).copied().unwrap_or(0);
        println!(
            "{dialect}: {count} printed in their own dialect with the same meaning ({changed} reformatted by fmt)"
        );
    }
    for ((from, to), d) in &conversions.directions {
        let losses: Vec<String> = d.losses.iter().map(|(c, n)| format!("{c}×{n}")).collect();
        println!(
            "{from} -> {to}: {}/{} with no loss; losses {}",
            d.lossless,
            d.templates,
            if losses.is_empty() {
                "none".into()
            } else {
                losses.join(" ")
            }
        );
    }
    for ((from, to), d) in &conversions.directions {
        let errors: Vec<String> = d
            .added_errors
            .iter()
            .map(|(c, n)| format!("{c}×{n}"))
            .collect();
        println!(
            "{from} -> {to}: {}/{} clean inputs lint clean converted{}; {} comment line(s) in pot command files",
            d.clean_out,
            d.clean_in,
            if errors.is_empty() {
                String::new()
            } else {
                format!(" (added: {})", errors.join(" "))
            },
            d.pot_comments
        );
        let missing: Vec<String> = d
            .effects_missing
            .iter()
            .map(|(c, n)| format!("{c}×{n}"))
            .collect();
        println!(
            "{from} -> {to}: {} plans compared, {} effect(s) of the source's plan missing from the converted one's{}",
            d.planned,
            d.effects_missing.values().sum::<usize>(),
            if missing.is_empty() {
                String::new()
            } else {
                format!(" ({})", missing.join(" "))
            }
        );
    }
    println!(
        "conversions: {} failed ({:.2}s)",
        conversions.failures.len(),
        start.elapsed().as_secs_f64()
    );
    let precision_failed = precision_report(&corpus);
    let failed =
        !outcome.failures.is_empty() || !conversions.failures.is_empty() || precision_failed;
    std::process::exit(if failed { 1 } else { 0 });
}

/// The lint cases and the labelled precision gate (with ShellCheck): what
/// fails, and the precision table. Whether anything failed.
fn precision_report(corpus: &std::path::Path) -> bool {
    use jailwright_compat::precision;
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            println!("lint precision: cannot run myself: {e}");
            return true;
        }
    };
    let cache = std::env::temp_dir().join(format!("jailwright-compat-{}", std::process::id()));
    let mut failed = false;
    match precision::find_lint_cases() {
        Some(dir) => {
            let (count, failures) = precision::run_cases(&dir, &exe, &["jailwright"], &cache);
            for f in &failures {
                println!("FAIL lint case {f}");
            }
            println!(
                "lint cases: {}/{count} as CASES.tsv says",
                count - failures.len()
            );
            failed |= !failures.is_empty();
        }
        None => println!("lint cases: not found (../shared/lint-cases)"),
    }
    let labels_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/lint-labels");
    let run = |extra: &[&str]| {
        precision::lint_json(&exe, &["jailwright"], extra, corpus, &cache)
            .and_then(|json| precision::findings(&json))
    };
    let selectors = precision::opt_in_selectors();
    let outcome = precision::read_labels(&labels_dir).and_then(|labels| {
        Ok(precision::gate(
            &labels,
            &run(&[])?,
            &run(&["--extend-select", &selectors])?,
        ))
    });
    let _ = std::fs::remove_dir_all(&cache);
    match outcome {
        Ok(gate) => {
            for f in &gate.failures {
                println!("FAIL lint label {f}");
            }
            print!(
                "lint precision (default run, tests/lint-labels):\n{}",
                precision::table(&gate)
            );
            failed || !gate.failures.is_empty()
        }
        Err(e) => {
            println!("FAIL lint precision: {e}");
            true
        }
    }
}

/// `jailwright-compat differential [SHARED [MANAGER]]`: the differential
/// report.
fn differential(shared: Option<std::ffi::OsString>, only: Option<String>) -> i32 {
    use jailwright_compat::differential as d;
    let shared = shared.map_or_else(|| PathBuf::from("../shared"), PathBuf::from);
    let missing = d::missing_prerequisites();
    if !missing.is_empty() {
        eprintln!(
            "differential: cannot run here: needs {}",
            missing.join(", ")
        );
        return 2;
    }
    let Ok(me) = std::env::current_exe() else {
        return 2;
    };
    let corpus = shared.join("corpus");
    let upstream = shared.join("upstream");
    let mut status = 0;
    let runs: [(&str, d::Runner); 3] = [
        ("bastille", d::run_bastille),
        ("appjail", d::run_appjail),
        ("pot", d::run_pot),
    ];
    for (manager, run) in runs {
        if only.as_deref().is_some_and(|o| o != manager) {
            continue;
        }
        match run(&corpus, &upstream, &me) {
            Ok(reports) => {
                let mut summary = d::Summary::default();
                reports.iter().for_each(|r| summary.add(r));
                d::print_summary(manager, &summary);
            }
            Err(e) => {
                eprintln!("differential {manager}: {e}");
                status = 1;
            }
        }
    }
    status
}

/// `jailwright-compat outputs DIR [CORPUS]`: every template's outputs, for
/// comparing two builds.
fn outputs() -> i32 {
    use jailwright_compat::outputs;
    let out = match outputs::out_dir(std::env::args_os().nth(2)) {
        Ok(out) => out,
        Err(usage) => {
            eprintln!("{usage}");
            return 2;
        }
    };
    let corpus = std::env::args_os()
        .nth(3)
        .map(PathBuf::from)
        .or_else(jailwright_compat::find_corpus)
        .unwrap_or_else(|| PathBuf::from("../shared/corpus"));
    let written = std::env::current_exe().and_then(|me| outputs::write(&me, &corpus, &out));
    match written {
        Ok(n) => {
            println!("outputs: {n} files written under {}", out.display());
            0
        }
        Err(e) => {
            eprintln!("outputs: {e}");
            2
        }
    }
}
