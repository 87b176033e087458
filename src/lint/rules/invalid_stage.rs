//! JW704: STAGE names a stage that does not exist.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW704",
    name: "invalid-stage",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "STAGE names a stage that does not exist",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::InvalidStage,
        "use build, apply, precreate..poststop, or custom:NAME (letters, digits, _ and -)",
    );
}
