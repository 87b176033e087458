//! The parameter names a template's text may refer to (ARGs, VARs and a
//! manager's built-ins), looked up by name: a text is scanned once
//! however many names are declared.

use std::collections::HashMap;

/// Each name, with the order it was first declared in.
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, usize>);

impl Params {
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Params {
        let mut params = Params::default();
        for name in names {
            params.push(name.as_ref());
        }
        params
    }

    pub fn push(&mut self, name: &str) {
        if !self.0.contains_key(name) {
            let order = self.0.len();
            self.0.insert(name.to_string(), order);
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Those of `names` that are parameters, once each, in the order they
    /// were declared.
    pub fn in_order<'n>(&self, names: impl IntoIterator<Item = &'n str>) -> Vec<&'n str> {
        let mut found: Vec<(usize, &str)> = names
            .into_iter()
            .filter_map(|n| Some((*self.0.get(n)?, n)))
            .collect();
        found.sort();
        found.dedup_by_key(|(order, _)| *order);
        found.into_iter().map(|(_, n)| n).collect()
    }

    /// The name of the `${NAME}` reference to one of these that `text`
    /// starts with.
    pub fn braced_at<'t>(&self, text: &'t str) -> Option<&'t str> {
        let inner = text.strip_prefix("${")?;
        let name = &inner[..inner.find('}')?];
        self.contains(name).then_some(name)
    }

    /// The name of the `$NAME` reference (no braces) to one of these that
    /// `text` starts with: the whole name the shell reads there.
    pub fn bare_at<'t>(&self, text: &'t str) -> Option<&'t str> {
        let inner = text.strip_prefix('$')?;
        let len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        let name = &inner[..len];
        (len > 0 && self.contains(name)).then_some(name)
    }

    /// Whether `text` has a `$` that is not a `${NAME}` reference to one of
    /// these.
    pub fn other_dollar(&self, text: &str) -> bool {
        let mut rest = text;
        while let Some(at) = rest.find('$') {
            match self.braced_at(&rest[at..]) {
                Some(name) => rest = &rest[at + name.len() + 3..],
                None => return true,
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_by_their_whole_name() {
        let p = Params::new(["PORT", "P"]);
        assert_eq!(p.braced_at("${PORT}x"), Some("PORT"));
        assert_eq!(p.braced_at("${PORTS}"), None);
        assert_eq!(p.braced_at("${PORT"), None);
        assert_eq!(p.bare_at("$PORT/x"), Some("PORT"));
        assert_eq!(p.bare_at("$PORTS"), None);
        assert_eq!(p.bare_at("$P-x"), Some("P"));
        assert!(!p.other_dollar("a ${PORT} ${P}"));
        assert!(p.other_dollar("a ${PORT} $P"));
        assert!(p.other_dollar("${HOME}"));
        assert_eq!(p.in_order(["P", "X", "PORT", "P"]), ["PORT", "P"]);
    }
}
