//! JW707: build arguments (`%{NAME}`) that cannot be applied. AppJail
//! replaces `%{NAME}` from `ARG`-style `%{NAME=default}` declarations and
//! `appjail makejail -b NAME=VALUE` before it reads the instructions; a
//! reference with no value, or a `-b` for a name no line declares, stops
//! `appjail makejail` before anything runs (appjail.md, build arguments).
//! Fix: declare the build argument with a default, or pass it with `-b`.

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
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    report_problems(
        doc,
        report,
        ProblemKind::BuildArg,
        "pass the value with --build-arg NAME=VALUE, or give a default: %{NAME:default}",
    );
}
