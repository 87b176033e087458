//! What a plan does to the jail, as comparable lines: the packages it
//! installs, the rc.conf settings it makes, the services it runs, the
//! files it copies (by destination), the mounts and the lines it writes.
//! `plan(A)` and `plan(convert(A → B))` should do the same, but for what
//! a loss reports; each manager spells the commands its way (`pkg -j J
//! install -y -- X`, `jexec -l -U root J env ... pkg install X`, a line of
//! a pot script), so commands are read for what they do. Port
//! redirections and jail parameters are manager state no plan holds, and
//! AppJail and pot mount at start (the jail's fstab, fscomp.conf): only a
//! Bastille plan holds mounts.

use jailwright::convert::script;
use jailwright::convert::to_pot::{STAGING, staged_move};
use jailwright::dialect::{self, Bindings, JailFacts};
use jailwright::exec::adapters::facts;
use jailwright::exec::{Action, TargetSpec};
use jailwright::ir::Dialect;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The jail every plan is made for.
const JAIL: &str = "J";

/// An effect and the step (file, line) it comes from.
pub type Effect = ((String, usize), String);

/// The effects of the plan of the template at `path` for a jail.
pub fn of_template(path: &Path, dialect: Dialect) -> Result<Vec<Effect>, String> {
    let bindings = Bindings {
        jail: JailFacts {
            name: Some(JAIL.into()),
            ..JailFacts::default()
        },
        ..Bindings::default()
    };
    let doc = match dialect {
        Dialect::Pot => dialect::pot::load_flavours(&[path.to_path_buf()]),
        d => dialect::load_expanded(path, Some(d), &bindings),
    }
    .map_err(|e| e.to_string())?;
    let target = TargetSpec::Jail(JAIL.into());
    let facts = facts::gather(
        &doc,
        &facts::Context {
            target: &target,
            bindings: &bindings,
            stage: None,
            templates: Path::new(facts::BASTILLE_TEMPLATES),
            fetch: None,
        },
    );
    let plan = jailwright::exec::plan(&doc, &target, &facts);
    // A reference still in a plan has no value: empty where it runs.
    let unresolved = |effect: String| {
        let mut out = String::with_capacity(effect.len());
        let mut rest = effect.as_str();
        while let Some(at) = rest.find("${") {
            out.push_str(&rest[..at]);
            match rest[at..].find('}') {
                Some(end) => rest = &rest[at + end + 1..],
                None => {
                    out.push_str(&rest[at..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    };
    let mut out = Vec::new();
    // Where copies were staged (pot).
    let mut staged: BTreeSet<String> = BTreeSet::new();
    // Scripts copied in to be run (pot's flavour script, shipped steps).
    let mut scripts: BTreeMap<String, String> = BTreeMap::new();
    // (a blocked step's actions count too: it is blocked on this host, for
    // a file missing here or a manager missing here)
    for step in &plan.steps {
        let at = (step.file.clone(), step.line);
        let mut push = |effect: String| out.push((at.clone(), unresolved(effect)));
        for action in &step.actions {
            match action {
                Action::Copy { from, to, contents } => {
                    if to.starts_with(STAGING) {
                        staged.insert(to.clone());
                        continue;
                    }
                    if to.starts_with("/tmp/") && to.ends_with(".sh") {
                        let text = std::fs::read_to_string(from).unwrap_or_default();
                        scripts.insert(to.clone(), text);
                        continue;
                    }
                    push(format!("copy {}", destination(from, to, *contents)));
                }
                Action::Sysrc { args } => sysrc(args).into_iter().for_each(&mut push),
                Action::Mount(spec) => push(format!("mount {}", spec.to.trim_end_matches('/'))),
                Action::LineInFile { line, file } => push(format!("line {file}: {line}")),
                Action::Render { path, .. } => push(format!("render {path}")),
                Action::Replace { file, keyword, .. } => push(format!("replace {file} {keyword}")),
                Action::Run { argv, .. } => {
                    for effect in of_command(argv, &scripts, &staged) {
                        push(effect);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Where a copy lands: `cp -a a /etc/` puts `a` in `/etc`.
fn destination(from: &Path, to: &str, contents: bool) -> String {
    let name = from
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    // (a Bastille CP destination without a leading `/` is in the root)
    let to = format!("/{}", to.trim_start_matches('/'));
    if to.ends_with('/') && !contents && to != "/" {
        format!("{to}{name}")
    } else {
        to.trim_end_matches('/').to_string()
    }
    .replace("//", "/")
}

fn base(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

/// The words after a tool's name, without `-j JAIL`, `--` and flags
/// before the first operand.
fn operands(rest: &[String]) -> Vec<&str> {
    let mut out = Vec::new();
    let mut words = rest.iter().map(String::as_str);
    while let Some(w) = words.next() {
        match w {
            "-j" => {
                words.next();
            }
            "--" => {}
            flag if flag.starts_with('-') && out.is_empty() => {}
            other => out.push(other),
        }
    }
    out
}

/// What a host command does in the jail.
fn of_command(
    argv: &[String],
    scripts: &BTreeMap<String, String>,
    staged: &BTreeSet<String>,
) -> Vec<String> {
    if let Some(i) = argv.iter().position(|a| a == "-c")
        && argv[..i].iter().any(|a| base(a) == "sh")
        && let Some(text) = argv.get(i + 1)
    {
        return of_shell(text, staged);
    }
    if let Some(script) = argv.iter().find_map(|a| scripts.get(a)) {
        return of_shell(script, staged);
    }
    for (i, word) in argv.iter().enumerate() {
        let rest = &argv[i + 1..];
        match base(word) {
            "pkg" => {
                let ops = operands(rest);
                return match ops.split_first() {
                    Some((&"install", packages)) => packages
                        .iter()
                        .filter(|p| !p.starts_with('-'))
                        .map(|p| format!("pkg {p}"))
                        .collect(),
                    _ => Vec::new(),
                };
            }
            "service" => {
                return match operands(rest)[..] {
                    [name, action, ..] => vec![format!("service {name} {action}")],
                    _ => Vec::new(),
                };
            }
            "sysrc" => {
                let jail = usize::from(rest.first().is_some_and(|a| a == "-j")) * 2;
                let args: Vec<String> = rest
                    .iter()
                    .skip(jail)
                    .filter(|a| *a != "--")
                    .cloned()
                    .collect();
                return sysrc(&args);
            }
            _ => {}
        }
    }
    Vec::new()
}

/// `sysrc [-f FILE] NAME=VALUE...`: one effect per setting, in its file.
fn sysrc(args: &[String]) -> Vec<String> {
    let mut file = String::new();
    let mut out = Vec::new();
    let mut words = args.iter();
    while let Some(a) = words.next() {
        if a == "-f" {
            file = words.next().map_or(String::new(), |f| format!("{f}: "));
        } else if !a.starts_with('-') {
            out.push(format!("sysrc {file}{a}"));
        }
    }
    out
}

/// What shell text does: its lines as the steps an admin would write.
fn of_shell(text: &str, staged: &BTreeSet<String>) -> Vec<String> {
    let ops = match script::lift(text) {
        Ok(ops) => ops,
        Err(_) => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| script::command(l, &Default::default()))
            .collect(),
    };
    let mut out = Vec::new();
    // A converted ARG: `NAME="${NAME:-default}"` at the top of the script.
    let mut values: Vec<(String, String)> = Vec::new();
    let substituted = |text: String, values: &[(String, String)]| {
        values
            .iter()
            .fold(text, |t, (n, v)| t.replace(&format!("${{{n}}}"), v))
    };
    for op in ops {
        let before = out.len();
        match op {
            jailwright::convert::op::Op::Arg {
                name,
                default: Some(value),
                ..
            } => values.push((name, value)),
            jailwright::convert::op::Op::Pkg {
                packages,
                action: jailwright::ir::PkgAction::Install,
                ..
            } => out.extend(packages.iter().map(|p| format!("pkg {p}"))),
            jailwright::convert::op::Op::Sysrc { args } => out.extend(sysrc(&args)),
            jailwright::convert::op::Op::Service { args } => {
                out.push(format!("service {}", args.join(" ")))
            }
            jailwright::convert::op::Op::Shell { script, .. } => {
                // A staged copy moved into place: `cp -a STAGE/N/x DST`.
                let words: Vec<&str> = script.split_whitespace().collect();
                if let Some((from, to, _)) = staged_move(&words)
                    && staged.contains(&from)
                {
                    out.push(format!("copy {}", to.trim_end_matches('/')));
                    continue;
                }
                // `cd DIR && pkg install ...`: what follows the cd.
                if let Some((_, rest)) = script.split_once(" && ")
                    && script.starts_with("cd ")
                {
                    out.extend(of_shell(rest, staged));
                }
            }
            _ => {}
        }
        for effect in &mut out[before..] {
            *effect = substituted(std::mem::take(effect), &values);
        }
    }
    out
}
