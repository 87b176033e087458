//! `jailwright convert`: a template rewritten for another manager, by
//! meaning (see `ops`), with every construct that does not carry over
//! reported as a loss with its span, a code and a suggestion. Converting to
//! the template's own dialect prints it canonically (the round trip).
//!
//! Pure: the caller reads the template and writes the result.

pub(crate) mod codes;
mod jail_params;
pub mod meaning;
pub mod op;
pub mod ops;
pub mod script;
mod to_bastille;
mod to_makejail;
pub mod to_pot;
mod words;

use crate::document::{Document, ProblemKind};
use crate::ir::{Dialect, Span};
pub use codes::explain;
pub use op::Loss;

/// A file of the converted template, relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub text: String,
    pub executable: bool,
}

/// A file of the source template the converted one still needs (a copy
/// source), to be carried over from `from` (relative to the source
/// template's directory) to `to` (relative to the output directory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub from: String,
    pub to: String,
}

/// A construct that did not carry over, where it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub span: Span,
    pub loss: Loss,
    /// Nothing in the output does it (a comment marks the place); when
    /// false the output does it another way (the loss says how).
    pub dropped: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    pub dialect: Dialect,
    /// The main file first.
    pub files: Vec<OutputFile>,
    pub carried: Vec<Carried>,
    pub losses: Vec<Lost>,
}

/// Converts `doc` (read with `keep_references`, so that `${NAME}` stays a
/// parameter) to `to`.
pub fn convert(
    doc: &Document,
    to: Dialect,
    name: &str,
    is_dir: &dyn Fn(&str) -> bool,
) -> Conversion {
    let mut ops = ops::operations(doc);
    let mut notes = Vec::new();
    if doc.template.dialect == Dialect::Bastille && to != Dialect::Bastille {
        address_builtins(&mut ops, to, &mut notes);
    }
    let renamed = rename_invalid_args(&mut ops, to, &mut notes);
    undeclared_references(&ops, &mut notes);
    for located in &ops {
        if located.written.starts_with("REPLACE ") && matches!(located.op, op::Op::Shell { .. }) {
            notes.push(Lost {
                span: located.span.clone(),
                dropped: false,
                loss: Loss::new(
                    "CV008",
                    "REPLACE: done with grep and sed in the jail, as AppJail's lib/replace does it",
                    "check the CMD line",
                ),
            });
        }
    }
    if doc.template.dialect == Dialect::Bastille && to != Dialect::Bastille {
        bare_references(&ops, &mut notes);
    }
    let (files, carried, losses) = match to {
        Dialect::Bastille => to_bastille::emit(&ops),
        Dialect::Makejail => to_makejail::emit(&ops),
        Dialect::Pot => to_pot::emit(&ops, name, is_dir),
    };
    let files = files
        .into_iter()
        .map(|mut f| {
            for (old, new) in &renamed {
                f.text = f
                    .text
                    .replace(&format!("${{{old}}}"), &format!("${{{new}}}"));
            }
            f
        })
        .collect();
    let mut conversion = Conversion {
        dialect: to,
        files,
        carried,
        losses,
    };
    conversion.losses.extend(notes);
    // Lines the source manager itself rejects are a loss in any target.
    for problem in &doc.problems {
        if matches!(
            problem.kind,
            ProblemKind::UnknownInstruction
                | ProblemKind::Tokenizer
                | ProblemKind::Usage
                | ProblemKind::InvalidStage
                | ProblemKind::BuildOnly
                | ProblemKind::UnfinishedContinuation
                | ProblemKind::Ignored
        ) {
            conversion.losses.push(Lost {
                dropped: true,
                span: doc.problem_span(problem),
                loss: Loss::new(
                    "CV011",
                    problem.message.clone(),
                    "fix the source template first (jailwright lint)",
                ),
            });
        }
    }
    conversion
        .losses
        .sort_by_key(|l| (l.span.file.clone(), l.span.start));
    conversion
}

/// The host port of a redirection: a pot's `-e PORT` has none (pot picks
/// a free one at each start); the target redirects the jail's port.
fn host_port<'a>(e: &mut Emitter, located: &op::Located, host: &'a str, jail: &'a str) -> &'a str {
    if !host.is_empty() {
        return host;
    }
    e.note(
        located,
        Loss::new(
            "CV008",
            format!("export-ports -e {jail}: pot picks a free host port at each start (start.sh:365-367); here the host's port {jail} is redirected"),
            "choose the host port",
        ),
    );
    jail
}

/// A jail parameter set by a template that runs in a running jail takes
/// effect when it restarts (bastille config.sh:360-361; AppJail's SET
/// edits the jail's template); pot sets it before the first start.
fn restart_needed(name: &str) -> Loss {
    Loss::new(
        "CV008",
        format!("{name}: the jail's parameter takes effect when the jail restarts"),
        "restart the jail after the template (or add RESTART)",
    )
}

/// A `$NAME` of an ARG in a Bastille CMD: bastille substitutes only
/// `${NAME}` (template.sh:333-371), so the jail's shell reads `$NAME`,
/// unset there (`jexec -l` clears the environment); the target gives it
/// the ARG's value.
fn bare_references(ops: &[op::Located], notes: &mut Vec<Lost>) {
    use op::Op;
    let mut declared = crate::shell::params::Params::default();
    for located in ops {
        match &located.op {
            Op::Arg { name, .. } => declared.push(name),
            Op::Shell { script, .. } => {
                for name in crate::shell::quote::bare_references(script, &declared) {
                    notes.push(Lost {
                        span: located.span.clone(),
                        dropped: false,
                        loss: Loss::new(
                            "CV013",
                            format!("${name}: empty in bastille's CMD (it substitutes only ${{{name}}}); the converted step reads the ARG's value"),
                            format!("write ${{{name}}} in the Bastillefile if the ARG was meant"),
                        ),
                    });
                }
            }
            _ => {}
        }
    }
}

/// A `${NAME}` in a step's words that no ARG of the template declares
/// takes its value from the manager's environment (the including
/// Makejail, the host): no other manager provides it.
fn undeclared_references(ops: &[op::Located], notes: &mut Vec<Lost>) {
    use op::Op;
    let mut declared: Vec<String> = ["JAIL_NAME", "JAIL_IP", "JAIL_IP6", "APPJAIL_JAILNAME"]
        .map(String::from)
        .to_vec();
    for located in ops {
        let words: Vec<&String> = match &located.op {
            Op::Arg { name, .. } => {
                declared.push(name.clone());
                continue;
            }
            Op::Pkg { packages, .. } => packages.iter().collect(),
            Op::Sysrc { args } | Op::Service { args } => args.iter().collect(),
            Op::Copy {
                source,
                destination,
                ..
            } => vec![source, destination],
            Op::Mount { source, target, .. } => vec![source, target],
            Op::Redirect {
                host_port,
                jail_port,
                ..
            } => vec![host_port, jail_port],
            _ => continue,
        };
        let unknown = words.iter().find_map(|w| {
            let start = w.find("${")?;
            let name = &w[start + 2..start + w[start..].find('}')?];
            (!declared.iter().any(|d| d == name)).then(|| name.to_string())
        });
        if let Some(name) = unknown {
            notes.push(Lost {
                span: located.span.clone(),
                loss: Loss::new(
                    "CV013",
                    format!("${{{name}}}: no ARG declares it; its value came from the manager's environment"),
                    format!("declare ARG {name} in the converted template"),
                ),
                dropped: false,
            });
        }
    }
}

/// Bastille accepts ARG names sh does not (`php-version`); in a Makejail or
/// a flavour script they are renamed (`php_version`), references too.
fn rename_invalid_args(
    ops: &mut [op::Located],
    to: Dialect,
    notes: &mut Vec<Lost>,
) -> Vec<(String, String)> {
    let mut renamed = Vec::new();
    if to == Dialect::Bastille {
        return renamed;
    }
    for located in ops.iter_mut() {
        if let op::Op::Arg { name, .. } = &mut located.op
            && !crate::shell::is_name(name)
        {
            let new: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            let new = if new.starts_with(|c: char| c.is_ascii_digit()) {
                format!("_{new}")
            } else {
                new
            };
            notes.push(Lost {
                span: located.span.clone(),
                loss: Loss::new(
                    "CV010",
                    format!("ARG {name}: not a valid variable name there; renamed {new}"),
                    format!("pass it as {new}"),
                ),
                dropped: false,
            });
            renamed.push((name.clone(), new.clone()));
            *name = new;
        }
    }
    // Every step that refers to a renamed ARG is written differently.
    for located in ops.iter() {
        if let Some((old, new)) = renamed
            .iter()
            .find(|(old, _)| located.written.contains(&format!("${{{old}}}")))
            .filter(|_| !matches!(located.op, op::Op::Arg { .. }))
        {
            notes.push(Lost {
                span: located.span.clone(),
                loss: Loss::new(
                    "CV010",
                    format!("${{{old}}} written ${{{new}}}"),
                    format!("pass it as {new}"),
                ),
                dropped: false,
            });
        }
    }
    renamed
}

/// Bastille's `${JAIL_IP}` and `${JAIL_IP6}` have no counterpart in the
/// other managers: a Makejail gets them as ARGs to pass, a flavour keeps
/// the reference for its environment to set, and both are reported.
fn address_builtins(ops: &mut Vec<op::Located>, to: Dialect, notes: &mut Vec<Lost>) {
    for builtin in ["JAIL_IP6", "JAIL_IP"] {
        let reference = format!("${{{builtin}}}");
        let Some(first) = ops.iter().find(|o| o.written.contains(&reference)).cloned() else {
            continue;
        };
        let (message, suggestion) = match to {
            Dialect::Makejail => (
                format!("{reference}: AppJail has no such variable; declared as ARG {builtin}"),
                format!("pass it: appjail makejail ... -- --{builtin} ADDRESS"),
            ),
            _ => (
                format!(
                    "{reference}: pot has no such variable; the script expects it in its environment"
                ),
                format!("set {builtin} in the environment of pot create"),
            ),
        };
        notes.push(Lost {
            span: first.span.clone(),
            loss: Loss::new("CV013", message, suggestion),
            dropped: false,
        });
        if to == Dialect::Makejail {
            ops.insert(
                0,
                op::Located {
                    op: op::Op::Arg {
                        name: builtin.into(),
                        default: None,
                        required: true,
                    },
                    ..first
                },
            );
        }
    }
}

/// The files a template copies from its own directory (to carry them
/// with a printed or converted template).
pub fn carried(doc: &Document) -> Vec<Carried> {
    let mut e = Emitter::default();
    for located in ops::operations(doc) {
        if let op::Op::Copy {
            source,
            from: crate::ir::CopyFrom::Template,
            ..
        } = &located.op
        {
            e.carry(source);
        }
    }
    e.carried
}

/// Why a step of several lines is shipped whole.
const LINES: &str = "several lines run as one script";

/// A construct of one manager only, in the target: as written in its
/// own dialect, lost anywhere else. (A flavour script is lifted into steps
/// with `script::lift`, or run whole.)
enum Native {
    Verbatim(String),
    Lost(Loss),
}

fn native(located: &op::Located, dialect: Dialect, what: &Loss, target: Dialect) -> Native {
    if dialect == target {
        Native::Verbatim(located.written.clone())
    } else {
        Native::Lost(what.clone())
    }
}

/// What an emitter builds: lines of the main file (and of a pot script),
/// extra files, carried files and losses.
#[derive(Debug, Default)]
struct Emitter {
    lines: Vec<String>,
    files: Vec<OutputFile>,
    carried: Vec<Carried>,
    losses: Vec<Lost>,
}

impl Emitter {
    /// Records a loss and leaves a comment where the construct was.
    fn lose(&mut self, op: &op::Located, loss: Loss) {
        self.lines.push(format!(
            "# jailwright {}: {} ({})",
            loss.code,
            op.written.replace('\n', " "),
            loss.suggestion,
        ));
        self.losses.push(Lost {
            span: op.span.clone(),
            loss,
            dropped: true,
        });
    }

    /// Records a loss that the output works around (no comment needed).
    fn note(&mut self, op: &op::Located, loss: Loss) {
        self.losses.push(Lost {
            span: op.span.clone(),
            loss,
            dropped: false,
        });
    }

    /// Ships a script with the template to be run whole (`why`); returns
    /// its file name, unique in the output.
    fn ship(&mut self, op: &op::Located, name: &str, text: &str, why: &str) -> String {
        let stem = name.trim_end_matches(".sh");
        let mut file = format!("{stem}.sh");
        while self.files.iter().any(|f| f.path == file) {
            file = format!("{stem}-{}.sh", self.files.len() + 1);
        }
        let mut text = text.to_string();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.files.push(OutputFile {
            path: file.clone(),
            text,
            executable: true,
        });
        self.note(
            op,
            Loss::new(
                "CV008",
                format!("{file}: {why}, shipped and run whole"),
                "split it into steps by hand if you want each one cached",
            ),
        );
        file
    }

    fn carry(&mut self, source: &str) {
        let relative = source.trim_start_matches("./").trim_end_matches('/');
        if !self.carried.iter().any(|c| c.from == relative) {
            self.carried.push(Carried {
                from: relative.to_string(),
                to: relative.to_string(),
            });
        }
    }
}

/// Reads a conversion's files back as a template of its dialect (with
/// `${NAME}` references kept), to check what it means.
pub fn read_back(conversion: &Conversion) -> Document {
    use crate::dialect::{Bindings, bastille, makejail, pot};
    use crate::source::SourceFile;
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    let main = &conversion.files[0];
    let source = SourceFile::new(&main.path, main.text.as_bytes());
    match conversion.dialect {
        Dialect::Bastille => bastille::parse(source, &bindings),
        Dialect::Makejail => makejail::parse(source, &bindings),
        Dialect::Pot => {
            let script = conversion
                .files
                .iter()
                .find(|f| f.path == format!("{}.sh", main.path))
                .map(|f| SourceFile::new(&f.path, f.text.as_bytes()));
            pot::parse(vec![pot::Flavour {
                name: main.path.clone(),
                commands: Some(source),
                script,
            }])
        }
    }
}
