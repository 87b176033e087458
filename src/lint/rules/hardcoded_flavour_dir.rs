//! JW808: `copy-in -s /usr/local/etc/pot/flavours/...`. The flavour only
//! works once installed in pot's flavour directory; `copy-in-flv` with a
//! path relative to the flavour works wherever it is.

use super::{POT, args_span};
use crate::document::Document;
use crate::ir::{CopyFrom, Instruction};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW808",
    name: "hardcoded-flavour-dir",
    severity: Severity::Info,
    dialects: POT,
    summary: "copy-in from pot's flavour directory instead of copy-in-flv",
    check,
    fixable: false,
    opt_in: true,
};

pub const FLAVOUR_DIR: &str = "/usr/local/etc/pot/flavours/";

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Cp {
            sources,
            from: CopyFrom::Host,
            ..
        } = &step.instruction
            && let Some(rest) = sources.first().and_then(|s| s.strip_prefix(FLAVOUR_DIR))
        {
            report.emit(
                args_span(doc, step),
                "this source only exists once the flavour is installed in /usr/local/etc/pot/flavours",
                format!("use copy-in-flv -s {rest} (relative to the flavour)"),
            );
        }
    }
}
