//! What AppJail's build script does to the words of PKG, SYSRC, SERVICE
//! and COPY: each word is written double-quoted with only `` ` ``, `"`, `\`
//! and `$(` escaped (share/appjail/makejail/cmd/all/PKG:126,167,
//! SYSRC:89,108, SERVICE:82,100, COPY:145), so the host shell running the
//! script expands `$NAME` and `${NAME}` from the script's variables: the
//! Makejail's ARGs (write/all/ARG) and `APPJAIL_JAILNAME`. jailwright does
//! the same from the ARG values it knows; a reference to anything else
//! (the host's environment, a special parameter, another expansion form)
//! is refused with the reason, never run literally.

use crate::ir::Instruction;

/// Why a word cannot be expanded as AppJail's build script would.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("{word}: `${{` without a closing `}}`")]
    Unclosed { word: String },
    #[error(
        "{word}: `{name}` is not an ARG or VAR of this Makejail: AppJail's build script would expand it from a RAW line's variables or the host's environment, neither of which jailwright evaluates"
    )]
    Unknown { word: String, name: String },
    #[error(
        "{word}: `${{{inner}}}` is evaluated by AppJail's host shell, which jailwright does not do"
    )]
    HostShell { word: String, inner: String },
    #[error("ARG {name} has no value: pass --arg {name}=VALUE")]
    Unset { name: String },
}

/// The instruction with its words expanded, for the instructions whose
/// words AppJail's build script writes double-quoted; `None` for others.
pub fn expand_instruction(
    instruction: &Instruction,
    env: &[String],
    unset: &[String],
) -> Result<Option<Instruction>, RefError> {
    with_unset(expand_words(instruction, env), unset)
}

/// Says so when an unknown name is an ARG declared without a value.
fn with_unset(
    result: Result<Option<Instruction>, RefError>,
    unset: &[String],
) -> Result<Option<Instruction>, RefError> {
    result.map_err(|why| match why {
        RefError::Unknown { name, .. } if unset.contains(&name) => RefError::Unset { name },
        other => other,
    })
}

fn expand_words(
    instruction: &Instruction,
    env: &[String],
) -> Result<Option<Instruction>, RefError> {
    let all = |words: &[String]| -> Result<Vec<String>, RefError> {
        words.iter().map(|w| expand(w, env)).collect()
    };
    let mut out = instruction.clone();
    match &mut out {
        Instruction::Pkg { packages, .. } => *packages = all(packages)?,
        Instruction::Sysrc { args, .. } | Instruction::Service { args, .. } => *args = all(args)?,
        Instruction::Cp {
            sources,
            destination,
            ..
        } => {
            *sources = all(sources)?;
            *destination = expand(destination, env)?;
        }
        _ => return Ok(None),
    }
    Ok(Some(out))
}

/// Expands the references of one word, with `env` the `NAME=VALUE` in
/// force.
pub fn expand(word: &str, env: &[String]) -> Result<String, RefError> {
    let lookup = |name: &str| {
        env.iter()
            .rev()
            .find_map(|e| e.strip_prefix(name)?.strip_prefix('='))
    };
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if after.starts_with('(') || after.is_empty() {
            // `$(` is escaped by AppJail: literal; a lone `$` is literal.
            out.push('$');
            rest = after;
            continue;
        }
        if let Some(inner) = after.strip_prefix('{') {
            let Some(close) = inner.find('}') else {
                return Err(RefError::Unclosed {
                    word: word.to_string(),
                });
            };
            out.push_str(&braced(&inner[..close], &lookup, word)?);
            rest = &inner[close + 1..];
            continue;
        }
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..name_len];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(unknown(word, &after[..after.len().min(1)]));
        }
        out.push_str(lookup(name).ok_or_else(|| unknown(word, name))?);
        rest = &after[name_len..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `${NAME}`, `${NAME:-word}`, `${NAME-word}`.
fn braced<'a>(
    inner: &str,
    lookup: &impl Fn(&str) -> Option<&'a str>,
    word: &str,
) -> Result<String, RefError> {
    let name_len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let (name, form) = inner.split_at(name_len);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(unknown(word, inner));
    }
    let value = lookup(name);
    match form {
        "" => value.map(str::to_string).ok_or_else(|| unknown(word, name)),
        _ if form.starts_with(":-") => Ok(value
            .filter(|v| !v.is_empty())
            .unwrap_or(&form[2..])
            .to_string()),
        _ if form.starts_with('-') => Ok(value.unwrap_or(&form[1..]).to_string()),
        _ => Err(RefError::HostShell {
            word: word.to_string(),
            inner: inner.to_string(),
        }),
    }
}

fn unknown(word: &str, name: &str) -> RefError {
    RefError::Unknown {
        word: word.to_string(),
        name: name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Vec<String> {
        vec!["pkgname=nginx".into(), "port=8080".into(), "empty=".into()]
    }

    #[test]
    fn args_expand_as_the_build_script_expands_them() {
        assert_eq!(expand("${pkgname}", &env()).unwrap(), "nginx");
        assert_eq!(
            expand("nginx_port=$port", &env()).unwrap(),
            "nginx_port=8080"
        );
        assert_eq!(expand("${empty:-x}${nope-y}", &env()).unwrap(), "xy");
        assert_eq!(
            expand("$(date)", &env()).unwrap(),
            "$(date)",
            "escaped by AppJail"
        );
        assert_eq!(expand("cost$", &env()).unwrap(), "cost$");
    }

    #[test]
    fn other_references_are_refused_not_left_literal() {
        assert!(expand("$HOME", &env()).is_err());
        assert!(expand("${1}", &env()).is_err());
        assert!(expand("${pkgname#ng}", &env()).is_err());
        assert!(expand("${open", &env()).is_err());
    }
}
