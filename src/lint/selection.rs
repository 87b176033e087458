//! Which findings are reported: ruff's vocabulary. `select` replaces the
//! default (every rule), `extend-select` adds to it, `ignore` takes away.
//! A selector is a code (`JW301`), a rule name (`cp-arity`), a family
//! prefix (`JW9`, `JW30`), `ALL`, or a ShellCheck code (`SC2086`, the JW901
//! findings of that code). Within one source (the configuration file, the
//! command line), when a finding matches both a selected and an ignored
//! selector the more specific one decides (`--select JW3 --ignore JW301`:
//! every JW3 rule but JW301; `--ignore JW9 --extend-select SC2086`: only
//! ShellCheck's SC2086 of the JW9 family); equally specific, ignore wins.
//! The command line comes after the file: its `--select` starts afresh
//! (the file's ignores included), as ruff resolves them. A configuration
//! override's per-path ignores always win. Opt-in findings (ShellCheck's
//! info and style, rules marked `opt_in`) are reported only when a
//! selector names them exactly: `--extend-select SC2086`, `JW901`, a rule's
//! code or name; never through a family, `ALL` or the default.

use super::Diagnostic;

/// One source of selectors: the configuration file, then the command line.
#[derive(Debug, Clone, Default)]
pub struct Layer {
    /// `None`: keep what the layers before kept (at first: every rule).
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The selectors in force for one file: the layers in order (ruff's
/// resolution: a layer's `select` starts afresh, its `extend-select` and
/// `ignore` change what the layers before kept), then the per-path ignores
/// of the configuration's overrides, which always win.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub layers: Vec<Layer>,
    pub per_path_ignore: Vec<String>,
}

impl Layer {
    /// Whether `d` is kept after this layer, `before` what the layers
    /// before decided.
    fn decide(&self, before: bool, d: &Diagnostic) -> bool {
        let added = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .filter_map(|s| specificity(s, d))
            .max();
        let removed = self.ignore.iter().filter_map(|s| specificity(s, d)).max();
        let base = self.select.is_none() && before;
        match (added, removed) {
            (None, None) => base,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(r)) => a > r,
        }
    }
}

/// A selector that names nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no rule {selector}: give a code (JW301), a family (JW3), a rule name (cp-arity), ALL, or a ShellCheck code (SC2086); `jailwright rules` lists the rules"
)]
pub struct UnknownSelector {
    pub selector: String,
}

/// Whether `selector` names anything: `ALL`, a rule code or name, a prefix
/// of some rule's code, or `SCnnnn`.
pub fn validate(selector: &str) -> Result<(), UnknownSelector> {
    let known = selector.eq_ignore_ascii_case("all")
        || super::rules::find(selector).is_some()
        || is_shellcheck_code(selector)
        || (selector.len() >= 2
            && super::rules::ALL.iter().any(|r| {
                r.code.len() >= selector.len()
                    && r.code[..selector.len()].eq_ignore_ascii_case(selector)
            }));
    if known {
        Ok(())
    } else {
        Err(UnknownSelector {
            selector: selector.to_string(),
        })
    }
}

/// `SC` and digits: a ShellCheck code (never slices inside a character).
pub fn is_shellcheck_code(selector: &str) -> bool {
    selector.len() > 2
        && selector
            .get(..2)
            .is_some_and(|sc| sc.eq_ignore_ascii_case("SC"))
        && selector.bytes().skip(2).all(|b| b.is_ascii_digit())
}

/// How precisely `selector` names `d` (higher is more precise); `None`
/// when it does not name it.
fn specificity(selector: &str, d: &Diagnostic) -> Option<usize> {
    if !d.matches(selector) {
        return None;
    }
    Some(if selector.eq_ignore_ascii_case("all") {
        0
    } else if is_shellcheck_code(selector) {
        // Narrower than the JW901 code it belongs to.
        usize::MAX
    } else if selector == d.rule {
        d.code.len()
    } else {
        selector.len()
    })
}

impl Selection {
    /// The command line's selection alone.
    pub fn of(layer: &Layer) -> Selection {
        Selection {
            layers: vec![layer.clone()],
            per_path_ignore: Vec::new(),
        }
    }

    /// Whether `d` is reported. An opt-in finding only when some layer
    /// selects it by its own code, rule name or ShellCheck code.
    pub fn keeps(&self, d: &Diagnostic) -> bool {
        if d.opt_in && !self.names_exactly(d) {
            return false;
        }
        let kept = self
            .layers
            .iter()
            .fold(true, |before, layer| layer.decide(before, d));
        kept && !self.per_path_ignore.iter().any(|s| d.matches(s))
    }

    /// Whether a `select` or `extend-select` names `d` itself (not by a
    /// family prefix or `ALL`).
    fn names_exactly(&self, d: &Diagnostic) -> bool {
        self.layers
            .iter()
            .flat_map(|l| l.select.iter().flatten().chain(&l.extend_select))
            // As specific as its code: the code, the rule's name or its
            // ShellCheck code, not a family or ALL.
            .any(|s| specificity(s, d).is_some_and(|n| n >= d.code.len()))
    }

    /// Whether any JW901 finding can be kept (ShellCheck need not run
    /// otherwise).
    pub fn may_keep_shellcheck(&self) -> bool {
        let probe = |sc: Option<&str>| Diagnostic {
            code: super::shellcheck_script::RULE.code,
            rule: super::shellcheck_script::RULE.name,
            severity: super::Severity::Warning,
            message: String::new(),
            help: None,
            shellcheck_code: sc.map(String::from),
            fix: Vec::new(),
            opt_in: false,
            span: crate::ir::Span::default(),
        };
        let named: Vec<&String> = self
            .layers
            .iter()
            .flat_map(|l| l.select.iter().flatten().chain(&l.extend_select))
            .filter(|s| is_shellcheck_code(s))
            .collect();
        self.keeps(&probe(Some("SC0000"))) || named.iter().any(|sc| self.keeps(&probe(Some(sc))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Severity;

    fn finding(code: &'static str, rule: &'static str, sc: Option<&str>) -> Diagnostic {
        Diagnostic {
            code,
            rule,
            severity: Severity::Warning,
            message: String::new(),
            help: None,
            shellcheck_code: sc.map(String::from),
            fix: Vec::new(),
            opt_in: false,
            span: crate::ir::Span::default(),
        }
    }

    fn layer(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Layer {
        let strings = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Layer {
            select: select.map(strings),
            extend_select: strings(extend),
            ignore: strings(ignore),
        }
    }

    fn selection(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> Selection {
        Selection::of(&layer(select, extend, ignore))
    }

    #[test]
    fn the_more_specific_selector_decides() {
        let cp = finding("JW301", "cp-arity", None);
        let overlay = finding("JW302", "overlay-arity", None);
        let sc2086 = finding("JW901", "shellcheck", Some("SC2086"));
        let sc2016 = finding("JW901", "shellcheck", Some("SC2016"));
        let s = selection(Some(&["JW3"]), &[], &["JW301"]);
        assert!(!s.keeps(&cp) && s.keeps(&overlay) && !s.keeps(&sc2086));
        let s = selection(None, &[], &["SC2086"]);
        assert!(s.keeps(&cp) && !s.keeps(&sc2086) && s.keeps(&sc2016));
        let s = selection(None, &["SC2086"], &["JW9"]);
        assert!(s.keeps(&sc2086) && !s.keeps(&sc2016) && s.keeps(&cp));
        let s = selection(Some(&["cp-arity"]), &[], &[]);
        assert!(s.keeps(&cp) && !s.keeps(&overlay));
        let s = selection(Some(&["JW301"]), &[], &["cp-arity"]);
        assert!(!s.keeps(&cp), "equally specific: ignore wins");
        assert!(!selection(None, &[], &["all"]).keeps(&cp));
    }

    #[test]
    fn a_later_layers_select_starts_afresh_and_per_path_ignores_always_win() {
        let cp = finding("JW301", "cp-arity", None);
        let overlay = finding("JW302", "overlay-arity", None);
        let config = layer(None, &[], &["JW301"]);
        let both = |cli: Layer| Selection {
            layers: vec![config.clone(), cli],
            per_path_ignore: Vec::new(),
        };
        assert!(!both(layer(None, &[], &[])).keeps(&cp), "the file's ignore");
        assert!(
            both(layer(Some(&["JW301"]), &[], &[])).keeps(&cp),
            "--select beats it"
        );
        assert!(
            both(layer(None, &["cp-arity"], &[])).keeps(&cp),
            "so does --extend-select"
        );
        assert!(!both(layer(Some(&["JW301"]), &[], &[])).keeps(&overlay));
        let mut vendored = both(layer(Some(&["ALL"]), &[], &[]));
        vendored.per_path_ignore = vec!["JW3".into()];
        assert!(!vendored.keeps(&cp) && !vendored.keeps(&overlay));
    }

    #[test]
    fn selectors_must_name_something() {
        for ok in ["ALL", "JW9", "JW301", "cp-arity", "SC2086", "jw3"] {
            assert!(validate(ok).is_ok(), "{ok}");
        }
        for bad in ["JW999", "J", "SC", "SCx", "cp", "XY1"] {
            assert!(validate(bad).is_err(), "{bad}");
        }
    }
}
