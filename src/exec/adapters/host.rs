//! A jail's root on this machine: commands run as given (the plan already
//! prefixed them with jexec or chroot); every file read and write inside
//! the root goes through `files::root::Root`, so no symlink in the jail and
//! no process racing apply leads one out of it.

use crate::exec::plan::MountSpec;
use crate::exec::ports::{Outcome, Target};
use crate::files::read::{EDIT_CAP, read_regular};
use crate::files::root::{Attributes, Kind, Root};
use crate::files::{atomic, copy, digest, manifest};
use std::io;
use std::path::{Path, PathBuf};

pub struct HostTarget {
    path: PathBuf,
    /// The root, opened at first use and let go of by `release`.
    opened: Option<Root>,
}

impl HostTarget {
    /// Opens the root (a directory the admin named).
    pub fn open(root: &Path) -> io::Result<HostTarget> {
        Ok(HostTarget {
            path: root.to_path_buf(),
            opened: Some(Root::open(root)?),
        })
    }

    /// The root, opened again if it was let go of (a transaction mounted
    /// another dataset there).
    fn root(&mut self) -> io::Result<&Root> {
        if self.opened.is_none() {
            self.opened = Some(Root::open(&self.path)?);
        }
        Ok(self.opened.as_ref().expect("opened"))
    }
}

impl Target for HostTarget {
    fn run(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        on_line: &mut dyn FnMut(&str),
    ) -> io::Result<Outcome> {
        super::process::run(argv, stdin, on_line)
    }

    fn copy_in(&mut self, from: &Path, to: &str, contents: bool) -> io::Result<()> {
        copy::copy_in(self.root()?, from, to, contents)
    }

    fn read_file(&mut self, inside: &str) -> io::Result<Option<Vec<u8>>> {
        self.root()?.read(inside, EDIT_CAP)
    }

    fn write_file(&mut self, inside: &str, bytes: &[u8]) -> io::Result<()> {
        // Keeps the mode and owner of the file it replaces.
        let attributes = Attributes {
            durable: true,
            ..Attributes::default()
        };
        self.root()?.write(inside, bytes, attributes)
    }

    fn files_under(&mut self, inside: &str) -> io::Result<Option<Vec<String>>> {
        self.root()?.files_under(inside)
    }

    fn mount(&mut self, spec: &MountSpec) -> io::Result<Outcome> {
        let from = Path::new(&spec.from);
        // bastille mount: a missing nullfs source is created on the host.
        if spec.fstype == "nullfs" && !from.exists() {
            std::fs::create_dir_all(from)?;
        }
        if from.is_file() {
            if self.root()?.kind(&spec.to)?.is_none() {
                self.root()?.write(&spec.to, b"", Attributes::default())?;
            }
        } else {
            self.root()?.create_dir_all(&spec.to)?;
        }
        // mount(8) takes a path: the mount point as it resolves now, inside
        // the root (a jail process could still swap a component before
        // mount runs; a running jail's mounts are bastille's to make).
        let point = self.root()?.host_path(&spec.to)?;
        if self.root()?.kind(&spec.to)? == Some(Kind::Symlink) {
            return Err(io::Error::other(format!(
                "{}: the mount point is a symlink",
                spec.to
            )));
        }
        let text = point.to_string_lossy().into_owned();
        plain(&text, &point)?;
        plain(&spec.from, Path::new(&spec.from))?;
        self.record_in_fstab(spec, &point)?;
        let argv = [
            "mount",
            "-t",
            &spec.fstype,
            "-o",
            &spec.options,
            &spec.from,
            &text,
        ]
        .map(String::from);
        self.run(&argv, None, &mut |_| {})
    }

    fn state(&mut self) -> io::Result<String> {
        manifest::of_root(&self.path)
    }

    fn release(&mut self) {
        self.opened = None;
    }
}

impl HostTarget {
    /// Bastille keeps a jail's mounts in `JAILDIR/fstab` beside
    /// `JAILDIR/root`: append the mount there (spaces as `\040`) unless
    /// that mount point is already listed, as bastille mount does.
    fn record_in_fstab(&self, spec: &MountSpec, point: &Path) -> io::Result<()> {
        let root = &self.path;
        let fstab: PathBuf = match (root.file_name(), root.parent()) {
            (Some(name), Some(dir)) if name == "root" => dir.join("fstab"),
            _ => return Ok(()),
        };
        let Ok(old) = read_regular(&fstab, EDIT_CAP) else {
            return Ok(());
        };
        let old = String::from_utf8_lossy(&old).into_owned();
        let escape = |s: &str| s.replace(' ', "\\040");
        let point = escape(&point.display().to_string());
        if old
            .lines()
            .any(|l| l.split_whitespace().nth(1) == Some(point.as_str()))
        {
            return Ok(());
        }
        let mut new = old;
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        new.push_str(&format!(
            "{} {point} {} {} {} {}\n",
            escape(&spec.from),
            spec.fstype,
            spec.options,
            spec.dump,
            spec.pass
        ));
        atomic::write_atomically(&fstab, new.as_bytes(), false)
    }
}

/// A path mount(8) and fstab take as it is: UTF-8 (a lossy spelling would
/// name another entry, which the jail can make a symlink out of the root)
/// with no control character (a newline or tab would add fields or lines
/// to the jail's fstab) and no backslash (fstab's escapes).
fn plain(text: &str, path: &Path) -> io::Result<()> {
    let exact = path.to_str() == Some(text);
    if exact && !text.chars().any(|c| c.is_control() || c == '\\') {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{}: a mount path must be UTF-8 without control characters or backslashes: refused",
            path.display().to_string().escape_debug()
        ),
    ))
}

/// What a copy reads, for its cache key: the sha256 of every entry under
/// `path` (paths, kinds, modes, symlink targets, contents), streamed.
pub fn content_of(path: &Path) -> Vec<u8> {
    digest::of_tree(path).to_vec()
}
