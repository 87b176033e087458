//! What a template does, by meaning rather than by keyword: the steps of
//! any dialect turned into the operations every emitter understands.
//! Constructs only one manager has stay `Native`: printed back as written
//! in their own dialect, a loss anywhere else.

use crate::dialect::makejail::run_state::StageState;
use crate::document::Document;
use crate::ir::{
    CmdTarget, CmdUser, CopyFrom, Dialect, Instruction, PkgAction, Runner, Span, Step,
};
use crate::shell::TokenKind;
use crate::shell::params::Params;

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

/// The operations of `doc`, in the order its manager runs them.
pub fn operations(doc: &Document) -> Vec<Located> {
    let dialect = doc.template.dialect;
    let mut state = StageState::default();
    // The names `${NAME}` may refer to: Bastille's built-ins and every ARG
    // (or VAR) declared so far.
    let mut params = match dialect {
        Dialect::Bastille => Params::new(["JAIL_NAME", "JAIL_IP", "JAIL_IP6"]),
        _ => Params::default(),
    };
    let mut out = Vec::new();
    for i in doc.template.execution_order() {
        let step = &doc.template.steps[i];
        let stage = step.stage.clone().filter(|s| s != "build");
        if let Instruction::Arg { name, .. } | Instruction::Var { name, .. } = &step.instruction {
            params.push(name);
        }
        let context = Context {
            dialect,
            state: &state,
            params: &params,
        };
        let op = operation(step, &context);
        if dialect == Dialect::Makejail {
            let _ = state.record(&step.instruction, &[]);
        }
        let written = format!("{} {}", step.keyword, step.text)
            .trim_end()
            .to_string();
        let mut push = |op: Op| {
            out.push(Located {
                op,
                span: step.span.clone(),
                stage: stage.clone(),
                written: written.clone(),
            })
        };
        match op {
            Mapped::One(op) => push(op),
            Mapped::Many(ops) => ops.into_iter().for_each(push),
            Mapped::Nothing => {}
        }
    }
    out
}

enum Mapped {
    One(Op),
    Many(Vec<Op>),
    /// Declarations whose effect the later operations already carry
    /// (Makejail ENV, USER, WORKDIR state; pot's ignored lines).
    Nothing,
}

fn native(dialect: Dialect, code: &'static str, message: String, suggestion: &str) -> Mapped {
    Mapped::One(Op::Native {
        dialect,
        what: Loss::new(code, message, suggestion),
    })
}

/// What an operation is read with.
struct Context<'a> {
    dialect: Dialect,
    state: &'a StageState,
    params: &'a Params,
}

/// Bastille's argument words as its host `eval` splits them, with a `$`
/// that the eval leaves literal (quoted) written `\$`: how every other
/// dialect tells a literal dollar from an expansion. `${NAME}` references
/// to parameters stay as they are (bastille substitutes them first).
fn bastille_words(text: &str, params: &Params) -> Vec<String> {
    let Ok(tokens) = crate::shell::parse(text) else {
        return Vec::new();
    };
    crate::shell::simple_command(&tokens)
        .into_iter()
        .filter_map(|t| match &t.kind {
            TokenKind::Word { value, expands } if !*expands && value.contains('$') => {
                let mut marked = String::new();
                let mut rest = value.as_str();
                while let Some(at) = rest.find('$') {
                    marked.push_str(&rest[..at]);
                    let after = &rest[at..];
                    match params.braced_at(after) {
                        Some(n) => {
                            marked.push_str(&after[..n.len() + 3]);
                            rest = &after[n.len() + 3..];
                        }
                        None => {
                            marked.push_str("\\$");
                            rest = &after[1..];
                        }
                    }
                }
                marked.push_str(rest);
                Some(marked)
            }
            TokenKind::Word { value, .. } => Some(value.clone()),
            _ => None,
        })
        .collect()
}

fn operation(step: &Step, context: &Context) -> Mapped {
    use Instruction as I;
    let (dialect, state, params) = (context.dialect, context.state, context.params);
    // A Bastille step's words with literal dollars marked (when they split
    // as the IR's words did).
    let words = |ir: &[String]| -> Vec<String> {
        if dialect != Dialect::Bastille {
            return ir.to_vec();
        }
        let marked = bastille_words(&step.text, params);
        if marked.len() == ir.len() {
            marked
        } else {
            ir.to_vec()
        }
    };
    let keyword = step.name.clone();
    let manager = |what: &str| {
        native(
            dialect,
            "CV005",
            format!("{keyword}: {what} has no equivalent"),
            "configure it with the target manager's own commands",
        )
    };
    match &step.instruction {
        // jailwright's own spelling of the jail's name for CMD (the
        // built-in every manager has).
        I::Arg {
            name,
            default: Some(default),
            ..
        } if dialect == Dialect::Makejail
            && name == "JAIL_NAME"
            && default == "${APPJAIL_JAILNAME}" =>
        {
            Mapped::Nothing
        }
        // Bastille's default is shell text its host evaluates: its value
        // is what it means.
        I::Arg {
            name,
            default,
            required,
            value,
        } => Mapped::One(Op::Arg {
            name: name.clone(),
            default: match dialect {
                // (an empty value reads as none)
                Dialect::Bastille => value
                    .clone()
                    .or_else(|| default.as_ref().map(|_| String::new())),
                _ => default.clone(),
            },
            required: *required,
        }),
        // Bastille substitutes `${NAME}` inside single quotes too: the
        // reference is taken out of them so that it still expands.
        // How jailwright hands a Makejail CMD the jail's name: the same as
        // Bastille's ${JAIL_NAME}.
        I::Cmd { script, options }
            if options
                .env
                .iter()
                .any(|e| e == "JAIL_NAME=${APPJAIL_JAILNAME}") =>
        {
            let mut options = options.clone();
            options.env.retain(|e| e != "JAIL_NAME=${APPJAIL_JAILNAME}");
            let step = Step {
                instruction: I::Cmd {
                    script: script.clone(),
                    options,
                },
                ..step.clone()
            };
            operation(&step, context)
        }
        I::Cmd { script, options } if options.is_default() && !script.contains('\n') => {
            let script = match dialect {
                Dialect::Bastille => {
                    crate::shell::quote::references_out_of_single_quotes(script, params)
                }
                _ => script.clone(),
            };
            Mapped::One(in_start_dir(
                dialect,
                super::script::command(&script, params),
            ))
        }
        // A legacy CMD hook file: one script, lines kept apart when they
        // do not depend on each other.
        I::Cmd { script, options } if options.is_default() => match super::script::lift(script) {
            Ok(ops) => Mapped::Many(ops.into_iter().map(|o| in_start_dir(dialect, o)).collect()),
            Err(_) => Mapped::One(in_start_dir(
                dialect,
                Op::Shell {
                    script: script.clone(),
                    user: None,
                },
            )),
        },
        I::Cmd { script, options } => match options.target {
            CmdTarget::Jexec => {
                let mut script = script.clone();
                if let Some(dir) = &options.workdir {
                    script = format!("cd {} && {script}", quote(dir));
                }
                if !options.env.is_empty() {
                    let env: Vec<String> = options.env.iter().map(|e| quote(e)).collect();
                    script = format!(
                        "env {} /bin/sh -c {}",
                        env.join(" "),
                        crate::shell::quote::literal(&script)
                    );
                }
                let user = match &options.user {
                    Some(CmdUser::Jail(u)) => Some(u.clone()),
                    Some(CmdUser::Host(u)) => Some(u.clone()),
                    None => None,
                };
                Mapped::One(Op::Shell { script, user })
            }
            other => native(
                dialect,
                "CV004",
                format!("CMD {other:?}: runs outside the jail").to_lowercase(),
                "run it on the host before or after the template",
            ),
        },
        I::Pkg {
            packages,
            runner,
            action,
        } => match runner {
            Runner::Jail | Runner::Host => Mapped::One(Op::Pkg {
                packages: words(packages),
                action: *action,
                // Bastille's HPKG; a Makejail's PKG is the host's `pkg -j`
                // by default, its idiomatic form, not a request for HPKG.
                from_host: *runner == Runner::Host && dialect == Dialect::Bastille,
            }),
            Runner::Chroot | Runner::Local => native(
                dialect,
                "CV004",
                format!("PKG {runner:?}: runs outside the jail").to_lowercase(),
                "install inside the jail instead",
            ),
        },
        I::Sysrc { args, .. } => Mapped::One(Op::Sysrc { args: words(args) }),
        I::Service { args, .. } => Mapped::One(Op::Service { args: words(args) }),
        I::Cp {
            sources,
            destination,
            from,
            flags,
        } => {
            if let Some(glob) = flags.iter().find(|f| f.starts_with("--glob")) {
                return native(
                    dialect,
                    "CV004",
                    format!("COPY {glob}: the host shell expands the pattern"),
                    "copy the files by name",
                );
            }
            if let CopyFrom::Jail(jail) = from {
                return native(
                    dialect,
                    "CV005",
                    format!("COPY --jail {jail}: copies out of another jail"),
                    "copy the file into the template first",
                );
            }
            let mut all = sources.clone();
            all.push(destination.clone());
            let marked = words(&all);
            let (destination, sources) = marked.split_last().expect("one word at least");
            // Every manager copies relative to the jail's root.
            let destination = if dialect == Dialect::Makejail {
                state.in_workdir(destination)
            } else if destination.starts_with('/') {
                destination.clone()
            } else {
                format!("/{destination}")
            };
            Mapped::Many(
                sources
                    .iter()
                    .map(|source| {
                        // cp -a DIR/ copies what is inside DIR (FreeBSD).
                        let contents =
                            dialect != Dialect::Pot && source.len() > 1 && source.ends_with('/');
                        let source = if contents {
                            source.trim_end_matches('/')
                        } else {
                            source
                        };
                        // An absolute source is a host path in every
                        // manager.
                        let (source, from) = match from {
                            CopyFrom::Template if source.starts_with('/') => {
                                (source, CopyFrom::Host)
                            }
                            // A file of pot's flavour directory (where the
                            // flavour is): one of the template's.
                            CopyFrom::Host if dialect == Dialect::Pot => {
                                match source.strip_prefix(crate::dialect::pot::FLAVOUR_DIR) {
                                    Some(rest) => (rest, CopyFrom::Template),
                                    None => (source, CopyFrom::Host),
                                }
                            }
                            other => (source, other.clone()),
                        };
                        Op::Copy {
                            source: source.to_string(),
                            destination: destination.clone(),
                            from,
                            contents,
                            // bastille cp: `mkdir -p` of the destination's
                            // directory first.
                            parents: dialect == Dialect::Bastille,
                        }
                    })
                    .collect(),
            )
        }
        // `cp -a TEMPLATE/DIR ROOT/`: the directory itself lands in the
        // root (`OVERLAY usr` fills /usr).
        I::Overlay { dir } => Mapped::One(Op::Copy {
            source: dir.clone(),
            destination: "/".into(),
            from: CopyFrom::Template,
            contents: false,
            parents: false,
        }),
        I::Mount { args, flags } => match dialect {
            Dialect::Pot => Mapped::One(Op::Mount {
                source: args.first().cloned().unwrap_or_default(),
                target: args.get(1).cloned().unwrap_or_default(),
                fstype: if flags.iter().any(|f| f == "-d") {
                    "nullfs".into()
                } else {
                    return manager("a ZFS dataset or fscomp mount");
                },
                options: if flags.iter().any(|f| f == "-r") {
                    "ro".into()
                } else {
                    "rw".into()
                },
            }),
            _ if args.len() >= 2 => Mapped::One(Op::Mount {
                source: args[0].clone(),
                // The mount point is inside the jail's root.
                target: if args[1].starts_with('/') {
                    args[1].clone()
                } else {
                    format!("/{}", args[1])
                },
                fstype: args.get(2).cloned().unwrap_or_else(|| "nullfs".into()),
                options: args.get(3).cloned().unwrap_or_else(|| match dialect {
                    // AppJail's default options are rw.
                    Dialect::Makejail => "rw".into(),
                    _ => "ro".into(),
                }),
            }),
            _ => native(
                dialect,
                "CV011",
                format!("MOUNT {}: too few fields", args.join(" ")),
                "fix the line",
            ),
        },
        I::Rdr { args } => match redirect(dialect, args) {
            Some(op) => Mapped::Many(op),
            None => native(
                dialect,
                "CV005",
                format!(
                    "{keyword} {}: not a simple port redirection",
                    args.join(" ")
                ),
                "forward the port with the target manager",
            ),
        },
        // What Bastille and pot always do for a template's jail: it exists,
        // runs, and got the host's resolv.conf and time zone at creation.
        I::JailOption { option }
            if matches!(
                option.trim(),
                "start" | "overwrite" | "overwrite=force" | "resolv_conf" | "tzdata"
            ) =>
        {
            Mapped::Nothing
        }
        I::JailOption { option } if matches!(option.trim(), "boot" | "noboot") => {
            Mapped::One(Op::Boot {
                on: option.trim() == "boot",
            })
        }
        I::JailOption { option } => match option.strip_prefix("expose=") {
            Some(spec) => match expose(spec) {
                Some(op) => Mapped::One(op),
                None => manager("this expose"),
            },
            None => native(
                dialect,
                "CV002",
                format!("OPTION {option}: an option of the jail's creation"),
                "create the jail with these options using the target manager",
            ),
        },
        I::LineInFile { line, file } => Mapped::One(Op::LineInFile {
            line: line.clone(),
            file: file.clone(),
        }),
        I::Restart => Mapped::One(Op::Restart),
        I::Start => Mapped::One(Op::Start),
        I::Stop => Mapped::One(Op::Stop),
        I::Passthrough {
            subcommand, args, ..
        } if args.is_empty() && matches!(subcommand.as_str(), "start" | "stop" | "restart") => {
            Mapped::One(match subcommand.as_str() {
                "start" => Op::Start,
                "stop" => Op::Stop,
                _ => Op::Restart,
            })
        }
        I::Script { name, text } => Mapped::One(Op::Script {
            name: name.clone(),
            text: text.clone(),
        }),
        I::Run { command, flags } => {
            let run = state.run(command, flags);
            // run.argv is `su -l|-m USER -c "sh -s"`: keep its user.
            let user = run.argv.get(2).filter(|u| *u != "root").cloned();
            let script = run.stdin.trim_end().to_string();
            Mapped::One(Op::Shell { script, user })
        }
        I::Workdir { dir } => Mapped::One(Op::Shell {
            script: format!("mkdir -p {}", quote(dir)),
            user: None,
        }),
        I::Env { .. }
        | I::User { .. }
        | I::Entrypoint { .. }
        | I::Clear { .. }
        | I::Stage { .. }
        | I::Ignored { .. } => Mapped::Nothing,
        I::Var {
            name,
            value,
            noexpand: false,
            ..
        } => Mapped::One(Op::Arg {
            name: name.clone(),
            default: value.clone(),
            required: value.is_none(),
        }),
        I::Include { target, .. } => native(
            dialect,
            "CV006",
            format!("INCLUDE {target}"),
            "convert the included template and include the result",
        ),
        I::Render { path, .. } => native(
            dialect,
            "CV007",
            format!("RENDER {path}: ${{NAME}} substitution inside the jail's files"),
            "substitute with CMD sed, or ship the rendered file",
        ),
        I::Replace {
            keyword,
            file,
            value,
            output,
        } if crate::shell::is_name(keyword) => Mapped::One(Op::Shell {
            script: replace_script(
                &context.state.in_workdir(file),
                keyword,
                value.as_deref().unwrap_or(""),
                output
                    .as_deref()
                    .map(|o| context.state.in_workdir(o))
                    .as_deref(),
            ),
            user: None,
        }),
        I::Replace {
            keyword: k, file, ..
        } => native(
            dialect,
            "CV007",
            format!("REPLACE {file} {k}: %{{{k}}} substitution"),
            "substitute with a shell command (sed) in the jail",
        ),
        I::Raw { .. } => native(
            dialect,
            "CV004",
            "RAW: shell code of AppJail's host-side build script".into(),
            "run it on the host, or move it into a CMD",
        ),
        I::From { image, .. } => native(
            dialect,
            "CV002",
            format!("FROM {image}: the jail is created from an image"),
            "create the jail from that image with the target manager",
        ),
        I::Login { .. } => native(
            dialect,
            "CV012",
            "LOGIN: an interactive shell".into(),
            "log in by hand after the template ran",
        ),
        I::Attribute { name, value } => match super::jail_params::from_pot(name, value) {
            Some(op) => Mapped::One(op),
            None => manager(&format!("pot attribute {name}={value}")),
        },
        I::StartCommand { command } => manager(&format!("the start command `{command}`")),
        I::SetEnv { .. } => manager("the start command's environment"),
        I::DependsOn { pot } => manager(&format!("a dependency on pot {pot}")),
        I::Config { args } => match super::jail_params::from_bastille(args) {
            Some(op) => Mapped::One(op),
            None => manager("jail.conf"),
        },
        I::Limits { .. } => manager("resource limits"),
        I::Tags { .. } => manager("tags"),
        I::Device { .. } => manager("devfs rules"),
        I::Label { .. } => manager("labels"),
        I::Set { parameters, flags } => {
            match super::jail_params::from_makejail(parameters, flags) {
                Some(op) => Mapped::One(op),
                None => manager("jail parameters"),
            }
        }
        I::Volume { .. } => manager("volumes"),
        I::Umount { .. } => manager("unmounting"),
        I::Destroy { .. } => native(
            dialect,
            "CV002",
            format!("{keyword}: destroys a jail"),
            "destroy it with the target manager",
        ),
        I::Exec { .. } | I::Global { .. } => native(
            dialect,
            "CV006",
            format!("{keyword}: runs a Makejail for another jail"),
            "convert that Makejail separately",
        ),
        I::Add { url, .. } => native(
            dialect,
            "CV008",
            format!("ADD {url}: AppJail downloads on the host"),
            "fetch and extract it with a CMD in the jail",
        ),
        I::Var { .. } => native(
            dialect,
            "CV004",
            format!("{keyword} --noexpand: a host shell variable"),
            "inline its value",
        ),
        I::Passthrough { subcommand, .. } => native(
            dialect,
            "CV005",
            format!("bastille {subcommand}"),
            "run it with the target manager",
        ),
        I::Target { .. } | I::Unknown { .. } => native(
            dialect,
            "CV011",
            format!("{keyword}: not an instruction the manager runs"),
            "remove it",
        ),
    }
}

/// AppJail's REPLACE as shell text in the jail (lib/replace:80-115,
/// 267-334): the file must hold `%{KEY}`; each `%{KEY}` not after a `%`
/// becomes the value (where only `\` and `#` are escaped, so a `&` is
/// sed's match, as in AppJail); `%%{KEY}` then becomes `%{KEY}` in the
/// file read.
fn replace_script(file: &str, keyword: &str, value: &str, output: Option<&str>) -> String {
    let escaped = value.replace('\\', "\\\\").replace('#', "\\#");
    let expression = format!(
        "{}{}{}",
        crate::shell::quote::literal(&format!(
            "s#(^%\\{{{keyword}\\}}|([^%])%\\{{{keyword}\\}})#\\2"
        )),
        quote(&escaped),
        "'#g'"
    );
    let f = quote(file);
    let key = crate::shell::quote::literal(&format!("%{{{keyword}}}"));
    let unescape = crate::shell::quote::literal(&format!("s#%%{{{keyword}}}#%{{{keyword}}}#g"));
    let write = match output {
        Some(out) => format!("sed -E {expression} {f} > {}", quote(out)),
        None => format!("sed -i '' -E {expression} {f}"),
    };
    format!("grep -qF {key} {f} && {write} && sed -i '' {unescape} {f}")
}

/// Where Bastille's CMD starts: root's home (`jexec -l -U root`,
/// template.sh:375-381; jexec(8) `-l` changes to the user's home).
pub const BASTILLE_CMD_DIR: &str = "/root";

/// A shell step as the operations hold it, started in `/` (where AppJail's
/// CMD and pot's flavour script start): a Bastille step that may use its
/// directory first changes to the one bastille starts it in.
fn in_start_dir(dialect: Dialect, op: Op) -> Op {
    use super::words::{cd_first, without_cd};
    match op {
        Op::Shell { script, user } if dialect == Dialect::Bastille && user.is_none() => {
            // (`cd / && X` is X where the operations start)
            let script = match without_cd("/", &script) {
                Some(rest) => rest.to_string(),
                None if crate::shell::cwd::depends_on_cwd(&script) => {
                    cd_first(BASTILLE_CMD_DIR, &script)
                }
                None => script,
            };
            Op::Shell { script, user: None }
        }
        other => other,
    }
}

/// Bastille `RDR tcp|udp HOST JAIL` or pot `export-ports -e [proto:]JAIL[:HOST]`.
fn redirect(dialect: Dialect, args: &[String]) -> Option<Vec<Op>> {
    match dialect {
        Dialect::Pot => args
            .iter()
            .map(|spec| {
                let mut parts: Vec<&str> = spec.split(':').collect();
                let proto = match parts.first().copied() {
                    Some(p @ ("tcp" | "udp")) => {
                        let p = p.to_string();
                        parts.remove(0);
                        p
                    }
                    _ => "tcp".into(),
                };
                let jail_port = parts.first()?.to_string();
                // `-e PORT`: pot takes the lowest free host port at each
                // start (start.sh:313-338,365-367).
                let host_port = parts.get(1).map_or(String::new(), |h| h.to_string());
                Some(Op::Redirect {
                    proto,
                    host_port,
                    jail_port,
                })
            })
            .collect(),
        _ => match args {
            [proto, host, jail] if proto == "tcp" || proto == "udp" => Some(vec![Op::Redirect {
                proto: proto.clone(),
                host_port: host.clone(),
                jail_port: jail.clone(),
            }]),
            _ => None,
        },
    }
}

/// AppJail's `expose=HPORT[:JPORT] [proto:P] [network:N] [descr:D]`
/// (quick:1487; the interfaces, address and logging: not simple).
fn expose(spec: &str) -> Option<Op> {
    let mut words = spec.split_whitespace();
    let ports = words.next()?;
    let mut proto = "tcp".to_string();
    for word in words {
        // The network the jail's port is on, and a description: what
        // the target sets up its own way.
        if word.starts_with("network:") || word.starts_with("descr:") {
            continue;
        }
        proto = word.strip_prefix("proto:")?.to_string();
    }
    let (host, jail) = ports.split_once(':').unwrap_or((ports, ports));
    Some(Op::Redirect {
        proto,
        host_port: host.into(),
        jail_port: jail.into(),
    })
}

/// A word quoted for sh when it needs it (references stay live).
pub fn quote(word: &str) -> String {
    crate::shell::quote::live(word)
}
