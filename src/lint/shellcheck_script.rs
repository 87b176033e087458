//! JW901: the shell text of a template, linted by ShellCheck. Every CMD
//! (and a Makejail's RUN-less CMD text, a legacy CMD hook, a pot flavour
//! script) goes into one script, each step in a subshell of its own (a
//! step is its own `sh -c`), after a prelude that assigns the template's
//! ARG/VAR/ENV names and the managers' built-ins so they do not read as
//! unassigned (as hadolint does for ARG/ENV). ShellCheck runs once per
//! template (`shellcheck -s dash -f json1 -`, by the caller); each finding
//! is mapped back to the template's file, line and column.
//!
//! What the jail's shell really sees decides what is kept:
//! - The shell is FreeBSD's `sh`, which ShellCheck does not know. Its
//!   `dash` dialect is the nearest (both have `set -o pipefail`, `echo
//!   -n`, `local` in functions; POSIX `sh` mode calls them undefined), and
//!   the few things FreeBSD's sh has that dash lacks (`$'...'`) are in
//!   `FREEBSD_SH_HAS`.
//! - Bastille substitutes `${NAME}` of each ARG declared above the line
//!   and of its built-ins as text before any shell runs (template.sh:
//!   331-371): what ShellCheck says of such a reference as an expansion
//!   (SC2086 unquoted, SC2016 in single quotes, SC2154 unassigned...) is
//!   not true of it. A Makejail's ARGs are real environment variables of
//!   its CMD, where those findings stand.
//! - ShellCheck's `info` and `style` findings are opt-in (select them by
//!   code, `--extend-select SC2086`, or all with `--extend-select JW901`):
//!   the default is its errors and warnings.
//!
//! Building the script and reading ShellCheck's answer are pure; running
//! ShellCheck is the caller's (`exec::adapters::shellcheck`).

use super::shell_text::{self, ShellLine};
use super::{Diagnostic, Severity};
use crate::document::Document;
use crate::ir::Instruction;
use std::collections::HashMap;

/// The script ShellCheck reads, and which line of shell text each of its
/// lines is (`None`: a line jailwright added).
pub struct ShellScript<'d> {
    pub text: String,
    lines: Vec<ShellLine<'d>>,
    origins: Vec<Option<usize>>,
    /// For each line, the byte ranges the manager replaces with text
    /// before any shell runs (bastille ARGs, AppJail build arguments).
    substituted: Vec<Vec<(usize, usize)>>,
}

/// The dialect ShellCheck checks the shell text in (`shellcheck -s`).
pub const SHELL: &str = "dash";

/// ShellCheck findings about things FreeBSD's sh has and dash lacks:
/// (code, a word of the message that names the feature).
const FREEBSD_SH_HAS: &[(u32, &str)] = &[
    // `$'...'` (sh(1): "Dollar-Single Quotes").
    (3003, "$'"),
    // echo -n and -e: FreeBSD sh's echo builtin has both (sh(1), echo).
    (3036, "echo"),
    (3037, "echo"),
    // `[ a == b ]`: FreeBSD's test takes `==` (test(1)).
    (3014, "=="),
    // `set -o pipefail` (sh(1) since FreeBSD 13.1; dash mode allows it).
    (3040, "pipefail"),
];

/// ShellCheck codes reported at warning level that, in templates, are
/// mostly a matter of style (a review of the corpus findings: 39 of 45
/// SC2164 `cd` without `|| exit` are on directories that exist or whose
/// failure the next command shows; SC1083 repeats a parse error's
/// finding): opt-in, like ShellCheck's info and style levels.
pub const STYLE_CODES: &[u32] = &[1083, 2046, 2124, 2164];

/// The built-ins bastille substitutes in every line (template.sh:333).
const BASTILLE_SUBSTITUTES: &[&str] = &["JAIL_NAME", "JAIL_IP", "JAIL_IP6"];

/// Names a template's shell text may use without assigning them.
const BUILTINS: &[&str] = &["JAIL_NAME", "JAIL_IP", "JAIL_IP6", "APPJAIL_JAILNAME"];

/// The template's shell text as one script, or `None` when it has none.
pub fn script(doc: &Document) -> Option<ShellScript<'_>> {
    // CMDs that run a plain `sh -c` in the jail (or as a user), legacy
    // CMD hooks and flavour scripts.
    let lines: Vec<ShellLine> = shell_text::all_lines(doc)
        .into_iter()
        .filter(|l| match &l.step.instruction {
            Instruction::Cmd { options, .. } => options.is_default() || options.user.is_some(),
            _ => true,
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    let mut names: Vec<&str> = BUILTINS.to_vec();
    for step in &doc.template.steps {
        if let Instruction::Arg { name, .. }
        | Instruction::Var { name, .. }
        | Instruction::Env { name, .. } = &step.instruction
        {
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    let mut text = String::from("#!/bin/sh\n");
    let mut origins: Vec<Option<usize>> = vec![None];
    for name in names.iter().filter(|n| crate::shell::is_name(n)) {
        text.push_str(&format!("{name}=''; : \"${name}\"\n"));
        origins.push(None);
    }
    // Each step in a subshell of its own; a script file's interpreter
    // line is a comment here.
    for (i, line) in lines.iter().enumerate() {
        let first_of_step = i == 0 || !std::ptr::eq(lines[i - 1].step, line.step);
        let last_of_step = lines
            .get(i + 1)
            .is_none_or(|next| !std::ptr::eq(next.step, line.step));
        if first_of_step {
            text.push_str("(\n");
            origins.push(None);
        }
        text.push_str(line.text);
        text.push('\n');
        origins.push(Some(i));
        if last_of_step {
            text.push_str(")\n");
            origins.push(None);
        }
    }
    let substituted = substituted_references(doc, &lines);
    Some(ShellScript {
        text,
        lines,
        origins,
        substituted,
    })
}

/// For each line, the byte ranges the manager replaces as text before any
/// shell runs: in a Bastillefile's CMD the `${NAME}` of the ARGs declared
/// above the step and of the built-ins (a legacy CMD hook is fed to the
/// jail's shell as it is); in a Makejail the `%{NAME}` build arguments.
fn substituted_references(doc: &Document, lines: &[ShellLine<'_>]) -> Vec<Vec<(usize, usize)>> {
    if doc.template.dialect == crate::ir::Dialect::Makejail {
        // `%{NAME}` build arguments: AppJail replaces them before any
        // shell runs (makejail:717-725).
        return lines.iter().map(|l| build_arguments(l.text)).collect();
    }
    let bastille = doc.template.dialect == crate::ir::Dialect::Bastille
        && doc.template.layout == crate::ir::Layout::File;
    if !bastille {
        return vec![Vec::new(); lines.len()];
    }
    // Where each ARG is first declared, found once (not a scan of the
    // steps per line).
    let steps = &doc.template.steps;
    let mut first_declared: HashMap<&str, usize> = HashMap::new();
    for (i, step) in steps.iter().enumerate() {
        if let Instruction::Arg { name, .. } = &step.instruction {
            first_declared.entry(name).or_insert(i);
        }
    }
    lines
        .iter()
        .map(|line| {
            let at = doc.step_index(line.step).unwrap_or(0);
            let declared = |name: &str| {
                BASTILLE_SUBSTITUTES.contains(&name)
                    || first_declared.get(name).is_some_and(|&i| i < at)
            };
            crate::dialect::bastille::substitution::references(line.text)
                .into_iter()
                .filter(|(_, name)| declared(name))
                .map(|(start, name)| (start, start + name.len() + 3))
                .collect()
        })
        .collect()
}

/// A flavour script whose `#!` line names another shell (bash, zsh, ksh):
/// pot runs the script itself, so that shell reads it, and what ShellCheck
/// says of sh portability (SC3xxx) does not apply.
fn other_shell(step: &crate::ir::Step) -> bool {
    let Instruction::Script { text, .. } = &step.instruction else {
        return false;
    };
    let first = text.lines().next().unwrap_or("");
    first.starts_with("#!") && ["bash", "zsh", "ksh"].iter().any(|s| first.contains(s))
}

/// The byte ranges of a line's `%{NAME}` and `%{NAME:default}`.
fn build_arguments(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find("%{").map(|i| from + i) {
        let Some(len) = text[at..].find('}') else {
            break;
        };
        found.push((at, at + len + 1));
        from = at + len + 1;
    }
    found
}

/// Whether a finding over bytes `start..end` of a line is about an
/// expansion that is really bastille's text substitution: it lies within
/// one substituted reference, or (SC2016, "expressions don't expand in
/// single quotes") every `$` in its range starts one.
fn about_substituted_text(
    code: u32,
    text: &str,
    start: usize,
    end: usize,
    substituted: &[(usize, usize)],
) -> bool {
    if substituted
        .iter()
        .any(|&(s, e)| s <= start && end <= e && start < end)
    {
        return true;
    }
    if code != 2016 {
        return false;
    }
    let range = text.get(start..end.min(text.len())).unwrap_or("");
    let dollars: Vec<usize> = range.match_indices('$').map(|(i, _)| start + i).collect();
    !dollars.is_empty()
        && dollars
            .iter()
            .all(|d| substituted.iter().any(|&(s, _)| s == *d))
}

#[derive(serde::Deserialize)]
struct Answer {
    comments: Vec<Comment>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    line: usize,
    end_line: usize,
    column: usize,
    end_column: usize,
    level: String,
    code: u32,
    message: String,
}

/// ShellCheck's answer is not the JSON it writes.
#[derive(Debug, thiserror::Error)]
#[error("shellcheck: {0}")]
pub struct AnswerError(serde_json::Error);

/// ShellCheck's json1 answer as diagnostics on the template. Findings on
/// lines jailwright added (prelude, subshells) are dropped.
pub fn diagnostics(
    doc: &Document,
    script: &ShellScript<'_>,
    json: &str,
) -> Result<Vec<Diagnostic>, AnswerError> {
    let answer: Answer = serde_json::from_str(json).map_err(AnswerError)?;
    // A script that sources a file ShellCheck cannot follow may get its
    // variables there: "referenced but not assigned" is a guess in the
    // files that source one.
    let sourcing_files: Vec<&str> = script
        .lines
        .iter()
        .filter(|l| {
            super::shell_text::commands(l.text)
                .iter()
                .any(|c| c.first().is_some_and(|(_, w)| w == "." || w == "source") && c.len() > 1)
        })
        .map(|l| l.step.span.file.as_str())
        .collect();
    let mut found = Vec::new();
    for c in answer.comments {
        let Some(Some(index)) = script.origins.get(c.line.saturating_sub(1)) else {
            continue;
        };
        // ShellCheck counts a tab as 8 columns; jailwright's text has none
        // in the mapped lines often enough to keep columns as bytes.
        let length = if c.end_line == c.line {
            c.end_column.saturating_sub(c.column)
        } else {
            1
        };
        let column = c.column.saturating_sub(1);
        let line = &script.lines[*index];
        if about_substituted_text(
            c.code,
            line.text,
            column,
            column + length,
            &script.substituted[*index],
        ) || FREEBSD_SH_HAS
            .iter()
            .any(|(code, word)| *code == c.code && c.message.contains(word))
            || (c.code == 2154 && sourcing_files.contains(&line.step.span.file.as_str()))
            || ((3000..4000).contains(&c.code) && other_shell(line.step))
        {
            continue;
        }
        let span = line.span(doc, column, column + length);
        let (severity, opt_in) = match c.level.as_str() {
            "error" => (Severity::Error, false),
            "warning" => (Severity::Warning, STYLE_CODES.contains(&c.code)),
            _ => (Severity::Info, true),
        };
        found.push(Diagnostic {
            code: RULE.code,
            rule: RULE.name,
            severity,
            message: format!("SC{}: {}", c.code, c.message),
            help: Some(format!("https://www.shellcheck.net/wiki/SC{}", c.code)),
            shellcheck_code: Some(format!("SC{}", c.code)),
            fix: Vec::new(),
            opt_in,
            span,
        });
    }
    Ok(found)
}

/// The rule ShellCheck's findings are reported under. Its check runs
/// nothing: the caller runs ShellCheck (I/O) and maps its answer here.
pub const RULE: super::Rule = super::Rule {
    code: "JW901",
    name: "shellcheck",
    severity: Severity::Warning,
    dialects: &[
        crate::ir::Dialect::Bastille,
        crate::ir::Dialect::Makejail,
        crate::ir::Dialect::Pot,
    ],
    summary: "ShellCheck's findings in CMD text and flavour scripts (when shellcheck is installed)",
    check: |_, _| {},
    fixable: false,
    opt_in: false,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Bindings, bastille};
    use crate::source::SourceFile;

    #[test]
    fn the_script_declares_args_and_maps_lines_back() {
        let doc = bastille::parse(
            SourceFile::new(
                "Bastillefile",
                b"ARG PORT=80\nPKG nginx\nCMD echo $PORT \\\n  $undefined\n",
            ),
            &Bindings::default(),
        );
        let s = script(&doc).unwrap();
        assert!(s.text.contains("PORT=''"), "{}", s.text);
        let line = s.text.lines().position(|l| l.starts_with("echo")).unwrap() + 1;
        let column = s
            .text
            .lines()
            .nth(line - 1)
            .unwrap()
            .find("$undefined")
            .unwrap()
            + 1;
        let end = column + "$undefined".len();
        let answer = format!(
            r#"{{"comments":[{{"file":"-","line":{line},"endLine":{line},"column":{column},"endColumn":{end},"level":"warning","code":2154,"message":"undefined is referenced but not assigned."}},{{"file":"-","line":1,"endLine":1,"column":1,"endColumn":2,"level":"warning","code":2034,"message":"prelude"}}]}}"#
        );
        let found = diagnostics(&doc, &s, &answer).unwrap();
        assert_eq!(found.len(), 1, "the prelude's finding is dropped");
        assert_eq!(
            (found[0].span.line, found[0].span.column),
            (4, 3),
            "through the continuation"
        );
        assert!(found[0].message.starts_with("SC2154"));
    }
}
