//! JW717: an ARG declared twice in one stage. The runtime parser gets two
//! identical options and the later default overrides the earlier.

use super::MAKEJAIL;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW717",
    name: "makejail-duplicate-arg",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "an ARG declared twice in the same stage",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    let mut seen: Vec<(&str, &str, usize)> = Vec::new();
    for step in &doc.template.steps {
        let (Instruction::Arg { name, .. }, Some(stage)) = (&step.instruction, &step.stage) else {
            continue;
        };
        match seen.iter().find(|(n, s, _)| n == name && s == stage) {
            Some((_, _, line)) => report.emit(
                step.span.clone(),
                format!("ARG {name} is already declared on line {line} in stage {stage}"),
                "declare it once",
            ),
            None => seen.push((name, stage, step.span.line)),
        }
    }
}
