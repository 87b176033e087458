//! A lint finding, and how it is shown: a miette report for people, JSON
//! for machines.

use crate::ir::Span;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// ShellCheck's own code (`SC2086`) of a JW901 finding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shellcheck_code: Option<String>,
    /// Edits of the finding's file that fix it (`lint --fix`), when the
    /// fix is certain.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fix: Vec<super::Edit>,
    /// Reported only when a selector names it exactly (its code, rule name
    /// or ShellCheck code), not by a family, `ALL` or the default: ruff's
    /// opt-in rules. Findings that are mostly a matter of style.
    #[serde(skip)]
    pub opt_in: bool,
    #[serde(flatten)]
    pub span: Span,
}

impl Diagnostic {
    /// Whether `selector` names this finding: its code or rule name, a
    /// family prefix of its code (`JW9`), `ALL`, or its ShellCheck code.
    pub fn matches(&self, selector: &str) -> bool {
        selector.eq_ignore_ascii_case("all")
            || selector.eq_ignore_ascii_case(self.rule)
            || self
                .shellcheck_code
                .as_deref()
                .is_some_and(|sc| sc.eq_ignore_ascii_case(selector))
            || (selector.len() >= 2
                && self.code.len() >= selector.len()
                && self.code[..selector.len()].eq_ignore_ascii_case(selector))
    }
}

/// A diagnostic with its source text, as miette wants it.
#[derive(Debug)]
pub struct Rendered<'a> {
    pub diagnostic: &'a Diagnostic,
    pub source: miette::NamedSource<super::indexed::IndexedSource>,
}

impl std::fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = &self.diagnostic.span;
        let len = span.end.saturating_sub(span.start);
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            Some("here".into()),
            span.start,
            len,
        ))))
    }
}
