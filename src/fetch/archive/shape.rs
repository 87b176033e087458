//! The shape of an archive: what each entry is and where it goes, judged
//! from the entries before it, without writing anything. Every shape the
//! unpacking pass could not write is refused here, so that a bad archive is
//! refused before anything is written (never half unpacked):
//!
//! * a path that is absolute, has a `..` component anywhere (even one that
//!   stays inside), is not UTF-8, or is longer than FreeBSD's PATH_MAX
//!   (a component longer than NAME_MAX);
//! * a path through a symlink or a file the archive made earlier (a
//!   directory where the archive put a file, or a file where it put a
//!   directory: tar would fail half way);
//! * a hard link to anything but an earlier regular file of the archive
//!   (never to a path on the host, never through a symlink);
//! * FIFOs, devices, sockets and entry types jailwright does not know: a
//!   FreeBSD release's distribution files hold none (devfs makes /dev), nor
//!   does a template.
//!
//! A symlink's own target may be anything: it is only ever followed inside
//! the root (files::root).

use std::collections::HashMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use tar::EntryType;

/// FreeBSD's PATH_MAX and NAME_MAX.
pub const MAX_PATH: usize = 1024;
pub const MAX_NAME: usize = 255;

/// What an entry becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Dir,
    File,
    Symlink(OsString),
    /// A hard link to the earlier entry at this path.
    HardLink(String),
    /// Nothing (a pax global header).
    Skip,
}

/// An entry admitted: its path inside the root (`""` is the root itself,
/// components joined by `/`, no `.`) and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: String,
    pub kind: Kind,
}

/// An entry refused: its path as the archive spells it, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("refused: entry {entry} {why}")]
pub struct ShapeError {
    pub entry: String,
    pub why: Refusal,
}

/// Why an entry is refused (the words after its path).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("is not UTF-8")]
    NotUtf8,
    #[error("is longer than {MAX_PATH} bytes")]
    PathTooLong,
    #[error("is absolute")]
    Absolute,
    #[error("has a `..` component")]
    DotDot,
    #[error("has a name longer than {MAX_NAME} bytes")]
    NameTooLong,
    #[error("is a symlink to nothing")]
    SymlinkToNothing,
    #[error("is a symlink whose target is longer than {MAX_PATH} bytes")]
    SymlinkTooLong,
    /// A hard link whose target path is refused.
    #[error("is a hard link whose target {0}")]
    LinkTarget(Box<Refusal>),
    /// A FIFO, a device or a type jailwright does not know.
    #[error("is {}", type_name(*.0))]
    Type(EntryType),
    #[error("names the root itself")]
    RootItself,
    #[error("replaces a directory the archive made")]
    ReplacesDir,
    #[error("is a directory where the archive made a file or a symlink")]
    DirOverFile,
    #[error("would be written through the symlink {0} the archive made")]
    ThroughSymlink(String),
    #[error("would be written under the file {0}")]
    UnderFile(String),
    #[error("is a hard link to itself")]
    LinkToItself,
    #[error("is a hard link through the symlink {0} the archive made")]
    LinkThroughSymlink(String),
    #[error("is a hard link under the file {0}")]
    LinkUnderFile(String),
    #[error("is a hard link to the symlink {0}")]
    LinkToSymlink(String),
    #[error("is a hard link to the directory {0}")]
    LinkToDir(String),
    #[error("is a hard link to {0}, which is not an earlier file of the archive")]
    LinkToUnknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Dir,
    File,
    Symlink,
}

/// The entries admitted so far.
#[derive(Debug, Default)]
pub struct Shape {
    seen: HashMap<String, Seen>,
}

impl Shape {
    /// Judges the next entry: `path` and `link` as the archive spells them.
    pub fn admit(
        &mut self,
        path: &[u8],
        kind: EntryType,
        link: Option<&[u8]>,
    ) -> Result<Planned, ShapeError> {
        let shown = String::from_utf8_lossy(path).into_owned();
        let refuse = |why: Refusal| ShapeError {
            entry: shown.clone(),
            why,
        };
        let path = normal(path).map_err(refuse)?;
        let planned = match kind {
            EntryType::Regular | EntryType::Continuous | EntryType::GNUSparse => Kind::File,
            EntryType::Directory => Kind::Dir,
            EntryType::Symlink => Kind::Symlink(symlink_target(link).map_err(refuse)?),
            EntryType::Link => {
                let target = normal(link.unwrap_or_default())
                    .map_err(|why| refuse(Refusal::LinkTarget(Box::new(why))))?;
                Kind::HardLink(target)
            }
            EntryType::XGlobalHeader => Kind::Skip,
            other => return Err(refuse(Refusal::Type(other))),
        };
        if planned == Kind::Skip {
            return Ok(Planned {
                path,
                kind: planned,
            });
        }
        self.through(&path).map_err(refuse)?;
        if let Kind::HardLink(target) = &planned {
            self.link_target(&path, target).map_err(refuse)?;
        }
        let now = match planned {
            Kind::Dir => Seen::Dir,
            Kind::Symlink(_) => Seen::Symlink,
            _ => Seen::File,
        };
        if path.is_empty() && now != Seen::Dir {
            return Err(refuse(Refusal::RootItself));
        }
        match (self.seen.get(&path), now) {
            (Some(Seen::Dir), Seen::Dir) | (None, _) => {}
            (Some(Seen::Dir), _) => {
                return Err(refuse(Refusal::ReplacesDir));
            }
            (Some(_), Seen::Dir) => {
                return Err(refuse(Refusal::DirOverFile));
            }
            (Some(_), _) => {}
        }
        self.seen.insert(path.clone(), now);
        Ok(Planned {
            path,
            kind: planned,
        })
    }

    /// Every directory above `path` must be a directory: never a symlink
    /// or a file the archive made. The missing ones become directories.
    fn through(&mut self, path: &str) -> Result<(), Refusal> {
        let mut at = 0;
        while let Some(slash) = path[at..].find('/') {
            let prefix = &path[..at + slash];
            match self.seen.get(prefix) {
                Some(Seen::Symlink) => {
                    return Err(Refusal::ThroughSymlink(prefix.to_string()));
                }
                Some(Seen::File) => return Err(Refusal::UnderFile(prefix.to_string())),
                Some(Seen::Dir) => {}
                None => {
                    self.seen.insert(prefix.to_string(), Seen::Dir);
                }
            }
            at += slash + 1;
        }
        Ok(())
    }

    /// A hard link's target: an earlier regular file of the archive.
    fn link_target(&self, path: &str, target: &str) -> Result<(), Refusal> {
        if target == path {
            return Err(Refusal::LinkToItself);
        }
        let mut at = 0;
        while let Some(slash) = target[at..].find('/') {
            let prefix = &target[..at + slash];
            match self.seen.get(prefix) {
                Some(Seen::Symlink) => {
                    return Err(Refusal::LinkThroughSymlink(prefix.to_string()));
                }
                Some(Seen::File) => return Err(Refusal::LinkUnderFile(prefix.to_string())),
                _ => {}
            }
            at += slash + 1;
        }
        match self.seen.get(target) {
            Some(Seen::File) => Ok(()),
            Some(Seen::Symlink) => Err(Refusal::LinkToSymlink(target.to_string())),
            Some(Seen::Dir) => Err(Refusal::LinkToDir(target.to_string())),
            None => Err(Refusal::LinkToUnknown(target.to_string())),
        }
    }
}

/// An archive path as a path inside the root (see the module's rules).
fn normal(path: &[u8]) -> Result<String, Refusal> {
    let text = std::str::from_utf8(path).map_err(|_| Refusal::NotUtf8)?;
    if text.len() > MAX_PATH {
        return Err(Refusal::PathTooLong);
    }
    if text.starts_with('/') {
        return Err(Refusal::Absolute);
    }
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(Refusal::DotDot),
            p if p.len() > MAX_NAME => return Err(Refusal::NameTooLong),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn symlink_target(link: Option<&[u8]>) -> Result<OsString, Refusal> {
    let target = link.unwrap_or_default();
    if target.is_empty() {
        return Err(Refusal::SymlinkToNothing);
    }
    if target.len() > MAX_PATH {
        return Err(Refusal::SymlinkTooLong);
    }
    Ok(OsString::from_vec(target.to_vec()))
}

fn type_name(kind: EntryType) -> String {
    match kind {
        EntryType::Fifo => "a FIFO (a release or a template holds none)".into(),
        EntryType::Char => "a character device (a release or a template holds none)".into(),
        EntryType::Block => "a block device (a release or a template holds none)".into(),
        other => format!(
            "of a type jailwright does not unpack ({:?})",
            other.as_byte() as char
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admit(
        shape: &mut Shape,
        path: &str,
        kind: EntryType,
        link: &str,
    ) -> Result<Kind, ShapeError> {
        shape
            .admit(path.as_bytes(), kind, Some(link.as_bytes()))
            .map(|p| p.kind)
    }

    #[test]
    fn paths_are_normalised_and_dotdot_is_refused_anywhere() {
        let mut s = Shape::default();
        let p = s.admit(b"./usr//bin/x", EntryType::Regular, None).unwrap();
        assert_eq!(p.path, "usr/bin/x");
        assert_eq!(s.admit(b"./", EntryType::Directory, None).unwrap().path, "");
        for bad in ["bin/../s/x", "../x", "/etc/passwd", "a/.."] {
            assert!(
                s.admit(bad.as_bytes(), EntryType::Regular, None).is_err(),
                "{bad}"
            );
        }
        assert!(s.admit(&[b'a', 0xff], EntryType::Regular, None).is_err());
        let long = "a/".repeat(600);
        assert!(s.admit(long.as_bytes(), EntryType::Regular, None).is_err());
        let name = "n".repeat(256);
        assert!(s.admit(name.as_bytes(), EntryType::Regular, None).is_err());
        assert!(
            s.admit(b"", EntryType::Regular, None).is_err(),
            "root as a file"
        );
    }

    #[test]
    fn nothing_goes_through_a_symlink_or_a_file_the_archive_made() {
        let mut s = Shape::default();
        admit(&mut s, "etc", EntryType::Symlink, "/elsewhere").unwrap();
        assert!(admit(&mut s, "etc/x", EntryType::Regular, "").is_err());
        assert!(admit(&mut s, "etc", EntryType::Directory, "").is_err());
        admit(&mut s, "f", EntryType::Regular, "").unwrap();
        assert!(admit(&mut s, "f/x", EntryType::Regular, "").is_err());
        admit(&mut s, "d/x", EntryType::Regular, "").unwrap();
        assert!(admit(&mut s, "d", EntryType::Regular, "").is_err());
        assert!(admit(&mut s, "d", EntryType::Symlink, "/").is_err());
        // Replacing a file or a link by a file or a link is what tar does.
        admit(&mut s, "f", EntryType::Symlink, "x").unwrap();
        admit(&mut s, "etc", EntryType::Regular, "").unwrap();
    }

    #[test]
    fn hard_links_only_to_earlier_files() {
        let mut s = Shape::default();
        admit(&mut s, "bin/tool", EntryType::Regular, "").unwrap();
        admit(&mut s, "s", EntryType::Symlink, "/outside").unwrap();
        admit(&mut s, "bin/again", EntryType::Link, "./bin/tool").unwrap();
        admit(&mut s, "bin/third", EntryType::Link, "bin/again").unwrap();
        for bad in [
            "s/secret",
            "s",
            "bin",
            "../etc/shadow",
            "/etc/shadow",
            "later",
        ] {
            assert!(admit(&mut s, "x", EntryType::Link, bad).is_err(), "{bad}");
        }
        assert!(admit(&mut s, "bin/tool", EntryType::Link, "bin/tool").is_err());
        let e = admit(&mut s, "x", EntryType::Link, "../etc/shadow").unwrap_err();
        assert_eq!(
            e.to_string(),
            "refused: entry x is a hard link whose target has a `..` component"
        );
    }

    #[test]
    fn special_files_are_refused() {
        let mut s = Shape::default();
        for kind in [
            EntryType::Fifo,
            EntryType::Char,
            EntryType::Block,
            EntryType::new(b'V'),
        ] {
            assert!(admit(&mut s, "x", kind, "").is_err(), "{kind:?}");
        }
        assert_eq!(
            admit(&mut s, "pax_global_header", EntryType::XGlobalHeader, ""),
            Ok(Kind::Skip)
        );
    }
}
