//! JW901: the shell text of a template, linted by ShellCheck. Every CMD
//! (and a Makejail's RUN-less CMD text, a legacy CMD hook, a pot flavour
//! script) goes into one script, each step in a subshell of its own (a
//! step is its own `sh -c`), after a prelude that assigns the template's
//! ARG/VAR/ENV names and the managers' built-ins so they do not read as
//! unassigned (as hadolint does for ARG/ENV). ShellCheck runs once per
//! template (`shellcheck -s sh -f json1 -`, by the caller); each finding
//! is mapped back to the template's file, line and column.
//!
//! Building the script and reading ShellCheck's answer are pure; running
//! ShellCheck is the caller's (`exec::adapters::shellcheck`).

use super::shell_text::{self, ShellLine};
use super::{Diagnostic, Severity};
use crate::document::Document;
use crate::ir::Instruction;

/// The script ShellCheck reads, and which line of shell text each of its
/// lines is (`None`: a line jailwright added).
pub struct ShellScript<'d> {
    pub text: String,
    lines: Vec<ShellLine<'d>>,
    origins: Vec<Option<usize>>,
}

/// Names a template's shell text may use without assigning them.
const BUILTINS: &[&str] = &["JAIL_NAME", "JAIL_IP", "JAIL_IP6", "APPJAIL_JAILNAME"];

/// The template's shell text as one script, or `None` when it has none.
pub fn script(doc: &Document) -> Option<ShellScript<'_>> {
    // CMDs that run a plain `sh -c` in the jail (or as a user), legacy
    // CMD hooks and flavour scripts.
    let lines: Vec<ShellLine> = shell_text::lines(doc)
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
    Some(ShellScript {
        text,
        lines,
        origins,
    })
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

/// ShellCheck's json1 answer as diagnostics on the template. Findings on
/// lines jailwright added (prelude, subshells) are dropped.
pub fn diagnostics(
    doc: &Document,
    script: &ShellScript<'_>,
    json: &str,
) -> Result<Vec<Diagnostic>, String> {
    let answer: Answer = serde_json::from_str(json).map_err(|e| format!("shellcheck: {e}"))?;
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
        let span = script.lines[*index].span(doc, column, column + length);
        let severity = match c.level.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        };
        found.push(Diagnostic {
            code: RULE.code,
            rule: RULE.name,
            severity,
            message: format!("SC{}: {}", c.code, c.message),
            help: Some(format!("https://www.shellcheck.net/wiki/SC{}", c.code)),
            shellcheck_code: Some(format!("SC{}", c.code)),
            fix: Vec::new(),
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
