//! JW701: an instruction AppJail does not have. Names are case-sensitive
//! (`pkg` is not `PKG`) and only a space separates the name from its
//! arguments (`PKG<TAB>nginx` is the instruction `PKG<TAB>nginx`); AppJail
//! stops with "not a valid instruction". Use one of the 33 instructions of
//! appjail-makejail(5), in upper case, followed by a space.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW701",
    name: "unknown-instruction",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "an instruction AppJail does not have (names are case-sensitive; a tab does not separate)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::UnknownInstruction,
        "AppJail stops with `command not found` before running anything; instructions are upper case and separated from their arguments by a space",
    );
}
