//! The operations every emitter understands (what a template does, by
//! meaning), where each came from, and why a construct cannot be carried
//! to another manager. `ops` reads them from a template.

use crate::ir::{CopyFrom, Dialect, PkgAction, Span};

/// One operation and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub op: Op,
    pub span: Span,
    /// The Makejail stage (None for the build stage and other dialects).
    pub stage: Option<String>,
    /// The step as written (`KEYWORD text`), for comments and messages.
    pub written: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Arg {
        name: String,
        default: Option<String>,
        required: bool,
    },
    /// Shell text run by `/bin/sh -c` inside the jail, as root or `user`.
    Shell {
        script: String,
        user: Option<String>,
    },
    Pkg {
        packages: Vec<String>,
        action: PkgAction,
        /// The host's pkg acting on the jail (`HPKG`, `PKG --jail`).
        from_host: bool,
    },
    Sysrc {
        args: Vec<String>,
    },
    Service {
        args: Vec<String>,
    },
    /// `cp -a SOURCE DESTINATION` into the jail; `contents` copies what is
    /// inside a directory (an overlay).
    Copy {
        source: String,
        destination: String,
        from: CopyFrom,
        contents: bool,
        /// Create the destination's directory first (bastille cp).
        parents: bool,
    },
    /// A nullfs (or other) mount of a host path into the jail.
    Mount {
        source: String,
        target: String,
        fstype: String,
        options: String,
    },
    /// Forward `host_port` on the host to `jail_port` in the jail (an
    /// empty `host_port`: one pot picks at each start).
    Redirect {
        proto: String,
        host_port: String,
        jail_port: String,
    },
    /// Append a line to a file of the jail unless it is there.
    LineInFile {
        line: String,
        file: String,
    },
    Restart,
    Start,
    Stop,
    /// Start the jail when the host boots (or not).
    Boot {
        on: bool,
    },
    /// A jail(8) parameter (a boolean one set: no value).
    JailParam {
        name: String,
        value: Option<String>,
    },
    /// A pot flavour's script: run whole in the jail with the pot's name
    /// as `$1`.
    Script {
        name: String,
        text: String,
    },
    /// A construct of one manager only.
    Native {
        dialect: Dialect,
        what: Loss,
    },
}

/// Why a construct cannot be carried to another manager, with a code and a
/// suggestion (`CV` codes, stable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    pub code: &'static str,
    pub message: String,
    pub suggestion: String,
}

impl Loss {
    pub fn new(
        code: &'static str,
        message: impl Into<String>,
        suggestion: impl Into<String>,
    ) -> Loss {
        Loss {
            code,
            message: message.into(),
            suggestion: suggestion.into(),
        }
    }
}
