//! `jailwright apply TEMPLATE... (--jail J | --root PATH)`: runs the plan,
//! with a ZFS snapshot of the start and after every step.

use super::ledger::Ledger;
use super::plan::{PlanArgs, make_plan};
use super::progress::Progress;
use super::{Error, ExitCode, Format};
use crate::exec::adapters::host::{HostTarget, content_of};
use crate::exec::adapters::jail::jail_root;
use crate::exec::adapters::lock::TargetLock;
use crate::exec::adapters::zfs::{ZfsSnapshots, dataset_for, dataset_of};
use crate::exec::adapters::{interrupt, leftovers, process, target_check};
use crate::exec::apply::{
    Cause, Event, Failure, Options, Rollback, StepError, apply, step_digests,
};
use crate::exec::chain::ChainError;
use crate::exec::foresee::{Foresight, foresee};
use crate::exec::plan::{TargetSpec, render};
use crate::exec::ports::Snapshots;
use clap::{Args, ValueEnum};

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
    /// ZFS snapshots of the start and after every step: auto (when the
    /// root is a dataset's mountpoint), on (fail when it is not), off.
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
    /// Roll back to the cached steps even when the jail wrote since the
    /// last run (what it wrote is lost). Without it, a changed jail gets
    /// the template's steps on its current state.
    #[arg(long, conflicts_with = "refuse_changes")]
    discard_changes: bool,
    /// Refuse to run when the jail wrote since the template's last run
    /// (naming what changed where ZFS can tell), instead of running the
    /// steps on its current state.
    #[arg(long)]
    refuse_changes: bool,
    /// Say which steps a run would reuse and which it would run (as
    /// Ansible's check mode does), deciding as a run does from the
    /// dataset's snapshots; nothing runs and nothing on the host changes.
    #[arg(long)]
    dry_run: bool,
}

pub fn run(args: ApplyArgs) -> Result<ExitCode, Error> {
    let plan = make_plan(&args.plan)?;
    let json = matches!(args.plan.format, Format::Json);
    if !plan.runnable() {
        err!("{}", render(&plan));
        errln!("jailwright: apply refuses to start: fix the blocked steps above");
        return Ok(ExitCode::Found);
    }
    let root = match &plan.target {
        TargetSpec::Root(r) => r.clone(),
        TargetSpec::Jail(j) => jail_root(j).map_err(|error| Error::Jail {
            jail: j.clone(),
            error,
        })?,
    };
    if let TargetSpec::Root(_) = &plan.target {
        target_check::refuse_host_root(&root)?;
    }
    // One apply per target at a time.
    let _lock = TargetLock::acquire(&root)?;
    // A killed run's transaction may have left the root unmounted or its
    // clone in the dataset's place: finished or undone before anything.
    let (standing, recovered) = recover(&args, &root)?;
    if let TargetSpec::Root(_) = &plan.target {
        target_check::check_root(&root, &plan)?;
    }
    // The dataset must be mounted at the root, or its snapshots and
    // rollbacks would not hold what apply changes.
    let dataset = dataset(&args, standing, &root)?;
    // What a killed apply left running in the root; each step's own group.
    if let TargetSpec::Root(_) = &plan.target
        && let Some(warning) = leftovers::stopped_in(&root)
    {
        errln!("jailwright: warning: {warning}");
    }
    if !args.dry_run {
        process::supervise(process::Leftovers::of(&plan.target)).map_err(Error::Supervise)?;
    }
    let mut store = match (args.snapshots, dataset) {
        (SnapshotMode::Off, _) => None,
        (_, Some(dataset)) => Some(
            recovered
                .filter(|store| store.dataset == ZfsSnapshots::new(dataset.clone()).dataset)
                .unwrap_or_else(|| ZfsSnapshots::new(dataset)),
        ),
        (SnapshotMode::On, None) => return Err(Error::NoDataset { root }),
        (SnapshotMode::Auto, None) => None,
    };
    if store.is_none() && !args.dry_run {
        errln!("jailwright: no snapshots: a failed step cannot be rolled back");
    }
    let digests = step_digests(&plan, content_of);
    let mut target = HostTarget::open(&root).map_err(Error::Target)?;
    let options = Options {
        use_cache: !args.no_cache,
        keep_failed: args.keep_failed,
        discard_changes: args.discard_changes,
        refuse_changes: args.refuse_changes,
    };
    if args.dry_run {
        let store = store.as_mut().map(|s| s as &mut dyn Snapshots);
        return Ok(dry_run(&plan, &digests, &mut target, store, options, json));
    }
    let snapshots = store.is_some();
    let mut ledger = Ledger::new(&plan);
    let mut progress = Progress::new(json);
    let mut on_event = |event: Event| {
        ledger.note(&event);
        progress.show(event)
    };
    let result = apply(
        &plan,
        &digests,
        &mut target,
        store.as_mut().map(|s| s as &mut dyn Snapshots),
        options,
        &mut on_event,
    );
    progress.finish();
    let code = match result {
        Ok(report) => report_success(&report, ledger, json),
        Err(failure) => {
            if json {
                let ledger = ledger.failed(&failure, snapshots);
                ledger.print();
            }
            report_failure(&failure)
        }
    };
    match interrupt::caught() {
        Some(signal) => Err(Error::Stopped(signal.to_string())),
        None => Ok(code),
    }
}

/// A killed run's transaction, finished or undone. When there was nothing
/// to recover, the dataset found stands (no second lookup) and so does its
/// store (no second recovery): `(standing, recovered)`.
#[allow(clippy::type_complexity)]
fn recover(
    args: &ApplyArgs,
    root: &std::path::Path,
) -> Result<(Option<Option<String>>, Option<ZfsSnapshots>), Error> {
    let mut standing: Option<Option<String>> = None;
    let mut recovered: Option<ZfsSnapshots> = None;
    if args.snapshots != SnapshotMode::Off {
        let named = args.dataset.clone().or_else(|| dataset_of(root));
        let outcome = match &named {
            // A dry run decides over the dataset as it stands.
            Some(dataset) if !args.dry_run => {
                let mut store = ZfsSnapshots::new(dataset.clone());
                let outcome = store.recover();
                recovered = Some(store);
                outcome
            }
            _ => Ok(None),
        };
        match outcome {
            Ok(Some(done)) => {
                errln!("jailwright: {done}");
                recovered = None;
            }
            Ok(None) => standing = Some(named),
            Err(e) => return Err(Error::Recovery(e)),
        }
    }
    Ok((standing, recovered))
}

/// The dataset mounted at the root (its snapshots and rollbacks must hold
/// what apply changes), from the one `recover` found standing.
fn dataset(
    args: &ApplyArgs,
    standing: Option<Option<String>>,
    root: &std::path::Path,
) -> Result<Option<String>, Error> {
    let found = match (args.snapshots, standing) {
        (SnapshotMode::Off, _) | (_, Some(None)) => return Ok(None),
        (_, Some(Some(named))) => dataset_for(root, Some(&named)),
        (_, None) => dataset_for(root, args.dataset.as_deref()),
    };
    found.map_err(Error::ApplyDataset)
}

/// `--dry-run`: what a run would do, decided as a run decides.
fn dry_run(
    plan: &crate::exec::plan::Plan,
    digests: &[String],
    target: &mut HostTarget,
    store: Option<&mut dyn Snapshots>,
    options: Options,
    json: bool,
) -> ExitCode {
    match foresee(plan, digests, target, store, options.policy()) {
        Ok(foresight) => report_foresight(plan, &foresight, json),
        Err(cause) => {
            let failure = Failure {
                cause: Box::new(cause),
                rollback: Rollback::NothingRan,
            };
            if json {
                let ledger = Ledger::new(plan).failed(&failure, true);
                ledger.print();
            }
            report_failure(&failure)
        }
    }
}

fn report_success(report: &crate::exec::apply::Report, ledger: Ledger, json: bool) -> ExitCode {
    if json {
        let ledger = ledger.succeeded(report);
        ledger.print();
    } else if report.up_to_date {
        outln!("up to date: nothing ran ({} step(s))", report.reused);
    } else {
        outln!(
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
    ExitCode::Ok
}

/// `--dry-run`: which steps a run would reuse and which it would run.
fn report_foresight(plan: &crate::exec::Plan, foresight: &Foresight, json: bool) -> ExitCode {
    if json {
        let ledger = Ledger::new(plan).foreseen(foresight);
        ledger.print();
        return ExitCode::Ok;
    }
    if let Some(mark) = &foresight.dead_run {
        outln!(
            "a run killed before it finished ({mark}): a run would first roll its partial step back"
        );
    }
    if foresight.up_to_date {
        outln!(
            "up to date: a run would run nothing ({} step(s) reused)",
            foresight.reused
        );
        return ExitCode::Ok;
    }
    if foresight.diverged {
        outln!(
            "the jail changed since the last run of this template: a run would run every step on its current state"
        );
    }
    for step in &plan.steps[foresight.reused..] {
        outln!(
            "would run [{}/{}] {} ({}:{})",
            step.step + 1,
            plan.steps.len(),
            step.name,
            step.file,
            step.line
        );
    }
    outln!(
        "dry run: {} step(s) would run, {} reused{}; nothing was changed",
        foresight.would_run,
        foresight.reused,
        if foresight.snapshots {
            ""
        } else {
            " (no snapshots: every step runs)"
        }
    );
    ExitCode::Ok
}

/// Prints what failed and what became of the root; exit 1 for a failed
/// step, 2 for a snapshot failure.
fn report_failure(failure: &Failure) -> ExitCode {
    errln!("jailwright: {}", failure.cause);
    if let Cause::Step {
        error: StepError::Exited { outcome, .. },
        ..
    } = &*failure.cause
        && !outcome.tail.is_empty()
    {
        errln!("{}", outcome.tail);
    }
    errln!("jailwright: {}", failure.rollback);
    let foreign = matches!(
        &*failure.cause,
        Cause::Snapshots {
            error: ChainError::Foreign(_),
            ..
        }
    ) || matches!(
        &failure.rollback,
        Rollback::Failed {
            error: ChainError::Foreign(_),
            ..
        }
    );
    if foreign {
        errln!(
            "jailwright: jailwright never destroys those: move them aside (zfs rename), or apply with --snapshots off (no rollback)"
        );
    }
    match *failure.cause {
        Cause::Step { .. } | Cause::Changed { .. } => ExitCode::Found,
        Cause::Snapshots { .. } => ExitCode::Trouble,
    }
}
