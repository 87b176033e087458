//! File edits apply does natively inside a root, as pure functions over
//! file contents: sysrc(8) on rc.conf-style files, LINE_IN_FILE, RENDER
//! and REPLACE.

use crate::dialect::bastille::substitution::Replacements;
use regex::Regex;

/// One file edit sysrc asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SysrcEdit {
    /// The file inside the root (`-f FILE`, default /etc/rc.conf).
    pub file: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Set(String, String),
    Append(String, String),
    Remove(String, String),
    Delete(String),
}

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("sysrc: -f needs a file")]
    SysrcFileMissing,
    #[error("sysrc: {flag} is not supported by apply")]
    SysrcFlag { flag: String },
    #[error("sysrc: {word}: reading a value is not an edit")]
    SysrcRead { word: String },
    #[error("{keyword}: Invalid variable name.")]
    InvalidKeyword { keyword: String },
    /// REPLACE's keyword is not in `file` (AppJail's message).
    #[error("{keyword}: variable is not defined in the {file} file.")]
    KeywordMissing { keyword: String, file: String },
}

/// Reads sysrc's arguments: `-f FILE`, `-x NAME...`, `NAME=VALUE`,
/// `NAME+=VALUE`, `NAME-=VALUE`.
pub fn sysrc_args(args: &[String]) -> Result<SysrcEdit, EditError> {
    let mut edit = SysrcEdit {
        file: "/etc/rc.conf".into(),
        changes: Vec::new(),
    };
    let mut delete = false;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-f" => edit.file = words.next().ok_or(EditError::SysrcFileMissing)?.clone(),
            "-x" => delete = true,
            "-q" | "-i" => {}
            flag if flag.starts_with('-') => {
                return Err(EditError::SysrcFlag {
                    flag: flag.to_string(),
                });
            }
            _ if delete => edit.changes.push(Change::Delete(word.clone())),
            _ => {
                let Some((name, value)) = word.split_once('=') else {
                    return Err(EditError::SysrcRead { word: word.clone() });
                };
                let change = if let Some(n) = name.strip_suffix('+') {
                    Change::Append(n.into(), value.into())
                } else if let Some(n) = name.strip_suffix('-') {
                    Change::Remove(n.into(), value.into())
                } else {
                    Change::Set(name.into(), value.into())
                };
                edit.changes.push(change);
            }
        }
    }
    Ok(edit)
}

/// The value a file assigns to `name` (its last assignment).
fn current(content: &str, name: &str) -> Option<String> {
    content.lines().rev().find_map(|l| {
        let value = l.trim_start().strip_prefix(name)?.strip_prefix('=')?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        Some(value.trim_matches('"').to_string())
    })
}

/// Applies sysrc changes to a file's content: an assignment replaces the
/// last line that sets the name, or is appended.
pub fn apply_sysrc(content: &str, changes: &[Change]) -> String {
    let mut lines: Vec<String> = content.lines().map(str::to_string).collect();
    for change in changes {
        let name = match change {
            Change::Set(n, _) | Change::Append(n, _) | Change::Remove(n, _) | Change::Delete(n) => {
                n
            }
        };
        let text: String = lines.join("\n");
        let old = current(&text, name);
        let new = match change {
            Change::Set(_, v) => Some(v.clone()),
            Change::Append(_, v) => {
                let mut words: Vec<String> = old
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                if !words.contains(v) {
                    words.push(v.clone());
                }
                Some(words.join(" "))
            }
            Change::Remove(_, v) => Some(
                old.unwrap_or_default()
                    .split_whitespace()
                    .filter(|w| w != v)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Change::Delete(_) => None,
        };
        let is_assignment = |l: &String| {
            l.trim_start()
                .strip_prefix(name.as_str())
                .is_some_and(|r| r.starts_with('='))
        };
        match new {
            None => lines.retain(|l| !is_assignment(l)),
            Some(value) => {
                let line = format!("{name}=\"{value}\"");
                match lines.iter().rposition(is_assignment) {
                    Some(at) => lines[at] = line,
                    None => lines.push(line),
                }
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// LINE_IN_FILE: the content with `line` appended unless a line equals it.
pub fn line_in_file(content: Option<&str>, line: &str) -> Option<String> {
    let content = content.unwrap_or_default();
    if content.lines().any(|l| l == line) {
        return None;
    }
    let mut out = content.to_string();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    Some(out)
}

/// RENDER over one file's bytes: the sed chain run line by line (lines that
/// are not UTF-8 are left as they are). `None` when nothing changes.
pub fn render(content: &[u8], replacements: &Replacements) -> Option<Vec<u8>> {
    if replacements.is_broken() {
        return None;
    }
    let mut out = Vec::with_capacity(content.len());
    for line in content.split_inclusive(|&b| b == b'\n') {
        let (body, end) = match line.strip_suffix(b"\n") {
            Some(body) => (body, &b"\n"[..]),
            None => (line, &b""[..]),
        };
        match std::str::from_utf8(body) {
            Ok(text) if text.contains("${") => {
                out.extend(replacements.apply(text).as_bytes());
            }
            _ => out.extend(body),
        }
        out.extend(end);
    }
    (out != content).then_some(out)
}

/// AppJail's REPLACE (lib/replace `lib_replace_var`): every `%{KEYWORD}`
/// not preceded by `%` becomes `value`, line by line, matches taken left
/// to right without overlap (so in `%{K}%{K}` only the first is replaced,
/// as sed does); `&` in the value stands for the matched text. `file`
/// names the file in the error.
pub fn replace_keyword(
    text: &str,
    keyword: &str,
    value: &str,
    file: &str,
) -> Result<String, EditError> {
    let valid = Regex::new("^[a-zA-Z_][a-zA-Z0-9_]*$").expect("valid regex");
    if !valid.is_match(keyword) {
        return Err(EditError::InvalidKeyword {
            keyword: keyword.to_string(),
        });
    }
    let token = format!("%{{{keyword}}}");
    let pattern = Regex::new(&format!("(^|[^%]){}", regex::escape(&token))).expect("valid regex");
    if !text.lines().any(|l| pattern.is_match(l)) {
        return Err(EditError::KeywordMissing {
            keyword: keyword.to_string(),
            file: file.to_string(),
        });
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = line
            .strip_suffix('\n')
            .map_or((line, ""), |body| (body, "\n"));
        let replaced = pattern.replace_all(body, |c: &regex::Captures| {
            let whole = &c[0];
            format!("{}{}", &c[1], value.replace('&', whole))
        });
        out.push_str(&replaced);
        out.push_str(end);
    }
    Ok(out)
}

/// After REPLACE, AppJail turns `%%{KEYWORD}` into `%{KEYWORD}` in the
/// file it read (lib_replace_escaped_macrovars).
pub fn unescape_keyword(text: &str, keyword: &str) -> String {
    text.replace(&format!("%%{{{keyword}}}"), &format!("%{{{keyword}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn sets_appends_removes_and_deletes() {
        let edit = sysrc_args(&args("nginx_enable=YES ifaces+=lo1 ifaces-=lo0")).unwrap();
        let out = apply_sysrc("hostname=\"x\"\nifaces=\"lo0 em0\"\n", &edit.changes);
        assert_eq!(
            out,
            "hostname=\"x\"\nifaces=\"em0 lo1\"\nnginx_enable=\"YES\"\n"
        );
        let edit = sysrc_args(&args("-x hostname")).unwrap();
        assert_eq!(
            apply_sysrc(&out, &edit.changes),
            "ifaces=\"em0 lo1\"\nnginx_enable=\"YES\"\n"
        );
    }

    #[test]
    fn other_files_and_unsupported_flags() {
        let edit = sysrc_args(&args("-f /etc/periodic.conf daily_x=NO")).unwrap();
        assert_eq!(edit.file, "/etc/periodic.conf");
        assert!(sysrc_args(&args("-n hostname")).is_err());
        assert!(sysrc_args(&args("hostname")).is_err());
    }

    #[test]
    fn line_in_file_appends_once() {
        assert_eq!(line_in_file(Some("a\n"), "b").as_deref(), Some("a\nb\n"));
        assert_eq!(line_in_file(Some("a\nb\n"), "b"), None);
        assert_eq!(line_in_file(None, "b").as_deref(), Some("b\n"));
    }

    fn chain(pairs: &[(&str, &str)]) -> Replacements {
        let owned: Vec<(String, String)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        Replacements::from_pushed(&owned)
    }

    #[test]
    fn render_substitutes_line_by_line_and_leaves_other_bytes_alone() {
        let r = chain(&[("PORT", "8080"), ("HOST", "${PORT}.example")]);
        let text = b"listen ${PORT};\nserver ${HOST}\n\xff ${PORT} binary\nno newline ${PORT}";
        let out = render(text, &r).unwrap();
        assert_eq!(
            out,
            b"listen 8080;\nserver ${PORT}.example\n\xff ${PORT} binary\nno newline 8080".to_vec(),
            "sed's chain runs in order (a later rule is not re-run), a non-UTF-8 line is kept"
        );
        assert_eq!(render(b"nothing here\n", &r), None);
    }

    #[test]
    fn render_with_a_broken_chain_changes_nothing() {
        let r = chain(&[("A/B", "x"), ("PORT", "80")]);
        assert_eq!(
            render(b"${PORT}\n", &r),
            None,
            "sed refuses the whole chain"
        );
    }

    #[test]
    fn replace_keyword_follows_lib_replace_var() {
        assert_eq!(
            replace_keyword(
                "port=%{PORT}\n%{PORT}%{PORT}\nkeep %%{PORT}\n",
                "PORT",
                "80",
                "f"
            )
            .unwrap(),
            "port=80\n80%{PORT}\nkeep %%{PORT}\n",
            "matches do not overlap (the char before the second was eaten), %% escapes"
        );
        assert_eq!(
            replace_keyword("x%{K}\n", "K", "<&>", "f").unwrap(),
            "x<x%{K}>\n",
            "& is sed's whole match"
        );
        assert!(replace_keyword("nothing\n", "K", "v", "f").is_err());
        assert!(replace_keyword("%{K-1}\n", "K-1", "v", "f").is_err());
        assert_eq!(unescape_keyword("a %%{K} %%{L}", "K"), "a %{K} %%{L}");
    }
}
