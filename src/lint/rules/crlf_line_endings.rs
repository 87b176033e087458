//! JW102: CRLF line endings. The `\r` stays in the last argument (or in the
//! keyword: `RESTART\r` is not a subcommand), so the template fails.

use super::BASTILLE;
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
};

fn check(doc: &Document, report: &mut Report) {
    for source in &doc.sources {
        let count = source.text.matches("\r\n").count();
        if let Some(first) = source.text.find("\r\n") {
            let fix = source
                .text
                .match_indices("\r\n")
                .map(|(at, _)| Edit::delete(at, at + 1))
                .collect();
            report.emit_fixed(
                span_of(source, first, first + 1),
                format!("{count} line(s) end in CRLF: bastille keeps the \\r in the keyword or the last argument"),
                "convert the file to LF line endings (e.g. `dos2unix`)",
                fix,
            );
        }
    }
}
