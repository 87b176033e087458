//! Any bytes read as a pot flavour command file (and, split at the first
//! NUL, a script): the reader, getopts and every lint rule must never
//! panic.

#![no_main]

use jailwright::dialect::pot::{self, Flavour};
use jailwright::source::SourceFile;
use libfuzzer_sys::fuzz_target;

#[path = "../common.rs"]
mod common;

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
    common::exercise(&doc);
});
