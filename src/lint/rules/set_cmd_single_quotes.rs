//! JW805: `set-cmd -c '...'`. pot removes one pair of double quotes only;
//! single quotes stay in pot.cmd, and `pot start` (which runs the command
//! word-split, without a shell, share/pot/start.sh:671) then looks for a
//! program named `'...`; quotes inside the command (`"nginx -g 'daemon
//! off;'"`) reach the program as parts of its arguments (`'daemon`,
//! `off;'`).
//! Not when the flavour sets the `no-rc-script` attribute: pot then writes
//! `exec COMMAND` into the pot's /tmp/tinirc and runs that script
//! (share/pot/start.sh:441-453, 636-638), whose shell removes the quotes.
//! Not in a flavour of nothing but set-cmd either: such a fragment is
//! applied after other flavours (`pot create -f app -f app-cmd`), and one
//! of those may set no-rc-script.

use super::{POT, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW805",
    name: "set-cmd-single-quotes",
    severity: Severity::Warning,
    dialects: POT,
    summary: "single quotes around set-cmd's command stay part of it",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    // The last setting wins; ON, YES and TRUE all mean YES
    // (_normalize_true_false, share/pot/common.sh:188-201).
    let no_rc_script = doc
        .template
        .steps
        .iter()
        .filter_map(|s| match &s.instruction {
            Instruction::Attribute { name, value } if name == "no-rc-script" => Some(value),
            _ => None,
        })
        .next_back()
        .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "yes" | "true" | "on"));
    // A flavour of only set-cmd (`app-cmd`) is applied after others in
    // one `pot create -f app -f app-cmd`: one of those may set
    // no-rc-script, lint cannot tell.
    let fragment = doc
        .template
        .steps
        .iter()
        .all(|s| matches!(s.instruction, Instruction::StartCommand { .. }));
    if no_rc_script || fragment {
        return;
    }
    for step in &doc.template.steps {
        if let Instruction::StartCommand { command } = &step.instruction
            && command.contains('\'')
        {
            let message = if command.starts_with('\'') {
                format!("pot keeps the single quotes: the start command is `{command}`")
            } else {
                format!("pot keeps the single quotes inside the command and splits it at blanks without a shell: `{command}` passes the quotes on as part of its words")
            };
            report.emit(
                args_span(doc, step),
                message,
                "use double quotes around the whole command and no quotes inside it, or a script: set-cmd -c \"/usr/local/bin/start-app\"",
            );
        }
    }
}
