//! Just enough of the POSIX shell to see text the way `sh` does: word
//! splitting with quote removal, operators and comments. Expansions are
//! kept as literal text: jailwright never evaluates anything on the host.

pub(crate) mod cwd;
pub(crate) mod params;
pub(crate) mod quote;

/// A valid sh variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Names referenced as `$NAME` or `${NAME}` in shell text (not `\$`).
pub fn references(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    for (i, _) in text.match_indices('$') {
        if i > 0 && bytes[i - 1] == b'\\' {
            continue;
        }
        let rest = text[i + 1..].strip_prefix('{').unwrap_or(&text[i + 1..]);
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if len > 0 && !rest.as_bytes()[0].is_ascii_digit() {
            found.push(&rest[..len]);
        }
    }
    found
}

pub(crate) mod words;

pub use words::{ShellError, Token, TokenKind, lex, parse, simple_command, syntax_error};
