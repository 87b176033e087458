//! Any bytes read as a Makejail: the line reader, the tokenizer (in both
//! modes), build arguments, every instruction reader and every lint rule
//! must never panic. The first byte picks whether build arguments are
//! given.

#![no_main]

use jailwright::dialect::{Bindings, makejail};
use jailwright::ir::Dialect;
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

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
    common::fmt_is_idempotent(Dialect::Makejail, "Makejail", text);
    let source = SourceFile::new("Makejail", text);
    let _ = makejail::tokenizer::tokenize(&source.text, mode & 2 == 2);
    let doc = makejail::parse(source, &bindings);
    common::exercise(&doc);
});
