//! `jailwright plan`'s text output.

use super::{Action, Plan};

/// The plan as text: each step, the commands it runs, and why a step
/// does nothing or cannot run here.
pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let n = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!(
            "[{}/{n}] {}:{} {}\n",
            i + 1,
            step.file,
            step.line,
            step.name
        ));
        for action in &step.actions {
            let line = match action {
                Action::Run { argv, stdin } => {
                    let command = shlex::try_join(argv.iter().map(String::as_str))
                        .unwrap_or_else(|_| argv.join(" "));
                    match stdin {
                        Some(text) => format!("{command} <<'EOF'\n{text}EOF"),
                        None => command,
                    }
                }
                Action::Copy { from, to, contents } => format!(
                    "copy {}{} -> {to} (resolved inside the root)",
                    from.display(),
                    if *contents { "/*" } else { "" }
                ),
                Action::Sysrc { args } => {
                    format!("sysrc (native, in the root's rc.conf) {}", args.join(" "))
                }
                Action::Render { path, vars } => {
                    let names: Vec<&str> =
                        vars.as_slice().iter().map(|(n, _)| n.as_str()).collect();
                    format!("render ${{{}}} in {path}", names.join("}, ${"))
                }
                Action::Replace {
                    file,
                    keyword,
                    value,
                    output,
                } => format!("replace %{{{keyword}}} with {value:?} in {file} -> {output}"),
                Action::Mount(m) => format!(
                    "mount -t {} -o {} {} ROOT{} (mount point resolved inside the root; added to a Bastille jail's fstab)",
                    m.fstype, m.options, m.from, m.to
                ),
                Action::LineInFile { line, file } => format!("line-in-file {file}: {line}"),
            };
            out.push_str(&format!("    {line}\n"));
        }
        if let Some(note) = &step.note {
            out.push_str(&format!("    ({note})\n"));
        }
        if let Some(why) = &step.blocked {
            out.push_str(&format!("    BLOCKED: {why}\n"));
        }
    }
    let blocked = plan.steps.iter().filter(|s| s.blocked.is_some()).count();
    if blocked > 0 {
        out.push_str(&format!(
            "{blocked} step(s) cannot be applied to this target: apply would refuse to start\n"
        ));
    }
    out
}
