//! ARG and ARG+ (template.sh:81-116, 355-374): how a declaration is read,
//! how its value is chosen, and how `${NAME}` is substituted into the
//! argument text of later lines.

use super::substitution::Replacements;
use crate::dialect::Bindings;
use crate::ir::Instruction;
use crate::shell;
use nom::{IResult, Parser, bytes::complete::take_till, combinator::rest};

/// `get_arg_name`: everything before the first `=` (`sed -E 's/=.*//'`),
/// spaces included. The default is everything after it.
pub fn declaration(text: &str) -> (&str, Option<&str>) {
    fn split(input: &str) -> IResult<&str, (&str, &str)> {
        (take_till(|c| c == '='), rest).parse(input)
    }
    let (_, (name, after)) = split(text).expect("take_till and rest never fail");
    (name, after.strip_prefix('='))
}

/// Reads an ARG (or ARG+) line: its declaration, its value, and the words
/// `[name, value]`. A value extends `replacements` for the lines after it.
pub fn declare(
    text: &str,
    required: bool,
    bindings: &Bindings,
    replacements: &mut Replacements,
) -> (Instruction, Vec<String>) {
    let (name, default) = declaration(text);
    let value = resolve(text, bindings).map(|(v, _)| v);
    let mut words = vec![name.to_string()];
    if let Some(value) = &value {
        if !bindings.keep_references {
            replacements.push(name, value);
        }
        words.push(value.clone());
    }
    let instruction = Instruction::Arg {
        name: name.to_string(),
        default: default.map(str::to_string),
        required,
        value,
    };
    (instruction, words)
}

/// Where an ARG's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueSource {
    CommandLine,
    ArgFile,
    Default,
}

/// `get_arg_value`: the first `--arg NAME=...` whose name matches, else the
/// first `NAME=` line of the argument file, else the declaration's default.
/// Every candidate goes through `parse_arg_value`. An empty result is `None`.
pub fn resolve(decl_text: &str, bindings: &Bindings) -> Option<(String, ValueSource)> {
    let (name, _) = declaration(decl_text);
    let from_cli = bindings
        .args
        .iter()
        .find(|pair| declaration(pair).0 == name)
        .map(|pair| (pair.as_str(), ValueSource::CommandLine));
    let from_file = || {
        bindings.arg_file.as_deref().and_then(|file| {
            file.lines()
                .find(|line| line.strip_prefix(name).is_some_and(|r| r.starts_with('=')))
                .map(|line| (line, ValueSource::ArgFile))
        })
    };
    let (pair, source) = from_cli
        .or_else(from_file)
        .unwrap_or((decl_text, ValueSource::Default));
    let value = parse_arg_value(pair);
    (!value.is_empty()).then_some((value, source))
}

/// `parse_arg_value`: `eval echo "NAME=VALUE"`, drop everything up to the
/// first `=` (`sed -E 's/[^=]+=?//'`), then delete every `"`.
///
/// jailwright does not run the host shell: quotes and backslashes are
/// removed and words are joined by one space as `echo` would, but `$X`,
/// `$(...)` and backquotes stay literal (lint reports them). A syntax error
/// makes the eval fail, which leaves the value empty.
pub fn parse_arg_value(pair: &str) -> String {
    let Ok(tokens) = shell::parse(pair) else {
        return String::new();
    };
    if echo_output_diverted(&tokens) {
        return String::new();
    }
    let echoed = shell::simple_command(&tokens)
        .into_iter()
        .map(|t| match &t.kind {
            shell::TokenKind::Word { value, .. } => value.as_str(),
            _ => unreachable!("simple_command yields words"),
        })
        .collect::<Vec<_>>()
        .join(" ");
    strip_through_first_equals(&echoed).replace('"', "")
}

/// Whether `echo`'s output goes somewhere other than the value: into a
/// pipe (`a|b`) or a file (`a>b`).
fn echo_output_diverted(tokens: &[shell::Token]) -> bool {
    for token in tokens {
        match &token.kind {
            shell::TokenKind::Operator(op) => {
                let op = op.trim_start_matches('1');
                if op == "|" || op.starts_with('>') {
                    return true;
                }
                if !shell::words::is_redirection(op) {
                    return false;
                }
            }
            shell::TokenKind::Comment => return false,
            shell::TokenKind::Word { .. } => {}
        }
    }
    false
}

/// `sed -E 's/[^=]+=?//'`: removes the first run of non-`=` characters and
/// the `=` that follows it, if any.
fn strip_through_first_equals(s: &str) -> String {
    let Some(start) = s.find(|c| c != '=') else {
        return s.to_string();
    };
    let run = s[start..].find('=').map_or(s.len(), |i| start + i);
    let end = if s[run..].starts_with('=') {
        run + 1
    } else {
        run
    };
    format!("{}{}", &s[..start], &s[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bindings(args: &[&str], file: Option<&str>) -> Bindings {
        Bindings {
            args: args.iter().map(|s| s.to_string()).collect(),
            arg_file: file.map(str::to_string),
            ..Bindings::default()
        }
    }

    #[test]
    fn declaration_splits_at_the_first_equals() {
        assert_eq!(declaration("NAME=a=b"), ("NAME", Some("a=b")));
        assert_eq!(declaration("NAME"), ("NAME", None));
        assert_eq!(declaration("A = b"), ("A ", Some(" b")));
        assert_eq!(declaration("E="), ("E", Some("")));
    }

    #[test]
    fn values_are_evaluated_like_eval_echo() {
        assert_eq!(parse_arg_value("Q=\"two  words\""), "two  words");
        assert_eq!(parse_arg_value("X=a   b"), "a b");
        assert_eq!(parse_arg_value("SL=a/b&c"), "a/b");
        assert_eq!(parse_arg_value("P=a|b"), "");
        assert_eq!(parse_arg_value("G=a>b"), "");
        assert_eq!(parse_arg_value("E=a 2>/dev/null"), "a");
        assert_eq!(parse_arg_value("S=a;;"), "");
        assert_eq!(parse_arg_value("SQ=it's"), "");
        assert_eq!(parse_arg_value("V=1 # note"), "1");
        assert_eq!(parse_arg_value("NAME"), "");
        assert_eq!(parse_arg_value("D='say \"hi\"'"), "say hi");
    }

    #[test]
    fn command_line_beats_arg_file_beats_default() {
        let b = bindings(&["OTHER=x", "NAME=cli", "NAME=second"], Some("NAME=file\n"));
        assert_eq!(resolve("NAME=def", &b).unwrap().0, "cli");
        let b = bindings(&[], Some("NAMEX=no\nNAME=file\n"));
        assert_eq!(
            resolve("NAME=def", &b).unwrap(),
            ("file".into(), ValueSource::ArgFile)
        );
        assert_eq!(resolve("NAME=def", &Bindings::default()).unwrap().0, "def");
        assert_eq!(resolve("NAME", &Bindings::default()), None);
    }
}
