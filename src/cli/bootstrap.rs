//! `jailwright bootstrap RELEASE --root PATH`: a FreeBSD release unpacked
//! into a root (see `bootstrap`).

use super::{Error, ExitCode};
use crate::bootstrap::{self, DEFAULT_MIRROR, Event, Options};
use crate::fetch::archive::{self, Caps};
use crate::fetch::http::Limits;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Args)]
pub struct BootstrapArgs {
    /// The release, e.g. 14.3-RELEASE.
    release: String,
    /// The root to unpack it into (created when missing).
    #[arg(long)]
    root: PathBuf,
    /// The ZFS dataset holding the root, snapshotted afterwards (found
    /// from the mountpoint if not given).
    #[arg(long)]
    dataset: Option<String>,
    /// The base URL under which releases/ARCH/RELEASE/ holds base.txz and
    /// MANIFEST.
    #[arg(long, default_value = DEFAULT_MIRROR)]
    mirror: String,
    /// The machine architecture of the release (amd64, arm64, i386, ...):
    /// the directory under releases/ on the mirror.
    #[arg(long, default_value = "amd64")]
    arch: String,
    /// Distribution files besides base.txz (lib32.txz, src.txz, ...).
    #[arg(long = "dist", value_name = "FILE")]
    dists: Vec<String>,
    /// Where downloads are kept (and resumed from).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Accept a plain http mirror.
    #[arg(long)]
    allow_http: bool,
    /// Seconds without an answer before a download fails.
    #[arg(long, default_value = "30")]
    timeout: u64,
    /// The most one distribution file may unpack to (4G, 512M, ...): a
    /// larger one is refused before anything is written.
    #[arg(long, value_name = "SIZE", default_value = "4G", value_parser = archive::caps::parse_size)]
    max_unpacked: u64,
    /// The most a distribution file may unpack to, as a multiple of its
    /// compressed size (base.txz is about 5); above 16 MiB unpacked.
    #[arg(long, value_name = "N", default_value_t = Caps::RELEASE.max_ratio)]
    max_ratio: u64,
    /// The most entries (files, directories, links) in one file.
    #[arg(long, value_name = "N", default_value_t = Caps::RELEASE.max_entries)]
    max_entries: u64,
}

pub fn run(args: BootstrapArgs) -> Result<ExitCode, Error> {
    let cache = args
        .cache_dir
        .clone()
        .unwrap_or_else(|| crate::output::cache_home().join("releases"));
    let mut dists = vec!["base.txz".to_string()];
    dists.extend(args.dists.iter().filter(|d| *d != "base.txz").cloned());
    let options = Options {
        release: args.release.clone(),
        root: args.root.clone(),
        mirror: args.mirror.clone(),
        arch: args.arch.clone(),
        dists,
        cache,
        limits: Limits {
            allow_http: args.allow_http,
            timeout: Duration::from_secs(args.timeout),
            ..Limits::default()
        },
        caps: Caps {
            max_bytes: args.max_unpacked,
            max_ratio: args.max_ratio,
            max_entries: args.max_entries,
            ..Caps::RELEASE
        },
    };
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{msg} {bytes}/{total_bytes} {bytes_per_sec} {elapsed}")
            .expect("valid template"),
    );
    let mut say = |event: Event| match event {
        Event::Downloading(f) => bar.set_message(format!("downloading {f}")),
        Event::Checking(f) => bar.set_message(format!("checking {f}")),
        Event::Extracting(f) => {
            bar.set_position(0);
            bar.set_message(format!("extracting {f}"))
        }
        Event::Progress(done, total) => {
            if let Some(total) = total {
                bar.set_length(total);
            }
            bar.set_position(done);
        }
    };
    let report = match bootstrap::run(&options, &mut say) {
        Ok(r) => r,
        Err(e) => {
            bar.finish_and_clear();
            return Err(e.into());
        }
    };
    bar.finish_and_clear();
    // The host's resolver, as bastille and pot do for a new jail.
    if let Err(e) = bootstrap::resolv::copy_into(&args.root) {
        errln!("jailwright: resolv.conf: {e}");
    }
    outln!(
        "{}: {} entries, {} bytes unpacked into {} (downloaded: {}; from cache: {})",
        args.release,
        report.extracted.entries,
        report.extracted.bytes,
        args.root.display(),
        list(&report.downloaded),
        list(&report.reused)
    );
    if report.extracted.flags_skipped > 0 {
        errln!(
            "jailwright: {} entries carry FreeBSD file flags (schg, ...) that this system cannot set",
            report.extracted.flags_skipped
        );
    }
    let dataset = args
        .dataset
        .clone()
        .or_else(|| crate::exec::adapters::zfs::dataset_of(&args.root));
    if let Some(dataset) = dataset {
        let snapshot = format!("{dataset}@jailwright-bootstrap-{}", args.release);
        match crate::exec::adapters::command::stdout_of(
            "zfs",
            &["snapshot", &snapshot],
            Duration::from_secs(300),
        ) {
            Ok(_) => outln!("snapshot {snapshot}"),
            Err(e) => errln!("jailwright: {e}"),
        }
    }
    Ok(ExitCode::Ok)
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}
