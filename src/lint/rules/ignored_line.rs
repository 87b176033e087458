//! JW802: a flavour line pot ignores: a comment or blank line in the
//! command file, or a command pot does not run from a flavour (only
//! add-dep, set-attribute, copy-in, copy-in-flv, mount-in, set-rss,
//! export-ports, set-cmd and set-env are flavourable; common-flv.sh).
//! pot prints a warning and goes on, so the line has no effect.

use super::{POT, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW802",
    name: "ignored-line",
    severity: Severity::Warning,
    dialects: POT,
    summary: "a flavour line pot ignores (comment, blank, unknown or non-flavourable command)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Ignored,
        "flavours hold only add-dep, set-attribute, copy-in, copy-in-flv, mount-in, set-rss, export-ports, set-cmd and set-env",
    );
}
