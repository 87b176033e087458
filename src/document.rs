//! A parsed template together with the source it came from: the source
//! file, the logical lines (physical lines joined by continuations) and the
//! IR. Lint rules read all three; nothing here touches the disk.

use crate::ir::{Span, Template};
use crate::source::SourceFile;

/// One piece of a logical line: `len` bytes that start at `logical` in the
/// joined text and at `file` in the source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub logical: usize,
    pub file: usize,
    pub len: usize,
}

/// A line as the dialect's reader sees it after joining continuations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogicalLine {
    pub text: String,
    pub pieces: Vec<Piece>,
    /// Index of the source file in `Document::sources` this line belongs to.
    pub source: usize,
    /// 1-based number of the first physical line.
    pub first_line: usize,
    /// Number of physical lines joined into this one.
    pub physical_lines: usize,
}

impl LogicalLine {
    /// An empty line of source file `source`, starting at physical line
    /// `first_line` (1-based).
    pub fn new(source: usize, first_line: usize) -> Self {
        LogicalLine {
            text: String::new(),
            pieces: Vec::new(),
            source,
            first_line,
            physical_lines: 0,
        }
    }

    /// A whole file as one line (a script that runs as one step).
    pub fn whole(source: usize, text: &str) -> Self {
        let mut line = LogicalLine::new(source, 1);
        line.push_piece(text, 0);
        line.physical_lines = text.lines().count();
        line
    }

    /// Appends the text of one more physical line, which starts at byte
    /// `file` of the source.
    pub fn push_piece(&mut self, text: &str, file: usize) {
        self.pieces.push(Piece {
            logical: self.text.len(),
            file,
            len: text.len(),
        });
        self.text.push_str(text);
        self.physical_lines += 1;
    }

    /// The file offset of a byte offset into `text` (the end of the line
    /// maps just after its last byte).
    pub fn file_offset(&self, logical: usize) -> usize {
        for piece in &self.pieces {
            if logical < piece.logical + piece.len {
                return piece.file + (logical - piece.logical);
            }
        }
        self.pieces
            .last()
            .map_or(0, |p| p.file + p.len + (logical - p.logical - p.len))
    }

    /// The file byte range of the whole line.
    pub fn file_range(&self) -> (usize, usize) {
        let start = self.pieces.first().map_or(0, |p| p.file);
        (start, self.file_offset(self.text.len()))
    }
}

/// A template read from one or more files.
#[derive(Debug, Clone)]
pub struct Document {
    pub sources: Vec<SourceFile>,
    pub lines: Vec<LogicalLine>,
    pub template: Template,
    /// Names of the other files in the template's directory (filled in by
    /// the loader; lint uses them, e.g. for hook files beside a Bastillefile).
    pub siblings: Vec<String>,
    /// What the reader found that the manager rejects or silently
    /// mishandles; lint rules report them.
    pub problems: Vec<Problem>,
}

/// A problem found while reading, in a logical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Index into `Document::lines`.
    pub line: usize,
    /// Byte range in that line's text.
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// A problem found in a line's text before the line's place in the
/// document is known: a byte range of that text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: ProblemKind,
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// The kinds of problem a reader reports; each lint rule reports one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The manager has no such instruction.
    UnknownInstruction,
    /// The arguments cannot be tokenized.
    Tokenizer,
    /// Wrong options or arguments: the manager prints its usage and stops.
    Usage,
    /// STAGE names a stage that does not exist.
    InvalidStage,
    /// A build-only instruction outside the build stage.
    BuildOnly,
    /// An INCLUDE that cannot be resolved.
    Include,
    /// Build arguments that cannot be applied.
    BuildArg,
    /// A duplicate build-argument declaration, ignored by the manager.
    DuplicateBuildArg,
    /// A last line without a newline, which the manager never reads.
    NoFinalNewline,
    /// A line continued at the end of the file, which the manager drops.
    UnfinishedContinuation,
    /// A line the manager reads and ignores with a warning.
    Ignored,
    /// A source file a copy names that does not exist.
    MissingSource,
}

impl Document {
    /// The index of `step` among the template's steps, when it is one of
    /// them (found from its address: no scan of the steps).
    pub fn step_index(&self, step: &crate::ir::Step) -> Option<usize> {
        let steps = &self.template.steps;
        if !steps
            .as_ptr_range()
            .contains(&(step as *const crate::ir::Step))
        {
            return None;
        }
        let offset = step as *const crate::ir::Step as usize - steps.as_ptr() as usize;
        Some(offset / std::mem::size_of::<crate::ir::Step>())
    }

    /// The span of a byte range of a logical line.
    pub fn span_in_line(&self, line: usize, start: usize, end: usize) -> Span {
        let line = &self.lines[line];
        let source = &self.sources[line.source];
        let file_start = line.file_offset(start);
        let file_end = line.file_offset(end).max(file_start);
        span_of(source, file_start, file_end)
    }

    /// Where a problem is: its part of its line, or the start of the file
    /// for a problem of no line (e.g. a bad `--build-arg`).
    pub fn problem_span(&self, problem: &Problem) -> Span {
        if problem.line < self.lines.len() {
            self.span_in_line(problem.line, problem.start, problem.end)
        } else {
            let source = &self.sources[0];
            span_of(source, 0, 0)
        }
    }

    /// The span of a whole logical line.
    pub fn line_span(&self, line: usize) -> Span {
        let len = self.lines[line].text.len();
        self.span_in_line(line, 0, len)
    }
}

/// A span for a byte range of a source file.
pub fn span_of(source: &SourceFile, start: usize, end: usize) -> Span {
    let (line, column) = source.line_col(start);
    Span {
        file: source.name.clone(),
        start,
        end,
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_across_joined_pieces() {
        // "CMD a \\\n  b\n" joined: "CMD a " (file 0..6) + "  b" (file 8..11)
        let line = LogicalLine {
            text: "CMD a   b".into(),
            pieces: vec![
                Piece {
                    logical: 0,
                    file: 0,
                    len: 6,
                },
                Piece {
                    logical: 6,
                    file: 8,
                    len: 3,
                },
            ],
            source: 0,
            first_line: 1,
            physical_lines: 2,
        };
        assert_eq!(line.file_offset(0), 0);
        assert_eq!(line.file_offset(5), 5);
        assert_eq!(line.file_offset(6), 8);
        assert_eq!(line.file_offset(8), 10);
        assert_eq!(line.file_offset(9), 11);
        assert_eq!(line.file_range(), (0, 11));
    }
}
