//! Downloads over HTTPS (plain HTTP only when allowed): time limits, a cap
//! on the size, few redirects and none to plain HTTP, and resumption of a
//! partial download (`FILE.part`, continued with a Range request).

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

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
pub fn check_url(url: &str, limits: &Limits) -> Result<(), String> {
    match url.split_once("://").map(|(s, _)| s) {
        Some("https") => Ok(()),
        Some("http") if limits.allow_http => Ok(()),
        Some("http") => Err(format!(
            "{url}: plain http is refused (use https, or --allow-http)"
        )),
        _ => Err(format!("{url}: not an http(s) URL")),
    }
}

fn client(limits: &Limits) -> Result<reqwest::blocking::Client, String> {
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
        .map_err(|e| e.to_string())
}

/// A small file, whole, in memory (MANIFEST).
pub fn fetch_small(url: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    check_url(url, limits)?;
    let response = client(limits)?
        .get(url)
        .send()
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: {}", response.status()));
    }
    let mut body = Vec::new();
    response
        .take(limits.max_bytes.min(1 << 20) + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("{url}: {e}"))?;
    if body.len() as u64 > limits.max_bytes.min(1 << 20) {
        return Err(format!("{url}: larger than expected"));
    }
    Ok(body)
}

/// Downloads `url` to `dest`, resuming `dest.part`, and returns its
/// sha256. `dest` appears only when the download is complete; a failure
/// leaves the `.part` to resume from. `progress(done, total)`.
pub fn fetch_to(
    url: &str,
    dest: &Path,
    limits: &Limits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<String, String> {
    check_url(url, limits)?;
    let part = part_of(dest);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    let mut have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    let mut request = client(limits)?.get(url);
    if have > 0 {
        request = request.header(reqwest::header::RANGE, format!("bytes={have}-"));
    }
    let mut response = request.send().map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    if status == reqwest::StatusCode::RANGE_NOT_SATISFIABLE && have > 0 {
        // The .part is already whole.
    } else if !status.is_success() {
        return Err(format!("{url}: {status}"));
    } else {
        if status != reqwest::StatusCode::PARTIAL_CONTENT {
            have = 0; // The server sends it all again.
        }
        let total = response.content_length().map(|l| l + have);
        if total.is_some_and(|t| t > limits.max_bytes) {
            return Err(format!(
                "{url}: {} bytes is more than the {} allowed",
                total.unwrap_or(0),
                limits.max_bytes
            ));
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(have > 0)
            .truncate(have == 0)
            .open(&part)
            .map_err(|e| format!("{}: {e}", part.display()))?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match response.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    return Err(format!(
                        "{url}: interrupted after {have} bytes ({e}); run again to resume"
                    ));
                }
            };
            have += n as u64;
            if have > limits.max_bytes {
                return Err(format!(
                    "{url}: more than the {} bytes allowed",
                    limits.max_bytes
                ));
            }
            file.write_all(&buf[..n])
                .map_err(|e| format!("{}: {e}", part.display()))?;
            progress(have, total);
        }
        file.sync_all().map_err(|e| e.to_string())?;
        if let Some(total) = total.filter(|t| have < *t) {
            return Err(format!(
                "{url}: the connection closed after {have} of {total} bytes; run again to resume"
            ));
        }
    }
    let sum = sha256_of(&part)?;
    std::fs::rename(&part, dest).map_err(|e| format!("{}: {e}", dest.display()))?;
    Ok(sum)
}

pub fn part_of(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    dest.with_file_name(name)
}

pub fn sha256_of(path: &Path) -> Result<String, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| e.to_string())?;
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
