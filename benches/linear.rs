//! `cargo bench --bench linear`: issue 18's goal 3. Every command that
//! reads a whole template (parse as text and JSON, lint in every output
//! format, fmt --check, convert) on generated templates of each dialect at
//! 10 k, 100 k and 1 M lines, with many findings and many declared ARGs.
//! For each it prints the time per line at each size, the 1 M / 10 k ratio
//! of those (1.0 is linear; the goal is at most 2.0) and the peak RSS as a
//! multiple of the input's size (the goal is at most 20x at every size).
//! Figures only: no test depends on timing.
//!
//! `LINEAR_SIZES=10000,100000` runs fewer sizes; `LINEAR_ONLY=lint` only
//! the commands whose name holds that text.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A dialect's generated template: where it is written, and its lines.
struct Dialect {
    name: &'static str,
    write: fn(&Path, usize) -> PathBuf,
    /// The manager `convert` converts it to.
    convert_to: &'static str,
}

fn main() {
    let sizes: Vec<usize> = std::env::var("LINEAR_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let only = std::env::var("LINEAR_ONLY").unwrap_or_default();
    let jw = env!("CARGO_BIN_EXE_jailwright");
    let dialects = [
        Dialect {
            name: "bastille",
            write: bastillefile,
            convert_to: "makejail",
        },
        Dialect {
            name: "makejail",
            write: makejail,
            convert_to: "bastille",
        },
        Dialect {
            name: "pot",
            write: flavour,
            convert_to: "bastille",
        },
    ];
    let commands: [(&str, &[&str]); 11] = [
        ("parse text", &["parse"]),
        ("parse json", &["parse", "--format", "json"]),
        ("lint text", &["lint", "--no-shellcheck"]),
        (
            "lint json",
            &["lint", "--no-shellcheck", "--format", "json"],
        ),
        (
            "lint sarif",
            &["lint", "--no-shellcheck", "--format", "sarif"],
        ),
        (
            "lint github",
            &["lint", "--no-shellcheck", "--format", "github"],
        ),
        (
            "lint checkstyle",
            &["lint", "--no-shellcheck", "--format", "checkstyle"],
        ),
        ("lint gnu", &["lint", "--no-shellcheck", "--format", "gnu"]),
        ("fmt --check", &["fmt", "--check"]),
        ("convert", &["convert", "--to", "TO"]),
        ("statistics", &["lint", "--no-shellcheck", "--statistics"]),
    ];
    println!(
        "{:<9} {:<16} {}  {:>9}  {:>8}",
        "dialect",
        "command",
        sizes
            .iter()
            .map(|n| format!("{:>18}", format!("{}: us/line RSS", short(*n))))
            .collect::<String>(),
        "ratio",
        "max RSS"
    );
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut worst_ratio = 0.0f64;
    let mut worst_rss = 0.0f64;
    for dialect in &dialects {
        let files: Vec<(usize, PathBuf, u64)> = sizes
            .iter()
            .map(|&n| {
                let d = dir.path().join(format!("{}-{n}", dialect.name));
                std::fs::create_dir_all(&d).expect("directory");
                let file = (dialect.write)(&d, n);
                let bytes = input_bytes(&d);
                (n, file, bytes)
            })
            .collect();
        for (name, args) in commands {
            if !name.contains(only.as_str()) {
                continue;
            }
            let mut cells = String::new();
            let mut per_line = Vec::new();
            let mut max_rss_ratio = 0.0f64;
            for (n, file, bytes) in &files {
                let args: Vec<&str> = args
                    .iter()
                    .map(|a| if *a == "TO" { dialect.convert_to } else { a })
                    .collect();
                let (time, rss) = run(jw, &args, file);
                let us = time.as_secs_f64() * 1e6 / *n as f64;
                let ratio = rss as f64 / *bytes as f64;
                max_rss_ratio = max_rss_ratio.max(ratio);
                per_line.push(us);
                cells.push_str(&format!("{:>18}", format!("{us:8.2} {ratio:5.1}x")));
            }
            let ratio = per_line.last().copied().unwrap_or(0.0) / per_line[0].max(1e-9);
            worst_ratio = worst_ratio.max(ratio);
            worst_rss = worst_rss.max(max_rss_ratio);
            println!(
                "{:<9} {:<16} {cells}  {ratio:>9.2}  {max_rss_ratio:>7.1}x",
                dialect.name, name
            );
        }
    }
    println!(
        "goal 3  worst per-line ratio largest/smallest size {worst_ratio:.2} (goal <= 2.0)   worst peak RSS {worst_rss:.1}x the input (goal <= 20x)"
    );
}

fn short(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}M", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// The size of everything a command reads: the template's directory.
fn input_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Runs jailwright once: its wall time and peak RSS in bytes (wait4).
fn run(jw: &str, args: &[&str], file: &Path) -> (Duration, u64) {
    let start = Instant::now();
    let child = Command::new(jw)
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("jailwright runs");
    let pid = child.id() as nix::libc::pid_t;
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the kernel.
    let mut usage: nix::libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, whose handle is not waited on again.
    let waited = unsafe { nix::libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert_eq!(waited, pid, "wait4");
    let code = nix::libc::WEXITSTATUS(status);
    assert!(
        nix::libc::WIFEXITED(status) && code < 2,
        "{args:?} {}: exit status {status}",
        file.display()
    );
    std::mem::forget(child);
    // ru_maxrss is in KiB on Linux and FreeBSD.
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

/// A Bastillefile of `n` lines: one ARG in ten (each referenced later),
/// packages, CMDs with findings, SYSRC, SERVICE. Lines are short (15
/// bytes on average) so that a million of them fit under the 16 MiB a
/// template may have.
fn bastillefile(dir: &Path, n: usize) -> PathBuf {
    instructions(dir.join("Bastillefile"), n, "A", |i| {
        format!("RENDER /e{i}\n")
    })
}

/// A Makejail of `n` lines, as `bastillefile` with ENV for RENDER.
fn makejail(dir: &Path, n: usize) -> PathBuf {
    instructions(dir.join("Makejail"), n, "a", |i| format!("ENV V{i}=x\n"))
}

/// `n` lines of the instructions both dialects share, ARGs named
/// `arg` + number, and one line in ten of the dialect's own.
fn instructions(file: PathBuf, n: usize, arg: &str, own: fn(usize) -> String) -> PathBuf {
    let mut s = String::with_capacity(n * 16);
    for i in 0..n {
        let line = match i % 10 {
            0 => format!("ARG {arg}{i}=1\n"),
            1 => format!("PKG p{i}\n"),
            2 => format!("CMD echo ${{{arg}{}}}\n", i - 2),
            3 => format!("SYSRC s{i}_enable=1\n"),
            4 => "CMD cd /tmp\n".to_string(),
            5 => "CMD\tchmod 777 /s\n".to_string(),
            6 => "# c\n".to_string(),
            7 => own(i),
            8 => format!("SERVICE s{} start\n", i - 5),
            _ => "CMD pkg install x\n".to_string(),
        };
        s.push_str(&line);
    }
    std::fs::write(&file, s).expect("write");
    file
}

/// A pot flavour: a tenth of the lines pot commands, the rest its shell
/// script (packages, services, findings).
fn flavour(dir: &Path, n: usize) -> PathBuf {
    let commands = n / 10;
    let mut f = String::with_capacity(commands * 40);
    for i in 0..commands {
        match i % 4 {
            0 => f.push_str(&format!("set-env -E V{i}=v\n")),
            1 => f.push_str(&format!("export-ports -e tcp:{}:80\n", 1000 + i % 60000)),
            2 => f.push_str("set-attribute -A persistent -V OFF\n"),
            _ => f.push_str("set-rss -C 2 -M 512M\n"),
        }
    }
    let mut sh = String::with_capacity((n - commands) * 32);
    sh.push_str("#!/bin/sh\n");
    for i in 1..n - commands {
        match i % 6 {
            0 => sh.push_str(&format!("pkg install p{i}\n")),
            1 => sh.push_str(&format!("sysrc s{i}_enable=1\n")),
            2 => sh.push_str(&format!("echo $V{}\n", i % commands.max(1))),
            3 => sh.push_str("chmod 777 /x\n"),
            4 => sh.push_str(&format!("service s{} start\n", i - 3)),
            _ => sh.push_str("cd /tmp\n"),
        }
    }
    let file = dir.join("flavour");
    std::fs::write(&file, f).expect("write");
    std::fs::write(dir.join("flavour.sh"), sh).expect("write");
    file
}
