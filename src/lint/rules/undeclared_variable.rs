//! JW201: `${NAME}` that no earlier ARG declares. Bastille only substitutes
//! names declared above the line (and the built-ins), so the reference is
//! left for the host shell's `eval` (usually empty) or, in CMD, for the
//! jail's shell.

use super::{BASTILLE, text_span};
use crate::dialect::bastille::args::references;
use crate::document::Document;
use crate::ir::{Instruction, Layout};
use crate::lint::{Report, Rule, Severity};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "JW201",
    name: "undeclared-variable",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "`${NAME}` is used before or without an ARG that declares it",
    check,
    fixable: false,
};

pub const BUILTINS: [&str; 3] = ["JAIL_NAME", "JAIL_IP", "JAIL_IP6"];

fn check(doc: &Document, report: &mut Report) {
    let steps = &doc.template.steps;
    let mut first_declaration: HashMap<&str, usize> = HashMap::new();
    for (index, step) in steps.iter().enumerate() {
        if let Instruction::Arg { name, .. } = &step.instruction {
            first_declaration.entry(name).or_insert(index);
        }
    }
    let declared_at = |name: &str| first_declaration.get(name).copied();
    for (index, step) in steps.iter().enumerate() {
        let is_cmd = matches!(step.instruction, Instruction::Cmd { .. });
        for (offset, name) in references(&step.text) {
            if BUILTINS.contains(&name) {
                continue;
            }
            let span = text_span(doc, step, offset, offset + name.len() + 3);
            match declared_at(name) {
                Some(at) if at < index => {
                    if doc.template.layout == Layout::LegacyHooks && is_cmd {
                        report.emit(
                            span,
                            format!("`${{{name}}}` is not substituted: bastille feeds CMD and PRE hook files to the jail's sh as they are"),
                            "move the template to a Bastillefile (`bastille template convert`)",
                        );
                    }
                }
                Some(_) => report.emit(
                    span,
                    format!("`${{{name}}}` is used before its ARG: bastille only substitutes it on later lines"),
                    "move the ARG above its first use",
                ),
                None if is_cmd => report.emit_as(
                    Severity::Info,
                    span,
                    format!("`${{{name}}}` is not an ARG: it is left for the jail's shell to expand"),
                    "declare it with ARG if it is a template parameter",
                ),
                None => report.emit(
                    span,
                    format!("`${{{name}}}` is not declared by any ARG: the host shell expands it, usually to nothing"),
                    format!("declare it first: ARG {name}=..."),
                ),
            }
        }
    }
}
