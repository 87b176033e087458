//! The apply lock: a file in a private directory (owned by jailwright's
//! user, not writable by anyone else), named after a hash of the root's
//! canonical path, opened without following a symlink and never
//! truncated. Needs root and busybox-static (`.ci/zfs-fuse-up` installs
//! it); without them it fails, saying why.

use crate::common;

use sha2::{Digest, Sha256};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A Bastillefile holding `text`, in its own directory under `at`.
fn template(at: &Path, name: &str, text: &str) -> PathBuf {
    let dir = at.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("Bastillefile");
    std::fs::write(&file, text).unwrap();
    file
}

/// A private lock directory, as jailwright would make it.
fn lock_dir(at: &Path) -> PathBuf {
    let dir = at.join("locks");
    std::fs::DirBuilder::new().mode(0o700).create(&dir).unwrap();
    dir
}

/// `jailwright apply TEMPLATE --root ROOT --snapshots off`, with the lock
/// directory and the temporary directory given.
fn apply(template: &Path, root: &Path, locks: &Path, tmp: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jailwright"));
    cmd.args([
        "apply",
        template.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--snapshots",
        "off",
    ])
    .env("JAILWRIGHT_LOCK_DIR", locks)
    .env("TMPDIR", tmp);
    cmd
}

fn run(mut cmd: Command) -> common::Output {
    cmd.output().unwrap().into()
}

/// The name the lock had before: `jailwright-<path, non-alphanumerics as
/// _>.lock` in the temporary directory.
fn old_lock_name(root: &Path) -> String {
    let name: String = std::fs::canonicalize(root)
        .unwrap()
        .to_string_lossy()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("jailwright-{name}.lock")
}

fn new_lock_name(root: &Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap();
    let digest = Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.lock")
}

#[test]
fn a_symlink_planted_at_the_old_lock_path_never_truncates_its_target() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    common::busybox_root(&root, &[]);
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let victim = work.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, tmp.join(old_lock_name(&root))).unwrap();
    let template = work.path().join("Bastillefile");
    std::fs::write(&template, "SYSRC a=b\n").unwrap();
    let out = run(apply(&template, &root, &lock_dir(work.path()), &tmp));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

#[test]
fn a_symlink_planted_at_the_new_lock_path_is_refused_and_its_target_untouched() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    common::busybox_root(&root, &[]);
    let locks = lock_dir(work.path());
    let victim = work.path().join("victim");
    std::fs::write(&victim, "precious\n").unwrap();
    std::os::unix::fs::symlink(&victim, locks.join(new_lock_name(&root))).unwrap();
    let template = work.path().join("Bastillefile");
    std::fs::write(&template, "CMD echo ran > /ran\n").unwrap();
    let out = run(apply(&template, &root, &locks, work.path()));
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("lock"), "{}", out.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(!root.join("ran").exists(), "nothing ran without the lock");
}

#[test]
fn a_lock_directory_writable_by_others_is_refused() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    common::busybox_root(&root, &[]);
    let locks = lock_dir(work.path());
    std::fs::set_permissions(&locks, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let template = work.path().join("Bastillefile");
    std::fs::write(&template, "CMD echo ran > /ran\n").unwrap();
    let out = run(apply(&template, &root, &locks, work.path()));
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("writable"), "{}", out.stderr);
    assert!(!root.join("ran").exists());
    // A symlink to a good directory is refused as well.
    let good = lock_dir(&work.path().join("root"));
    let link = work.path().join("link");
    std::os::unix::fs::symlink(&good, &link).unwrap();
    let out = run(apply(&template, &root, &link, work.path()));
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(!root.join("ran").exists());
}

#[test]
fn the_lock_directory_is_created_private() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let root = work.path().join("root");
    common::busybox_root(&root, &[]);
    let locks = work.path().join("fresh");
    let template = work.path().join("Bastillefile");
    std::fs::write(&template, "SYSRC a=b\n").unwrap();
    let out = run(apply(&template, &root, &locks, work.path()));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let meta = std::fs::symlink_metadata(&locks).unwrap();
    assert!(meta.is_dir());
    assert_eq!(meta.permissions().mode() & 0o077, 0, "private: 0700");
    assert_eq!(
        std::fs::read_dir(&locks).unwrap().count(),
        0,
        "the lock file is removed when the apply ends"
    );
}

#[test]
fn roots_whose_old_lock_names_collided_take_distinct_locks() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let x = work.path().join("x");
    let (one, two) = (x.join("a_b"), x.join("a/b"));
    assert_eq!(old_lock_name_of(&one), old_lock_name_of(&two));
    common::busybox_root(&one, &[]);
    common::busybox_root(&two, &[]);
    let locks = lock_dir(work.path());
    let slow = template(
        work.path(),
        "slow",
        "CMD echo started > /started; /bin/busybox sleep 2\n",
    );
    let quick = template(work.path(), "quick", "CMD echo ran > /ran\n");
    let mut first = apply(&slow, &one, &locks, work.path());
    let mut first = first.stdout(Stdio::null()).spawn().unwrap();
    // The slow apply holds its lock while its step runs: wait for that.
    for _ in 0..250 {
        if one.join("started").exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let second = run(apply(&quick, &two, &locks, work.path()));
    let first_ok = first.wait().unwrap().success();
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(first_ok);
    assert!(two.join("ran").exists());
}

fn old_lock_name_of(root: &Path) -> String {
    std::fs::create_dir_all(root).unwrap();
    old_lock_name(root)
}
