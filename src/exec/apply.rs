//! `jailwright apply`: carries out a plan step by step through the ports,
//! with a snapshot of the starting state and one after every step.
//!
//! Each step has a cache key: a hash of the previous key, the step's
//! actions (after substitution) and the content of every file it copies.
//! A re-run rolls back to the last snapshot of the longest prefix of steps
//! whose keys match, and runs only the rest. A failing step rolls the
//! dataset back to the state this run started from.

use super::edits;
use super::plan::{Action, Plan, PlannedStep};
use super::ports::{Outcome, Snapshot, Snapshots, Target};
use crate::dialect::bastille::substitution::Replacements;
use sha2::{Digest, Sha256};
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

/// The name of the snapshot taken after `seq` steps (0: the start).
pub fn snapshot_name(seq: usize, key: &str) -> String {
    format!(
        "{}{seq:04}-{}",
        super::adapters::zfs::PREFIX,
        &key[..12.min(key.len())]
    )
}

/// The key of the starting state of a target for one template (its
/// files): applying another template to the same target starts a new
/// chain from the state it finds, instead of rolling back to the first
/// template's start.
pub fn start_key(plan: &Plan) -> String {
    let mut files: Vec<&str> = Vec::new();
    for step in &plan.steps {
        if !files.contains(&step.file.as_str()) {
            files.push(&step.file);
        }
    }
    hex(&Sha256::digest(format!(
        "jailwright start {:?} {files:?}",
        plan.target
    )))
}

/// One key per step: hash(previous key, actions, copied content).
pub fn cache_keys(plan: &Plan, content: impl Fn(&Path) -> Vec<u8>) -> Vec<String> {
    let mut previous = start_key(plan);
    plan.steps
        .iter()
        .map(|step| {
            let mut h = Sha256::new();
            h.update(previous.as_bytes());
            h.update(serde_json::to_vec(&step.actions).expect("actions serialize"));
            for action in &step.actions {
                if let Action::Copy { from, .. } = action {
                    h.update(content(from));
                }
            }
            previous = hex(&h.finalize());
            previous.clone()
        })
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Reuse snapshots of an unchanged prefix (off: `--no-cache`).
    pub use_cache: bool,
    /// Leave a failed step's state in place instead of rolling back.
    pub keep_failed: bool,
}

/// What apply reports as it goes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Reused {
        steps: usize,
    },
    Started {
        step: usize,
        of: usize,
        name: String,
    },
    Finished {
        step: usize,
        millis: u128,
    },
    Skipped {
        step: usize,
        why: String,
    },
    /// A line the running command printed.
    Output {
        step: usize,
        line: String,
    },
    /// Something the manager only warns about (RENDER of a missing path).
    Warning {
        step: usize,
        message: String,
    },
}

/// How a run ended well.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub reused: usize,
    pub ran: usize,
    pub snapshots: bool,
}

/// How a run failed.
#[derive(Debug)]
pub struct Failure {
    pub step: usize,
    pub name: String,
    pub command: String,
    pub outcome: Outcome,
    /// The snapshot rolled back to, if any.
    pub rolled_back_to: Option<String>,
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure {
            step: 0,
            name: String::new(),
            command: String::new(),
            outcome: Outcome {
                status: -1,
                tail: e.to_string(),
            },
            rolled_back_to: None,
        }
    }
}

pub fn apply(
    plan: &Plan,
    keys: &[String],
    target: &mut dyn Target,
    mut snapshots: Option<&mut dyn Snapshots>,
    options: Options,
    on_event: &mut dyn FnMut(Event),
) -> Result<Report, Failure> {
    let start = start_key(plan);
    let start_name = snapshot_name(0, &start);
    let mut begin = 0;
    // Where this run started: a failure rolls back to it.
    let mut base: Option<String> = None;
    if let Some(store) = snapshots.as_deref_mut() {
        let existing = store.list()?;
        let has = |name: &str, key: &str| {
            existing
                .iter()
                .any(|s: &Snapshot| s.name == name && s.key == key)
        };
        if has(&start_name, &start) {
            if options.use_cache {
                // A live step's effect (a started service, a mount) is in
                // no snapshot: reuse stops before the first one.
                begin = keys
                    .iter()
                    .enumerate()
                    .take_while(|(i, k)| !plan.steps[*i].live && has(&snapshot_name(i + 1, k), k))
                    .count();
            }
            let resume = if begin == 0 {
                start_name.clone()
            } else {
                snapshot_name(begin, &keys[begin - 1])
            };
            store.rollback(&resume)?;
            base = Some(resume);
        } else {
            for old in existing {
                store.destroy(&old.name)?;
            }
            store.snapshot(&start_name, &start)?;
            base = Some(start_name.clone());
        }
        if begin > 0 {
            on_event(Event::Reused { steps: begin });
        }
    }
    let total = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate().skip(begin) {
        on_event(Event::Started {
            step: i + 1,
            of: total,
            name: step.name.clone(),
        });
        let began = Instant::now();
        if let Err((command, outcome)) = run_step(i + 1, step, target, on_event) {
            let mut rolled_back_to = None;
            if let (Some(store), Some(base), false) =
                (snapshots.as_deref_mut(), &base, options.keep_failed)
            {
                store.rollback(base)?;
                rolled_back_to = Some(base.clone());
            }
            return Err(Failure {
                step: i + 1,
                name: step.name.clone(),
                command,
                outcome,
                rolled_back_to,
            });
        }
        if let Some(store) = snapshots.as_deref_mut() {
            store.snapshot(&snapshot_name(i + 1, &keys[i]), &keys[i])?;
        }
        on_event(Event::Finished {
            step: i + 1,
            millis: Duration::as_millis(&began.elapsed()),
        });
    }
    Ok(Report {
        reused: begin,
        ran: total - begin,
        snapshots: snapshots.is_some(),
    })
}

/// Runs a step's actions; on failure, the action and what it printed.
fn run_step(
    number: usize,
    step: &PlannedStep,
    target: &mut dyn Target,
    on_event: &mut dyn FnMut(Event),
) -> Result<(), (String, Outcome)> {
    let io_failure = |what: String, e: io::Error| {
        (
            what,
            Outcome {
                status: -1,
                tail: e.to_string(),
            },
        )
    };
    for action in &step.actions {
        match action {
            Action::Run { argv, stdin } => {
                let command = shlex::try_join(argv.iter().map(String::as_str))
                    .unwrap_or_else(|_| argv.join(" "));
                let mut on_line = |line: &str| {
                    on_event(Event::Output {
                        step: number,
                        line: line.to_string(),
                    })
                };
                let outcome = target
                    .run(argv, stdin.as_deref(), &mut on_line)
                    .map_err(|e| io_failure(command.clone(), e))?;
                if outcome.status != 0 {
                    return Err((command, outcome));
                }
            }
            Action::Copy { from, to, contents } => {
                let what = format!("copy {} -> {to}", from.display());
                target
                    .copy_in(from, to, *contents)
                    .map_err(|e| io_failure(what, e))?;
            }
            Action::Sysrc { args } => {
                let what = format!("sysrc {}", args.join(" "));
                let edit = edits::sysrc_args(args)
                    .map_err(|e| io_failure(what.clone(), io::Error::other(e)))?;
                let old = target
                    .read_file(&edit.file)
                    .map_err(|e| io_failure(what.clone(), e))?;
                let old = String::from_utf8_lossy(&old.unwrap_or_default()).into_owned();
                let new = edits::apply_sysrc(&old, &edit.changes);
                target
                    .write_file(&edit.file, new.as_bytes())
                    .map_err(|e| io_failure(what, e))?;
            }
            Action::LineInFile { line, file } => {
                let what = format!("line-in-file {file}");
                let old = target
                    .read_file(file)
                    .map_err(|e| io_failure(what.clone(), e))?;
                let old = old.map(|b| String::from_utf8_lossy(&b).into_owned());
                if let Some(new) = edits::line_in_file(old.as_deref(), line) {
                    target
                        .write_file(file, new.as_bytes())
                        .map_err(|e| io_failure(what, e))?;
                }
            }
            Action::Render { path, vars } => {
                let what = format!("render {path}");
                let replacements = Replacements::from_pushed(vars);
                if replacements.is_broken() {
                    on_event(Event::Warning {
                        step: number,
                        message: format!(
                            "RENDER {path}: sed refuses the ARG substitutions (a name with / or '): nothing rendered"
                        ),
                    });
                    continue;
                }
                let Some(files) = target
                    .files_under(path)
                    .map_err(|e| io_failure(what.clone(), e))?
                else {
                    // bastille only warns.
                    on_event(Event::Warning {
                        step: number,
                        message: format!("RENDER {path}: no such file or directory in the jail"),
                    });
                    continue;
                };
                for file in files {
                    let old = target
                        .read_file(&file)
                        .map_err(|e| io_failure(what.clone(), e))?
                        .unwrap_or_default();
                    if let Some(new) = edits::render(&old, &replacements) {
                        target
                            .write_file(&file, &new)
                            .map_err(|e| io_failure(what.clone(), e))?;
                    }
                }
            }
            Action::Replace {
                file,
                keyword,
                value,
                output,
            } => {
                let what = format!("replace %{{{keyword}}} in {file}");
                let fail = |message: String| io_failure(what.clone(), io::Error::other(message));
                let read = |target: &mut dyn Target, path: &str| {
                    target
                        .read_file(path)
                        .map_err(|e| fail(e.to_string()))?
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .ok_or_else(|| fail(format!("REPLACE: the file `{path}` does not exist.")))
                };
                let old = read(target, file)?;
                let new = edits::replace_keyword(&old, keyword, value)
                    .map_err(|e| fail(e.replace("the file", &format!("the {file} file"))))?;
                target
                    .write_file(output, new.as_bytes())
                    .map_err(|e| fail(e.to_string()))?;
                let read_back = read(target, file)?;
                let unescaped = edits::unescape_keyword(&read_back, keyword);
                if unescaped != read_back {
                    target
                        .write_file(file, unescaped.as_bytes())
                        .map_err(|e| fail(e.to_string()))?;
                }
            }
            Action::Mount(spec) => {
                let command = format!(
                    "mount -t {} -o {} {} {}",
                    spec.fstype, spec.options, spec.from, spec.to
                );
                let outcome = target
                    .mount(spec)
                    .map_err(|e| io_failure(command.clone(), e))?;
                if outcome.status != 0 {
                    return Err((command, outcome));
                }
            }
        }
    }
    Ok(())
}
