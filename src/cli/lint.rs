//! `jailwright lint PATH...`: lints every template found.

use super::{EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, TemplateArgs, trouble};
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
    /// The lowest severity that makes lint exit 1 (`none`: always 0).
    #[arg(long, value_enum, default_value = "error")]
    failure_threshold: Threshold,
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    None,
}

pub fn run(args: LintArgs) -> i32 {
    let bindings = match args.options.bindings.bindings() {
        Ok(b) => b,
        Err(e) => return trouble(e),
    };
    let forced = args.options.dialect.map(Into::into);
    let mut results = Vec::new();
    let mut reported = std::collections::HashSet::new();
    let mut trouble_seen = false;
    for path in &args.paths {
        if !path.exists() {
            trouble(format!("{}: no such file or directory", path.display()));
            trouble_seen = true;
            continue;
        }
        for template in dialect::discover(path) {
            // Makejails are read with their local includes, as AppJail
            // runs them; a finding in an included file is reported once.
            match dialect::load_expanded(&template, forced, &bindings) {
                Ok(doc) => {
                    let mut diagnostics = lint::lint(&doc);
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
    let threshold = match args.failure_threshold {
        Threshold::Error => Some(lint::Severity::Error),
        Threshold::Warning => Some(lint::Severity::Warning),
        Threshold::Info => Some(lint::Severity::Info),
        Threshold::None => None,
    };
    let errors = threshold.is_some_and(|t| {
        results
            .iter()
            .flat_map(|r| &r.diagnostics)
            .any(|d| d.severity >= t)
    });
    if trouble_seen {
        EXIT_TROUBLE
    } else if errors {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
}
