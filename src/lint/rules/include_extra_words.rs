//! JW715: words after the path of a file INCLUDE. For `file+` (the
//! default) the whole rest of the line is the path, so `INCLUDE a.makejail
//! x` looks for a file named `a.makejail x`.

use super::{MAKEJAIL, args_span};
use crate::dialect::makejail::include;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW715",
    name: "include-extra-words",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a file INCLUDE with words after its path (they become part of the path)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if !matches!(step.instruction, Instruction::Include { .. }) {
            continue;
        }
        if let Ok(spec) = include::parse(&step.text)
            && spec.is_local()
            && spec.target.trim_end().contains(' ')
        {
            report.emit(
                args_span(doc, step),
                format!(
                    "the whole text `{}` is the file name: INCLUDE passes no arguments to files",
                    spec.target
                ),
                "pass values with ARG, or use cmd+ to generate the Makejail",
            );
        }
    }
}
