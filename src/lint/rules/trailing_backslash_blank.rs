//! JW106: a `\` followed by blanks at the end of a line. Only a backslash
//! that is the very last byte continues a line; this one stays in the text.

use super::{BASTILLE, meant_to_continue};
use crate::document::{Document, span_of};
use crate::ir::Layout;
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW106",
    name: "trailing-backslash-blank",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "a backslash followed by blanks does not continue the line",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for source in &doc.sources {
        let mut offset = 0;
        let raws: Vec<&str> = source.text.split_inclusive('\n').collect();
        for (i, raw) in raws.iter().enumerate() {
            let line = raw.trim_end_matches('\n');
            let trimmed = line.trim_end_matches([' ', '\t', '\r']);
            if trimmed.ends_with('\\') && trimmed.len() < line.len() && !line.ends_with('\\') {
                let at = offset + trimmed.len() - 1;
                // A CRLF line keeps its \r (JW102 removes it).
                let end = offset + line.trim_end_matches('\r').len();
                // Without the blanks the line continues: certain only when
                // that is what the author evidently meant.
                let next = raws.get(i + 1).map(|n| n.trim_end_matches(['\n', '\r']));
                report.emit_fixed(
                    span_of(source, at, offset + line.len()),
                    "blanks follow this backslash, so it does not continue the line",
                    "remove the blanks after the backslash",
                    if end > at + 1 && meant_to_continue(trimmed, next) {
                        vec![Edit::delete(at + 1, end)]
                    } else {
                        Vec::new()
                    },
                );
            }
            offset += raw.len();
        }
    }
}
