//! JW502: a passthrough subcommand that does not belong in a template
//! (STOP, DESTROY, RENAME, interactive ones, ...). After STOP, for example,
//! every later step finds the jail stopped and silently does nothing.

use super::BASTILLE;
use crate::dialect::bastille::keywords::danger;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW502",
    name: "dangerous-passthrough",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "a bastille subcommand that is risky inside a template",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Passthrough {
            subcommand,
            known: true,
            ..
        } = &step.instruction
            && let Some(why) = danger(subcommand)
        {
            report.emit(
                step.span.clone(),
                format!(
                    "`{}` passes through to `bastille {subcommand}`, which {why}",
                    step.keyword
                ),
                "run it outside the template",
            );
        }
    }
}
