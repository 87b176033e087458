//! What each Makejail instruction means, with its arguments validated as
//! the instruction's own script (makejail/cmd/{all,build}/NAME) validates
//! them. Problems carry the exact message AppJail prints.

use super::options::{self, Spec};
use super::stages;
use super::tokenizer::{self, Word};
use crate::document::{Found, ProblemKind};
use crate::ir::{CmdOptions, CmdTarget, CmdUser, CopyFrom, Instruction, PkgAction, Runner};
use regex::Regex;
use std::sync::LazyLock;

/// An instruction read: its meaning, its words, and what is wrong with it.
#[derive(Debug, Clone)]
pub struct Reading {
    pub instruction: Instruction,
    pub args: Vec<String>,
    pub problems: Vec<Found>,
}

/// What the reader knows of the lines before this one.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub stage: String,
    /// A FROM was read already (FROM can be used once).
    pub seen_from: bool,
}

/// Instructions only the build stage has (makejail/cmd/build/).
pub const BUILD_ONLY: [&str; 6] = ["FROM", "LOGIN", "OPTION", "RESTART", "START", "STOP"];

/// Every instruction AppJail knows (cmd/all, cmd/build, and the two the
/// driver handles itself).
pub const ALL: [&str; 33] = [
    "ADD",
    "ARG",
    "CLEAR",
    "CMD",
    "COPY",
    "DESTROY",
    "DEVICE",
    "ENTRYPOINT",
    "ENV",
    "EXEC",
    "FROM",
    "GLOBAL",
    "INCLUDE",
    "LABEL",
    "LOGIN",
    "MOUNT",
    "OPTION",
    "PKG",
    "RAW",
    "REPLACE",
    "RESTART",
    "RUN",
    "SERVICE",
    "SET",
    "STAGE",
    "START",
    "STOP",
    "SYSRC",
    "UMOUNT",
    "USER",
    "VAR",
    "VOLUME",
    "WORKDIR",
];

static VAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z_][a-zA-Z0-9_]*(=.*)?$").expect("valid"));
static MKVAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z_][a-zA-Z0-9_]*\??(=.*)?$").expect("valid"));
static GLOBAL_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^:[a-zA-Z0-9_][a-zA-Z0-9_-]*:$").expect("valid"));
static LABEL_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*((\.|-)?[a-z][a-z0-9]*)*$").expect("valid"));

/// `lib_check_empty`: nothing, or only whitespace.
pub fn is_empty(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

struct Reader<'a> {
    text: &'a str,
    problems: Vec<Found>,
}

impl Reader<'_> {
    fn problem(&mut self, kind: ProblemKind, start: usize, end: usize, message: impl Into<String>) {
        self.problems.push(Found {
            kind,
            start: start.min(self.text.len()),
            end: end.min(self.text.len()),
            message: message.into(),
        });
    }

    /// A usage error over the whole argument text.
    fn usage(&mut self, usage: &str) {
        let end = self.text.len();
        self.problem(ProblemKind::Usage, 0, end, usage);
    }

    fn usage_at(&mut self, words: &[Word], index: usize, usage: &str) {
        let (start, end) = match words.get(index) {
            Some(w) => (w.start, w.start + w.text.len()),
            None => (0, self.text.len()),
        };
        self.problem(ProblemKind::Usage, start, end, usage);
    }

    /// The words of the text (tok), or none and a problem.
    fn tokens(&mut self, keep_quotes: bool) -> Vec<Word> {
        match tokenizer::tokenize(self.text, keep_quotes) {
            Ok(words) => words,
            Err(e) => {
                let end = self.text.len();
                self.problem(
                    ProblemKind::Tokenizer,
                    e.offset,
                    end,
                    format!(
                        "Tokenizer: ERROR [ret:-4, errno:0] <Invalid syntax (WDERRS).> ({})",
                        e.message
                    ),
                );
                Vec::new()
            }
        }
    }

    /// Tokenizes and runs the option loop; a usage error is recorded.
    fn options(&mut self, spec: &Spec, usage: &str) -> (Vec<Word>, options::Parsed) {
        let words = self.tokens(false);
        let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        match options::parse(&texts, spec) {
            Ok(parsed) => (words, parsed),
            Err(options::Usage(at)) => {
                self.usage_at(&words, at, usage);
                let end = words.len();
                (
                    words,
                    options::Parsed {
                        options: Vec::new(),
                        positional: end,
                    },
                )
            }
        }
    }
}

fn texts(words: &[Word]) -> Vec<String> {
    words.iter().map(|w| w.text.clone()).collect()
}

fn positionals(words: &[Word], parsed: &options::Parsed) -> Vec<String> {
    words
        .iter()
        .skip(parsed.positional)
        .map(|w| w.text.clone())
        .collect()
}

fn flag_words(parsed: &options::Parsed, keep: &[&str]) -> Vec<String> {
    parsed
        .options
        .iter()
        .filter(|(f, _)| keep.contains(&f.as_str()))
        .flat_map(|(f, v)| std::iter::once(f.clone()).chain(v.clone()))
        .collect()
}

/// Reads instruction `name` with argument text `text` (after build-argument
/// replacement).
pub fn read(name: &str, text: &str, context: &Context) -> Reading {
    let mut r = Reader {
        text,
        problems: Vec::new(),
    };
    let raw = || vec![text.to_string()];
    let (instruction, args) = match name {
        _ if name.is_empty() => {
            r.usage("Makejail needs a command to run!");
            (
                Instruction::Unknown {
                    name: String::new(),
                },
                Vec::new(),
            )
        }
        _ if name.contains('/') => {
            r.problem(
                ProblemKind::UnknownInstruction,
                0,
                0,
                format!("Invalid command: {name}"),
            );
            (Instruction::Unknown { name: name.into() }, raw())
        }
        _ if !ALL.contains(&name) => {
            r.problem(
                ProblemKind::UnknownInstruction,
                0,
                0,
                format!("{name}: command not found."),
            );
            (Instruction::Unknown { name: name.into() }, raw())
        }
        _ if BUILD_ONLY.contains(&name) && context.stage != stages::BUILD => {
            r.problem(
                ProblemKind::BuildOnly,
                0,
                0,
                format!("{name}: command not found."),
            );
            (read_known(name, &mut r, context), Vec::new())
        }
        _ => {
            let instruction = read_known(name, &mut r, context);
            let args = words_of(name, text, &instruction);
            (instruction, args)
        }
    };
    Reading {
        instruction,
        args,
        problems: r.problems,
    }
}

/// The argument words of a step as the instruction gets them.
fn words_of(name: &str, text: &str, instruction: &Instruction) -> Vec<String> {
    const RAW: [&str; 11] = [
        "ARG",
        "ENV",
        "ENTRYPOINT",
        "GLOBAL",
        "RAW",
        "USER",
        "UMOUNT",
        "WORKDIR",
        "OPTION",
        "LABEL",
        "STAGE",
    ];
    if RAW.contains(&name) || name == "INCLUDE" {
        return vec![text.to_string()];
    }
    if matches!(name, "RESTART" | "START" | "STOP") {
        return Vec::new();
    }
    let mut words: Vec<String> = tokenizer::tokenize(text, false)
        .map(|w| texts(&w))
        .unwrap_or_default();
    // CMD reads its command from the keep-quotes words, joined: its words
    // are the options, then the command.
    if let Instruction::Cmd { script, .. } = instruction {
        let options = options::parse(&words, &CMD_OPTIONS).map_or(0, |p| p.positional);
        words.truncate(options);
        words.push(script.clone());
    }
    words
}

fn read_known(name: &str, r: &mut Reader, context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(text);
    match name {
        "ADD" => {
            const USAGE: &str = "usage: ADD [--verbose] <url> [<destination>]";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--verbose"],
                valued: &[],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            let p = positionals(&words, &parsed);
            if !empty && p.first().is_none_or(|u| is_empty(u)) {
                r.usage(USAGE);
            }
            Instruction::Add {
                url: p.first().cloned().unwrap_or_default(),
                destination: p.get(1).cloned(),
                flags: flag_words(&parsed, &["--verbose"]),
            }
        }
        "ARG" => {
            if empty {
                r.usage("usage: ARG <name>[[?]=[<default-value>]]");
            } else if !MKVAR.is_match(text) {
                r.usage(&format!("{text}: Invalid variable."));
            }
            let (left, default) = match text.split_once('=') {
                Some((l, d)) => (l, Some(d.to_string())),
                None => (text, None),
            };
            let optional = left.ends_with('?');
            Instruction::Arg {
                name: left.trim_end_matches('?').to_string(),
                default,
                required: !optional,
                value: None,
            }
        }
        "CLEAR" => {
            const USAGE: &str = "usage: CLEAR [entrypoint|user|workdir|stage]";
            let words = r.tokens(false);
            let what = words.first().map(|w| w.text.clone()).unwrap_or_default();
            if !matches!(what.as_str(), "entrypoint" | "user" | "workdir" | "stage") {
                r.usage(USAGE);
            }
            Instruction::Clear { what }
        }
        "CMD" => read_cmd(r),
        "COPY" => {
            const USAGE: &str = "usage: COPY [--glob|--glob-left|--glob-right] [--verbose] [--jail <jail>] <source> [<destination>]";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--glob", "--glob-left", "--glob-right", "--verbose"],
                valued: &["--jail"],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            let p = positionals(&words, &parsed);
            if !empty && p.first().is_none_or(|s| is_empty(s)) {
                r.usage(USAGE);
            }
            let from = match parsed.value("--jail") {
                Some(jail) => CopyFrom::Jail(jail.to_string()),
                None => CopyFrom::Template,
            };
            Instruction::Cp {
                sources: p.first().cloned().into_iter().collect(),
                destination: p.get(1).cloned().unwrap_or_default(),
                from,
                flags: flag_words(
                    &parsed,
                    &["--glob", "--glob-left", "--glob-right", "--verbose"],
                ),
            }
        }
        "DESTROY" => {
            const USAGE: &str = "usage: DESTROY [--force] [--with-all-dependents] <jail>";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--force", "--with-all-dependents"],
                valued: &[],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            Instruction::Destroy {
                jail: positionals(&words, &parsed)
                    .first()
                    .cloned()
                    .unwrap_or_default(),
                flags: flag_words(&parsed, &["--force", "--with-all-dependents"]),
            }
        }
        "DEVICE" => {
            let words = r.tokens(false);
            if empty {
                r.usage("usage: DEVICE <rulespec> ...");
            }
            Instruction::Device {
                rules: texts(&words),
            }
        }
        "ENTRYPOINT" => {
            if empty {
                r.usage("usage: ENTRYPOINT <program>");
            }
            Instruction::Entrypoint {
                program: text.to_string(),
            }
        }
        "ENV" => {
            let (name, value) = match text.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (text, None),
            };
            if empty {
                r.usage("usage: ENV <name>[=<value>]");
            } else if !VAR.is_match(text) {
                r.usage(&format!("{text}: Invalid environment variable."));
            } else if value.as_deref().is_none_or(is_empty) {
                r.usage(&format!(
                    "{name}: this environment variable requires a value."
                ));
            }
            Instruction::Env {
                name: name.to_string(),
                value,
            }
        }
        "EXEC" => read_exec(r),
        "FROM" => {
            const USAGE: &str = "usage: FROM [--ajspec <name>] [--branch <branch>] [--entrypoint <entrypoint>|none] [--platform <platform>] <image>[:<tag>]";
            if context.seen_from {
                r.usage("FROM cannot be used more than once.");
            }
            if empty {
                r.usage(USAGE);
            }
            let valued = &["--ajspec", "--branch", "--entrypoint", "--platform"];
            let spec = Spec { flags: &[], valued };
            let (words, parsed) = r.options(&spec, USAGE);
            let image = positionals(&words, &parsed)
                .first()
                .cloned()
                .unwrap_or_default();
            if !empty && parsed.positional >= words.len() {
                r.usage(USAGE);
            }
            Instruction::From {
                image,
                flags: flag_words(&parsed, valued),
            }
        }
        "GLOBAL" => {
            let stripped = text.trim_start();
            let name = stripped.split(' ').next().unwrap_or_default();
            let line = text.split_once(' ').map(|(_, l)| l).unwrap_or_default();
            if empty {
                r.usage("usage: GLOBAL :<name>: [<instruction> [<args> ...]]");
            } else if !GLOBAL_NAME.is_match(name) {
                r.usage(&format!("{name}: Invalid global name."));
            }
            Instruction::Global {
                name: name.to_string(),
                line: line.to_string(),
            }
        }
        "INCLUDE" => match super::include::parse(text) {
            Ok(spec) => Instruction::Include {
                target: format!("{}+{}", spec.method, spec.target),
                args: spec.args,
            },
            Err(message) => {
                let end = text.len();
                r.problem(ProblemKind::Include, 0, end, message);
                Instruction::Include {
                    target: text.to_string(),
                    args: Vec::new(),
                }
            }
        },
        "LABEL" => {
            // `lib_jailparam_name` strips leading blanks from the key.
            let (key, value) = match text.trim_start().split_once('=') {
                Some(("", _)) => (text, None),
                Some((k, v)) => (k, Some(v.to_string())),
                None => (text.trim_start(), None),
            };
            if empty {
                r.usage("usage: LABEL <key>=<value>");
            } else if !LABEL_NAME.is_match(key) {
                r.usage(&format!("Invalid label name '{key}'"));
            }
            Instruction::Label {
                key: key.to_string(),
                value,
            }
        }
        "LOGIN" => {
            // LOGIN never fails: a usage error only logs in as root once more.
            let words = tokenizer::tokenize(text, false).unwrap_or_default();
            let texts = texts(&words);
            let spec = Spec {
                flags: &[],
                valued: &["--user"],
            };
            let user = options::parse(&texts, &spec)
                .ok()
                .and_then(|p| p.value("--user").map(str::to_string));
            Instruction::Login { user }
        }
        "MOUNT" => {
            const USAGE: &str = "usage: MOUNT [--nomount] [--nro [auto|<number>]] <device> <mountpoint> [<type>] [<options>] [<dump>] [<pass>]";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--nomount", "--nopersist"],
                valued: &["--nro"],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            let p = positionals(&words, &parsed);
            if !empty && p.len() < 2 {
                r.usage(USAGE);
            } else if p.iter().take(6).any(|f| is_empty(f)) {
                r.usage("An empty field cannot be used in MOUNT.");
            } else if p
                .get(4)
                .is_some_and(|d| !d.chars().all(|c| c.is_ascii_digit()))
            {
                r.usage("DUMP must be a number!");
            } else if p
                .get(5)
                .is_some_and(|d| !d.chars().all(|c| c.is_ascii_digit()))
            {
                r.usage("PASS must be a number!");
            }
            Instruction::Mount {
                args: p.into_iter().take(6).collect(),
                flags: flag_words(&parsed, &["--nomount", "--nopersist", "--nro"]),
            }
        }
        "OPTION" => {
            if empty {
                r.usage("usage: OPTION <option>");
            }
            Instruction::JailOption {
                option: text.to_string(),
            }
        }
        "PKG" => read_pkg(r),
        "RAW" => Instruction::Raw {
            code: text.to_string(),
        },
        "REPLACE" => {
            let words = texts(&r.tokens(false));
            let get = |i: usize| words.get(i).cloned();
            if get(0).is_none_or(|f| is_empty(&f)) || get(1).is_none_or(|k| is_empty(&k)) {
                r.usage("usage: REPLACE <file> <keyword> [<value>] [<output>]");
            }
            Instruction::Replace {
                file: get(0).unwrap_or_default(),
                keyword: get(1).unwrap_or_default(),
                value: get(2),
                output: get(3).filter(|o| !is_empty(o)),
            }
        }
        "RESTART" => Instruction::Restart,
        "START" => Instruction::Start,
        "STOP" => Instruction::Stop,
        "RUN" => {
            const USAGE: &str = "usage: RUN [--maintain-env] [--noclean] [--juser <username>|--huser <username>] [<command> [<args> ...]]";
            if empty {
                r.usage(USAGE);
            }
            let flags = &["--maintain-env", "--noclean"];
            let spec = Spec {
                flags,
                valued: &["--juser", "--huser"],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            Instruction::Run {
                command: positionals(&words, &parsed),
                flags: flag_words(
                    &parsed,
                    &["--maintain-env", "--noclean", "--juser", "--huser"],
                ),
            }
        }
        "SERVICE" => {
            const USAGE: &str = "usage: SERVICE [--jail] <args> ...";
            if empty {
                r.usage(USAGE);
            }
            let (words, parsed) = r.options(
                &Spec {
                    flags: &["--jail"],
                    valued: &[],
                },
                USAGE,
            );
            // makejail/cmd/all/SERVICE:86-105: the host's `service -j J`
            // unless --jail.
            let runner = if parsed.has("--jail") {
                Runner::Jail
            } else {
                Runner::Host
            };
            Instruction::Service {
                args: positionals(&words, &parsed),
                runner,
            }
        }
        "SET" => {
            const USAGE: &str =
                "usage: SET [--mark] [--column <column>] [--row <row>] <parameter>[=<value>]";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--mark"],
                valued: &["--column", "--row"],
            };
            let (_, parsed) = r.options(&spec, USAGE);
            let quoted = tokenizer::tokenize(text, true).unwrap_or_default();
            let parameters: Vec<String> = quoted
                .iter()
                .skip(parsed.positional)
                .map(|w| w.text.clone())
                .collect();
            if !empty && parameters.is_empty() {
                r.usage(USAGE);
            }
            Instruction::Set {
                parameters: vec![parameters.join(" ")],
                flags: flag_words(&parsed, &["--mark", "--column", "--row"]),
            }
        }
        "STAGE" => {
            if empty {
                r.usage("usage: STAGE <stage>");
            } else if !stages::is_valid(text) {
                let message = match text.strip_prefix("custom:") {
                    Some(custom) => format!(
                        "{}: Invalid custom stage.",
                        if custom.is_empty() { text } else { custom }
                    ),
                    None => format!("{text}: stage not found."),
                };
                let end = text.len();
                r.problem(ProblemKind::InvalidStage, 0, end, message);
            }
            Instruction::Stage {
                name: text.to_string(),
            }
        }
        "SYSRC" => {
            const USAGE: &str = "usage: SYSRC [--jexec [--jail]|--local] <name>[[+|-]=<value>] ...";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--jail", "--jexec", "--local"],
                valued: &[],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            // makejail/cmd/all/SYSRC:91-113: the host's `sysrc -j J`
            // unless --jail (the jail's own sysrc, through jexec).
            let runner = if parsed.has("--local") {
                Runner::Local
            } else if parsed.has("--jail") {
                Runner::Jail
            } else {
                Runner::Host
            };
            Instruction::Sysrc {
                args: positionals(&words, &parsed),
                runner,
            }
        }
        "UMOUNT" => {
            if empty {
                r.usage("usage: UMOUNT <mountpoint>");
            }
            Instruction::Umount {
                mountpoint: text.to_string(),
            }
        }
        "USER" => {
            if empty {
                r.usage("usage: USER <user>");
            }
            Instruction::User {
                user: text.to_string(),
            }
        }
        "VAR" => {
            const USAGE: &str = "usage: VAR [--make-arg-env] [--noexpand] <name>[=<default-value>]";
            if empty {
                r.usage(USAGE);
            }
            let spec = Spec {
                flags: &["--make-arg-env", "--noexpand"],
                valued: &[],
            };
            let (words, parsed) = r.options(&spec, USAGE);
            let joined = positionals(&words, &parsed).join(" ");
            if !empty && !VAR.is_match(&joined) {
                r.usage(&format!("{joined}: Invalid variable."));
            }
            let (name, value) = match joined.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (joined.clone(), None),
            };
            Instruction::Var {
                name,
                value,
                make_arg_env: parsed.has("--make-arg-env"),
                noexpand: parsed.has("--noexpand"),
            }
        }
        "VOLUME" => {
            const USAGE: &str = "usage: VOLUME [--group <gid>] [--mountpoint <mountpoint>] [--owner <owner>] [--perm <mode>] [--type <type>] <volume>";
            if empty {
                r.usage(USAGE);
            }
            let valued = &["--group", "--mountpoint", "--owner", "--perm", "--type"];
            let (words, parsed) = r.options(&Spec { flags: &[], valued }, USAGE);
            Instruction::Volume {
                volume: positionals(&words, &parsed)
                    .first()
                    .cloned()
                    .unwrap_or_default(),
                flags: flag_words(&parsed, valued),
            }
        }
        "WORKDIR" => {
            if empty {
                r.usage("usage: WORKDIR <directory>");
            }
            Instruction::Workdir {
                dir: text.to_string(),
            }
        }
        _ => Instruction::Unknown {
            name: name.to_string(),
        },
    }
}

const CMD_OPTIONS: Spec = Spec {
    flags: &[
        "--chroot",
        "--jaildir",
        "--jexec",
        "--local",
        "--local-jaildir",
        "--local-rootdir",
        "--noclean",
    ],
    valued: &["--env", "--juser", "--huser", "--workdir"],
};

fn read_cmd(r: &mut Reader) -> Instruction {
    const USAGE: &str = "usage: CMD [--jexec] [--noclean] [--env <name>[=<value>]] [--juser <username>|--huser <username>] [--workdir <directory>] <cmd> [<args> ...]";
    let empty = is_empty(r.text);
    if empty {
        r.usage(USAGE);
    }
    let spec = CMD_OPTIONS;
    let (words, parsed) = r.options(&spec, USAGE);
    let all_options = !words.is_empty()
        && parsed.positional == words.len().saturating_sub(1)
        && words
            .last()
            .is_some_and(|w| spec.flags.contains(&w.text.as_str()));
    if !empty && (parsed.positional >= words.len() || all_options) && r.problems.is_empty() {
        r.usage(USAGE);
    }
    // The command is read from the keep-quotes words, at the same index.
    let quoted = tokenizer::tokenize(r.text, true).unwrap_or_default();
    let script = quoted
        .iter()
        .skip(parsed.positional)
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let target = [
        ("--chroot", CmdTarget::Chroot),
        ("--jaildir", CmdTarget::Jaildir),
        ("--local", CmdTarget::Local),
        ("--local-jaildir", CmdTarget::LocalJaildir),
        ("--local-rootdir", CmdTarget::LocalRootdir),
    ]
    .into_iter()
    .find(|(flag, _)| parsed.has(flag))
    .map_or(CmdTarget::Jexec, |(_, t)| t);
    let user = match (parsed.value("--juser"), parsed.value("--huser")) {
        (Some(u), _) => Some(CmdUser::Jail(u.to_string())),
        (None, Some(u)) => Some(CmdUser::Host(u.to_string())),
        _ => None,
    };
    Instruction::Cmd {
        script,
        options: CmdOptions {
            target,
            env: parsed.values("--env"),
            user,
            workdir: parsed.value("--workdir").map(str::to_string),
            noclean: parsed.has("--noclean"),
        },
    }
}

fn read_pkg(r: &mut Reader) -> Instruction {
    const USAGE: &str = "usage: PKG [[--chroot|--jexec [--jail]|--local]] <package> ...";
    if is_empty(r.text) {
        r.usage(USAGE);
    }
    let actions = [
        ("--remove", PkgAction::Remove),
        ("--autoremove", PkgAction::Autoremove),
        ("--clean", PkgAction::Clean),
        ("--update", PkgAction::Update),
        ("--upgrade", PkgAction::Upgrade),
    ];
    let spec = Spec {
        flags: &[
            "--chroot",
            "--jexec",
            "--jail",
            "--local",
            "--remove",
            "--autoremove",
            "--clean",
            "--update",
            "--upgrade",
        ],
        valued: &[],
    };
    let (words, parsed) = r.options(&spec, USAGE);
    let chosen: Vec<PkgAction> = actions
        .iter()
        .filter(|(flag, _)| parsed.has(flag))
        .map(|(_, a)| *a)
        .collect();
    if chosen.len() >= 2 {
        r.usage(USAGE);
    }
    let action = chosen.first().copied().unwrap_or(PkgAction::Install);
    let runner = if parsed.has("--chroot") {
        Runner::Chroot
    } else if parsed.has("--local") {
        Runner::Local
    } else if parsed.has("--jail") {
        // share/appjail/cmd/pkg:190-198: `jexec -l -U root J pkg`.
        Runner::Jail
    } else {
        // The host's `pkg -j J`.
        Runner::Host
    };
    let packages = match action {
        PkgAction::Install | PkgAction::Remove => positionals(&words, &parsed)
            .into_iter()
            .filter(|p| !is_empty(p))
            .collect(),
        _ => Vec::new(),
    };
    Instruction::Pkg {
        packages,
        runner,
        action,
    }
}

fn read_exec(r: &mut Reader) -> Instruction {
    const USAGE: &str = "usage: EXEC [--continue-with-errors] [--verbose] [[--after-include <makejail>] ...] [[--arg <parameter>[=<value>]] ...] [[--before-include <makejail>] ...] [[--build-arg <parameter>[=<value>]] ...] [[--option <option>] ...] --file <makejail> --name <name>";
    if is_empty(r.text) {
        r.usage(USAGE);
    }
    let words = r.tokens(false);
    let flags = ["--continue-with-errors", "--verbose"];
    let valued = [
        "--after-include",
        "--arg",
        "--before-include",
        "--build-arg",
        "--file",
        "--name",
        "--option",
    ];
    let mut seen: Vec<String> = Vec::new();
    let mut args = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i].text;
        if flags.contains(&w.as_str()) {
            args.push(w.clone());
            i += 1;
        } else if valued.contains(&w.as_str()) {
            // A value option at the very end is dropped.
            let Some(value) = words.get(i + 1) else { break };
            if is_empty(&value.text) {
                r.usage_at(&words, i + 1, USAGE);
            }
            seen.push(w.clone());
            args.push(w.clone());
            args.push(value.text.clone());
            i += 2;
        } else if w.starts_with("--") && w != "--" {
            r.usage_at(&words, i, USAGE);
            break;
        } else {
            break; // the rest is ignored
        }
    }
    let named = seen.iter().any(|s| s == "--name") && seen.iter().any(|s| s == "--file");
    if !is_empty(r.text) && !named && r.problems.is_empty() {
        r.usage(USAGE);
    }
    Instruction::Exec { args }
}
