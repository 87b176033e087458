//! JW103: an instruction indented with spaces. template.sh cuts the
//! argument text at the first single space, so the keyword itself becomes
//! the first argument (`  PKG nginx` runs `pkg install PKG nginx`).

use super::BASTILLE;
use crate::document::Document;
use crate::ir::Layout;
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW103",
    name: "space-indentation",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "an instruction indented with spaces passes its own keyword as an argument",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for step in &doc.template.steps {
        let line = &doc.lines[step.line_index].text;
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if line.starts_with(' ') {
            let span = doc.span_in_line(step.line_index, 0, indent);
            let fix = vec![Edit::delete(span.start, span.end)];
            report.emit_fixed(
                span,
                format!(
                    "indented with spaces: bastille runs `{}` with `{}` as its first argument",
                    step.written_keyword.to_lowercase(),
                    step.written_keyword
                ),
                "remove the indentation (a tab also works, but none is clearer)",
                fix,
            );
        }
    }
}
