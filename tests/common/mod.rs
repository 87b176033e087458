//! A small builder that runs the real `jailwright` binary in a temporary
//! directory holding the files a test writes (after casey/just's tests).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
}

pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// What a run of the binary printed, however it was started.
impl From<std::process::Output> for Output {
    fn from(out: std::process::Output) -> Self {
        Output {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl Test {
    pub fn new() -> Self {
        Test {
            dir: tempfile::tempdir().expect("temporary directory"),
            args: Vec::new(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (parents created) relative to the test directory.
    pub fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
        self
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.args.extend(args.iter().map(|s| s.to_string()));
        self
    }

    pub fn run(&self) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_jailwright"))
            .args(&self.args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run jailwright");
        out.into()
    }
}

/// The project's fixtures directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A jail root with busybox-static as `/bin/busybox` and the given applets
/// linked to it (`sh` always), and `/dev/null` and `/dev/zero` as real
/// devices (sh opens /dev/null for a background job). Needs root and
/// busybox-static; fails saying so otherwise.
pub fn busybox_root(at: &Path, applets: &[&str]) {
    let busybox = ["/bin/busybox", "/usr/bin/busybox"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("busybox-static is not installed: apt-get install busybox-static");
    std::fs::create_dir_all(at.join("bin")).unwrap();
    std::fs::create_dir_all(at.join("dev")).unwrap();
    std::fs::copy(busybox, at.join("bin/busybox")).unwrap();
    for applet in std::iter::once(&"sh").chain(applets.iter().filter(|a| **a != "sh")) {
        std::os::unix::fs::symlink("busybox", at.join("bin").join(applet)).unwrap();
    }
    for (name, minor) in [("null", "3"), ("zero", "5")] {
        let status = Command::new("mknod")
            .arg(at.join("dev").join(name))
            .args(["c", "1", minor])
            .status()
            .unwrap();
        assert!(status.success(), "mknod dev/{name} (needs root)");
    }
}
