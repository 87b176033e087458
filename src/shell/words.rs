//! A lexer for one line of POSIX `sh` input, as `eval` reads it.
//!
//! Bastille hands the argument text of most instructions to the host shell
//! with `eval`, so the words an instruction really gets are the words this
//! lexer returns: quotes removed, backslashes applied, split on unquoted
//! blanks, ended by an unquoted operator (`;`, `&&`, `|`, ...) or by a `#`
//! that starts a word. Parameter and command substitutions (`$X`, `${X}`,
//! `$(...)`, backquotes) are kept literally and marked, because their value
//! is only known on the host at run time.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenKind {
    /// A word after quote removal.
    Word {
        value: String,
        /// The word contains a substitution (`$...` or a backquote) that the
        /// shell would expand.
        expands: bool,
    },
    /// A control or redirection operator, e.g. `;`, `&&`, `>`, `2>`.
    Operator(String),
    /// A comment, from an unquoted `#` that starts a word to the end.
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    /// Byte range of the token in the input.
    pub start: usize,
    pub end: usize,
}

/// A syntax error the shell would report (and `eval` would fail on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellError {
    pub offset: usize,
    pub message: &'static str,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl std::error::Error for ShellError {}

const OPERATORS: [&str; 17] = [
    "<<-", "&&", "||", ";;", "<<", ">>", "<&", ">&", "<>", ">|", ";", "&", "|", "(", ")", "<", ">",
];

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

/// The first bytes of `OPERATORS`.
fn starts_operator(c: u8) -> bool {
    matches!(c, b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')')
}

/// A byte that stands for itself in an unquoted word (or is part of a
/// UTF-8 character, whose bytes are all past ASCII).
fn plain_unquoted(c: u8) -> bool {
    !(is_blank(c) || starts_operator(c) || matches!(c, b'\n' | b'\\' | b'\'' | b'"' | b'$' | b'`'))
}

/// A byte that stands for itself between double quotes.
fn plain_double_quoted(c: u8) -> bool {
    !matches!(c, b'"' | b'\\' | b'$' | b'`')
}

/// The end of the run of bytes from `i` that `plain` accepts: always on a
/// character boundary, since `plain` accepts every byte past ASCII.
fn plain_run(bytes: &[u8], i: usize, plain: fn(u8) -> bool) -> usize {
    i + bytes[i..].iter().take_while(|&&c| plain(c)).count()
}

/// Splits `input` into shell tokens.
pub fn lex(input: &str) -> Result<Vec<Token>, ShellError> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if is_blank(c) {
            i += 1;
            continue;
        }
        if c == b'\n' {
            tokens.push(Token {
                kind: TokenKind::Operator("\n".into()),
                start: i,
                end: i + 1,
            });
            i += 1;
            continue;
        }
        if c == b'#' {
            tokens.push(Token {
                kind: TokenKind::Comment,
                start: i,
                end: input.len(),
            });
            break;
        }
        if let Some(op) = operator_at(input, i) {
            tokens.push(Token {
                kind: TokenKind::Operator(op.to_string()),
                start: i,
                end: i + op.len(),
            });
            i += op.len();
            continue;
        }
        let (word, expands, end) = read_word(input, i)?;
        // An all-digit word right before a redirection is its fd number.
        if word.bytes().all(|b| b.is_ascii_digit())
            && end == i + word.len()
            && matches!(bytes.get(end), Some(b'<' | b'>'))
        {
            let op = operator_at(input, end).unwrap_or(">");
            tokens.push(Token {
                kind: TokenKind::Operator(format!("{word}{op}")),
                start: i,
                end: end + op.len(),
            });
            i = end + op.len();
            continue;
        }
        tokens.push(Token {
            kind: TokenKind::Word {
                value: word,
                expands,
            },
            start: i,
            end,
        });
        i = end;
    }
    Ok(tokens)
}

fn operator_at(input: &str, i: usize) -> Option<&'static str> {
    if !input.as_bytes().get(i).is_some_and(|&c| starts_operator(c)) {
        return None;
    }
    OPERATORS
        .iter()
        .copied()
        .find(|op| input[i..].starts_with(op))
}

/// Reads one word starting at `start`; returns its value after quote
/// removal, whether it expands, and the end offset.
fn read_word(input: &str, start: usize) -> Result<(String, bool, usize), ShellError> {
    let bytes = input.as_bytes();
    let mut value = String::new();
    let mut expands = false;
    let mut i = start;
    while i < bytes.len() {
        let c = bytes[i];
        if is_blank(c) || c == b'\n' || operator_at(input, i).is_some() {
            break;
        }
        match c {
            b'\\' => {
                // Outside quotes a backslash quotes the next character; a
                // trailing one stays as it is.
                match input[i + 1..].chars().next() {
                    Some('\n') => i += 2,
                    Some(next) => {
                        value.push(next);
                        i += 1 + next.len_utf8();
                    }
                    None => {
                        value.push('\\');
                        i += 1;
                    }
                }
            }
            b'\'' => {
                let close = input[i + 1..].find('\'').ok_or(ShellError {
                    offset: i,
                    message: "unterminated single quote",
                })?;
                value.push_str(&input[i + 1..i + 1 + close]);
                i += close + 2;
            }
            b'"' => i = read_double_quoted(input, i, &mut value, &mut expands)?,
            c if plain_unquoted(c) => {
                let end = plain_run(bytes, i, plain_unquoted);
                value.push_str(&input[i..end]);
                i = end;
            }
            _ => i = copy_literal_or_expansion(input, i, &mut value, &mut expands)?,
        }
    }
    Ok((value, expands, i))
}

fn read_double_quoted(
    input: &str,
    open: usize,
    value: &mut String,
    expands: &mut bool,
) -> Result<usize, ShellError> {
    let bytes = input.as_bytes();
    let mut i = open + 1;
    loop {
        let Some(&c) = bytes.get(i) else {
            return Err(ShellError {
                offset: open,
                message: "unterminated double quote",
            });
        };
        match c {
            b'"' => return Ok(i + 1),
            b'\\' => match bytes.get(i + 1) {
                Some(b'$' | b'`' | b'"' | b'\\') => {
                    value.push(bytes[i + 1] as char);
                    i += 2;
                }
                Some(b'\n') => i += 2,
                _ => {
                    value.push('\\');
                    i += 1;
                }
            },
            c if plain_double_quoted(c) => {
                let end = plain_run(bytes, i, plain_double_quoted);
                value.push_str(&input[i..end]);
                i = end;
            }
            _ => i = copy_literal_or_expansion(input, i, value, expands)?,
        }
    }
}

/// Copies what starts at `i` into `value` as it is: a backquote or `$`
/// substitution whole (marking `expands`), or else one character. Returns
/// the offset after it.
fn copy_literal_or_expansion(
    input: &str,
    i: usize,
    value: &mut String,
    expands: &mut bool,
) -> Result<usize, ShellError> {
    let end = match input.as_bytes()[i] {
        b'`' => skip_backquote(input, i)?,
        b'$' => skip_dollar(input, i)?,
        _ => i + input[i..].chars().next().expect("in bounds").len_utf8(),
    };
    if matches!(input.as_bytes()[i], b'`' | b'$') && end > i + 1 {
        *expands = true;
    }
    value.push_str(&input[i..end]);
    Ok(end)
}

fn skip_backquote(input: &str, open: usize) -> Result<usize, ShellError> {
    let bytes = input.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => return Ok(i + 1),
            _ => i += 1,
        }
    }
    Err(ShellError {
        offset: open,
        message: "unterminated backquote",
    })
}

/// Skips a `$` expansion starting at `dollar`: `$name`, `$1`, `$?`,
/// `${...}`, `$(...)`, `$((...))`. A lone `$` is literal.
fn skip_dollar(input: &str, dollar: usize) -> Result<usize, ShellError> {
    let bytes = input.as_bytes();
    let i = dollar + 1;
    match bytes.get(i) {
        Some(b'{') => skip_balanced(input, dollar, i, b'{', b'}', "unterminated ${"),
        Some(b'(') => skip_balanced(input, dollar, i, b'(', b')', "unterminated $("),
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
            let len = input[i..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            Ok(i + len)
        }
        Some(c) if c.is_ascii_digit() || b"@*#?-$!".contains(c) => Ok(i + 1),
        _ => Ok(i),
    }
}

/// Skips from an opening bracket to its match, stepping over quotes and
/// nested expansions inside it.
fn skip_balanced(
    input: &str,
    dollar: usize,
    open_at: usize,
    open: u8,
    close: u8,
    message: &'static str,
) -> Result<usize, ShellError> {
    let bytes = input.as_bytes();
    let error = ShellError {
        offset: dollar,
        message,
    };
    let mut depth = 0usize;
    let mut i = open_at;
    while i < bytes.len() {
        let c = bytes[i];
        if c == open {
            depth += 1;
            i += 1;
        } else if c == close {
            depth -= 1;
            i += 1;
            if depth == 0 {
                return Ok(i);
            }
        } else {
            match c {
                b'\\' => i += 2,
                b'\'' => {
                    i += 1 + input[i + 1..].find('\'').ok_or(error.clone())? + 1;
                }
                b'"' => i = read_double_quoted(input, i, &mut String::new(), &mut false)?,
                b'`' => i = skip_backquote(input, i)?,
                b'$' => i = skip_dollar(input, i)?.max(i + 1),
                _ => i += 1,
            }
        }
    }
    Err(error)
}

/// A syntax error the shell finds in already-lexed tokens: a control
/// operator with no command before it (`; ;`, `;;` outside `case`, a leading
/// `&&`), a pipe or list operator with none after it, or a redirection with
/// no target.
pub fn syntax_error(tokens: &[Token]) -> Option<ShellError> {
    let has_case = tokens
        .iter()
        .any(|t| matches!(&t.kind, TokenKind::Word { value, .. } if value == "case"));
    let mut expect_command = true;
    let mut pending_redirect: Option<&Token> = None;
    let mut last_operator: Option<&Token> = None;
    for token in tokens {
        match &token.kind {
            TokenKind::Comment => break,
            TokenKind::Word { .. } => {
                pending_redirect = None;
                expect_command = false;
                last_operator = None;
            }
            TokenKind::Operator(op) if is_redirection(op) => {
                if pending_redirect.is_some() {
                    break;
                }
                pending_redirect = Some(token);
            }
            TokenKind::Operator(op) if op == "(" || op == ")" || op == "\n" => {
                expect_command = op != ")";
                last_operator = None;
            }
            TokenKind::Operator(op) => {
                if pending_redirect.is_some() || (op == ";;" && !has_case) || expect_command {
                    return Some(ShellError {
                        offset: token.start,
                        message: "syntax error: unexpected operator",
                    });
                }
                expect_command = true;
                last_operator = Some(token);
            }
        }
    }
    if let Some(redirect) = pending_redirect {
        return Some(ShellError {
            offset: redirect.start,
            message: "syntax error: redirection without a target",
        });
    }
    match last_operator {
        Some(t) if matches!(&t.kind, TokenKind::Operator(op) if op == "&&" || op == "||" || op == "|") => {
            Some(ShellError {
                offset: t.start,
                message: "syntax error: unexpected end after an operator",
            })
        }
        _ => None,
    }
}

/// Lexes `input` and checks it for syntax errors.
pub fn parse(input: &str) -> Result<Vec<Token>, ShellError> {
    let tokens = lex(input)?;
    match syntax_error(&tokens) {
        Some(e) => Err(e),
        None => Ok(tokens),
    }
}

/// The words of the first simple command in `tokens`: everything before
/// the first control operator or comment, minus redirections and their
/// targets.
pub fn simple_command(tokens: &[Token]) -> Vec<&Token> {
    let mut words = Vec::new();
    let mut redirect_target = false;
    for token in tokens {
        match &token.kind {
            TokenKind::Word { .. } if redirect_target => redirect_target = false,
            TokenKind::Word { .. } => words.push(token),
            TokenKind::Operator(op) if is_redirection(op) => redirect_target = true,
            TokenKind::Operator(_) | TokenKind::Comment => break,
        }
    }
    words
}

/// Whether an operator is a redirection (`>`, `2>>`, `<&`...) rather than a
/// control operator.
pub fn is_redirection(op: &str) -> bool {
    let op = op.trim_start_matches(|c: char| c.is_ascii_digit());
    op.starts_with('<') || op.starts_with('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let tokens = lex(s).unwrap();
        simple_command(&tokens)
            .into_iter()
            .map(|t| match &t.kind {
                TokenKind::Word { value, .. } => value.clone(),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn splits_on_blanks_and_removes_quotes() {
        assert_eq!(words("a  b\tc"), ["a", "b", "c"]);
        assert_eq!(
            words(r#"foo="two  words" 'x y' a\ b"#),
            ["foo=two  words", "x y", "a b"]
        );
    }

    #[test]
    fn stops_at_control_operators_and_comments() {
        assert_eq!(words("set allow.mlock=1;"), ["set", "allow.mlock=1"]);
        assert_eq!(words("nginx   php82 # web"), ["nginx", "php82"]);
        assert_eq!(words("a && b"), ["a"]);
        assert_eq!(words("a#b c"), ["a#b", "c"]);
    }

    #[test]
    fn drops_redirections_and_their_targets() {
        assert_eq!(words("a > out b 2>&1"), ["a", "b"]);
        assert_eq!(words("a 2> err"), ["a"]);
    }

    #[test]
    fn keeps_expansions_literally() {
        assert_eq!(
            words("x=$(ifconfig | grep 'inet') y"),
            ["x=$(ifconfig | grep 'inet')", "y"]
        );
        assert_eq!(words(r#""${A} b" `date`"#), ["${A} b", "`date`"]);
        let tokens = lex("$HOME plain").unwrap();
        assert!(matches!(
            tokens[0].kind,
            TokenKind::Word { expands: true, .. }
        ));
        assert!(matches!(
            tokens[1].kind,
            TokenKind::Word { expands: false, .. }
        ));
    }

    #[test]
    fn double_quotes_keep_unknown_backslashes() {
        assert_eq!(words(r#""a\b\"c""#), [r#"a\b"c"#]);
    }

    #[test]
    fn reports_unterminated_quotes() {
        assert_eq!(lex("it's").unwrap_err().offset, 2);
        assert!(lex("\"abc").is_err());
        assert!(lex("$(abc").is_err());
        assert!(lex("`abc").is_err());
    }

    #[test]
    fn finds_operator_syntax_errors() {
        for bad in [
            "set a;;", "; a", "a && ", "a |", "a >", "a ; ;", "&& a", "a > > b",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be an error");
        }
        for good in [
            "a;",
            "a &",
            "a; b",
            "a && b # c",
            "case x in a) b;; esac",
            "a > f",
            "(a) && b",
            "a 2>&1",
        ] {
            assert!(parse(good).is_ok(), "{good:?} should parse");
        }
    }

    #[test]
    fn never_panics_on_trailing_backslashes_or_odd_input() {
        for s in [
            "\\", "a\\", "$", "${", "\"\\", "$((", "'", "é\\é", "2>", "$(\\",
        ] {
            let _ = lex(s);
        }
    }
}
