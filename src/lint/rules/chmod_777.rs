//! JW908: `chmod 777` (or `a+rwx`, `-R 777`). Every user of the jail, and
//! every process a compromised service runs, can then change those files;
//! it usually hides an ownership problem. Give the files to the service's
//! user (`chown -R www:www ...`) and keep modes like 755/644.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW908",
    name: "chmod-777",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "chmod 777 makes files writable by every user of the jail",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    for line in lines(doc) {
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            if words.first() != Some(&"chmod") {
                continue;
            }
            let mode = words[1..].iter().find(|w| !w.starts_with('-'));
            if mode.is_some_and(|m| m.ends_with("777") || *m == "a+rwx" || *m == "ugo+rwx") {
                report.emit(
                    line.span_of(doc, "chmod"),
                    "chmod 777: every user of the jail can change these files",
                    "chown the files to the service's user and keep 755/644",
                );
            }
        }
    }
}
