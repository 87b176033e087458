//! JW710: a line continued at the end of the file is dropped.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW710",
    name: "unfinished-continuation",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a line continued at the end of the file is dropped",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::UnfinishedContinuation,
        "remove the trailing backslash",
    );
}
