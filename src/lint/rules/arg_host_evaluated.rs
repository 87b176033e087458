//! JW205: an ARG default the host shell evaluates. Since bastille 1.3.0
//! defaults go through `eval echo` on the host: `$(...)` and backquotes run
//! host commands, `;` and `&` end the value and run the rest, an unbalanced
//! quote empties it, and every `"` is deleted from the value.

use super::{BASTILLE, args_span};
use crate::dialect::bastille::args::declaration;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};
use crate::shell::{self, TokenKind};

pub const RULE: Rule = Rule {
    code: "JW205",
    name: "arg-host-evaluated",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "an ARG default that the host shell evaluates (command substitution, `;`, `&`, quotes)",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if !matches!(step.instruction, Instruction::Arg { .. }) {
            continue;
        }
        let Some(default) = declaration(&step.text).1 else {
            continue;
        };
        let span = args_span(doc, step);
        let problem = match shell::lex(default) {
            Err(e) => Some(format!(
                "the default has an {e}: the host's eval fails and the value is empty"
            )),
            Ok(tokens) => {
                if default.contains("$(") || default.contains('`') {
                    Some(
                        "the default runs a command on the host when the template is applied"
                            .to_string(),
                    )
                } else if let Some(op) = tokens.iter().find_map(|t| match &t.kind {
                    TokenKind::Operator(op) => Some(op.clone()),
                    _ => None,
                }) {
                    Some(format!(
                        "`{op}` in the default is a host shell operator: the value ends there and the rest runs on the host"
                    ))
                } else if tokens.iter().any(
                    |t| matches!(&t.kind, TokenKind::Word { value, .. } if value.contains('"')),
                ) {
                    Some("bastille deletes every `\"` from ARG values".to_string())
                } else {
                    None
                }
            }
        };
        if let Some(message) = problem {
            report.emit(span, message, "quote the default in single quotes, or compute the value outside the template and pass it with --arg");
        }
    }
}
