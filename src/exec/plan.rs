//! `jailwright plan`: what each step of a template does to a target, with
//! no side effect. Commands are the ones the template's own manager runs
//! (research/*.md), except where jailwright deliberately does better
//! (copies resolved safely inside the root, sysrc edited natively on an
//! offline root, nothing evaluated by a host shell).

use crate::document::Document;
use crate::ir::{CmdTarget, CmdUser, CopyFrom, Dialect, Instruction, PkgAction, Runner, Step};
use serde::Serialize;
use std::path::PathBuf;

/// What a template is applied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetSpec {
    /// A running FreeBSD jail, by name or JID.
    Jail(String),
    /// A jail's root directory, offline (chroot).
    Root(PathBuf),
}

/// The package manager of an offline root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    /// FreeBSD's pkg, run from the host with `-r ROOT`.
    #[default]
    Pkg,
    /// Debian's apt, run inside the root through chroot.
    Apt,
}

/// One thing a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Run a command on the host.
    Run { argv: Vec<String> },
    /// Copy a file or directory from the host into the jail, resolved
    /// inside its root. `contents` copies what is inside the directory
    /// (an overlay) rather than the directory itself.
    Copy {
        from: PathBuf,
        to: String,
        contents: bool,
    },
    /// Edit an rc.conf-style file natively, with sysrc(8)'s semantics.
    Sysrc { args: Vec<String> },
    /// Replace `${NAME}` in a file or tree of the jail.
    Render { path: String },
    /// Append a line to a file of the jail unless it is there.
    LineInFile { line: String, file: String },
}

/// A step and its actions, or why this target cannot run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    pub step: usize,
    pub file: String,
    pub line: usize,
    pub name: String,
    pub actions: Vec<Action>,
    /// Why the step cannot be applied to this target (apply refuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
    /// Why the step does nothing here (declarations, state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub target: TargetSpec,
    pub steps: Vec<PlannedStep>,
}

impl Plan {
    /// Whether apply may start: no step is blocked.
    pub fn runnable(&self) -> bool {
        self.steps.iter().all(|s| s.blocked.is_none())
    }
}

/// What the planner knows of the host, gathered by the caller (I/O).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The directory relative template paths resolve against.
    pub template_dir: PathBuf,
    /// The package manager of an offline root.
    pub package_manager: PackageManager,
    /// Files that do not exist on the host among those steps copy.
    pub missing: Vec<PathBuf>,
    /// `--arg NAME=VALUE`: Makejail ARG values (AppJail's `--NAME VALUE`).
    pub args: Vec<String>,
}

/// Plans `doc` for `target`, in the order the manager runs the steps.
pub fn plan(doc: &Document, target: &TargetSpec, facts: &Facts) -> Plan {
    let dialect = doc.template.dialect;
    // Makejail CMDs get the stage's ARGs (and VAR --make-arg-env) declared
    // before them as `env NAME=VALUE`.
    let mut env: Vec<String> = Vec::new();
    let mut steps = Vec::new();
    for i in doc.template.execution_order() {
        let step = &doc.template.steps[i];
        if !runs_now(step) {
            continue;
        }
        let mut planned = plan_step(i, step, dialect, target, facts, &env);
        if dialect == Dialect::Makejail {
            match &step.instruction {
                Instruction::Arg {
                    name,
                    default,
                    required,
                    ..
                } => {
                    let given = facts
                        .args
                        .iter()
                        .find_map(|a| a.strip_prefix(name.as_str())?.strip_prefix('='));
                    match given.map(str::to_string).or_else(|| default.clone()) {
                        Some(value) if !value.is_empty() || !*required => {
                            env.push(format!("{name}={value}"))
                        }
                        _ => {
                            planned.blocked = Some(format!(
                                "ARG {name} requires a value: pass --arg {name}=VALUE"
                            ));
                        }
                    }
                }
                Instruction::Var {
                    name,
                    value,
                    make_arg_env: true,
                    ..
                } => {
                    env.push(format!("{name}={}", value.clone().unwrap_or_default()));
                }
                _ => {}
            }
        }
        steps.push(planned);
    }
    Plan {
        target: target.clone(),
        steps,
    }
}

/// Makejail stages other than build run later, from the jail's init
/// script: `apply` runs the build stage.
fn runs_now(step: &Step) -> bool {
    step.stage.as_deref().is_none_or(|s| s == "build")
}

fn plan_step(
    index: usize,
    step: &Step,
    dialect: Dialect,
    target: &TargetSpec,
    facts: &Facts,
    env: &[String],
) -> PlannedStep {
    let mut planned = PlannedStep {
        step: index,
        file: step.span.file.clone(),
        line: step.span.line,
        name: step.name.clone(),
        actions: Vec::new(),
        blocked: None,
        note: None,
    };
    let outside = |what: &str| {
        Some(format!(
            "{what}: outside apply's reach (the jail manager does it)"
        ))
    };
    match (&step.instruction, target) {
        (
            Instruction::Arg {
                value: None,
                required: true,
                name,
                ..
            },
            _,
        ) if dialect == Dialect::Bastille => {
            planned.blocked = Some(format!("ARG+ {name} has no value: pass --arg {name}=VALUE"));
        }
        (
            Instruction::Arg { .. }
            | Instruction::Var { .. }
            | Instruction::Env { .. }
            | Instruction::Entrypoint { .. }
            | Instruction::User { .. }
            | Instruction::Clear { .. }
            | Instruction::Stage { .. }
            | Instruction::Global { .. }
            | Instruction::Ignored { .. },
            _,
        ) => planned.note = Some("declaration: nothing to run".into()),
        (Instruction::Cmd { script, options }, _) => match cmd_argv(script, options, env, target) {
            Ok(argv) => planned.actions.push(Action::Run { argv }),
            Err(why) => planned.blocked = Some(why),
        },
        (
            Instruction::Pkg {
                packages,
                runner,
                action,
            },
            _,
        ) => match pkg_argv(packages, *runner, *action, target, facts) {
            Ok(argv) => planned.actions.push(Action::Run { argv }),
            Err(why) => planned.blocked = Some(why),
        },
        (Instruction::Sysrc { args, runner }, TargetSpec::Jail(j)) => {
            let argv = match runner {
                Runner::Host | Runner::Local => words(&["/usr/sbin/sysrc", "-j", j]),
                _ => words(&["jexec", "-l", j, "/usr/sbin/sysrc"]),
            };
            planned.actions.push(Action::Run {
                argv: [argv, args.clone()].concat(),
            });
        }
        (Instruction::Sysrc { args, .. }, TargetSpec::Root(_)) => {
            planned.actions.push(Action::Sysrc { args: args.clone() });
        }
        (Instruction::Service { args, .. }, _) => {
            let argv = [
                in_jail(target, false),
                words(&["/usr/sbin/service"]),
                args.clone(),
            ]
            .concat();
            planned.actions.push(Action::Run { argv });
        }
        (
            Instruction::Cp {
                sources,
                destination,
                from,
                ..
            },
            _,
        ) => {
            for source in sources {
                let from_path = match from {
                    CopyFrom::Template => facts.template_dir.join(source),
                    CopyFrom::Host => PathBuf::from(source),
                    CopyFrom::Jail(jail) => {
                        planned.blocked = Some(format!(
                            "COPY --jail {jail}: copying from another jail is not supported yet"
                        ));
                        continue;
                    }
                };
                if facts.missing.contains(&from_path) {
                    planned.blocked = Some(format!("{} does not exist", from_path.display()));
                }
                let to = if destination.is_empty() {
                    "/".to_string()
                } else {
                    destination.clone()
                };
                planned.actions.push(Action::Copy {
                    from: from_path,
                    to,
                    contents: false,
                });
            }
        }
        (Instruction::Overlay { dir }, _) => {
            let from = facts.template_dir.join(dir);
            if facts.missing.contains(&from) {
                planned.blocked = Some(format!("{} does not exist", from.display()));
            }
            planned.actions.push(Action::Copy {
                from,
                to: "/".into(),
                contents: true,
            });
        }
        (Instruction::Render { path }, _) => {
            planned.actions.push(Action::Render { path: path.clone() })
        }
        (Instruction::LineInFile { line, file }, _) => planned.actions.push(Action::LineInFile {
            line: line.clone(),
            file: file.clone(),
        }),
        (Instruction::Script { name, text: _ }, _) => {
            // pot: copy the script to /tmp in the jail, run it with the pot
            // name as $1.
            let script = format!("/tmp/{name}");
            let pot = step.args.get(1).cloned().unwrap_or_default();
            let from = PathBuf::from(&step.span.file);
            planned.actions.push(Action::Copy {
                from,
                to: script.clone(),
                contents: false,
            });
            let argv = [in_jail(target, false), vec![script, pot]].concat();
            planned.actions.push(Action::Run { argv });
        }
        (Instruction::Workdir { dir }, _) => {
            let argv = [in_jail(target, true), words(&["mkdir", "-p", dir])].concat();
            planned.actions.push(Action::Run { argv });
        }
        (Instruction::Run { command, .. }, _) => {
            planned.blocked = Some(format!(
                "RUN {}: RUN with ENV/USER/WORKDIR state is not supported yet",
                command.join(" ")
            ));
        }
        (Instruction::Restart, TargetSpec::Jail(j)) => {
            planned.actions.push(Action::Run {
                argv: words(&["jail", "-rc", j]),
            });
        }
        (Instruction::Restart, TargetSpec::Root(_)) => {
            planned.note = Some("RESTART: an offline root is not running".into());
        }
        (Instruction::Include { target: t, .. }, _) => {
            planned.blocked = Some(format!(
                "INCLUDE {t}: apply the included template on its own (nested templates are not run yet)"
            ));
        }
        (Instruction::Mount { .. } | Instruction::Rdr { .. } | Instruction::Limits { .. }, _)
            if dialect == Dialect::Pot =>
        {
            planned.note =
                Some("pot configuration (fscomp.conf, pot.conf): applied by pot start".into())
        }
        (Instruction::Mount { .. }, _) => {
            planned.blocked = outside("MOUNT (fstab and nullfs of the jail)")
        }
        (Instruction::Rdr { .. }, _) => planned.blocked = outside("port redirection (pf)"),
        (Instruction::Config { .. }, _) => planned.blocked = outside("jail.conf"),
        (Instruction::Limits { .. }, _) => {
            planned.blocked = outside("resource limits (rctl, cpuset)")
        }
        (Instruction::Tags { .. }, _) => planned.blocked = outside("tags"),
        (Instruction::Passthrough { subcommand, .. }, _) => {
            planned.blocked = outside(&format!("bastille {subcommand}"));
        }
        (
            Instruction::JailOption { .. }
            | Instruction::From { .. }
            | Instruction::Start
            | Instruction::Stop
            | Instruction::Destroy { .. }
            | Instruction::Login { .. },
            _,
        ) => {
            planned.note = Some("creates or manages the jail itself: outside apply's reach".into())
        }
        (
            Instruction::Attribute { .. }
            | Instruction::StartCommand { .. }
            | Instruction::SetEnv { .. }
            | Instruction::DependsOn { .. },
            _,
        ) => planned.note = Some("pot configuration (pot.conf): outside apply's reach".into()),
        (other, _) => {
            planned.blocked = Some(format!("{}: not supported by apply yet", other.keyword()));
        }
    }
    planned
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

/// The prefix that runs a program inside the target: `jexec -l [-U root]
/// J` or `chroot ROOT`.
fn in_jail(target: &TargetSpec, as_root: bool) -> Vec<String> {
    match target {
        TargetSpec::Jail(j) if as_root => words(&["jexec", "-l", "-U", "root", j]),
        TargetSpec::Jail(j) => words(&["jexec", "-l", j]),
        TargetSpec::Root(r) => vec!["chroot".into(), r.display().to_string()],
    }
}

fn cmd_argv(
    script: &str,
    options: &crate::ir::CmdOptions,
    stage_env: &[String],
    target: &TargetSpec,
) -> Result<Vec<String>, String> {
    let shell = words(&["/bin/sh", "-c", script]);
    match options.target {
        CmdTarget::Jexec => {
            let mut argv = match (target, &options.user) {
                (TargetSpec::Jail(j), Some(CmdUser::Jail(u))) => {
                    words(&["jexec", "-l", "-U", u, j])
                }
                (TargetSpec::Jail(j), Some(CmdUser::Host(u))) => {
                    words(&["jexec", "-l", "-u", u, j])
                }
                _ => in_jail(target, true),
            };
            if let (TargetSpec::Jail(_), Some(dir)) = (target, &options.workdir) {
                // AppJail's `appjail cmd jexec -w DIR`.
                let at = argv.len() - 1;
                argv.splice(at..at, words(&["-d", dir]));
            }
            if !options.env.is_empty() || !stage_env.is_empty() {
                argv.push("env".into());
                argv.extend(stage_env.iter().cloned());
                argv.extend(options.env.iter().cloned());
            }
            argv.extend(shell);
            Ok(argv)
        }
        CmdTarget::Chroot => match target {
            TargetSpec::Root(_) => Ok([in_jail(target, false), shell].concat()),
            TargetSpec::Jail(j) => Err(format!(
                "CMD --chroot: chroot into {j}'s root needs its path: apply to --root PATH"
            )),
        },
        other => Err(
            format!("CMD --{other:?}: runs on the host, which apply does not do").to_lowercase(),
        ),
    }
}

fn pkg_argv(
    packages: &[String],
    runner: Runner,
    action: PkgAction,
    target: &TargetSpec,
    facts: &Facts,
) -> Result<Vec<String>, String> {
    let verb: Vec<String> = match action {
        PkgAction::Install => words(&["install"]),
        PkgAction::Remove => words(&["remove"]),
        PkgAction::Autoremove => words(&["autoremove"]),
        PkgAction::Clean => words(&["clean"]),
        PkgAction::Update => words(&["update"]),
        PkgAction::Upgrade => words(&["upgrade"]),
    };
    let with_packages = [verb, packages.to_vec()].concat();
    match (target, runner) {
        (_, Runner::Local) => {
            Err("PKG --local: installs on the host, which apply does not do".into())
        }
        (TargetSpec::Jail(j), Runner::Host) => Ok([
            words(&["env", "ASSUME_ALWAYS_YES=yes", "/usr/sbin/pkg", "-j", j]),
            with_packages,
        ]
        .concat()),
        (TargetSpec::Jail(j), _) => Ok([
            words(&[
                "jexec",
                "-l",
                "-U",
                "root",
                j,
                "env",
                "ASSUME_ALWAYS_YES=yes",
                "/usr/sbin/pkg",
            ]),
            with_packages,
        ]
        .concat()),
        (TargetSpec::Root(r), _) => Ok(match facts.package_manager {
            PackageManager::Pkg => [
                words(&[
                    "env",
                    "ASSUME_ALWAYS_YES=yes",
                    "pkg",
                    "-r",
                    &r.display().to_string(),
                ]),
                with_packages,
            ]
            .concat(),
            PackageManager::Apt => [
                words(&[
                    "chroot",
                    &r.display().to_string(),
                    "env",
                    "DEBIAN_FRONTEND=noninteractive",
                    "apt-get",
                    "-y",
                ]),
                with_packages,
            ]
            .concat(),
        }),
    }
}
