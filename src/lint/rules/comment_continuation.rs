//! JW105: a comment line that ends in `\`. Lines are joined before comments
//! are removed, so the comment swallows the next line.

use super::BASTILLE;
use crate::dialect::bastille::lines::{self, LineKind};
use crate::document::Document;
use crate::ir::Layout;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW105",
    name: "comment-continuation",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "a comment ending in a backslash swallows the next line",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout != Layout::File {
        return;
    }
    for (index, line) in doc.lines.iter().enumerate() {
        if line.physical_lines > 1 && lines::kind(&line.text) == LineKind::Comment {
            let swallowed = line.first_line + 1;
            report.emit(
                doc.line_span(index),
                format!(
                    "this comment ends in `\\`, so line {swallowed}{} joined to it and never run",
                    if line.physical_lines > 2 {
                        " and the following are"
                    } else {
                        " is"
                    }
                ),
                "remove the trailing backslash from the comment",
            );
        }
    }
}
