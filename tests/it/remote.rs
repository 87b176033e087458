//! Remote templates against a loopback HTTP server: fetched, unpacked,
//! pinned in jailwright.lock; a changed source refused until
//! --update-lock; plain http refused unless allowed; a Bastille INCLUDE
//! of a URL planned in place.

use crate::common;

use crate::common::http;

use http::{Reply, Server};
use std::path::Path;

/// A repository archive as GitHub serves it: one top directory.
fn tar_gz(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for (path, text) in files {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(1_700_000_000);
        h.set_size(text.len() as u64);
        builder
            .append_data(&mut h, format!("repo-HEAD/{path}"), text.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

fn run(dir: &Path, cache: &Path, args: &[&str]) -> common::Output {
    common::Test::new()
        .current_dir(dir)
        .env("JAILWRIGHT_CACHE", cache.to_str().unwrap())
        .args(args)
        .run()
}

#[test]
fn a_remote_template_is_pinned_and_a_change_is_refused() {
    let server = Server::start();
    server.route(
        "/t.tar.gz",
        Reply::File(tar_gz(&[("Bastillefile", "PKG nginx\n")])),
    );
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/t.tar.gz", server.base);
    let out = run(work.path(), cache.path(), &["parse", &url, "--allow-http"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("PKG"), "{}", out.stdout);
    let lock = std::fs::read_to_string(work.path().join("jailwright.lock")).unwrap();
    assert!(lock.contains(&format!("{url}\t")), "{lock}");

    // Pinned and cached: the next run does not download it again.
    let asked = server.requests.lock().unwrap().len();
    let out = run(work.path(), cache.path(), &["parse", &url, "--allow-http"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        server.requests.lock().unwrap().len(),
        asked,
        "served from the cache"
    );

    // The source changes under the same URL: with a fresh cache it is
    // downloaded again, and the lock refuses it.
    server.route(
        "/t.tar.gz",
        Reply::File(tar_gz(&[("Bastillefile", "PKG evil\n")])),
    );
    let fresh = tempfile::tempdir().unwrap();
    let out = run(work.path(), fresh.path(), &["parse", &url, "--allow-http"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("refused"), "{}", out.stderr);
    assert!(!out.stdout.contains("evil"));
    let out = run(
        work.path(),
        cache.path(),
        &["parse", &url, "--allow-http", "--update-lock"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("evil"));
    assert_ne!(
        std::fs::read_to_string(work.path().join("jailwright.lock")).unwrap(),
        lock,
        "the lock took the new hash"
    );
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let server = Server::start();
    server.route(
        "/t.tar.gz",
        Reply::File(tar_gz(&[("Bastillefile", "PKG nginx\n")])),
    );
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/t.tar.gz", server.base);
    let out = run(work.path(), cache.path(), &["lint", &url]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("plain http is refused"),
        "{}",
        out.stderr
    );
    assert!(server.requests.lock().unwrap().is_empty());
}

#[test]
fn a_bastille_include_of_a_url_is_planned_in_place() {
    let server = Server::start();
    server.route(
        "/base.tar.gz",
        Reply::File(tar_gz(&[("Bastillefile", "SYSRC from_include=YES\n")])),
    );
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/base.tar.gz", server.base);
    std::fs::write(
        work.path().join("Bastillefile"),
        format!("INCLUDE {url}\nCMD echo done\n"),
    )
    .unwrap();
    let out = run(
        work.path(),
        cache.path(),
        &[
            "plan",
            "Bastillefile",
            "--jail",
            "web",
            "--allow-http",
            "--fetch-includes",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("sysrc 'from_include=YES'"),
        "{}",
        out.stdout
    );
    assert!(
        work.path().join("jailwright.lock").is_file(),
        "pinned beside the template"
    );
}

#[test]
fn a_remote_archive_that_escapes_is_refused() {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let mut h = tar::Header::new_gnu();
    let gnu = h.as_gnu_mut().unwrap();
    gnu.name[..9].copy_from_slice(b"../escape");
    h.set_mode(0o644);
    h.set_size(1);
    h.set_cksum();
    builder.append(&h, &b"x"[..]).unwrap();
    let archive = builder.into_inner().unwrap().finish().unwrap();
    let server = Server::start();
    server.route("/bad.tar.gz", Reply::File(archive));
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/bad.tar.gz", server.base);
    let out = run(work.path(), cache.path(), &["parse", &url, "--allow-http"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("refused"), "{}", out.stderr);
    assert!(!cache.path().join("escape").exists() && !cache.path().join("trees/escape").exists());
}

#[test]
fn a_makejail_fetch_include_is_fetched_only_when_asked() {
    let server = Server::start();
    server.route("/parts/Makejail", Reply::File(b"PKG nginx\n".to_vec()));
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    std::fs::write(
        work.path().join("Makejail"),
        format!(
            "OPTION start\nINCLUDE fetch+{}/parts/Makejail\nCMD echo done\n",
            server.base
        ),
    )
    .unwrap();
    let quiet = run(
        work.path(),
        cache.path(),
        &["plan", "Makejail", "--jail", "web"],
    );
    assert!(
        server.requests.lock().unwrap().is_empty(),
        "not fetched unless asked"
    );
    assert!(quiet.stdout.contains("INCLUDE"), "{}", quiet.stdout);
    let out = run(
        work.path(),
        cache.path(),
        &[
            "plan",
            "Makejail",
            "--jail",
            "web",
            "--allow-http",
            "--fetch-includes",
        ],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("pkg -j web install -y -- nginx"),
        "{}",
        out.stdout
    );
    let lock = std::fs::read_to_string(work.path().join("jailwright.lock")).unwrap();
    assert!(lock.contains("fetch+http://"), "{lock}");
}

/// Nothing of a refused download is kept: no tree, no staging directory,
/// no download.
fn cache_holds_nothing(cache: &Path) -> Vec<String> {
    let mut left = Vec::new();
    for sub in ["trees", "incoming", "files"] {
        if let Ok(entries) = std::fs::read_dir(cache.join(sub)) {
            left.extend(entries.flatten().map(|e| e.path().display().to_string()));
        }
    }
    left
}

fn not_pinned(work: &Path, url: &str) -> bool {
    std::fs::read_to_string(work.join("jailwright.lock")).map_or(true, |l| !l.contains(url))
}

#[test]
fn remote_template_bomb_is_neither_cached_nor_pinned() {
    // A Bastillefile beside 64 MB of zeros: about 64 KB of gzip.
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let mut h = tar::Header::new_gnu();
    h.set_mode(0o644);
    h.set_uid(0);
    h.set_gid(0);
    h.set_mtime(1_700_000_000);
    h.set_size(10);
    builder
        .append_data(&mut h, "repo-HEAD/Bastillefile", &b"PKG nginx\n"[..])
        .unwrap();
    let size = 64u64 << 20;
    h.set_size(size);
    let zeros = std::io::Read::take(std::io::repeat(0), size);
    builder
        .append_data(&mut h, "repo-HEAD/zeros", zeros)
        .unwrap();
    let bomb = builder.into_inner().unwrap().finish().unwrap();
    assert!(bomb.len() < 512 << 10, "{} bytes", bomb.len());
    let server = Server::start();
    server.route("/bomb.tar.gz", Reply::File(bomb));
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/bomb.tar.gz", server.base);
    let out = run(work.path(), cache.path(), &["parse", &url, "--allow-http"]);
    assert!(not_pinned(work.path(), &url), "the bomb was pinned");
    assert_eq!(cache_holds_nothing(cache.path()), Vec::<String>::new());
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("refused") && out.stderr.contains("times its compressed size"),
        "{}",
        out.stderr
    );
    // The caps raised by the environment: kept and pinned.
    let raised = common::Test::new()
        .current_dir(work.path())
        .env("JAILWRIGHT_CACHE", cache.path().to_str().unwrap())
        .env("JAILWRIGHT_MAX_UNPACKED", "128M")
        .env("JAILWRIGHT_MAX_RATIO", "100000")
        .args(&["parse", &url, "--allow-http"])
        .run();
    assert_eq!(raised.code, 0, "{}{}", raised.stdout, raised.stderr);
    assert!(!not_pinned(work.path(), &url));
}

#[test]
fn remote_archive_without_a_template_is_not_pinned() {
    let server = Server::start();
    server.route(
        "/empty.tar.gz",
        Reply::File(tar_gz(&[
            ("README", "nothing to see\n"),
            ("src/x.c", "int x;\n"),
        ])),
    );
    let work = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let url = format!("{}/empty.tar.gz", server.base);
    let out = run(work.path(), cache.path(), &["parse", &url, "--allow-http"]);
    assert!(not_pinned(work.path(), &url), "pinned without a template");
    assert_eq!(cache_holds_nothing(cache.path()), Vec::<String>::new());
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("holds no template"), "{}", out.stderr);
}
