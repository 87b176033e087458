//! bootstrap against a local HTTP server (tests/common/http.rs, on
//! 127.0.0.1 only) serving generated archives: a good release (hard links,
//! a symlink, setuid and owners kept), a tampered one, archives that try to
//! escape the root, a slow and a truncated answer, a resumed download, and
//! a plain-http mirror refused by default.

use crate::common;

use crate::common::http;

use http::{Reply, Server};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

enum E<'a> {
    Dir(&'a str),
    File(&'a str, &'a [u8], u32),
    HardLink(&'a str, &'a str),
    Symlink(&'a str, &'a str),
    /// An entry whose name is written as is (tar would refuse to build it).
    Raw(&'a str, &'a [u8]),
    /// A regular file of this many zero bytes, streamed (a bomb's payload).
    Zeros(&'a str, u64),
    /// An entry with the name and type (tar's type byte) written as is.
    Typed(&'a str, u8),
}

fn txz(entries: &[E]) -> Vec<u8> {
    let mut builder = tar::Builder::new(xz2::write::XzEncoder::new(Vec::new(), 1));
    for entry in entries {
        let mut h = tar::Header::new_gnu();
        h.set_mtime(1_700_000_000);
        h.set_uid(0);
        h.set_gid(0);
        match entry {
            E::Dir(p) => {
                h.set_entry_type(tar::EntryType::Directory);
                h.set_mode(0o755);
                h.set_size(0);
                builder.append_data(&mut h, p, &[][..]).unwrap();
            }
            E::File(p, body, mode) => {
                h.set_mode(*mode);
                h.set_uid(1001);
                h.set_gid(1001);
                h.set_size(body.len() as u64);
                builder.append_data(&mut h, p, *body).unwrap();
            }
            E::HardLink(p, target) => {
                h.set_entry_type(tar::EntryType::Link);
                h.set_size(0);
                builder.append_link(&mut h, p, target).unwrap();
            }
            E::Symlink(p, target) => {
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                builder.append_link(&mut h, p, target).unwrap();
            }
            E::Raw(name, body) => {
                let gnu = h.as_gnu_mut().unwrap();
                gnu.name[..name.len()].copy_from_slice(name.as_bytes());
                h.set_mode(0o644);
                h.set_size(body.len() as u64);
                h.set_cksum();
                builder.append(&h, *body).unwrap();
            }
            E::Zeros(p, size) => {
                h.set_mode(0o644);
                h.set_size(*size);
                let zeros = std::io::Read::take(std::io::repeat(0), *size);
                builder.append_data(&mut h, p, zeros).unwrap();
            }
            E::Typed(p, kind) => {
                h.set_entry_type(tar::EntryType::new(*kind));
                h.set_mode(0o644);
                h.set_size(0);
                builder.append_data(&mut h, p, &[][..]).unwrap();
            }
        }
    }
    builder.into_inner().unwrap().finish().unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn manifest(base: &[u8]) -> Vec<u8> {
    format!(
        "base.txz\t{}\t4\tbase\t\"Base system (MANDATORY)\"\ton\n",
        sha256(base)
    )
    .into_bytes()
}

const RELEASE: &str = "/releases/amd64/14.3-RELEASE";

/// A release served as `archive`, with a MANIFEST that says `listed`.
fn serve(archive: Reply, listed: &[u8]) -> Server {
    let server = Server::start();
    server.route(
        &format!("{RELEASE}/MANIFEST"),
        Reply::File(manifest(listed)),
    );
    server.route(&format!("{RELEASE}/base.txz"), archive);
    server
}

fn bootstrap(server: &Server, root: &Path, cache: &Path, extra: &[&str]) -> common::Output {
    let (root, cache) = (root.to_str().unwrap(), cache.to_str().unwrap());
    common::Test::new()
        .args(&[
            "bootstrap",
            "14.3-RELEASE",
            "--root",
            root,
            "--cache-dir",
            cache,
        ])
        .args(&["--mirror", &server.base, "--allow-http", "--timeout", "2"])
        .args(extra)
        .run()
}

fn good_release() -> Vec<u8> {
    txz(&[
        E::Dir("etc"),
        E::File("etc/motd", b"welcome\n", 0o644),
        E::Dir("bin"),
        E::File("bin/tool", b"#!/bin/sh\n", 0o4755),
        E::HardLink("bin/tool-again", "bin/tool"),
        E::Symlink("lib", "/usr/lib"),
    ])
}

fn nothing_in(root: &Path) -> bool {
    std::fs::read_dir(root).map_or(true, |mut d| d.next().is_none())
}

#[test]
fn a_release_is_checked_and_unpacked_as_root_would() {
    let base = good_release();
    let server = serve(Reply::File(base.clone()), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("etc/motd")).unwrap(),
        "welcome\n"
    );
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tool = std::fs::metadata(root.join("bin/tool")).unwrap();
    assert_eq!(tool.permissions().mode() & 0o7777, 0o4755, "setuid kept");
    assert_eq!(
        tool.ino(),
        std::fs::metadata(root.join("bin/tool-again"))
            .unwrap()
            .ino(),
        "a hard link stays a hard link"
    );
    assert_eq!(
        std::fs::read_link(root.join("lib")).unwrap(),
        Path::new("/usr/lib")
    );
    if nix_is_root() {
        assert_eq!((tool.uid(), tool.gid()), (1001, 1001), "owners kept");
    }
    if Path::new("/etc/resolv.conf").exists() {
        assert_eq!(
            std::fs::read(root.join("etc/resolv.conf")).unwrap(),
            std::fs::read("/etc/resolv.conf").unwrap()
        );
    }
    // A second run finds the download in the cache.
    let again = bootstrap(&server, &root, &cache, &[]);
    assert!(
        again.stdout.contains("from cache: base.txz"),
        "{}{}",
        again.stdout,
        again.stderr
    );
}

fn nix_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n")
}

#[test]
fn a_tampered_archive_is_refused_and_nothing_is_written() {
    let base = good_release();
    let mut tampered = base.clone();
    let at = tampered.len() / 2;
    tampered[at] ^= 0xff;
    let server = serve(Reply::File(tampered), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("is not the MANIFEST's") && out.stderr.contains("refused"),
        "{}",
        out.stderr
    );
    assert!(nothing_in(&root), "nothing unpacked");
    assert!(
        !cache.join("amd64/14.3-RELEASE/base.txz").exists(),
        "the tampered file is not kept"
    );
}

#[test]
fn archives_that_escape_the_root_are_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let through_symlink = format!("{}", outside.display());
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a `..` path",
            txz(&[E::File("etc/ok", b"ok", 0o644), E::Raw("../evil", b"x")]),
        ),
        (
            "an absolute path",
            txz(&[
                E::File("etc/ok", b"ok", 0o644),
                E::Raw("/tmp/jailwright-evil", b"x"),
            ]),
        ),
        (
            "a path through a symlink it made",
            txz(&[
                E::File("etc/ok", b"ok", 0o644),
                E::Symlink("escape", &through_symlink),
                E::File("escape/evil", b"x", 0o644),
            ]),
        ),
        (
            "a hard link to a path outside",
            txz(&[
                E::File("etc/ok", b"ok", 0o644),
                E::HardLink("etc/shadow", "../../etc/shadow"),
            ]),
        ),
    ];
    for (what, archive) in cases {
        let server = serve(Reply::File(archive.clone()), &archive);
        let root = tmp.path().join("root");
        let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
        assert_eq!(out.code, 2, "{what}: {}{}", out.stdout, out.stderr);
        assert!(out.stderr.contains("refused"), "{what}: {}", out.stderr);
        assert!(nothing_in(&root), "{what}: nothing unpacked");
        assert!(nothing_in(&outside), "{what}: nothing outside");
        assert!(!Path::new("/tmp/jailwright-evil").exists());
        let _ = std::fs::remove_dir_all(tmp.path().join("cache"));
    }
}

#[test]
fn a_truncated_download_fails_clearly_and_resumes() {
    let base = good_release();
    let server = serve(Reply::Truncated(base.clone(), base.len() / 2), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("run again to resume"), "{}", out.stderr);
    assert!(nothing_in(&root));
    let part = cache.join("amd64/14.3-RELEASE/base.txz.part");
    assert_eq!(
        std::fs::metadata(&part).unwrap().len(),
        (base.len() / 2) as u64
    );
    // The server is whole again: the next run asks only for the rest.
    server.route(&format!("{RELEASE}/base.txz"), Reply::File(base.clone()));
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let ranges: Vec<Option<String>> = server
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p.ends_with("base.txz"))
        .map(|(_, r)| r.clone())
        .collect();
    assert_eq!(
        ranges.last().unwrap().as_deref(),
        Some(format!("bytes={}-", base.len() / 2).as_str())
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/motd")).unwrap(),
        "welcome\n"
    );
}

#[test]
fn a_slow_server_times_out_and_nothing_is_written() {
    let base = good_release();
    let server = serve(Reply::Slow(base.clone(), Duration::from_secs(5)), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let out = bootstrap(&server, &root, &cache, &["--timeout", "1"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(nothing_in(&root), "{}", out.stderr);
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let base = good_release();
    let server = serve(Reply::File(base.clone()), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let out = common::Test::new()
        .args(&[
            "bootstrap",
            "14.3-RELEASE",
            "--root",
            root.to_str().unwrap(),
        ])
        .args(&[
            "--cache-dir",
            cache.to_str().unwrap(),
            "--mirror",
            &server.base,
        ])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("plain http is refused"));
    assert!(
        server.requests.lock().unwrap().is_empty(),
        "nothing was asked"
    );
}

/// Files and directories under `dir`, recursively (symlinks not followed).
fn tree_of(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        found.push(path.display().to_string());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(tree_of(&path));
        }
    }
    found
}

#[test]
fn bootstrap_resolv_conf_through_archive_symlink_stays_in_root() {
    if !Path::new("/etc/resolv.conf").is_file() {
        eprintln!("no /etc/resolv.conf on this host: nothing to copy");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let target = elsewhere.display().to_string();
    // The release itself makes etc a symlink to a host directory.
    let base = txz(&[E::Dir("bin"), E::Symlink("etc", &target)]);
    let server = serve(Reply::File(base.clone()), &base);
    let root = tmp.path().join("root");
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        tree_of(&elsewhere).is_empty(),
        "resolv.conf written outside the root: {:?}",
        tree_of(&elsewhere)
    );
    // The link was followed as the jail sees it: inside the root.
    let inside = root
        .join(target.trim_start_matches('/'))
        .join("resolv.conf");
    assert_eq!(
        std::fs::read(&inside).unwrap(),
        std::fs::read("/etc/resolv.conf").unwrap()
    );
}

/// Serves `archive` as a release and bootstraps it into a fresh root: the
/// run must be refused, the root left empty and `outside` untouched.
fn assert_refused_before_writing(archive: Vec<u8>, outside: &Path, expect: &str) {
    let server = serve(Reply::File(archive.clone()), &archive);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("refused") && out.stderr.contains(expect),
        "{}",
        out.stderr
    );
    assert!(
        nothing_in(&root),
        "half-unpacked root: {:?}",
        tree_of(&root)
    );
    assert_eq!(
        tree_of(outside),
        vec![outside.join("secret").display().to_string()]
    );
}

#[test]
fn archive_hard_link_through_symlinked_dir_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "host secret").unwrap();
    let target = outside.display().to_string();
    let archive = txz(&[
        E::Dir("etc"),
        E::File("etc/ok", b"ok", 0o644),
        E::Symlink("s", &target),
        E::HardLink("etc/stolen", "s/secret"),
    ]);
    assert_refused_before_writing(archive, &outside, "symlink");
}

#[test]
fn archive_entry_with_dotdot_inside_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "host secret").unwrap();
    let archive = txz(&[
        E::Dir("etc"),
        E::File("etc/ok", b"ok", 0o644),
        E::Dir("bin"),
        E::Raw("bin/../s/x", b"x"),
    ]);
    assert_refused_before_writing(archive, &outside, "..");
}

#[test]
fn decompression_bomb_release_is_refused() {
    // 50 MB of zeros: a few KB of xz.
    let bomb = txz(&[E::Dir("etc"), E::Zeros("etc/zeros", 50 << 20)]);
    assert!(bomb.len() < 64 << 10, "{} bytes", bomb.len());
    let server = serve(Reply::File(bomb.clone()), &bomb);
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    // By its ratio, with the default caps.
    let root = tmp.path().join("root");
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("refused") && out.stderr.contains("times its compressed size"),
        "{}",
        out.stderr
    );
    assert!(nothing_in(&root), "{:?}", tree_of(&root));
    // By its total, under a smaller cap (and a ratio raised out of the way).
    let out = bootstrap(
        &server,
        &root,
        &cache,
        &["--max-unpacked", "10M", "--max-ratio", "1000000"],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("refused") && out.stderr.contains("more than 10 MiB"),
        "{}",
        out.stderr
    );
    assert!(nothing_in(&root), "{:?}", tree_of(&root));
    // Raised by the flags, the same archive unpacks.
    let out = bootstrap(
        &server,
        &root,
        &cache,
        &["--max-unpacked", "64M", "--max-ratio", "1000000"],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::metadata(root.join("etc/zeros")).unwrap().len(),
        50 << 20
    );
}

#[test]
fn archive_with_a_fifo_or_a_device_is_refused_before_writing() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret"), "host secret").unwrap();
    for (kind, name) in [(b'6', "FIFO"), (b'3', "character device")] {
        let archive = txz(&[
            E::Dir("etc"),
            E::File("etc/ok", b"ok", 0o644),
            E::Typed("etc/special", kind),
        ]);
        assert_refused_before_writing(archive, &outside, name);
    }
}

#[test]
fn bootstrap_part_file_through_planted_symlink_is_not_written_through() {
    let base = good_release();
    let server = serve(Reply::File(base.clone()), &base);
    let tmp = tempfile::tempdir().unwrap();
    let (root, cache) = (tmp.path().join("root"), tmp.path().join("cache"));
    let victim = tmp.path().join("victim");
    std::fs::write(&victim, "keep").unwrap();
    let dir = cache.join("amd64/14.3-RELEASE");
    std::fs::create_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("base.txz.part")).unwrap();
    let out = bootstrap(&server, &root, &cache, &[]);
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep", "written through");
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("symlink"), "{}", out.stderr);
    assert!(nothing_in(&root));
}

fn staging_left(root: &Path) -> Vec<String> {
    std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".jailwright-unpack-"))
        .collect()
}

#[test]
fn an_empty_root_is_filled_in_one_pass_and_keeps_its_own_mode_or_the_archives() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    for (with_dot, want) in [(false, 0o700), (true, 0o755)] {
        let mut entries = vec![E::Dir("etc"), E::File("etc/motd", b"hi\n", 0o644)];
        if with_dot {
            entries.insert(0, E::Dir("."));
        }
        let base = txz(&entries);
        let server = serve(Reply::File(base.clone()), &base);
        // An existing empty directory (a dataset's mountpoint), mode 0700.
        let root = tmp.path().join(format!("root-{with_dot}"));
        std::fs::create_dir(&root).unwrap();
        std::fs::set_permissions(&root, std::fs::Permissions::from_mode(0o700)).unwrap();
        let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
        assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
        assert_eq!(
            std::fs::read_to_string(root.join("etc/motd")).unwrap(),
            "hi\n"
        );
        assert_eq!(staging_left(&root), Vec::<String>::new());
        let mode = std::fs::metadata(&root).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, want, "with ./ in the archive: {with_dot}");
        let _ = std::fs::remove_dir_all(tmp.path().join("cache"));
    }
}

#[test]
fn a_refused_archive_leaves_no_staging_directory_in_the_root() {
    let tmp = tempfile::tempdir().unwrap();
    // Good entries first, so that some were unpacked when the bad one came.
    let archive = txz(&[
        E::Dir("etc"),
        E::File("etc/motd", b"hi\n", 0o644),
        E::Raw("../evil", b"x"),
    ]);
    let server = serve(Reply::File(archive.clone()), &archive);
    let root = tmp.path().join("root");
    std::fs::create_dir(&root).unwrap();
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(nothing_in(&root), "{:?}", tree_of(&root));
    assert!(!tmp.path().join("evil").exists());
}

#[test]
fn a_root_with_files_gets_both_passes_and_keeps_them_when_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("etc/keep"), "mine\n").unwrap();
    let archive = txz(&[E::File("etc/motd", b"hi\n", 0o644), E::Raw("../evil", b"x")]);
    let server = serve(Reply::File(archive.clone()), &archive);
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("etc/keep")).unwrap(),
        "mine\n"
    );
    assert!(
        !root.join("etc/motd").exists(),
        "checked before anything was written"
    );
    assert_eq!(staging_left(&root), Vec::<String>::new());
    // A good archive unpacks over what is there.
    let good = good_release();
    let server = serve(Reply::File(good.clone()), &good);
    let _ = std::fs::remove_dir_all(tmp.path().join("cache"));
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("etc/keep")).unwrap(),
        "mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/motd")).unwrap(),
        "welcome\n"
    );
}

#[test]
fn the_staged_root_got_the_time_of_now_the_owner_of_the_run_and_refused_a_symlinked_root() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    // With ./ in the archive: its time (the renames and the staging
    // directory's removal changed it to now).
    let base = txz(&[
        E::Dir("."),
        E::Dir("etc"),
        E::File("etc/motd", b"hi\n", 0o644),
    ]);
    let server = serve(Reply::File(base.clone()), &base);
    let root = tmp.path().join("timed");
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(std::fs::metadata(&root).unwrap().mtime(), 1_700_000_000);

    // Without ./: the root keeps its owner (as root: it was chowned to
    // the user running bootstrap).
    let plain = txz(&[E::Dir("etc"), E::File("etc/motd", b"hi\n", 0o644)]);
    let server = serve(Reply::File(plain.clone()), &plain);
    let owned = tmp.path().join("owned");
    std::fs::create_dir(&owned).unwrap();
    if nix_is_root() {
        std::os::unix::fs::chown(&owned, Some(1234), Some(1234)).unwrap();
    }
    let before = std::fs::metadata(&owned).unwrap();
    let _ = std::fs::remove_dir_all(tmp.path().join("cache"));
    let out = bootstrap(&server, &owned, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let after = std::fs::metadata(&owned).unwrap();
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));

    // A root named through the admin's symlink to an empty directory.
    let real = tmp.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let _ = std::fs::remove_dir_all(tmp.path().join("cache"));
    let out = bootstrap(&server, &link, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(
        std::fs::read_to_string(real.join("etc/motd")).unwrap(),
        "hi\n"
    );
    assert_eq!(staging_left(&real), Vec::<String>::new());
}

#[test]
fn a_killed_runs_staging_directory_stayed_in_the_root_for_good() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    // What a run killed while unpacking leaves.
    std::fs::create_dir_all(root.join(".jailwright-unpack-AbC123/etc")).unwrap();
    std::fs::write(root.join(".jailwright-unpack-AbC123/etc/half"), "x").unwrap();
    let base = good_release();
    let server = serve(Reply::File(base.clone()), &base);
    let out = bootstrap(&server, &root, &tmp.path().join("cache"), &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(staging_left(&root), Vec::<String>::new());
    assert_eq!(
        std::fs::read_to_string(root.join("etc/motd")).unwrap(),
        "welcome\n"
    );
}
