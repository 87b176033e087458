//! JW307: LINE_IN_FILE with more than two words. bastille reads the
//! arguments with `eval set --`, takes the first word as the line and the
//! second as the file, and ignores the rest: a line with blanks must be
//! quoted.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW307",
    name: "line-in-file-unquoted",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "LINE_IN_FILE takes a quoted line and a file; extra words are ignored",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "LINE_IN_FILE") {
        let n = step.args.len();
        if n != 2 {
            report.emit_as(
                if n < 2 {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                args_span(doc, step),
                format!("LINE_IN_FILE takes a line and a file (2 words), found {n}"),
                "quote the line: LINE_IN_FILE \"key = value\" /etc/file.conf",
            );
        }
    }
}
