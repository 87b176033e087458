//! Any bytes read as a Makejail: the line reader, the tokenizer (in both
//! modes), build arguments, every instruction reader and every lint rule
//! must never panic. The first byte picks whether build arguments are
//! given.

#![no_main]

use jailwright::dialect::{Bindings, makejail};
use jailwright::ir::Dialect;
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (mode, text) = data.split_first().map_or((0, data), |(m, t)| (*m, t));
    let bindings = Bindings {
        build_args: if mode & 1 == 1 {
            vec!["X=a}b".into(), "TAG".into()]
        } else {
            Vec::new()
        },
        ..Bindings::default()
    };
    if let Ok(utf8) = std::str::from_utf8(text) {
        let once = jailwright::format::format(Dialect::Makejail, "Makejail", utf8);
        assert_eq!(jailwright::format::format(Dialect::Makejail, "Makejail", &once), once);
    }
    let source = SourceFile::new("Makejail", text);
    let _ = makejail::tokenizer::tokenize(&source.text, mode & 2 == 2);
    let doc = makejail::parse(source, &bindings);
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
