//! The grammars in grammar/ stay true: each example parses to the `parse`
//! block that follows it.

use jailwright::dialect::pot::{self, Flavour};
use jailwright::dialect::{Bindings, bastille, makejail};
use jailwright::document::Document;
use jailwright::ir::Step;
use jailwright::source::SourceFile;

/// (example, expected parse lines) pairs of a language, in document order.
fn examples(doc: &str, language: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        if let Some(lang) = line.strip_prefix("```")
            && !lang.is_empty()
        {
            let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
            let mut body = body.join("\n");
            body.push('\n');
            blocks.push((lang.to_string(), body));
        }
    }
    blocks
        .windows(2)
        .filter(|w| w[0].0 == language && w[1].0 == "parse")
        .map(|w| (w[0].1.clone(), w[1].1.clone()))
        .collect()
}

/// Checks every `language` example of `doc`: `read` parses it, and each
/// step prints as `line(step)`.
fn check(
    doc: &str,
    language: &str,
    read: impl Fn(&[u8]) -> Document,
    line: impl Fn(&Step) -> String,
) {
    let examples = examples(doc, language);
    assert!(!examples.is_empty(), "no {language} examples");
    for (input, expected) in examples {
        let actual: String = read(input.as_bytes())
            .template
            .steps
            .iter()
            .map(|s| format!("{}\n", line(s)))
            .collect();
        assert_eq!(actual, expected, "example:\n{input}");
    }
}

fn args(step: &Step) -> String {
    serde_json::to_string(&step.args).unwrap()
}

#[test]
fn bastillefile_grammar_examples_parse_as_documented() {
    check(
        include_str!("../../grammar/bastillefile.md"),
        "bastillefile",
        |b| bastille::parse(SourceFile::new("Bastillefile", b), &Bindings::default()),
        |s| format!("{} {}", s.name, args(s)),
    );
}

#[test]
fn makejail_grammar_examples_parse_as_documented() {
    check(
        include_str!("../../grammar/makejail.md"),
        "makejail",
        |b| makejail::parse(SourceFile::new("Makejail", b), &Bindings::default()),
        |s| {
            format!(
                "[{}] {} {}",
                s.stage.as_deref().unwrap_or_default(),
                s.name,
                args(s)
            )
        },
    );
}

#[test]
fn pot_flavour_grammar_examples_parse_as_documented() {
    check(
        include_str!("../../grammar/pot-flavour.md"),
        "flavour",
        |b| {
            pot::parse(vec![Flavour {
                name: "web".into(),
                commands: Some(SourceFile::new("web", b)),
                script: None,
            }])
        },
        |s| format!("{} {}", s.name, args(s)),
    );
}
