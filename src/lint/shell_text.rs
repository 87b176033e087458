//! The shell text of a template, line by line, for the rules that read it
//! as shell: each CMD's text (Bastille, Makejail), each line of a legacy
//! CMD hook and of a pot flavour script; with a way to point at a part of
//! a line.

use crate::document::{Document, span_of};
use crate::ir::{Instruction, Span, Step};
use std::rc::Rc;

pub struct ShellLine<'d> {
    pub step: &'d Step,
    pub text: &'d str,
    origin: Origin,
}

#[derive(Clone, Copy)]
enum Origin {
    /// In a logical line, at this byte offset.
    Line { line: usize, offset: usize },
    /// In a source file, at this byte offset.
    File { source: usize, start: usize },
}

impl ShellLine<'_> {
    /// The span of bytes `start..end` of this line's text.
    pub fn span(&self, doc: &Document, start: usize, end: usize) -> Span {
        match self.origin {
            Origin::Line { line, offset } => doc.span_in_line(line, offset + start, offset + end),
            Origin::File {
                source,
                start: base,
            } => {
                let source = &doc.sources[source];
                let end = (base + end).min(source.text.len());
                span_of(source, (base + start).min(end), end)
            }
        }
    }

    /// The span of the first occurrence of `needle` in the line.
    pub fn span_of(&self, doc: &Document, needle: &str) -> Span {
        let start = self.text.find(needle).unwrap_or(0);
        self.span(
            doc,
            start,
            start + needle.len().min(self.text.len() - start),
        )
    }
}

/// Every line of shell text in `doc` that runs in the jail and starts a
/// command: not a line that a quoted string runs on from the line before
/// (`echo "...` over several lines of a flavour script writes text, it
/// runs none of it).
pub fn lines(doc: &Document) -> Vec<ShellLine<'_>> {
    all_lines_with(doc, false)
}

/// Every line of shell text in `doc` that runs in the jail, those inside
/// a quoted string included (ShellCheck reads the whole text).
pub fn all_lines(doc: &Document) -> Vec<ShellLine<'_>> {
    all_lines_with(doc, true)
}

/// The lines (found once per lint run of the template that `remembered`
/// runs for).
fn all_lines_with(doc: &Document, in_strings: bool) -> Vec<ShellLine<'_>> {
    let known = MEMO.with(|memo| {
        let memo = memo.borrow();
        let memo = memo.as_ref()?;
        (memo.doc == doc as *const Document as usize)
            .then(|| memo.lines.clone())
            .flatten()
    });
    let raw = match known {
        Some(raw) => raw,
        None => {
            let raw: Rc<[RawLine]> = raw_lines(doc).into();
            MEMO.with(|memo| {
                if let Some(memo) = memo.borrow_mut().as_mut()
                    && memo.doc == doc as *const Document as usize
                {
                    memo.lines = Some(raw.clone());
                }
            });
            raw
        }
    };
    raw.iter()
        .filter(|r| in_strings || !r.in_string)
        .map(|r| {
            let step = &doc.template.steps[r.step];
            ShellLine {
                step,
                text: &shell_of(step, doc.template.dialect).expect("a step with shell text")
                    [r.start..r.end],
                origin: r.origin,
            }
        })
        .collect()
}

/// A line of `lines`: by step, and bytes of that step's shell text.
struct RawLine {
    step: usize,
    start: usize,
    end: usize,
    origin: Origin,
    /// The line starts inside a quoted string of the lines before.
    in_string: bool,
}

/// For each line of `text`, whether it starts inside a quoted string that
/// an earlier line opened, or is a here-document's body (quotes and
/// backslashes as sh reads them; a `#` that starts a word outside quotes
/// comments out the rest of its line).
fn lines_in_strings(text: &str) -> Vec<bool> {
    let mut starts = Vec::new();
    let mut quotes = LineQuotes::default();
    // The delimiter of the here-document being read, and whether tabs
    // before it are stripped (`<<-`).
    let mut heredoc: Option<(String, bool)> = None;
    for line in text.split('\n') {
        if let Some((delimiter, strip_tabs)) = &heredoc {
            starts.push(true);
            let end = if *strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if end == delimiter {
                heredoc = None;
            }
            continue;
        }
        starts.push(quotes.single || quotes.double);
        heredoc = quotes.scan(line);
    }
    starts
}

/// Quotes open at the end of a line, as `lines_in_strings` follows them.
#[derive(Default)]
struct LineQuotes {
    single: bool,
    double: bool,
}

impl LineQuotes {
    /// Follows the quotes of one line; the here-document it opens.
    fn scan(&mut self, line: &str) -> Option<(String, bool)> {
        let bytes = line.as_bytes();
        let mut heredoc = None;
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            let word_start = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b';' | b'&' | b'|');
            if self.single {
                self.single = c != b'\'';
            } else {
                match c {
                    b'\\' => i += 1,
                    b'"' => self.double = !self.double,
                    b'\'' if !self.double => self.single = true,
                    b'#' if !self.double && word_start => break,
                    b'<' if !self.double && bytes.get(i + 1) == Some(&b'<') => {
                        let rest = &line[i + 2..];
                        let strip_tabs = rest.starts_with('-');
                        let word: String = rest
                            .trim_start_matches('-')
                            .trim_start()
                            .chars()
                            .take_while(|c| {
                                !c.is_whitespace()
                                    && !matches!(c, ';' | '&' | '|' | '>' | '<' | ')')
                            })
                            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                            .collect();
                        if !word.is_empty() {
                            heredoc = Some((word, strip_tabs));
                        }
                        i += 1;
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        heredoc.filter(|_| !self.single && !self.double)
    }
}

#[cfg(test)]
mod tests {
    use super::lines_in_strings;

    #[test]
    fn lines_inside_strings_and_here_documents() {
        let script = "echo \"a\nservice x start\nb\" > f\ncat <<'EOF'\nit's\nEOF\nservice y start # it's\necho 'x\ny'\nz";
        assert_eq!(
            lines_in_strings(script),
            [
                false, true, true, false, true, true, false, false, true, false
            ]
        );
    }
}

/// The shell text a step runs in the jail, as written: a Bastille CMD's
/// script holds its ARGs' values, which its line does not (the written
/// text, with `${ARG}`, is what the rules and ShellCheck read; ShellCheck's
/// findings on those references are mapped as bastille's text).
fn shell_of(step: &Step, dialect: crate::ir::Dialect) -> Option<&str> {
    match &step.instruction {
        Instruction::Cmd { script, options } if options.target == crate::ir::CmdTarget::Jexec => {
            let substituted = dialect == crate::ir::Dialect::Bastille
                && !step.text.ends_with(script.as_str())
                && !script.contains('\n');
            if !substituted {
                Some(script)
            } else {
                Some(&step.text)
            }
        }
        Instruction::Script { text, .. } => Some(text),
        _ => None,
    }
}

fn raw_lines(doc: &Document) -> Vec<RawLine> {
    let mut out = Vec::new();
    for (index, step) in doc.template.steps.iter().enumerate() {
        let Some(text) = shell_of(step, doc.template.dialect) else {
            continue;
        };
        if !text.contains('\n') {
            let Some(line) = doc.lines.get(step.line_index) else {
                continue;
            };
            // The text is the tail of its line but for a trailing comment
            // or blanks; look for it only when it is not.
            let offset = if line.text.ends_with(text) {
                Some(line.text.len() - text.len())
            } else {
                line.text.rfind(text)
            };
            if let Some(offset) = offset {
                out.push(RawLine {
                    step: index,
                    start: 0,
                    end: text.len(),
                    origin: Origin::Line {
                        line: step.line_index,
                        offset,
                    },
                    in_string: false,
                });
            }
            continue;
        }
        // A whole file (a flavour script, a legacy hook): line by line.
        let Some(source) = doc.sources.iter().position(|s| s.name == step.span.file) else {
            continue;
        };
        let whole = &doc.sources[source].text;
        let needle = text.trim_end_matches('\n');
        let base = if whole.starts_with(needle) {
            Some(0)
        } else {
            whole.find(needle)
        };
        let Some(base) = base else {
            continue;
        };
        let mut start = 0;
        let in_strings = lines_in_strings(text);
        for (number, line) in text.split('\n').enumerate() {
            out.push(RawLine {
                step: index,
                start,
                end: start + line.len(),
                origin: Origin::File {
                    source,
                    start: base + start,
                },
                in_string: in_strings.get(number).copied().unwrap_or(false),
            });
            start += line.len() + 1;
        }
    }
    out
}

/// The simple commands of a line of shell text (see `lex_commands`),
/// lexed once per lint run of a template however many rules ask: the
/// answers are kept while `remembered` runs.
pub fn commands(text: &str) -> Commands {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let Some(known) = memo.as_mut().map(|m| &mut m.commands) else {
            return lex_commands(text).into();
        };
        if let Some(answer) = known.get(text) {
            return answer.clone();
        }
        let answer: Commands = lex_commands(text).into();
        known.insert(text.into(), answer.clone());
        answer
    })
}

/// The simple commands of a line: each a list of (offset, word).
pub type Commands = Rc<[Vec<(usize, String)>]>;

/// What `remembered` keeps: the texts lexed, and the lines of its
/// document (by address: the document is borrowed while it runs).
struct Memo {
    doc: usize,
    commands: rustc_hash::FxHashMap<Box<str>, Commands>,
    lines: Option<Rc<[RawLine]>>,
}

thread_local! {
    static MEMO: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` (a lint of `doc`) with `commands` and `lines` remembering
/// what they found; forgotten after.
pub fn remembered<T>(doc: &Document, f: impl FnOnce() -> T) -> T {
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            MEMO.with(|memo| *memo.borrow_mut() = None);
        }
    }
    MEMO.with(|memo| {
        *memo.borrow_mut() = Some(Memo {
            doc: doc as *const Document as usize,
            commands: Default::default(),
            lines: None,
        })
    });
    let _forget = Forget;
    f()
}

/// The simple commands of a line of shell text: the words of each command
/// of its lists and pipelines (after quote removal), with the byte offset
/// of each word. Comments end the line.
fn lex_commands(text: &str) -> Vec<Vec<(usize, String)>> {
    let Ok(tokens) = crate::shell::lex(text) else {
        return Vec::new();
    };
    let mut out = vec![Vec::new()];
    for token in tokens {
        match token.kind {
            crate::shell::TokenKind::Word { value, .. } => out
                .last_mut()
                .expect("one at least")
                .push((token.start, value)),
            crate::shell::TokenKind::Operator(op) if !crate::shell::words::is_redirection(&op) => {
                out.push(Vec::new())
            }
            crate::shell::TokenKind::Operator(_) => {}
            crate::shell::TokenKind::Comment => break,
        }
    }
    out.retain(|c| !c.is_empty());
    out
}
