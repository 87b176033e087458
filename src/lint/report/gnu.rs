//! The GNU error format (`FILE:LINE:COLUMN: SEVERITY: MESSAGE`), which
//! editors (Emacs compile mode, Vim's quickfix) jump through.

use super::FileResult;

pub fn gnu(results: &[FileResult]) -> String {
    let mut out = String::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        out.push_str(&format!(
            "{}:{}:{}: {}: {} [{}]\n",
            d.span.file,
            d.span.line,
            d.span.column,
            d.severity,
            d.message.replace('\n', " "),
            d.code
        ));
    }
    out
}
