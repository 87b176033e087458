//! JW207: `$NAME` without braces where NAME is an ARG. Bastille only
//! substitutes `${NAME}`; `$NAME` reaches the host shell (or the jail's, in
//! CMD) and expands to whatever that shell has, usually nothing.

use super::{BASTILLE, text_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW207",
    name: "bare-dollar-arg",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "`$NAME` without braces is never substituted by bastille",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let mut declared: Vec<&str> = Vec::new();
    for step in &doc.template.steps {
        for (at, _) in step.text.match_indices('$') {
            let rest = &step.text[at + 1..];
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            let name = &rest[..len];
            if len > 0 && declared.contains(&name) {
                report.emit(
                    text_span(doc, step, at, at + 1 + len),
                    format!("`${name}` is not substituted: bastille only replaces `${{{name}}}`"),
                    format!("write `${{{name}}}`"),
                );
            }
        }
        if let Instruction::Arg { name, .. } = &step.instruction {
            declared.push(name);
        }
    }
}
