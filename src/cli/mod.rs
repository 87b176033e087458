//! The command line: argument definitions and dispatch only. Exit codes
//! follow ripgrep: 0 nothing wrong, 1 errors found, 2 usage or I/O error.

#[macro_use]
pub(crate) mod stdio;

mod apply;
mod bootstrap;
mod convert;
mod error;
mod fmt;
mod ledger;
mod lint;
mod look;
mod parse;
mod plan;
mod progress;
mod snapshots;
mod stdin;

use crate::dialect::{Bindings, JailFacts};
use crate::ir::Dialect;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub use error::{Error, ExitCode};

#[derive(Parser)]
#[command(
    name = "jailwright",
    version,
    about = "Read, lint and convert FreeBSD jail templates"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: Global,
}

/// Options every subcommand takes.
#[derive(Args, Clone, Copy, Default)]
pub struct Global {
    /// When to colour output: auto (on a terminal, unless NO_COLOR is set;
    /// CLICOLOR_FORCE forces it), always, never.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        global = true,
        value_name = "WHEN"
    )]
    pub color: look::ColorChoice,
    /// Print less: -q findings only (no summary, no notes), -qq nothing
    /// but errors that stop the command.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub quiet: u8,
}

impl Global {
    /// How text output looks on `stream`.
    pub fn look(&self, stream: look::Stream) -> crate::lint::report::Look {
        look::for_stream(self.color, stream)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Print the instructions a template reads as.
    Parse(parse::ParseArgs),
    /// Report every problem in templates.
    Lint(lint::LintArgs),
    /// Show what applying a template to a jail or a root would do.
    Plan(plan::PlanArgs),
    /// Apply a template to a jail or a root, with a ZFS snapshot after every step.
    Apply(apply::ApplyArgs),
    /// List jailwright's snapshots of a root's dataset.
    Snapshots(snapshots::SnapshotArgs),
    /// Remove jailwright's snapshots of a root's dataset.
    Prune(snapshots::SnapshotArgs),
    /// Convert a template to another manager's dialect, reporting what does not carry over.
    Convert(convert::ConvertArgs),
    /// Rewrite templates in their dialect's canonical layout (`--check` for CI).
    Fmt(fmt::FmtArgs),
    /// Download a FreeBSD release, check it against its MANIFEST and unpack it into a root.
    Bootstrap(bootstrap::BootstrapArgs),
    /// List the lint rules.
    Rules,
    /// Explain a lint rule or a conversion code: what it finds, why, and
    /// how to fix it.
    Explain {
        /// A rule code (JW301) or name (cp-arity), or a conversion code (CV008).
        rule: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), for `man -l -` or share/man/man1.
    Man,
}

/// How a command's result is printed.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For machines (a stable JSON document).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DialectArg {
    Bastille,
    Makejail,
    Pot,
}

impl From<DialectArg> for Dialect {
    fn from(d: DialectArg) -> Self {
        match d {
            DialectArg::Bastille => Dialect::Bastille,
            DialectArg::Makejail => Dialect::Makejail,
            DialectArg::Pot => Dialect::Pot,
        }
    }
}

/// How remote templates (a URL, `gh+USER/REPO`) are fetched.
#[derive(Args, Clone, Default)]
pub struct RemoteArgs {
    /// Accept a plain http URL for a remote template.
    #[arg(long)]
    pub allow_http: bool,
    /// Take a remote template whose sha256 differs from jailwright.lock's.
    #[arg(long)]
    pub update_lock: bool,
    /// Fetch remote INCLUDEs (a Bastille URL; a Makejail's gh+, gl+,
    /// fetch+), pinned in jailwright.lock beside the template. Without it
    /// they are reported, never fetched.
    #[arg(long)]
    pub fetch_includes: bool,
}

impl RemoteArgs {
    pub fn settings(&self) -> crate::remote::Settings {
        crate::remote::Settings {
            allow_http: self.allow_http,
            update_lock: self.update_lock,
            cache: std::env::var_os("JAILWRIGHT_CACHE").map(PathBuf::from),
            fetch_includes: self.fetch_includes,
        }
    }

    /// A template argument as a local path (a remote one fetched).
    pub fn local(&self, arg: &std::path::Path) -> Result<PathBuf, Error> {
        Ok(crate::remote::local(arg, &self.settings())?)
    }
}

/// Options every command that reads templates takes.
#[derive(Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// The dialect, when file names do not tell.
    #[arg(long, value_enum)]
    pub dialect: Option<DialectArg>,
    #[command(flatten)]
    pub bindings: BindingArgs,
}

/// Options that decide what a template's variables become.
#[derive(Args, Clone, Default)]
pub struct BindingArgs {
    /// Set a template argument (repeatable; the first one for a name wins).
    /// `--arg NAME` with no `=` sets it empty, as bastille does.
    #[arg(long = "arg", value_name = "NAME=VALUE")]
    pub args: Vec<String>,
    /// Read NAME=VALUE lines from a file (used when --arg does not set NAME).
    #[arg(long, value_name = "FILE")]
    pub arg_file: Option<PathBuf>,
    /// Set a Makejail build argument `%{NAME}` (AppJail's `-b`).
    #[arg(long = "build-arg", value_name = "NAME=VALUE")]
    pub build_args: Vec<String>,
    /// The jail's name, substituted for ${JAIL_NAME}.
    #[arg(long, value_name = "NAME")]
    pub jail_name: Option<String>,
    /// The jail's IPv4 address, substituted for ${JAIL_IP}.
    #[arg(long, value_name = "ADDR")]
    pub jail_ip: Option<String>,
    /// The jail's IPv6 address, substituted for ${JAIL_IP6}.
    #[arg(long, value_name = "ADDR")]
    pub jail_ip6: Option<String>,
}

impl BindingArgs {
    /// Reads the argument file; an unreadable one is an I/O error.
    pub fn bindings(&self) -> Result<Bindings, Error> {
        let arg_file = match &self.arg_file {
            Some(path) => {
                use crate::files::read::{TEMPLATE_CAP, read_regular};
                let bytes = read_regular(path, TEMPLATE_CAP).map_err(|error| Error::ArgFile {
                    path: path.clone(),
                    error,
                })?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| Error::ArgFileNotUtf8 { path: path.clone() })?;
                Some(text)
            }
            None => None,
        };
        Ok(Bindings {
            args: self.args.clone(),
            arg_file,
            build_args: self.build_args.clone(),
            jail: JailFacts {
                name: self.jail_name.clone(),
                ip4: self.jail_ip.clone(),
                ip6: self.jail_ip6.clone(),
            },
            keep_references: false,
        })
    }
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    run_from(std::env::args_os())
}

/// Runs the command line `args` (the program's name first) and returns the
/// exit code.
pub fn run_from<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitCode::Trouble
            } else {
                ExitCode::Ok
            };
            let _ = e.print();
            return code.code();
        }
    };
    let global = cli.global;
    // Every command's error is printed here, once.
    let code = dispatch(cli.command, &global).unwrap_or_else(|e| {
        error::render(&e);
        ExitCode::Trouble
    });
    if stdio::stdout_failed() {
        ExitCode::Trouble.code()
    } else {
        code.code()
    }
}

fn dispatch(command: Command, global: &Global) -> Result<ExitCode, Error> {
    let global = *global;
    match command {
        Command::Parse(args) => parse::run(args),
        Command::Lint(args) => lint::run(args, &global),
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Snapshots(args) => snapshots::list(args),
        Command::Prune(args) => snapshots::prune(args),
        Command::Convert(args) => convert::run(args, &global),
        Command::Bootstrap(args) => bootstrap::run(args),
        Command::Fmt(args) => fmt::run(args, &global),
        Command::Explain { rule } => explain(&rule),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "jailwright", &mut out);
            out!("{}", String::from_utf8_lossy(&out));
            Ok(ExitCode::Ok)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(Error::Man)?;
            out!("{}", String::from_utf8_lossy(&out));
            Ok(ExitCode::Ok)
        }
        Command::Rules => {
            // `fix`: lint --fix fixes its findings; `opt-in`: reported
            // only when selected by its own code or name.
            for rule in crate::lint::rules::ALL {
                outln!(
                    "{}  {:<28} {:<8} {:<4} {:<6} {}",
                    rule.code,
                    rule.name,
                    rule.severity,
                    if rule.fixable { "fix" } else { "" },
                    if rule.opt_in { "opt-in" } else { "" },
                    rule.summary
                );
            }
            Ok(ExitCode::Ok)
        }
    }
}

/// `jailwright explain CODE`: a lint rule's page, or a conversion code's.
fn explain(code: &str) -> Result<ExitCode, Error> {
    if let Some(rule) = crate::lint::rules::find(code) {
        out!("{}", crate::lint::explain(rule));
        return Ok(ExitCode::Ok);
    }
    if crate::lint::selection::is_shellcheck_code(code) {
        let code = code.to_uppercase();
        out!(
            "{code} (ShellCheck)\n\nA ShellCheck finding, reported under JW901 (shellcheck) with its code in the\nmessage and in JSON's shellcheck_code. ShellCheck's page: {}\n\nSilence it with `--ignore {code}`, `ignore = [\"{code}\"]` in .jailwright.toml, or a\n`# jailwright ignore={code}` comment before the line.\n",
            crate::lint::docs::help_uri(&code)
        );
        return Ok(ExitCode::Ok);
    }
    match crate::convert::explain(code) {
        Some(page) => {
            out!("{page}");
            Ok(ExitCode::Ok)
        }
        None => Err(Error::usage(format!(
            "no rule or conversion code {code}: `jailwright rules` lists the rules, `jailwright convert --help` the CV codes"
        ))),
    }
}

/// Prints a problem the way every command does, for a command that goes
/// on with its other files; the run then ends with `ExitCode::Trouble`.
pub fn trouble(message: impl std::fmt::Display) -> ExitCode {
    errln!("jailwright: {message}");
    ExitCode::Trouble
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_of_every_subcommand_has_help_text() {
        let cli = Cli::command();
        let mut missing = Vec::new();
        for command in std::iter::once(&cli).chain(cli.get_subcommands()) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" || arg.is_hide_set() {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{} {id}", command.get_name()));
                }
            }
        }
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}
