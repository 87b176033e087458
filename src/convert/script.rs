//! Shell text as steps: a pot flavour script whose lines are independent
//! commands becomes one step per line, and a single command becomes the
//! step an admin would write for it (`pkg install` → PKG, `sysrc` → SYSRC,
//! `service` → SERVICE, `su -l U -c X` → X as user U). A script with shell
//! state across lines (variables, `cd`, functions, multi-line control
//! flow, here-documents, `$1`) stays whole.

use super::op::Op;
use crate::ir::PkgAction;
use crate::shell::params::Params;
use crate::shell::words::{TokenKind, lex};

/// What a required ARG's check says when pot create's environment does
/// not set it (the pot emitter writes it, the lifter recognises it).
pub const REQUIRED: &str = "required: set it in the environment of pot create";

/// Why a script stays whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whole {
    /// A line depends on another (variables, `cd`, functions, ...).
    State,
    /// Its lines go on after a failure (no `set -e`), as separate steps
    /// would not.
    NoErrexit,
}

impl Whole {
    pub fn reason(self) -> &'static str {
        match self {
            Whole::State => "shell state across lines",
            Whole::NoErrexit => {
                "its lines go on after a failure (no set -e), separate steps would stop"
            }
        }
    }
}

/// The script's lines as independent steps, or why not. Only a script
/// that stops at its first failure (`set -e`, or `-e` on its `#!` line,
/// which pot's `jexec POT /tmp/NAME.sh` honours: common-flv.sh:143), or
/// that has a single command, means the same as separate steps, each of
/// which stops the template when it fails.
pub fn lift(text: &str) -> Result<Vec<Op>, Whole> {
    let mut ops = Vec::new();
    let mut params = Params::new(["POT_NAME"]);
    let mut errexit = false;
    let mut commands = 0;
    let mut lines = text.lines();
    errexit |= text.lines().next().is_some_and(shebang_errexit);
    while let Some(line) = lines.next() {
        let line = line.trim();
        // A `(` ... `)` block: one step in a subshell of its own (how a
        // multi-line step is written into a flavour script).
        if line == "(" {
            let mut inner = Vec::new();
            loop {
                match lines.next().map(str::trim_end) {
                    Some(") || exit $?") | Some(")") => break,
                    Some(l) => inner.push(l),
                    None => return Err(Whole::State),
                }
            }
            ops.push(Op::Shell {
                script: inner.join("\n"),
                user: None,
            });
            commands += 1;
            continue;
        }
        if is_errexit(line) {
            errexit = true;
            continue;
        }
        if line.is_empty() || line.starts_with('#') || line == "POT_NAME=\"$1\"" {
            continue;
        }
        // `NAME="${NAME:-default}"`: how a converted ARG reads in a script.
        if let Some(arg) = parameter(line) {
            if let Op::Arg { name, .. } = &arg {
                params.push(name);
            }
            ops.push(arg);
            continue;
        }
        // `( STEP ) || exit $?`: a step in a subshell of its own.
        let line = match line.strip_suffix(" || exit $?").and_then(subshell) {
            Some(step) => step,
            None if independent(line) => line,
            None => return Err(Whole::State),
        };
        ops.push(command(line, &params));
        commands += 1;
    }
    if errexit || commands <= 1 {
        Ok(ops)
    } else {
        Err(Whole::NoErrexit)
    }
}

/// `#!/bin/sh -e` (an option word with `e` on the interpreter line).
fn shebang_errexit(line: &str) -> bool {
    line.strip_prefix("#!").is_some_and(|rest| {
        rest.split_whitespace()
            .skip(1)
            .any(|w| w.starts_with('-') && !w.starts_with("--") && w.contains('e'))
    })
}

/// `NAME="${NAME:-default}"` as an ARG with a default.
fn parameter(line: &str) -> Option<Op> {
    let (name, rest) = line.split_once('=')?;
    // `NAME="${NAME:?required: ...}"`: a required ARG.
    if rest == format!("\"${{{name}:?{}}}\"", REQUIRED) {
        return Some(Op::Arg {
            name: name.to_string(),
            default: None,
            required: true,
        });
    }
    let default = rest
        .strip_prefix(&format!("\"${{{name}:-"))?
        .strip_suffix("}\"")?
        .replace("\\}", "}")
        .replace("\\\"", "\"");
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| Op::Arg {
        name: name.to_string(),
        default: Some(default),
        required: false,
    })
}

/// `set -e` (and friends): every manager already stops at a failed step.
fn is_errexit(line: &str) -> bool {
    matches!(line, "set -e" | "set -eu" | "set -ue" | "set -o errexit")
}

/// A line that is a whole command and leaves no state for later lines: no
/// variable, directory, function or option set outside a subshell, no
/// unfinished compound command, no continuation, no here-document, no
/// positional parameter.
pub fn independent(line: &str) -> bool {
    const STATEFUL: &[&str] = &[
        "cd", "export", "set", "unset", "alias", ".", "source", "trap", "exit", "return", "shift",
        "umask", "exec", "local", "readonly", "eval", "function", "pushd", "popd",
    ];
    if line.contains('\n') || line.ends_with('\\') || line.contains("<<") {
        return false;
    }
    let Ok(tokens) = lex(line) else {
        return false;
    };
    // A positional parameter outside single quotes.
    let positional = tokens.iter().any(|t| {
        matches!(t.kind, TokenKind::Word { expands: true, .. })
            && ["$1", "$2", "$@", "$*", "$#", "${1", "${@", "${*", "${#"]
                .iter()
                .any(|p| line[t.start..t.end].contains(p))
    });
    // `name()`: a function definition.
    let defines_function = tokens.windows(3).any(|w| {
        matches!(&w[0].kind, TokenKind::Word { .. })
            && matches!(&w[1].kind, TokenKind::Operator(o) if o == "(")
            && matches!(&w[2].kind, TokenKind::Operator(o) if o == ")")
    });
    if positional || defines_function {
        return false;
    }
    let words: Vec<&str> = tokens
        .iter()
        .filter_map(|t| match &t.kind {
            TokenKind::Word { value, .. } => Some(value.as_str()),
            _ => None,
        })
        .collect();
    // The first word of each command in the list (after ; && || |).
    let mut starts = Vec::new();
    let mut at_start = true;
    for t in &tokens {
        match &t.kind {
            TokenKind::Word { value, .. } => {
                if at_start {
                    starts.push(value.as_str());
                }
                // After a reserved word another command starts.
                at_start = at_start
                    && matches!(
                        value.as_str(),
                        "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "{" | "!"
                    );
            }
            TokenKind::Operator(op) => {
                at_start = matches!(op.as_str(), ";" | "&&" | "||" | "|" | "&" | "(")
            }
            TokenKind::Comment => break,
        }
    }
    // Reserved words count where a command starts.
    let count = |w: &str| starts.iter().filter(|x| **x == w).count();
    let balanced = count("if") == count("fi")
        && count("case") == count("esac")
        && count("for") + count("while") + count("until") == count("done")
        && count("{") == count("}")
        && line.matches('(').count() == line.matches(')').count();
    let subshell = line.starts_with('(') && line.ends_with(')');
    let assigns = starts.iter().any(|w| {
        w.split_once('=').is_some_and(|(n, _)| {
            !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }) && words.len() == 1
    });
    balanced && (subshell || !(starts.iter().any(|w| STATEFUL.contains(w)) || assigns))
}

/// The command inside `( ... )` when the whole line is one subshell.
fn subshell(line: &str) -> Option<&str> {
    let inner = line.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in inner.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return None;
        }
    }
    (depth == 0 && !inner.contains('\n')).then_some(inner)
}

/// One independent command as the step an admin would write for it. A
/// word with a `$` other than a `${NAME}` reference to one of `params`
/// keeps the line shell text: the jail's shell expands it, which another
/// manager's step would not.
pub fn command(line: &str, params: &Params) -> Op {
    let shell = || Op::Shell {
        script: line.to_string(),
        user: None,
    };
    if let Some(inner) = subshell(line) {
        return command(inner, params);
    }
    let Some(words) = shlex::split(line) else {
        return shell();
    };
    // (a login shell starts in the user's home: only a step that does not
    // use its directory means the same started in `/`)
    if let [su, l, user, c, script] = &words[..]
        && (su, l, c) == (&"su".to_string(), &"-l".to_string(), &"-c".to_string())
        && !crate::shell::cwd::depends_on_cwd(script)
    {
        return Op::Shell {
            script: script.clone(),
            user: Some(user.clone()),
        };
    }
    // Control operators, redirections, substitutions, globs and jail-side
    // expansions keep it shell text.
    // (and one that may use its directory, which each manager sets its
    // way: `sysrc -f rc.local`)
    if line.contains(|c| ";&|<>`*?[]~()".contains(c))
        || params.other_dollar(line)
        || crate::shell::cwd::depends_on_cwd(line)
    {
        return shell();
    }
    let mut words: Vec<&str> = words.iter().map(String::as_str).collect::<Vec<_>>();
    if words.starts_with(&["env", "ASSUME_ALWAYS_YES=yes"]) {
        words.drain(..2);
    }
    let owned = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    match words[..] {
        ["pkg", verb, ref rest @ ..] => {
            let action = match verb {
                "install" | "add" => PkgAction::Install,
                "remove" | "delete" => PkgAction::Remove,
                "autoremove" => PkgAction::Autoremove,
                "clean" => PkgAction::Clean,
                "update" => PkgAction::Update,
                "upgrade" => PkgAction::Upgrade,
                _ => return shell(),
            };
            let (flags, packages): (Vec<&str>, Vec<&str>) =
                rest.iter().partition(|w| w.starts_with('-'));
            let takes_packages = matches!(action, PkgAction::Install | PkgAction::Remove);
            if flags.iter().any(|f| *f != "-y") || takes_packages == packages.is_empty() {
                return shell();
            }
            Op::Pkg {
                packages: owned(&packages),
                action,
                from_host: false,
            }
        }
        ["sysrc", ref rest @ ..] if !rest.is_empty() => Op::Sysrc { args: owned(rest) },
        ["service", name, action] => Op::Service {
            args: owned(&[name, action]),
        },
        _ => shell(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independent_lines_become_steps() {
        let ops = lift("#!/bin/sh\nset -e\n# comment\npkg install -y nginx git\nsysrc nginx_enable=YES\nservice nginx start\necho done > /tmp/x\nif [ -d /x ]; then rm -r /x; fi\n(cd /tmp && make)\n").unwrap();
        assert!(matches!(&ops[0], Op::Pkg { packages, .. } if packages == &["nginx", "git"]));
        assert!(matches!(&ops[1], Op::Sysrc { args } if args == &["nginx_enable=YES"]));
        assert!(matches!(&ops[2], Op::Service { args } if args == &["nginx", "start"]));
        assert!(matches!(&ops[3], Op::Shell { script, .. } if script == "echo done > /tmp/x"));
        assert_eq!(
            ops.len(),
            6,
            "a one-line if and a subshell are whole commands"
        );
    }

    #[test]
    fn regression_a_flavour_script_with_sh_e_on_its_shebang_stops_on_error() {
        assert_eq!(
            lift("#!/bin/sh -e\necho a\necho b\n").map(|o| o.len()),
            Ok(2)
        );
        assert_eq!(
            lift("#!/bin/sh -ex\necho a\necho b\n").map(|o| o.len()),
            Ok(2)
        );
        assert_eq!(lift("#!/bin/sh\necho a\necho b\n"), Err(Whole::NoErrexit));
    }

    #[test]
    fn state_keeps_the_script_whole() {
        for script in [
            "X=1\necho $X\n",
            "cd /tmp\ntouch a\n",
            "cd /tmp; touch a\n",
            "if true; then\n echo\nfi\n",
            "cat <<EOF > /x\na\nEOF\n",
            "echo $1\n",
            "f() { echo; }\n",
        ] {
            assert_eq!(lift(script), Err(Whole::State), "{script}");
        }
    }

    #[test]
    fn commands_become_the_steps_an_admin_writes() {
        assert!(matches!(
            command(
                "env ASSUME_ALWAYS_YES=yes pkg remove pwgen",
                &Params::default()
            ),
            Op::Pkg {
                action: PkgAction::Remove,
                ..
            }
        ));
        assert!(
            matches!(command("pkg install -y \"php${V}-fpm\"", &Params::new(["V"])), Op::Pkg { packages, .. } if packages == ["php${V}-fpm"])
        );
        assert!(
            matches!(command("su -l www -c 'cd /app; ./run'", &Params::default()), Op::Shell { user: Some(u), script } if u == "www" && script == "cd /app; ./run")
        );
        assert!(
            matches!(
                command("sysrc motd=$USER", &Params::default()),
                Op::Shell { .. }
            ),
            "the jail's $USER is not the host's"
        );
        assert!(matches!(
            command("pkg install -y a && echo ok", &Params::default()),
            Op::Shell { .. }
        ));
    }
}
