//! `jailwright bootstrap RELEASE --root PATH`: a FreeBSD release's base
//! (and other distribution files) downloaded from a mirror, checked
//! against the release's MANIFEST, and unpacked into a root; then the
//! host's resolv.conf, and a ZFS snapshot when the root is a dataset.
//!
//! Nothing is unpacked from a file whose sha256 is not the MANIFEST's; a
//! download that stops leaves a `.part` to resume from; an archive of a
//! shape that could leave the root or not be unpacked whole, or that
//! unpacks to more than its caps (a decompression bomb), is refused before
//! anything is written; every entry is written through `files::root`.

pub mod manifest;
pub mod resolv;

use crate::fetch::{archive, http};
use std::path::{Path, PathBuf};

/// Why a bootstrap failed or was refused.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// Not a release name.
    #[error("{release}: not a release name (like 14.3-RELEASE)")]
    Release { release: String },
    #[error(transparent)]
    Fetch(#[from] http::FetchError),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    /// A distribution file the MANIFEST does not list.
    #[error("{dist}: not in the release's MANIFEST")]
    NotInManifest { dist: String },
    /// A download whose sha256 is not the MANIFEST's.
    #[error("{dist}: sha256 {got} is not the MANIFEST's {expected}: refused")]
    Sha256 {
        dist: String,
        got: String,
        expected: String,
    },
    #[error(transparent)]
    Archive(#[from] archive::ArchiveError),
}

/// FreeBSD's own download server: `releases/ARCH/RELEASE/` under it.
pub const DEFAULT_MIRROR: &str = "https://download.freebsd.org";

#[derive(Debug, Clone)]
pub struct Options {
    pub release: String,
    pub root: PathBuf,
    pub mirror: String,
    pub arch: String,
    /// Distribution files to install, in order (`base.txz` first).
    pub dists: Vec<String>,
    pub cache: PathBuf,
    pub limits: http::Limits,
    /// How much each archive may unpack to.
    pub caps: archive::Caps,
}

/// What a bootstrap did.
#[derive(Debug, Default)]
pub struct Report {
    pub downloaded: Vec<String>,
    pub reused: Vec<String>,
    pub extracted: archive::Extracted,
}

/// Where a release's files are: `MIRROR/releases/ARCH/RELEASE/FILE`.
pub fn url(mirror: &str, arch: &str, release: &str, file: &str) -> String {
    format!(
        "{}/releases/{arch}/{release}/{file}",
        mirror.trim_end_matches('/')
    )
}

/// A release name as FreeBSD writes them (`14.3-RELEASE`, `15.0-BETA2`).
pub fn check_release(release: &str) -> Result<(), BootstrapError> {
    let ok = !release.is_empty()
        && release
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && release.contains('-')
        && !release.contains("..");
    if ok {
        Ok(())
    } else {
        Err(BootstrapError::Release {
            release: release.to_string(),
        })
    }
}

/// Downloads, checks and unpacks. `say` reports progress lines.
pub fn run(options: &Options, say: &mut dyn FnMut(Event)) -> Result<Report, BootstrapError> {
    check_release(&options.release)?;
    let base = |file: &str| url(&options.mirror, &options.arch, &options.release, file);
    http::check_url(&base("MANIFEST"), &options.limits)?;
    let manifest = http::fetch_small(&base("MANIFEST"), &options.limits)?;
    let sums = manifest::parse(&String::from_utf8_lossy(&manifest))?;
    let dir = options.cache.join(&options.arch).join(&options.release);
    let mut report = Report::default();
    let mut archives = Vec::new();
    for dist in &options.dists {
        let expected = sums
            .get(dist)
            .ok_or_else(|| BootstrapError::NotInManifest { dist: dist.clone() })?;
        let dest = dir.join(dist);
        // Hashed, checked and unpacked from the one descriptor.
        let cached = archive::Archive::open(&dest)
            .ok()
            .filter(|a| a.sha256().is_ok_and(|sum| &sum == expected));
        if let Some(archive) = cached {
            report.reused.push(dist.clone());
            archives.push(archive);
            continue;
        }
        // A stale file, or a symlink planted there: removed, not followed.
        let _ = std::fs::remove_file(&dest);
        say(Event::Downloading(dist.clone()));
        let fetched = http::fetch_to(&base(dist), &dest, &options.limits, &mut |done, total| {
            say(Event::Progress(done, total))
        })?;
        if &fetched.sha256 != expected {
            // Never kept, never unpacked.
            let _ = std::fs::remove_file(&dest);
            return Err(BootstrapError::Sha256 {
                dist: dist.clone(),
                got: fetched.sha256,
                expected: expected.clone(),
            });
        }
        report.downloaded.push(dist.clone());
        archives.push(archive::Archive::from_file(fetched.file, &dest)?);
    }
    if archive::is_empty_root(&options.root) {
        // One pass each: checked as unpacked, beside the root until all
        // are accepted.
        if let Some(first) = archives.first() {
            say(Event::Extracting(name(first.path())));
        }
        let mut current = archives.first().map(|a| a.path().to_path_buf());
        let done = archive::unpack_staged(
            &archives,
            &options.root,
            &options.caps,
            &mut |path, bytes| {
                if current.as_deref() != Some(path) {
                    current = Some(path.to_path_buf());
                    say(Event::Extracting(name(path)));
                }
                say(Event::Progress(bytes, None))
            },
        )?;
        report.extracted = done;
        return Ok(report);
    }
    // A root with files in it: every archive checked before any is
    // unpacked over them.
    for archive in &archives {
        say(Event::Checking(name(archive.path())));
        archive.check(&options.caps)?;
    }
    for archive in &archives {
        say(Event::Extracting(name(archive.path())));
        let done = archive.unpack(&options.root, &options.caps, &mut |bytes| {
            say(Event::Progress(bytes, None))
        })?;
        report.extracted.entries += done.entries;
        report.extracted.bytes += done.bytes;
        report.extracted.flags_skipped += done.flags_skipped;
    }
    Ok(report)
}

fn name(path: &Path) -> String {
    path.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// What `run` is doing, for progress display.
#[derive(Debug, Clone)]
pub enum Event {
    Downloading(String),
    Checking(String),
    Extracting(String),
    /// Bytes done, of a total when known.
    Progress(u64, Option<u64>),
}
