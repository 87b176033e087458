//! `jailwright parse FILE`: prints the IR.

use super::stdin::{StdinArgs, is_stdin};
use super::{Error, ExitCode, Format, TemplateArgs};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct ParseArgs {
    /// A template file (or a template directory), or `-` for standard input.
    file: PathBuf,
    /// More pot flavours, applied after the first (`pot create -f A -f B`).
    more: Vec<PathBuf>,
    /// Flatten local Makejail INCLUDEs into the steps, as AppJail does.
    #[arg(long)]
    expand_includes: bool,
    /// How the steps are printed.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    stdin: StdinArgs,
    #[command(flatten)]
    options: TemplateArgs,
}

pub fn run(args: ParseArgs) -> Result<ExitCode, Error> {
    let bindings = args.options.bindings.bindings()?;
    let forced = args.options.dialect.map(Into::into);
    if is_stdin(&args.file) {
        if !args.more.is_empty() {
            return Err(Error::usage("`-` (standard input) is one template"));
        }
        return Ok(print(&args.stdin.load(forced, &bindings)?, args.format));
    }
    let templates = [vec![args.file.clone()], args.more.clone()].concat();
    let loaded = crate::load::load(&crate::load::Request {
        templates: &templates,
        forced,
        bindings: &bindings,
        includes: if args.expand_includes {
            crate::load::Includes::Expanded
        } else {
            crate::load::Includes::AsSteps
        },
        remote: &args.options.remote.settings(),
        scope: &crate::dialect::Scope::anywhere(),
    })?;
    Ok(print(&loaded.doc, args.format))
}

fn print(doc: &crate::document::Document, format: Format) -> ExitCode {
    match format {
        Format::Json => {
            // Streamed: a large template is never one JSON tree in memory.
            use std::io::Write as _;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let written =
                crate::inspect::write_json(&doc.template, &mut out).and_then(|()| out.flush());
            super::stdio::stdout_written(written);
        }
        Format::Text => out!("{}", crate::inspect::text(&doc.template)),
    }
    ExitCode::Ok
}
