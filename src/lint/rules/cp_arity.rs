//! JW301: CP with other than two arguments. `bastille cp` takes exactly a
//! source and a destination (cp.sh:68); anything else prints usage and
//! fails the template.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW301",
    name: "cp-arity",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "CP needs exactly a source and a destination",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "CP") {
        if step.args.len() != 2 {
            report.emit(
                args_span(doc, step),
                format!(
                    "CP takes exactly 2 arguments (source and destination), found {}",
                    step.args.len()
                ),
                "copy one path per CP line: CP SOURCE DESTINATION",
            );
        }
    }
}
