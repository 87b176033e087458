//! JW807: `-p NAME` in a flavour line. pot appends `-p <the pot being
//! created>` to every line, and getopts keeps the last one: the explicit
//! name is ignored.

use super::{POT, args_span};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW807",
    name: "explicit-pot-name",
    severity: Severity::Info,
    dialects: POT,
    summary: "an explicit -p in a flavour line is overridden by the pot being created",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if step.name != "set-cmd" && step.args.iter().any(|a| a == "-p" || a.starts_with("-p")) {
            report.emit(
                args_span(doc, step),
                "pot appends `-p <pot>` to every flavour line, so this -p is ignored",
                "remove the -p option",
            );
        }
    }
}
