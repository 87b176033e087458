//! A Makejail stage's state as its steps run: what ARG, VAR, ENV, USER,
//! WORKDIR and ENTRYPOINT set for the steps after them (cmd/all/RUN,
//! COPY, REPLACE in AppJail). State is per stage and lasts until CLEAR.

use super::tokenizer::tokenize;
use crate::ir::{CmdUser, Instruction};

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

#[derive(Debug, Default)]
pub struct StageState {
    /// `NAME=VALUE` of the stage's ARGs (and VAR --make-arg-env), given to
    /// CMD's environment.
    pub make_env: Vec<String>,
    /// `NAME=VALUE` of the build script's own variables (ARGs with a value
    /// and every VAR), which it expands in the words it writes.
    pub script_vars: Vec<String>,
    /// ARGs declared without a value.
    pub unset_args: Vec<String>,
    /// `NAME=VALUE` of ENV, given to RUN.
    run_env: Vec<String>,
    user: Option<String>,
    workdir: Option<String>,
    entrypoint: Option<String>,
}

/// Why a declaration cannot be satisfied (AppJail would stop there).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unsatisfied {
    #[error("ARG {name} requires a value: pass --arg {name}=VALUE")]
    Arg { name: String },
    #[error("{name}: this environment variable requires a value.")]
    Env { name: String },
}

impl StageState {
    /// Records what a declaration sets, with `args` the `NAME=VALUE` given
    /// for ARGs; `Err` says why it cannot be satisfied (AppJail would stop
    /// there).
    pub fn record(
        &mut self,
        instruction: &Instruction,
        args: &[String],
    ) -> Result<(), Unsatisfied> {
        match instruction {
            Instruction::Arg {
                name,
                default,
                required,
                ..
            } => {
                let given = args
                    .iter()
                    .find_map(|a| a.strip_prefix(name.as_str())?.strip_prefix('='));
                // `ARG NAME?` may stay empty: AppJail sets `NAME=` (and
                // passes `NAME=` to CMD's env), makejail/cmd/all/ARG:56-62.
                let value = given.map(str::to_string).or_else(|| default.clone());
                let value = if *required {
                    value
                } else {
                    Some(value.unwrap_or_default())
                };
                match value {
                    Some(value) if !value.is_empty() || !*required => {
                        self.script_vars.push(format!("{name}={value}"));
                        self.make_env.push(format!("{name}={value}"))
                    }
                    _ => {
                        self.unset_args.push(name.clone());
                        return Err(Unsatisfied::Arg { name: name.clone() });
                    }
                }
            }
            Instruction::Var {
                name,
                value,
                make_arg_env,
                ..
            } => {
                let set = format!("{name}={}", value.clone().unwrap_or_default());
                self.script_vars.push(set.clone());
                if *make_arg_env {
                    self.make_env.push(set);
                }
            }
            Instruction::Env { name, value } => match value {
                Some(value) if !value.is_empty() => self.run_env.push(format!("{name}={value}")),
                _ => {
                    return Err(Unsatisfied::Env { name: name.clone() });
                }
            },
            Instruction::User { user } => self.user = Some(user.clone()),
            Instruction::Workdir { dir } => self.workdir = Some(dir.clone()),
            Instruction::Entrypoint { program } => self.entrypoint = Some(program.clone()),
            Instruction::Clear { what } => match what.as_str() {
                "entrypoint" => self.entrypoint = None,
                "user" => self.user = None,
                "workdir" => self.workdir = None,
                _ => {}
            },
            _ => {}
        }
        Ok(())
    }

    /// A path of the jail under the stage's WORKDIR (`JD<WORKDIR>/<path>`),
    /// as COPY, ADD and REPLACE's output use it.
    pub fn in_workdir(&self, path: &str) -> String {
        let joined = format!("{}/{path}", self.workdir.as_deref().unwrap_or(""));
        // `//x` is `/x` in the jail; keep the trailing `/` of a directory.
        let mut clean = String::with_capacity(joined.len());
        for c in joined.chars() {
            if !(c == '/' && clean.ends_with('/')) {
                clean.push(c);
            }
        }
        clean
    }

    /// RUN: `jexec [-l] [-U|-u USER] J su -l|-m USER -c "sh -s"` with the
    /// script `cd "WORKDIR"; env ENV... ENTRYPOINT ARGS` on its standard
    /// input. Every word reaches the jail's shell literally.
    pub fn run(&self, command: &[String], flags: &[String]) -> Run {
        let flag = |name: &str| flags.iter().any(|f| f == name);
        let value_of = |name: &str| {
            flags
                .iter()
                .position(|f| f == name)
                .and_then(|i| flags.get(i + 1))
        };
        let jexec_user = match (value_of("--juser"), value_of("--huser")) {
            (Some(u), _) => Some(CmdUser::Jail(u.clone())),
            (None, Some(u)) => Some(CmdUser::Host(u.clone())),
            (None, None) => None,
        };
        let mut argv = Vec::new();
        let su = if flag("--maintain-env") { "-m" } else { "-l" };
        let user = self.user.as_deref().unwrap_or("root");
        argv.extend(words(&["su", su, user, "-c", "sh -s"]));
        let entrypoint: Vec<String> = self
            .entrypoint
            .as_deref()
            .and_then(|e| tokenize(e, false).ok())
            .map(|ws| ws.into_iter().map(|w| w.text).collect())
            .unwrap_or_default();
        let quoted = |w: &String| crate::shell::quote::literal(w);
        let mut script = format!(
            "cd {}; env",
            quoted(&self.workdir.clone().unwrap_or_else(|| "/".into()))
        );
        for word in self.run_env.iter().chain(&entrypoint).chain(command) {
            script.push(' ');
            script.push_str(&quoted(word));
        }
        script.push('\n');
        Run {
            argv,
            stdin: script,
            clean: !flag("--noclean"),
            jexec_user,
        }
    }
}

/// A command and the text fed to its standard input.
pub struct Run {
    /// `su -l|-m USER -c "sh -s"`, run by `appjail cmd jexec`.
    pub argv: Vec<String>,
    pub stdin: String,
    /// `jexec -l` (not `--noclean`).
    pub clean: bool,
    /// `--juser`/`--huser`: the user jexec runs su as.
    pub jexec_user: Option<CmdUser>,
}
