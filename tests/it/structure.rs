//! The house rules of `src/` that the compiler does not check: no
//! `Result<_, String>` (errors are typed), and no two modules that import
//! each other (layers flow one way). `clippy.toml` and `src/lib.rs` enforce
//! the size of functions.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every Rust file under `src/`, with its text.
fn sources() -> Vec<(PathBuf, String)> {
    let mut all: Vec<(PathBuf, String)> = walkdir::WalkDir::new(src())
        .into_iter()
        .map(|e| e.expect("src/ is readable"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).expect("source is UTF-8");
            (e.path().to_path_buf(), text)
        })
        .collect();
    all.sort();
    all
}

/// The text without `//` comments (doc comments name paths that are not
/// imports) and without the contents of string literals.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                    out.push('"');
                }
                continue;
            }
            if c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// The generic arguments of each `Result<...>` in `code`, split at the
/// top-level commas.
fn result_arguments(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(at) = code[from..].find("Result<") {
        let start = from + at + "Result<".len();
        let preceded_by_ident = from + at > 0
            && (bytes[from + at - 1].is_ascii_alphanumeric() || bytes[from + at - 1] == b'_');
        from = start;
        if preceded_by_ident {
            continue;
        }
        let mut depth = 1;
        let mut args = vec![String::new()];
        for c in code[start..].chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => depth -= 1,
                ',' if depth == 1 => {
                    args.push(String::new());
                    continue;
                }
                _ => {}
            }
            if depth == 0 {
                break;
            }
            args.last_mut().expect("one argument at least").push(c);
        }
        found.push(
            args.iter()
                .map(|a| a.split_whitespace().collect())
                .collect(),
        );
    }
    found
}

#[test]
fn no_result_with_a_string_error_in_src() {
    let mut offenders = Vec::new();
    for (path, text) in sources() {
        for args in result_arguments(&code_only(&text)) {
            if args.len() == 2 && args[1] == "String" {
                offenders.push(format!(
                    "{}: Result<{}, String>",
                    path.strip_prefix(src()).unwrap_or(&path).display(),
                    args[0]
                ));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "errors in src/ are typed (a thiserror enum per module), never String:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_result_scanner_finds_a_string_error() {
    let code = code_only(
        "fn a() -> Result<Vec<(u8, String)>, String> {}\n// Result<u8, String>\nfn b() -> io::Result<String> {}\nfn c() -> MyResult<u8, String> {}",
    );
    let found = result_arguments(&code);
    assert_eq!(
        found,
        vec![
            vec!["Vec<(u8,String)>".to_string(), "String".to_string()],
            vec!["String".to_string()]
        ]
    );
}

/// A module's path (`crate::a::b`) from its file.
fn module_of(path: &Path) -> Vec<String> {
    let rel = path.strip_prefix(src()).expect("under src/");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// The module paths `code` (in module `me`) names: `crate::…`, `super::…`
/// and `self::…` paths, `use` trees included, as far as they are modules.
fn referenced(me: &[String], code: &str, modules: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let mut out = BTreeSet::new();
    for path in paths(code) {
        let mut segments: Vec<&str> = path.split("::").collect();
        let mut base: Vec<String> = match segments.first() {
            Some(&"crate") => Vec::new(),
            Some(&"super") | Some(&"self") => me.to_vec(),
            _ => continue,
        };
        if segments[0] == "crate" || segments[0] == "self" {
            segments.remove(0);
        }
        while segments.first() == Some(&"super") {
            segments.remove(0);
            base.pop();
        }
        for segment in segments {
            let mut next = base.clone();
            next.push(segment.to_string());
            if !modules.contains(&next) {
                break;
            }
            base = next;
        }
        out.insert(base);
    }
    out
}

/// The paths written in `code`, with `use` trees expanded
/// (`use crate::a::{b, c::d}` names `crate::a::b` and `crate::a::c::d`).
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if word(chars[i]) && (i == 0 || !word(chars[i - 1])) {
            let start = i;
            while i < chars.len() && word(chars[i]) {
                i += 1;
            }
            let path: String = chars[start..i].iter().collect();
            if path.ends_with("::") && chars.get(i) == Some(&'{') {
                let (group, end) = brace_group(&chars, i);
                for inner in paths(&group) {
                    out.push(format!("{path}{inner}"));
                }
                for item in group.split(',').map(str::trim) {
                    if item == "self" {
                        out.push(path.trim_end_matches("::").to_string());
                    }
                }
                i = end;
                continue;
            }
            out.push(path.trim_end_matches("::").to_string());
            continue;
        }
        i += 1;
    }
    out
}

/// The text inside the braces that open at `open`, and the index after them.
fn brace_group(chars: &[char], open: usize) -> (String, usize) {
    let mut depth = 0;
    for (i, c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (chars[open + 1..i].iter().collect(), i + 1);
                }
            }
            _ => {}
        }
    }
    (chars[open + 1..].iter().collect(), chars.len())
}

/// For every pair of sibling modules (children of one parent), whether
/// anything in the first's subtree names anything in the second's.
fn sibling_edges() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(p, _)| module_of(p)).collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, text) in &files {
        let me = module_of(path);
        for target in referenced(&me, &code_only(text), &modules) {
            let common = me.iter().zip(&target).take_while(|(a, b)| a == b).count();
            // A module and its ancestors or descendants are one layer.
            if common == me.len() || common == target.len() {
                continue;
            }
            let from = me[..=common].to_vec();
            let to = target[..=common].to_vec();
            edges.entry(from).or_default().insert(to);
        }
    }
    edges
}

#[test]
fn no_two_modules_import_each_other() {
    let edges = sibling_edges();
    let mut circles = Vec::new();
    for (from, tos) in &edges {
        for to in tos {
            if from < to && edges.get(to).is_some_and(|back| back.contains(from)) {
                circles.push(format!("{} <-> {}", from.join("::"), to.join("::")));
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other (layers flow one way; move what both need into a third module):\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_module_graph_sees_paths_and_use_trees() {
    let modules: BTreeSet<Vec<String>> = [vec!["a"], vec!["a", "b"], vec!["a", "c"], vec!["d"]]
        .into_iter()
        .map(|m| m.into_iter().map(String::from).collect())
        .collect();
    let me: Vec<String> = vec!["a".into(), "b".into()];
    let code = code_only("use super::c::{X, self};\nfn f() { crate::d::g(); } // crate::nothing\n");
    let got: Vec<String> = referenced(&me, &code, &modules)
        .into_iter()
        .map(|m| m.join("::"))
        .collect();
    assert_eq!(got, ["a::c", "d"]);
}
