//! JW717: an ARG declared twice in one stage. The runtime parser gets two
//! identical options and the later default overrides the earlier.

use std::collections::HashMap;
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
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    // The line of the first declaration of each (name, stage).
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for step in &doc.template.steps {
        let (Instruction::Arg { name, .. }, Some(stage)) = (&step.instruction, &step.stage) else {
            continue;
        };
        match seen.get(&(name.as_str(), stage.as_str())) {
            Some(line) => report.emit(
                step.span.clone(),
                format!("ARG {name} is already declared on line {line} in stage {stage}"),
                "declare it once",
            ),
            None => {
                seen.insert((name, stage), step.span.line);
            }
        }
    }
}
