//! Finding the templates under a directory (`lint DIR`, `fmt DIR`).
//!
//! The walk does not follow symlinks. A symlink that names a template is
//! reported as such: inside the tree when its real path is in the walked
//! directory, outside otherwise (a `Bastillefile -> /etc/shadow` in a
//! repository being linted must not be read). Content-based detection (a
//! pot flavour without a `.sh` beside it) reads only the start of a regular
//! file, and never through a symlink out of the tree.

use super::pot::{is_flavour, is_flavour_known};
use super::scope::Scope;
use super::{bastille, is_makejail_name};
use rustc_hash::FxHashMap;
use std::ffi::OsStr;
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
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
        .collect();
    // What each directory holds, from the walk's own listing: no file is
    // looked up again to learn what the listing said.
    let listing = Listing::of(&entries);
    for entry in &entries {
        let p = entry.path();
        let kind = entry.file_type();
        if kind.is_dir() {
            if listing.is_legacy_dir(p) {
                found.push(Found::Template(p.to_path_buf()));
            }
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let sh_beside = || listing.has_file(p.parent(), &format!("{name}.sh"));
        let by_name = name == "Bastillefile"
            || is_makejail_name(&name)
            || (!name.contains('.') && (name == "Potfile" || sh_beside()));
        if !kind.is_symlink() {
            if by_name || is_flavour_known(p, kind.is_file(), sh_beside) {
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

/// The names in each directory of a walk: all of them, and which are
/// regular files or symlinks (whose target decides, looked up when asked).
struct Listing<'w> {
    /// By directory (its path's bytes: hashing a `Path` walks its
    /// components), by name.
    names: FxHashMap<&'w OsStr, FxHashMap<&'w OsStr, walkdir::DirEntry>>,
}

impl<'w> Listing<'w> {
    fn of(entries: &'w [walkdir::DirEntry]) -> Listing<'w> {
        let mut names: FxHashMap<&OsStr, FxHashMap<&OsStr, walkdir::DirEntry>> =
            FxHashMap::default();
        for entry in entries.iter().filter(|e| e.depth() > 0) {
            if let Some(parent) = entry.path().parent() {
                names
                    .entry(parent.as_os_str())
                    .or_default()
                    .insert(entry.file_name(), entry.clone());
            }
        }
        Listing { names }
    }

    /// Whether `dir` holds `name` as a regular file (or a symlink to one).
    fn has_file(&self, dir: Option<&Path>, name: &str) -> bool {
        let Some(entry) = dir.and_then(|d| self.names.get(d.as_os_str())?.get(OsStr::new(name)))
        else {
            return false;
        };
        let kind = entry.file_type();
        kind.is_file() || (kind.is_symlink() && entry.path().is_file())
    }

    /// `bastille::legacy::is_legacy_dir`, from the listing: a hook file
    /// and no Bastillefile.
    fn is_legacy_dir(&self, dir: &Path) -> bool {
        let Some(names) = self.names.get(dir.as_os_str()) else {
            return false;
        };
        // A Bastillefile that leads nowhere (a dangling symlink) is none.
        let bastillefile = names
            .get(OsStr::new("Bastillefile"))
            .is_some_and(|e| !e.file_type().is_symlink() || e.path().exists());
        !bastillefile
            && bastille::legacy::HOOKS
                .iter()
                .any(|hook| self.has_file(Some(dir), hook))
    }
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
