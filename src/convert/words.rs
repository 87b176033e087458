//! Words and references as each target writes them.

use crate::ir::Dialect;

/// A word for a POSIX shell (a flavour script, a Bastille line the host
/// `eval`s); a `${NAME}` reference in it still expands, as in the source.
pub fn sh_word(w: &str) -> String {
    crate::shell::quote::live(w)
}

pub fn sh_words(args: &[String]) -> String {
    args.iter()
        .map(|a| sh_word(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The name each manager gives the jail's own name.
fn jail_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Bastille => "JAIL_NAME",
        Dialect::Makejail => "APPJAIL_JAILNAME",
        // A flavour script's $1; the script sets this name from it.
        Dialect::Pot => "POT_NAME",
    }
}

/// `text` with the source manager's jail-name reference renamed for the
/// target (`${JAIL_NAME}` ↔ `${APPJAIL_JAILNAME}`).
pub fn rename_builtins(text: &str, from: Dialect, to: Dialect) -> String {
    if from == to {
        return text.to_string();
    }
    let (old, new) = (jail_name(from), jail_name(to));
    text.replace(&format!("${{{old}}}"), &format!("${{{new}}}"))
        .replace(&format!("${old}"), &format!("${new}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jail_name_is_renamed() {
        assert_eq!(
            rename_builtins("echo ${JAIL_NAME}", Dialect::Bastille, Dialect::Makejail),
            "echo ${APPJAIL_JAILNAME}"
        );
    }
}
