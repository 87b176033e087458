//! JW805: `set-cmd -c '...'`. pot removes one pair of double quotes only;
//! single quotes stay in pot.cmd, and `pot start` (which runs the command
//! word-split, without a shell) then looks for a program named `'...`.

use super::{POT, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW805",
    name: "set-cmd-single-quotes",
    severity: Severity::Warning,
    dialects: POT,
    summary: "single quotes around set-cmd's command stay part of it",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::StartCommand { command } = &step.instruction
            && command.starts_with('\'')
        {
            report.emit(
                args_span(doc, step),
                format!("pot keeps the single quotes: the start command is `{command}`"),
                "use double quotes: set-cmd -c \"...\"",
            );
        }
    }
}
