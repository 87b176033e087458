//! AppJail: `appjail makejail -j JAIL -f MAKEJAIL` run by AppJail's own
//! code, which writes a build script (share/appjail/makejail/write/*) and
//! runs it (share/appjail/cmd/makejail:607-614).
//!
//! The build script has no per-step marker, so the commands that act on
//! the jail (jexec, `pkg -j`, `sysrc -j`, `service -j`, the COPY `cp`,
//! `appjail restart`) are read in order and each planned step takes the
//! next ones. AppJail's own jexec (UTILDIR/jexec/jexec: FreeBSD's, plus
//! `-e`) is compared as `jexec`, and RUN's script by its shell words.

use super::log::Record;
use super::{PlannedAction, StepReport, TemplateReport, Verdict, planned_actions, show};
use serde_json::Value;

/// A command that acts on the jail, with what RUN feeds it.
#[derive(Debug, Clone)]
struct Leaf {
    argv: Vec<String>,
    stdin: Option<String>,
}

/// The commands AppJail ran that act on the jail, in order.
fn leaves(records: &[Record]) -> Vec<Leaf> {
    let mut out: Vec<Leaf> = Vec::new();
    for r in records {
        let name = match r.name.as_str() {
            "jexec" | "/usr/sbin/jexec" | "/usr/local/libexec/appjail/jexec/jexec" => "jexec",
            "pkg" | "sysrc" | "service" => r.name.as_str(),
            "cp" if r.args.first().is_some_and(|a| a.starts_with('-')) => "cp",
            "/usr/local/bin/appjail" if r.args.first().is_some_and(|a| a == "restart") => {
                r.name.as_str()
            }
            "jw-stdin" => {
                if let Some(last) = out.last_mut() {
                    last.stdin = r.args.first().cloned();
                }
                continue;
            }
            _ => continue,
        };
        out.push(Leaf {
            argv: [vec![name.to_string()], r.args.clone()].concat(),
            stdin: None,
        });
    }
    out
}

/// `cp [-v] -a -- SRC DST` as jailwright's copy: source (relative to the
/// Makejail's directory, AppJail's working directory) and destination
/// (under the jail's root, `//` as `/`).
fn copy_of(leaf: &Leaf, template_dir: &str, root: &str) -> Option<(String, String)> {
    let args = &leaf.argv[1..];
    let dash = args.iter().position(|a| a == "--")?;
    let (src, dst) = match &args[dash + 1..] {
        [src, dst] => (src, dst),
        _ => return None,
    };
    let src = if src.starts_with('/') {
        src.clone()
    } else {
        format!("{template_dir}/{src}")
    };
    let dst = dst.strip_prefix(root)?;
    Some((collapse(&src), collapse(&format!("/{dst}"))))
}

fn collapse(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Compares AppJail's run with jailwright's plan of the same Makejail.
pub fn compare(path: &str, status: i32, records: &[Record], plan: &Value) -> TemplateReport {
    let root = super::log::first_arg(records, "jw-root");
    let template_dir = super::log::first_arg(records, "jw-template-dir");
    let ran = leaves(records);
    let mut next = 0;
    let mut reports = Vec::new();
    let mut done: Option<&str> = None;
    let mut resync = false;
    let mut refused = false;
    for step in super::planned_steps(plan) {
        let name = step["name"].as_str().unwrap_or_default().to_string();
        let line = step["line"].as_u64().unwrap_or_default() as usize;
        let mut report = |verdict| {
            reports.push(StepReport {
                line,
                name: name.clone(),
                verdict,
            })
        };
        if let Some(why) = done {
            report(Verdict::NotCompared(why.into()));
            continue;
        }
        if let Some(why) = step["blocked"].as_str() {
            if status != 0 {
                // Both refuse the Makejail (a required ARG, ...).
                done = Some("after the step where AppJail and jailwright both stop");
                report(Verdict::Same);
            } else {
                // AppJail ran it: what it ran is unknown here, so the next
                // step looks ahead for its own command.
                resync = true;
                refused = true;
                report(Verdict::Differs {
                    class: format!("{name}: jailwright refuses it, AppJail runs it"),
                    detail: why.to_string(),
                });
            }
            continue;
        }
        let actions = planned_actions(step);
        if actions.is_empty() {
            report(Verdict::NotCompared(
                "a declaration, or what creates or manages the jail (appjail quick, image, devfs, fstab, label...): outside apply".into(),
            ));
            continue;
        }
        let stdin = step["actions"]
            .as_array()
            .and_then(|a| a.iter().find_map(|a| a["stdin"].as_str()))
            .map(str::to_string);
        let mut verdict = Verdict::Same;
        for action in actions {
            if std::mem::take(&mut resync)
                && let PlannedAction::Run(argv) = &action
                && let Some(k) = ran
                    .iter()
                    .skip(next)
                    .take(8)
                    .position(|l| l.argv == normalise(argv, &root))
            {
                next += k;
            }
            let leaf = ran.get(next);
            next += 1;
            let differs = |what: &str, ours: String| Verdict::Differs {
                class: format!("{name}: {what}"),
                detail: format!(
                    "jailwright: {ours} / AppJail: {}",
                    leaf.map(|l| show(&l.argv))
                        .unwrap_or_else(|| "nothing".into())
                ),
            };
            let v = match (&action, leaf) {
                (_, None) if status != 0 => differs("AppJail stopped before it", String::new()),
                (_, None) => differs("AppJail runs no such command", String::new()),
                (PlannedAction::Run(argv), Some(l)) => {
                    let ours = normalise(argv, &root);
                    if ours != l.argv {
                        differs("argv differs", show(&ours))
                    } else if l.stdin.is_some() && words(&l.stdin) != words(&stdin) {
                        differs(
                            "RUN's script differs",
                            format!("{:?} vs {:?}", stdin, l.stdin),
                        )
                    } else {
                        Verdict::Same
                    }
                }
                (PlannedAction::Copy { from, to }, Some(l)) => {
                    match copy_of(l, &template_dir, &root) {
                        Some((src, dst)) if src == collapse(from) && dst == collapse(to) => {
                            Verdict::Same
                        }
                        _ => differs("copy differs", format!("cp -a {from} {to}")),
                    }
                }
                (PlannedAction::Native(kind), _) => {
                    next -= 1;
                    Verdict::NotCompared(format!(
                        "{name}: done natively by jailwright ({kind}); AppJail edits the file from the host"
                    ))
                }
            };
            if verdict == Verdict::Same {
                verdict = v;
            }
        }
        if refused && matches!(verdict, Verdict::Differs { .. }) {
            // RAW is host shell around the steps (`RAW if ...; then`):
            // after it, AppJail's order is no longer the Makejail's.
            verdict = Verdict::NotCompared(
                "after a step jailwright refuses, where AppJail's run may branch (RAW)".into(),
            );
        }
        report(verdict);
    }
    if done.is_none() && !refused {
        for extra in &ran[next.min(ran.len())..] {
            reports.push(StepReport {
                line: 0,
                name: extra.argv[0].clone(),
                verdict: Verdict::Differs {
                    class: "AppJail runs a command jailwright does not plan".into(),
                    detail: show(&extra.argv),
                },
            });
        }
    }
    TemplateReport {
        path: path.to_string(),
        status,
        error: None,
        steps: reports,
    }
}

/// jailwright's argv as the log shows it: `appjail` by the path the build
/// script uses.
fn normalise(argv: &[String], _root: &str) -> Vec<String> {
    let mut argv = argv.to_vec();
    if let Some(first) = argv.first_mut()
        && first.ends_with("/appjail")
    {
        *first = "/usr/local/bin/appjail".into();
    }
    argv
}

/// RUN's script as the words the jail's `sh -s` reads: AppJail
/// double-quotes every word (makejail/cmd/all/RUN:159-182,236), jailwright
/// single-quotes those that need it.
fn words(script: &Option<String>) -> Vec<String> {
    let Some(script) = script else {
        return Vec::new();
    };
    match jailwright::shell::lex(script) {
        Ok(tokens) => tokens
            .into_iter()
            .map(|t| match t.kind {
                jailwright::shell::TokenKind::Word { value, .. } => value,
                jailwright::shell::TokenKind::Operator(op) => op,
                jailwright::shell::TokenKind::Comment => String::new(),
            })
            .collect(),
        Err(_) => vec![script.clone()],
    }
}
