//! `jailwright fmt FILE... [--check]`: rewrites templates in their
//! canonical layout (see `format`), or with `--check` lists those that are
//! not (exit 1). A symlink is never rewritten (nor the file it leads
//! to); a walked directory is read only inside itself.

use super::stdin::{StdinArgs, is_stdin};
use super::{DialectArg, Error, ExitCode, trouble};
use crate::dialect::{self, Found, Kind, Scope};
use crate::ir::Dialect;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct FmtArgs {
    /// Template files or directories (walked), or `-`: the template on
    /// standard input, formatted to standard output.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Change nothing; exit 1 when a file is not formatted.
    #[arg(long)]
    check: bool,
    /// Change nothing; print what would change as a unified diff (exit 1
    /// when a file is not formatted).
    #[arg(long)]
    diff: bool,
    /// The dialect, when file names do not tell.
    #[arg(long, value_enum)]
    dialect: Option<DialectArg>,
    #[command(flatten)]
    stdin: StdinArgs,
}

/// What fmt does with a file that is not in its canonical layout.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    Check,
    Diff,
}

pub fn run(args: FmtArgs, global: &super::Global) -> Result<ExitCode, Error> {
    let forced: Option<Dialect> = args.dialect.map(Into::into);
    let mode = match (args.check, args.diff) {
        (_, true) => Mode::Diff,
        (true, false) => Mode::Check,
        (false, false) => Mode::Write,
    };
    let quiet = global.quiet;
    let mut code = ExitCode::Ok;
    for path in &args.paths {
        if is_stdin(path) {
            code = code.max(format_stdin(&args, forced, mode));
            continue;
        }
        if !path.exists() {
            trouble(format!("{}: no such file or directory", path.display()));
            code = ExitCode::Trouble;
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
            if named_link && mode == Mode::Write {
                errln!(
                    "jailwright: {}: a symlink: left as it is (format the file it names)",
                    file.display()
                );
                continue;
            }
            code = code.max(format_one(&file, forced, mode, quiet, &scope));
        }
    }
    Ok(code)
}

/// The template on standard input, formatted to standard output (with
/// --check or --diff, only checked).
fn format_stdin(args: &FmtArgs, forced: Option<Dialect>, mode: Mode) -> ExitCode {
    let name = args.stdin.name();
    let bytes = match super::stdin::read() {
        Ok(bytes) => bytes,
        Err(e) => return trouble(e),
    };
    let doc = match dialect::parse_bytes(&name, &bytes, forced, &Default::default()) {
        Ok(doc) => doc,
        Err(e) => return trouble(e),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return trouble(format!("{}: not UTF-8", name.display()));
    };
    let shown = name.display().to_string();
    let formatted = crate::format::format(doc.template.dialect, &shown, &text);
    match mode {
        Mode::Write => {
            out!("{formatted}");
            ExitCode::Ok
        }
        _ if formatted == text => ExitCode::Ok,
        Mode::Check => {
            outln!("{shown}: not formatted");
            ExitCode::Found
        }
        Mode::Diff => {
            out!("{}", unified_diff(&shown, &text, &formatted));
            ExitCode::Found
        }
    }
}

/// A unified diff, as `diff -u` prints it.
pub fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(name, name)
        .to_string()
}

/// Formats (or checks, or diffs) one template file; its exit code.
fn format_one(
    file: &Path,
    forced: Option<Dialect>,
    mode: Mode,
    quiet: u8,
    scope: &Scope,
) -> ExitCode {
    let dialect = match dialect::detect(file, forced) {
        Some(Kind::Bastillefile) => Dialect::Bastille,
        Some(Kind::Makejail) => Dialect::Makejail,
        Some(Kind::PotFlavour) => Dialect::Pot,
        // Legacy hook directories have no single file to format.
        _ => return ExitCode::Ok,
    };
    let bytes = match scope.read_bytes(file) {
        Ok(b) => b,
        Err(e) => return trouble(format!("{}: {e}", file.display())),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        errln!("jailwright: {}: not UTF-8, left as it is", file.display());
        return ExitCode::Ok;
    };
    let formatted = crate::format::format(dialect, &file.display().to_string(), &text);
    if formatted == text {
        return ExitCode::Ok;
    }
    let shown = file.display().to_string();
    match mode {
        Mode::Check => {
            if quiet < 2 {
                outln!("{shown}: not formatted");
            }
            ExitCode::Found
        }
        Mode::Diff => {
            out!("{}", unified_diff(&shown, &text, &formatted));
            ExitCode::Found
        }
        Mode::Write => match crate::output::write_atomically(file, formatted.as_bytes(), false) {
            Err(e) => trouble(format!("{shown}: {e}")),
            Ok(()) => {
                if quiet == 0 {
                    outln!("{shown}: formatted");
                }
                ExitCode::Ok
            }
        },
    }
}
