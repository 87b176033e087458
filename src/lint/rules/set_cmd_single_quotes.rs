//! JW805: `set-cmd -c '...'`. pot removes one pair of double quotes only;
//! single quotes stay in pot.cmd, and `pot start` (which runs the command
//! word-split, without a shell) then looks for a program named `'...`.
//! Not when the flavour sets the `no-rc-script` attribute: pot then writes
//! `exec COMMAND` into the pot's /tmp/tinirc and runs that script
//! (share/pot/start.sh:441-453, 636-638), whose shell removes the quotes.

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
    if no_rc_script {
        return;
    }
    for step in &doc.template.steps {
        if let Instruction::StartCommand { command } = &step.instruction
            && command.starts_with('\'')
        {
            report.emit(
                args_span(doc, step),
                format!("pot keeps the single quotes: the start command is `{command}`"),
                "use double quotes: set-cmd -c \"...\"",
            );
        }
    }
}
