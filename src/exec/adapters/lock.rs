//! One apply (or prune) per target at a time: an exclusive, non-blocking
//! flock on a file named after a hash of the root's canonical path, held
//! until the command ends.
//!
//! The file lives in a private directory: `$JAILWRIGHT_LOCK_DIR` when set,
//! else `/run/jailwright` (`/var/run/jailwright` where there is no /run),
//! else, for a user who cannot use that one, `$XDG_RUNTIME_DIR/jailwright`.
//! The directory is created with mode 0700 and, once opened (never through
//! a symlink), must belong to our effective user and be writable by no one
//! else, so nobody else can plant a file there. The lock file is opened
//! with `O_CREAT|O_NOFOLLOW` relative to that directory and never
//! truncated. The holder removes it on release (while still holding it),
//! and a taker checks, once it holds a lock, that the name still leads to
//! the file it locked, so lock files do not pile up and two takers never
//! hold different files of one name.

use nix::errno::Errno;
use nix::fcntl::{AtFlags, Flock, FlockArg, OFlag, open, openat};
use nix::sys::stat::{FileStat, Mode, SFlag, fstat, fstatat, mkdirat};
use nix::unistd::{Uid, UnlinkatFlags, geteuid, unlinkat};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

/// Why the lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("{root}: {error}")]
    Root {
        root: PathBuf,
        error: std::io::Error,
    },
    #[error("lock directory {dir}: {why}")]
    Directory { dir: PathBuf, why: Refused },
    #[error(
        "no private directory for the apply lock ({tried}): set XDG_RUNTIME_DIR or JAILWRIGHT_LOCK_DIR"
    )]
    NoDirectory { tried: String },
    #[error("lock file {file}: {why}")]
    File { file: PathBuf, why: Refused },
    #[error("another apply or prune is already running on {0}{1}")]
    Busy(PathBuf, String),
}

/// Why a lock directory or lock file is not used.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("not a directory path")]
    NotADirectoryPath,
    #[error("{}: {error}", path.display())]
    Parent { path: PathBuf, error: Errno },
    #[error("cannot create it: {0}")]
    Create(Errno),
    #[error("not a directory (a symlink or a file)")]
    NotADirectory,
    #[error("owned by uid {owner}, not by this user (uid {me})")]
    Owner { owner: Uid, me: Uid },
    #[error("writable by group or others (mode {mode:o})")]
    Writable { mode: nix::libc::mode_t },
    #[error("is a symlink: refused")]
    Symlink,
    #[error("not a regular file: refused")]
    NotRegular,
    #[error("{0}")]
    Os(Errno),
}

pub struct TargetLock {
    dir: OwnedFd,
    name: String,
    _held: Flock<File>,
}

/// How often a taker retries when the file it locked was removed by the
/// holder it waited behind (each retry means another apply just ended).
const ATTEMPTS: usize = 20;

impl TargetLock {
    /// Takes the lock of `root`, or says why not.
    pub fn acquire(root: &Path) -> Result<TargetLock, LockError> {
        let canonical = std::fs::canonicalize(root).map_err(|error| LockError::Root {
            root: root.to_path_buf(),
            error,
        })?;
        let (dir, dir_fd) = lock_directory()?;
        take(&dir, dir_fd, canonical)
    }
}

/// Takes the lock of the canonical root `canonical` in the opened lock
/// directory `dir_fd` (`dir` for messages).
fn take(dir: &Path, dir_fd: OwnedFd, canonical: PathBuf) -> Result<TargetLock, LockError> {
    let name = lock_name(&canonical);
    let file_error = |why: Refused| LockError::File {
        file: dir.join(&name),
        why,
    };
    for _ in 0..ATTEMPTS {
        let file = open_lock_file(&dir_fd, &name).map_err(file_error)?;
        let held = Flock::lock(file, FlockArg::LockExclusiveNonblock)
            .map_err(|(file, _)| LockError::Busy(canonical.clone(), holder(file)))?;
        let locked = fstat(&*held).map_err(|e| file_error(Refused::Os(e)))?;
        let named = fstatat(&dir_fd, name.as_str(), AtFlags::AT_SYMLINK_NOFOLLOW);
        if named.is_ok_and(|n| same_file(&n, &locked)) {
            // Who holds it, for whoever finds it taken (the file is the
            // lock's own: never followed, only ever this one line).
            let _ = held.set_len(0);
            let _ = (&*held).write_all(format!("pid {}\n", std::process::id()).as_bytes());
            return Ok(TargetLock {
                dir: dir_fd,
                name,
                _held: held,
            });
        }
    }
    Err(LockError::Busy(canonical, String::new()))
}

/// ` (held by pid N)` from a lock file someone else holds, if it says.
fn holder(mut file: File) -> String {
    let mut line = String::new();
    let _ = (&mut file).take(64).read_to_string(&mut line);
    match line.trim().strip_prefix("pid ") {
        Some(pid) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
            format!(" (held by pid {pid})")
        }
        _ => String::new(),
    }
}

impl Drop for TargetLock {
    /// Removes the lock file while still holding it; whoever opened it
    /// meanwhile sees it gone once it holds it, and takes a fresh one.
    fn drop(&mut self) {
        let _ = unlinkat(&self.dir, self.name.as_str(), UnlinkatFlags::NoRemoveDir);
    }
}

fn same_file(a: &FileStat, b: &FileStat) -> bool {
    a.st_dev == b.st_dev && a.st_ino == b.st_ino
}

/// The lock file's name: the sha256 of the canonical root path, in hex.
pub fn lock_name(canonical: &Path) -> String {
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.lock")
}

/// The private directory the lock files live in, opened.
fn lock_directory() -> Result<(PathBuf, OwnedFd), LockError> {
    if let Some(dir) = std::env::var_os("JAILWRIGHT_LOCK_DIR") {
        let dir = PathBuf::from(dir);
        return private_dir(&dir)
            .map(|fd| (dir.clone(), fd))
            .map_err(|why| LockError::Directory { dir, why });
    }
    let system = if Path::new("/run").is_dir() {
        PathBuf::from("/run/jailwright")
    } else {
        PathBuf::from("/var/run/jailwright")
    };
    let why = match private_dir(&system) {
        Ok(fd) => return Ok((system, fd)),
        // root's locks are always in the system directory, so every
        // root apply sees every other one.
        Err(why) if geteuid().is_root() => {
            return Err(LockError::Directory { dir: system, why });
        }
        Err(why) => why,
    };
    let mut tried = format!("{}: {why}", system.display());
    if let Some(runtime) = std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from)
        && runtime.is_absolute()
    {
        let dir = runtime.join("jailwright");
        match private_dir(&dir) {
            Ok(fd) => return Ok((dir, fd)),
            Err(why) => tried.push_str(&format!(", {}: {why}", dir.display())),
        }
    }
    Err(LockError::NoDirectory { tried })
}

/// Opens `dir` (created 0700 if missing), never through a symlink, and
/// checks it on the descriptor: a directory of our effective user that
/// nobody else may write to.
fn private_dir(dir: &Path) -> Result<OwnedFd, Refused> {
    let (Some(parent), Some(name)) = (dir.parent(), dir.file_name()) else {
        return Err(Refused::NotADirectoryPath);
    };
    let parent_fd = open(
        parent,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|error| Refused::Parent {
        path: parent.to_path_buf(),
        error,
    })?;
    match mkdirat(&parent_fd, name, Mode::S_IRWXU) {
        Ok(()) | Err(Errno::EEXIST) => {}
        Err(e) => return Err(Refused::Create(e)),
    }
    let fd = openat(
        &parent_fd,
        name,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| match e {
        Errno::ELOOP | Errno::ENOTDIR => Refused::NotADirectory,
        e => Refused::Os(e),
    })?;
    let stat = fstat(&fd).map_err(Refused::Os)?;
    let owner = Uid::from_raw(stat.st_uid);
    if owner != geteuid() {
        return Err(Refused::Owner {
            owner,
            me: geteuid(),
        });
    }
    if stat.st_mode & 0o022 != 0 {
        return Err(Refused::Writable {
            mode: stat.st_mode & 0o7777,
        });
    }
    Ok(fd)
}

/// Opens (creating, never truncating) the lock file `name` in the lock
/// directory, refusing a symlink or anything but a regular file.
fn open_lock_file(dir: &OwnedFd, name: &str) -> Result<File, Refused> {
    let fd = openat(
        dir,
        name,
        OFlag::O_RDWR
            | OFlag::O_CREAT
            | OFlag::O_NOFOLLOW
            | OFlag::O_CLOEXEC
            | OFlag::O_NONBLOCK
            | OFlag::O_NOCTTY,
        Mode::S_IRUSR | Mode::S_IWUSR,
    )
    .map_err(|e| match e {
        Errno::ELOOP | Errno::EMLINK => Refused::Symlink,
        e => Refused::Os(e),
    })?;
    let stat = fstat(&fd).map_err(Refused::Os)?;
    if SFlag::from_bits_truncate(stat.st_mode) & SFlag::S_IFMT != SFlag::S_IFREG {
        return Err(Refused::NotRegular);
    }
    Ok(File::from(fd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Many takers of one root, each releasing (and so removing the file)
    /// at once: never two holders at a time, and nothing left behind.
    #[test]
    fn removing_the_file_on_release_never_lets_two_takers_hold_one_root() {
        let dir = tempfile::tempdir().unwrap();
        let holders = AtomicUsize::new(0);
        let taken = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        let fd = private_dir(dir.path()).unwrap();
                        match take(dir.path(), fd, PathBuf::from("/some/root")) {
                            Ok(lock) => {
                                assert_eq!(holders.fetch_add(1, Ordering::SeqCst), 0);
                                taken.fetch_add(1, Ordering::SeqCst);
                                std::thread::sleep(std::time::Duration::from_micros(100));
                                holders.fetch_sub(1, Ordering::SeqCst);
                                drop(lock);
                            }
                            Err(LockError::Busy(..)) => {}
                            Err(e) => panic!("{e}"),
                        }
                    }
                });
            }
        });
        assert!(taken.load(Ordering::SeqCst) > 0);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
