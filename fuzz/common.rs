//! What every fuzz target does with a parsed template besides parsing it.

#![allow(dead_code)] // each target uses what it needs

use jailwright::document::Document;
use jailwright::ir::Dialect;

/// JSON output, every lint rule, and a conversion to each other dialect
/// and back: none may panic.
pub fn exercise(doc: &Document) {
    let _ = jailwright::inspect::json(&doc.template);
    let _ = jailwright::lint::lint(doc);
    for to in [Dialect::Bastille, Dialect::Makejail, Dialect::Pot] {
        if to == doc.template.dialect {
            continue;
        }
        let c = jailwright::convert::convert(doc, to, "fuzz", &|_| false);
        let back = jailwright::convert::read_back(&c);
        let _ = jailwright::convert::convert(&back, doc.template.dialect, "fuzz", &|_| false);
    }
}

/// fmt must be idempotent on any UTF-8 text.
pub fn fmt_is_idempotent(dialect: Dialect, name: &str, bytes: &[u8]) {
    if let Ok(text) = std::str::from_utf8(bytes) {
        let once = jailwright::format::format(dialect, name, text);
        assert_eq!(jailwright::format::format(dialect, name, &once), once);
    }
}
