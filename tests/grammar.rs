//! grammar/bastillefile.md stays true: each `bastillefile` example parses
//! to the `parse` block that follows it.

use jailwright::dialect::{Bindings, bastille, makejail};
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

#[test]
fn grammar_examples_parse_as_documented() {
    let doc = include_str!("../grammar/bastillefile.md");
    let examples = examples(doc, "bastillefile");
    assert!(
        examples.len() >= 5,
        "found only {} examples",
        examples.len()
    );
    for (input, expected) in examples {
        let parsed = bastille::parse(
            SourceFile::new("Bastillefile", input.as_bytes()),
            &Bindings::default(),
        );
        let actual: String = parsed
            .template
            .steps
            .iter()
            .map(|s| format!("{} {}\n", s.name, serde_json::to_string(&s.args).unwrap()))
            .collect();
        assert_eq!(actual, expected, "example:\n{input}");
    }
}

#[test]
fn makejail_grammar_examples_parse_as_documented() {
    let doc = include_str!("../grammar/makejail.md");
    let examples = examples(doc, "makejail");
    assert!(
        examples.len() >= 5,
        "found only {} examples",
        examples.len()
    );
    for (input, expected) in examples {
        let parsed = makejail::parse(
            SourceFile::new("Makejail", input.as_bytes()),
            &Bindings::default(),
        );
        let actual: String = parsed
            .template
            .steps
            .iter()
            .map(|s| {
                format!(
                    "[{}] {} {}\n",
                    s.stage.as_deref().unwrap_or_default(),
                    s.name,
                    serde_json::to_string(&s.args).unwrap()
                )
            })
            .collect();
        assert_eq!(actual, expected, "example:\n{input}");
    }
}

#[test]
fn pot_flavour_grammar_examples_parse_as_documented() {
    let doc = include_str!("../grammar/pot-flavour.md");
    let examples = examples(doc, "flavour");
    assert!(!examples.is_empty(), "no examples");
    for (input, expected) in examples {
        let parsed = jailwright::dialect::pot::parse(vec![jailwright::dialect::pot::Flavour {
            name: "web".into(),
            commands: Some(SourceFile::new("web", input.as_bytes())),
            script: None,
        }]);
        let actual: String = parsed
            .template
            .steps
            .iter()
            .map(|s| format!("{} {}\n", s.name, serde_json::to_string(&s.args).unwrap()))
            .collect();
        assert_eq!(actual, expected, "example:\n{input}");
    }
}
