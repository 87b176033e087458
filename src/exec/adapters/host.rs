//! A jail's root on this machine: commands run as given (the plan already
//! prefixed them with jexec or chroot), files are written under the root
//! through `resolve_in_root`, so no symlink in the jail leads a write out.

use crate::exec::ports::{Outcome, Target};
use crate::exec::safe_path::resolve_in_root;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct HostTarget {
    pub root: PathBuf,
}

/// How many lines of a failed command's output to keep.
const TAIL_LINES: usize = 20;

impl Target for HostTarget {
    fn run(&mut self, argv: &[String]) -> io::Result<Outcome> {
        let Some((program, args)) = argv.split_first() else {
            return Ok(Outcome::default());
        };
        let output = Command::new(program).args(args).output()?;
        let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stderr));
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n");
        Ok(Outcome {
            status: output.status.code().unwrap_or(-1),
            tail,
        })
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
        write_atomically(&path, bytes)
    }
}

impl HostTarget {
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
        write_atomically(&dest, &std::fs::read(from)?)?;
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

/// Writes through a temporary file renamed into place: never a half file.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_file_name(format!(".{}.jailwright-tmp", file_name(path)));
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
