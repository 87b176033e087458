//! jailwright: read, lint, convert and apply FreeBSD jail templates
//! (Bastillefile, Makejail, pot flavours) through one common IR.

// Small functions: clippy.toml sets the threshold.
#![deny(clippy::too_many_lines)]

pub mod bootstrap;
pub mod cli;
pub mod convert;
pub mod dialect;
pub mod docs;
pub mod document;
pub mod exec;
pub mod fetch;
pub mod files;
pub mod format;
pub mod inspect;
pub mod ir;
pub mod lint;
pub mod load;
pub mod output;
pub mod remote;
pub mod shell;
pub mod source;
