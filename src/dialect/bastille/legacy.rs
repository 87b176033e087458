//! Bastille's legacy template layout: a directory of hook files (PKG,
//! SYSRC, CMD, OVERLAY, ...) and no Bastillefile.
//!
//! bastille 0.7 to 1.2.2 ran the hooks in a fixed order (the ARG file
//! first); 1.3.0 and later ignore them and only `bastille template convert`
//! reads them. jailwright reads them with the meaning they had when they
//! ran: PRE and CMD are one shell script each (`bastille cmd JAIL /bin/sh <
//! FILE`), PKG is one install of every package listed, and the other hooks
//! hold one item per line.

use super::args;
use super::substitution::Replacements;
use crate::dialect::physical::physical_lines;
use crate::dialect::{Bindings, Scope};
use crate::document::{Document, LogicalLine, span_of};
use crate::ir::{CmdOptions, Dialect, Instruction, Layout, PkgAction, Runner, Step, Template};
use crate::source::SourceFile;
use std::path::Path;

/// Hook files in the order bastille ran them (template.sh @1.2.2).
pub const HOOKS: [&str; 14] = [
    "ARG", "TARGET", "LIMITS", "INCLUDE", "PRE", "FSTAB", "PF", "PKG", "OVERLAY", "CONFIG",
    "SYSRC", "SERVICE", "CMD", "RENDER",
];

/// A directory is a legacy template when it holds a hook file and no
/// Bastillefile.
pub fn is_legacy_dir(dir: &Path) -> bool {
    let names = listing(dir);
    let bastillefile =
        names.iter().any(|n| n == "Bastillefile") && dir.join("Bastillefile").exists();
    !bastillefile
        && HOOKS
            .iter()
            .any(|hook| names.iter().any(|n| n == hook) && dir.join(hook).is_file())
}

/// The names in `dir` (one read of the directory instead of a lookup per
/// hook name; empty when it cannot be read).
fn listing(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name())
        .collect()
}

/// Reads every hook file of `dir` into one template, only inside `scope`
/// (a hook that is a FIFO or a device is refused, not skipped).
pub fn parse_dir(dir: &Path, bindings: &Bindings, scope: &Scope) -> std::io::Result<Document> {
    let mut sources = Vec::new();
    let names = listing(dir);
    for hook in HOOKS {
        if !names.iter().any(|n| n == hook) {
            continue;
        }
        let path = dir.join(hook);
        if path.exists() && !path.is_dir() {
            sources.push(
                scope
                    .read(&path)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{hook}: {e}")))?,
            );
        }
    }
    Ok(parse_hooks(sources, bindings))
}

/// Reads hook files already in memory (their file names say which hook
/// each one is), in bastille's order.
pub fn parse_hooks(mut sources: Vec<SourceFile>, bindings: &Bindings) -> Document {
    sources.sort_by_key(|s| HOOKS.iter().position(|h| Some(*h) == hook_name(s)));
    let mut lines = Vec::new();
    let mut steps = Vec::new();
    let mut replacements = Replacements::with_builtins(bindings);
    for (index, source) in sources.iter().enumerate() {
        let Some(hook) = hook_name(source) else {
            continue;
        };
        let mut push = |line: LogicalLine, instruction: Instruction, args: Vec<String>| {
            let (start, end) = line.file_range();
            steps.push(Step {
                span: span_of(source, start, end),
                name: hook.to_string(),
                written_keyword: hook.to_string(),
                text: line.text.clone(),
                args,
                instruction,
                stage: None,
                line_index: lines.len(),
            });
            lines.push(line);
        };
        match hook {
            // One script for the jail's sh, fed on stdin: no substitution.
            "PRE" | "CMD" => {
                if !source.text.trim().is_empty() {
                    let line = whole_file(source, index);
                    let script = line.text.clone();
                    push(
                        line,
                        Instruction::Cmd {
                            script: script.clone(),
                            options: CmdOptions::default(),
                        },
                        vec![script],
                    );
                }
            }
            // `bastille pkg JAIL install -y $(cat PKG)`: every word of the file.
            "PKG" => {
                let items = items(source, index);
                if let Some(first) = items.first() {
                    let packages: Vec<String> = items
                        .iter()
                        .flat_map(|l| l.text.split_whitespace().map(str::to_string))
                        .collect();
                    let mut line = whole_file(source, index);
                    line.first_line = first.first_line;
                    push(
                        line,
                        Instruction::Pkg {
                            packages: packages.clone(),
                            runner: Runner::Jail,
                            action: PkgAction::Install,
                        },
                        packages,
                    );
                }
            }
            _ => {
                for line in items(source, index) {
                    let text = replacements.apply(&line.text);
                    let words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
                    if hook == "ARG" {
                        let (instruction, args) =
                            args::declare(&text, false, bindings, &mut replacements);
                        push(line, instruction, args);
                        continue;
                    }
                    let instruction = match hook {
                        "TARGET" => Instruction::Target {
                            jails: words.clone(),
                        },
                        "LIMITS" => Instruction::Limits {
                            args: words.clone(),
                        },
                        "INCLUDE" => Instruction::Include {
                            target: words.first().cloned().unwrap_or_default(),
                            args: words.iter().skip(1).cloned().collect(),
                        },
                        "FSTAB" => Instruction::Mount {
                            args: words.clone(),
                            flags: Vec::new(),
                        },
                        "PF" => Instruction::Rdr {
                            args: words.clone(),
                        },
                        // CONFIG is the old name of OVERLAY (not jail.conf).
                        "OVERLAY" | "CONFIG" => Instruction::Overlay {
                            dir: text.trim().to_string(),
                        },
                        "SYSRC" => Instruction::Sysrc {
                            args: words.clone(),
                            runner: Runner::Jail,
                        },
                        "SERVICE" => Instruction::Service {
                            args: words.clone(),
                            runner: Runner::Jail,
                        },
                        _ => Instruction::Render {
                            path: text.trim().to_string(),
                            vars: crate::ir::Vars::pending(replacements.pushed().len()),
                        },
                    };
                    push(line, instruction, words);
                }
            }
        }
    }
    crate::ir::Vars::share(&mut steps, replacements.pushed());
    Document {
        sources,
        lines,
        template: Template {
            dialect: Dialect::Bastille,
            layout: Layout::LegacyHooks,
            steps,
            execution: Vec::new(),
        },
        siblings: Vec::new(),
        problems: Vec::new(),
    }
}

fn hook_name(source: &SourceFile) -> Option<&'static str> {
    let name = source.path.file_name()?.to_str()?;
    HOOKS.iter().copied().find(|h| *h == name)
}

/// The whole file as one line.
fn whole_file(source: &SourceFile, index: usize) -> LogicalLine {
    LogicalLine::whole(index, &source.text)
}

/// The non-empty, non-comment physical lines of a hook file.
fn items(source: &SourceFile, index: usize) -> Vec<LogicalLine> {
    physical_lines(&source.text)
        .enumerate()
        .filter(|(_, (_, text, _))| {
            let trimmed = text.trim();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
        .map(|(number, (offset, text, _))| {
            let mut line = LogicalLine::new(index, number + 1);
            line.push_piece(text, offset);
            line
        })
        .collect()
}
