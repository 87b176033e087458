//! Lint precision, measured two ways:
//!
//! - **The lint cases** (`../shared/lint-cases`, `$JAILWRIGHT_LINT_CASES`):
//!   small templates where lint was wrong, each with what must and must not
//!   be reported (`CASES.tsv`: `no JW201`, `no SC2016`, `no JW911 suggesting
//!   SERVICE tcsd start`, `a finding on line 2`, `findings on lines 1 and
//!   3`).
//! - **The labelled set** (`tests/lint-labels/*.tsv`): the findings lint
//!   makes over the corpus, each read against the managers' code and marked
//!   `true` (a real problem), `false` (a false alarm lint no longer makes:
//!   it must not come back), `open` (a false alarm lint still makes),
//!   `style` (right, but a matter of taste) or `artefact` (right about the
//!   corpus copy, which lacks files its repository has). The gate fails
//!   when a `false` finding comes back, a `true` one disappears, an `open`
//!   one is gone (relabel it `false`), or a finding has no label; it
//!   reports precision per rule:
//!   true / (true + false + open).
//!
//! Reading and comparing are pure; the caller runs lint (`lint_json`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One finding as the gate sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Relative to the directory lint ran in.
    pub file: String,
    pub line: usize,
    /// The rule's code; for ShellCheck's `JW901:SC2086`.
    pub code: String,
    pub text: String,
}

/// The findings of `jailwright lint --format json`, files relative to
/// `base` (as lint printed them, with a leading `./` dropped).
pub fn findings(json: &str) -> Result<Vec<Finding>, String> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("lint's JSON: {e}"))?;
    let list = value["diagnostics"]
        .as_array()
        .ok_or("lint's JSON has no diagnostics")?;
    Ok(list
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or("").to_string();
            let file = text("file");
            let mut code = text("code");
            if let Some(sc) = d["shellcheck_code"].as_str() {
                code = format!("{code}:{sc}");
            }
            Finding {
                file: file.strip_prefix("./").unwrap_or(&file).to_string(),
                line: d["line"].as_u64().unwrap_or(0) as usize,
                code,
                text: format!("{} {}", text("message"), text("help")),
            }
        })
        .collect())
}

/// Runs `exe ARGS... lint --format json EXTRA... DIR` in `dir`'s parent
/// (so files are named from `dir` on) with ShellCheck's cache in `cache`.
pub fn lint_json(
    exe: &Path,
    prefix: &[&str],
    extra: &[&str],
    dir: &Path,
    cache: &Path,
) -> Result<String, String> {
    let out = std::process::Command::new(exe)
        .args(prefix)
        .args(["lint", "--format", "json", "--failure-threshold", "none"])
        .args(extra)
        .arg(".")
        .current_dir(dir)
        .env("XDG_CACHE_HOME", cache)
        .output()
        .map_err(|e| format!("{}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!(
            "lint of {} exited {}: {}",
            dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("lint's output: {e}"))
}

/// Selectors that turn on every opt-in finding the labels judge: the
/// opt-in rules, and ShellCheck's warnings that are opt-in as style
/// (ShellCheck's info and style levels are not labelled).
pub fn opt_in_selectors() -> String {
    let rules = jailwright::lint::rules::ALL
        .iter()
        .filter(|r| r.opt_in)
        .map(|r| r.code.to_string());
    let shellcheck = jailwright::lint::shellcheck_script::STYLE_CODES
        .iter()
        .map(|c| format!("SC{c}"));
    rules.chain(shellcheck).collect::<Vec<_>>().join(",")
}

/// What a lint case expects (the `expect` column of CASES.tsv).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// No finding of these codes (`JW201`, or ShellCheck's `SC2016`), or
    /// none whose text contains `suggesting`.
    No {
        codes: Vec<String>,
        suggesting: Option<String>,
    },
    /// No finding at all (`no finding`), or none on these lines (`no
    /// finding on line 3`).
    Nothing(Vec<usize>),
    /// A finding on each of these lines (of this code, when one is named:
    /// `a JW311 finding on line 2`).
    OnLines(Vec<usize>, Option<String>),
}

fn is_code(word: &str) -> bool {
    word.len() > 2
        && (word.starts_with("JW") || word.starts_with("SC"))
        && word[2..].bytes().all(|b| b.is_ascii_digit())
}

/// The line numbers of `1`, `1 and 3`, `1, 3 and 5`.
fn line_numbers(text: &str, whole: &str) -> Result<Vec<usize>, String> {
    let numbers: Result<Vec<usize>, _> = text
        .split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "and")
        .map(str::parse)
        .collect();
    match numbers {
        Ok(n) if !n.is_empty() => Ok(n),
        _ => Err(format!("expectation `{whole}`: no line numbers")),
    }
}

/// Reads an expectation; one this reader does not know is an error (a new
/// form of case must be taught here, never silently passed). A closing
/// parenthesis remark (`(JW311)`) is commentary.
pub fn parse_expect(text: &str) -> Result<Expect, String> {
    let whole = text.trim();
    let text = match whole.rfind(" (") {
        Some(at) if whole.ends_with(')') => whole[..at].trim(),
        _ => whole,
    };
    if text == "no finding" || text == "no findings" {
        return Ok(Expect::Nothing(Vec::new()));
    }
    if let Some(lines) = text
        .strip_prefix("no finding on line ")
        .or_else(|| text.strip_prefix("no findings on lines "))
    {
        return Ok(Expect::Nothing(line_numbers(lines, whole)?));
    }
    if let Some(rest) = text.strip_prefix("no ") {
        let (codes, suggesting) = match rest.split_once(" suggesting ") {
            Some((codes, what)) => (codes.trim(), Some(what.trim().to_string())),
            None => (rest.trim(), None),
        };
        let codes: Vec<String> = codes
            .split([',', ' '])
            .filter(|w| !w.is_empty() && *w != "or" && *w != "and" && *w != "nor")
            .map(str::to_string)
            .collect();
        return match codes.iter().find(|c| !is_code(c)) {
            None if !codes.is_empty() => Ok(Expect::No { codes, suggesting }),
            Some(bad) => Err(format!("expectation `{whole}`: `{bad}` is not a code")),
            None => Err(format!("expectation `{whole}`: no code")),
        };
    }
    let (code, rest) = match text.strip_prefix("a ").and_then(|r| r.split_once(' ')) {
        Some((code, rest)) if is_code(code) => (Some(code.to_string()), format!("a {rest}")),
        _ => (None, text.to_string()),
    };
    let lines = rest
        .strip_prefix("a finding on line ")
        .or_else(|| rest.strip_prefix("findings on lines "))
        .ok_or_else(|| format!("expectation `{whole}`: not a form this reader knows"))?;
    Ok(Expect::OnLines(line_numbers(lines, whole)?, code))
}

/// Whether `f` is a finding of `code` (a JW code, or ShellCheck's).
fn of_code(f: &Finding, code: &str) -> bool {
    if code.starts_with("SC") {
        f.code.ends_with(&format!(":{code}"))
    } else {
        f.code.split(':').next() == Some(code)
    }
}

/// Whether `findings` (of one case) meet `expect`; what is wrong if not.
pub fn check(expect: &Expect, findings: &[Finding]) -> Result<(), String> {
    match expect {
        Expect::No { codes, suggesting } => {
            let offending = findings.iter().find(|f| {
                codes.iter().any(|c| of_code(f, c))
                    && suggesting
                        .as_ref()
                        .is_none_or(|s| f.text.contains(s.as_str()))
            });
            match offending {
                None => Ok(()),
                Some(f) => Err(format!(
                    "reported {} on line {}: {}",
                    f.code, f.line, f.text
                )),
            }
        }
        Expect::Nothing(lines) => {
            let offending = findings
                .iter()
                .find(|f| lines.is_empty() || lines.contains(&f.line));
            match offending {
                None => Ok(()),
                Some(f) => Err(format!(
                    "reported {} on line {}: {}",
                    f.code, f.line, f.text
                )),
            }
        }
        Expect::OnLines(lines, code) => {
            let missing: Vec<String> = lines
                .iter()
                .filter(|l| {
                    !findings
                        .iter()
                        .any(|f| f.line == **l && code.as_ref().is_none_or(|c| of_code(f, c)))
                })
                .map(ToString::to_string)
                .collect();
            if missing.is_empty() {
                Ok(())
            } else {
                Err(format!("no finding on line {}", missing.join(", ")))
            }
        }
    }
}

/// One case of CASES.tsv.
#[derive(Debug, Clone)]
pub struct Case {
    pub name: String,
    pub expect: String,
    pub why: String,
}

/// Where the lint cases are: `$JAILWRIGHT_LINT_CASES`, else
/// `../shared/lint-cases` beside the project.
pub fn find_lint_cases() -> Option<PathBuf> {
    let dir = std::env::var_os("JAILWRIGHT_LINT_CASES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/lint-cases"));
    dir.join("CASES.tsv").is_file().then_some(dir)
}

/// CASES.tsv's rows (after its header).
pub fn cases(tsv: &str) -> Vec<Case> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut fields = l.split('\t');
            let mut next = || fields.next().unwrap_or("").to_string();
            Case {
                name: next(),
                expect: next(),
                why: next(),
            }
        })
        .collect()
}

/// Runs every lint case; one line per case that fails.
pub fn run_cases(dir: &Path, exe: &Path, prefix: &[&str], cache: &Path) -> (usize, Vec<String>) {
    let tsv = match std::fs::read_to_string(dir.join("CASES.tsv")) {
        Ok(tsv) => tsv,
        Err(e) => return (0, vec![format!("CASES.tsv: {e}")]),
    };
    let all = cases(&tsv);
    let mut failures = Vec::new();
    for case in &all {
        let outcome = parse_expect(&case.expect).and_then(|expect| {
            let json = lint_json(exe, prefix, &[], &dir.join(&case.name), cache)?;
            check(&expect, &findings(&json)?)
        });
        if let Err(e) = outcome {
            failures.push(format!(
                "{}: expected `{}` ({}): {e}",
                case.name, case.expect, case.why
            ));
        }
    }
    (all.len(), failures)
}

/// One label of `tests/lint-labels`.
#[derive(Debug, Clone)]
pub struct Label {
    pub file: String,
    pub line: usize,
    pub code: String,
    pub verdict: Verdict,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    True,
    False,
    Open,
    Style,
    Artefact,
}

/// Every label of the `*.tsv` files in `dir`.
pub fn read_labels(dir: &Path) -> Result<Vec<Label>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut labels = Vec::new();
    for path in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for (n, line) in text.lines().enumerate().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [file, number, code, verdict, reason] = fields[..] else {
                return Err(format!("{}:{}: not 5 fields", path.display(), n + 1));
            };
            let verdict = match verdict {
                "true" => Verdict::True,
                "false" => Verdict::False,
                "open" => Verdict::Open,
                "style" => Verdict::Style,
                "artefact" => Verdict::Artefact,
                other => return Err(format!("{}:{}: verdict `{other}`", path.display(), n + 1)),
            };
            if reason.trim().is_empty() {
                return Err(format!("{}:{}: no reason", path.display(), n + 1));
            }
            labels.push(Label {
                file: file.to_string(),
                line: number
                    .parse()
                    .map_err(|_| format!("{}:{}: line `{number}`", path.display(), n + 1))?,
                code: code.to_string(),
                verdict,
                reason: reason.to_string(),
            });
        }
    }
    Ok(labels)
}

/// Counts of one rule's default findings by verdict.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    pub true_: usize,
    pub false_: usize,
    pub style: usize,
    pub artefact: usize,
}

impl Counts {
    /// true / (true + false), `None` with neither.
    pub fn precision(&self) -> Option<f64> {
        let judged = self.true_ + self.false_;
        (judged > 0).then(|| self.true_ as f64 / judged as f64)
    }

    fn add(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::True => self.true_ += 1,
            Verdict::False | Verdict::Open => self.false_ += 1,
            Verdict::Style => self.style += 1,
            Verdict::Artefact => self.artefact += 1,
        }
    }
}

/// The gate's answer: what fails it, and precision per rule over the
/// default run.
#[derive(Debug, Default)]
pub struct Gate {
    pub failures: Vec<String>,
    pub per_rule: BTreeMap<String, Counts>,
}

type Key = (String, usize, String);

fn key_of(f: &Finding) -> Key {
    (f.file.clone(), f.line, f.code.clone())
}

/// Compares the findings of lint's default run and of a run with every
/// opt-in rule selected (`all`) with the labels.
pub fn gate(labels: &[Label], default: &[Finding], all: &[Finding]) -> Gate {
    let mut by_key: BTreeMap<Key, Vec<&Label>> = BTreeMap::new();
    for label in labels {
        by_key
            .entry((label.file.clone(), label.line, label.code.clone()))
            .or_default()
            .push(label);
    }
    let mut found: BTreeMap<Key, usize> = BTreeMap::new();
    for f in all {
        *found.entry(key_of(f)).or_default() += 1;
    }
    let mut out = Gate::default();
    for (key, count) in &found {
        let labelled = by_key.get(key).map_or(0, Vec::len);
        if *count > labelled {
            out.failures.push(format!(
                "unlabelled: {} finding(s) {} at {}:{} (label them in tests/lint-labels/{}.tsv)",
                count - labelled,
                key.2,
                key.0,
                key.1,
                key.2.split(':').next().unwrap_or("")
            ));
        }
    }
    for (key, labels) in &by_key {
        let count = found.get(key).copied().unwrap_or(0);
        let trues = labels.iter().filter(|l| l.verdict == Verdict::True).count();
        if count > 0 && labels.iter().any(|l| l.verdict == Verdict::False) {
            out.failures.push(format!(
                "a false alarm came back: {} at {}:{} ({})",
                key.2, key.0, key.1, labels[0].reason
            ));
        }
        if count == 0 && labels.iter().any(|l| l.verdict == Verdict::Open) {
            out.failures.push(format!(
                "an open false alarm is gone: {} at {}:{}: relabel it `false` so that it stays gone",
                key.2, key.0, key.1
            ));
        }
        if count < trues {
            out.failures.push(format!(
                "a real problem is no longer reported: {} at {}:{} ({})",
                key.2, key.0, key.1, labels[0].reason
            ));
        }
    }
    // Precision over what the default run reports, each finding with the
    // verdict of its key (the first label when a line has several).
    let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
    for f in default {
        let key = key_of(f);
        let index = seen.entry(key.clone()).or_default();
        if let Some(label) = by_key.get(&key).and_then(|l| l.get(*index).or(l.first())) {
            let rule = f.code.split(':').next().unwrap_or("").to_string();
            out.per_rule.entry(rule).or_default().add(label.verdict);
        }
        *index += 1;
    }
    out
}

/// The per-rule precision table, for people.
pub fn table(gate: &Gate) -> String {
    let mut out = String::from("rule    true false style artefact precision\n");
    let mut total = Counts::default();
    for (rule, c) in &gate.per_rule {
        out.push_str(&row(rule, c));
        total.true_ += c.true_;
        total.false_ += c.false_;
        total.style += c.style;
        total.artefact += c.artefact;
    }
    out.push_str(&row("all", &total));
    out
}

fn row(rule: &str, c: &Counts) -> String {
    let precision = c
        .precision()
        .map_or("-".to_string(), |p| format!("{:.1} %", p * 100.0));
    format!(
        "{rule:<7} {:>4} {:>5} {:>5} {:>8} {precision:>9}\n",
        c.true_, c.false_, c.style, c.artefact
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(line: usize, code: &str, text: &str) -> Finding {
        Finding {
            file: "t".into(),
            line,
            code: code.into(),
            text: text.into(),
        }
    }

    #[test]
    fn expectations_read_and_check() {
        assert_eq!(
            parse_expect("findings on lines 1 and 3"),
            Ok(Expect::OnLines(vec![1, 3], None))
        );
        assert_eq!(
            parse_expect("a JW311 finding on line 2"),
            Ok(Expect::OnLines(vec![2], Some("JW311".into())))
        );
        assert_eq!(
            parse_expect("a finding on line 2 (LIMITS takes one value)"),
            Ok(Expect::OnLines(vec![2], None))
        );
        assert_eq!(parse_expect("no finding"), Ok(Expect::Nothing(vec![])));
        assert_eq!(
            parse_expect("no finding on line 3"),
            Ok(Expect::Nothing(vec![3]))
        );
        let two = parse_expect("no JW201 or SC2016").unwrap();
        assert!(check(&two, &[finding(1, "JW901:SC2016", "")]).is_err());
        assert!(check(&two, &[finding(1, "JW202", "")]).is_ok());
        assert!(check(&Expect::Nothing(vec![3]), &[finding(1, "JW1", "")]).is_ok());
        assert!(check(&Expect::Nothing(vec![]), &[finding(1, "JW1", "")]).is_err());
        assert!(
            check(
                &parse_expect("a JW311 finding on line 2").unwrap(),
                &[finding(2, "JW312", "")]
            )
            .is_err()
        );
        let e = parse_expect("no JW911 suggesting SERVICE tcsd start").unwrap();
        assert!(check(&e, &[finding(2, "JW916", "tcsd")]).is_ok());
        assert!(check(&e, &[finding(2, "JW911", "add SERVICE tcsd start")]).is_err());
        assert!(check(&e, &[finding(2, "JW911", "add SERVICE nginx start")]).is_ok());
        let sc = parse_expect("no SC2016").unwrap();
        assert!(check(&sc, &[finding(2, "JW901:SC2016", "")]).is_err());
        assert!(check(&sc, &[finding(2, "JW901:SC2086", "")]).is_ok());
        assert!(
            check(
                &parse_expect("a finding on line 2").unwrap(),
                &[finding(1, "JW1", "")]
            )
            .is_err()
        );
        assert!(parse_expect("something new").is_err());
        assert!(parse_expect("no nothing").is_err());
    }

    #[test]
    fn the_gate_fails_on_what_came_back_went_away_or_is_unlabelled() {
        let label = |line, code: &str, verdict| Label {
            file: "t".into(),
            line,
            code: code.into(),
            verdict,
            reason: "why".into(),
        };
        let labels = [
            label(1, "JW1", Verdict::True),
            label(2, "JW2", Verdict::False),
            label(3, "JW3", Verdict::True),
        ];
        let now = [
            finding(1, "JW1", ""),
            finding(2, "JW2", ""),
            finding(4, "JW4", ""),
        ];
        let gate = gate(&labels, &now, &now);
        let all = gate.failures.join("\n");
        assert!(all.contains("came back: JW2"), "{all}");
        assert!(all.contains("no longer reported: JW3"), "{all}");
        assert!(all.contains("unlabelled: 1 finding(s) JW4"), "{all}");
        assert_eq!(gate.per_rule["JW1"].precision(), Some(1.0));
        assert_eq!(gate.per_rule["JW2"].precision(), Some(0.0));
    }
}
