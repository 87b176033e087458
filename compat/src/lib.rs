//! The compat suite: every template of a corpus of real upstream templates
//! is read, printed as JSON and linted. A template fails when jailwright
//! panics or cannot read it, or when lint reports an error that is not in
//! `expected-failures.tsv`, where each entry says why the manager itself
//! would fail on that file. An expected failure that no longer fails is a
//! failure too, so the list stays true.

pub mod conversions;
pub mod differential;
pub mod effects;
pub mod outputs;
pub mod precision;

use jailwright::dialect::{self, Bindings};
use jailwright::lint::{self, Severity};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// One line of expected-failures.tsv: the error codes lint must report for
/// a corpus path, and why.
#[derive(Debug, Clone)]
pub struct Expected {
    pub codes: Vec<String>,
    pub reason: String,
}

/// Where the upstream corpus is: `$JAILWRIGHT_CORPUS`, else
/// `../shared/corpus` beside the project. `None` when neither is a
/// directory (`compat/fetch-corpus DIR` fetches it from the upstream
/// repositories at their pinned commits).
pub fn find_corpus() -> Option<PathBuf> {
    find_shared("JAILWRIGHT_CORPUS", "corpus")
}

/// Where the managers' pinned shell code is (the differential test):
/// `$JAILWRIGHT_UPSTREAM`, else `../shared/upstream` beside the project.
pub fn find_upstream() -> Option<PathBuf> {
    find_shared("JAILWRIGHT_UPSTREAM", "upstream")
}

/// The directory `$VARIABLE` names, else `../shared/NAME` beside the
/// project, when it is one.
fn find_shared(variable: &str, name: &str) -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared")
        .join(name);
    std::env::var_os(variable)
        .map(PathBuf::from)
        .into_iter()
        .chain([beside])
        .find(|dir| dir.is_dir())
}

/// What to do when the corpus is missing.
pub const HOW_TO_GET_THE_CORPUS: &str = "the upstream template corpus was not found: set JAILWRIGHT_CORPUS=DIR, or fetch it with `compat/fetch-corpus DIR` (it clones the repositories listed in compat/corpus-sources at their pinned commits)";

/// Reads `path<TAB>codes<TAB>reason` lines (codes separated by commas).
pub fn parse_expected(text: &str) -> BTreeMap<String, Expected> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        // The differential test's expectations (differential/MANAGER rows).
        .filter(|l| !l.starts_with("differential/"))
        .filter_map(|l| {
            let mut cols = l.splitn(3, '\t');
            let path = cols.next()?.to_string();
            let codes = cols
                .next()?
                .split(',')
                .map(|c| c.trim().to_string())
                .collect();
            let reason = cols.next().unwrap_or_default().to_string();
            Some((path, Expected { codes, reason }))
        })
        .collect()
}

pub fn expected_failures() -> BTreeMap<String, Expected> {
    parse_expected(include_str!("../expected-failures.tsv"))
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub passed: usize,
    pub failures: Vec<String>,
    /// Templates read per dialect directory.
    pub per_dialect: BTreeMap<String, usize>,
    /// Makejails read again with their local includes flattened.
    pub expanded: usize,
}

/// The dialect directories of the corpus this build can read.
pub const DIALECTS: [&str; 3] = ["bastille", "makejail", "pot"];

/// The corpus directory of a dialect.
pub fn corpus_dir(dialect: &str) -> &str {
    match dialect {
        "makejail" => "appjail",
        other => other,
    }
}

/// The files SOURCES.tsv gives a role among `roles`.
pub fn with_role(root: &Path, roles: &[&str]) -> Vec<String> {
    let Ok(tsv) = std::fs::read_to_string(root.join("SOURCES.tsv")) else {
        return Vec::new();
    };
    let mut rows = tsv.lines().map(|l| l.split('\t').collect::<Vec<_>>());
    let Some(header) = rows.next() else {
        return Vec::new();
    };
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(file), Some(role)) = (column("local_file"), column("role")) else {
        return Vec::new();
    };
    rows.filter(|r| r.get(role).is_some_and(|x| roles.contains(x)))
        .filter_map(|r| r.get(file).map(|f| f.to_string()))
        .collect()
}

/// The templates of a dialect's corpus directory. Makejail generators
/// (role `template`) are left out. A pot flavour is its command file, or
/// its script when it has no command file (pot's `-f NAME` finds either).
pub fn units(dialect_name: &str, root: &Path) -> Vec<PathBuf> {
    if dialect_name == "pot" {
        let commands = with_role(root, &["flavour-cmd"]);
        let mut units: Vec<PathBuf> = commands.iter().map(|c| root.join(c)).collect();
        for script in with_role(root, &["flavour-script"]) {
            let stem = script.trim_end_matches(".sh");
            if !commands.iter().any(|c| c == stem) {
                units.push(root.join(&script));
            }
        }
        if !units.is_empty() {
            units.sort();
            return units;
        }
    }
    let generators = with_role(root, &["template"]);
    dialect::discover(root)
        .into_iter()
        .filter(|t| !generators.contains(&relative(root, t)))
        .collect()
}

/// Runs every template under `corpus`.
pub fn run(corpus: &Path) -> Outcome {
    let expected = expected_failures();
    let mut outcome = Outcome::default();
    let mut seen = Vec::new();
    for dialect_name in DIALECTS {
        let root = corpus.join(corpus_dir(dialect_name));
        let forced = (dialect_name == "pot").then_some(jailwright::ir::Dialect::Pot);
        for template in units(dialect_name, &root) {
            let rel = relative(corpus, &template);
            *outcome
                .per_dialect
                .entry(dialect_name.to_string())
                .or_default() += 1;
            seen.push(rel.clone());
            let mut result = check(&template, forced, expected.get(&rel));
            if dialect_name == "makejail" && result.is_ok() {
                result = check_expanded(&template);
                outcome.expanded += 1;
            }
            match result {
                Ok(()) => outcome.passed += 1,
                Err(why) => outcome.failures.push(format!("{rel}: {why}")),
            }
        }
    }
    for path in expected.keys().filter(|p| !seen.contains(p)) {
        outcome.failures.push(format!(
            "{path}: listed in expected-failures.tsv but not in the corpus"
        ));
    }
    outcome
}

/// `parse --expand-includes`: every local include must resolve.
fn check_expanded(template: &Path) -> Result<(), String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        dialect::load_expanded(template, None, &Bindings::default()).map_err(|e| e.to_string())
    }));
    let doc = match result {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(format!("--expand-includes cannot read it: {e}")),
        Err(_) => return Err("--expand-includes panicked".into()),
    };
    match doc
        .problems
        .iter()
        .find(|p| p.kind == jailwright::document::ProblemKind::Include)
    {
        Some(p) => Err(format!("--expand-includes: {}", p.message)),
        None => Ok(()),
    }
}

pub fn relative(corpus: &Path, path: &Path) -> String {
    path.strip_prefix(corpus)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn check(
    template: &Path,
    forced: Option<jailwright::ir::Dialect>,
    expected: Option<&Expected>,
) -> Result<(), String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let doc =
            dialect::load(template, forced, &Bindings::default()).map_err(|e| e.to_string())?;
        let json = jailwright::inspect::json(&doc.template);
        if !json.contains("\"steps\"") {
            return Err("parse --format json printed no steps".to_string());
        }
        Ok(lint::lint(&doc))
    }));
    let diagnostics = match result {
        Ok(Ok(d)) => d,
        Ok(Err(e)) => return Err(format!("cannot be read: {e}")),
        Err(_) => return Err("jailwright panicked".to_string()),
    };
    let mut errors: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code)
        .collect();
    errors.sort();
    errors.dedup();
    match expected {
        None if errors.is_empty() => Ok(()),
        None => {
            let first = diagnostics
                .iter()
                .find(|d| d.severity == Severity::Error)
                .expect("errors is not empty");
            Err(format!(
                "lint error {} at line {}: {}",
                errors.join(","),
                first.span.line,
                first.message
            ))
        }
        Some(exp)
            if exp
                .codes
                .iter()
                .map(String::as_str)
                .eq(errors.iter().copied()) =>
        {
            Ok(())
        }
        Some(exp) => Err(format!(
            "expected lint errors {} ({}), found [{}]",
            exp.codes.join(","),
            exp.reason,
            errors.join(",")
        )),
    }
}
