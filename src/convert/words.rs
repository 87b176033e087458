//! Words and references as each target writes them.

use crate::ir::Dialect;

/// A word for a POSIX shell (a flavour script, a Bastille line the host
/// `eval`s): bare when safe, in single quotes when it holds nothing to
/// expand, in double quotes when it holds a `${NAME}` reference (so the
/// reference still expands, as it did in the source).
pub fn sh_word(w: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "=,._-/:@%+".contains(c);
    if !w.is_empty() && w.chars().all(safe) {
        return w.to_string();
    }
    if w.contains('$') {
        let mut out = String::from("\"");
        for c in w.chars() {
            if matches!(c, '"' | '\\' | '`') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        return out;
    }
    format!("'{}'", w.replace('\'', r"'\''"))
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
    fn words_are_quoted_only_as_needed_and_references_stay_live() {
        assert_eq!(sh_word("nginx_enable=YES"), "nginx_enable=YES");
        assert_eq!(sh_word("a b"), "'a b'");
        assert_eq!(sh_word("it's"), r"'it'\''s'");
        assert_eq!(sh_word("listen ${PORT};"), "\"listen ${PORT};\"");
        assert_eq!(sh_word(""), "''");
    }

    #[test]
    fn the_jail_name_is_renamed() {
        assert_eq!(
            rename_builtins("echo ${JAIL_NAME}", Dialect::Bastille, Dialect::Makejail),
            "echo ${APPJAIL_JAILNAME}"
        );
    }
}
