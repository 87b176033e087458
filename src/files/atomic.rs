//! Files jailwright writes on the host (fmt, convert -o, jailwright.lock,
//! caches): whole or not at all, and never through a link. The temporary
//! file is created with a random name and `O_EXCL|O_NOFOLLOW` in the
//! destination directory's descriptor and renamed over the destination; a
//! destination that is a symlink, a FIFO or a device is refused rather than
//! replaced or written through (a repository being formatted may hold
//! `Bastillefile -> /etc/passwd`).

use super::read;
use super::root::{Kind, kind_of, mode_bits};
use super::temp;
use nix::errno::Errno;
use nix::fcntl::{AtFlags, OFlag, open, openat};
use nix::sys::stat::{Mode, fchmod, fstatat};
use std::ffi::OsStr;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a new file gets 0644 (0755 when
/// `executable`), an existing file keeps its mode.
pub fn write_atomically(path: &Path, bytes: &[u8], executable: bool) -> io::Result<()> {
    let default = if executable { 0o755 } else { 0o644 };
    write_from(path, &mut &bytes[..], None, default).map(drop)
}

/// Copies the regular file `from` (a template's file: never a FIFO or a
/// device, never through a symlink) to `to`, with `from`'s mode.
pub fn copy_file(from: &Path, to: &Path) -> io::Result<u64> {
    let fd = open(
        from,
        OFlag::O_RDONLY | OFlag::O_NONBLOCK | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| in_path(from, e.into()))?;
    let mut file = read::regular(fd).map_err(|e| in_path(from, e))?;
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode() & 0o7777;
    write_from(to, &mut file, Some(mode), mode)
}

/// Streams `reader` into `path` atomically with `mode` (or, when `None`,
/// the replaced file's mode, else `default`).
pub fn write_from(
    path: &Path,
    reader: &mut dyn Read,
    mode: Option<u32>,
    default: u32,
) -> io::Result<u64> {
    let (dir, name) = parent_of(path)?;
    let mode = match existing(&dir, name).map_err(|e| in_path(path, e))? {
        Some(old) => mode.unwrap_or(old),
        None => mode.unwrap_or(default),
    };
    let (tmp, mut file) = temp::file_in(&dir, name).map_err(|e| in_path(path, e))?;
    let written = io::copy(reader, &mut file).map_err(|e| in_path(path, e))?;
    file.flush()?;
    fchmod(&file, Mode::from_bits_truncate(mode as _))?;
    file.sync_all()?;
    drop::<File>(file);
    tmp.rename_over(name).map_err(|e| in_path(path, e))?;
    Ok(written)
}

/// The destination's directory, opened (created when missing: a host
/// directory the user named), and the file's name in it.
fn parent_of(path: &Path) -> io::Result<(OwnedFd, &OsStr)> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file name", path.display()),
        )
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| in_path(parent, e))?;
    let dir = openat(
        nix::fcntl::AT_FDCWD,
        parent,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| in_path(parent, e.into()))?;
    Ok((dir, name))
}

/// The mode of the regular file already at `name`; an error for anything
/// that is not one.
fn existing(dir: &OwnedFd, name: &OsStr) -> io::Result<Option<u32>> {
    match fstatat(dir, name, AtFlags::AT_SYMLINK_NOFOLLOW) {
        Err(Errno::ENOENT) => Ok(None),
        Err(e) => Err(e.into()),
        Ok(stat) => match kind_of(&stat) {
            Kind::File => Ok(Some(mode_bits(&stat))),
            Kind::Symlink => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "is a symlink: refusing to replace or write through it",
            )),
            Kind::Dir => Err(Errno::EISDIR.into()),
            Kind::Special => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file: refusing to replace it",
            )),
        },
    }
}

fn in_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn a_planted_temporary_name_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        // The name the old writer used, and a few guesses.
        symlink(&victim, dir.path().join(".Bastillefile.jailwright-tmp")).unwrap();
        let file = dir.path().join("Bastillefile");
        write_atomically(&file, b"CMD true\n", false).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "CMD true\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 3, "no temporary file left behind");
    }

    #[test]
    fn a_symlinked_or_special_destination_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("Bastillefile");
        symlink(&victim, &link).unwrap();
        let e = write_atomically(&link, b"x", false).unwrap_err();
        assert!(e.to_string().contains("symlink"), "{e}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, Mode::from_bits_truncate(0o644)).unwrap();
        assert!(write_atomically(&fifo, b"x", false).is_err());
    }

    #[test]
    fn modes_new_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("a.sh");
        write_atomically(&script, b"#!/bin/sh\n", true).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&script), 0o755);
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o700)).unwrap();
        write_atomically(&script, b"#!/bin/sh\ntrue\n", false).unwrap();
        assert_eq!(mode(&script), 0o700);
    }
}
