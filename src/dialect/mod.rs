//! One reader per dialect, each turning bytes into a [`Document`].

pub mod bastille;
pub mod makejail;
pub(crate) mod physical;
pub mod pot;
pub(crate) mod scope;
pub(crate) mod walk;

use crate::document::Document;
use crate::ir::Dialect;
pub use scope::Scope;
use std::path::Path;
pub use walk::{Found, discover, walk};

/// Values a template is read with: what the user passes on the command line
/// and what is known of the jail.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    /// `--arg NAME=VALUE`, in command-line order (the first match wins).
    pub args: Vec<String>,
    /// The text of the `--arg-file`.
    pub arg_file: Option<String>,
    /// `--build-arg NAME=VALUE` (AppJail's `-b`), in command-line order.
    pub build_args: Vec<String>,
    pub jail: JailFacts,
    /// Leave Bastille's `${NAME}` references as written instead of
    /// substituting ARG values: `convert` keeps a template's parameters.
    pub keep_references: bool,
}

/// Built-in values of the jail a template is applied to. `None` leaves the
/// reference literal (nothing is known without a jail).
#[derive(Debug, Clone, Default)]
pub struct JailFacts {
    pub name: Option<String>,
    pub ip4: Option<String>,
    pub ip6: Option<String>,
}

/// A template that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: no such file or directory")]
    NotFound(String),
    #[error("{0}: not a template jailwright recognises (use --dialect)")]
    Unrecognised(String),
    #[error(
        "{0}: not a template jailwright recognises (use --dialect, or --stdin-filename with a template's name)"
    )]
    UnrecognisedStdin(String),
}

impl LoadError {
    /// An I/O error reading `path`; a missing file says so in the same
    /// words everywhere.
    pub fn io(path: &Path, source: std::io::Error) -> LoadError {
        if source.kind() == std::io::ErrorKind::NotFound && source.get_ref().is_none() {
            return LoadError::NotFound(path.display().to_string());
        }
        LoadError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Reads a template given as bytes (standard input), named `name` (which
/// picks the dialect unless `forced` does; nothing is read from disk: a
/// Makejail's INCLUDEs and a flavour's script are not followed).
pub fn parse_bytes(
    name: &Path,
    bytes: &[u8],
    forced: Option<Dialect>,
    bindings: &Bindings,
) -> Result<Document, LoadError> {
    let file_name = name.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let dialect = forced.or(if file_name == "Bastillefile" {
        Some(Dialect::Bastille)
    } else if is_makejail_name(file_name) {
        Some(Dialect::Makejail)
    } else if file_name == "Potfile" {
        Some(Dialect::Pot)
    } else {
        None
    });
    let source = crate::source::SourceFile::new(name, bytes);
    Ok(match dialect {
        Some(Dialect::Bastille) => bastille::parse(source, bindings),
        Some(Dialect::Makejail) => makejail::parse(source, bindings),
        Some(Dialect::Pot) => pot::parse(vec![pot::Flavour {
            name: file_name.to_string(),
            commands: Some(source),
            script: None,
        }]),
        None => return Err(LoadError::UnrecognisedStdin(name.display().to_string())),
    })
}

/// What a path on disk holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Bastillefile.
    Bastillefile,
    /// A directory of Bastille hook files and no Bastillefile.
    BastilleLegacy,
    /// An AppJail Makejail (`Makejail` or `*.makejail`).
    Makejail,
    /// A pot flavour: a command file, its `.sh` script, or both.
    PotFlavour,
}

/// Guesses what a path is from its name and, for a directory, its files.
pub fn detect(path: &Path, forced: Option<Dialect>) -> Option<Kind> {
    if path.is_dir() {
        // A FIFO named Bastillefile is one, refused when it is read.
        if present(&path.join("Bastillefile")) {
            return Some(Kind::Bastillefile);
        }
        if present(&path.join("Makejail")) {
            return Some(Kind::Makejail);
        }
        return bastille::legacy::is_legacy_dir(path).then_some(Kind::BastilleLegacy);
    }
    match forced {
        Some(Dialect::Bastille) => Some(Kind::Bastillefile),
        Some(Dialect::Makejail) => Some(Kind::Makejail),
        Some(Dialect::Pot) => Some(Kind::PotFlavour),
        None => {
            let name = path.file_name()?.to_str()?;
            if name == "Bastillefile" {
                Some(Kind::Bastillefile)
            } else if is_makejail_name(name) {
                Some(Kind::Makejail)
            } else if pot::is_flavour(path) {
                Some(Kind::PotFlavour)
            } else {
                None
            }
        }
    }
}

/// Whether something that is not a directory is at `path` (a file, or a
/// FIFO or a device that reading will refuse with a clear message).
pub(crate) fn present(path: &Path) -> bool {
    path.exists() && !path.is_dir()
}

/// `Makejail`, `Makejail.SUFFIX` (e.g. `Makejail.vendor`), or any
/// `*.makejail` file.
pub fn is_makejail_name(name: &str) -> bool {
    // `Makejail.template` and the like generate Makejails; they are not one.
    if name.ends_with(".template") {
        return false;
    }
    name == "Makejail"
        || name
            .strip_prefix("Makejail.")
            .is_some_and(|s| !s.is_empty())
        || name
            .strip_suffix(".makejail")
            .is_some_and(|s| !s.is_empty())
}

/// Reads the template at `path`.
pub fn load(
    path: &Path,
    forced: Option<Dialect>,
    bindings: &Bindings,
) -> Result<Document, LoadError> {
    load_in(path, forced, bindings, &Scope::anywhere())
}

/// `load`, reading only inside `scope`.
pub fn load_in(
    path: &Path,
    forced: Option<Dialect>,
    bindings: &Bindings,
    scope: &Scope,
) -> Result<Document, LoadError> {
    let io = |source| LoadError::io(path, source);
    let mut doc = match detect(path, forced) {
        Some(Kind::Bastillefile) => {
            let file = if path.is_dir() {
                path.join("Bastillefile")
            } else {
                path.to_path_buf()
            };
            let source = scope.read(&file).map_err(io)?;
            bastille::parse(source, bindings)
        }
        Some(Kind::BastilleLegacy) => {
            bastille::legacy::parse_dir(path, bindings, scope).map_err(io)?
        }
        Some(Kind::Makejail) => {
            let file = if path.is_dir() {
                path.join("Makejail")
            } else {
                path.to_path_buf()
            };
            let source = scope.read(&file).map_err(io)?;
            makejail::parse(source, bindings)
        }
        Some(Kind::PotFlavour) => pot::load_flavours_in(&[path.to_path_buf()], scope)?,
        None if !path.exists() => return Err(LoadError::NotFound(path.display().to_string())),
        None => return Err(LoadError::Unrecognised(path.display().to_string())),
    };
    if let Some(dir) = doc.sources.first().and_then(|s| s.path.parent()) {
        doc.siblings = siblings(dir);
    }
    let missing = template_sources_missing(&doc, |p| p.exists());
    doc.problems.extend(missing);
    Ok(doc)
}

/// CP/OVERLAY (Bastille) and COPY (Makejail) sources that are not beside
/// the file that names them. Sources with a variable or a glob are left
/// alone (their value is not known here). `exists` is the caller's.
pub fn template_sources_missing(
    doc: &Document,
    exists: impl Fn(&Path) -> bool,
) -> Vec<crate::document::Problem> {
    use crate::ir::{CopyFrom, Instruction};
    if doc.template.dialect == Dialect::Pot {
        return Vec::new();
    }
    let mut found = Vec::new();
    for step in &doc.template.steps {
        let sources: Vec<&String> = match &step.instruction {
            Instruction::Cp {
                sources,
                from: CopyFrom::Template,
                flags,
                ..
            } if !flags.iter().any(|f| f.starts_with("--glob")) => sources.iter().collect(),
            Instruction::Overlay { dir } => vec![dir],
            _ => continue,
        };
        let Some(line) = doc.lines.get(step.line_index) else {
            continue;
        };
        let dir = doc.sources[line.source].dir();
        for source in sources {
            if source.is_empty() || source.contains(['$', '*', '?', '[', '%']) {
                continue;
            }
            // AppJail's COPY runs `cp -a -- SRC` in the Makejail's directory
            // (makejail/cmd/all/COPY:192): an absolute SRC is the host's.
            if doc.template.dialect == Dialect::Makejail && source.starts_with('/') {
                continue;
            }
            let path = dir.join(source.trim_start_matches('/'));
            if !exists(&path) {
                found.push(crate::document::Problem {
                    kind: crate::document::ProblemKind::MissingSource,
                    line: step.line_index,
                    start: 0,
                    end: line.text.len(),
                    message: format!(
                        "{source} is not in the template (looked for {})",
                        path.display()
                    ),
                });
            }
        }
    }
    found
}

/// Reads the template at `path` with its local includes flattened in
/// (Makejail INCLUDE); other dialects read as `load` does.
pub fn load_expanded(
    path: &Path,
    forced: Option<Dialect>,
    bindings: &Bindings,
) -> Result<Document, LoadError> {
    load_expanded_with(path, forced, bindings, None, &Scope::anywhere())
}

/// `load_expanded`, with remote Makejail includes fetched by `remote`,
/// reading only inside `scope` (an INCLUDE that leads out of it is a
/// problem of the template, not read).
pub fn load_expanded_with(
    path: &Path,
    forced: Option<Dialect>,
    bindings: &Bindings,
    remote: Option<&mut makejail::expand::Remote>,
    scope: &Scope,
) -> Result<Document, LoadError> {
    if detect(path, forced) != Some(Kind::Makejail) {
        return load_in(path, forced, bindings, scope);
    }
    let file = if path.is_dir() {
        path.join("Makejail")
    } else {
        path.to_path_buf()
    };
    let mut read = |p: &Path| scope.read_located(p);
    let mut doc = makejail::expand::expand(&file, bindings, &mut read, remote)
        .map_err(|source| LoadError::io(&file, source))?;
    let missing = template_sources_missing(&doc, |p| p.exists());
    doc.problems.extend(missing);
    Ok(doc)
}

/// The names of the files in `dir` (empty when it cannot be read).
fn siblings(dir: &Path) -> Vec<String> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    names
}
