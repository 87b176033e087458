//! JW907: a secret in an ARG default (`ARG DB_PASSWORD=hunter2`). The
//! default is stored in the template, in its repository and in every copy
//! of it, and applies whenever the caller forgets to pass one. Leave the
//! default empty (Bastille `ARG+`, a Makejail ARG without default) and
//! pass the value when applying.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW907",
    name: "secret-in-arg-default",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "an ARG named like a secret (password, token, key) with a default value",
    check,
    fixable: false,
};

fn check(doc: &Document, report: &mut Report) {
    const SECRET: &[&str] = &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "PASS"];
    for step in &doc.template.steps {
        let Instruction::Arg {
            name,
            default: Some(default),
            ..
        } = &step.instruction
        else {
            continue;
        };
        let upper = name.to_uppercase();
        let secret = SECRET.iter().any(|s| {
            upper == *s || upper.ends_with(&format!("_{s}")) || upper.starts_with(&format!("{s}_"))
        });
        let placeholder = default.is_empty() || default.starts_with('$') || default.starts_with("%{");
        if secret && !placeholder {
            report.emit(
                step.span.clone(),
                format!("ARG {name} has a default: the secret is stored with the template"),
                "leave it without a default and pass it when applying (--arg NAME=...)",
            );
        }
    }
}
