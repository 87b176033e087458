//! `jailwright fmt FILE... [--check]`: rewrites templates in their
//! canonical layout (see `format`), or with `--check` lists those that are
//! not (exit 1). A symlink is never rewritten (nor the file it leads
//! to); a walked directory is read only inside itself.

use super::{DialectArg, EXIT_FOUND, EXIT_OK, EXIT_TROUBLE, trouble};
use crate::dialect::{self, Found, Kind, Scope};
use crate::ir::Dialect;
use clap::Args;
use std::path::{Path, PathBuf};

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
        let walked = path.is_dir();
        // A walked tree is read only inside itself.
        let scope = if walked {
            match Scope::within(path) {
                Ok(scope) => scope,
                Err(e) => {
                    code = trouble(format!("{}: {e}", path.display()));
                    continue;
                }
            }
        } else {
            Scope::anywhere()
        };
        for found in dialect::walk(path) {
            let file = match found {
                // fmt rewrites files, never the file a link leads to.
                Found::LinkInside(link) | Found::LinkOutside(link) => {
                    errln!(
                        "jailwright: {}: a symlink: left as it is (format the file it names)",
                        link.display()
                    );
                    continue;
                }
                Found::Template(file) => file,
            };
            // A symlink named on the command line is checked through, not
            // rewritten.
            let named_link = !walked && file.is_symlink();
            if named_link && !args.check {
                errln!(
                    "jailwright: {}: a symlink: left as it is (format the file it names)",
                    file.display()
                );
                continue;
            }
            code = code.max(format_one(&file, forced, args.check, &scope));
        }
    }
    code
}

/// Formats (or with `check`, checks) one template file; its exit code.
fn format_one(file: &Path, forced: Option<Dialect>, check: bool, scope: &Scope) -> i32 {
    let dialect = match dialect::detect(file, forced) {
        Some(Kind::Bastillefile) => Dialect::Bastille,
        Some(Kind::Makejail) => Dialect::Makejail,
        Some(Kind::PotFlavour) => Dialect::Pot,
        // Legacy hook directories have no single file to format.
        _ => return EXIT_OK,
    };
    let bytes = match scope.read_bytes(file) {
        Ok(b) => b,
        Err(e) => return trouble(format!("{}: {e}", file.display())),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        errln!("jailwright: {}: not UTF-8, left as it is", file.display());
        return EXIT_OK;
    };
    let formatted = crate::format::format(dialect, &file.display().to_string(), &text);
    if formatted == text {
        return EXIT_OK;
    }
    if check {
        outln!("{}: not formatted", file.display());
        EXIT_FOUND
    } else if let Err(e) = crate::output::write_atomically(file, formatted.as_bytes(), false) {
        trouble(format!("{}: {e}", file.display()))
    } else {
        outln!("{}: formatted", file.display());
        EXIT_OK
    }
}
