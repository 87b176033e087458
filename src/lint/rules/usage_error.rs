//! JW703: options or arguments an instruction rejects with its usage
//! message (an unknown `--option`, a missing argument, two conflicting
//! flags). AppJail prints the usage and `appjail makejail` stops at that
//! line. The message quotes the usage AppJail prints.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW703",
    name: "usage-error",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "options or arguments the instruction rejects with its usage message",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Usage,
        "see appjail-makejail(5) for the instruction's synopsis",
    );
}
