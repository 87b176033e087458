//! Pragmas: `# jailwright ignore=CODE[,CODE]` silences those codes on the
//! next instruction line; `# jailwright ignore-file=CODE[,CODE]` (or
//! `ignore-file=all`) for the whole file. A code is any selector `--ignore`
//! takes: `JW301`, `cp-arity`, a family `JW3`, or ShellCheck's `SC2086`. A pragma is a comment line in
//! any dialect (and in a flavour script).

use super::Diagnostic;
use crate::document::Document;

#[derive(Debug, Default, PartialEq, Eq)]
struct Pragmas {
    /// (file, line, code): silenced on that line.
    lines: Vec<(String, usize, String)>,
    /// (file, code): silenced in that file.
    files: Vec<(String, String)>,
}

/// Removes the findings pragmas silence.
pub fn apply(doc: &Document, diagnostics: &mut Vec<Diagnostic>) {
    let pragmas = read(doc);
    let silenced = |d: &Diagnostic| {
        let code = |c: &String| d.matches(c);
        pragmas
            .files
            .iter()
            .any(|(f, c)| *f == d.span.file && code(c))
            || pragmas
                .lines
                .iter()
                .any(|(f, l, c)| *f == d.span.file && *l == d.span.line && code(c))
    };
    diagnostics.retain(|d| !silenced(d));
}

fn read(doc: &Document) -> Pragmas {
    let mut pragmas = Pragmas::default();
    for source in &doc.sources {
        let lines: Vec<&str> = source.text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix("jailwright") else {
                continue;
            };
            // `ignore=X`, `ignore = X`, `jailwright: ignore=X`.
            let Some((key, list)) = rest.trim_start_matches(':').split_once('=') else {
                continue;
            };
            let (key, list) = (key.trim(), list.trim());
            let codes = |list: &str| -> Vec<String> {
                list.split(',')
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            };
            if key == "ignore-file" {
                for code in codes(list) {
                    pragmas.files.push((source.name.clone(), code));
                }
            } else if key == "ignore" {
                // The next line that is neither blank nor a comment.
                let target = lines
                    .iter()
                    .enumerate()
                    .skip(i + 1)
                    .find(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .map(|(n, _)| n + 1);
                if let Some(target) = target {
                    for code in codes(list) {
                        pragmas.lines.push((source.name.clone(), target, code));
                    }
                }
            }
        }
    }
    pragmas
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Bindings, bastille};
    use crate::source::SourceFile;

    fn codes(text: &str) -> Vec<(usize, &'static str)> {
        let doc = bastille::parse(
            SourceFile::new("Bastillefile", text.as_bytes()),
            &Bindings::default(),
        );
        let mut found = crate::lint::lint(&doc);
        apply(&doc, &mut found);
        found.iter().map(|d| (d.span.line, d.code)).collect()
    }

    #[test]
    fn a_pragma_silences_its_codes_on_the_next_instruction_only() {
        let text = "ARG A=1\n# jailwright ignore=JW202\n\nARG A=2\nARG A=3\n";
        assert_eq!(codes(text), [(5, "JW202")]);
        let text = "# jailwright ignore-file=jw202\nARG A=1\nARG A=2\nARG A=3\n";
        assert_eq!(codes(text), []);
        let text = "ARG A=1\n# jailwright ignore=JW999\nARG A=2\n";
        assert_eq!(codes(text), [(3, "JW202")], "another code silences nothing");
    }
}
