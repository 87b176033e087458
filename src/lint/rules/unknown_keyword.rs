//! JW501: a keyword that is neither a template instruction nor a bastille
//! subcommand. bastille passes it to `bastille KEYWORD JAIL ...`, which
//! prints its usage and exits 1: the template stops there.
//!
//! Files of bastille-vm-plugin reuse the name Bastillefile for bhyve VM
//! definitions (`VM`, `CPU`, `MEM`, ...): those get one finding that says
//! so instead of one per line.

use super::BASTILLE;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW501",
    name: "unknown-keyword",
    severity: Severity::Error,
    dialects: BASTILLE,
    summary: "a keyword that is neither an instruction nor a bastille subcommand",
    check,
    fixable: false,
    opt_in: false,
};

/// Keywords of bastille-vm-plugin's VM definitions.
const VM_PLUGIN: [&str; 13] = [
    "vm",
    "cpu",
    "mem",
    "bootrom",
    "disk",
    "nic",
    "iso",
    "cloudinit",
    "network_config",
    "os",
    "address",
    "framebuffer",
    "passthru",
];

fn check(doc: &Document, report: &mut Report) {
    let unknown = doc.template.steps.iter().filter(|s| {
        matches!(s.instruction, Instruction::Passthrough { known: false, .. })
            // JW101 and JW102 already explain these.
            && !s.written_keyword.contains(['\u{feff}', '\r'])
    });
    let steps: Vec<_> = unknown.collect();
    if let Some(vm) = steps.iter().find(|s| s.written_keyword.eq_ignore_ascii_case("vm")) {
        report.emit(
            vm.span.clone(),
            "this is a bastille-vm-plugin VM definition, not a template: `bastille template` fails on its keywords",
            "use it with bastille-vm-plugin, not `bastille template`",
        );
    }
    let is_vm = steps.iter().any(|s| s.written_keyword.eq_ignore_ascii_case("vm"));
    for step in steps {
        let lower = step.written_keyword.to_ascii_lowercase();
        if is_vm && VM_PLUGIN.contains(&lower.as_str()) {
            continue;
        }
        report.emit(
            step.span.clone(),
            format!("`{}` is not a template instruction or a bastille subcommand: the template stops here", step.written_keyword),
            "check the spelling; see `bastille --help` for subcommands",
        );
    }
}
