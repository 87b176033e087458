//! `cargo bench --bench scaling`: how the paths that were quadratic (issue
//! 13, item 14) grow. Each runs the jailwright binary on a generated
//! template of size n and of size 10n and prints both times and their
//! ratio: about 10 is linear, about 100 quadratic, below 10 bounded.
//! Figures only: no test depends on timing. A run longer than
//! `SCALING_CAP_SECS` (default 120) is stopped and shown as `>`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One path to measure: a name, the size n, how to write a template of a
/// given size, and the command that reads it.
struct Case {
    name: &'static str,
    n: usize,
    file: &'static str,
    template: fn(usize) -> String,
    args: fn(&Path, &Path) -> Vec<String>,
}

fn main() {
    let cap = Duration::from_secs(
        std::env::var("SCALING_CAP_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(120),
    );
    let cases = [
        Case {
            name: "JW909 lint, n PKG lines (json)",
            n: 10_000,
            file: "Bastillefile",
            template: pkg_lines,
            args: |t, _| args(&["lint", "--no-shellcheck", "--format", "json"], t),
        },
        Case {
            name: "lint text report, n findings",
            n: 2_000,
            file: "Bastillefile",
            template: tab_after_keyword,
            args: |t, _| args(&["lint", "--no-shellcheck"], t),
        },
        Case {
            name: "fmt --check, CMD of n continued lines",
            n: 20_000,
            file: "Bastillefile",
            template: continued_cmd,
            args: |t, _| args(&["fmt", "--check"], t),
        },
        Case {
            name: "fmt --check, Makejail, n continued lines",
            n: 20_000,
            file: "Makejail",
            template: continued_cmd,
            args: |t, _| args(&["fmt", "--check"], t),
        },
        Case {
            name: "convert --to bastille, n continued lines",
            n: 20_000,
            file: "Bastillefile",
            template: continued_cmd,
            args: |t, out| convert(t, "bastille", out),
        },
        Case {
            name: "convert --to makejail, Makejail, n cont.",
            n: 20_000,
            file: "Makejail",
            template: continued_cmd,
            args: |t, out| convert(t, "makejail", out),
        },
        Case {
            name: "parse --format json, n PKG lines",
            n: 100_000,
            file: "Bastillefile",
            template: pkg_lines,
            args: |t, _| args(&["parse", "--format", "json"], t),
        },
        Case {
            name: "parse Makejail, n build-arg declarations",
            n: 800,
            file: "Makejail",
            template: build_args,
            args: |t, _| args(&["parse"], t),
        },
        Case {
            name: "fmt --check, n rewrites that change meaning",
            n: 2_000,
            file: "Bastillefile",
            template: space_indented,
            args: |t, _| args(&["fmt", "--check"], t),
        },
    ];
    let dir = tempfile::tempdir().expect("a temporary directory");
    println!(
        "{:<44} {:>8} {:>10} {:>8} {:>10} {:>7}",
        "path", "n", "t(n)", "10n", "t(10n)", "ratio"
    );
    for (index, case) in cases.iter().enumerate() {
        let small = measure(case, case.n, &dir.path().join(format!("{index}-n")), cap);
        let large = measure(
            case,
            case.n * 10,
            &dir.path().join(format!("{index}-10n")),
            cap,
        );
        let ratio = large.time.as_secs_f64() / small.time.as_secs_f64().max(1e-9);
        let capped = if large.capped { ">" } else { "" };
        println!(
            "{:<44} {:>8} {:>10} {:>8} {:>10} {:>7}",
            case.name,
            case.n,
            seconds(&small),
            case.n * 10,
            seconds(&large),
            format!("{capped}{ratio:.1}")
        );
    }
}

struct Timing {
    time: Duration,
    capped: bool,
}

fn seconds(t: &Timing) -> String {
    let s = t.time.as_secs_f64();
    let prefix = if t.capped { ">" } else { "" };
    if s < 1.0 {
        format!("{prefix}{:.1} ms", s * 1e3)
    } else {
        format!("{prefix}{s:.2} s")
    }
}

/// Best of three runs (one when a run takes over 2 s) on a template of
/// size `size` written in `dir`.
fn measure(case: &Case, size: usize, dir: &Path, cap: Duration) -> Timing {
    std::fs::create_dir_all(dir).expect("bench directory");
    let template = dir.join(case.file);
    std::fs::write(&template, (case.template)(size)).expect("template written");
    let mut best: Option<Timing> = None;
    for run in 0..3 {
        let out = dir.join(format!("out{run}"));
        let t = run_once(&(case.args)(&template, &out), cap);
        let slow = t.capped || t.time > Duration::from_secs(2);
        if best.as_ref().is_none_or(|b| t.time < b.time) {
            best = Some(t);
        }
        if slow {
            break;
        }
    }
    best.expect("one run at least")
}

fn run_once(args: &[String], cap: Duration) -> Timing {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("jailwright runs");
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if status.code().is_none_or(|c| c > 1) {
                    eprintln!("jailwright {args:?}: {status}");
                }
                return Timing {
                    time: start.elapsed(),
                    capped: false,
                };
            }
            Ok(None) if start.elapsed() > cap => {
                let _ = child.kill();
                let _ = child.wait();
                return Timing {
                    time: cap,
                    capped: true,
                };
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => panic!("waiting for jailwright: {e}"),
        }
    }
}

fn args(words: &[&str], template: &Path) -> Vec<String> {
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if words.first() == Some(&"lint") {
        out.extend(["--failure-threshold".into(), "none".into()]);
    }
    out.push(template.display().to_string());
    out
}

fn convert(template: &Path, to: &str, out: &Path) -> Vec<String> {
    vec![
        "convert".into(),
        template.display().to_string(),
        "--to".into(),
        to.into(),
        "-o".into(),
        out.display().to_string(),
    ]
}

/// n PKG lines, one in ten a package installed before (JW909 findings).
fn pkg_lines(n: usize) -> String {
    (0..n)
        .map(|i| {
            if i % 10 == 9 {
                format!("PKG p{}\n", i - 5)
            } else {
                format!("PKG p{i}\n")
            }
        })
        .collect()
}

/// n lines with a tab after the keyword: one JW104 finding each.
fn tab_after_keyword(n: usize) -> String {
    (0..n).map(|i| format!("SYSRC\tk{i}=v\n")).collect()
}

/// One CMD continued over n more lines.
fn continued_cmd(n: usize) -> String {
    let mut text = String::from("CMD echo start \\\n");
    for i in 0..n {
        text.push_str(&format!("  word{i} \\\n"));
    }
    text.push_str("  end\n");
    text
}

/// n space-indented PKG lines: Bastille reads `PKG` as an argument there,
/// so every rewrite would change the meaning and is tried and undone.
fn space_indented(n: usize) -> String {
    (0..n).map(|i| format!("  PKG p{i}\n")).collect()
}

/// `n` Makejail build arguments, each declared once and used once.
fn build_args(n: usize) -> String {
    let mut text: String = (0..n)
        .map(|i| format!("ARG x{i}=%{{B{i}:v{i}}}\n"))
        .collect();
    text.extend((0..n).map(|i| format!("CMD echo %{{B{i}}}\n")));
    text
}
