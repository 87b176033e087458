//! What each Bastillefile keyword means (template.sh's `case $cmd`), given
//! its argument text after ARG substitution.

use super::args;
use super::keywords::{self, Keyword};
use super::substitution::Replacements;
use crate::dialect::Bindings;
use crate::ir::{CmdOptions, CopyFrom, Instruction, PkgAction, Runner};
use crate::shell;

/// The words the host shell's `eval` gives a command: quotes removed, cut
/// at the first control operator or comment. A syntax error makes the
/// eval fail, so there are no words.
pub fn host_words(text: &str) -> Vec<String> {
    let Ok(tokens) = shell::parse(text) else {
        return Vec::new();
    };
    shell::simple_command(&tokens)
        .into_iter()
        .filter_map(|t| match &t.kind {
            shell::TokenKind::Word { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

/// What `echo TEXT` prints of a text given as one word: FreeBSD sh's echo
/// takes a lone `-n` or `-e` as an option and prints nothing.
fn echoed(text: &str) -> &str {
    if text == "-n" || text == "-e" {
        ""
    } else {
        text
    }
}

/// Reads one instruction: its meaning and its argument words. ARG lines
/// also extend `replacements` for the lines after them.
pub fn read(
    lower: &str,
    text: &str,
    bindings: &Bindings,
    replacements: &mut Replacements,
) -> (Instruction, Vec<String>) {
    let words = || host_words(text);
    match keywords::classify(lower) {
        Keyword::Arg => args::declare(text, false, bindings, replacements),
        Keyword::ArgRequired => args::declare(text, true, bindings, replacements),
        // The text goes to the jail's `sh -c` untouched (after a trip
        // through `echo`, which eats a lone `-n` or `-e`).
        Keyword::Cmd => {
            let script = echoed(text).to_string();
            (
                Instruction::Cmd {
                    script: script.clone(),
                    options: CmdOptions::default(),
                },
                vec![script],
            )
        }
        Keyword::Cp => cp(text),
        Keyword::Overlay => {
            let w = words();
            let dir = w.first().cloned().unwrap_or_default();
            (Instruction::Overlay { dir }, w)
        }
        Keyword::Include => {
            let w = words();
            let target = w.first().cloned().unwrap_or_default();
            let rest = w.iter().skip(1).cloned().collect();
            (Instruction::Include { target, args: rest }, w)
        }
        Keyword::Pkg | Keyword::Hpkg => {
            let w = words();
            let runner = if keywords::classify(lower) == Keyword::Hpkg {
                Runner::Host
            } else {
                Runner::Jail
            };
            (
                Instruction::Pkg {
                    packages: w.clone(),
                    runner,
                    action: PkgAction::Install,
                },
                w,
            )
        }
        Keyword::Tags => tags(text),
        // The whole rest of the line is one path: no shell parsing.
        Keyword::Render => (
            Instruction::Render {
                path: text.to_string(),
                vars: crate::ir::Vars::pending(replacements.pushed().len()),
            },
            vec![text.to_string()],
        ),
        Keyword::LineInFile => {
            let w = words();
            let nth = |i: usize| w.get(i).cloned().unwrap_or_default();
            (
                Instruction::LineInFile {
                    line: nth(0),
                    file: nth(1),
                },
                w,
            )
        }
        Keyword::Mount => (
            Instruction::Mount {
                args: words(),
                flags: Vec::new(),
            },
            words(),
        ),
        Keyword::Sysrc => (
            Instruction::Sysrc {
                args: words(),
                runner: Runner::Jail,
            },
            words(),
        ),
        Keyword::Service => (
            Instruction::Service {
                args: words(),
                runner: Runner::Jail,
            },
            words(),
        ),
        Keyword::Rdr => (Instruction::Rdr { args: words() }, words()),
        Keyword::Config => (Instruction::Config { args: words() }, words()),
        Keyword::Limits => (Instruction::Limits { args: words() }, words()),
        Keyword::Restart => (Instruction::Restart, words()),
        Keyword::Passthrough => {
            let known = keywords::subcommand(lower);
            (
                Instruction::Passthrough {
                    subcommand: known.unwrap_or(lower).to_string(),
                    args: words(),
                    known: known.is_some(),
                },
                words(),
            )
        }
    }
}

/// CP's sources and destination.
fn cp(text: &str) -> (Instruction, Vec<String>) {
    // Only a text starting with `/` or `"/` is a host path; anything
    // else is prefixed with the template directory.
    let from = if text.starts_with('/') || text.starts_with("\"/") {
        CopyFrom::Host
    } else {
        CopyFrom::Template
    };
    let w = host_words(text);
    let (sources, destination) = match w.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.to_vec(), last.clone()),
        _ => (w.clone(), String::new()),
    };
    (
        Instruction::Cp {
            sources,
            destination,
            from,
            flags: Vec::new(),
        },
        w,
    )
}

/// TAGS's tags.
fn tags(text: &str) -> (Instruction, Vec<String>) {
    // `args="add $(echo ${args} | tr ' ' ,)"`: every space becomes a
    // comma, then tags.sh splits on commas.
    let w = host_words(&echoed(text).replace(' ', ","));
    let tags = w
        .iter()
        .flat_map(|word| word.split(','))
        .map(str::to_string)
        .collect();
    (Instruction::Tags { tags }, w)
}
