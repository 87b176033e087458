//! `jailwright snapshots` and `jailwright prune`: jailwright's apply
//! snapshots of a root's dataset (never bastille's, appjail's or pot's, nor
//! a backup or jailwright's own bootstrap snapshot). prune takes the same
//! lock as apply, so it never pulls snapshots from under a running apply.

use super::{Error, ExitCode};
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
fn store(args: &SnapshotArgs) -> Result<ZfsSnapshots, Error> {
    match dataset_for(&args.root, args.dataset.as_deref()) {
        Ok(Some(dataset)) => Ok(ZfsSnapshots::new(dataset)),
        Ok(None) => Err(Error::NotADataset {
            root: args.root.clone(),
        }),
        Err(e) => Err(e.into()),
    }
}

pub fn list(args: SnapshotArgs) -> Result<ExitCode, Error> {
    let mut store = store(&args)?;
    for s in chain::apply_snapshots(store.list().map_err(Error::Snapshots)?) {
        outln!("{}@{}\t{}", store.dataset, s.name, s.key);
    }
    Ok(ExitCode::Ok)
}

pub fn prune(args: SnapshotArgs) -> Result<ExitCode, Error> {
    let _lock = TargetLock::acquire(&args.root)?;
    let mut store = store(&args)?;
    let all = store.list().map_err(Error::Snapshots)?;
    let removed = chain::destroy_apply_snapshots(&mut store, &all)?;
    outln!("removed {removed} snapshot(s)");
    Ok(ExitCode::Ok)
}
