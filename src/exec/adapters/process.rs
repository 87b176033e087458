//! Running a step's host command: in a process group of its own, its output
//! streamed line by line, the last lines kept for a failure report.
//!
//! When the command exits, what it left running in its group is stopped
//! on an offline root (`Leftovers::Stop`: a chroot runs no services, and
//! nothing may go on changing the root after apply's snapshot) and left
//! alone in a running jail (`Leftovers::Keep`: a service a step starts must
//! go on; daemons leave the group with setsid anyway, so stopping the group
//! there would only catch a step's plain `cmd &`). A signal to jailwright
//! kills the group at once (interrupt.rs); on Linux the command also dies
//! with jailwright (PR_SET_PDEATHSIG), and what it started is found by the
//! next apply (leftovers.rs).

use super::{group, interrupt, lines};
use crate::exec::plan::TargetSpec;
use crate::exec::ports::Outcome;
use nix::unistd::Pid;
use std::collections::VecDeque;
use std::io::{self, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How many lines of a failed command's output to keep.
const TAIL_LINES: usize = 20;

/// How long output is still read after the command exited: a process that
/// outlives it and holds its output open is not waited for.
const DRAIN: Duration = Duration::from_secs(1);

/// How many lines may wait to be passed on before the command's output
/// pipes stop being read (a fast printer cannot grow jailwright's memory).
const QUEUE: usize = 1024;

/// What happens to the processes a step's command leaves in its group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leftovers {
    /// Stopped (an offline root).
    Stop,
    /// Left running (a running jail's services).
    Keep,
}

impl Leftovers {
    /// Stopped on an offline root, kept in a running jail.
    pub fn of(target: &TargetSpec) -> Leftovers {
        match target {
            TargetSpec::Root(_) => Leftovers::Stop,
            TargetSpec::Jail(_) => Leftovers::Keep,
        }
    }
}

/// Set once per run by `supervise`; `Stop` until then.
static KEEP: AtomicBool = AtomicBool::new(false);

/// Sets what happens to each step's leftovers for the rest of this run,
/// and installs the signal handlers: apply calls it before its first step.
pub fn supervise(leftovers: Leftovers) -> io::Result<()> {
    KEEP.store(leftovers == Leftovers::Keep, Ordering::SeqCst);
    // Orphans of a step become jailwright's children, so that group.rs can
    // reap them and see their group empty even where init reaps nothing.
    // (FreeBSD's equivalent is procctl(PROC_REAP_ACQUIRE); its init reaps.)
    #[cfg(target_os = "linux")]
    nix::sys::prctl::set_child_subreaper(true)?;
    interrupt::install()?;
    Ok(())
}

/// Runs `argv` with `stdin` on its standard input, passing each line it
/// prints (stdout and stderr) to `on_line` as it comes.
pub fn run(
    argv: &[String],
    stdin: Option<&str>,
    on_line: &mut dyn FnMut(&str),
) -> io::Result<Outcome> {
    let leftovers = if KEEP.load(Ordering::SeqCst) {
        Leftovers::Keep
    } else {
        Leftovers::Stop
    };
    run_with(argv, stdin, leftovers, on_line)
}

/// A line of output, or the command's end.
enum Event {
    Line(String),
    Exited(io::Result<ExitStatus>),
}

/// `run`, with what happens to the leftovers given.
pub fn run_with(
    argv: &[String],
    stdin: Option<&str>,
    leftovers: Leftovers,
    on_line: &mut dyn FnMut(&str),
) -> io::Result<Outcome> {
    let Some((program, args)) = argv.split_first() else {
        return Ok(Outcome::default());
    };
    if let Some(signal) = interrupt::caught() {
        return Ok(Outcome {
            status: -1,
            signal: None,
            tail: format!("not started: jailwright got {signal}"),
        });
    }
    let mut command = Command::new(program);
    command
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    die_with_parent(&mut command);
    let mut child = command.spawn()?;
    let group_id = Pid::from_raw(child.id() as i32);
    let running = interrupt::running(group_id);
    let (events, receiver) = mpsc::sync_channel::<Event>(QUEUE);
    // Feed stdin and read both outputs on their own threads, so that no
    // pipe fills up while another is waited on. None is joined: a process
    // the command left behind may hold a pipe open.
    if let Some(mut pipe) = child.stdin.take() {
        let text = stdin.unwrap_or_default().to_string();
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    let outputs = [
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    ];
    for pipe in outputs.into_iter().flatten() {
        let events = events.clone();
        std::thread::spawn(move || {
            // Read to the end even once no one listens: a service the
            // step started may still write to it (a closed pipe kills it).
            lines::for_each(&mut BufReader::new(pipe), &mut |line| {
                let _ = events.send(Event::Line(line));
            });
        });
    }
    std::thread::spawn(move || {
        let _ = events.send(Event::Exited(child.wait()));
    });
    let mut tail = Tail::new(on_line);
    let status = loop {
        match receiver.recv() {
            Ok(Event::Line(line)) => tail.push(line),
            Ok(Event::Exited(status)) => break status?,
            Err(_) => return Err(io::Error::other("lost the command's exit status")),
        }
    };
    let stopped = leftovers == Leftovers::Stop && group::end(group_id);
    drop(running);
    let deadline = Instant::now() + DRAIN;
    while let Ok(Event::Line(line)) =
        receiver.recv_timeout(deadline.saturating_duration_since(Instant::now()))
    {
        tail.push(line);
    }
    if let Some(signal) = interrupt::caught() {
        tail.push(format!(
            "jailwright got {signal}: the step's processes were killed"
        ));
    } else if stopped {
        tail.push(
            "jailwright: stopped what the step left running (an offline root runs no services)"
                .into(),
        );
    }
    let signal = std::os::unix::process::ExitStatusExt::signal(&status);
    Ok(Outcome {
        status: status.code().or(signal.map(|n| 128 + n)).unwrap_or(-1),
        signal,
        tail: tail.joined(),
    })
}

/// Each line passed on, the last `TAIL_LINES` kept.
struct Tail<'a> {
    on_line: &'a mut dyn FnMut(&str),
    lines: VecDeque<String>,
}

impl<'a> Tail<'a> {
    fn new(on_line: &'a mut dyn FnMut(&str)) -> Self {
        Tail {
            on_line,
            lines: VecDeque::with_capacity(TAIL_LINES),
        }
    }

    fn push(&mut self, line: String) {
        (self.on_line)(&line);
        if self.lines.len() == TAIL_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(line);
    }

    fn joined(self) -> String {
        Vec::from(self.lines).join("\n")
    }
}

/// On Linux the command gets SIGKILL when jailwright dies, even by SIGKILL
/// (what it started is the next apply's to find: leftovers.rs). FreeBSD's
/// equivalent would be procctl(PROC_PDEATHSIG_CTL).
#[cfg(target_os = "linux")]
fn die_with_parent(command: &mut Command) {
    let parent = std::process::id();
    // SAFETY: between fork and exec the closure only makes two system
    // calls and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)?;
            // jailwright died before the line above: do not start at all.
            if nix::unistd::getppid().as_raw() as u32 != parent {
                return Err(io::Error::from_raw_os_error(nix::libc::ESRCH));
            }
            Ok(())
        })
    };
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_command: &mut Command) {}
