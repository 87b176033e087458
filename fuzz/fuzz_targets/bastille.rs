//! Any bytes read as a Bastillefile: parsing, JSON output and every lint
//! rule must never panic. The first byte picks whether --arg values and a
//! jail are given, so substitution paths are reached too.

#![no_main]

use jailwright::dialect::{Bindings, JailFacts, bastille};
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

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
        }
    } else {
        Bindings::default()
    };
    let doc = bastille::parse(SourceFile::new("Bastillefile", text), &bindings);
    let _ = jailwright::inspect::json(&doc.template);
    let _ = jailwright::lint::lint(&doc);
});
