//! JW712: a CMD using a variable it cannot see. CMD runs with `env` holding
//! only the ARGs and `VAR --make-arg-env` variables declared *earlier in
//! the same stage*: a plain VAR, an ARG of another stage or one declared
//! later expands to nothing in the jail.

use super::{MAKEJAIL, args_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};
use std::collections::{HashMap, HashSet};

pub const RULE: Rule = Rule {
    code: "JW712",
    name: "cmd-invisible-variable",
    severity: Severity::Warning,
    dialects: MAKEJAIL,
    summary: "CMD uses a VAR without --make-arg-env, or an ARG of another stage",
    check,
    fixable: false,
    opt_in: false,
};

use crate::shell::references;

/// Whether the script sets the variable itself (`for NAME in`, `NAME=`,
/// `read NAME`, `local NAME`).
fn assigned_in(script: &str, name: &str) -> bool {
    let words: Vec<&str> = script
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    words
        .windows(2)
        .any(|w| matches!(w[0], "for" | "read" | "local" | "-r") && w[1] == name)
        || words
            .iter()
            .any(|w| w.strip_prefix(name).is_some_and(|r| r.starts_with('=')))
}

fn check(doc: &Document, report: &mut Report) {
    let steps = &doc.template.steps;
    // Where each ARG is declared: name -> stages.
    let mut arg_stages: HashMap<&str, Vec<&str>> = HashMap::new();
    for step in steps {
        if let (Instruction::Arg { name, .. }, Some(stage)) = (&step.instruction, &step.stage) {
            arg_stages.entry(name).or_default().push(stage);
        }
    }
    let mut visible: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut plain_vars: HashMap<&str, HashSet<&str>> = HashMap::new();
    for step in steps {
        let stage = step.stage.as_deref().unwrap_or_default();
        match &step.instruction {
            Instruction::Arg { name, .. } => {
                visible.entry(stage).or_default().insert(name);
            }
            Instruction::Var {
                name,
                make_arg_env: true,
                ..
            } => {
                visible.entry(stage).or_default().insert(name);
            }
            Instruction::Var { name, .. } => {
                plain_vars.entry(stage).or_default().insert(name);
            }
            Instruction::Cmd { script, .. } => {
                let seen = |map: &HashMap<&str, HashSet<&str>>, n: &str| {
                    map.get(stage).is_some_and(|v| v.contains(n))
                };
                for name in references(script) {
                    if seen(&visible, name) || assigned_in(script, name) {
                        continue;
                    }
                    let message = if seen(&plain_vars, name) {
                        format!(
                            "VAR {name} is not passed to CMD: it expands to nothing in the jail"
                        )
                    } else if let Some(stages) = arg_stages.get(name) {
                        if stages.contains(&stage) {
                            format!(
                                "ARG {name} is declared after this CMD: CMD only sees ARGs declared above it"
                            )
                        } else {
                            format!(
                                "ARG {name} belongs to stage {}: this CMD (stage {stage}) does not see it",
                                stages[0]
                            )
                        }
                    } else {
                        continue;
                    };
                    report.emit(reference_span(doc, step, name), message, "declare it with ARG above the CMD in this stage, or with VAR --make-arg-env");
                }
            }
            _ => {}
        }
    }
}

/// The span of the first reference to `name` in the step's text
/// (`${name}` or `$name`), or of the whole text.
fn reference_span(doc: &Document, step: &crate::ir::Step, name: &str) -> crate::ir::Span {
    let braced = format!("${{{name}}}");
    let bare = format!("${name}");
    let found = step.text.find(&braced).map(|at| (at, braced.len())).or_else(|| {
        step.text
            .match_indices(&bare)
            .find(|(at, _)| {
                !step.text[at + bare.len()..]
                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            })
            .map(|(at, _)| (at, bare.len()))
    });
    match found {
        Some((at, len)) => super::text_span(doc, step, at, at + len),
        None => args_span(doc, step),
    }
}
