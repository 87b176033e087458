//! JW201: `${NAME}` that no earlier ARG declares. Bastille only substitutes
//! names declared above the line (and the built-ins), so the reference is
//! left for the host shell's `eval` (usually empty) or, in CMD, for the
//! jail's shell. Not reported: a reference in single quotes (no shell
//! expands it: it is text, like pkg's own `${ABI}`), and in a CMD a
//! variable the same CMD sets (`for i in ...`, `x=...`, `read x`) or one
//! every shell has (`HOME`, `PATH`).

use super::{BASTILLE, text_span};
use crate::dialect::bastille::substitution::references;
use crate::document::Document;
use crate::ir::{Instruction, Layout};
use crate::lint::{Report, Rule, Severity};
use crate::shell::quote::in_single_quotes;
use crate::shell::is_name;
use std::collections::HashMap;

pub const RULE: Rule = Rule {
    code: "JW201",
    name: "undeclared-variable",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "`${NAME}` is used before or without an ARG that declares it",
    check,
    fixable: false,
    opt_in: false,
};

pub const BUILTINS: [&str; 3] = ["JAIL_NAME", "JAIL_IP", "JAIL_IP6"];

fn check(doc: &Document, report: &mut Report) {
    let steps = &doc.template.steps;
    let mut first_declaration: HashMap<&str, usize> = HashMap::new();
    for (index, step) in steps.iter().enumerate() {
        if let Instruction::Arg { name, .. } = &step.instruction {
            first_declaration.entry(name).or_insert(index);
        }
    }
    let declared_at = |name: &str| first_declaration.get(name).copied();
    for (index, step) in steps.iter().enumerate() {
        let is_cmd = matches!(step.instruction, Instruction::Cmd { .. });
        let refs = references(&step.text);
        if refs.is_empty() {
            continue;
        }
        let quoted = in_single_quotes(&step.text);
        let set_here = if !is_cmd {
            Vec::new()
        } else if doc.template.layout == Layout::LegacyHooks {
            // A hook file runs as one script: what any line of it sets.
            same_script(steps, step)
        } else {
            assigned(&step.text)
        };
        for (offset, name) in refs {
            let literal = quoted.get(offset).copied().unwrap_or(false);
            if !is_name(name) {
                // `${DB_HOST:-localhost}`: bastille's sed replaces only the
                // exact `${DB_HOST}` (template.sh:351, 361-371), so an
                // ARG's value never reaches this form: the shell sees an
                // unset name and the default always wins. Other forms
                // (`${1}`, `${x:-y}` of no ARG) are the shell's own.
                let base = name.split([':', '-', '=', '?', '+', '#', '%']).next().unwrap_or("");
                if !literal && is_name(base) && declared_at(base).is_some_and(|at| at < index) {
                    report.emit(
                        text_span(doc, step, offset, offset + name.len() + 3),
                        format!("bastille substitutes only `${{{base}}}`: in `${{{name}}}` the ARG's value is never used, the shell expands an unset {base}"),
                        format!("write `${{{base}}}` and give ARG {base} the default instead (ARG {base}=...)"),
                    );
                }
                // In a CMD the jail's shell expands it as written; on other
                // lines the host's eval does, where an undeclared name is
                // reported as any other.
                if is_cmd || literal || !is_name(base) || declared_at(base).is_some() {
                    continue;
                }
            }
            let shell_variable = declared_at(name).is_none()
                && is_cmd
                && (set_here.iter().any(|n| n == name || n == SOURCES_A_FILE) || ENVIRONMENT.contains(&name));
            if BUILTINS.contains(&name) || literal || shell_variable {
                continue;
            }
            let span = text_span(doc, step, offset, offset + name.len() + 3);
            match declared_at(name) {
                Some(at) if at < index => {
                    if doc.template.layout == Layout::LegacyHooks && is_cmd {
                        report.emit(
                            span,
                            format!("`${{{name}}}` is not substituted: bastille feeds CMD and PRE hook files to the jail's sh as they are"),
                            "move the template to a Bastillefile (`bastille template convert`)",
                        );
                    }
                }
                Some(_) => report.emit(
                    span,
                    format!("`${{{name}}}` is used before its ARG: bastille only substitutes it on later lines"),
                    "move the ARG above its first use",
                ),
                None if is_cmd => report.emit_as(
                    Severity::Info,
                    span,
                    format!("`${{{name}}}` is not an ARG and this CMD does not set it: bastille leaves it to the jail's shell, which expands it to nothing unless the environment has it"),
                    "declare it with ARG if it is a template parameter",
                ),
                None => report.emit(
                    span,
                    format!("`${{{name}}}` is not declared by any ARG: the host shell expands it, usually to nothing"),
                    format!("declare it first: ARG {name}=..."),
                ),
            }
        }
    }
}

/// Stands for every name in `assigned`'s answer: the text sources a file
/// (`. ./template.conf`), which may set anything.
const SOURCES_A_FILE: &str = ".";

/// What the CMD steps of `step`'s hook file set, all of them together.
fn same_script(steps: &[crate::ir::Step], step: &crate::ir::Step) -> Vec<String> {
    steps
        .iter()
        .filter(|s| s.span.file == step.span.file && matches!(s.instruction, Instruction::Cmd { .. }))
        .flat_map(|s| assigned(&s.text))
        .collect()
}

/// Variables every shell of the jail has.
const ENVIRONMENT: &[&str] = &[
    "HOME", "PATH", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TERM", "IFS", "PPID", "OPTARG",
    "OPTIND", "LANG", "LC_ALL", "HOSTNAME", "TMPDIR",
];

/// The names a CMD's own shell text sets: loop variables, assignments,
/// `read`, `export`/`local`/`readonly`, `getopts`; `SOURCES_A_FILE` when
/// it sources one.
fn assigned(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    // Line by line: a hook file is a whole script (comments end a line).
    let lines = text.lines().map(crate::lint::shell_text::commands);
    for command in lines.collect::<Vec<_>>().iter().flat_map(|c| c.iter()) {
        let words: Vec<&str> = command
            .iter()
            .map(|(_, w)| w.as_str())
            .skip_while(|w| matches!(*w, "do" | "then" | "else" | "{" | "!" | "if" | "while" | "until" | "elif"))
            .collect();
        // Assignments before the command name (`IFS=: read -r U`).
        let mut prefix = 0;
        for word in &words {
            match word.split_once('=') {
                Some((name, _)) if is_name(name) => names.push(name.to_string()),
                _ => break,
            }
            prefix += 1;
        }
        let words = &words[prefix..];
        let names_after = |from: usize| {
            words[from.min(words.len())..]
                .iter()
                .filter(|w| !w.starts_with('-'))
                .map(|w| w.split('=').next().unwrap_or(w))
                .filter(|w| is_name(w))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        match words.first().copied() {
            Some("for") => names.extend(words.get(1).filter(|w| is_name(w)).map(|w| w.to_string())),
            Some("read" | "export" | "local" | "readonly") => names.extend(names_after(1)),
            Some("getopts") => names.extend(words.get(2).filter(|w| is_name(w)).map(|w| w.to_string())),
            Some("." | "source") if words.len() > 1 => names.push(SOURCES_A_FILE.to_string()),
            _ => {}
        }
    }
    names
}
