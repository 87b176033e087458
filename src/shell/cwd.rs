//! Whether shell text depends on the directory it starts in. Each manager
//! starts a step somewhere else (Bastille's CMD in root's home, `jexec -l`;
//! AppJail's CMD and pot's flavour script in `/`), so a converted step
//! that may read or write a relative path gets the directory it had.
//!
//! Conservative: text is independent only when every command in it is
//! known not to use the directory (`pkg`, `sysrc`, `service`, `echo`, ...)
//! or names only absolute paths, or when it first `cd`s to an absolute
//! path.

use super::words::{TokenKind, is_redirection, lex};

/// Commands whose operands are not paths.
const NO_PATHS: &[&str] = &[
    "pkg",
    "sysrc",
    "service",
    "pw",
    "echo",
    "printf",
    "sleep",
    "true",
    "false",
    ":",
    "hostname",
    "kldload",
    "sysctl",
    "id",
    "exit",
    "return",
    "set",
    "export",
    "unset",
    "umask",
    "ulimit",
    "kill",
    "killall",
    "pkill",
    "newaliases",
    "test",
    "[",
    "wait",
    "hash",
    "type",
    "command",
];

/// Shells: a script they run may use the directory.
const SHELLS: &[&str] = &[
    "sh",
    "/bin/sh",
    "bash",
    "/usr/local/bin/bash",
    "csh",
    "/bin/csh",
];

/// Commands whose first operand is not a path (a mode, an owner, an
/// expression, a link's text).
const FIRST_NOT_A_PATH: &[&str] = &[
    "chmod", "chown", "chgrp", "sed", "grep", "egrep", "fgrep", "awk", "ln", "install",
];

/// Commands that download a URL: into the directory unless told a file.
const DOWNLOADERS: &[&str] = &["fetch", "wget", "curl"];

/// Reserved words after which a command still starts.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!",
];

/// Whether `script` may use the directory it starts in.
pub fn depends_on_cwd(script: &str) -> bool {
    let Ok(tokens) = lex(script) else {
        return true;
    };
    let mut command: Option<String> = None;
    let mut operands = 0;
    let mut expression_given = false;
    let mut redirect = false;
    // A download with no output file writes into the directory.
    let mut download = false;
    let mut output = false;
    let mut tokens = tokens.iter().peekable();
    while let Some(token) = tokens.next() {
        let TokenKind::Word { value, .. } = &token.kind else {
            match &token.kind {
                TokenKind::Operator(op) if is_redirection(op) => {
                    // `>&2`, `2>&1`: a descriptor, not a file.
                    redirect = !op.ends_with('&');
                }
                TokenKind::Operator(_) => {
                    if std::mem::take(&mut download) && !output {
                        return true;
                    }
                    output = false;
                    command = None;
                    redirect = false;
                }
                _ => break,
            }
            continue;
        };
        let raw = &script[token.start..token.end];
        if raw.contains("$(") || raw.contains('`') {
            return true;
        }
        if std::mem::take(&mut redirect) {
            if !absolute(value) {
                return true;
            }
            continue;
        }
        let Some(name) = &command else {
            if RESERVED.contains(&value.as_str()) || is_assignment(value) {
                continue;
            }
            if value == "cd" {
                // `cd /abs`: what follows runs there.
                return !tokens.peek().is_some_and(
                    |next| matches!(&next.kind, TokenKind::Word { value, .. } if absolute(value)),
                );
            }
            if value.contains('/') && !absolute(value) {
                return true;
            }
            command = Some(value.clone());
            operands = 0;
            expression_given = false;
            continue;
        };
        // `env [NAME=VALUE]... COMMAND`: the command that runs.
        if name == "env" {
            if !is_assignment(value) && !value.starts_with('-') {
                if value.contains('/') && !absolute(value) {
                    return true;
                }
                command = Some(value.clone());
                operands = 0;
            }
            continue;
        }
        // A script run by a shell: what it does is not in this text.
        if SHELLS.contains(&name.as_str()) && value != "-c" && !value.starts_with('-') {
            return true;
        }
        if NO_PATHS.contains(&name.as_str()) {
            // `sysrc -f FILE`: a file to edit (checked as a redirection's).
            if name == "sysrc" && value == "-f" {
                redirect = true;
            }
            continue;
        }
        if name == "su" && (value == "-l" || value == "-") {
            // A login shell starts in the user's home.
            command = Some("echo".into());
            continue;
        }
        if DOWNLOADERS.contains(&name.as_str()) {
            match value.as_str() {
                // the output file (fetch -o, wget -O, curl -o)
                "-o" | "-O" if name != "curl" || value == "-o" => {
                    redirect = true;
                    output = true;
                    continue;
                }
                "-O" | "--remote-name" => return true,
                url if url.contains("://") => {
                    download |= name != "curl";
                    continue;
                }
                _ => {}
            }
        }
        if value.starts_with('-') && value != "-" {
            expression_given |= value == "-e" || value == "-f";
            continue;
        }
        if value.is_empty() {
            // (`sed -i ''`: an option's empty argument)
            continue;
        }
        operands += 1;
        let skipped = operands == 1
            && FIRST_NOT_A_PATH.contains(&name.as_str())
            && !(expression_given && matches!(name.as_str(), "sed" | "grep" | "awk"));
        if !skipped && !absolute(value) {
            return true;
        }
    }
    download && !output
}

fn absolute(word: &str) -> bool {
    word.starts_with('/')
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=')
        .is_some_and(|(name, _)| super::is_name(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_and_unknown_commands_depend_on_the_directory() {
        for script in [
            "touch relative-file",
            "git clone https://x/y.git app",
            "fetch https://x/y.tgz",
            "./configure",
            "tar xf a.tgz -C /opt",
            "echo a > out.txt",
            "cp $SRC /etc/x",
            "cd",
            "cd app && make",
            "echo $(cat VERSION)",
            "su www -c 'touch x'",
            "/bin/sh /tmp/step.sh",
            "sysrc -f periodic.conf a=1",
            "fetch https://x/y.tgz && tar xf /root/y.tgz",
            "curl -O https://x/y.tgz",
            "wget https://x/y.tgz",
        ] {
            assert!(depends_on_cwd(script), "{script}");
        }
    }

    #[test]
    fn absolute_paths_and_known_commands_do_not() {
        for script in [
            "pkg install -y nginx",
            "sysrc nginx_enable=YES && service nginx start",
            "echo 'listen = /var/run/php.sock' >> /usr/local/etc/php-fpm.d/www.conf",
            "chmod 755 /usr/local/bin/x",
            "chown -R www:www /usr/local/www",
            "sed -i '' 's/a/b/' /etc/rc.conf",
            "mkdir -p /var/db/x && touch /var/db/x/y",
            "cd /tmp && make install",
            "ln -s ../share/x /usr/local/bin/x",
            "echo hi >&2",
            "FOO=1 /usr/local/bin/x /etc/y",
            "su -l www -c 'touch x'",
            "if [ -d /x ]; then rm -r /x; fi",
            "sysrc -f /etc/periodic.conf a=1",
            "env ASSUME_ALWAYS_YES=yes pkg remove pwgen",
            "fetch -o /tmp/a.tgz https://x/y.tgz",
            "wget -O /tmp/a.tgz https://x/y.tgz",
            "curl -sL https://x/y -o /tmp/y",
        ] {
            assert!(!depends_on_cwd(script), "{script}");
        }
    }
}
