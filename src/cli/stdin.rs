//! `-` for a template: read from standard input (hadolint, ShellCheck and
//! ruff read `-` too). `--stdin-filename NAME` names it in findings and
//! picks its dialect; `--dialect` does otherwise.

use super::Error;
use crate::dialect::{self, Bindings};
use crate::document::Document;
use crate::files::read::TEMPLATE_CAP;
use crate::ir::Dialect;
use clap::Args;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Options for a template read from `-`.
#[derive(Args, Clone, Default)]
pub struct StdinArgs {
    /// The name of a template read from `-` (standard input): shown in
    /// findings, and it picks the dialect (Bastillefile, Makejail,
    /// *.makejail, Potfile) unless --dialect does.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

/// Whether a path argument means standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

impl StdinArgs {
    /// The name the template from standard input goes by.
    pub fn name(&self) -> PathBuf {
        self.stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"))
    }

    /// Reads and parses the template on standard input.
    pub fn load(&self, forced: Option<Dialect>, bindings: &Bindings) -> Result<Document, Error> {
        let bytes = read()?;
        Ok(dialect::parse_bytes(
            &self.name(),
            &bytes,
            forced,
            bindings,
        )?)
    }
}

/// Standard input, at most `TEMPLATE_CAP` bytes.
pub fn read() -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(TEMPLATE_CAP + 1)
        .read_to_end(&mut bytes)
        .map_err(Error::Stdin)?;
    if bytes.len() as u64 > TEMPLATE_CAP {
        return Err(Error::StdinTooLarge);
    }
    Ok(bytes)
}
