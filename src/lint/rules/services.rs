//! What a template does with rc services, for JW910 and JW911: the
//! `NAME_enable=YES` it sets (SYSRC, or sysrc in shell text) and the
//! `service NAME ACTION` it runs (SERVICE, or service in shell text).

use crate::document::Document;
use crate::ir::{Instruction, Runner, Span};
use crate::lint::shell_text::{commands, lines};
use std::cell::OnceCell;
use std::collections::HashMap;

pub struct Enable {
    pub name: String,
    pub span: Span,
    pub order: (String, usize),
}

pub struct Start {
    pub name: String,
    pub action: String,
    pub span: Span,
    pub order: (String, usize),
}

impl Start {
    /// The rc.conf name of the service (`php-fpm` is `php_fpm`).
    pub fn rc_name(&self) -> String {
        self.name.replace('-', "_")
    }
}

pub struct Services {
    pub enables: Vec<Enable>,
    pub starts: Vec<Start>,
    /// The template restarts the jail (RESTART, START), which starts what
    /// is enabled.
    pub restarts_jail: bool,
    /// The jail comes from an image (Makejail FROM), or the template
    /// includes another one: services may be enabled where lint does not
    /// see.
    pub from_image: bool,
    /// The template runs code lint cannot read (a Makejail RUN, a script
    /// file run from a CMD): it may start or enable anything.
    pub runs_unseen_code: bool,
    /// The template writes rc.conf settings lint does not read one by one
    /// (`echo ... >> /etc/rc.conf`, a copied `rc.conf.d/` file).
    pub writes_rc_conf: bool,
    enabled_index: OnceCell<ByService<HashMap<String, usize>>>,
    started_index: OnceCell<ByService<bool>>,
}

impl Services {
    /// Whether `name` is enabled before `order`.
    pub fn enabled(&self, name: &str, order: (String, usize)) -> bool {
        let index = self.enabled_index.get_or_init(|| {
            let mut index = ByService::default();
            for e in &self.enables {
                index.add(&e.name, |first: &mut HashMap<String, usize>| {
                    let offset = first.entry(e.order.0.clone()).or_insert(e.order.1);
                    *offset = (*offset).min(e.order.1);
                });
            }
            index
        });
        // Enabled in another file (an include), or earlier in this one.
        index.matching(name).any(|first| {
            first
                .iter()
                .any(|(file, offset)| *file != order.0 || *offset <= order.1)
        })
    }

    /// Whether the template runs `service NAME ACTION` with an action other
    /// than stop for the same service as `name` (see `ByService`).
    pub fn started(&self, name: &str) -> bool {
        let index = self.started_index.get_or_init(|| {
            let mut index = ByService::default();
            for s in &self.starts {
                index.add(&s.name, |started: &mut bool| *started |= s.action != "stop");
            }
            index
        });
        index.matching(name).any(|started| *started)
    }
}

/// What is known of each service name, found for a name without comparing
/// it with every other: an rc variable prefix and a service script name
/// are the same service when they are equal (`-` read as `_`) or one
/// begins with the other followed by `_` (`mysql-server` reads
/// `mysql_enable`). So by the name, and by each start of it before a `_`.
struct ByService<V> {
    exact: HashMap<String, V>,
    /// By each start of a name that ends before a `_` in it.
    longer: HashMap<String, V>,
}

impl<V> Default for ByService<V> {
    fn default() -> Self {
        ByService {
            exact: HashMap::new(),
            longer: HashMap::new(),
        }
    }
}

impl<V: Default> ByService<V> {
    fn add(&mut self, name: &str, mut update: impl FnMut(&mut V)) {
        let name = name.replace('-', "_");
        for start in starts_before_underscore(&name) {
            update(self.longer.entry(start.to_string()).or_default());
        }
        update(self.exact.entry(name).or_default());
    }

    /// What is known of every name of the same service as `name`.
    fn matching(&self, name: &str) -> impl Iterator<Item = &V> {
        let name = name.replace('-', "_");
        let shorter: Vec<&V> = starts_before_underscore(&name)
            .filter_map(|start| self.exact.get(start))
            .collect();
        let same = self.exact.get(&name);
        let longer = self.longer.get(&name);
        shorter.into_iter().chain(same).chain(longer)
    }
}

/// Each start of `name` that a `_` follows.
fn starts_before_underscore(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('_').map(|(at, _)| &name[..at])
}

/// The services a sysrc's arguments enable in rc.conf: none when `-f`
/// names another file (`sysrc -f /etc/periodic.conf daily_..._enable=YES`
/// is a periodic(8) setting, not a service).
fn rc_conf_enables(args: &[String]) -> Vec<String> {
    let other_file = args
        .windows(2)
        .any(|w| w[0] == "-f" && !w[1].contains("rc.conf"));
    if other_file {
        return Vec::new();
    }
    args.iter().filter_map(|a| enable_name(a)).collect()
}

fn enable_name(arg: &str) -> Option<String> {
    let (name, value) = arg.split_once('=')?;
    let name = name.strip_suffix("_enable")?;
    let value = value.trim_matches(['"', '\'']);
    (value.eq_ignore_ascii_case("yes") || value.eq_ignore_ascii_case("true") || value == "1")
        .then(|| name.to_string())
}

/// A copy that may put rc.conf settings into the jail: of an rc.conf
/// file or an `etc` directory (`CP etc /` with `etc/rc.conf.d/NAME`), or
/// anything into /etc.
fn copies_rc_conf(sources: &[String], destination: &str) -> bool {
    destination.trim_end_matches('/').starts_with("/etc")
        || destination.contains("rc.conf")
        || sources.iter().any(|s| {
            let s = s.trim_end_matches('/');
            s.contains("rc.conf") || s == "etc" || s.ends_with("/etc")
        })
}

/// A command that runs a script file lint does not read: a path
/// (`/scripts/start.sh`, `./setup`), or a shell given a file (`sh
/// setup.sh`). Sourcing (`. ./template.conf`) reads settings, mostly.
fn runs_a_script(words: &[&str]) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    let program = first.rsplit('/').next().unwrap_or(first);
    let shell = matches!(program, "sh" | "bash" | "csh" | "tcsh" | "zsh");
    if shell {
        return words[1..]
            .iter()
            .find(|w| !w.starts_with('-') && !w.starts_with('+'))
            .is_some_and(|_| !words[1..].contains(&"-c"));
    }
    let system = [
        "/bin/",
        "/sbin/",
        "/usr/bin/",
        "/usr/sbin/",
        "/usr/local/bin/",
        "/usr/local/sbin/",
    ];
    let path = first.starts_with('/') || first.starts_with("./") || first.starts_with("../");
    path && !system.iter().any(|dir| first.starts_with(dir))
}

pub fn of(doc: &Document) -> Services {
    let mut s = Services {
        enables: Vec::new(),
        starts: Vec::new(),
        restarts_jail: false,
        from_image: false,
        runs_unseen_code: false,
        writes_rc_conf: false,
        enabled_index: OnceCell::new(),
        started_index: OnceCell::new(),
    };
    for step in &doc.template.steps {
        let order = (step.span.file.clone(), step.span.start);
        match &step.instruction {
            // `--local`: the host's own rc.conf and services.
            Instruction::Sysrc {
                runner: Runner::Local,
                ..
            }
            | Instruction::Service {
                runner: Runner::Local,
                ..
            } => {}
            Instruction::Run { .. } => s.runs_unseen_code = true,
            Instruction::Cp {
                sources,
                destination,
                ..
            } if copies_rc_conf(sources, destination) => s.writes_rc_conf = true,
            // A directory merged into the root may hold etc/rc.conf.d.
            Instruction::Overlay { .. } => s.writes_rc_conf = true,
            Instruction::Sysrc { args, .. } => {
                for name in rc_conf_enables(args) {
                    s.enables.push(Enable {
                        name,
                        span: step.span.clone(),
                        order: order.clone(),
                    });
                }
            }
            // `service NAME enable` sets NAME_enable=YES (service(8)).
            Instruction::Service { args, .. } if args.len() >= 2 && args[1] == "enable" => {
                s.enables.push(Enable {
                    name: args[0].replace('-', "_"),
                    span: step.span.clone(),
                    order: order.clone(),
                })
            }
            // An image's rc.conf, or an included template, may enable it.
            Instruction::From { .. } | Instruction::Include { .. } => s.from_image = true,
            Instruction::Service { args, .. } if args.len() >= 2 => s.starts.push(Start {
                name: args[0].clone(),
                action: args[1].clone(),
                span: step.span.clone(),
                order,
            }),
            // STOP leaves the jail stopped: what is enabled starts with it.
            Instruction::Restart | Instruction::Start | Instruction::Stop => s.restarts_jail = true,
            Instruction::Passthrough { subcommand, .. }
                if subcommand == "restart" || subcommand == "start" =>
            {
                s.restarts_jail = true
            }
            _ => {}
        }
    }
    for line in lines(doc) {
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            let span = line.span(doc, command[0].0, command[0].0 + words[0].len());
            let order = (span.file.clone(), span.start);
            if words.iter().any(|w| w.contains("rc.conf")) && words[0] != "sysrc" {
                s.writes_rc_conf = true;
            }
            if runs_a_script(&words) && !words[0].contains("/rc.d/") {
                s.runs_unseen_code = true;
            }
            match words[..] {
                ["sysrc", ref rest @ ..] => {
                    let rest: Vec<String> = rest.iter().map(|w| w.to_string()).collect();
                    for name in rc_conf_enables(&rest) {
                        s.enables.push(Enable {
                            name,
                            span: span.clone(),
                            order: order.clone(),
                        });
                    }
                }
                // `/usr/local/etc/rc.d/couchdb start`: the script itself.
                [script, action, ..] if script.contains("/rc.d/") => s.starts.push(Start {
                    name: script.rsplit('/').next().unwrap_or(script).to_string(),
                    action: action.to_string(),
                    span: span.clone(),
                    order,
                }),
                ["service", name, "enable", ..] => s.enables.push(Enable {
                    name: name.replace('-', "_"),
                    span: span.clone(),
                    order,
                }),
                ["service", name, action, ..] => s.starts.push(Start {
                    name: name.to_string(),
                    action: action.to_string(),
                    span: span.clone(),
                    order,
                }),
                _ => {}
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether an rc variable prefix and a service script name are the same
    /// service. They often differ (`mysql-server` reads `mysql_enable`), so a
    /// name that begins with the other at a `_` or `-` counts too.
    fn same_service(rcvar: &str, script: &str) -> bool {
        let (a, b) = (rcvar.replace('-', "_"), script.replace('-', "_"));
        let prefix = |long: &str, short: &str| {
            long == short || (long.starts_with(short) && long[short.len()..].starts_with('_'))
        };
        prefix(&a, &b) || prefix(&b, &a)
    }

    /// The index finds exactly the names `same_service` matches.
    #[test]
    fn by_service_finds_what_same_service_matches() {
        let names = [
            "",
            "_",
            "mysql",
            "mysql_server",
            "mysql-server",
            "mysqld",
            "php_fpm",
            "php-fpm",
            "php",
            "a_b_c",
            "a_b",
            "a",
            "b_c",
            "nginx",
            "_x",
            "x_",
        ];
        for (i, enabled) in names.iter().enumerate() {
            let mut index = ByService::default();
            index.add(enabled, |seen: &mut Vec<usize>| seen.push(i));
            for asked in names {
                let found = index.matching(asked).next().is_some();
                assert_eq!(
                    found,
                    same_service(enabled, asked),
                    "{enabled:?} asked as {asked:?}"
                );
            }
        }
    }
}
