//! Running a step's host command: its output streamed line by line, the
//! last lines kept for a failure report.

use crate::exec::ports::Outcome;
use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;

/// How many lines of a failed command's output to keep.
const TAIL_LINES: usize = 20;

/// Runs `argv` with `stdin` on its standard input, passing each line it
/// prints (stdout and stderr) to `on_line` as it comes.
pub fn run(
    argv: &[String],
    stdin: Option<&str>,
    on_line: &mut dyn FnMut(&str),
) -> io::Result<Outcome> {
    let Some((program, args)) = argv.split_first() else {
        return Ok(Outcome::default());
    };
    let mut child = Command::new(program)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Feed stdin and read both outputs on their own threads, so that
    // no pipe fills up while another is waited on.
    let feeder = child.stdin.take().map(|mut pipe| {
        let text = stdin.unwrap_or_default().to_string();
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        })
    });
    let (lines, receiver) = mpsc::channel::<String>();
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|pipe| {
        let lines = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).split(b'\n').map_while(Result::ok) {
                let _ = lines.send(String::from_utf8_lossy(&line).into_owned());
            }
        })
    })
    .collect();
    drop(lines);
    let mut tail = VecDeque::with_capacity(TAIL_LINES);
    for line in receiver {
        on_line(&line);
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    if let Some(feeder) = feeder {
        let _ = feeder.join();
    }
    let status = child.wait()?;
    Ok(Outcome {
        status: status.code().unwrap_or(-1),
        tail: Vec::from(tail).join("\n"),
    })
}
