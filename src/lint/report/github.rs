//! GitHub Actions workflow commands: one `::error file=..,line=..::message`
//! line per finding, shown as annotations on the pull request.

use super::FileResult;
use crate::lint::Severity;

pub fn github(results: &[FileResult]) -> String {
    let mut out = String::new();
    for result in results {
        for d in &result.diagnostics {
            let (end_line, end_column) = super::end_of(result, d);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={end_line},endColumn={end_column},title={}::{}\n",
                property(&d.span.file),
                d.span.line,
                d.span.column,
                property(&format!("{} {}", d.code, d.rule)),
                data(&match &d.help {
                    Some(help) => format!("{}\n{help}", d.message),
                    None => d.message.clone(),
                })
            ));
        }
    }
    out
}

/// The message part: `%`, CR and LF escaped (toolkit's escapeData).
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,` (toolkit's escapeProperty).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}
