//! One apply per target at a time: an exclusive, non-blocking flock on a
//! file named after the root's canonical path, held until apply ends.

use nix::fcntl::{Flock, FlockArg};
use std::fs::File;
use std::path::Path;

pub struct TargetLock {
    _held: Flock<File>,
}

impl TargetLock {
    pub fn acquire(root: &Path) -> Result<TargetLock, String> {
        let canonical =
            std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
        let name: String = canonical
            .to_string_lossy()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let path = std::env::temp_dir().join(format!("jailwright-{name}.lock"));
        let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let held = Flock::lock(file, FlockArg::LockExclusiveNonblock).map_err(|_| {
            format!(
                "another apply is already running on {}",
                canonical.display()
            )
        })?;
        Ok(TargetLock { _held: held })
    }
}
