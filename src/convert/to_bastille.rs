//! Operations as a Bastillefile.

use super::jail_params;
use super::op::{Located, Loss, Op};
use super::ops::BASTILLE_CMD_DIR;
use super::script::Whole;
use super::words::{JAIL_NAME, jail_name_as, sh_word as quote, sh_words as words};
use super::words::{in_root, jail_name_argument, without_cd};
use super::{Carried, Emitter, LINES, Lost, Native, OutputFile, native, script};
use crate::ir::{CopyFrom, Dialect, PkgAction};
use crate::shell::cwd::depends_on_cwd;
use crate::shell::params::Params;
use crate::shell::quote::{literal, references_for_bastille};

pub fn emit(ops: &[Located]) -> (Vec<OutputFile>, Vec<Carried>, Vec<Lost>) {
    let mut e = Emitter::default();
    // The ARGs: variables of the jail's shell in the operations, text
    // bastille substitutes in a Bastillefile.
    let params = Params::new(ops.iter().filter_map(|o| match &o.op {
        Op::Arg { name, .. } => Some(name.as_str()),
        _ => None,
    }));
    for op in ops {
        if let Some(stage) = &op.stage {
            e.lose(
                op,
                Loss::new(
                    "CV003",
                    format!("stage {stage}: runs later, from the jail's init script"),
                    "run these steps with a second template when that stage happens",
                ),
            );
            continue;
        }
        emit_op(&mut e, op, &op.op, &params);
    }
    // bastille substitutes ${JAIL_NAME} everywhere, quotes or not.
    let mut text = jail_name_as(&e.lines.join("\n"), JAIL_NAME);
    text.push('\n');
    let mut files = vec![OutputFile {
        path: "Bastillefile".into(),
        text,
        executable: false,
    }];
    files.extend(e.files.into_iter().map(|mut f| {
        f.text = jail_name_as(&f.text, JAIL_NAME);
        f
    }));
    (files, e.carried, e.losses)
}

fn emit_op(e: &mut Emitter, located: &Located, op: &Op, params: &Params) {
    let line = match op {
        // bastille provides these itself (and an ARG could not override
        // them: the built-in comes first in its substitutions).
        Op::Arg {
            name,
            default: None,
            ..
        } if matches!(name.as_str(), "JAIL_NAME" | "JAIL_IP" | "JAIL_IP6") => {
            return;
        }
        Op::Arg {
            name,
            default,
            required,
        } => match (default, required) {
            (Some(d), _) if d.is_empty() => format!("ARG {name}"),
            (Some(d), _) => format!("ARG {name}={}", quote(d)),
            (None, true) => format!("ARG+ {name}"),
            (None, false) => format!("ARG {name}"),
        },
        Op::Shell { script, user } => {
            if script.contains('\n') {
                let script = &from_start_dir(script);
                return stage_script(e, located, "step", script, user.as_deref(), None, params);
            }
            let script = &references_for_bastille(&from_start_dir(script), params);
            match user {
                None => format!("CMD {script}"),
                // Quoted for root's shell to pass on untouched (bastille
                // still substitutes ${NAME} inside the quotes).
                Some(u) => format!("CMD su -l {} -c {}", literal(u), literal(&in_root(script))),
            }
        }
        Op::Pkg {
            packages,
            action: PkgAction::Install,
            from_host,
        } => format!(
            "{} {}",
            if *from_host { "HPKG" } else { "PKG" },
            words(packages)
        ),
        Op::Pkg {
            packages, action, ..
        } => format!(
            "CMD env ASSUME_ALWAYS_YES=yes pkg {} {}",
            format!("{action:?}").to_lowercase(),
            words(packages)
        )
        .trim_end()
        .to_string(),
        Op::Sysrc { args } => format!("SYSRC {}", words(args)),
        Op::Service { args } => format!("SERVICE {}", words(args)),
        Op::Copy {
            source,
            destination,
            from,
            contents,
            ..
        } => copy_line(e, located, source, destination, from, *contents),
        Op::Mount {
            source,
            target,
            fstype,
            options,
        } => mount_line(source, target, fstype, options),
        Op::Redirect {
            proto,
            host_port,
            jail_port,
        } => format!(
            "RDR {proto} {} {jail_port}",
            super::host_port(e, located, host_port, jail_port)
        ),
        Op::LineInFile { line, file } => {
            format!("LINE_IN_FILE {} {}", quote(line), quote(file))
        }
        Op::Restart => "RESTART".into(),
        Op::Start => "START".into(),
        Op::Stop => "STOP".into(),
        Op::Boot { on } => format!("CONFIG set boot {}", if *on { "on" } else { "off" }),
        Op::JailParam { name, value } => {
            e.note(located, super::restart_needed(name));
            format!(
                "CONFIG set {}",
                quote(&jail_params::written(name, value.as_deref()))
            )
        }
        Op::Script { name, text } => match script::lift(text) {
            Ok(ops) => {
                for lifted in &ops {
                    emit_op(e, located, lifted, params);
                }
                return;
            }
            Err(why) => {
                return stage_script(e, located, name, text, None, Some(why), params);
            }
        },
        Op::Native { dialect, what } => match native(located, *dialect, what, Dialect::Bastille) {
            Native::Verbatim(line) => line,
            Native::Lost(loss) => return e.lose(located, loss),
        },
    };
    e.lines.push(line);
}

/// bastille CP: it reads a source from the host when the text starts with
/// `/`, from the template directory otherwise.
fn copy_line(
    e: &mut Emitter,
    located: &Located,
    source: &str,
    destination: &str,
    from: &CopyFrom,
    contents: bool,
) -> String {
    let source = match from {
        CopyFrom::Host if source.starts_with('/') => source.to_string(),
        CopyFrom::Host => {
            e.note(
                    located,
                    Loss::new(
                        "CV008",
                        format!("{source}: a host path relative to where pot ran; bastille reads it in the template"),
                        "make the path absolute, or copy the file into the template",
                    ),
                );
            e.carry(source);
            source.to_string()
        }
        _ => {
            e.carry(source);
            source.trim_start_matches('/').to_string()
        }
    };
    let source = if contents {
        format!("{}/", source.trim_end_matches('/'))
    } else {
        source
    };
    format!("CP {} {}", quote(&source), quote(destination))
}

fn mount_line(source: &str, target: &str, fstype: &str, options: &str) -> String {
    if fstype == "nullfs" && options == "ro" {
        format!("MOUNT {} {}", quote(source), quote(target))
    } else {
        format!(
            "MOUNT {} {} {fstype} {} 0 0",
            quote(source),
            quote(target),
            quote(options)
        )
    }
}

/// A step of the operations (started in `/`) as the text of a Bastille
/// CMD, which starts in root's home: `cd /root && X` is X there, and a
/// step that may use its directory changes to `/` first.
fn from_start_dir(script: &str) -> String {
    match without_cd(BASTILLE_CMD_DIR, script) {
        Some(rest) => rest.to_string(),
        None => in_root(script),
    }
}

/// A script that must run whole: shipped with the template, copied to
/// /tmp and run there with the jail's name as `$1` (as pot runs it).
/// bastille passes its CMD no environment (`jexec -l`): the ARGs the
/// script reads are handed to it with `env`, as text bastille substitutes.
/// A flavour script (`flavour`: why it stays whole) expects to start in
/// `/`, and changes there first when it may use its directory.
fn stage_script(
    e: &mut Emitter,
    located: &Located,
    name: &str,
    text: &str,
    user: Option<&str>,
    flavour: Option<Whole>,
    params: &Params,
) {
    let why = flavour.map_or(LINES, Whole::reason);
    // A flavour script starts in `/`, a step's lines where bastille's CMD
    // starts (their text says where they go).
    let from_root = flavour.is_some();
    let file = e.ship(located, name, text, why);
    e.lines.push(format!("CP {file} /tmp/{file}"));
    let read = crate::shell::references(text);
    let env: Vec<String> = params
        .in_order(read.iter().copied())
        .into_iter()
        .map(|p| format!("{p}=\"${{{p}}}\""))
        .collect();
    let env = if env.is_empty() {
        String::new()
    } else {
        format!("env {} ", env.join(" "))
    };
    let cd = if user.is_none() && from_root && depends_on_cwd(text) {
        "cd / && "
    } else {
        ""
    };
    let run = format!("{cd}{env}/bin/sh /tmp/{file}{}", jail_name_argument(text));
    e.lines.push(match user {
        None => format!("CMD {run}"),
        Some(u) => format!("CMD su -l {} -c {}", literal(u), literal(&run)),
    });
    e.lines.push(format!("CMD rm -f /tmp/{file}"));
}
