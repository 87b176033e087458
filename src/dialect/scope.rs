//! Where a template's files may be read from, and reading them there.
//!
//! A template named on the command line is read wherever it leads: the
//! user chose it. A template found by walking a directory (`lint DIR`,
//! `fmt DIR`) belongs to that tree, which may be a repository nobody has
//! vetted: its files (the template, hook files, a flavour's script,
//! Makejail INCLUDEs) are read only when their real path lies inside the
//! tree, so a `Bastillefile -> /etc/shadow` is never read and never
//! printed in findings.
//!
//! Every read is of a regular file of at most `TEMPLATE_CAP` bytes (a FIFO
//! or a device is refused at once, see `files::read`). A confined read
//! opens the file first and then checks that the opened file is the one at
//! the real path inside the tree, so a swap between the check and the open
//! does not lead out.

use crate::files::read::{TEMPLATE_CAP, read_fd, read_regular};
use crate::source::SourceFile;
use nix::fcntl::OFlag;
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The directories a template's files may be read from.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Real (canonical) directories; `None`: anywhere.
    roots: Option<Vec<PathBuf>>,
}

impl Scope {
    /// No confinement: the user named the template.
    pub fn anywhere() -> Self {
        Scope::default()
    }

    /// Only files whose real path is inside `dir`.
    pub fn within(dir: &Path) -> io::Result<Self> {
        Ok(Scope {
            roots: Some(vec![std::fs::canonicalize(dir)?]),
        })
    }

    /// Also allows `dir` (when confined); a directory that does not exist
    /// adds nothing.
    pub fn also(mut self, dir: &Path) -> Self {
        if let (Some(roots), Ok(real)) = (&mut self.roots, std::fs::canonicalize(dir)) {
            roots.push(real);
        }
        self
    }

    /// Whether the real path of `path` is inside the scope (always, when
    /// not confined; never, for a path that cannot be resolved).
    pub fn contains(&self, path: &Path) -> bool {
        match &self.roots {
            None => true,
            Some(roots) => std::fs::canonicalize(path)
                .is_ok_and(|real| roots.iter().any(|root| real.starts_with(root))),
        }
    }

    /// The bytes of the regular file at `path`.
    pub fn read_bytes(&self, path: &Path) -> io::Result<Vec<u8>> {
        let Some(roots) = &self.roots else {
            return read_regular(path, TEMPLATE_CAP);
        };
        let fd = open(path)?;
        let real = real_path(&fd, path)?;
        if !roots.iter().any(|root| real.starts_with(root)) {
            return Err(outside());
        }
        read_fd(fd, TEMPLATE_CAP)
    }

    /// `read_bytes`, and where the file read really is (the file opened,
    /// not the path resolved again).
    pub fn read_located(&self, path: &Path) -> io::Result<(PathBuf, Vec<u8>)> {
        let fd = open(path)?;
        let real = real_path(&fd, path)?;
        if let Some(roots) = &self.roots
            && !roots.iter().any(|root| real.starts_with(root))
        {
            return Err(outside());
        }
        Ok((real, read_fd(fd, TEMPLATE_CAP)?))
    }

    /// The template file at `path`.
    pub fn read(&self, path: &Path) -> io::Result<SourceFile> {
        Ok(SourceFile::new(path, &self.read_bytes(path)?))
    }
}

/// Where the file opened as `fd` (from `path`) really is. Linux says it
/// in one call (`/proc/self/fd`), for the file opened: no race. Elsewhere
/// the path is resolved, and must lead to the very file opened.
fn real_path(fd: &OwnedFd, path: &Path) -> io::Result<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_raw_fd()))
            && real.is_absolute()
        {
            return Ok(real);
        }
    }
    let real = std::fs::canonicalize(path)?;
    let (a, b) = (nix::sys::stat::fstat(fd)?, nix::sys::stat::stat(&real)?);
    if (a.st_dev, a.st_ino) != (b.st_dev, b.st_ino) {
        return Err(outside());
    }
    Ok(real)
}

/// The first `n` bytes of the regular file at `path` (content-based
/// detection reads no more; a FIFO or a device is refused at once).
pub fn peek(path: &Path, n: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = crate::files::read::regular(open(path)?)?;
    let mut bytes = Vec::new();
    file.take(n).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens `path` for reading without blocking on a FIFO or taking a
/// terminal; whether it is a regular file is `read_fd`'s check.
fn open(path: &Path) -> io::Result<OwnedFd> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags((OFlag::O_NONBLOCK | OFlag::O_NOCTTY).bits())
        .open(path)?;
    Ok(OwnedFd::from(file))
}

fn outside() -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        "leads outside the walked directory: not read (name the template, or walk a directory that holds both)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_symlink_out_of_the_scope_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        std::fs::create_dir(&tree).unwrap();
        std::fs::write(dir.path().join("secret"), "s").unwrap();
        std::fs::write(tree.join("inside"), "i").unwrap();
        symlink(dir.path().join("secret"), tree.join("out")).unwrap();
        symlink("inside", tree.join("in")).unwrap();
        let scope = Scope::within(&tree).unwrap();
        let e = scope.read_bytes(&tree.join("out")).unwrap_err();
        assert!(e.to_string().contains("outside"), "{e}");
        assert!(!scope.contains(&tree.join("out")));
        assert_eq!(scope.read_bytes(&tree.join("in")).unwrap(), b"i");
        assert_eq!(
            Scope::anywhere().read_bytes(&tree.join("out")).unwrap(),
            b"s"
        );
        let wider = scope.also(dir.path());
        assert_eq!(wider.read_bytes(&tree.join("out")).unwrap(), b"s");
    }

    #[test]
    fn a_fifo_is_refused_confined_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
        for scope in [Scope::anywhere(), Scope::within(dir.path()).unwrap()] {
            let e = scope.read_bytes(&fifo).unwrap_err();
            assert!(e.to_string().contains("not a regular file (a FIFO)"), "{e}");
        }
    }
}
