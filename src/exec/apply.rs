//! `jailwright apply`: carries out a plan step by step through the ports,
//! with a snapshot of the starting state and one after every step.
//!
//! Each step has a cache key: a hash of the previous key, the step's
//! actions (after substitution) and the content of every file it copies.
//! A re-run rolls back to the last snapshot of the longest prefix of steps
//! whose keys match, and runs only the rest. A failing step rolls the
//! dataset back to the state this run started from. Only jailwright's
//! apply snapshots are ever destroyed (see `chain`).

use super::chain::{self, ChainError};
use super::edits;
use super::plan::{Action, Plan, PlannedStep};
use super::ports::{Snapshot, Snapshots, Target};
use crate::dialect::bastille::substitution::Replacements;
use sha2::{Digest, Sha256};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

pub use super::chain::snapshot_name;
pub use super::failure::{Cause, Failure, Phase, Rollback, StepError};

/// The key of the starting state of a target for one template (its
/// files): applying another template to the same target starts a new
/// chain from the state it finds, instead of rolling back to the first
/// template's start.
pub fn start_key(plan: &Plan) -> String {
    let mut files: Vec<&str> = Vec::new();
    for step in &plan.steps {
        if !files.contains(&step.file.as_str()) {
            files.push(&step.file);
        }
    }
    hex(&Sha256::digest(format!(
        "jailwright start {:?} {files:?}",
        plan.target
    )))
}

/// One key per step: hash(previous key, actions, copied content).
pub fn cache_keys(plan: &Plan, content: impl Fn(&Path) -> Vec<u8>) -> Vec<String> {
    let mut previous = start_key(plan);
    plan.steps
        .iter()
        .map(|step| {
            let mut h = Sha256::new();
            h.update(previous.as_bytes());
            h.update(serde_json::to_vec(&step.actions).expect("actions serialize"));
            for action in &step.actions {
                if let Action::Copy { from, .. } = action {
                    h.update(content(from));
                }
            }
            previous = hex(&h.finalize());
            previous.clone()
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Reuse snapshots of an unchanged prefix (off: `--no-cache`).
    pub use_cache: bool,
    /// Leave a failed step's state in place instead of rolling back.
    pub keep_failed: bool,
}

/// What apply reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Reused {
        steps: usize,
    },
    Started {
        step: usize,
        of: usize,
        name: String,
    },
    Finished {
        step: usize,
        millis: u128,
    },
    Skipped {
        step: usize,
        why: String,
    },
    /// A line the running command printed.
    Output {
        step: usize,
        line: String,
    },
    /// Something the manager only warns about (RENDER of a missing path).
    Warning {
        step: usize,
        message: String,
    },
}

/// How a run ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub reused: usize,
    pub ran: usize,
    pub snapshots: bool,
}

pub fn apply(
    plan: &Plan,
    keys: &[String],
    target: &mut dyn Target,
    mut snapshots: Option<&mut dyn Snapshots>,
    options: Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Report, Failure> {
    // Where this run started: a failure rolls back to it.
    let (begin, base) = match snapshots.as_deref_mut() {
        Some(store) => {
            let (begin, base) = prepare(plan, keys, store, options).map_err(|cause| Failure {
                cause: Box::new(cause),
                rollback: Rollback::NothingRan,
            })?;
            (begin, Some(base))
        }
        None => (0, None),
    };
    if begin > 0 {
        on_event(Event::Reused { steps: begin });
    }
    let total = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate().skip(begin) {
        on_event(Event::Started {
            step: i + 1,
            of: total,
            name: step.name.clone(),
        });
        let began = Instant::now();
        if let Err(cause) =
            step_and_snapshot(i, step, keys, target, snapshots.as_deref_mut(), on_event)
        {
            let rollback =
                roll_back_after_failure(snapshots.as_deref_mut(), base.as_deref(), options);
            return Err(Failure {
                cause: Box::new(cause),
                rollback,
            });
        }
        on_event(Event::Finished {
            step: i + 1,
            millis: Duration::as_millis(&began.elapsed()),
        });
    }
    Ok(Report {
        reused: begin,
        ran: total - begin,
        snapshots: snapshots.is_some(),
    })
}

/// Runs step `i` (from 0), then takes its snapshot.
fn step_and_snapshot(
    i: usize,
    step: &PlannedStep,
    keys: &[String],
    target: &mut dyn Target,
    snapshots: Option<&mut (dyn Snapshots + '_)>,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), Cause> {
    run_step(i + 1, step, target, on_event).map_err(|error| Cause::Step {
        step: i + 1,
        name: step.name.clone(),
        error,
    })?;
    let Some(store) = snapshots else {
        return Ok(());
    };
    let snapshot = snapshot_name(i + 1, &keys[i]);
    store
        .snapshot(&snapshot, &keys[i])
        .map_err(|e| Cause::Snapshots {
            phase: Phase::AfterStep {
                step: i + 1,
                name: step.name.clone(),
                snapshot,
            },
            error: e.into(),
        })
}

/// Before any step runs: rolls back to the last reusable snapshot of this
/// template's chain, or starts a new chain (another template's apply
/// snapshots destroyed, the starting state snapshotted). Returns how many
/// steps are reused and the snapshot a failure rolls back to.
fn prepare(
    plan: &Plan,
    keys: &[String],
    store: &mut dyn Snapshots,
    options: Options,
) -> Result<(usize, String), Cause> {
    let snapshots = |phase: Phase| move |error: ChainError| Cause::Snapshots { phase, error };
    let start = start_key(plan);
    let start_name = snapshot_name(0, &start);
    let all = store.list().map_err(|e| snapshots(Phase::List)(e.into()))?;
    let existing = chain::apply_snapshots(all);
    let has = |name: &str, key: &str| {
        existing
            .iter()
            .any(|s: &Snapshot| s.name == name && s.key == key)
    };
    if !has(&start_name, &start) {
        chain::destroy_apply_snapshots(store, &existing)
            .map_err(snapshots(Phase::ClearOldChain))?;
        store.snapshot(&start_name, &start).map_err(|e| {
            snapshots(Phase::Start {
                snapshot: start_name.clone(),
            })(e.into())
        })?;
        return Ok((0, start_name));
    }
    let mut begin = 0;
    if options.use_cache {
        // A live step's effect (a started service, a mount) is in no
        // snapshot: reuse stops before the first one.
        begin = keys
            .iter()
            .enumerate()
            .take_while(|(i, k)| !plan.steps[*i].live && has(&snapshot_name(i + 1, k), k))
            .count();
    }
    let resume = if begin == 0 {
        start_name
    } else {
        snapshot_name(begin, &keys[begin - 1])
    };
    chain::roll_back(store, &resume).map_err(snapshots(Phase::Resume { to: resume.clone() }))?;
    Ok((begin, resume))
}

/// After a failure once steps ran: rolls back to where the run started,
/// unless told to keep the failed state, saying what happened.
fn roll_back_after_failure(
    store: Option<&mut (dyn Snapshots + '_)>,
    base: Option<&str>,
    options: Options,
) -> Rollback {
    if options.keep_failed {
        return Rollback::Kept;
    }
    let (Some(store), Some(base)) = (store, base) else {
        return Rollback::NoSnapshots;
    };
    match chain::roll_back(store, base) {
        Ok(()) => Rollback::Done(base.to_string()),
        Err(error) => Rollback::Failed {
            to: base.to_string(),
            error,
        },
    }
}

/// Runs a step's actions; on failure, the action and what it printed.
fn run_step(
    number: usize,
    step: &PlannedStep,
    target: &mut dyn Target,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), StepError> {
    let io_failure = |what: String, error: io::Error| StepError::Action { what, error };
    for action in &step.actions {
        match action {
            Action::Run { argv, stdin } => {
                let command = shlex::try_join(argv.iter().map(String::as_str))
                    .unwrap_or_else(|_| argv.join(" "));
                let mut on_line = |line: &str| {
                    on_event(Event::Output {
                        step: number,
                        line: line.to_string(),
                    })
                };
                let outcome = target
                    .run(argv, stdin.as_deref(), &mut on_line)
                    .map_err(|e| io_failure(command.clone(), e))?;
                if outcome.status != 0 {
                    return Err(StepError::Exited { command, outcome });
                }
            }
            Action::Copy { from, to, contents } => {
                let what = format!("copy {} -> {to}", from.display());
                target
                    .copy_in(from, to, *contents)
                    .map_err(|e| io_failure(what, e))?;
            }
            Action::Sysrc { args } => {
                let what = format!("sysrc {}", args.join(" "));
                let edit = edits::sysrc_args(args)
                    .map_err(|e| io_failure(what.clone(), io::Error::other(e)))?;
                let old = target
                    .read_file(&edit.file)
                    .map_err(|e| io_failure(what.clone(), e))?;
                let old = String::from_utf8_lossy(&old.unwrap_or_default()).into_owned();
                let new = edits::apply_sysrc(&old, &edit.changes);
                target
                    .write_file(&edit.file, new.as_bytes())
                    .map_err(|e| io_failure(what, e))?;
            }
            Action::LineInFile { line, file } => {
                let what = format!("line-in-file {file}");
                let old = target
                    .read_file(file)
                    .map_err(|e| io_failure(what.clone(), e))?;
                let old = old.map(|b| String::from_utf8_lossy(&b).into_owned());
                if let Some(new) = edits::line_in_file(old.as_deref(), line) {
                    target
                        .write_file(file, new.as_bytes())
                        .map_err(|e| io_failure(what, e))?;
                }
            }
            Action::Render { path, vars } => {
                let what = format!("render {path}");
                let replacements = Replacements::from_pushed(vars);
                if replacements.is_broken() {
                    on_event(Event::Warning {
                        step: number,
                        message: format!(
                            "RENDER {path}: sed refuses the ARG substitutions (a name with / or '): nothing rendered"
                        ),
                    });
                    continue;
                }
                let Some(files) = target
                    .files_under(path)
                    .map_err(|e| io_failure(what.clone(), e))?
                else {
                    // bastille only warns.
                    on_event(Event::Warning {
                        step: number,
                        message: format!("RENDER {path}: no such file or directory in the jail"),
                    });
                    continue;
                };
                for file in files {
                    let old = target
                        .read_file(&file)
                        .map_err(|e| io_failure(what.clone(), e))?
                        .unwrap_or_default();
                    if let Some(new) = edits::render(&old, &replacements) {
                        target
                            .write_file(&file, &new)
                            .map_err(|e| io_failure(what.clone(), e))?;
                    }
                }
            }
            Action::Replace {
                file,
                keyword,
                value,
                output,
            } => {
                let what = format!("replace %{{{keyword}}} in {file}");
                let fail = |message: String| io_failure(what.clone(), io::Error::other(message));
                let read = |target: &mut dyn Target, path: &str| {
                    target
                        .read_file(path)
                        .map_err(|e| fail(e.to_string()))?
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .ok_or_else(|| fail(format!("REPLACE: the file `{path}` does not exist.")))
                };
                let old = read(target, file)?;
                let new = edits::replace_keyword(&old, keyword, value)
                    .map_err(|e| fail(e.replace("the file", &format!("the {file} file"))))?;
                target
                    .write_file(output, new.as_bytes())
                    .map_err(|e| fail(e.to_string()))?;
                let read_back = read(target, file)?;
                let unescaped = edits::unescape_keyword(&read_back, keyword);
                if unescaped != read_back {
                    target
                        .write_file(file, unescaped.as_bytes())
                        .map_err(|e| fail(e.to_string()))?;
                }
            }
            Action::Mount(spec) => {
                let command = format!(
                    "mount -t {} -o {} {} {}",
                    spec.fstype, spec.options, spec.from, spec.to
                );
                let outcome = target
                    .mount(spec)
                    .map_err(|e| io_failure(command.clone(), e))?;
                if outcome.status != 0 {
                    return Err(StepError::Exited { command, outcome });
                }
            }
        }
    }
    Ok(())
}
