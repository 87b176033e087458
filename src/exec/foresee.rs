//! `apply --dry-run` (Ansible's check mode): which steps a run would reuse
//! and which it would run, decided by the very code a run uses
//! (`resume::prepare`) over a store that reads the dataset and changes
//! nothing. Nothing runs, nothing is snapshotted or rolled back.

use super::failure::Cause;
use super::plan::Plan;
use super::ports::{Snapshot, Snapshots, Target};
use super::resume::{self, How, Policy};
use std::io;

/// What a run would do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foresight {
    /// Steps a run would reuse from snapshots (all of them when up to date).
    pub reused: usize,
    /// Steps a run would run.
    pub would_run: usize,
    pub up_to_date: bool,
    /// The jail wrote since the template's last run: the steps would run on
    /// its current state.
    pub diverged: bool,
    /// A killed run's mark was found: a run would first roll its partial
    /// step back.
    pub dead_run: Option<String>,
    /// Whether the run would take snapshots.
    pub snapshots: bool,
    /// A run would roll the root back before its steps, discarding what
    /// the jail wrote (`--discard-changes`) or a killed run's partial step.
    pub rolled_back: bool,
}

/// Decides as `apply` would. Without a store every step would run.
pub fn foresee(
    plan: &Plan,
    digests: &[String],
    target: &mut dyn Target,
    store: Option<&mut dyn Snapshots>,
    policy: Policy,
) -> Result<Foresight, Cause> {
    let total = plan.steps.len();
    let Some(store) = store else {
        return Ok(Foresight {
            reused: 0,
            would_run: total,
            up_to_date: false,
            diverged: false,
            dead_run: None,
            snapshots: false,
            rolled_back: false,
        });
    };
    let mut reader = ReadOnly { store };
    let start = resume::prepare(plan, digests, target, &mut reader, policy)?;
    Ok(Foresight {
        reused: start.begin,
        would_run: total - start.begin,
        up_to_date: start.how == How::UpToDate,
        diverged: start.how == How::Fresh { diverged: true },
        rolled_back: start.discarded || start.dead_run.is_some(),
        dead_run: start.dead_run,
        snapshots: true,
    })
}

/// A store that reads the dataset and pretends every change succeeded.
struct ReadOnly<'a> {
    store: &'a mut dyn Snapshots,
}

impl Snapshots for ReadOnly<'_> {
    fn snapshot(&mut self, _taken: &Snapshot) -> io::Result<()> {
        Ok(())
    }
    fn rollback(&mut self, _name: &str) -> io::Result<()> {
        Ok(())
    }
    fn list(&mut self) -> io::Result<Vec<Snapshot>> {
        self.store.list()
    }
    fn destroy(&mut self, _name: &str) -> io::Result<()> {
        Ok(())
    }
    fn mark_running(&mut self, _run: Option<&str>) -> io::Result<()> {
        Ok(())
    }
    fn running(&mut self) -> io::Result<Option<String>> {
        self.store.running()
    }
    fn begin_at(&mut self, _snapshot: &str) -> io::Result<()> {
        Ok(())
    }
    fn commit(&mut self) -> io::Result<Option<String>> {
        Ok(None)
    }
    fn abort(&mut self) -> io::Result<()> {
        Ok(())
    }
    /// A killed run's half-made transaction is finished or undone only by
    /// a real run; the decision here is over the dataset as it stands.
    fn recover(&mut self) -> io::Result<Option<String>> {
        Ok(None)
    }
    fn changes_since(&mut self, snapshot: &str, limit: usize) -> Option<Vec<String>> {
        self.store.changes_since(snapshot, limit)
    }
}
