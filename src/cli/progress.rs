//! How apply's events are shown: one JSON object per line (`--format
//! json`), a live spinner with the step, its elapsed time and the last line
//! of output on a terminal, or plain lines in a log.

use crate::exec::apply::Event;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

pub enum Progress {
    Json,
    Terminal {
        bar: Option<ProgressBar>,
        current: String,
    },
    Plain,
}

impl Progress {
    pub fn new(json: bool) -> Progress {
        if json {
            Progress::Json
        } else if std::io::stderr().is_terminal() {
            Progress::Terminal {
                bar: None,
                current: String::new(),
            }
        } else {
            Progress::Plain
        }
    }

    pub fn show(&mut self, event: Event) {
        match self {
            Progress::Json => outln!(
                "{}",
                serde_json::to_string(&event).expect("events serialize")
            ),
            Progress::Plain => match event {
                Event::Reused { steps } => {
                    outln!("reused {steps} unchanged step(s) from snapshots")
                }
                Event::UpToDate { .. } => outln!(
                    "up to date: the template, its files and arguments are those of the last run; nothing runs, nothing is rolled back"
                ),
                Event::DeadRun { mark } => outln!(
                    "a run killed before it finished ({mark}) left a partial step: rolled back to its last snapshot"
                ),
                Event::Discarded { to } => outln!(
                    "--discard-changes: what the jail wrote since the last run was discarded (rolled back to {to})"
                ),
                Event::Diverged => outln!(
                    "the jail changed since the last run of this template: its steps run on the current state, nothing is rolled back (--discard-changes rolls back to the cached steps instead)"
                ),
                Event::Started { step, of, name, .. } => outln!("[{step}/{of}] {name}"),
                Event::Finished { millis, .. } => outln!("      done in {millis} ms"),
                Event::Skipped { step, why } => outln!("[{step}] skipped: {why}"),
                Event::Warning { step, message } => outln!("[{step}] warning: {message}"),
                // Output is shown as a tail when a step fails.
                Event::Output { .. } => {}
            },
            Progress::Terminal { bar, current } => match event {
                Event::Started { step, of, name, .. } => {
                    let spinner = ProgressBar::new_spinner().with_style(
                        ProgressStyle::with_template("{spinner} {prefix} {elapsed} {wide_msg}")
                            .expect("valid template"),
                    );
                    *current = format!("[{step}/{of}] {name}");
                    spinner.set_prefix(current.clone());
                    spinner.enable_steady_tick(Duration::from_millis(120));
                    *bar = Some(spinner);
                }
                Event::Output { line, .. } => {
                    if let Some(bar) = bar {
                        bar.set_message(line);
                    }
                }
                Event::Finished { millis, .. } => {
                    if let Some(bar) = bar.take() {
                        bar.finish_and_clear();
                    }
                    errln!("{current} done in {millis} ms");
                }
                Event::Reused { steps } => {
                    errln!("reused {steps} unchanged step(s) from snapshots")
                }
                Event::UpToDate { .. } => errln!(
                    "up to date: the template, its files and arguments are those of the last run; nothing runs, nothing is rolled back"
                ),
                Event::DeadRun { mark } => errln!(
                    "a run killed before it finished ({mark}) left a partial step: rolled back to its last snapshot"
                ),
                Event::Discarded { to } => errln!(
                    "--discard-changes: what the jail wrote since the last run was discarded (rolled back to {to})"
                ),
                Event::Diverged => errln!(
                    "the jail changed since the last run of this template: its steps run on the current state, nothing is rolled back (--discard-changes rolls back to the cached steps instead)"
                ),
                Event::Skipped { step, why } => errln!("[{step}] skipped: {why}"),
                Event::Warning { step, message } => match bar {
                    Some(bar) => bar.println(format!("[{step}] warning: {message}")),
                    None => errln!("[{step}] warning: {message}"),
                },
            },
        }
    }

    /// Clears a spinner left by a failed step.
    pub fn finish(&mut self) {
        if let Progress::Terminal { bar: Some(bar), .. } = self {
            bar.finish_and_clear();
        }
    }
}
