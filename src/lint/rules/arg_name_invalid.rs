//! JW204: an ARG name bastille cannot use as intended. The name is
//! everything before the first `=` (blanks included) and goes raw into a
//! sed expression `s/\${NAME}/VALUE/g`: a `/` or `'` breaks that expression
//! for every later line, blanks make a name that can never match, and
//! regex characters match more than the name.

use super::{BASTILLE, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW204",
    name: "arg-name-invalid",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "an ARG name with blanks, `/`, quotes or regex characters",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let Instruction::Arg { name, .. } = &step.instruction else {
            continue;
        };
        let span = args_span(doc, step);
        if name.is_empty() {
            report.emit(
                span,
                "ARG without a name",
                "write ARG NAME or ARG NAME=default",
            );
        } else if name.contains(['/', '\'']) {
            report.emit(
                span,
                format!(
                    "ARG name `{name}` breaks bastille's sed substitution for every later line"
                ),
                "use letters, digits and underscores only",
            );
        } else if name.contains([' ', '\t']) {
            let hint = if name.contains('#') {
                "a comment after an ARG without `=` becomes part of its name; put comments on their own line"
            } else {
                "remove the blanks around `=`: ARG NAME=value"
            };
            report.emit(
                span,
                format!("ARG name `{name}` contains blanks, so `${{...}}` can never match it"),
                hint,
            );
        } else if name.contains(['.', '*', '[', ']', '^', '\\']) {
            report.emit_as(
                Severity::Warning,
                span,
                format!("ARG name `{name}` holds regex characters: bastille's sed also replaces other names"),
                "use letters, digits and underscores only",
            );
        }
    }
}
