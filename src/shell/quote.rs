//! Writing words for sh: bare when nothing in them is special.

use super::params::Params;
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

/// Where a scan of shell text is: inside single or double quotes.
#[derive(Default)]
struct Quotes {
    single: bool,
    double: bool,
}

/// Copies the next character of shell text to `out` (a backslash and the
/// character it escapes, outside single quotes, as one), following the
/// quotes; returns the rest.
fn copy_next<'t>(rest: &'t str, out: &mut String, quotes: &mut Quotes) -> &'t str {
    let Some(c) = rest.chars().next() else {
        return rest;
    };
    match c {
        '\'' if !quotes.double => quotes.single = !quotes.single,
        '"' if !quotes.single => quotes.double = !quotes.double,
        '\\' if !quotes.single => {
            out.push(c);
            let rest = &rest[1..];
            return match rest.chars().next() {
                Some(next) => {
                    out.push(next);
                    &rest[next.len_utf8()..]
                }
                None => rest,
            };
        }
        _ => {}
    }
    out.push(c);
    &rest[c.len_utf8()..]
}

/// Whether each byte of `text` is inside single quotes (as the shell
/// reads it: a `'` inside double quotes or escaped does not open one).
pub fn in_single_quotes(text: &str) -> Vec<bool> {
    let mut inside = Vec::with_capacity(text.len());
    let mut quotes = Quotes::default();
    let mut rest = text;
    let mut scratch = String::new();
    while !rest.is_empty() {
        let before = rest.len();
        let was_single = quotes.single;
        rest = copy_next(rest, &mut scratch, &mut quotes);
        scratch.clear();
        // The quote characters themselves count as quoted.
        inside.extend(std::iter::repeat_n(
            was_single || quotes.single,
            before - rest.len(),
        ));
    }
    inside
}

/// Shell text with `${NAME}` references to `params` taken out of single
/// quotes, so that they still expand where Bastille's textual
/// substitution used to reach them: `'s/x/${V}/'` becomes
/// `'s/x/'"${V}"'/'`.
pub fn references_out_of_single_quotes(text: &str, params: &Params) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quotes = Quotes::default();
    // Where the open single-quoted string started in `out`.
    let mut opened = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if quotes.single
            && c == '$'
            && let Some(name) = params.braced_at(rest)
        {
            rest = &rest[name.len() + 3..];
            // No empty `''` on either side of the reference.
            if out.len() == opened + 1 {
                out.pop();
            } else {
                out.push('\'');
            }
            out.push_str(&format!("\"${{{name}}}\""));
            if rest.starts_with('\'') {
                rest = &rest[1..];
                quotes.single = false;
            } else {
                out.push('\'');
                opened = out.len() - 1;
            }
            continue;
        }
        let was_single = quotes.single;
        rest = copy_next(rest, &mut out, &mut quotes);
        if quotes.single && !was_single {
            opened = out.len() - 1;
        }
    }
    out
}

/// Shell text (where a parameter is a variable of the jail's shell) as a
/// Bastille CMD, where bastille substitutes the text `${NAME}` of each of
/// `params` and nothing else (template.sh:333-371): a live `$NAME` becomes
/// `${NAME}`, and a `${NAME}` that is literal (in single quotes) is split
/// (`$''{NAME}`) so that bastille's sed does not find it.
pub fn references_for_bastille(text: &str, params: &Params) -> String {
    for_bastille(text, params).0
}

/// The `$NAME` references (no braces, outside single quotes) to `params`
/// in shell text: in a Bastille CMD, bastille leaves them to the jail's
/// shell, where they are empty.
pub fn bare_references(text: &str, params: &Params) -> Vec<String> {
    for_bastille(text, params).1
}

fn for_bastille(text: &str, params: &Params) -> (String, Vec<String>) {
    let mut bare = Vec::new();
    let mut out = String::with_capacity(text.len());
    let mut quotes = Quotes::default();
    let mut rest = text;
    let name_at = |rest: &str, braced: bool| -> Option<String> {
        if braced {
            params.braced_at(rest)
        } else {
            params.bare_at(rest)
        }
        .map(str::to_string)
    };
    while let Some(c) = rest.chars().next() {
        if c == '$' {
            if quotes.single {
                if let Some(name) = name_at(rest, true) {
                    out.push_str(&format!("$''{{{name}}}"));
                    rest = &rest[name.len() + 3..];
                    continue;
                }
            } else if let Some(name) = name_at(rest, false) {
                out.push_str(&format!("${{{name}}}"));
                bare.push(name.clone());
                rest = &rest[name.len() + 1..];
                continue;
            }
        }
        rest = copy_next(rest, &mut out, &mut quotes);
    }
    (out, bare)
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
    fn single_quoted_bytes() {
        let text = r#"a '${X}' "it's" \'b ${Y}"#;
        let inside = in_single_quotes(text);
        assert_eq!(inside.len(), text.len());
        assert!(inside[text.find("${X}").unwrap()]);
        assert!(!inside[text.find("it's").unwrap() + 2]);
        assert!(!inside[text.find("${Y}").unwrap()]);
    }

    #[test]
    fn references_leave_single_quotes() {
        let params = Params::new(["V"]);
        assert_eq!(
            references_out_of_single_quotes("sed 's/x/${V}/' \"${V}\" ${W}", &params),
            "sed 's/x/'\"${V}\"'/' \"${V}\" ${W}"
        );
        assert_eq!(
            references_out_of_single_quotes("echo '${W}'", &params),
            "echo '${W}'"
        );
        assert_eq!(
            references_out_of_single_quotes("echo '${V}' x'${V}'y '${V}z'", &params),
            "echo \"${V}\" x\"${V}\"y \"${V}\"'z'"
        );
    }

    #[test]
    fn references_for_bastille_are_what_its_sed_substitutes() {
        let params = Params::new(["V"]);
        assert_eq!(
            references_for_bastille("echo $V \"$V\" ${V} '${V}' $VX \\$V '$V'", &params),
            "echo ${V} \"${V}\" ${V} '$''{V}' $VX \\$V '$V'"
        );
        assert_eq!(
            references_for_bastille("echo $(echo '${V}')", &params),
            "echo $(echo '$''{V}')"
        );
    }
}
