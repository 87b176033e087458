//! JW913: CMD text the jail's shell cannot parse: an unterminated quote, an
//! operator with nothing after it (`a &&`, `a |`), a redirection with no
//! target. `sh -c` fails with a syntax error and the template stops there.
//! jailwright's own checker; ShellCheck (JW901) says more when installed.

use super::BASTILLE_AND_MAKEJAIL;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::shell_text::lines;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW913",
    name: "cmd-shell-syntax",
    severity: Severity::Error,
    dialects: BASTILLE_AND_MAKEJAIL,
    summary: "CMD text the jail's sh cannot parse",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for line in lines(doc) {
        if !matches!(line.step.instruction, Instruction::Cmd { .. }) {
            continue;
        }
        if let Err(e) = crate::shell::parse(line.text) {
            let at = e.offset.min(line.text.len());
            report.emit(
                line.span(doc, at, (at + 1).min(line.text.len())),
                format!("the jail's sh cannot parse this: {}", e.message),
                "close the quote, or finish the command after the operator",
            );
        }
    }
}
