//! JW811: a copy-in source that does not exist beside the flavour (a
//! `copy-in-flv` path, or potluck's `/usr/local/etc/pot/flavours/NAME.d/`
//! payload). If it is not installed some other way, copy-in fails and pot
//! create destroys the pot; a warning, since it may be.

use super::{POT, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW811",
    name: "missing-copy-source",
    severity: Severity::Warning,
    dialects: POT,
    summary: "a copy-in source that is not in the flavour's directory",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::MissingSource,
        "ship the file with the flavour (NAME.d/...), or fix the path",
    );
}
