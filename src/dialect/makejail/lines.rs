//! The line reader of `appjail makejail` (cmd/makejail, `makejail_include`),
//! in nom.
//!
//! Per physical line, in this order: a CR at the end is removed
//! (`sed -Ee 's/\r$//'`); blank lines (`^[[:space:]]*$`) and whole-line
//! comments (`^[[:space:]]*#`) are skipped, even in the middle of a
//! continued line; leading blanks are stripped; then a line ending in `\\`
//! (and optional blanks) ends the logical line leaving one `\`, a line
//! ending in `\` (and optional blanks) is joined to the next with no
//! separator, and any other line ends the logical line.

use crate::dialect::physical::physical_lines;
use crate::document::LogicalLine;
use nom::{IResult, bytes::complete::take_while};

/// What the reader makes of a logical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// An instruction line, read by AppJail.
    Instruction,
    /// The last line of the file has no newline: POSIX `read` returns it
    /// with a failure status, so AppJail's loop never sees it. jailwright
    /// reads it (lint reports that AppJail will not).
    NoFinalNewline,
    /// A continued line still open at the end of the file: AppJail never
    /// emits it.
    UnfinishedContinuation,
}

/// A logical line and what it is.
#[derive(Debug, Clone)]
pub struct Line {
    pub line: LogicalLine,
    pub kind: LineKind,
}

fn leading_blanks(input: &str) -> IResult<&str, &str> {
    take_while(|c| c == ' ' || c == '\t')(input)
}

/// `lib_check_empty`: only whitespace (or nothing).
fn is_blank(line: &str) -> bool {
    line.chars().all(char::is_whitespace)
}

/// `lib_check_comment`: `^[[:space:]]*#`.
fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// How a line ends: the length of the text to keep, and whether it joins
/// the next line.
fn ending(line: &str) -> (usize, bool) {
    let body = line.trim_end_matches(|c: char| c.is_whitespace());
    if body.ends_with("\\\\") {
        (body.len() - 1, false)
    } else if body.ends_with('\\') {
        (body.len() - 1, true)
    } else {
        (line.len(), false)
    }
}

/// Reads a Makejail into logical lines; skipped lines are not returned.
pub fn logical_lines(text: &str, source: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut pending: Option<LogicalLine> = None;
    for (index, (offset, raw, newline)) in physical_lines(text).enumerate() {
        let line_no = index + 1;
        let physical = raw.strip_suffix('\r').unwrap_or(raw);
        if is_blank(physical) || is_comment(physical) {
            if let Some(open) = pending.as_mut() {
                open.physical_lines += 1;
            }
            continue;
        }
        let (_, blanks) = leading_blanks(physical).expect("take_while never fails");
        let body = &physical[blanks.len()..];
        let (keep, continues) = ending(body);
        let line = pending.get_or_insert_with(|| LogicalLine::new(source, line_no));
        line.push_piece(&body[..keep], offset + blanks.len());
        if !continues {
            let kind = if newline {
                LineKind::Instruction
            } else {
                LineKind::NoFinalNewline
            };
            lines.extend(pending.take().map(|line| Line { line, kind }));
        }
    }
    lines.extend(pending.take().map(|line| Line {
        line,
        kind: LineKind::UnfinishedContinuation,
    }));
    lines
}

/// `lib_jailparam_name LINE " "` and `lib_jailparam_value`: the instruction
/// is the text before the first space (all of it when there is none), the
/// arguments everything after that space.
pub fn split(line: &str) -> (&str, Option<&str>) {
    match line.split_once(' ') {
        Some((name, args)) => (name, Some(args)),
        None => (line, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        logical_lines(s, 0)
            .into_iter()
            .map(|l| l.line.text)
            .collect()
    }

    #[test]
    fn strips_cr_and_leading_blanks_keeps_trailing() {
        assert_eq!(texts("  CMD a \r\n\tPKG b\n"), ["CMD a ", "PKG b"]);
    }

    #[test]
    fn skips_blank_and_comment_lines_even_inside_continuations() {
        assert_eq!(texts("CMD a \\\n# note\n\n   b\n"), ["CMD a b"]);
        assert_eq!(texts(" \t\n  # c\nRAW x\n"), ["RAW x"]);
    }

    #[test]
    fn backslash_with_trailing_blanks_continues() {
        assert_eq!(texts("CMD a\\  \nb\n"), ["CMD ab"]);
    }

    #[test]
    fn double_backslash_ends_the_line_leaving_one() {
        assert_eq!(texts("CMD a \\\nb\\\\\nc\n"), ["CMD a b\\", "c"]);
    }

    #[test]
    fn marks_a_last_line_without_newline_and_an_open_continuation() {
        let lines = logical_lines("PKG a\nPKG b", 0);
        assert_eq!(lines[1].kind, LineKind::NoFinalNewline);
        let lines = logical_lines("PKG a \\\n", 0);
        assert_eq!(lines[0].kind, LineKind::UnfinishedContinuation);
    }

    #[test]
    fn maps_pieces_to_file_offsets() {
        let lines = logical_lines("CMD a \\\n  b\n", 0);
        let line = &lines[0].line;
        assert_eq!(line.text, "CMD a b");
        assert_eq!(line.file_offset(6), 10);
    }

    #[test]
    fn splits_at_the_first_space_only() {
        assert_eq!(split("CMD  a b"), ("CMD", Some(" a b")));
        assert_eq!(split("CMD\tls"), ("CMD\tls", None));
        assert_eq!(split("START"), ("START", None));
    }
}
