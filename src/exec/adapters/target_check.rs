//! What `apply --root` refuses before anything runs: a target that is not
//! a jail's root. `/` (or the host's root under another name: the same
//! device and inode) would have CMD run `chroot / ...` and SYSRC edit the
//! host's own rc.conf; a directory without `bin/sh` is not a root a
//! command can run in (a template that only copies files is fine).

use crate::exec::plan::{Action, Plan};
use crate::files::root::{Kind, Root};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// Why apply refuses a root.
#[derive(Debug, thiserror::Error)]
pub enum RootRefused {
    #[error("{}: {error}", path.display())]
    Unreadable {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
    #[error(
        "{} is the host's own root directory: apply works on a jail's root, never on the host",
        root.display()
    )]
    HostRoot { root: std::path::PathBuf },
    #[error(transparent)]
    Open(#[from] std::io::Error),
    #[error(
        "{} has no bin/sh: not a jail's root (bootstrap a release into it first, or give the right path)",
        root.display()
    )]
    NoShell { root: std::path::PathBuf },
}

/// Refuses the host's own root (`/`, or the same device and inode under
/// another name): checked before anything else happens.
pub fn refuse_host_root(root: &Path) -> Result<(), RootRefused> {
    let unreadable = |path: &Path| {
        let path = path.to_path_buf();
        move |error| RootRefused::Unreadable { path, error }
    };
    let meta = std::fs::metadata(root).map_err(unreadable(root))?;
    let host = std::fs::metadata("/").map_err(unreadable(Path::new("/")))?;
    if (meta.dev(), meta.ino()) == (host.dev(), host.ino()) {
        return Err(RootRefused::HostRoot {
            root: root.to_path_buf(),
        });
    }
    Ok(())
}

/// Refuses a root that is the host's, or that cannot run the plan's
/// commands.
pub fn check_root(root: &Path, plan: &Plan) -> Result<(), RootRefused> {
    refuse_host_root(root)?;
    let runs_commands = plan
        .steps
        .iter()
        .flat_map(|s| &s.actions)
        .any(|a| matches!(a, Action::Run { .. }));
    if runs_commands {
        let opened = Root::open(root)?;
        if opened.kind("/bin/sh").ok().flatten() != Some(Kind::File) {
            return Err(RootRefused::NoShell {
                root: root.to_path_buf(),
            });
        }
    }
    Ok(())
}
