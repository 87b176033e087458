//! Attacks on `apply --root` from inside the root and from a template's
//! files (issue 13): every test plants real symlinks, FIFOs or devices, or
//! races the apply with a real process, and checks that nothing outside the
//! root changed. `V` is a canary outside the root, `R` the root, the test
//! directory the template's.

use crate::common;

use crate::common::Test;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A canary file outside the root, with content and mode to compare.
struct Canary {
    path: PathBuf,
}

impl Canary {
    fn new(dir: &Path) -> Canary {
        let path = dir.join("V");
        std::fs::write(&path, "canary\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        Canary { path }
    }

    fn assert_untouched(&self, what: &str) {
        let content = std::fs::read_to_string(&self.path).unwrap();
        let mode = std::fs::metadata(&self.path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(
            (content.as_str(), mode),
            ("canary\n", 0o600),
            "{what}: the canary outside the root changed"
        );
    }
}

fn apply(t: &Test, root: &Path) -> common::Output {
    jailwright(
        t.path(),
        &[
            "apply",
            "Bastillefile",
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "off",
        ],
    )
}

/// Runs the binary with a deadline: a hang is a failure, never a stuck CI.
fn jailwright(dir: &Path, args: &[&str]) -> common::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("jailwright {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap().into()
}

/// Every name the old writer used for a temporary file of `path`.
fn plant_old_temp_link(root: &Path, inside: &str, canary: &Canary) {
    let path = root.join(inside.trim_start_matches('/'));
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    symlink(
        &canary.path,
        path.with_file_name(format!(".{name}.jailwright-tmp")),
    )
    .unwrap();
}

#[test]
fn sysrc_through_a_planted_temp_symlink_cannot_write_outside_the_root() {
    let t = Test::new().file("Bastillefile", "SYSRC foo=bar\n");
    let root = t.path().join("R");
    let canary = Canary::new(t.path());
    plant_old_temp_link(&root, "/etc/rc.conf", &canary);
    let out = apply(&t, &root);
    assert_eq!(out.code, 0, "{}", out.stderr);
    canary.assert_untouched("SYSRC");
    assert_eq!(
        std::fs::read_to_string(root.join("etc/rc.conf")).unwrap(),
        "foo=\"bar\"\n"
    );
}

#[test]
fn every_writing_instruction_ignores_planted_temp_symlinks() {
    let cases = [
        ("CP", "CP files/motd /etc/motd\n", "/etc/motd"),
        ("OVERLAY", "OVERLAY etc\n", "/etc/issue"),
        (
            "LINE_IN_FILE",
            "LINE_IN_FILE 'x' /etc/hosts\n",
            "/etc/hosts",
        ),
        (
            "RENDER",
            "ARG PORT=80\nRENDER /etc/app.conf\n",
            "/etc/app.conf",
        ),
    ];
    for (what, template, inside) in cases {
        let t = Test::new()
            .file("Bastillefile", template)
            .file("files/motd", "hello\n")
            .file("etc/issue", "issue\n");
        let root = t.path().join("R");
        let canary = Canary::new(t.path());
        std::fs::create_dir_all(root.join("etc")).unwrap();
        std::fs::write(root.join("etc/app.conf"), "port ${PORT}\n").unwrap();
        std::fs::write(root.join("etc/hosts"), "127.0.0.1 localhost\n").unwrap();
        plant_old_temp_link(&root, inside, &canary);
        let out = apply(&t, &root);
        assert_eq!(out.code, 0, "{what}: {}", out.stderr);
        canary.assert_untouched(what);
    }
}

#[test]
fn a_template_file_planting_the_temp_name_then_sysrc_cannot_write_outside() {
    // What a remote template can do without any CMD: copy in a symlink of
    // its own to the name the writer would use next.
    let t = Test::new().file(
        "Bastillefile",
        "CP evil /etc/.rc.conf.jailwright-tmp\nSYSRC x=y\n",
    );
    let canary = Canary::new(t.path());
    symlink(&canary.path, t.path().join("evil")).unwrap();
    let root = t.path().join("R");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    let out = apply(&t, &root);
    assert_eq!(out.code, 0, "{}", out.stderr);
    canary.assert_untouched("CP evil, then SYSRC");
    assert!(
        std::fs::symlink_metadata(root.join("etc/.rc.conf.jailwright-tmp"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link itself was copied, as cp -a does"
    );
}

#[test]
fn fmt_and_convert_never_write_through_a_committed_temp_symlink() {
    let t = Test::new().file("repo/Bastillefile", "cmd   true\n");
    let canary = Canary::new(t.path());
    symlink(
        &canary.path,
        t.path().join("repo/.Bastillefile.jailwright-tmp"),
    )
    .unwrap();
    let out = jailwright(t.path(), &["fmt", "repo"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    canary.assert_untouched("fmt repo");
    std::fs::create_dir_all(t.path().join("out")).unwrap();
    symlink(&canary.path, t.path().join("out/.Makejail.jailwright-tmp")).unwrap();
    let out = jailwright(
        t.path(),
        &[
            "convert",
            "repo/Bastillefile",
            "--to",
            "makejail",
            "-o",
            "out/Makejail",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    canary.assert_untouched("convert -o");
    assert!(
        std::fs::read_to_string(t.path().join("out/Makejail"))
            .unwrap()
            .contains("true")
    );
}

#[test]
fn overlay_racing_a_jail_process_that_swaps_a_directory_for_a_symlink_stays_inside() {
    // A jail process swaps R/etc/d between a directory and a symlink to a
    // host directory while a 2,000-file OVERLAY writes into it.
    let mut t = Test::new().file("Bastillefile", "OVERLAY etc\n");
    for i in 0..2000 {
        t = t.file(&format!("etc/d/f{i:04}"), "x\n");
    }
    let host = t.path().join("host-dir");
    std::fs::create_dir_all(&host).unwrap();
    for run in 0..3 {
        let root = t.path().join(format!("R{run}"));
        std::fs::create_dir_all(root.join("etc/d")).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let swapper = {
            let (stop, root, host) = (stop.clone(), root.clone(), host.clone());
            std::thread::spawn(move || {
                let d = root.join("etc/d");
                let real = root.join("etc/d.real");
                let mut swaps = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    if std::fs::rename(&d, &real).is_ok() {
                        let _ = symlink(&host, &d);
                        std::thread::yield_now();
                        let _ = std::fs::remove_file(&d);
                        let _ = std::fs::rename(&real, &d);
                        swaps += 1;
                    }
                }
                swaps
            })
        };
        let out = apply(&t, &root);
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let swaps = swapper.join().unwrap();
        assert!(swaps > 0, "the race never ran");
        let leaked: Vec<_> = std::fs::read_dir(&host).unwrap().collect();
        assert!(
            leaked.is_empty(),
            "run {run}: {} file(s) written into the host directory (apply said: {})",
            leaked.len(),
            out.stderr
        );
    }
}

#[test]
fn copying_a_symlink_over_a_jail_symlink_replaces_the_link_itself() {
    let t = Test::new().file("Bastillefile", "OVERLAY etc\n");
    std::fs::create_dir_all(t.path().join("etc")).unwrap();
    symlink(
        "/usr/share/zoneinfo/Europe/Paris",
        t.path().join("etc/localtime"),
    )
    .unwrap();
    let root = t.path().join("R");
    std::fs::create_dir_all(root.join("usr/share/zoneinfo/Europe")).unwrap();
    std::fs::write(root.join("usr/share/zoneinfo/UTC"), "utc\n").unwrap();
    std::fs::write(root.join("usr/share/zoneinfo/Europe/Paris"), "paris\n").unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    symlink("/usr/share/zoneinfo/UTC", root.join("etc/localtime")).unwrap();
    for run in 0..3 {
        let out = apply(&t, &root);
        assert_eq!(out.code, 0, "run {run}: {}", out.stderr);
    }
    assert_eq!(
        std::fs::read_link(root.join("etc/localtime")).unwrap(),
        Path::new("/usr/share/zoneinfo/Europe/Paris")
    );
    assert_eq!(
        std::fs::read_to_string(root.join("usr/share/zoneinfo/UTC")).unwrap(),
        "utc\n",
        "the jail's UTC zone file was not written through the old link"
    );
}

#[test]
fn cp_of_a_top_level_symlink_to_proc_copies_the_link_and_does_not_hang() {
    let t = Test::new().file("Bastillefile", "CP usrlink /x\n");
    symlink("/proc", t.path().join("usrlink")).unwrap();
    let root = t.path().join("R");
    std::fs::create_dir_all(&root).unwrap();
    let out = apply(&t, &root);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_link(root.join("x")).unwrap(),
        Path::new("/proc")
    );
}

#[test]
fn cache_key_changes_with_a_chmod_and_a_retargeted_link() {
    use jailwright::exec::adapters::host::content_of;
    let t = Test::new().file("run.sh", "#!/bin/sh\n");
    let script = t.path().join("run.sh");
    let before = content_of(t.path());
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_ne!(before, content_of(t.path()), "chmod 755 run.sh");
    symlink("a", t.path().join("link")).unwrap();
    let a = content_of(t.path());
    std::fs::remove_file(t.path().join("link")).unwrap();
    symlink("b", t.path().join("link")).unwrap();
    assert_ne!(a, content_of(t.path()), "a retargeted link");
}

#[test]
fn a_failed_copy_leaves_no_temporary_file() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    // ENOSPC for real: the root is a 1 MiB tmpfs, the copy 4 MiB.
    let t = Test::new()
        .file("Bastillefile", "CP bigcopy /bigcopy\n")
        .file("bigcopy", vec![b'x'; 4 << 20]);
    let root = t.path().join("R");
    std::fs::create_dir_all(&root).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&root)
        .status()
        .expect("mount(8)");
    assert!(
        mounted.success(),
        "cannot mount a tmpfs (this test needs root)"
    );
    let out = apply(&t, &root);
    let left: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let _ = Command::new("umount").arg(&root).status();
    assert_ne!(out.code, 0, "the copy cannot fit");
    assert!(
        out.stderr.contains("No space left") && out.stderr.contains("step 1"),
        "{}",
        out.stderr
    );
    assert!(left.is_empty(), "left in the root: {left:?}");
}

#[test]
fn sysrc_on_a_fifo_rc_conf_fails_at_once() {
    let t = Test::new().file("Bastillefile", "SYSRC x=y\n");
    let root = t.path().join("R");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    nix::unistd::mkfifo(
        &root.join("etc/rc.conf"),
        nix::sys::stat::Mode::from_bits_truncate(0o644),
    )
    .unwrap();
    let out = apply(&t, &root);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("not a regular file (a FIFO)"),
        "{}",
        out.stderr
    );
}

/// Linux only: FreeBSD makes device nodes only on devfs.
#[cfg(target_os = "linux")]
#[test]
fn line_in_file_through_a_link_to_a_device_is_refused() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let t = Test::new().file("Bastillefile", "LINE_IN_FILE 'x' /etc/hosts\n");
    let root = t.path().join("R");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::create_dir_all(root.join("dev")).unwrap();
    // /dev/zero inside the root: a real character device (1, 5).
    nix::sys::stat::mknod(
        &root.join("dev/zero"),
        nix::sys::stat::SFlag::S_IFCHR,
        nix::sys::stat::Mode::from_bits_truncate(0o666),
        nix::sys::stat::makedev(1, 5),
    )
    .expect("mknod (needs root)");
    symlink("/dev/zero", root.join("etc/hosts")).unwrap();
    let out = apply(&t, &root);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("character device"), "{}", out.stderr);
}

#[test]
fn apply_to_the_host_root_is_refused() {
    let t = Test::new().file("Bastillefile", "SYSRC jailwright_test=YES\nCMD true\n");
    let before = std::fs::read("/etc/rc.conf").ok();
    // `/`, and the host's root under another name.
    let alias = t.path().join("hostroot");
    symlink("/", &alias).unwrap();
    for root in [Path::new("/"), alias.as_path()] {
        let out = apply(&t, root);
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(out.stderr.contains("host's own root"), "{}", out.stderr);
    }
    assert_eq!(std::fs::read("/etc/rc.conf").ok(), before);
}

#[test]
fn a_root_without_bin_sh_is_refused_unless_the_template_only_copies() {
    let t = Test::new()
        .file("Bastillefile", "CMD true\n")
        .file("copy/Bastillefile", "CP motd /etc/motd\nSYSRC a=b\n")
        .file("copy/motd", "hi\n");
    let root = t.path().join("R");
    std::fs::create_dir_all(&root).unwrap();
    let out = apply(&t, &root);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no bin/sh"), "{}", out.stderr);
    let out = jailwright(
        &t.path().join("copy"),
        &[
            "apply",
            "Bastillefile",
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "off",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}
