//! JW707: build arguments (%{NAME}) that cannot be applied.

use super::{MAKEJAIL, report_problems};
use crate::document::{Document, ProblemKind};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW707",
    name: "build-arg-error",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "build arguments (%{NAME}) that cannot be applied",
    check,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::BuildArg,
        "pass the value with --build-arg NAME=VALUE, or give a default: %{NAME:default}",
    );
}
