//! Any bytes read as a Bastillefile: parsing, JSON output, every lint
//! rule, conversion to the other dialects (and back) and fmt must never
//! panic. The first byte picks whether --arg values and a
//! jail are given, so substitution paths are reached too.

#![no_main]

use jailwright::dialect::{Bindings, JailFacts, bastille};
use jailwright::ir::Dialect;
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let (mode, text) = data.split_first().map_or((0, data), |(m, t)| (*m, t));
    let bindings = if mode & 1 == 1 {
        Bindings {
            args: vec!["NAME=a b".into(), "X=$(y)".into()],
            arg_file: Some("NAME=file\nY='q\n".into()),
            build_args: Vec::new(),
            jail: JailFacts {
                name: Some("j".into()),
                ip4: Some("10.0.0.1".into()),
                ip6: None,
            },
            keep_references: mode & 2 == 2,
        }
    } else {
        Bindings::default()
    };
    let doc = bastille::parse(SourceFile::new("Bastillefile", text), &bindings);
    common::exercise(&doc);
    common::fmt_is_idempotent(Dialect::Bastille, "Bastillefile", text);
});
