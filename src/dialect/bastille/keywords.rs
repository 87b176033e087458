//! Keywords of a Bastillefile: the instructions template.sh handles itself,
//! their aliases, and the `bastille` subcommands any other keyword is passed
//! to (bin/bastille:230-290).

/// How template.sh treats a lower-cased keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Arg,
    ArgRequired,
    Cmd,
    Cp,
    Overlay,
    Include,
    Mount,
    Pkg,
    Hpkg,
    Tags,
    Render,
    LineInFile,
    // Passed through to `bastille <subcommand>` but with a typed meaning.
    Sysrc,
    Service,
    Rdr,
    Config,
    Limits,
    Restart,
    /// Any other word: `bastille <word> JAIL args`.
    Passthrough,
}

/// Classifies the lower-cased keyword (template.sh's `case $cmd`, then the
/// subcommand aliases of bin/bastille).
pub fn classify(lower: &str) -> Keyword {
    match lower {
        "arg" => Keyword::Arg,
        "arg+" => Keyword::ArgRequired,
        "cmd" => Keyword::Cmd,
        "cp" | "copy" => Keyword::Cp,
        "overlay" => Keyword::Overlay,
        "include" => Keyword::Include,
        "fstab" | "mount" => Keyword::Mount,
        "pkg" => Keyword::Pkg,
        "hpkg" => Keyword::Hpkg,
        "tag" | "tags" => Keyword::Tags,
        "render" => Keyword::Render,
        "lif" | "lineinfile" | "line_in_file" => Keyword::LineInFile,
        "sysrc" => Keyword::Sysrc,
        "service" => Keyword::Service,
        "rdr" => Keyword::Rdr,
        "config" => Keyword::Config,
        "limit" | "limits" => Keyword::Limits,
        "restart" => Keyword::Restart,
        _ => Keyword::Passthrough,
    }
}

/// The canonical Bastillefile name of a lower-cased keyword: aliases
/// resolved (`copy` is `CP`, `lif` is `LINE_IN_FILE`, `unmount` is
/// `UMOUNT`), upper-cased.
pub fn canonical(lower: &str) -> String {
    let name = match classify(lower) {
        Keyword::Arg => "ARG",
        Keyword::ArgRequired => "ARG+",
        Keyword::Cmd => "CMD",
        Keyword::Cp => "CP",
        Keyword::Overlay => "OVERLAY",
        Keyword::Include => "INCLUDE",
        Keyword::Mount => "MOUNT",
        Keyword::Pkg => "PKG",
        Keyword::Hpkg => "HPKG",
        Keyword::Tags => "TAGS",
        Keyword::Render => "RENDER",
        Keyword::LineInFile => "LINE_IN_FILE",
        Keyword::Sysrc => "SYSRC",
        Keyword::Service => "SERVICE",
        Keyword::Rdr => "RDR",
        Keyword::Config => "CONFIG",
        Keyword::Limits => "LIMITS",
        Keyword::Restart => "RESTART",
        Keyword::Passthrough => return subcommand(lower).unwrap_or(lower).to_uppercase(),
    };
    name.to_string()
}

/// The subcommand bin/bastille runs for a word, with its aliases resolved,
/// or `None` when bastille has no such subcommand (it prints its usage and
/// exits 1, which fails the template).
pub fn subcommand(lower: &str) -> Option<&'static str> {
    SUBCOMMANDS
        .iter()
        .find(|(names, _)| names.contains(&lower))
        .map(|(_, canonical)| *canonical)
}

const SUBCOMMANDS: &[(&[&str], &str)] = &[
    (&["bootstrap"], "bootstrap"),
    (&["clone"], "clone"),
    (&["cmd"], "cmd"),
    (&["config"], "config"),
    (&["console"], "console"),
    (&["convert"], "convert"),
    (&["cp"], "cp"),
    (&["create"], "create"),
    (&["destroy", "destory"], "destroy"),
    (&["edit"], "edit"),
    (&["etcupdate"], "etcupdate"),
    (&["export"], "export"),
    (&["htop"], "htop"),
    (&["import"], "import"),
    (&["jcp"], "jcp"),
    (&["limit", "limits"], "limits"),
    (&["list"], "list"),
    (&["log", "logs"], "logs"),
    (&["migrate"], "migrate"),
    (&["monitor"], "monitor"),
    (&["mount"], "mount"),
    (&["net", "network"], "network"),
    (&["pkg"], "pkg"),
    (&["p", "plugin"], "plugin"),
    (&["rcp"], "rcp"),
    (&["rdr"], "rdr"),
    (&["rename"], "rename"),
    (&["restart"], "restart"),
    (&["service"], "service"),
    (&["setup"], "setup"),
    (&["start"], "start"),
    (&["stop"], "stop"),
    (&["sysrc"], "sysrc"),
    (&["tag", "tags"], "tags"),
    (&["template"], "template"),
    (&["top"], "top"),
    (&["up"], "up"),
    (&["umount", "unmount"], "umount"),
    (&["update"], "update"),
    (&["upgrade"], "upgrade"),
    (&["verify"], "verify"),
    (&["zfs"], "zfs"),
];

/// Why a passthrough subcommand is risky inside a template, if it is.
pub fn danger(subcommand: &str) -> Option<&'static str> {
    Some(match subcommand {
        "stop" => "stops the jail: every later step finds it not running and silently does nothing",
        "destroy" => "destroys a jail",
        "rename" => "renames the jail: later steps no longer find it",
        "migrate" => "moves the jail to another host",
        "zfs" => "manages the jail's datasets (snapshot, rollback, destroy)",
        "convert" => "converts the jail between thin and thick",
        "setup" => "reconfigures the host (network, pf, storage)",
        "bootstrap" => "downloads releases or templates on the host",
        "create" | "clone" | "import" => "creates another jail from inside a template",
        "export" => "exports the jail to an archive on the host",
        "upgrade" => "upgrades the jail to another release",
        "console" | "edit" | "htop" | "top" | "monitor" => {
            "is interactive: the template waits for a terminal"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        assert_eq!(classify("copy"), Keyword::Cp);
        assert_eq!(classify("fstab"), Keyword::Mount);
        assert_eq!(classify("lif"), Keyword::LineInFile);
        assert_eq!(classify("tag"), Keyword::Tags);
        assert_eq!(subcommand("unmount"), Some("umount"));
        assert_eq!(subcommand("destory"), Some("destroy"));
        assert_eq!(subcommand("vm"), None);
    }
}
