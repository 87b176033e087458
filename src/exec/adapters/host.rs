//! A jail's root on this machine: commands run as given (the plan already
//! prefixed them with jexec or chroot), files are written under the root
//! through `resolve_in_root`, so no symlink in the jail leads a write out.

use crate::exec::plan::MountSpec;
use crate::exec::ports::{Outcome, Target};
use crate::exec::safe_path::resolve_in_root;
use crate::output::write_atomically;
use std::io;
use std::path::{Path, PathBuf};

pub struct HostTarget {
    pub root: PathBuf,
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
        let meta = std::fs::symlink_metadata(from)?;
        if meta.is_dir() {
            // `cp -a SRC DST`: into DST/SRC's name when DST is a directory
            // that exists, unless it is an overlay (contents).
            let base = resolve_in_root(&self.root, to)?;
            let into = if !contents && base.is_dir() {
                format!("{}/{}", to.trim_end_matches('/'), file_name(from))
            } else {
                to.to_string()
            };
            for entry in walkdir::WalkDir::new(from).min_depth(0) {
                let entry = entry.map_err(io::Error::other)?;
                let rel = entry.path().strip_prefix(from).expect("under from");
                let inside = format!("{}/{}", into.trim_end_matches('/'), rel.display());
                self.copy_entry(entry.path(), &inside)?;
            }
            Ok(())
        } else {
            let base = resolve_in_root(&self.root, to)?;
            let inside = if base.is_dir() {
                format!("{}/{}", to.trim_end_matches('/'), file_name(from))
            } else {
                to.to_string()
            };
            self.copy_entry(from, &inside)
        }
    }

    fn read_file(&mut self, inside: &str) -> io::Result<Option<Vec<u8>>> {
        let path = resolve_in_root(&self.root, inside)?;
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn write_file(&mut self, inside: &str, bytes: &[u8]) -> io::Result<()> {
        let path = resolve_in_root(&self.root, inside)?;
        if let Some(parent) = path.parent() {
            self.make_dirs(parent)?;
        }
        // Keeps the mode of the file it replaces.
        write_atomically(&path, bytes, false)
    }

    fn files_under(&mut self, inside: &str) -> io::Result<Option<Vec<String>>> {
        let path = resolve_in_root(&self.root, inside)?;
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        let mut files = Vec::new();
        let walk = walkdir::WalkDir::new(&path)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !(e.file_type().is_dir() && e.file_name() == ".git"));
        for entry in walk {
            let entry = entry.map_err(io::Error::other)?;
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&self.root).expect("under root");
                files.push(format!("/{}", rel.display()));
            }
        }
        Ok(Some(files))
    }

    fn mount(&mut self, spec: &MountSpec) -> io::Result<Outcome> {
        let from = Path::new(&spec.from);
        // bastille mount: a missing nullfs source is created on the host.
        if spec.fstype == "nullfs" && !from.exists() {
            std::fs::create_dir_all(from)?;
        }
        let point = resolve_in_root(&self.root, &spec.to)?;
        if from.is_file() {
            if let Some(parent) = point.parent() {
                self.make_dirs(parent)?;
            }
            if !point.exists() {
                std::fs::File::create(&point)?;
            }
        } else {
            self.make_dirs(&point)?;
        }
        self.record_in_fstab(spec, &point)?;
        let argv = [
            "mount",
            "-t",
            &spec.fstype,
            "-o",
            &spec.options,
            &spec.from,
            &point.display().to_string(),
        ]
        .map(String::from);
        self.run(&argv, None, &mut |_| {})
    }
}

impl HostTarget {
    /// Bastille keeps a jail's mounts in `JAILDIR/fstab` beside
    /// `JAILDIR/root`: append the mount there (spaces as `\040`) unless
    /// that mount point is already listed, as bastille mount does.
    fn record_in_fstab(&mut self, spec: &MountSpec, point: &Path) -> io::Result<()> {
        let fstab = match (self.root.file_name(), self.root.parent()) {
            (Some(name), Some(dir)) if name == "root" => dir.join("fstab"),
            _ => return Ok(()),
        };
        let Ok(old) = std::fs::read_to_string(&fstab) else {
            return Ok(());
        };
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
        write_atomically(&fstab, new.as_bytes(), false)
    }

    /// Copies one file, directory or symlink to a path inside the root.
    fn copy_entry(&mut self, from: &Path, inside: &str) -> io::Result<()> {
        let meta = std::fs::symlink_metadata(from)?;
        let dest = resolve_in_root(&self.root, inside)?;
        if meta.is_dir() {
            return self.make_dirs(&dest);
        }
        if let Some(parent) = dest.parent() {
            self.make_dirs(parent)?;
        }
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(from)?;
            let _ = std::fs::remove_file(&dest);
            #[cfg(unix)]
            std::os::unix::fs::symlink(target, &dest)?;
            return Ok(());
        }
        write_atomically(&dest, &std::fs::read(from)?, false)?;
        std::fs::set_permissions(&dest, meta.permissions())
    }

    /// Creates directories under the root; a component that became a
    /// symlink is resolved again, so the result stays inside.
    fn make_dirs(&mut self, dir: &Path) -> io::Result<()> {
        let inside = dir.strip_prefix(&self.root).unwrap_or(dir);
        let resolved = resolve_in_root(&self.root, &format!("/{}", inside.display()))?;
        std::fs::create_dir_all(resolved)
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// What a copy reads, for its cache key: every path under `path` in a
/// stable order, with the content of each file.
pub fn content_of(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        all.extend(entry.path().to_string_lossy().as_bytes());
        if entry.file_type().is_file() {
            all.extend(std::fs::read(entry.path()).unwrap_or_default());
        }
    }
    all
}
