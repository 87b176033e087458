//! `jailwright lint`: every rule runs over a parsed [`Document`] and reports
//! [`Diagnostic`]s. Rules are pure functions, one per file under `rules/`.

pub(crate) mod config;
pub(crate) mod diagnostic;
pub(crate) mod docs;
pub mod fix;
mod indexed;
pub(crate) mod pragma;
pub mod report;
pub mod rules;
pub(crate) mod selection;
pub(crate) mod session;
pub(crate) mod shell_text;
pub mod shellcheck_script;

pub use diagnostic::{Diagnostic, Severity};
pub use fix::Edit;

use crate::document::Document;
use crate::ir::{Dialect, Span};

/// A lint rule: a stable code, a kebab-case name, the dialects it applies
/// to, and the check itself.
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub dialects: &'static [Dialect],
    /// One line saying what the rule finds.
    pub summary: &'static str,
    pub check: fn(&Document, &mut Report),
    /// Its findings carry a fix that only removes the defect (`lint
    /// --fix`): the file then reads as its author evidently meant.
    pub fixable: bool,
    /// Reported only when selected by its own code or name (see
    /// `Diagnostic::opt_in`): a rule whose findings are mostly style.
    pub opt_in: bool,
}

/// Where a rule reports its findings.
pub struct Report<'r> {
    rule: &'r Rule,
    found: Vec<Diagnostic>,
}

impl Report<'_> {
    /// Reports at the rule's default severity.
    pub fn emit(&mut self, span: Span, message: impl Into<String>, help: impl Into<String>) {
        self.emit_as(self.rule.severity, span, message, help);
    }

    /// Reports with the edits that fix it (the rule must be `fixable`).
    pub fn emit_fixed(
        &mut self,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
        fix: Vec<Edit>,
    ) {
        debug_assert!(self.rule.fixable, "{} reports a fix", self.rule.code);
        self.emit(span, message, help);
        if let Some(last) = self.found.last_mut() {
            last.fix = fix;
        }
    }

    pub fn emit_as(
        &mut self,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let help = help.into();
        self.found.push(Diagnostic {
            code: self.rule.code,
            rule: self.rule.name,
            severity,
            message: message.into(),
            help: (!help.is_empty()).then_some(help),
            shellcheck_code: None,
            fix: Vec::new(),
            opt_in: self.rule.opt_in,
            span,
        });
    }
}

/// Runs every rule that applies to the document's dialect; findings come
/// back sorted by position.
pub fn lint(doc: &Document) -> Vec<Diagnostic> {
    shell_text::remembered(doc, || lint_uncached(doc))
}

fn lint_uncached(doc: &Document) -> Vec<Diagnostic> {
    let mut all = Vec::new();
    for rule in rules::ALL {
        if !rule.dialects.contains(&doc.template.dialect) {
            continue;
        }
        let mut report = Report {
            rule,
            found: Vec::new(),
        };
        (rule.check)(doc, &mut report);
        all.extend(report.found);
    }
    all.sort_by(|a, b| {
        (&a.span.file, a.span.start, a.code).cmp(&(&b.span.file, b.span.start, b.code))
    });
    pragma::apply(doc, &mut all);
    all
}

/// The dialects a rule applies to, by name: `bastille, makejail`.
pub fn dialect_names(rule: &Rule) -> String {
    let names: Vec<String> = rule
        .dialects
        .iter()
        .map(|d| format!("{d:?}").to_lowercase())
        .collect();
    names.join(", ")
}

/// A rule's page: code, name, severity, dialects, family, summary and its
/// documentation (from its module).
pub fn explain(rule: &Rule) -> String {
    format!(
        "{} {}\n  severity: {}\n  default: {}\n  dialects: {}\n  family: {}\n  fixable: {}\n\n{}\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity,
        if rule.opt_in {
            "opt-in (select it by code or name: --extend-select)"
        } else {
            "on"
        },
        dialect_names(rule),
        rules::family(rule.code),
        if rule.fixable {
            "yes (lint --fix)"
        } else {
            "no"
        },
        rule.summary,
        rules::documentation(rule)
    )
}
