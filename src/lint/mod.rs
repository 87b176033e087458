//! `jailwright lint`: every rule runs over a parsed [`Document`] and reports
//! [`Diagnostic`]s. Rules are pure functions, one per file under `rules/`.

pub mod config;
pub mod diagnostic;
pub mod pragma;
pub mod report;
pub mod rules;
pub mod shell_text;
pub mod shellcheck;

pub use diagnostic::{Diagnostic, Severity};

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
            span,
        });
    }
}

/// Runs every rule that applies to the document's dialect; findings come
/// back sorted by position.
pub fn lint(doc: &Document) -> Vec<Diagnostic> {
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

/// A rule's page: code, name, severity, dialects, family, summary and its
/// documentation (from its module).
pub fn explain(rule: &Rule) -> String {
    let dialects: Vec<String> = rule
        .dialects
        .iter()
        .map(|d| format!("{d:?}").to_lowercase())
        .collect();
    format!(
        "{} {}\n  severity: {}\n  dialects: {}\n  family: {}\n\n{}\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity,
        dialects.join(", "),
        rules::family(rule.code),
        rule.summary,
        rules::documentation(rule)
    )
}
