//! File edits apply does natively inside a root, as pure functions over
//! file contents: sysrc(8) on rc.conf-style files, and LINE_IN_FILE.

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

/// Reads sysrc's arguments: `-f FILE`, `-x NAME...`, `NAME=VALUE`,
/// `NAME+=VALUE`, `NAME-=VALUE`.
pub fn sysrc_args(args: &[String]) -> Result<SysrcEdit, String> {
    let mut edit = SysrcEdit {
        file: "/etc/rc.conf".into(),
        changes: Vec::new(),
    };
    let mut delete = false;
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-f" => edit.file = words.next().ok_or("sysrc: -f needs a file")?.clone(),
            "-x" => delete = true,
            "-q" | "-i" => {}
            flag if flag.starts_with('-') => {
                return Err(format!("sysrc: {flag} is not supported by apply"));
            }
            _ if delete => edit.changes.push(Change::Delete(word.clone())),
            _ => {
                let Some((name, value)) = word.split_once('=') else {
                    return Err(format!("sysrc: {word}: reading a value is not an edit"));
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
}
