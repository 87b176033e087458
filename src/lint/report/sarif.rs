//! SARIF 2.1.0 (OASIS), as GitHub code scanning and other CI tools read it:
//! one run, the whole rule catalogue as the driver's rules (each with its
//! page as `helpUri`), one result per finding with its region. A
//! ShellCheck finding has ShellCheck's code as its rule (`SC2086`, linking
//! ShellCheck's wiki), added to the rules when it occurs.

use super::FileResult;
use crate::lint::{Severity, docs, rules};
use serde_json::{Value, json};

pub fn sarif(results: &[FileResult]) -> String {
    let mut catalogue: Vec<Value> = rules::ALL
        .iter()
        .map(|rule| {
            json!({
                "id": rule.code,
                "name": rule.name,
                "shortDescription": { "text": rule.summary },
                "fullDescription": { "text": rules::documentation(rule) },
                "helpUri": docs::help_uri(rule.code),
                "defaultConfiguration": { "level": level(rule.severity) },
                "properties": { "tags": [rules::family(rule.code)] },
            })
        })
        .collect();
    let mut ids: Vec<String> = rules::ALL.iter().map(|r| r.code.to_string()).collect();
    let mut found = Vec::new();
    for result in results {
        for d in &result.diagnostics {
            let (end_line, end_column) = super::end_of(result, d);
            let id = d
                .shellcheck_code
                .clone()
                .unwrap_or_else(|| d.code.to_string());
            let index = match ids.iter().position(|known| *known == id) {
                Some(index) => Some(index),
                None if d.shellcheck_code.is_some() => {
                    catalogue.push(json!({
                        "id": id,
                        "name": format!("shellcheck-{}", id.to_lowercase()),
                        "shortDescription": { "text": format!("ShellCheck {id} (reported by jailwright's {})", d.code) },
                        "helpUri": docs::help_uri(&id),
                        "defaultConfiguration": { "level": "warning" },
                        "properties": { "tags": [rules::family(d.code), "shellcheck"] },
                    }));
                    ids.push(id.clone());
                    Some(ids.len() - 1)
                }
                None => None,
            };
            let mut entry = json!({
                "ruleId": id,
                "level": level(d.severity),
                "message": { "text": match &d.help {
                    Some(help) => format!("{} ({help})", d.message),
                    None => d.message.clone(),
                }},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.span.file) },
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.column,
                            "endLine": end_line,
                            "endColumn": end_column,
                        }
                    }
                }],
            });
            if let Some(index) = index {
                entry["ruleIndex"] = json!(index);
            }
            found.push(entry);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "jailwright",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/jailwright/jailwright",
                "rules": catalogue,
            }},
            "results": found,
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).expect("JSON values always serialize");
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative file reference as a URI (SARIF wants `/`, no `./`).
fn uri(file: &str) -> String {
    file.trim_start_matches("./")
        .replace('\\', "/")
        .replace(' ', "%20")
}
