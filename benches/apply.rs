//! `cargo bench --bench apply`: apply's cost on a real zfs-fuse root
//! (needs root, a running zfs-fuse daemon and busybox-static; prints
//! "skipped" otherwise). Figures only.
//!
//! 1. per-step overhead: 100 `CMD true` steps with a snapshot after each,
//!    against a shell loop of the same chroot and `zfs snapshot` commands;
//! 2. a re-run after editing the last of 20 steps (a transaction on a clone
//!    of step 19), and an unchanged re-run (up to date), against a full run.

#[path = "../tests/it/common/zfs_pool.rs"]
mod zfs_pool;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use zfs_pool::Pool;

fn ok(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn jailwright() -> PathBuf {
    // Built by cargo bench alongside this bench (target/release).
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("jailwright")
}

fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn apply(template: &Path, root: &Path, extra: &[&str]) {
    let status = Command::new(jailwright())
        .args([
            "apply",
            template.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "on",
        ])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

fn main() {
    if !ok("zpool", &["list"]) || !Path::new(&jailwright()).exists() {
        println!(
            "apply benchmarks skipped: needs root, a running zfs-fuse daemon, busybox-static and `cargo build --release`"
        );
        return;
    }
    let pool = Pool::new("jwbench", 512 << 20);
    let root = pool.root.clone();
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("Bastillefile");

    // 1. 100 steps through apply, against the same commands in a loop.
    std::fs::write(
        &tpl,
        (0..100)
            .map(|i| format!("CMD true {i}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let by_apply = timed(|| apply(&tpl, &root, &["--no-cache"]));
    let dataset = pool.dataset();
    let by_shell = timed(|| {
        for i in 0..100 {
            assert!(ok(
                "chroot",
                &[root.to_str().unwrap(), "/bin/sh", "-c", "true"]
            ));
            assert!(ok("zfs", &["snapshot", &format!("{dataset}@loop{i}")]));
        }
    });
    // The loop's snapshots are the bench's own: gone before apply runs
    // again (apply never destroys a snapshot it did not take).
    for i in (0..100).rev() {
        assert!(ok("zfs", &["destroy", &format!("{dataset}@loop{i}")]));
    }
    println!(
        "goal 4  100 CMD true steps: apply {:.0} ms ({:.1} ms/step), shell loop of chroot + zfs snapshot {:.0} ms ({:.1} ms/step): overhead {:.1} ms/step = {:.1} % (goal <= 10 %)",
        by_apply.as_secs_f64() * 1e3,
        by_apply.as_secs_f64() * 10.0,
        by_shell.as_secs_f64() * 1e3,
        by_shell.as_secs_f64() * 10.0,
        (by_apply.as_secs_f64() - by_shell.as_secs_f64()) * 10.0,
        (by_apply.as_secs_f64() / by_shell.as_secs_f64() - 1.0) * 100.0
    );

    // 2. A re-run after editing the last of 20 steps.
    let steps = |last: &str| {
        let mut t: String = (0..19).map(|i| format!("CMD echo {i} >> /log\n")).collect();
        t.push_str(&format!("CMD echo {last} >> /log\n"));
        t
    };
    std::fs::write(&tpl, steps("first")).unwrap();
    let full = timed(|| apply(&tpl, &root, &["--no-cache"]));
    std::fs::write(&tpl, steps("edited")).unwrap();
    let rerun = timed(|| apply(&tpl, &root, &[]));
    let unchanged = timed(|| apply(&tpl, &root, &[]));
    println!(
        "goal 4  20 steps: full run {:.0} ms, re-run after editing the last step {:.0} ms ({:.1}x faster; reused on a clone of step 19, committed), unchanged re-run {:.0} ms (up to date, nothing rolled back: {:.1}x faster; goal <= 50 ms)",
        full.as_secs_f64() * 1e3,
        rerun.as_secs_f64() * 1e3,
        full.as_secs_f64() / rerun.as_secs_f64(),
        unchanged.as_secs_f64() * 1e3,
        full.as_secs_f64() / unchanged.as_secs_f64()
    );
}
