//! Conversions over the corpus: every template printed in its own dialect
//! (round trip and fmt idempotence), and converted to each other dialect
//! and back (A → B → A keeps every effect B could hold), with the losses
//! counted per code.

use crate::{DIALECTS, corpus_dir, relative, units};
use jailwright::convert::{self, meaning, ops};
use jailwright::dialect::{self, Bindings};
use jailwright::document::Document;
use jailwright::ir::Dialect;
use jailwright::lint::{Diagnostic, Severity};
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[derive(Debug, Default)]
pub struct Direction {
    pub templates: usize,
    /// Converted with no loss at all.
    pub lossless: usize,
    pub losses: BTreeMap<String, usize>,
    /// Templates whose input lints without an error or a warning.
    pub clean_in: usize,
    /// Of those, the ones whose output lints without one too.
    pub clean_out: usize,
    /// Error and warning codes found in outputs of clean inputs, with
    /// their counts.
    pub added_errors: BTreeMap<String, usize>,
    /// Comment lines in pot command files (pot reads them as commands).
    pub pot_comments: usize,
    /// Conversions whose output has an error-level finding its input has
    /// not (`template: codes`).
    pub errors_added: Vec<String>,
    /// Templates whose plan and the converted one's were compared.
    pub planned: usize,
    /// What the source's plan does to the jail (carried without loss) and
    /// the converted template's plan does not, by kind of effect.
    pub effects_missing: BTreeMap<String, usize>,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Per dialect: files printed and read again with the same meaning.
    pub round_trips: BTreeMap<String, usize>,
    /// Per dialect: files fmt changes (and keeps the meaning of).
    pub reformatted: BTreeMap<String, usize>,
    /// Per dialect: templates that are directories (legacy Bastille hook
    /// files) or not UTF-8, which have no single text to print.
    pub not_printed: BTreeMap<String, usize>,
    pub directions: BTreeMap<(String, String), Direction>,
    pub failures: Vec<String>,
}

fn dialect_of(name: &str) -> Dialect {
    match name {
        "bastille" => Dialect::Bastille,
        "makejail" => Dialect::Makejail,
        _ => Dialect::Pot,
    }
}

fn load(template: &Path, dialect: Dialect) -> Result<Document, String> {
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    match dialect {
        Dialect::Pot => dialect::pot::load_flavours(&[template.to_path_buf()]),
        _ => dialect::load_expanded(template, None, &bindings),
    }
    .map_err(|e| e.to_string())
}

/// The template read as `jailwright lint` reads it.
fn load_plain(template: &Path, dialect: Dialect) -> Result<Document, String> {
    match dialect {
        Dialect::Pot => dialect::pot::load_flavours(&[template.to_path_buf()]),
        _ => dialect::load_expanded(template, None, &Bindings::default()),
    }
    .map_err(|e| e.to_string())
}

/// An error or a warning: what a clean template has none of.
fn alarming(d: &Diagnostic) -> bool {
    matches!(d.severity, Severity::Error | Severity::Warning)
}

fn has_error(found: &[Diagnostic]) -> bool {
    found.iter().any(alarming)
}

/// Lints a conversion as its user would: written to a directory with the
/// files it carries, read back from there, every rule but ShellCheck; and
/// plans it for a jail (`None`: it cannot be read for a plan).
fn examine_output(
    conversion: &convert::Conversion,
    source_dir: &Path,
    flavour: &str,
) -> Result<(Vec<Diagnostic>, Option<Vec<crate::effects::Effect>>), String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "jw-compat-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    // (a fresh directory: one already there, or a link, is refused)
    std::fs::create_dir(&dir).map_err(io)?;
    let result = (|| {
        for file in &conversion.files {
            std::fs::write(dir.join(&file.path), &file.text).map_err(io)?;
        }
        let root = jailwright::files::root::Root::open(&dir).map_err(io)?;
        for carried in &conversion.carried {
            let from = source_dir.join(&carried.from);
            if from.exists() {
                jailwright::files::copy::copy_in(&root, &from, &carried.to, true).map_err(io)?;
            }
        }
        let main = dir.join(&conversion.files[0].path);
        let doc = match conversion.dialect {
            Dialect::Pot => dialect::pot::load_flavours(std::slice::from_ref(&main)),
            d => dialect::load_expanded(&main, Some(d), &Bindings::default()),
        }
        .map_err(|e| format!("{flavour}: converted output unreadable: {e}"))?;
        let effects = crate::effects::of_template(&main, conversion.dialect).ok();
        Ok((jailwright::lint::lint(&doc), effects))
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// `skip_meaning`: templates the manager itself fails on (the compat
/// suite's expected failures): converted, but not held to A → B → A.
pub fn run(corpus: &Path, skip_meaning: &BTreeSet<String>) -> Report {
    let mut report = Report::default();
    for name in DIALECTS {
        let from = dialect_of(name);
        let root = corpus.join(corpus_dir(name));
        for template in units(name, &root) {
            let rel = relative(corpus, &template);
            let strict = !skip_meaning.contains(&rel);
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                check(&mut report, &template, from, name, strict)
            }));
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(why)) => report.failures.push(format!("{rel}: {why}")),
                Err(_) => report
                    .failures
                    .push(format!("{rel}: convert or fmt panicked")),
            }
        }
    }
    report
}

fn check(
    report: &mut Report,
    template: &Path,
    from: Dialect,
    name: &str,
    strict: bool,
) -> Result<(), String> {
    let doc = load(template, from)?;
    // Round trip and fmt: each file of the template in its own dialect.
    let source = &doc.sources[0];
    if template.is_dir() || source.lossy {
        *report.not_printed.entry(name.to_string()).or_default() += 1;
    } else {
        {
            let path = source.path.display().to_string();
            let once = jailwright::format::format(from, &path, &source.text);
            if !jailwright::format::same_meaning(from, &path, &source.text, &once) {
                return Err("printed in its own dialect, it reads differently".into());
            }
            if jailwright::format::format(from, &path, &once) != once {
                return Err("fmt is not idempotent".into());
            }
            *report.round_trips.entry(name.to_string()).or_default() += 1;
            if once != source.text {
                *report.reformatted.entry(name.to_string()).or_default() += 1;
            }
        }
    }
    let source_findings = jailwright::lint::lint(&load_plain(template, from)?);
    let clean_in = !has_error(&source_findings);
    // What the source's plan does (a directory of legacy hooks has none).
    let planned = (!template.is_dir())
        .then(|| crate::effects::of_template(template, from).ok())
        .flatten();
    let flavour = template.file_name().map_or("flavour".into(), |n| {
        n.to_string_lossy().trim_end_matches(".sh").to_string()
    });
    for to_name in DIALECTS.iter().filter(|d| **d != name) {
        let to = dialect_of(to_name);
        let dir = doc.sources[0].dir();
        let is_dir = jailwright::output::source_is_dir(&dir);
        let there = convert::convert(&doc, to, &flavour, &is_dir);
        let direction = report
            .directions
            .entry((name.to_string(), to_name.to_string()))
            .or_default();
        direction.templates += 1;
        if there.losses.is_empty() {
            direction.lossless += 1;
        }
        let (found, effects) = examine_output(&there, &doc.sources[0].dir(), &flavour)?;
        if let (Some(source), Some(converted)) = (&planned, &effects)
            && strict
        {
            direction.planned += 1;
            let lossy: BTreeSet<(String, usize)> = there
                .losses
                .iter()
                .map(|l| (l.span.file.clone(), l.span.line))
                .collect();
            let done: BTreeSet<&String> = converted.iter().map(|(_, e)| e).collect();
            // Only bastille mounts as a step of the template.
            let comparable = |e: &str| to == Dialect::Bastille || !e.starts_with("mount ");
            for (at, effect) in source {
                if !lossy.contains(at) && !done.contains(effect) && comparable(effect) {
                    let kind = effect.split(' ').next().unwrap_or_default().to_string();
                    *direction.effects_missing.entry(kind).or_default() += 1;
                    if std::env::var_os("JAILWRIGHT_COMPAT_DEBUG").is_some() {
                        eprintln!(
                            "{} -> {to_name}: plan misses `{effect}` (line {})",
                            template.display(),
                            at.1
                        );
                    }
                }
            }
        }
        let errors_in = |found: &[Diagnostic]| -> BTreeSet<&'static str> {
            found
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.code)
                .collect()
        };
        let added: Vec<&str> = errors_in(&found)
            .difference(&errors_in(&source_findings))
            .copied()
            .collect();
        if !added.is_empty() {
            direction
                .errors_added
                .push(format!("{}: {}", template.display(), added.join(" ")));
        }
        if to == Dialect::Pot {
            direction.pot_comments += there.files[0]
                .text
                .lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count();
        }
        if clean_in {
            direction.clean_in += 1;
            let errors: BTreeSet<&str> = found
                .iter()
                .filter(|d| alarming(d))
                .map(|d| d.code)
                .collect();
            if errors.is_empty() {
                direction.clean_out += 1;
            }
            for code in errors {
                *direction.added_errors.entry(code.to_string()).or_default() += 1;
                if std::env::var_os("JAILWRIGHT_COMPAT_DEBUG").is_some() {
                    eprintln!("{} -> {to_name}: {code}", template.display());
                }
            }
        }
        for lost in &there.losses {
            *direction
                .losses
                .entry(lost.loss.code.to_string())
                .or_default() += 1;
        }
        // A → B → A: every effect carried without loss is still there, in
        // order.
        let b = convert::read_back(&there);
        let back = convert::convert(&b, from, &flavour, &is_dir);
        let again = convert::read_back(&back);
        let lossy: BTreeSet<(String, usize)> = there
            .losses
            .iter()
            .map(|l| (l.span.file.clone(), l.span.line))
            .collect();
        let kept: Vec<jailwright::convert::op::Located> = ops::operations(&doc)
            .into_iter()
            .filter(|o| !lossy.contains(&(o.span.file.clone(), o.span.line)))
            .collect();
        let expected = meaning::effects_of(&kept);
        let found = meaning::effects_with(&again, &back.files);
        if let Some(missing) = first_missing(&expected, &found).filter(|_| strict) {
            if std::env::var_os("JAILWRIGHT_COMPAT_DEBUG").is_some() {
                eprintln!(
                    "--- {}\n{}\n--- back\n{}\n--- expected\n{}\n--- found\n{}",
                    template.display(),
                    there.files[0].text,
                    back.files[0].text,
                    expected.join("\n"),
                    found.join("\n")
                );
            }
            return Err(format!("{name} -> {to_name} -> {name} loses `{missing}`"));
        }
    }
    Ok(())
}

/// The first of `expected` that is not found in `found`: in order, except
/// for what some manager hoists or applies at start whatever its place
/// (ARG, port redirections, mounts, start at boot, jail parameters),
/// which only has to be there.
fn first_missing<'a>(expected: &'a [String], found: &[String]) -> Option<&'a str> {
    let unordered = |e: &String| {
        let effect = e.split_once("] ").map_or(e.as_str(), |(_, rest)| rest);
        ["arg ", "rdr ", "mount ", "boot ", "param "]
            .iter()
            .any(|p| effect.starts_with(p))
    };
    if let Some(missing) = expected
        .iter()
        .filter(|e| unordered(e))
        .find(|e| !found.contains(e))
    {
        return Some(missing);
    }
    let mut rest = found.iter().filter(|f| !unordered(f));
    expected
        .iter()
        .filter(|e| !unordered(e))
        .find(|e| !rest.any(|f| f == *e))
        .map(String::as_str)
}
