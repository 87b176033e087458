//! JW403: text the shell cannot parse: an unterminated quote, backquote or
//! `$(`, or a misplaced operator (`;;`, `a &&` at the end, `; ;`). Outside
//! CMD the host's `eval` fails and bastille stops the template; in CMD the
//! jail's `sh -c` fails.

use super::host_shell_operator::host_evaluated;
use super::{BASTILLE, text_span};
use crate::document::Document;
use crate::ir::{Instruction, Layout};
use crate::lint::{Report, Rule, Severity};
use crate::shell;

pub const RULE: Rule = Rule {
    code: "JW403",
    name: "shell-syntax",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "arguments the shell cannot parse (unterminated quote, misplaced operator)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let is_cmd = matches!(step.instruction, Instruction::Cmd { .. });
        let checked =
            is_cmd || (doc.template.layout == Layout::File && host_evaluated(&step.instruction));
        if !checked {
            continue;
        }
        if let Err(e) = shell::parse(&step.text) {
            let whose = if is_cmd {
                "the jail's sh"
            } else {
                "the host's eval"
            };
            report.emit(
                text_span(doc, step, e.offset, step.text.len()),
                format!("{e}: {whose} fails on this line and the template stops"),
                "close the quote or complete the command; quote characters meant literally",
            );
        }
    }
}
