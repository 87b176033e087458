//! Physical lines, the unit every dialect's line reader starts from.

use nom::{
    IResult, Parser, bytes::complete::take_till, character::complete::char, combinator::opt,
};

/// One physical line: its text without the LF, and whether an LF ended it
/// (the last line of a file may have none).
pub fn physical_line(input: &str) -> IResult<&str, (&str, bool)> {
    let (rest, text) = take_till(|c| c == '\n')(input)?;
    let (rest, newline) = opt(char('\n')).parse(rest)?;
    Ok((rest, (text, newline.is_some())))
}

/// Every physical line of `text` with its byte offset.
pub fn physical_lines(text: &str) -> impl Iterator<Item = (usize, &str, bool)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let offset = text.len() - rest.len();
        let (next, (line, newline)) = physical_line(rest).expect("take_till never fails");
        rest = next;
        Some((offset, line, newline))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_offsets_and_final_newline_flag() {
        let lines: Vec<_> = physical_lines("a\n\nbc").collect();
        assert_eq!(lines, [(0, "a", true), (2, "", true), (3, "bc", false)]);
    }
}
