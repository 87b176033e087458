//! `jailwright.lock`: one line per remote source, `SOURCE<TAB>SHA256`,
//! sorted, written next to the template (or in the working directory for
//! a template given as a URL).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "jailwright.lock";

/// Why a lock file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Reading or writing the lock file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    /// A line without a tab (`line` counts from 1).
    #[error("{}:{line}: expected SOURCE<TAB>SHA256", path.display())]
    Fields { path: PathBuf, line: usize },
    /// A hash that is not 64 lowercase hex digits.
    #[error("{}:{line}: {sum:?} is not a sha256 (64 lowercase hex digits)", path.display())]
    NotSha256 {
        path: PathBuf,
        line: usize,
        sum: String,
    },
}

#[derive(Debug, Default)]
pub struct Lock {
    pub path: PathBuf,
    entries: BTreeMap<String, String>,
    changed: bool,
}

impl Lock {
    /// Reads the lock at `path` (empty when there is none).
    pub fn read(path: &Path) -> Result<Lock, LockError> {
        use crate::files::read::{TEMPLATE_CAP, read_regular};
        let text = match read_regular(path, TEMPLATE_CAP) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| LockError::NotUtf8 {
                path: path.to_path_buf(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(LockError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        let mut entries = BTreeMap::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((source, sum)) = line.split_once('\t') else {
                return Err(LockError::Fields {
                    path: path.to_path_buf(),
                    line: n + 1,
                });
            };
            let sum = sum.trim();
            // The hash names a directory of the cache: nothing else may.
            if !is_sha256(sum) {
                return Err(LockError::NotSha256 {
                    path: path.to_path_buf(),
                    line: n + 1,
                    sum: sum.to_string(),
                });
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
    pub fn save(&self) -> Result<(), LockError> {
        if !self.changed {
            return Ok(());
        }
        let mut text =
            String::from("# jailwright.lock: the sha256 of every remote template source\n");
        for (source, sum) in &self.entries {
            text.push_str(&format!("{source}\t{sum}\n"));
        }
        crate::output::write_atomically(&self.path, text.as_bytes(), false).map_err(|source| {
            LockError::Io {
                path: self.path.clone(),
                source,
            }
        })
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
        let e = Lock::read(&path).unwrap_err().to_string();
        assert!(
            e.ends_with(":2: \"../../../tmp/x\" is not a sha256 (64 lowercase hex digits)"),
            "{e}"
        );
    }
}
