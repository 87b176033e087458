//! JW915: a password written as a literal into rc.conf (`SYSRC
//! keycloak_flags="start-dev --bootstrap-admin-password tmpadmin"`,
//! `SYSRC app_password=hunter2`). sysrc writes it into the jail's
//! /etc/rc.conf, which every user of the jail can read (mode 644), and the
//! template stores it in its repository and in every copy. Pass it as an
//! ARG without a default (`${ADMIN_PASSWORD}`), or keep it in a file only
//! the service's user can read.

use super::{ALL_DIALECTS, secret_in_arg_default::is_secret, text_span};
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW915",
    name: "secret-in-sysrc",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "a password literal written into the jail's world-readable rc.conf",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        if !matches!(step.instruction, Instruction::Sysrc { .. }) {
            continue;
        }
        for literal in secrets(&step.text) {
            // A slice of the text: where it starts in it.
            let at = literal.as_ptr() as usize - step.text.as_ptr() as usize;
            report.emit(
                text_span(doc, step, at, at + literal.len()),
                format!("a password literal in rc.conf: `{literal}` is written into the jail's /etc/rc.conf, which every user of the jail can read"),
                "pass it as an ARG without a default (${ADMIN_PASSWORD}), or read it from a file only the service's user can read",
            );
        }
    }
}

/// The password literals of a SYSRC's text: the value of an rc variable
/// named like a secret, and the word after (or `=` of) a secret-named
/// `--option` in a value.
fn secrets(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let words: Vec<&str> = text
        .split([' ', '"', '\''])
        .filter(|w| !w.is_empty())
        .collect();
    for (i, word) in words.iter().enumerate() {
        if let Some(option) = word.strip_prefix("--").or_else(|| word.strip_prefix('-')) {
            let (option, inline) = match option.split_once('=') {
                Some((o, v)) => (o, Some(v)),
                None => (option, None),
            };
            // `--password-file PATH` names where the secret is.
            if !is_secret(&option.replace('-', "_")) || names_a_file(option) {
                continue;
            }
            let value = inline.or_else(|| words.get(i + 1).copied());
            if let Some(value) = value.filter(|v| literal(v)) {
                found.push(value);
            }
        } else if let Some((name, value)) = word.split_once('=')
            && is_secret(name)
            && !names_a_file(name)
            && literal(value)
        {
            found.push(value);
        }
    }
    found
}

/// `secret_key_file`, `password-path`: where the secret is, not it.
fn names_a_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["file", "path", "dir", "env"].iter().any(|e| lower.ends_with(e))
}

/// A value written out, not a reference to an ARG or variable, nor a
/// switch (`allow_empty_password=1`), nor a path (`/root/secret`).
fn literal(value: &str) -> bool {
    let switch = matches!(
        value.to_ascii_lowercase().as_str(),
        "0" | "1" | "yes" | "no" | "true" | "false" | "on" | "off" | "none"
    );
    !value.is_empty()
        && !switch
        && !value.starts_with(['-', '/', '~'])
        && !value.contains('$')
        && !value.contains("%{")
}

#[cfg(test)]
mod tests {
    use super::secrets;

    #[test]
    fn literals_and_references() {
        assert_eq!(secrets("keycloak_flags=\"start-dev --bootstrap-admin-password tmpadmin\""), ["tmpadmin"]);
        assert_eq!(secrets("app_flags=\"--db-password=s3cret -v\""), ["s3cret"]);
        assert_eq!(secrets("grafana_admin_password=hunter2"), ["hunter2"]);
        assert!(secrets("keycloak_flags=\"--bootstrap-admin-password ${ADMIN_PASSWORD}\"").is_empty());
        assert!(secrets("nginx_enable=YES").is_empty());
        assert!(secrets("app_flags=\"--password-file /root/pw\"").is_empty());
        assert!(secrets("app_flags=\"--password --verbose\"").is_empty());
        assert!(secrets("app_allow_empty_password=1").is_empty());
        assert!(secrets("openvpn_flags=\"--auth-user-pass /usr/local/etc/pass\"").is_empty());
        assert!(secrets("app_secret_key_file=/root/key").is_empty());
        assert_eq!(secrets("redis_pass=redis"), ["redis"]);
    }
}
