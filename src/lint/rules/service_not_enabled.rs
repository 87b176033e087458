//! JW910: a service started that is not enabled. FreeBSD's rc scripts
//! refuse `service NAME start` unless `NAME_enable=YES` ("Cannot 'start'
//! NAME. Set NAME_enable to YES"), and still exit 0: the template goes on
//! with the service down. Enable it first (`SYSRC NAME_enable=YES`), or
//! use `onestart` for a one-off run. Not for base services that need no
//! enabling: those without an enable variable (`ldconfig`) and those
//! /etc/defaults/rc.conf enables (`syslogd`, `cron`): see
//! `lint/data/freebsd-base-rc.tsv`; and not for a service the template
//! does not install (it is applied to a jail that another template set
//! up, where the service may be enabled already). A `restart` expects the
//! service running: it is reported only when the template installs the
//! service's own package (`php83`, not just `php83-dom`) or it is base.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW910",
    name: "service-not-enabled",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "`service NAME start` without NAME_enable=YES does nothing (and exits 0)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let services = super::services::of(doc);
    if services.from_image || services.writes_rc_conf {
        return;
    }
    let installed = super::installed::Installed::of(doc);
    for start in services
        .starts
        .iter()
        .filter(|s| match s.action.as_str() {
            "start" => installed.may_provide(&s.name),
            // A restart expects it running: set up (and enabled) by a
            // template applied before, unless this one installs it.
            "restart" => {
                installed.installs_own_package(&s.name)
                    || super::installed::base_service(&s.name).is_some()
            }
            _ => false,
        })
    {
        let needs_no_enable = super::installed::base_service(&start.name)
            .is_some_and(super::installed::BaseService::runs_without_enable);
        if !needs_no_enable && !services.enabled(&start.name, start.order.clone()) {
            report.emit(
                start.span.clone(),
                format!("{} is started but {}_enable is not YES: rc refuses to start it", start.name, start.rc_name()),
                format!("SYSRC {}_enable=YES before it, or use onestart", start.rc_name()),
            );
        }
    }
}
