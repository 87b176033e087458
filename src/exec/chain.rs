//! jailwright's apply snapshots, and the only ways apply and prune destroy
//! them or roll back to one.
//!
//! An apply snapshot is named `jailwright-NNNN-KEY12` and carries its full
//! cache key (64 hex digits, starting with KEY12) in `jailwright:key`.
//! Every other snapshot of the dataset (a backup, bastille's, pot's,
//! jailwright's own `jailwright-bootstrap-…`) is never destroyed: a
//! rollback that would destroy one is refused, and jailwright's own later
//! snapshots are destroyed one by one before a plain `zfs rollback`
//! (without `-r`), which itself refuses when anything later is left.

use super::ports::{Snapshot, Snapshots, WouldDestroy};
use std::io;

pub const PREFIX: &str = "jailwright-";

/// The name of the snapshot taken after `seq` steps (0: the start).
pub fn snapshot_name(seq: usize, key: &str) -> String {
    format!("{PREFIX}{seq:04}-{}", &key[..12.min(key.len())])
}

/// Whether a snapshot is one apply took: its name and its key agree.
pub fn is_apply_snapshot(s: &Snapshot) -> bool {
    let hex = |t: &str| t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let Some((seq, key12)) = s
        .name
        .strip_prefix(PREFIX)
        .and_then(|rest| rest.split_once('-'))
    else {
        return false;
    };
    seq.len() >= 4
        && seq.bytes().all(|b| b.is_ascii_digit())
        && key12.len() == 12
        && hex(key12)
        && s.key.len() == 64
        && hex(&s.key)
        && s.key.starts_with(key12)
}

/// The apply snapshots among a dataset's snapshots, oldest first.
pub fn apply_snapshots(all: Vec<Snapshot>) -> Vec<Snapshot> {
    all.into_iter().filter(is_apply_snapshot).collect()
}

/// Why a rollback or a destroy did not happen (or not completely).
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// A zfs command failed; its message names the command.
    #[error("{0}")]
    Zfs(io::Error),
    #[error("it would destroy snapshots that jailwright did not take: {}", at_names(.0))]
    Foreign(Vec<String>),
    #[error("there is no snapshot {0}")]
    Missing(String),
}

impl From<io::Error> for ChainError {
    /// A refusal to destroy another's snapshots stays one.
    fn from(e: io::Error) -> ChainError {
        match e.get_ref().and_then(|i| i.downcast_ref::<WouldDestroy>()) {
            Some(refused) => ChainError::Foreign(refused.names.clone()),
            None => ChainError::Zfs(e),
        }
    }
}

fn at_names(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("@{n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The snapshots taken after the apply snapshot `to`, all of them apply
/// snapshots (else refused: jailwright never destroys another's).
pub fn later_than(store: &mut dyn Snapshots, to: &str) -> Result<Vec<Snapshot>, ChainError> {
    let all = store.list()?;
    let at = all
        .iter()
        .position(|s| s.name == to && is_apply_snapshot(s))
        .ok_or_else(|| ChainError::Missing(to.to_string()))?;
    let later = all[at + 1..].to_vec();
    let foreign: Vec<String> = later
        .iter()
        .filter(|s| !is_apply_snapshot(s))
        .map(|s| s.name.clone())
        .collect();
    if !foreign.is_empty() {
        return Err(ChainError::Foreign(foreign));
    }
    Ok(later)
}

/// Rolls the dataset back to `to`, an apply snapshot: refused, with
/// nothing changed, when a later snapshot is not an apply snapshot;
/// otherwise the later apply snapshots are destroyed, newest first, and
/// the dataset rolled back.
pub fn roll_back(store: &mut dyn Snapshots, to: &str) -> Result<(), ChainError> {
    let later = later_than(store, to)?;
    for s in later.iter().rev() {
        store.destroy(&s.name)?;
    }
    store.rollback(to)?;
    Ok(())
}

/// Destroys the given snapshots' apply snapshots, newest first (no
/// other), and says how many.
pub fn destroy_apply_snapshots(
    store: &mut dyn Snapshots,
    snapshots: &[Snapshot],
) -> Result<usize, ChainError> {
    let ours: Vec<&Snapshot> = snapshots.iter().filter(|s| is_apply_snapshot(s)).collect();
    for s in ours.iter().rev() {
        store.destroy(&s.name)?;
    }
    Ok(ours.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(name: &str, key: &str) -> Snapshot {
        Snapshot::new(name, key)
    }

    const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn only_a_name_and_key_that_agree_make_an_apply_snapshot() {
        assert!(is_apply_snapshot(&snap(&snapshot_name(3, KEY), KEY)));
        assert!(is_apply_snapshot(&snap(
            "jailwright-12345-0123456789ab",
            KEY
        )));
        for (name, key) in [
            ("jailwright-bootstrap-14.2-RELEASE", ""),
            ("jailwright-bootstrap-14.2-RELEASE", KEY),
            ("jailwright-0003-0123456789ab", ""),
            ("jailwright-0003-0123456789ab", "-"),
            ("jailwright-0003-ffffffffffff", KEY),
            ("jailwright-003-0123456789ab", KEY),
            ("jailwright-0003-0123456789AB", KEY),
            ("jailwright-0003-0123456789ab-x", KEY),
            ("my-backup", KEY),
            ("bastille_backup_x", ""),
        ] {
            assert!(!is_apply_snapshot(&snap(name, key)), "{name} {key}");
        }
    }
}
