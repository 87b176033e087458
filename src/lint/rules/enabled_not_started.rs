//! JW911: a service enabled but never started. `SYSRC NAME_enable=YES`
//! only takes effect at the jail's next start; until then the service is
//! down, which a template that ends there rarely means. When the template
//! starts a service whose name is one or two letters away, the enable is
//! misspelled, and the finding says so. Only for a service
//! the template installs (or the base system has): one it does not is set
//! up by someone else, or nothing installs it (JW916). Start it
//! (`SERVICE NAME start`), or say so in a comment if the restart is meant.
//! Not for pot: a flavour runs while the pot is being created, and pot
//! starts what is enabled when the pot starts. Not when the template runs
//! code lint does not read (a Makejail RUN, a script file run from a
//! CMD), which may start it; and not for a service nothing installs
//! (JW916 reports that: starting it would fail the template); not after
//! an INCLUDE (the included template may start it) or with STOP (the jail
//! is left stopped, and starts what is enabled when it starts); not for
//! the base system's rc scripts that only do their work at boot (cleartmp),
//! nor for a setting named like one (`apache24_http_accept_enable`, when
//! apache24 is enabled too).

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
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let services = super::services::of(doc);
    if services.restarts_jail || services.runs_unseen_code || services.from_image {
        return;
    }
    let installed = super::installed::Installed::of(doc);
    let enabled: Vec<&str> = services.enables.iter().map(|e| e.name.as_str()).collect();
    let misspelled = NearStarts::new(&services, &enabled);
    for enable in &services.enables {
        // `apache24_http_accept_enable`: a setting of the apache24
        // service the template enables too, not a service of its own.
        let setting_of_another = enabled
            .iter()
            .any(|other| enable.name.len() > other.len() && enable.name.starts_with(&format!("{other}_")));
        let base = super::installed::base_service(&enable.name);
        let boot_only = base.is_some_and(|s| BOOT_ONLY.contains(&s.script));
        // `cron_enable=YES`: the default already, so it runs since the
        // jail started.
        let on_by_default = base.is_some_and(super::installed::BaseService::runs_without_enable);
        if services.started(&enable.name) || setting_of_another || boot_only || on_by_default {
            continue;
        }
        // The template starts a service of a name one or two letters away:
        // the enable is misspelled (and that service's start fails or is
        // refused).
        let near = misspelled.of(&enable.name);
        if let Some(start) = near {
            report.emit(
                enable.span.clone(),
                format!(
                    "{}_enable=YES, but the template starts {} (line {}): is one of the two names misspelled? rc reads {}_enable for that one",
                    enable.name,
                    start.name,
                    start.span.line,
                    start.rc_name()
                ),
                format!("SYSRC {}_enable=YES", start.rc_name()),
            );
            continue;
        }
        if installed.may_provide(&enable.name) {
            report.emit(
                enable.span.clone(),
                format!("{}_enable=YES, but the template never starts {}", enable.name, enable.name),
                format!("add SERVICE {} start (or restart)", enable.name),
            );
        }
    }
}

/// Base rc scripts that act only while the system boots: starting one
/// later does nothing useful (or harm: cleartmp would empty /tmp).
const BOOT_ONLY: &[&str] = &[
    "addswap", "adjkerntz", "bgfsck", "cleanvar", "cleartmp", "dmesg", "dumpon", "fsck", "growfs",
    "hostid", "hostid_save", "kldxref", "ldconfig", "motd", "os-release", "random", "savecore",
    "swaplate", "tmp", "var", "virecover",
];

/// The started services that nothing enables, found by a name one or two
/// edits away without comparing every pair (symmetric deletion: two names
/// within one edit each share a variant with one letter deleted).
struct NearStarts<'s> {
    by_variant: std::collections::HashMap<String, Vec<&'s super::services::Start>>,
}

impl<'s> NearStarts<'s> {
    fn new(services: &'s super::services::Services, enabled: &[&str]) -> Self {
        let enabled: std::collections::HashSet<String> =
            enabled.iter().map(|e| e.replace('-', "_")).collect();
        let mut by_variant: std::collections::HashMap<String, Vec<&super::services::Start>> =
            std::collections::HashMap::new();
        for start in services.starts.iter().filter(|s| !enabled.contains(&s.rc_name())) {
            for variant in variants(&start.rc_name()) {
                by_variant.entry(variant).or_default().push(start);
            }
        }
        NearStarts { by_variant }
    }

    /// A started service whose name is one or two edits from `name`.
    fn of(&self, name: &str) -> Option<&'s super::services::Start> {
        let name = name.replace('-', "_");
        variants(&name)
            .filter_map(|v| self.by_variant.get(&v))
            .flatten()
            .copied()
            .find(|s| {
                let other = s.rc_name();
                other != name && other.len() > 3 && strsim::levenshtein(&other, &name) <= 2
            })
    }
}

/// A name and each of it with one character deleted.
fn variants(name: &str) -> impl Iterator<Item = String> + '_ {
    let deletions = name.char_indices().map(move |(at, c)| {
        let mut v = String::with_capacity(name.len());
        v.push_str(&name[..at]);
        v.push_str(&name[at + c.len_utf8()..]);
        v
    });
    std::iter::once(name.to_string()).chain(deletions)
}
