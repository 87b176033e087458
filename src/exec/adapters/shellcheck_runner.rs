//! Running ShellCheck (the only I/O of JW901). Each template's shell text
//! is one script; the scripts of a whole lint run are checked together:
//! written to files in a private temporary directory and given to a few
//! `shellcheck -s dash -f json1 FILE...` runs, one per core, each with a
//! share of the bytes. Answers are cached by content: the key is the
//! SHA-256 of ShellCheck's version, its options and the script, the value ShellCheck's
//! json1 answer for that script alone, in
//! `$XDG_CACHE_HOME/jailwright/shellcheck/` (a directory only its owner
//! can write; any other is not used), so an unchanged repository is linted
//! again without running ShellCheck.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The most bytes of script one ShellCheck run is given (it analyses about
/// 50 KB a CPU-second): larger sets are split so every core has work.
const BATCH_BYTES: usize = 256 << 10;

/// The most a cached answer may be.
const ANSWER_CAP: u64 = 16 << 20;

/// Where answers are cached, or `None` for no cache: the directory held
/// open, so what was checked (owner, mode) is what is read and written.
pub struct Cache(Option<std::os::fd::OwnedFd>);

impl Cache {
    /// The cache under `$XDG_CACHE_HOME/jailwright` (or `~/.cache`), when
    /// that directory is ours alone; `None` when `enabled` is false or
    /// neither variable is set (never a shared temporary directory).
    pub fn open(enabled: bool) -> Cache {
        let known =
            std::env::var_os("XDG_CACHE_HOME").is_some() || std::env::var_os("HOME").is_some();
        if !enabled || !known {
            return Cache(None);
        }
        Cache(private_dir(&crate::output::cache_home().join("shellcheck")))
    }

    fn get(&self, key: &str) -> Option<String> {
        let dir = self.0.as_ref()?;
        let bytes = crate::files::read::read_regular_at(
            dir,
            std::ffi::OsStr::new(&format!("{key}.json")),
            ANSWER_CAP,
        )
        .ok()?;
        String::from_utf8(bytes).ok()
    }

    /// Written under a temporary name, then renamed into place, all
    /// relative to the directory held open (no path looked up again).
    fn put(&self, key: &str, answer: &str) {
        use nix::fcntl::{OFlag, openat, renameat};
        use nix::sys::stat::Mode;
        let Some(dir) = self.0.as_ref() else {
            return;
        };
        let temp = format!(".{key}.{}.tmp", std::process::id());
        let flags =
            OFlag::O_WRONLY | OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC;
        let Ok(fd) = openat(dir, temp.as_str(), flags, Mode::from_bits_truncate(0o600)) else {
            return;
        };
        let mut file = std::fs::File::from(fd);
        let written = std::io::Write::write_all(&mut file, answer.as_bytes());
        drop(file);
        if written.is_err()
            || renameat(dir, temp.as_str(), dir, format!("{key}.json").as_str()).is_err()
        {
            let _ =
                nix::unistd::unlinkat(dir, temp.as_str(), nix::unistd::UnlinkatFlags::NoRemoveDir);
        }
    }
}

/// Creates `dir` (0700) when missing and opens it without following a
/// symlink; the descriptor when it is a directory owned by this user that
/// nobody else can write (else a planted answer could hide findings).
fn private_dir(dir: &Path) -> Option<std::os::fd::OwnedFd> {
    use nix::fcntl::{OFlag, open};
    use nix::sys::stat::{Mode, fstat};
    use std::os::unix::fs::DirBuilderExt;
    let _ = std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir);
    let fd = open(
        dir,
        OFlag::O_RDONLY | OFlag::O_DIRECTORY | OFlag::O_NOFOLLOW | OFlag::O_CLOEXEC,
        Mode::empty(),
    )
    .ok()?;
    let stat = fstat(&fd).ok()?;
    let private = stat.st_uid == nix::unistd::geteuid().as_raw() && stat.st_mode & 0o022 == 0;
    private.then_some(fd)
}

/// Why ShellCheck gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ShellCheckError {
    #[error("shellcheck: {0}")]
    Run(std::io::Error),
    #[error("shellcheck --version: no version in {0:?}")]
    NoVersion(String),
    #[error("shellcheck: {}: {error}", file.display())]
    Write {
        file: PathBuf,
        error: std::io::Error,
    },
    #[error("shellcheck: a batch panicked")]
    Panicked,
    #[error("shellcheck: {0}")]
    Answer(serde_json::Error),
    #[error("shellcheck failed: {0}")]
    Failed(String),
    #[error("shellcheck: a temporary directory: {0}")]
    TempDir(nix::errno::Errno),
}

/// ShellCheck's version (`None`: not installed).
fn version() -> Option<Result<String, ShellCheckError>> {
    let out = match Command::new("shellcheck").arg("--version").output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(ShellCheckError::Run(e))),
    };
    let text = String::from_utf8_lossy(&out.stdout);
    Some(
        text.lines()
            .find_map(|l| l.strip_prefix("version:"))
            .map(|v| v.trim().to_string())
            .ok_or_else(|| ShellCheckError::NoVersion(text.to_string())),
    )
}

/// ShellCheck's json1 answer for each script, in order (`None` when
/// ShellCheck is not installed).
pub fn run_many(scripts: &[&str], cache: &Cache) -> Option<Result<Vec<String>, ShellCheckError>> {
    let version = match version()? {
        Ok(v) => v,
        Err(e) => return Some(Err(e)),
    };
    // ShellCheck also reads options from its environment.
    let opts = std::env::var("SHELLCHECK_OPTS").unwrap_or_default();
    let keys: Vec<String> = scripts
        .iter()
        .map(|s| {
            let shell = crate::lint::shellcheck_script::SHELL;
            hex(&Sha256::digest(format!(
                "{version}\n-s {shell}\n{opts}\n{s}"
            )))
        })
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

/// Runs ShellCheck over `scripts` in batches, as many at once as there
/// are cores; each script's answer as `{"comments": [...]}`. Each script
/// is a file of an unguessable name: ShellCheck follows `source` into the
/// files it was given, so one template must not be able to name another's.
fn check(scripts: &[&str]) -> Result<Vec<String>, ShellCheckError> {
    let dir = tempdir()?;
    let tag = hex(&Sha256::digest(format!(
        "{}{:?}{}",
        dir.path.display(),
        std::time::SystemTime::now(),
        std::process::id()
    )));
    let names: Vec<String> = (0..scripts.len())
        .map(|i| hex(&Sha256::digest(format!("{tag}{i}")))[..24].to_string() + ".sh")
        .collect();
    let index: HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let files: Vec<PathBuf> = names.iter().map(|n| dir.path.join(n)).collect();
    for (file, script) in files.iter().zip(scripts) {
        std::fs::write(file, script).map_err(|error| ShellCheckError::Write {
            file: file.clone(),
            error,
        })?;
    }
    let batches = batches(scripts);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Vec<Result<String, ShellCheckError>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..cores.min(batches.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(batch) = batches.get(i) else {
                            return done;
                        };
                        let args: Vec<&Path> = batch.iter().map(|&i| files[i].as_path()).collect();
                        done.push(run(&args));
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| vec![Err(ShellCheckError::Panicked)])
            })
            .collect()
    });
    let mut per_file: Vec<Vec<serde_json::Value>> = vec![Vec::new(); scripts.len()];
    for result in results.into_iter().flatten() {
        let answer: serde_json::Value =
            serde_json::from_str(&result?).map_err(ShellCheckError::Answer)?;
        for comment in answer["comments"].as_array().into_iter().flatten() {
            let file = comment["file"]
                .as_str()
                .and_then(|f| Path::new(f).file_name()?.to_str());
            if let Some(list) = file
                .and_then(|f| index.get(f))
                .and_then(|&i| per_file.get_mut(i))
            {
                list.push(comment.clone());
            }
        }
    }
    Ok(per_file
        .into_iter()
        .map(|comments| serde_json::json!({ "comments": comments }).to_string())
        .collect())
}

/// Indices of `scripts` in batches: one per core when there is enough
/// text, none over `BATCH_BYTES` unless a script alone is.
fn batches(scripts: &[&str]) -> Vec<Vec<usize>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total: usize = scripts.iter().map(|s| s.len()).sum();
    let target = (total / cores + 1).min(BATCH_BYTES);
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut size = 0;
    for (i, script) in scripts.iter().enumerate() {
        if out.is_empty() || size >= target {
            out.push(Vec::new());
            size = 0;
        }
        out.last_mut().expect("a batch").push(i);
        size += script.len();
    }
    out
}

/// How long one ShellCheck run may take: a script can make ShellCheck
/// work for ever (sourcing itself over and over).
const RUN_LIMIT: std::time::Duration = std::time::Duration::from_secs(300);

/// One `shellcheck -s dash -f json1 --norc FILE...` run.
fn run(files: &[&Path]) -> Result<String, ShellCheckError> {
    let out = super::command::output_within(
        Command::new("shellcheck")
            .args([
                "-s",
                crate::lint::shellcheck_script::SHELL,
                "-f",
                "json1",
                "--norc",
                "--",
            ])
            .args(files),
        RUN_LIMIT,
    )
    .map_err(ShellCheckError::Run)?;
    // 0: no findings, 1: findings; anything else is ShellCheck failing.
    match out.status.code() {
        Some(0 | 1) => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        _ => Err(ShellCheckError::Failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
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

fn tempdir() -> Result<TempDir, ShellCheckError> {
    let path = nix::unistd::mkdtemp(&std::env::temp_dir().join("jailwright-shellcheck.XXXXXX"))
        .map_err(ShellCheckError::TempDir)?;
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
