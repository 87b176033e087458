//! JW801: a flavour line pot rejects: bad option, stray word, missing or invalid value; pot create fails and destroys the pot.

use super::{POT, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW801",
    name: "pot-usage-error",
    severity: Severity::Error,
    dialects: POT,
    summary: "a flavour line pot rejects: bad option, stray word, missing or invalid value; pot create fails and destroys the pot",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Usage,
        "see pot help for the command; every word must belong to an option",
    );
}
