//! The host commands an instruction becomes on a target: the managers' own
//! (research/*.md), prefixed with `jexec` for a jail or `chroot` for a root.

use super::blocked::Blocked;
use super::{Facts, PackageManager, TargetSpec};
use crate::ir::{CmdOptions, CmdTarget, CmdUser, Dialect, PkgAction, Runner};

pub fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

/// The prefix that runs a program inside the target: `jexec -l [-U root]
/// J` or `chroot ROOT`.
pub fn in_jail(target: &TargetSpec, as_root: bool) -> Vec<String> {
    match target {
        TargetSpec::Jail(j) if as_root => words(&["jexec", "-l", "-U", "root", j]),
        TargetSpec::Jail(j) => words(&["jexec", "-l", j]),
        TargetSpec::Root(r) => vec!["chroot".into(), r.display().to_string()],
    }
}

/// The command AppJail's `appjail cmd jexec J ...` runs
/// (share/appjail/cmd/cmd:334-411): `jexec [-l] [-U USER | -u USER] -d
/// WORKDIR -- J`. AppJail runs its own jexec (libexec/jexec/jexec.c:
/// FreeBSD's, plus `-e NAME=VALUE`); jailwright runs FreeBSD's, which
/// takes the same options, and passes variables through env(1) instead.
pub fn appjail_jexec(
    jail: &str,
    clean: bool,
    user: Option<&CmdUser>,
    workdir: &str,
) -> Vec<String> {
    let mut argv = words(&["jexec"]);
    if clean {
        argv.push("-l".into());
    }
    match user {
        Some(CmdUser::Jail(u)) => argv.extend(words(&["-U", u])),
        Some(CmdUser::Host(u)) => argv.extend(words(&["-u", u])),
        None => {}
    }
    argv.extend(words(&["-d", workdir, "--", jail]));
    argv
}

/// CMD: `jexec -l -U root J sh -c TEXT` (Bastille: template.sh:380 runs
/// `bastille cmd J sh -c 'TEXT'`, cmd.sh:79 `jexec -l -U root J "$@"`;
/// AppJail's `cmd jexec` adds its user, directory and environment), or
/// `chroot ROOT /bin/sh -c TEXT`.
pub fn cmd_argv(
    script: &str,
    options: &CmdOptions,
    stage_env: &[String],
    target: &TargetSpec,
    dialect: Dialect,
) -> Result<Vec<String>, Blocked> {
    if let (Dialect::Makejail, CmdTarget::Jexec, TargetSpec::Jail(j)) =
        (dialect, options.target, target)
    {
        // makejail/cmd/all/CMD:176-216: `appjail cmd jexec J [-l] -w DIR
        // [-e ...] [-U|-u USER] env ARGS... sh -c "TEXT"` (`-w /` unless
        // --workdir; `-l` there means --noclean).
        let workdir = options.workdir.as_deref().unwrap_or("/");
        let mut argv = appjail_jexec(j, !options.noclean, options.user.as_ref(), workdir);
        argv.push("env".into());
        argv.extend(options.env.iter().cloned());
        argv.extend(stage_env.iter().cloned());
        argv.extend(words(&["sh", "-c", script]));
        return Ok(argv);
    }
    let sh = match target {
        // jexec -l looks `sh` up on the jail's login PATH.
        TargetSpec::Jail(_) => "sh",
        TargetSpec::Root(_) => "/bin/sh",
    };
    let shell = words(&[sh, "-c", script]);
    match options.target {
        CmdTarget::Jexec => {
            let mut argv = match (target, &options.user) {
                (TargetSpec::Jail(j), Some(CmdUser::Jail(u))) => {
                    words(&["jexec", "-l", "-U", u, j])
                }
                (TargetSpec::Jail(j), Some(CmdUser::Host(u))) => {
                    words(&["jexec", "-l", "-u", u, j])
                }
                _ => in_jail(target, true),
            };
            if let TargetSpec::Jail(_) = target {
                if options.noclean {
                    // AppJail's `cmd jexec -l` keeps the environment.
                    argv.retain(|w| w != "-l");
                }
                if let Some(dir) = &options.workdir {
                    // AppJail's `appjail cmd jexec -w DIR`.
                    let at = argv.len() - 1;
                    argv.splice(at..at, words(&["-d", dir]));
                }
            }
            if !options.env.is_empty() || !stage_env.is_empty() {
                argv.push("env".into());
                argv.extend(stage_env.iter().cloned());
                argv.extend(options.env.iter().cloned());
            }
            argv.extend(shell);
            Ok(argv)
        }
        CmdTarget::Chroot => match target {
            TargetSpec::Root(_) => Ok([in_jail(target, false), shell].concat()),
            TargetSpec::Jail(j) => Err(Blocked::ChrootIntoJail { jail: j.clone() }),
        },
        other => Err(Blocked::CmdOnHost {
            runner: format!("{other:?}").to_lowercase(),
        }),
    }
}

/// PKG: pkg inside the jail (`env ASSUME_ALWAYS_YES=yes`, as bastille
/// 1.4.2+), the host's pkg with `-j`/`-r`, or a Linux root's apt.
pub fn pkg_argv(
    packages: &[String],
    runner: Runner,
    action: PkgAction,
    target: &TargetSpec,
    facts: &Facts,
    dialect: Dialect,
) -> Result<Vec<String>, Blocked> {
    if let (Dialect::Makejail, TargetSpec::Jail(j), Runner::Host | Runner::Jail) =
        (dialect, target, runner)
    {
        return Ok(appjail_pkg(packages, runner, action, j));
    }
    let verb = match action {
        PkgAction::Install => "install",
        PkgAction::Remove => "remove",
        PkgAction::Autoremove => "autoremove",
        PkgAction::Clean => "clean",
        PkgAction::Update => "update",
        PkgAction::Upgrade => "upgrade",
    };
    let with_packages = [vec![verb.to_string()], packages.to_vec()].concat();
    let prefix = match (target, runner) {
        (_, Runner::Local) => {
            return Err(Blocked::PkgOnHost);
        }
        (TargetSpec::Jail(j), Runner::Host) => {
            words(&["env", "ASSUME_ALWAYS_YES=yes", "/usr/sbin/pkg", "-j", j])
        }
        (TargetSpec::Jail(j), _) => words(&[
            "jexec",
            "-l",
            "-U",
            "root",
            j,
            "env",
            "ASSUME_ALWAYS_YES=yes",
            "/usr/sbin/pkg",
        ]),
        (TargetSpec::Root(r), _) => {
            let root = r.display().to_string();
            match facts.package_manager {
                PackageManager::Pkg => words(&["env", "ASSUME_ALWAYS_YES=yes", "pkg", "-r", &root]),
                PackageManager::Apt => words(&[
                    "chroot",
                    &root,
                    "env",
                    "DEBIAN_FRONTEND=noninteractive",
                    "apt-get",
                    "-y",
                ]),
            }
        }
    };
    Ok([prefix, with_packages].concat())
}

/// AppJail's PKG: `pkg -j J VERB...` from the host, or with `--jail`
/// `jexec -l -U root J pkg VERB...` (share/appjail/cmd/pkg:190-198), the
/// verb as makejail/cmd/all/PKG:128-140 writes it.
fn appjail_pkg(packages: &[String], runner: Runner, action: PkgAction, jail: &str) -> Vec<String> {
    let verb: &[&str] = match action {
        PkgAction::Install => &["install", "-y", "--"],
        PkgAction::Remove => &["remove", "-y", "--"],
        PkgAction::Autoremove => &["autoremove", "-y"],
        PkgAction::Clean => &["clean", "-y"],
        PkgAction::Update => &["update"],
        PkgAction::Upgrade => &["upgrade", "-y"],
    };
    let prefix = match runner {
        Runner::Jail => words(&["jexec", "-l", "-U", "root", jail, "pkg"]),
        _ => words(&["pkg", "-j", jail]),
    };
    let packages = match action {
        PkgAction::Install | PkgAction::Remove => packages.to_vec(),
        _ => Vec::new(),
    };
    [prefix, words(verb), packages].concat()
}

/// AppJail's SYSRC and SERVICE: the host's `sysrc -j J -- ARGS` / `service
/// -j J -- ARGS` (makejail/cmd/all/SYSRC:91-113, SERVICE:86-105 through
/// `appjail cmd local`), or with `--jail` the jail's own through `appjail
/// cmd jexec` (`jexec -l -d / -- J sysrc -- ARGS`).
pub fn appjail_tool(tool: &str, args: &[String], runner: Runner, jail: &str) -> Vec<String> {
    let prefix = match runner {
        Runner::Jail => [appjail_jexec(jail, true, None, "/"), words(&[tool])].concat(),
        _ => words(&[tool, "-j", jail]),
    };
    [prefix, words(&["--"]), args.to_vec()].concat()
}
