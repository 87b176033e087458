//! Just enough of the POSIX shell to see text the way `sh` does: word
//! splitting with quote removal, operators and comments. Expansions are
//! kept as literal text: jailwright never evaluates anything on the host.

pub mod quote;
pub mod words;

pub use words::{ShellError, Token, TokenKind, lex, parse, simple_command, syntax_error};
