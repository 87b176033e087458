//! `jailwright.lock`: one line per remote source, `SOURCE<TAB>SHA256`,
//! sorted, written next to the template (or in the working directory for
//! a template given as a URL).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "jailwright.lock";

#[derive(Debug, Default)]
pub struct Lock {
    pub path: PathBuf,
    entries: BTreeMap<String, String>,
    changed: bool,
}

impl Lock {
    /// Reads the lock at `path` (empty when there is none).
    pub fn read(path: &Path) -> Result<Lock, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((source, sum)) = line.split_once('\t') else {
                return Err(format!(
                    "{}:{}: expected SOURCE<TAB>SHA256",
                    path.display(),
                    n + 1
                ));
            };
            entries.insert(source.to_string(), sum.trim().to_string());
        }
        Ok(Lock {
            path: path.to_path_buf(),
            entries,
            changed: false,
        })
    }

    pub fn get(&self, source: &str) -> Option<&str> {
        self.entries.get(source).map(String::as_str)
    }

    pub fn set(&mut self, source: &str, sum: &str) {
        if self.get(source) != Some(sum) {
            self.entries.insert(source.to_string(), sum.to_string());
            self.changed = true;
        }
    }

    /// Writes the lock when something changed.
    pub fn save(&self) -> Result<(), String> {
        if !self.changed {
            return Ok(());
        }
        let mut text =
            String::from("# jailwright.lock: the sha256 of every remote template source\n");
        for (source, sum) in &self.entries {
            text.push_str(&format!("{source}\t{sum}\n"));
        }
        crate::output::write_atomically(&self.path, text.as_bytes(), false)
            .map_err(|e| format!("{}: {e}", self.path.display()))
    }
}
