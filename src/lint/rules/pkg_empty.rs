//! JW308: PKG with no package. bastille runs `pkg install` with nothing to
//! install, which pkg rejects, and the template fails at that line. Name
//! the packages, or remove the line.

use super::{BASTILLE, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW308",
    name: "pkg-empty",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "PKG without a package to install",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Pkg { packages, .. } = &step.instruction
            && packages.is_empty()
        {
            report.emit(
                args_span(doc, step),
                format!("{} names no package: `pkg install` fails", step.written_keyword),
                "list the packages to install",
            );
        }
    }
}
