//! JW916: a service started or enabled that nothing installs: it is not
//! one of FreeBSD's own rc.d scripts, and no package the template installs
//! provides it (PKG, `pkg install` in shell text). `service NAME start`
//! then fails ("NAME does not exist in /etc/rc.d or the local startup
//! directories") and the template stops there; an enabled service that
//! does not exist only makes rc complain at each start of the jail. Often
//! the package is missing from PKG or the name is another package's
//! (`mysql-server` needs `mysql80-server` or `mariadb106-server`).
//!
//! Lint says nothing when it cannot know (see `installed.rs`): the
//! service is not one whose packages it knows (`service-packages.tsv`),
//! the template copies files that may hold an rc script, includes
//! another, starts from an image, runs code it cannot read, or installs
//! nothing.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};
use std::collections::HashSet;

pub const RULE: Rule = Rule {
    code: "JW916",
    name: "service-not-installed",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "a service started or enabled that neither the base system nor an installed package provides",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let services = super::services::of(doc);
    if services.from_image || services.runs_unseen_code {
        return;
    }
    let installed = super::installed::Installed::of(doc);
    let mut reported: HashSet<String> = HashSet::new();
    let starts = services
        .starts
        .iter()
        .filter(|s| s.action.contains("start") || s.action.ends_with("reload"));
    for start in starts {
        if installed.missing(&start.name) && reported.insert(start.rc_name()) {
            report.emit(
                start.span.clone(),
                format!("nothing installs {}: it is not a base rc.d script and no package the template installs provides it, so `service {} {}` fails", start.name, start.name, start.action),
                format!("install the package that provides {} (PKG ...) before this line, or fix the service's name", start.name),
            );
        }
    }
    for enable in &services.enables {
        if installed.missing(&enable.name) && !services.started(&enable.name) && reported.insert(enable.name.replace('-', "_")) {
            report.emit(
                enable.span.clone(),
                format!("{}_enable=YES, but nothing installs {}: it is not a base rc.d script and no package the template installs provides it", enable.name, enable.name),
                format!("install the package that provides {} (PKG ...), or remove the setting", enable.name),
            );
        }
    }
}
