//! A step's processes never outlive it on an offline root (issue 13, item
//! 9): what a step leaves running is stopped when it ends, a signal to
//! jailwright kills the running step and fails it, and what a SIGKILLed
//! apply left running in the root is stopped by the next apply. Real
//! chroot into a busybox-static root; needs root (`.ci/zfs-fuse-up`
//! installs busybox-static).

use crate::common;

use crate::common::Test;
use jailwright::exec::adapters::leftovers;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

/// A step that starts a loop appending to /tick every 0.1 s.
const TICKING: &str = "(while true; do date >> /tick; sleep 0.1; done)";

/// A test directory with a busybox root in it; whatever still runs in the
/// root when the test ends (a failing one) is stopped.
struct Rooted {
    test: Test,
    root: PathBuf,
}

impl Rooted {
    fn new(templates: &[(&str, &str)]) -> Self {
        let mut test = Test::new();
        for (path, text) in templates {
            test = test.file(path, text);
        }
        let root = test.path().join("root");
        common::busybox_root(&root, &["sleep", "date"]);
        Rooted { test, root }
    }

    /// Starts `apply TEMPLATE --root ROOT --snapshots off`, its output
    /// going to files named after `name`.
    fn start_apply(&self, template: &str, name: &str) -> Child {
        let dir = self.test.path();
        Command::new(env!("CARGO_BIN_EXE_jailwright"))
            .args(["apply", template, "--root"])
            .arg(&self.root)
            .args(["--snapshots", "off"])
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdout(File::create(dir.join(format!("{name}.out"))).unwrap())
            .stderr(File::create(dir.join(format!("{name}.err"))).unwrap())
            .spawn()
            .expect("run jailwright")
    }

    fn stderr(&self, name: &str) -> String {
        std::fs::read_to_string(self.test.path().join(format!("{name}.err"))).unwrap()
    }

    fn tick(&self) -> PathBuf {
        self.root.join("tick")
    }
}

impl Drop for Rooted {
    fn drop(&mut self) {
        let _ = leftovers::stopped_in(&self.root);
    }
}

/// Waits for `child` at most `limit`; kills it and fails when it is late.
fn finish_within(mut child: Child, limit: Duration, what: &str) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not end within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Polls `ready` until it holds, for at most `limit`.
fn eventually(limit: Duration, ready: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !ready() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Whether `path` stays the same size over a second (the loop writes ten
/// times a second).
fn stays_still(path: &Path) -> bool {
    std::thread::sleep(Duration::from_millis(200));
    let before = size(path);
    std::thread::sleep(Duration::from_secs(1));
    size(path) == before
}

fn running_in(root: &Path) -> Vec<leftovers::Leftover> {
    leftovers::find_in(root).unwrap()
}

#[test]
fn step_processes_are_killed_when_the_step_ends_on_an_offline_root() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let step = format!(
        "CMD {TICKING} > /dev/null 2>&1 & while [ ! -s /tick ]; do sleep 0.05; done\nCMD echo next > /next\n"
    );
    let t = Rooted::new(&[("Bastillefile", &step)]);
    let status = finish_within(
        t.start_apply("Bastillefile", "apply"),
        Duration::from_secs(60),
        "apply",
    );
    assert!(status.success(), "{}", t.stderr("apply"));
    assert!(t.root.join("next").exists(), "{}", t.stderr("apply"));
    let left = running_in(&t.root);
    assert!(left.is_empty(), "still running in the root: {left:?}");
    assert!(size(&t.tick()) > 0);
    assert!(stays_still(&t.tick()), "/tick still grows after apply");
}

#[test]
fn a_background_job_holding_the_steps_output_open_does_not_hang_apply() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let step = format!("CMD {TICKING} & while [ ! -s /tick ]; do sleep 0.05; done\n");
    let t = Rooted::new(&[("Bastillefile", &step)]);
    let status = finish_within(
        t.start_apply("Bastillefile", "apply"),
        Duration::from_secs(30),
        "apply with a background job on the step's output",
    );
    assert!(status.success(), "{}", t.stderr("apply"));
    assert!(running_in(&t.root).is_empty());
    assert!(stays_still(&t.tick()), "/tick still grows after apply");
}

#[test]
fn a_sigkilled_apply_leaves_no_process_writing_into_the_root() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let t = Rooted::new(&[
        ("first/Bastillefile", &format!("CMD {TICKING} & sleep 30\n")),
        ("second/Bastillefile", "CMD true\n"),
    ]);
    let mut first = t.start_apply("first/Bastillefile", "first");
    assert!(
        eventually(Duration::from_secs(30), || size(&t.tick()) > 0),
        "the step never ticked: {}",
        t.stderr("first")
    );
    first.kill().unwrap();
    first.wait().unwrap();
    let loops: Vec<i32> = running_in(&t.root)
        .into_iter()
        .filter(|l| l.command.contains("while true"))
        .map(|l| l.pid)
        .collect();
    assert!(
        !loops.is_empty(),
        "the loop should outlive a SIGKILLed apply"
    );

    let status = finish_within(
        t.start_apply("second/Bastillefile", "second"),
        Duration::from_secs(60),
        "the next apply",
    );
    let stderr = t.stderr("second");
    assert!(status.success(), "{stderr}");
    assert!(
        stays_still(&t.tick()),
        "/tick still grows after the next apply"
    );
    assert!(running_in(&t.root).is_empty());
    assert!(stderr.contains("warning: stopped"), "{stderr}");
    // The step's own shell (same command line as the loop it forked) may
    // still have been dying of PR_SET_PDEATHSIG when `loops` was read, so
    // the warning names the loop, not necessarily every pid seen then.
    assert!(
        loops
            .iter()
            .any(|pid| stderr.contains(&format!("{pid} (/bin/sh -c (while true"))),
        "the warning should name the loop ({loops:?}): {stderr}"
    );
}

#[test]
fn a_sigterm_during_a_step_kills_its_process_group_and_fails_the_step() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let template = format!("CMD {TICKING} & sleep 30\nCMD echo second > /second\n");
    let t = Rooted::new(&[("Bastillefile", &template)]);
    let apply = t.start_apply("Bastillefile", "apply");
    assert!(
        eventually(Duration::from_secs(30), || size(&t.tick()) > 0),
        "the step never ticked: {}",
        t.stderr("apply")
    );
    kill(Pid::from_raw(apply.id() as i32), Signal::SIGTERM).unwrap();
    let status = finish_within(apply, Duration::from_secs(10), "apply after SIGTERM");
    let stderr = t.stderr("apply");
    assert_eq!(status.code(), Some(2), "exits, not killed: {stderr}");
    assert!(stderr.contains("step 1 (CMD) failed"), "{stderr}");
    assert!(stderr.contains("stopped by SIGTERM"), "{stderr}");
    assert!(!t.root.join("second").exists(), "no step runs after it");
    assert!(running_in(&t.root).is_empty());
    assert!(stays_still(&t.tick()), "/tick still grows after apply");
}
