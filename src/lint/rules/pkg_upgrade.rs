//! JW903: `pkg upgrade`, `pkg update -f` or `freebsd-update` in a
//! template (shell text, or a Makejail `PKG --upgrade`). What the template
//! builds then depends on the day it runs, and an upgrade can restart
//! services mid-template; a template should install what it needs and
//! leave upgrades to their own schedule (hadolint's DL3005 for apt).

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::ir::{Instruction, PkgAction};
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW903",
    name: "upgrade-in-template",
    severity: Severity::Info,
    dialects: ALL_DIALECTS,
    summary: "an upgrade in a template (pkg upgrade, freebsd-update) makes its result depend on the day",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if let Instruction::Pkg {
            action: PkgAction::Upgrade,
            ..
        } = step.instruction
        {
            report.emit(
                step.span.clone(),
                "PKG --upgrade upgrades every package of the jail",
                "install what the template needs; upgrade jails on their own schedule",
            );
        }
    }
    for line in lines(doc) {
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            let upgrade = match words.iter().position(|w| *w == "pkg" || *w == "freebsd-update") {
                Some(at) if words[at] == "freebsd-update" => true,
                Some(at) => words[at + 1..].iter().find(|w| !w.starts_with('-')) == Some(&"upgrade"),
                None => false,
            };
            if upgrade {
                report.emit(
                    line.span_of(doc, words[0]),
                    "an upgrade inside a template: the result depends on the day it runs",
                    "install what the template needs; upgrade jails on their own schedule",
                );
            }
        }
    }
}
