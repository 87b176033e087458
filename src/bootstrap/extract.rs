//! A release's `.txz` (or a template's `.tar.gz`) unpacked into a root as root would: permissions,
//! owners, modification times, hard links and symlinks kept. Every entry
//! is checked first (a whole pass over the archive): a path that is
//! absolute or climbs out with `..`, or a hard link to such a path, refuses
//! the archive before anything is written. While writing, a path is never
//! followed through a symlink out of the root (tar's `unpack_in`). FreeBSD
//! file flags (schg, ...) cannot be set on Linux: they are counted.

use std::io::Read;
use std::path::{Component, Path};

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub entries: u64,
    pub bytes: u64,
    /// Entries whose FreeBSD file flags were not set (not on this system).
    pub flags_skipped: u64,
}

/// The archive, decompressed by what its first bytes say (xz or gzip).
fn decoder(path: &Path) -> Result<tar::Archive<Box<dyn Read>>, String> {
    let open = || std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()));
    let mut magic = [0u8; 6];
    let n = open()?.read(&mut magic).map_err(|e| e.to_string())?;
    let file = open()?;
    let reader: Box<dyn Read> = match &magic[..n] {
        [0xfd, b'7', b'z', b'X', b'Z', 0] => Box::new(xz2::read::XzDecoder::new(file)),
        [0x1f, 0x8b, ..] => Box::new(flate2::read::GzDecoder::new(file)),
        _ => {
            return Err(format!(
                "{}: neither an xz nor a gzip archive",
                path.display()
            ));
        }
    };
    Ok(tar::Archive::new(reader))
}

/// Whether an archive path stays inside the directory it is unpacked in.
pub fn stays_inside(path: &Path) -> bool {
    let mut depth = 0i64;
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => return false,
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
        }
    }
    true
}

/// Checks every entry of the archive without writing anything.
pub fn check(archive: &Path) -> Result<u64, String> {
    let mut tar = decoder(archive)?;
    let mut count = 0;
    // Symlinks the archive creates: nothing may be written through them.
    let mut symlinks: Vec<std::path::PathBuf> = Vec::new();
    for entry in tar.entries().map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| format!("{}: {e}", archive.display()))?;
        let path = entry.path().map_err(|e| e.to_string())?.into_owned();
        let normal: std::path::PathBuf = path
            .components()
            .filter(|c| matches!(c, Component::Normal(_)))
            .collect();
        if let Some(link) = symlinks
            .iter()
            .find(|l| normal.starts_with(l) && normal != **l)
        {
            return Err(format!(
                "{}: refused: entry {} would be written through the symlink {}",
                archive.display(),
                path.display(),
                link.display()
            ));
        }
        if entry.header().entry_type().is_symlink() {
            symlinks.push(normal);
        }
        if !stays_inside(&path) {
            return Err(format!(
                "{}: refused: entry {} would be written outside the root",
                archive.display(),
                path.display()
            ));
        }
        if entry.header().entry_type().is_hard_link() {
            let target = entry
                .link_name()
                .map_err(|e| e.to_string())?
                .unwrap_or_default()
                .into_owned();
            if !stays_inside(&target) {
                return Err(format!(
                    "{}: refused: hard link {} points outside the root ({})",
                    archive.display(),
                    path.display(),
                    target.display()
                ));
            }
        }
        count += 1;
    }
    Ok(count)
}

/// Unpacks a checked archive into `root`.
pub fn unpack(
    archive: &Path,
    root: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Extracted, String> {
    std::fs::create_dir_all(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let mut tar = decoder(archive)?;
    tar.set_preserve_permissions(true);
    tar.set_preserve_ownerships(nix::unistd::geteuid().is_root());
    tar.set_preserve_mtime(true);
    tar.set_overwrite(true);
    tar.set_unpack_xattrs(false);
    let mut done = Extracted::default();
    for entry in tar.entries().map_err(|e| e.to_string())? {
        let mut entry = entry.map_err(|e| format!("{}: {e}", archive.display()))?;
        if has_file_flags(&mut entry) {
            done.flags_skipped += 1;
        }
        let path = entry.path().map_err(|e| e.to_string())?.into_owned();
        let kind = entry.header().entry_type();
        if kind.is_hard_link() || kind.is_symlink() {
            // A link over an existing file (unpacking again): remove the
            // old one first, found inside the root whatever its symlinks.
            remove_existing(root, &path)?;
        }
        let written = entry.unpack_in(root).map_err(|e| {
            let cause = std::error::Error::source(&e).map_or(String::new(), |c| format!(": {c}"));
            format!("{}: {e}{cause}", path.display())
        })?;
        if !written {
            return Err(format!("{}: refused: outside the root", path.display()));
        }
        done.entries += 1;
        done.bytes += entry.header().size().unwrap_or(0);
        progress(done.bytes);
    }
    Ok(done)
}

fn remove_existing(root: &Path, path: &Path) -> Result<(), String> {
    let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
        return Ok(());
    };
    let parent = crate::exec::safe_path::resolve_in_root(root, &format!("/{}", parent.display()))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let target = parent.join(name);
    match std::fs::symlink_metadata(&target) {
        Ok(meta) if !meta.is_dir() => {
            std::fs::remove_file(&target).map_err(|e| format!("{}: {e}", target.display()))
        }
        _ => Ok(()),
    }
}

/// FreeBSD's tar records file flags in a pax `SCHILY.fflags` record.
fn has_file_flags<R: Read>(entry: &mut tar::Entry<R>) -> bool {
    let Ok(Some(extensions)) = entry.pax_extensions() else {
        return false;
    };
    extensions
        .flatten()
        .any(|e| e.key().is_ok_and(|k| k == "SCHILY.fflags"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_climb_out_or_start_at_root_are_outside() {
        assert!(stays_inside(Path::new("usr/bin/x")));
        assert!(stays_inside(Path::new("./a/../b")));
        assert!(!stays_inside(Path::new("../etc/passwd")));
        assert!(!stays_inside(Path::new("a/../../x")));
        assert!(!stays_inside(Path::new("/etc/passwd")));
    }
}
