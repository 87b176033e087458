//! Attacks found by the adversarial review of issue 13's defences, each
//! reproduced for real (busybox-static roots, real files and links; needs
//! root, as the other hostile tests).

mod common;

use common::Test;
use std::path::Path;
use std::process::Command;

fn busybox_root(at: &Path, applets: &[&str]) {
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("busybox-static is not installed: apt-get install busybox-static");
    std::fs::create_dir_all(at.join("bin")).unwrap();
    std::fs::create_dir_all(at.join("dev")).unwrap();
    std::fs::copy(busybox, at.join("bin/busybox")).unwrap();
    for applet in applets {
        std::os::unix::fs::symlink("busybox", at.join("bin").join(applet)).unwrap();
    }
    for (name, minor) in [("null", "3"), ("zero", "5")] {
        let status = Command::new("mknod")
            .arg(at.join("dev").join(name))
            .args(["c", "1", minor])
            .status()
            .unwrap();
        assert!(status.success(), "mknod dev/{name}");
    }
}

/// The largest resident set of the children this test process waited for,
/// in KiB (Linux reports ru_maxrss in KiB).
fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: nix::libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { nix::libc::getrusage(nix::libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss
}

/// A process in the root printing one endless line (no newline) must not
/// grow jailwright's memory with it: output lines are capped.
#[test]
fn a_step_printing_one_endless_line_cannot_exhaust_jailwrights_memory() {
    const BYTES: u64 = 768 << 20;
    let t = Test::new().file(
        "T/Bastillefile",
        format!("CMD head -c {BYTES} /dev/zero\n"),
    );
    let root = t.path().join("root");
    busybox_root(&root, &["sh", "head"]);
    let out: common::Output = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", "T/Bastillefile", "--root"])
        .arg(&root)
        .args(["--snapshots", "off"])
        .current_dir(t.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run jailwright")
        .into();
    let rss_mib = children_max_rss_kib() >> 10;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        rss_mib < 128,
        "jailwright grew to {rss_mib} MiB reading a {} MiB line",
        BYTES >> 20
    );
    assert!(
        out.stdout.len() < 1 << 20,
        "the endless line was printed whole: {} bytes",
        out.stdout.len()
    );
}
