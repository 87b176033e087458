//! Jail parameters and start-at-boot, as each manager writes them:
//! Bastille `CONFIG set PARAM [VALUE]` and `CONFIG set boot on|off`
//! (config.sh:106-155,226-228,300-351), pot `set-attribute -A ATTR -V
//! VALUE` (set-attribute.sh:154-183; the jail parameter of each attribute:
//! common.sh:17-68), AppJail `SET PARAM[=VALUE]` (makejail/cmd/all/SET)
//! and `OPTION boot|noboot` (quick:3594-3613).

use super::op::Op;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// YES/NO; YES writes the bare parameter (start.sh:484-504).
    Bool,
    /// Any other value, written as `param=value`.
    Value,
}

/// pot's jail attributes and the jail(8) parameter each sets.
const POT_JAIL_ATTRIBUTES: &[(&str, &str, Kind)] = &[
    ("enforce_statfs", "enforce_statfs", Kind::Value),
    ("mount", "allow.mount", Kind::Bool),
    ("fdescfs", "mount.fdescfs", Kind::Bool),
    ("linprocfs", "allow.mount.linprocfs", Kind::Bool),
    ("nullfs", "allow.mount.nullfs", Kind::Bool),
    ("procfs", "mount.procfs", Kind::Bool),
    ("tmpfs", "allow.mount.tmpfs", Kind::Bool),
    ("zfs", "allow.mount.zfs", Kind::Bool),
    ("raw_sockets", "allow.raw_sockets", Kind::Bool),
    ("sysvshm", "sysvshm", Kind::Value),
    ("sysvsem", "sysvsem", Kind::Value),
    ("sysvmsg", "sysvmsg", Kind::Value),
    ("children", "children.max", Kind::Value),
    ("mlock", "allow.mlock", Kind::Bool),
    ("devfs_ruleset", "devfs_ruleset", Kind::Value),
    ("stop_timeout", "stop.timeout", Kind::Value),
];

fn truth(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "on" | "1" => Some(true),
        "no" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// A parameter with its value: a boolean one set is bare (`None`), unset
/// is `0`.
fn param(name: &str, value: Option<&str>) -> Op {
    let kind = POT_JAIL_ATTRIBUTES
        .iter()
        .find(|(_, p, _)| *p == name)
        .map_or(Kind::Value, |(_, _, k)| *k);
    let value = match (kind, value.map(|v| (v, truth(v)))) {
        (Kind::Bool, None | Some((_, Some(true)))) => None,
        (Kind::Bool, Some((_, Some(false)))) => Some("0".to_string()),
        (_, v) => v.map(|(v, _)| v.to_string()),
    };
    Op::JailParam {
        name: name.to_string(),
        value,
    }
}

/// pot `set-attribute -A NAME -V VALUE`.
pub fn from_pot(name: &str, value: &str) -> Option<Op> {
    if name == "start-at-boot" {
        return truth(value).map(|on| Op::Boot { on });
    }
    let (_, p, _) = POT_JAIL_ATTRIBUTES.iter().find(|(a, _, _)| *a == name)?;
    Some(param(p, Some(value)))
}

/// Bastille `CONFIG set|add PROPERTY [VALUE]` (or `PROPERTY=VALUE`).
pub fn from_bastille(args: &[String]) -> Option<Op> {
    let (verb, rest) = args.split_first()?;
    if verb != "set" && verb != "add" {
        return None;
    }
    let (name, value) = match rest {
        [p] => name_value(p),
        [p, v] if !p.contains('=') => (p.as_str(), Some(v.as_str())),
        _ => return None,
    };
    // bastille refuses a value outside `^[A-Za-z0-9._/:| $!&%=(){}-]+$`
    // (config.sh:303): nothing to carry over.
    if value.is_some_and(|v| {
        !v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/:| $!&%=(){}-".contains(c))
    }) {
        return None;
    }
    if name == "boot" {
        return match value {
            Some("on") => Some(Op::Boot { on: true }),
            Some("off") => Some(Op::Boot { on: false }),
            _ => None,
        };
    }
    known(name, value)
}

/// AppJail `SET PARAM[=VALUE]` (one parameter, no flags).
pub fn from_makejail(parameters: &[String], flags: &[String]) -> Option<Op> {
    let [p] = parameters else { return None };
    if !flags.is_empty() {
        return None;
    }
    let (name, value) = name_value(p);
    known(name, value)
}

/// `NAME=VALUE` or a bare `NAME`.
fn name_value(word: &str) -> (&str, Option<&str>) {
    match word.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (word, None),
    }
}

/// A parameter pot has an attribute for (the ones jailwright maps).
fn known(name: &str, value: Option<&str>) -> Option<Op> {
    POT_JAIL_ATTRIBUTES
        .iter()
        .any(|(_, p, _)| *p == name)
        .then(|| param(name, value))
}

/// The pot line for a parameter, when pot has an attribute for it.
pub fn to_pot(name: &str, value: Option<&str>) -> Option<String> {
    let (attr, _, kind) = POT_JAIL_ATTRIBUTES.iter().find(|(_, p, _)| *p == name)?;
    let value = match (kind, value) {
        (Kind::Bool, None) => "YES",
        (Kind::Bool, Some(_)) => "NO",
        (Kind::Value, Some(v)) => v,
        (Kind::Value, None) => return None,
    };
    Some(format!("set-attribute -A {attr} -V {value}"))
}

/// `NAME` or `NAME=VALUE`.
pub fn written(name: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{name}={v}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_manager_spells_mlock_and_boot_its_way() {
        let mlock = Op::JailParam {
            name: "allow.mlock".into(),
            value: None,
        };
        assert_eq!(from_pot("mlock", "YES"), Some(mlock.clone()));
        assert_eq!(
            from_bastille(&["set".into(), "allow.mlock=1".into()]),
            Some(mlock.clone())
        );
        assert_eq!(
            from_bastille(&["set".into(), "allow.mlock".into()]),
            Some(mlock.clone())
        );
        assert_eq!(from_makejail(&["allow.mlock".into()], &[]), Some(mlock));
        assert_eq!(
            to_pot("allow.mlock", None).as_deref(),
            Some("set-attribute -A mlock -V YES")
        );
        assert_eq!(
            from_pot("start-at-boot", "YES"),
            Some(Op::Boot { on: true })
        );
        assert_eq!(
            from_bastille(&["set".into(), "boot".into(), "off".into()]),
            Some(Op::Boot { on: false })
        );
        assert_eq!(
            from_bastille(&["set".into(), "sysvshm=new".into()]),
            Some(Op::JailParam {
                name: "sysvshm".into(),
                value: Some("new".into())
            })
        );
        assert_eq!(from_bastille(&["set".into(), "ip4.addr=1".into()]), None);
        // (a CRLF file: bastille keeps the \r and refuses the value)
        assert_eq!(from_bastille(&["set".into(), "sysvshm=new\r".into()]), None);
    }
}
