//! JW704: STAGE names a stage that does not exist. AppJail knows build,
//! the InitScript stages (apply, create, start, cmd, stop and their
//! pre/post forms) and `custom:NAME` with NAME a valid name; any other
//! name stops `appjail makejail`. Use one of those names.

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
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::InvalidStage,
        "use build, apply, precreate..poststop, or custom:NAME (letters, digits, _ and -)",
    );
}
