//! JW907: a secret in an ARG default (`ARG DB_PASSWORD=hunter2`). The
//! default is stored in the template, in its repository and in every copy
//! of it, and applies whenever the caller forgets to pass one. Leave the
//! default empty (Bastille `ARG+`, a Makejail ARG without default) and
//! pass the value when applying.

use super::ALL_DIALECTS;
use crate::document::Document;
use crate::ir::{Dialect, Instruction};
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW907",
    name: "secret-in-arg-default",
    severity: Severity::Warning,
    dialects: ALL_DIALECTS,
    summary: "an ARG named like a secret (password, token, key) with a default value",
    check,
    fixable: false,
    opt_in: false,
};

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let Instruction::Arg {
            name,
            default: Some(default),
            ..
        } = &step.instruction
        else {
            continue;
        };
        // `""` is empty too (bastille's eval echo, template.sh:67-79).
        let value = default.trim_matches(['"', '\'']);
        let placeholder = value.is_empty() || value.starts_with('$') || value.starts_with("%{");
        // `RANDOM_ROOT_PASSWORD=1`, `ALLOW_EMPTY_PASSWORD=no`, `TOKEN_TTL=3600`:
        // a switch or a number, not a secret; `/root/pass`: where it is.
        let switch = matches!(
            value.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "on" | "off"
        ) || value.bytes().all(|b| b.is_ascii_digit())
            || value.starts_with('/');
        if is_secret(name) && !placeholder && !switch {
            report.emit(
                step.span.clone(),
                format!("ARG {name} has a default: the secret is stored with the template"),
                help(doc.template.dialect, name),
            );
        }
    }
}

/// A name that says it holds a secret: `DB_PASSWORD`, `API_TOKEN`, and
/// the run-together `DBPASS`, `ADMINPWD`.
pub fn is_secret(name: &str) -> bool {
    const WORDS: &[&str] = &["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "PASS"];
    /// Endings that mean a password even run into the word before.
    const ENDINGS: &[&str] = &["PASSWORD", "PASSWD", "PASS", "PWD", "PW", "SECRET"];
    let upper = name.to_uppercase();
    let word = WORDS.iter().any(|s| {
        upper == *s || upper.ends_with(&format!("_{s}")) || upper.starts_with(&format!("{s}_"))
    });
    // Settings about a secret, not the secret (`PASSWORD_MIN_LENGTH`,
    // `TOKEN_TTL`, `PASSWORD_FILE`, `PASSWORD_HASH`).
    let about = [
        "_TTL", "_LENGTH", "_LEN", "_HASH", "_MIN", "_MAX", "_FILE", "_PATH", "_DIR", "_AGE",
        "_EXPIRY", "_TIMEOUT", "_ALGO", "_ALGORITHM", "_ROUNDS", "_POLICY", "_USER", "_NAME",
        "_ENABLE", "_ENABLED",
    ]
    .iter()
    .any(|s| upper.ends_with(s));
    // Words with those endings that are not secrets.
    let not_secret = ["OLDPWD", "PW"].contains(&upper.as_str())
        || ["BYPASS", "COMPASS", "SURPASS", "OVERPASS"].iter().any(|n| upper.ends_with(n));
    let ending = ENDINGS.iter().any(|e| upper.ends_with(e)) && !not_secret;
    !about && (word || ending)
}

/// How the value is passed when applying, in the template's own manager.
fn help(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Bastille => format!("leave it without a default (ARG+ {name} makes it mandatory) and pass it when applying: bastille template JAIL TEMPLATE --arg {name}=..."),
        Dialect::Makejail => format!("leave it without a default (ARG {name}) and pass it when building: appjail makejail ... -- --{name} ..."),
        Dialect::Pot => format!("leave it without a default and pass {name} when applying"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secret_names() {
        for name in ["DBPASS", "DB_PASSWORD", "ADMINPWD", "api_token", "MYSQL_ROOT_PASS", "ROOTPW", "JWT_SECRET", "PASS", "PWD"] {
            assert!(super::is_secret(name), "{name}");
        }
        for name in [
            "OLDPWD", "BYPASS", "COMPASS", "PASSENGER", "DB_USER", "PORT", "PW", "TOKEN_TTL",
            "PASSWORD_MIN_LENGTH", "PASSWORD_FILE", "PASSWORD_HASH",
        ] {
            assert!(!super::is_secret(name), "{name}");
        }
    }
}
