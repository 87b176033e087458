//! JW711: a `# comment` after an instruction. Makejails only have whole-line
//! comments: after PKG, SYSRC, OPTION, ... the `#` and what follows become
//! arguments (a package named `#`). CMD, RAW and RUN are exempt: their text
//! reaches a shell, which does read it as a comment.

use super::{MAKEJAIL, text_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW711",
    name: "trailing-comment",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a `#` after an instruction is not a comment: it becomes arguments",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let shell = matches!(
            step.instruction,
            Instruction::Cmd { .. } | Instruction::Raw { .. } | Instruction::Run { .. }
        );
        if shell {
            continue;
        }
        let at = if step.text.starts_with('#') {
            Some(0)
        } else {
            step.text.find(" #").map(|i| i + 1)
        };
        if let Some(at) = at {
            report.emit(
                text_span(doc, step, at, step.text.len()),
                format!(
                    "`{}` is not a comment: {} gets it as arguments",
                    &step.text[at..],
                    step.name
                ),
                "put the comment on its own line",
            );
        }
    }
}
