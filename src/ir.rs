//! The common instruction IR that every dialect reads into.
//!
//! A template is an ordered list of [`Step`]s. Each step keeps where it came
//! from (its [`Span`]), the keyword and argument text exactly as the
//! dialect's own implementation sees them (so it can be printed back with
//! nothing lost), the argument words after variable substitution, and one
//! typed [`Instruction`] that says what the step means.
//!
//! Where two dialects mean the same thing they share a variant (CP, PKG,
//! SYSRC, CMD, SERVICE, ...). What only one manager can express stays an
//! explicit variant of its own; nothing is dropped.

use serde::Serialize;
use std::fmt;

/// Which jail manager's template language a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Bastille,
    Makejail,
    Pot,
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Dialect::Bastille => "bastille",
            Dialect::Makejail => "makejail",
            Dialect::Pot => "pot",
        })
    }
}

/// A region of a source file. `line` and `column` are 1-based and point at
/// `start`; `start..end` is a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

/// How the template's files are laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// A single template file (Bastillefile, Makejail, flavour).
    File,
    /// Bastille's pre-0.7 layout: a directory of hook files (PKG, SYSRC, ...).
    LegacyHooks,
}

#[derive(Debug, Clone, Serialize)]
pub struct Template {
    pub dialect: Dialect,
    pub layout: Layout,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub span: Span,
    /// The keyword exactly as written (`pkg`, `COPY`, `ARG+`).
    pub keyword: String,
    /// The argument text as the dialect's implementation sees it, before
    /// any variable substitution.
    pub text: String,
    /// The argument words after substitution, split as the implementation
    /// splits them.
    pub args: Vec<String>,
    pub instruction: Instruction,
    /// Index of the logical line this step was read from (see `Document`).
    #[serde(skip)]
    pub line_index: usize,
}

/// Who runs `pkg` for a PKG step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PkgRunner {
    /// `pkg` inside the jail (jexec).
    Jail,
    /// The host's `pkg -j JAIL` (Bastille's HPKG).
    Host,
}

/// Where the source of a copy is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyFrom {
    /// Relative to the template's own directory.
    Template,
    /// An absolute path on the host.
    Host,
}

/// What a step means. Serialized with a `kind` tag for the JSON output.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Instruction {
    /// A template parameter. `value` is the resolved value (command line,
    /// argument file or default), `None` when nothing provides one.
    Arg {
        name: String,
        default: Option<String>,
        required: bool,
        value: Option<String>,
    },
    /// Shell text run by the jail's `/bin/sh`.
    Cmd {
        script: String,
    },
    Pkg {
        packages: Vec<String>,
        runner: PkgRunner,
    },
    /// rc.conf edits with sysrc(8) semantics (flags and assignments).
    Sysrc {
        args: Vec<String>,
    },
    /// service(8): name and action (and anything extra as written).
    Service {
        args: Vec<String>,
    },
    /// Copy files from the host into the jail.
    Cp {
        sources: Vec<String>,
        destination: String,
        from: CopyFrom,
    },
    /// Merge a directory of the template into the jail's root.
    Overlay {
        dir: String,
    },
    /// Run another template as a template of its own.
    Include {
        target: String,
        args: Vec<String>,
    },
    /// An fstab-style mount into the jail.
    Mount {
        args: Vec<String>,
    },
    /// Port redirection from the host into the jail.
    Rdr {
        args: Vec<String>,
    },
    /// Jail configuration (jail.conf properties).
    Config {
        args: Vec<String>,
    },
    /// Resource limits (rctl, cpuset).
    Limits {
        args: Vec<String>,
    },
    Restart,
    /// Substitute template variables inside files of the jail.
    Render {
        path: String,
    },
    /// Append a line to a file of the jail unless it is already there.
    LineInFile {
        line: String,
        file: String,
    },
    Tags {
        tags: Vec<String>,
    },
    /// A manager subcommand run as-is (Bastille passes any unknown keyword
    /// to `bastille <keyword> JAIL args`). `known` says whether the manager
    /// has such a subcommand at all.
    Passthrough {
        subcommand: String,
        args: Vec<String>,
        known: bool,
    },
    /// Bastille's legacy TARGET hook: the jails the template applies to.
    Target {
        jails: Vec<String>,
    },
}

impl Instruction {
    /// The canonical upper-case keyword (aliases resolved: COPY → CP).
    pub fn keyword(&self) -> String {
        match self {
            Instruction::Arg {
                required: false, ..
            } => "ARG".into(),
            Instruction::Arg { required: true, .. } => "ARG+".into(),
            Instruction::Cmd { .. } => "CMD".into(),
            Instruction::Pkg {
                runner: PkgRunner::Jail,
                ..
            } => "PKG".into(),
            Instruction::Pkg {
                runner: PkgRunner::Host,
                ..
            } => "HPKG".into(),
            Instruction::Sysrc { .. } => "SYSRC".into(),
            Instruction::Service { .. } => "SERVICE".into(),
            Instruction::Cp { .. } => "CP".into(),
            Instruction::Overlay { .. } => "OVERLAY".into(),
            Instruction::Include { .. } => "INCLUDE".into(),
            Instruction::Mount { .. } => "MOUNT".into(),
            Instruction::Rdr { .. } => "RDR".into(),
            Instruction::Config { .. } => "CONFIG".into(),
            Instruction::Limits { .. } => "LIMITS".into(),
            Instruction::Restart => "RESTART".into(),
            Instruction::Render { .. } => "RENDER".into(),
            Instruction::LineInFile { .. } => "LINE_IN_FILE".into(),
            Instruction::Tags { .. } => "TAGS".into(),
            Instruction::Passthrough { subcommand, .. } => subcommand.to_uppercase(),
            Instruction::Target { .. } => "TARGET".into(),
        }
    }
}
