//! JW912: a file the template copies that is not in it: a CP or OVERLAY
//! source (Bastille, relative to the template's directory) or a COPY
//! source (AppJail, relative to the Makejail that names it). bastille cp
//! and AppJail's `cp -a` fail there and the template stops; a warning,
//! since the file may be generated before the template runs.

use super::{BASTILLE_AND_MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW912",
    name: "missing-template-file",
    severity: Severity::Warning,
    dialects: BASTILLE_AND_MAKEJAIL,
    summary: "a file CP, OVERLAY or COPY copies that is not in the template",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::MissingSource,
        "add the file to the template's directory, or fix the path",
    );
}
