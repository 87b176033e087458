//! JW716: an instruction AppJail hoists, written below others. ARGs run
//! first in their stage, and in the build stage FROM and OPTION run before
//! every other instruction, wherever they are written: the file reads in
//! another order than it runs.

use super::{MAKEJAIL, keyword_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW716",
    name: "hoisted-out-of-order",
    severity: Severity::Info,
    dialects: MAKEJAIL,
    summary: "ARG, FROM or OPTION written after instructions it runs before",
    check,
    fixable: false,
    opt_in: false,
};

fn hoisted(instruction: &Instruction, stage: &str) -> bool {
    matches!(instruction, Instruction::Arg { .. })
        || (stage == "build"
            && matches!(
                instruction,
                Instruction::From { .. } | Instruction::JailOption { .. }
            ))
}

/// Instructions that emit nothing where they stand.
fn neutral(instruction: &Instruction) -> bool {
    matches!(
        instruction,
        Instruction::Stage { .. } | Instruction::Include { .. } | Instruction::Global { .. }
    )
}

fn check(doc: &Document, report: &mut Report) {
    let mut ordinary_seen: Vec<&str> = Vec::new();
    for step in &doc.template.steps {
        let stage = step.stage.as_deref().unwrap_or_default();
        if hoisted(&step.instruction, stage) {
            if ordinary_seen.contains(&stage) {
                report.emit(
                    keyword_span(doc, step),
                    format!(
                        "{} runs before the instructions written above it in stage {stage}",
                        step.name
                    ),
                    "move it to the top of the stage, where it runs",
                );
            }
        } else if !neutral(&step.instruction) && !ordinary_seen.contains(&stage) {
            ordinary_seen.push(stage);
        }
    }
}
