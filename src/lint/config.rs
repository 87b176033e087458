//! `.jailwright.toml`: which rules run and how severe they are, for a
//! project. Found upward from the template (or given with `--config`):
//!
//! ```toml
//! failure-threshold = "warning"      # error | warning | info | none
//! select = ["ALL"]                   # default: every rule (ruff's keys)
//! extend-select = []
//! ignore = ["JW206", "SC2086"]       # codes, names, families, ShellCheck codes
//! disable = ["JW206"]                # the same as ignore
//! [severity]
//! JW716 = "warning"                  # error | warning | info
//! [[overrides]]
//! paths = ["legacy/**"]              # globs, relative to this file
//! disable = ["JW601"]
//! severity = { JW102 = "warning" }
//! ```

use super::selection::{Layer, Selection};
use super::{Diagnostic, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = ".jailwright.toml";

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    pub failure_threshold: Option<Threshold>,
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    #[serde(default)]
    pub overrides: Vec<Override>,
    /// The directory the file was found in (override paths are relative
    /// to it).
    #[serde(skip)]
    pub dir: PathBuf,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub paths: Vec<String>,
    /// `paths`, compiled once when the file is read.
    #[serde(skip)]
    matcher: globset::GlobSet,
    #[serde(default)]
    pub disable: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Threshold {
    Error,
    Warning,
    Info,
    None,
}

impl Threshold {
    /// Whether a finding of `severity` makes lint fail.
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            Threshold::Error => severity >= Severity::Error,
            Threshold::Warning => severity >= Severity::Warning,
            Threshold::Info => true,
            Threshold::None => false,
        }
    }
}

/// What is wrong with a configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Toml(#[from] toml::de::Error),
    #[error("overrides: {glob}: {error}")]
    Glob { glob: String, error: globset::Error },
    #[error("overrides: {0}")]
    Globs(globset::Error),
    #[error(transparent)]
    Selector(#[from] super::selection::UnknownSelector),
    #[error("{}: {error}", path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: not UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    /// A problem of the file at `path`.
    #[error("{}: {error}", path.display())]
    In {
        path: PathBuf,
        error: Box<ConfigError>,
    },
}

/// Reads a configuration's text; unknown keys and codes are errors.
pub fn parse(text: &str, dir: &Path) -> Result<Config, ConfigError> {
    let mut config: Config = toml::from_str(text)?;
    config.dir = dir.to_path_buf();
    for o in &mut config.overrides {
        let mut set = globset::GlobSetBuilder::new();
        for glob in &o.paths {
            set.add(globset::Glob::new(glob).map_err(|error| ConfigError::Glob {
                glob: glob.clone(),
                error,
            })?);
        }
        o.matcher = set.build().map_err(ConfigError::Globs)?;
    }
    let mut named: Vec<&String> = config
        .disable
        .iter()
        .chain(&config.ignore)
        .chain(config.select.iter().flatten())
        .chain(&config.extend_select)
        .chain(config.severity.keys())
        .collect();
    for o in &config.overrides {
        named.extend(o.disable.iter().chain(&o.ignore).chain(o.severity.keys()));
    }
    for name in named {
        super::selection::validate(name)?;
    }
    Ok(config)
}

/// Reads the configuration file at `path` (inside `scope`: a
/// configuration found in a walked tree must not lead out of it), saying
/// which file on error.
pub fn read(path: &Path, scope: &crate::dialect::Scope) -> Result<Config, ConfigError> {
    let bytes = scope.read_bytes(path).map_err(|error| ConfigError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| ConfigError::NotUtf8 {
        path: path.to_path_buf(),
    })?;
    let dir = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
        .unwrap_or_default();
    parse(&text, &dir).map_err(|error| ConfigError::In {
        path: path.to_path_buf(),
        error: Box::new(error),
    })
}

/// Finds the nearest `.jailwright.toml` for many templates: each
/// directory's answer is remembered, so a walk looks at each directory
/// once, not once per template below it.
#[derive(Debug, Default)]
pub struct Finder {
    answers: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl Finder {
    /// The nearest configuration in `real_dir` (a resolved directory) or
    /// above it.
    pub fn nearest(&mut self, real_dir: &Path) -> Option<PathBuf> {
        if let Some(answer) = self.answers.get(real_dir) {
            return answer.clone();
        }
        let here = real_dir.join(FILE_NAME);
        let answer = if std::fs::metadata(&here).is_ok_and(|m| !m.is_dir()) {
            Some(here)
        } else {
            real_dir.parent().and_then(|up| self.nearest(up))
        };
        self.answers.insert(real_dir.to_path_buf(), answer.clone());
        answer
    }
}

impl Config {
    fn overrides_for(&self, path: &Path) -> Vec<&Override> {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let relative = absolute.strip_prefix(&self.dir).unwrap_or(&absolute);
        self.overrides
            .iter()
            .filter(|o| o.matcher.is_match(relative))
            .collect()
    }

    /// The selection for a file at `path`: this file's selectors, then the
    /// command line's (`cli`), then the ignores of the overrides that
    /// match `path`.
    pub fn selection(&self, path: &Path, cli: &Layer) -> Selection {
        let file = Layer {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.disable.iter().chain(&self.ignore).cloned().collect(),
        };
        Selection {
            layers: vec![file, cli.clone()],
            per_path_ignore: self
                .overrides_for(path)
                .iter()
                .flat_map(|o| o.disable.iter().chain(&o.ignore).cloned())
                .collect(),
        }
    }

    /// Applies the configuration to findings: those not selected dropped
    /// (`cli` is the command line's selection; an override applies to the
    /// findings in the files its paths match, an included file's too),
    /// severities overridden.
    pub fn apply(&self, cli: &Layer, diagnostics: &mut Vec<Diagnostic>) {
        let mut by_file: std::collections::HashMap<String, (Selection, Vec<&Override>)> =
            std::collections::HashMap::new();
        for d in diagnostics.iter() {
            by_file.entry(d.span.file.clone()).or_insert_with(|| {
                let path = Path::new(&d.span.file);
                (self.selection(path, cli), self.overrides_for(path))
            });
        }
        diagnostics.retain(|d| by_file[&d.span.file].0.keeps(d));
        for d in diagnostics.iter_mut() {
            let matching = &by_file[&d.span.file].1;
            let tables =
                std::iter::once(&self.severity).chain(matching.iter().map(|o| &o.severity));
            for table in tables {
                // The most specific name in a table decides.
                if let Some((_, severity)) = table
                    .iter()
                    .filter(|(n, _)| d.matches(n))
                    .max_by_key(|(n, _)| n.len())
                {
                    d.severity = *severity;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_codes_are_errors() {
        assert!(parse("disable = [\"JW999\"]", Path::new("/")).is_err());
        assert!(parse("disabled = [\"JW201\"]", Path::new("/")).is_err());
        assert!(parse("failure-threshold = \"loud\"", Path::new("/")).is_err());
        let c = parse("failure-threshold = \"warning\"\ndisable = [\"cp-arity\"]\n[severity]\nJW716 = \"error\"\n", Path::new("/")).unwrap();
        assert_eq!(c.failure_threshold, Some(Threshold::Warning));
    }
}
