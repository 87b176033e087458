//! Snapshots of the dataset holding a jail's root, through the `zfs`
//! command. Which of them are jailwright's apply snapshots, and the only
//! ways they are destroyed, is `exec::chain`'s business; this adapter
//! lists every snapshot (any tool's), oldest first, and never passes `-r`
//! to `zfs rollback`, so zfs itself refuses to destroy anything.

use super::zfs_list::{KEY_PROPERTY, STATE_PROPERTY, TEMPLATE_PROPERTY, snapshots_of};
use super::zfs_txn;
use crate::exec::ports::{Snapshot, Snapshots};
use std::io;
use std::path::{Path, PathBuf};

pub const RUNNING_PROPERTY: &str = "jailwright:running";

pub struct ZfsSnapshots {
    /// The dataset holding the root.
    pub dataset: String,
    /// During a transaction: the clone mounted in its place.
    active: Option<String>,
    /// A killed run's transaction was looked for (and dealt with) already.
    recovered: bool,
    /// The pool's reserve was seen to (`reserve::ensure`) already.
    reserved: bool,
}

impl ZfsSnapshots {
    /// The store of `dataset` (or, when given the clone or the renamed
    /// original a killed transaction left, of the dataset they stand for).
    pub fn new(dataset: String) -> ZfsSnapshots {
        let dataset = dataset
            .strip_suffix(zfs_txn::TXN_SUFFIX)
            .or_else(|| dataset.strip_suffix(zfs_txn::OLD_SUFFIX))
            .map_or_else(|| dataset.clone(), str::to_string);
        ZfsSnapshots {
            dataset,
            active: None,
            recovered: false,
            reserved: false,
        }
    }

    /// Where snapshots are taken now.
    fn active(&self) -> &str {
        self.active.as_deref().unwrap_or(&self.dataset)
    }
}

/// How long one `zfs` command may take before apply gives up on it.
const ZFS_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

fn zfs(args: &[&str]) -> io::Result<String> {
    super::command::stdout_of("zfs", args, ZFS_LIMIT)
}

/// The dataset whose mountpoint is `root` (the mounted one when several
/// say so), if any.
pub fn dataset_of(root: &Path) -> Option<String> {
    let root = std::fs::canonicalize(root).ok()?;
    let list = zfs(&[
        "list",
        "-H",
        "-o",
        "name,mountpoint,mounted",
        "-t",
        "filesystem",
    ])
    .ok()?;
    let at_root: Vec<(&str, &str)> = list
        .lines()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            let (name, mountpoint, mounted) = (fields.next()?, fields.next()?, fields.next()?);
            (same_place(Path::new(mountpoint), &root)).then_some((name, mounted))
        })
        .collect();
    at_root
        .iter()
        .find(|(_, mounted)| *mounted == "yes")
        .or(at_root.first())
        .map(|(name, _)| name.to_string())
}

/// Why the dataset cannot be the root's.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{0}")]
    Zfs(#[from] io::Error),
    #[error(
        "dataset {dataset} is not mounted: {root} is a plain directory below it, which a rollback of {dataset} would not touch"
    )]
    NotMounted { dataset: String, root: PathBuf },
    #[error(
        "the mountpoint of dataset {dataset} is {mountpoint}, not the root {root}: its snapshots would not hold the root (name the dataset mounted at the root)"
    )]
    Elsewhere {
        dataset: String,
        mountpoint: String,
        root: PathBuf,
    },
}

/// The dataset holding `root`: `given` (`--dataset`), else the one whose
/// mountpoint is the root (`None` when there is none). Either way it must
/// be mounted, exactly at the root's canonical path.
pub fn dataset_for(root: &Path, given: Option<&str>) -> Result<Option<String>, DatasetError> {
    let Some(dataset) = given.map(str::to_string).or_else(|| dataset_of(root)) else {
        return Ok(None);
    };
    let canonical = std::fs::canonicalize(root)?;
    let out = zfs(&["get", "-H", "-o", "value", "mounted,mountpoint", &dataset])?;
    let mut values = out.lines();
    let (mounted, mountpoint) = (values.next().unwrap_or(""), values.next().unwrap_or(""));
    if !same_place(Path::new(mountpoint), &canonical) {
        return Err(DatasetError::Elsewhere {
            dataset,
            mountpoint: mountpoint.to_string(),
            root: canonical,
        });
    }
    if mounted != "yes" {
        return Err(DatasetError::NotMounted {
            dataset,
            root: canonical,
        });
    }
    Ok(Some(dataset))
}

/// Whether a mountpoint names the canonical path `root`.
fn same_place(mountpoint: &Path, root: &Path) -> bool {
    mountpoint.is_absolute()
        && (mountpoint == root || std::fs::canonicalize(mountpoint).is_ok_and(|m| m == root))
}

impl Snapshots for ZfsSnapshots {
    fn snapshot(&mut self, taken: &Snapshot) -> io::Result<()> {
        let full = format!("{}@{}", self.active(), taken.name);
        let mut args = vec![
            "snapshot".to_string(),
            "-o".into(),
            format!("{KEY_PROPERTY}={}", taken.key),
        ];
        for (property, value) in [
            (TEMPLATE_PROPERTY, &taken.template),
            (STATE_PROPERTY, &taken.state),
        ] {
            if !value.is_empty() {
                args.extend(["-o".into(), format!("{property}={value}")]);
            }
        }
        args.push(full);
        zfs(&args.iter().map(String::as_str).collect::<Vec<_>>()).map(drop)
    }

    /// Plain `zfs rollback`: it fails, destroying nothing, when a later
    /// snapshot exists.
    fn rollback(&mut self, name: &str) -> io::Result<()> {
        let full = format!("{}@{name}", self.active());
        super::reserve::with_room(&self.dataset.clone(), || zfs(&["rollback", &full])).map(drop)
    }

    fn list(&mut self) -> io::Result<Vec<Snapshot>> {
        snapshots_of(&zfs, self.active())
    }

    fn destroy(&mut self, name: &str) -> io::Result<()> {
        zfs(&["destroy", &format!("{}@{name}", self.active())]).map(drop)
    }

    /// A run starts its steps here: first the pool's reserve, so that a
    /// step that fills the pool can still be rolled back (an up-to-date
    /// run never gets here, and asks zfs two questions fewer).
    fn mark_running(&mut self, run: Option<&str>) -> io::Result<()> {
        if run.is_some() && !self.reserved {
            super::reserve::ensure(&self.dataset);
            self.reserved = true;
        }
        match run {
            Some(run) => zfs(&["set", &format!("{RUNNING_PROPERTY}={run}"), &self.dataset]),
            None => zfs(&["inherit", RUNNING_PROPERTY, &self.dataset]),
        }
        .map(drop)
    }

    fn running(&mut self) -> io::Result<Option<String>> {
        let out = zfs(&["get", "-H", "-o", "value", RUNNING_PROPERTY, &self.dataset])?;
        let value = out.trim();
        Ok((!value.is_empty() && value != "-").then(|| value.to_string()))
    }

    fn begin_at(&mut self, snapshot: &str) -> io::Result<()> {
        zfs_txn::begin(&zfs, &self.dataset, snapshot)?;
        self.active = Some(zfs_txn::clone_of(&self.dataset));
        Ok(())
    }

    fn commit(&mut self) -> io::Result<Option<String>> {
        let note = zfs_txn::commit(&zfs, &self.dataset)?;
        self.active = None;
        Ok(note)
    }

    fn abort(&mut self) -> io::Result<()> {
        zfs_txn::abort(&zfs, &self.dataset)?;
        self.active = None;
        Ok(())
    }

    fn changes_since(&mut self, snapshot: &str, limit: usize) -> Option<Vec<String>> {
        let full = format!("{}@{snapshot}", self.dataset);
        let out = zfs(&["diff", "-H", &full, &self.dataset]).ok()?;
        Some(
            out.lines()
                .take(limit)
                .map(|l| l.replace('\t', " "))
                .collect(),
        )
    }

    fn recover(&mut self) -> io::Result<Option<String>> {
        if self.recovered {
            return Ok(None);
        }
        let done = zfs_txn::recover(&zfs, &self.dataset)?;
        self.recovered = true;
        Ok(done)
    }
}
