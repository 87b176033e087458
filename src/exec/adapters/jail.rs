//! A running FreeBSD jail: its root directory, from `jls`. Commands reach
//! the jail through the `jexec` prefixes the plan already carries, so the
//! jail's Target is a `HostTarget` on this root.

use std::path::PathBuf;
use std::process::Command;

/// Why a jail's root is not known.
#[derive(Debug, thiserror::Error)]
pub enum JailError {
    #[error("jls: {0} (a jail target needs FreeBSD)")]
    NoJls(std::io::Error),
    /// jls's own message (no such jail).
    #[error("{0}")]
    Jls(String),
}

/// A running jail's root (`jls -j J path`).
pub fn jail_root(jail: &str) -> Result<PathBuf, JailError> {
    let out = Command::new("jls")
        .args(["-j", jail, "path"])
        .output()
        .map_err(JailError::NoJls)?;
    if !out.status.success() {
        return Err(JailError::Jls(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// A running jail's addresses, as bastille reads them for `${JAIL_IP}` and
/// `${JAIL_IP6}` (`jls -j J ip4.addr ip6.addr`); `None` for each that the
/// jail has not, or when there is no `jls` (not FreeBSD).
pub fn jail_addresses(jail: &str) -> (Option<String>, Option<String>) {
    let Ok(out) = Command::new("jls")
        .args(["-j", jail, "ip4.addr", "ip6.addr"])
        .output()
    else {
        return (None, None);
    };
    if !out.status.success() {
        return (None, None);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut fields = text
        .split_whitespace()
        .map(|a| a.split(',').next().unwrap_or(a));
    let usable = |a: Option<&str>| a.filter(|a| !a.is_empty() && *a != "-").map(str::to_string);
    (usable(fields.next()), usable(fields.next()))
}
