//! JW311: LIMITS with a word too many or too few. A template's `LIMITS
//! OPTION VALUE` runs `bastille limits JAIL OPTION VALUE`, which takes at
//! most four arguments (limits.sh:88-90, usage and exit 1 beyond) and
//! reads an implicit `add` when the first word is not an action
//! (limits.sh:95-103): then only OPTION and VALUE are read (limits.sh:
//! 154-155) and a third word is **silently ignored**: `LIMITS datasize
//! 20G ${DISKLIMIT}` limits datasize to 20G, whatever DISKLIMIT says.
//! Likewise `remove OPTION` reads one word and `clear`, `reset`, `stats`
//! none. Flags (`-a`, `-l`) are not read in a template: they come after
//! the jail's name, where bastille takes them for the resource.

use super::{BASTILLE, args_span, steps_of, text_span};
use crate::document::Document;
use crate::ir::Step;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW311",
    name: "limits-arity",
    severity: Severity::Warning,
    dialects: BASTILLE,
    summary: "LIMITS with a value bastille ignores, or more words than it takes",
    check,
    fixable: false,
    opt_in: false,
};

/// What `bastille limits` reads after the jail's name, by action: the
/// words it reads (action included).
fn words_read(first: &str) -> usize {
    match first {
        "add" => 3,
        "remove" => 2,
        "list" | "show" => 2,
        "clear" | "reset" | "stats" => 1,
        _ => 2,
    }
}

fn check(doc: &Document, report: &mut Report) {
    for step in steps_of(doc, "LIMITS") {
        let n = step.args.len();
        let Some(first) = step.args.first() else {
            report.emit_as(
                Severity::Error,
                step.span.clone(),
                "LIMITS without a resource and a value: bastille limits prints its usage and the template fails",
                "write LIMITS RESOURCE VALUE (LIMITS memoryuse 1G)",
            );
            continue;
        };
        let read = words_read(first);
        if first.starts_with('-') {
            report.emit_as(
                Severity::Error,
                word_span(doc, step, 0),
                format!("bastille limits reads `{first}` as the resource here: in a template its flags come after the jail's name, where they are not options (limits.sh:58-86)"),
                "remove the flag: LIMITS RESOURCE VALUE",
            );
        } else if n + 1 > 4 {
            report.emit_as(
                Severity::Error,
                word_span(doc, step, 4.min(n - 1)),
                format!("LIMITS with {n} words: bastille limits takes at most 3 after the jail's name (limits.sh:88-90), prints its usage and the template fails"),
                "one limit per line: LIMITS RESOURCE VALUE",
            );
        } else if n > read {
            let extra = step.args[read..].join(" ");
            report.emit(
                word_span(doc, step, read),
                format!("bastille limits ignores `{extra}`: it reads {} (limits.sh:95-103, 154-155)", what_is_read(first)),
                "one limit per line: LIMITS RESOURCE VALUE; remove the extra word or put the value you mean in its place",
            );
        } else if first == "add" && n < 3 || !is_action(first) && n < 2 {
            report.emit_as(
                Severity::Error,
                args_span(doc, step),
                "LIMITS without a value: bastille limits adds an rctl rule with an empty amount, which rctl refuses",
                "write LIMITS RESOURCE VALUE (LIMITS memoryuse 1G)",
            );
        }
    }
}

fn is_action(word: &str) -> bool {
    matches!(
        word,
        "add" | "remove" | "clear" | "list" | "show" | "reset" | "stats"
    )
}

fn what_is_read(first: &str) -> &'static str {
    match first {
        "add" => "add RESOURCE VALUE",
        "remove" => "remove RESOURCE",
        "list" | "show" => "list [active]",
        "clear" | "reset" | "stats" => "the action alone",
        _ => "RESOURCE VALUE only",
    }
}

/// The span of word `index` as written (the whole text when an ARG made
/// more words than the text shows).
fn word_span(doc: &Document, step: &Step, index: usize) -> crate::ir::Span {
    let written: Vec<(usize, &str)> = step
        .text
        .split(' ')
        .scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, word)| !word.is_empty())
        .collect();
    match written.get(index) {
        Some((start, word)) if written.len() == step.args.len() => {
            text_span(doc, step, *start, start + word.len())
        }
        _ => args_span(doc, step),
    }
}
