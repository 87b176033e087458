//! Operations as a pot flavour: a command file `NAME` (run first, by `pot
//! create -f` / `pot set-*`) and a script `NAME.sh` run in the jail with
//! the pot's name as `$1`.

use super::op::{Located, Loss, Op};
use super::script::REQUIRED;
use super::words::{
    POT_NAME, jail_name_as, line_in_file_script, parent_dir, sh_word as quote, sh_words,
};
use super::{Carried, Emitter, Lost, Native, OutputFile, native, script};
use crate::ir::{CopyFrom, Dialect, PkgAction};
use crate::shell::params::Params;
use crate::shell::quote::{literal, references_out_of_single_quotes};
use crate::shell::{TokenKind, lex};

/// Where copies that must wait for the script are staged in the jail.
pub const STAGING: &str = "/root/.jailwright-stage";

/// The staged copy a script line moves into place (`[mkdir -p P && ]cp -a
/// STAGED[/.] DEST && rm -rf STAGE`, as `Pot::copy` writes it, in its
/// words): the staged path, the destination, and whether the directory's
/// contents (`/.`) are copied.
pub fn staged_move(words: &[&str]) -> Option<(String, String, bool)> {
    let at = words.iter().position(|w| *w == "cp")?;
    let ["cp", "-a", from, to, "&&", "rm", "-rf", _] = words[at..] else {
        return None;
    };
    let (from, contents) = match from.strip_suffix("/.") {
        Some(dir) => (dir, true),
        None => (from, false),
    };
    from.starts_with(STAGING)
        .then(|| (from.to_string(), to.to_string(), contents))
}

pub fn emit(
    ops: &[Located],
    name: &str,
    is_dir: &dyn Fn(&str) -> bool,
) -> (Vec<OutputFile>, Vec<Carried>, Vec<Lost>) {
    let mut pot = Pot {
        e: Emitter::default(),
        script: Vec::new(),
        ports: Vec::new(),
        args: Vec::new(),
        params: Params::new(["JAIL_NAME", "APPJAIL_JAILNAME", "POT_NAME"]),
        required: Vec::new(),
        staged: 0,
        is_dir,
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
        let ports = pot.ports.join(" ");
        pot.e.lines.push(format!("export-ports {ports}"));
    }
    // pot reads every line of the command file as a command (a `#` line
    // is "not valid - ignoring"): the notes go to the script, or beside.
    let (notes, commands): (Vec<String>, Vec<String>) =
        pot.e.lines.into_iter().partition(|l| l.starts_with('#'));
    let mut files = vec![OutputFile {
        path: name.to_string(),
        // (a blank line would be a command to pot: "not valid")
        text: if commands.is_empty() {
            String::new()
        } else {
            lines_text(&commands)
        },
        executable: false,
    }];
    if !pot.script.is_empty() {
        let mut body: Vec<String> = pot
            .args
            .iter()
            .map(|(n, d)| {
                if pot.required.contains(n) {
                    format!("{n}=\"${{{n}:?{REQUIRED}}}\"")
                } else {
                    format!("{n}=\"${{{n}:-{}}}\"", escape_default(d))
                }
            })
            .collect();
        body.extend(pot.script);
        let body: Vec<String> = body.iter().map(|l| jail_name_as(l, POT_NAME)).collect();
        let mut script = vec!["#!/bin/sh".to_string(), "set -e".to_string()];
        script.extend(notes.iter().cloned());
        if body.iter().any(|l| l.contains("${POT_NAME}")) {
            // pot runs the script with the pot's name as $1.
            script.push("POT_NAME=\"$1\"".into());
        }
        script.extend(body);
        files.push(OutputFile {
            path: format!("{name}.sh"),
            text: lines_text(&script),
            executable: true,
        });
    }
    if !notes.is_empty() && files.len() == 1 {
        files.push(OutputFile {
            path: format!("{name}{}", crate::dialect::pot::NOTES),
            text: lines_text(&notes),
            executable: false,
        });
    }
    files.extend(pot.e.files);
    (files, pot.e.carried, pot.e.losses)
}

/// An ARG default inside `"${NAME:-...}"`: a `"` or a `}` that is not the
/// end of a `${...}` reference is escaped.
fn escape_default(default: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut chars = default.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                depth += 1;
                out.push(c);
                out.push(chars.next().expect("peeked"));
                continue;
            }
            '}' if depth > 0 => depth -= 1,
            '}' | '"' => out.push('\\'),
            _ => {}
        }
        out.push(c);
    }
    out
}

fn lines_text(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

struct Pot<'a> {
    e: Emitter,
    script: Vec<String>,
    ports: Vec<String>,
    /// ARG defaults, set at the top of the script (overridable from the
    /// environment pot passes on) and written into command-file words.
    args: Vec<(String, String)>,
    /// The names a script's `${NAME}` may refer to: the ARGs and the
    /// managers' built-ins.
    params: Params,
    /// ARGs without a default that must be given.
    required: Vec<String>,
    staged: usize,
    is_dir: &'a dyn Fn(&str) -> bool,
}

/// One command (no `;`, `&&`, `||`, `&` or newline): under the script's
/// `set -e` it fails the flavour exactly when it fails.
fn single_command(script: &str) -> bool {
    !script.contains('\n')
        && lex(script).is_ok_and(|tokens| {
            !tokens.iter().any(|t| {
                matches!(&t.kind, TokenKind::Operator(o) if matches!(o.as_str(), ";" | "&&" | "||" | "&"))
            })
        })
}

impl Pot<'_> {
    /// A step as script lines: a single command as it is; anything else in
    /// a subshell whose status alone decides (`set -e` does not reach into
    /// it), as when each step was its own `sh -c`.
    fn step(&mut self, script: &str, user: Option<&str>) {
        let line = match user {
            None if single_command(script) && script::independent(script) => script.to_string(),
            None if script.contains('\n') => format!("(\n{script}\n) || exit $?"),
            None => format!("({script}) || exit $?"),
            // root's shell passes the text to su untouched, but for the
            // parameters, which only this script knows.
            Some(u) => format!(
                "su -l {} -c {}",
                literal(u),
                references_out_of_single_quotes(
                    &literal(&super::words::in_root(script)),
                    &self.params
                )
            ),
        };
        self.script.push(line);
    }

    /// A word of the command file: pot neither expands nor unquotes it, so
    /// ARG references get their default; anything else a shell would treat
    /// specially cannot be written (CV010).
    fn command_word(&mut self, located: &Located, word: &str) -> Option<String> {
        let mut w = word.replace("\\$", "$");
        // (most words refer to nothing: not compared with every ARG)
        let args = if w.contains("${") {
            &self.args[..]
        } else {
            &[]
        };
        for (n, d) in args {
            let reference = format!("${{{n}}}");
            if w.contains(&reference) {
                w = w.replace(&reference, d);
                self.e.note(
                    located,
                    Loss::new(
                        "CV001",
                        format!("${{{n}}} in the command file: fixed to its default {d:?} (pot does not expand it)"),
                        "edit the command file to change it",
                    ),
                );
            }
        }
        if w.is_empty() || w.contains(|c: char| c.is_whitespace() || "$'\"*?[`\\".contains(c)) {
            self.e.lose(
                located,
                Loss::new(
                    "CV010",
                    format!("`{word}`: a flavour's command file takes words as they are (no quotes, variables or globs)"),
                    "write the value out in the command file",
                ),
            );
            return None;
        }
        Some(w)
    }

    fn emit(&mut self, located: &Located, op: &Op) {
        match op {
            Op::Arg {
                name,
                default,
                required,
            } => self.arg(located, name, default.as_deref(), *required),
            Op::Shell { script, user } => self.step(script, user.as_deref()),
            Op::Pkg {
                packages, action, ..
            } => {
                let line = match action {
                    // pkg update takes no -y.
                    PkgAction::Update => "pkg update".to_string(),
                    PkgAction::Install => format!("pkg install -y {}", sh_words(packages)),
                    other => format!(
                        "pkg {} -y {}",
                        format!("{other:?}").to_lowercase(),
                        sh_words(packages)
                    ),
                };
                self.script.push(line.trim_end().to_string());
            }
            Op::Sysrc { args } => self.script.push(format!("sysrc {}", sh_words(args))),
            Op::Service { args } => self.script.push(format!("service {}", sh_words(args))),
            Op::Copy {
                source,
                destination,
                from,
                contents,
                parents,
            } => self.copy(located, source, destination, from, *contents, *parents),
            Op::Mount {
                source,
                target,
                fstype,
                options,
            } => self.mount(located, source, target, fstype, options),
            Op::Redirect {
                proto,
                host_port,
                jail_port,
            } => self.redirect(located, proto, host_port, jail_port),
            Op::LineInFile { line, file } => {
                self.e.note(
                    located,
                    Loss::new(
                        "CV008",
                        "LINE_IN_FILE: done with grep and printf",
                        "check the script line",
                    ),
                );
                self.step(&line_in_file_script(&quote(line), &quote(file)), None);
            }
            Op::Boot { on } => self.e.lines.push(format!(
                "set-attribute -A start-at-boot -V {}",
                if *on { "YES" } else { "NO" }
            )),
            Op::JailParam { name, value } => {
                match super::jail_params::to_pot(name, value.as_deref()) {
                    Some(line) => self.e.lines.push(line),
                    None => self.e.lose(
                        located,
                        Loss::new(
                            "CV005",
                            format!("jail parameter {name}: pot has no attribute for it"),
                            "set it in the pot's configuration",
                        ),
                    ),
                }
            }
            Op::Restart | Op::Start | Op::Stop => self.e.lose(
                located,
                Loss::new(
                    "CV002",
                    "starting or stopping the jail: pot does it (pot start/stop)",
                    "run pot start/stop around the flavour",
                ),
            ),
            Op::Script { text, .. } => match script::lift(text) {
                Ok(ops) => ops.iter().for_each(|o| self.emit(located, o)),
                // The source's own flavour script, whole (its interpreter
                // line would repeat ours).
                Err(_) => {
                    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with("#!")).collect();
                    self.step(&body.join("\n"), None);
                }
            },
            Op::Native { dialect, what } => match native(located, *dialect, what, Dialect::Pot) {
                Native::Verbatim(line) => self.e.lines.push(line),
                Native::Lost(loss) => self.e.lose(located, loss),
            },
        }
    }

    /// A flavour has no parameters: an ARG becomes a variable of the
    /// script that the environment of pot create may set (and a required
    /// one stops the script when it does not).
    fn arg(&mut self, located: &Located, name: &str, default: Option<&str>, required: bool) {
        if default.is_none() && required {
            self.e.note(
                located,
                Loss::new(
                    "CV001",
                    format!("ARG {name}: a flavour has no parameters; the script stops unless the environment of pot create sets {name}"),
                    "set it in the environment of pot create",
                ),
            );
            self.args.push((name.to_string(), String::new()));
            self.params.push(name);
            self.required.push(name.to_string());
            return;
        }
        let default = default.unwrap_or_default().to_string();
        self.e.note(
            located,
            Loss::new(
                "CV001",
                format!("ARG {name}: a flavour has no parameters; the script sets {name}={default} unless the environment does"),
                "set it in the environment of pot create, or edit the script",
            ),
        );
        self.params.push(name);
        self.args.push((name.to_string(), default));
    }

    fn mount(
        &mut self,
        located: &Located,
        source: &str,
        target: &str,
        fstype: &str,
        options: &str,
    ) {
        if fstype != "nullfs" {
            return self.e.lose(
                located,
                Loss::new(
                    "CV005",
                    format!(
                        "MOUNT of a {fstype}: pot mounts host directories (nullfs) and datasets"
                    ),
                    "use mount-in -z for a dataset",
                ),
            );
        }
        let (Some(source), Some(target)) = (
            self.command_word(located, source),
            self.command_word(located, target),
        ) else {
            return;
        };
        let ro = if options.split(',').any(|o| o == "ro") {
            " -r"
        } else {
            ""
        };
        self.e
            .lines
            .push(format!("mount-in -d {source} -m {target}{ro}"));
    }

    fn redirect(&mut self, located: &Located, proto: &str, host_port: &str, jail_port: &str) {
        let spec = format!("{proto}:{jail_port}:{host_port}");
        if let Some(spec) = self.command_word(located, &spec) {
            if self.ports.is_empty() {
                self.e.note(
                    located,
                    Loss::new(
                        "CV008",
                        "pot exports ports only from a pot whose network type is public-bridge or private-bridge; on inherit or alias (the default is inherit) it ignores them (export-ports.sh:93-96, start.sh:595-630)",
                        "create the pot with -N public-bridge (or -N private-bridge -B BRIDGE)",
                    ),
                );
            }
            self.ports.push(format!("-e {spec}"));
        }
    }

    /// copy-in runs before the script. A file copied before any script
    /// step goes straight in; a copy after one, or of a directory (pot
    /// copies a directory *into* an existing destination, as
    /// `DST/copy-in.XXXX`), is staged under a fresh path and moved into
    /// place by the script at its turn.
    fn copy(
        &mut self,
        located: &Located,
        source: &str,
        destination: &str,
        from: &CopyFrom,
        contents: bool,
        parents: bool,
    ) {
        let (Some(clean_source), Some(_)) = (
            self.command_word(located, source),
            self.command_word(located, destination),
        ) else {
            return;
        };
        let command = match from {
            CopyFrom::Template => {
                self.e.carry(source);
                "copy-in-flv"
            }
            _ => "copy-in",
        };
        let clean_source = clean_source.trim_end_matches('/').to_string();
        // A copy into /tmp before the script is lost: copy-in mounts a
        // tmpfs there and unmounts it (copy-in.sh:142-145,210-211), and the
        // start before the script mounts a new one (common-flv.sh:139).
        let into_tmp = destination == "/tmp" || destination.starts_with("/tmp/");
        let direct = self.script.is_empty() && !contents && !(self.is_dir)(source) && !into_tmp;
        if direct {
            self.e
                .lines
                .push(format!("{command} -c -s {clean_source} -d {destination}"));
            return;
        }
        self.staged += 1;
        let base = clean_source.rsplit('/').next().unwrap_or(&clean_source);
        let stage = format!("{STAGING}/{}", self.staged);
        self.e
            .lines
            .push(format!("{command} -c -s {clean_source} -d {stage}/{base}"));
        let from = if contents {
            format!("{stage}/{base}/.")
        } else {
            format!("{stage}/{base}")
        };
        let to = quote(destination);
        let parent = parent_dir(destination);
        let mkdir = if parents && !parent.is_empty() {
            format!("mkdir -p {} && ", quote(parent))
        } else {
            String::new()
        };
        self.script.push(format!(
            "({mkdir}cp -a {from} {to} && rm -rf {stage}) || exit $?"
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
