//! JW601: legacy hook files. bastille 1.3.0 and later ignore them: a
//! template made only of hooks does nothing (and still reports success),
//! and hooks beside a Bastillefile are never run.

use super::BASTILLE;
use crate::dialect::bastille::legacy::HOOKS;
use crate::document::{Document, span_of};
use crate::ir::Layout;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW601",
    name: "legacy-hooks",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "hook files (PKG, SYSRC, CMD, ...) that bastille 1.3.0+ ignores",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let Some(first) = doc.sources.first() else {
        return;
    };
    match doc.template.layout {
        Layout::LegacyHooks => report.emit(
            span_of(first, 0, 0),
            "a template made of hook files: bastille 1.3.0 and later ignore them and apply nothing",
            "convert it with `bastille template convert DIR` (or `jailwright convert`)",
        ),
        Layout::File => {
            let beside: Vec<&str> = doc
                .siblings
                .iter()
                .map(String::as_str)
                .filter(|n| HOOKS.contains(n))
                .collect();
            if !beside.is_empty() {
                report.emit(
                    span_of(first, 0, 0),
                    format!("hook file(s) {} beside the Bastillefile are ignored by bastille 1.3.0 and later", beside.join(", ")),
                    "move their content into the Bastillefile",
                );
            }
        }
    }
}
