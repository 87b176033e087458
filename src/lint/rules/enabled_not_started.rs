//! JW911: a service enabled but never started. `SYSRC NAME_enable=YES`
//! only takes effect at the jail's next start; until then the service is
//! down, which a template that ends there rarely means. Start it
//! (`SERVICE NAME start`), or say so in a comment if the restart is meant.
//! Not for pot: a flavour runs while the pot is being created, and pot
//! starts what is enabled when the pot starts.

use super::BASTILLE_AND_MAKEJAIL;
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW911",
    name: "enabled-not-started",
    severity: Severity::Info,
    dialects: BASTILLE_AND_MAKEJAIL,
    summary: "a service enabled with sysrc but never started by the template",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    let services = super::services::of(doc);
    if services.restarts_jail {
        return;
    }
    for enable in &services.enables {
        if !services.started(&enable.name) {
            report.emit(
                enable.span.clone(),
                format!("{}_enable=YES, but the template never starts {}", enable.name, enable.name),
                format!("add SERVICE {} start (or restart)", enable.name),
            );
        }
    }
}
