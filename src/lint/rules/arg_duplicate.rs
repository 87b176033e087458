//! JW202: an ARG declared twice. The first declaration already replaced
//! every later `${NAME}`, so the second one never has any effect.

use super::BASTILLE;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "JW202",
    name: "arg-duplicate",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "an ARG is declared twice; the first declaration wins",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for step in &doc.template.steps {
        if let Instruction::Arg { name, .. } = &step.instruction {
            match first.get(name.as_str()) {
                Some(line) => report.emit(
                    step.span.clone(),
                    format!(
                        "ARG {name} is already declared on line {line}; this one has no effect"
                    ),
                    "remove one of the two declarations",
                ),
                None => {
                    first.insert(name, step.span.line);
                }
            }
        }
    }
}
