//! pot: the flavour stage of `pot create -p POT -f FLAVOUR` run by pot's
//! own code (`_exec_flv`, share/pot/create.sh:782-789).
//!
//! Each accepted line of the command file becomes `pot LINE -p POT`
//! (share/pot/common-flv.sh:118), one `pot` record; `set-cmd` is done in
//! pot's own process (common-flv.sh:67-80), with no record. The script is
//! copied with `cp -v FLV.sh ROOT/tmp` and run as `jexec POT /tmp/FLV.sh
//! POT` between a `pot start` and a `pot stop` (common-flv.sh:127-156).

use super::log::Record;
use super::{
    JAIL, PlannedAction, StepReport, TemplateReport, Verdict, planned_actions, show, stop_at,
};
use serde_json::Value;

/// The commands pot accepts in a flavour (`_is_cmd_flavorable`,
/// common-flv.sh:49-63).
const FLAVORABLE: [&str; 9] = [
    "add-dep",
    "set-attribute",
    "copy-in",
    "copy-in-flv",
    "mount-in",
    "set-rss",
    "export-ports",
    "set-cmd",
    "set-env",
];

/// pot's records, read in the order pot made them: each planned step
/// takes the records of its own stage from a cursor.
struct Ran<'a> {
    records: &'a [Record],
    at: usize,
    root: String,
    /// Where pot found the flavour (its copy-in-flv sources are relative
    /// to it).
    flavours: String,
}

fn is_pot(r: &Record, args: &[&str]) -> bool {
    r.name == "pot" && r.args.iter().map(String::as_str).eq(args.iter().copied())
}

impl<'a> Ran<'a> {
    fn new(records: &'a [Record]) -> Ran<'a> {
        Ran {
            records,
            at: 0,
            root: super::log::first_arg(records, "jw-root"),
            flavours: super::log::first_arg(records, "jw-template-dir"),
        }
    }

    /// The next command line pot ran: `pot LINE -p POT` (common-flv.sh:118).
    fn next_line(&mut self) -> Option<&'a Record> {
        let p = ["-p".to_string(), JAIL.to_string()];
        let i = self.records[self.at..]
            .iter()
            .position(|r| r.name == "pot" && r.args.ends_with(&p))?;
        self.at += i + 1;
        Some(&self.records[self.at - 1])
    }

    /// Whether pot ran another command line after the cursor.
    fn next_line_peek(&self) -> Option<&'a Record> {
        let p = ["-p".to_string(), JAIL.to_string()];
        self.records[self.at..]
            .iter()
            .find(|r| r.name == "pot" && r.args.ends_with(&p))
    }

    /// The script stage (common-flv.sh:127-156): its `cp -v` and its
    /// `jexec POT /tmp/FLV.sh POT`; the cursor moves past its `pot stop`
    /// (and the `set-attribute -A persistent -V NO` that undoes pot's own
    /// `-V YES` before its `pot start`).
    fn next_script(&mut self) -> (Option<&'a Record>, Option<&'a Record>) {
        let rest = &self.records[self.at..];
        let jexec = rest.iter().position(|r| {
            r.name == "jexec"
                && r.args.first().is_some_and(|a| a == JAIL)
                && r.args
                    .get(1)
                    .is_some_and(|a| a.starts_with("/tmp/") && a.ends_with(".sh"))
        });
        let Some(j) = jexec else {
            return (None, rest.iter().find(|r| is_copy(r)));
        };
        let copy = rest[..j].iter().rev().find(|r| is_copy(r));
        let start = rest[..j].iter().position(|r| is_pot(r, &["start", JAIL]));
        let persist_no = start.is_some_and(|s| {
            rest[..s]
                .iter()
                .rev()
                .find(|r| r.name == "pot")
                .is_some_and(|r| {
                    is_pot(
                        r,
                        &["set-attribute", "-A", "persistent", "-V", "YES", "-p", JAIL],
                    )
                })
        });
        let mut at = self.at + j + 1;
        if let Some(stop) = self.records[at..]
            .iter()
            .position(|r| is_pot(r, &["stop", JAIL]))
        {
            at += stop + 1;
            if persist_no
                && self.records[at..]
                    .iter()
                    .find(|r| r.name == "pot")
                    .is_some_and(|r| {
                        is_pot(
                            r,
                            &["set-attribute", "-A", "persistent", "-V", "NO", "-p", JAIL],
                        )
                    })
            {
                at += self.records[at..]
                    .iter()
                    .position(|r| r.name == "pot")
                    .unwrap_or(0)
                    + 1;
            }
        }
        self.at = at;
        (copy, Some(&rest[j]))
    }
}

/// `cp -v FLV.sh ROOT/tmp` (common-flv.sh:140).
fn is_copy(r: &Record) -> bool {
    r.name == "cp" && r.args.first().is_some_and(|a| a == "-v")
}

/// The value after `flag` in a pot command's arguments (the last one, as
/// getopts keeps it).
fn option<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.windows(2)
        .rev()
        .find(|w| w[0] == flag)
        .map(|w| w[1].as_str())
}

/// Compares pot's run with jailwright's plan of the same flavour.
pub fn compare(path: &str, status: i32, records: &[Record], plan: &Value) -> TemplateReport {
    let mut ran = Ran::new(records);
    let mut reports = Vec::new();
    let mut stopped = false;
    for step in super::planned_steps(plan) {
        let name = step["name"].as_str().unwrap_or_default().to_string();
        let line = step["line"].as_u64().unwrap_or_default() as usize;
        if stopped {
            reports.push(StepReport {
                line,
                name,
                verdict: Verdict::NotCompared("after the step where pot stopped".into()),
            });
            continue;
        }
        let verdict = if name == "SCRIPT" {
            compare_script(step, &mut ran, status)
        } else if !FLAVORABLE.contains(&name.as_str()) {
            // pot prints "not valid - ignoring" and goes on.
            if planned_actions(step).is_empty() && step.get("blocked").is_none() {
                Verdict::Same
            } else {
                Verdict::Differs {
                    class: format!("{name}: pot ignores it, jailwright runs it"),
                    detail: step.to_string(),
                }
            }
        } else if name == "set-cmd" {
            Verdict::NotCompared(
                "set-cmd: pot writes pot.cmd into pot.conf in its own process (common-flv.sh:67-80)".into(),
            )
        } else {
            match ran.next_line() {
                None => {
                    stopped = status != 0;
                    Verdict::Differs {
                        class: format!("{name}: pot stopped before it"),
                        detail: format!("pot exited {status}"),
                    }
                }
                // copy-in-flv is run as copy-in from the flavour's
                // directory (common-flv.sh:101-115).
                Some(record)
                    if record.args.first().map(String::as_str)
                        != Some(name.strip_suffix("-flv").unwrap_or(&name)) =>
                {
                    Verdict::Differs {
                        class: format!("{name}: pot ran another command"),
                        detail: show(&record.argv()),
                    }
                }
                Some(record) => {
                    let last = ran.next_line_peek().is_none();
                    match stop_at("pot", &name, step, record, status, last) {
                        Some((verdict, stops)) => {
                            stopped |= stops;
                            verdict
                        }
                        None => compare_line(&name, step, record, &ran.flavours),
                    }
                }
            }
        };
        reports.push(StepReport {
            line,
            name,
            verdict,
        });
    }
    while let Some(extra) = ran.next_line() {
        reports.push(StepReport {
            line: 0,
            name: extra.args.first().cloned().unwrap_or_default(),
            verdict: Verdict::Differs {
                class: "pot runs a line jailwright does not plan".into(),
                detail: show(&extra.argv()),
            },
        });
    }
    TemplateReport {
        path: path.to_string(),
        status,
        error: None,
        steps: reports,
    }
}

fn compare_line(name: &str, step: &Value, record: &Record, flavours: &str) -> Verdict {
    let differs = |what: &str, detail: String| Verdict::Differs {
        class: format!("{name}: {what}"),
        detail,
    };
    let actions = planned_actions(step);
    match (name, actions.as_slice()) {
        ("copy-in" | "copy-in-flv", [PlannedAction::Copy { from, to }]) => {
            let mut source = option(&record.args, "-s").unwrap_or_default().to_string();
            if name == "copy-in-flv" && !source.starts_with('/') {
                source = format!("{flavours}/{source}");
            }
            let dest = option(&record.args, "-d").unwrap_or_default();
            if *from == source && to == dest {
                Verdict::Same
            } else {
                differs(
                    "copy differs",
                    format!("jailwright: {from} -> {to} / pot: {}", show(&record.argv())),
                )
            }
        }
        ("copy-in" | "copy-in-flv", _) => differs(
            "jailwright does not copy",
            format!("{} / pot: {}", step, show(&record.argv())),
        ),
        (_, []) => Verdict::NotCompared(
            "pot's own configuration (pot.conf, fscomp.conf): applied by pot start, outside apply"
                .into(),
        ),
        (_, _) => differs("jailwright acts on it", step.to_string()),
    }
}

fn compare_script(step: &Value, ran: &mut Ran, status: i32) -> Verdict {
    let differs = |what: &str, detail: String| Verdict::Differs {
        class: format!("SCRIPT: {what}"),
        detail,
    };
    if let Some(why) = step["blocked"].as_str() {
        return differs("jailwright blocks it", why.to_string());
    }
    let (copy, jexec) = ran.next_script();
    if jexec.is_none() && copy.is_none() && status != 0 {
        return differs("pot stopped before it", format!("pot exited {status}"));
    }
    for action in planned_actions(step) {
        match action {
            PlannedAction::Run(argv) => match jexec {
                Some(r) if r.argv() == argv => {}
                Some(r) => {
                    return differs(
                        "argv differs",
                        format!("jailwright: {} / pot: {}", show(&argv), show(&r.argv())),
                    );
                }
                None => return differs("pot did not run it", format!("pot exited {status}")),
            },
            PlannedAction::Copy { from, to } => {
                // `cp -v FLV.sh ROOT/tmp`: into the directory, same name.
                let name = std::path::Path::new(&from)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let same = copy.is_some_and(|r| {
                    r.args.get(1) == Some(&from)
                        && r.args.get(2) == Some(&format!("{}/tmp", ran.root))
                        && to == format!("/tmp/{name}")
                });
                if !same {
                    return differs(
                        "copy differs",
                        format!(
                            "jailwright: {from} -> {to} / pot: {}",
                            copy.map(|r| show(&r.argv()))
                                .unwrap_or_else(|| "nothing".into())
                        ),
                    );
                }
            }
            PlannedAction::Native(kind) => {
                return differs("jailwright acts natively", kind);
            }
        }
    }
    Verdict::Same
}
