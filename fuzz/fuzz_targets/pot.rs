//! Any bytes read as a pot flavour command file (and, split at the first
//! NUL, a script): the reader, getopts and every lint rule must never
//! panic.

#![no_main]

use jailwright::dialect::pot::{self, Flavour};
use jailwright::ir::Dialect;
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (commands, script) = match data.iter().position(|b| *b == 0) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let doc = pot::parse(vec![Flavour {
        name: "fuzz".into(),
        commands: Some(SourceFile::new("fuzz", commands)),
        script: script.map(|s| SourceFile::new("fuzz.sh", s)),
    }]);
    let _ = jailwright::inspect::json(&doc.template);
    let _ = jailwright::lint::lint(&doc);
    for to in [Dialect::Bastille, Dialect::Makejail, Dialect::Pot] {
        if to == doc.template.dialect {
            continue;
        }
        let c = jailwright::convert::convert(&doc, to, "fuzz", &|_| false);
        let back = jailwright::convert::read_back(&c);
        let _ = jailwright::convert::convert(&back, doc.template.dialect, "fuzz", &|_| false);
    }
});
