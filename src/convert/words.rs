//! Words and references as each target writes them.

/// A word for a POSIX shell (a flavour script, a Bastille line the host
/// `eval`s): its `$` expansions still expand, a `\$` stays a literal `$`.
pub fn sh_word(w: &str) -> String {
    crate::shell::quote::live(w)
}

pub fn sh_words(args: &[String]) -> String {
    args.iter()
        .map(|a| sh_word(a))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How each manager's templates refer to the jail's own name.
pub const JAIL_NAME: &str = "JAIL_NAME";
pub const APPJAIL_JAILNAME: &str = "APPJAIL_JAILNAME";
/// A converted flavour script's name for its `$1`.
pub const POT_NAME: &str = "POT_NAME";

/// `text` with every spelling of the jail's name written as `${to}`.
pub fn jail_name_as(text: &str, to: &str) -> String {
    let mut out = text.to_string();
    for name in [JAIL_NAME, APPJAIL_JAILNAME, POT_NAME] {
        if name != to {
            out = out.replace(&format!("${{{name}}}"), &format!("${{{to}}}"));
        }
    }
    out
}

/// ` "${JAIL_NAME}"` when a shipped script reads its `$1` (how pot hands
/// a flavour script the pot's name), else nothing.
pub fn jail_name_argument(script: &str) -> &'static str {
    let positional = ["$1", "${1", "$@", "${@", "$*", "${*", "$#", "${#"]
        .iter()
        .any(|p| script.contains(p));
    if positional { " \"${JAIL_NAME}\"" } else { "" }
}

/// `script` started in `dir`: `cd DIR && X` (a script of several lines:
/// `cd DIR || exit` on a line of its own, so that every line runs there).
pub fn cd_first(dir: &str, script: &str) -> String {
    if script.contains('\n') {
        format!("cd {dir} || exit\n{script}")
    } else {
        format!("cd {dir} && {script}")
    }
}

/// What [`cd_first`] started in `dir`, without the `cd`.
pub fn without_cd<'s>(dir: &str, script: &'s str) -> Option<&'s str> {
    script
        .strip_prefix(&format!("cd {dir} && "))
        .or_else(|| script.strip_prefix(&format!("cd {dir} || exit\n")))
}

/// A step of the operations (started in `/`) where it starts elsewhere
/// (`su -l`, in the user's home; bastille's CMD): in `/` first when it may
/// use its directory.
pub fn in_root(script: &str) -> String {
    if crate::shell::cwd::depends_on_cwd(script) {
        cd_first("/", script)
    } else {
        script.to_string()
    }
}

/// The directory part of a jail path (`/a/b/` and `/a/b` give `/a`;
/// `/b` gives ``): what bastille's cp makes before copying.
pub fn parent_dir(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(p, _)| p)
}

/// Shell text that appends `line` to `file` unless the file has it
/// (LINE_IN_FILE, as bastille does it, run in the jail); both words are
/// already quoted.
pub fn line_in_file_script(line: &str, file: &str) -> String {
    format!(
        "mkdir -p \"$(dirname {file})\" && touch {file} && (grep -qxF -- {line} {file} || printf '%s\\n' {line} >> {file})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jail_name_is_renamed() {
        assert_eq!(
            jail_name_as("echo ${JAIL_NAME} ${POT_NAME}", APPJAIL_JAILNAME),
            "echo ${APPJAIL_JAILNAME} ${APPJAIL_JAILNAME}"
        );
        assert!(
            crate::shell::is_name("php_version")
                && !crate::shell::is_name("php-version")
                && !crate::shell::is_name("1x")
        );
        assert_eq!(
            (parent_dir("/a/b/"), parent_dir("/a/b"), parent_dir("/b")),
            ("/a", "/a", "")
        );
    }
}
