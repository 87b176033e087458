//! The Bastillefile dialect, read exactly as `bastille template` 1.4.x reads
//! it. See grammar/bastillefile.md for the grammar and every quirk.

pub(crate) mod args;
pub(crate) mod instruction;
pub(crate) mod keywords;
pub(crate) mod legacy;
pub(crate) mod lines;
pub(crate) mod substitution;

/// Whether bastille hands this step's text to the host's `eval`
/// (template.sh:422; all but CMD, which it quotes, and ARG and RENDER,
/// which it reads itself).
pub fn host_evaluated(instruction: &crate::ir::Instruction) -> bool {
    !matches!(
        instruction,
        crate::ir::Instruction::Cmd { .. }
            | crate::ir::Instruction::Render { .. }
            | crate::ir::Instruction::Arg { .. }
    )
}

use crate::dialect::Bindings;
use crate::document::{Document, span_of};
use crate::ir::{Dialect, Layout, Step, Template};
use crate::source::SourceFile;
use lines::LineKind;
use substitution::Replacements;

/// Reads a Bastillefile into the IR. Never fails: whatever bastille would
/// choke on is still read the way bastille reads it, and lint reports it.
pub fn parse(source: SourceFile, bindings: &Bindings) -> Document {
    let lines = lines::logical_lines(&source.text, 0);
    let mut replacements = Replacements::with_builtins(bindings);
    let mut steps = Vec::with_capacity(lines.len());
    for (index, line) in lines.iter().enumerate() {
        if lines::kind(&line.text) != LineKind::Instruction {
            continue;
        }
        let split = lines::split(&line.text);
        let substituted = replacements.apply(split.text);
        let lower = split.keyword.to_ascii_lowercase();
        let (instruction, args) =
            instruction::read(&lower, &substituted, bindings, &mut replacements);
        let start = line.file_offset(split.keyword_start);
        let end = line.file_range().1;
        steps.push(Step {
            span: span_of(&source, start, end),
            name: keywords::canonical(&lower),
            written_keyword: split.keyword.to_string(),
            text: split.text.to_string(),
            args,
            instruction,
            stage: None,
            line_index: index,
        });
    }
    crate::ir::Vars::share(&mut steps, replacements.pushed());
    Document {
        sources: vec![source],
        lines,
        template: Template {
            dialect: Dialect::Bastille,
            layout: Layout::File,
            steps,
            execution: Vec::new(),
        },
        siblings: Vec::new(),
        problems: Vec::new(),
    }
}
