//! JW914: a CMD whose failure is masked by `|| echo ...`. The CMD's exit
//! status is the one of its last command: `cp a b && echo ok || echo
//! "command failed"` exits 0 whether the copy worked or not, so the
//! manager goes on (bastille checks each command's status, template.sh:
//! 422-425; AppJail's build runs under `set -e`) and the template can never
//! fail there. The message also goes to standard output, where no one
//! reads it as an error. Let the command fail, or say why and fail:
//! `|| { echo "copy failed" >&2; exit 1; }`. An explicit `|| true` is a
//! deliberate choice and not reported.

use super::BASTILLE_AND_MAKEJAIL;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::shell_text::lines;
use crate::lint::{Report, Rule, Severity};
use crate::shell::TokenKind;

pub const RULE: Rule = Rule {
    code: "JW914",
    name: "failure-masked",
    severity: Severity::Warning,
    dialects: BASTILLE_AND_MAKEJAIL,
    summary: "`|| echo` at the end of a CMD: the CMD can never fail",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    let all = lines(doc);
    for (i, line) in all.iter().enumerate() {
        if !matches!(line.step.instruction, Instruction::Cmd { .. }) {
            continue;
        }
        // The step's last line decides its exit status.
        let last_of_step = all
            .get(i + 1)
            .is_none_or(|next| !std::ptr::eq(next.step, line.step));
        if !last_of_step {
            continue;
        }
        if let Some((start, end, word)) = masking(line.text) {
            report.emit(
                line.span(doc, start, end),
                format!("`|| {word}` masks the failure: the CMD exits 0 whatever the command before it did, so the template goes on"),
                format!("let it fail (remove `|| {word} ...`), or fail with a message: || {{ {word} \"...\" >&2; exit 1; }}"),
            );
        }
    }
}

/// Where `|| echo ...` (or printf) ends the last list of `text`: the byte
/// range from `||` to the end, and the command's name.
fn masking(text: &str) -> Option<(usize, usize, String)> {
    let tokens = crate::shell::lex(text).ok()?;
    let tokens: Vec<_> = tokens
        .into_iter()
        .take_while(|t| t.kind != TokenKind::Comment)
        .collect();
    let last_or = tokens
        .iter()
        .rposition(|t| matches!(&t.kind, TokenKind::Operator(op) if op == "||"))?;
    let rest = &tokens[last_or + 1..];
    // The command after `||` must be the last one: no list, pipe or
    // compound command after it.
    let plain = rest.iter().all(|t| match &t.kind {
        TokenKind::Operator(op) => crate::shell::words::is_redirection(op),
        _ => true,
    });
    let first = rest.first()?;
    let TokenKind::Word { value, .. } = &first.kind else {
        return None;
    };
    // `grep -q x f || echo x >> f`: the echo writes a file, it is the
    // command's work, not a message.
    let writes_a_file = rest.iter().any(|t| {
        matches!(&t.kind, TokenKind::Operator(op) if matches!(op.as_str(), ">" | ">>" | ">|"))
    });
    if !plain || writes_a_file || !matches!(value.as_str(), "echo" | "printf") {
        return None;
    }
    // Words that end or continue a compound command: not a simple list.
    let compound = tokens.iter().any(|t| {
        matches!(&t.kind, TokenKind::Word { value, .. }
            if matches!(value.as_str(), "then" | "do" | "fi" | "done" | "esac" | "{" | "}"))
    });
    if compound {
        return None;
    }
    let end = tokens.last().map_or(text.len(), |t| t.end);
    Some((tokens[last_or].start, end, value.clone()))
}

#[cfg(test)]
mod tests {
    use super::masking;

    #[test]
    fn what_masks_a_failure() {
        let text = "cp a b && echo ok || echo \"command failed\"";
        let (start, end, word) = masking(text).unwrap();
        assert_eq!((&text[start..end], word.as_str()), ("|| echo \"command failed\"", "echo"));
        assert!(masking("make || printf 'no'").is_some());
        assert!(masking("make || true").is_none());
        assert!(masking("make || echo no; make install").is_none());
        assert!(masking("make || echo no | tee log").is_none());
        assert!(masking("make || echo no >&2").is_some());
        assert!(masking("grep -q '^x' f || echo 'x' >> f").is_none());
        assert!(masking("make || { echo no >&2; exit 1; }").is_none());
        assert!(masking("if make; then echo a || echo b; fi").is_none());
        assert!(masking("make && echo ok").is_none());
    }
}
