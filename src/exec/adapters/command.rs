//! Running a host command with a time limit: a daemon that stops answering
//! (zfs-fuse can) makes the command fail with a clear error instead of
//! hanging apply forever.

use std::io::{self, Read};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

/// Runs `command` to completion, or kills it after `limit`.
pub fn output_within(command: &mut Command, limit: Duration) -> io::Result<Output> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Drain both pipes on threads so that a chatty command cannot block.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    // Waited for on a thread, so that the answer comes the moment the
    // command ends (no polling); past the limit it is killed.
    let pid = nix::unistd::Pid::from_raw(child.id() as i32);
    let (done, ended) = std::sync::mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let _ = done.send(child.wait());
    });
    let status = match ended.recv_timeout(limit) {
        Ok(status) => status?,
        Err(_) => {
            let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL);
            let _ = waiter.join();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{command:?} did not finish within {} s", limit.as_secs()),
            ));
        }
    };
    Ok(Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

/// Runs `program args` within `limit` and returns what it printed; a
/// failure (it could not start, it timed out, it exited non-zero) is an
/// error naming the command and its reason (or its stderr).
pub fn stdout_of(program: &str, args: &[&str], limit: Duration) -> io::Result<String> {
    let failed = |why: String| io::Error::other(format!("{program} {}: {why}", args.join(" ")));
    let out = output_within(Command::new(program).args(args), limit)
        .map_err(|e| failed(e.to_string()))?;
    if !out.status.success() {
        return Err(failed(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_limit_is_killed_and_reported() {
        let e =
            output_within(Command::new("sleep").arg("5"), Duration::from_millis(200)).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        let ok = output_within(Command::new("echo").arg("hi"), Duration::from_secs(5)).unwrap();
        assert_eq!(ok.stdout, b"hi\n");
    }
}
