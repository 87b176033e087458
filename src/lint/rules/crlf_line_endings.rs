//! JW102: CRLF line endings. The `\r` stays in the last argument (or in the
//! keyword: `RESTART\r` is not a subcommand), so the template fails. A lone
//! `\r` (old Mac line ends) is reported too: it ends no line. The fix
//! removes each `\r` before a newline, but one after a backslash when the
//! next line does not evidently continue it (without the `\r` bastille
//! would join them).

use super::{BASTILLE, meant_to_continue};
use crate::document::{Document, span_of};
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW102",
    name: "crlf-line-endings",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "lines end in CRLF; the carriage return becomes part of the line",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for source in &doc.sources {
        let count = source.text.matches("\r\n").count();
        if let Some(first) = source.text.find("\r\n") {
            // A backslash before the \r would become the last byte and
            // join the next line: that \r stays unless a continuation was
            // evidently meant.
            let text = &source.text;
            let fix = text
                .match_indices("\r\n")
                .filter(|(at, _)| {
                    let line = &text[text[..*at].rfind('\n').map_or(0, |i| i + 1)..*at];
                    let next = text[at + 2..].split('\n').next().filter(|_| at + 2 < text.len());
                    !line.ends_with('\\') || meant_to_continue(line, next)
                })
                .map(|(at, _)| Edit::delete(at, at + 1))
                .collect();
            report.emit_fixed(
                span_of(source, first, first + 1),
                format!("{count} line(s) end in CRLF: bastille keeps the \\r in the keyword or the last argument"),
                "convert the file to LF line endings (e.g. `dos2unix`)",
                fix,
            );
        }
        // A lone \r (old Mac line ends) does not end a line at all: no
        // fix is certain (a line break, or a typo?).
        let text = source.text.as_bytes();
        if let Some(lone) = (0..text.len()).find(|&i| text[i] == b'\r' && text.get(i + 1) != Some(&b'\n')) {
            report.emit(
                span_of(source, lone, lone + 1),
                "a carriage return that no newline follows: bastille reads it as part of the line, not as its end",
                "end lines with LF only (a Mac-style CR file needs `tr '\\r' '\\n'`)",
            );
        }
    }
}
