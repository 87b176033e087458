//! `jailwright lint PATH...`: lints every template found.

use super::{EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, TemplateArgs, trouble};
use crate::lint::config::{self, Config, Threshold};
use crate::lint::report::{self, FileResult};
use crate::{dialect, lint};
use clap::Args;
use std::path::PathBuf;

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
        Some(path) => match read_config(path) {
            Ok(c) => Some(c),
            Err(e) => return trouble(e),
        },
        None => None,
    };
    // Configurations found upward, by file, read once.
    let mut found: std::collections::HashMap<PathBuf, Config> = Default::default();
    let mut threshold = args.failure_threshold;
    let mut shellcheck_missing = args.no_shellcheck;
    let mut results = Vec::new();
    let mut reported = std::collections::HashSet::new();
    let mut trouble_seen = false;
    for path in &args.paths {
        let path = &match args.options.remote.local(path) {
            Ok(p) => p,
            Err(code) => return code,
        };
        if !path.exists() {
            trouble(format!("{}: no such file or directory", path.display()));
            trouble_seen = true;
            continue;
        }
        for template in dialect::discover(path) {
            // Makejails are read with their local includes, as AppJail
            // runs them; a finding in an included file is reported once.
            match args
                .options
                .remote
                .load_expanded(&template, forced, &bindings)
            {
                Ok(doc) => {
                    let mut diagnostics = lint::lint(&doc);
                    if !shellcheck_missing {
                        match shell_findings(&doc) {
                            Some(Ok(mut found)) => {
                                lint::pragma::apply(&doc, &mut found);
                                diagnostics.extend(found);
                            }
                            Some(Err(e)) => {
                                trouble(e);
                                trouble_seen = true;
                            }
                            None => {
                                eprintln!(
                                    "jailwright: shellcheck is not installed: shell checks (JW901) skipped"
                                );
                                shellcheck_missing = true;
                            }
                        }
                    }
                    // --config, else the nearest file upward (each read once).
                    let config: Option<&Config> = match &explicit {
                        Some(c) => Some(c),
                        None => match config::find(&template) {
                            Some(file) => {
                                if !found.contains_key(&file) {
                                    match read_config(&file) {
                                        Ok(c) => {
                                            found.insert(file.clone(), c);
                                        }
                                        Err(e) => return trouble(e),
                                    }
                                }
                                found.get(&file)
                            }
                            None => None,
                        },
                    };
                    if let Some(config) = config {
                        config.apply(&template, &mut diagnostics);
                        threshold = threshold.or(config.failure_threshold);
                    }
                    diagnostics.retain(|d| {
                        reported.insert((
                            d.span.file.clone(),
                            d.span.start,
                            d.code,
                            d.message.clone(),
                        ))
                    });
                    results.push(FileResult { doc, diagnostics });
                }
                Err(e) => {
                    trouble(e);
                    trouble_seen = true;
                }
            }
        }
    }
    let out = match args.format {
        LintFormat::Json => report::json(&results),
        LintFormat::Text => report::text(
            &results,
            std::io::IsTerminal::is_terminal(&std::io::stdout()),
        ),
        LintFormat::Sarif => report::sarif(&results),
        LintFormat::Github => report::github(&results),
        LintFormat::Checkstyle => report::checkstyle(&results),
        LintFormat::Gnu => report::gnu(&results),
    };
    print!("{out}");
    let threshold = threshold.unwrap_or(Threshold::Error);
    let errors = results
        .iter()
        .flat_map(|r| &r.diagnostics)
        .any(|d| threshold.fails(d.severity));
    if trouble_seen {
        EXIT_TROUBLE
    } else if errors {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
}

/// Reads a configuration file, saying which on error.
fn read_config(path: &std::path::Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let dir = std::path::absolute(path)
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
        .unwrap_or_default();
    config::parse(&text, &dir).map_err(|e| format!("{}: {e}", path.display()))
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
