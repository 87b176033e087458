//! Paths inside a jail's root that can never lead outside it.
//!
//! A jail's root belongs to the jail: any symlink in it may point anywhere
//! (`/etc -> /host/etc`, `../../..`). Every path jailwright writes to is
//! resolved component by component, each symlink followed *inside* the
//! root (an absolute target restarts at the root, `..` stops at it), the
//! way chroot(2) would see it. The result always lies under the root.

use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one resolution may follow (as the kernel's ELOOP).
const MAX_LINKS: usize = 40;

/// Resolves `inside` (a path as the jail sees it) to a host path under
/// `root`. Components that do not exist yet are taken as they are.
pub fn resolve_in_root(root: &Path, inside: &str) -> io::Result<PathBuf> {
    let mut links = 0;
    // The components still to walk, and the resolved ones so far
    // (relative to the root).
    let mut pending: Vec<String> = components(inside);
    pending.reverse();
    let mut resolved: Vec<String> = Vec::new();
    while let Some(part) = pending.pop() {
        match part.as_str() {
            "." | "" => continue,
            ".." => {
                resolved.pop();
                continue;
            }
            _ => {}
        }
        let candidate = join(root, &resolved).join(&part);
        match std::fs::symlink_metadata(&candidate) {
            Ok(meta) if meta.file_type().is_symlink() => {
                links += 1;
                if links > MAX_LINKS {
                    return Err(io::Error::other(format!(
                        "{inside}: too many levels of symbolic links inside the root"
                    )));
                }
                let target = std::fs::read_link(&candidate)?;
                let target = target.to_string_lossy().into_owned();
                if target.starts_with('/') {
                    resolved.clear();
                }
                let mut more = components(&target);
                more.reverse();
                pending.extend(more);
            }
            _ => resolved.push(part),
        }
    }
    Ok(join(root, &resolved))
}

fn components(path: &str) -> Vec<String> {
    Path::new(path)
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".into()),
            _ => None,
        })
        .collect()
}

fn join(root: &Path, parts: &[String]) -> PathBuf {
    parts.iter().fold(root.to_path_buf(), |p, c| p.join(c))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn hostile_symlinks_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        // Absolute and relative links, to directories and to files.
        symlink(&outside, root.join("abs-dir")).unwrap();
        symlink("../../outside", root.join("rel-dir")).unwrap();
        symlink(outside.join("f"), root.join("abs-file")).unwrap();
        symlink("../../../outside/f", root.join("etc/rel-file")).unwrap();
        symlink("/etc", root.join("jail-abs")).unwrap();
        symlink("loop", root.join("loop")).unwrap();
        for inside in [
            "abs-dir/x",
            "rel-dir/x",
            "abs-file",
            "etc/rel-file",
            "../../outside/f",
            "jail-abs/passwd",
        ] {
            let resolved = resolve_in_root(&root, inside).unwrap();
            assert!(
                resolved.starts_with(&root),
                "{inside} -> {}",
                resolved.display()
            );
        }
        assert_eq!(
            resolve_in_root(&root, "jail-abs/passwd").unwrap(),
            root.join("etc/passwd")
        );
        assert!(resolve_in_root(&root, "loop/x").is_err());
    }
}
