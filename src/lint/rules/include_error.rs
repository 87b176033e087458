//! JW706: an INCLUDE AppJail cannot resolve: a file that does not exist,
//! a Makejail included twice in one run, or a method AppJail does not
//! know (file, cmd+, fetch+, git+, gh+, gl+...). `appjail makejail` stops
//! at that line. Check the path (relative to the including Makejail's real
//! directory) or the method.

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
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Include,
        "check the method (file, cmd, fetch, git, gh, gl...) and the path",
    );
}
