//! jailwright: read, lint, convert and apply FreeBSD jail templates
//! (Bastillefile, Makejail, pot flavours) through one common IR.

pub mod cli;
pub mod dialect;
pub mod document;
pub mod exec;
pub mod inspect;
pub mod ir;
pub mod lint;
pub mod shell;
pub mod source;
