//! JW909: a package installed twice (by two PKG steps, or by PKG and a
//! `pkg install` in shell text). The second install does nothing but cost
//! time; often one of the two lines was meant to be another package.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::ir::{Instruction, PkgAction, Span};
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};
use std::collections::HashSet;

pub const RULE: Rule = Rule {
    code: "JW909",
    name: "duplicate-package",
    severity: Severity::Info,
    dialects: ALL_DIALECTS,
    summary: "a package installed twice",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    let mut installs: Vec<(String, Span)> = Vec::new();
    for step in &doc.template.steps {
        if let Instruction::Pkg {
            packages,
            action: PkgAction::Install,
            ..
        } = &step.instruction
        {
            installs.extend(packages.iter().map(|p| (p.clone(), step.span.clone())));
        }
    }
    for line in lines(doc) {
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            if let Some(at) = words.windows(2).position(|w| w == ["pkg", "install"]) {
                for p in words[at + 2..].iter().filter(|w| !w.starts_with('-')) {
                    installs.push((p.to_string(), line.span_of(doc, p)));
                }
            }
        }
    }
    installs.sort_by(|a, b| (&a.1.file, a.1.start).cmp(&(&b.1.file, b.1.start)));
    // A set, not a list: a template with many packages must not cost a
    // scan of every earlier package per package.
    let mut seen: HashSet<&str> = HashSet::with_capacity(installs.len());
    for (package, span) in &installs {
        if !seen.insert(package.as_str()) {
            report.emit(
                span.clone(),
                format!("{package} is already installed by an earlier step"),
                "remove the repeated install, or fix the package name",
            );
        }
    }
}
