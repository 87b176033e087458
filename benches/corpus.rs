//! `cargo bench --bench corpus`: the whole corpus linted by the real binary
//! as a CI job runs it, beside `cat` of the same files, in one run (issue
//! 18's goals 1 and 2). Figures only: no test depends on timing.
//!
//! * `lint --no-shellcheck CORPUS` against `find CORPUS -type f -exec cat
//!   {} +` (goal: at most 3x cat, under 100 ms);
//! * `lint CORPUS` with ShellCheck: with an empty cache (every script
//!   checked, batched over the cores) and again with the cache warm
//!   (goal: under 2 s).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn corpus() -> PathBuf {
    std::env::var_os("JAILWRIGHT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// The median of `runs` runs of `command` (output discarded).
fn median(runs: usize, mut command: impl FnMut() -> Command) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let status = command()
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run");
            let elapsed = start.elapsed();
            assert!(status.code().is_some_and(|c| c < 2), "{status:?}");
            elapsed
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let corpus = corpus();
    if !corpus.is_dir() {
        println!(
            "corpus: {} not found (JAILWRIGHT_CORPUS, compat/fetch-corpus): skipped",
            corpus.display()
        );
        return;
    }
    let jw = env!("CARGO_BIN_EXE_jailwright");
    let runs = 15;
    let cat = median(runs, || {
        let mut c = Command::new("find");
        c.arg(&corpus)
            .args(["-type", "f", "-exec", "cat", "{}", "+"]);
        c
    });
    let lint = median(runs, || {
        let mut c = Command::new(jw);
        c.args(["lint", "--no-shellcheck", "--format", "json"])
            .arg(&corpus);
        c
    });
    println!(
        "goal 1  lint --no-shellcheck {:8.1} ms   cat {:6.1} ms   ratio {:.2}x   (goal <= 3x, < 100 ms)",
        ms(lint),
        ms(cat),
        lint.as_secs_f64() / cat.as_secs_f64()
    );
    let shellcheck = Command::new("shellcheck").arg("--version").output().is_ok();
    if !shellcheck {
        println!("goal 2  shellcheck is not installed: skipped");
        return;
    }
    let cache = std::env::temp_dir().join(format!("jw-bench-cache-{}", std::process::id()));
    let with_cache = |fresh: bool| {
        let cache = cache.clone();
        let corpus = corpus.clone();
        move || {
            if fresh {
                let _ = std::fs::remove_dir_all(&cache);
            }
            let mut c = Command::new(jw);
            c.args(["lint", "--format", "json"])
                .arg(&corpus)
                .env("XDG_CACHE_HOME", &cache);
            c
        }
    };
    let cold = median(3, with_cache(true));
    let warm = median(5, with_cache(false));
    let _ = std::fs::remove_dir_all(&cache);
    println!(
        "goal 2  lint with ShellCheck: cold cache {:8.1} ms   warm cache {:6.1} ms   cat {:6.1} ms   (goal < 2000 ms; {} cores)",
        ms(cold),
        ms(warm),
        ms(cat),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
}
