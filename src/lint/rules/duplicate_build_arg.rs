//! JW708: a build argument declared twice. AppJail keeps the first
//! `%{NAME...}` declaration and ignores the second (and its default), so
//! the second line does not do what it says. Declare each build argument
//! once.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW708",
    name: "duplicate-build-arg",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a build argument declared twice; AppJail ignores the second",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::DuplicateBuildArg,
        "remove the second declaration",
    );
}
