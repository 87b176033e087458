//! `jailwright parse FILE`: prints the IR.

use super::stdin::{StdinArgs, is_stdin};
use super::{EXIT_OK, Format, TemplateArgs, trouble};
use crate::dialect;
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

pub fn run(args: ParseArgs) -> i32 {
    let bindings = match args.options.bindings.bindings() {
        Ok(b) => b,
        Err(e) => return trouble(e),
    };
    let forced = args.options.dialect.map(Into::into);
    if is_stdin(&args.file) {
        if !args.more.is_empty() {
            return trouble("`-` (standard input) is one template");
        }
        return match args.stdin.load(forced, &bindings) {
            Ok(doc) => print(&doc, args.format),
            Err(e) => trouble(e),
        };
    }
    let mut args = args;
    args.file = match args.options.remote.local(&args.file) {
        Ok(path) => path,
        Err(code) => return code,
    };
    let is_pot = forced == Some(crate::ir::Dialect::Pot)
        || dialect::detect(&args.file, forced) == Some(dialect::Kind::PotFlavour);
    if !args.more.is_empty() && !is_pot {
        return trouble("only pot flavours can be given several at once");
    }
    let loaded = if is_pot {
        let mut paths = vec![args.file.clone()];
        paths.extend(args.more.iter().cloned());
        dialect::load_flavours(&paths)
    } else if args.expand_includes {
        args.options
            .remote
            .load_expanded(&args.file, forced, &bindings)
    } else {
        dialect::load(&args.file, forced, &bindings)
    };
    let doc = match loaded {
        Ok(doc) => doc,
        Err(e) => return trouble(e),
    };
    print(&doc, args.format)
}

fn print(doc: &crate::document::Document, format: Format) -> i32 {
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
    EXIT_OK
}
