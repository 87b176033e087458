//! `jailwright fmt FILE... [--check]`: rewrites templates in their
//! canonical layout (see `format`), or with `--check` lists those that are
//! not (exit 1).

use super::{DialectArg, EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, trouble};
use crate::dialect::{self, Kind};
use crate::ir::Dialect;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct FmtArgs {
    /// Template files or directories (walked).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// The dialect, when file names do not tell.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
}

pub fn run(args: FmtArgs) -> i32 {
    let forced: Option<Dialect> = args.dialect.map(Into::into);
    let mut code = EXIT_OK;
    for path in &args.paths {
        if !path.exists() {
            trouble(format!("{}: no such file or directory", path.display()));
            code = EXIT_TROUBLE;
            continue;
        }
        for file in dialect::discover(path) {
            let dialect = match dialect::detect(&file, forced) {
                Some(Kind::Bastillefile) => Dialect::Bastille,
                Some(Kind::Makejail) => Dialect::Makejail,
                Some(Kind::PotFlavour) => Dialect::Pot,
                // Legacy hook directories have no single file to format.
                _ => continue,
            };
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    trouble(format!("{}: {e}", file.display()));
                    code = EXIT_TROUBLE;
                    continue;
                }
            };
            let Ok(text) = String::from_utf8(bytes) else {
                eprintln!("jailwright: {}: not UTF-8, left as it is", file.display());
                continue;
            };
            let formatted = crate::format::format(dialect, &file.display().to_string(), &text);
            if formatted == text {
                continue;
            }
            if args.check {
                println!("{}: not formatted", file.display());
                code = code.max(EXIT_FOUND);
            } else if let Err(e) =
                crate::output::write_atomically(&file, formatted.as_bytes(), false)
            {
                trouble(format!("{}: {e}", file.display()));
                code = EXIT_TROUBLE;
            } else {
                println!("{}: formatted", file.display());
            }
        }
    }
    code
}
