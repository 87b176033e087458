//! The disk side of fmt and convert. Every file is written through a temporary
//! file renamed into place, so a crash never leaves half a file.

use std::io::{self, Write};
use std::path::Path;

/// Writes `bytes` to `path` atomically, with the given mode bits for a new
/// file (an existing file keeps its mode).
pub fn write_atomically(path: &Path, bytes: &[u8], executable: bool) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mode = match std::fs::metadata(path) {
        Ok(meta) => meta.permissions().mode(),
        Err(_) if executable => 0o755,
        Err(_) => 0o644,
    };
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.jailwright-tmp"));
    {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(mode))?;
    std::fs::rename(&tmp, path)
}

/// Copies a file or a directory tree (symlinks as symlinks) to `to`.
pub fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry.path().strip_prefix(from).expect("under from");
        let dest = if rel.as_os_str().is_empty() {
            to.to_path_buf()
        } else {
            to.join(rel)
        };
        let kind = entry.file_type();
        if kind.is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else if kind.is_symlink() {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let _ = std::fs::remove_file(&dest);
            std::os::unix::fs::symlink(std::fs::read_link(entry.path())?, &dest)?;
        } else {
            let meta = entry.metadata().map_err(io::Error::other)?;
            use std::os::unix::fs::PermissionsExt;
            let executable = meta.permissions().mode() & 0o111 != 0;
            write_atomically(&dest, &std::fs::read(entry.path())?, executable)?;
        }
    }
    Ok(())
}

/// Where jailwright keeps what it downloads: `$XDG_CACHE_HOME/jailwright`,
/// else `~/.cache/jailwright` (the temporary directory without a home).
pub fn cache_home() -> std::path::PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("jailwright")
}

/// Whether a copy source of a template is a directory on this host (a
/// relative source is looked up beside the template): what `convert` asks
/// to know how pot will copy it.
pub fn source_is_dir(template_dir: &Path) -> impl Fn(&str) -> bool + '_ {
    move |source: &str| {
        let path = Path::new(source);
        if path.is_absolute() {
            path.is_dir()
        } else {
            template_dir.join(path).is_dir()
        }
    }
}
