//! JW719: `OPTION expose=` that AppJail cannot set up. `appjail quick`
//! refuses expose without the `virtualnet` option ("expose requires the
//! following options: virtualnet.", share/appjail/cmd/quick:1391-1393,
//! exit 78), so the jail is never created. An expose without `network:`
//! uses the default virtual network, and only the `default` flag of a
//! virtualnet sets one: without it quick fails with "This expose rule
//! cannot be configured because the default network is not defined."
//! (quick:1397-1404). A warning: the options may also come from
//! `appjail makejail -o` on the command line. The smallest working form
//! is `OPTION virtualnet=:<random> default` (the jail joins AppJail's
//! automatic network, created when missing, quick:1912-1931).

use super::{MAKEJAIL, args_span};
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW719",
    name: "expose-without-virtualnet",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "OPTION expose without the virtual network it needs",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let Some(networks) = super::networks(doc) else {
        return;
    };
    for (step, _, expose) in super::jail_options(doc).filter(|(_, name, _)| *name == "expose") {
        if networks.virtualnets == 0 {
            report.emit(
                args_span(doc, step),
                "expose needs a virtual network: AppJail refuses it without OPTION virtualnet (quick:1391-1393) and the jail is not created",
                "add `OPTION virtualnet=:<random> default` (or pass -o virtualnet=... to appjail makejail)",
            );
        } else if !networks.default_network && !expose.split_whitespace().any(|w| w.starts_with("network:")) {
            report.emit(
                args_span(doc, step),
                "expose without network: uses the default virtual network, and no virtualnet here is marked `default` (quick:1397-1404)",
                "add `network:NAME` to the expose, or `default` to its virtualnet",
            );
        }
    }
}
