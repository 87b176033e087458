//! JW714: an instruction that cannot be made conditional, inside a `RAW if
//! ... RAW fi` block. ARG, OPTION, CLEAR, ENTRYPOINT, ENV, GLOBAL, INCLUDE,
//! STAGE and USER are hoisted or only record state: they take effect
//! whatever the condition (appjail-makejail(5)). (`VAR --make-arg-env` is
//! listed there too, but its assignment does run in place; only the export
//! to CMD is unconditional, so it is not reported.)

use super::{MAKEJAIL, keyword_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW714",
    name: "non-conditional-in-raw-block",
    severity: Severity::Info,
    dialects: MAKEJAIL,
    summary: "a hoisted or state-only instruction inside a RAW if/for/while/case block",
    check,
    fixable: false,
    opt_in: false,
};

fn first_word(code: &str) -> &str {
    code.split_whitespace().next().unwrap_or_default()
}

fn check(doc: &Document, report: &mut Report) {
    let mut depth = 0usize;
    for step in &doc.template.steps {
        let conditional_only = match &step.instruction {
            Instruction::Raw { code } => {
                match first_word(code) {
                    "if" | "for" | "while" | "until" | "case" => depth += 1,
                    "fi" | "done" | "esac" => depth = depth.saturating_sub(1),
                    _ => {}
                }
                continue;
            }
            Instruction::Stage { .. } => {
                depth = 0;
                false
            }
            Instruction::Arg { .. }
            | Instruction::JailOption { .. }
            | Instruction::Clear { .. }
            | Instruction::Entrypoint { .. }
            | Instruction::Env { .. }
            | Instruction::Global { .. }
            | Instruction::Include { .. }
            | Instruction::User { .. } => true,
            _ => false,
        };
        if depth > 0 && conditional_only {
            report.emit(
                keyword_span(doc, step),
                format!(
                    "{} is not run at this point: the RAW condition around it has no effect on it",
                    step.name
                ),
                "move it out of the RAW block",
            );
        }
    }
}
