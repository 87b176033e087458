//! JW723: `OPTION nat` (or `nonat`) without the virtual network it needs.
//! `appjail quick` sets NAT up after creating the jail and refuses it
//! without the `virtualnet` option ("nat requires the following options:
//! virtualnet.", share/appjail/cmd/quick:1022-1024, nonat 1258-1260,
//! exit 78): the jail is left on disk, marked dirty, and the build
//! stops. A nat without `network:` uses the default virtual network, which
//! only a virtualnet marked `default` sets (quick:1028-1042). A warning:
//! the options may also come from `appjail makejail -o`.

use super::{MAKEJAIL, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW723",
    name: "nat-without-virtualnet",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "OPTION nat or nonat without the virtual network it needs",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let steps = &doc.template.steps;
    // An INCLUDE left unexpanded may hold the network options.
    if steps
        .iter()
        .any(|s| matches!(s.instruction, Instruction::Include { .. }))
    {
        return;
    }
    let options: Vec<(&str, &str)> = steps
        .iter()
        .filter_map(|s| match &s.instruction {
            Instruction::JailOption { option } => {
                let option = option.trim();
                Some(option.split_once('=').unwrap_or((option, "")))
            }
            _ => None,
        })
        .collect();
    let virtualnets: Vec<&str> = options
        .iter()
        .filter(|(name, _)| *name == "virtualnet")
        .map(|(_, value)| *value)
        .collect();
    let default_network = virtualnets
        .iter()
        .any(|v| v.split_whitespace().skip(1).any(|w| w == "default"));
    for step in steps {
        let Instruction::JailOption { option } = &step.instruction else {
            continue;
        };
        let option = option.trim();
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        if name != "nat" && name != "nonat" {
            continue;
        }
        if virtualnets.is_empty() {
            report.emit(
                args_span(doc, step),
                format!("{name} needs a virtual network: AppJail refuses it without OPTION virtualnet (quick:1022-1024), after the jail was created"),
                "add `OPTION virtualnet=:<random> default` (or pass -o virtualnet=... to appjail makejail)",
            );
        } else if !default_network && !value.split_whitespace().any(|w| w.starts_with("network:")) {
            report.emit(
                args_span(doc, step),
                format!("{name} without network: uses the default virtual network, and no virtualnet here is marked `default` (quick:1028-1042)"),
                format!("add `network:NAME` to the {name}, or `default` to its virtualnet"),
            );
        }
    }
}
