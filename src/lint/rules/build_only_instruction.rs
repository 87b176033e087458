//! JW705: FROM, LOGIN, OPTION, RESTART, START or STOP outside the build
//! stage. AppJail only accepts these instructions while building
//! (makejail/cmd/build/); in any other stage `appjail makejail` stops with
//! an error. Move the line before the first STAGE, or into `STAGE build`.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW705",
    name: "build-only-instruction",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "FROM, LOGIN, OPTION, RESTART, START or STOP outside the build stage",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::BuildOnly,
        "move it before the first STAGE, or after `STAGE build`",
    );
}
