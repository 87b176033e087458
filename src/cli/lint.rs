//! `jailwright lint PATH...`: lints every template found.

use super::{EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, TemplateArgs, trouble};
use crate::dialect::{Found, Scope};
use crate::lint::config::{self, Config, Threshold};
use crate::lint::report::{self, FileResult};
use crate::{dialect, lint};
use clap::Args;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct LintArgs {
    /// Template files, or directories to search for templates.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: LintFormat,
    /// The lowest severity that makes lint exit 1 (`none`: always 0);
    /// default: the configuration's, else `error`.
    #[arg(long, value_enum)]
    failure_threshold: Option<Threshold>,
    /// Do not run ShellCheck on shell text (JW901).
    #[arg(long)]
    no_shellcheck: bool,
    /// A configuration file (default: the nearest `.jailwright.toml` above
    /// each template).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(flatten)]
    options: TemplateArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// miette's report, for people.
    Text,
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// FILE:LINE:COL: severity: message (editors).
    Gnu,
}

pub fn run(args: LintArgs) -> i32 {
    let bindings = match args.options.bindings.bindings() {
        Ok(b) => b,
        Err(e) => return trouble(e),
    };
    let forced = args.options.dialect.map(Into::into);
    let explicit = match &args.config {
        Some(path) => match config::read(path, &Scope::anywhere()) {
            Ok(c) => Some(c),
            Err(e) => return trouble(e),
        },
        None => None,
    };
    let mut run = Run {
        explicit,
        found: Default::default(),
        threshold: args.failure_threshold,
        shellcheck_missing: args.no_shellcheck,
        results: Vec::new(),
        reported: Default::default(),
        trouble_seen: false,
    };
    for path in &args.paths {
        let path = &match args.options.remote.local(path) {
            Ok(p) => p,
            Err(code) => return code,
        };
        if !path.exists() {
            run.trouble(format!("{}: no such file or directory", path.display()));
            continue;
        }
        // A directory is a tree nobody has vetted: nothing out of it is
        // read. A file named on the command line is read where it leads.
        let scope = if path.is_dir() {
            match Scope::within(path) {
                Ok(scope) => scope,
                Err(e) => {
                    run.trouble(format!("{}: {e}", path.display()));
                    continue;
                }
            }
        } else {
            Scope::anywhere()
        };
        for found in dialect::walk(path) {
            let template = match found {
                Found::LinkOutside(link) => {
                    errln!(
                        "jailwright: {}: a symlink to a file outside {}: skipped (name it to lint it)",
                        link.display(),
                        path.display()
                    );
                    continue;
                }
                Found::Template(t) | Found::LinkInside(t) => t,
            };
            match args
                .options
                .remote
                .load_expanded_in(&template, forced, &bindings, &scope)
            {
                Ok(doc) => run.lint(doc, &template, &scope),
                Err(e) => run.trouble(e),
            }
        }
    }
    let out = match args.format {
        LintFormat::Json => report::json(&run.results),
        LintFormat::Text => report::text(
            &run.results,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
        ),
        LintFormat::Sarif => report::sarif(&run.results),
        LintFormat::Github => report::github(&run.results),
        LintFormat::Checkstyle => report::checkstyle(&run.results),
        LintFormat::Gnu => report::gnu(&run.results),
    };
    out!("{out}");
    let threshold = run.threshold.unwrap_or(Threshold::Error);
    let errors = run
        .results
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| threshold.fails(d.severity));
    if run.trouble_seen {
        EXIT_TROUBLE
    } else if errors {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
}

/// What a lint run has gathered so far.
struct Run {
    /// `--config`.
    explicit: Option<Config>,
    /// Configurations found upward, by file, read once (`None`: it could
    /// not be read, which was reported).
    found: HashMap<PathBuf, Option<Config>>,
    threshold: Option<Threshold>,
    shellcheck_missing: bool,
    results: Vec<FileResult>,
    /// A finding in a file read twice (an included one) is reported once.
    reported: HashSet<(String, usize, &'static str, String)>,
    trouble_seen: bool,
}

impl Run {
    /// Reports an error that makes lint exit 2, and goes on.
    fn trouble(&mut self, message: impl std::fmt::Display) {
        trouble(message);
        self.trouble_seen = true;
    }

    /// Lints one template read from `template` (inside `scope`).
    fn lint(&mut self, doc: crate::document::Document, template: &Path, scope: &Scope) {
        let mut diagnostics = lint::lint(&doc);
        if !self.shellcheck_missing {
            match shell_findings(&doc) {
                Some(Ok(mut found)) => {
                    lint::pragma::apply(&doc, &mut found);
                    diagnostics.extend(found);
                }
                Some(Err(e)) => self.trouble(e),
                None => {
                    errln!("jailwright: shellcheck is not installed: shell checks (JW901) skipped");
                    self.shellcheck_missing = true;
                }
            }
        }
        // A template whose configuration cannot be read is not reported:
        // its findings would be wrong, and the run already fails.
        let Ok(config) = self.config(template, scope) else {
            return;
        };
        let failure_threshold = config.and_then(|config| {
            config.apply(template, &mut diagnostics);
            config.failure_threshold
        });
        self.threshold = self.threshold.or(failure_threshold);
        diagnostics.retain(|d| {
            self.reported
                .insert((d.span.file.clone(), d.span.start, d.code, d.message.clone()))
        });
        self.results.push(FileResult { doc, diagnostics });
    }

    /// --config, else the nearest file upward (each read once; one found
    /// inside a walked tree is read only inside it).
    fn config(&mut self, template: &Path, scope: &Scope) -> Result<Option<&Config>, ()> {
        if self.explicit.is_some() {
            return Ok(self.explicit.as_ref());
        }
        let Some(file) = config::find(template) else {
            return Ok(None);
        };
        if !self.found.contains_key(&file) {
            let inside = file.parent().is_some_and(|dir| scope.contains(dir));
            let read = if inside {
                config::read(&file, scope)
            } else {
                config::read(&file, &Scope::anywhere())
            };
            let read = read.map_err(|e| self.trouble(e)).ok();
            self.found.insert(file.clone(), read);
        }
        match self.found.get(&file) {
            Some(Some(config)) => Ok(Some(config)),
            _ => Err(()),
        }
    }
}

/// ShellCheck's findings in a template's shell text; `None` when
/// ShellCheck is not installed.
fn shell_findings(
    doc: &crate::document::Document,
) -> Option<Result<Vec<lint::Diagnostic>, String>> {
    let Some(script) = lint::shellcheck::script(doc) else {
        return Some(Ok(Vec::new()));
    };
    let answer = crate::exec::adapters::shellcheck::run(&script.text)?;
    Some(answer.and_then(|json| lint::shellcheck::diagnostics(doc, &script, &json)))
}
