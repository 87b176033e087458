//! The shell text of a template, line by line, for the rules that read it
//! as shell: each CMD's text (Bastille, Makejail), each line of a legacy
//! CMD hook and of a pot flavour script; with a way to point at a part of
//! a line.

use crate::document::{Document, span_of};
use crate::ir::{Instruction, Span, Step};

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

/// Every line of shell text in `doc` that runs in the jail.
pub fn lines(doc: &Document) -> Vec<ShellLine<'_>> {
    let mut out = Vec::new();
    for step in &doc.template.steps {
        let text: &str = match &step.instruction {
            Instruction::Cmd { script, options }
                if options.target == crate::ir::CmdTarget::Jexec =>
            {
                script
            }
            Instruction::Script { text, .. } => text,
            _ => continue,
        };
        if !text.contains('\n') {
            let Some(line) = doc.lines.get(step.line_index) else {
                continue;
            };
            if let Some(offset) = line.text.rfind(text) {
                out.push(ShellLine {
                    step,
                    text,
                    origin: Origin::Line {
                        line: step.line_index,
                        offset,
                    },
                });
            }
            continue;
        }
        // A whole file (a flavour script, a legacy hook): line by line.
        let Some(source) = doc.sources.iter().position(|s| s.name == step.span.file) else {
            continue;
        };
        let Some(base) = doc.sources[source].text.find(text.trim_end_matches('\n')) else {
            continue;
        };
        let mut start = base;
        for line in text.split('\n') {
            out.push(ShellLine {
                step,
                text: line,
                origin: Origin::File { source, start },
            });
            start += line.len() + 1;
        }
    }
    out
}

/// The simple commands of a line of shell text (see `lex_commands`),
/// lexed once per lint run of a template however many rules ask: the
/// answers are kept while `remembered` runs.
pub fn commands(text: &str) -> std::rc::Rc<[Vec<(usize, String)>]> {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        match memo.as_mut() {
            Some(known) => known
                .entry(text.to_string())
                .or_insert_with(|| lex_commands(text).into())
                .clone(),
            None => lex_commands(text).into(),
        }
    })
}

/// The texts lexed during `remembered`.
type Memo = std::collections::HashMap<String, std::rc::Rc<[Vec<(usize, String)>]>>;

thread_local! {
    static MEMO: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` with `commands` remembering what it lexed; forgotten after.
pub fn remembered<T>(f: impl FnOnce() -> T) -> T {
    struct Forget;
    impl Drop for Forget {
        fn drop(&mut self) {
            MEMO.with(|memo| *memo.borrow_mut() = None);
        }
    }
    MEMO.with(|memo| *memo.borrow_mut() = Some(Memo::new()));
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
