//! Room to roll back in. A pool that is full refuses even a rollback on
//! zfs-fuse and other legacy (version-numbered) pools, which keep no slop
//! space; OpenZFS keeps some and needs none of this. On such a pool,
//! jailwright keeps a small reservation of its own, `POOL/jailwright-reserve`
//! (no mount, `reservation=16M`), and releases it to retry a rollback that
//! failed for lack of space, then takes it back.

use std::io;
use std::time::Duration;

pub const RESERVE: &str = "jailwright-reserve";
const SIZE: &str = "16M";
const LIMIT: Duration = Duration::from_secs(120);

fn zfs(args: &[&str]) -> io::Result<String> {
    command("zfs", args)
}

fn command(program: &str, args: &[&str]) -> io::Result<String> {
    super::command::stdout_of(program, args, LIMIT)
}

fn reserve_of(dataset: &str) -> String {
    let pool = dataset.split('/').next().unwrap_or(dataset);
    format!("{pool}/{RESERVE}")
}

/// Makes the reserve on a legacy pool that has none (best effort: a pool
/// without room for it goes without).
pub fn ensure(dataset: &str) {
    let pool = dataset.split('/').next().unwrap_or(dataset);
    // `zpool get version POOL` (zfs-fuse's zpool has no -H): a number on a
    // legacy pool, `-` on a pool with feature flags.
    let legacy = command("zpool", &["get", "version", pool]).is_ok_and(|out| {
        out.lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().nth(2))
            .is_some_and(|v| v.parse::<u32>().is_ok())
    });
    let reserve = reserve_of(dataset);
    if legacy && zfs(&["list", "-H", "-o", "name", &reserve]).is_err() {
        let reservation = format!("reservation={SIZE}");
        let _ = zfs(&[
            "create",
            "-o",
            "canmount=off",
            "-o",
            "mountpoint=none",
            "-o",
            &reservation,
            &reserve,
        ]);
    }
}

/// Runs `attempt`; when it fails for lack of space and the pool has a
/// reserve, runs it again with the reserve released, then takes the
/// reserve back.
pub fn with_room<T>(dataset: &str, mut attempt: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    match attempt() {
        Err(e) if e.to_string().contains("out of space") => {
            let reserve = reserve_of(dataset);
            if zfs(&["set", "reservation=none", &reserve]).is_err() {
                return Err(e);
            }
            let result = attempt();
            let _ = zfs(&["set", &format!("reservation={SIZE}"), &reserve]);
            result
        }
        other => other,
    }
}
