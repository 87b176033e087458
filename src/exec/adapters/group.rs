//! What a step's command left running in its process group once it
//! exited: SIGTERM, a short grace, then SIGKILL, and a wait until the
//! group is empty (bounded), so nothing the step started still changes the
//! root when apply snapshots it. Members jailwright is the (sub)reaper of
//! are reaped here, so a killed member does not linger as a zombie that
//! still counts as part of the group.

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use std::time::{Duration, Instant};

/// How long the members get to end after SIGTERM, and after SIGKILL.
const GRACE: Duration = Duration::from_millis(500);
const AFTER_KILL: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(10);

/// Stops what is left in `group`; true when something was.
pub fn end(group: Pid) -> bool {
    if !alive(group) {
        return false;
    }
    let _ = killpg(group, Signal::SIGTERM);
    if !gone_within(group, GRACE) {
        let _ = killpg(group, Signal::SIGKILL);
        gone_within(group, AFTER_KILL);
    }
    true
}

/// Whether a process (not one jailwright already reaped) is in `group`.
fn alive(group: Pid) -> bool {
    reap(group);
    killpg(group, None) != Err(Errno::ESRCH)
}

fn gone_within(group: Pid, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while alive(group) {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
    true
}

/// Reaps the members of `group` that are jailwright's children and ended.
fn reap(group: Pid) {
    let members = Pid::from_raw(-group.as_raw());
    while let Ok(status) = waitpid(members, Some(WaitPidFlag::WNOHANG)) {
        if status == WaitStatus::StillAlive {
            break;
        }
    }
}
