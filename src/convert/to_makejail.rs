//! Operations as a Makejail.

use super::op::{Located, Loss, Op};
use super::words::{
    APPJAIL_JAILNAME, JAIL_NAME, jail_name_argument, jail_name_as, line_in_file_script, parent_dir,
    sh_word, sh_words,
};
use super::{Carried, Emitter, LINES, Lost, Native, OutputFile, native, script};
use crate::dialect::makejail::tokenizer::tokenize;
use crate::ir::{CopyFrom, Dialect, PkgAction};

/// The virtual network `expose` needs (quick:1391-1393): AppJail's
/// automatic one (`ajnet`, created when missing, quick:1912-1931), the
/// default network of the jail, so expose needs no `network:`.
const VIRTUALNET: &str = "OPTION virtualnet=:<random> default";

/// The jail's name for CMD: an ARG whose default AppJail's host script
/// expands (write/all/ARG:43-53), which CMD then finds in its environment.
const JAIL_NAME_ARG: &str = "ARG JAIL_NAME=${APPJAIL_JAILNAME}";

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
    if e.lines
        .iter()
        .any(|l| l.starts_with("CMD ") && l.contains("${JAIL_NAME}"))
    {
        let at = e
            .lines
            .iter()
            .take_while(|l| l.starts_with("OPTION "))
            .count();
        e.lines.insert(at, JAIL_NAME_ARG.to_string());
    }
    let mut text = e.lines.join("\n");
    text.push('\n');
    let mut files = vec![OutputFile {
        path: "Makejail".into(),
        text,
        executable: false,
    }];
    files.extend(e.files.into_iter().map(|mut f| {
        // A shipped script gets the jail's name in its environment.
        f.text = jail_name_as(&f.text, JAIL_NAME);
        f
    }));
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
            | Op::LineInFile { .. }
    )
}

/// A word as AppJail's tokenizer reads it back (`\$` stays a literal `$`:
/// AppJail writes words into double quotes of its host script).
pub fn word(w: &str) -> String {
    let w = jail_name_as(w, APPJAIL_JAILNAME);
    if !w.is_empty() && !w.contains([' ', '"', '\'', '\\']) {
        return w;
    }
    format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
}

fn words(args: &[String]) -> String {
    args.iter().map(|a| word(a)).collect::<Vec<_>>().join(" ")
}

/// `CMD [--juser U] SCRIPT`: CMD's shell runs in the jail with a clean
/// environment where only the ARGs are set (makejail/cmd/all/CMD:217), so
/// the jail's name comes in as the ARG [`JAIL_NAME_ARG`]. (`--env` would
/// not do: CMD escapes the `$` of its value, CMD:125, and the script would
/// see the text `${APPJAIL_JAILNAME}`.)
fn cmd(script: &str, user: Option<&str>) -> String {
    let script = jail_name_as(script, JAIL_NAME);
    let mut line = String::from("CMD ");
    if let Some(u) = user {
        line.push_str(&format!("--juser {} ", word(u)));
    }
    line.push_str(&script);
    line
}

fn emit_op(e: &mut Emitter, located: &Located, op: &Op) {
    let line = match op {
        // An ARG default is expanded by AppJail's host script.
        Op::Arg { name, default, .. } if default.as_deref().is_some_and(|d| !d.is_empty()) => {
            let default = default.as_deref().unwrap_or_default();
            format!("ARG {name}={}", jail_name_as(default, APPJAIL_JAILNAME))
        }
        Op::Arg { name, required, .. } => match required {
            true => format!("ARG {name}"),
            false => format!("ARG {name}?="),
        },
        Op::Shell { script, user } => {
            if script.contains('\n') {
                return stage_script(e, located, "step", script, user.as_deref(), LINES);
            }
            match as_cmd(script) {
                Some(text) => cmd(&text, user.as_deref()),
                None => {
                    let why = "CMD would change its words (AppJail re-splits CMD's text)";
                    return stage_script(e, located, "step", script, user.as_deref(), why);
                }
            }
        }
        Op::Pkg {
            packages, action, ..
        } => {
            // AppJail's PKG is the host's `pkg -j J` (share/appjail/cmd/pkg:
            // 190-198): Bastille's HPKG exactly, and its PKG (the jail's
            // own pkg) with the same effect, so both are a plain PKG.
            let mut line = String::from("PKG ");
            if *action != PkgAction::Install {
                line.push_str(&format!("--{} ", format!("{action:?}").to_lowercase()));
            }
            line.push_str(&words(packages));
            line.trim_end().to_string()
        }
        // AppJail's SYSRC is `sysrc -j J -- ARGS` (makejail/cmd/all/SYSRC):
        // a flag after `--` would be a variable's name.
        Op::Sysrc { args } if args.iter().any(|a| a.starts_with('-')) => {
            cmd(&format!("sysrc {}", sh_words(args)), None)
        }
        Op::Sysrc { args } => format!("SYSRC {}", words(args)),
        Op::Service { args } => format!("SERVICE {}", words(args)),
        Op::Copy {
            source,
            destination,
            from,
            contents,
            parents,
        } => {
            match from {
                CopyFrom::Template => e.carry(source),
                CopyFrom::Host if !source.starts_with('/') => {
                    e.note(
                        located,
                        Loss::new(
                            "CV008",
                            format!("{source}: a host path relative to where pot ran; AppJail reads it beside the Makejail"),
                            "make the path absolute, or copy the file beside the Makejail",
                        ),
                    );
                    e.carry(source);
                }
                _ => {}
            }
            // bastille's cp makes the destination's directory; AppJail's
            // COPY does not.
            let parent = parent_dir(destination);
            if *parents && !parent.is_empty() {
                e.lines
                    .push(cmd(&format!("mkdir -p {}", sh_word(parent)), None));
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
            let host_port = super::host_port(e, located, host_port, jail_port);
            let ports = if host_port == jail_port {
                host_port.to_string()
            } else {
                format!("{host_port}:{jail_port}")
            };
            if !e.lines.iter().any(|l| l.starts_with(VIRTUALNET)) {
                e.lines.push(VIRTUALNET.to_string());
                e.note(
                    located,
                    Loss::new(
                        "CV008",
                        "AppJail exposes a port only from a jail on a virtual network (quick:1391-1404): `OPTION virtualnet=:<random> default` puts the jail on AppJail's automatic network",
                        "choose the jail's network (virtualnet=NETWORK:IF default); the host needs pf with the appjail-rdr/* anchor",
                    ),
                );
            }
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
                    "LINE_IN_FILE: done with grep and printf in the jail",
                    "check the CMD line",
                ),
            );
            let script = line_in_file_script(&sh_word(line), &sh_word(file));
            return emit_op(e, located, &Op::Shell { script, user: None });
        }
        Op::Restart => "RESTART".into(),
        Op::Start => "START".into(),
        Op::Stop => "STOP".into(),
        Op::Boot { on } => format!("OPTION {}", if *on { "boot" } else { "noboot" }),
        Op::JailParam { name, value } => {
            e.note(located, super::restart_needed(name));
            format!(
                "SET {}",
                word(&super::jail_params::written(name, value.as_deref()))
            )
        }
        Op::Script { name, text } => match script::lift(text) {
            Ok(ops) => {
                for lifted in &ops {
                    emit_op(e, located, lifted);
                }
                return;
            }
            Err(why) => {
                return stage_script(e, located, name, text, None, why.reason());
            }
        },
        Op::Native { dialect, what } => match native(located, *dialect, what, Dialect::Makejail) {
            Native::Verbatim(line) => line,
            Native::Lost(loss) => return e.lose(located, loss),
        },
    };
    e.lines.push(line);
}

/// A script that must run whole: shipped, copied to /tmp and run there
/// with the jail's name as `$1` (as pot runs it).
fn stage_script(
    e: &mut Emitter,
    located: &Located,
    name: &str,
    text: &str,
    user: Option<&str>,
    why: &str,
) {
    let file = e.ship(located, name, text, why);
    e.lines.push(format!("COPY {file} /tmp/{file}"));
    e.lines.push(cmd(
        &format!("/bin/sh /tmp/{file}{}", jail_name_argument(text)),
        user,
    ));
    e.lines.push(format!("CMD rm -f /tmp/{file}"));
}

/// The text of a CMD that runs `script`: the script itself when CMD gives
/// it back, else the script with its words joined by one space when that
/// is the same shell command (only blanks between words changed).
fn as_cmd(script: &str) -> Option<String> {
    if survives_cmd(script) {
        return Some(script.to_string());
    }
    let joined = tokenize(script, true)
        .ok()?
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let kinds = |text: &str| {
        crate::shell::lex(text)
            .ok()
            .map(|tokens| tokens.into_iter().map(|t| t.kind).collect::<Vec<_>>())
    };
    (survives_cmd(&joined) && kinds(&joined).is_some() && kinds(&joined) == kinds(script))
        .then_some(joined)
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
