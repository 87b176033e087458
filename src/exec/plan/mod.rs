//! `jailwright plan`: what each step of a template does to a target, with
//! no side effect. Commands are the ones the template's own manager runs
//! (research/*.md), except where jailwright deliberately does better
//! (copies resolved safely inside the root, sysrc edited natively on an
//! offline root, nothing evaluated by a host shell).

mod blocked;
mod commands;
mod makejail_refs;
mod render;
mod step;

pub use render::render;

use crate::dialect::makejail::run_state::StageState;
use crate::document::{Document, ProblemKind};
use crate::ir::{Dialect, Instruction, Step};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use step::plan_step;

/// What a template is applied to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetSpec {
    /// A running FreeBSD jail, by name or JID.
    Jail(String),
    /// A jail's root directory, offline (chroot).
    Root(PathBuf),
}

/// The package manager of an offline root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    /// FreeBSD's pkg, run from the host with `-r ROOT`.
    #[default]
    Pkg,
    /// Debian's apt, run inside the root through chroot.
    Apt,
}

/// One thing a step does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Run a command on the host (with this text on its standard input).
    Run {
        argv: Vec<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        stdin: Option<String>,
    },
    /// Copy a file or directory from the host into the jail, resolved
    /// inside its root. `contents` copies what is inside the directory
    /// (an overlay) rather than the directory itself.
    Copy {
        from: PathBuf,
        to: String,
        contents: bool,
    },
    /// Edit an rc.conf-style file natively, with sysrc(8)'s semantics.
    Sysrc { args: Vec<String> },
    /// Replace `${NAME}` in a file or tree of the jail with the values in
    /// force (Bastille's RENDER: sed over every file, `.git` skipped).
    Render { path: String, vars: crate::ir::Vars },
    /// Replace `%{KEYWORD}` in a file of the jail (AppJail's REPLACE).
    Replace {
        file: String,
        keyword: String,
        value: String,
        output: String,
    },
    /// Mount a host path (or a pseudo file system) inside the jail, and
    /// record it in the jail's fstab when it has Bastille's layout.
    Mount(MountSpec),
    /// Append a line to a file of the jail unless it is there.
    LineInFile { line: String, file: String },
}

/// `MOUNT host jailpath [type options dump pass]` (bastille mount).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MountSpec {
    pub from: String,
    /// The mount point, inside the jail's root.
    pub to: String,
    pub fstype: String,
    pub options: String,
    pub dump: String,
    pub pass: String,
}

/// A step and its actions, or why this target cannot run it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedStep {
    /// The step's index in the template (0-based); shown 1-based, as the
    /// text plan and apply's events count.
    #[serde(serialize_with = "one_based")]
    pub step: usize,
    pub file: String,
    pub line: usize,
    pub name: String,
    pub actions: Vec<Action>,
    /// Why the step cannot be applied to this target (apply refuses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<String>,
    /// Why the step does nothing here (declarations, state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The step changes the running jail (a service, a mount), which no
    /// snapshot holds: a re-run never reuses a snapshot past it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub live: bool,
}

fn one_based<S: serde::Serializer>(index: &usize, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(*index as u64 + 1)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub target: TargetSpec,
    pub steps: Vec<PlannedStep>,
}

impl Plan {
    /// Whether apply may start: no step is blocked.
    pub fn runnable(&self) -> bool {
        self.steps.iter().all(|s| s.blocked.is_none())
    }
}

/// What the planner knows of the host, gathered by the caller (I/O).
#[derive(Debug, Default)]
pub struct Facts {
    /// The directory relative template paths resolve against.
    pub template_dir: PathBuf,
    /// The package manager of an offline root.
    pub package_manager: PackageManager,
    /// Files that do not exist on the host among those steps copy.
    pub missing: Vec<PathBuf>,
    /// `--arg NAME=VALUE`: Makejail ARG values (AppJail's `--NAME VALUE`).
    pub args: Vec<String>,
    /// The Makejail stage to run (`build` when not given).
    pub stage: Option<String>,
    /// The `bastille` command on this host, which a Bastillefile's manager
    /// steps (RDR, CONFIG, LIMITS, TAGS, other subcommands) are handed to.
    pub bastille: Option<PathBuf>,
    /// The `appjail` command on this host (a Makejail's RESTART).
    pub appjail: Option<PathBuf>,
    /// The templates Bastille INCLUDE steps run (by step index), or why
    /// one cannot be read.
    pub included: BTreeMap<usize, Result<Nested, IncludeError>>,
    /// `--env NAME=VALUE`: the environment a pot flavour's script gets
    /// besides the caller's (what `pot create` would have inherited).
    pub script_env: Vec<String>,
    /// Bastille built-ins whose value is not known (`JAIL_IP`, `JAIL_IP6`:
    /// bastille fills them from the jail), so a step still holding
    /// `${NAME}` cannot run as bastille would run it.
    pub unknown_builtins: Vec<String>,
}

/// Why the template a Bastille INCLUDE runs cannot be read (the step is
/// blocked with this).
#[derive(Debug, thiserror::Error)]
pub enum IncludeError {
    #[error("INCLUDE {spec}: remote templates are not fetched here")]
    NotFetched { spec: String },
    #[error(transparent)]
    Fetch(#[from] crate::remote::RemoteError),
    #[error("INCLUDE {spec}: Template name/URL not recognized (bastille wants project/template)")]
    NotRecognized { spec: String },
    #[error(
        "INCLUDE {spec}: TEMPLATE not found (looked in {} and the working directory)",
        templates.display()
    )]
    NotFound { spec: String, templates: PathBuf },
    #[error("{spec}: {error}")]
    Unresolved { spec: String, error: std::io::Error },
    #[error("INCLUDE {spec}: includes itself (bastille would never finish)")]
    Loop { spec: String },
    #[error("--arg-file {file}: not UTF-8")]
    ArgFileNotUtf8 { file: String },
    /// bastille's words for an `--arg-file` it cannot open.
    #[error("File not found: {file}")]
    ArgFileMissing { file: String },
    #[error("--arg-file {file}: {error}")]
    ArgFile { file: String, error: std::io::Error },
    #[error(transparent)]
    Load(#[from] crate::dialect::LoadError),
}

/// A template run by an INCLUDE, with what is known of it.
#[derive(Debug)]
pub struct Nested {
    pub doc: Document,
    pub facts: Facts,
}

/// Plans `doc` for `target`, in the order the manager runs the steps.
pub fn plan(doc: &Document, target: &TargetSpec, facts: &Facts) -> Plan {
    Plan {
        target: target.clone(),
        steps: plan_steps(doc, target, facts),
    }
}

fn plan_steps(doc: &Document, target: &TargetSpec, facts: &Facts) -> Vec<PlannedStep> {
    let dialect = doc.template.dialect;
    let stage = facts.stage.as_deref().unwrap_or(BUILD_STAGE);
    let mut state = StageState::default();
    let mut steps = Vec::new();
    for i in doc.template.execution_order() {
        let step = &doc.template.steps[i];
        if step.stage.as_deref().is_some_and(|s| s != stage) {
            continue;
        }
        if let (Instruction::Include { .. }, Some(Ok(nested))) =
            (&step.instruction, facts.included.get(&i))
        {
            // bastille runs the included template whole, at this point.
            steps.extend(plan_steps(&nested.doc, target, &nested.facts));
            continue;
        }
        if dialect == Dialect::Pot && never_read(doc, step) {
            steps.push(skipped(
                i,
                step,
                "pot never reads a last line without a newline (its `while read -r` stops there), so it is not run",
            ));
            continue;
        }
        let mut planned = plan_step(i, step, dialect, target, facts, &state);
        if dialect == Dialect::Pot
            && let Some(problem) = problem_on(doc, step, ProblemKind::Usage)
        {
            // pot's getopts rejects the line: `pot create` stops there.
            planned.blocked = Some(format!(
                "pot rejects this line, so pot create fails here: {}",
                problem.message
            ));
        }
        if dialect == Dialect::Bastille
            && let Some(name) = facts
                .unknown_builtins
                .iter()
                .find(|n| step.args.iter().any(|a| a.contains(&format!("${{{n}}}"))))
        {
            planned.blocked = Some(format!(
                "${{{name}}} has no value here (bastille fills it from the jail's address): pass --{}",
                name.to_lowercase().replace('_', "-")
            ));
        }
        if dialect == Dialect::Bastille
            && let Some(name) = host_expanded(step)
        {
            planned.blocked = Some(format!(
                "${{{name}}} has no value: bastille's eval (template.sh:422) would expand it in its own shell, usually to nothing: pass --arg {name}=VALUE"
            ));
        }
        if let (Instruction::Include { .. }, Some(Err(why))) =
            (&step.instruction, facts.included.get(&i))
        {
            planned.blocked = Some(why.to_string());
        }
        if dialect == Dialect::Makejail
            && let Err(why) = state.record(&step.instruction, &facts.args)
        {
            planned.blocked = Some(why.to_string());
        }
        steps.push(planned);
    }
    steps
}

/// A `${NAME}` (or `$NAME`) left in a Bastillefile step's words after ARG
/// substitution, in a word the host shell's eval expands: bastille hands
/// it to `eval "bastille CMD J ARGS"` (template.sh:422), which gives it
/// the value of bastille's own shell variable, usually nothing.
fn host_expanded(step: &Step) -> Option<String> {
    if !crate::dialect::bastille::host_evaluated(&step.instruction) {
        return None;
    }
    let tokens = crate::shell::lex(&step.text).ok()?;
    tokens
        .iter()
        .filter(|t| matches!(t.kind, crate::shell::TokenKind::Word { expands: true, .. }))
        .flat_map(|t| crate::shell::references(&step.text[t.start..t.end]))
        .map(str::to_string)
        .find(|name| {
            step.args
                .iter()
                .any(|a| a.contains(&format!("${{{name}}}")) || a.contains(&format!("${name}")))
        })
}

/// Whether a value read with `eval echo` holds a command substitution.
fn runs_on_host(value: &str) -> bool {
    value.contains("$(") || value.contains('`')
}

/// Whether the manager never reads the step's line (a pot command file's
/// last line without a newline: share/pot/common-flv.sh reads it with
/// `while read -r line`).
fn never_read(doc: &Document, step: &Step) -> bool {
    problem_on(doc, step, ProblemKind::NoFinalNewline).is_some()
}

/// The reader's problem of this kind on the step's line.
fn problem_on<'a>(
    doc: &'a Document,
    step: &Step,
    kind: ProblemKind,
) -> Option<&'a crate::document::Problem> {
    doc.problems
        .iter()
        .find(|p| p.kind == kind && p.line == step.line_index)
}

/// A step the manager skips: shown, never run.
fn skipped(index: usize, step: &Step, why: &str) -> PlannedStep {
    PlannedStep {
        note: Some(format!("skipped: {why}")),
        ..PlannedStep::of(index, step)
    }
}

impl PlannedStep {
    /// The template's step `index`, with nothing planned yet.
    fn of(index: usize, step: &Step) -> PlannedStep {
        PlannedStep {
            step: index,
            file: step.span.file.clone(),
            line: step.span.line,
            name: step.name.clone(),
            actions: Vec::new(),
            blocked: None,
            note: None,
            live: false,
        }
    }
}

/// The Makejail stage `appjail makejail` runs while building; the others
/// run later from the jail's InitScript (`--stage` picks one).
const BUILD_STAGE: &str = "build";
