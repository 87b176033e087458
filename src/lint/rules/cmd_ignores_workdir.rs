//! JW720: a CMD after WORKDIR that relies on it. WORKDIR sets the
//! directory of ADD, COPY and RUN only (appjail-makejail(5), WORKDIR);
//! CMD always starts in `/` (`local workdir="/"`, makejail/cmd/all/CMD:69,
//! changed only by its own `--workdir`). A CMD whose text may use its
//! directory (a relative path, a command not known to ignore it:
//! `src/shell/cwd.rs`) runs in `/`, not in the WORKDIR above it.

use super::{MAKEJAIL, args_span};
use crate::document::Document;
use crate::ir::{CmdTarget, Instruction};
use crate::lint::{Report, Rule, Severity};
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "JW720",
    name: "cmd-ignores-workdir",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "a CMD after WORKDIR that relies on it (CMD starts in /)",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    // The WORKDIR in force, per stage.
    let mut workdir: HashMap<Option<&str>, &str> = HashMap::new();
    for step in &doc.template.steps {
        let stage = step.stage.as_deref();
        match &step.instruction {
            Instruction::Workdir { dir } => {
                workdir.insert(stage, dir);
            }
            Instruction::Clear { what } if matches!(what.as_str(), "workdir" | "stage" | "") => {
                workdir.remove(&stage);
            }
            Instruction::Cmd { script, options }
                if options.target == CmdTarget::Jexec
                    && options.workdir.is_none()
                    && crate::shell::cwd::depends_on_cwd(script) =>
            {
                if let Some(dir) = workdir.get(&stage) {
                    report.emit(
                        args_span(doc, step),
                        format!("CMD starts in /, not in the WORKDIR {dir} above (WORKDIR is for ADD, COPY and RUN)"),
                        format!("CMD --workdir {dir} ..., or `cd {dir} && ...`"),
                    );
                }
            }
            _ => {}
        }
    }
}
