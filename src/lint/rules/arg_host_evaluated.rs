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
    fixable: false,
    opt_in: false,
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
        if let Some(message) = problem(default) {
            report.emit(span, message, "quote the default in single quotes, or compute the value outside the template and pass it with --arg");
        }
    }
}

/// What the host's `eval echo` does to a default that is not plain text.
fn problem(default: &str) -> Option<String> {
    let tokens = match shell::parse(default) {
        Ok(tokens) => tokens,
        Err(e) => {
            return Some(format!(
                "the default has a shell error ({e}): the host's eval fails and the value is empty"
            ));
        }
    };
    if default.contains("$(") || default.contains('`') {
        return Some("the default runs a command on the host when the template is applied".into());
    }
    let operator = tokens.iter().find_map(|t| match &t.kind {
        TokenKind::Operator(op) => Some(op.as_str()),
        _ => None,
    });
    if let Some(op) = operator {
        return Some(
            if op == "|" || op.trim_start_matches('1').starts_with('>') {
                format!("`{op}` in the default diverts the host's echo: the ARG gets no value")
            } else {
                format!(
                    "`{op}` in the default is a host shell operator: the value ends there and the rest runs on the host"
                )
            },
        );
    }
    let has_double_quote = tokens
        .iter()
        .any(|t| matches!(&t.kind, TokenKind::Word { value, .. } if value.contains('"')));
    has_double_quote.then(|| "bastille deletes every `\"` from ARG values".to_string())
}
