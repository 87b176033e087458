//! Remote templates, pinned by hash. A template given as a URL (an https
//! tarball, or a repository of a git hosting service, as Bastille's
//! `bastille bootstrap URL` and AppJail's `gh+`/`gl+` includes name them)
//! is downloaded once into a cache keyed by the sha256 of its content and
//! unpacked there (checked like a release archive: nothing outside its
//! directory, caps on what it unpacks to, and it must hold a template; see
//! `unpack`). A lock file records the sha256 of every remote source;
//! with an entry, a download whose hash differs is refused before anything
//! is unpacked (`--update-lock` takes the new one).

pub mod lock;
mod unpack;

use crate::fetch::{archive, http};
use std::path::{Path, PathBuf};

pub use lock::{Lock, LockError};

/// Why a remote template (or a remote INCLUDE) could not be had.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error(transparent)]
    Fetch(#[from] http::FetchError),
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A download whose sha256 is not the lock's.
    #[error(
        "{key}: its sha256 is now {sum}, not {locked} as jailwright.lock says: refused (--update-lock to take the new one)"
    )]
    Changed {
        key: String,
        sum: String,
        locked: String,
    },
    /// A hash that would not name a cache directory.
    #[error("{sum:?}: not a sha256 (64 lowercase hex digits)")]
    NotSha256 { sum: String },
    /// A file or directory of the cache could not be made.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `JAILWRIGHT_MAX_UNPACKED` is not a size.
    #[error("JAILWRIGHT_MAX_UNPACKED: {0}")]
    MaxUnpacked(#[source] archive::CapsError),
    /// A cap's environment variable is not a number.
    #[error("{name}: {value}: not a number")]
    NotANumber { name: &'static str, value: String },
    /// The archive unpacked holds no template (`dir`: its top directory's name).
    #[error(
        "the archive holds no template (no Bastillefile, Makejail or pot flavour in {dir}): refused, not cached and not pinned"
    )]
    NoTemplate { dir: String },
    /// An INCLUDE method jailwright does not fetch.
    #[error("{method}+ includes are not fetched")]
    Method { method: String },
}

impl RemoteError {
    /// An I/O error at `path`.
    fn io(path: &Path) -> impl Fn(std::io::Error) -> RemoteError + '_ {
        move |source| RemoteError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Whether a template argument names a remote template.
pub fn is_remote(spec: &str) -> bool {
    spec.starts_with("https://")
        || spec.starts_with("http://")
        || spec.starts_with("gh+")
        || spec.starts_with("gl+")
}

/// The archive URL of a remote template: a tarball URL as it is; a GitHub
/// or GitLab repository (`https://github.com/U/R`, `gh+U/R`, `gl+U/R`) as
/// the archive of its default branch.
pub fn archive_url(spec: &str) -> String {
    let spec = spec.trim_end_matches('/').trim_end_matches(".git");
    if let Some(repo) = spec.strip_prefix("gh+") {
        return format!("https://codeload.github.com/{repo}/tar.gz/HEAD");
    }
    if let Some(repo) = spec.strip_prefix("gl+") {
        let name = repo.rsplit('/').next().unwrap_or(repo);
        return format!("https://gitlab.com/{repo}/-/archive/HEAD/{name}-HEAD.tar.gz");
    }
    if let Some(repo) = spec.strip_prefix("https://github.com/")
        && repo.split('/').count() == 2
    {
        return format!("https://codeload.github.com/{repo}/tar.gz/HEAD");
    }
    if let Some(repo) = spec.strip_prefix("https://gitlab.com/")
        && repo.split('/').count() == 2
    {
        let name = repo.rsplit('/').next().unwrap_or(repo);
        return format!("https://gitlab.com/{repo}/-/archive/HEAD/{name}-HEAD.tar.gz");
    }
    spec.to_string()
}

pub struct Fetcher<'l> {
    pub cache: PathBuf,
    pub limits: http::Limits,
    pub lock: &'l mut Lock,
    /// Take a new hash instead of refusing it.
    pub update_lock: bool,
}

impl Fetcher<'_> {
    /// The local directory of a remote template: downloaded (or found in
    /// the cache), its hash checked against the lock, unpacked.
    pub fn fetch(&mut self, spec: &str) -> Result<PathBuf, RemoteError> {
        self.fetch_archive(spec, &archive_url(spec))
    }

    /// Downloads `url`, checked against the lock's hash under `key`: (the
    /// file's path, the file opened, its sha256). A hash that differs from
    /// the lock's is refused. Not pinned yet: the caller pins it once it is
    /// kept.
    fn download(
        &mut self,
        key: &str,
        url: &str,
    ) -> Result<(PathBuf, std::fs::File, String), RemoteError> {
        http::check_url(url, &self.limits)?;
        let dest = self
            .cache
            .join("incoming")
            .join(format!("{:016x}", fnv(url)));
        let _ = std::fs::remove_file(&dest);
        let fetched = http::fetch_to(url, &dest, &self.limits, &mut |_, _| {})?;
        let sum = fetched.sha256;
        match self.lock.get(key) {
            Some(locked) if locked != sum && !self.update_lock => {
                let _ = std::fs::remove_file(&dest);
                Err(RemoteError::Changed {
                    key: key.to_string(),
                    sum,
                    locked: locked.to_string(),
                })
            }
            _ => Ok((dest, fetched.file, sum)),
        }
    }

    /// A single remote file (AppJail's `fetch+URL` Makejail), pinned.
    pub fn fetch_file(&mut self, key: &str, url: &str, name: &str) -> Result<PathBuf, RemoteError> {
        let (dest, _, sum) = self.download(key, url)?;
        let dir = by_hash(&self.cache.join("files"), &sum)?;
        let kept = std::fs::create_dir_all(&dir)
            .map_err(RemoteError::io(&dir))
            .and_then(|()| {
                let file = dir.join(name);
                std::fs::rename(&dest, &file)
                    .map(|()| file.clone())
                    .map_err(RemoteError::io(&file))
            });
        if kept.is_err() {
            let _ = std::fs::remove_file(&dest);
        } else {
            self.lock.set(key, &sum);
        }
        kept
    }

    /// An archive, pinned under `key`, unpacked (once per content).
    pub fn fetch_archive(&mut self, key: &str, url: &str) -> Result<PathBuf, RemoteError> {
        let spec = key;
        // Pinned and already unpacked: no download (works offline).
        if let Some(locked) = self.lock.get(key).filter(|_| !self.update_lock) {
            let tree = by_hash(&self.cache.join("trees"), locked)?;
            if tree.is_dir() {
                return Ok(template_dir(&tree));
            }
        }
        let (dest, file, sum) = self.download(spec, url)?;
        let tree = by_hash(&self.cache.join("trees"), &sum)?;
        // Checked, unpacked and found to hold a template, or refused with
        // nothing cached and nothing pinned.
        let unpacked = if tree.is_dir() {
            Ok(())
        } else {
            archive::Archive::from_file(file, &dest)
                .map_err(RemoteError::from)
                .and_then(|archive| unpack::unpack_template(&archive, &tree))
        };
        let _ = std::fs::remove_file(&dest);
        unpacked?;
        self.lock.set(key, &sum);
        Ok(template_dir(&tree))
    }
}

/// The cache entry of a content hash under `dir`. The hash is checked
/// again here (the lock checks it when read): a path is never built from
/// anything but 64 lowercase hex digits.
fn by_hash(dir: &Path, sum: &str) -> Result<PathBuf, RemoteError> {
    if !lock::is_sha256(sum) {
        return Err(RemoteError::NotSha256 {
            sum: sum.to_string(),
        });
    }
    Ok(dir.join(sum))
}

/// An archive of a repository holds one top directory (`repo-HEAD/`): the
/// template is in it.
fn template_dir(tree: &Path) -> PathBuf {
    let entries: Vec<PathBuf> = std::fs::read_dir(tree)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    match &entries[..] {
        [only] if only.is_dir() => only.clone(),
        _ => tree.to_path_buf(),
    }
}

/// A short stable name for a URL in the download directory.
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Where remote templates are cached (`cache_home()/templates`).
pub fn default_cache() -> PathBuf {
    crate::output::cache_home().join("templates")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_become_archive_urls() {
        assert_eq!(
            archive_url("https://github.com/bastille-templates/nginx"),
            "https://codeload.github.com/bastille-templates/nginx/tar.gz/HEAD"
        );
        assert_eq!(
            archive_url("gh+AppJail-makejails/nginx"),
            "https://codeload.github.com/AppJail-makejails/nginx/tar.gz/HEAD"
        );
        assert_eq!(
            archive_url("gl+u/r"),
            "https://gitlab.com/u/r/-/archive/HEAD/r-HEAD.tar.gz"
        );
        assert_eq!(
            archive_url("https://x.example/t.tar.gz"),
            "https://x.example/t.tar.gz"
        );
    }
}

/// How a command reaches remote templates.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub allow_http: bool,
    pub update_lock: bool,
    pub cache: Option<PathBuf>,
    /// Fetch remote INCLUDEs; without it they are reported, not fetched.
    pub fetch_includes: bool,
}

/// `dialect::load_expanded`, with a Makejail's remote INCLUDEs fetched
/// (pinned beside the template) when `settings.fetch_includes` says so,
/// reading only inside `scope` (and the cache, for fetched includes).
pub fn load_expanded(
    template: &Path,
    forced: Option<crate::ir::Dialect>,
    bindings: &crate::dialect::Bindings,
    settings: &Settings,
    scope: &crate::dialect::Scope,
) -> Result<crate::document::Document, crate::dialect::LoadError> {
    if !settings.fetch_includes {
        return crate::dialect::load_expanded_with(template, forced, bindings, None, scope);
    }
    let dir = if template.is_dir() {
        template.to_path_buf()
    } else {
        template.parent().map(PathBuf::from).unwrap_or_default()
    };
    let lock = dir.join(lock::FILE_NAME);
    // (the dialect reports a failed INCLUDE as a problem: its message)
    let mut fetch = |spec: &crate::dialect::makejail::include::Spec| {
        fetch_include(spec, &lock, settings).map_err(Into::into)
    };
    let cache = settings.cache.clone().unwrap_or_else(default_cache);
    let scope = scope.clone().also(&cache);
    crate::dialect::load_expanded_with(template, forced, bindings, Some(&mut fetch), &scope)
}

/// A template argument as a local path: a remote one is fetched (and
/// pinned in `./jailwright.lock`); a local one is returned as it is.
pub fn local(arg: &Path, settings: &Settings) -> Result<PathBuf, RemoteError> {
    let spec = arg.to_string_lossy();
    if !is_remote(&spec) {
        return Ok(arg.to_path_buf());
    }
    fetch_pinned(&spec, Path::new(lock::FILE_NAME), settings)
}

/// Runs `f` with a fetcher pinned in the lock file at `lock_path`, and
/// saves the lock when `f` succeeds.
fn with_fetcher<T>(
    lock_path: &Path,
    settings: &Settings,
    f: impl FnOnce(&mut Fetcher) -> Result<T, RemoteError>,
) -> Result<T, RemoteError> {
    let mut lock = Lock::read(lock_path)?;
    let mut fetcher = Fetcher {
        cache: settings.cache.clone().unwrap_or_else(default_cache),
        limits: http::Limits {
            allow_http: settings.allow_http,
            max_bytes: 256 << 20,
            ..http::Limits::default()
        },
        lock: &mut lock,
        update_lock: settings.update_lock,
    };
    let result = f(&mut fetcher)?;
    lock.save()?;
    Ok(result)
}

/// Fetches a remote template, pinned in the lock file at `lock_path`.
pub fn fetch_pinned(
    spec: &str,
    lock_path: &Path,
    settings: &Settings,
) -> Result<PathBuf, RemoteError> {
    with_fetcher(lock_path, settings, |fetcher| fetcher.fetch(spec))
}

/// A Makejail's remote INCLUDE (`gh+U/R`, `gl+U/R`, `fetch+URL`, with
/// `--branch B` and `--file F`): the local path of the Makejail it names,
/// pinned in the lock at `lock_path`.
pub fn fetch_include(
    spec: &crate::dialect::makejail::include::Spec,
    lock_path: &Path,
    settings: &Settings,
) -> Result<PathBuf, RemoteError> {
    let option = |name: &str| {
        spec.args
            .iter()
            .position(|a| a == name)
            .and_then(|i| spec.args.get(i + 1))
            .cloned()
    };
    let branch = option("--branch").unwrap_or_else(|| "HEAD".into());
    let file = option("--file").unwrap_or_else(|| "Makejail".into());
    let repo = spec
        .target
        .trim_start_matches("https://github.com/")
        .trim_start_matches("https://gitlab.com/")
        .trim_end_matches(".git")
        .to_string();
    let key = format!("{}+{}", spec.method, spec.target);
    with_fetcher(lock_path, settings, |fetcher| match spec.method.as_str() {
        "github" => Ok(fetcher
            .fetch_archive(
                &key,
                &format!("https://codeload.github.com/{repo}/tar.gz/{branch}"),
            )?
            .join(&file)),
        "gitlab" => {
            let name = repo.rsplit('/').next().unwrap_or(&repo).to_string();
            Ok(fetcher
                .fetch_archive(
                    &key,
                    &format!("https://gitlab.com/{repo}/-/archive/{branch}/{name}-{branch}.tar.gz"),
                )?
                .join(&file))
        }
        "fetch" => fetcher.fetch_file(&key, &spec.target, "Makejail"),
        other => Err(RemoteError::Method {
            method: other.to_string(),
        }),
    })
}
