//! Words and references as each target writes them.

/// A word for a POSIX shell (a flavour script, a Bastille line the host
/// `eval`s): its `$` expansions still expand, a `\$` stays a literal `$`.
pub fn sh_word(w: &str) -> String {
    crate::shell::quote::live(w)
}

pub fn sh_words(args: &[String]) -> String {
    args.iter()
        .map(|a| sh_word(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How each manager's templates refer to the jail's own name.
pub const JAIL_NAME: &str = "JAIL_NAME";
pub const APPJAIL_JAILNAME: &str = "APPJAIL_JAILNAME";
/// A converted flavour script's name for its `$1`.
pub const POT_NAME: &str = "POT_NAME";

/// `text` with every spelling of the jail's name written as `${to}`.
pub fn jail_name_as(text: &str, to: &str) -> String {
    let mut out = text.to_string();
    for name in [JAIL_NAME, APPJAIL_JAILNAME, POT_NAME] {
        if name != to {
            out = out.replace(&format!("${{{name}}}"), &format!("${{{to}}}"));
        }
    }
    out
}

/// A valid sh (and AppJail) variable name.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jail_name_is_renamed() {
        assert_eq!(
            jail_name_as("echo ${JAIL_NAME} ${POT_NAME}", APPJAIL_JAILNAME),
            "echo ${APPJAIL_JAILNAME} ${APPJAIL_JAILNAME}"
        );
        assert!(is_name("php_version") && !is_name("php-version") && !is_name("1x"));
    }
}
