//! SIGINT, SIGTERM and SIGHUP while apply runs: the running step's process
//! group is killed at once, so its command fails and apply rolls back and
//! reports as for any failed step; no later command starts, and apply
//! exits non-zero when it is done. The handler only stores a number and
//! calls kill(2), both async-signal-safe.

use nix::libc;
use nix::sys::signal::{SaFlags, SigAction, SigHandler, SigSet, Signal, sigaction};
use nix::unistd::Pid;
use std::sync::atomic::{AtomicI32, Ordering};

/// The process group of the step running now (0: none).
static RUNNING: AtomicI32 = AtomicI32::new(0);
/// The signal jailwright got (0: none).
static CAUGHT: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(signal: libc::c_int) {
    CAUGHT.store(signal, Ordering::SeqCst);
    let group = RUNNING.load(Ordering::SeqCst);
    if group > 0 {
        // SAFETY: kill(2) is async-signal-safe and touches no memory.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
}

/// Installs the handler for SIGINT, SIGTERM and SIGHUP.
pub fn install() -> nix::Result<()> {
    let action = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::SA_RESTART,
        SigSet::empty(),
    );
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // SAFETY: the handler only uses atomics and kill(2).
        unsafe { sigaction(signal, &action) }?;
    }
    Ok(())
}

/// The signal that asked jailwright to stop, if one came.
pub fn caught() -> Option<Signal> {
    Signal::try_from(CAUGHT.load(Ordering::SeqCst)).ok()
}

/// While it lives, a signal kills `group`.
pub struct Running(());

/// Marks `group` as the running step's: from now on a signal kills it,
/// and so does one that came just before.
pub fn running(group: Pid) -> Running {
    RUNNING.store(group.as_raw(), Ordering::SeqCst);
    if caught().is_some() {
        let _ = nix::sys::signal::killpg(group, Signal::SIGKILL);
    }
    Running(())
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.store(0, Ordering::SeqCst);
    }
}
