//! Processes left running inside an offline root by an earlier apply that
//! was killed (SIGKILL cannot be caught, so its steps' process groups were
//! never stopped): found and stopped before the next apply on that root
//! takes its first snapshot, so they cannot go on changing the root.
//!
//! On Linux a process is inside the root when its root directory
//! (`/proc/PID/root`) is the root or a directory below it, compared by
//! device and inode while walking up from it, so no path string is
//! trusted. FreeBSD has no `/proc/PID/root`; there `procstat -a -f` lists
//! each process's root directory (its `rdir` entry), or running the steps
//! of an offline root inside a throwaway jail lets `jail -r` end them all.
//! This file only does Linux; elsewhere it finds nothing.

use std::fmt;
use std::io;
use std::path::Path;

/// A process found running inside the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    pub pid: i32,
    /// Its command line (or `[name]` when it has none).
    pub command: String,
}

impl fmt::Display for Leftover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.pid, self.command)
    }
}

/// Stops the processes running inside `root` (SIGTERM, a short grace,
/// SIGKILL), saying which they were: a warning for apply to print, `None`
/// when there were none.
pub fn stopped_in(root: &Path) -> Option<String> {
    let found = match find_in(root) {
        Ok(found) if found.is_empty() => return None,
        Ok(found) => found,
        Err(e) => {
            return Some(format!(
                "could not look for processes left running in {}: {e}",
                root.display()
            ));
        }
    };
    let done = match os::stop(root, &found) {
        Ok(()) => "stopped".to_string(),
        Err(e) => format!("could not stop ({e})"),
    };
    let named: Vec<String> = found.iter().map(Leftover::to_string).collect();
    Some(format!(
        "{done} {} process(es) left running in {} (by an apply that was killed?): {}",
        found.len(),
        root.display(),
        named.join(", ")
    ))
}

/// The processes running inside `root` (none when `root` is `/`, where
/// every process is).
pub fn find_in(root: &Path) -> io::Result<Vec<Leftover>> {
    os::find(root)
}

#[cfg(target_os = "linux")]
mod os {
    use super::Leftover;
    use nix::sys::signal::{Signal, kill};
    use nix::unistd::Pid;
    use std::fs;
    use std::io;
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    /// How far up from a process's root directory the walk goes.
    const MAX_DEPTH: usize = 4096;
    const GRACE: Duration = Duration::from_millis(500);
    const AFTER_KILL: Duration = Duration::from_secs(2);
    const POLL: Duration = Duration::from_millis(10);
    /// How much of a command line is reported.
    const COMMAND_CAP: usize = 200;

    type Id = (u64, u64);

    fn id(path: &Path) -> io::Result<Id> {
        let meta = fs::metadata(path)?;
        Ok((meta.dev(), meta.ino()))
    }

    pub fn find(root: &Path) -> io::Result<Vec<Leftover>> {
        let target = id(root)?;
        if target == id(Path::new("/"))? {
            return Ok(Vec::new());
        }
        let me = std::process::id() as i32;
        let mut found = Vec::new();
        for entry in fs::read_dir("/proc")? {
            let Some(pid) = entry?.file_name().to_str().and_then(|s| s.parse().ok()) else {
                continue;
            };
            if pid != me && inside(pid, target) {
                found.push(Leftover {
                    pid,
                    command: command_of(pid),
                });
            }
        }
        Ok(found)
    }

    /// Whether process `pid`'s root directory is `target` or below it
    /// (false when it is gone, a zombie, or not ours to look at).
    fn inside(pid: i32, target: Id) -> bool {
        let mut at = PathBuf::from(format!("/proc/{pid}/root"));
        let Ok(mut here) = id(&at) else {
            return false;
        };
        for _ in 0..MAX_DEPTH {
            if here == target {
                return true;
            }
            at.push("..");
            match id(&at) {
                Ok(up) if up != here => here = up,
                _ => return false,
            }
        }
        false
    }

    fn command_of(pid: i32) -> String {
        let words = fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let mut command: String = String::from_utf8_lossy(&words)
            .trim_end_matches('\0')
            .replace('\0', " ")
            .chars()
            .take(COMMAND_CAP)
            .collect();
        if command.is_empty() {
            let name = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            command = format!("[{}]", name.trim_end());
        }
        command
    }

    /// Whether `pid` has ended (gone, or a zombie: no longer running).
    fn ended(pid: i32) -> bool {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The state follows the command name's closing parenthesis.
            Ok(stat) => stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(['Z', 'X'])),
            Err(_) => true,
        }
    }

    /// Signals the processes still inside the root (a PID re-used by
    /// another process meanwhile is checked again and spared).
    fn signal(target: Id, found: &[Leftover], signal: Signal) {
        for leftover in found {
            if !ended(leftover.pid) && inside(leftover.pid, target) {
                let _ = kill(Pid::from_raw(leftover.pid), signal);
            }
        }
    }

    fn all_ended_within(found: &[Leftover], limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if found.iter().all(|l| ended(l.pid)) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn stop(root: &Path, found: &[Leftover]) -> io::Result<()> {
        let target = id(root)?;
        signal(target, found, Signal::SIGTERM);
        if all_ended_within(found, GRACE) {
            return Ok(());
        }
        signal(target, found, Signal::SIGKILL);
        if all_ended_within(found, AFTER_KILL) {
            Ok(())
        } else {
            Err(io::Error::other("some did not end after SIGKILL"))
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    use super::Leftover;
    use std::io;
    use std::path::Path;

    pub fn find(_root: &Path) -> io::Result<Vec<Leftover>> {
        Ok(Vec::new())
    }

    pub fn stop(_root: &Path, _found: &[Leftover]) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hosts_own_root_holds_no_leftovers_so_apply_never_stops_the_host() {
        assert_eq!(find_in(Path::new("/")).unwrap(), Vec::new());
        assert_eq!(stopped_in(Path::new("/")), None);
    }

    #[test]
    fn a_root_nothing_runs_in_has_no_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(stopped_in(dir.path()), None);
    }
}
