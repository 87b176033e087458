//! What became of every step of an apply (or would, with `--dry-run`),
//! gathered from its events: the last line of `apply --format json`, one
//! `result` object that Ansible's `jailwright.jailwright.apply` module
//! returns as it is (`changed`, `steps_run`, `steps_reused`, `steps`, and
//! on failure the step, its command, exit status and output tail).

use crate::exec::apply::{Cause, Event, Failure, Report, Rollback, StepError};
use crate::exec::foresee::Foresight;
use crate::exec::plan::Plan;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not reached: an earlier step failed (or nothing ran).
    NotRun,
    /// Its snapshot was reused: it did not run.
    Reused,
    Ran,
    Failed,
    /// `--dry-run`: a run would run it.
    WouldRun,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub step: usize,
    pub file: String,
    pub line: usize,
    pub instruction: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub millis: Option<u128>,
}

/// The failed step (or the snapshot work) of a failed run.
#[derive(Debug, Serialize)]
pub struct Failed {
    /// The step, when a step failed (not the snapshot work around it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// The command's exit status, when it ran and exited non-zero (killed
    /// by a signal: 128 + its number, as `sh` says).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_status: Option<i32>,
    /// The signal that killed the command, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// The last lines the command printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail: Option<String>,
    /// What failed, as the text output says it.
    pub error: String,
    /// What became of the root.
    pub rollback: String,
}

#[derive(Debug, Serialize)]
pub struct Ledger {
    event: &'static str,
    pub ok: bool,
    pub dry_run: bool,
    /// A step ran (or would) and its changes stand.
    pub changed: bool,
    pub steps_run: usize,
    pub steps_reused: usize,
    pub up_to_date: bool,
    pub diverged: bool,
    /// The root was rolled back before the steps ran (`--discard-changes`
    /// on a changed jail, or a killed run's partial step): a change even
    /// when no step ran.
    pub rolled_back: bool,
    pub snapshots: bool,
    pub steps: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failed: Option<Failed>,
}

impl Ledger {
    /// Every step of the plan, none run yet.
    pub fn new(plan: &Plan) -> Ledger {
        let steps = plan
            .steps
            .iter()
            .map(|s| Row {
                step: s.step + 1,
                file: s.file.clone(),
                line: s.line,
                instruction: s.name.clone(),
                status: Status::NotRun,
                millis: None,
            })
            .collect();
        Ledger {
            event: "result",
            ok: true,
            dry_run: false,
            changed: false,
            steps_run: 0,
            steps_reused: 0,
            up_to_date: false,
            diverged: false,
            rolled_back: false,
            snapshots: false,
            steps,
            failed: None,
        }
    }

    /// Takes in one event of the run.
    pub fn note(&mut self, event: &Event) {
        match event {
            Event::Reused { steps } | Event::UpToDate { steps } => {
                for row in self.steps.iter_mut().take(*steps) {
                    row.status = Status::Reused;
                }
            }
            Event::Started { step, .. } => self.set(*step, Status::Failed, None),
            Event::Finished { step, millis } => self.set(*step, Status::Ran, Some(*millis)),
            Event::DeadRun { .. } | Event::Discarded { .. } => self.rolled_back = true,
            Event::Diverged
            | Event::Skipped { .. }
            | Event::Output { .. }
            | Event::Warning { .. } => {}
        }
    }

    fn set(&mut self, step: usize, status: Status, millis: Option<u128>) {
        if let Some(row) = step.checked_sub(1).and_then(|i| self.steps.get_mut(i)) {
            row.status = status;
            row.millis = millis;
        }
    }

    /// A run that ended well. A step left `Failed` by its start event
    /// cannot remain: every started step finished.
    pub fn succeeded(mut self, report: &Report) -> Ledger {
        self.steps_run = report.ran;
        self.steps_reused = report.reused;
        self.changed = report.ran > 0 || self.rolled_back;
        self.up_to_date = report.up_to_date;
        self.diverged = report.diverged;
        self.snapshots = report.snapshots;
        self
    }

    /// A run that failed: the failed step, and whether what ran stands.
    pub fn failed(mut self, failure: &Failure, snapshots: bool) -> Ledger {
        self.ok = false;
        self.snapshots = snapshots;
        self.steps_run = self.count(Status::Ran) + self.count(Status::Failed);
        self.steps_reused = self.count(Status::Reused);
        let stands = matches!(
            failure.rollback,
            Rollback::NoSnapshots | Rollback::Kept | Rollback::Failed { .. }
        );
        // A failure restores the state the steps started from, after any
        // rollback of the start: that rollback stands.
        self.changed = stands && self.steps_run > 0 || self.rolled_back;
        let (command, exit_status, signal, tail) = match &*failure.cause {
            Cause::Step {
                error: StepError::Exited { command, outcome },
                ..
            } => (
                Some(command.clone()),
                Some(outcome.status),
                outcome.signal,
                Some(outcome.tail.clone()),
            ),
            _ => (None, None, None, None),
        };
        self.failed = Some(Failed {
            step: failure.step(),
            command,
            exit_status,
            signal,
            tail,
            error: failure.cause.to_string(),
            rollback: failure.rollback.to_string(),
        });
        self
    }

    /// `--dry-run`: what a run would reuse and run.
    pub fn foreseen(mut self, foresight: &Foresight) -> Ledger {
        self.dry_run = true;
        for (i, row) in self.steps.iter_mut().enumerate() {
            row.status = if i < foresight.reused {
                Status::Reused
            } else {
                Status::WouldRun
            };
        }
        self.steps_run = foresight.would_run;
        self.steps_reused = foresight.reused;
        self.changed = foresight.would_run > 0 || foresight.rolled_back;
        self.rolled_back = foresight.rolled_back;
        self.up_to_date = foresight.up_to_date;
        self.diverged = foresight.diverged;
        self.snapshots = foresight.snapshots;
        self
    }

    /// The last line of `apply --format json`.
    pub fn print(&self) {
        outln!("{}", serde_json::to_string(self).expect("serializes"));
    }

    fn count(&self, status: Status) -> usize {
        self.steps.iter().filter(|r| r.status == status).count()
    }
}
