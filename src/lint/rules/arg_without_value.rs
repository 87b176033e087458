//! JW206: an ARG that gets no value. Bastille warns and adds no
//! substitution for it (template.sh:364-372), so `${NAME}` is left as it
//! is: the host's `eval` or the jail's shell expands it, usually to
//! nothing, and a RENDERed file or single-quoted text keeps it literally.
//! Opt-in (`--extend-select JW206`): most such ARGs are parameters the
//! caller is meant to pass. Not for ARG+, which stops the template by
//! design when no value is given (template.sh:355-361). `ARG NAME=` is no value
//! either: bastille substitutes only non-empty values.

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
    opt_in: true,
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
            // ARG+ fails loudly by design.
            if *required {
                continue;
            }
            let message = format!(
                "ARG {name} has no value: unless --arg {name}=... is given, bastille does not substitute `${{{name}}}` and the shell expands it, usually to nothing"
            );
            report.emit(
                step.span.clone(),
                message,
                format!("pass --arg {name}=VALUE, give it a default (ARG {name}=...), or make it mandatory (ARG+ {name})"),
            );
        }
    }
}
