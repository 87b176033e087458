//! Checkstyle XML, which many CI tools (Jenkins warnings, reviewdog,
//! GitLab plugins) import: one `<file>` per template with its `<error>`s.

use super::FileResult;
use crate::lint::Severity;

pub fn checkstyle(results: &[FileResult]) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for result in results {
        let mut files: Vec<&str> = result
            .diagnostics
            .iter()
            .map(|d| d.span.file.as_str())
            .collect();
        files.dedup();
        for file in files {
            out.push_str(&format!("  <file name=\"{}\">\n", escape(file)));
            for d in result.diagnostics.iter().filter(|d| d.span.file == file) {
                let severity = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                };
                out.push_str(&format!(
                    "    <error line=\"{}\" column=\"{}\" severity=\"{severity}\" message=\"{}\" source=\"jailwright.{}\"/>\n",
                    d.span.line,
                    d.span.column,
                    escape(&d.message),
                    d.code
                ));
            }
            out.push_str("  </file>\n");
        }
    }
    out.push_str("</checkstyle>\n");
    out
}

/// XML attribute text.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
