//! `jailwright snapshots` and `jailwright prune`: jailwright's snapshots of
//! a root's dataset (never bastille's, appjail's or pot's).

use super::{EXIT_OK, trouble};
use crate::exec::adapters::zfs::{ZfsSnapshots, dataset_of};
use crate::exec::ports::Snapshots;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct SnapshotArgs {
    /// The jail's root directory.
    #[arg(long)]
    root: PathBuf,
    /// The ZFS dataset (found from the root's mountpoint if not given).
    #[arg(long)]
    dataset: Option<String>,
}

fn store(args: &SnapshotArgs) -> Result<ZfsSnapshots, i32> {
    match args.dataset.clone().or_else(|| dataset_of(&args.root)) {
        Some(dataset) => Ok(ZfsSnapshots { dataset }),
        None => Err(trouble(format!(
            "{} is not a ZFS dataset",
            args.root.display()
        ))),
    }
}

pub fn list(args: SnapshotArgs) -> i32 {
    let mut store = match store(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match store.list() {
        Ok(snapshots) => {
            for s in snapshots {
                println!("{}@{}\t{}", store.dataset, s.name, s.key);
            }
            EXIT_OK
        }
        Err(e) => trouble(e),
    }
}

pub fn prune(args: SnapshotArgs) -> i32 {
    let mut store = match store(&args) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let snapshots = match store.list() {
        Ok(s) => s,
        Err(e) => return trouble(e),
    };
    for s in snapshots.iter().rev() {
        if let Err(e) = store.destroy(&s.name) {
            return trouble(e);
        }
    }
    println!("removed {} snapshot(s)", snapshots.len());
    EXIT_OK
}
