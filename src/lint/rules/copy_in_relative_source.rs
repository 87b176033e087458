//! JW810: `copy-in` with a relative source. It is relative to the
//! directory `pot create` runs in, not to the flavour; `copy-in-flv` is.

use super::{POT, args_span};
use crate::document::Document;
use crate::ir::{CopyFrom, Instruction};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW810",
    name: "copy-in-relative-source",
    severity: Severity::Info,
    dialects: POT,
    summary: "a relative copy-in source depends on where pot create runs",
    check,
    fixable: false,
    opt_in: true,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Cp {
            sources,
            from: CopyFrom::Host,
            ..
        } = &step.instruction
            && sources
                .first()
                .is_some_and(|s| !s.is_empty() && !s.starts_with('/'))
        {
            report.emit(
                args_span(doc, step),
                "this source is relative to the directory pot create runs in, not to the flavour",
                "use copy-in-flv for files that travel with the flavour",
            );
        }
    }
}
