//! JW721: an `OPTION` value that `appjail quick` rejects while it reads
//! its options, before the jail is created: the build stops there (exit
//! 65). `appjail makejail` passes every OPTION line as one argument of
//! `appjail quick` (share/appjail/makejail/write/build/OPTION:45), and
//! quick checks each value in order (share/appjail/cmd/quick:227-235):
//!
//! - a sub-parameter key the option does not know: `KEY (expose):
//!   parameter not found.` (expose quick:1546, nat 1141, nonat, volume
//!   2630, virtualnet 1896, limits 2852);
//! - expose: the port must be `hport[:jport]` (`Invalid port`,
//!   quick:1556-1558) and `proto:` exactly `tcp` or `udp` (`P: invalid
//!   protocol.`, quick:1560-1567);
//! - `network:` (expose, nat, nonat, virtualnet): at most 15 bytes of
//!   `[a-zA-Z0-9_][a-zA-Z0-9_-]*` (check_func:141-154, 261-266);
//! - virtualnet `address:` an IPv4 address (quick:1906-1910);
//! - priority and devfs_ruleset: a number (quick:3628-3638, 3284-3298).
//!
//! A word holding `$` or `%{` is left alone: the build script's shell
//! (or AppJail's build arguments, makejail:717-725) replaces it first. An
//! option that needs a value and has none stops quick too (`expose
//! syntax: ...`, quick:1486; virtualnet 1856, volume 2582, limits 2851).

use super::{MAKEJAIL, text_span};
use crate::dialect::makejail::tokenizer::tokenize;
use crate::document::Document;
use crate::ir::Instruction;
use crate::lint::{Report, Rule, Severity};

pub const RULE: Rule = Rule {
    code: "JW721",
    name: "option-value",
    severity: Severity::Error,
    dialects: MAKEJAIL,
    summary: "an OPTION value appjail quick rejects before the jail is created",
    check,
    fixable: false,
    opt_in: false,
};

/// The keys each option with sub-parameters takes (the first word is the
/// option's own value: a port, a volume name, a network:interface).
fn keys(option: &str) -> Option<(&'static [&'static str], bool)> {
    Some(match option {
        "expose" => (
            &[
                "descr", "ext_if", "ext_ip", "logopts", "network", "on_if", "proto",
            ],
            true,
        ),
        "nat" => (&["ext_if", "ext_ip", "logopts", "network", "on_if"], false),
        "nonat" => (&["ext_if", "network", "on_if"], false),
        "volume" => (&["group", "mountpoint", "owner", "perm", "type"], true),
        "virtualnet" => (&["address", "default", "interface_desc"], true),
        "limits" => (&["descr"], true),
        _ => return None,
    })
}

fn check(doc: &Document, report: &mut Report) {
    for step in &doc.template.steps {
        let Instruction::JailOption { option } = &step.instruction else {
            continue;
        };
        // The option as written: its `%{NAME}` build arguments are still
        // there (the reading fills them in, with nothing when lint is not
        // given their values).
        let written = if step.text.contains("%{") {
            step.text.as_str()
        } else {
            option.as_str()
        };
        let Some(at) = step.text.find(written) else {
            continue;
        };
        let trimmed = written.trim_start();
        let at = at + written.len() - trimmed.len();
        let (name, value, value_at) = match trimmed.split_once('=') {
            Some((name, value)) => (name, value, at + name.len() + 1),
            None => (trimmed, "", at + trimmed.len()),
        };
        for (start, end, message) in problems(name, value) {
            report.emit(
                // Nothing to point at in an empty value: the option's name.
                if start == end {
                    text_span(doc, step, at, at + name.len())
                } else {
                    text_span(doc, step, value_at + start, value_at + end)
                },
                message,
                help(name),
            );
        }
    }
}

fn help(option: &str) -> String {
    match option {
        "expose" => "expose=HPORT[:JPORT] [descr:TEXT] [ext_if:IF] [ext_ip:ADDR] [logopts:OPTS] [network:NET] [on_if:IF] [proto:tcp|udp] (appjail-quick(1))".into(),
        "nat" => "nat=[ext_if:IF] [ext_ip:ADDR] [logopts:OPTS] [network:NET] [on_if:IF] (appjail-quick(1))".into(),
        "nonat" => "nonat=[ext_if:IF] [network:NET] [on_if:IF] (appjail-quick(1))".into(),
        "volume" => "volume=NAME [group:GID] [mountpoint:PATH] [owner:UID] [perm:MODE] [type:FS] (appjail-quick(1))".into(),
        "virtualnet" => "virtualnet=[NETWORK]:INTERFACE [default] [address:IPv4] [interface_desc:TEXT] (appjail-quick(1))".into(),
        "limits" => "limits=RULE [descr:TEXT] (appjail-quick(1))".into(),
        other => format!("{other}= takes a number (appjail-quick(1))"),
    }
}

/// Each problem of one option's value: byte range in the value, message.
fn problems(name: &str, value: &str) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    let needs_value = matches!(
        name,
        "expose" | "virtualnet" | "volume" | "limits" | "fstab" | "device" | "copydir" | "template" | "priority" | "devfs_ruleset"
    );
    if needs_value && value.trim().is_empty() {
        found.push((0, 0, format!("{name} needs a value: appjail quick prints its syntax and stops (exit 65)")));
        return found;
    }
    if matches!(name, "priority" | "devfs_ruleset") {
        let number = value.trim();
        let replaced = number.contains('$') || number.contains("%{");
        if !replaced && !number.bytes().all(|b| b.is_ascii_digit()) {
            found.push((0, value.len(), format!("{name}: A positive number is required! (appjail quick stops: exit 65)")));
        }
        return found;
    }
    let Some((known, first_is_value)) = keys(name) else {
        return found;
    };
    // A build argument's `%{NAME:description}` may hold blanks: AppJail
    // replaces it before the value is split (makejail:717-725). Read it
    // as a plain word of the same length.
    let original = value;
    let value = &without_build_arguments(value);
    // An unbalanced quote is JW702's.
    let Ok(words) = tokenize(value, false) else {
        return found;
    };
    for (index, word) in words.iter().enumerate() {
        let end = word.start + word.text.len().min(value.len() - word.start);
        // A word the build script's shell or AppJail fills in: its key is
        // still checked, not what follows it.
        let filled = original
            .get(word.start..end)
            .is_some_and(|w| w.contains('$') || w.contains("%{"));
        if filled && word.text.starts_with(['x', '$']) {
            continue;
        }
        if index == 0 && first_is_value {
            if name == "expose" && !filled && !valid_port(&word.text) {
                found.push((word.start, end, format!("Invalid port: {} (appjail quick stops: exit 65)", word.text)));
            }
            continue;
        }
        let (key, sub) = match word.text.split_once(':') {
            Some((key, sub)) => (key, Some(sub)),
            None => (word.text.as_str(), None),
        };
        if !known.contains(&key) {
            found.push((word.start, end, format!("{key} ({name}): parameter not found. (appjail quick stops: exit 65)")));
            continue;
        }
        let sub = sub.unwrap_or("");
        match key {
            // An empty `proto:` or `network:` keeps the default (quick:1559-1569).
            _ if sub.is_empty() || filled => {}
            "proto" if sub != "tcp" && sub != "udp" => found.push((
                word.start,
                end,
                format!("{sub}: invalid protocol. (appjail quick stops: exit 65): expose takes proto:tcp or proto:udp"),
            )),
            "network" if !valid_network(sub) => found.push((
                word.start,
                end,
                format!("{sub}: invalid network name. (appjail quick stops: exit 65): at most 15 of a-z A-Z 0-9 _ -, not starting with -"),
            )),
            "address" if name == "virtualnet" && sub.parse::<std::net::Ipv4Addr>().is_err() => found.push((
                word.start,
                end,
                format!("{sub}: invalid IPv4 address. (appjail quick stops: exit 65)"),
            )),
            _ => {}
        }
    }
    if name == "virtualnet"
        && let Some(first) = words.first()
        && let Some((network, _)) = first.text.split_once(':')
        && !network.is_empty()
        && !network.contains('$')
        && !network.contains("%{")
        && !valid_network(network)
    {
        found.push((
            first.start,
            first.start + network.len(),
            format!("{network}: invalid network name. (appjail quick stops: exit 65)"),
        ));
    }
    found
}

/// `value` with each `%{...}` replaced by as many `x` as it has bytes.
fn without_build_arguments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find("%{") {
        let Some(len) = rest[at..].find('}') else {
            break;
        };
        out.push_str(&rest[..at]);
        out.extend(std::iter::repeat_n('x', len + 1));
        rest = &rest[at + len + 1..];
    }
    out.push_str(rest);
    out
}

/// `^[^:]+(:[^:]+)?$` (quick:1556).
fn valid_port(port: &str) -> bool {
    let mut parts = port.split(':');
    let ok = |p: Option<&str>| p.is_some_and(|p| !p.is_empty());
    match port.matches(':').count() {
        0 => ok(parts.next()),
        1 => ok(parts.next()) && ok(parts.next()),
        _ => false,
    }
}

/// AppJail's network names (check_func:141-154, 261-266).
fn valid_network(name: &str) -> bool {
    let mut bytes = name.bytes();
    name.len() <= 15
        && bytes
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::problems;

    fn messages(name: &str, value: &str) -> Vec<String> {
        problems(name, value).into_iter().map(|p| p.2).collect()
    }

    #[test]
    fn what_quick_rejects_and_what_it_takes() {
        assert_eq!(messages("expose", "53:53 network:net proto:udp"), Vec::<String>::new());
        assert!(messages("expose", "53:53 network:net proto:ucp")[0].starts_with("ucp: invalid protocol."));
        assert!(messages("expose", "80 description:web")[0].starts_with("description (expose): parameter not found."));
        assert!(messages("expose", "1:2:3")[0].starts_with("Invalid port: 1:2:3"));
        assert_eq!(messages("expose", "http-alt:8080 descr:'my web'"), Vec::<String>::new());
        assert_eq!(messages("nat", ""), Vec::<String>::new());
        assert!(messages("nat", "network:bad.name")[0].starts_with("bad.name: invalid network name."));
        assert_eq!(messages("virtualnet", "web:<random> default address:10.0.0.5"), Vec::<String>::new());
        assert!(messages("virtualnet", ":<random> address:10.0.0.300")[0].starts_with("10.0.0.300: invalid IPv4"));
        assert!(messages("volume", "data owner:1 size:3G")[0].starts_with("size (volume): parameter not found."));
        assert!(messages("priority", "-1")[0].starts_with("priority: A positive number"));
        assert_eq!(messages("priority", "10"), Vec::<String>::new());
        assert_eq!(messages("start", "whatever"), Vec::<String>::new());
        assert_eq!(messages("priority", "%{PRIO:10}"), Vec::<String>::new());
        assert_eq!(messages("virtualnet", ":<random> address:%{ADDR:address of the jail}"), Vec::<String>::new());
        assert_eq!(messages("expose", "%{PORT:8080}:80 proto:udp"), Vec::<String>::new());
        assert!(messages("expose", "%{PORT:8080}:80 proto:tpc")[0].starts_with("tpc: invalid protocol"));
        assert!(messages("expose", "")[0].starts_with("expose needs a value"));
        assert_eq!(messages("expose", "80 proto: network:"), Vec::<String>::new());
    }
}
