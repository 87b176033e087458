//! A command's output split into lines of bounded length: a process in the
//! jail printing one endless line (no newline) must not grow jailwright's
//! memory with it. What is past the cap is dropped and counted.

use std::io::{self, BufRead};

/// The most bytes of one output line kept.
pub const LINE_CAP: usize = 8 << 10;

/// Calls `each` with every line of `reader` (without its newline, lossily
/// decoded, at most `LINE_CAP` bytes and a note of what was cut) until end
/// of input or a read error.
pub fn for_each(reader: &mut dyn BufRead, each: &mut dyn FnMut(String)) {
    let mut line: Vec<u8> = Vec::new();
    let mut cut: u64 = 0;
    loop {
        let chunk = match reader.fill_buf() {
            Ok([]) => break,
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let (part, ends) = match chunk.iter().position(|&b| b == b'\n') {
            Some(at) => (&chunk[..at], true),
            None => (chunk, false),
        };
        let room = LINE_CAP - line.len();
        line.extend_from_slice(&part[..part.len().min(room)]);
        cut += part.len().saturating_sub(room) as u64;
        let used = part.len() + usize::from(ends);
        reader.consume(used);
        if ends {
            each(finish(&mut line, &mut cut));
        }
    }
    if !line.is_empty() || cut > 0 {
        each(finish(&mut line, &mut cut));
    }
}

fn finish(line: &mut Vec<u8>, cut: &mut u64) -> String {
    let mut text = String::from_utf8_lossy(line).into_owned();
    if *cut > 0 {
        text.push_str(&format!(" [... {cut} more bytes of this line cut]"));
    }
    line.clear();
    *cut = 0;
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for_each(&mut &input[..], &mut |l| out.push(l));
        out
    }

    #[test]
    fn lines_are_split_at_newlines_and_the_last_one_kept() {
        assert_eq!(lines(b"a\nb\n\nc"), ["a", "b", "", "c"]);
        assert!(lines(b"").is_empty());
    }

    #[test]
    fn a_line_over_the_cap_is_cut_and_says_how_much() {
        let mut input = vec![b'x'; LINE_CAP + 5];
        input.extend_from_slice(b"\nnext\n");
        let out = lines(&input);
        assert_eq!(out.len(), 2);
        assert!(out[0].starts_with(&"x".repeat(LINE_CAP)));
        assert!(out[0].ends_with(" [... 5 more bytes of this line cut]"));
        assert_eq!(out[1], "next");
    }
}
