//! JW206: an ARG that gets no value. For ARG bastille warns and leaves
//! `${NAME}` in place (the shell then expands it, usually to nothing); for
//! ARG+ the template stops with an error.

use super::BASTILLE;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW206",
    name: "arg-without-value",
    severity: Severity::Info,
    dialects: BASTILLE,
    summary: "an ARG has no default and no value was given",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Arg {
            name,
            required,
            value: None,
            ..
        } = &step.instruction
        {
            let message = if *required {
                format!(
                    "ARG+ {name} has no value: `bastille template` stops here unless --arg {name}=... is given"
                )
            } else {
                format!(
                    "ARG {name} has no value: `${{{name}}}` stays literal unless --arg {name}=... is given"
                )
            };
            report.emit(
                step.span.clone(),
                message,
                format!("pass --arg {name}=VALUE"),
            );
        }
    }
}
