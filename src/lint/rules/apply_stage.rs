//! JW718: steps of the `apply` stage. `appjail makejail` skips them while
//! building; they run only with `appjail apply` (or `appjail makejail -A`).

use super::MAKEJAIL;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW718",
    name: "apply-stage",
    severity: Severity::Info,
    dialects: MAKEJAIL,
    summary: "the apply stage is skipped by appjail makejail",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Stage { name } = &step.instruction
            && name == "apply"
        {
            report.emit(
                step.span.clone(),
                "the apply stage does not run while building: only `appjail apply` (or `appjail makejail -A`) runs it",
                "",
            );
        }
    }
}
