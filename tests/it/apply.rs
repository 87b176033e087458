//! apply through the ports, with the recording adapter: snapshots, cache
//! reuse, rollback on failure.

use jailwright::dialect::{Bindings, bastille, makejail};
use jailwright::exec::adapters::recording::Recording;
use jailwright::exec::apply::{
    Cause, Event, Options, Phase, Rollback, StepError, apply, cache_keys,
};
use jailwright::exec::chain::{self, ChainError};
use jailwright::exec::plan::{Facts, TargetSpec, plan};
use jailwright::exec::ports::{Snapshot, Snapshots};
use jailwright::source::SourceFile;

const OPTIONS: Options = Options {
    discard_changes: false,
    refuse_changes: false,
    use_cache: true,
    keep_failed: false,
};

fn planned(text: &str) -> jailwright::exec::Plan {
    let doc = bastille::parse(
        SourceFile::new("Bastillefile", text.as_bytes()),
        &Bindings::default(),
    );
    plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default())
}

/// A target and a snapshot store sharing one log and one `fail_on` (a
/// word of a command's argv; the start of a snapshot call).
struct Rig {
    target: Recording,
    store: Recording,
}

impl Rig {
    fn new(fail_on: &[&str]) -> Self {
        let target = Recording {
            fail_on: fail_on.iter().map(|s| s.to_string()).collect(),
            // What the root holds; a test changes it to say the jail wrote.
            state: "s0".into(),
            ..Recording::default()
        };
        let store = Recording {
            log: target.log.clone(),
            fail_on: target.fail_on.clone(),
            ..Recording::default()
        };
        Rig { target, store }
    }

    fn calls(&self) -> Vec<String> {
        self.target.calls()
    }

    fn clear(&self) {
        self.target.log.borrow_mut().clear();
    }
}

type Outcome = Result<jailwright::exec::apply::Report, jailwright::exec::apply::Failure>;

fn run(rig: &mut Rig, text: &str) -> Outcome {
    run_plan(rig, &planned(text))
}

/// The plan of a Bastillefile for an offline root at /r.
fn planned_root(text: &str) -> jailwright::exec::Plan {
    let doc = bastille::parse(
        SourceFile::new("Bastillefile", text.as_bytes()),
        &Bindings::default(),
    );
    plan(&doc, &TargetSpec::Root("/r".into()), &Facts::default())
}

fn run_root(rig: &mut Rig, text: &str) -> Outcome {
    run_plan(rig, &planned_root(text))
}

/// Applies a plan to the rig's target with its snapshot store.
fn run_plan(rig: &mut Rig, p: &jailwright::exec::Plan) -> Outcome {
    run_plan_with(rig, p, OPTIONS, &mut |_| {})
}

/// As `run_plan`, with options and a listener for the events.
fn run_plan_with(
    rig: &mut Rig,
    p: &jailwright::exec::Plan,
    options: Options,
    on_event: &mut dyn FnMut(Event),
) -> Outcome {
    let keys = cache_keys(p, |_| Vec::new());
    apply(
        p,
        &keys,
        &mut rig.target,
        Some(&mut rig.store as &mut dyn Snapshots),
        options,
        on_event,
    )
}

#[test]
fn first_run_snapshots_the_start_and_every_step() {
    let mut rig = Rig::new(&[]);
    let report = run(&mut rig, "CMD one\nCMD two\n").unwrap();
    assert_eq!((report.reused, report.ran), (0, 2));
    let calls = rig.calls();
    let kinds: Vec<&str> = calls.iter().map(|c| c.split(' ').next().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "snapshot", "mark", "run", "snapshot", "run", "snapshot", "mark"
        ],
        "the dataset is marked while the run is in progress"
    );
    assert_eq!(rig.store.snapshots.len(), 3);
}

#[test]
fn a_rerun_reuses_the_unchanged_prefix_and_runs_only_the_rest() {
    let mut rig = Rig::new(&[]);
    run_root(&mut rig, "CMD one\nCMD two\nCMD three\n").unwrap();
    let old = names(&rig.store);
    rig.clear();
    let report = run_root(&mut rig, "CMD one\nCMD two\nCMD changed\n").unwrap();
    assert_eq!((report.reused, report.ran), (2, 1));
    let calls = rig.calls();
    assert!(
        calls[0].starts_with("begin jailwright-0002-") && calls.contains(&"commit".to_string()),
        "step 2 reused on a clone of its snapshot, committed after success: {calls:?}"
    );
    assert!(
        !calls.iter().any(|c| c.starts_with("rollback")),
        "{calls:?}"
    );
    assert_eq!(calls.iter().filter(|c| c.starts_with("run")).count(), 1);
    assert_eq!(names(&rig.store)[..3], old[..3]);
    rig.clear();
    let report = run_root(&mut rig, "CMD one\nCMD two\nCMD changed\n").unwrap();
    assert!(report.up_to_date, "{report:?}");
}

#[test]
fn a_failure_after_reusing_a_step_restores_the_previous_result_and_its_chain() {
    let mut rig = Rig::new(&["broken"]);
    run_root(&mut rig, "CMD one\nCMD two\nCMD three\n").unwrap();
    let old = names(&rig.store);
    rig.clear();
    let failure = run_root(&mut rig, "CMD one\nCMD two\nCMD broken\n").unwrap_err();
    assert!(
        matches!(&failure.rollback, Rollback::Aborted(from) if from.starts_with("jailwright-0002-")),
        "{failure:?}"
    );
    assert!(
        rig.calls().contains(&"abort".to_string()),
        "{:?}",
        rig.calls()
    );
    assert_eq!(names(&rig.store), old, "the whole earlier chain is intact");
    rig.target.fail_on.clear();
    rig.store.fail_on.clear();
    rig.clear();
    let report = run_root(&mut rig, "CMD one\nCMD two\nCMD three\n").unwrap();
    assert!(report.up_to_date, "its cache still works: {report:?}");
}

#[test]
fn a_running_jail_is_never_rolled_back_past_its_last_step() {
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.clear();
    let report = run(&mut rig, "CMD one\nCMD changed\n").unwrap();
    assert_eq!(
        (report.reused, report.ran),
        (0, 2),
        "its steps on its current state"
    );
    let calls = rig.calls();
    assert!(
        !calls
            .iter()
            .any(|c| c.starts_with("rollback") || c.starts_with("begin")),
        "{calls:?}"
    );
}

#[test]
fn a_failing_step_rolls_back_to_where_the_run_started() {
    let mut rig = Rig::new(&["boom"]);
    let failure = run(&mut rig, "CMD ok\nCMD boom\n").unwrap_err();
    assert_eq!(failure.step(), Some(2));
    assert!(
        matches!(&*failure.cause, Cause::Step { error: StepError::Exited { command, .. }, .. } if command.contains("boom")),
        "{failure:?}"
    );
    assert!(
        failure
            .rolled_back_to()
            .unwrap()
            .starts_with("jailwright-0000-")
    );
    let calls = rig.calls();
    let to = failure.rolled_back_to().unwrap();
    assert_eq!(
        calls[calls.len() - 3..],
        [
            format!("rollback {to}"),
            format!("destroy {to}"),
            "mark -".to_string()
        ],
        "rolled back to the run's start, which is then not needed"
    );
}

#[test]
fn without_snapshots_every_step_runs_and_nothing_rolls_back() {
    let p = planned("CMD a\nCMD b\n");
    let keys = cache_keys(&p, |_| Vec::new());
    let mut rec = Recording::default();
    let report = apply(&p, &keys, &mut rec, None, OPTIONS, &mut |_| {}).unwrap();
    assert!(!report.snapshots);
    assert_eq!(rec.calls().len(), 2);
}

#[test]
fn cache_keys_change_with_copied_content() {
    let p = planned("CP usr /\nCMD after\n");
    let a = cache_keys(&p, |_| b"one".to_vec());
    let b = cache_keys(&p, |_| b"two".to_vec());
    assert_ne!(a[0], b[0]);
    assert_ne!(a[1], b[1], "a change flows into every later key");
}

#[test]
fn render_cache_keys_ignored_a_changed_arg_value() {
    // The key of a RENDER step holds the values it substitutes: a new
    // `--arg` value renders again (a count of them alone did not).
    let keys = |args: &[&str]| {
        let doc = bastille::parse(
            SourceFile::new("Bastillefile", b"ARG PORT=80\nRENDER /etc/app\n"),
            &Bindings {
                args: args.iter().map(|a| a.to_string()).collect(),
                ..Bindings::default()
            },
        );
        let p = plan(&doc, &TargetSpec::Root("/r".into()), &Facts::default());
        cache_keys(&p, |_| Vec::new())
    };
    assert_eq!(keys(&[]), keys(&[]));
    assert_ne!(keys(&[]), keys(&["PORT=8080"]));
}

#[test]
fn render_rewrites_every_file_under_a_path_and_only_warns_when_missing() {
    let mut rig = Rig::new(&[]);
    rig.target
        .files
        .insert("/etc/app/a.conf".into(), b"port=${PORT}\n".to_vec());
    rig.target
        .files
        .insert("/etc/app/b.conf".into(), b"unchanged\n".to_vec());
    let p = planned("ARG PORT=8080\nRENDER /etc/app\nRENDER /nowhere\n");
    let keys = cache_keys(&p, |_| Vec::new());
    let mut events = Vec::new();
    apply(&p, &keys, &mut rig.target, None, OPTIONS, &mut |e| {
        events.push(e)
    })
    .unwrap();
    assert_eq!(rig.target.files["/etc/app/a.conf"], b"port=8080\n");
    let writes: Vec<String> = rig
        .calls()
        .into_iter()
        .filter(|c| c.starts_with("write"))
        .collect();
    assert_eq!(
        writes,
        ["write /etc/app/a.conf"],
        "unchanged files are not rewritten"
    );
    assert!(
        events.iter().any(
            |e| matches!(e, Event::Warning { step: 3, message } if message.contains("/nowhere"))
        ),
        "{events:?}"
    );
}

#[test]
fn replace_writes_the_output_and_fails_on_a_missing_keyword() {
    let doc = makejail::parse(
        SourceFile::new(
            "Makejail",
            b"REPLACE /etc/app.conf PORT 8080 /etc/out.conf\nREPLACE /etc/app.conf NOPE x\n",
        ),
        &Bindings::default(),
    );
    let p = plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default());
    let mut rig = Rig::new(&[]);
    rig.target
        .files
        .insert("/etc/app.conf".into(), b"p=%{PORT} e=%%{PORT}\n".to_vec());
    let failure = run_plan(&mut rig, &p).unwrap_err();
    assert_eq!(rig.target.files["/etc/out.conf"], b"p=8080 e=%%{PORT}\n");
    assert_eq!(
        rig.target.files["/etc/app.conf"], b"p=%{PORT} e=%{PORT}\n",
        "AppJail unescapes %% in the file it read, not in the output"
    );
    assert_eq!(failure.step(), Some(2));
    assert!(
        failure
            .cause
            .to_string()
            .contains("NOPE: variable is not defined"),
        "{}",
        failure.cause
    );
}

#[test]
fn a_rerun_never_reuses_a_snapshot_past_a_live_step() {
    let mut rig = Rig::new(&[]);
    run_root(&mut rig, "CMD one\nCMD two\nCMD three\n").unwrap();
    run_root(&mut rig, "CMD one\nSERVICE nginx enable\nCMD three\n").unwrap();
    rig.clear();
    let report = run_root(&mut rig, "CMD one\nSERVICE nginx enable\nCMD changed\n").unwrap();
    assert_eq!(
        (report.reused, report.ran),
        (1, 2),
        "the service's start is in no snapshot: it runs again"
    );
}

#[test]
fn output_lines_reach_the_events() {
    let mut rig = Rig::new(&[]);
    let p = planned("CMD echo hi\n");
    let keys = cache_keys(&p, |_| Vec::new());
    let mut lines = Vec::new();
    apply(&p, &keys, &mut rig.target, None, OPTIONS, &mut |e| {
        if let Event::Output { line, .. } = e {
            lines.push(line)
        }
    })
    .unwrap();
    assert_eq!(lines, ["ran jexec"]);
}

#[test]
fn another_template_on_the_same_target_builds_on_what_it_finds() {
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD first\n").unwrap();
    rig.clear();
    let doc = bastille::parse(
        SourceFile::new("other/Bastillefile", b"CMD second\n"),
        &Bindings::default(),
    );
    let p = plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default());
    run_plan(&mut rig, &p).unwrap();
    let calls = rig.calls();
    assert!(
        !calls.iter().any(|c| c.starts_with("rollback")),
        "the first template's work is kept: {calls:?}"
    );
    assert!(
        calls[0].starts_with("snapshot jailwright-0000-"),
        "{calls:?}"
    );
    let last_run = calls.iter().rposition(|c| c.starts_with("run")).unwrap();
    assert!(
        calls[last_run + 2..]
            .iter()
            .filter(|c| c.starts_with("destroy jailwright-"))
            .count()
            == 2,
        "the first template's snapshots go only after the run succeeded: {calls:?}"
    );
}

#[test]
fn an_unchanged_template_is_up_to_date_nothing_runs_nothing_rolls_back() {
    let mut rig = Rig::new(&[]);
    let text = "CMD one\nCP usr /\nSERVICE nginx start\n";
    run(&mut rig, text).unwrap();
    // Whatever the jail wrote since.
    rig.target.state = "the jail wrote".into();
    rig.clear();
    let report = run(&mut rig, text).unwrap();
    assert!(report.up_to_date);
    assert_eq!((report.reused, report.ran), (3, 0));
    assert_eq!(rig.calls(), Vec::<String>::new(), "no command, no rollback");
}

#[test]
fn a_rerun_after_the_jail_wrote_keeps_what_it_wrote() {
    // The silent data loss of issue 14: a re-apply after an edit of the
    // last step rolled the dataset back to step 1, and data.sql was gone.
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.target.state = "var/db/data.sql written".into();
    let old = names(&rig.store);
    rig.clear();
    let report = run(&mut rig, "CMD one\nCMD edited\n").unwrap();
    assert!(report.diverged);
    assert_eq!(
        (report.reused, report.ran),
        (0, 2),
        "every step, on the current state"
    );
    let calls = rig.calls();
    assert!(
        !calls.iter().any(|c| c.starts_with("rollback")),
        "{calls:?}"
    );
    let destroyed: Vec<&String> = calls.iter().filter(|c| c.starts_with("destroy")).collect();
    assert_eq!(
        destroyed.len(),
        old.len(),
        "the old chain goes after success: {calls:?}"
    );
    let last_run = calls.iter().rposition(|c| c.starts_with("run")).unwrap();
    let first_destroy = calls.iter().position(|c| c.starts_with("destroy")).unwrap();
    assert!(first_destroy > last_run, "{calls:?}");
}

#[test]
fn a_failure_after_the_jail_wrote_restores_the_start_and_keeps_the_old_chain() {
    let mut rig = Rig::new(&["broken"]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.target.state = "the jail wrote".into();
    let old = names(&rig.store);
    rig.clear();
    let failure = run(&mut rig, "CMD one\nCMD broken\n").unwrap_err();
    let Rollback::Done(to) = &failure.rollback else {
        panic!("{failure:?}");
    };
    assert!(to.starts_with("jailwright-0000-") && !old.contains(to));
    assert!(
        rig.calls().iter().any(|c| c == &format!("rollback {to}")),
        "rolled back to this run's own start: {:?}",
        rig.calls()
    );
    assert_eq!(
        names(&rig.store),
        old,
        "the earlier chain is intact, nothing else left"
    );
    // The earlier chain still works: the template that built it is up to date.
    rig.target.state = "restored".into();
    let again = Rig {
        target: std::mem::take(&mut rig.target),
        store: std::mem::take(&mut rig.store),
    };
    let mut rig = again;
    rig.target.fail_on.clear();
    rig.store.fail_on.clear();
    let report = run(&mut rig, "CMD one\nCMD two\n").unwrap();
    assert!(report.up_to_date, "{report:?}");
}

#[test]
fn discard_changes_rolls_back_to_the_cached_prefix() {
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.target.state = "the jail wrote".into();
    rig.clear();
    let p = planned("CMD one\nCMD edited\n");
    let options = Options {
        discard_changes: true,
        ..OPTIONS
    };
    let report = run_plan_with(&mut rig, &p, options, &mut |_| {}).unwrap();
    assert_eq!((report.reused, report.ran), (1, 1));
    assert!(
        rig.calls()
            .iter()
            .any(|c| c.starts_with("rollback jailwright-0001-"))
    );
}

/// Another tool's snapshot (a backup, bastille's, jailwright's bootstrap).
fn foreign(name: &str) -> Snapshot {
    Snapshot::new(name, "")
}

const FOREIGN: [&str; 3] = [
    "my-backup",
    "bastille_backup_x",
    "jailwright-bootstrap-14.2-RELEASE",
];

fn names(store: &Recording) -> Vec<String> {
    store.snapshots.iter().map(|s| s.name.clone()).collect()
}

#[test]
fn a_new_chain_destroys_only_jailwrights_apply_snapshots() {
    let mut rig = Rig::new(&[]);
    rig.store
        .snapshots
        .extend(FOREIGN.iter().map(|n| foreign(n)));
    run(&mut rig, "CMD first\n").unwrap();
    let doc = bastille::parse(
        SourceFile::new("other/Bastillefile", b"CMD second\n"),
        &Bindings::default(),
    );
    let p = plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default());
    run_plan(&mut rig, &p).unwrap();
    let left = names(&rig.store);
    assert_eq!(&left[..3], FOREIGN, "{left:?}");
    assert_eq!(left.len(), 5, "the new chain's start and step: {left:?}");
    assert!(
        !rig.calls()
            .iter()
            .any(|c| FOREIGN.iter().any(|f| c.ends_with(f))),
        "{:?}",
        rig.calls()
    );
}

#[test]
fn a_backup_taken_after_a_run_is_kept_and_the_edit_runs_on_the_current_state() {
    // Going back to step 1 would destroy the backup: jailwright never does;
    // the edited template runs on the current state instead.
    let mut rig = Rig::new(&[]);
    run_root(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.store.snapshots.push(foreign("my-backup"));
    rig.clear();
    let report = run_root(&mut rig, "CMD one\nCMD changed\n").unwrap();
    assert_eq!((report.reused, report.ran), (0, 2));
    let calls = rig.calls();
    assert!(
        !calls.iter().any(|c| c.starts_with("rollback")
            || c.starts_with("begin")
            || c.ends_with("my-backup")),
        "{calls:?}"
    );
    assert!(names(&rig.store).contains(&"my-backup".to_string()));
}

#[test]
fn a_rollback_after_a_failure_never_destroys_a_snapshot_taken_during_the_run() {
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    let start = rig.store.snapshots[0].name.clone();
    rig.store.snapshots.push(foreign("bastille_backup_x"));
    let refused = chain::roll_back(&mut rig.store, &start).unwrap_err();
    assert!(matches!(&refused, ChainError::Foreign(n) if n == &["bastille_backup_x"]));
    assert_eq!(rig.store.snapshots.len(), 4, "nothing destroyed");
}

#[test]
fn a_snapshot_failure_after_a_step_names_that_step_and_the_error_and_rolls_back() {
    let mut rig = Rig::new(&["snapshot jailwright-0002-"]);
    let failure = run(&mut rig, "CMD one\nCMD two\nCMD three\n").unwrap_err();
    assert!(
        matches!(&*failure.cause, Cause::Snapshots { phase: Phase::AfterStep { step: 2, name, .. }, .. } if name == "CMD"),
        "{failure:?}"
    );
    let message = failure.cause.to_string();
    assert!(
        message.contains("after step 2 (CMD) failed: snapshot jailwright-0002-"),
        "{message}"
    );
    assert!(
        failure
            .rolled_back_to()
            .unwrap()
            .starts_with("jailwright-0000-")
    );
    assert!(
        !rig.calls().iter().any(|c| c.contains("three")),
        "step 3 never ran"
    );
}

#[test]
fn a_failed_rollback_is_never_reported_as_done() {
    let mut rig = Rig::new(&["boom", "rollback"]);
    let failure = run(&mut rig, "CMD ok\nCMD boom\n").unwrap_err();
    assert_eq!(failure.step(), Some(2));
    assert_eq!(failure.rolled_back_to(), None);
    let said = failure.rollback.to_string();
    assert!(said.contains("rollback to jailwright-0000-"), "{said}");
    assert!(
        said.contains("failed") && !said.starts_with("rolled back"),
        "{said}"
    );
}

#[test]
fn a_failure_to_list_snapshots_says_so_and_runs_nothing() {
    let mut rig = Rig::new(&["list"]);
    let failure = run(&mut rig, "CMD one\n").unwrap_err();
    assert!(
        matches!(
            &*failure.cause,
            Cause::Snapshots {
                phase: Phase::List,
                ..
            }
        ),
        "{failure:?}"
    );
    assert!(matches!(failure.rollback, Rollback::NothingRan));
    assert_eq!(rig.calls(), Vec::<String>::new());
}

#[test]
fn a_run_killed_halfway_is_resumed_from_its_last_snapshot() {
    let mut rig = Rig::new(&[]);
    let text = "CMD echo 1 >> /log\nCMD echo 2 >> /log\nCMD echo 3 >> /log\n";
    run_root(&mut rig, text).unwrap();
    // As if killed during step 3: its snapshot was never taken, its
    // partial output is in the root, and the dataset still says running.
    let third = rig.store.snapshots.pop().unwrap();
    assert!(third.name.starts_with("jailwright-0003-"));
    rig.store.running = Some("pid 4242 on /r".into());
    rig.target.state = "step 3 half done".into();
    rig.clear();
    let mut events = Vec::new();
    let p = planned_root(text);
    let report = run_plan_with(&mut rig, &p, OPTIONS, &mut |e| events.push(e)).unwrap();
    assert_eq!((report.reused, report.ran), (2, 1));
    assert!(events.contains(&Event::DeadRun {
        mark: "pid 4242 on /r".into()
    }));
    let calls = rig.calls();
    assert!(
        calls[0].starts_with("rollback jailwright-0002-"),
        "the partial step is rolled back first: {calls:?}"
    );
    assert_eq!(rig.store.running, None, "the mark is cleared at the end");
}

#[test]
fn refuse_changes_refuses_a_changed_jail_and_touches_nothing() {
    let mut rig = Rig::new(&[]);
    run(&mut rig, "CMD one\nCMD two\n").unwrap();
    rig.target.state = "the jail wrote".into();
    let before = names(&rig.store);
    rig.clear();
    let p = planned("CMD one\nCMD edited\n");
    let options = Options {
        refuse_changes: true,
        ..OPTIONS
    };
    let failure = run_plan_with(&mut rig, &p, options, &mut |_| {}).unwrap_err();
    assert!(
        matches!(&*failure.cause, Cause::Changed { snapshot, .. } if snapshot.starts_with("jailwright-0002-")),
        "{failure:?}"
    );
    assert!(failure.cause.to_string().contains("--discard-changes"));
    assert!(matches!(failure.rollback, Rollback::NothingRan));
    assert_eq!(names(&rig.store), before);
    assert!(
        !rig.calls()
            .iter()
            .any(|c| c.starts_with("run") || c.starts_with("snapshot"))
    );
}

#[test]
fn a_killed_run_on_a_running_jail_keeps_what_the_jail_wrote_since() {
    // The jail kept running after the kill: rolling the partial step back
    // would take what it wrote with it. Its steps run on its current state.
    let mut rig = Rig::new(&[]);
    let text = "CMD echo 1 >> /log\nCMD echo 2 >> /log\n";
    run(&mut rig, text).unwrap();
    rig.store.snapshots.pop();
    rig.store.running = Some("pid 4242 on jail web".into());
    rig.target.state = "step 2 half done, and the jail's own writes".into();
    rig.clear();
    let report = run(&mut rig, text).unwrap();
    assert_eq!((report.reused, report.ran), (0, 2));
    assert!(
        !rig.calls().iter().any(|c| c.starts_with("rollback")),
        "{:?}",
        rig.calls()
    );
}

/// The commands apply runs on a jail, through the recording adapter.
fn runs_on_a_jail(p: &jailwright::exec::Plan) -> Vec<String> {
    assert!(p.runnable(), "{:?}", p.steps);
    let mut rig = Rig::new(&[]);
    run_plan(&mut rig, p).unwrap();
    rig.calls()
        .into_iter()
        .filter(|c| c.starts_with("run ") || c.starts_with("copy "))
        .collect()
}

/// README's "What each instruction runs", row by row, as apply runs it
/// (the differential test proves the rows against the managers' code).
#[test]
fn apply_runs_each_managers_own_commands_row_by_row() {
    let bastille = planned("CMD echo hi\nPKG nginx\nSYSRC nginx_enable=YES\nSERVICE nginx start\n");
    assert_eq!(
        runs_on_a_jail(&bastille),
        [
            "run jexec -l -U root web sh -c echo hi",
            "run jexec -l -U root web env ASSUME_ALWAYS_YES=yes /usr/sbin/pkg install nginx",
            "run jexec -l web /usr/sbin/sysrc nginx_enable=YES",
            "run jexec -l web /usr/sbin/service nginx start",
        ]
    );
    let doc = makejail::parse(
        SourceFile::new(
            "Makejail",
            b"CMD echo hi\nPKG nginx\nPKG --jail git\nSYSRC nginx_enable=YES\nSERVICE nginx start\nWORKDIR /srv\nRUN id\n",
        ),
        &Bindings::default(),
    );
    let makejail = plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default());
    assert_eq!(
        runs_on_a_jail(&makejail),
        [
            "run jexec -l -d / -- web env sh -c echo hi",
            "run pkg -j web install -y -- nginx",
            "run jexec -l -U root web pkg install -y -- git",
            "run sysrc -j web -- nginx_enable=YES",
            "run service -j web -- nginx start",
            "run jexec -l -d / -- web mkdir -p /srv",
            "run jexec -l -d / -- web su -l root -c sh -s <<< cd /srv; env id",
        ]
    );
    let doc = jailwright::dialect::pot::parse(vec![jailwright::dialect::pot::Flavour {
        name: "nginx".into(),
        commands: None,
        script: Some(SourceFile::new("/f/nginx.sh", b"echo hi\n")),
    }]);
    let pot = plan(&doc, &TargetSpec::Jail("web".into()), &Facts::default());
    let calls = runs_on_a_jail(&pot);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].starts_with("copy /f/nginx.sh"), "{calls:?}");
    assert_eq!(calls[1], "run jexec web /tmp/nginx.sh web");
}
