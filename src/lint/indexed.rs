//! A template's text as miette reads it for the text report: shared (one
//! copy for all of a file's findings, not one per finding) and indexed by
//! line, so that finding a finding's context costs the context, not a scan
//! from the start of the file.
//!
//! miette's own `SourceCode for str` walks from byte 0 to the span on every
//! call; with one call per finding the report was quadratic in the number
//! of findings. Here the walk starts a few lines before the span (found by
//! binary search) and miette's answer is shifted back, so the report is
//! byte for byte what miette would print from the whole text.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// A file's text and where each of its lines starts, as miette counts
/// lines (a line ends at `\n`, `\r\n` or a lone `\r`).
#[derive(Debug, Clone)]
pub struct IndexedSource {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
}

impl IndexedSource {
    pub fn new(text: &str) -> Self {
        IndexedSource {
            text: Arc::from(text),
            line_starts: line_starts(text.as_bytes()).into(),
        }
    }

    /// The 0-based line that holds byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset) - 1
    }
}

/// The offset of the start of every line: 0, then just after each line
/// break as miette's `context_info` sees them.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                starts.push(i + 2);
                i += 2;
                continue;
            }
            b'\r' | b'\n' => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

impl SourceCode for IndexedSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // With no context before, miette's own reader panics on a span
        // past the end; say so instead.
        if context_lines_before == 0 && span.offset() > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        // Start one line earlier than the context needs: miette's walk then
        // sees at least `context_lines_before` whole lines before the span,
        // in the same state as if it had started at byte 0.
        let first = self
            .line_of(span.offset())
            .saturating_sub(context_lines_before + 1);
        let base = self.line_starts[first];
        let rest: &'a str = &self.text[base..];
        let shifted = SourceSpan::new((span.offset() - base).into(), span.len());
        let inner = rest.read_span(&shifted, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            SourceSpan::new((inner_span.offset() + base).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What miette reads from the whole text, field by field (`None` for
    /// an error; `Some(None)` when miette itself panics).
    fn whole(text: &str, span: SourceSpan, before: usize, after: usize) -> Option<Option<String>> {
        std::panic::catch_unwind(|| {
            let c = text.read_span(&span, before, after).ok()?;
            Some(describe(c.as_ref()))
        })
        .ok()
    }

    fn describe(c: &dyn SpanContents<'_>) -> String {
        format!(
            "{:?} {:?} {} {} {}",
            String::from_utf8_lossy(c.data()),
            c.span(),
            c.line(),
            c.column(),
            c.line_count()
        )
    }

    #[test]
    fn reads_what_miette_reads_from_the_whole_text() {
        let texts = [
            "",
            "a",
            "PKG a\nPKG b\n\nCMD x \\\n  y\nPKG c",
            "a\r\nb\rc\n\r\n\rd\r",
            "é\nàb\n\n\nlast\n",
        ];
        for text in texts {
            let indexed = IndexedSource::new(text);
            for offset in 0..=text.len() + 1 {
                for len in 0..=(text.len() + 1 - offset).min(7) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (0, 2), (3, 0)] {
                        let span = SourceSpan::new(offset.into(), len);
                        let ours = indexed
                            .read_span(&span, before, after)
                            .ok()
                            .map(|c| describe(c.as_ref()));
                        // Where miette panics, ours answers (tested below).
                        let Some(theirs) = whole(text, span, before, after) else {
                            continue;
                        };
                        assert_eq!(
                            ours, theirs,
                            "{text:?} at {offset}+{len}, context {before}/{after}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_span_past_the_end_is_an_error_not_a_panic() {
        let indexed = IndexedSource::new("a\nb");
        for offset in 4..8 {
            let span = SourceSpan::new(offset.into(), 1);
            assert!(indexed.read_span(&span, 0, 0).is_err());
        }
    }

    #[test]
    fn lines_start_after_each_break_as_miette_counts_them() {
        assert_eq!(line_starts(b"a\r\nb\rc\n\nd"), [0, 3, 5, 7, 8]);
    }
}
