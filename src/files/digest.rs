//! What a copy would copy, as one sha256 (apply's cache key): every entry
//! under the source in a stable order with its path, kind, mode, a
//! symlink's target and a file's content, streamed (a 1 GB source is never
//! held in memory). Symlinks are not followed, the top one included (as
//! `cp -a` copies them), and a FIFO or a device is never opened.

use sha2::{Digest, Sha256};
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

/// The digest of a copy source; an error (a missing source) is part of
/// the digest, so the copy itself reports it.
pub fn of_tree(path: &Path) -> [u8; 32] {
    let mut h = Sha256::new();
    if let Err(e) = feed(path, &mut h) {
        h.update(b"error\0");
        h.update(e.to_string().as_bytes());
    }
    h.finalize().into()
}

fn feed(path: &Path, h: &mut Sha256) -> io::Result<()> {
    let walk = walkdir::WalkDir::new(path)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        let meta = entry.metadata().map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(path).unwrap_or(entry.path());
        h.update(rel.as_os_str().as_encoded_bytes());
        h.update(b"\0");
        h.update(meta.mode().to_le_bytes());
        let kind = meta.file_type();
        if kind.is_symlink() {
            h.update(b"link\0");
            h.update(
                std::fs::read_link(entry.path())?
                    .as_os_str()
                    .as_encoded_bytes(),
            );
        } else if kind.is_file() {
            h.update(b"file\0");
            h.update(meta.len().to_le_bytes());
            let mut file = super::read::open_regular_nofollow(entry.path())?;
            let mut buf = vec![0u8; 64 << 10];
            loop {
                let n = io::Read::read(&mut file, &mut buf)?;
                if n == 0 {
                    break;
                }
                h.update(&buf[..n]);
            }
        } else if kind.is_dir() {
            h.update(b"dir\0");
        } else if kind.is_fifo() || kind.is_char_device() || kind.is_block_device() {
            h.update(b"special\0");
        }
        h.update(b"\n");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    #[test]
    fn mode_and_symlink_target_change_the_digest() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        let before = of_tree(dir.path());
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let chmodded = of_tree(dir.path());
        assert_ne!(before, chmodded, "chmod 755 changes the key");
        symlink("a", dir.path().join("link")).unwrap();
        let linked = of_tree(dir.path());
        std::fs::remove_file(dir.path().join("link")).unwrap();
        symlink("b", dir.path().join("link")).unwrap();
        assert_ne!(
            linked,
            of_tree(dir.path()),
            "a retargeted link changes the key"
        );
    }

    #[test]
    fn a_top_level_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("usrlink");
        symlink("/proc", &link).unwrap();
        // Would hang or read gigabytes if followed.
        let a = of_tree(&link);
        std::fs::remove_file(&link).unwrap();
        symlink("/usr", &link).unwrap();
        assert_ne!(a, of_tree(&link));
    }
}
