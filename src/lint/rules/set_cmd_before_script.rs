//! JW809: set-cmd before a flavour script. pot runs each script after a
//! full `pot start`, which runs the start command and waits for it: a
//! command that does not return (a daemon in the foreground, `cook` ending
//! in `tail -f`) blocks, and the script never runs. potluck puts its
//! set-cmd in a separate flavour applied last.

use super::POT;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW809",
    name: "set-cmd-before-script",
    severity: Severity::Warning,
    dialects: POT,
    summary: "set-cmd runs (and may block) before a later flavour script",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let steps = &doc.template.steps;
    for (i, step) in steps.iter().enumerate() {
        if matches!(step.instruction, Instruction::StartCommand { .. })
            && let Some(script) = steps[i + 1..]
                .iter()
                .find(|s| matches!(s.instruction, Instruction::Script { .. }))
        {
            report.emit(
                step.span.clone(),
                format!("pot starts the jail with this command before running {}: if it does not return, the script never runs", script.written_keyword),
                "apply set-cmd in a flavour after the script (potluck's NAME+4)",
            );
        }
    }
}
