//! The host's resolver configuration copied into a new root, as bastille
//! and pot do for a new jail. The host's file is read as a regular file of
//! bounded size; it is written through `files::root`, so an `etc` (or an
//! `etc/resolv.conf`) that the release made a symlink is followed inside
//! the root, as the jail will see it, never on the host.

use crate::files::read::read_regular;
use crate::files::root::{Attributes, Root};
use std::io;
use std::path::Path;

/// The host's resolver configuration.
pub const HOST_FILE: &str = "/etc/resolv.conf";

/// Far more than any resolv.conf.
const CAP: u64 = 1 << 20;

/// Copies `HOST_FILE` to `etc/resolv.conf` inside `root`; `Ok(false)`
/// when the host has none.
pub fn copy_into(root: &Path) -> io::Result<bool> {
    let bytes = match read_regular(Path::new(HOST_FILE), CAP) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let attributes = Attributes {
        mode: Some(0o644),
        ..Attributes::default()
    };
    Root::open(root)?.write("etc/resolv.conf", &bytes, attributes)?;
    Ok(true)
}
