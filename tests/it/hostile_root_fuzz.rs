//! A generated-input fuzz of `apply --root` against hostile roots (issue
//! 13): seeded random trees of directories, files, FIFOs and symlinks
//! (absolute, relative, climbing, looping, into a canary directory outside
//! the root) under and around the destinations, and random templates that
//! copy, overlay, sysrc, line-in-file and render into them, from template
//! directories that hold links and FIFOs of their own. After every run the
//! canary directory outside the root must be exactly as it was, and
//! jailwright must have ended by itself without panicking.
//!
//! Bounded by time: `JAILWRIGHT_FUZZ_SECS` (default 20) seconds;
//! `JAILWRIGHT_FUZZ_SEED` picks the first seed (default 1). A failure
//! prints the seed that reproduces it.

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// splitmix64: small, seeded, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &["etc", "d", "a", "b", "rc.conf", "f", "usr", "local", "x"];

/// Names a careless writer might use beside a destination (the names of
/// its temporary files): planted as links into the canary.
const PLANTED: &[&str] = &[
    ".rc.conf.jailwright-tmp",
    ".f.jailwright-tmp",
    ".x.jailwright-tmp",
    ".a.jailwright-tmp",
];

/// Everything under `dir`: path → (kind, mode, content or link target).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, u32, Vec<u8>)> {
    let mut all = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(false) {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        let kind = entry.file_type();
        let data = if kind.is_file() {
            std::fs::read(entry.path()).unwrap()
        } else if kind.is_symlink() {
            std::fs::read_link(entry.path())
                .unwrap()
                .into_os_string()
                .into_encoded_bytes()
        } else {
            Vec::new()
        };
        all.insert(
            entry.path().to_path_buf(),
            (format!("{kind:?}"), meta.mode(), data),
        );
    }
    all
}

/// A random path of 1–4 names, sometimes with `..`.
fn random_inside(rng: &mut Rng) -> String {
    let depth = 1 + rng.below(4);
    let mut parts = Vec::new();
    for _ in 0..depth {
        if rng.below(8) == 0 {
            parts.push("..".to_string());
        } else {
            parts.push(rng.pick(NAMES).to_string());
        }
    }
    format!("/{}", parts.join("/"))
}

/// A symlink target: inside, climbing out, absolute on the host, into the
/// canary, a loop, a device.
fn random_target(rng: &mut Rng, canary: &Path) -> PathBuf {
    match rng.below(8) {
        0 => canary.to_path_buf(),
        1 => canary.join("file"),
        2 => PathBuf::from("../../../../canary"),
        3 => PathBuf::from(random_inside(rng)),
        4 => PathBuf::from(rng.pick(NAMES)),
        5 => PathBuf::from("/dev/zero"),
        6 => PathBuf::from("."),
        _ => PathBuf::from(format!("../{}", rng.pick(NAMES))),
    }
}

/// Fills `dir` with a random tree of up to `n` entries. The generator
/// itself never follows a link it made: every parent must be a real
/// directory and the entry must not exist yet (else it is skipped).
fn random_tree(rng: &mut Rng, dir: &Path, canary: &Path, n: usize) {
    std::fs::create_dir_all(dir).unwrap();
    for _ in 0..n {
        let rel = random_inside(rng);
        let parts: Vec<String> = rel
            .trim_start_matches('/')
            .split('/')
            .map(|p| p.replace("..", "up"))
            .collect();
        let kind = rng.below(7);
        let target = random_target(rng, canary);
        let Some(path) = real_parents(dir, &parts) else {
            continue;
        };
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let _ = match kind {
            0 => std::fs::create_dir(&path),
            1 => std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .and_then(|mut f| {
                    std::io::Write::write_all(&mut f, format!("x=\"${{PORT}}\" {rel}\n").as_bytes())
                }),
            2 => nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o644))
                .map_err(std::io::Error::from),
            // A hard link to the canary's file: written in place, it would
            // change the canary.
            3 => std::fs::hard_link(canary.join("file"), &path),
            4 => symlink(canary.join("file"), path.with_file_name(rng.pick(PLANTED))),
            _ => symlink(target, &path),
        };
    }
}

/// `dir/parts...` when every parent is a real directory (made if missing).
fn real_parents(dir: &Path, parts: &[String]) -> Option<PathBuf> {
    let (last, parents) = parts.split_last()?;
    let mut path = dir.to_path_buf();
    for part in parents {
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_dir() => {}
            Ok(_) => return None,
            Err(_) => std::fs::create_dir(&path).ok()?,
        }
    }
    Some(path.join(last))
}

/// A Makejail copying the template's files (COPY's sources and
/// destinations, as AppJail takes them).
fn random_makejail(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..1 + rng.below(6) {
        let dest = random_inside(rng);
        let line = match rng.below(3) {
            0 => format!("COPY src/{} {dest}", rng.pick(NAMES)),
            1 => format!("COPY src {dest}"),
            _ => format!("COPY src/{}/{} {dest}", rng.pick(NAMES), rng.pick(NAMES)),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn random_template(rng: &mut Rng) -> String {
    let mut text = String::from("ARG PORT=80\n");
    for _ in 0..1 + rng.below(6) {
        let dest = random_inside(rng);
        let line = match rng.below(6) {
            0 => format!("CP src/{} {dest}", rng.pick(NAMES)),
            1 => format!("CP src {dest}"),
            2 => "OVERLAY src".to_string(),
            3 => format!("SYSRC -f {dest} k{}=v", rng.below(100)),
            4 => format!("LINE_IN_FILE 'line {}' {dest}", rng.below(100)),
            _ => format!("RENDER {dest}"),
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// One run: a fresh root, template directory and canary; apply; compare.
fn one_run(seed: u64, base: &Path) -> Result<(), String> {
    let mut rng = Rng(seed);
    let dir = base.join(format!("run-{seed}"));
    let canary = dir.join("canary");
    std::fs::create_dir_all(canary.join("sub")).unwrap();
    std::fs::write(canary.join("file"), "canary\n").unwrap();
    std::fs::write(canary.join("sub/rc.conf"), "canary\n").unwrap();
    let root = dir.join("R");
    random_tree(&mut rng, &root, &canary, 12);
    let template = dir.join("T");
    random_tree(&mut rng, &template.join("src"), &canary, 6);
    let (file, text) = if rng.below(4) == 0 {
        ("Makejail", random_makejail(&mut rng))
    } else {
        ("Bastillefile", random_template(&mut rng))
    };
    std::fs::write(template.join(file), text).unwrap();
    let before = snapshot(&canary);
    let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", file, "--root"])
        .arg(&root)
        .args(["--snapshots", "off"])
        .current_dir(&template)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            return Err(format!("seed {seed}: apply hung"));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    if !matches!(code, Some(0..=2)) || stderr.contains("panicked") {
        return Err(format!("seed {seed}: exit {code:?}: {stderr}"));
    }
    if snapshot(&canary) != before {
        return Err(format!(
            "seed {seed}: the canary outside the root changed\ntemplate:\n{}\n{stderr}",
            std::fs::read_to_string(template.join(file)).unwrap()
        ));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}

#[test]
fn apply_into_generated_hostile_roots_never_touches_the_canary_outside() {
    let secs: u64 = std::env::var("JAILWRIGHT_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let first: u64 = std::env::var("JAILWRIGHT_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let base = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut runs = 0;
    let mut seed = first;
    loop {
        if let Err(e) = one_run(seed, base.path()) {
            panic!("{e}\n(reproduce: JAILWRIGHT_FUZZ_SEED={seed} JAILWRIGHT_FUZZ_SECS=0)");
        }
        runs += 1;
        seed += 1;
        if started.elapsed() >= Duration::from_secs(secs) {
            break;
        }
    }
    // Seen in the test log (cargo test -- --nocapture): how much ran.
    println!("hostile-root fuzz: {runs} runs, seeds {first}..{seed}, canary untouched");
    assert!(runs > 0);
}
