//! Fixes: the edits a fixable finding carries, and how they are applied
//! to a file's text (`lint --fix`, `lint --diff`). Pure: the CLI reads and
//! writes the files.

use super::Diagnostic;
use serde::Serialize;
use std::collections::BTreeMap;

/// Replace the bytes `start..end` of the finding's file with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Edit {
    pub fn delete(start: usize, end: usize) -> Edit {
        Edit::replace(start, end, "")
    }

    pub fn replace(start: usize, end: usize, replacement: impl Into<String>) -> Edit {
        Edit {
            start,
            end,
            replacement: replacement.into(),
        }
    }
}

/// `text` with the fixes of `diagnostics` that concern `file` applied, and
/// how many findings were fixed. A finding whose edits overlap one taken
/// already is left for the next pass (its edits are all or nothing); the
/// same edit twice is made once.
pub fn apply(text: &str, file: &str, diagnostics: &[Diagnostic]) -> (String, usize) {
    // The edits taken so far, by (start, end): they never overlap.
    let mut taken: BTreeMap<(usize, usize), &Edit> = BTreeMap::new();
    let mut fixed = 0;
    for d in diagnostics.iter().filter(|d| d.span.file == file) {
        if d.fix.is_empty() {
            continue;
        }
        let fresh: Vec<&Edit> = d
            .fix
            .iter()
            .filter(|e| taken.get(&(e.start, e.end)) != Some(e))
            .collect();
        let fits = fresh.iter().all(|e| {
            e.start <= e.end
                && e.end <= text.len()
                && text.is_char_boundary(e.start)
                && text.is_char_boundary(e.end)
                && !clashes(&taken, e)
        }) && !overlap_among(&fresh);
        if fits {
            for e in fresh {
                taken.insert((e.start, e.end), e);
            }
            fixed += 1;
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken.into_values() {
        out.push_str(&text[at..e.start]);
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(&text[at..]);
    (out, fixed)
}

/// Whether `e` overlaps an edit taken: as those never overlap, only the
/// last one starting at or before it and the first one starting after it
/// can.
fn clashes(taken: &BTreeMap<(usize, usize), &Edit>, e: &Edit) -> bool {
    let before = taken.range(..=(e.start, usize::MAX)).next_back();
    let after = taken.range((e.start, 0)..).next();
    before.into_iter().chain(after).any(|(_, t)| overlaps(t, e))
}

/// Whether a finding's own edits overlap one another.
fn overlap_among(edits: &[&Edit]) -> bool {
    let mut sorted: Vec<&&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    sorted.windows(2).any(|w| overlaps(w[0], w[1]))
}

/// How many times a file is fixed and read again at most.
const MAX_PASSES: usize = 64;

/// Rules whose fix changes how the lines after it read: a backslash that
/// continues again once the blanks (JW106) or the carriage returns (JW102)
/// after it are gone.
const RESHAPING: &[&str] = &["JW102", "JW106"];

/// One template file's text with every fixable finding `keep` accepts
/// fixed, and how many were fixed. Findings are fixed in file order up to
/// the first one whose fix reshapes the lines after it; then the file is
/// read again, so no fix is made on a stale reading.
pub fn fix_file(
    dialect: crate::ir::Dialect,
    name: &str,
    text: &str,
    keep: &dyn Fn(&Diagnostic) -> bool,
) -> (String, usize) {
    let mut text = text.to_string();
    let mut fixed = 0;
    for _ in 0..MAX_PASSES {
        let Ok(doc) = crate::dialect::parse_bytes(
            std::path::Path::new(name),
            text.as_bytes(),
            Some(dialect),
            &crate::dialect::Bindings::default(),
        ) else {
            break;
        };
        let mut found: Vec<Diagnostic> = super::lint(&doc)
            .into_iter()
            .filter(|d| !d.fix.is_empty() && d.span.file == name && keep(d))
            .collect();
        found.sort_by_key(|d| d.span.start);
        if let Some(at) = found.iter().position(|d| RESHAPING.contains(&d.code)) {
            found.truncate(at + 1);
        }
        let (next, count) = apply(&text, name, &found);
        if count == 0 || next == text {
            break;
        }
        text = next;
        fixed += count;
    }
    (text, fixed)
}

/// Two edits touch the same bytes (two insertions at one place count too:
/// their order would be a guess).
fn overlaps(a: &Edit, b: &Edit) -> bool {
    if a.start == a.end || b.start == b.end {
        return a.start == b.start || (a.start < b.end && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Span;
    use crate::lint::Severity;

    fn finding(file: &str, fix: Vec<Edit>) -> Diagnostic {
        Diagnostic {
            code: "JW102",
            rule: "crlf-line-endings",
            severity: Severity::Error,
            message: String::new(),
            help: None,
            shellcheck_code: None,
            fix,
            opt_in: false,
            span: Span {
                file: file.into(),
                ..Span::default()
            },
        }
    }

    #[test]
    fn edits_apply_in_order_and_overlapping_ones_wait() {
        let text = "a\r\nb \\ \r\n";
        let crlf = finding("F", vec![Edit::delete(1, 2), Edit::delete(7, 8)]);
        let blank = finding("F", vec![Edit::delete(6, 8)]);
        let other = finding("G", vec![Edit::delete(0, 1)]);
        let (out, n) = apply(text, "F", &[crlf, blank, other]);
        assert_eq!((out.as_str(), n), ("a\nb \\ \n", 1));
        let same = finding("F", vec![Edit::delete(1, 2)]);
        let (out, n) = apply("a\r\n", "F", &[same.clone(), same]);
        assert_eq!((out.as_str(), n), ("a\n", 2), "one edit made once");
    }
}
