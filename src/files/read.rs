//! Bounded reads of regular files only.
//!
//! A path from a user, a template or a repository may name a FIFO (an open
//! blocks until a writer comes), a device (`/dev/zero` never ends) or a
//! huge file. The file is opened with `O_NONBLOCK` (a FIFO opens at once),
//! checked with `fstat` on that descriptor (so a swap after the check
//! changes nothing) and read up to a cap.

use nix::fcntl::{OFlag, open, openat};
use nix::sys::stat::{Mode, SFlag, fstat};
use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

/// The largest template, configuration or argument file jailwright reads.
pub const TEMPLATE_CAP: u64 = 16 << 20;

/// The largest file inside a jail's root that an edit (SYSRC,
/// LINE_IN_FILE, RENDER, REPLACE) reads.
pub const EDIT_CAP: u64 = 64 << 20;

/// Reads the regular file at `path` (symlinks followed: the caller decides
/// whether the path itself may be one), at most `cap` bytes. Errors do not
/// name the path (no error of this module does): the caller names it.
pub fn read_regular(path: &Path, cap: u64) -> io::Result<Vec<u8>> {
    let fd = open(
        path,
        OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY,
        Mode::empty(),
    )
    .map_err(io::Error::from)?;
    read_fd(fd, cap)
}

/// Opens `name` in the directory `dir` without following a symlink there
/// and reads it as `read_regular` does.
pub fn read_regular_at(dir: impl AsFd, name: &std::ffi::OsStr, cap: u64) -> io::Result<Vec<u8>> {
    let fd = openat(
        dir,
        name,
        OFlag::O_RDONLY
            | OFlag::O_NONBLOCK
            | OFlag::O_CLOEXEC
            | OFlag::O_NOCTTY
            | OFlag::O_NOFOLLOW,
        Mode::empty(),
    )
    .map_err(io::Error::from)?;
    read_fd(fd, cap)
}

/// Opens the regular file at `path` for streaming, never through a
/// symlink in its last component, never blocking on a FIFO (a template's
/// files: a copy source, what a cache key hashes).
pub fn open_regular_nofollow(path: &Path) -> io::Result<File> {
    let fd = open(
        path,
        OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)?;
    regular(fd)
}

/// Reads an opened descriptor: a regular file of at most `cap` bytes.
pub fn read_fd(fd: OwnedFd, cap: u64) -> io::Result<Vec<u8>> {
    let file = regular(fd)?;
    let size = file.metadata()?.len();
    if size > cap {
        return Err(too_big(cap));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow while it is read: never past the cap.
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(cap));
    }
    Ok(bytes)
}

/// The descriptor as a blocking `File`, when it is a regular file.
pub fn regular(fd: OwnedFd) -> io::Result<File> {
    let stat = fstat(&fd).map_err(io::Error::from)?;
    let kind = SFlag::from_bits_truncate(stat.st_mode) & SFlag::S_IFMT;
    if kind != SFlag::S_IFREG {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file (a {})", kind_name(kind)),
        ));
    }
    let flags = nix::fcntl::fcntl(&fd, nix::fcntl::FcntlArg::F_GETFL).map_err(io::Error::from)?;
    let flags = OFlag::from_bits_truncate(flags) & !OFlag::O_NONBLOCK;
    nix::fcntl::fcntl(&fd, nix::fcntl::FcntlArg::F_SETFL(flags)).map_err(io::Error::from)?;
    Ok(File::from(fd))
}

/// What kind of file a mode names, for messages.
pub fn kind_name(kind: SFlag) -> &'static str {
    match kind {
        SFlag::S_IFDIR => "directory",
        SFlag::S_IFIFO => "FIFO",
        SFlag::S_IFCHR => "character device",
        SFlag::S_IFBLK => "block device",
        SFlag::S_IFSOCK => "socket",
        SFlag::S_IFLNK => "symlink",
        _ => "special file",
    }
}

fn too_big(cap: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("larger than {} MiB: refused", cap >> 20),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, Mode::from_bits_truncate(0o644)).unwrap();
        let e = read_regular(&fifo, TEMPLATE_CAP).unwrap_err();
        assert!(e.to_string().contains("not a regular file (a FIFO)"), "{e}");
    }

    #[test]
    fn a_device_and_a_directory_are_refused() {
        let e = read_regular(Path::new("/dev/zero"), TEMPLATE_CAP).unwrap_err();
        assert!(e.to_string().contains("character device"), "{e}");
        let e = read_regular(Path::new("/"), TEMPLATE_CAP).unwrap_err();
        assert!(e.to_string().contains("directory"), "{e}");
    }

    #[test]
    fn a_file_over_the_cap_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(read_regular(&big, 1024).is_err());
        assert_eq!(read_regular(&big, 4096).unwrap().len(), 2048);
    }
}
