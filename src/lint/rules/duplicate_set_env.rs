//! JW804: set-env used more than once. Each `set-env` replaces every
//! variable set before, so only the last line's variables remain.

use super::{POT, repeated};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW804",
    name: "duplicate-set-env",
    severity: Severity::Warning,
    dialects: POT,
    summary: "a second set-env wipes the variables of the first",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for (step, line) in repeated(doc, |i| matches!(i, Instruction::SetEnv { .. })) {
        report.emit(
            step.span.clone(),
            format!("this set-env replaces the variables set on line {line}: only the last set-env counts"),
            "put every variable on one line: set-env -E A=1 -E B=2",
        );
    }
}
