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
