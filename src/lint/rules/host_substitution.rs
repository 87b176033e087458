//! JW402: a substitution in the arguments of an instruction other than
//! CMD: `$(...)`, backquotes or `$NAME`. The host shell running
//! template.sh expands it, with the host's commands and variables.

use super::host_shell_operator::host_evaluated;
use super::{BASTILLE, text_span};
use crate::document::Document;
use crate::ir::{Instruction, Layout};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW402",
    name: "host-substitution",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "a command substitution or `$NAME` outside CMD is expanded on the host",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    let args: Vec<&str> = doc
        .template
        .steps
        .iter()
        .filter_map(|s| match &s.instruction {
            Instruction::Arg { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    for step in doc
        .template
        .steps
        .iter()
        .filter(|s| host_evaluated(&s.instruction))
    {
        let text = &step.text;
        if let Some(at) = text.find("$(").or_else(|| text.find('`')) {
            report.emit(
                text_span(doc, step, at, text.len()),
                "this command substitution runs on the host, not in the jail",
                "compute the value with CMD inside the jail, or pass it in with --arg",
            );
            continue;
        }
        for (at, _) in text.match_indices('$') {
            let rest = &text[at + 1..];
            let len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            let name = &rest[..len];
            // `$NAME` of a declared ARG is JW207's finding.
            if len > 0 && !rest.as_bytes()[0].is_ascii_digit() && !args.contains(&name) {
                report.emit(
                    text_span(doc, step, at, at + 1 + len),
                    format!("`${name}` is expanded by the host shell that runs bastille, not in the jail"),
                    "use an ARG (`${NAME}`) or move the step into CMD",
                );
                break;
            }
        }
    }
}
