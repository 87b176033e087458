//! `jailwright convert TEMPLATE --to DIALECT [-o OUT] [--strict]`: the
//! template for another manager; what does not carry over is reported
//! (stderr, or `--format json`), each loss with its span, code and
//! suggestion.

use super::stdin::{StdinArgs, is_stdin};
use super::{DialectArg, Error, ExitCode, Format};
use crate::convert::{Conversion, OutputFile};
use crate::dialect::{Bindings, Kind};
use crate::document::Document;
use crate::ir::Dialect;
use crate::lint::report::{self, FileResult};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ConvertArgs {
    /// A template file (or directory), or `-` for standard input; for pot,
    /// several flavours in order.
    #[arg(required = true)]
    templates: Vec<PathBuf>,
    /// The manager to convert to.
    #[arg(long, value_enum)]
    to: DialectArg,
    /// Where to write: a file, or a directory when the result needs more
    /// than one file (a flavour's script, files the template copies).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Fail (exit 1) when anything does not carry over.
    #[arg(long)]
    strict: bool,
    /// The flavour's name when converting to pot (default: the source's).
    #[arg(long)]
    name: Option<String>,
    /// How losses are reported.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The dialect, when file names do not tell.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    #[command(flatten)]
    remote: super::RemoteArgs,
    #[command(flatten)]
    stdin: StdinArgs,
}

pub fn run(args: ConvertArgs, global: &super::Global) -> Result<ExitCode, Error> {
    let forced: Option<Dialect> = args.dialect.map(Into::into);
    // ${NAME} references stay parameters of the converted template.
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    let (doc, first, kind) = if is_stdin(&args.templates[0]) {
        if args.templates.len() > 1 {
            return Err(Error::usage("`-` (standard input) is one template"));
        }
        (args.stdin.load(forced, &bindings)?, args.stdin.name(), None)
    } else {
        let loaded = crate::load::load(&crate::load::Request {
            templates: &args.templates,
            forced,
            bindings: &bindings,
            includes: crate::load::Includes::Expanded,
            remote: &args.remote.settings(),
            scope: &crate::dialect::Scope::anywhere(),
        })?;
        (loaded.doc, loaded.first, loaded.kind)
    };
    let first = &first;
    let to: Dialect = args.to.into();
    let name = args.name.clone().unwrap_or_else(|| flavour_name(first));
    // A directory of legacy hook files becomes a Bastillefile by meaning,
    // as `bastille template convert` does (template.sh:185-231).
    let legacy = kind == Some(Kind::BastilleLegacy);
    let conversion = if to == doc.template.dialect && !legacy {
        same_dialect(&doc, &name)
    } else {
        let dir = doc.sources.first().map(|s| s.dir()).unwrap_or_default();
        crate::convert::convert(&doc, to, &name, &crate::output::source_is_dir(&dir))
    };
    write(&conversion, &doc, args.output.as_deref())?;
    let result = FileResult {
        diagnostics: conversion.losses.iter().map(diagnostic).collect(),
        doc,
    };
    let report = match args.format {
        Format::Json => report::json(&[result]),
        Format::Text if result.diagnostics.is_empty() => String::new(),
        Format::Text if global.quiet > 0 => String::new(),
        Format::Text => report::text(&[result], global.look(super::look::Stream::Stderr)),
    };
    err!("{report}");
    Ok(if args.strict && !conversion.losses.is_empty() {
        ExitCode::Found
    } else {
        ExitCode::Ok
    })
}

/// A template printed in its own dialect: the canonical layout of each of
/// its files (a flavour's script as it is).
fn same_dialect(doc: &Document, name: &str) -> Conversion {
    let dialect = doc.template.dialect;
    let mut files = Vec::new();
    for source in &doc.sources {
        let is_script = source.path.extension().is_some_and(|e| e == "sh");
        let text = if is_script {
            source.text.clone()
        } else {
            crate::format::format(dialect, &source.path.display().to_string(), &source.text)
        };
        let path = match (dialect, is_script) {
            (Dialect::Pot, true) => format!("{name}.sh"),
            (Dialect::Pot, false) => name.to_string(),
            (Dialect::Bastille, _) => "Bastillefile".into(),
            (Dialect::Makejail, _) => "Makejail".into(),
        };
        files.push(OutputFile {
            path,
            text,
            executable: is_script,
        });
        if dialect != Dialect::Pot {
            break;
        }
    }
    Conversion {
        dialect,
        files,
        carried: crate::convert::carried(doc),
        losses: Vec::new(),
    }
}

fn flavour_name(path: &Path) -> String {
    let stem = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    match stem.as_str() {
        "Bastillefile" | "Makejail" | "" => path
            .parent()
            .and_then(|p| p.file_name())
            .map_or("flavour".into(), |n| n.to_string_lossy().into_owned()),
        _ if path.is_dir() => stem,
        _ => stem.trim_end_matches(".makejail").to_string(),
    }
}

/// Writes the result: stdout for a single file and no `-o`, else `-o`
/// (a directory when there is more than one file to write).
fn write(conversion: &Conversion, doc: &Document, output: Option<&Path>) -> Result<(), Error> {
    let single = conversion.files.len() == 1 && conversion.carried.is_empty();
    let Some(out) = output else {
        for file in &conversion.files {
            if !single {
                outln!("==> {} <==", file.path);
            }
            out!("{}", file.text);
        }
        if !conversion.carried.is_empty() {
            let names: Vec<&str> = conversion.carried.iter().map(|c| c.from.as_str()).collect();
            errln!(
                "jailwright: the template also needs {} (give -o DIR to write them)",
                names.join(", ")
            );
        }
        return Ok(());
    };
    let io = |path: &Path, error: std::io::Error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    if single && !out.is_dir() {
        let file = &conversion.files[0];
        return crate::output::write_atomically(out, file.text.as_bytes(), file.executable)
            .map_err(|e| io(out, e));
    }
    for file in &conversion.files {
        let path = out.join(&file.path);
        crate::output::write_atomically(&path, file.text.as_bytes(), file.executable)
            .map_err(|e| io(&path, e))?;
    }
    let template_dir = doc.sources.first().map(|s| s.dir()).unwrap_or_default();
    if conversion.carried.is_empty() {
        return Ok(());
    }
    // Carried files are written inside OUT as inside a jail's root: a
    // carried name's `..` or a carried symlink never leads out of it.
    let root = crate::files::root::Root::open(out).map_err(|e| io(out, e))?;
    for carried in &conversion.carried {
        let from = template_dir.join(&carried.from);
        if !from.exists() {
            errln!("jailwright: {}: not found, not carried", from.display());
            continue;
        }
        crate::files::copy::copy_in(&root, &from, &carried.to, true)
            .map_err(|e| io(&out.join(&carried.to), e))?;
    }
    Ok(())
}

/// A loss as a diagnostic, for the lint reports.
fn diagnostic(lost: &crate::convert::Lost) -> crate::lint::Diagnostic {
    let rule = crate::convert::codes::summary(lost.loss.code).unwrap_or("convert");
    crate::lint::Diagnostic {
        code: lost.loss.code,
        rule,
        severity: if lost.dropped {
            crate::lint::Severity::Warning
        } else {
            crate::lint::Severity::Info
        },
        message: lost.loss.message.clone(),
        help: Some(lost.loss.suggestion.clone()),
        shellcheck_code: None,
        fix: Vec::new(),
        opt_in: false,
        span: lost.span.clone(),
    }
}
