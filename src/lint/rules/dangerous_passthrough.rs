//! JW502: a passthrough subcommand that does not belong in a template
//! (STOP, DESTROY, RENAME, interactive ones, ...). After STOP, for example,
//! every later step finds the jail stopped and silently does nothing (a
//! STOP that ends the template, or that a START follows, is not reported).

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
    fixable: false,
    opt_in: false,
};

/// Whether a step after `at` runs before the jail is started again (a
/// STOP at the end, or followed by START, harms nothing).
fn runs_after(doc: &Document, at: usize) -> bool {
    doc.template.steps.get(at + 1).is_some_and(|next| {
        !matches!(&next.instruction, Instruction::Passthrough { subcommand, .. }
            if matches!(subcommand.to_ascii_lowercase().as_str(), "start" | "restart"))
    })
}

fn check(doc: &Document, report: &mut Report) {
    for (at, step) in doc.template.steps.iter().enumerate() {
        if let Instruction::Passthrough {
            subcommand,
            known: true,
            ..
        } = &step.instruction
            && let Some(why) = danger(subcommand)
            && (!subcommand.eq_ignore_ascii_case("stop") || runs_after(doc, at))
        {
            report.emit(
                step.span.clone(),
                format!(
                    "`{}` passes through to `bastille {subcommand}`, which {why}",
                    step.written_keyword
                ),
                "run it outside the template",
            );
        }
    }
}
