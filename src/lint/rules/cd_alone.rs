//! JW904: a CMD that only changes directory. Each CMD runs in its own
//! `sh -c` (bastille cmd, appjail cmd jexec), so `CMD cd /app` has no
//! effect on the next CMD. Join the commands (`CMD cd /app && make`), or
//! use a Makejail's WORKDIR. Not in a legacy CMD hook file: bastille up
//! to 1.2 ran the whole file as one script, so a `cd` carries over to the
//! lines after it.

use super::BASTILLE_AND_MAKEJAIL;
use crate::document::Document;
use crate::ir::{Instruction, Layout};
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW904",
    name: "cd-alone",
    severity: Severity::Warning,
    dialects: BASTILLE_AND_MAKEJAIL,
    summary: "a CMD that only runs `cd`: the next CMD starts in / again",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    if doc.template.layout == Layout::LegacyHooks {
        return;
    }
    for line in lines(doc) {
        if !matches!(line.step.instruction, Instruction::Cmd { .. }) {
            continue;
        }
        let cmds = commands(line.text);
        if cmds.len() == 1 && cmds[0].first().is_some_and(|(_, w)| w == "cd") {
            report.emit(
                line.span(doc, 0, line.text.len()),
                "`cd` alone: every CMD is its own shell, so the next one starts elsewhere",
                "join it with what must run there: CMD cd /dir && command",
            );
        }
    }
}
