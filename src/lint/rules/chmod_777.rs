//! JW908: `chmod 777` (or `a+rwx`, `-R 777`, in `find -exec`, `mkdir -m
//! 777`, `install -m 777`). Every user of the jail, and
//! every process a compromised service runs, can then change those files;
//! it usually hides an ownership problem. Give the files to the service's
//! user (`chown -R www:www ...`) and keep modes like 755/644. A sticky
//! world-writable directory (`chmod 1777 /tmp`) is the standard mode of a
//! shared temporary directory: no one can remove another user's files
//! there, so it is not reported.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::lint::shell_text::{commands, lines};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW908",
    name: "chmod-777",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "chmod 777 makes files writable by every user of the jail",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for line in lines(doc) {
        for command in commands(line.text).iter() {
            let words: Vec<&str> = command.iter().map(|(_, w)| w.as_str()).collect();
            let Some((at, mode)) = mode_set(&words) else {
                continue;
            };
            if world_writable(mode) {
                let (offset, word) = &command[at];
                report.emit(
                    line.span(doc, *offset, offset + word.len()),
                    format!("mode {mode}: every user of the jail can change these files"),
                    "chown the files to the service's user and keep 755/644",
                );
            }
        }
    }
}

/// The mode a command sets and where its word is: `chmod [-R] MODE`
/// (also after `find ... -exec`), `mkdir -m MODE`, `install -m MODE`.
fn mode_set<'w>(words: &[&'w str]) -> Option<(usize, &'w str)> {
    if let Some(at) = words.iter().position(|w| *w == "chmod") {
        let first = words.first() == Some(&"chmod") || words[..at].contains(&"-exec");
        if first {
            let (i, mode) = words[at + 1..].iter().enumerate().find(|(_, w)| !w.starts_with('-'))?;
            return Some((at + 1 + i, mode));
        }
    }
    if matches!(words.first(), Some(&"mkdir") | Some(&"install")) {
        let at = words.iter().position(|w| *w == "-m")? + 1;
        return words.get(at).map(|m| (at, *m));
    }
    None
}

/// A mode that lets every user change the files, without the sticky bit
/// that makes a shared directory safe (`1777`).
fn world_writable(mode: &str) -> bool {
    let octal = mode.trim_start_matches('0');
    let numeric = !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b));
    if numeric {
        return octal.ends_with("777") && !(octal.len() == 4 && octal.starts_with(['1', '3', '5', '7']));
    }
    matches!(mode, "a+rwx" | "ugo+rwx" | "a+rwX" | "ugo+rwX" | "a=rwx" | "o+w" | "a+w")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sticky_modes_are_not_world_writable_files() {
        for mode in ["777", "0777", "00777", "a+rwx", "ugo+rwx", "4777", "2777"] {
            assert!(super::world_writable(mode), "{mode}");
        }
        for mode in ["1777", "01777", "3777", "755", "1775", "u+rwx", "g+w"] {
            assert!(!super::world_writable(mode), "{mode}");
        }
    }
}
