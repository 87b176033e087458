//! The disk side of fmt and convert. Every file is written through
//! `files::atomic` (a temporary file renamed into place, never through a
//! link), so a crash never leaves half a file.

use std::path::Path;

pub use crate::files::atomic::write_atomically;

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
