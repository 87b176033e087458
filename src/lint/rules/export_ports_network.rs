//! JW812: exported ports work only on a bridge network. pot applies
//! `export-ports` at start only for a pot whose network type is
//! public-bridge (IPv4 or dual stack) or private-bridge (start.sh:595-630);
//! on inherit, the default of `pot create` (create.sh:473), or alias it
//! prints "Only public-bridge and private-bridge network type can export
//! ports - this setting will be ignored during start" and goes on
//! (export-ports.sh:93-96). A flavour cannot choose the network type
//! (`pot create -N` does), so this is a reminder, not an error.

use super::POT;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW812",
    name: "export-ports-network",
    severity: Severity::Info,
    dialects: POT,
    summary: "export-ports is ignored unless the pot is on a bridge network",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if let Some(step) = doc
        .template
        .steps
        .iter()
        .find(|s| matches!(s.instruction, Instruction::Rdr { .. }))
    {
        report.emit(
            step.span.clone(),
            "pot exports ports only from a pot created with -N public-bridge or -N private-bridge; on inherit (the default) or alias they are ignored",
            "create the pot with -N public-bridge (or -N private-bridge -B BRIDGE)",
        );
    }
}
