//! `jailwright fmt`: one canonical layout per dialect that never changes
//! what a template means. Each rewritten line is checked by reading the
//! template again: a rewrite that would change a single step, stage or
//! problem is not made (a space-indented Bastille keyword, a lowercase
//! Makejail keyword, a `\ ` that is not a continuation stay as written).
//!
//! The layout: keywords in upper case (Bastille reads them in any case),
//! one space between keyword and arguments, one space between a pot
//! command's words, no trailing blanks, no run of blank lines, no blank
//! lines at the start or end. Comments stay where they are; the presence
//! of a final newline is kept (Bastille never reads a last line without
//! one, so adding it would add a step).

use crate::dialect::{Bindings, bastille, makejail, pot};
use crate::document::Document;
use crate::ir::Dialect;
use crate::source::SourceFile;

/// How many single-line rewrites are tried one by one when rewriting them
/// all at once would change the meaning.
const MAX_SINGLE_TRIES: usize = 2000;

/// How many bytes of template the one-by-one tries may read again in all:
/// each try reads the whole template, so a large template gets fewer
/// tries (2000 up to 2 KiB, then fewer) and formatting stays linear in
/// its size.
const SINGLE_TRIES_BUDGET: usize = 4 << 20;

/// The canonical text of one template file of `dialect` (a pot flavour's
/// command file; scripts are left alone).
pub fn format(dialect: Dialect, path: &str, text: &str) -> String {
    let read = |candidate: &str| meaning(&reparse(dialect, path, candidate));
    let doc = reparse(dialect, path, text);
    let original = meaning(&doc);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let continued = continuation_lines(&doc, &lines);
    let rewritten: Vec<String> = lines
        .iter()
        .zip(&continued)
        .map(|(&line, &continues)| {
            let canonical = canonical_line(dialect, line);
            // A continued line holds no keyword: its rewrite is kept only
            // when the reader sees the same text. (Trying each of them, each
            // rejected by a read of the whole template, made formatting
            // quadratic in the number of continued lines.)
            if continues && !reads_the_same(dialect, line, &canonical) {
                line.to_string()
            } else {
                canonical
            }
        })
        .collect();
    let all = assemble(&rewritten);
    if read(&all) == original {
        return all;
    }
    // Accept the rewrites one at a time, each checked.
    let tries = MAX_SINGLE_TRIES.min(SINGLE_TRIES_BUDGET / text.len().max(1));
    let mut accepted: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&i| rewritten[i] != lines[i])
        .take(tries)
        .collect();
    for i in changed {
        let before = std::mem::replace(&mut accepted[i], rewritten[i].clone());
        if read(&accepted.concat()) != original {
            accepted[i] = before;
        }
    }
    let blanks_collapsed = assemble(&accepted);
    if read(&blanks_collapsed) == original {
        blanks_collapsed
    } else {
        accepted.concat()
    }
}

/// Which physical lines continue a logical line begun on an earlier one,
/// as the dialect's reader joined them.
fn continuation_lines(doc: &Document, lines: &[&str]) -> Vec<bool> {
    let mut starts = Vec::with_capacity(lines.len());
    let mut offset = 0;
    for line in lines {
        starts.push(offset);
        offset += line.len();
    }
    let mut continued = vec![false; lines.len()];
    let pieces = doc
        .lines
        .iter()
        .filter(|l| l.source == 0)
        .flat_map(|l| l.pieces.iter().skip(1));
    for piece in pieces {
        let line = starts.partition_point(|&s| s <= piece.file);
        if let Some(flag) = line.checked_sub(1).and_then(|i| continued.get_mut(i)) {
            *flag = true;
        }
    }
    continued
}

/// Whether the dialect's line reader makes the same of two versions of a
/// continued line: the same text, joined to the next line or not in the
/// same way (a next line is added to tell).
fn reads_the_same(dialect: Dialect, a: &str, b: &str) -> bool {
    let probe = |line: &str| format!("{}\nZ\n", line.strip_suffix('\n').unwrap_or(line));
    let texts = |line: &str| -> Vec<String> {
        match dialect {
            Dialect::Bastille => bastille::lines::logical_lines(&probe(line), 0)
                .into_iter()
                .map(|l| l.text)
                .collect(),
            Dialect::Makejail => makejail::lines::logical_lines(&probe(line), 0)
                .into_iter()
                .map(|l| l.line.text)
                .collect(),
            // pot joins no lines.
            Dialect::Pot => vec![line.to_string()],
        }
    };
    texts(a) == texts(b)
}

/// Whether two texts of a template file mean the same to its manager.
pub fn same_meaning(dialect: Dialect, path: &str, a: &str, b: &str) -> bool {
    meaning(&reparse(dialect, path, a)) == meaning(&reparse(dialect, path, b))
}

fn reparse(dialect: Dialect, path: &str, text: &str) -> Document {
    let source = SourceFile::new(path, text.as_bytes());
    match dialect {
        Dialect::Bastille => bastille::parse(source, &Bindings::default()),
        Dialect::Makejail => makejail::parse(source, &Bindings::default()),
        Dialect::Pot => {
            let name = std::path::Path::new(path)
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            pot::parse(vec![pot::Flavour {
                name,
                commands: Some(source),
                script: None,
            }])
        }
    }
}

/// What must not change: every step's meaning and stage, the run order,
/// and the problems the manager would meet. A digest of their description
/// (the description of a large template is many times its size).
fn meaning(doc: &Document) -> [u8; 32] {
    use sha2::Digest as _;
    use std::fmt::Write as _;
    /// Text written into a hash as it is formatted.
    struct Hashing(sha2::Sha256);
    impl std::fmt::Write for Hashing {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.update(s.as_bytes());
            Ok(())
        }
    }
    let mut out = Hashing(sha2::Sha256::new());
    // (writing into a hash cannot fail)
    for step in &doc.template.steps {
        let _ = writeln!(
            out,
            "{}|{:?}|{:?}|{:?}",
            step.name, step.instruction, step.args, step.stage
        );
    }
    let _ = writeln!(out, "{:?}", doc.template.execution);
    for p in &doc.problems {
        let _ = writeln!(out, "{:?}|{}", p.kind, p.message);
    }
    out.0.finalize().into()
}

/// A physical line in the canonical layout (its newline kept).
fn canonical_line(dialect: Dialect, line: &str) -> String {
    let (body, end) = match line.strip_suffix('\n') {
        Some(b) => (b, "\n"),
        None => (line, ""),
    };
    let body = body.trim_end_matches([' ', '\t']);
    let trimmed = body.trim_start();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return format!("{body}{end}");
    }
    let out = match dialect {
        Dialect::Pot => trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
        Dialect::Bastille | Dialect::Makejail => match trimmed.split_once([' ', '\t']) {
            Some((keyword, rest)) => format!(
                "{} {}",
                keyword.to_uppercase(),
                rest.trim_start_matches([' ', '\t'])
            ),
            None => trimmed.to_uppercase(),
        },
    };
    format!("{out}{end}")
}

/// Lines joined with runs of blank lines collapsed and none at the ends.
fn assemble(lines: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let blank = line.trim().is_empty();
        let previous_blank = out.last().is_none_or(|l| l.trim().is_empty());
        if blank && previous_blank {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut text = out.concat();
    // Keep a final newline only if the original had one on its last line.
    if lines.last().is_some_and(|l| !l.ends_with('\n')) && text.ends_with('\n') {
        text.pop();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bastille_keywords_and_spacing_become_canonical() {
        let text = "# web\npkg  nginx\n\n\n\nSysrc nginx_enable=YES   \nCMD echo a \\\n  b\n\n";
        assert_eq!(
            format(Dialect::Bastille, "Bastillefile", text),
            "# web\nPKG nginx\n\nSYSRC nginx_enable=YES\nCMD echo a \\\n  b\n"
        );
    }

    #[test]
    fn a_rewrite_that_changes_the_meaning_is_not_made() {
        // Indented with spaces, bastille reads the keyword as part of the
        // arguments; a lowercase Makejail keyword is unknown to AppJail.
        let text = "  PKG nginx\nCMD true\n";
        assert_eq!(format(Dialect::Bastille, "Bastillefile", text), text);
        let text = "pkg nginx\n";
        assert_eq!(format(Dialect::Makejail, "Makejail", text), text);
        // No final newline: bastille never reads the last line, so none
        // is added.
        let text = "CMD a\ncmd  b";
        assert_eq!(
            format(Dialect::Bastille, "Bastillefile", text),
            "CMD a\nCMD b"
        );
    }

    #[test]
    fn formatting_is_idempotent() {
        for (dialect, text) in [
            (Dialect::Bastille, "arg X=1\n\n\ncp a /b\n"),
            (Dialect::Makejail, "OPTION   start\nCMD  echo hi\n\n"),
            (Dialect::Pot, "set-attribute  -A persistent   -V NO\n"),
        ] {
            let once = format(dialect, "f", text);
            assert_eq!(format(dialect, "f", &once), once);
        }
    }
}
