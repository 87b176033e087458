//! Copies from the host (a template's files: untrusted) into a root (a
//! jail's, or convert's output directory), as `cp -a` does: a symlink is
//! copied as a symlink (also at the top: `CP link /x` copies the link), a
//! directory with everything under it, a file with its mode; a FIFO, a
//! device or a socket is refused, never opened.

use super::read;
use super::root::{Attributes, Kind, Root};
use std::fs::Metadata;
use std::io;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;

/// `cp -a FROM ROOT/TO`: into `TO/NAME` when `TO` is a directory there,
/// unless `contents` (an overlay: what is in `FROM` goes into `TO`).
pub fn copy_in(root: &Root, from: &Path, to: &str, contents: bool) -> io::Result<()> {
    let meta = std::fs::symlink_metadata(from).map_err(|e| in_path(from, e))?;
    let into_dir = root.kind(to)? == Some(Kind::Dir);
    let base = if into_dir && !(contents && meta.is_dir()) {
        format!("{}/{}", to.trim_end_matches('/'), file_name(from)?)
    } else {
        to.to_string()
    };
    if !meta.is_dir() {
        return copy_entry(root, from, &meta, &base);
    }
    let walk = walkdir::WalkDir::new(from)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name();
    for entry in walk {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).expect("under from");
        let inside = if rel.as_os_str().is_empty() {
            base.clone()
        } else {
            format!(
                "{}/{}",
                base.trim_end_matches('/'),
                utf8(entry.path(), rel)?
            )
        };
        let meta = entry.metadata().map_err(io::Error::other)?;
        copy_entry(root, entry.path(), &meta, &inside)?;
    }
    Ok(())
}

fn copy_entry(root: &Root, from: &Path, meta: &Metadata, inside: &str) -> io::Result<()> {
    let kind = meta.file_type();
    if kind.is_dir() {
        root.create_dir_all_mode(inside, meta.mode() & 0o7777)?;
        Ok(())
    } else if kind.is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| in_path(from, e))?;
        root.symlink(inside, target.as_os_str())
    } else if kind.is_file() {
        let mut file = read::open_regular_nofollow(from).map_err(|e| in_path(from, e))?;
        let attributes = Attributes {
            mode: Some(meta.mode() & 0o7777),
            owner: Some((meta.uid(), meta.gid())),
            mtime: Some(meta.mtime()),
            durable: false,
        };
        root.write_from(inside, &mut file, attributes).map(drop)
    } else {
        Err(special(from, meta))
    }
}

fn special(path: &Path, meta: &Metadata) -> io::Error {
    let kind = meta.file_type();
    let what = if kind.is_fifo() {
        "FIFO"
    } else if kind.is_char_device() {
        "character device"
    } else if kind.is_block_device() {
        "block device"
    } else {
        "socket"
    };
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{}: a {what}: only files, directories and symlinks are copied",
            path.display()
        ),
    )
}

fn file_name(path: &Path) -> io::Result<&str> {
    match path.file_name() {
        Some(name) => utf8(path, Path::new(name)),
        None => Ok(""),
    }
}

/// A name as a path inside the root takes it: UTF-8 (a lossy spelling
/// would name another entry, and two names could become one).
fn utf8<'a>(path: &Path, name: &'a Path) -> io::Result<&'a str> {
    name.to_str().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: a name that is not UTF-8: refused", path.display()),
        )
    })
}

fn in_path(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}
