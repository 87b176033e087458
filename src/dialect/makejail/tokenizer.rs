//! AppJail's tokenizer (libexec/appjail-config/word.c), which splits the
//! arguments of most Makejail instructions.
//!
//! * Words are separated by spaces only (a tab is an ordinary character);
//!   empty words are dropped.
//! * `"` or `'` opens a quoted part; the same character closes it **and
//!   ends the word** (`a"b"c` is `ab`, `c`).
//! * `\` before the open quote character or before `\` writes only that
//!   character; before anything else it writes both (`\$` stays `\$`).
//! * A trailing `\` or an unterminated quote is an error ("Invalid syntax").
//!
//! In *keep-quotes* mode (`tok -Q`, used for CMD's command and SET's
//! parameters) quotes and escaping backslashes are written too.

/// One word and the byte offset in the input where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
}

/// `Tokenizer: ERROR [ret:-4 ...] <Invalid syntax (WDERRS).>`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSyntax {
    pub offset: usize,
    pub message: &'static str,
}

pub fn tokenize(input: &str, keep_quotes: bool) -> Result<Vec<Word>, InvalidSyntax> {
    let mut words: Vec<Word> = Vec::new();
    let mut current = String::new();
    let mut start = None;
    let mut delimiter: Option<(char, usize)> = None;
    let mut chars = input.char_indices().peekable();
    let mut finish = |current: &mut String, start: &mut Option<usize>| {
        if !current.is_empty() {
            words.push(Word {
                text: std::mem::take(current),
                start: start.unwrap_or(0),
            });
        }
        *start = None;
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => match delimiter {
                None => {
                    delimiter = Some((c, i));
                    start.get_or_insert(i);
                    if keep_quotes {
                        current.push(c);
                    }
                }
                Some((d, _)) if d == c => {
                    delimiter = None;
                    if keep_quotes {
                        current.push(c);
                    }
                    finish(&mut current, &mut start);
                }
                Some(_) => {
                    start.get_or_insert(i);
                    current.push(c);
                }
            },
            '\\' => {
                let Some((_, next)) = chars.next() else {
                    return Err(InvalidSyntax {
                        offset: i,
                        message: "a trailing backslash escapes nothing",
                    });
                };
                start.get_or_insert(i);
                let escapes = next == '\\' || delimiter.is_some_and(|(d, _)| d == next);
                if !escapes || keep_quotes {
                    current.push('\\');
                }
                current.push(next);
            }
            ' ' if delimiter.is_none() => finish(&mut current, &mut start),
            _ => {
                start.get_or_insert(i);
                current.push(c);
            }
        }
    }
    if let Some((_, open)) = delimiter {
        return Err(InvalidSyntax {
            offset: open,
            message: "unterminated quote",
        });
    }
    finish(&mut current, &mut start);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s, false)
            .unwrap()
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    fn quoted(s: &str) -> Vec<String> {
        tokenize(s, true)
            .unwrap()
            .into_iter()
            .map(|w| w.text)
            .collect()
    }

    #[test]
    fn splits_on_spaces_not_tabs() {
        assert_eq!(words("  a   b\tc "), ["a", "b\tc"]);
    }

    #[test]
    fn a_closing_quote_ends_the_word() {
        assert_eq!(words(r#"a"b"c"#), ["ab", "c"]);
        assert_eq!(words(r#"FOO="bar baz" x"#), ["FOO=bar baz", "x"]);
        assert_eq!(words(r#""it's" 'say "hi"'"#), ["it's", r#"say "hi""#]);
        assert_eq!(words(r#""" x"#), ["x"]);
    }

    #[test]
    fn backslash_keeps_itself_except_before_the_quote_or_a_backslash() {
        assert_eq!(words(r"\$HOME a\ b"), [r"\$HOME", r"a\ b"]);
        assert_eq!(words(r#""a\"b" c\\d"#), [r#"a"b"#, r"c\d"]);
        assert_eq!(words(r#"\"x"#), [r#"\"x"#]);
    }

    #[test]
    fn keep_quotes_mode_writes_quotes_and_escapes() {
        assert_eq!(
            quoted(r#"echo "a b"c 'd'"#),
            ["echo", r#""a b""#, "c", "'d'"]
        );
        assert_eq!(quoted(r#""a\"b""#), [r#""a\"b""#]);
    }

    #[test]
    fn errors_on_trailing_backslash_and_open_quote() {
        assert_eq!(tokenize("a \\", false).unwrap_err().offset, 2);
        assert_eq!(tokenize("a 'b", false).unwrap_err().offset, 2);
    }

    #[test]
    fn records_word_starts() {
        let w = tokenize("ab  'c d'", false).unwrap();
        assert_eq!((w[0].start, w[1].start), (0, 4));
    }
}
