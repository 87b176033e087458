//! Build arguments (share/appjail/lib/replace): `%{NAME}` references,
//! `%{NAME:default}` and `%{NAME!description}` declarations, `%%{NAME}`
//! escapes. They are replaced as text over the whole (flattened) Makejail
//! before any instruction is read:
//!
//! 1. each `--build-arg NAME=VALUE` (AppJail's `-b`) rewrites every
//!    declaration of NAME to `%{NAME:VALUE}` (dropping the character before
//!    it, as AppJail's sed does); NAME must be declared;
//! 2. declarations are taken in file order: a `!` one still standing is an
//!    error naming its description, a repeated name is ignored with a
//!    warning, and a `:` one replaces every `%{NAME}` with its value;
//! 3. every declaration is wiped and lines left empty are deleted;
//! 4. `%%{NAME}` becomes `%{NAME}`.

use regex::{Captures, Regex};
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

/// A declaration not preceded by `%`: group 2 the character before it,
/// 3 the name, 4 the separator, 5 the value (`\}` allowed inside).
static DECLARATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^%|([^%])%)\{([a-zA-Z_][a-zA-Z0-9_]*)(!|:)((?:\\\}|[^}])+)?\}").expect("valid")
});
static ESCAPED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"%%\{([a-zA-Z_][a-zA-Z0-9_]*)\}").expect("valid"));
static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z_][a-zA-Z0-9_]*$").expect("valid"));

/// Why build arguments could not be applied (AppJail stops with this).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildArgError {
    /// The line the problem is on, when there is one.
    pub line: Option<usize>,
    pub message: String,
}

/// The lines after replacement (`None` for a line that disappeared), and
/// warnings (duplicate declarations) with their line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expanded {
    pub lines: Vec<Option<String>>,
    pub warnings: Vec<(usize, String)>,
}

/// Applies `cli` (`NAME=VALUE` or `NAME`) and the declarations of `lines`.
pub fn expand(lines: &[String], cli: &[String], file: &str) -> Result<Expanded, BuildArgError> {
    let mut text: Vec<String> = lines.to_vec();
    let mut given: Vec<&str> = Vec::new();
    for arg in cli {
        let (name, value) = arg.split_once('=').unwrap_or((arg, ""));
        let error = |message: String| BuildArgError {
            line: None,
            message,
        };
        if given.contains(&name) {
            return Err(error(format!(
                "{name}: cannot use a duplicate build argument."
            )));
        }
        if !NAME.is_match(name) {
            return Err(error(format!("{name}: Invalid variable name.")));
        }
        if !text.iter().any(|l| declarations(l).any(|d| d.name == name)) {
            return Err(error(format!(
                "{name}: macrovar is not defined in the {file} file."
            )));
        }
        given.push(name);
        rewrite_declarations(&mut text, name, value);
    }

    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut warnings = Vec::new();
    // Which lines mention `%{NAME}`: each declaration's pass looks at
    // those lines only (AppJail's sed reads them all, to the same effect),
    // so expanding stays linear in the number of declarations.
    let mut mentions: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (i, l) in text.iter().enumerate() {
        index_mentions(&mut mentions, i, l);
    }
    let found: Vec<(usize, Declaration)> = text
        .iter()
        .enumerate()
        .flat_map(|(i, l)| declarations(l).map(move |d| (i, d)).collect::<Vec<_>>())
        .collect();
    for (line, decl) in found {
        if decl.separator == '!' {
            return Err(BuildArgError {
                line: Some(line),
                message: format!("{}: macrovar is mandatory ({}).", decl.name, decl.value),
            });
        }
        let value = decl.value.clone();
        if seen.contains(&decl.name) {
            warnings.push((
                line,
                format!("{}: ignoring duplicate macrovar ...", decl.name),
            ));
            continue;
        }
        seen.insert(decl.name.clone());
        let Some(lines) = mentions.get(&decl.name).cloned() else {
            continue;
        };
        let reference = Regex::new(&format!(r"(^%|([^%])%)\{{{}\}}", decl.name)).expect("valid");
        for i in lines {
            let l = &mut text[i];
            if reference.is_match(l) {
                *l = reference
                    .replace_all(l, |c: &Captures| {
                        // sed puts the whole match where the value has `&`.
                        let value = value.replace('&', &c[0]);
                        format!("{}{}", c.get(2).map_or("", |m| m.as_str()), value)
                    })
                    .into_owned();
                // The value may mention later declarations.
                let l = text[i].clone();
                index_mentions(&mut mentions, i, &l);
            }
        }
    }

    let lines = text
        .into_iter()
        .map(|l| {
            let wiped = DECLARATION.replace_all(&l, "${2}").into_owned();
            (!wiped.is_empty()).then(|| {
                ESCAPED
                    .replace_all(&wiped, |c: &Captures| format!("%{{{}}}", &c[1]))
                    .into_owned()
            })
        })
        .collect();
    Ok(Expanded { lines, warnings })
}

/// Records line `i` under every name it mentions as `%{NAME`.
fn index_mentions(mentions: &mut HashMap<String, BTreeSet<usize>>, i: usize, line: &str) {
    let mut rest = line;
    while let Some(at) = rest.find("%{") {
        rest = &rest[at + 2..];
        let end = rest.find(['}', ':', '!']).unwrap_or(rest.len());
        mentions
            .entry(rest[..end].to_string())
            .or_default()
            .insert(i);
    }
}

/// `lib_replace_macrovar`: every declaration of `name` becomes
/// `%{NAME:VALUE}`. Like AppJail's sed, the replacement drops the character
/// before the declaration, and an `&` in the value stands for the whole
/// declaration it replaces.
fn rewrite_declarations(text: &mut [String], name: &str, value: &str) {
    let pattern = Regex::new(&format!(
        r"(^%|([^%])%)\{{{name}(!|:)((?:\\\}}|[^}}])+)?\}}"
    ))
    .expect("valid");
    let escaped = value.replace('}', "\\}");
    for line in text.iter_mut() {
        if pattern.is_match(line) {
            *line = pattern
                .replace_all(line, |c: &Captures| {
                    format!("%{{{name}:{}}}", escaped.replace('&', &c[0]))
                })
                .into_owned();
        }
    }
}

struct Declaration {
    name: String,
    separator: char,
    value: String,
}

fn declarations(line: &str) -> impl Iterator<Item = Declaration> + '_ {
    DECLARATION.captures_iter(line).map(|c| Declaration {
        name: c[3].to_string(),
        separator: c[4].chars().next().unwrap_or(':'),
        value: c.get(5).map_or("", |m| m.as_str()).replace("\\}", "}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(lines: &[&str], cli: &[&str]) -> Result<Vec<Option<String>>, BuildArgError> {
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        let cli: Vec<String> = cli.iter().map(|s| s.to_string()).collect();
        expand(&lines, &cli, "Makejail").map(|e| e.lines)
    }

    fn some(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn defaults_replace_references_and_declaration_lines_disappear() {
        assert_eq!(
            run(
                &[
                    "%{TAG:14.3}",
                    "OPTION from=img:%{TAG}",
                    "CMD echo %{TAG}%{TAG}"
                ],
                &[]
            )
            .unwrap(),
            [
                None,
                Some("OPTION from=img:14.3".into()),
                Some("CMD echo 14.3%{TAG}".into())
            ]
        );
    }

    #[test]
    fn a_reference_right_after_another_is_missed_like_sed() {
        // sed's `s/([^%])%\{X\}/.../g` consumes the character before each
        // match, so the second of two adjacent references is not replaced.
        assert_eq!(
            run(&["%{X:v}", "A %{X}%{X} %{X}"], &[]).unwrap()[1].as_deref(),
            Some("A v%{X} v")
        );
    }

    #[test]
    fn command_line_values_win_and_must_be_declared() {
        // AppJail's rewrite of the declaration drops the space before it.
        assert_eq!(
            run(&["PKG %{P:nginx} %{P}"], &["P=apache24"]).unwrap(),
            some(&["PKG apache24"])
        );
        assert_eq!(
            run(&["%{P:x}", "A %{P}"], &["P=a&b"]).unwrap()[1].as_deref(),
            Some("A a%{P:x")
        );
        let e = run(&["PKG x"], &["P=1"]).unwrap_err();
        assert_eq!(
            e.message,
            "P: macrovar is not defined in the Makejail file."
        );
        let e = run(&["%{P:1}"], &["P=1", "P=2"]).unwrap_err();
        assert_eq!(e.message, "P: cannot use a duplicate build argument.");
    }

    #[test]
    fn a_mandatory_declaration_needs_a_value() {
        let e = run(&["RAW true", "%{TOKEN!the API token}"], &[]).unwrap_err();
        assert_eq!(e.message, "TOKEN: macrovar is mandatory (the API token).");
        assert_eq!(e.line, Some(1));
        assert_eq!(
            run(
                &["%{TOKEN!the API token}", "CMD echo %{TOKEN}"],
                &["TOKEN=x"]
            )
            .unwrap(),
            [None, Some("CMD echo x".into())]
        );
    }

    #[test]
    fn escapes_and_braces() {
        assert_eq!(
            run(&["CMD echo %%{X} %{X:a\\}b}"], &[]).unwrap(),
            some(&["CMD echo %{X} "])
        );
        assert_eq!(
            run(&["%{X:v}", "CMD echo %{X} %%{X}"], &[]).unwrap(),
            [None, Some("CMD echo v %{X}".into())]
        );
    }

    #[test]
    fn an_ampersand_in_a_value_stands_for_the_reference() {
        assert_eq!(
            run(&["%{URL:x?a=1&b=2}", "CMD fetch %{URL}"], &[]).unwrap()[1].as_deref(),
            Some("CMD fetch x?a=1 %{URL}b=2")
        );
    }

    #[test]
    fn first_declaration_wins() {
        let lines: Vec<String> = ["%{X:1}", "%{X:2}", "CMD %{X}"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = expand(&lines, &[], "Makejail").unwrap();
        assert_eq!(e.lines[2].as_deref(), Some("CMD 1"));
        assert_eq!(e.warnings.len(), 1);
    }
}
