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

use super::{Diagnostic, Severity};
use crate::document::{Document, span_of};
use crate::ir::{Instruction, Span};

/// The script ShellCheck reads, and where each of its lines came from.
pub struct ShellScript {
    pub text: String,
    /// For each line of `text` (0-based), the origin of its column 1.
    origins: Vec<Option<Origin>>,
}

#[derive(Clone, Copy)]
enum Origin {
    /// A step's text: the logical line and the offset of the text in it.
    Line { line: usize, offset: usize },
    /// A line of a whole script file: source index and byte offset of the
    /// line's start.
    File { source: usize, start: usize },
}

/// Names a template's shell text may use without assigning them.
const BUILTINS: &[&str] = &["JAIL_NAME", "JAIL_IP", "JAIL_IP6", "APPJAIL_JAILNAME"];

/// The template's shell text as one script, or `None` when it has none.
pub fn script(doc: &Document) -> Option<ShellScript> {
    let mut text = String::from("#!/bin/sh\n");
    let mut origins: Vec<Option<Origin>> = vec![None];
    let mut names: Vec<&str> = BUILTINS.to_vec();
    let mut body: Vec<(String, Vec<Option<Origin>>)> = Vec::new();
    for step in &doc.template.steps {
        match &step.instruction {
            Instruction::Arg { name, .. }
            | Instruction::Var { name, .. }
            | Instruction::Env { name, .. } => names.push(name),
            Instruction::Cmd { script, options }
                if options.is_default() || options.user.is_some() =>
            {
                let Some(line) = doc.lines.get(step.line_index) else {
                    continue;
                };
                let lines: Vec<&str> = script.split('\n').collect();
                if lines.len() == 1 {
                    let Some(offset) = line.text.find(script.as_str()) else {
                        continue;
                    };
                    body.push((
                        script.clone(),
                        vec![Some(Origin::Line {
                            line: step.line_index,
                            offset,
                        })],
                    ));
                } else if let Some(origins) = file_lines(doc, &step.span, script) {
                    // A legacy CMD hook: a whole file.
                    body.push((script.clone(), origins));
                }
            }
            Instruction::Script { text: script, .. } => {
                if let Some(origins) = file_lines(doc, &step.span, script) {
                    body.push((script.clone(), origins));
                }
            }
            _ => {}
        }
    }
    if body.is_empty() {
        return None;
    }
    names.sort();
    names.dedup();
    for name in names.iter().filter(|n| crate::shell::is_name(n)) {
        text.push_str(&format!("{name}=''; : \"${name}\"\n"));
        origins.push(None);
    }
    for (script, lines) in body {
        text.push_str("(\n");
        origins.push(None);
        // A script file's interpreter line is a comment here.
        for (line, origin) in script.trim_end_matches('\n').split('\n').zip(lines) {
            text.push_str(line);
            text.push('\n');
            origins.push(origin);
        }
        text.push_str(")\n");
        origins.push(None);
    }
    Some(ShellScript { text, origins })
}

/// Origins of the lines of a whole file (a flavour script, a hook file)
/// whose text is `script`.
fn file_lines(doc: &Document, span: &Span, script: &str) -> Option<Vec<Option<Origin>>> {
    let source = doc.sources.iter().position(|s| s.name == span.file)?;
    let text = &doc.sources[source].text;
    let base = text.find(script.trim_end_matches('\n'))?;
    let mut start = base;
    Some(
        script
            .trim_end_matches('\n')
            .split('\n')
            .map(|line| {
                let origin = Origin::File { source, start };
                start += line.len() + 1;
                Some(origin)
            })
            .collect(),
    )
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
    script: &ShellScript,
    json: &str,
) -> Result<Vec<Diagnostic>, String> {
    let answer: Answer = serde_json::from_str(json).map_err(|e| format!("shellcheck: {e}"))?;
    let mut found = Vec::new();
    for c in answer.comments {
        let Some(Some(origin)) = script.origins.get(c.line.saturating_sub(1)) else {
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
        let span = match *origin {
            Origin::Line { line, offset } => {
                doc.span_in_line(line, offset + column, offset + column + length)
            }
            Origin::File { source, start } => {
                let source = &doc.sources[source];
                let start = (start + column).min(source.text.len());
                span_of(source, start, (start + length).min(source.text.len()))
            }
        };
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
