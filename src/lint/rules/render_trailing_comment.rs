//! JW306: a comment after RENDER's path. RENDER takes the whole rest of the
//! line as one path, so the comment becomes part of it and bastille only
//! warns that the path was not found.

use super::{BASTILLE, steps_of, text_span};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW306",
    name: "render-trailing-comment",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "RENDER's path includes the trailing comment or blanks",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "RENDER") {
        if let Some(at) = step.text.find(" #").or_else(|| step.text.find("\t#")) {
            report.emit(
                text_span(doc, step, at, step.text.len()),
                "RENDER takes the rest of the line as its path: this comment is part of it, so nothing is rendered",
                "put the comment on its own line",
            );
        } else if step.text.ends_with([' ', '\t']) {
            let trimmed = step.text.trim_end().len();
            report.emit(
                text_span(doc, step, trimmed, step.text.len()),
                "trailing blanks are part of RENDER's path, so nothing is rendered",
                "remove the trailing blanks",
            );
        }
    }
}
