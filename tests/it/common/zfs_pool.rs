//! A file-backed zfs-fuse pool with one dataset holding a minimal root
//! (busybox as /bin/sh), for the end-to-end tests and the apply benchmark.
//! Needs root, `apt-get install zfs-fuse busybox-static` and a running
//! `zfs-fuse` daemon; without them it panics, saying why.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Pool {
    pub name: String,
    pub root: PathBuf,
    dir: Option<tempfile::TempDir>,
    /// One pool at a time: zfs-fuse wedged (commands stuck for good) when
    /// several tests created pools at once. The mutex keeps this process's
    /// tests apart, the flock every other test process's.
    _serial: std::sync::MutexGuard<'static, ()>,
    _across_processes: nix::fcntl::Flock<std::fs::File>,
}

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The file every test process locks while it has a pool.
const POOL_LOCK: &str = "/run/jailwright-test-zfs.lock";

/// Waits for the cross-process pool lock (opened without following a
/// symlink and never truncated).
fn lock_across_processes() -> nix::fcntl::Flock<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC)
        .open(POOL_LOCK)
        .unwrap_or_else(|e| panic!("{POOL_LOCK}: {e} (the zfs tests need root)"));
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive)
        .unwrap_or_else(|(_, e)| panic!("flock {POOL_LOCK}: {e}"))
}

/// How long a zfs or zpool command may take before the test fails.
const LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

pub fn sh(cmd: &str, args: &[&str]) -> std::process::Output {
    jailwright::exec::adapters::command::output_within(Command::new(cmd).args(args), LIMIT)
        .unwrap_or_else(|e| {
            panic!(
                "{cmd} {} failed ({e}): install zfs-fuse and busybox-static and start zfs-fuse",
                args.join(" ")
            )
        })
}

fn must(cmd: &str, args: &[&str]) {
    let out = sh(cmd, args);
    assert!(
        out.status.success(),
        "{cmd} {} failed (is the zfs-fuse daemon running?): {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Pool {
    /// A pool named `PREFIX<pid>x<n>` of `size` bytes.
    pub fn new(prefix: &str, size: u64) -> Pool {
        let serial = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let across_processes = lock_across_processes();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("{prefix}{}x{n}", std::process::id());
        let dir = tempfile::tempdir().unwrap();
        let image = dir.path().join("pool.img");
        std::fs::File::create(&image)
            .unwrap()
            .set_len(size)
            .unwrap();
        let mnt = dir.path().join("mnt");
        must(
            "zpool",
            &[
                "create",
                "-f",
                "-m",
                mnt.to_str().unwrap(),
                &name,
                image.to_str().unwrap(),
            ],
        );
        must("zfs", &["create", &format!("{name}/root")]);
        let root = mnt.join("root");
        busybox_root(&root);
        Pool {
            name,
            root,
            dir: Some(dir),
            _serial: serial,
            _across_processes: across_processes,
        }
    }

    /// Another dataset `POOL/NAME` holding a busybox root: its name and
    /// its mountpoint.
    pub fn add_root(&self, name: &str) -> (String, PathBuf) {
        let dataset = format!("{}/{name}", self.name);
        must("zfs", &["create", &dataset]);
        let root = self.root.parent().unwrap().join(name);
        busybox_root(&root);
        (dataset, root)
    }

    /// The dataset mounted at `root`.
    pub fn dataset(&self) -> String {
        format!("{}/root", self.name)
    }
}

/// A minimal root in `root`: busybox as /bin/sh, an empty /etc.
fn busybox_root(root: &Path) {
    std::fs::create_dir_all(root.join("bin")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("busybox-static is not installed");
    std::fs::copy(busybox, root.join("bin/busybox")).unwrap();
    std::os::unix::fs::symlink("busybox", root.join("bin/sh")).unwrap();
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Right after use a pool can report busy for a while: unmount it
        // and retry. The backing file must outlive the pool, or zfs-fuse
        // wedges, so on failure the temporary directory is kept.
        let _ = sh("zfs", &["unmount", "-f", &self.dataset()]);
        for _ in 0..60 {
            if sh("zpool", &["destroy", "-f", &self.name]).status.success() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        if let Some(dir) = self.dir.take() {
            eprintln!(
                "zpool {} is still busy: its image stays in {}",
                self.name,
                dir.keep().display()
            );
        }
    }
}
