//! pot flavours, read as `pot create -f NAME` reads them (common-flv.sh,
//! pot 0.16). A flavour is a command file `NAME` (one pot subcommand per
//! line, from a fixed list of nine) and/or a script `NAME.sh` that pot runs
//! in the jail. Several flavours (`-f A -f B`) form one template, applied
//! in order: each flavour's command file, then its script. jailwright also
//! reads a flavour named `Potfile` (with `Potfile.sh`) like any other.
//! See grammar/pot-flavour.md.

pub(crate) mod commands;
pub(crate) mod getopts;
mod lookup;

pub use lookup::{is_flavour, is_flavour_known, load_flavours, load_flavours_in};

use crate::dialect::physical::physical_lines;
use crate::document::{Document, LogicalLine, Problem, ProblemKind, span_of};
use crate::ir::{Dialect, Instruction, Layout, Step, Template};
use crate::source::SourceFile;

/// One flavour: its command file and its script, either may be missing.
#[derive(Debug, Clone, Default)]
pub struct Flavour {
    pub name: String,
    pub commands: Option<SourceFile>,
    pub script: Option<SourceFile>,
}

/// Reads flavours, in the order `-f` gives them, into one template.
pub fn parse(flavours: Vec<Flavour>) -> Document {
    let mut doc = Document {
        sources: Vec::new(),
        lines: Vec::new(),
        template: Template {
            dialect: Dialect::Pot,
            layout: Layout::File,
            steps: Vec::new(),
            execution: Vec::new(),
        },
        siblings: Vec::new(),
        problems: Vec::new(),
    };
    for flavour in flavours {
        if let Some(source) = flavour.commands {
            read_commands(&mut doc, &flavour.name, source);
        }
        if let Some(source) = flavour.script {
            read_script(&mut doc, &flavour.name, source);
        }
    }
    doc
}

/// `while read -r line`: leading and trailing blanks stripped, no
/// continuation, a last line without a newline never read by pot.
fn read_commands(doc: &mut Document, flavour: &str, source: SourceFile) {
    let index = doc.sources.len();
    let text = source.text.clone();
    doc.sources.push(source);
    for (number, (offset, raw, newline)) in physical_lines(&text).enumerate() {
        let trimmed_start = raw.len() - raw.trim_start_matches([' ', '\t']).len();
        let line = raw.trim_matches([' ', '\t']);
        let line_index = doc.lines.len();
        let mut logical = LogicalLine::new(index, number + 1);
        logical.push_piece(line, offset + trimmed_start);
        doc.lines.push(logical);
        if !newline {
            doc.problems.push(Problem {
                kind: ProblemKind::NoFinalNewline,
                line: line_index,
                start: 0,
                end: line.len(),
                message:
                    "the last line has no newline: pot's `read` never returns it, so pot skips it"
                        .into(),
            });
        }
        let reading = commands::read(line, flavour);
        for found in reading.problems {
            doc.problems.push(Problem {
                kind: found.kind,
                line: line_index,
                start: found.start.min(line.len()),
                end: found.end.min(line.len()),
                message: found.message,
            });
        }
        let source = &doc.sources[index];
        let start = offset + trimmed_start;
        doc.template.steps.push(Step {
            span: span_of(source, start, start + line.len()),
            name: reading.name.clone(),
            written_keyword: reading.name,
            text: reading.text,
            args: reading.args,
            instruction: reading.instruction,
            stage: None,
            line_index,
        });
    }
}

/// The script: one step that runs the whole file in the jail.
fn read_script(doc: &mut Document, flavour: &str, source: SourceFile) {
    let index = doc.sources.len();
    let text = source.text.clone();
    let name = source.path.file_name().map_or_else(
        || format!("{flavour}.sh"),
        |n| n.to_string_lossy().into_owned(),
    );
    doc.sources.push(source);
    let line_index = doc.lines.len();
    doc.lines.push(LogicalLine::whole(index, &text));
    let span = span_of(&doc.sources[index], 0, text.len());
    doc.template.steps.push(Step {
        span,
        name: "SCRIPT".into(),
        written_keyword: name.clone(),
        text: text.clone(),
        args: vec![format!("/tmp/{name}"), flavour.to_string()],
        instruction: Instruction::Script { name, text },
        stage: None,
        line_index,
    });
}

/// The file beside a flavour without a script that holds the notes on
/// what did not carry over to it (pot has no comments in a command file):
/// `jailwright convert --to pot` writes it, and it is no flavour.
pub const NOTES: &str = ".notes";

/// pot's own flavour directory, which potluck command files name.
pub const FLAVOUR_DIR: &str = "/usr/local/etc/pot/flavours/";

/// Copy-in sources that do not exist: `copy-in-flv` sources relative to
/// the command file's directory (pot `cd`s there), and `copy-in` sources
/// under pot's flavour directory, looked up beside the command file
/// instead (where potluck keeps its `NAME.d/` payload). `exists` is the
/// caller's: this module does no I/O.
pub fn missing_sources(doc: &Document, exists: impl Fn(&std::path::Path) -> bool) -> Vec<Problem> {
    let mut found = Vec::new();
    for step in &doc.template.steps {
        let Instruction::Cp { sources, from, .. } = &step.instruction else {
            continue;
        };
        let Some(source) = sources.first().filter(|s| !s.is_empty()) else {
            continue;
        };
        let line = &doc.lines[step.line_index];
        let dir = doc.sources[line.source].dir();
        let path = match from {
            crate::ir::CopyFrom::Template => dir.join(source),
            crate::ir::CopyFrom::Host => match source.strip_prefix(FLAVOUR_DIR) {
                Some(rest) => dir.join(rest),
                None => continue,
            },
            crate::ir::CopyFrom::Jail(_) => continue,
        };
        if !exists(&path) {
            found.push(Problem {
                kind: ProblemKind::MissingSource,
                line: step.line_index,
                start: 0,
                end: line.text.len(),
                message: format!("{source} does not exist (looked for {})", path.display()),
            });
        }
    }
    found
}
