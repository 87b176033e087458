//! How lint findings are printed: miette's graphical report for people,
//! JSON for machines, and the formats CI tools read (SARIF, GitHub
//! annotations, checkstyle XML, GNU).

mod checkstyle;
mod github;
mod gnu;
mod sarif;

use super::indexed::IndexedSource;
pub use checkstyle::checkstyle;
pub use github::github;
pub use gnu::gnu;
pub use sarif::sarif;

use super::{Diagnostic, Severity, diagnostic::Rendered};
use crate::document::Document;
use std::collections::HashMap;

/// One linted template and what was found in it.
pub struct FileResult {
    pub doc: Document,
    pub diagnostics: Vec<Diagnostic>,
}

/// Counts by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub templates: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn summary(results: &[FileResult]) -> Summary {
    let mut s = Summary {
        templates: results.len(),
        ..Summary::default()
    };
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        match d.severity {
            Severity::Error => s.errors += 1,
            Severity::Warning => s.warnings += 1,
            Severity::Info => s.infos += 1,
        }
    }
    s
}

pub fn json(results: &[FileResult]) -> String {
    let report = JsonReport {
        diagnostics: Sorted(results),
        summary: Sorted(summary(results)),
    };
    let mut out = serde_json::to_string_pretty(&report).expect("JSON values always serialize");
    out.push('\n');
    out
}

/// `lint --format json`: its keys in sorted order.
#[derive(serde::Serialize)]
struct JsonReport<'r> {
    diagnostics: Sorted<&'r [FileResult]>,
    summary: Sorted<Summary>,
}

/// A value serialized with its keys in sorted order (as a JSON object's
/// keys always were), one diagnostic at a time: never the whole report as
/// a tree of values.
struct Sorted<T>(T);

impl serde::Serialize for Sorted<&[FileResult]> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(None)?;
        for d in self.0.iter().flat_map(|r| &r.diagnostics) {
            seq.serialize_element(&serde_json::to_value(d).map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

impl serde::Serialize for Sorted<Summary> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error;
        serde_json::to_value(self.0)
            .map_err(S::Error::custom)?
            .serialize(serializer)
    }
}

/// How text output looks where it goes: colour, and Unicode or ASCII
/// drawing (the CLI decides from `--color`, NO_COLOR, TERM and the locale).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    pub color: bool,
    pub unicode: bool,
}

impl Look {
    /// Plain text: no colour, ASCII (what tests and logs compare).
    pub const PLAIN: Look = Look {
        color: false,
        unicode: false,
    };

    fn theme(self) -> miette::GraphicalTheme {
        miette::GraphicalTheme {
            characters: if self.unicode {
                miette::ThemeCharacters::unicode()
            } else {
                miette::ThemeCharacters::ascii()
            },
            styles: if self.color {
                miette::ThemeStyles::ansi()
            } else {
                miette::ThemeStyles::none()
            },
        }
    }
}

/// The first line of a finding in text output: where, the severity word,
/// the code and the rule (`grep ': error '` finds every error in a log).
pub fn headline(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {} {} ({})",
        d.span.file, d.span.line, d.span.column, d.severity, d.code, d.rule
    )
}

/// miette's graphical report of every finding, each under its headline,
/// then a summary line.
pub fn text(results: &[FileResult], look: Look) -> String {
    let mut out = findings_text(results, look);
    let s = summary(results);
    out.push_str(&format!(
        "{} template(s): {} error(s), {} warning(s), {} info(s)\n",
        s.templates, s.errors, s.warnings, s.infos
    ));
    out
}

/// The findings of `text`, without the summary line (`lint -q`).
pub fn findings_text(results: &[FileResult], look: Look) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(look.theme()).with_width(100);
    let mut out = String::new();
    for result in results {
        // Each file's text indexed once and shared by all its findings.
        let mut indexed: HashMap<&str, IndexedSource> = HashMap::new();
        for d in &result.diagnostics {
            let source = indexed
                .entry(d.span.file.as_str())
                .or_insert_with(|| {
                    let text = result
                        .doc
                        .sources
                        .iter()
                        .find(|s| s.name == d.span.file)
                        .map_or("", |s| s.text.as_str());
                    IndexedSource::new(&printable(text, look.unicode))
                })
                .clone();
            // What a template holds reaches the terminal only as
            // printable text (an escape sequence in a hostile template
            // would drive it).
            let d = &Diagnostic {
                message: printable(&d.message, look.unicode),
                help: d.help.as_deref().map(|h| printable(h, look.unicode)),
                opt_in: false,
                span: crate::ir::Span {
                    file: printable(&d.span.file, look.unicode),
                    ..d.span.clone()
                },
                ..d.clone()
            };
            let rendered = Rendered {
                diagnostic: d,
                source: miette::NamedSource::new(&d.span.file, source),
            };
            out.push_str(&headline(d));
            out.push('\n');
            if handler.render_report(&mut out, &rendered).is_err() {
                out.push_str(&format!("  {} {}: {}\n", d.severity, d.code, d.message));
            }
            out.push('\n');
        }
    }
    out
}

/// `text` with what a terminal would act on or hide replaced by `?`, byte
/// for byte (spans stay where they were): control characters but newline
/// and tab (escape sequences, carriage returns), the invisible marks that
/// reorder or hide text (bidirectional overrides, zero-width characters, a
/// byte order mark), and, for an ASCII terminal, anything not ASCII.
pub fn printable(text: &str, unicode: bool) -> String {
    let hidden = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}');
    if text.chars().all(|c| {
        (!c.is_control() || c == '\n' || c == '\t') && !hidden(c) && (unicode || c.is_ascii())
    }) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let shown =
            (!c.is_control() || c == '\n' || c == '\t') && !hidden(c) && (unicode || c.is_ascii());
        if shown {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        }
    }
    out
}

/// Where a finding ends: (line, column), 1-based, the column just after
/// its last character (at least its start).
fn end_of(result: &FileResult, d: &Diagnostic) -> (usize, usize) {
    let end = result
        .doc
        .sources
        .iter()
        .find(|s| s.name == d.span.file)
        .map(|s| s.line_col(d.span.end.max(d.span.start)));
    match end {
        Some((line, column)) if (line, column) >= (d.span.line, d.span.column) => (line, column),
        _ => (d.span.line, d.span.column),
    }
}
