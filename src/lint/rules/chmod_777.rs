//! JW908: `chmod 777` (or `a+rwx`, `-R 777`). Every user of the jail, and
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
            if words.first() != Some(&"chmod") {
                continue;
            }
            let mode = words[1..].iter().find(|w| !w.starts_with('-'));
            if mode.is_some_and(|m| world_writable(m)) {
                report.emit(
                    line.span_of(doc, "chmod"),
                    "chmod 777: every user of the jail can change these files",
                    "chown the files to the service's user and keep 755/644",
                );
            }
        }
    }
}

/// A mode that lets every user change the files, without the sticky bit
/// that makes a shared directory safe (`1777`).
fn world_writable(mode: &str) -> bool {
    let octal = mode.trim_start_matches('0');
    let numeric = !mode.is_empty() && mode.bytes().all(|b| (b'0'..=b'7').contains(&b));
    if numeric {
        return octal.ends_with("777") && !(octal.len() == 4 && octal.starts_with(['1', '3', '5', '7']));
    }
    mode == "a+rwx" || mode == "ugo+rwx"
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
