//! Where a run of apply starts, decided before any step runs, so that
//! apply never destroys what the jail wrote:
//!
//! * **up to date**: the template, its files and its arguments give the
//!   keys of the newest snapshot: nothing runs and nothing is rolled back,
//!   whatever the jail wrote since;
//! * **unchanged target** (the root's manifest equals the one recorded
//!   with the last run's final snapshot), or `--discard-changes`: the
//!   longest unchanged prefix is reused by rolling back to its snapshot;
//! * **the jail wrote since** (or another template ran last, or the last
//!   run was killed before it finished): nothing is rolled back; a new
//!   chain starts from the current state (a snapshot of it, which a
//!   failure rolls back to), and the older chain is removed only once this
//!   run has succeeded.

use super::chain::{self, ChainError, snapshot_name};
use super::failure::{Cause, Phase};
use super::plan::{Plan, TargetSpec};
use super::ports::{Snapshot, Snapshots, Target};
use sha2::{Digest, Sha256};

/// Where the run starts.
#[derive(Debug)]
pub struct Start {
    /// Steps already done (reused, or all of them when up to date).
    pub begin: usize,
    /// The chain's key after each step.
    pub keys: Vec<String>,
    /// The snapshot a failure rolls back to.
    pub base: String,
    /// Older apply snapshots to destroy once the run has succeeded.
    pub superseded: Vec<String>,
    pub how: How,
    /// The mark a killed run left (its partial step was rolled back).
    pub dead_run: Option<String>,
    /// What the jail wrote since the last run is (or, for a transaction,
    /// will be on success) discarded: `--discard-changes` on a changed root.
    pub discarded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    UpToDate,
    /// A prefix reused by rolling back to its snapshot.
    Reused,
    /// A new chain from the current state.
    Fresh {
        diverged: bool,
    },
    /// An older step reused on a clone of its snapshot (an offline root):
    /// committed on success, dropped on failure.
    Transaction,
}

/// The template's identity on a dataset: its target and files.
pub fn template_key(plan: &Plan) -> String {
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

/// The chain's keys: each hashes the previous key and the step's digest.
pub fn chain_keys(start: &str, digests: &[String]) -> Vec<String> {
    let mut previous = start.to_string();
    digests
        .iter()
        .map(|digest| {
            previous = hex(&Sha256::digest(format!("{previous}\n{digest}")));
            previous.clone()
        })
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the caller lets apply do.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub use_cache: bool,
    pub discard_changes: bool,
    /// Refuse, rather than run on the current state, when the jail wrote
    /// since the template's last run.
    pub refuse_changes: bool,
}

/// Decides where the run starts, rolling back only when nothing the jail
/// wrote is lost (or when told to discard it).
pub fn prepare(
    plan: &Plan,
    digests: &[String],
    target: &mut dyn Target,
    store: &mut dyn Snapshots,
    policy: Policy,
) -> Result<Start, Cause> {
    let fail = |phase: Phase| move |error: ChainError| Cause::Snapshots { phase, error };
    // Nothing of ours may hold the root open while datasets are swapped.
    target.release();
    let recovered = store.recover().map_err(|e| {
        fail(Phase::Transaction {
            what: "recovering a killed run's transaction".into(),
        })(e.into())
    })?;
    // Under the lock, a run mark is a run that was killed: what it left
    // since its last snapshot is its partial step; back to that snapshot,
    // then decide as for a finished run.
    let dead_run = store.running().map_err(|e| fail(Phase::Mark)(e.into()))?;
    let dead_run = match (dead_run, recovered) {
        (Some(mark), Some(done)) => Some(format!("{mark}; {done}")),
        (mark, done) => mark.or(done),
    };
    let all = store.list().map_err(|e| fail(Phase::List)(e.into()))?;
    let ours = chain::apply_snapshots(all);
    // On an offline root nothing but the killed run wrote since its last
    // snapshot; a running jail did, so its partial step stays (the steps
    // then run on its current state).
    let offline = matches!(plan.target, TargetSpec::Root(_));
    let dead_run = dead_run.filter(|_| offline);
    if dead_run.is_some()
        && let Some(last) = ours.last()
    {
        chain::roll_back(store, &last.name).map_err(fail(Phase::DeadRun {
            to: last.name.clone(),
        }))?;
    }
    let template = template_key(plan);
    let newest = ours.last().cloned();
    let at = ours
        .iter()
        .rposition(|s| sequence(&s.name) == Some(0) && s.template == template);
    if let Some(at) = at {
        let keys = chain_keys(&ours[at].key, digests);
        let members = &ours[at..];
        let has = |i: usize, key: &str| {
            members
                .iter()
                .any(|s| s.name == snapshot_name(i, key) && s.key == key)
        };
        let n = keys.len();
        let newest = newest.expect("the chain has a start");
        let at_end = n > 0 && newest.name == snapshot_name(n, &keys[n - 1]);
        if policy.use_cache && !policy.discard_changes && at_end {
            return Ok(Start {
                begin: n,
                keys,
                base: newest.name,
                superseded: Vec::new(),
                how: How::UpToDate,
                dead_run,
                discarded: false,
            });
        }
        let ours_last = members.last().is_some_and(|s| s.name == newest.name);
        let unchanged = ours_last
            && (dead_run.is_some()
                // A root that cannot be read whole counts as changed (the
                // safe way: nothing is rolled back).
                || !newest.state.is_empty()
                    && target.state().is_ok_and(|now| now == newest.state));
        if !unchanged && !policy.discard_changes && policy.refuse_changes && ours_last {
            return Err(Cause::Changed {
                paths: store.changes_since(&newest.name, 20),
                snapshot: newest.name,
            });
        }
        if unchanged || policy.discard_changes {
            let begin = if policy.use_cache {
                (0..n)
                    .take_while(|&i| !plan.steps[i].live && has(i + 1, &keys[i]))
                    .count()
            } else {
                0
            };
            let resume = match begin {
                0 => ours[at].name.clone(),
                k => snapshot_name(k, &keys[k - 1]),
            };
            // A snapshot jailwright did not take after the step (a backup):
            // never destroyed, so no going back past it; the steps run on
            // the current state instead, as a new chain.
            let later = match chain::later_than(store, &resume) {
                Ok(later) => Some(later),
                Err(ChainError::Foreign(_)) if !policy.discard_changes => None,
                Err(e) => return Err(fail(Phase::Resume { to: resume.clone() })(e)),
            };
            if let Some(later) = later {
                if later.is_empty() || policy.discard_changes && !offline {
                    // Nothing of a chain is lost (or the operator said so).
                    chain::roll_back(store, &resume)
                        .map_err(fail(Phase::Resume { to: resume.clone() }))?;
                    return Ok(Start {
                        begin,
                        keys,
                        base: resume,
                        superseded: Vec::new(),
                        how: How::Reused,
                        dead_run,
                        discarded: !unchanged,
                    });
                }
                if offline {
                    // A rollback would destroy the later steps and the state a
                    // failure must restore: work on a clone of the step.
                    target.release();
                    store.begin_at(&resume).map_err(|e| {
                        fail(Phase::Transaction {
                            what: format!("a clone of {resume} mounted in the dataset's place"),
                        })(e.into())
                    })?;
                    return Ok(Start {
                        begin,
                        keys,
                        base: resume,
                        superseded: Vec::new(),
                        how: How::Transaction,
                        dead_run,
                        discarded: !unchanged,
                    });
                }
            }
            // A running jail's root cannot be swapped: its steps run on
            // its current state, as a new chain.
        }
    }
    let mut start = fresh(store, &template, digests, &ours, at.is_some())?;
    start.dead_run = dead_run;
    Ok(start)
}

/// A new chain from the current state: its start snapshot, a key no other
/// chain has, and the older apply snapshots to remove after success.
fn fresh(
    store: &mut dyn Snapshots,
    template: &str,
    digests: &[String],
    ours: &[Snapshot],
    diverged: bool,
) -> Result<Start, Cause> {
    // Unlike any chain on the dataset (it hashes their names), and the
    // same again for the same dataset (a run can be reproduced).
    let names: Vec<&str> = ours.iter().map(|s| s.name.as_str()).collect();
    let start = hex(&Sha256::digest(format!("{template}\n{}", names.join("\n"))));
    let name = snapshot_name(0, &start);
    let taken = Snapshot {
        name: name.clone(),
        key: start.clone(),
        template: template.to_string(),
        state: String::new(),
    };
    store.snapshot(&taken).map_err(|e| Cause::Snapshots {
        phase: Phase::Start {
            snapshot: name.clone(),
        },
        error: e.into(),
    })?;
    Ok(Start {
        begin: 0,
        keys: chain_keys(&start, digests),
        base: name,
        superseded: ours.iter().map(|s| s.name.clone()).collect(),
        how: How::Fresh { diverged },
        dead_run: None,
        discarded: false,
    })
}

/// The NNNN of `jailwright-NNNN-KEY12`.
fn sequence(name: &str) -> Option<usize> {
    name.strip_prefix(chain::PREFIX)?
        .split_once('-')?
        .0
        .parse()
        .ok()
}
