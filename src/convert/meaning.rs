//! What a template does, as comparable lines: the test of a conversion
//! there and back (A → B → A means the same for everything B can hold).

use super::op::{Located, Op};
use super::ops::operations;
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
    let home = super::ops::BASTILLE_CMD_DIR;
    let ops: Vec<Located> = operations(doc)
        .into_iter()
        .map(|mut located| {
            if let Op::Shell { script, user: None } = &located.op {
                // (bastille starts the script in root's home)
                let (at_home, run) = match super::words::without_cd(home, script) {
                    Some(rest) => (true, rest),
                    None => (false, script.as_str()),
                };
                let shipped = files
                    .iter()
                    .find(|f| f.executable && runs(run, &format!("/bin/sh /tmp/{}", f.path)));
                if let Some(file) = shipped {
                    let mut text = file.text.clone();
                    if at_home && crate::shell::cwd::depends_on_cwd(&text) {
                        text = super::words::cd_first(home, &text);
                    }
                    located.op = Op::Script {
                        name: file.path.clone(),
                        text,
                    };
                }
            }
            located
        })
        .collect();
    effects_of(&ops)
}

/// Shell text as its words and operators (blanks between them do not
/// count).
fn words_of(script: &str) -> String {
    if script.contains('\n') {
        return script
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(words_of)
            .collect::<Vec<_>>()
            .join("\n");
    }
    match crate::shell::lex(script) {
        Ok(tokens) => tokens
            .iter()
            .map(|t| match &t.kind {
                crate::shell::TokenKind::Word { value, .. } => value.as_str(),
                crate::shell::TokenKind::Operator(op) => op.as_str(),
                crate::shell::TokenKind::Comment => "#",
            })
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => shlex::split(script).map_or_else(|| script.to_string(), |w| w.join(" ")),
    }
}

/// Whether `script` runs `command` (after `env` assignments), with or
/// without arguments.
fn runs(script: &str, command: &str) -> bool {
    let mut rest = script;
    if let Some(after) = rest.strip_prefix("env ") {
        rest = after;
        while let Some((word, tail)) = rest.split_once(' ') {
            if !word.contains('=') {
                break;
            }
            rest = tail;
        }
    }
    rest.strip_prefix(command)
        .is_some_and(|after| after.is_empty() || after.starts_with(' '))
}

pub fn effects_of(ops: &[Located]) -> Vec<String> {
    let mut out = Vec::new();
    for located in ops {
        push(&mut out, located, &located.op);
    }
    unstage(out)
}

/// A copy a pot flavour stages (copied by the command file to
/// [`super::to_pot::STAGING`], moved by the script) as the one copy it is,
/// where the script makes it.
fn unstage(effects: Vec<String>) -> Vec<String> {
    let staging = super::to_pot::STAGING;
    let mut staged: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for effect in effects {
        if let Some((source, to)) = effect
            .strip_prefix("copy ")
            .and_then(|rest| rest.split_once(" -> "))
            .filter(|(_, to)| to.starts_with(staging))
        {
            staged.push((to.to_string(), source.to_string()));
            continue;
        }
        let moved = effect.strip_prefix("sh root: ").and_then(|script| {
            let words: Vec<&str> = script.split(' ').collect();
            let (from, to, contents) = super::to_pot::staged_move(&words)?;
            let (_, source) = staged.iter().find(|(at, _)| *at == from)?;
            Some(format!(
                "copy {source}{} -> {to}",
                if contents { "/*" } else { "" }
            ))
        });
        out.push(moved.unwrap_or(effect));
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
            words_of(script)
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
        Op::Boot { on } => format!("boot {on}"),
        Op::JailParam { name, value } => {
            format!(
                "param {}",
                super::jail_params::written(name, value.as_deref())
            )
        }
        Op::Script { text, .. } => {
            match script::lift(text) {
                Ok(ops) => ops.iter().for_each(|o| push(out, located, o)),
                Err(_) => push(
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
