//! Running ShellCheck (the only I/O of JW901): `shellcheck -s sh -f json1 -`
//! with the script on its standard input. `None` when it is not installed.

use std::io::Write;
use std::process::{Command, Stdio};

pub fn run(script: &str) -> Option<Result<String, String>> {
    let mut child = match Command::new("shellcheck")
        .args(["-s", "sh", "-f", "json1", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(Err(format!("shellcheck: {e}"))),
    };
    let mut stdin = child.stdin.take().expect("piped");
    let text = script.to_string();
    let feeder = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output();
    let _ = feeder.join();
    Some(match out {
        // 0: no findings, 1: findings; anything else is ShellCheck failing.
        Ok(out) if matches!(out.status.code(), Some(0 | 1)) => {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Ok(out) => Err(format!(
            "shellcheck failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(e) => Err(format!("shellcheck: {e}")),
    })
}
