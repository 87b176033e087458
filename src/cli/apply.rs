//! `jailwright apply TEMPLATE... (--jail J | --root PATH)`: runs the plan,
//! with a ZFS snapshot of the start and after every step.

use super::plan::{PlanArgs, make_plan, render};
use super::{EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, Format, trouble};
use crate::exec::adapters::host::HostTarget;
use crate::exec::adapters::zfs::{ZfsSnapshots, dataset_of};
use crate::exec::apply::{Event, Options, apply, cache_keys};
use crate::exec::plan::TargetSpec;
use crate::exec::ports::Snapshots;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotMode {
    /// Snapshot when the root is a ZFS dataset.
    Auto,
    /// Snapshot, and refuse to run without a dataset.
    On,
    /// Never snapshot (no rollback).
    Off,
}

#[derive(Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    plan: PlanArgs,
    #[arg(long, value_enum, default_value = "auto")]
    snapshots: SnapshotMode,
    /// The ZFS dataset holding the root (found from the mountpoint if not given).
    #[arg(long)]
    dataset: Option<String>,
    /// Run every step, reusing no snapshot.
    #[arg(long)]
    no_cache: bool,
    /// Leave the state of a failed step instead of rolling back.
    #[arg(long)]
    keep_failed: bool,
}

pub fn run(args: ApplyArgs) -> i32 {
    let plan = match make_plan(&args.plan) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let json = matches!(args.plan.options.format, Format::Json);
    if !plan.runnable() {
        eprint!("{}", render(&plan));
        eprintln!("jailwright: apply refuses to start: fix the blocked steps above");
        return EXIT_FOUND;
    }
    let root = match &plan.target {
        TargetSpec::Root(r) => r.clone(),
        TargetSpec::Jail(j) => match jail_root(j) {
            Ok(r) => r,
            Err(e) => return trouble(format!("jail {j}: {e}")),
        },
    };
    // One apply per target at a time.
    let _lock = match lock(&root) {
        Ok(lock) => lock,
        Err(e) => return trouble(e),
    };
    let dataset = args.dataset.clone().or_else(|| dataset_of(&root));
    let mut store = match (args.snapshots, dataset) {
        (SnapshotMode::Off, _) => None,
        (_, Some(dataset)) => Some(ZfsSnapshots { dataset }),
        (SnapshotMode::On, None) => {
            return trouble(format!(
                "{} is not a ZFS dataset: --snapshots on cannot be honoured",
                root.display()
            ));
        }
        (SnapshotMode::Auto, None) => None,
    };
    if store.is_none() {
        eprintln!("jailwright: no snapshots: a failed step cannot be rolled back");
    }
    let keys = cache_keys(&plan, content_of);
    let mut target = HostTarget { root: root.clone() };
    let options = Options {
        use_cache: !args.no_cache,
        keep_failed: args.keep_failed,
    };
    let mut on_event = |event: Event| {
        if json {
            println!(
                "{}",
                serde_json::to_string(&event).expect("events serialize")
            );
        } else {
            match event {
                Event::Reused { steps } => {
                    println!("reused {steps} unchanged step(s) from snapshots")
                }
                Event::Started { step, of, name } => println!("[{step}/{of}] {name}"),
                Event::Finished { millis, .. } => println!("      done in {millis} ms"),
                Event::Skipped { step, why } => println!("[{step}] skipped: {why}"),
            }
        }
    };
    let result = apply(
        &plan,
        &keys,
        &mut target,
        store.as_mut().map(|s| s as &mut dyn Snapshots),
        options,
        &mut on_event,
    );
    match result {
        Ok(report) => {
            if !json {
                println!(
                    "applied: {} step(s) run, {} reused{}",
                    report.ran,
                    report.reused,
                    if report.snapshots {
                        ""
                    } else {
                        " (no snapshots)"
                    }
                );
            }
            EXIT_OK
        }
        Err(failure) => {
            eprintln!(
                "jailwright: step {} ({}) failed: `{}` exited with {}",
                failure.step, failure.name, failure.command, failure.outcome.status
            );
            if !failure.outcome.tail.is_empty() {
                eprintln!("{}", failure.outcome.tail);
            }
            match failure.rolled_back_to {
                Some(snapshot) => eprintln!("jailwright: rolled back to {snapshot}"),
                None if args.keep_failed => {
                    eprintln!("jailwright: the failed state is kept (--keep-failed)")
                }
                None => eprintln!("jailwright: nothing was rolled back (no snapshots)"),
            }
            if failure.name.is_empty() {
                EXIT_TROUBLE
            } else {
                EXIT_FOUND
            }
        }
    }
}

/// The content a copy reads, for its cache key (directories walked).
fn content_of(path: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(path)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        all.extend(entry.path().to_string_lossy().as_bytes());
        if entry.file_type().is_file() {
            all.extend(std::fs::read(entry.path()).unwrap_or_default());
        }
    }
    all
}

/// A running jail's root (`jls -j J path`).
fn jail_root(jail: &str) -> Result<PathBuf, String> {
    let out = std::process::Command::new("jls")
        .args(["-j", jail, "path"])
        .output()
        .map_err(|e| format!("jls: {e} (a jail target needs FreeBSD)"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// An exclusive lock per target root, held until apply ends.
fn lock(root: &Path) -> Result<nix::fcntl::Flock<std::fs::File>, String> {
    let canonical = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let name: String = canonical
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let path = std::env::temp_dir().join(format!("jailwright-{name}.lock"));
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusiveNonblock).map_err(|_| {
        format!(
            "another apply is already running on {}",
            canonical.display()
        )
    })
}
