//! A small builder that runs the real `jailwright` binary in a temporary
//! directory holding the files a test writes (after casey/just's tests).

#![allow(dead_code)]

pub mod http;
pub mod skip;
pub mod zfs_pool;

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Test {
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
    env_remove: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Where the binary runs (default: the test directory).
    current_dir: Option<PathBuf>,
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
    /// The codes of the findings of `lint --format json`, in order.
    pub fn codes(&self) -> Vec<String> {
        self.json()["diagnostics"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|d| d["code"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

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
            env: Vec::new(),
            env_remove: Vec::new(),
            stdin: None,
            current_dir: None,
        }
    }

    /// Runs the binary in `dir` instead of the test directory.
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.current_dir = Some(dir.to_path_buf());
        self
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

    /// Sets a variable in the binary's environment (NO_COLOR=1 is set
    /// unless removed).
    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.into(), value.into()));
        self
    }

    /// Removes a variable from the binary's environment.
    pub fn env_remove(mut self, name: &str) -> Self {
        self.env_remove.push(name.into());
        self
    }

    /// Bytes for the binary's standard input (default: none, /dev/null).
    pub fn stdin(mut self, bytes: impl AsRef<[u8]>) -> Self {
        self.stdin = Some(bytes.as_ref().to_vec());
        self
    }

    /// The command `run` starts, for tests that start it themselves.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jailwright"));
        command
            .args(&self.args)
            .current_dir(self.current_dir.as_deref().unwrap_or(self.dir.path()))
            .env("NO_COLOR", "1");
        for (name, value) in &self.env {
            command.env(name, value);
        }
        for name in &self.env_remove {
            command.env_remove(name);
        }
        command
    }

    pub fn run(&self) -> Output {
        use std::io::Write;
        use std::process::Stdio;
        let mut command = self.command();
        command
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("run jailwright");
        if let Some(bytes) = &self.stdin {
            let mut pipe = child.stdin.take().unwrap();
            // The binary may stop reading early; a closed pipe is fine.
            let _ = pipe.write_all(bytes);
        }
        child.wait_with_output().expect("run jailwright").into()
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

/// ShellCheck must be installed where ShellCheck's findings are tested.
pub fn require_shellcheck() {
    let found = std::process::Command::new("shellcheck")
        .arg("--version")
        .output()
        .is_ok();
    assert!(
        found,
        "shellcheck is not installed (apt-get install shellcheck): ShellCheck codes cannot be tested"
    );
}
