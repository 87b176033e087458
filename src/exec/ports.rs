//! The ports through which apply reaches the host. Adapters implement them
//! for a real jail or root (`HostTarget`), for ZFS (`ZfsSnapshots`), and
//! for tests (`Recording`).

use super::plan::MountSpec;
use std::io;
use std::path::Path;

/// What a command printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// Its exit status; killed by a signal, 128 + the signal's number (as
    /// `sh` reports it in `$?`).
    pub status: i32,
    /// The signal that killed it, if one did.
    pub signal: Option<i32>,
    /// The last lines of its output (stdout and stderr).
    pub tail: String,
}

/// A jail (running or offline) apply works on.
pub trait Target {
    /// Runs a host command (already prefixed with jexec or chroot), with
    /// `stdin` on its standard input, passing each line it prints to
    /// `on_line` as it comes.
    fn run(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        on_line: &mut dyn FnMut(&str),
    ) -> io::Result<Outcome>;
    /// Copies a host file or tree to a path inside the jail's root (or the
    /// contents of a directory, for an overlay). Every path is resolved
    /// inside the root.
    fn copy_in(&mut self, from: &Path, to: &str, contents: bool) -> io::Result<()>;
    /// Reads a file inside the root (`None` when it does not exist).
    fn read_file(&mut self, inside: &str) -> io::Result<Option<Vec<u8>>>;
    /// Writes a file inside the root, atomically, keeping the mode of the
    /// file it replaces.
    fn write_file(&mut self, inside: &str, bytes: &[u8]) -> io::Result<()>;
    /// The regular files at or under a path inside the root, in a stable
    /// order, `.git` directories and symlinks skipped (`None`: no such
    /// path).
    fn files_under(&mut self, inside: &str) -> io::Result<Option<Vec<String>>>;
    /// Mounts `spec.from` on a mount point inside the root (created, and
    /// resolved inside it), recording it in the jail's fstab when the jail
    /// keeps one.
    fn mount(&mut self, spec: &MountSpec) -> io::Result<Outcome>;
    /// A digest of everything in the root (paths, kinds, modes, owners,
    /// sizes, times, inodes; never contents): whether the jail changed
    /// anything since a snapshot, on any ZFS (zfs-fuse has no `written@`).
    fn state(&mut self) -> io::Result<String>;
    /// Lets go of anything held open inside the root (before its dataset
    /// is unmounted for a transaction); the next use opens it again.
    fn release(&mut self) {}
}

/// A snapshot of the jail's dataset (any tool's), with the cache key it
/// stands for when apply took it (`jailwright:key`; empty when unset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub name: String,
    pub key: String,
    /// The template a chain's start snapshot belongs to
    /// (`jailwright:template`; empty elsewhere).
    pub template: String,
    /// What the root held when a run's last snapshot was taken
    /// (`jailwright:state`, a manifest digest; empty elsewhere).
    pub state: String,
}

impl Snapshot {
    /// A snapshot with only a name and a key.
    pub fn new(name: &str, key: &str) -> Snapshot {
        Snapshot {
            name: name.into(),
            key: key.into(),
            template: String::new(),
            state: String::new(),
        }
    }
}

/// Why a transaction's clone was not dropped: it would destroy snapshots
/// jailwright did not take (of the clone, taken during the run). Carried
/// inside the `io::Error` of `abort` or `recover`.
#[derive(Debug, thiserror::Error)]
#[error("it would destroy snapshots that jailwright did not take: {}", .names.iter().map(|n| format!("@{n}")).collect::<Vec<_>>().join(", "))]
pub struct WouldDestroy {
    pub names: Vec<String>,
}

/// Where snapshots of the jail's dataset are taken. Which snapshots apply
/// may destroy is decided in `exec::chain`, never here.
pub trait Snapshots {
    /// Takes a snapshot carrying `key`, and `template`/`state` when not
    /// empty.
    fn snapshot(&mut self, taken: &Snapshot) -> io::Result<()>;
    /// Rolls back to the most recent snapshot; fails, destroying nothing,
    /// when a later snapshot exists.
    fn rollback(&mut self, name: &str) -> io::Result<()>;
    /// Every snapshot of the dataset, any tool's, oldest first.
    fn list(&mut self) -> io::Result<Vec<Snapshot>>;
    fn destroy(&mut self, name: &str) -> io::Result<()>;
    /// Marks the dataset as having a run in progress (`Some`, the run's
    /// description: `jailwright:running`) or clears the mark (`None`).
    fn mark_running(&mut self, run: Option<&str>) -> io::Result<()>;
    /// The mark of a run in progress, if any: under the apply lock, the
    /// mark of a run that died.
    fn running(&mut self) -> io::Result<Option<String>>;
    /// Starts a transaction from `snapshot`: the root becomes a copy of
    /// that snapshot while the dataset, its state and its later snapshots
    /// stay as they are until `commit`; snapshots are taken on the copy.
    fn begin_at(&mut self, snapshot: &str) -> io::Result<()>;
    /// Makes the transaction's copy the dataset (the older state and its
    /// later snapshots are dropped, or, when it holds another's snapshots,
    /// kept aside: what was done then).
    fn commit(&mut self) -> io::Result<Option<String>>;
    /// Drops the transaction's copy: the dataset is as it was.
    fn abort(&mut self) -> io::Result<()>;
    /// Finishes or undoes a transaction a killed run left (what it did).
    fn recover(&mut self) -> io::Result<Option<String>>;
    /// The paths changed since a snapshot, when the file system can say
    /// (`zfs diff` on OpenZFS; `None` elsewhere), at most `limit` of them.
    fn changes_since(&mut self, _snapshot: &str, _limit: usize) -> Option<Vec<String>> {
        None
    }
}
