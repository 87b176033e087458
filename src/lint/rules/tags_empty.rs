//! JW309: TAGS with an empty tag. template.sh turns every space into a
//! comma, so two spaces in a row make an empty tag.

use super::{BASTILLE, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW309",
    name: "tags-empty",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "TAGS with repeated or trailing spaces adds empty tags",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Tags { tags } = &step.instruction
            && (tags.is_empty() || tags.iter().any(String::is_empty))
        {
            report.emit(
                args_span(doc, step),
                "every space becomes a tag separator, so this adds an empty tag",
                "separate tags with exactly one space",
            );
        }
    }
}
