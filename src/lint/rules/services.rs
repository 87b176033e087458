//! What a template does with rc services, for JW910 and JW911: the
//! `NAME_enable=YES` it sets (SYSRC, or sysrc in shell text) and the
//! `service NAME ACTION` it runs (SERVICE, or service in shell text).

use crate::document::Document;
use crate::ir::{Instruction, Span};
use crate::lint::shell_text::{commands, lines};

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
}

impl Services {
    /// Whether `name` is enabled before `order`.
    pub fn enabled(&self, name: &str, order: (String, usize)) -> bool {
        self.enables
            .iter()
            .any(|e| same_service(&e.name, name) && (e.order.0 != order.0 || e.order.1 <= order.1))
    }
}

/// Whether an rc variable prefix and a service script name are the same
/// service. They often differ (`mysql-server` reads `mysql_enable`), so a
/// name that begins with the other at a `_` or `-` counts too.
pub fn same_service(rcvar: &str, script: &str) -> bool {
    let (a, b) = (rcvar.replace('-', "_"), script.replace('-', "_"));
    let prefix = |long: &str, short: &str| {
        long == short || (long.starts_with(short) && long[short.len()..].starts_with('_'))
    };
    prefix(&a, &b) || prefix(&b, &a)
}

fn enable_name(arg: &str) -> Option<String> {
    let (name, value) = arg.split_once('=')?;
    let name = name.strip_suffix("_enable")?;
    let value = value.trim_matches(['"', '\'']);
    (value.eq_ignore_ascii_case("yes") || value.eq_ignore_ascii_case("true") || value == "1")
        .then(|| name.to_string())
}

pub fn of(doc: &Document) -> Services {
    let mut s = Services {
        enables: Vec::new(),
        starts: Vec::new(),
        restarts_jail: false,
        from_image: false,
    };
    for step in &doc.template.steps {
        let order = (step.span.file.clone(), step.span.start);
        match &step.instruction {
            Instruction::Sysrc { args, .. } => {
                for name in args.iter().filter_map(|a| enable_name(a)) {
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
            Instruction::Restart | Instruction::Start => s.restarts_jail = true,
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
            match words[..] {
                ["sysrc", ref rest @ ..] => {
                    for name in rest.iter().filter_map(|a| enable_name(a)) {
                        s.enables.push(Enable {
                            name,
                            span: span.clone(),
                            order: order.clone(),
                        });
                    }
                }
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
