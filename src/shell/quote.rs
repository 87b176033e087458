//! Writing words for sh: bare when nothing in them is special.

fn is_bare(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "=,._-/:@%+".contains(c))
}

/// A word sh reads back exactly as it is (single quotes when needed).
pub fn literal(w: &str) -> String {
    if is_bare(w) {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', r"'\''"))
    }
}

/// A word whose `${NAME}` references still expand: in double quotes when it
/// holds a `$`, else as `literal`.
pub fn live(w: &str) -> String {
    if is_bare(w) || !w.contains('$') {
        return literal(w);
    }
    let mut out = String::from("\"");
    for c in w.chars() {
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_quoted_only_as_needed() {
        assert_eq!(literal("nginx_enable=YES"), "nginx_enable=YES");
        assert_eq!(literal("a b"), "'a b'");
        assert_eq!(literal("it's"), r"'it'\''s'");
        assert_eq!(literal("$HOME"), "'$HOME'");
        assert_eq!(literal(""), "''");
        assert_eq!(live("listen ${PORT};"), "\"listen ${PORT};\"");
        assert_eq!(live("a b"), "'a b'");
    }
}
