//! JW401: a shell operator in the arguments of an instruction other than
//! CMD. bastille runs `eval "bastille CMD JAIL ARGS"`, so `;`, `&&`, `|`,
//! `&`, `>` and `<` are operators of the *host* shell: what follows them
//! runs on the host, not in the jail.

use super::{BASTILLE, text_span};
use crate::document::Document;
use crate::ir::Layout;
use crate::lint::{Report, Rule, Severity};
use crate::shell::{self, TokenKind};

pub const RULE: Rule = Rule {
    code: "JW401",
    name: "host-shell-operator",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "a shell operator outside CMD is run by the host shell",
    check,
    fixable: false,
    opt_in: true,
};

pub use crate::dialect::bastille::host_evaluated;

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for step in doc
        .template
        .steps
        .iter()
        .filter(|s| host_evaluated(&s.instruction))
    {
        let Ok(tokens) = shell::lex(&step.text) else {
            continue;
        };
        for (i, token) in tokens.iter().enumerate() {
            let TokenKind::Operator(op) = &token.kind else {
                continue;
            };
            let span = text_span(doc, step, token.start, token.end);
            let nothing_after = tokens[i + 1..]
                .iter()
                .all(|t| matches!(t.kind, TokenKind::Comment));
            if op == ";" && nothing_after {
                report.emit_as(
                    Severity::Info,
                    span,
                    "this `;` ends the host command: harmless here, but it is the host shell's",
                    "remove the trailing `;`",
                );
            } else {
                report.emit(
                    span,
                    format!("`{op}` is an operator of the host shell: bastille evaluates these arguments on the host"),
                    "quote it if it is part of a value; run jail-side logic with CMD",
                );
            }
            break;
        }
    }
}
