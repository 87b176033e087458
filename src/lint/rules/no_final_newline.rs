//! JW709: the last line has no newline. AppJail and pot read their files
//! with `while read line`, which never returns a last line without a
//! newline: that instruction silently does not run (pot.md §3.1,
//! appjail.md reader). End the file with a newline.

use super::MAKEJAIL_AND_POT;
use crate::document::{Document, ProblemKind};
use crate::lint::{Edit, Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW709",
    name: "no-final-newline",
    severity: Severity::Warning,
    dialects: MAKEJAIL_AND_POT,
    summary: "the last line has no newline, so the manager's `read` never returns it (AppJail, pot)",
    check,
    fixable: true,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for problem in doc
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::NoFinalNewline)
    {
        let span = doc.problem_span(problem);
        let end = doc
            .sources
            .iter()
            .find(|s| s.name == span.file)
            .map(|s| s.text.len());
        let fix = end.map(|at| vec![Edit::replace(at, at, "\n")]);
        report.emit_fixed(
            span,
            problem.message.clone(),
            "end the file with a newline",
            fix.unwrap_or_default(),
        );
    }
}
