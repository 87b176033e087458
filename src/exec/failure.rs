//! How an apply failed: what went wrong (a step, or the snapshot work
//! around the steps, saying which part) and what became of the root after
//! it (rolled back, left in place, or a rollback that failed or was
//! refused). A message never claims a rollback that did not happen.

use super::chain::ChainError;
use super::ports::Outcome;
use std::fmt;
use std::io;

#[derive(Debug)]
pub struct Failure {
    /// Boxed: a failure is rare and a `Result` carrying it stays small.
    pub cause: Box<Cause>,
    /// What became of the root afterwards.
    pub rollback: Rollback,
}

#[derive(Debug)]
pub enum Cause {
    /// One of a step's actions failed.
    Step {
        step: usize,
        name: String,
        error: StepError,
    },
    /// Listing, taking, destroying or rolling back to a snapshot failed.
    Snapshots { phase: Phase, error: ChainError },
    /// `--refuse-changes`: the jail changed since the template's last run
    /// (what changed, when the file system can say: `zfs diff`).
    Changed {
        snapshot: String,
        paths: Option<Vec<String>>,
    },
}

/// How a step's action failed.
#[derive(Debug)]
pub enum StepError {
    /// A command ran and exited non-zero.
    Exited { command: String, outcome: Outcome },
    /// An action could not be carried out (a command could not start, a
    /// copy or an edit failed).
    Action { what: String, error: io::Error },
}

/// Which part of the snapshot work failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Listing the dataset's snapshots, before anything ran.
    List,
    /// Rolling back to the last reusable snapshot, before anything ran.
    Resume { to: String },
    /// The snapshot of the starting state.
    Start { snapshot: String },
    /// Marking the dataset as having a run in progress, or clearing it.
    Mark,
    /// Starting, finishing or recovering a run on a clone of a step.
    Transaction { what: String },
    /// Rolling back the partial step of a run that died.
    DeadRun { to: String },
    /// The snapshot after a step.
    AfterStep {
        step: usize,
        name: String,
        snapshot: String,
    },
}

/// What became of the root after a failure.
#[derive(Debug)]
pub enum Rollback {
    /// The failure came before any step ran: the root is as it was.
    NothingRan,
    /// There are no snapshots: nothing could be rolled back.
    NoSnapshots,
    /// `--keep-failed`: the failed state is left in place.
    Kept,
    /// Rolled back to this snapshot.
    Done(String),
    /// The run worked on a clone of this snapshot, now dropped: the
    /// dataset is as the run found it.
    Aborted(String),
    /// The rollback to `to` failed or was refused: the failed state is
    /// left in place.
    Failed { to: String, error: ChainError },
}

impl Failure {
    /// The failed step's number, when a step failed.
    pub fn step(&self) -> Option<usize> {
        match &*self.cause {
            Cause::Step { step, .. } => Some(*step),
            Cause::Snapshots { .. } | Cause::Changed { .. } => None,
        }
    }

    /// The snapshot rolled back to, if the rollback happened.
    pub fn rolled_back_to(&self) -> Option<&str> {
        match &self.rollback {
            Rollback::Done(to) => Some(to),
            _ => None,
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cause::Step { step, name, error } => {
                write!(f, "step {step} ({name}) failed: ")?;
                match error {
                    StepError::Exited { command, outcome } => match outcome.signal {
                        Some(n) => write!(f, "`{command}` was killed by {}", signal_name(n)),
                        None => write!(f, "`{command}` exited with {}", outcome.status),
                    },
                    StepError::Action { what, error } => write!(f, "{what}: {error}"),
                }
            }
            Cause::Snapshots { phase, error } => refused_or_failed(f, phase, error),
            Cause::Changed { snapshot, paths } => {
                write!(
                    f,
                    "the jail changed since this template's last run (its snapshot {snapshot})"
                )?;
                if let Some(paths) = paths.as_ref().filter(|p| !p.is_empty()) {
                    write!(f, ": {}", paths.join(", "))?;
                }
                write!(
                    f,
                    "; refused (--refuse-changes): without it the steps run on the current state; --discard-changes rolls back to the cached steps, losing what the jail wrote"
                )
            }
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Phase::List => write!(f, "listing the dataset's snapshots"),
            Phase::Mark => write!(f, "marking the run on the dataset (jailwright:running)"),
            Phase::Transaction { what } => write!(f, "{what}"),
            Phase::DeadRun { to } => write!(
                f,
                "rollback of a killed run's partial step to its last snapshot {to}"
            ),
            Phase::Resume { to } => write!(f, "rollback to {to} (the last unchanged step)"),
            Phase::Start { snapshot } => write!(f, "snapshot {snapshot} of the starting state"),
            Phase::AfterStep {
                step,
                name,
                snapshot,
            } => write!(f, "snapshot {snapshot} after step {step} ({name})"),
        }
    }
}

impl fmt::Display for Rollback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rollback::NothingRan => write!(f, "no step ran: the root was not changed"),
            Rollback::NoSnapshots => write!(f, "nothing was rolled back (no snapshots)"),
            Rollback::Kept => write!(f, "the failed state is kept (--keep-failed)"),
            Rollback::Done(to) => write!(f, "rolled back to {to}"),
            Rollback::Aborted(from) => write!(
                f,
                "rolled back: the run worked on a clone of {from}, now dropped; the root and its snapshots are as the run found them"
            ),
            Rollback::Failed { to, error } => {
                refused_or_failed(f, &format!("rollback to {to}"), error)?;
                write!(f, "; nothing was rolled back: the failed state is left")
            }
        }
    }
}

/// "WHAT refused: it would destroy …" or "WHAT failed: ERROR".
fn refused_or_failed(
    f: &mut fmt::Formatter<'_>,
    what: &dyn fmt::Display,
    error: &ChainError,
) -> fmt::Result {
    match error {
        ChainError::Foreign(_) => write!(f, "{what} refused: {error}"),
        _ => write!(f, "{what} failed: {error}"),
    }
}

/// `signal 9 (SIGKILL)`.
fn signal_name(n: i32) -> String {
    match nix::sys::signal::Signal::try_from(n) {
        Ok(signal) => format!("signal {n} ({})", signal.as_str()),
        Err(_) => format!("signal {n}"),
    }
}
