//! `jailwright parse FILE`: prints the IR.

use super::{BindingArgs, DialectArg, EXIT_OK, Format, trouble};
use crate::dialect;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct ParseArgs {
    /// A template file (or a template directory).
    file: PathBuf,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// The dialect, when the file name does not tell.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    #[command(flatten)]
    bindings: BindingArgs,
}

pub fn run(args: ParseArgs) -> i32 {
    let bindings = match args.bindings.bindings() {
        Ok(b) => b,
        Err(e) => return trouble(e),
    };
    let doc = match dialect::load(&args.file, args.dialect.map(Into::into), &bindings) {
        Ok(doc) => doc,
        Err(e) => return trouble(e),
    };
    let out = match args.format {
        Format::Json => crate::inspect::json(&doc.template),
        Format::Text => crate::inspect::text(&doc.template),
    };
    print!("{out}");
    EXIT_OK
}
