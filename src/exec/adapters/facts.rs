//! What the planner needs to know of the host, looked up here so that
//! `plan` itself stays a pure function: the template's directory, which
//! copied files are missing, an offline root's package manager, and the
//! templates a Bastillefile INCLUDEs.

use crate::dialect::{self, Bindings};
use crate::document::Document;
use crate::exec::plan::{Facts, IncludeError, Nested, PackageManager, TargetSpec};
use crate::ir::{CopyFrom, Dialect, Instruction};
use std::path::{Path, PathBuf};

/// Where bastille looks for `project/template` first (bastille.conf's
/// `bastille_templatesdir`).
pub const BASTILLE_TEMPLATES: &str = "/usr/local/bastille/templates";

/// How deep INCLUDEs may nest before we call it a loop.
const MAX_INCLUDE_DEPTH: usize = 16;

/// Fetches a remote template (spec, the including template's directory)
/// to a local directory.
pub type FetchRemote<'a> = dyn Fn(&str, &Path) -> Result<PathBuf, crate::remote::RemoteError> + 'a;

/// What `gather` is told besides the template.
pub struct Context<'a> {
    pub target: &'a TargetSpec,
    pub bindings: &'a Bindings,
    pub stage: Option<&'a str>,
    /// bastille's templates directory.
    pub templates: &'a Path,
    /// Fetches a remote INCLUDE (a URL) to a local directory, pinned in the
    /// including template's jailwright.lock; `None`: remote INCLUDEs stay
    /// blocked.
    pub fetch: Option<&'a FetchRemote<'a>>,
}

/// What the planner needs to know of the host (the only I/O of `plan`).
pub fn gather(doc: &Document, context: &Context) -> Facts {
    let start = doc
        .sources
        .first()
        .and_then(|s| std::fs::canonicalize(s.dir()).ok());
    gather_nested(doc, context, &mut start.into_iter().collect())
}

fn gather_nested(doc: &Document, context: &Context, chain: &mut Vec<PathBuf>) -> Facts {
    let target = context.target;
    let template_dir = doc
        .sources
        .first()
        .map(|s| s.dir())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut missing = Vec::new();
    for step in &doc.template.steps {
        let paths: Vec<PathBuf> = match &step.instruction {
            Instruction::Cp {
                sources,
                from: CopyFrom::Template,
                ..
            } => sources.iter().map(|s| template_dir.join(s)).collect(),
            Instruction::Cp {
                sources,
                from: CopyFrom::Host,
                ..
            } => sources.iter().map(PathBuf::from).collect(),
            Instruction::Overlay { dir } => vec![template_dir.join(dir)],
            _ => Vec::new(),
        };
        missing.extend(paths.into_iter().filter(|p| !p.exists()));
    }
    let package_manager = match target {
        TargetSpec::Root(r) if r.join("usr/bin/apt-get").exists() => PackageManager::Apt,
        _ => PackageManager::Pkg,
    };
    Facts {
        template_dir,
        package_manager,
        missing,
        args: context.bindings.args.clone(),
        stage: context.stage.map(str::to_string),
        script_env: Vec::new(),
        bastille: match (doc.template.dialect, target) {
            (Dialect::Bastille, TargetSpec::Jail(_)) => on_path("bastille"),
            _ => None,
        },
        appjail: match (doc.template.dialect, target) {
            (Dialect::Makejail, TargetSpec::Jail(_)) => on_path("appjail"),
            _ => None,
        },
        included: includes(doc, context, chain),
        unknown_builtins: [
            ("JAIL_IP", &context.bindings.jail.ip4),
            ("JAIL_IP6", &context.bindings.jail.ip6),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name.to_string())
        .collect(),
    }
}

/// A program found on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Every Bastille INCLUDE of `doc`, read and gathered in turn: `bastille
/// template JAIL SPEC [--arg N=V]... [--arg-file F]` in a fresh ARG scope.
fn includes(
    doc: &Document,
    context: &Context,
    chain: &mut Vec<PathBuf>,
) -> std::collections::BTreeMap<usize, Result<Nested, IncludeError>> {
    let mut found = std::collections::BTreeMap::new();
    if doc.template.dialect != Dialect::Bastille {
        return found;
    }
    for (i, step) in doc.template.steps.iter().enumerate() {
        let Instruction::Include { target: spec, args } = &step.instruction else {
            continue;
        };
        let including = doc.sources.first().map(|s| s.dir()).unwrap_or_default();
        let nested = resolve(spec, context, &including).and_then(|dir| {
            let real = std::fs::canonicalize(&dir).map_err(|error| IncludeError::Unresolved {
                spec: spec.clone(),
                error,
            })?;
            if chain.contains(&real) || chain.len() >= MAX_INCLUDE_DEPTH {
                return Err(IncludeError::Loop { spec: spec.clone() });
            }
            let bindings = include_bindings(args, context.bindings)?;
            let doc = dialect::load(&dir, Some(Dialect::Bastille), &bindings)?;
            chain.push(real);
            let inner = Context {
                bindings: &bindings,
                ..*context
            };
            let facts = gather_nested(&doc, &inner, chain);
            chain.pop();
            Ok(Nested { doc, facts })
        });
        found.insert(i, nested);
    }
    found
}

/// bastille's lookup of a template (template.sh): a URL is fetched
/// (not here); `x/y` is `TEMPLATES/x/y` when it exists, else a directory
/// relative to the working directory; anything else is an error.
fn resolve(spec: &str, context: &Context, including: &Path) -> Result<PathBuf, IncludeError> {
    let templates = context.templates;
    let spec_owned = || spec.to_string();
    if spec.starts_with("http://") || spec.starts_with("https://") {
        return match context.fetch {
            Some(fetch) => Ok(fetch(spec, including)?),
            None => Err(IncludeError::NotFetched { spec: spec_owned() }),
        };
    }
    if !spec.contains('/') {
        return Err(IncludeError::NotRecognized { spec: spec_owned() });
    }
    let in_templates = templates.join(spec.trim_start_matches('/'));
    if !spec.starts_with('/') && in_templates.is_dir() {
        return Ok(in_templates);
    }
    let direct = PathBuf::from(spec);
    if direct.is_dir() {
        Ok(direct)
    } else {
        Err(IncludeError::NotFound {
            spec: spec_owned(),
            templates: templates.to_path_buf(),
        })
    }
}

/// The included template's bindings: only what the INCLUDE line passes
/// (`--arg`, the first `--arg-file`), and the same jail.
fn include_bindings(words: &[String], parent: &Bindings) -> Result<Bindings, IncludeError> {
    let mut bindings = Bindings {
        jail: parent.jail.clone(),
        ..Bindings::default()
    };
    let mut words = words.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "--arg" => bindings.args.extend(words.next().cloned()),
            "--arg-file" => {
                let file = words.next().cloned().unwrap_or_default();
                if bindings.arg_file.is_none() {
                    bindings.arg_file = Some(read_arg_file(&file)?);
                }
            }
            _ => {}
        }
    }
    Ok(bindings)
}

/// An INCLUDE's `--arg-file`: a regular file (a FIFO or a device is
/// refused at once), in bastille's words when it is missing.
fn read_arg_file(file: &str) -> Result<String, IncludeError> {
    use crate::files::read::{TEMPLATE_CAP, read_regular};
    let file_owned = || file.to_string();
    match read_regular(Path::new(file), TEMPLATE_CAP) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| IncludeError::ArgFileNotUtf8 { file: file_owned() }),
        Err(e) if e.raw_os_error().is_some() => {
            Err(IncludeError::ArgFileMissing { file: file_owned() })
        }
        Err(error) => Err(IncludeError::ArgFile {
            file: file_owned(),
            error,
        }),
    }
}
