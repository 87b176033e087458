//! JW701: an instruction AppJail does not have (names are case-sensitive; a tab does not separate).

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
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::UnknownInstruction,
        "AppJail stops with `command not found` before running anything; instructions are upper case and separated from their arguments by a space",
    );
}
