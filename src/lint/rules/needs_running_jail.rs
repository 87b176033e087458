//! JW713: a build step that needs a running jail when none runs. CMD
//! (jexec), PKG, SYSRC, SERVICE, RUN, WORKDIR and LOGIN need the jail
//! running, so the build stage needs `OPTION start` (or START) before
//! them. A trap: on a stopped jail AppJail only warns "not running" and
//! goes on with exit 0 (share/appjail/cmd/cmd:324-332, cmd/pkg:172-175),
//! so the step silently does nothing. Only main Makejails
//! (`Makejail`, `Makejail.*`) are checked; lint reads them with their local
//! includes, where `OPTION start` often is.

use super::{MAKEJAIL, args_span};
use crate::document::Document;
use crate::ir::{CmdTarget, Instruction, Runner};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW713",
    name: "needs-running-jail",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a build step that runs in the jail before OPTION start/START or after STOP",
    check,
    fixable: false,
    opt_in: false,
};

fn needs_jail(instruction: &Instruction) -> bool {
    match instruction {
        Instruction::Cmd { options, .. } => options.target == CmdTarget::Jexec,
        Instruction::Pkg { runner, .. }
        | Instruction::Sysrc { runner, .. }
        | Instruction::Service { runner, .. } => matches!(runner, Runner::Jail | Runner::Host),
        Instruction::Run { .. } | Instruction::Workdir { .. } | Instruction::Login { .. } => true,
        _ => false,
    }
}

fn check(doc: &Document, report: &mut Report) {
    // Only a main Makejail says how the jail is created; a `*.makejail`
    // fragment is included by one that may start it.
    let main = doc
        .sources
        .first()
        .and_then(|s| s.path.file_name())
        .and_then(|n| n.to_str());
    if !main.is_some_and(|n| n == "Makejail" || n.starts_with("Makejail.")) {
        return;
    }
    let Some(build) = doc.template.execution.iter().find(|s| s.stage == "build") else {
        return;
    };
    let steps = &doc.template.steps;
    // Without an OPTION the jail is created from `-o` options on the
    // command line; with an INCLUDE left unexpanded (remote) part of the
    // build is unknown. Either way, whether the jail runs cannot be told.
    let creates = build
        .steps
        .iter()
        .any(|&i| matches!(steps[i].instruction, Instruction::JailOption { .. }));
    let unknown = steps
        .iter()
        .any(|s| matches!(s.instruction, Instruction::Include { .. }));
    if !creates || unknown {
        return;
    }
    let mut running = false;
    for &i in &build.steps {
        let step = &steps[i];
        match &step.instruction {
            Instruction::JailOption { option } if option.trim() == "start" => running = true,
            Instruction::Start | Instruction::Restart => running = true,
            Instruction::Stop => running = false,
            other if needs_jail(other) && !running => report.emit(
                args_span(doc, step),
                format!(
                    "{} needs the jail running, and it is not here: AppJail warns and skips the step with exit 0 (cmd/cmd:324-332)",
                    step.name
                ),
                "add `OPTION start` (or START before this line)",
            ),
            _ => {}
        }
    }
}
