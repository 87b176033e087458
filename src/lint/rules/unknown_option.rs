//! JW722: an `OPTION` that `appjail quick` does not have. quick reads its
//! options in order and stops at the first name it does not know: `NAME:
//! option not found.` (share/appjail/cmd/quick:232-233, exit 66), so the
//! jail is never created. Options are written `name` or `name=value`;
//! `appjail quick -h` and appjail-quick(1) list them.

use super::{MAKEJAIL, text_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW722",
    name: "unknown-option",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "an OPTION appjail quick does not know: the build stops there",
    check,
    fixable: false,
    opt_in: false,
};

/// The option names quick accepts (quick:231, the case of quick_main).
pub const OPTIONS: &[&str] = &[
    "alias", "boot", "brandelf", "brandelf_abi", "bridge", "clone+jail", "clone+release",
    "container", "copy", "copydir", "cpuset", "create_args", "defaultrouter", "defaultrouter6",
    "depend", "devfs_ruleset", "device", "dhcp", "env", "ephemeral", "empty", "expose", "file",
    "files", "from", "fstab", "healthcheck", "ifconfig", "ifconfig6", "import+jail",
    "import+root", "initscript", "ip4", "ip4_disable", "ip4_inherit", "ip6", "ip6_disable",
    "ip6_inherit", "jng", "label", "limits", "linuxfs", "login", "login_user", "macaddr", "meta",
    "mount_devfs", "nat", "network", "noboot", "nomount_devfs", "nonat", "nologin",
    "nooverwrite", "noresolv_conf", "norestart", "norun", "nostart", "notzdata", "osarch",
    "osversion", "overwrite", "pkg", "priority", "release", "resolv_conf", "restart", "run",
    "run_args", "run_env", "secret", "slaac", "start", "start_args", "start_env", "stop_args",
    "stop_env", "template", "tiny+import", "tmpdir", "type", "tzdata", "virtualnet", "vnet",
    "volume", "x11", "zfs+import+jail", "zfs+import+root",
];

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let Instruction::JailOption { option } = &step.instruction else {
            continue;
        };
        // lib_jailparam_name: the text before the first `=`, leading
        // blanks stripped (share/appjail/lib/jail:65-94).
        let name = option.split('=').next().unwrap_or("").trim_start();
        // `$NAME` is the build script's shell's to expand.
        if name.is_empty() || name.contains('$') || name.contains("%{") || OPTIONS.contains(&name) {
            continue;
        }
        let Some(at) = step.text.find(name) else {
            continue;
        };
        let span = text_span(doc, step, at, at + name.len());
        if OPTIONS.contains(&name.trim_end()) {
            report.emit(
                span,
                format!("`{name}` ends in a blank, which appjail quick reads as part of the name: option not found (exit 66)"),
                format!("remove the blank: OPTION {}", name.trim_end()),
            );
            continue;
        }
        // One edit for a short name, two for a longer one (`port` is no
        // misspelled `boot`).
        let most = if name.len() <= 4 { 1 } else { 2 };
        let suggestion = OPTIONS
            .iter()
            .min_by_key(|o| strsim::levenshtein(o, name))
            .filter(|o| strsim::levenshtein(o, name) <= most);
        report.emit(
            span,
            format!("{name}: option not found. (appjail quick stops: exit 66)"),
            match suggestion {
                Some(o) => format!("did you mean `{o}`? appjail-quick(1) lists the options"),
                None => "appjail-quick(1) lists the options; ports are published with expose=HPORT[:JPORT]".into(),
            },
        );
    }
}
