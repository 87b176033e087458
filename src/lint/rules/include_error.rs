//! JW706: an INCLUDE AppJail cannot resolve.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW706",
    name: "include-error",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "an INCLUDE AppJail cannot resolve",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Include,
        "check the method (file, cmd, fetch, git, gh, gl...) and the path",
    );
}
