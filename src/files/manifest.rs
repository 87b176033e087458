//! What a root holds, as one digest: every entry's path, kind, mode,
//! owner, size, modification and change times and inode, never its
//! contents (a write changes a file's ctime, which no one can set back).
//! apply records it with a run's last snapshot and compares it on the next
//! run: a different digest means the jail wrote something since, which a
//! rollback would destroy. (OpenZFS has `written@SNAPSHOT`; zfs-fuse has
//! neither it nor `zfs diff`, and `written` also counts atime updates.)

use sha2::{Digest, Sha256};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The digest of the tree at `root` (symlinks not followed, `.zfs` left
/// out), as 64 hex digits.
pub fn of_root(root: &Path) -> io::Result<String> {
    let mut h = Sha256::new();
    let walk = walkdir::WalkDir::new(root)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !(e.depth() == 1 && e.file_name() == ".zfs"));
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        let meta = entry.metadata().map_err(io::Error::other)?;
        h.update(entry.path().as_os_str().as_encoded_bytes());
        h.update(b"\0");
        for n in [
            u64::from(meta.mode()),
            u64::from(meta.uid()),
            u64::from(meta.gid()),
            meta.size(),
            meta.ino(),
            meta.mtime() as u64,
            meta.mtime_nsec() as u64,
            meta.ctime() as u64,
            meta.ctime_nsec() as u64,
        ] {
            h.update(n.to_le_bytes());
        }
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_a_new_file_or_a_chmod_changes_the_digest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("var/db")).unwrap();
        let a = of_root(dir.path()).unwrap();
        assert_eq!(a, of_root(dir.path()).unwrap(), "stable");
        std::fs::write(dir.path().join("var/db/data.sql"), "x").unwrap();
        let b = of_root(dir.path()).unwrap();
        assert_ne!(a, b);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.path().join("var/db/data.sql"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        assert_ne!(b, of_root(dir.path()).unwrap());
    }
}
