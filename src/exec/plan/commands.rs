//! The host commands an instruction becomes on a target: the managers' own
//! (research/*.md), prefixed with `jexec` for a jail or `chroot` for a root.

use super::{Facts, PackageManager, TargetSpec};
use crate::ir::{CmdOptions, CmdTarget, CmdUser, PkgAction, Runner};

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

/// CMD: `jexec -l -U root J /bin/sh -c TEXT` (Bastille; AppJail's `cmd
/// jexec` adds its user, directory and environment), or through chroot.
pub fn cmd_argv(
    script: &str,
    options: &CmdOptions,
    stage_env: &[String],
    target: &TargetSpec,
) -> Result<Vec<String>, String> {
    let shell = words(&["/bin/sh", "-c", script]);
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
            TargetSpec::Jail(j) => Err(format!(
                "CMD --chroot: chroot into {j}'s root needs its path: apply to --root PATH"
            )),
        },
        other => Err(
            format!("CMD --{other:?}: runs on the host, which apply does not do").to_lowercase(),
        ),
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
) -> Result<Vec<String>, String> {
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
            return Err("PKG --local: installs on the host, which apply does not do".into());
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
