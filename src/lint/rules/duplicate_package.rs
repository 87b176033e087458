//! JW909: a package installed twice (by two PKG steps, or by PKG and a
//! `pkg install` in shell text). The second install does nothing but cost
//! time; often one of the two lines was meant to be another package.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::ir::{Instruction, PkgAction, Runner, Span};
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "JW909",
    name: "duplicate-package",
    severity: Severity::Info,
    dialects: ALL_DIALECTS,
    summary: "a package installed twice",
    check,
    fixable: false,
    opt_in: false,
};

/// One install of a package: where, and by which step.
struct Install {
    package: String,
    span: Span,
    step: usize,
}

fn check(doc: &Document, report: &mut Report) {
    let mut installs: Vec<Install> = Vec::new();
    for (index, step) in doc.template.steps.iter().enumerate() {
        if let Instruction::Pkg {
            packages,
            action: PkgAction::Install,
            runner,
        } = &step.instruction
        {
            // `PKG --local` (a Makejail's, `pkg` run on the host) installs
            // on the host, not in the jail.
            if *runner == Runner::Local {
                continue;
            }
            // Each package at its own place in the text, in order.
            let mut from = 0;
            for p in packages {
                let (span, next) = word_span(doc, step, p, from);
                from = next;
                installs.push(Install {
                    package: p.clone(),
                    span,
                    step: index,
                });
            }
        }
    }
    let all = lines(doc);
    for line in &all {
        let index = doc.step_index(line.step).unwrap_or(usize::MAX);
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            for i in super::installed::pkg_install_packages(&words) {
                let (offset, p) = &command[i];
                installs.push(Install {
                    package: p.clone(),
                    span: line.span(doc, *offset, offset + p.len()),
                    step: index,
                });
            }
        }
    }
    installs.sort_by(|a, b| (&a.span.file, a.span.start).cmp(&(&b.span.file, b.span.start)));
    // A map, not a list: a template with many packages must not cost a
    // scan of every earlier package per package.
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::with_capacity(installs.len());
    for install in &installs {
        match seen.get(install.package.as_str()) {
            None => {
                seen.insert(install.package.as_str(), (install.step, install.span.line));
            }
            Some(&(step, line)) => {
                let message = if step == install.step {
                    format!("{} is listed twice in this install", install.package)
                } else {
                    format!("{} is already installed on line {line}", install.package)
                };
                report.emit(
                    install.span.clone(),
                    message,
                    "remove the repeated install, or fix the package name",
                );
            }
        }
    }
}

/// The span of a package's name in its step's text at or after byte
/// `from` (the step's when the name is not written there as it is, after
/// substitution), and where to look for the next one.
fn word_span(doc: &Document, step: &crate::ir::Step, package: &str, from: usize) -> (Span, usize) {
    let text = &step.text;
    let found = text.get(from..).and_then(|rest| {
        rest.match_indices(package).map(|(at, _)| from + at).find(|at| {
            let before = text[..*at].chars().next_back();
            let after = text[at + package.len()..].chars().next();
            before.is_none_or(char::is_whitespace) && after.is_none_or(char::is_whitespace)
        })
    });
    match found {
        Some(at) => (super::text_span(doc, step, at, at + package.len()), at + package.len()),
        None => (step.span.clone(), from),
    }
}
