//! Which rc services a template's jail has: FreeBSD's own (the base
//! system's rc.d scripts, shipped as data: `lint/data/freebsd-base-rc.tsv`),
//! and those of the packages the template installs. For JW910 (a base
//! service enabled by /etc/defaults/rc.conf, or with no enable variable),
//! JW911 and JW916 (a service nothing installs).
//!
//! A package provides a service when `lint/data/service-packages.tsv`
//! says one of the parts of its name does (`mysql80-server`: `mysql`,
//! `server`, version digits dropped; `named` ← `bind918`). Services not in
//! that table are never said to be missing: packages install other
//! packages' services as dependencies (`beats8` installs filebeat).
//! Lint knows nothing for certain when the template copies files that may
//! hold an rc script, includes another template, starts from an image,
//! runs code it cannot read, or installs no package at all (a template
//! applied to a jail someone else provisioned).

use crate::document::Document;
use crate::ir::{Instruction, Runner};
use crate::lint::shell_text::{commands, lines};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One base rc.d script: its name, its enable variable (None: it has
/// none and always runs) and that variable's value in
/// /etc/defaults/rc.conf.
pub struct BaseService {
    pub script: &'static str,
    pub rcvar: Option<&'static str>,
    pub default: Option<&'static str>,
}

impl BaseService {
    /// `service NAME start` works without the template enabling it.
    pub fn runs_without_enable(&self) -> bool {
        self.rcvar.is_none() || self.default.is_some_and(|d| d.eq_ignore_ascii_case("yes"))
    }
}

/// The base system's rc.d scripts by name, and the script of each enable
/// variable's prefix (`sshd` for `sshd_enable`; the first script in the
/// table's order when several share one, as the zfs scripts do).
struct Base {
    by_script: HashMap<&'static str, BaseService>,
    by_rc_name: HashMap<&'static str, &'static str>,
}

fn base() -> &'static Base {
    static TABLE: OnceLock<Base> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = Base {
            by_script: HashMap::new(),
            by_rc_name: HashMap::new(),
        };
        for line in include_str!("../data/freebsd-base-rc.tsv")
            .lines()
            .skip_while(|l| l.starts_with('#'))
            .skip(1)
        {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(script), Some(rcvar), Some(default)) =
                (fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let value = |v: &'static str| (v != "-").then_some(v);
            if let Some(rc_name) = value(rcvar).and_then(|v| v.strip_suffix("_enable")) {
                table.by_rc_name.entry(rc_name).or_insert(script);
            }
            table.by_script.insert(
                script,
                BaseService {
                    script,
                    rcvar: value(rcvar),
                    default: value(default),
                },
            );
        }
        table
    })
}

/// The base service `name` names: by script name, or by the prefix of its
/// enable variable (`sshd_enable`: `sshd`).
pub fn base_service(name: &str) -> Option<&'static BaseService> {
    let table = base();
    table.by_script.get(name).or_else(|| {
        let script = table.by_rc_name.get(name.replace('-', "_").as_str())?;
        table.by_script.get(script)
    })
}

/// Package name parts that provide a service whose name shares none of
/// them (`lint/data/service-packages.tsv`).
fn aliases() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static TABLE: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("../data/service-packages.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .filter_map(|l| l.split_once('\t'))
            .map(|(service, packages)| (service, packages.split_whitespace().collect()))
            .collect()
    })
}

/// What lint knows of the services a template installs.
pub struct Installed {
    /// The name parts of each package installed (lowercase, digits
    /// dropped).
    packages: Vec<Vec<String>>,
    /// The template copies files that may hold an rc script, includes
    /// another template, starts from an image, or runs or builds code
    /// lint cannot read: it may install services lint does not see.
    opaque: bool,
}

impl Installed {
    pub fn of(doc: &Document) -> Installed {
        let mut packages: Vec<&str> = Vec::new();
        let mut unknown = false; // see `opaque`
        for step in &doc.template.steps {
            match &step.instruction {
                Instruction::Pkg {
                    packages: p,
                    runner,
                    ..
                } if *runner != Runner::Local => {
                    // `postgresql${VERSION}-server`: a name lint cannot read.
                    if p.iter().any(|p| p.contains('$') || p.contains("%{")) {
                        unknown = true;
                    }
                    packages.extend(p.iter().map(String::as_str))
                }
                Instruction::Include { .. }
                | Instruction::From { .. }
                | Instruction::Overlay { .. }
                | Instruction::Run { .. } => unknown = true,
                Instruction::Cp {
                    sources,
                    destination,
                    ..
                } if may_hold_rc_script(destination)
                    || sources.iter().any(|s| s.contains("rc.d")) =>
                {
                    unknown = true
                }
                _ => {}
            }
        }
        let shell = lines(doc);
        let mut from_shell: Vec<String> = Vec::new();
        for line in &shell {
            for command in commands(line.text).iter() {
                let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
                let packages = pkg_install_packages(&words);
                if !packages.is_empty() {
                    from_shell.extend(packages.iter().map(|&i| words[i].to_string()));
                } else if builds_or_fetches(&words) {
                    unknown = true;
                }
            }
        }
        let packages: Vec<Vec<String>> = packages
            .into_iter()
            .chain(from_shell.iter().map(String::as_str))
            .map(|p| name_parts(p).collect())
            .collect();
        Installed {
            packages,
            opaque: unknown,
        }
    }

    /// The name parts of every package installed.
    fn parts(&self) -> impl Iterator<Item = &str> {
        self.packages.iter().flatten().map(String::as_str)
    }

    /// Whether the template installs any package.
    fn installs_some(&self) -> bool {
        self.packages.iter().any(|p| !p.is_empty())
    }

    /// Whether a package the template installs has `part` in its name
    /// (`sudo`).
    pub fn installs(&self, part: &str) -> bool {
        self.parts().any(|p| p == part)
    }

    /// Whether nothing in the jail provides service `name`: it is not
    /// base, lint knows its packages (`service-packages.tsv`), and the
    /// template installs none of them (when lint can tell at all).
    pub fn missing(&self, name: &str) -> bool {
        // A template that installs nothing is applied to a jail that has
        // what it needs (or it would install it).
        !self.opaque && self.installs_some() && self.known_absent(name)
    }

    /// Whether lint knows the packages of service `name` and the template
    /// installs none of them.
    fn known_absent(&self, name: &str) -> bool {
        if base_service(name).is_some() {
            return false;
        }
        let service = name.to_lowercase().replace('-', "_");
        let stem = service.split('_').next().unwrap_or(&service);
        let Some(providers) = providers(&service, stem) else {
            return false;
        };
        // `mysql80-client` does not install the server's service.
        !self
            .packages
            .iter()
            .filter(|parts| !parts.iter().any(|p| p == "client"))
            .flatten()
            .any(|part| providers.contains(&part.as_str()))
    }

    /// Whether the jail may have service `name` after the template: it
    /// `provides` it, or the template installs packages and also puts
    /// files or code in the jail that lint cannot see into (an OVERLAY,
    /// a build from source), and the service is not one whose packages
    /// lint knows to be missing.
    pub fn may_provide(&self, name: &str) -> bool {
        self.provides(name) || (self.opaque && self.installs_some() && !self.known_absent(name))
    }

    /// Whether the jail evidently has service `name`: a base rc.d
    /// script, or a package the template installs has a part that starts
    /// the service's name or is started by it (`nginx-full` → nginx,
    /// `varnish7` → varnishd, `mongodb70` → mongod) or that
    /// `service-packages.tsv` lists for it. A template that starts or
    /// enables a service it does not install works on a jail another
    /// template provisioned, where the service may be set up already.
    pub fn provides(&self, name: &str) -> bool {
        if base_service(name).is_some() {
            return true;
        }
        let (service, stem) = service_stem(name);
        let known = providers(&service, &stem).unwrap_or(&[]);
        stem.len() >= 2
            && self
                .parts()
                .any(|part| shares_stem(part, &stem) || known.contains(&part))
    }

    /// Whether the template installs the service's own package: one whose
    /// name is the service's (version digits dropped) with at most a
    /// variant suffix (`nginx-full`, `mysql80-server`, `php83`), not a
    /// module that only pulls it in (`php83-dom`).
    pub fn installs_own_package(&self, name: &str) -> bool {
        let (_, stem) = service_stem(name);
        const VARIANTS: &[&str] = &["server", "full", "lite", "devel", "light", "nox", "client"];
        self.packages.iter().any(|parts| {
            parts.first().is_some_and(|first| {
                shares_stem(first, &stem)
                    && parts[1..].iter().all(|p| VARIANTS.contains(&p.as_str()))
            })
        })
    }
}

/// The package name parts `service-packages.tsv` lists for a service, by
/// its rc name or else by `stem`.
fn providers(service: &str, stem: &str) -> Option<&'static [&'static str]> {
    let table = aliases();
    table
        .get(service)
        .or_else(|| table.get(stem))
        .map(Vec::as_slice)
}

/// A service's rc name (`php-fpm`: `php_fpm`) and its stem: the name up
/// to the first `_`, version digits dropped (`php`).
fn service_stem(name: &str) -> (String, String) {
    let service = name.to_lowercase().replace('-', "_");
    let stem = service
        .split('_')
        .next()
        .unwrap_or(&service)
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect();
    (service, stem)
}

/// A package name part and a service stem name the same program: one
/// starts the other (`nginx`/`nginx`, `varnish`/`varnishd`).
fn shares_stem(part: &str, stem: &str) -> bool {
    part.starts_with(stem) || (part.len() >= 3 && stem.starts_with(part))
}

/// The indices of the package words of a `pkg install` command's words
/// (options skipped, and the repository `-r NAME` names).
pub fn pkg_install_packages(words: &[&str]) -> Vec<usize> {
    let Some(at) = words.windows(2).position(|w| w == ["pkg", "install"]) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut i = at + 2;
    while i < words.len() {
        match words[i] {
            "-r" | "--repository" => i += 1,
            w if w.starts_with('-') => {}
            _ => found.push(i),
        }
        i += 1;
    }
    found
}

/// The parts of a package name: split at `-` and `_`, lowercase, version
/// digits dropped (`mysql80-server`: `mysql`, `server`; `php83`: `php`),
/// an origin's category dropped (`databases/redis`: `redis`).
fn name_parts(package: &str) -> impl Iterator<Item = String> + '_ {
    let name = package.rsplit('/').next().unwrap_or(package);
    // `nginx-1.24.0` or `nginx@default`: the name only.
    let name = name.split('@').next().unwrap_or(name);
    name.split(['-', '_'])
        .map(|p| {
            p.to_lowercase()
                .chars()
                .filter(|c| !c.is_ascii_digit() && *c != '.')
                .collect::<String>()
        })
        .filter(|p| !p.is_empty())
}

/// A destination under which a copy may place an rc script.
fn may_hold_rc_script(destination: &str) -> bool {
    let d = destination.trim_end_matches('/');
    let d = if d.is_empty() { "/" } else { d };
    d.contains("rc.d")
        || !d.starts_with('/')
        || ["/", "/usr", "/usr/local", "/usr/local/etc", "/etc"].contains(&d)
}

/// Shell commands that build or fetch software lint cannot follow.
fn builds_or_fetches(words: &[&str]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    matches!(
        *first,
        "make"
            | "gmake"
            | "fetch"
            | "curl"
            | "wget"
            | "git"
            | "portsnap"
            | "pip"
            | "pip3"
            | "npm"
            | "go"
            | "cargo"
            | "install"
    ) || words.windows(2).any(|w| w == ["pkg", "add"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn installed(packages: &[&str]) -> Installed {
        Installed {
            packages: packages.iter().map(|p| name_parts(p).collect()).collect(),
            opaque: false,
        }
    }

    #[test]
    fn which_package_provides_which_service() {
        let jail = installed(&["phpMyAdmin5-php83"]);
        assert!(jail.missing("mysql-server"));
        assert!(jail.missing("mysql"));
        assert!(!jail.missing("php-fpm"), "php83 is a part");
        assert!(!jail.missing("syslogd"), "base");
        assert!(!installed(&["mysql80-server"]).missing("mysql-server"));
        assert!(!installed(&["varnish7"]).missing("varnishd"));
        assert!(!installed(&["mongodb60"]).missing("mongod"));
        assert!(
            !installed(&["beats8"]).missing("filebeat"),
            "not in the table: unknown"
        );
        assert!(!installed(&["mariadb106-server"]).missing("mysql-server"));
        assert!(!installed(&["bind918"]).missing("named"));
        assert!(installed(&["weechat"]).missing("tcsd"));
        assert!(!installed(&["trousers"]).missing("tcsd"));
        assert!(!installed(&["www/nginx"]).missing("nginx"));
        assert!(installed(&["nginx-full"]).provides("nginx"));
        assert!(installed(&["mongodb70"]).provides("mongod"));
        assert!(installed(&["weechat"]).provides("sshd"), "base");
        assert!(!installed(&["apache24", "mrtg"]).provides("mysql"));
        assert!(!installed(&["wordpress"]).provides("php-fpm"));
        assert!(installed(&["php83-dom"]).provides("php-fpm"));
        assert!(!installed(&["php83-dom", "wordpress"]).installs_own_package("php-fpm"));
        assert!(installed(&["php83"]).installs_own_package("php-fpm"));
        assert!(installed(&["mysql80-server"]).installs_own_package("mysql-server"));
        assert!(installed(&["nginx-full"]).installs_own_package("nginx"));
    }

    #[test]
    fn the_base_table_knows_enable_variables_and_defaults() {
        assert!(base_service("ldconfig").is_some_and(BaseService::runs_without_enable));
        assert!(base_service("syslogd").is_some_and(BaseService::runs_without_enable));
        assert!(base_service("sshd").is_some_and(|s| !s.runs_without_enable()));
        assert!(base_service("nginx").is_none());
    }
}
