//! `jailwright plan`: what each step of a template does to a target, with
//! no side effect. Commands are the ones the template's own manager runs
//! (research/*.md), except where jailwright deliberately does better
//! (copies resolved safely inside the root, sysrc edited natively on an
//! offline root, nothing evaluated by a host shell).

mod commands;
mod makejail_refs;
mod render;

pub use render::render;

use crate::dialect::makejail::run_state::StageState;
use crate::document::{Document, ProblemKind};
use crate::ir::{CopyFrom, Dialect, Instruction, Runner, Step};
use commands::{appjail_jexec, appjail_tool, cmd_argv, in_jail, pkg_argv, words};
use serde::Serialize;
use std::collections::BTreeMap;
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
    /// Run a command on the host (with this text on its standard input).
    Run {
        argv: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stdin: Option<String>,
    },
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
    /// Replace `${NAME}` in a file or tree of the jail with the values in
    /// force (Bastille's RENDER: sed over every file, `.git` skipped).
    Render { path: String, vars: crate::ir::Vars },
    /// Replace `%{KEYWORD}` in a file of the jail (AppJail's REPLACE).
    Replace {
        file: String,
        keyword: String,
        value: String,
        output: String,
    },
    /// Mount a host path (or a pseudo file system) inside the jail, and
    /// record it in the jail's fstab when it has Bastille's layout.
    Mount(MountSpec),
    /// Append a line to a file of the jail unless it is there.
    LineInFile { line: String, file: String },
}

/// `MOUNT host jailpath [type options dump pass]` (bastille mount).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountSpec {
    pub from: String,
    /// The mount point, inside the jail's root.
    pub to: String,
    pub fstype: String,
    pub options: String,
    pub dump: String,
    pub pass: String,
}

/// A step and its actions, or why this target cannot run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    /// The step's index in the template (0-based); shown 1-based, as the
    /// text plan and apply's events count.
    #[serde(serialize_with = "one_based")]
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
    /// The step changes the running jail (a service, a mount), which no
    /// snapshot holds: a re-run never reuses a snapshot past it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub live: bool,
}

fn one_based<S: serde::Serializer>(index: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(*index as u64 + 1)
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
    /// The Makejail stage to run (`build` when not given).
    pub stage: Option<String>,
    /// The `bastille` command on this host, which a Bastillefile's manager
    /// steps (RDR, CONFIG, LIMITS, TAGS, other subcommands) are handed to.
    pub bastille: Option<PathBuf>,
    /// The `appjail` command on this host (a Makejail's RESTART).
    pub appjail: Option<PathBuf>,
    /// The templates Bastille INCLUDE steps run (by step index), or why
    /// one cannot be read.
    pub included: BTreeMap<usize, Result<Nested, String>>,
    /// `--env NAME=VALUE`: the environment a pot flavour's script gets
    /// besides the caller's (what `pot create` would have inherited).
    pub script_env: Vec<String>,
    /// Bastille built-ins whose value is not known (`JAIL_IP`, `JAIL_IP6`:
    /// bastille fills them from the jail), so a step still holding
    /// `${NAME}` cannot run as bastille would run it.
    pub unknown_builtins: Vec<String>,
}

/// A template run by an INCLUDE, with what is known of it.
#[derive(Debug, Clone)]
pub struct Nested {
    pub doc: Document,
    pub facts: Facts,
}

/// Plans `doc` for `target`, in the order the manager runs the steps.
pub fn plan(doc: &Document, target: &TargetSpec, facts: &Facts) -> Plan {
    Plan {
        target: target.clone(),
        steps: plan_steps(doc, target, facts),
    }
}

fn plan_steps(doc: &Document, target: &TargetSpec, facts: &Facts) -> Vec<PlannedStep> {
    let dialect = doc.template.dialect;
    let stage = facts.stage.as_deref().unwrap_or(BUILD_STAGE);
    let mut state = StageState::default();
    let mut steps = Vec::new();
    for i in doc.template.execution_order() {
        let step = &doc.template.steps[i];
        if step.stage.as_deref().is_some_and(|s| s != stage) {
            continue;
        }
        if let (Instruction::Include { .. }, Some(Ok(nested))) =
            (&step.instruction, facts.included.get(&i))
        {
            // bastille runs the included template whole, at this point.
            steps.extend(plan_steps(&nested.doc, target, &nested.facts));
            continue;
        }
        if dialect == Dialect::Pot && never_read(doc, step) {
            steps.push(skipped(
                i,
                step,
                "pot never reads a last line without a newline (its `while read -r` stops there), so it is not run",
            ));
            continue;
        }
        let mut planned = plan_step(i, step, dialect, target, facts, &state);
        if dialect == Dialect::Pot
            && let Some(problem) = problem_on(doc, step, ProblemKind::Usage)
        {
            // pot's getopts rejects the line: `pot create` stops there.
            planned.blocked = Some(format!(
                "pot rejects this line, so pot create fails here: {}",
                problem.message
            ));
        }
        if dialect == Dialect::Bastille
            && let Some(name) = facts
                .unknown_builtins
                .iter()
                .find(|n| step.args.iter().any(|a| a.contains(&format!("${{{n}}}"))))
        {
            planned.blocked = Some(format!(
                "${{{name}}} has no value here (bastille fills it from the jail's address): pass --{}",
                name.to_lowercase().replace('_', "-")
            ));
        }
        if dialect == Dialect::Bastille
            && let Some(name) = host_expanded(step)
        {
            planned.blocked = Some(format!(
                "${{{name}}} has no value: bastille's eval (template.sh:422) would expand it in its own shell, usually to nothing: pass --arg {name}=VALUE"
            ));
        }
        if let (Instruction::Include { .. }, Some(Err(why))) =
            (&step.instruction, facts.included.get(&i))
        {
            planned.blocked = Some(why.clone());
        }
        if dialect == Dialect::Makejail
            && let Err(why) = state.record(&step.instruction, &facts.args)
        {
            planned.blocked = Some(why);
        }
        steps.push(planned);
    }
    steps
}

/// A `${NAME}` (or `$NAME`) left in a Bastillefile step's words after ARG
/// substitution, in a word the host shell's eval expands: bastille hands
/// it to `eval "bastille CMD J ARGS"` (template.sh:422), which gives it
/// the value of bastille's own shell variable, usually nothing.
fn host_expanded(step: &Step) -> Option<String> {
    if !crate::dialect::bastille::host_evaluated(&step.instruction) {
        return None;
    }
    let tokens = crate::shell::lex(&step.text).ok()?;
    tokens
        .iter()
        .filter(|t| matches!(t.kind, crate::shell::TokenKind::Word { expands: true, .. }))
        .flat_map(|t| crate::shell::references(&step.text[t.start..t.end]))
        .map(str::to_string)
        .find(|name| {
            step.args
                .iter()
                .any(|a| a.contains(&format!("${{{name}}}")) || a.contains(&format!("${name}")))
        })
}

/// Whether a value read with `eval echo` holds a command substitution.
fn runs_on_host(value: &str) -> bool {
    value.contains("$(") || value.contains('`')
}

/// Whether the manager never reads the step's line (a pot command file's
/// last line without a newline: share/pot/common-flv.sh reads it with
/// `while read -r line`).
fn never_read(doc: &Document, step: &Step) -> bool {
    problem_on(doc, step, ProblemKind::NoFinalNewline).is_some()
}

/// The reader's problem of this kind on the step's line.
fn problem_on<'a>(
    doc: &'a Document,
    step: &Step,
    kind: ProblemKind,
) -> Option<&'a crate::document::Problem> {
    doc.problems
        .iter()
        .find(|p| p.kind == kind && p.line == step.line_index)
}

/// A step the manager skips: shown, never run.
fn skipped(index: usize, step: &Step, why: &str) -> PlannedStep {
    PlannedStep {
        note: Some(format!("skipped: {why}")),
        ..PlannedStep::of(index, step)
    }
}

impl PlannedStep {
    /// The template's step `index`, with nothing planned yet.
    fn of(index: usize, step: &Step) -> PlannedStep {
        PlannedStep {
            step: index,
            file: step.span.file.clone(),
            line: step.span.line,
            name: step.name.clone(),
            actions: Vec::new(),
            blocked: None,
            note: None,
            live: false,
        }
    }
}

/// The Makejail stage `appjail makejail` runs while building; the others
/// run later from the jail's InitScript (`--stage` picks one).
const BUILD_STAGE: &str = "build";

fn plan_step(
    index: usize,
    step: &Step,
    dialect: Dialect,
    target: &TargetSpec,
    facts: &Facts,
    state: &StageState,
) -> PlannedStep {
    let mut planned = PlannedStep::of(index, step);
    let outside = |what: &str| {
        Some(format!(
            "{what}: outside apply's reach (the jail manager does it)"
        ))
    };
    let run = |argv: Vec<String>| Action::Run { argv, stdin: None };
    let makejail = dialect == Dialect::Makejail;
    // AppJail's build script expands the ARGs in these words.
    let expanded;
    let instruction = if makejail {
        let mut env = state.script_vars.clone();
        if let TargetSpec::Jail(j) = target {
            env.push(format!("APPJAIL_JAILNAME={j}"));
        }
        match makejail_refs::expand_instruction(&step.instruction, &env, &state.unset_args) {
            Ok(Some(i)) => {
                expanded = i;
                &expanded
            }
            Ok(None) => &step.instruction,
            Err(why) => {
                planned.blocked = Some(why);
                return planned;
            }
        }
    } else {
        &step.instruction
    };
    match (instruction, target) {
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
            Instruction::Arg {
                value: Some(value),
                name,
                ..
            },
            _,
        ) if dialect == Dialect::Bastille && runs_on_host(value) => {
            // template.sh:72 reads the value with `eval echo`: bastille runs
            // the substitution on the host. jailwright never runs a
            // template's commands on the host.
            planned.blocked = Some(format!(
                "ARG {name}: bastille runs `{value}` on the host to get the value (template.sh:72, `eval echo`), which jailwright never does: pass --arg {name}=VALUE"
            ));
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
        (Instruction::Cmd { script, options }, _) => {
            match cmd_argv(script, options, &state.make_env, target, dialect) {
                Ok(argv) => planned.actions.push(run(argv)),
                Err(why) => planned.blocked = Some(why),
            }
        }
        (
            Instruction::Pkg {
                packages,
                runner,
                action,
            },
            _,
        ) => match pkg_argv(packages, *runner, *action, target, facts, dialect) {
            Ok(argv) => planned.actions.push(run(argv)),
            Err(why) => planned.blocked = Some(why),
        },
        (Instruction::Sysrc { args, runner }, TargetSpec::Jail(j))
            if makejail && *runner != Runner::Local =>
        {
            planned
                .actions
                .push(run(appjail_tool("sysrc", args, *runner, j)));
        }
        (Instruction::Service { args, runner }, TargetSpec::Jail(j))
            if makejail && *runner != Runner::Local =>
        {
            planned
                .actions
                .push(run(appjail_tool("service", args, *runner, j)));
            planned.live = true;
        }
        (Instruction::Sysrc { args, runner }, TargetSpec::Jail(j)) => {
            let argv = match runner {
                Runner::Host | Runner::Local => words(&["/usr/sbin/sysrc", "-j", j]),
                _ => words(&["jexec", "-l", j, "/usr/sbin/sysrc"]),
            };
            planned.actions.push(run([argv, args.clone()].concat()));
        }
        (Instruction::Sysrc { args, .. }, TargetSpec::Root(_)) => {
            planned.actions.push(Action::Sysrc { args: args.clone() });
        }
        (Instruction::Service { args, .. }, TargetSpec::Root(_))
            if !edits_rc_conf_only(args) =>
        {
            planned.note = Some(format!(
                "SERVICE {}: an offline root is not running, so nothing is started or stopped (on the build host it would act on the host's own processes); `SERVICE NAME enable` or SYSRC NAME_enable=YES still work",
                args.join(" ")
            ));
        }
        (Instruction::Service { args, .. }, _) => {
            let argv = [
                in_jail(target, false),
                words(&["/usr/sbin/service"]),
                args.clone(),
            ]
            .concat();
            planned.actions.push(run(argv));
            planned.live = true;
        }
        (
            Instruction::Cp {
                sources,
                destination,
                from,
                flags,
            },
            _,
        ) => {
            if let Some(glob) = flags.iter().find(|f| f.starts_with("--glob")) {
                planned.blocked = Some(format!(
                    "COPY {glob}: the host shell's glob is not expanded by apply (copy the files by name)"
                ));
            }
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
                let to = if makejail {
                    state.in_workdir(destination)
                } else if destination.is_empty() {
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
            // `cp -a TEMPLATE/DIR ROOT/`: the directory itself lands in
            // the root, merging with what is there.
            planned.actions.push(Action::Copy {
                from,
                to: "/".into(),
                contents: false,
            });
        }
        (Instruction::Render { path, vars }, _) => planned.actions.push(Action::Render {
            path: path.clone(),
            vars: vars.clone(),
        }),
        (Instruction::LineInFile { line, file }, _) => planned.actions.push(Action::LineInFile {
            line: line.clone(),
            file: file.clone(),
        }),
        (
            Instruction::Replace {
                file,
                keyword,
                value,
                output,
            },
            _,
        ) => {
            // AppJail: the file under WORKDIR, the output under WORKDIR
            // when given (cmd/all/REPLACE).
            let file = state.in_workdir(file);
            let output = output
                .as_deref()
                .filter(|o| !o.is_empty())
                .map_or_else(|| file.clone(), |o| state.in_workdir(o));
            planned.actions.push(Action::Replace {
                file,
                keyword: keyword.clone(),
                value: value.clone().unwrap_or_default(),
                output,
            });
        }
        (Instruction::Script { name, text: _ }, _) => {
            // pot: copy the script to /tmp in the pot, run it with the pot's
            // name as $1, through a plain `jexec POT` (no -l: the script
            // keeps the caller's environment and runs in /), as
            // share/pot/common-flv.sh:140-143 does.
            let script = format!("/tmp/{name}");
            let from = PathBuf::from(&step.span.file);
            planned.actions.push(Action::Copy {
                from,
                to: script.clone(),
                contents: false,
            });
            // `--env`: what pot create's caller would have had in its
            // environment, set by the jail's env(1) in front of the script.
            let env = if facts.script_env.is_empty() {
                Vec::new()
            } else {
                [vec!["env".to_string()], facts.script_env.clone()].concat()
            };
            let argv = match target {
                TargetSpec::Jail(pot) => [
                    vec!["jexec".into(), pot.clone()],
                    env,
                    vec![script, pot.clone()],
                ]
                .concat(),
                TargetSpec::Root(_) => {
                    let pot = step.args.get(1).cloned().unwrap_or_default();
                    [in_jail(target, false), env, vec![script, pot]].concat()
                }
            };
            planned.actions.push(run(argv));
        }
        (Instruction::Workdir { dir }, _) => {
            // makejail/cmd/all/WORKDIR:57: `appjail cmd jexec J mkdir -p DIR`.
            let prefix = match target {
                TargetSpec::Jail(j) => appjail_jexec(j, true, None, "/"),
                TargetSpec::Root(_) => in_jail(target, false),
            };
            planned
                .actions
                .push(run([prefix, words(&["mkdir", "-p", dir])].concat()));
        }
        (Instruction::Run { command, flags }, _) => {
            // makejail/cmd/all/RUN:236: `... | appjail cmd jexec J [-l]
            // [-U|-u USER] su -l USER -c "sh -s"`.
            let r = state.run(command, flags);
            let prefix = match target {
                TargetSpec::Jail(j) => appjail_jexec(j, r.clean, r.jexec_user.as_ref(), "/"),
                TargetSpec::Root(_) => in_jail(target, false),
            };
            planned.actions.push(Action::Run {
                argv: [prefix, r.argv].concat(),
                stdin: Some(r.stdin),
            });
        }
        (Instruction::Restart, TargetSpec::Jail(j)) => {
            // The manager restarts the jail with its own configuration:
            // `bastille restart J` (template.sh:422 runs every instruction
            // as `bastille CMD J ARGS`), `appjail restart J`
            // (makejail/cmd/build/RESTART:33). A bare `jail -rc J` would
            // skip what the manager does around it.
            let manager = match dialect {
                Dialect::Bastille => facts.bastille.as_ref().map(|b| (b, "bastille")),
                Dialect::Makejail => facts.appjail.as_ref().map(|a| (a, "appjail")),
                Dialect::Pot => None,
            };
            match manager {
                Some((program, _)) => {
                    planned.actions.push(run(vec![
                        program.display().to_string(),
                        "restart".into(),
                        j.clone(),
                    ]));
                    planned.live = true;
                }
                None => {
                    let name = if makejail { "appjail" } else { "bastille" };
                    planned.blocked = Some(format!(
                        "RESTART: `{name} restart {j}` restarts the jail with its manager's configuration, and {name} is not installed here"
                    ));
                }
            }
        }
        (Instruction::Restart, TargetSpec::Root(_)) => {
            planned.note = Some("RESTART: an offline root is not running".into());
        }
        (Instruction::Include { target: t, .. }, _) => {
            planned.blocked = Some(format!(
                "INCLUDE {t}: the included template was not read (a remote INCLUDE is not fetched yet)"
            ));
        }
        (Instruction::Mount { .. } | Instruction::Rdr { .. } | Instruction::Limits { .. }, _)
            if dialect == Dialect::Pot =>
        {
            planned.note =
                Some("pot configuration (fscomp.conf, pot.conf): applied by pot start".into())
        }
        (Instruction::Mount { .. }, _) if makejail => {
            planned.blocked = outside("MOUNT (AppJail's fstab of the jail, `appjail fstab`)")
        }
        (Instruction::Mount { args, .. }, TargetSpec::Jail(_)) => match mount_spec(args) {
            Ok(spec) => {
                planned.actions.push(Action::Mount(spec));
                planned.live = true;
            }
            Err(why) => planned.blocked = Some(why),
        },
        (Instruction::Mount { .. }, TargetSpec::Root(_)) => {
            planned.blocked = Some(
                "MOUNT: a mount belongs to the running jail; apply it to --jail, not to an offline root".into(),
            )
        }
        (
            Instruction::Rdr { .. }
            | Instruction::Config { .. }
            | Instruction::Limits { .. }
            | Instruction::Tags { .. }
            | Instruction::Passthrough { .. },
            TargetSpec::Jail(j),
        ) if dialect == Dialect::Bastille => match bastille_argv(&step.instruction, j, facts) {
            Ok(argv) => {
                // Their effect lives in the manager's files and pf, in no
                // snapshot of the root.
                planned.actions.push(run(argv));
                planned.live = true;
            }
            Err(why) => planned.blocked = Some(why),
        },
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

/// A Bastillefile step bastille itself carries out: `bastille SUB JAIL
/// ARGS` (template.sh's passthrough; TAGS as `tags JAIL add a,b`).
fn bastille_argv(
    instruction: &Instruction,
    jail: &str,
    facts: &Facts,
) -> Result<Vec<String>, String> {
    let (subcommand, args): (&str, Vec<String>) = match instruction {
        Instruction::Rdr { args } => ("rdr", args.clone()),
        Instruction::Config { args } => ("config", args.clone()),
        Instruction::Limits { args } => ("limits", args.clone()),
        Instruction::Tags { tags } => ("tags", vec!["add".into(), tags.join(",")]),
        Instruction::Passthrough {
            subcommand, known, ..
        } if !known => {
            return Err(format!(
                "bastille has no `{subcommand}` subcommand: bastille template fails here"
            ));
        }
        Instruction::Passthrough {
            subcommand, args, ..
        } => (subcommand.as_str(), args.clone()),
        _ => unreachable!("only manager steps are handed to bastille"),
    };
    let Some(bastille) = &facts.bastille else {
        return Err(format!(
            "bastille {subcommand}: needs bastille on this host (it keeps the jail's {})",
            match subcommand {
                "rdr" => "pf rules",
                "config" => "jail.conf",
                "limits" => "rctl and cpuset rules",
                "tags" => "tags",
                _ => "state",
            }
        ));
    };
    Ok([
        vec![
            bastille.display().to_string(),
            subcommand.to_string(),
            jail.to_string(),
        ],
        args,
    ]
    .concat())
}

/// bastille mount's arguments: 2 words mean `nullfs ro 0 0`; otherwise all
/// six are needed (mount.sh).
fn mount_spec(args: &[String]) -> Result<MountSpec, String> {
    let usage = "MOUNT takes host_path jail_path [fstype options dump pass]";
    let (fstype, options, dump, pass) = match args.len() {
        2 => ("nullfs", "ro", "0", "0"),
        6 => (
            args[2].as_str(),
            args[3].as_str(),
            args[4].as_str(),
            args[5].as_str(),
        ),
        _ => return Err(usage.into()),
    };
    if !["ro", "rw", "rq", "sw", "xx"]
        .iter()
        .any(|o| options.contains(o))
    {
        return Err(format!("MOUNT: invalid mount options: {options}"));
    }
    if !matches!((dump, pass), ("0" | "1", "0" | "1")) {
        return Err(format!("MOUNT: invalid dump/pass: {dump} {pass}"));
    }
    // mount.sh:102-112: a pseudo file system only as its own name, a ZFS
    // dataset, or a nullfs host path; anything else bastille refuses.
    let special = matches!(
        (args[0].as_str(), fstype),
        ("tmpfs", "tmpfs")
            | ("linprocfs", "linprocfs")
            | ("linsysfs", "linsysfs")
            | ("proc", "procfs")
            | ("fdesc", "fdescfs")
    );
    if !special && fstype != "nullfs" && fstype != "zfs" {
        return Err(format!(
            "MOUNT {} ... {fstype}: bastille mounts only nullfs, a ZFS dataset, or tmpfs/linprocfs/linsysfs/procfs/fdescfs named as themselves (mount.sh:102-112)",
            args[0]
        ));
    }
    Ok(MountSpec {
        from: args[0].clone(),
        to: args[1].clone(),
        fstype: fstype.into(),
        options: options.into(),
        dump: dump.into(),
        pass: pass.into(),
    })
}

/// Whether a `service` command only edits rc.conf (`NAME enable`,
/// `disable`, `delete`): the commands that mean something on an offline
/// root. Everything else starts, stops or asks a running process.
fn edits_rc_conf_only(args: &[String]) -> bool {
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect();
    matches!(words.as_slice(), [_, "enable" | "disable" | "delete"])
}
