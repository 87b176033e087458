//! `jailwright-compat outputs DIR [CORPUS]`: writes what jailwright prints
//! for every corpus template (parse, lint with the default and with every
//! rule selected, convert to each other manager, plan against an empty
//! root) into DIR, one file per template and command, so that two builds'
//! outputs can be compared with `diff -r` (a refactoring changes nothing).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The commands run for one template, by output file name.
fn commands(dialect: &str, root: &Path) -> Vec<(&'static str, Vec<String>)> {
    let root = root.display().to_string();
    let plain = |args: &[&str]| args.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let mut all = vec![
        ("parse.json", plain(&["parse", "--format", "json"])),
        (
            "lint.json",
            plain(&["lint", "--format", "json", "--failure-threshold", "none"]),
        ),
        (
            "lint-all.json",
            plain(&[
                "lint",
                "--format",
                "json",
                "--failure-threshold",
                "none",
                "--select",
                "ALL",
                "--extend-select",
                &crate::precision::opt_in_selectors(),
            ]),
        ),
        (
            "plan.json",
            plain(&["plan", "--format", "json", "--root", &root]),
        ),
        (
            "plan-jail.json",
            plain(&[
                "plan",
                "--format",
                "json",
                "--jail",
                "jw-outputs",
                "--jail-ip",
                "10.0.0.2",
                "--jail-ip6",
                "fd00::2",
            ]),
        ),
    ];
    for (name, to) in [
        ("convert-bastille.txt", "bastille"),
        ("convert-makejail.txt", "makejail"),
        ("convert-pot.txt", "pot"),
    ] {
        if to != dialect {
            all.push((name, plain(&["convert", "--format", "json", "--to", to])));
        }
    }
    all
}

/// Runs every command over every template of `corpus`, writing into `out`.
/// Returns how many files were written.
pub fn write(exe: &Path, corpus: &Path, out: &Path) -> std::io::Result<usize> {
    // One path for every run, so that plans of two builds compare equal.
    let empty_root = std::env::temp_dir().join("jailwright-outputs-empty-root");
    std::fs::create_dir_all(&empty_root)?;
    let mut written = 0;
    for dialect in crate::DIALECTS {
        let dir = corpus.join(crate::corpus_dir(dialect));
        for template in crate::units(dialect, &dir) {
            let rel = crate::relative(corpus, &template);
            let target = out.join(&rel);
            std::fs::create_dir_all(&target)?;
            for (name, mut args) in commands(dialect, &empty_root) {
                if dialect == "pot" {
                    args.extend(["--dialect".into(), "pot".into()]);
                }
                args.push(template.display().to_string());
                let text = run(exe, &args)?;
                std::fs::write(target.join(name), text)?;
                written += 1;
            }
        }
    }
    // (left in place: two runs at once share it)
    Ok(written)
}

/// The command's exit status, standard output and standard error as one text.
fn run(exe: &Path, args: &[String]) -> std::io::Result<String> {
    let output = Command::new(exe)
        .arg("jailwright")
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("JAILWRIGHT_CACHE")
        .output()?;
    Ok(format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    ))
}

/// The directory given, or an error saying what is expected.
pub fn out_dir(arg: Option<std::ffi::OsString>) -> Result<PathBuf, &'static str> {
    arg.map(PathBuf::from)
        .ok_or("usage: jailwright-compat outputs DIR [CORPUS]")
}
