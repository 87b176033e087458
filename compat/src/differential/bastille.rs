//! Bastille: `bastille template JAIL DIR` run by bastille's own code.
//!
//! template.sh runs each line as `eval "bastille ${cmd} ${jail} ${args}"`
//! (share/bastille/template.sh:422), so each step of the template is one
//! `bastille SUB JAIL ARGS` record followed by the leaf commands that
//! subcommand ran (jexec, pkg, sysrc, cp, ...). ARG, RENDER and LINEINFILE
//! are done by template.sh itself (template.sh:355-419): no record.

use super::log::Record;
use super::{
    JAIL, PlannedAction, StepReport, TemplateReport, Verdict, planned_actions, show, stop_at,
};
use serde_json::Value;

/// The jail's root in the run (the sample bastille.conf's jails dir).
pub const ROOT: &str = "/usr/local/bastille/jails/jwdiff/root";

/// Keywords template.sh handles itself, without a `bastille` call.
const INLINE: [&str; 6] = ["ARG", "ARG+", "RENDER", "LIF", "LINEINFILE", "LINE_IN_FILE"];

/// One step as bastille ran it: its `bastille SUB JAIL ARGS` call and the
/// commands that call led to.
#[derive(Debug)]
pub struct ManagerStep {
    pub call: Record,
    pub leaves: Vec<Record>,
}

/// Splits a run's records into steps: the `bastille` calls template.sh
/// makes after reading the jail's addresses (template.sh:297-305).
pub fn steps(records: &[Record]) -> Vec<ManagerStep> {
    let preamble_end = records
        .iter()
        .position(|r| r.name == "bastille" && r.args == ["config", JAIL, "get", "ip6.addr"]);
    let Some(start) = preamble_end else {
        return Vec::new();
    };
    let mut steps: Vec<ManagerStep> = Vec::new();
    for record in &records[start + 1..] {
        if record.name == "bastille" {
            steps.push(ManagerStep {
                call: record.clone(),
                leaves: Vec::new(),
            });
        } else if let Some(step) = steps.last_mut()
            && is_action(record)
        {
            step.leaves.push(record.clone());
        }
    }
    steps
}

/// Whether a leaf record acts on the jail (not one of bastille's queries:
/// target lookups, settings.conf, jail.conf parsing, permissions).
fn is_action(r: &Record) -> bool {
    let query = matches!(
        r.name.as_str(),
        "bastille-nested" | "jls" | "/usr/sbin/jls" | "stat" | "ifconfig"
    ) || (r.name == "sysrc" && r.args.first().is_some_and(|a| a == "-f"))
        || (r.name == "jail" && r.args.get(2).is_some_and(|a| a == "-e"));
    !query
}

/// Compares bastille's run with jailwright's plan of the same template.
pub fn compare(path: &str, status: i32, records: &[Record], plan: &Value) -> TemplateReport {
    let mut manager = steps(records).into_iter();
    let planned = super::planned_steps(plan);
    let top_file = planned
        .first()
        .and_then(|s| s["file"].as_str())
        .unwrap_or_default()
        .to_string();
    let mut reports = Vec::new();
    let mut stopped = false;
    let mut refused = false;
    for step in &planned {
        let name = step["name"].as_str().unwrap_or_default().to_uppercase();
        let line = step["line"].as_u64().unwrap_or_default() as usize;
        let report = |verdict| StepReport {
            line,
            name: name.clone(),
            verdict,
        };
        if step["file"].as_str() != Some(top_file.as_str()) {
            reports.push(report(Verdict::NotCompared(
                "a step of an INCLUDEd template (bastille runs it nested)".into(),
            )));
            continue;
        }
        if refused {
            if !INLINE.contains(&name.as_str()) {
                manager.next();
            }
            reports.push(report(Verdict::NotCompared(
                "after a step jailwright refuses (apply runs none of the plan)".into(),
            )));
            continue;
        }
        if INLINE.contains(&name.as_str()) {
            if let Some(why) = step["blocked"].as_str() {
                // Both stop here when bastille fails on it too (ARG+).
                let verdict = if status != 0 && manager.len() == 0 {
                    stopped = true;
                    Verdict::Same
                } else {
                    refused = true;
                    Verdict::Differs {
                        class: format!("{name}: jailwright refuses it, bastille reads it"),
                        detail: why.to_string(),
                    }
                };
                reports.push(report(verdict));
                continue;
            }
            let why = if name.starts_with("ARG") {
                "ARG: a declaration (template.sh:355-374), no command"
            } else {
                "RENDER/LINEINFILE: template.sh edits the file itself (template.sh:412-419), no command"
            };
            reports.push(report(Verdict::NotCompared(why.into())));
            continue;
        }
        if stopped {
            reports.push(report(Verdict::NotCompared(
                "after the step where bastille stopped".into(),
            )));
            continue;
        }
        let Some(ran) = manager.next() else {
            stopped = true;
            let verdict = if status != 0 && step.get("blocked").is_some() {
                Verdict::Same
            } else {
                Verdict::Differs {
                    class: format!("{name}: bastille stopped before it"),
                    detail: format!("bastille exited {status}"),
                }
            };
            reports.push(report(verdict));
            continue;
        };
        let verdict = match stop_at(
            "bastille",
            &name,
            step,
            &ran.call,
            status,
            manager.len() == 0,
        ) {
            Some((verdict, stops)) => {
                stopped = stops;
                refused = !stops;
                verdict
            }
            None => compare_step(&name, step, &ran),
        };
        reports.push(report(verdict));
    }
    for extra in manager {
        reports.push(StepReport {
            line: 0,
            name: extra
                .call
                .args
                .first()
                .cloned()
                .unwrap_or_default()
                .to_uppercase(),
            verdict: Verdict::Differs {
                class: "bastille runs a step jailwright does not plan".into(),
                detail: show(&extra.call.argv()),
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

fn compare_step(name: &str, step: &Value, ran: &ManagerStep) -> Verdict {
    let differs = |what: &str, detail: String| Verdict::Differs {
        class: format!("{name}: {what}"),
        detail,
    };
    let actions = planned_actions(step);
    if actions.is_empty() {
        return differs(
            "jailwright runs nothing",
            format!(
                "{} / bastille ran {}",
                step["note"].as_str().unwrap_or_default(),
                show(&ran.call.argv())
            ),
        );
    }
    let mut leaves = ran.leaves.iter();
    for action in &actions {
        match action {
            PlannedAction::Run(argv) if argv.first().is_some_and(|p| p.ends_with("/bastille")) => {
                let ours = [vec!["bastille".to_string()], argv[1..].to_vec()].concat();
                if ours != ran.call.argv() {
                    return differs(
                        "bastille call differs",
                        format!(
                            "jailwright: {} / bastille: {}",
                            show(&ours),
                            show(&ran.call.argv())
                        ),
                    );
                }
                // What bastille's subcommand then does is bastille's own.
                return Verdict::Same;
            }
            PlannedAction::Run(argv) => match leaves.next() {
                Some(leaf) if leaf.argv() == *argv => {}
                Some(leaf) => {
                    return differs(
                        "argv differs",
                        format!(
                            "jailwright: {} / bastille: {}",
                            show(argv),
                            show(&leaf.argv())
                        ),
                    );
                }
                None => {
                    return differs(
                        "bastille runs no such command",
                        format!(
                            "jailwright: {} / bastille: {}",
                            show(argv),
                            show(&ran.call.argv())
                        ),
                    );
                }
            },
            PlannedAction::Copy { from, to } => {
                let dest = format!("{ROOT}/{to}").replace("//", "/");
                match leaves.next() {
                    Some(leaf)
                        if leaf.name == "cp"
                            && leaf.args.len() == 3
                            && leaf.args[0].starts_with("-a")
                            && leaf.args[1] == *from
                            && leaf.args[2] == dest => {}
                    other => {
                        return differs(
                            "copy differs",
                            format!(
                                "jailwright: cp -a {from} {dest} / bastille: {}",
                                other
                                    .map(|l| show(&l.argv()))
                                    .unwrap_or_else(|| "nothing".into())
                            ),
                        );
                    }
                }
            }
            PlannedAction::Native(kind) => {
                return Verdict::NotCompared(format!(
                    "{name}: done natively by jailwright ({kind})"
                ));
            }
        }
    }
    match leaves.next() {
        None => Verdict::Same,
        Some(more) => differs("bastille runs more", show(&more.argv())),
    }
}
