//! JW902: `pkg install` in shell text without `-y`. Templates run with no
//! terminal: pkg asks "Proceed with this action? [y/N]", reads end of
//! input as no, and the step fails (or installs nothing). PKG (Bastille,
//! AppJail) already sets ASSUME_ALWAYS_YES; in CMD text or a flavour
//! script, write `pkg install -y` (or use PKG).

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW902",
    name: "pkg-install-without-yes",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "`pkg install` in shell text without -y asks a question nobody answers",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for line in lines(doc) {
        if line.text.contains("ASSUME_ALWAYS_YES") {
            continue;
        }
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            let Some(at) = words.iter().position(|w| *w == "pkg") else {
                continue;
            };
            let rest = &words[at + 1..];
            let verb = rest.iter().position(|w| !w.starts_with('-'));
            let Some(verb) = verb.filter(|v| matches!(rest[*v], "install" | "add" | "upgrade" | "delete" | "remove" | "autoremove")) else {
                continue;
            };
            let yes = rest.iter().any(|w| {
                *w == "-y" || *w == "--yes" || (w.starts_with('-') && !w.starts_with("--") && w.contains('y'))
            });
            if !yes && rest[verb] != "add" {
                report.emit(
                    line.span_of(doc, "pkg"),
                    format!("`pkg {}` without -y: pkg asks for confirmation and reads no as the answer", rest[verb]),
                    "add -y (pkg install -y ...), or use PKG",
                );
            }
        }
    }
}
