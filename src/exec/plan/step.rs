//! One step planned: what its instruction does to the target. The match in
//! `plan_step` names every `Instruction` variant, so a new one is a
//! compile error here until it is planned; each family has its function.

use super::blocked::Blocked;
use super::commands::{appjail_jexec, appjail_tool, cmd_argv, in_jail, pkg_argv, words};
use super::{Action, Facts, MountSpec, PlannedStep, TargetSpec, makejail_refs, runs_on_host};
use crate::dialect::makejail::run_state::StageState;
use crate::ir::{CmdOptions, CopyFrom, Dialect, Instruction, PkgAction, Runner, Step};
use std::path::PathBuf;

/// What a step is planned against.
struct StepContext<'a> {
    step: &'a Step,
    dialect: Dialect,
    target: &'a TargetSpec,
    facts: &'a Facts,
    state: &'a StageState,
}

impl StepContext<'_> {
    fn makejail(&self) -> bool {
        self.dialect == Dialect::Makejail
    }
}

fn run(argv: Vec<String>) -> Action {
    Action::Run { argv, stdin: None }
}

fn outside(what: &str) -> Option<String> {
    Some(format!(
        "{what}: outside apply's reach (the jail manager does it)"
    ))
}

pub(super) fn plan_step(
    index: usize,
    step: &Step,
    dialect: Dialect,
    target: &TargetSpec,
    facts: &Facts,
    state: &StageState,
) -> PlannedStep {
    let mut planned = PlannedStep::of(index, step);
    let cx = StepContext {
        step,
        dialect,
        target,
        facts,
        state,
    };
    // AppJail's build script expands the ARGs in these words.
    let expanded = match expand(&cx) {
        Ok(expanded) => expanded,
        Err(why) => {
            planned.blocked = Some(why.to_string());
            return planned;
        }
    };
    plan_instruction(
        &cx,
        expanded.as_ref().unwrap_or(&step.instruction),
        &mut planned,
    );
    planned
}

/// A Makejail step's instruction with its ARGs expanded (None: unchanged).
fn expand(cx: &StepContext) -> Result<Option<Instruction>, makejail_refs::RefError> {
    if !cx.makejail() {
        return Ok(None);
    }
    let mut env = cx.state.script_vars.clone();
    if let TargetSpec::Jail(j) = cx.target {
        env.push(format!("APPJAIL_JAILNAME={j}"));
    }
    makejail_refs::expand_instruction(&cx.step.instruction, &env, &cx.state.unset_args)
}

fn plan_instruction(cx: &StepContext, instruction: &Instruction, planned: &mut PlannedStep) {
    let pot = cx.dialect == Dialect::Pot;
    match instruction {
        Instruction::Arg {
            name,
            value,
            required,
            ..
        } => arg(cx, name, value.as_deref(), *required, planned),
        Instruction::Var { .. }
        | Instruction::Env { .. }
        | Instruction::Entrypoint { .. }
        | Instruction::User { .. }
        | Instruction::Clear { .. }
        | Instruction::Stage { .. }
        | Instruction::Global { .. }
        | Instruction::Ignored { .. } => declaration(planned),
        Instruction::Cmd { script, options } => cmd(cx, script, options, planned),
        Instruction::Pkg {
            packages,
            runner,
            action,
        } => pkg(cx, packages, *runner, *action, planned),
        Instruction::Sysrc { args, runner } => sysrc(cx, args, *runner, planned),
        Instruction::Service { args, runner } => service(cx, args, *runner, planned),
        Instruction::Cp {
            sources,
            destination,
            from,
            flags,
        } => copy(cx, sources, destination, from, flags, planned),
        Instruction::Overlay { dir } => overlay(cx, dir, planned),
        Instruction::Render { path, vars } => planned.actions.push(Action::Render {
            path: path.clone(),
            vars: vars.clone(),
        }),
        Instruction::LineInFile { line, file } => line_in_file(line, file, planned),
        Instruction::Replace {
            file,
            keyword,
            value,
            output,
        } => replace(
            cx,
            file,
            keyword,
            value.as_deref(),
            output.as_deref(),
            planned,
        ),
        Instruction::Script { name, text: _ } => script(cx, name, planned),
        Instruction::Workdir { dir } => workdir(cx, dir, planned),
        Instruction::Run { command, flags } => run_makejail(cx, command, flags, planned),
        Instruction::Restart => restart(cx, planned),
        Instruction::Include { target, .. } => include(target, planned),
        Instruction::Mount { .. } | Instruction::Rdr { .. } | Instruction::Limits { .. } if pot => {
            planned.note =
                Some("pot configuration (fscomp.conf, pot.conf): applied by pot start".into());
        }
        Instruction::Mount { args, .. } => mount(cx, args, planned),
        Instruction::Rdr { args } => managed(cx, ("rdr", "port redirection (pf)"), args, planned),
        Instruction::Config { args } => managed(cx, ("config", "jail.conf"), args, planned),
        Instruction::Limits { args } => {
            managed(
                cx,
                ("limits", "resource limits (rctl, cpuset)"),
                args,
                planned,
            );
        }
        Instruction::Tags { tags } => {
            managed(
                cx,
                ("tags", "tags"),
                &["add".into(), tags.join(",")],
                planned,
            );
        }
        Instruction::Passthrough {
            subcommand,
            known: false,
            ..
        } if cx.dialect == Dialect::Bastille && matches!(cx.target, TargetSpec::Jail(_)) => {
            planned.blocked = Some(format!(
                "bastille has no `{subcommand}` subcommand: bastille template fails here"
            ));
        }
        Instruction::Passthrough {
            subcommand, args, ..
        } => {
            let what = format!("bastille {subcommand}");
            managed(cx, (subcommand, &what), args, planned);
        }
        Instruction::JailOption { .. }
        | Instruction::From { .. }
        | Instruction::Start
        | Instruction::Stop
        | Instruction::Destroy { .. }
        | Instruction::Login { .. } => note(planned, JAIL_ITSELF),
        Instruction::Attribute { .. }
        | Instruction::StartCommand { .. }
        | Instruction::SetEnv { .. }
        | Instruction::DependsOn { .. } => note(planned, POT_CONF),
        Instruction::Target { .. }
        | Instruction::Raw { .. }
        | Instruction::Add { .. }
        | Instruction::Device { .. }
        | Instruction::Label { .. }
        | Instruction::Set { .. }
        | Instruction::Umount { .. }
        | Instruction::Volume { .. }
        | Instruction::Exec { .. }
        | Instruction::Unknown { .. } => {
            planned.blocked = Some(format!(
                "{}: not supported by apply yet",
                instruction.ir_name()
            ));
        }
    }
}

const JAIL_ITSELF: &str = "creates or manages the jail itself: outside apply's reach";
const POT_CONF: &str = "pot configuration (pot.conf): outside apply's reach";

fn note(planned: &mut PlannedStep, note: &str) {
    planned.note = Some(note.into());
}

fn line_in_file(line: &str, file: &str, planned: &mut PlannedStep) {
    planned.actions.push(Action::LineInFile {
        line: line.to_string(),
        file: file.to_string(),
    });
}

fn include(target: &str, planned: &mut PlannedStep) {
    planned.blocked = Some(format!(
        "INCLUDE {target}: the included template was not read (a remote INCLUDE is fetched only with --fetch-includes)"
    ));
}

fn declaration(planned: &mut PlannedStep) {
    planned.note = Some("declaration: nothing to run".into());
}

/// An ARG: a declaration, unless bastille would need a value it lacks or
/// would run the host's shell for it.
fn arg(
    cx: &StepContext,
    name: &str,
    value: Option<&str>,
    required: bool,
    planned: &mut PlannedStep,
) {
    if cx.dialect != Dialect::Bastille {
        return declaration(planned);
    }
    match value {
        None if required => {
            planned.blocked = Some(format!("ARG+ {name} has no value: pass --arg {name}=VALUE"));
        }
        // template.sh:72 reads the value with `eval echo`: bastille runs
        // the substitution on the host. jailwright never runs a
        // template's commands on the host.
        Some(value) if runs_on_host(value) => {
            planned.blocked = Some(format!(
                "ARG {name}: bastille runs `{value}` on the host to get the value (template.sh:72, `eval echo`), which jailwright never does: pass --arg {name}=VALUE"
            ));
        }
        _ => declaration(planned),
    }
}

fn cmd(cx: &StepContext, script: &str, options: &CmdOptions, planned: &mut PlannedStep) {
    match cmd_argv(script, options, &cx.state.make_env, cx.target, cx.dialect) {
        Ok(argv) => planned.actions.push(run(argv)),
        Err(why) => planned.blocked = Some(why.to_string()),
    }
}

fn pkg(
    cx: &StepContext,
    packages: &[String],
    runner: Runner,
    action: PkgAction,
    planned: &mut PlannedStep,
) {
    match pkg_argv(packages, runner, action, cx.target, cx.facts, cx.dialect) {
        Ok(argv) => planned.actions.push(run(argv)),
        Err(why) => planned.blocked = Some(why.to_string()),
    }
}

fn sysrc(cx: &StepContext, args: &[String], runner: Runner, planned: &mut PlannedStep) {
    match cx.target {
        TargetSpec::Jail(j) if cx.makejail() && runner != Runner::Local => {
            planned
                .actions
                .push(run(appjail_tool("sysrc", args, runner, j)));
        }
        TargetSpec::Jail(j) => {
            let argv = match runner {
                Runner::Host | Runner::Local => words(&["/usr/sbin/sysrc", "-j", j]),
                _ => words(&["jexec", "-l", j, "/usr/sbin/sysrc"]),
            };
            planned.actions.push(run([argv, args.to_vec()].concat()));
        }
        TargetSpec::Root(_) => planned.actions.push(Action::Sysrc {
            args: args.to_vec(),
        }),
    }
}

fn service(cx: &StepContext, args: &[String], runner: Runner, planned: &mut PlannedStep) {
    match cx.target {
        TargetSpec::Jail(j) if cx.makejail() && runner != Runner::Local => {
            planned
                .actions
                .push(run(appjail_tool("service", args, runner, j)));
            planned.live = true;
        }
        TargetSpec::Root(_) if !edits_rc_conf_only(args) => {
            planned.note = Some(format!(
                "SERVICE {}: an offline root is not running, so nothing is started or stopped (on the build host it would act on the host's own processes); `SERVICE NAME enable` or SYSRC NAME_enable=YES still work",
                args.join(" ")
            ));
        }
        _ => {
            let argv = [
                in_jail(cx.target, false),
                words(&["/usr/sbin/service"]),
                args.to_vec(),
            ]
            .concat();
            planned.actions.push(run(argv));
            planned.live = true;
        }
    }
}

fn copy(
    cx: &StepContext,
    sources: &[String],
    destination: &str,
    from: &CopyFrom,
    flags: &[String],
    planned: &mut PlannedStep,
) {
    if let Some(glob) = flags.iter().find(|f| f.starts_with("--glob")) {
        planned.blocked = Some(format!(
            "COPY {glob}: the host shell's glob is not expanded by apply (copy the files by name)"
        ));
    }
    for source in sources {
        let from_path = match from {
            CopyFrom::Template => cx.facts.template_dir.join(source),
            CopyFrom::Host => PathBuf::from(source),
            CopyFrom::Jail(jail) => {
                planned.blocked = Some(format!(
                    "COPY --jail {jail}: copying from another jail is not supported yet"
                ));
                continue;
            }
        };
        if cx.facts.missing.contains(&from_path) {
            planned.blocked = Some(format!("{} does not exist", from_path.display()));
        }
        let to = if cx.makejail() {
            cx.state.in_workdir(destination)
        } else if destination.is_empty() {
            "/".to_string()
        } else {
            destination.to_string()
        };
        planned.actions.push(Action::Copy {
            from: from_path,
            to,
            contents: false,
        });
    }
}

fn overlay(cx: &StepContext, dir: &str, planned: &mut PlannedStep) {
    let from = cx.facts.template_dir.join(dir);
    if cx.facts.missing.contains(&from) {
        planned.blocked = Some(format!("{} does not exist", from.display()));
    }
    // `cp -a TEMPLATE/DIR ROOT/`: the directory itself lands in the root,
    // merging with what is there.
    planned.actions.push(Action::Copy {
        from,
        to: "/".into(),
        contents: false,
    });
}

/// AppJail's REPLACE: the file under WORKDIR, the output under WORKDIR
/// when given (cmd/all/REPLACE).
fn replace(
    cx: &StepContext,
    file: &str,
    keyword: &str,
    value: Option<&str>,
    output: Option<&str>,
    planned: &mut PlannedStep,
) {
    let file = cx.state.in_workdir(file);
    let output = output
        .filter(|o| !o.is_empty())
        .map_or_else(|| file.clone(), |o| cx.state.in_workdir(o));
    planned.actions.push(Action::Replace {
        file,
        keyword: keyword.to_string(),
        value: value.unwrap_or_default().to_string(),
        output,
    });
}

/// pot: copy the script to /tmp in the pot, run it with the pot's name as
/// $1, through a plain `jexec POT` (no -l: the script keeps the caller's
/// environment and runs in /), as share/pot/common-flv.sh:140-143 does.
fn script(cx: &StepContext, name: &str, planned: &mut PlannedStep) {
    let script = format!("/tmp/{name}");
    planned.actions.push(Action::Copy {
        from: PathBuf::from(&cx.step.span.file),
        to: script.clone(),
        contents: false,
    });
    // `--env`: what pot create's caller would have had in its
    // environment, set by the jail's env(1) in front of the script.
    let env = if cx.facts.script_env.is_empty() {
        Vec::new()
    } else {
        [vec!["env".to_string()], cx.facts.script_env.clone()].concat()
    };
    let argv = match cx.target {
        TargetSpec::Jail(pot) => [
            vec!["jexec".into(), pot.clone()],
            env,
            vec![script, pot.clone()],
        ]
        .concat(),
        TargetSpec::Root(_) => {
            let pot = cx.step.args.get(1).cloned().unwrap_or_default();
            [in_jail(cx.target, false), env, vec![script, pot]].concat()
        }
    };
    planned.actions.push(run(argv));
}

/// makejail/cmd/all/WORKDIR:57: `appjail cmd jexec J mkdir -p DIR`.
fn workdir(cx: &StepContext, dir: &str, planned: &mut PlannedStep) {
    let prefix = match cx.target {
        TargetSpec::Jail(j) => appjail_jexec(j, true, None, "/"),
        TargetSpec::Root(_) => in_jail(cx.target, false),
    };
    planned
        .actions
        .push(run([prefix, words(&["mkdir", "-p", dir])].concat()));
}

/// makejail/cmd/all/RUN:236: `... | appjail cmd jexec J [-l] [-U|-u USER]
/// su -l USER -c "sh -s"`.
fn run_makejail(cx: &StepContext, command: &[String], flags: &[String], planned: &mut PlannedStep) {
    let r = cx.state.run(command, flags);
    let prefix = match cx.target {
        TargetSpec::Jail(j) => appjail_jexec(j, r.clean, r.jexec_user.as_ref(), "/"),
        TargetSpec::Root(_) => in_jail(cx.target, false),
    };
    planned.actions.push(Action::Run {
        argv: [prefix, r.argv].concat(),
        stdin: Some(r.stdin),
    });
}

/// The manager restarts the jail with its own configuration: `bastille
/// restart J` (template.sh:422 runs every instruction as `bastille CMD J
/// ARGS`), `appjail restart J` (makejail/cmd/build/RESTART:33). A bare
/// `jail -rc J` would skip what the manager does around it.
fn restart(cx: &StepContext, planned: &mut PlannedStep) {
    let TargetSpec::Jail(j) = cx.target else {
        planned.note = Some("RESTART: an offline root is not running".into());
        return;
    };
    let manager = match cx.dialect {
        Dialect::Bastille => cx.facts.bastille.as_ref(),
        Dialect::Makejail => cx.facts.appjail.as_ref(),
        Dialect::Pot => None,
    };
    match manager {
        Some(program) => {
            planned.actions.push(run(vec![
                program.display().to_string(),
                "restart".into(),
                j.clone(),
            ]));
            planned.live = true;
        }
        None => {
            let name = if cx.makejail() { "appjail" } else { "bastille" };
            planned.blocked = Some(format!(
                "RESTART: `{name} restart {j}` restarts the jail with its manager's configuration, and {name} is not installed here"
            ));
        }
    }
}

fn mount(cx: &StepContext, args: &[String], planned: &mut PlannedStep) {
    if cx.makejail() {
        planned.blocked = outside("MOUNT (AppJail's fstab of the jail, `appjail fstab`)");
        return;
    }
    match cx.target {
        TargetSpec::Jail(_) => match mount_spec(args) {
            Ok(spec) => {
                planned.actions.push(Action::Mount(spec));
                planned.live = true;
            }
            Err(why) => planned.blocked = Some(why.to_string()),
        },
        TargetSpec::Root(_) => {
            planned.blocked = Some(
                "MOUNT: a mount belongs to the running jail; apply it to --jail, not to an offline root".into(),
            );
        }
    }
}

/// A step the jail manager carries out (port redirection, jail.conf,
/// limits, tags, other subcommands): a Bastillefile's is handed to
/// `bastille SUB JAIL ARGS` (template.sh's passthrough); elsewhere it is
/// outside apply's reach.
/// `(subcommand, what)`: bastille's subcommand, and what the step is in
/// "outside apply's reach".
fn managed(
    cx: &StepContext,
    (subcommand, what): (&str, &str),
    args: &[String],
    planned: &mut PlannedStep,
) {
    let TargetSpec::Jail(jail) = cx.target else {
        planned.blocked = outside(what);
        return;
    };
    if cx.dialect != Dialect::Bastille {
        planned.blocked = outside(what);
        return;
    }
    let Some(bastille) = &cx.facts.bastille else {
        planned.blocked = Some(format!(
            "bastille {subcommand}: needs bastille on this host (it keeps the jail's {})",
            match subcommand {
                "rdr" => "pf rules",
                "config" => "jail.conf",
                "limits" => "rctl and cpuset rules",
                "tags" => "tags",
                _ => "state",
            }
        ));
        return;
    };
    let argv = [
        vec![
            bastille.display().to_string(),
            subcommand.to_string(),
            jail.to_string(),
        ],
        args.to_vec(),
    ]
    .concat();
    // Their effect lives in the manager's files and pf, in no snapshot of
    // the root.
    planned.actions.push(run(argv));
    planned.live = true;
}

/// bastille mount's arguments: 2 words mean `nullfs ro 0 0`; otherwise all
/// six are needed (mount.sh).
fn mount_spec(args: &[String]) -> Result<MountSpec, Blocked> {
    let (fstype, options, dump, pass) = match args.len() {
        2 => ("nullfs", "ro", "0", "0"),
        6 => (
            args[2].as_str(),
            args[3].as_str(),
            args[4].as_str(),
            args[5].as_str(),
        ),
        _ => return Err(Blocked::MountUsage),
    };
    if !["ro", "rw", "rq", "sw", "xx"]
        .iter()
        .any(|o| options.contains(o))
    {
        return Err(Blocked::MountOptions {
            options: options.to_string(),
        });
    }
    if !matches!((dump, pass), ("0" | "1", "0" | "1")) {
        return Err(Blocked::MountDumpPass {
            dump: dump.to_string(),
            pass: pass.to_string(),
        });
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
        return Err(Blocked::MountType {
            from: args[0].clone(),
            fstype: fstype.to_string(),
        });
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
