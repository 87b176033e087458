//! JW107: bytes that are not UTF-8. They are shown replaced; the template
//! itself is bytes to bastille, but the file is probably not what was meant.

use super::BASTILLE;
use crate::document::{Document, span_of};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW107",
    name: "not-utf8",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "the file holds bytes that are not UTF-8",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for source in doc.sources.iter().filter(|s| s.lossy) {
        let at = source.text.find('\u{fffd}').unwrap_or(0);
        report.emit(
            span_of(source, at, at),
            "the file is not valid UTF-8",
            "save the template as UTF-8",
        );
    }
}
