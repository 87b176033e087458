//! The Makejail dialect, read exactly as `appjail makejail` reads it. See
//! grammar/makejail.md.

pub mod build_args;
pub mod include;
pub mod instruction;
pub mod lines;
pub mod options;
pub mod stages;
pub mod tokenizer;

use crate::dialect::Bindings;
use crate::document::{Document, LogicalLine, Problem, ProblemKind, span_of};
use crate::ir::{Dialect, Instruction, Layout, Step, Template};
use crate::source::SourceFile;
use lines::LineKind;

/// Reads a Makejail into the IR. Never fails: what AppJail would reject is
/// read as far as it can be and recorded in `Document::problems`.
pub fn parse(source: SourceFile, bindings: &Bindings) -> Document {
    let read = lines::logical_lines(&source.text, 0);
    let mut problems = Vec::new();
    let lines: Vec<LogicalLine> = read.iter().map(|l| l.line.clone()).collect();
    for (index, l) in read.iter().enumerate() {
        let (kind, message) = match l.kind {
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
        problems.push(Problem {
            kind,
            line: index,
            start: 0,
            end: l.line.text.len(),
            message: message.to_string(),
        });
    }

    // Build arguments are replaced over the whole text first.
    let texts: Vec<String> = lines.iter().map(|l| l.text.clone()).collect();
    let replaced: Vec<Option<String>> =
        match build_args::expand(&texts, &bindings.build_args, &source.name) {
            Ok(expanded) => {
                for (line, message) in expanded.warnings {
                    problems.push(whole_line(
                        ProblemKind::DuplicateBuildArg,
                        &lines,
                        line,
                        message,
                    ));
                }
                expanded.lines
            }
            Err(e) => {
                problems.push(whole_line(
                    ProblemKind::BuildArg,
                    &lines,
                    e.line.unwrap_or(0),
                    e.message,
                ));
                texts.into_iter().map(Some).collect()
            }
        };

    let mut context = instruction::Context {
        stage: stages::BUILD.to_string(),
        seen_from: false,
    };
    let mut steps = Vec::new();
    for (index, l) in read.iter().enumerate() {
        if l.kind == LineKind::UnfinishedContinuation {
            continue;
        }
        let Some(text) = &replaced[index] else {
            continue; // only build-argument declarations
        };
        let (name, args) = lines::split(text);
        let name = name.trim_start();
        let raw_args = lines::split(&l.line.text).1.unwrap_or_default();
        let args = args.unwrap_or_default();
        let reading = instruction::read(name, args, &context);
        let args_start = text.len() - args.len();
        for found in reading.problems {
            problems.push(Problem {
                kind: found.kind,
                line: index,
                start: (args_start + found.start).min(l.line.text.len()),
                end: (args_start + found.end).min(l.line.text.len()),
                message: found.message,
            });
        }
        match &reading.instruction {
            Instruction::Stage { name } if stages::is_valid(name) => context.stage = name.clone(),
            Instruction::From { .. } if context.stage == stages::BUILD => context.seen_from = true,
            _ => {}
        }
        let (start, end) = l.line.file_range();
        steps.push(Step {
            span: span_of(&source, start, end),
            name: name.to_string(),
            keyword: lines::split(&l.line.text).0.to_string(),
            text: raw_args.to_string(),
            args: reading.args,
            instruction: reading.instruction,
            stage: Some(context.stage.clone()),
            line_index: index,
        });
    }
    let execution = stages::execution(&steps);
    Document {
        sources: vec![source],
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

fn whole_line(kind: ProblemKind, lines: &[LogicalLine], line: usize, message: String) -> Problem {
    Problem {
        kind,
        line,
        start: 0,
        end: lines.get(line).map_or(0, |l| l.text.len()),
        message,
    }
}
