//! A Target and Snapshots that only record what apply asks of them, for
//! tests of command sequences. Files live in memory; a command fails when
//! its argv contains a word listed in `fail_on`, and a snapshot call when
//! its log line (`snapshot NAME`, `rollback NAME`, `destroy NAME`, `list`)
//! starts with an entry of `fail_on`. Snapshots are kept in creation
//! order, and a rollback behaves as `zfs rollback` without `-r`: refused
//! while a later snapshot exists. Two recordings can share one log
//! (`log`), so the target and the snapshot store of one run write their
//! calls in order.

use crate::exec::plan::MountSpec;
use crate::exec::ports::{Outcome, Snapshot, Snapshots, Target};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;
use std::rc::Rc;

#[derive(Debug, Default)]
pub struct Recording {
    pub log: Rc<RefCell<Vec<String>>>,
    pub files: BTreeMap<String, Vec<u8>>,
    pub snapshots: Vec<Snapshot>,
    pub fail_on: Vec<String>,
    /// What `state` reports: a test changes it to say the jail wrote.
    pub state: String,
    /// The dataset's run-in-progress mark.
    pub running: Option<String>,
    /// The snapshots as they were when a transaction began.
    pub saved: Option<Vec<Snapshot>>,
}

impl Recording {
    /// The calls recorded so far.
    pub fn calls(&self) -> Vec<String> {
        self.log.borrow().clone()
    }

    /// Records a snapshot call, failing it when `fail_on` says so.
    fn record(&mut self, call: String) -> io::Result<()> {
        let fails = self.fail_on.iter().any(|f| call.starts_with(f.as_str()));
        self.log.borrow_mut().push(call.clone());
        if fails {
            return Err(io::Error::other(format!("{call}: failed (fail_on)")));
        }
        Ok(())
    }
}

impl Target for Recording {
    fn run(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        on_line: &mut dyn FnMut(&str),
    ) -> io::Result<Outcome> {
        let fed = stdin.map_or(String::new(), |s| format!(" <<< {}", s.trim_end()));
        self.log
            .borrow_mut()
            .push(format!("run {}{fed}", argv.join(" ")));
        on_line(&format!("ran {}", argv[0]));
        let fails = argv.iter().any(|a| self.fail_on.contains(a));
        Ok(Outcome {
            status: if fails { 1 } else { 0 },
            signal: None,
            tail: if fails {
                "failed".into()
            } else {
                String::new()
            },
        })
    }

    fn copy_in(&mut self, from: &Path, to: &str, contents: bool) -> io::Result<()> {
        self.log.borrow_mut().push(format!(
            "copy {} {to}{}",
            from.display(),
            if contents { " (contents)" } else { "" }
        ));
        Ok(())
    }

    fn read_file(&mut self, inside: &str) -> io::Result<Option<Vec<u8>>> {
        Ok(self.files.get(inside).cloned())
    }

    fn write_file(&mut self, inside: &str, bytes: &[u8]) -> io::Result<()> {
        self.log.borrow_mut().push(format!("write {inside}"));
        self.files.insert(inside.to_string(), bytes.to_vec());
        Ok(())
    }

    fn files_under(&mut self, inside: &str) -> io::Result<Option<Vec<String>>> {
        let dir = format!("{}/", inside.trim_end_matches('/'));
        let found: Vec<String> = self
            .files
            .keys()
            .filter(|f| *f == inside || f.starts_with(&dir))
            .cloned()
            .collect();
        Ok((!found.is_empty()).then_some(found))
    }

    fn mount(&mut self, spec: &MountSpec) -> io::Result<Outcome> {
        self.log.borrow_mut().push(format!(
            "mount -t {} -o {} {} {}",
            spec.fstype, spec.options, spec.from, spec.to
        ));
        Ok(Outcome::default())
    }

    fn state(&mut self) -> io::Result<String> {
        Ok(self.state.clone())
    }
}

impl Snapshots for Recording {
    fn snapshot(&mut self, taken: &Snapshot) -> io::Result<()> {
        let name = &taken.name;
        self.record(format!("snapshot {name}"))?;
        if self.snapshots.iter().any(|s| &s.name == name) {
            return Err(io::Error::other(format!(
                "snapshot {name}: dataset already exists"
            )));
        }
        self.snapshots.push(taken.clone());
        Ok(())
    }

    fn rollback(&mut self, name: &str) -> io::Result<()> {
        self.record(format!("rollback {name}"))?;
        match self.snapshots.iter().position(|s| s.name == name) {
            Some(at) if at + 1 == self.snapshots.len() => Ok(()),
            Some(_) => Err(io::Error::other(format!(
                "rollback {name}: more recent snapshots exist"
            ))),
            None => Err(io::Error::other(format!(
                "rollback {name}: no such snapshot"
            ))),
        }
    }

    fn list(&mut self) -> io::Result<Vec<Snapshot>> {
        let fails = self.fail_on.iter().any(|f| "list".starts_with(f.as_str()));
        if fails {
            return Err(io::Error::other("list: failed (fail_on)"));
        }
        Ok(self.snapshots.clone())
    }

    fn destroy(&mut self, name: &str) -> io::Result<()> {
        self.record(format!("destroy {name}"))?;
        let before = self.snapshots.len();
        self.snapshots.retain(|s| s.name != name);
        if self.snapshots.len() == before {
            return Err(io::Error::other(format!(
                "destroy {name}: no such snapshot"
            )));
        }
        Ok(())
    }

    fn mark_running(&mut self, run: Option<&str>) -> io::Result<()> {
        self.record(format!("mark {}", run.unwrap_or("-")))?;
        self.running = run.map(str::to_string);
        Ok(())
    }

    fn running(&mut self) -> io::Result<Option<String>> {
        Ok(self.running.clone())
    }

    fn begin_at(&mut self, snapshot: &str) -> io::Result<()> {
        self.record(format!("begin {snapshot}"))?;
        let at = self
            .snapshots
            .iter()
            .position(|s| s.name == snapshot)
            .ok_or_else(|| io::Error::other(format!("begin {snapshot}: no such snapshot")))?;
        self.saved = Some(self.snapshots.clone());
        self.snapshots.truncate(at + 1);
        Ok(())
    }

    fn commit(&mut self) -> io::Result<Option<String>> {
        self.record("commit".into())?;
        self.saved = None;
        Ok(None)
    }

    fn abort(&mut self) -> io::Result<()> {
        self.record("abort".into())?;
        if let Some(saved) = self.saved.take() {
            self.snapshots = saved;
        }
        Ok(())
    }

    fn recover(&mut self) -> io::Result<Option<String>> {
        Ok(None)
    }
}
