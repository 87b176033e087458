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
        use crate::files::read::{TEMPLATE_CAP, read_regular};
        let text = match read_regular(path, TEMPLATE_CAP) {
            Ok(bytes) => {
                String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8", path.display()))?
            }
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
            let sum = sum.trim();
            // The hash names a directory of the cache: nothing else may.
            if !is_sha256(sum) {
                return Err(format!(
                    "{}:{}: {sum:?} is not a sha256 (64 lowercase hex digits)",
                    path.display(),
                    n + 1
                ));
            }
            entries.insert(source.to_string(), sum.to_string());
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

/// Whether `text` is a sha256 as jailwright writes it: 64 lowercase hex
/// digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_64_lowercase_hex_digits_are_a_hash() {
        assert!(is_sha256(&"ab".repeat(32)));
        assert!(!is_sha256(&"AB".repeat(32)));
        assert!(!is_sha256(&"a".repeat(63)));
        assert!(!is_sha256("../../../tmp/x"));
        assert!(!is_sha256(&format!("{}/", "a".repeat(63))));
    }

    #[test]
    fn a_lock_line_whose_hash_is_a_path_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "# c\nhttps://x/t.tar.gz\t../../../tmp/x\n").unwrap();
        let e = Lock::read(&path).unwrap_err();
        assert!(
            e.ends_with(":2: \"../../../tmp/x\" is not a sha256 (64 lowercase hex digits)"),
            "{e}"
        );
    }
}
