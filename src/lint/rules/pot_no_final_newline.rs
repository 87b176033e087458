//! JW803: the last line of a command file has no newline, so pot silently skips it.

use super::{POT, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW803",
    name: "pot-no-final-newline",
    severity: Severity::Warning,
    dialects: POT,
    summary: "the last line of a command file has no newline, so pot silently skips it",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::NoFinalNewline,
        "end the file with a newline",
    );
}
