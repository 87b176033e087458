//! Tests that need what a machine may lack (root, a ZFS pool, the
//! upstream corpus) skip loudly without it: a line on the terminal that
//! libtest does not capture, and a line in the skip log that `.ci/test`
//! counts in its summary. CI sets `JAILWRIGHT_REQUIRE_ALL=1`: there a
//! missing prerequisite fails the test instead, so nothing is skipped
//! where everything can run.

#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

/// The log `.ci/test` reads (`JAILWRIGHT_SKIP_LOG`, else
/// `target/skipped-tests.log` of the workspace).
fn log_path() -> PathBuf {
    std::env::var_os("JAILWRIGHT_SKIP_LOG")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("skipped-tests.log")
        })
}

/// Whether the current test must be skipped because `ready` failed; says
/// so (or, under `JAILWRIGHT_REQUIRE_ALL`, fails the test).
pub fn lacks(ready: &Result<(), String>) -> bool {
    let Err(why) = ready else {
        return false;
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var_os("JAILWRIGHT_REQUIRE_ALL").is_some_and(|v| v != "0") {
        panic!("{test}: {why} (JAILWRIGHT_REQUIRE_ALL is set: every test must run here)");
    }
    // Straight to the process's stderr: libtest captures print macros,
    // not this, so the line shows even for a passing test.
    let line = format!("SKIPPED {test}: {why}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Ok(mut log) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path())
    {
        let _ = log.write_all(line.as_bytes());
    }
    true
}

/// Root, and a static busybox to build roots from (Linux: the roots are
/// busybox-static ones with Linux device numbers; FreeBSD's end-to-end
/// check is `.ci/freebsd-e2e`, with a real jail).
pub fn root_ready() -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Err("builds a Linux busybox-static root (FreeBSD: .ci/freebsd-e2e)".into());
    }
    let uid = std::process::Command::new("id").arg("-u").output();
    let root = uid.is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0");
    if !root {
        return Err("needs root (chroot, mknod, mount)".into());
    }
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .iter()
        .any(|p| std::path::Path::new(p).exists());
    if !busybox {
        return Err("needs busybox-static (`.ci/test` installs it as root)".into());
    }
    Ok(())
}

/// `root_ready`, and a zfs-fuse daemon that answers.
pub fn zfs_ready() -> Result<(), String> {
    static READY: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    READY
        .get_or_init(|| {
            root_ready()?;
            // A wedged daemon must not hang the test run.
            let answer = std::process::Command::new("timeout")
                .args(["60", "zpool", "list"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status();
            match answer {
                Ok(status) if status.success() => Ok(()),
                Ok(_) => Err(
                    "zpool list fails: install zfs-fuse and start its daemon (`.ci/zfs-fuse-up`)"
                        .into(),
                ),
                Err(_) => Err("no timeout(1) to run zpool list with".into()),
            }
        })
        .clone()
}
