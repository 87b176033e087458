//! Attacks found by the adversarial review of issue 13's defences, each
//! reproduced for real (busybox-static roots, real files and links; needs
//! root, as the other hostile tests).

use crate::common;

use crate::common::Test;
use std::path::Path;
use std::process::Command;

/// The largest resident set of the children this test process waited for,
/// in KiB (Linux reports ru_maxrss in KiB).
fn children_max_rss_kib() -> i64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: nix::libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { nix::libc::getrusage(nix::libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0, "getrusage");
    usage.ru_maxrss
}

/// A process in the root printing one endless line (no newline) must not
/// grow jailwright's memory with it: output lines are capped.
#[test]
fn a_step_printing_one_endless_line_cannot_exhaust_jailwrights_memory() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    const BYTES: u64 = 768 << 20;
    let t = Test::new().file("T/Bastillefile", format!("CMD head -c {BYTES} /dev/zero\n"));
    let root = t.path().join("root");
    common::busybox_root(&root, &["head"]);
    let out: common::Output = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", "T/Bastillefile", "--root"])
        .arg(&root)
        .args(["--snapshots", "off"])
        .current_dir(t.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run jailwright")
        .into();
    let rss_mib = children_max_rss_kib() >> 10;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        rss_mib < 128,
        "jailwright grew to {rss_mib} MiB reading a {} MiB line",
        BYTES >> 20
    );
    assert!(
        out.stdout.len() < 1 << 20,
        "the endless line was printed whole: {} bytes",
        out.stdout.len()
    );
}

/// A running jail's layout as bastille keeps it: `J/root` and `J/fstab`.
struct JailDir {
    test: Test,
}

impl JailDir {
    fn new() -> Self {
        let test = Test::new()
            .file("V/canary", "outside")
            .file("SRC/data", "mounted")
            .file("J/fstab", "");
        std::fs::create_dir_all(test.path().join("J/root/mnt")).unwrap();
        JailDir { test }
    }

    fn root(&self) -> std::path::PathBuf {
        self.test.path().join("J/root")
    }

    fn mount(&self, to: &str) -> std::io::Result<()> {
        use jailwright::exec::ports::Target;
        let mut target = jailwright::exec::adapters::host::HostTarget::open(&self.root())?;
        let spec = jailwright::exec::plan::MountSpec {
            from: self.test.path().join("SRC").display().to_string(),
            to: to.into(),
            fstype: "none".into(),
            options: "bind,rw".into(),
            dump: "0".into(),
            pass: "0".into(),
        };
        target.mount(&spec).map(drop)
    }
}

/// Unmounts whatever a failing test mounted at `path`.
fn unmount_all(path: &Path) {
    while Command::new("umount")
        .arg(path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {}
}

/// A jail links its mount point to a directory whose name is not UTF-8 and
/// plants a symlink to a host directory under that name's lossy spelling
/// (U+FFFD): the mount point handed to mount(8) must not be the lossy one.
#[test]
fn a_mount_point_with_a_non_utf8_name_cannot_mount_over_a_host_directory() {
    use std::os::unix::ffi::OsStrExt;
    let jail = JailDir::new();
    let mnt = jail.root().join("mnt");
    let victim = jail.test.path().join("V");
    std::fs::create_dir(mnt.join(std::ffi::OsStr::from_bytes(b"\xff"))).unwrap();
    std::os::unix::fs::symlink(&victim, mnt.join("\u{FFFD}")).unwrap();
    std::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(b"/mnt/\xff"), mnt.join("data"))
        .unwrap();
    let result = jail.mount("/mnt/data");
    let mounted_over = victim.join("data").exists();
    unmount_all(&victim);
    unmount_all(&mnt.join(std::ffi::OsStr::from_bytes(b"\xff")));
    assert!(!mounted_over, "the host directory V was mounted over");
    assert!(result.is_err(), "the mount should be refused");
    assert_eq!(
        std::fs::read_to_string(victim.join("canary")).unwrap(),
        "outside"
    );
}

/// A jail links its mount point to a path whose names hold a newline and
/// tabs: the fstab line recorded for it must not become two lines (the
/// second mounting the host's `/` into the jail at its next start).
#[test]
fn a_mount_point_with_a_newline_cannot_inject_a_line_into_the_jails_fstab() {
    let jail = JailDir::new();
    let root = jail.root();
    let injected = format!(
        "/mnt/a\n/\t{}/b\tnullfs\trw\t0\t0\n#",
        root.display().to_string().trim_start_matches('/')
    );
    std::os::unix::fs::symlink(&injected, root.join("mnt/data")).unwrap();
    let result = jail.mount("/mnt/data");
    let point = root.join(injected.trim_start_matches('/'));
    unmount_all(&point);
    let fstab = std::fs::read_to_string(jail.test.path().join("J/fstab")).unwrap();
    assert!(
        !fstab
            .lines()
            .any(|l| l.split_whitespace().next() == Some("/")),
        "a line mounting the host's / was injected:\n{fstab}"
    );
    assert!(result.is_err(), "the mount should be refused:\n{fstab}");
}

/// The refusals above leave a plain mount point alone: mounted and listed.
#[test]
fn a_plain_mount_point_is_still_mounted_and_recorded() {
    let jail = JailDir::new();
    let point = jail.root().join("mnt/plain");
    let result = jail.mount("/mnt/plain");
    let mounted = point.join("data").exists();
    unmount_all(&point);
    result.expect("a plain mount");
    assert!(mounted, "nothing was mounted at {}", point.display());
    let fstab = std::fs::read_to_string(jail.test.path().join("J/fstab")).unwrap();
    assert_eq!(fstab.lines().count(), 1, "{fstab}");
    assert!(
        fstab.contains(&format!(" {} none", point.display())),
        "{fstab}"
    );
}

/// A jail nests directories tens of thousands deep under a RENDER path:
/// apply must refuse with an error, not overflow its stack (an abort).
#[test]
fn render_of_a_directory_nested_sixty_thousand_deep_fails_cleanly() {
    use nix::fcntl::{OFlag, open, openat};
    use nix::sys::stat::{Mode, mkdirat};
    let t = Test::new().file("T/Bastillefile", "ARG X=1\nRENDER /app\n");
    let root = t.path().join("root");
    std::fs::create_dir_all(root.join("app")).unwrap();
    let mut dir = open(&root.join("app"), OFlag::O_RDONLY, Mode::empty()).unwrap();
    for _ in 0..60_000 {
        mkdirat(&dir, "d", Mode::from_bits_truncate(0o755)).unwrap();
        dir = openat(
            &dir,
            "d",
            OFlag::O_RDONLY | OFlag::O_DIRECTORY,
            Mode::empty(),
        )
        .unwrap();
    }
    drop(dir);
    let out: common::Output = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", "T/Bastillefile", "--root"])
        .arg(&root)
        .args(["--snapshots", "off"])
        .current_dir(t.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run jailwright")
        .into();
    // std's remove_dir_all cannot take a tree this deep; rm can.
    let _ = Command::new("rm").arg("-rf").arg(&root).status();
    assert_eq!(out.code, 1, "not a clean failure:\n{}", out.stderr);
    assert!(out.stderr.contains("deep"), "{}", out.stderr);
}

fn convert_to_makejail(dir: &Path, template: &str, out: &str) -> common::Output {
    Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["convert", template, "--to", "makejail", "-o", out])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run jailwright")
        .into()
}

/// `convert -o OUT` carries a template's CP sources into OUT under the same
/// relative name. The template's `lnk` leads deep into the template, so
/// `lnk/../../..` read there stays inside it, while written under OUT (where
/// `lnk` is a plain directory) the same `..`s climb to the host's `/`.
#[test]
fn convert_carrying_a_dotdot_source_cannot_write_outside_the_output_directory() {
    let t = Test::new().file("V/job", "canary");
    // The victim's absolute path, reached from `/`.
    let victim = t.path().join("V/job");
    let from_slash = victim
        .display()
        .to_string()
        .trim_start_matches('/')
        .to_string();
    let climb = "../".repeat(8);
    let t = t
        .file("T/Bastillefile", format!("CP lnk/{climb}{from_slash} /x\n"))
        .file(&format!("T/d/{from_slash}"), "pwned");
    std::fs::create_dir_all(t.path().join("T/d/d/d/d/d/d/d/d/d")).unwrap();
    std::os::unix::fs::symlink("d/d/d/d/d/d/d/d/d", t.path().join("T/lnk")).unwrap();
    let out = convert_to_makejail(t.path(), "T/Bastillefile", "OUT");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "canary",
        "convert wrote outside OUT:\n{}",
        out.stderr
    );
}

/// A carried symlink (copied as a link) whose relative target climbs
/// further from OUT than from the template, then a carried file through it:
/// read from the template's side, written on OUT's side, outside OUT.
#[test]
fn convert_carrying_through_a_carried_symlink_cannot_write_outside_the_output_directory() {
    let t = Test::new()
        .file("x/job", "canary")
        .file("a/x/job", "pwned")
        .file("a/b/T/Bastillefile", "CP lnk /a\nCP lnk/job /b\n");
    std::os::unix::fs::symlink("../../x", t.path().join("a/b/T/lnk")).unwrap();
    std::fs::create_dir_all(t.path().join("o")).unwrap();
    let out = convert_to_makejail(t.path(), "a/b/T/Bastillefile", "o/OUT");
    assert_eq!(
        std::fs::read_to_string(t.path().join("x/job")).unwrap(),
        "canary",
        "convert wrote outside OUT:\n{}",
        out.stderr
    );
}

fn apply_root(t: &Test, template: &str, root: &Path) -> common::Output {
    Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", template, "--root"])
        .arg(root)
        .args(["--snapshots", "off"])
        .current_dir(t.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run jailwright")
        .into()
}

/// Two template files whose names are not UTF-8 (`\xff`, `\xfe`) must not
/// both land on their lossy spelling (U+FFFD), the second overwriting the
/// first: copied under their own names, or refused.
#[test]
fn overlay_of_two_non_utf8_names_does_not_merge_them_into_one() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let t = Test::new().file("T/Bastillefile", "OVERLAY etc\n");
    for (name, text) in [(b"\xff", "first"), (b"\xfe", "second")] {
        std::fs::create_dir_all(t.path().join("T/etc")).unwrap();
        std::fs::write(t.path().join("T/etc").join(OsStr::from_bytes(name)), text).unwrap();
    }
    let root = t.path().join("R");
    std::fs::create_dir_all(&root).unwrap();
    let out = apply_root(&t, "T/Bastillefile", &root);
    assert!(
        !root.join("etc/\u{FFFD}").exists(),
        "copied under a lossy name:\n{}",
        out.stderr
    );
    let exact = [b"\xff", b"\xfe"]
        .iter()
        .all(|n| root.join("etc").join(OsStr::from_bytes(*n)).exists());
    assert!(exact || out.code != 0, "{}", out.stderr);
}

/// RENDER lists a jail directory holding a file named `\xff` and a symlink
/// named U+FFFD (its lossy spelling): rendering must not follow the link.
#[test]
fn render_of_a_non_utf8_name_does_not_render_its_lossy_twin() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let t = Test::new()
        .file("T/Bastillefile", "ARG X=rendered\nRENDER /app\n")
        .file("R/app/keep", "")
        .file("R/etc/other", "${X}\n");
    let app = t.path().join("R/app");
    std::fs::write(app.join(OsStr::from_bytes(b"\xff")), "${X}\n").unwrap();
    std::os::unix::fs::symlink("/etc/other", app.join("\u{FFFD}")).unwrap();
    let out = apply_root(&t, "T/Bastillefile", &t.path().join("R"));
    assert_eq!(
        std::fs::read_to_string(t.path().join("R/etc/other")).unwrap(),
        "${X}\n",
        "RENDER rendered the file a symlink named like the lossy name leads to:\n{}",
        out.stderr
    );
}
