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
    let Some(networks) = super::networks(doc) else {
        return;
    };
    let nats = super::jail_options(doc).filter(|(_, name, _)| matches!(*name, "nat" | "nonat"));
    for (step, name, value) in nats {
        if networks.virtualnets == 0 {
            report.emit(
                args_span(doc, step),
                format!("{name} needs a virtual network: AppJail refuses it without OPTION virtualnet (quick:1022-1024), after the jail was created"),
                "add `OPTION virtualnet=:<random> default` (or pass -o virtualnet=... to appjail makejail)",
            );
        } else if !networks.default_network && !value.split_whitespace().any(|w| w.starts_with("network:")) {
            report.emit(
                args_span(doc, step),
                format!("{name} without network: uses the default virtual network, and no virtualnet here is marked `default` (quick:1028-1042)"),
                format!("add `network:NAME` to the {name}, or `default` to its virtualnet"),
            );
        }
    }
}
