//! JW905: `sudo` in a template. Template steps already run as root in the
//! jail (jexec -U root); sudo is usually not installed in a jail, and when
//! it is, it may ask for a password nobody types. Drop sudo; to run as
//! another user, use `su -m USER -c '...'` (or a Makejail's --juser/USER).
//! Not when the template installs sudo: root then runs `sudo -u postgres
//! psql` without a password, as meant.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW905",
    name: "sudo-in-template",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "sudo in a template that already runs as root (and may not have sudo)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if super::installed::Installed::of(doc).installs("sudo") {
        return;
    }
    for line in lines(doc) {
        if commands(line.text)
            .iter()
            .any(|c| c.first().is_some_and(|(_, w)| w == "sudo"))
        {
            report.emit(
                line.span_of(doc, "sudo"),
                "sudo: template steps already run as root in the jail",
                "drop sudo; to run as a user: su -m USER -c '...'",
            );
        }
    }
}
