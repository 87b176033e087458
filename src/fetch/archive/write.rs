//! An admitted entry written into the root, through `files::root`: the
//! root is opened once and every entry is placed from its descriptor, so
//! whatever the archive (or anything already in the root) made, no write
//! leaves it. Directories get their mode, owner and time at the end, as
//! tar does (a read-only directory is still filled, and its time is not
//! changed by the entries written into it).

use super::shape::{Kind, Planned};
use crate::files::root::{Attributes, Root};
use std::io::{self, Read};
use std::path::Path;

pub struct Writer {
    root: Root,
    /// Directories and their attributes, set at the end.
    dirs: Vec<(String, Attributes)>,
}

/// The mode, owner and time a header gives an entry.
pub fn attributes(header: &tar::Header) -> Attributes {
    Attributes {
        mode: header.mode().ok().map(|m| m & 0o7777),
        owner: header
            .uid()
            .ok()
            .zip(header.gid().ok())
            .and_then(|(u, g)| Some((u32::try_from(u).ok()?, u32::try_from(g).ok()?))),
        mtime: header.mtime().ok().and_then(|t| i64::try_from(t).ok()),
        durable: false,
    }
}

impl Writer {
    /// Opens `root` (created when missing: a path the admin gave).
    pub fn open(root: &Path) -> io::Result<Writer> {
        std::fs::create_dir_all(root)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", root.display())))?;
        Ok(Writer {
            root: Root::open(root)?,
            dirs: Vec::new(),
        })
    }

    /// Writes one entry; returns the bytes of file data written.
    pub fn write(
        &mut self,
        planned: &Planned,
        attributes: Attributes,
        data: &mut dyn Read,
    ) -> io::Result<u64> {
        let path = planned.path.as_str();
        match &planned.kind {
            Kind::Dir => {
                if !path.is_empty() {
                    // Writable by its owner until the end.
                    let mode = attributes.mode.unwrap_or(0o755) & 0o777 | 0o700;
                    self.root.create_dir_all_mode(path, mode)?;
                }
                self.dirs.push((path.to_string(), attributes));
                Ok(0)
            }
            Kind::File => self.root.replace_from(path, data, attributes),
            Kind::Symlink(target) => self.root.symlink(path, target).map(|()| 0),
            Kind::HardLink(target) => self.root.hard_link(target, path).map(|()| 0),
            Kind::Skip => Ok(0),
        }
    }

    /// Sets the directories' attributes, deepest first.
    pub fn finish(mut self) -> io::Result<()> {
        // The last entry for a directory wins, as in tar.
        self.dirs.reverse();
        self.dirs.sort_by(|a, b| b.0.cmp(&a.0));
        self.dirs.dedup_by(|a, b| a.0 == b.0);
        for (path, attributes) in &self.dirs {
            let attributes = Attributes {
                mode: attributes.mode.or(Some(0o755)),
                ..*attributes
            };
            self.root.set_attributes(path, attributes)?;
        }
        Ok(())
    }
}
