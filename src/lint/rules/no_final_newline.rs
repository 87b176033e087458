//! JW709: the last line has no newline. AppJail and pot read their files
//! with `while read line`, which never returns a last line without a
//! newline: that instruction silently does not run (pot.md §3.1,
//! appjail.md reader). End the file with a newline.

use super::{MAKEJAIL_AND_POT, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW709",
    name: "no-final-newline",
    severity: Severity::Warning,
    dialects: MAKEJAIL_AND_POT,
    summary: "the last line has no newline, so the manager's `read` never returns it (AppJail, pot)",
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
