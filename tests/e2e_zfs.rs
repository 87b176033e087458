//! End to end on Linux: a real ZFS pool (zfs-fuse, file-backed), a real
//! root built from busybox-static, and the real binary applying templates
//! with `--root`. They need root, `apt-get install zfs-fuse busybox-static`
//! and a running `zfs-fuse` daemon; without them they fail, saying why.
//!
//! `.ci/zfs-fuse-up` installs both and starts the daemon; CI runs it first.
//! The pool's Drop unmounts, retries `zpool destroy` for 30 s and keeps the
//! image if it must (a pool whose image is deleted wedges zfs-fuse).

mod common;

#[path = "common/zfs_pool.rs"]
mod zfs_pool;

use std::path::{Path, PathBuf};
use std::process::Command;
use zfs_pool::Pool;

fn apply(template: &Path, root: &Path) -> common::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_jailwright"))
        .args([
            "apply",
            template.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "on",
        ])
        .output()
        .unwrap();
    out.into()
}

#[test]
fn apply_on_a_real_zfs_root() {
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
    assert!(first.wait().unwrap().success());
    assert_eq!(second.code, 2, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stderr
            .contains("another apply or prune is already running"),
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
