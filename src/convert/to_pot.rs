//! Operations as a pot flavour: a command file `NAME` (run first, by `pot
//! create -f` / `pot set-*`) and a script `NAME.sh` run in the jail.

use super::ops::{Located, Loss, Op};
use super::words::{sh_word as quote, sh_words};
use super::{Carried, Emitter, Lost, OutputFile, script};
use crate::ir::{CopyFrom, Dialect, PkgAction};

/// Where copies that must wait for the script are staged in the jail.
const STAGING: &str = "/root/.jailwright-stage";

pub fn emit(ops: &[Located], name: &str) -> (Vec<OutputFile>, Vec<Carried>, Vec<Lost>) {
    let mut pot = Pot {
        e: Emitter::default(),
        script: Vec::new(),
        ports: Vec::new(),
        args: Vec::new(),
        staged: 0,
    };
    for op in ops {
        if let Some(stage) = &op.stage {
            pot.e.lose(
                op,
                Loss::new(
                    "CV003",
                    format!("stage {stage}: runs later, from the jail's init script"),
                    "use set-cmd for what the jail runs at start, or a second flavour",
                ),
            );
            continue;
        }
        pot.emit(op, &op.op);
    }
    if !pot.ports.is_empty() {
        // export-ports replaces the list each time: one line with all.
        pot.e
            .lines
            .push(format!("export-ports {}", pot.ports.join(" ")));
    }
    let mut files = vec![OutputFile {
        path: name.to_string(),
        text: lines_text(&pot.e.lines),
        executable: false,
    }];
    if !pot.script.is_empty() {
        let mut script = vec!["#!/bin/sh".to_string(), "set -e".to_string()];
        if pot.script.iter().any(|l| l.contains("POT_NAME")) {
            // pot runs the script with the pot's name as $1.
            script.push("POT_NAME=\"$1\"".into());
        }
        script.extend(
            pot.args
                .iter()
                .map(|(n, d)| format!("{n}=\"${{{n}:-{d}}}\"")),
        );
        script.extend(pot.script);
        files.push(OutputFile {
            path: format!("{name}.sh"),
            text: lines_text(&script),
            executable: true,
        });
    }
    files.extend(pot.e.files);
    (files, pot.e.carried, pot.e.losses)
}

fn lines_text(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

struct Pot {
    e: Emitter,
    script: Vec<String>,
    ports: Vec<String>,
    /// ARG defaults, set at the top of the script (overridable from the
    /// environment pot passes on).
    args: Vec<(String, String)>,
    staged: usize,
}

impl Pot {
    fn emit(&mut self, located: &Located, op: &Op) {
        let shell = sh_words;
        match op {
            Op::Arg { name, default, .. } => {
                let default = default.clone().unwrap_or_default();
                self.e.note(
                    located,
                    Loss::new(
                        "CV001",
                        format!("ARG {name}: a flavour has no parameters; the script sets {name}={default} unless the environment does"),
                        "set it in the environment of pot create, or edit the script",
                    ),
                );
                self.args.push((name.clone(), default));
            }
            Op::Shell { script, user } => self.script.push(match user {
                // Lines of one script share a shell: a step that changes
                // its state (cd, variables) gets a subshell of its own.
                None if script::independent(script) => script.clone(),
                None if script.contains('\n') => format!("(\n{script}\n)"),
                None => format!("({script})"),
                Some(u) => format!("su -l {} -c {}", quote(u), quote(script)),
            }),
            Op::Pkg {
                packages, action, ..
            } => {
                let verb = match action {
                    PkgAction::Install => "install".to_string(),
                    other => format!("{other:?}").to_lowercase(),
                };
                self.script.push(
                    format!("pkg {verb} -y {}", shell(packages))
                        .trim_end()
                        .to_string(),
                );
            }
            Op::Sysrc { args } => self.script.push(format!("sysrc {}", shell(args))),
            Op::Service { args } => self.script.push(format!("service {}", shell(args))),
            Op::Copy {
                source,
                destination,
                from,
                contents,
            } => self.copy(located, source, destination, from, *contents),
            Op::Mount {
                source,
                target,
                fstype,
                options,
            } => {
                if fstype != "nullfs" || !self.plain(located, &[source, target]) {
                    return self.e.lose(
                        located,
                        Loss::new(
                            "CV005",
                            format!("MOUNT of a {fstype}: pot mounts host directories (nullfs) and datasets"),
                            "use mount-in -z for a dataset",
                        ),
                    );
                }
                let ro = if options.split(',').any(|o| o == "ro") {
                    " -r"
                } else {
                    ""
                };
                self.e
                    .lines
                    .push(format!("mount-in -d {source} -m {target}{ro}"));
            }
            Op::Redirect {
                proto,
                host_port,
                jail_port,
            } => self
                .ports
                .push(format!("-e {proto}:{jail_port}:{host_port}")),
            Op::LineInFile { line, file } => {
                self.e.note(
                    located,
                    Loss::new(
                        "CV008",
                        "LINE_IN_FILE: done with grep and echo",
                        "check the script line",
                    ),
                );
                let (line, file) = (quote(line), quote(file));
                self.script.push(format!(
                    "mkdir -p \"$(dirname {file})\" && touch {file} && (grep -qxF -- {line} {file} || printf '%s\\n' {line} >> {file})"
                ));
            }
            Op::Restart | Op::Start | Op::Stop => self.e.lose(
                located,
                Loss::new(
                    "CV002",
                    "starting or stopping the jail: pot does it (pot start/stop)",
                    "run pot start/stop around the flavour",
                ),
            ),
            Op::Script { text, .. } => {
                // The source's own flavour script: its lines as they are
                // (an interpreter line or `set -e` would repeat ours).
                match script::lift(text) {
                    Some(ops) => ops.iter().for_each(|o| self.emit(located, o)),
                    None => self.script.extend(
                        text.lines()
                            .filter(|l| !l.starts_with("#!"))
                            .map(str::to_string),
                    ),
                }
            }
            Op::Native { dialect, what } => {
                if *dialect == Dialect::Pot {
                    self.e.lines.push(located.written.clone());
                } else {
                    self.e.lose(located, what.clone());
                }
            }
        }
    }

    /// Words of a command-file line cannot hold spaces (pot splits on them
    /// and removes no quotes).
    fn plain(&mut self, located: &Located, words: &[&String]) -> bool {
        if let Some(bad) = words
            .iter()
            .find(|w| w.is_empty() || w.contains(char::is_whitespace))
        {
            self.e.lose(
                located,
                Loss::new(
                    "CV010",
                    format!("`{bad}`: a flavour's command words cannot hold blanks"),
                    "rename the path",
                ),
            );
            return false;
        }
        true
    }

    /// copy-in runs before the script: a copy that follows a script step is
    /// staged and moved into place by the script at its turn.
    fn copy(
        &mut self,
        located: &Located,
        source: &str,
        destination: &str,
        from: &CopyFrom,
        contents: bool,
    ) {
        if !self.plain(located, &[&source.to_string(), &destination.to_string()]) {
            return;
        }
        let command = match from {
            CopyFrom::Template => {
                self.e.carry(source);
                "copy-in-flv"
            }
            _ => "copy-in",
        };
        let source = source.trim_end_matches('/');
        if self.script.is_empty() && !contents && destination.starts_with('/') {
            self.e
                .lines
                .push(format!("{command} -c -s {source} -d {destination}"));
            return;
        }
        self.staged += 1;
        // copy-in puts the source under its own name in the staging
        // directory; the script then copies it as the source manager did.
        let base = source.rsplit('/').next().unwrap_or(source);
        let stage = format!("{STAGING}/{}", self.staged);
        self.e
            .lines
            .push(format!("{command} -c -s {source} -d {stage}/{base}"));
        let from = if contents {
            format!("{stage}/{base}/.")
        } else {
            format!("{stage}/{base}")
        };
        self.script.push(format!(
            "cp -a {from} {} && rm -rf {stage}",
            quote(destination)
        ));
        self.e.note(
            located,
            Loss::new(
                "CV009",
                format!("copied to {stage} by the command file, moved to {destination} by the script at this step"),
                "none needed",
            ),
        );
    }
}
