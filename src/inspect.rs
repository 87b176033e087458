//! `parse` output: the IR as JSON for machines, or one line per step.

use crate::ir::Template;
use serde::Serialize;

/// `{"dialect": ..., "layout": ..., "steps": [{file, line, column, instruction, keyword, text, args, detail}]}`.
pub fn json(template: &Template) -> String {
    let mut out = Vec::new();
    write_json(template, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

/// `json`, streamed to `out` step by step: a template of a million lines
/// is never held as one JSON tree (keys in the same, sorted, order).
pub fn write_json(template: &Template, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let document = Document {
        dialect: template.dialect,
        execution: (!template.execution.is_empty())
            .then(|| serde_json::to_value(&template.execution))
            .transpose()
            .map_err(std::io::Error::other)?,
        layout: template.layout,
        steps: Steps(&template.steps),
        substitutions: template
            .steps
            .iter()
            .find_map(|s| match &s.instruction {
                crate::ir::Instruction::Render { vars, .. } => Some(vars.chain()),
                _ => None,
            })
            .unwrap_or_default(),
    };
    serde_json::to_writer_pretty(&mut *out, &document).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

/// The whole answer (fields in sorted order, as a JSON object's keys were).
#[derive(Serialize)]
struct Document<'t> {
    dialect: crate::ir::Dialect,
    #[serde(skip_serializing_if = "Option::is_none")]
    execution: Option<serde_json::Value>,
    layout: crate::ir::Layout,
    steps: Steps<'t>,
    /// Bastille's `${NAME}` substitution chain (ARG_REPLACEMENTS) as it
    /// stands at the end: a RENDER's `substitutions` is how many of these,
    /// from the first, it applies.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    substitutions: &'t [(String, String)],
}

/// The steps, serialized one after another.
struct Steps<'t>(&'t [crate::ir::Step]);

impl Serialize for Steps<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for step in self.0 {
            let detail = serde_json::to_value(&step.instruction).map_err(S::Error::custom)?;
            seq.serialize_element(&StepOut {
                args: &step.args,
                column: step.span.column,
                detail,
                end: step.span.end,
                file: &step.span.file,
                instruction: &step.name,
                keyword: &step.written_keyword,
                line: step.span.line,
                stage: step.stage.as_deref(),
                start: step.span.start,
                text: &step.text,
            })?;
        }
        seq.end()
    }
}

/// One step (fields in sorted order; `detail` as a JSON value, whose keys
/// are sorted too).
#[derive(Serialize)]
struct StepOut<'t> {
    args: &'t [String],
    column: usize,
    detail: serde_json::Value,
    end: usize,
    file: &'t str,
    instruction: &'t str,
    keyword: &'t str,
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    stage: Option<&'t str>,
    start: usize,
    text: &'t str,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::{Bindings, makejail};
    use crate::source::SourceFile;

    #[test]
    fn streamed_json_is_what_a_json_tree_of_it_prints() {
        // Keys sorted and laid out as serde_json prints a tree: the
        // streamed output is byte for byte the one it replaced.
        let doc = makejail::parse(
            SourceFile::new(
                "Makejail",
                b"ARG a=1\nSTAGE start\nCMD echo hi\nSTAGE build\nPKG nginx\nCOPY x /y\n",
            ),
            &Bindings::default(),
        );
        let streamed = json(&doc.template);
        let tree: serde_json::Value = serde_json::from_str(&streamed).unwrap();
        assert!(tree["execution"].is_array(), "{streamed}");
        let mut printed = serde_json::to_string_pretty(&tree).unwrap();
        printed.push('\n');
        assert_eq!(streamed, printed);
    }
}
