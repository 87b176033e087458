//! Snapshots of the dataset holding a jail's root, through the `zfs`
//! command. jailwright's snapshots are named `jailwright-NNNN-KEY12` and
//! carry their full cache key in the user property `jailwright:key`; the
//! prefix keeps them apart from bastille's `bastille_*` and pot's
//! timestamp-sorted names.

use crate::exec::ports::{Snapshot, Snapshots};
use std::io;
use std::path::Path;
use std::process::Command;

pub const PREFIX: &str = "jailwright-";
pub const KEY_PROPERTY: &str = "jailwright:key";

pub struct ZfsSnapshots {
    pub dataset: String,
}

/// How long one `zfs` command may take before apply gives up on it.
const ZFS_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

fn zfs(args: &[&str]) -> io::Result<String> {
    let out = super::command::output_within(Command::new("zfs").args(args), ZFS_LIMIT)?;
    if !out.status.success() {
        return Err(io::Error::other(format!(
            "zfs {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The dataset mounted exactly at `root`, if any.
pub fn dataset_of(root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let list = zfs(&["list", "-H", "-o", "name,mountpoint", "-t", "filesystem"]).ok()?;
    list.lines().find_map(|l| {
        let (name, mountpoint) = l.split_once('\t')?;
        (Path::new(mountpoint) == root).then(|| name.to_string())
    })
}

impl Snapshots for ZfsSnapshots {
    fn snapshot(&mut self, name: &str, key: &str) -> io::Result<()> {
        let full = format!("{}@{name}", self.dataset);
        let property = format!("{KEY_PROPERTY}={key}");
        zfs(&["snapshot", "-o", &property, &full]).map(drop)
    }

    fn rollback(&mut self, name: &str) -> io::Result<()> {
        zfs(&["rollback", "-r", &format!("{}@{name}", self.dataset)]).map(drop)
    }

    fn list(&mut self) -> io::Result<Vec<Snapshot>> {
        // Names carry a sequence number, so sorting them gives the order
        // they were taken in (creation times have a one-second grain).
        let out = zfs(&[
            "list",
            "-H",
            "-t",
            "snapshot",
            "-d",
            "1",
            "-o",
            &format!("name,{KEY_PROPERTY}"),
            &self.dataset,
        ])?;
        let mut found: Vec<Snapshot> = out
            .lines()
            .filter_map(|l| {
                let (full, key) = l.split_once('\t')?;
                let name = full.split_once('@')?.1;
                name.starts_with(PREFIX).then(|| Snapshot {
                    name: name.to_string(),
                    key: key.to_string(),
                })
            })
            .collect();
        found.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(found)
    }

    fn destroy(&mut self, name: &str) -> io::Result<()> {
        zfs(&["destroy", &format!("{}@{name}", self.dataset)]).map(drop)
    }
}
