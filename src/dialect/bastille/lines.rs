//! The line reader of `bastille template` (template.sh:339-351), in nom.
//!
//! ```sh
//! awk '{ if (substr($0, length, 1) == "\\") { printf "%s", substr($0, 1, length-1); }
//!        else { print $0; } }' Bastillefile | grep -v '^[[:blank:]]*$' | grep -v '^[[:blank:]]*#'
//! ```
//!
//! A physical line whose last byte is `\` is joined to the next one with no
//! separator; joining happens before blank and comment lines are dropped.

use crate::dialect::physical::physical_lines;
use crate::document::LogicalLine;
use nom::{IResult, Parser, bytes::complete::take_while};

/// What the reader makes of a logical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Only spaces and tabs (`^[[:blank:]]*$`). A line of `\r` is not blank.
    Blank,
    /// A whole-line comment (`^[[:blank:]]*#`).
    Comment,
    Instruction,
}

/// Reads a file into logical lines (blank and comment lines included, so
/// that lint can see them).
pub fn logical_lines(text: &str, source: usize) -> Vec<LogicalLine> {
    let mut lines = Vec::new();
    let mut current: Option<LogicalLine> = None;
    for (index, (offset, physical, _)) in physical_lines(text).enumerate() {
        let line_no = index + 1;
        let line = current.get_or_insert_with(|| LogicalLine::new(source, line_no));
        let continues = physical.ends_with('\\');
        let kept = if continues {
            &physical[..physical.len() - 1]
        } else {
            physical
        };
        line.push_piece(kept, offset);
        if !continues {
            lines.extend(current.take());
        }
    }
    // A file that ends in `\` still emits its last line.
    lines.extend(current.take());
    lines
}

pub fn kind(line: &str) -> LineKind {
    let after_blanks = line.trim_start_matches([' ', '\t']);
    if after_blanks.is_empty() {
        LineKind::Blank
    } else if after_blanks.starts_with('#') {
        LineKind::Comment
    } else {
        LineKind::Instruction
    }
}

/// An instruction line split as template.sh splits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// awk's `$1` with the default field separator: the first run of
    /// non-blank characters (blank = space or tab).
    pub keyword: &'a str,
    pub keyword_start: usize,
    /// `awk -F '[ ]' '{$1=""; sub(/^ */, ""); print}'`: everything after
    /// the first single space, with leading spaces (not tabs) removed.
    pub text: &'a str,
    pub text_start: usize,
}

fn blanks(input: &str) -> IResult<&str, &str> {
    take_while(|c| c == ' ' || c == '\t')(input)
}

fn non_blanks(input: &str) -> IResult<&str, &str> {
    take_while(|c| c != ' ' && c != '\t')(input)
}

pub fn split(line: &str) -> Split<'_> {
    let (_, (indent, keyword)) = (blanks, non_blanks)
        .parse(line)
        .expect("take_while never fails");
    let keyword_start = indent.len();
    let (text, text_start) = match line.find(' ') {
        Some(space) => {
            let after = &line[space + 1..];
            let trimmed = after.trim_start_matches(' ');
            (trimmed, line.len() - trimmed.len())
        }
        None => ("", line.len()),
    };
    Split {
        keyword,
        keyword_start,
        text,
        text_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        logical_lines(s, 0).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn joins_continuations_without_separator() {
        assert_eq!(
            texts("CMD echo a \\\n    b\nX\n"),
            ["CMD echo a     b", "X"]
        );
        assert_eq!(texts("a\\\nb\\\nc"), ["abc"]);
    }

    #[test]
    fn backslash_before_blank_or_cr_does_not_continue() {
        assert_eq!(texts("a\\ \nb\r\n"), ["a\\ ", "b\r"]);
        assert_eq!(texts("a\\\r\nb\n"), ["a\\\r", "b"]);
    }

    #[test]
    fn file_ending_in_backslash_keeps_its_line() {
        assert_eq!(texts("PKG a \\"), ["PKG a "]);
    }

    #[test]
    fn comment_swallows_the_continued_line() {
        let lines = logical_lines("# note \\\nSYSRC x=y\n", 0);
        assert_eq!(lines.len(), 1);
        assert_eq!(kind(&lines[0].text), LineKind::Comment);
        assert_eq!(lines[0].physical_lines, 2);
    }

    #[test]
    fn classifies_lines() {
        assert_eq!(kind(" \t"), LineKind::Blank);
        assert_eq!(kind("\r"), LineKind::Instruction);
        assert_eq!(kind("\t# x"), LineKind::Comment);
        assert_eq!(kind("PKG # x"), LineKind::Instruction);
    }

    #[test]
    fn splits_like_awk() {
        let s = split("PKG nginx   php82 ");
        assert_eq!((s.keyword, s.text), ("PKG", "nginx   php82 "));
        let s = split("  PKG indented");
        assert_eq!((s.keyword, s.text), ("PKG", "PKG indented"));
        let s = split("\tPKG tabbed");
        assert_eq!((s.keyword, s.text), ("PKG", "tabbed"));
        let s = split("PKG\ttabafter nginx");
        assert_eq!((s.keyword, s.text), ("PKG", "nginx"));
        let s = split("RESTART");
        assert_eq!((s.keyword, s.text, s.text_start), ("RESTART", "", 7));
        let s = split("PKG    a");
        assert_eq!((s.text, s.text_start), ("a", 7));
    }
}
