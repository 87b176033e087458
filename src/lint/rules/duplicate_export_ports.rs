//! JW813: export-ports used more than once. Each `export-ports` replaces
//! the list of exported ports (`sed -i '' -e "/pot.export.ports=.*/d"`
//! then the new line, export-ports.sh:36-37), so only the last line's
//! ports are exported.

use super::{POT, repeated};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW813",
    name: "duplicate-export-ports",
    severity: Severity::Warning,
    dialects: POT,
    summary: "a second export-ports drops the ports of the first",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for (step, line) in repeated(doc, |i| matches!(i, Instruction::Rdr { .. })) {
        report.emit(
            step.span.clone(),
            format!("this export-ports replaces the ports exported on line {line}: only the last export-ports counts"),
            "export every port on one line: export-ports -e 80 -e 443",
        );
    }
}
