//! What a template does, as comparable lines: the test of a conversion
//! there and back (A → B → A means the same for everything B can hold).

use super::ops::{Located, Op, operations};
use super::script;
use crate::document::Document;

/// One line per effect, in order. Spellings that differ between managers
/// but mean the same are made equal (whitespace between shell words,
/// required-ness of an ARG with a default, a flavour script's lines).
pub fn effects(doc: &Document) -> Vec<String> {
    effects_of(&operations(doc))
}

/// The effects of a converted template, with a script it ships and runs
/// whole (`/bin/sh /tmp/NAME.sh ...`) read as the script's own effects.
pub fn effects_with(doc: &Document, files: &[super::OutputFile]) -> Vec<String> {
    let ops: Vec<Located> = operations(doc)
        .into_iter()
        .map(|mut located| {
            if let Op::Shell { script, user: None } = &located.op {
                let shipped = files.iter().find(|f| {
                    f.executable && script.starts_with(&format!("/bin/sh /tmp/{} ", f.path))
                });
                if let Some(file) = shipped {
                    located.op = Op::Script {
                        name: file.path.clone(),
                        text: file.text.clone(),
                    };
                }
            }
            located
        })
        .collect();
    effects_of(&ops)
}

pub fn effects_of(ops: &[Located]) -> Vec<String> {
    let mut out = Vec::new();
    for located in ops {
        push(&mut out, located, &located.op);
    }
    out
}

fn push(out: &mut Vec<String>, located: &Located, op: &Op) {
    let stage = located
        .stage
        .as_deref()
        .map_or(String::new(), |s| format!("[{s}] "));
    let line = match op {
        Op::Arg { name, default, .. } => {
            format!("arg {name}={}", default.clone().unwrap_or_default())
        }
        Op::Shell { script, user } => format!(
            "sh {}: {}",
            user.as_deref().unwrap_or("root"),
            shlex::split(script).map_or_else(|| script.clone(), |w| w.join(" "))
        ),
        Op::Pkg {
            packages, action, ..
        } => format!("pkg {action:?} {}", packages.join(" ")),
        Op::Sysrc { args } => format!("sysrc {}", args.join(" ")),
        Op::Service { args } => format!("service {}", args.join(" ")),
        Op::Copy {
            source,
            destination,
            contents,
            ..
        } => format!(
            "copy {}{} -> {destination}",
            source.trim_start_matches("./").trim_end_matches('/'),
            if *contents { "/*" } else { "" }
        ),
        Op::Mount {
            source,
            target,
            fstype,
            options,
        } => format!("mount {fstype} {source} {target} {options}"),
        Op::Redirect {
            proto,
            host_port,
            jail_port,
        } => format!("rdr {proto} {host_port} {jail_port}"),
        Op::LineInFile { line, file } => format!("line {file}: {line}"),
        Op::Restart => "restart".into(),
        Op::Start => "start".into(),
        Op::Stop => "stop".into(),
        Op::Script { text, .. } => {
            match script::lift(text) {
                Some(ops) => ops.iter().for_each(|o| push(out, located, o)),
                None => push(
                    out,
                    located,
                    &Op::Shell {
                        script: text
                            .lines()
                            .filter(|l| !l.starts_with("#!"))
                            .collect::<Vec<_>>()
                            .join("\n"),
                        user: None,
                    },
                ),
            }
            return;
        }
        Op::Native { what, .. } => format!("native {}: {}", what.code, located.written),
    };
    out.push(format!("{stage}{line}"));
}
