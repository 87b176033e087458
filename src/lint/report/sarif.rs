//! SARIF 2.1.0 (OASIS), as GitHub code scanning and other CI tools read it:
//! one run, the whole rule catalogue as the driver's rules (each with its
//! page as `helpUri`), one result per finding with its region. A
//! ShellCheck finding has ShellCheck's code as its rule (`SC2086`, linking
//! ShellCheck's wiki), added to the rules when it occurs.

use super::FileResult;
use crate::lint::Diagnostic;
use crate::lint::{Severity, docs, rules};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;

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
    // Rule indices: the catalogue, then each ShellCheck code as it first
    // occurs.
    let mut ids: HashMap<String, usize> = rules::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.to_string(), i))
        .collect();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        let Some(id) = &d.shellcheck_code else {
            continue;
        };
        if ids.contains_key(id) {
            continue;
        }
        catalogue.push(json!({
            "id": id,
            "name": format!("shellcheck-{}", id.to_lowercase()),
            "shortDescription": { "text": format!("ShellCheck {id} (reported by jailwright's {})", d.code) },
            "helpUri": docs::help_uri(id),
            "defaultConfiguration": { "level": "warning" },
            "properties": { "tags": [rules::family(d.code), "shellcheck"] },
        }));
        ids.insert(id.clone(), ids.len());
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            results: Results { results, ids: &ids },
            tool: json!({ "driver": {
                "name": "jailwright",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/jailwright/jailwright",
                "rules": catalogue,
            }}),
        }],
        version: "2.1.0",
    };
    let mut out = serde_json::to_string_pretty(&log).expect("JSON values always serialize");
    out.push('\n');
    out
}

/// The log, its keys in sorted order (as a JSON object's always were).
#[derive(Serialize)]
struct Log<'r> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'r>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<'r> {
    results: Results<'r>,
    tool: Value,
}

/// One result per finding, each built as it is written: never all of
/// them at once.
struct Results<'r> {
    results: &'r [FileResult],
    ids: &'r HashMap<String, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        for result in self.results {
            for d in &result.diagnostics {
                seq.serialize_element(&entry(result, d, self.ids))?;
            }
        }
        seq.end()
    }
}

fn entry(result: &FileResult, d: &Diagnostic, ids: &HashMap<String, usize>) -> Value {
    let (end_line, end_column) = super::end_of(result, d);
    let id = d
        .shellcheck_code
        .clone()
        .unwrap_or_else(|| d.code.to_string());
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
    if let Some(index) = ids.get(&id) {
        entry["ruleIndex"] = json!(index);
    }
    entry
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
