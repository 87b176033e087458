//! A running FreeBSD jail: its root directory, from `jls`. Commands reach
//! the jail through the `jexec` prefixes the plan already carries, so the
//! jail's Target is a `HostTarget` on this root.

use std::path::PathBuf;
use std::process::Command;

/// A running jail's root (`jls -j J path`).
pub fn jail_root(jail: &str) -> Result<PathBuf, String> {
    let out = Command::new("jls")
        .args(["-j", jail, "path"])
        .output()
        .map_err(|e| format!("jls: {e} (a jail target needs FreeBSD)"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}
