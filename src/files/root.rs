//! A jail's root, and every read and write apply (or bootstrap, or an
//! archive unpacked into a cache) makes inside it.
//!
//! The root is opened once. A path inside it is walked one component at a
//! time from that descriptor: each directory is opened relative to its
//! parent with `O_NOFOLLOW|O_DIRECTORY`, and a symlink is never followed by
//! the kernel: its target is read (`readlinkat`) and walked again inside
//! the root, an absolute target restarting at the root and `..` stopping
//! there, as chroot(2) sees it. Because nothing is ever looked up by a host
//! path string, a jail process swapping a directory for a symlink while
//! apply runs changes which in-root file is reached, never whether it is in
//! the root.
//!
//! Writes create a temporary file with a random name and
//! `O_CREAT|O_EXCL|O_NOFOLLOW` in the destination directory's descriptor,
//! then `renameat` it over the destination: a planted symlink or FIFO at the
//! temporary name cannot be written through, and a failed write removes its
//! temporary file.

use super::read;
use super::temp;
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, openat, readlinkat};
use nix::sys::stat::{FileStat, Mode, SFlag, fchmod, fstatat, mkdirat};
use nix::unistd::{Gid, Uid, UnlinkatFlags, fchown, unlinkat};
use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one resolution may follow (as the kernel's ELOOP).
const MAX_LINKS: usize = 40;

/// How many times a walk starts a component again because the jail changed
/// it under us, before giving up.
const MAX_RETRIES: usize = 64;

/// A jail's root directory, opened.
pub struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

/// What a path inside the root names, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    /// A FIFO, a device or a socket.
    Special,
}

/// The mode, owner and times a written file gets.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attributes {
    /// Permission bits; `None`: those of the file replaced, else 0644.
    pub mode: Option<u32>,
    /// Owner; `None`: that of the file replaced (when running as root).
    pub owner: Option<(u32, u32)>,
    /// Modification time (seconds since the epoch).
    pub mtime: Option<i64>,
    /// Flush to disk before the rename (edits of existing files).
    pub durable: bool,
}

/// The last directory of a walk and the name in it.
struct Walked {
    dir: OwnedFd,
    /// `None` when the path is the root itself.
    name: Option<OsString>,
    /// The resolved components, for messages and host paths.
    names: Vec<OsString>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    /// Follow a symlink in the last component (inside the root).
    Follow,
    /// Stop at the last component, whatever it is.
    Stop,
}

impl Root {
    /// Opens the root directory (a path the admin gave: trusted).
    pub fn open(path: &Path) -> io::Result<Root> {
        let fd = nix::fcntl::open(
            path,
            OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
            Mode::empty(),
        )
        .map_err(|e| {
            io::Error::new(
                io::Error::from(e).kind(),
                format!("{}: {e}", path.display()),
            )
        })?;
        Ok(Root {
            fd,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The host path a path inside the root resolves to now (for messages
    /// and for commands that need a path, such as mount(8)); never used for
    /// jailwright's own reads and writes.
    pub fn host_path(&self, inside: &str) -> io::Result<PathBuf> {
        let walked = self.walk(inside, false, Last::Follow)?;
        let mut path = self.path.clone();
        path.extend(walked.names.iter());
        Ok(path)
    }

    /// What `inside` names (symlinks followed inside the root), if anything.
    pub fn kind(&self, inside: &str) -> io::Result<Option<Kind>> {
        let walked = match self.walk(inside, false, Last::Follow) {
            Ok(w) => w,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(name) = &walked.name else {
            return Ok(Some(Kind::Dir));
        };
        match fstatat(&walked.dir, name.as_os_str(), AtFlags::AT_SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(kind_of(&stat))),
            Err(Errno::ENOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Reads the regular file `inside` (at most `cap` bytes); `None` when it
    /// does not exist.
    pub fn read(&self, inside: &str, cap: u64) -> io::Result<Option<Vec<u8>>> {
        let result = (|| {
            for _ in 0..MAX_RETRIES {
                let walked = match self.walk(inside, false, Last::Follow) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                    other => other?,
                };
                let name = walked.name.as_ref().ok_or(Errno::EISDIR)?;
                match read::read_regular_at(&walked.dir, name, cap) {
                    Err(e) if e.raw_os_error() == Some(Errno::ENOENT as i32) => return Ok(None),
                    // Became a symlink after the walk: walk again.
                    Err(e) if is_link_error(&e) => continue,
                    other => return other.map(Some),
                }
            }
            Err(raced())
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Creates the directory `inside` and its parents (mode 0755), inside
    /// the root, and returns it opened.
    pub fn create_dir_all(&self, inside: &str) -> io::Result<OwnedFd> {
        self.create_dir_all_mode(inside, 0o755)
    }

    /// As `create_dir_all`, the last directory created with `mode`.
    pub fn create_dir_all_mode(&self, inside: &str, mode: u32) -> io::Result<OwnedFd> {
        let result = (|| {
            for _ in 0..MAX_RETRIES {
                let walked = self.walk(inside, true, Last::Follow)?;
                let Some(name) = &walked.name else {
                    return Ok(walked.dir);
                };
                match mkdirat(
                    &walked.dir,
                    name.as_os_str(),
                    Mode::from_bits_truncate(mode),
                ) {
                    Ok(()) | Err(Errno::EEXIST) => {}
                    Err(e) => return Err(e.into()),
                }
                match open_dir(&walked.dir, name) {
                    Ok(fd) => return Ok(fd),
                    // Replaced by a symlink since: walk again.
                    Err(Errno::ELOOP | Errno::EMLINK | Errno::ENOENT) => continue,
                    Err(e) => return Err(e.into()),
                }
            }
            Err(raced())
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Writes `bytes` to the file `inside` (parents created), replacing it
    /// atomically. A symlink in the last component is followed inside the
    /// root, as cp and sysrc write through one.
    pub fn write(&self, inside: &str, bytes: &[u8], attributes: Attributes) -> io::Result<()> {
        self.write_from(inside, &mut &bytes[..], attributes)
            .map(drop)
    }

    /// As `write`, streaming from `reader`; returns the bytes written.
    pub fn write_from(
        &self,
        inside: &str,
        reader: &mut dyn Read,
        attributes: Attributes,
    ) -> io::Result<u64> {
        self.place(inside, Last::Follow, attributes, reader)
            .map_err(|e| self.error(inside, e))
    }

    /// As `write_from`, but the last component is replaced whatever it is
    /// (a symlink there is replaced, not followed): what tar does.
    pub fn replace_from(
        &self,
        inside: &str,
        reader: &mut dyn Read,
        attributes: Attributes,
    ) -> io::Result<u64> {
        self.place(inside, Last::Stop, attributes, reader)
            .map_err(|e| self.error(inside, e))
    }

    /// Makes `inside` a symlink to `target`, replacing the link (or file)
    /// that is there itself, never writing through it (`cp -a`, tar).
    pub fn symlink(&self, inside: &str, target: &OsStr) -> io::Result<()> {
        let result = (|| {
            let walked = self.walk(inside, true, Last::Stop)?;
            let name = walked.name.as_ref().ok_or(Errno::EEXIST)?;
            let tmp = temp::symlink_in(&walked.dir, name, target)?;
            tmp.rename_over(name)
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Makes `inside` a hard link to the entry `existing` (its last
    /// component not followed), both inside the root.
    pub fn hard_link(&self, existing: &str, inside: &str) -> io::Result<()> {
        let result = (|| {
            let from = self.walk(existing, false, Last::Stop)?;
            let from_name = from.name.as_ref().ok_or(Errno::EPERM)?;
            let to = self.walk(inside, true, Last::Stop)?;
            let name = to.name.as_ref().ok_or(Errno::EEXIST)?;
            let tmp = temp::link_in(&from.dir, from_name, &to.dir, name)?;
            tmp.rename_over(name)
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Removes the entry `inside` (a file, a symlink itself, or an empty
    /// directory); a missing entry is not an error.
    pub fn remove(&self, inside: &str) -> io::Result<()> {
        let result = (|| {
            let walked = match self.walk(inside, false, Last::Stop) {
                Ok(w) => w,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
                Err(e) => return Err(e),
            };
            let name = walked.name.as_ref().ok_or(Errno::EBUSY)?;
            match unlinkat(&walked.dir, name.as_os_str(), UnlinkatFlags::NoRemoveDir) {
                Ok(()) | Err(Errno::ENOENT) => Ok(()),
                Err(Errno::EISDIR | Errno::EPERM) => {
                    match unlinkat(&walked.dir, name.as_os_str(), UnlinkatFlags::RemoveDir) {
                        Ok(()) | Err(Errno::ENOENT) => Ok(()),
                        Err(e) => Err(e.into()),
                    }
                }
                Err(e) => Err(e.into()),
            }
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Sets the mode, owner and modification time of the entry `inside`
    /// (a directory, typically; its last component not followed).
    pub fn set_attributes(&self, inside: &str, attributes: Attributes) -> io::Result<()> {
        let result = (|| {
            let walked = self.walk(inside, false, Last::Stop)?;
            let fd = match &walked.name {
                Some(name) => open_dir(&walked.dir, name)?,
                None => walked.dir,
            };
            set_fd_attributes(&fd, attributes)
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// The regular files at or under `inside`, as paths inside the root, in
    /// a stable order; symlinks, special files and `.git` directories are
    /// skipped. `None` when nothing is there.
    pub fn files_under(&self, inside: &str) -> io::Result<Option<Vec<String>>> {
        let result = (|| {
            let walked = match self.walk(inside, false, Last::Follow) {
                Ok(w) => w,
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            let base = inside.trim_end_matches('/').to_string();
            let dir = match &walked.name {
                None => walked.dir,
                Some(name) => {
                    match fstatat(&walked.dir, name.as_os_str(), AtFlags::AT_SYMLINK_NOFOLLOW) {
                        Err(Errno::ENOENT) => return Ok(None),
                        Err(e) => return Err(e.into()),
                        Ok(stat) => match kind_of(&stat) {
                            Kind::File => return Ok(Some(vec![base])),
                            Kind::Dir => open_dir(&walked.dir, name)?,
                            _ => return Ok(Some(Vec::new())),
                        },
                    }
                }
            };
            let mut files = Vec::new();
            list_files(dir, &base, &mut files)?;
            Ok(Some(files))
        })();
        result.map_err(|e| self.error(inside, e))
    }

    /// Writes a file through a fresh temporary file renamed over `inside`.
    fn place(
        &self,
        inside: &str,
        last: Last,
        attributes: Attributes,
        reader: &mut dyn Read,
    ) -> io::Result<u64> {
        for _ in 0..MAX_RETRIES {
            let walked = self.walk(inside, true, last)?;
            let name = walked.name.as_ref().ok_or(Errno::EISDIR)?;
            let old = match fstatat(&walked.dir, name.as_os_str(), AtFlags::AT_SYMLINK_NOFOLLOW) {
                Ok(stat) => Some(stat),
                Err(Errno::ENOENT) => None,
                Err(e) => return Err(e.into()),
            };
            if let Some(old) = &old {
                match kind_of(old) {
                    Kind::Dir => return Err(Errno::EISDIR.into()),
                    // Became a symlink after the walk: walk again.
                    Kind::Symlink if last == Last::Follow => continue,
                    _ => {}
                }
            }
            let mut attributes = attributes;
            if let Some(old) = old.filter(|s| kind_of(s) == Kind::File) {
                attributes.mode = attributes.mode.or(Some(mode_bits(&old)));
                if attributes.owner.is_none() && Uid::effective().is_root() {
                    attributes.owner = Some((old.st_uid, old.st_gid));
                }
            }
            let (tmp, file) = temp::file_in(&walked.dir, name)?;
            let written = fill(file, reader, attributes)?;
            tmp.rename_over(name)?;
            return Ok(written);
        }
        Err(raced())
    }

    fn dup(&self) -> io::Result<OwnedFd> {
        self.fd.try_clone()
    }

    /// Walks `inside` from the root (see the module's documentation).
    fn walk(&self, inside: &str, create: bool, last: Last) -> io::Result<Walked> {
        let mut stack: Vec<(OwnedFd, OsString)> = Vec::new();
        let root = self.dup()?;
        let mut pending: VecDeque<OsString> = components(OsStr::new(inside));
        let mut links = 0;
        let mut retries = 0;
        while let Some(part) = pending.pop_front() {
            if part == "." {
                continue;
            }
            if part == ".." {
                stack.pop();
                continue;
            }
            let top: BorrowedFd = stack.last().map_or(root.as_fd(), |(fd, _)| fd.as_fd());
            let is_last = pending.is_empty();
            if is_last && last == Last::Stop {
                return Ok(finish(root, stack, Some(part)));
            }
            match readlinkat(top, part.as_os_str()) {
                Ok(target) => {
                    links += 1;
                    if links > MAX_LINKS {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidInput,
                            "too many levels of symbolic links inside the root",
                        ));
                    }
                    if target.as_bytes().starts_with(b"/") {
                        stack.clear();
                    }
                    for c in components(&target).into_iter().rev() {
                        pending.push_front(c);
                    }
                    continue;
                }
                Err(Errno::EINVAL) => {}
                Err(Errno::ENOENT) if is_last => return Ok(finish(root, stack, Some(part))),
                Err(Errno::ENOENT) if create => {
                    match mkdirat(top, part.as_os_str(), Mode::from_bits_truncate(0o755)) {
                        Ok(()) | Err(Errno::EEXIST) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                Err(e) => return Err(e.into()),
            }
            if is_last {
                return Ok(finish(root, stack, Some(part)));
            }
            match open_dir(top, &part) {
                Ok(fd) => stack.push((fd, part)),
                // It changed since readlinkat (a race): look at it again.
                Err(Errno::ELOOP | Errno::EMLINK | Errno::ENOENT) => {
                    retries += 1;
                    if retries > MAX_RETRIES {
                        return Err(raced());
                    }
                    pending.push_front(part);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(finish(root, stack, None))
    }

    /// An error with the path inside the root it was about.
    fn error(&self, inside: &str, e: io::Error) -> io::Error {
        io::Error::new(
            e.kind(),
            format!("{inside} (inside {}): {e}", self.path.display()),
        )
    }
}

/// The result of a walk: the directory the last name is in.
fn finish(root: OwnedFd, mut stack: Vec<(OwnedFd, OsString)>, name: Option<OsString>) -> Walked {
    let names = stack.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>();
    let mut names = names;
    let dir = match stack.pop() {
        Some((fd, _)) => fd,
        None => root,
    };
    if let Some(n) = &name {
        names.push(n.clone());
    }
    Walked { dir, name, names }
}

fn components(path: &OsStr) -> VecDeque<OsString> {
    Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_os_string()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

/// Opens a directory entry as a directory, never through a symlink.
fn open_dir(dir: impl AsFd, name: &OsStr) -> Result<OwnedFd, Errno> {
    openat(
        dir,
        name,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
}

/// The permission bits of a file (st_mode is 16 bits on FreeBSD).
#[allow(clippy::unnecessary_cast)]
pub(super) fn mode_bits(stat: &FileStat) -> u32 {
    stat.st_mode as u32 & 0o7777
}

pub(super) fn kind_of(stat: &FileStat) -> Kind {
    match SFlag::from_bits_truncate(stat.st_mode) & SFlag::S_IFMT {
        SFlag::S_IFREG => Kind::File,
        SFlag::S_IFDIR => Kind::Dir,
        SFlag::S_IFLNK => Kind::Symlink,
        _ => Kind::Special,
    }
}

/// Copies `reader` into the new file and sets its attributes.
fn fill(mut file: File, reader: &mut dyn Read, attributes: Attributes) -> io::Result<u64> {
    let written = io::copy(reader, &mut file)?;
    file.flush()?;
    set_fd_attributes(&file, attributes)?;
    if attributes.durable {
        file.sync_all()?;
    }
    Ok(written)
}

fn set_fd_attributes(fd: &impl AsFd, attributes: Attributes) -> io::Result<()> {
    if let Some((uid, gid)) = attributes.owner.filter(|_| Uid::effective().is_root()) {
        fchown(
            fd.as_fd(),
            Some(Uid::from_raw(uid)),
            Some(Gid::from_raw(gid)),
        )?;
    }
    // After chown, which clears setuid bits.
    let mode = attributes.mode.unwrap_or(0o644);
    fchmod(fd.as_fd(), Mode::from_bits_truncate(mode as _))?;
    if let Some(mtime) = attributes.mtime {
        let t = nix::sys::time::TimeSpec::new(mtime, 0);
        nix::sys::stat::futimens(fd.as_fd(), &t, &t)?;
    }
    Ok(())
}

/// Appends the regular files under the opened directory, sorted by name.
fn list_files(dir: OwnedFd, base: &str, out: &mut Vec<String>) -> io::Result<()> {
    let mut names: Vec<OsString> = Vec::new();
    let listing = nix::dir::Dir::from_fd(dir.try_clone()?)?;
    for entry in listing {
        let entry = entry?;
        let name = OsStr::from_bytes(entry.file_name().to_bytes()).to_os_string();
        if name != "." && name != ".." {
            names.push(name);
        }
    }
    names.sort();
    for name in names {
        let Ok(stat) = fstatat(&dir, name.as_os_str(), AtFlags::AT_SYMLINK_NOFOLLOW) else {
            continue;
        };
        let path = format!("{base}/{}", name.to_string_lossy());
        match kind_of(&stat) {
            Kind::File => out.push(path),
            Kind::Dir if name != ".git" => {
                if let Ok(sub) = open_dir(&dir, &name) {
                    list_files(sub, &path, out)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn is_link_error(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(c) if c == Errno::ELOOP as i32 || c == Errno::EMLINK as i32)
}

fn raced() -> io::Error {
    io::Error::other(
        "the path kept changing while it was resolved (a process in the jail is racing apply): refused",
    )
}
