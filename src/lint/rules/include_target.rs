//! JW310: an INCLUDE target `bastille template` cannot find. It takes a URL
//! of the form `http(s)://host/user/repo`, or a `project/template` name or
//! path (anything with a `/`); a bare name fails with "Template name/URL not
//! recognized", and `git@host:user/repo` only works for `bastille bootstrap`.

use super::{BASTILLE, args_span, steps_of};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW310",
    name: "include-target",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "an INCLUDE target that is neither a URL nor a project/template path",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "INCLUDE") {
        let Instruction::Include { target, .. } = &step.instruction else {
            continue;
        };
        // A reference still unresolved is only known at run time.
        if target.contains('$') {
            continue;
        }
        let problem = if target.is_empty() {
            Some("INCLUDE names no template".to_string())
        } else if target.starts_with("git@") {
            Some(format!(
                "`{target}`: `bastille template` does not accept git@ addresses"
            ))
        } else if !target.contains('/') {
            Some(format!(
                "`{target}` is not a project/template path or URL: bastille fails with \"Template name/URL not recognized\""
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            report.emit(
                args_span(doc, step),
                message,
                "write INCLUDE project/template, a path to a template directory, or https://host/user/repo",
            );
        }
    }
}
