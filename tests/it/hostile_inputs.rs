//! Hostile host-side inputs (issue 13, items 5, 6 and 12): FIFOs and
//! devices where a template, a configuration, an argument file or an
//! INCLUDE is expected; template symlinks out of a linted or formatted
//! tree; a lock file whose hash is a path. Real FIFOs, real symlinks and
//! `/dev/zero`; every run of the binary has a deadline and a memory limit,
//! so a regression fails the test instead of hanging it or exhausting the
//! machine.

use crate::common::{Output, Test};
use std::io::Read;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than any honest run on a loaded machine; a hang never ends.
const DEADLINE: Duration = Duration::from_secs(20);

/// Runs jailwright in `dir` with at most 1 GiB of address space, killed
/// (and the test failed) when it outlives the deadline.
fn run_guarded(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 1048576; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_jailwright"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("spawn jailwright");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("jailwright {args:?} still running after {DEADLINE:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        code: status.code().unwrap_or(-1),
    }
}

fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    nix::unistd::mkfifo(path, nix::sys::stat::Mode::from_bits_truncate(0o644)).unwrap();
}

fn both(out: &Output) -> String {
    format!("{}{}", out.stdout, out.stderr)
}

/// Exit 2 with the clear refusal, whatever else was printed.
fn assert_refused(out: &Output, what: &str) {
    assert_eq!(out.code, 2, "{}", both(out));
    assert!(
        out.stderr
            .contains(&format!("not a regular file (a {what})")),
        "{}",
        both(out)
    );
}

#[test]
fn lint_of_a_fifo_template_fails_at_once() {
    let t = Test::new().file("b/Bastillefile", "PKG nginx\nFROB x\n");
    mkfifo(&t.path().join("a/Bastillefile"));
    let out = run_guarded(t.path(), &["lint", "a/Bastillefile"], &[]);
    assert_refused(&out, "FIFO");
    // A walk reports the FIFO and goes on with the other templates.
    let out = run_guarded(t.path(), &["lint", ".", "--format", "gnu"], &[]);
    assert_refused(&out, "FIFO");
    assert!(out.stderr.contains("a/Bastillefile"), "{}", both(&out));
    assert!(out.stdout.contains("b/Bastillefile:2"), "{}", both(&out));
}

#[test]
fn lint_of_a_fifo_beside_a_template_fails_at_once() {
    // A Makejail in a directory and a pot flavour whose script is a FIFO.
    let t = Test::new().file("pot/web", "set-attribute -A x -V y\n");
    mkfifo(&t.path().join("mj/Makejail"));
    mkfifo(&t.path().join("pot/web.sh"));
    let out = run_guarded(t.path(), &["lint", "mj"], &[]);
    assert_refused(&out, "FIFO");
    let out = run_guarded(t.path(), &["lint", "pot/web"], &[]);
    assert_refused(&out, "FIFO");
}

#[test]
fn parse_of_dev_zero_is_refused_without_reading_it() {
    let t = Test::new();
    symlink("/dev/zero", t.path().join("Bastillefile")).unwrap();
    let out = run_guarded(t.path(), &["parse", "Bastillefile"], &[]);
    assert_refused(&out, "character device");
    let out = run_guarded(
        t.path(),
        &["parse", "--dialect", "makejail", "/dev/zero"],
        &[],
    );
    assert_refused(&out, "character device");
    let out = run_guarded(t.path(), &["fmt", "--check", "Bastillefile"], &[]);
    assert_refused(&out, "character device");
}

#[test]
fn a_template_over_the_size_cap_is_refused() {
    let t = Test::new();
    let big = std::fs::File::create(t.path().join("Bastillefile")).unwrap();
    big.set_len(17 << 20).unwrap();
    let out = run_guarded(t.path(), &["parse", "Bastillefile"], &[]);
    assert_eq!(out.code, 2, "{}", both(&out));
    assert!(out.stderr.contains("larger than 16 MiB"), "{}", both(&out));
}

#[test]
fn config_fifo_refused() {
    let t = Test::new().file("Bastillefile", "PKG nginx\n");
    mkfifo(&t.path().join("config.toml"));
    let out = run_guarded(
        t.path(),
        &["lint", "--config", "config.toml", "Bastillefile"],
        &[],
    );
    assert_refused(&out, "FIFO");
    assert!(out.stderr.contains("config.toml"), "{}", both(&out));
}

#[test]
fn a_found_config_fifo_is_reported_and_lint_goes_on() {
    let t = Test::new().file("b/Bastillefile", "FROB x\n");
    mkfifo(&t.path().join("a/.jailwright.toml"));
    std::fs::write(t.path().join("a/Bastillefile"), "PKG nginx\n").unwrap();
    let out = run_guarded(t.path(), &["lint", "a", "b", "--format", "gnu"], &[]);
    assert_refused(&out, "FIFO");
    assert!(out.stderr.contains(".jailwright.toml"), "{}", both(&out));
    assert!(out.stdout.contains("b/Bastillefile:1"), "{}", both(&out));
}

#[test]
fn arg_file_fifo_refused() {
    let t = Test::new().file("Bastillefile", "ARG X\nPKG ${X}\n");
    mkfifo(&t.path().join("args"));
    let out = run_guarded(
        t.path(),
        &["parse", "--arg-file", "args", "Bastillefile"],
        &[],
    );
    assert_refused(&out, "FIFO");
    assert!(out.stderr.contains("--arg-file args"), "{}", both(&out));
}

#[test]
fn include_of_a_fifo_refused() {
    // A Makejail INCLUDE, read as AppJail reads it (lint, parse --expand-includes).
    let t = Test::new().file("Makejail", "INCLUDE inc.makejail\nPKG nginx\n");
    mkfifo(&t.path().join("inc.makejail"));
    let out = run_guarded(t.path(), &["lint", "Makejail", "--format", "gnu"], &[]);
    assert!(
        out.stdout
            .contains("Makejail:1:1: error: inc.makejail: not a regular file (a FIFO)"),
        "{}",
        both(&out)
    );
    // parse prints the steps (the INCLUDE kept as one) and does not hang.
    let out = run_guarded(t.path(), &["parse", "--expand-includes", "Makejail"], &[]);
    assert!(out.stdout.contains("PKG"), "{}", both(&out));
    // A Bastille INCLUDE (planned): its template, and its --arg-file.
    let t = Test::new()
        .file("Bastillefile", "INCLUDE proj/fifo\n")
        .file("other/Bastillefile", "INCLUDE proj/ok --arg-file args\n")
        .file("other/proj/ok/Bastillefile", "PKG nginx\n");
    mkfifo(&t.path().join("proj/fifo/Bastillefile"));
    mkfifo(&t.path().join("other/args"));
    let root = t.path().join("root");
    std::fs::create_dir(&root).unwrap();
    let root = root.to_str().unwrap();
    let out = run_guarded(t.path(), &["plan", "Bastillefile", "--root", root], &[]);
    assert_eq!(out.code, 1, "{}", both(&out));
    assert!(
        both(&out).contains("not a regular file (a FIFO)"),
        "{}",
        both(&out)
    );
    let out = run_guarded(
        &t.path().join("other"),
        &["plan", "Bastillefile", "--root", root],
        &[],
    );
    assert_eq!(out.code, 1, "{}", both(&out));
    assert!(
        both(&out).contains("not a regular file (a FIFO)"),
        "{}",
        both(&out)
    );
}

/// A file outside the linted tree that must never be printed.
const SECRET: &str = "root:$6$SECRETHASH:19000:0:99999:7:::\nPKG SECRET2\n";

fn assert_secret_kept(out: &Output) {
    assert!(!both(out).contains("SECRET"), "{}", both(out));
}

const FORMATS: [&str; 6] = ["text", "json", "sarif", "github", "checkstyle", "gnu"];

#[test]
fn lint_dir_does_not_follow_a_template_symlink_out_of_the_tree() {
    let t = Test::new()
        .file("outside/shadow", SECRET)
        .file("repo/ok/Bastillefile", "FROB x\n");
    let shadow = t.path().join("outside/shadow");
    std::fs::create_dir_all(t.path().join("repo/web")).unwrap();
    symlink(&shadow, t.path().join("repo/web/Bastillefile")).unwrap();
    symlink(&shadow, t.path().join("repo/web/app.makejail")).unwrap();
    for format in FORMATS {
        let out = run_guarded(t.path(), &["lint", "repo", "--format", format], &[]);
        assert_secret_kept(&out);
        assert!(
            out.stderr.contains("outside") && out.stderr.contains("skipped"),
            "{}",
            both(&out)
        );
        // The templates inside the tree are still linted.
        assert_eq!(out.code, 1, "{format}: {}", both(&out));
    }
}

#[test]
fn lint_dir_does_not_read_files_of_a_template_out_of_the_tree() {
    // A legacy hook, a flavour's script and a Makejail INCLUDE that lead
    // out of the walked directory are not read.
    let t = Test::new()
        .file("outside/shadow", SECRET)
        .file("repo/legacy/PKG", "nginx\n")
        .file("repo/pot/web", "set-attribute -A x -V y\n");
    let shadow = t.path().join("outside/shadow");
    symlink(&shadow, t.path().join("repo/legacy/CMD")).unwrap();
    symlink(&shadow, t.path().join("repo/pot/web.sh")).unwrap();
    std::fs::write(
        t.path().join("repo/Makejail"),
        format!("INCLUDE {}\nPKG nginx\n", shadow.display()),
    )
    .unwrap();
    for format in FORMATS {
        let out = run_guarded(t.path(), &["lint", "repo", "--format", format], &[]);
        assert_secret_kept(&out);
    }
}

#[test]
fn lint_dir_does_not_read_a_config_symlinked_out_of_the_tree() {
    // A TOML error would quote the file's first line.
    let t = Test::new()
        .file("outside/shadow", SECRET)
        .file("repo/ok/Bastillefile", "PKG nginx\n");
    symlink(
        t.path().join("outside/shadow"),
        t.path().join("repo/.jailwright.toml"),
    )
    .unwrap();
    let out = run_guarded(t.path(), &["lint", "repo"], &[]);
    assert_secret_kept(&out);
    assert_eq!(out.code, 2, "{}", both(&out));
    assert!(out.stderr.contains("outside"), "{}", both(&out));
}

#[test]
fn lint_dir_follows_a_template_symlink_inside_the_tree() {
    let t = Test::new().file("repo/shared/Bastillefile", "FROB x\n");
    std::fs::create_dir_all(t.path().join("repo/web")).unwrap();
    symlink(
        "../shared/Bastillefile",
        t.path().join("repo/web/Bastillefile"),
    )
    .unwrap();
    let out = run_guarded(t.path(), &["lint", "repo", "--format", "gnu"], &[]);
    assert!(out.stdout.contains("web/Bastillefile:1"), "{}", both(&out));
    assert!(!out.stderr.contains("skipped"), "{}", both(&out));
}

#[test]
fn lint_of_a_named_symlink_follows_it() {
    let t = Test::new().file("outside/Bastillefile", "FROB x\n");
    std::fs::create_dir_all(t.path().join("repo")).unwrap();
    symlink(
        t.path().join("outside/Bastillefile"),
        t.path().join("repo/Bastillefile"),
    )
    .unwrap();
    let out = run_guarded(
        t.path(),
        &["lint", "repo/Bastillefile", "--format", "gnu"],
        &[],
    );
    assert!(out.stdout.contains("Bastillefile:1"), "{}", both(&out));
}

#[test]
fn fmt_dir_never_writes_through_a_symlink() {
    let unformatted = "pkg   nginx\nSYSRC   x=y\n";
    let t = Test::new()
        .file("outside/Bastillefile", unformatted)
        .file("repo/shared/Bastillefile", unformatted);
    let target = t.path().join("outside/Bastillefile");
    std::fs::create_dir_all(t.path().join("repo/out")).unwrap();
    std::fs::create_dir_all(t.path().join("repo/in")).unwrap();
    symlink(&target, t.path().join("repo/out/Bastillefile")).unwrap();
    symlink(
        "../shared/Bastillefile",
        t.path().join("repo/in/Bastillefile"),
    )
    .unwrap();
    let out = run_guarded(t.path(), &["fmt", "repo"], &[]);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        unformatted,
        "{}",
        both(&out)
    );
    for link in ["repo/out/Bastillefile", "repo/in/Bastillefile"] {
        let meta = std::fs::symlink_metadata(t.path().join(link)).unwrap();
        assert!(meta.file_type().is_symlink(), "{link}: {}", both(&out));
        assert!(out.stderr.contains(link), "{}", both(&out));
    }
    // The real file in the tree is formatted.
    let shared = std::fs::read_to_string(t.path().join("repo/shared/Bastillefile")).unwrap();
    assert_ne!(shared, unformatted, "{}", both(&out));
    // A named symlink is not rewritten either.
    let out = run_guarded(t.path(), &["fmt", "repo/out/Bastillefile"], &[]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), unformatted);
    assert!(
        std::fs::symlink_metadata(t.path().join("repo/out/Bastillefile"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "{}",
        both(&out)
    );
}

#[test]
fn lock_hash_with_dotdot_is_refused() {
    // The pinned tree `CACHE/trees/HASH` is used when it exists: a hash
    // `../../evil` would make `parse URL` read `evil/Bastillefile`.
    let url = "https://127.0.0.1:9/t.tar.gz";
    let t = Test::new()
        .file("evil/Bastillefile", "PKG EVILCANARY\n")
        .file("jailwright.lock", format!("{url}\t../../evil\n"));
    let cache = t.path().join("cache");
    std::fs::create_dir_all(cache.join("trees")).unwrap();
    let out = run_guarded(
        t.path(),
        &["parse", url],
        &[("JAILWRIGHT_CACHE", cache.as_path())],
    );
    assert!(!both(&out).contains("EVILCANARY"), "{}", both(&out));
    assert_eq!(out.code, 2, "{}", both(&out));
    assert!(
        out.stderr.contains("jailwright.lock:1") && out.stderr.contains("sha256"),
        "{}",
        both(&out)
    );
}

#[test]
fn lock_fifo_refused() {
    let t = Test::new();
    mkfifo(&t.path().join("jailwright.lock"));
    let cache = t.path().join("cache");
    let out = run_guarded(
        t.path(),
        &["parse", "https://127.0.0.1:9/t.tar.gz"],
        &[("JAILWRIGHT_CACHE", cache.as_path())],
    );
    assert_refused(&out, "FIFO");
}
