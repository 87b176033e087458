//! `jailwright convert TEMPLATE --to DIALECT [-o OUT] [--strict]`: the
//! template for another manager; what does not carry over is reported
//! (stderr, or `--format json`), each loss with its span, code and
//! suggestion.

use super::stdin::{StdinArgs, is_stdin};
use super::{DialectArg, EXIT_FOUND, EXIT_OK, Format, trouble};
use crate::convert::{Conversion, OutputFile};
use crate::dialect::{self, Bindings, Kind};
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

pub fn run(args: ConvertArgs, global: &super::Global) -> i32 {
    let forced: Option<Dialect> = args.dialect.map(Into::into);
    // ${NAME} references stay parameters of the converted template.
    let bindings = Bindings {
        keep_references: true,
        ..Bindings::default()
    };
    let from_stdin = is_stdin(&args.templates[0]);
    if from_stdin && args.templates.len() > 1 {
        return trouble("`-` (standard input) is one template");
    }
    let first = &if from_stdin {
        args.stdin.name()
    } else {
        match args.remote.local(&args.templates[0]) {
            Ok(p) => p,
            Err(code) => return code,
        }
    };
    let kind = if from_stdin {
        None
    } else {
        dialect::detect(first, forced)
    };
    let loaded = match kind {
        _ if from_stdin => match args.stdin.load(forced, &bindings) {
            Ok(doc) => Ok(doc),
            Err(e) => return trouble(e),
        },
        Some(Kind::PotFlavour) => dialect::load_flavours(&args.templates),
        _ if args.templates.len() > 1 => {
            return trouble("only pot flavours can be given several at once");
        }
        _ => args.remote.load_expanded(first, forced, &bindings),
    };
    let doc = match loaded {
        Ok(doc) => doc,
        Err(e) => return trouble(e),
    };
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
    if let Err(e) = write(&conversion, &doc, args.output.as_deref()) {
        return trouble(e);
    }
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
    if args.strict && !conversion.losses.is_empty() {
        EXIT_FOUND
    } else {
        EXIT_OK
    }
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
fn write(conversion: &Conversion, doc: &Document, output: Option<&Path>) -> Result<(), String> {
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
    let io = |path: &Path, e: std::io::Error| format!("{}: {e}", path.display());
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
