//! How a command ends: an `ExitCode` (ripgrep's: 0 nothing wrong, 1
//! errors found, 2 trouble already reported), or an `Error` that stopped
//! it, which `cli::run_from` prints once (`render`) and turns into 2.

use std::path::PathBuf;

/// A command's exit code; the worst of several wins (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    /// Nothing wrong.
    Ok,
    /// Errors found (lint findings, a blocked plan, an unformatted file).
    Found,
    /// Trouble (an unreadable file, say) reported while the command went
    /// on with the rest.
    Trouble,
}

impl ExitCode {
    /// The process's exit status.
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Ok => 0,
            ExitCode::Found => 1,
            ExitCode::Trouble => 2,
        }
    }
}

/// What stopped a command.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    /// Arguments that do not go together (what clap cannot see).
    #[error("{0}")]
    Usage(String),
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: not UTF-8", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("standard input: {0}")]
    Stdin(std::io::Error),
    #[error(
        "standard input: larger than {} bytes, the most a template may be",
        crate::files::read::TEMPLATE_CAP
    )]
    StdinTooLarge,
    #[error("--arg-file {}: {error}", path.display())]
    ArgFile {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("--arg-file {}: not UTF-8", path.display())]
    ArgFileNotUtf8 { path: PathBuf },
    #[error(transparent)]
    Load(#[from] crate::dialect::LoadError),
    #[error(transparent)]
    Templates(#[from] crate::load::LoadFailure),
    #[error(transparent)]
    Remote(#[from] crate::remote::RemoteError),
    #[error(transparent)]
    Config(#[from] crate::lint::config::ConfigError),
    #[error("--select/--ignore: {0}")]
    Selector(#[from] crate::lint::selection::UnknownSelector),
    #[error(transparent)]
    Bootstrap(#[from] crate::bootstrap::BootstrapError),
    #[error(transparent)]
    Lock(#[from] crate::exec::adapters::lock::LockError),
    #[error("jail {jail}: {error}")]
    Jail {
        jail: String,
        error: crate::exec::adapters::jail::JailError,
    },
    #[error("{0}; nothing was changed")]
    Refused(#[from] crate::exec::adapters::target_check::RootRefused),
    #[error(transparent)]
    Dataset(#[from] crate::exec::adapters::zfs::DatasetError),
    /// apply's dataset check, before anything changed.
    #[error("{0}; nothing was changed")]
    ApplyDataset(crate::exec::adapters::zfs::DatasetError),
    #[error("{0}; nothing else was changed")]
    Recovery(std::io::Error),
    #[error("{} is not a ZFS dataset: --snapshots on cannot be honoured", root.display())]
    NoDataset { root: PathBuf },
    #[error("{} is not a ZFS dataset", root.display())]
    NotADataset { root: PathBuf },
    #[error("cannot supervise the steps' processes: {0}")]
    Supervise(std::io::Error),
    #[error(transparent)]
    Snapshots(std::io::Error),
    /// The root could not be opened as apply's target.
    #[error(transparent)]
    Target(std::io::Error),
    #[error(transparent)]
    Chain(#[from] crate::exec::chain::ChainError),
    #[error("stopped by {0}")]
    Stopped(String),
    #[error("man: {0}")]
    Man(std::io::Error),
}

impl Error {
    /// A usage error.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage(message.into())
    }
}

/// Prints an error the way every command does.
pub fn render(error: &Error) {
    errln!("jailwright: {error}");
    if let Some(help) = miette::Diagnostic::help(error) {
        errln!("  help: {help}");
    }
}
