//! Operations as a Makejail.

use super::ops::{Located, Loss, Op};
use super::words::sh_word;
use super::{Carried, Emitter, Lost, OutputFile, script};
use crate::dialect::makejail::tokenizer::tokenize;
use crate::ir::{CopyFrom, Dialect, PkgAction};

pub fn emit(ops: &[Located]) -> (Vec<OutputFile>, Vec<Carried>, Vec<Lost>) {
    let mut e = Emitter::default();
    // Bastille and pot templates run in a jail that is already running; a
    // Makejail's build stage must start it.
    if ops.iter().any(needs_running_jail) {
        e.lines.push("OPTION start".into());
    }
    let mut stage: Option<String> = None;
    for op in ops {
        if op.stage != stage {
            let name = op.stage.as_deref().unwrap_or("build");
            e.lines.push(format!("STAGE {name}"));
            stage = op.stage.clone();
        }
        emit_op(&mut e, op, &op.op);
    }
    let mut text = e.lines.join("\n");
    text.push('\n');
    let mut files = vec![OutputFile {
        path: "Makejail".into(),
        text,
        executable: false,
    }];
    files.extend(e.files);
    (files, e.carried, e.losses)
}

fn needs_running_jail(op: &Located) -> bool {
    matches!(
        op.op,
        Op::Shell { .. }
            | Op::Pkg { .. }
            | Op::Sysrc { .. }
            | Op::Service { .. }
            | Op::Script { .. }
    )
}

/// A word as AppJail's tokenizer reads it back.
pub fn word(w: &str) -> String {
    if !w.is_empty() && !w.contains([' ', '"', '\'', '\\']) {
        return w.to_string();
    }
    format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
}

fn words(args: &[String]) -> String {
    args.iter().map(|a| word(a)).collect::<Vec<_>>().join(" ")
}

fn emit_op(e: &mut Emitter, located: &Located, op: &Op) {
    let line = match op {
        Op::Arg {
            name,
            default,
            required,
        } => match (default, required) {
            (Some(d), _) => format!("ARG {name}={d}"),
            (None, true) => format!("ARG {name}"),
            (None, false) => format!("ARG {name}?="),
        },
        Op::Shell { script, user } => {
            let user_flag = user
                .as_ref()
                .map_or(String::new(), |u| format!("--juser {} ", word(u)));
            if script.contains('\n') {
                return stage_script(e, located, "step", script);
            }
            if survives_cmd(script) {
                format!("CMD {user_flag}{script}")
            } else {
                // CMD re-joins its words with single spaces; RUN passes
                // each word through untouched.
                e.note(
                    located,
                    Loss::new(
                        "CV008",
                        "the shell text does not survive CMD's tokenizer: run with RUN /bin/sh -c",
                        "check the RUN line",
                    ),
                );
                let user = user
                    .as_ref()
                    .map_or(String::new(), |u| format!("--juser {} ", word(u)));
                format!("RUN {user}/bin/sh -c {}", word(script))
            }
        }
        Op::Pkg {
            packages,
            action,
            from_host,
        } => {
            let mut line = String::from("PKG ");
            if *from_host {
                line.push_str("--jail ");
            }
            if *action != PkgAction::Install {
                line.push_str(&format!("--{} ", format!("{action:?}").to_lowercase()));
            }
            line.push_str(&words(packages));
            line.trim_end().to_string()
        }
        Op::Sysrc { args } => format!("SYSRC {}", words(args)),
        Op::Service { args } => format!("SERVICE {}", words(args)),
        Op::Copy {
            source,
            destination,
            from,
            contents,
        } => {
            if *from == CopyFrom::Template {
                e.carry(source);
            }
            let source = if *contents {
                format!("{}/", source.trim_end_matches('/'))
            } else {
                source.clone()
            };
            format!("COPY {} {}", word(&source), word(destination))
        }
        Op::Mount {
            source,
            target,
            fstype,
            options,
        } => format!(
            "MOUNT {} {} {} {}",
            word(source),
            word(target),
            word(fstype),
            word(options)
        ),
        Op::Redirect {
            proto,
            host_port,
            jail_port,
        } => {
            let ports = if host_port == jail_port {
                host_port.clone()
            } else {
                format!("{host_port}:{jail_port}")
            };
            if proto == "tcp" {
                format!("OPTION expose={ports}")
            } else {
                format!("OPTION expose={ports} proto:{proto}")
            }
        }
        Op::LineInFile { line, file } => {
            e.note(
                located,
                Loss::new(
                    "CV008",
                    "LINE_IN_FILE: done with grep and echo in the jail",
                    "check the CMD line",
                ),
            );
            let (line, file) = (sh_word(line), sh_word(file));
            format!(
                "CMD mkdir -p \"$(dirname {file})\" && touch {file} && (grep -qxF -- {line} {file} || printf '%s\\n' {line} >> {file})"
            )
        }
        Op::Restart => "RESTART".into(),
        Op::Start => "START".into(),
        Op::Stop => "STOP".into(),
        Op::Script { name, text } => match script::lift(text) {
            Some(ops) => {
                for lifted in &ops {
                    emit_op(e, located, lifted);
                }
                return;
            }
            None => return stage_script(e, located, name, text),
        },
        Op::Native { dialect, what } => {
            if *dialect == Dialect::Makejail {
                located.written.clone()
            } else {
                return e.lose(located, what.clone());
            }
        }
    };
    e.lines.push(line);
}

/// A script that must run whole: shipped, copied to /tmp and run there
/// with the jail's name as `$1` (as pot runs it).
fn stage_script(e: &mut Emitter, located: &Located, name: &str, text: &str) {
    let file = e.ship(located, name, text);
    e.lines.push(format!("COPY {file} /tmp/{file}"));
    e.lines.push(format!(
        "CMD /bin/sh /tmp/{file} \"${{APPJAIL_JAILNAME}}\"; rc=$?; rm -f /tmp/{file}; exit $rc"
    ));
}

/// Whether `CMD script` gives back `script`: CMD re-reads its text with the
/// tokenizer (quotes kept) and joins the words with one space.
fn survives_cmd(script: &str) -> bool {
    tokenize(script, true).is_ok_and(|words| {
        words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
            == script
    })
}
