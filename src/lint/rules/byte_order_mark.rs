//! JW101: a UTF-8 byte order mark. Bastille does not strip it, so it becomes
//! part of the first line's keyword and the template fails there.

use super::BASTILLE;
use crate::document::{Document, span_of};
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW101",
    name: "byte-order-mark",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "the file starts with a UTF-8 byte order mark",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for source in &doc.sources {
        if source.text.starts_with('\u{feff}') {
            report.emit_fixed(
                span_of(source, 0, 3),
                "the file starts with a UTF-8 byte order mark, which becomes part of the first keyword",
                "save the file as UTF-8 without a BOM",
                vec![Edit::delete(0, 3)],
            );
        }
    }
}
