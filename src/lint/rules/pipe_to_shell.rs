//! JW906: a download piped into a shell (`fetch -o - URL | sh`, `curl URL |
//! bash`). The template runs whatever the server sends that day, as root,
//! with no checksum; a truncated download runs half a script. Download to
//! a file, check its sha256, then run it.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::shell_text::lines;
use crate::lint::{Report, Rule, Severity};
use regex::Regex;
use std::sync::LazyLock;

pub const RULE: Rule = Rule {
    code: "JW906",
    name: "pipe-to-shell",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "a download piped into a shell runs unverified code as root",
    check,
    fixable: false,
    opt_in: false,
};

/// Compiled once for the whole run, not once per template.
static PIPE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"\b(curl|fetch|wget)\b[^|;&]*\|\s*(sudo\s+)?(/bin/|/usr/local/bin/)?(sh|bash|zsh|ksh)\b",
    )
    .ok()
});

fn check(doc: &Document, report: &mut Report) {
    let Some(pipe) = PIPE.as_ref() else {
        return;
    };
    for line in lines(doc) {
        if let Some(m) = pipe.find(line.text) {
            report.emit(
                line.span(doc, m.start(), m.end()),
                "a download piped into a shell: it runs unverified code as root",
                "download to a file, check its sha256 (sha256 -c), then run it",
            );
        }
    }
}
