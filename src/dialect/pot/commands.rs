//! The nine commands a flavour may hold, each run as `pot-cmd WORDS... -p
//! POT` and parsed by the subcommand's getopts (share/pot/*.sh). Words are
//! split on blanks with no quote removal and no `$` expansion; `set-cmd`
//! alone takes its text raw.

use super::getopts::{self, Options};
use crate::document::{Found, ProblemKind};
use crate::ir::{CopyFrom, Instruction};

/// The flavourable commands and their getopts strings.
pub const COMMANDS: [(&str, &str); 9] = [
    ("add-dep", "hvp:P:"),
    ("set-attribute", "hvp:A:V:"),
    ("copy-in", "hvs:d:p:Fc"),
    ("copy-in-flv", "hvs:d:p:Fc"),
    ("mount-in", "hvf:d:z:p:m:wr"),
    ("set-rss", "hvp:C:M:"),
    ("export-ports", "hvp:e:"),
    ("set-cmd", ""),
    ("set-env", "hvp:E:"),
];

/// Attributes `set-attribute` accepts (common.sh: _POT_RW_ATTRIBUTES and
/// _POT_JAIL_RW_ATTRIBUTES), and the kind of value each takes.
pub const ATTRIBUTES: [(&str, &str); 25] = [
    ("start-at-boot", "bool"),
    ("early-start-at-boot", "bool"),
    ("persistent", "bool"),
    ("no-rc-script", "bool"),
    ("prunable", "bool"),
    ("localhost-tunnel", "bool"),
    ("no-tmpfs", "bool"),
    ("no-etc-hosts", "bool"),
    ("enforce_statfs", "uint"),
    ("mount", "bool"),
    ("fdescfs", "bool"),
    ("linprocfs", "bool"),
    ("nullfs", "bool"),
    ("procfs", "bool"),
    ("tmpfs", "bool"),
    ("zfs", "bool"),
    ("raw_sockets", "bool"),
    ("mlock", "bool"),
    ("sysvshm", "ipc"),
    ("sysvsem", "ipc"),
    ("sysvmsg", "ipc"),
    ("children", "uint"),
    ("devfs_ruleset", "uint"),
    ("exec_stop", "string"),
    ("stop_timeout", "uint"),
];

/// The pot name pot appends to every line.
const POT: &str = "POTNAME";

#[derive(Debug, Clone)]
pub struct Reading {
    pub name: String,
    pub text: String,
    pub args: Vec<String>,
    pub instruction: Instruction,
    pub problems: Vec<Found>,
}

/// `_normalize_true_false`: yes/no/true/false/on/off in any case.
pub fn boolean(value: &str) -> Option<&'static str> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" => Some("YES"),
        "no" | "false" | "off" => Some("NO"),
        _ => None,
    }
}

/// Reads one line of a command file (blanks already stripped).
pub fn read(line: &str, flavour: &str) -> Reading {
    let words: Vec<String> = line
        .split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let name = words.first().cloned().unwrap_or_default();
    let text = line
        .strip_prefix(name.as_str())
        .unwrap_or(line)
        .trim_start_matches([' ', '\t']);
    let mut reading = Reading {
        name: name.clone(),
        text: text.to_string(),
        args: words.iter().skip(1).cloned().collect(),
        instruction: Instruction::Ignored {
            line: line.to_string(),
        },
        problems: Vec::new(),
    };
    let Some((_, optstring)) = COMMANDS.iter().find(|(c, _)| *c == name) else {
        let why = if name.is_empty() {
            "a blank line".to_string()
        } else if name.starts_with('#') {
            "a comment (flavours have none: pot reads it as a command named `#`)".to_string()
        } else if name == "set-attr" {
            "`set-attr` is an alias of the pot command only; in a flavour write set-attribute"
                .to_string()
        } else {
            format!("`{name}` is not one of the nine flavour commands")
        };
        reading.problems.push(Found {
            kind: ProblemKind::Ignored,
            start: 0,
            end: line.len(),
            message: format!("Flavor {flavour}: line {line} not valid - ignoring ({why})"),
        });
        return reading;
    };
    if name == "set-cmd" {
        read_set_cmd(line, &mut reading);
        return reading;
    }
    let mut argv: Vec<String> = words[1..].to_vec();
    argv.push("-p".into());
    argv.push(POT.into());
    let options = match getopts::getopts(&argv, optstring) {
        Ok(options) => options,
        Err(e) => {
            let message = format!(
                "{name}: {} (pot prints its help and create fails)",
                e.message
            );
            usage(&mut reading, line, e.word + 1, &words, message);
            return reading;
        }
    };
    if let Some(operand) = options.operand {
        let explicit = options
            .options
            .iter()
            .any(|(o, v)| *o == 'p' && v.as_deref() != Some(POT));
        let message = if explicit {
            format!("`{}` is not an option: getopts stops there", argv[operand])
        } else {
            format!(
                "`{}` is not an option: getopts stops there, never reads the `-p POT` pot appends, and {name} fails with \"A pot name is mandatory\"",
                argv[operand]
            )
        };
        usage(&mut reading, line, operand + 1, &words, message);
        // pot stops at the missing pot name: the values are never checked.
        reading.instruction = meaning(&name, &options, &mut Vec::new(), line);
        return reading;
    }
    reading.instruction = meaning(&name, &options, &mut reading.problems, line);
    reading
}

fn usage(reading: &mut Reading, line: &str, word: usize, words: &[String], message: String) {
    let (start, end) = word_range(line, words, word);
    reading.problems.push(Found {
        kind: ProblemKind::Usage,
        start,
        end,
        message,
    });
}

/// The byte range of the `index`-th word of `line`.
fn word_range(line: &str, words: &[String], index: usize) -> (usize, usize) {
    let mut from = 0;
    for (i, word) in words.iter().enumerate() {
        let start = from + line[from..].find(word.as_str()).unwrap_or(0);
        if i == index {
            return (start, start + word.len());
        }
        from = start + word.len();
    }
    (0, line.len())
}

/// `set-cmd`: the raw line must start with `set-cmd -c `; one leading `"`
/// and then one trailing `"` are removed (`_set_command`).
fn read_set_cmd(line: &str, reading: &mut Reading) {
    let Some(rest) = line.strip_prefix("set-cmd -c ") else {
        reading.problems.push(Found {
            kind: ProblemKind::Usage,
            start: 0,
            end: line.len(),
            message: "In flavour only 'set-cmd -c ' is supported".into(),
        });
        reading.instruction = Instruction::StartCommand {
            command: String::new(),
        };
        return;
    };
    let command = match rest.strip_prefix('"') {
        Some(inner) => inner.strip_suffix('"').unwrap_or(inner),
        None => rest,
    };
    reading.text = rest.to_string();
    reading.args = vec![command.to_string()];
    reading.instruction = Instruction::StartCommand {
        command: command.to_string(),
    };
}

/// What a command line means, with pot's validation of its values.
fn meaning(name: &str, o: &Options, problems: &mut Vec<Found>, line: &str) -> Instruction {
    let mut invalid = Invalid {
        problems,
        end: line.len(),
    };
    match name {
        "add-dep" => add_dep(o, &mut invalid),
        "set-attribute" => set_attribute(o, &mut invalid),
        "copy-in" | "copy-in-flv" => copy_in(name, o, &mut invalid),
        "mount-in" => mount_in(o, &mut invalid),
        "set-rss" => set_rss(o, &mut invalid),
        "export-ports" => export_ports(o, &mut invalid),
        "set-env" => set_env(o, &mut invalid),
        _ => Instruction::Ignored {
            line: line.to_string(),
        },
    }
}

/// Where a command's usage problems go: over the whole line.
struct Invalid<'a> {
    problems: &'a mut Vec<Found>,
    end: usize,
}

impl Invalid<'_> {
    fn report(&mut self, message: String) {
        self.problems.push(Found {
            kind: ProblemKind::Usage,
            start: 0,
            end: self.end,
            message,
        });
    }
}

fn add_dep(o: &Options, invalid: &mut Invalid) -> Instruction {
    let pot = o.last('P').unwrap_or_default().to_string();
    if pot.is_empty() {
        invalid.report("add-dep: -P (the pot to depend on) is missing".into());
    }
    Instruction::DependsOn { pot }
}

fn set_attribute(o: &Options, invalid: &mut Invalid) -> Instruction {
    let attr = o.last('A').unwrap_or_default().to_string();
    let value = o.last('V').unwrap_or_default().to_string();
    match ATTRIBUTES.iter().find(|(a, _)| *a == attr) {
            None if attr.is_empty() => {
                invalid.report("set-attribute: -A (the attribute) is missing".into())
            }
            None => invalid.report(format!("set-attribute: {attr} is not a valid attribute")),
            Some(_) if value.is_empty() => invalid.report(format!(
                "set-attribute: -V (the value of {attr}) is missing"
            )),
            Some((_, "bool")) if boolean(&value).is_none() => invalid.report(format!(
                "set-attribute: {value} is not a valid value for the boolean {attr} (yes/no, true/false, on/off)"
            )),
            Some((_, "uint")) if !value.chars().all(|c| c.is_ascii_digit()) => invalid.report(
                format!("set-attribute: {value} is not a natural number ({attr})"),
            ),
            Some((_, "ipc")) if !matches!(value.as_str(), "new" | "inherit" | "disable") => {
                invalid.report(format!(
                    "set-attribute: {value} is not new, inherit or disable ({attr})"
                ))
            }
            _ => {}
        }
    let value = boolean(&value)
        .filter(|_| is_bool(&attr))
        .map_or(value, str::to_string);
    Instruction::Attribute { name: attr, value }
}

fn copy_in(name: &str, o: &Options, invalid: &mut Invalid) -> Instruction {
    let source = o.last('s').unwrap_or_default().to_string();
    let destination = o.last('d').unwrap_or_default().to_string();
    if source.is_empty() {
        invalid.report(format!("{name}: -s (the source) is missing"));
    }
    if destination.is_empty() {
        invalid.report(format!("{name}: -d (the destination) is missing"));
    } else if !destination.starts_with('/') {
        invalid.report(format!(
            "{name}: the destination {destination} must be an absolute path"
        ));
    }
    let flags = ['c', 'F']
        .into_iter()
        .filter(|f| o.has(*f))
        .map(|f| format!("-{f}"))
        .collect();
    Instruction::Cp {
        sources: vec![source],
        destination,
        from: if name == "copy-in-flv" {
            CopyFrom::Template
        } else {
            CopyFrom::Host
        },
        flags,
    }
}

fn mount_in(o: &Options, invalid: &mut Invalid) -> Instruction {
    let mountpoint = o.last('m').unwrap_or_default().to_string();
    let sources: Vec<(char, &str)> = ['d', 'z', 'f']
        .into_iter()
        .filter_map(|k| o.last(k).map(|v| (k, v)))
        .collect();
    if mountpoint.is_empty() {
        invalid.report("mount-in: -m (the mount point) is missing".into());
    } else if !mountpoint.starts_with('/') || mountpoint == "/" || mountpoint.contains(' ') {
        invalid.report(format!(
            "mount-in: {mountpoint} must be an absolute path other than /"
        ));
    }
    if sources.len() != 1 {
        invalid.report("mount-in: give exactly one of -d, -z or -f".into());
    }
    if o.has('w') && sources.first().is_some_and(|(k, _)| *k == 'd') {
        invalid.report("mount-in: -w only works with -z or -f".into());
    }
    let mut flags: Vec<String> = sources
        .first()
        .map(|(k, _)| format!("-{k}"))
        .into_iter()
        .collect();
    flags.extend(
        ['r', 'w']
            .into_iter()
            .filter(|f| o.has(*f))
            .map(|f| format!("-{f}")),
    );
    Instruction::Mount {
        args: vec![
            sources
                .first()
                .map(|(_, v)| v.to_string())
                .unwrap_or_default(),
            mountpoint,
        ],
        flags,
    }
}

fn set_rss(o: &Options, invalid: &mut Invalid) -> Instruction {
    let mut args = Vec::new();
    if let Some(c) = o.last('C') {
        if c.parse::<u64>().map_or(true, |n| n == 0) {
            invalid.report(format!("set-rss: -C {c} is not a number of CPUs"));
        }
        args.push(format!("cpus={c}"));
    }
    if let Some(m) = o.last('M') {
        let digits = m.trim_end_matches(['b', 'B', 'k', 'K', 'm', 'M', 'g', 'G']);
        if digits.is_empty()
            || m.len() - digits.len() > 1
            || !digits.chars().all(|c| c.is_ascii_digit())
            || digits.chars().all(|c| c == '0')
        {
            invalid.report(format!("set-rss: -M {m} is not a memory size"));
        }
        args.push(format!("memory={m}"));
    }
    Instruction::Limits { args }
}

fn export_ports(o: &Options, invalid: &mut Invalid) -> Instruction {
    let ports = o.all('e');
    if ports.is_empty() {
        invalid.report("export-ports: -e (a port) is missing".into());
    }
    Instruction::Rdr { args: ports }
}

fn set_env(o: &Options, invalid: &mut Invalid) -> Instruction {
    let vars = o.all('E');
    if vars.is_empty() {
        invalid.report("set-env: -E (a variable) is missing".into());
    }
    for var in vars.iter().filter(|v| !v.contains('=')) {
        invalid.report(format!("set-env: {var} is not NAME=VALUE"));
    }
    Instruction::SetEnv { vars }
}

fn is_bool(attribute: &str) -> bool {
    ATTRIBUTES
        .iter()
        .any(|(a, kind)| *a == attribute && *kind == "bool")
}
