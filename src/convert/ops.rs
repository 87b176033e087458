//! What a template does, by meaning rather than by keyword: the steps of
//! any dialect turned into the operations every emitter understands.
//! Constructs only one manager has stay `Native`: printed back as written
//! in their own dialect, a loss anywhere else.

use super::op::{Located, Loss, Op};
use crate::dialect::makejail::run_state::StageState;
use crate::document::Document;
use crate::ir::{
    CmdOptions, CmdTarget, CmdUser, CopyFrom, Dialect, Instruction, PkgAction, Runner, Step,
};
use crate::shell::TokenKind;
use crate::shell::params::Params;

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
        let written = format!("{} {}", step.written_keyword, step.text)
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

/// A step being read into operations.
struct Reading<'a> {
    step: &'a Step,
    dialect: Dialect,
    state: &'a StageState,
    params: &'a Params,
}

impl Reading<'_> {
    /// A Bastille step's words with literal dollars marked (when they
    /// split as the IR's words did).
    fn words(&self, ir: &[String]) -> Vec<String> {
        if self.dialect != Dialect::Bastille {
            return ir.to_vec();
        }
        let marked = bastille_words(&self.step.text, self.params);
        if marked.len() == ir.len() {
            marked
        } else {
            ir.to_vec()
        }
    }

    fn native(&self, code: &'static str, message: String, suggestion: &str) -> Mapped {
        native(self.dialect, code, message, suggestion)
    }

    /// A jail parameter, or what only the source's manager configures.
    fn param(&self, op: Option<Op>, what: &str) -> Mapped {
        op.map_or_else(|| self.manager(what), Mapped::One)
    }

    /// Something only the source's manager configures.
    fn manager(&self, what: &str) -> Mapped {
        self.native(
            "CV005",
            format!("{}: {what} has no equivalent", self.step.name),
            "configure it with the target manager's own commands",
        )
    }
}

fn operation(step: &Step, context: &Context) -> Mapped {
    use Instruction as I;
    let r = Reading {
        step,
        dialect: context.dialect,
        state: context.state,
        params: context.params,
    };
    match &step.instruction {
        I::Arg {
            name,
            default,
            required,
            value,
        } => arg(&r, name, default.as_ref(), *required, value.as_ref()),
        I::Cmd { script, options } => cmd(&r, script, options),
        I::Pkg {
            packages,
            runner,
            action,
        } => pkg(&r, packages, *runner, *action),
        I::Sysrc { args, .. } => Mapped::One(Op::Sysrc {
            args: r.words(args),
        }),
        I::Service { args, .. } => Mapped::One(Op::Service {
            args: r.words(args),
        }),
        I::Cp {
            sources,
            destination,
            from,
            flags,
        } => copy(&r, sources, destination, from, flags),
        // `cp -a TEMPLATE/DIR ROOT/`: the directory itself lands in the
        // root (`OVERLAY usr` fills /usr).
        I::Overlay { dir } => Mapped::One(Op::Copy {
            source: dir.clone(),
            destination: "/".into(),
            from: CopyFrom::Template,
            contents: false,
            parents: false,
        }),
        I::Mount { args, flags } => mount(&r, args, flags),
        I::Rdr { args } => rdr(&r, args),
        I::JailOption { option } => jail_option(&r, option),
        I::LineInFile { line, file } => Mapped::One(Op::LineInFile {
            line: line.clone(),
            file: file.clone(),
        }),
        I::Restart => Mapped::One(Op::Restart),
        I::Start => Mapped::One(Op::Start),
        I::Stop => Mapped::One(Op::Stop),
        I::Passthrough {
            subcommand, args, ..
        } => passthrough(&r, subcommand, args),
        I::Script { name, text } => Mapped::One(Op::Script {
            name: name.clone(),
            text: text.clone(),
        }),
        I::Run { command, flags } => run(&r, command, flags),
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
            noexpand,
            ..
        } => var(&r, name, value.as_ref(), *noexpand),
        I::Replace {
            keyword,
            file,
            value,
            output,
        } => replace(&r, file, keyword, value.as_deref(), output.as_deref()),
        I::Attribute { name, value } => r.param(
            super::jail_params::from_pot(name, value),
            &format!("pot attribute {name}={value}"),
        ),
        I::Config { args } => r.param(super::jail_params::from_bastille(args), "jail.conf"),
        I::Set { parameters, flags } => r.param(
            super::jail_params::from_makejail(parameters, flags),
            "jail parameters",
        ),
        I::StartCommand { command } => r.manager(&format!("the start command `{command}`")),
        I::SetEnv { .. } => r.manager("the start command's environment"),
        I::DependsOn { pot } => r.manager(&format!("a dependency on pot {pot}")),
        I::Limits { .. } => r.manager("resource limits"),
        I::Tags { .. } => r.manager("tags"),
        I::Device { .. } => r.manager("devfs rules"),
        I::Label { .. } => r.manager("labels"),
        I::Volume { .. } => r.manager("volumes"),
        I::Umount { .. } => r.manager("unmounting"),
        I::Include { .. }
        | I::Render { .. }
        | I::Raw { .. }
        | I::From { .. }
        | I::Login { .. }
        | I::Destroy { .. }
        | I::Exec { .. }
        | I::Global { .. }
        | I::Add { .. }
        | I::Target { .. }
        | I::Unknown { .. } => elsewhere(&r, &step.instruction),
    }
}

/// An ARG. jailwright's own spelling of the jail's name for a Makejail's
/// CMD (the built-in every manager has) is no ARG; Bastille's default is
/// shell text its host evaluates: its value is what it means.
fn arg(
    r: &Reading,
    name: &str,
    default: Option<&String>,
    required: bool,
    value: Option<&String>,
) -> Mapped {
    if r.dialect == Dialect::Makejail
        && name == "JAIL_NAME"
        && default.is_some_and(|d| d == "${APPJAIL_JAILNAME}")
    {
        return Mapped::Nothing;
    }
    Mapped::One(Op::Arg {
        name: name.to_string(),
        default: match r.dialect {
            // (an empty value reads as none)
            Dialect::Bastille => value.cloned().or_else(|| default.map(|_| String::new())),
            _ => default.cloned(),
        },
        required,
    })
}

/// A Makejail VAR is an ARG, unless it is a host shell variable
/// (`--noexpand`).
fn var(r: &Reading, name: &str, value: Option<&String>, noexpand: bool) -> Mapped {
    if noexpand {
        return r.native(
            "CV004",
            format!("{} --noexpand: a host shell variable", r.step.name),
            "inline its value",
        );
    }
    Mapped::One(Op::Arg {
        name: name.to_string(),
        default: value.cloned(),
        required: value.is_none(),
    })
}

fn cmd(r: &Reading, script: &str, options: &CmdOptions) -> Mapped {
    // How jailwright hands a Makejail CMD the jail's name: the same as
    // Bastille's ${JAIL_NAME}.
    if options
        .env
        .iter()
        .any(|e| e == "JAIL_NAME=${APPJAIL_JAILNAME}")
    {
        let mut options = options.clone();
        options.env.retain(|e| e != "JAIL_NAME=${APPJAIL_JAILNAME}");
        return cmd(r, script, &options);
    }
    if options.is_default() && !script.contains('\n') {
        // Bastille substitutes `${NAME}` inside single quotes too: the
        // reference is taken out of them so that it still expands.
        let script = match r.dialect {
            Dialect::Bastille => {
                crate::shell::quote::references_out_of_single_quotes(script, r.params)
            }
            _ => script.to_string(),
        };
        return Mapped::One(in_start_dir(
            r.dialect,
            super::script::command(&script, r.params),
        ));
    }
    if options.is_default() {
        // A legacy CMD hook file: one script, lines kept apart when they
        // do not depend on each other.
        return match super::script::lift(script) {
            Ok(ops) => Mapped::Many(
                ops.into_iter()
                    .map(|o| in_start_dir(r.dialect, o))
                    .collect(),
            ),
            Err(_) => Mapped::One(in_start_dir(
                r.dialect,
                Op::Shell {
                    script: script.to_string(),
                    user: None,
                },
            )),
        };
    }
    cmd_with_options(r, script, options)
}

/// A CMD with options: jexec's working directory, environment and user
/// become shell text; any other runner runs outside the jail.
fn cmd_with_options(r: &Reading, script: &str, options: &CmdOptions) -> Mapped {
    let other = match options.target {
        CmdTarget::Jexec => {
            let mut script = script.to_string();
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
            return Mapped::One(Op::Shell { script, user });
        }
        other => other,
    };
    r.native(
        "CV004",
        format!("CMD {other:?}: runs outside the jail").to_lowercase(),
        "run it on the host before or after the template",
    )
}

fn pkg(r: &Reading, packages: &[String], runner: Runner, action: PkgAction) -> Mapped {
    match runner {
        Runner::Jail | Runner::Host => Mapped::One(Op::Pkg {
            packages: r.words(packages),
            action,
            // Bastille's HPKG; a Makejail's PKG is the host's `pkg -j` by
            // default, its idiomatic form, not a request for HPKG.
            from_host: runner == Runner::Host && r.dialect == Dialect::Bastille,
        }),
        Runner::Chroot | Runner::Local => r.native(
            "CV004",
            format!("PKG {runner:?}: runs outside the jail").to_lowercase(),
            "install inside the jail instead",
        ),
    }
}

fn copy(
    r: &Reading,
    sources: &[String],
    destination: &str,
    from: &CopyFrom,
    flags: &[String],
) -> Mapped {
    if let Some(glob) = flags.iter().find(|f| f.starts_with("--glob")) {
        return r.native(
            "CV004",
            format!("COPY {glob}: the host shell expands the pattern"),
            "copy the files by name",
        );
    }
    if let CopyFrom::Jail(jail) = from {
        return r.native(
            "CV005",
            format!("COPY --jail {jail}: copies out of another jail"),
            "copy the file into the template first",
        );
    }
    let mut all = sources.to_vec();
    all.push(destination.to_string());
    let marked = r.words(&all);
    let (destination, sources) = marked.split_last().expect("one word at least");
    // Every manager copies relative to the jail's root.
    let destination = if r.dialect == Dialect::Makejail {
        r.state.in_workdir(destination)
    } else if destination.starts_with('/') {
        destination.clone()
    } else {
        format!("/{destination}")
    };
    Mapped::Many(
        sources
            .iter()
            .map(|source| copy_one(r.dialect, source, &destination, from))
            .collect(),
    )
}

fn copy_one(dialect: Dialect, source: &str, destination: &str, from: &CopyFrom) -> Op {
    // cp -a DIR/ copies what is inside DIR (FreeBSD).
    let contents = dialect != Dialect::Pot && source.len() > 1 && source.ends_with('/');
    let source = if contents {
        source.trim_end_matches('/')
    } else {
        source
    };
    // An absolute source is a host path in every manager.
    let (source, from) = match from {
        CopyFrom::Template if source.starts_with('/') => (source, CopyFrom::Host),
        // A file of pot's flavour directory (where the flavour is): one of
        // the template's.
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
        destination: destination.to_string(),
        from,
        contents,
        // bastille cp: `mkdir -p` of the destination's directory first.
        parents: dialect == Dialect::Bastille,
    }
}

fn mount(r: &Reading, args: &[String], flags: &[String]) -> Mapped {
    match r.dialect {
        Dialect::Pot => {
            if !flags.iter().any(|f| f == "-d") {
                return r.manager("a ZFS dataset or fscomp mount");
            }
            Mapped::One(Op::Mount {
                source: args.first().cloned().unwrap_or_default(),
                target: args.get(1).cloned().unwrap_or_default(),
                fstype: "nullfs".into(),
                options: if flags.iter().any(|f| f == "-r") {
                    "ro".into()
                } else {
                    "rw".into()
                },
            })
        }
        _ if args.len() >= 2 => Mapped::One(Op::Mount {
            source: args[0].clone(),
            // The mount point is inside the jail's root.
            target: if args[1].starts_with('/') {
                args[1].clone()
            } else {
                format!("/{}", args[1])
            },
            fstype: args.get(2).cloned().unwrap_or_else(|| "nullfs".into()),
            options: args.get(3).cloned().unwrap_or_else(|| match r.dialect {
                // AppJail's default options are rw.
                Dialect::Makejail => "rw".into(),
                _ => "ro".into(),
            }),
        }),
        _ => r.native(
            "CV011",
            format!("MOUNT {}: too few fields", args.join(" ")),
            "fix the line",
        ),
    }
}

fn rdr(r: &Reading, args: &[String]) -> Mapped {
    match redirect(r.dialect, args) {
        Some(op) => Mapped::Many(op),
        None => r.native(
            "CV005",
            format!(
                "{} {}: not a simple port redirection",
                r.step.name,
                args.join(" ")
            ),
            "forward the port with the target manager",
        ),
    }
}

fn jail_option(r: &Reading, option: &str) -> Mapped {
    match option.trim() {
        // What Bastille and pot always do for a template's jail: it
        // exists, runs, and got the host's resolv.conf and time zone at
        // creation.
        "start" | "overwrite" | "overwrite=force" | "resolv_conf" | "tzdata" => Mapped::Nothing,
        on @ ("boot" | "noboot") => Mapped::One(Op::Boot { on: on == "boot" }),
        _ => match option.strip_prefix("expose=") {
            Some(spec) => match expose(spec) {
                Some(op) => Mapped::One(op),
                None => r.manager("this expose"),
            },
            None => r.native(
                "CV002",
                format!("OPTION {option}: an option of the jail's creation"),
                "create the jail with these options using the target manager",
            ),
        },
    }
}

fn passthrough(r: &Reading, subcommand: &str, args: &[String]) -> Mapped {
    match subcommand {
        "start" if args.is_empty() => Mapped::One(Op::Start),
        "stop" if args.is_empty() => Mapped::One(Op::Stop),
        "restart" if args.is_empty() => Mapped::One(Op::Restart),
        _ => r.native(
            "CV005",
            format!("bastille {subcommand}"),
            "run it with the target manager",
        ),
    }
}

fn run(r: &Reading, command: &[String], flags: &[String]) -> Mapped {
    let run = r.state.run(command, flags);
    // run.argv is `su -l|-m USER -c "sh -s"`: keep its user.
    let user = run.argv.get(2).filter(|u| *u != "root").cloned();
    let script = run.stdin.trim_end().to_string();
    Mapped::One(Op::Shell { script, user })
}

/// AppJail's REPLACE of a `%{NAME}` keyword as shell text in the jail.
fn replace(
    r: &Reading,
    file: &str,
    keyword: &str,
    value: Option<&str>,
    output: Option<&str>,
) -> Mapped {
    if !crate::shell::is_name(keyword) {
        return r.native(
            "CV007",
            format!("REPLACE {file} {keyword}: %{{{keyword}}} substitution"),
            "substitute with a shell command (sed) in the jail",
        );
    }
    Mapped::One(Op::Shell {
        script: replace_script(
            &r.state.in_workdir(file),
            keyword,
            value.unwrap_or(""),
            output.map(|o| r.state.in_workdir(o)).as_deref(),
        ),
        user: None,
    })
}

/// Instructions that only make sense to their own manager: a loss.
fn elsewhere(r: &Reading, instruction: &Instruction) -> Mapped {
    use Instruction as I;
    let keyword = &r.step.name;
    let (code, message, suggestion) = match instruction {
        I::Include { target, .. } => (
            "CV006",
            format!("INCLUDE {target}"),
            "convert the included template and include the result",
        ),
        I::Render { path, .. } => (
            "CV007",
            format!("RENDER {path}: ${{NAME}} substitution inside the jail's files"),
            "substitute with CMD sed, or ship the rendered file",
        ),
        I::Raw { .. } => (
            "CV004",
            "RAW: shell code of AppJail's host-side build script".into(),
            "run it on the host, or move it into a CMD",
        ),
        I::From { image, .. } => (
            "CV002",
            format!("FROM {image}: the jail is created from an image"),
            "create the jail from that image with the target manager",
        ),
        I::Login { .. } => (
            "CV012",
            "LOGIN: an interactive shell".into(),
            "log in by hand after the template ran",
        ),
        I::Destroy { .. } => (
            "CV002",
            format!("{keyword}: destroys a jail"),
            "destroy it with the target manager",
        ),
        I::Exec { .. } | I::Global { .. } => (
            "CV006",
            format!("{keyword}: runs a Makejail for another jail"),
            "convert that Makejail separately",
        ),
        I::Add { url, .. } => (
            "CV008",
            format!("ADD {url}: AppJail downloads on the host"),
            "fetch and extract it with a CMD in the jail",
        ),
        _ => (
            "CV011",
            format!("{keyword}: not an instruction the manager runs"),
            "remove it",
        ),
    };
    r.native(code, message, suggestion)
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
