//! What a lint run keeps across its templates: which configuration
//! applies to each (`--config`, else the nearest `.jailwright.toml`
//! upward, each read once), and the findings so far, each reported once
//! (a file read twice, an included one, is reported once), with the
//! threshold that decides the exit code.

use super::Diagnostic;
use super::config::{self, Config, ConfigError, Finder, Threshold};
use super::report::FileResult;
use crate::dialect::Scope;
use crate::document::Document;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The configurations of a run.
#[derive(Default)]
pub struct Configs {
    /// `--config`.
    explicit: Option<Config>,
    /// Configurations found upward, by file, read once (`None`: it could
    /// not be read, which was reported).
    found: HashMap<PathBuf, Option<Config>>,
    /// Which directory holds the nearest configuration, remembered.
    finder: Finder,
}

impl Configs {
    /// The configurations of a run given `--config` (or not).
    pub fn new(explicit: Option<Config>) -> Configs {
        Configs {
            explicit,
            ..Configs::default()
        }
    }

    /// `--config`, else the nearest file upward from `template` (one found
    /// inside a walked tree is read only inside it). `Err` when that file
    /// cannot be read: `on_error` is told the first time.
    pub fn of(
        &mut self,
        template: &Path,
        scope: &Scope,
        on_error: &mut dyn FnMut(ConfigError),
    ) -> Result<Option<&Config>, ()> {
        if self.explicit.is_some() {
            return Ok(self.explicit.as_ref());
        }
        let Some(file) = real_dir(template).and_then(|dir| self.finder.nearest(&dir)) else {
            return Ok(None);
        };
        if !self.found.contains_key(&file) {
            let inside = file.parent().is_some_and(|dir| scope.contains(dir));
            let read = if inside {
                config::read(&file, scope)
            } else {
                config::read(&file, &Scope::anywhere())
            };
            let read = read.map_err(on_error).ok();
            self.found.insert(file.clone(), read);
        }
        match self.found.get(&file) {
            Some(Some(config)) => Ok(Some(config)),
            _ => Err(()),
        }
    }
}

/// Where a template's configuration is looked up from: the template
/// resolved (a symlink's target, as a template named through one is
/// read), itself when it is a directory (bastille hook files), else the
/// directory that holds it.
fn real_dir(template: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(template).ok()?;
    if real.is_dir() {
        Some(real)
    } else {
        real.parent().map(Path::to_path_buf)
    }
}

/// The findings of a run, each once.
#[derive(Default)]
pub struct Findings {
    pub results: Vec<FileResult>,
    reported: HashSet<(String, usize, &'static str, String)>,
    /// The lowest severity that fails the run, from the first
    /// configuration that sets one (the command line's comes first).
    pub threshold: Option<Threshold>,
}

impl Findings {
    /// The findings of a run with the command line's threshold.
    pub fn new(threshold: Option<Threshold>) -> Findings {
        Findings {
            threshold,
            ..Findings::default()
        }
    }

    /// Records a template's findings (each finding once across the run).
    pub fn push(&mut self, doc: Document, mut diagnostics: Vec<Diagnostic>) {
        diagnostics.retain(|d| {
            self.reported
                .insert((d.span.file.clone(), d.span.start, d.code, d.message.clone()))
        });
        self.results.push(FileResult { doc, diagnostics });
    }

    /// A configuration's threshold, when none is set yet.
    pub fn threshold_from(&mut self, threshold: Option<Threshold>) {
        self.threshold = self.threshold.or(threshold);
    }

    /// Whether a finding is at or above the threshold (default: error).
    pub fn failing(&self) -> bool {
        let threshold = self.threshold.unwrap_or(Threshold::Error);
        self.results
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| threshold.fails(d.severity))
    }
}
