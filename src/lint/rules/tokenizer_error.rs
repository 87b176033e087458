//! JW702: arguments AppJail's tokenizer rejects: an unterminated quote or
//! a trailing backslash (libexec word.c, "Invalid syntax (WDERRS)").
//! `appjail makejail` stops at that line. Close the quote or remove the
//! backslash (a line continued with `\` must go on on the next line).

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW702",
    name: "tokenizer-error",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "arguments AppJail's tokenizer rejects (unterminated quote, trailing backslash)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::Tokenizer,
        "close the quote, or escape the backslash",
    );
}
