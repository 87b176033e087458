//! JW710: a line continued at the end of the file (a last line ending in
//! `\`). The reader waits for a next line that never comes, and the whole
//! instruction is dropped. Remove the backslash or finish the line.

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
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::UnfinishedContinuation,
        "remove the trailing backslash",
    );
}
