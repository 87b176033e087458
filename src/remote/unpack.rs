//! A remote template's archive unpacked into the cache. It is checked
//! first (shape and caps, as a release is: `fetch::archive`), unpacked
//! into a staging directory, and must hold a template (a Bastillefile, a
//! Makejail, Bastille hook files or a pot flavour) before it is renamed
//! into place: a refused archive leaves nothing in the cache, and is never
//! pinned in jailwright.lock.
//!
//! The caps are `Caps::TEMPLATE` (256 MiB, 100 times the archive's size,
//! 100,000 entries); `JAILWRIGHT_MAX_UNPACKED` (a size: `1G`),
//! `JAILWRIGHT_MAX_RATIO` and `JAILWRIGHT_MAX_ENTRIES` raise them.

use super::RemoteError;
use crate::fetch::archive::{Archive, Caps, caps::parse_size};
use std::path::{Path, PathBuf};

/// The caps for template archives, as the environment sets them.
pub fn template_caps() -> Result<Caps, RemoteError> {
    let mut caps = Caps::TEMPLATE;
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(v) = var("JAILWRIGHT_MAX_UNPACKED") {
        caps.max_bytes = parse_size(&v).map_err(RemoteError::MaxUnpacked)?;
    }
    for (name, field) in [
        ("JAILWRIGHT_MAX_RATIO", &mut caps.max_ratio),
        ("JAILWRIGHT_MAX_ENTRIES", &mut caps.max_entries),
    ] {
        if let Some(v) = var(name) {
            *field = v
                .trim()
                .parse()
                .map_err(|_| RemoteError::NotANumber { name, value: v })?;
        }
    }
    Ok(caps)
}

/// Unpacks `archive` as `tree` (in the cache), whole and holding a
/// template, or not at all.
pub fn unpack_template(archive: &Archive, tree: &Path) -> Result<(), RemoteError> {
    let caps = template_caps()?;
    archive.check(&caps)?;
    let name = tree
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = tree.with_file_name(format!(".{name}.partial"));
    let _ = std::fs::remove_dir_all(&staging);
    let result = archive
        .unpack(&staging, &caps, &mut |_| {})
        .map_err(RemoteError::from)
        .and_then(|_| holds_template(&staging))
        .and_then(|()| place(&staging, tree));
    // Gone once renamed; a refused archive's files removed.
    let _ = std::fs::remove_dir_all(&staging);
    result
}

/// Renames the staging directory into place.
fn place(staging: &Path, tree: &Path) -> Result<(), RemoteError> {
    match std::fs::rename(staging, tree) {
        Ok(()) => Ok(()),
        // Another run unpacked the same content meanwhile.
        Err(_) if tree.is_dir() => Ok(()),
        Err(e) => Err(RemoteError::io(tree)(e)),
    }
}

/// Whether the unpacked tree (or its one top directory) holds a template
/// jailwright reads: looked at with `lstat`, a symlink is not one.
fn holds_template(tree: &Path) -> Result<(), RemoteError> {
    let dir = super::template_dir(tree);
    let regular = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file());
    let named = |name: &str| regular(&dir.join(name));
    let found = named("Bastillefile")
        || crate::dialect::bastille::legacy::HOOKS
            .iter()
            .any(|h| named(h))
        || files_in(&dir).iter().filter(|p| regular(p)).any(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            crate::dialect::is_makejail_name(name) || crate::dialect::pot::is_flavour(p)
        });
    if found {
        Ok(())
    } else {
        Err(RemoteError::NoTemplate {
            dir: dir
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
        })
    }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_a_regular_file_with_a_template_name() {
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().join("repo-HEAD");
        std::fs::create_dir(&top).unwrap();
        std::fs::write(top.join("README"), "x").unwrap();
        assert!(holds_template(dir.path()).is_err());
        std::os::unix::fs::symlink("/etc/hostname", top.join("Bastillefile")).unwrap();
        assert!(holds_template(dir.path()).is_err(), "a symlink is not one");
        std::fs::write(top.join("nginx.makejail"), "PKG nginx\n").unwrap();
        assert!(holds_template(dir.path()).is_ok());
    }
}
