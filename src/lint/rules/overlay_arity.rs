//! JW302: OVERLAY with other than one directory. template.sh turns it into
//! `bastille cp JAIL TEMPLATE/ARGS /`, so a second word makes three
//! arguments and `bastille cp` fails.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::ir::Layout;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW302",
    name: "overlay-arity",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "OVERLAY takes exactly one directory",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for step in steps_of(doc, "OVERLAY") {
        if step.args.len() != 1 {
            report.emit(
                args_span(doc, step),
                format!(
                    "OVERLAY takes exactly 1 directory, found {}",
                    step.args.len()
                ),
                "write one OVERLAY line per directory",
            );
        }
    }
}
