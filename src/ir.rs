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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
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
    /// The order the manager really runs the steps in, stage by stage, as
    /// indices into `steps`. Empty when that is simply source order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub execution: Vec<StageRun>,
}

/// The steps of one stage in the order they run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageRun {
    pub stage: String,
    /// When the stage runs (e.g. "now, while building", "appjail start").
    pub when: String,
    pub steps: Vec<usize>,
}

impl Template {
    /// Step indices in the order they run: `execution` flattened, or source
    /// order when the dialect does not reorder.
    pub fn execution_order(&self) -> Vec<usize> {
        if self.execution.is_empty() {
            (0..self.steps.len()).collect()
        } else {
            self.execution
                .iter()
                .flat_map(|s| s.steps.iter().copied())
                .collect()
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub span: Span,
    /// The instruction's canonical name in its own dialect (Bastille's
    /// `COPY` is `CP`; a Makejail's `COPY` is `COPY`).
    pub name: String,
    /// The keyword exactly as written (`pkg`, `COPY`, `ARG+`).
    #[serde(rename = "keyword")]
    pub written_keyword: String,
    /// The argument text as the dialect's implementation sees it, before
    /// any variable substitution.
    pub text: String,
    /// The argument words after substitution, split as the implementation
    /// splits them.
    pub args: Vec<String>,
    pub instruction: Instruction,
    /// The stage the step belongs to, in dialects that have stages
    /// (Makejail: `build`, `start`, `custom:NAME`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Index of the logical line this step was read from (see `Document`).
    #[serde(skip)]
    pub line_index: usize,
}

/// Where a command of a PKG, SYSRC or SERVICE step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Runner {
    /// Inside the running jail (jexec).
    #[default]
    Jail,
    /// The host's tool acting on the jail (`pkg -j`, `sysrc -j`).
    Host,
    /// chroot(8) into the jail's root; the jail need not run.
    Chroot,
    /// On the host itself.
    Local,
}

/// What a PKG step asks pkg to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PkgAction {
    #[default]
    Install,
    Remove,
    Autoremove,
    Clean,
    Update,
    Upgrade,
}

/// Where the source of a copy is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyFrom {
    /// Relative to the template's own directory.
    Template,
    /// An absolute path on the host.
    Host,
    /// Inside another jail's root (Makejail `COPY --jail NAME`).
    Jail(String),
}

/// Where a CMD runs (Makejail's CMD flags; Bastille always uses jexec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CmdTarget {
    /// `jexec` into the running jail.
    #[default]
    Jexec,
    /// `chroot` into the jail's root.
    Chroot,
    /// On the host, in the jail's root directory.
    Jaildir,
    /// On the host, in the Makejail's directory.
    Local,
    /// On the host, in the jail's root directory, with `appjail cmd local -j`.
    LocalJaildir,
    /// On the host, in the jail's directory (`appjail cmd local -r`).
    LocalRootdir,
}

/// The user a CMD runs as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CmdUser {
    /// A user of the jail (`jexec -U`).
    Jail(String),
    /// A user of the host (`jexec -u`).
    Host(String),
}

/// How a CMD runs; the default is what Bastille always does.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CmdOptions {
    pub target: CmdTarget,
    /// `NAME=VALUE` set in the command's environment.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<CmdUser>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workdir: Option<String>,
    /// Keep the environment (no `jexec -l`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub noclean: bool,
}

impl CmdOptions {
    pub fn is_default(&self) -> bool {
        *self == CmdOptions::default()
    }
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
    /// Shell text run by `/bin/sh -c` (in the jail unless `options` say
    /// otherwise).
    Cmd {
        script: String,
        #[serde(skip_serializing_if = "CmdOptions::is_default")]
        options: CmdOptions,
    },
    Pkg {
        packages: Vec<String>,
        runner: Runner,
        action: PkgAction,
    },
    /// rc.conf edits with sysrc(8) semantics (flags and assignments).
    Sysrc {
        args: Vec<String>,
        runner: Runner,
    },
    /// service(8): name and action (and anything extra as written).
    Service {
        args: Vec<String>,
        runner: Runner,
    },
    /// Copy files into the jail.
    Cp {
        sources: Vec<String>,
        destination: String,
        from: CopyFrom,
        /// Dialect options that do not change what is copied where
        /// (Makejail `--verbose`, `--glob`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
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
    /// An fstab-style mount into the jail: the fstab fields.
    Mount {
        args: Vec<String>,
        /// Dialect options (Makejail `--nomount`, `--nopersist`, `--nro N`).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
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
        /// The `${NAME}` substitutions in force at this line, in the order
        /// sed applies them (template.sh's ARG_REPLACEMENTS). Parsed, it is
        /// printed as their number: the first that many of the template's
        /// chain.
        #[serde(
            rename = "substitutions",
            skip_serializing_if = "Vars::is_empty",
            serialize_with = "Vars::serialize_count"
        )]
        vars: Vars,
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

    // What only Makejails have.
    /// Switch the stage later instructions belong to.
    Stage {
        name: String,
    },
    /// Shell code copied into the generated script (host side).
    Raw {
        code: String,
    },
    /// A host shell variable set at this point of the stage.
    Var {
        name: String,
        value: Option<String>,
        /// Also passed to later CMDs of the stage.
        make_arg_env: bool,
        /// `$` in the value is not expanded.
        noexpand: bool,
    },
    /// An environment variable for later RUNs of the stage.
    Env {
        name: String,
        value: Option<String>,
    },
    /// The program later RUNs of the stage are passed to.
    Entrypoint {
        program: String,
    },
    /// The user later RUNs of the stage run as.
    User {
        user: String,
    },
    /// The directory later RUN, COPY and ADD of the stage use (created).
    Workdir {
        dir: String,
    },
    /// Forget ENTRYPOINT, USER or WORKDIR state, or the whole stage so far.
    Clear {
        what: String,
    },
    /// Run a command in the jail with the stage's ENV, USER, WORKDIR and
    /// ENTRYPOINT.
    Run {
        command: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    /// Download an archive and extract it into the jail.
    Add {
        url: String,
        destination: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    /// Replace `%{KEYWORD}` in a file of the jail.
    Replace {
        file: String,
        keyword: String,
        value: Option<String>,
        output: Option<String>,
    },
    /// An `appjail quick` option used to create the jail.
    JailOption {
        option: String,
    },
    /// Create the jail from an image.
    From {
        image: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    Start,
    Stop,
    /// Open a login shell in the jail (interactive).
    Login {
        user: Option<String>,
    },
    Destroy {
        jail: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    /// Apply devfs rules to the jail.
    Device {
        rules: Vec<String>,
    },
    /// Add a label to the jail.
    Label {
        key: String,
        value: Option<String>,
    },
    /// Set a parameter of the jail's template (jail.conf).
    Set {
        parameters: Vec<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    Umount {
        mountpoint: String,
    },
    /// Create a volume for the jail.
    Volume {
        volume: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        flags: Vec<String>,
    },
    /// Run a Makejail for another jail.
    Exec {
        args: Vec<String>,
    },
    /// Add a line to a temporary Makejail named `name` (used by EXEC).
    Global {
        name: String,
        line: String,
    },
    /// An instruction the dialect does not have.
    Unknown {
        name: String,
    },

    // What only pot flavours have.
    /// A pot attribute (`set-attribute -A NAME -V VALUE`): jail parameters
    /// and pot's own lifecycle flags.
    Attribute {
        name: String,
        value: String,
    },
    /// The command the jail runs each time it starts (`set-cmd -c`).
    StartCommand {
        command: String,
    },
    /// The start command's environment, replacing any set before
    /// (`set-env -E K=V...`).
    SetEnv {
        vars: Vec<String>,
    },
    /// Another pot started before this one (`add-dep -P`).
    DependsOn {
        pot: String,
    },
    /// A whole shell script run in the jail (pot: `jexec POT /tmp/NAME.sh
    /// POT`, with the caller's environment).
    Script {
        name: String,
        text: String,
    },
    /// A line the manager reads and ignores (pot: comments, blank lines,
    /// commands that are not flavourable).
    Ignored {
        line: String,
    },
}

/// The `${NAME}` substitutions in force at a RENDER: the first `len` of
/// the template's whole chain (template.sh's ARG_REPLACEMENTS), which every
/// RENDER of a template shares. A copy each would make a template of n
/// ARGs and n RENDERs quadratic in time and memory.
#[derive(Clone, Default)]
pub struct Vars {
    chain: std::sync::Arc<[(String, String)]>,
    len: usize,
}

impl Vars {
    /// The first `len` substitutions of a chain not yet complete: `share`
    /// gives it.
    pub fn pending(len: usize) -> Vars {
        Vars {
            chain: std::sync::Arc::from(Vec::new()),
            len,
        }
    }

    /// The first `len` substitutions of `chain`.
    pub fn of(chain: std::sync::Arc<[(String, String)]>, len: usize) -> Vars {
        Vars {
            len: len.min(chain.len()),
            chain,
        }
    }

    /// Gives every RENDER of `steps` the template's whole `chain`.
    pub fn share(steps: &mut [Step], chain: &[(String, String)]) {
        let chain: std::sync::Arc<[(String, String)]> = std::sync::Arc::from(chain);
        for step in steps {
            if let Instruction::Render { vars, .. } = &mut step.instruction {
                *vars = Vars::of(chain.clone(), vars.len);
            }
        }
    }

    /// The substitutions, in the order sed applies them.
    pub fn as_slice(&self) -> &[(String, String)] {
        &self.chain[..self.len.min(self.chain.len())]
    }

    /// The whole chain these are the start of.
    pub fn chain(&self) -> &[(String, String)] {
        &self.chain
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl From<Vec<(String, String)>> for Vars {
    /// All of these substitutions.
    fn from(chain: Vec<(String, String)>) -> Vars {
        let len = chain.len();
        Vars::of(chain.into(), len)
    }
}

impl fmt::Debug for Vars {
    /// How many, and the last: the ARG steps say the rest (and a RENDER
    /// printed whole each time would make printing a template quadratic).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Vars")
            .field("len", &self.len)
            .field("last", &self.as_slice().last())
            .finish()
    }
}

impl PartialEq for Vars {
    fn eq(&self, other: &Vars) -> bool {
        self.len == other.len && self.as_slice() == other.as_slice()
    }
}

impl Eq for Vars {}

impl Vars {
    /// How many: what a parsed RENDER says (the chain is printed once).
    pub fn serialize_count<S: serde::Serializer>(
        vars: &Vars,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(vars.len as u64)
    }
}

/// The (name, value) pairs in force: what a plan's render action does,
/// and so what its cache key holds.
impl Serialize for Vars {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.as_slice().serialize(serializer)
    }
}

impl Instruction {
    /// The IR's name for the instruction, the same in every dialect (a
    /// Makejail COPY and a Bastille COPY are both `CP`; HPKG is `PKG`).
    pub fn ir_name(&self) -> String {
        match self {
            Instruction::Arg {
                required: false, ..
            } => "ARG".into(),
            Instruction::Arg { required: true, .. } => "ARG+".into(),
            Instruction::Cmd { .. } => "CMD".into(),
            Instruction::Pkg { .. } => "PKG".into(),
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
            Instruction::Stage { .. } => "STAGE".into(),
            Instruction::Raw { .. } => "RAW".into(),
            Instruction::Var { .. } => "VAR".into(),
            Instruction::Env { .. } => "ENV".into(),
            Instruction::Entrypoint { .. } => "ENTRYPOINT".into(),
            Instruction::User { .. } => "USER".into(),
            Instruction::Workdir { .. } => "WORKDIR".into(),
            Instruction::Clear { .. } => "CLEAR".into(),
            Instruction::Run { .. } => "RUN".into(),
            Instruction::Add { .. } => "ADD".into(),
            Instruction::Replace { .. } => "REPLACE".into(),
            Instruction::JailOption { .. } => "OPTION".into(),
            Instruction::From { .. } => "FROM".into(),
            Instruction::Start => "START".into(),
            Instruction::Stop => "STOP".into(),
            Instruction::Login { .. } => "LOGIN".into(),
            Instruction::Destroy { .. } => "DESTROY".into(),
            Instruction::Device { .. } => "DEVICE".into(),
            Instruction::Label { .. } => "LABEL".into(),
            Instruction::Set { .. } => "SET".into(),
            Instruction::Umount { .. } => "UMOUNT".into(),
            Instruction::Volume { .. } => "VOLUME".into(),
            Instruction::Exec { .. } => "EXEC".into(),
            Instruction::Global { .. } => "GLOBAL".into(),
            Instruction::Unknown { name } => name.clone(),
            Instruction::Attribute { .. } => "ATTRIBUTE".into(),
            Instruction::StartCommand { .. } => "START_COMMAND".into(),
            Instruction::SetEnv { .. } => "ENV".into(),
            Instruction::DependsOn { .. } => "DEPENDS_ON".into(),
            Instruction::Script { .. } => "SCRIPT".into(),
            Instruction::Ignored { .. } => "IGNORED".into(),
        }
    }
}
