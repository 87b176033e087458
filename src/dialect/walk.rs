//! Finding the templates under a directory (`lint DIR`, `fmt DIR`).
//!
//! The walk does not follow symlinks. A symlink that names a template is
//! reported as such: inside the tree when its real path is in the walked
//! directory, outside otherwise (a `Bastillefile -> /etc/shadow` in a
//! repository being linted must not be read). Content-based detection (a
//! pot flavour without a `.sh` beside it) reads only the start of a regular
//! file, and never through a symlink out of the tree.

use super::scope::Scope;
use super::{bastille, is_flavour, is_makejail_name};
use std::path::{Path, PathBuf};

/// A template found by a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A template file or directory, or the path the walk started from
    /// when it is not a directory.
    Template(PathBuf),
    /// A symlink to a template inside the walked directory.
    LinkInside(PathBuf),
    /// A symlink that leads out of the walked directory: not to be read.
    LinkOutside(PathBuf),
}

impl Found {
    pub fn path(&self) -> &Path {
        match self {
            Found::Template(p) | Found::LinkInside(p) | Found::LinkOutside(p) => p,
        }
    }
}

/// Every template under `path`: the path itself if it is not a directory,
/// else each Bastillefile, Makejail, pot flavour and legacy hook directory
/// found by walking it (hidden entries skipped), in name order.
pub fn walk(path: &Path) -> Vec<Found> {
    if !path.is_dir() {
        return vec![Found::Template(path.to_path_buf())];
    }
    // A directory that cannot be resolved holds nothing that can be read.
    let Ok(scope) = Scope::within(path) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let entries = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in entries.flatten() {
        let p = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            if bastille::legacy::is_legacy_dir(p) {
                found.push(Found::Template(p.to_path_buf()));
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let by_name = name == "Bastillefile" || is_makejail_name(&name) || flavour_by_name(p);
        if !kind.is_symlink() {
            if by_name || is_flavour(p) {
                found.push(Found::Template(p.to_path_buf()));
            }
        } else if scope.contains(p) {
            if by_name || is_flavour(p) {
                found.push(Found::LinkInside(p.to_path_buf()));
            }
        } else if by_name {
            found.push(Found::LinkOutside(p.to_path_buf()));
        }
    }
    found
}

/// The templates `walk` finds that may be read: every template and every
/// symlink to one inside the tree.
pub fn discover(path: &Path) -> Vec<PathBuf> {
    walk(path)
        .into_iter()
        .filter(|f| !matches!(f, Found::LinkOutside(_)))
        .map(|f| f.path().to_path_buf())
        .collect()
}

/// A pot flavour by its name alone: `Potfile`, or a name without a dot
/// with a `NAME.sh` beside it.
fn flavour_by_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    !name.contains('.')
        && (name == "Potfile" || path.with_file_name(format!("{name}.sh")).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn symlinks_are_told_apart_by_where_they_lead() {
        let dir = tempfile::tempdir().unwrap();
        let tree = dir.path().join("tree");
        for d in ["a", "b", "c"] {
            std::fs::create_dir_all(tree.join(d)).unwrap();
        }
        std::fs::write(dir.path().join("secret"), "PKG x\n").unwrap();
        std::fs::write(tree.join("a/Bastillefile"), "PKG x\n").unwrap();
        symlink("../a/Bastillefile", tree.join("b/Bastillefile")).unwrap();
        symlink(dir.path().join("secret"), tree.join("c/Bastillefile")).unwrap();
        // A dotless symlink out of the tree is not peeked at.
        symlink(dir.path().join("secret"), tree.join("c/web")).unwrap();
        assert_eq!(
            walk(&tree),
            vec![
                Found::Template(tree.join("a/Bastillefile")),
                Found::LinkInside(tree.join("b/Bastillefile")),
                Found::LinkOutside(tree.join("c/Bastillefile")),
            ]
        );
        assert_eq!(discover(&tree).len(), 2);
    }
}
