//! JW806: quotes, `$VAR` or glob characters in a flavour line other than
//! set-cmd. pot splits lines on blanks with no quote removal and no
//! variable expansion, but does expand globs against the directory
//! `pot create` runs in.

use super::{POT, text_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW806",
    name: "literal-shell-syntax",
    severity: Severity::Warning,
    dialects: POT,
    summary: "quotes or $VAR are taken literally, and globs expand on the host, in flavour lines",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if matches!(
            step.instruction,
            Instruction::StartCommand { .. }
                | Instruction::Script { .. }
                | Instruction::Ignored { .. }
        ) {
            continue;
        }
        let text = &step.text;
        let found = [
            ('"', "quotes are not removed: they become part of the value"),
            (
                '\'',
                "quotes are not removed: they become part of the value",
            ),
            ('$', "`$` is not expanded: the value is the literal text"),
            (
                '*',
                "glob characters expand against the directory pot create runs in",
            ),
            (
                '?',
                "glob characters expand against the directory pot create runs in",
            ),
            (
                '[',
                "glob characters expand against the directory pot create runs in",
            ),
        ]
        .into_iter()
        .filter_map(|(c, why)| text.find(c).map(|at| (at, why)))
        .min_by_key(|(at, _)| *at);
        if let Some((at, why)) = found {
            report.emit(
                text_span(doc, step, at, at + 1),
                why,
                "write the value plainly; values with blanks cannot be written in a flavour",
            );
        }
    }
}
