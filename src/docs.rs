//! The pages under `docs/rules/`: one Markdown file per lint rule and an
//! index of the rules and the conversion codes, generated from the
//! catalogues: `tests/it/docs.rs` checks that the checked-in files are these,
//! and `JAILWRIGHT_WRITE_DOCS=1` rewrites them.

use crate::{convert, lint};

/// The index of every rule page, and the conversion codes.
fn index() -> String {
    let mut out = lint::docs::index();
    out.push_str("\n## Conversion codes (`jailwright convert`)\n\n| code | what does not carry over |\n|---|---|\n");
    for code in convert::codes::ALL {
        out.push_str(&format!("| {} | {} |\n", code.code, code.summary));
    }
    out
}

/// Every generated file: (path under `docs/rules/`, text).
pub fn files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = lint::rules::ALL
        .iter()
        .map(|rule| (format!("{}.md", rule.code), lint::docs::page(rule)))
        .collect();
    files.push(("README.md".into(), index()));
    files
}
