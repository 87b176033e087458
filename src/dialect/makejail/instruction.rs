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
/// driver handles itself): READERS' names.
pub const ALL: [&str; 33] = names(&READERS);

const fn names<const N: usize>(table: &[(&'static str, Read); N]) -> [&'static str; N] {
    let mut out = [""; N];
    let mut i = 0;
    while i < N {
        out[i] = table[i].0;
        i += 1;
    }
    out
}

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

/// What the instruction `name` means (one reader per instruction, in
/// READERS); an unknown name reads as Unknown.
fn read_known(name: &str, r: &mut Reader, context: &Context) -> Instruction {
    match READERS.iter().find(|(n, _)| *n == name) {
        Some((_, read)) => read(r, context),
        None => Instruction::Unknown {
            name: name.to_string(),
        },
    }
}

/// How one instruction's argument text is read.
type Read = fn(&mut Reader, &Context) -> Instruction;

/// Every instruction AppJail knows (cmd/all, cmd/build, and the two the
/// driver handles itself), with its reader.
const READERS: [(&str, Read); 33] = [
    ("ADD", read_add),
    ("ARG", read_arg),
    ("CLEAR", read_clear),
    ("CMD", read_cmd),
    ("COPY", read_copy),
    ("DESTROY", read_destroy),
    ("DEVICE", read_device),
    ("ENTRYPOINT", read_entrypoint),
    ("ENV", read_env),
    ("EXEC", read_exec),
    ("FROM", read_from),
    ("GLOBAL", read_global),
    ("INCLUDE", read_include),
    ("LABEL", read_label),
    ("LOGIN", read_login),
    ("MOUNT", read_mount),
    ("OPTION", read_option),
    ("PKG", read_pkg),
    ("RAW", read_raw),
    ("REPLACE", read_replace),
    ("RESTART", read_restart),
    ("RUN", read_run),
    ("SERVICE", read_service),
    ("SET", read_set),
    ("STAGE", read_stage),
    ("START", read_start),
    ("STOP", read_stop),
    ("SYSRC", read_sysrc),
    ("UMOUNT", read_umount),
    ("USER", read_user),
    ("VAR", read_var),
    ("VOLUME", read_volume),
    ("WORKDIR", read_workdir),
];

fn read_add(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_arg(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_clear(r: &mut Reader, _context: &Context) -> Instruction {
    const USAGE: &str = "usage: CLEAR [entrypoint|user|workdir|stage]";
    let words = r.tokens(false);
    let what = words.first().map(|w| w.text.clone()).unwrap_or_default();
    if !matches!(what.as_str(), "entrypoint" | "user" | "workdir" | "stage") {
        r.usage(USAGE);
    }
    Instruction::Clear { what }
}

fn read_copy(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_destroy(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_device(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
    let words = r.tokens(false);
    if empty {
        r.usage("usage: DEVICE <rulespec> ...");
    }
    Instruction::Device {
        rules: texts(&words),
    }
}

fn read_entrypoint(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
    if empty {
        r.usage("usage: ENTRYPOINT <program>");
    }
    Instruction::Entrypoint {
        program: text.to_string(),
    }
}

fn read_env(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_from(r: &mut Reader, context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_global(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_include(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    match super::include::parse(text) {
        Ok(spec) => Instruction::Include {
            target: format!("{}+{}", spec.method, spec.target),
            args: spec.args,
        },
        Err(message) => {
            let end = text.len();
            r.problem(ProblemKind::Include, 0, end, message.to_string());
            Instruction::Include {
                target: text.to_string(),
                args: Vec::new(),
            }
        }
    }
}

fn read_label(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_login(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
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

fn read_mount(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_option(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
    if empty {
        r.usage("usage: OPTION <option>");
    }
    Instruction::JailOption {
        option: text.to_string(),
    }
}

fn read_raw(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    Instruction::Raw {
        code: text.to_string(),
    }
}

fn read_replace(r: &mut Reader, _context: &Context) -> Instruction {
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

fn read_restart(_r: &mut Reader, _context: &Context) -> Instruction {
    Instruction::Restart
}

fn read_start(_r: &mut Reader, _context: &Context) -> Instruction {
    Instruction::Start
}

fn read_stop(_r: &mut Reader, _context: &Context) -> Instruction {
    Instruction::Stop
}

fn read_run(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_service(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_set(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_stage(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
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

fn read_sysrc(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_umount(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
    if empty {
        r.usage("usage: UMOUNT <mountpoint>");
    }
    Instruction::Umount {
        mountpoint: text.to_string(),
    }
}

fn read_user(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
    if empty {
        r.usage("usage: USER <user>");
    }
    Instruction::User {
        user: text.to_string(),
    }
}

fn read_var(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_volume(r: &mut Reader, _context: &Context) -> Instruction {
    let empty = is_empty(r.text);
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

fn read_workdir(r: &mut Reader, _context: &Context) -> Instruction {
    let text = r.text;
    let empty = is_empty(r.text);
    if empty {
        r.usage("usage: WORKDIR <directory>");
    }
    Instruction::Workdir {
        dir: text.to_string(),
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

fn read_cmd(r: &mut Reader, _context: &Context) -> Instruction {
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

fn read_pkg(r: &mut Reader, _context: &Context) -> Instruction {
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

fn read_exec(r: &mut Reader, _context: &Context) -> Instruction {
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
