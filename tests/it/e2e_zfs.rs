//! End to end on Linux: a real ZFS pool (zfs-fuse, file-backed), a real
//! root built from busybox-static, and the real binary applying templates
//! with `--root`. They need root, `apt-get install zfs-fuse busybox-static`
//! and a running `zfs-fuse` daemon; without them they fail, saying why.
//!
//! `.ci/zfs-fuse-up` installs both and starts the daemon; CI runs it first.
//! The pool's Drop unmounts, retries `zpool destroy` for 30 s and keeps the
//! image if it must (a pool whose image is deleted wedges zfs-fuse).

use crate::common;

use crate::common::zfs_pool;

use std::path::{Path, PathBuf};
use std::process::Command;
use zfs_pool::Pool;

fn apply(template: &Path, root: &Path) -> common::Output {
    common::Test::new()
        .args(&[
            "apply",
            template.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "on",
        ])
        .run()
}

#[test]
fn apply_on_a_real_zfs_root() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let root = &pool.root;
    let tpl = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tpl.path().join("files")).unwrap();
    std::fs::write(tpl.path().join("files/greeting"), "hello\n").unwrap();
    let bastillefile = tpl.path().join("Bastillefile");
    let write = |text: &str| std::fs::write(&bastillefile, text).unwrap();

    // CMD, CP and SYSRC really change the root.
    write("CMD echo built > /built.txt\nCP files/greeting /etc/greeting\nSYSRC web_enable=YES\n");
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("built.txt")).unwrap(),
        "built\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/greeting")).unwrap(),
        "hello\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/rc.conf")).unwrap(),
        "web_enable=\"YES\"\n"
    );

    // A re-run after editing the last step runs only that step.
    write("CMD echo built > /built.txt\nCP files/greeting /etc/greeting\nSYSRC web_enable=NO\n");
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("reused 2 unchanged step(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("applied: 1 step(s) run, 2 reused"),
        "{}",
        out.stdout
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/rc.conf")).unwrap(),
        "web_enable=\"NO\"\n"
    );

    // A failing step rolls the root back to where the run started.
    write(
        "CMD echo built > /built.txt\nCP files/greeting /etc/greeting\nSYSRC web_enable=NO\nCMD echo changed > /built.txt\nCMD exit 3\n",
    );
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("rolled back to jailwright-0003-"),
        "{}",
        out.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("built.txt")).unwrap(),
        "built\n",
        "step 4's change is gone"
    );

    // A second apply on the same root while one runs is refused.
    write("CMD /bin/busybox sleep 3\n");
    let first = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args([
            "apply",
            bastillefile.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(800));
    let second = apply(&bastillefile, root);
    let mut first = first;
    let holder = format!("(held by pid {})", first.id());
    assert!(first.wait().unwrap().success());
    assert_eq!(second.code, 2, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stderr
            .contains("another apply or prune is already running")
            && second.stderr.contains(&holder),
        "{}",
        second.stderr
    );
}

/// Makes the busybox root a little system: every applet, root in
/// /etc/passwd (for `su`), and a package-manager stand-in at
/// /usr/bin/apt-get that records its arguments (jailwright then plans
/// PKG through it, as Bastille does for a Linux jail).
fn furnish(root: &Path) {
    let status = Command::new("chroot")
        .args([
            root.to_str().unwrap(),
            "/bin/busybox",
            "--install",
            "-s",
            "/bin",
        ])
        .status()
        .unwrap();
    assert!(status.success());
    for dir in ["root", "tmp", "usr/bin", "var/log"] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
    }
    std::fs::write(root.join("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n").unwrap();
    let stand_in = root.join("usr/bin/apt-get");
    std::fs::write(
        &stand_in,
        "#!/bin/sh\n# package-manager stand-in installed by the test\necho \"$*\" >> /var/log/apt-calls\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn makejail_run_replace_pkg_and_bastille_render_on_a_real_root() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let root = &pool.root;
    furnish(root);
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(
        tpl.path().join("app.conf"),
        "port=%{PORT}\nliteral=%%{PORT}\n",
    )
    .unwrap();
    let makejail = tpl.path().join("Makejail");
    std::fs::write(
        &makejail,
        "OPTION start\nWORKDIR /srv\nCOPY app.conf etc/app.conf\nREPLACE etc/app.conf PORT 8080\n\
         ENV GREETING=hello\nRUN sh -c \"echo $GREETING from $(pwd) > /srv/greeting\"\nPKG nginx curl\n",
    )
    .unwrap();
    let out = apply(&makejail, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("srv/etc/app.conf")).unwrap(),
        "port=8080\nliteral=%{PORT}\n",
        "COPY and REPLACE under WORKDIR; %% unescaped"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("srv/greeting")).unwrap(),
        "hello from /srv\n",
        "RUN: ENV, WORKDIR, su -l root -c 'sh -s' through chroot"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("var/log/apt-calls")).unwrap(),
        "-y install nginx curl\n",
        "PKG ran the root's package manager (the test's stand-in)"
    );

    // RENDER substitutes the ARGs in force, in every file under a path.
    std::fs::create_dir_all(tpl.path().join("b/conf")).unwrap();
    std::fs::write(tpl.path().join("b/conf/site.conf"), "listen ${PORT};\n").unwrap();
    let bastillefile = tpl.path().join("b/Bastillefile");
    std::fs::write(
        &bastillefile,
        "ARG PORT=8443\nCP conf /usr/local/etc/site\nRENDER /usr/local/etc/site\n",
    )
    .unwrap();
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("usr/local/etc/site/site.conf")).unwrap(),
        "listen 8443;\n"
    );
    assert!(
        root.join("srv/greeting").exists(),
        "another template builds on the first one's work"
    );
}

#[test]
fn hostile_symlinks_never_let_a_copy_out_of_the_root() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let root = &pool.root;
    let outside = tempfile::tempdir().unwrap();
    let o = outside.path();
    // Absolute and relative links, to directories and to files, in
    // every component of a destination.
    let links: [(&str, PathBuf); 6] = [
        ("etc/abs-dir", o.to_path_buf()),
        (
            "etc/rel-dir",
            PathBuf::from("../../../../../..").join(o.strip_prefix("/").unwrap()),
        ),
        ("abs-file", o.join("victim")),
        (
            "rel-file",
            PathBuf::from("../../../../../..")
                .join(o.strip_prefix("/").unwrap())
                .join("victim"),
        ),
        ("usr", o.to_path_buf()),
        ("etc/chain", PathBuf::from("/etc/abs-dir")),
    ];
    for (link, target) in &links {
        std::os::unix::fs::symlink(target, root.join(link)).unwrap();
    }
    std::fs::write(o.join("victim"), "untouched\n").unwrap();
    let tpl = tempfile::tempdir().unwrap();
    std::fs::write(tpl.path().join("payload"), "payload\n").unwrap();
    let destinations = [
        "/etc/abs-dir/x",
        "/etc/rel-dir/x",
        "/abs-file",
        "/rel-file",
        "/usr/local/etc/x",
        "/etc/chain/x",
        "/../../../../x",
    ];
    let mut text = String::new();
    for d in destinations {
        text.push_str(&format!("CP payload {d}\n"));
    }
    std::fs::write(tpl.path().join("Bastillefile"), text).unwrap();
    let out = apply(&tpl.path().join("Bastillefile"), root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(o.join("victim")).unwrap(),
        "untouched\n"
    );
    let leaked: Vec<_> = walkdir::WalkDir::new(o)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    assert_eq!(
        leaked,
        [o.join("victim")],
        "nothing written outside the root"
    );
    println!(
        "{} hostile symlinks, {} destinations",
        links.len(),
        destinations.len()
    );
}

/// `jailwright ARGS...`.
fn jw(args: &[&str]) -> common::Output {
    Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(args)
        .output()
        .unwrap()
        .into()
}

/// The names of a dataset's snapshots (after the @), oldest first.
fn snapshots(dataset: &str) -> Vec<String> {
    let out = zfs_pool::sh(
        "zfs",
        &[
            "list",
            "-H",
            "-t",
            "snapshot",
            "-d",
            "1",
            "-s",
            "createtxg",
            "-o",
            "name",
            dataset,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once('@').map(|(_, n)| n.to_string()))
        .collect()
}

fn zfs_ok(args: &[&str]) {
    let out = zfs_pool::sh("zfs", args);
    assert!(
        out.status.success(),
        "zfs {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A Bastillefile holding `text` in the directory `dir`.
fn template(dir: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let file = dir.join("Bastillefile");
    std::fs::write(&file, text).unwrap();
    file
}

const OTHERS: [&str; 3] = [
    "my-backup",
    "bastille_backup_x",
    "jailwright-bootstrap-14.2-RELEASE",
];

fn assert_survive(dataset: &str, names: &[&str], when: &str) {
    let left = snapshots(dataset);
    for name in names {
        assert!(
            left.iter().any(|s| s == name),
            "@{name} destroyed by {when}: {left:?}"
        );
    }
}

#[test]
fn other_tools_snapshots_survive_apply_failure_reapply_new_chain_and_prune() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    for name in OTHERS {
        zfs_ok(&["snapshot", &format!("{dataset}@{name}")]);
    }
    let tpl = tempfile::tempdir().unwrap();
    let first = template(
        &tpl.path().join("a"),
        "CMD echo one > /f\nCMD echo two >> /f\n",
    );
    let out = apply(&first, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_survive(&dataset, &OTHERS, "a first apply");

    // A re-run rolls back to step 1 and runs step 2 again.
    template(
        &tpl.path().join("a"),
        "CMD echo one > /f\nCMD echo deux >> /f\n",
    );
    let out = apply(&first, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("1 reused"), "{}", out.stdout);
    assert_survive(&dataset, &OTHERS, "a re-apply");

    // A failing step rolls back to where the run started.
    template(
        &tpl.path().join("a"),
        "CMD echo one > /f\nCMD echo deux >> /f\nCMD exit 3\n",
    );
    let out = apply(&first, root);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("rolled back to jailwright-0002-"),
        "{}",
        out.stderr
    );
    assert_survive(&dataset, &OTHERS, "a failing apply");

    // Another template starts a new chain from what it finds.
    let other = template(&tpl.path().join("b"), "CMD echo three >> /f\n");
    let out = apply(&other, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_survive(&dataset, &OTHERS, "a new chain");
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\ndeux\nthree\n"
    );

    // prune removes jailwright's apply snapshots only.
    let out = jw(&["prune", "--root", root.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(snapshots(&dataset), OTHERS, "{}", out.stdout);
}

/// A pool whose root has had `CMD echo one > /f; CMD echo two >> /f`
/// applied, the template's directory, and the Bastillefile.
fn applied_once() -> (Pool, tempfile::TempDir, PathBuf) {
    let pool = Pool::new("jwe2e", 256 << 20);
    let tpl = tempfile::tempdir().unwrap();
    let bastillefile = template(tpl.path(), "CMD echo one > /f\nCMD echo two >> /f\n");
    let out = apply(&bastillefile, &pool.root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    (pool, tpl, bastillefile)
}

#[test]
fn a_backup_taken_after_an_apply_survives_an_edited_rerun() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, bastillefile) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    // A backup taken after the apply: going back to step 1 would destroy
    // it, so the edited template runs on the current state instead.
    zfs_ok(&["snapshot", &format!("{dataset}@my-backup")]);
    template(tpl.path(), "CMD echo one > /f\nCMD echo changed >> /f\n");
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(!out.stderr.contains("rolled back"), "{}", out.stderr);
    assert!(snapshots(&dataset).contains(&"my-backup".to_string()));
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\nchanged\n"
    );
}

/// Starts `apply` of a template whose step 3 writes /started and sleeps
/// two seconds (step 4 fails), runs `meanwhile` once /started exists, and
/// returns what both gave.
fn while_a_step_runs<T: Send>(
    pool: &Pool,
    dir: &Path,
    meanwhile: impl FnOnce() -> T + Send,
) -> (common::Output, T) {
    let bastillefile = template(
        dir,
        "CMD echo one > /f\nCMD echo two >> /f\nCMD echo started > /started; /bin/busybox sleep 2\nCMD exit 3\n",
    );
    while_started(pool, &bastillefile, meanwhile)
}

/// Applies `bastillefile`, whose step writes /started and sleeps, and runs
/// `meanwhile` once that step has started.
fn while_started<T: Send>(
    pool: &Pool,
    bastillefile: &Path,
    meanwhile: impl FnOnce() -> T + Send,
) -> (common::Output, T) {
    let started = pool.root.join("started");
    std::thread::scope(|s| {
        let running = s.spawn(|| apply(bastillefile, &pool.root));
        for _ in 0..250 {
            if started.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            started.exists(),
            "the step that writes /started never started"
        );
        let got = meanwhile();
        (running.join().unwrap(), got)
    })
}

#[test]
fn a_failed_steps_rollback_refuses_to_destroy_a_snapshot_taken_during_the_run() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let dataset = pool.dataset();
    let (out, ()) = while_a_step_runs(&pool, tpl.path(), || {
        zfs_ok(&["snapshot", &format!("{dataset}@bastille_backup_x")])
    });
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("step 4 (CMD) failed")
            && out.stderr.contains("rollback to jailwright-0002-")
            && out.stderr.contains("refused")
            && out.stderr.contains("@bastille_backup_x")
            && !out.stderr.contains("rolled back to"),
        "{}",
        out.stderr
    );
    assert_survive(&dataset, &["bastille_backup_x"], "a failed step's rollback");
    assert!(
        pool.root.join("started").exists(),
        "the failed state is left"
    );
}

#[test]
fn prune_is_refused_while_an_apply_holds_the_lock() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let (out, prune) = while_a_step_runs(&pool, tpl.path(), || {
        jw(&["prune", "--root", pool.root.to_str().unwrap()])
    });
    assert_eq!(prune.code, 2, "{}{}", prune.stdout, prune.stderr);
    assert!(
        prune
            .stderr
            .contains("another apply or prune is already running"),
        "{}",
        prune.stderr
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("rolled back to jailwright-0002-"),
        "the apply's snapshots were all there: {}",
        out.stderr
    );
}

#[test]
fn a_dataset_mounted_elsewhere_than_the_root_is_refused() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let root = pool.root.to_str().unwrap();
    let tpl = tempfile::tempdir().unwrap();
    let bastillefile = template(tpl.path(), "SYSRC a=b\n");
    // The pool's top dataset, mounted above the root.
    let out = jw(&[
        "apply",
        bastillefile.to_str().unwrap(),
        "--root",
        root,
        "--dataset",
        &pool.name,
    ]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("not the root"), "{}", out.stderr);
    assert!(!out.stderr.contains("rolled back"), "{}", out.stderr);
    let out = jw(&["prune", "--root", root, "--dataset", &pool.name]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(!pool.root.join("etc/rc.conf").exists(), "nothing ran");
    assert_eq!(snapshots(&pool.name), Vec::<String>::new());
}

#[test]
fn a_root_on_an_unmounted_dataset_is_refused() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    let tpl = tempfile::tempdir().unwrap();
    let bastillefile = template(tpl.path(), "SYSRC a=b\n");
    // The root is then a plain directory below the dataset's mountpoint.
    zfs_ok(&["unmount", &dataset]);
    std::fs::create_dir_all(root).unwrap();
    let out = apply(&bastillefile, root);
    let written = std::fs::read_dir(root).unwrap().count();
    zfs_ok(&["mount", &dataset]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("is not mounted"), "{}", out.stderr);
    assert!(!out.stderr.contains("rolled back"), "{}", out.stderr);
    assert_eq!(written, 0, "nothing written below the unmounted dataset");
    assert_eq!(snapshots(&dataset), Vec::<String>::new());
}

#[test]
fn a_snapshot_failure_names_its_step_and_zfs_error() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    let tpl = tempfile::tempdir().unwrap();
    // The snapshot after step 3 fails: its name is taken by a snapshot
    // jailwright did not take (made from the name a first run used), held
    // so that nothing can destroy it.
    let three = template(
        tpl.path(),
        "CMD echo 1 > /n\nCMD echo 2 > /n\nCMD echo 3 > /n\n",
    );
    let out = apply(&three, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let third = snapshots(&dataset)[3].clone();
    assert!(third.starts_with("jailwright-0003-"), "{third}");
    for name in snapshots(&dataset).iter().rev() {
        zfs_ok(&["destroy", &format!("{dataset}@{name}")]);
    }
    zfs_ok(&["snapshot", &format!("{dataset}@{third}")]);
    zfs_ok(&["hold", "keep", &format!("{dataset}@{third}")]);
    std::fs::write(root.join("n"), "0\n").unwrap();
    let out = apply(&three, root);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains(&format!(
            "snapshot {third} after step 3 (CMD) failed: zfs snapshot"
        )) && out.stderr.contains("already exists"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("rolled back to jailwright-0000-"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read_to_string(root.join("n")).unwrap(), "0\n");
    assert_eq!(
        snapshots(&dataset),
        std::slice::from_ref(&third),
        "the impostor only: the run's start goes once rolled back to"
    );
    zfs_ok(&["release", "keep", &format!("{dataset}@{third}")]);
}

/// The paths whose entries differ between two trees (for a short message).
fn differing(
    a: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
    b: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<PathBuf> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Every entry under a root: path, kind and content (or link target).
fn tree(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let kind = e.file_type();
            let data = if kind.is_file() {
                std::fs::read(e.path()).unwrap()
            } else if kind.is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                format!("{kind:?}").into_bytes()
            };
            (e.path().to_path_buf(), data)
        })
        .collect()
}

#[test]
fn data_the_jail_wrote_between_two_applies_survives_the_second() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, bastillefile) = applied_once();
    let root = &pool.root;
    std::fs::create_dir_all(root.join("var/db")).unwrap();
    std::fs::write(root.join("var/db/data.sql"), "months of data\n").unwrap();
    // Unchanged template: up to date, nothing runs, nothing rolls back.
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
    assert!(root.join("var/db/data.sql").exists());
    // The last step edited: the steps run on the current state (or, with
    // --refuse-changes, nothing runs at all).
    let edited = template(tpl.path(), "CMD echo one > /f\nCMD echo edited >> /f\n");
    let refused = jw(&[
        "apply",
        edited.to_str().unwrap(),
        "--root",
        root.to_str().unwrap(),
        "--refuse-changes",
    ]);
    assert_eq!(refused.code, 1, "{}{}", refused.stdout, refused.stderr);
    assert!(
        refused
            .stderr
            .contains("the jail changed since this template's last run"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\ntwo\n"
    );
    let out = apply(&edited, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("the jail changed"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(root.join("var/db/data.sql")).unwrap(),
        "months of data\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\nedited\n"
    );
}

#[test]
fn a_failing_apply_after_a_good_one_restores_the_root_and_keeps_its_chain() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, bastillefile) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    std::fs::create_dir_all(root.join("var/db")).unwrap();
    std::fs::write(root.join("var/db/data.sql"), "written since\n").unwrap();
    let before = tree(root);
    let chain = snapshots(&dataset);
    let failing = template(
        &tpl.path().join("other"),
        "CMD echo changed > /f\nCMD rm /var/db/data.sql\nCMD exit 3\n",
    );
    let out = apply(&failing, root);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    let now = tree(root);
    assert!(
        differing(&now, &before).is_empty(),
        "{:?}: the root is as the command found it",
        differing(&now, &before)
    );
    assert_eq!(snapshots(&dataset), chain, "the earlier chain is intact");
    // The earlier chain still serves its template.
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
}

/// Starts `apply TEMPLATE --root ROOT --snapshots on` and SIGKILLs it
/// after `ms` milliseconds.
fn apply_killed_after(template: &Path, root: &Path, ms: u64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", template.to_str().unwrap(), "--root"])
        .arg(root)
        .args(["--snapshots", "on"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(ms));
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
}

/// Six steps that append to /log (a re-run on a half-done root would
/// show), the one at `failing` (from 1) failing instead.
fn six_steps(failing: Option<usize>, pause: &str) -> String {
    (1..=6)
        .map(|i| {
            if Some(i) == failing {
                "CMD echo failing >> /log; exit 3\n".to_string()
            } else {
                format!("CMD echo {i} >> /log{pause}\n")
            }
        })
        .collect()
}

#[test]
fn a_failure_at_every_step_restores_the_start_byte_for_byte() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    std::fs::create_dir_all(root.join("var/db")).unwrap();
    std::fs::write(root.join("var/db/data.sql"), "the jail's\n").unwrap();
    let before = tree(root);
    let chain = snapshots(&dataset);
    let mut restored = 0;
    for failing in 1..=6 {
        let t = template(&tpl.path().join("six"), &six_steps(Some(failing), ""));
        let out = apply(&t, root);
        assert_eq!(out.code, 1, "step {failing}: {}{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(&format!("step {failing} (CMD) failed")),
            "{}",
            out.stderr
        );
        let now = tree(root);
        assert!(
            differing(&now, &before).is_empty(),
            "{:?}: differ",
            differing(&now, &before)
        );
        assert_eq!(snapshots(&dataset), chain, "failing at step {failing}");
        restored += 1;
    }
    println!("fault test: a failure at each of 6 steps, {restored}/6 restored byte for byte");
}

#[test]
fn an_apply_killed_at_random_moments_is_finished_by_the_next_one() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    furnish(root);
    let tpl = tempfile::tempdir().unwrap();
    let t = template(tpl.path(), &six_steps(None, "; sleep 0.2"));
    zfs_ok(&["snapshot", &format!("{dataset}@clean")]);
    let reset = || {
        zfs_ok(&["rollback", "-r", &format!("{dataset}@clean")]);
        zfs_ok(&["inherit", "jailwright:running", &dataset]);
    };
    // What a clean apply makes.
    let out = apply(&t, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let clean = tree(root);
    assert_eq!(
        std::fs::read_to_string(root.join("log")).unwrap(),
        "1\n2\n3\n4\n5\n6\n"
    );
    // A seeded spread of moments over a run (about 2 s here).
    let mut seed: u64 = 0x5eed;
    let mut moments = Vec::new();
    for _ in 0..10 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        moments.push((seed >> 33) % 2200);
    }
    let mut finished = 0;
    for ms in &moments {
        reset();
        apply_killed_after(&t, root, *ms);
        let out = apply(&t, root);
        assert_eq!(
            out.code, 0,
            "killed at {ms} ms: {}{}",
            out.stdout, out.stderr
        );
        let now = tree(root);
        assert!(
            differing(&now, &clean).is_empty(),
            "{:?}: differ",
            differing(&now, &clean)
        );
        finished += 1;
    }
    println!(
        "fault test: SIGKILL at {moments:?} ms, {finished}/{} finished equal to a clean apply",
        moments.len()
    );
}

#[test]
fn a_step_that_fills_the_pool_fails_clearly_and_the_root_is_restored() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 128 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    furnish(root);
    let tpl = tempfile::tempdir().unwrap();
    let before = tree(root);
    let t = template(
        tpl.path(),
        "CMD echo small > /small\nCMD while cat /bin/busybox >> /big; do :; done; exit 1\n",
    );
    let out = apply(&t, root);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("No space left on device")
            && out.stderr.contains("step 2 (CMD) failed"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("rolled back"), "{}", out.stderr);
    let now = tree(root);
    assert!(
        differing(&now, &before).is_empty(),
        "{:?}: the root is as it was\n{}",
        differing(&now, &before),
        out.stderr
    );
    assert_eq!(snapshots(&dataset), Vec::<String>::new());
}

/// The datasets of the pool holding `dataset` (a transaction's clone or
/// renamed original must never be left).
fn datasets(dataset: &str) -> Vec<String> {
    let pool = dataset.split('/').next().unwrap();
    let out = Command::new("zfs")
        .args(["list", "-H", "-o", "name", "-r", pool])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn editing_the_last_step_reuses_the_rest_on_a_clone_and_commits() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    let chain = snapshots(&dataset);
    let before = datasets(&dataset);
    let edited = template(tpl.path(), "CMD echo one > /f\nCMD echo edited >> /f\n");
    let out = apply(&edited, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("reused 1"), "{}", out.stdout);
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\nedited\n"
    );
    let now = snapshots(&dataset);
    assert_eq!(now[..2], chain[..2], "the reused steps' snapshots are kept");
    assert_eq!(now.len(), 3);
    assert_ne!(now[2], chain[2]);
    assert_eq!(datasets(&dataset), before, "no clone or old dataset left");
}

#[test]
fn a_failing_edit_after_a_good_apply_restores_it_and_its_whole_chain() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, bastillefile) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    let before = tree(root);
    let chain = snapshots(&dataset);
    let pools = datasets(&dataset);
    let failing = template(
        &tpl.path().join("edit"),
        "CMD echo one > /f\nCMD echo half >> /f; exit 4\n",
    );
    // Same template file (same chain), its last step edited to fail.
    std::fs::copy(&failing, &bastillefile).unwrap();
    let out = apply(&bastillefile, root);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("worked on a clone"), "{}", out.stderr);
    let now = tree(root);
    assert!(
        differing(&now, &before).is_empty(),
        "{:?}",
        differing(&now, &before)
    );
    assert_eq!(
        snapshots(&dataset),
        chain,
        "the whole earlier chain is intact"
    );
    assert_eq!(datasets(&dataset), pools);
    let good = template(tpl.path(), "CMD echo one > /f\nCMD echo two >> /f\n");
    let out = apply(&good, root);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("up to date"), "{}", out.stdout);
}

#[test]
fn an_edit_killed_at_random_moments_is_finished_by_the_next_apply() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let pool = Pool::new("jwe2e", 256 << 20);
    let (root, dataset) = (&pool.root, pool.dataset());
    furnish(root);
    let tpl = tempfile::tempdir().unwrap();
    let file = tpl.path().join("Bastillefile");
    let original = six_steps(None, "; sleep 0.2");
    let edited = original
        .replace("echo 4 ", "echo 4b ")
        .replace("echo 5 ", "echo 5b ")
        .replace("echo 6 ", "echo 6b ");
    let run = |text: &str| {
        std::fs::write(&file, text).unwrap();
        apply(&file, root)
    };
    let out = run(&original);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let out = run(&edited);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("log")).unwrap(),
        "1\n2\n3\n4b\n5b\n6b\n"
    );
    let expected = tree(root);
    let pools = datasets(&dataset);
    let mut seed: u64 = 0xed17;
    let mut finished = 0;
    let mut moments = Vec::new();
    for _ in 0..6 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let ms = (seed >> 33) % 1200;
        moments.push(ms);
        // Back to the original (itself a transaction), then the edit,
        // killed halfway.
        let out = run(&original);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        std::fs::write(&file, &edited).unwrap();
        apply_killed_after(&file, root, ms);
        let out = run(&edited);
        assert_eq!(
            out.code, 0,
            "killed at {ms} ms: {}{}",
            out.stdout, out.stderr
        );
        let now = tree(root);
        assert!(
            differing(&now, &expected).is_empty(),
            "killed at {ms} ms: {:?}",
            differing(&now, &expected)
        );
        assert_eq!(datasets(&dataset), pools, "killed at {ms} ms");
        finished += 1;
    }
    println!(
        "fault test: an edit (a transaction on a clone) killed at {moments:?} ms, {finished}/6 finished equal to a clean apply"
    );
}

/// `applied_once`, then an edit of its step 2 (a transaction on a clone of
/// step 1) that writes /started and sleeps, during which `meanwhile` runs;
/// the edit ends with `last` (`exit 3` makes it fail).
fn while_an_edit_runs<T: Send>(
    pool: &Pool,
    tpl: &Path,
    last: &str,
    meanwhile: impl FnOnce() -> T + Send,
) -> (common::Output, T) {
    let edited = template(
        tpl,
        &format!(
            "CMD echo one > /f\nCMD echo started > /started; /bin/busybox sleep 2; echo edited >> /f; {last}\n"
        ),
    );
    while_started(pool, &edited, meanwhile)
}

/// The guid of a snapshot (it stays the same across a promote or rename).
fn guid(snapshot: &str) -> String {
    let out = zfs_pool::sh("zfs", &["get", "-H", "-o", "value", "guid", snapshot]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Whether some snapshot of the pool has this guid.
fn survives(pool: &str, guid: &str) -> bool {
    let out = zfs_pool::sh(
        "zfs",
        &["list", "-H", "-t", "snapshot", "-o", "guid", "-r", pool],
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == guid)
}

#[test]
fn a_recursive_snapshot_taken_during_an_edit_survives_its_commit() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let dataset = pool.dataset();
    // What zfs-auto-snapshot or sanoid do every few minutes.
    let (out, taken) = while_an_edit_runs(&pool, tpl.path(), "true", || {
        zfs_ok(&["snapshot", "-r", &format!("{}@daily", pool.name)]);
        guid(&format!("{dataset}@daily"))
    });
    assert!(
        survives(&pool.name, &taken),
        "@daily of the dataset as it was destroyed\n{}{}",
        out.stdout,
        out.stderr
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("@daily") && out.stdout.contains("-before-daily"),
        "{}",
        out.stdout
    );
    let left = datasets(&dataset);
    assert!(left.iter().all(|d| !d.contains("-jw")), "{left:?}");
    assert!(
        left.contains(&format!("{dataset}-before-daily")),
        "{left:?}"
    );
    assert_eq!(
        std::fs::read_to_string(pool.root.join("f")).unwrap(),
        "one\nedited\n"
    );
}

#[test]
fn a_failed_edit_never_destroys_a_snapshot_taken_of_its_clone() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, _) = applied_once();
    let dataset = pool.dataset();
    // A backup tool snapshotting what is mounted at the root.
    let clone = format!("{dataset}-jwtxn");
    let (out, taken) = while_an_edit_runs(&pool, tpl.path(), "exit 3", || {
        zfs_ok(&["snapshot", &format!("{clone}@my-backup")]);
        guid(&format!("{clone}@my-backup"))
    });
    assert!(
        survives(&pool.name, &taken),
        "@my-backup destroyed by a failed edit's abort\n{}",
        out.stderr
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("@my-backup"), "{}", out.stderr);
    assert!(!out.stderr.contains("worked on a clone"), "{}", out.stderr);
}

/// `applied_once`, then an edit killed while its step runs on the clone.
fn an_edit_killed_on_its_clone() -> (Pool, tempfile::TempDir, PathBuf) {
    let (pool, tpl, _) = applied_once();
    let edited = template(
        tpl.path(),
        "CMD echo one > /f\nCMD echo started > /started; /bin/busybox sleep 30\n",
    );
    let started = pool.root.join("started");
    let mut child = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args(["apply", edited.to_str().unwrap(), "--root"])
        .arg(&pool.root)
        .args(["--snapshots", "on"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..250 {
        if started.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(started.exists(), "the edited step never started");
    let _ = child.kill();
    let _ = child.wait();
    // Its step dies with it (PR_SET_PDEATHSIG); the clone is let go of.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let good = template(tpl.path(), "CMD echo one > /f\nCMD echo two >> /f\n");
    (pool, tpl, good)
}

#[test]
fn a_killed_edit_is_recovered_by_an_apply_naming_its_dataset() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, _tpl, good) = an_edit_killed_on_its_clone();
    let dataset = pool.dataset();
    let out = jw(&[
        "apply",
        good.to_str().unwrap(),
        "--root",
        pool.root.to_str().unwrap(),
        "--dataset",
        &dataset,
        "--snapshots",
        "on",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(pool.root.join("f")).unwrap(),
        "one\ntwo\n"
    );
    assert!(
        datasets(&dataset).iter().all(|d| !d.contains("-jw")),
        "{:?}",
        datasets(&dataset)
    );
}

#[test]
fn a_root_left_unmounted_by_a_killed_transaction_is_recovered() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    // Killed between the commands of abort (clone unmounted, not yet
    // destroyed) and of commit (promoted, renamed aside, clone unmounted).
    for promoted in [false, true] {
        let (pool, _tpl, good) = an_edit_killed_on_its_clone();
        let dataset = pool.dataset();
        let clone = format!("{dataset}-jwtxn");
        if promoted {
            zfs_ok(&["promote", &clone]);
            zfs_ok(&["rename", &dataset, &format!("{dataset}-jwold")]);
        }
        zfs_ok(&["unmount", &clone]);
        assert!(!pool.root.join("bin/sh").exists(), "the root is unmounted");
        let out = apply(&good, &pool.root);
        assert_eq!(
            out.code, 0,
            "promoted {promoted}: {}{}",
            out.stdout, out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(pool.root.join("f")).unwrap(),
            "one\ntwo\n"
        );
        assert!(
            datasets(&dataset).iter().all(|d| !d.contains("-jw")),
            "{:?}",
            datasets(&dataset)
        );
    }
}

/// `apply --dry-run` as Ansible's check mode runs it: decided from the
/// dataset's snapshots as a run would, changing neither the root nor the
/// snapshots, including when the jail wrote since the last run.
#[test]
fn a_dry_run_decides_from_the_snapshots_and_changes_nothing() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, tpl, bastillefile) = applied_once();
    let (root, dataset) = (&pool.root, pool.dataset());
    let dry = |template: &Path| -> serde_json::Value {
        let out = jw(&[
            "apply",
            template.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--dry-run",
            "--format",
            "json",
        ]);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap()
    };
    let chain = snapshots(&dataset);
    let before = tree(root);
    let unchanged = dry(&bastillefile);
    assert_eq!(unchanged["up_to_date"], true, "{unchanged}");
    assert_eq!(unchanged["changed"], false, "{unchanged}");
    assert_eq!(unchanged["steps_reused"], 2, "{unchanged}");
    let edited = template(tpl.path(), "CMD echo one > /f\nCMD echo edited >> /f\n");
    let would = dry(&edited);
    assert_eq!(would["changed"], true, "{would}");
    assert_eq!(would["steps_run"], 1, "{would}");
    assert_eq!(would["steps"][0]["status"], "reused", "{would}");
    assert_eq!(would["steps"][1]["status"], "would_run", "{would}");
    assert!(differing(&tree(root), &before).is_empty());
    assert_eq!(snapshots(&dataset), chain);
    // The jail wrote since: a run would run every step on its state.
    std::fs::write(root.join("data"), "the jail's\n").unwrap();
    let diverged = dry(&edited);
    assert_eq!(diverged["diverged"], true, "{diverged}");
    assert_eq!(diverged["steps_run"], 2, "{diverged}");
    assert_eq!(snapshots(&dataset), chain);
    assert_eq!(
        std::fs::read_to_string(root.join("f")).unwrap(),
        "one\ntwo\n"
    );
}

/// Regression (review of the collection): `--discard-changes` rolled the
/// root back to the last run's end, discarding what the jail wrote, and
/// reported `changed: false` (no step ran), in check mode too.
#[test]
fn discarding_the_jails_changes_is_a_change_even_when_no_step_runs() {
    if common::skip::lacks(&common::skip::zfs_ready()) {
        return;
    }
    let (pool, _tpl, bastillefile) = applied_once();
    let root = &pool.root;
    std::fs::write(root.join("data"), "the jail's\n").unwrap();
    let result = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "apply",
            bastillefile.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--discard-changes",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let out = jw(&args);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        serde_json::from_str(out.stdout.lines().last().unwrap()).unwrap()
    };
    let foreseen = result(&["--dry-run"]);
    assert_eq!(foreseen["rolled_back"], true, "{foreseen}");
    assert_eq!(foreseen["changed"], true, "{foreseen}");
    assert!(root.join("data").exists(), "a dry run discarded the data");
    let done = result(&[]);
    assert_eq!(done["steps_run"], 0, "{done}");
    assert_eq!(done["rolled_back"], true, "{done}");
    assert_eq!(done["changed"], true, "{done}");
    assert!(!root.join("data").exists());
    // Nothing left to discard: up to date, no change.
    let again = result(&[]);
    assert_eq!(again["changed"], false, "{again}");
    assert_eq!(again["rolled_back"], false, "{again}");
}
