//! JW203: `ARG JAIL_NAME`, `ARG JAIL_IP` or `ARG JAIL_IP6`. The built-ins are
//! substituted first, so such an ARG can never change them.

use super::BASTILLE;
use super::undeclared_variable::BUILTINS;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW203",
    name: "arg-builtin-override",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "an ARG named like a built-in (JAIL_NAME, JAIL_IP, JAIL_IP6) has no effect",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Arg { name, .. } = &step.instruction
            && BUILTINS.contains(&name.as_str())
        {
            report.emit(
                step.span.clone(),
                format!("`{name}` is a built-in: bastille substitutes it before any ARG, so this ARG never applies"),
                "choose another name",
            );
        }
    }
}
