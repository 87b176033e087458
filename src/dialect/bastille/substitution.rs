//! `${NAME}` substitution (template.sh's `ARG_REPLACEMENTS`): every ARG
//! with a value adds `-e 's/\${NAME}/VALUE/g'` to a chain of sed
//! expressions that runs over the argument text of each later line.
//!
//! The name goes into the expression raw: regex characters in it match as a
//! basic regular expression, and a `/` or `'` breaks the whole chain, so
//! every later line's arguments come out empty.

use regex::{NoExpand, Regex};
use std::collections::HashMap;

/// FreeBSD's `kern.argmax`: a command line longer than this cannot be run.
/// sed gets every rule on its command line, so more rules than fit break
/// the chain; and no line of arguments can grow past it.
pub const ARG_MAX: usize = 524_288;

#[derive(Debug, Clone)]
enum Pattern {
    /// `${NAME}` matched literally (the name has no regex character).
    Literal(String),
    /// `\${NAME}` as sed reads it, translated to a Rust regex.
    Regex(Regex),
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: Pattern,
    value: String,
}

/// The substitutions collected so far, applied in order like the chain of
/// sed expressions.
#[derive(Debug, Clone, Default)]
pub struct Replacements {
    rules: Vec<Rule>,
    /// The indices of the literal rules of each name, ascending.
    by_name: HashMap<String, Vec<usize>>,
    /// The indices of the regex rules, ascending.
    regex_rules: Vec<usize>,
    /// A rule's name broke sed, or the rules no longer fit on sed's
    /// command line: every later line's arguments are empty.
    broken: bool,
    /// Bytes of `-e 's/\${NAME}/VALUE/g'` expressions so far.
    command_line: usize,
    /// Every (name, value) pushed, in order: enough to rebuild the chain
    /// (RENDER carries it to apply time).
    pushed: Vec<(String, String)>,
}

impl Replacements {
    /// Starts with the built-ins JAIL_IP, JAIL_IP6 and JAIL_NAME, for those
    /// that are known (an unknown jail leaves them literal).
    pub fn with_builtins(bindings: &crate::dialect::Bindings) -> Self {
        let mut r = Replacements::default();
        let jail = &bindings.jail;
        for (name, value) in [
            ("JAIL_IP", &jail.ip4),
            ("JAIL_IP6", &jail.ip6),
            ("JAIL_NAME", &jail.name),
        ] {
            if let Some(value) = value {
                r.push(name, value);
            }
        }
        r
    }

    pub fn push(&mut self, name: &str, value: &str) {
        self.pushed.push((name.to_string(), value.to_string()));
        self.command_line += name.len() + value.len() + " -e 's/\\${}//g'".len();
        if self.command_line > ARG_MAX {
            self.broken = true;
        }
        let pattern = match pattern(name) {
            Some(p) => p,
            None => {
                self.broken = true;
                return;
            }
        };
        let index = self.rules.len();
        match &pattern {
            Pattern::Literal(_) => self
                .by_name
                .entry(name.to_string())
                .or_default()
                .push(index),
            Pattern::Regex(_) => self.regex_rules.push(index),
        }
        self.rules.push(Rule {
            pattern,
            value: value.to_string(),
        });
    }

    /// The chain rebuilt from what `pushed` returned.
    pub fn from_pushed(pushed: &[(String, String)]) -> Self {
        let mut r = Replacements::default();
        for (name, value) in pushed {
            r.push(name, value);
        }
        r
    }

    /// Every (name, value) pushed so far, in order.
    pub fn pushed(&self) -> &[(String, String)] {
        &self.pushed
    }

    /// Whether sed would refuse the chain (a name with `/` or `'`, or more
    /// rules than fit on its command line): sed then changes nothing.
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// The same result as running every rule over the text in turn, but
    /// only the rules that match are run: the lowest-numbered matching rule
    /// first, then again on its result with the later rules (a value may
    /// hold a reference that a later rule replaces).
    pub fn apply(&self, text: &str) -> String {
        if self.broken {
            return String::new();
        }
        let mut text = text.to_string();
        let mut after = 0;
        loop {
            let literal = references(&text)
                .into_iter()
                .filter_map(|(_, name)| {
                    let indices = self.by_name.get(name)?;
                    indices
                        .get(indices.partition_point(|&i| i < after))
                        .copied()
                })
                .min();
            let regex = self.regex_rules.iter().copied().find(|&i| {
                i >= after
                    && matches!(&self.rules[i].pattern, Pattern::Regex(r) if r.is_match(&text))
            });
            let Some(index) = literal.into_iter().chain(regex).min() else {
                return text;
            };
            let rule = &self.rules[index];
            // A line past ARG_MAX is one bastille cannot run at all: stop
            // growing it (values can nest exponentially).
            if grown_len(&text, rule) > ARG_MAX {
                return text;
            }
            text = match &rule.pattern {
                Pattern::Literal(p) => text.replace(p.as_str(), &rule.value),
                Pattern::Regex(r) => r.replace_all(&text, NoExpand(&rule.value)).into_owned(),
            };
            after = index + 1;
        }
    }
}

/// The length of `text` after `rule` replaces every match.
fn grown_len(text: &str, rule: &Rule) -> usize {
    let (count, matched) = match &rule.pattern {
        Pattern::Literal(p) => {
            let count = text.matches(p.as_str()).count();
            (count, count * p.len())
        }
        Pattern::Regex(r) => r
            .find_iter(text)
            .fold((0, 0), |(n, len), m| (n + 1, len + m.len())),
    };
    text.len() - matched + count * rule.value.len()
}

/// The pattern sed makes of `s/\${NAME}/.../g`, or `None` when the name
/// breaks the expression (`/` ends it early, `'` breaks the shell quoting
/// around it, an unclosed `[` or a trailing `\` is a sed error).
fn pattern(name: &str) -> Option<Pattern> {
    if name.contains(['/', '\'']) {
        return None;
    }
    if !name.contains(['.', '*', '[', '\\', '^', '$', '}']) {
        return Some(Pattern::Literal(format!("${{{name}}}")));
    }
    let mut re = String::from(r"\$\{");
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => re.push_str("(?s:.)"),
            // After `${` a leading `*` repeats the `{`, as in sed.
            '*' => re.push('*'),
            '\\' => re.push_str(&regex::escape(&chars.next()?.to_string())),
            '[' => {
                re.push('[');
                let mut first = true;
                loop {
                    let c = chars.next()?;
                    if c == ']' && !first {
                        break;
                    }
                    if c == '\\' || (c == '[' && chars.peek() != Some(&':')) {
                        re.push('\\');
                    }
                    re.push(c);
                    first = c == '^' && first;
                }
                re.push(']');
            }
            _ => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push_str(r"\}");
    Regex::new(&re).ok().map(Pattern::Regex)
}

/// Every `${NAME}` reference in `text`: (byte offset, name).
pub fn references(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("${") {
        let start = from + i;
        match text[start + 2..].find('}') {
            Some(len) => {
                found.push((start, &text[start + 2..start + 2 + len]));
                from = start + 3 + len;
            }
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_references() {
        assert_eq!(references("a ${X} ${y-z} ${"), [(2, "X"), (7, "y-z")]);
    }

    #[test]
    fn substitution_is_ordered_and_exact() {
        let mut r = Replacements::default();
        r.push("NAME", "cli");
        r.push("NAME", "second");
        assert_eq!(r.apply("${NAME} $NAME ${NAMEX}"), "cli $NAME ${NAMEX}");
    }

    #[test]
    fn a_value_holding_a_later_reference_is_replaced_again() {
        let mut r = Replacements::default();
        r.push("A", "${B}-${A}");
        r.push("B", "b");
        assert_eq!(r.apply("${A}"), "b-${A}");
        let mut r = Replacements::default();
        r.push("B", "b");
        r.push("A", "${B}");
        assert_eq!(r.apply("${A}"), "${B}", "an earlier rule never runs again");
        let mut r = Replacements::default();
        r.push("N", "x");
        r.push("B", "${N}");
        r.push("N", "y");
        assert_eq!(
            r.apply("${B}"),
            "y",
            "a later rule of the same name still runs"
        );
    }

    #[test]
    fn regex_characters_in_a_name_match_like_sed() {
        let mut r = Replacements::default();
        r.push("A.B", "1");
        assert_eq!(r.apply("x=${AxB} y=${A.B} z=${AB}"), "x=1 y=1 z=${AB}");
        let mut r = Replacements::default();
        r.push("C*", "2");
        assert_eq!(r.apply("${C} ${CCC} ${D}"), "2 2 ${D}");
        let mut r = Replacements::default();
        r.push("[ab]X", "3");
        assert_eq!(r.apply("${aX} ${bX} ${cX}"), "3 3 ${cX}");
    }

    #[test]
    fn nested_values_stop_growing_at_arg_max() {
        let mut r = Replacements::default();
        for _ in 0..40 {
            r.push("A", &"${A}".repeat(4));
        }
        assert!(r.apply("${A}").len() <= ARG_MAX);
    }

    #[test]
    fn a_slash_or_quote_in_a_name_empties_every_later_line() {
        for name in ["A/B", "A'B", "A[B"] {
            let mut r = Replacements::default();
            r.push("OK", "v");
            assert_eq!(r.apply("${OK}"), "v");
            r.push(name, "1");
            assert_eq!(r.apply("x=${OK} y"), "", "after {name}");
        }
    }
}
