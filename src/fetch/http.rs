//! Downloads over HTTPS (plain HTTP only when allowed): time limits, a cap
//! on the size, few redirects and none to plain HTTP, and resumption of a
//! partial download (`FILE.part`, continued with a Range request). Files
//! in the cache are opened with `O_NOFOLLOW` and must be regular files.

use crate::files::read;
use nix::errno::Errno;
use nix::fcntl::OFlag;
use nix::sys::stat::Mode;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a download failed or was refused.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// A plain http URL without `--allow-http`.
    #[error("{url}: plain http is refused (use https, or --allow-http)")]
    PlainHttp { url: String },
    /// Neither http nor https.
    #[error("{url}: not an http(s) URL")]
    NotHttp { url: String },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Client(reqwest::Error),
    /// The request failed (connection, TLS, redirects, time limit).
    #[error("{url}: {source}")]
    Request { url: String, source: reqwest::Error },
    /// The server answered with an error status.
    #[error("{url}: {status}")]
    Status {
        url: String,
        status: reqwest::StatusCode,
    },
    /// Reading a small file's body failed.
    #[error("{url}: {source}")]
    Read { url: String, source: std::io::Error },
    /// A small file larger than it may be.
    #[error("{url}: larger than expected")]
    LargerThanExpected { url: String },
    /// The server declared more bytes than allowed.
    #[error("{url}: {total} bytes is more than the {max} allowed")]
    Declared { url: String, total: u64, max: u64 },
    /// The server sent more bytes than allowed.
    #[error("{url}: more than the {max} bytes allowed")]
    TooLarge { url: String, max: u64 },
    /// The download broke off while reading.
    #[error("{url}: interrupted after {have} bytes ({source}); run again to resume")]
    Interrupted {
        url: String,
        have: u64,
        source: std::io::Error,
    },
    /// The connection closed before the declared length.
    #[error("{url}: the connection closed after {have} of {total} bytes; run again to resume")]
    Closed { url: String, have: u64, total: u64 },
    /// The server sent nothing to keep.
    #[error("{url}: nothing was downloaded")]
    Nothing { url: String },
    /// A cache file refused or not opened (`open_regular`'s error names it).
    #[error(transparent)]
    Open(std::io::Error),
    /// A file of the cache could not be created, written or renamed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl FetchError {
    fn io(path: &Path) -> impl Fn(std::io::Error) -> FetchError + '_ {
        move |source| FetchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub allow_http: bool,
    /// No answer for this long is an error (connect, and between reads).
    pub timeout: Duration,
    /// The most bytes a file may have.
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            allow_http: false,
            timeout: Duration::from_secs(30),
            max_bytes: 4 << 30,
        }
    }
}

/// Refuses a URL jailwright will not fetch.
pub fn check_url(url: &str, limits: &Limits) -> Result<(), FetchError> {
    let url = url.to_string();
    match url.split_once("://").map(|(s, _)| s) {
        Some("https") => Ok(()),
        Some("http") if limits.allow_http => Ok(()),
        Some("http") => Err(FetchError::PlainHttp { url }),
        _ => Err(FetchError::NotHttp { url }),
    }
}

fn client(limits: &Limits) -> Result<reqwest::blocking::Client, FetchError> {
    let allow_http = limits.allow_http;
    reqwest::blocking::Client::builder()
        .connect_timeout(limits.timeout)
        .timeout(limits.timeout)
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("more than 5 redirects")
            } else if attempt.url().scheme() != "https" && !allow_http {
                attempt.error("a redirect to plain http")
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(FetchError::Client)
}

/// A small file, whole, in memory (MANIFEST).
pub fn fetch_small(url: &str, limits: &Limits) -> Result<Vec<u8>, FetchError> {
    check_url(url, limits)?;
    let response = client(limits)?
        .get(url)
        .send()
        .map_err(|source| FetchError::Request {
            url: url.to_string(),
            source,
        })?;
    if !response.status().is_success() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: response.status(),
        });
    }
    let mut body = Vec::new();
    response
        .take(limits.max_bytes.min(1 << 20) + 1)
        .read_to_end(&mut body)
        .map_err(|source| FetchError::Read {
            url: url.to_string(),
            source,
        })?;
    if body.len() as u64 > limits.max_bytes.min(1 << 20) {
        return Err(FetchError::LargerThanExpected {
            url: url.to_string(),
        });
    }
    Ok(body)
}

/// A finished download: the file (already renamed into place) and its
/// sha256, hashed from the descriptor that wrote it.
pub struct Fetched {
    pub file: File,
    pub sha256: String,
}

/// Downloads `url` to `dest`, resuming `dest.part`, and returns it opened
/// with its sha256. `dest` appears only when the download is complete; a
/// failure leaves the `.part` to resume from. The `.part` is opened with
/// `O_NOFOLLOW` and must be a regular file: a symlink or a FIFO planted in
/// the cache directory is refused, never written through.
/// `progress(done, total)`.
pub fn fetch_to(
    url: &str,
    dest: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, FetchError> {
    check_url(url, limits)?;
    let part = part_of(dest);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(FetchError::io(parent))?;
    }
    let in_part = FetchError::io(&part);
    let the_url = || url.to_string();
    // Created only when the server sends something to write into it.
    let mut file = match open_regular(&part, Access::Write) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(FetchError::Open(e)),
    };
    let mut have = match &file {
        Some(f) => f.metadata().map_err(&in_part)?.len(),
        None => 0,
    };
    let mut request = client(limits)?.get(url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().map_err(|source| FetchError::Request {
        url: the_url(),
        source,
    })?;
    let status = response.status();
    if status == reqwest::StatusCode::RANGE_NOT_SATISFIABLE && have > 0 {
        // The .part is already whole.
    } else if !status.is_success() {
        return Err(FetchError::Status {
            url: the_url(),
            status,
        });
    } else {
        if status != reqwest::StatusCode::PARTIAL_CONTENT {
            have = 0; // The server sends it all again.
        }
        let total = response.content_length().map(|l| l + have);
        if let Some(total) = total.filter(|t| *t > limits.max_bytes) {
            return Err(FetchError::Declared {
                url: the_url(),
                total,
                max: limits.max_bytes,
            });
        }
        let opened = match file.take() {
            Some(f) => f,
            None => open_regular(&part, Access::Create).map_err(FetchError::Open)?,
        };
        let file = file.insert(opened);
        file.set_len(have).map_err(&in_part)?;
        file.seek(SeekFrom::Start(have)).map_err(&in_part)?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(source) => {
                    return Err(FetchError::Interrupted {
                        url: the_url(),
                        have,
                        source,
                    });
                }
            };
            have += n as u64;
            if have > limits.max_bytes {
                return Err(FetchError::TooLarge {
                    url: the_url(),
                    max: limits.max_bytes,
                });
            }
            file.write_all(&buf[..n]).map_err(&in_part)?;
            progress(have, total);
        }
        file.sync_all().map_err(&in_part)?;
        if let Some(total) = total.filter(|t| have < *t) {
            return Err(FetchError::Closed {
                url: the_url(),
                have,
                total,
            });
        }
    }
    let Some(mut file) = file else {
        return Err(FetchError::Nothing { url: the_url() });
    };
    file.seek(SeekFrom::Start(0)).map_err(&in_part)?;
    let sha256 = sha256_of(&mut file).map_err(&in_part)?;
    std::fs::rename(&part, dest).map_err(FetchError::io(dest))?;
    Ok(Fetched { file, sha256 })
}

/// How `open_regular` opens a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    /// Read and write an existing file.
    Write,
    /// Read and write, created (0644) when missing.
    Create,
}

/// Opens the regular file at `path`, never through a symlink: a symlink,
/// a FIFO or a device there is refused (an error of kind `InvalidInput`).
pub fn open_regular(path: &Path, access: Access) -> std::io::Result<File> {
    use std::io::{Error, ErrorKind};
    let flags = OFlag::O_NOFOLLOW | OFlag::O_NONBLOCK | OFlag::O_CLOEXEC | OFlag::O_NOCTTY;
    let flags = match access {
        Access::Read => flags | OFlag::O_RDONLY,
        Access::Write => flags | OFlag::O_RDWR,
        Access::Create => flags | OFlag::O_RDWR | OFlag::O_CREAT,
    };
    let fd = nix::fcntl::open(path, flags, Mode::from_bits_truncate(0o644)).map_err(|e| {
        let (kind, why) = match e {
            Errno::ELOOP | Errno::EMLINK => (
                ErrorKind::InvalidInput,
                "is a symlink: refused (never read or written through)".to_string(),
            ),
            // A FIFO opened for writing with no reader.
            Errno::ENXIO => (
                ErrorKind::InvalidInput,
                "not a regular file: refused".into(),
            ),
            e => (Error::from(e).kind(), e.desc().to_string()),
        };
        Error::new(kind, format!("{}: {why}", path.display()))
    })?;
    read::regular(fd).map_err(|e| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("{}: {e}: refused", path.display()),
        )
    })
}

pub fn part_of(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    dest.with_file_name(name)
}

/// The sha256 of what is left to read (lower-case hex).
pub fn sha256_of(reader: &mut dyn Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_say_what_they_said_as_strings() {
        let limits = Limits::default();
        let e = check_url("http://x.example/t", &limits).unwrap_err();
        assert_eq!(
            e.to_string(),
            "http://x.example/t: plain http is refused (use https, or --allow-http)"
        );
        let e = check_url("ftp://x.example/t", &limits).unwrap_err();
        assert_eq!(e.to_string(), "ftp://x.example/t: not an http(s) URL");
        let e = FetchError::Declared {
            url: "u".into(),
            total: 9,
            max: 8,
        };
        assert_eq!(e.to_string(), "u: 9 bytes is more than the 8 allowed");
    }
}
