//! `parse` output: the IR as JSON for machines, or one line per step.

use crate::ir::Template;

/// `{"dialect": ..., "layout": ..., "steps": [{file, line, column, instruction, keyword, text, args, detail}]}`.
pub fn json(template: &Template) -> String {
    let steps: Vec<serde_json::Value> = template
        .steps
        .iter()
        .map(|step| {
            let mut value = serde_json::json!({
                "file": step.span.file,
                "line": step.span.line,
                "column": step.span.column,
                "start": step.span.start,
                "end": step.span.end,
                "instruction": step.name,
                "keyword": step.keyword,
                "text": step.text,
                "args": step.args,
                "detail": step.instruction,
            });
            if let Some(stage) = &step.stage {
                value["stage"] = stage.clone().into();
            }
            value
        })
        .collect();
    let mut value = serde_json::json!({
        "dialect": template.dialect,
        "layout": template.layout,
        "steps": steps,
    });
    if !template.execution.is_empty() {
        value["execution"] = serde_json::to_value(&template.execution).expect("serializable");
    }
    let mut out = serde_json::to_string_pretty(&value).expect("JSON values always serialize");
    out.push('\n');
    out
}

/// `FILE:LINE:COLUMN [STAGE] INSTRUCTION ["arg", ...]`, one line per step
/// (the stage only in dialects that have stages).
pub fn text(template: &Template) -> String {
    let mut out = String::new();
    for step in &template.steps {
        let args = serde_json::to_string(&step.args).expect("strings always serialize");
        let stage = step
            .stage
            .as_ref()
            .map_or(String::new(), |s| format!("[{s}] "));
        out.push_str(&format!(
            "{}:{}:{} {stage}{} {}\n",
            step.span.file, step.span.line, step.span.column, step.name, args
        ));
    }
    out
}
