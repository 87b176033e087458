//! `jailwright snapshots` and `jailwright prune`: jailwright's apply
//! snapshots of a root's dataset (never bastille's, appjail's or pot's, nor
//! a backup or jailwright's own bootstrap snapshot). prune takes the same
//! lock as apply, so it never pulls snapshots from under a running apply.

use super::{EXIT_OK, trouble};
use crate::exec::adapters::lock::TargetLock;
use crate::exec::adapters::zfs::{ZfsSnapshots, dataset_for};
use crate::exec::chain;
use crate::exec::ports::Snapshots;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct SnapshotArgs {
    /// The jail's root directory.
    #[arg(long)]
    root: PathBuf,
    /// The ZFS dataset mounted at the root (found from the mountpoint if not given).
    #[arg(long)]
    dataset: Option<String>,
}

/// The dataset mounted at the root, checked as apply checks it.
fn store(args: &SnapshotArgs) -> Result<ZfsSnapshots, i32> {
    match dataset_for(&args.root, args.dataset.as_deref()) {
        Ok(Some(dataset)) => Ok(ZfsSnapshots::new(dataset)),
        Ok(None) => Err(trouble(format!(
            "{} is not a ZFS dataset",
            args.root.display()
        ))),
        Err(e) => Err(trouble(e)),
    }
}

pub fn list(args: SnapshotArgs) -> i32 {
    let mut store = match store(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store.list() {
        Ok(all) => {
            for s in chain::apply_snapshots(all) {
                outln!("{}@{}\t{}", store.dataset, s.name, s.key);
            }
            EXIT_OK
        }
        Err(e) => trouble(e),
    }
}

pub fn prune(args: SnapshotArgs) -> i32 {
    let _lock = match TargetLock::acquire(&args.root) {
        Ok(lock) => lock,
        Err(e) => return trouble(e),
    };
    let mut store = match store(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let all = match store.list() {
        Ok(all) => all,
        Err(e) => return trouble(e),
    };
    match chain::destroy_apply_snapshots(&mut store, &all) {
        Ok(removed) => {
            outln!("removed {removed} snapshot(s)");
            EXIT_OK
        }
        Err(e) => trouble(e),
    }
}
