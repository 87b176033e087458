//! `jailwright apply`: carries out a plan step by step through the ports,
//! with a snapshot of the starting state and one after every step.
//!
//! Each step has a cache key: a hash of the previous key, the step's
//! actions (after substitution) and every entry it copies. Where a run
//! starts (up to date, a reused prefix, a transaction on a clone, or a new
//! chain on the current state) is `resume`'s decision; a failing step
//! restores the state the run started from. Only jailwright's apply
//! snapshots are ever destroyed (see `chain`).

use super::chain;
use super::edits;
use super::plan::{Action, Plan, PlannedStep};
use super::ports::{Snapshot, Snapshots, Target};
use super::resume::{self, How};
use crate::dialect::bastille::substitution::Replacements;
use sha2::{Digest, Sha256};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

pub use super::chain::snapshot_name;
pub use super::failure::{Cause, Failure, Phase, Rollback, StepError};

/// What each step does, as a digest: its actions (after substitution) and
/// the content of every file it copies. A chain's keys hash these in order
/// from the chain's start (`resume::chain_keys`).
pub fn step_digests(plan: &Plan, content: impl Fn(&Path) -> Vec<u8>) -> Vec<String> {
    plan.steps
        .iter()
        .map(|step| {
            let mut h = Sha256::new();
            h.update(serde_json::to_vec(&step.actions).expect("actions serialize"));
            for action in &step.actions {
                if let Action::Copy { from, .. } = action {
                    h.update(content(from));
                }
            }
            resume::hex(&h.finalize())
        })
        .collect()
}

/// The keys of a first chain of this template: a change in one step flows
/// into every later key.
pub fn cache_keys(plan: &Plan, content: impl Fn(&Path) -> Vec<u8>) -> Vec<String> {
    resume::chain_keys(&resume::template_key(plan), &step_digests(plan, content))
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Reuse snapshots of an unchanged prefix (off: `--no-cache`).
    pub use_cache: bool,
    /// Leave a failed step's state in place instead of rolling back.
    pub keep_failed: bool,
    /// Roll back to the cached prefix even when the jail wrote since
    /// (`--discard-changes`): what the jail wrote is lost.
    pub discard_changes: bool,
    /// Refuse when the jail wrote since the last run (`--refuse-changes`).
    pub refuse_changes: bool,
}

impl Options {
    /// What the options let the start of a run do (`resume`).
    pub fn policy(&self) -> resume::Policy {
        resume::Policy {
            use_cache: self.use_cache,
            discard_changes: self.discard_changes,
            refuse_changes: self.refuse_changes,
        }
    }
}

/// What apply reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Reused {
        steps: usize,
    },
    /// The template gives the keys of its last run: nothing runs.
    UpToDate {
        steps: usize,
    },
    /// The jail changed since this template's last run: the steps run on
    /// the current state and nothing is rolled back.
    Diverged,
    /// A run was killed before it finished (its mark): its partial step
    /// was rolled back to its last snapshot.
    DeadRun {
        mark: String,
    },
    /// `--discard-changes`: what the jail wrote since the template's last
    /// run was discarded, the root rolled back to this snapshot.
    Discarded {
        to: String,
    },
    Started {
        step: usize,
        of: usize,
        name: String,
        /// The template file and line the step comes from.
        file: String,
        line: usize,
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
    /// Nothing ran: the template gives the keys of the last run.
    pub up_to_date: bool,
    /// The jail changed since this template's last run: the steps ran on
    /// the current state, nothing was rolled back.
    pub diverged: bool,
}

/// Runs the plan. `digests` are the steps' `step_digests`; the keys of
/// the chain the run builds on are derived from them (`resume`).
pub fn apply(
    plan: &Plan,
    digests: &[String],
    target: &mut dyn Target,
    mut snapshots: Option<&mut dyn Snapshots>,
    options: Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Report, Failure> {
    let total = plan.steps.len();
    // Where this run starts: a failure rolls back to its base.
    let start = match snapshots.as_deref_mut() {
        Some(store) => Some(
            resume::prepare(plan, digests, target, store, options.policy()).map_err(|cause| {
                Failure {
                    cause: Box::new(cause),
                    rollback: Rollback::NothingRan,
                }
            })?,
        ),
        None => None,
    };
    let begin = start.as_ref().map_or(0, |s| s.begin);
    let how = start.as_ref().map(|s| s.how);
    if let Some(dead) = start.as_ref().and_then(|s| s.dead_run.clone()) {
        on_event(Event::DeadRun { mark: dead });
    }
    // A transaction discards only when it commits, after its steps ran.
    if let Some(start) = start
        .as_ref()
        .filter(|s| s.discarded && s.how == How::Reused)
    {
        on_event(Event::Discarded {
            to: start.base.clone(),
        });
    }
    // The dataset says a run is in progress until it ends, so that a run
    // killed halfway is recognised by the next one.
    if let Some(store) = snapshots.as_deref_mut() {
        mark_started(store, plan, start.as_ref())?;
    }
    match how {
        Some(How::UpToDate) => on_event(Event::UpToDate { steps: total }),
        Some(How::Fresh { diverged: true }) => on_event(Event::Diverged),
        _ if begin > 0 => on_event(Event::Reused { steps: begin }),
        _ => {}
    }
    let keys: Vec<String> = start.as_ref().map_or_else(Vec::new, |s| s.keys.clone());
    for (i, step) in plan.steps.iter().enumerate().skip(begin) {
        on_event(Event::Started {
            step: i + 1,
            of: total,
            name: step.name.clone(),
            file: step.file.clone(),
            line: step.line,
        });
        let began = Instant::now();
        let snapshot = snapshots
            .as_deref_mut()
            .map(|store| (store, keys[i].as_str(), i + 1 == total));
        if let Err(cause) = step_and_snapshot(i, step, target, snapshot, on_event) {
            let rollback = roll_back(
                how,
                snapshots.as_deref_mut(),
                target,
                start.as_ref(),
                options,
            );
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
    // A run on a clone becomes the dataset only now that it succeeded.
    if let (Some(How::Transaction), Some(store)) = (how, snapshots.as_deref_mut()) {
        commit(store, target, start.as_ref(), total, on_event)?;
    }
    if let Some(store) = snapshots.as_deref_mut() {
        clean_up(store, start.as_ref(), total, on_event);
    }
    Ok(Report {
        reused: begin,
        ran: total - begin,
        snapshots: snapshots.is_some(),
        up_to_date: how == Some(How::UpToDate),
        diverged: how == Some(How::Fresh { diverged: true }),
    })
}

/// Marks the dataset with the run in progress (or clears a dead run's
/// stale mark).
fn mark_started(
    store: &mut (dyn Snapshots + '_),
    plan: &Plan,
    start: Option<&resume::Start>,
) -> Result<(), Failure> {
    let how = start.map(|s| s.how);
    let run = (how != Some(How::UpToDate))
        .then(|| format!("pid {} on {}", std::process::id(), plan_target(plan)));
    let stale = start.is_some_and(|s| s.dead_run.is_some());
    if run.is_some() || stale {
        store.mark_running(run.as_deref()).map_err(|e| Failure {
            cause: Box::new(Cause::Snapshots {
                phase: Phase::Mark,
                error: e.into(),
            }),
            rollback: Rollback::NothingRan,
        })?;
    }
    Ok(())
}

/// After a failed step: the transaction aborted, or the root rolled back
/// to the run's base; a new chain's start destroyed once rolled back to,
/// and the run mark cleared unless the rollback failed.
fn roll_back(
    how: Option<How>,
    mut snapshots: Option<&mut (dyn Snapshots + '_)>,
    target: &mut dyn Target,
    start: Option<&resume::Start>,
    options: Options,
) -> Rollback {
    let base = start.map(|s| s.base.as_str());
    let rollback = match (how, snapshots.as_deref_mut(), base) {
        (Some(How::Transaction), Some(store), Some(base)) if !options.keep_failed => {
            target.release();
            match store.abort() {
                Ok(()) => Rollback::Aborted(base.to_string()),
                Err(e) => Rollback::Failed {
                    to: base.to_string(),
                    error: e.into(),
                },
            }
        }
        _ => roll_back_after_failure(snapshots.as_deref_mut(), base, options),
    };
    // A new chain's start is not needed once rolled back to: the store is
    // as the run found it, the older chain usable again.
    if let (Rollback::Done(to), Some(store), Some(How::Fresh { .. })) =
        (&rollback, snapshots.as_deref_mut(), how)
    {
        let _ = store.destroy(to);
    }
    // The run is over; when its rollback failed, the mark stays and the
    // next run rolls its partial step back.
    if let (Rollback::Done(_) | Rollback::Aborted(_) | Rollback::Kept, Some(store)) =
        (&rollback, snapshots)
    {
        let _ = store.mark_running(None);
    }
    rollback
}

/// Makes the run's clone the dataset (a transaction that succeeded).
fn commit(
    store: &mut (dyn Snapshots + '_),
    target: &mut dyn Target,
    start: Option<&resume::Start>,
    total: usize,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), Failure> {
    target.release();
    match store.commit() {
        Ok(None) => Ok(()),
        Ok(Some(note)) => {
            on_event(Event::Warning {
                step: total,
                message: note,
            });
            Ok(())
        }
        Err(e) => {
            let cause = Cause::Snapshots {
                phase: Phase::Transaction {
                    what: "making the run's clone the dataset".into(),
                },
                error: e.into(),
            };
            // Half made: the next apply finishes or undoes it (`recover`).
            let rollback = Rollback::Failed {
                to: start.map_or(String::new(), |s| s.base.clone()),
                error: chain::ChainError::Zfs(io::Error::other(
                    "the transaction is left for the next apply to finish or undo",
                )),
            };
            Err(Failure {
                cause: Box::new(cause),
                rollback,
            })
        }
    }
}

/// After a run that succeeded: the chain it replaced destroyed, the run
/// mark cleared.
fn clean_up(
    store: &mut (dyn Snapshots + '_),
    start: Option<&resume::Start>,
    total: usize,
    on_event: &mut dyn FnMut(Event),
) {
    if let Some(start) = start {
        for name in start.superseded.iter().rev() {
            if let Err(e) = store.destroy(name) {
                on_event(Event::Warning {
                    step: total,
                    message: format!("the older snapshot {name} was not removed: {e}"),
                });
            }
        }
    }
    if start.map(|s| s.how) != Some(How::UpToDate)
        && let Err(e) = store.mark_running(None)
    {
        on_event(Event::Warning {
            step: total,
            message: format!("the run mark (jailwright:running) was not cleared: {e}"),
        });
    }
}

/// Runs step `i` (from 0), then takes its snapshot; the run's last
/// snapshot records the root's state (so the next run knows whether the
/// jail wrote since).
fn step_and_snapshot(
    i: usize,
    step: &PlannedStep,
    target: &mut dyn Target,
    snapshot: Option<(&mut (dyn Snapshots + '_), &str, bool)>,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), Cause> {
    run_step(i + 1, step, target, on_event).map_err(|error| Cause::Step {
        step: i + 1,
        name: step.name.clone(),
        error,
    })?;
    let Some((store, key, last)) = snapshot else {
        return Ok(());
    };
    let name = snapshot_name(i + 1, key);
    let taken = Snapshot {
        name: name.clone(),
        key: key.to_string(),
        template: String::new(),
        // Unknown state (an error): the next run takes the jail as changed.
        state: if last {
            target.state().unwrap_or_default()
        } else {
            String::new()
        },
    };
    store.snapshot(&taken).map_err(|e| Cause::Snapshots {
        phase: Phase::AfterStep {
            step: i + 1,
            name: step.name.clone(),
            snapshot: name,
        },
        error: e.into(),
    })
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
    for action in &step.actions {
        run_action(number, action, target, on_event)?;
    }
    Ok(())
}

fn io_failure(what: String, error: io::Error) -> StepError {
    StepError::Action { what, error }
}

fn run_action(
    number: usize,
    action: &Action,
    target: &mut dyn Target,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), StepError> {
    match action {
        Action::Run { argv, stdin } => {
            let command =
                shlex::try_join(argv.iter().map(String::as_str)).unwrap_or_else(|_| argv.join(" "));
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
        Action::Render { path, vars } => render(number, path, vars, target, on_event)?,
        Action::Replace {
            file,
            keyword,
            value,
            output,
        } => replace(file, keyword, value, output, target)?,
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
    Ok(())
}

/// Bastille's RENDER: the ARG substitutions in a file, or in every file
/// under a directory, of the jail.
fn render(
    number: usize,
    path: &str,
    vars: &crate::ir::Vars,
    target: &mut dyn Target,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), StepError> {
    let what = format!("render {path}");
    let replacements = Replacements::from_pushed(vars.as_slice());
    if replacements.is_broken() {
        on_event(Event::Warning {
            step: number,
            message: format!(
                "RENDER {path}: sed refuses the ARG substitutions (a name with / or '): nothing rendered"
            ),
        });
        return Ok(());
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
        return Ok(());
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
    Ok(())
}

/// AppJail's REPLACE of `%{KEYWORD}` in a file of the jail.
fn replace(
    file: &str,
    keyword: &str,
    value: &str,
    output: &str,
    target: &mut dyn Target,
) -> Result<(), StepError> {
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
    let new =
        edits::replace_keyword(&old, keyword, value, file).map_err(|e| fail(e.to_string()))?;
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
    Ok(())
}

/// The target, for the run mark.
fn plan_target(plan: &Plan) -> String {
    match &plan.target {
        super::plan::TargetSpec::Root(r) => r.display().to_string(),
        super::plan::TargetSpec::Jail(j) => format!("jail {j}"),
    }
}
