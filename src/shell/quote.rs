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

/// A word whose `$` expansions still expand, as they did where the word
/// came from; `\$` in it (how jailwright writes a literal dollar between
/// dialects, as a Makejail does) stays a literal `$`. In double quotes when
/// something expands, else as `literal`.
pub fn live(w: &str) -> String {
    let chars: Vec<char> = w.chars().collect();
    let expands = chars
        .iter()
        .enumerate()
        .any(|(i, c)| *c == '$' && (i == 0 || chars[i - 1] != '\\'));
    if !expands {
        return literal(&w.replace("\\$", "$"));
    }
    let mut out = String::from("\"");
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push_str("\\$");
            i += 2;
            continue;
        }
        if matches!(c, '"' | '\\' | '`') {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out.push('"');
    out
}

/// Shell text with `${NAME}` references to `params` taken out of single
/// quotes, so that they still expand where Bastille's textual
/// substitution used to reach them: `'s/x/${V}/'` becomes
/// `'s/x/'"${V}"'/'`.
pub fn references_out_of_single_quotes(text: &str, params: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_single = false;
    let mut in_double = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_single
            && c == '$'
            && let Some(name) = params
                .iter()
                .find(|n| rest.starts_with(&format!("${{{n}}}")))
        {
            out.push_str(&format!("'\"${{{name}}}\"'"));
            rest = &rest[name.len() + 3..];
            continue;
        }
        match c {
            '\'' if !in_double => in_single = !in_single,
            '"' if !in_single => in_double = !in_double,
            '\\' if !in_single => {
                // An escaped character outside single quotes.
                out.push(c);
                rest = &rest[1..];
                if let Some(next) = rest.chars().next() {
                    out.push(next);
                    rest = &rest[next.len_utf8()..];
                }
                continue;
            }
            _ => {}
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
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
        assert_eq!(
            live("foo=\\$bar"),
            "'foo=$bar'",
            "a marked dollar is literal"
        );
        assert_eq!(live("${A}\\$b"), "\"${A}\\$b\"");
    }

    #[test]
    fn references_leave_single_quotes() {
        let params = vec!["V".to_string()];
        assert_eq!(
            references_out_of_single_quotes("sed 's/x/${V}/' \"${V}\" ${W}", &params),
            "sed 's/x/'\"${V}\"'/' \"${V}\" ${W}"
        );
        assert_eq!(
            references_out_of_single_quotes("echo '${W}'", &params),
            "echo '${W}'"
        );
    }
}
