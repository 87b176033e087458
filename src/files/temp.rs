//! Temporary entries created beside their destination, under a random name
//! that no one can have planted (`O_CREAT|O_EXCL|O_NOFOLLOW`, `symlinkat`
//! and `linkat` all fail on an existing name), removed again unless they
//! were renamed into place.

use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat, renameat};
use nix::sys::stat::Mode;
use nix::unistd::{UnlinkatFlags, linkat, symlinkat, unlinkat};
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many names to try before giving up (each clash is someone else's
/// entry, left alone).
const ATTEMPTS: usize = 32;

/// A temporary entry in a directory: removed on drop unless renamed.
pub struct Temp {
    dir: OwnedFd,
    name: OsString,
    armed: bool,
}

impl Temp {
    /// Renames the entry over `name` in the same directory.
    pub fn rename_over(mut self, name: &OsStr) -> io::Result<()> {
        renameat(&self.dir, self.name.as_os_str(), &self.dir, name)?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if self.armed {
            let _ = unlinkat(&self.dir, self.name.as_os_str(), UnlinkatFlags::NoRemoveDir);
        }
    }
}

/// A new, empty file (mode 0600 until its owner sets it) in `dir`.
pub fn file_in(dir: &impl AsFd, _for: &OsStr) -> io::Result<(Temp, File)> {
    let mut file = None;
    let temp = create(dir, |dir, name| {
        openat(
            dir,
            name,
            OFlag::O_WRONLY
                | OFlag::O_CREAT
                | OFlag::O_EXCL
                | OFlag::O_NOFOLLOW
                | OFlag::O_CLOEXEC
                | OFlag::O_NOCTTY,
            Mode::from_bits_truncate(0o600),
        )
        .map(|fd| file = Some(File::from(fd)))
    })?;
    Ok((temp, file.expect("created")))
}

/// A new symlink to `target` in `dir`.
pub fn symlink_in(dir: &impl AsFd, _for: &OsStr, target: &OsStr) -> io::Result<Temp> {
    create(dir, |dir, name| symlinkat(target, dir, name))
}

/// A new hard link in `dir` to `from_name` in `from_dir` (not followed).
pub fn link_in(
    from_dir: &impl AsFd,
    from_name: &OsStr,
    dir: &impl AsFd,
    _for: &OsStr,
) -> io::Result<Temp> {
    create(dir, |dir, name| {
        linkat(from_dir.as_fd(), from_name, dir, name, AtFlags::empty())
    })
}

fn create(
    dir: &impl AsFd,
    mut make: impl FnMut(BorrowedFd, &OsStr) -> Result<(), Errno>,
) -> io::Result<Temp> {
    for _ in 0..ATTEMPTS {
        let name = random_name();
        match make(dir.as_fd(), &name) {
            Ok(()) => {
                return Ok(Temp {
                    dir: dir.as_fd().try_clone_to_owned()?,
                    name,
                    armed: true,
                });
            }
            Err(Errno::EEXIST) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name (entries are being planted): refused",
    ))
}

/// `.jailwright-` and 16 random hex digits.
fn random_name() -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    OsString::from(format!(".jailwright-{:016x}", h.finish()))
}
