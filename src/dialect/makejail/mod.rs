//! The Makejail dialect, read exactly as `appjail makejail` reads it. See
//! grammar/makejail.md.

pub mod build_args;
pub mod lines;
pub mod tokenizer;
