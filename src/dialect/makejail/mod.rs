//! The Makejail dialect, read exactly as `appjail makejail` reads it. See
//! grammar/makejail.md.

pub(crate) mod build_args;
pub(crate) mod expand;
pub(crate) mod include;
pub(crate) mod instruction;
pub(crate) mod lines;
pub(crate) mod options;
pub(crate) mod run_state;
pub(crate) mod stages;
pub(crate) mod tokenizer;

use crate::dialect::Bindings;
use crate::document::{Document, LogicalLine, Problem, ProblemKind, span_of};
use crate::ir::{Dialect, Instruction, Layout, Step, Template};
use crate::source::SourceFile;
use lines::LineKind;

/// One line of the flattened Makejail: a line of some file, or the start
/// and end of an included file (where it returns, AppJail restores the
/// stage the including file was in).
#[derive(Debug, Clone)]
pub enum Entry {
    Line(lines::Line),
    IncludeStart,
    IncludeEnd,
}

/// Reads a Makejail into the IR, as written (INCLUDE stays one step).
/// Never fails: what AppJail would reject is read as far as it can be and
/// recorded in `Document::problems`.
pub fn parse(source: SourceFile, bindings: &Bindings) -> Document {
    let entries = lines::logical_lines(&source.text, 0)
        .into_iter()
        .map(Entry::Line)
        .collect();
    build(vec![source], entries, Vec::new(), bindings)
}

/// Builds the document of flattened `entries` read from `sources`.
pub fn build(
    sources: Vec<SourceFile>,
    entries: Vec<Entry>,
    mut problems: Vec<Problem>,
    bindings: &Bindings,
) -> Document {
    let mut lines: Vec<LogicalLine> = Vec::with_capacity(entries.len());
    // The entries with each line replaced by its index in `lines`.
    let mut order: Vec<Result<usize, bool>> = Vec::with_capacity(entries.len());
    let mut kinds = Vec::with_capacity(entries.len());
    for entry in entries {
        match entry {
            Entry::Line(l) => {
                order.push(Ok(lines.len()));
                kinds.push(l.kind);
                lines.push(l.line);
            }
            Entry::IncludeStart => order.push(Err(true)),
            Entry::IncludeEnd => order.push(Err(false)),
        }
    }
    for (index, kind) in kinds.iter().enumerate() {
        let (kind, message) = match kind {
            LineKind::Instruction => continue,
            LineKind::NoFinalNewline => (
                ProblemKind::NoFinalNewline,
                "the last line has no newline: AppJail's `read` never returns it, so it is not run",
            ),
            LineKind::UnfinishedContinuation => (
                ProblemKind::UnfinishedContinuation,
                "this line continues past the end of the file: AppJail drops it",
            ),
        };
        problems.push(whole_line(kind, &lines, index, message.to_string()));
    }

    // Build arguments are replaced over the whole flattened text first.
    let replaced = replace_build_args(&sources, &lines, bindings, &mut problems);

    let mut context = instruction::Context {
        stage: stages::BUILD.to_string(),
        seen_from: false,
    };
    // The stage before each INCLUDE, restored when it returns.
    let mut stage_stack: Vec<String> = Vec::new();
    let mut steps = Vec::with_capacity(lines.len());
    for item in order {
        let index = match item {
            Ok(index) => index,
            Err(true) => {
                stage_stack.push(context.stage.clone());
                continue;
            }
            Err(false) => {
                if let Some(stage) = stage_stack.pop() {
                    context.stage = stage;
                }
                continue;
            }
        };
        let line = &lines[index];
        if kinds[index] == LineKind::UnfinishedContinuation {
            continue;
        }
        let Some(text) = &replaced[index] else {
            continue; // only build-argument declarations
        };
        // The name is read from the text with leading blanks stripped, the
        // arguments from the text as it is (`lib_jailparam_name/value`).
        let name = lines::split(text.trim_start()).0;
        let args = lines::split(text).1;
        let raw_args = lines::split(&line.text).1.unwrap_or_default();
        let args = args.unwrap_or_default();
        let reading = instruction::read(name, args, &context);
        let args_start = text.len() - args.len();
        let name_start = text.len() - text.trim_start().len();
        for found in reading.problems {
            // An unknown or misplaced instruction is a problem of its name.
            let (start, end) = match found.kind {
                ProblemKind::UnknownInstruction | ProblemKind::BuildOnly => {
                    (name_start, name_start + name.len())
                }
                _ => (args_start + found.start, args_start + found.end),
            };
            problems.push(Problem {
                kind: found.kind,
                line: index,
                start: start.min(line.text.len()),
                end: end.min(line.text.len()),
                message: found.message,
            });
        }
        match &reading.instruction {
            Instruction::Stage { name } if stages::is_valid(name) => context.stage = name.clone(),
            Instruction::From { .. } if context.stage == stages::BUILD => context.seen_from = true,
            _ => {}
        }
        let source = &sources[line.source];
        let (start, end) = line.file_range();
        steps.push(Step {
            span: span_of(source, start, end),
            name: name.to_string(),
            written_keyword: lines::split(&line.text).0.to_string(),
            text: raw_args.to_string(),
            args: reading.args,
            instruction: reading.instruction,
            stage: Some(context.stage.clone()),
            line_index: index,
        });
    }
    // AppJail's `read` never returns a last line without a newline.
    let runs: Vec<bool> = steps
        .iter()
        .map(|s| kinds[s.line_index] != LineKind::NoFinalNewline)
        .collect();
    let execution = stages::execution(&steps, &runs);
    Document {
        sources,
        lines,
        template: Template {
            dialect: Dialect::Makejail,
            layout: Layout::File,
            steps,
            execution,
        },
        siblings: Vec::new(),
        problems,
    }
}

/// The lines with build arguments replaced (None: a build-argument
/// declaration), and their problems. (The copy of the texts is freed as
/// soon as they are replaced.)
fn replace_build_args(
    sources: &[SourceFile],
    lines: &[LogicalLine],
    bindings: &Bindings,
    problems: &mut Vec<Problem>,
) -> Vec<Option<String>> {
    let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    let name = sources.first().map_or("Makejail", |s| s.name.as_str());
    match build_args::expand(&texts, &bindings.build_args, name) {
        Ok(expanded) => {
            for (line, message) in expanded.warnings {
                problems.push(whole_line(
                    ProblemKind::DuplicateBuildArg,
                    lines,
                    line,
                    message,
                ));
            }
            expanded.lines
        }
        Err(e) => {
            let line = e.line.unwrap_or(usize::MAX);
            problems.push(whole_line(ProblemKind::BuildArg, lines, line, e.message));
            texts.into_iter().map(Some).collect()
        }
    }
}

fn whole_line(kind: ProblemKind, lines: &[LogicalLine], line: usize, message: String) -> Problem {
    Problem {
        kind,
        line,
        start: 0,
        end: lines.get(line).map_or(0, |l| l.text.len()),
        message,
    }
}
