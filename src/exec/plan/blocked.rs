//! Why a step cannot be applied to its target, when the reason is the
//! command itself (apply refuses the plan and prints the reason).

/// A command apply will not run as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Blocked {
    #[error("CMD --chroot: chroot into {jail}'s root needs its path: apply to --root PATH")]
    ChrootIntoJail { jail: String },
    /// `runner`: the CMD option, lower case (`local`, `jaildir`...).
    #[error("cmd --{runner}: runs on the host, which apply does not do")]
    CmdOnHost { runner: String },
    #[error("PKG --local: installs on the host, which apply does not do")]
    PkgOnHost,
    #[error("MOUNT takes host_path jail_path [fstype options dump pass]")]
    MountUsage,
    #[error("MOUNT: invalid mount options: {options}")]
    MountOptions { options: String },
    #[error("MOUNT: invalid dump/pass: {dump} {pass}")]
    MountDumpPass { dump: String, pass: String },
    #[error(
        "MOUNT {from} ... {fstype}: bastille mounts only nullfs, a ZFS dataset, or tmpfs/linprocfs/linsysfs/procfs/fdescfs named as themselves (mount.sh:102-112)"
    )]
    MountType { from: String, fstype: String },
}
