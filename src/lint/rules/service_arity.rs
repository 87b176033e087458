//! JW303: SERVICE with other than two words. `bastille service` checks for
//! exactly a service name and an action (service.sh:68) and fails
//! otherwise.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW303",
    name: "service-arity",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "SERVICE needs exactly a service name and an action",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "SERVICE") {
        if step.args.len() != 2 {
            report.emit(
                args_span(doc, step),
                format!(
                    "SERVICE takes exactly 2 words (name and action), found {}",
                    step.args.len()
                ),
                "write SERVICE NAME ACTION, one service per line",
            );
        }
    }
}
