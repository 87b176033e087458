//! Just enough of the POSIX shell to see text the way `sh` does: word
//! splitting with quote removal, operators and comments. Expansions are
//! kept as literal text: jailwright never evaluates anything on the host.

pub mod quote;

/// A valid sh variable name (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
pub mod words;

pub use words::{ShellError, Token, TokenKind, lex, parse, simple_command, syntax_error};
