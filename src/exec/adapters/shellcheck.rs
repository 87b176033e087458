//! Running ShellCheck (the only I/O of JW901). Each template's shell text
//! is one script; the scripts of a whole lint run are checked together:
//! written to files in a private temporary directory and given to a few
//! `shellcheck -s sh -f json1 FILE...` runs, one per core, each with a
//! share of the bytes. Answers are cached by content: the key is the
//! SHA-256 of ShellCheck's version and the script, the value ShellCheck's
//! json1 answer for that script alone, in
//! `$XDG_CACHE_HOME/jailwright/shellcheck/` (a directory only its owner
//! can write; any other is not used), so an unchanged repository is linted
//! again without running ShellCheck.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The most bytes of script one ShellCheck run is given (it analyses about
/// 50 KB a CPU-second): larger sets are split so every core has work.
const BATCH_BYTES: usize = 256 << 10;

/// The most a cached answer may be.
const ANSWER_CAP: u64 = 16 << 20;

/// Where answers are cached, or `None` for no cache.
pub struct Cache(Option<PathBuf>);

impl Cache {
    /// The cache under `$XDG_CACHE_HOME/jailwright` (or `~/.cache`), when
    /// that directory is ours alone; `None` when `enabled` is false.
    pub fn open(enabled: bool) -> Cache {
        if !enabled {
            return Cache(None);
        }
        let dir = crate::output::cache_home().join("shellcheck");
        Cache(private_dir(&dir).then_some(dir))
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        self.0.as_ref().map(|d| d.join(format!("{key}.json")))
    }

    fn get(&self, key: &str) -> Option<String> {
        let path = self.path(key)?;
        let bytes = crate::files::read::read_regular(&path, ANSWER_CAP).ok()?;
        String::from_utf8(bytes).ok()
    }

    fn put(&self, key: &str, answer: &str) {
        if let Some(path) = self.path(key) {
            let _ = crate::files::atomic::write_atomically(&path, answer.as_bytes(), false);
        }
    }
}

/// Creates `dir` (0700) when missing; whether it is a directory owned by
/// this user that nobody else can write (else a planted answer could hide
/// findings).
fn private_dir(dir: &Path) -> bool {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir);
    let Ok(meta) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    meta.is_dir() && meta.uid() == nix::unistd::geteuid().as_raw() && meta.mode() & 0o022 == 0
}

/// ShellCheck's version (`None`: not installed).
fn version() -> Option<Result<String, String>> {
    let out = match Command::new("shellcheck").arg("--version").output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("shellcheck: {e}"))),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_string())
            .ok_or_else(|| format!("shellcheck --version: no version in {text:?}")),
    )
}

/// ShellCheck's json1 answer for each script, in order (`None` when
/// ShellCheck is not installed).
pub fn run_many(scripts: &[&str], cache: &Cache) -> Option<Result<Vec<String>, String>> {
    let version = match version()? {
        Ok(v) => v,
        Err(e) => return Some(Err(e)),
    };
    let keys: Vec<String> = scripts
        .iter()
        .map(|s| hex(&Sha256::digest(format!("{version}\n{s}"))))
        .collect();
    let mut answers: Vec<Option<String>> = keys.iter().map(|k| cache.get(k)).collect();
    let missing: Vec<usize> = (0..scripts.len())
        .filter(|&i| answers[i].is_none())
        .collect();
    if !missing.is_empty() {
        let fresh = match check(&missing.iter().map(|&i| scripts[i]).collect::<Vec<_>>()) {
            Ok(fresh) => fresh,
            Err(e) => return Some(Err(e)),
        };
        for (&i, answer) in missing.iter().zip(fresh) {
            cache.put(&keys[i], &answer);
            answers[i] = Some(answer);
        }
    }
    Some(Ok(answers
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()))
}

/// Runs ShellCheck over `scripts` in batches on every core; each script's
/// answer as `{"comments": [...]}`.
fn check(scripts: &[&str]) -> Result<Vec<String>, String> {
    let dir = tempdir()?;
    let files: Vec<PathBuf> = (0..scripts.len())
        .map(|i| dir.path.join(format!("{i}.sh")))
        .collect();
    for (file, script) in files.iter().zip(scripts) {
        std::fs::write(file, script).map_err(|e| format!("shellcheck: {}: {e}", file.display()))?;
    }
    let batches = batches(scripts);
    let results: Vec<Result<String, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = batches
            .iter()
            .map(|batch| {
                let args: Vec<&Path> = batch.iter().map(|&i| files[i].as_path()).collect();
                scope.spawn(move || run(&args))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("shellcheck: a batch panicked".into()))
            })
            .collect()
    });
    let mut per_file: Vec<Vec<serde_json::Value>> = vec![Vec::new(); scripts.len()];
    for result in results {
        let answer: serde_json::Value =
            serde_json::from_str(&result?).map_err(|e| format!("shellcheck: {e}"))?;
        for comment in answer["comments"].as_array().into_iter().flatten() {
            let index = comment["file"]
                .as_str()
                .and_then(|f| Path::new(f).file_stem()?.to_str()?.parse::<usize>().ok());
            if let Some(list) = index.and_then(|i| per_file.get_mut(i)) {
                list.push(comment.clone());
            }
        }
    }
    Ok(per_file
        .into_iter()
        .map(|comments| serde_json::json!({ "comments": comments }).to_string())
        .collect())
}

/// Indices of `scripts` in batches: at least one per core when there is
/// enough text, none over `BATCH_BYTES` unless a script alone is.
fn batches(scripts: &[&str]) -> Vec<Vec<usize>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total: usize = scripts.iter().map(|s| s.len()).sum();
    let target = (total / cores + 1).min(BATCH_BYTES);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for (i, script) in scripts.iter().enumerate() {
        if out.is_empty() || (size >= target && out.len() < scripts.len()) {
            out.push(Vec::new());
            size = 0;
        }
        out.last_mut().expect("a batch").push(i);
        size += script.len();
    }
    out
}

/// One `shellcheck -s sh -f json1 FILE...` run.
fn run(files: &[&Path]) -> Result<String, String> {
    let out = Command::new("shellcheck")
        .args(["-s", "sh", "-f", "json1", "--norc", "--"])
        .args(files)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("shellcheck: {e}"))?;
    // 0: no findings, 1: findings; anything else is ShellCheck failing.
    match out.status.code() {
        Some(0 | 1) => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => Err(format!(
            "shellcheck failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// A private temporary directory, removed when dropped.
struct TempDir {
    path: PathBuf,
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn tempdir() -> Result<TempDir, String> {
    let path = nix::unistd::mkdtemp(&std::env::temp_dir().join("jailwright-shellcheck.XXXXXX"))
        .map_err(|e| format!("shellcheck: a temporary directory: {e}"))?;
    Ok(TempDir { path })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_share_the_text_and_keep_every_script_once() {
        let scripts: Vec<String> = (0..50).map(|i| "x".repeat(1000 + i)).collect();
        let refs: Vec<&str> = scripts.iter().map(String::as_str).collect();
        let b = batches(&refs);
        let mut all: Vec<usize> = b.iter().flatten().copied().collect();
        all.sort();
        assert_eq!(all, (0..50).collect::<Vec<_>>());
        assert!(b.iter().all(|batch| !batch.is_empty()));
        assert!(batches(&[]).is_empty());
    }
}
