//! `compat/fetch-corpus` rebuilds the corpus from the upstream
//! repositories at their pinned commits. Offline here: `make-mirror` builds
//! local repositories from a slice of the corpus (a few repositories of
//! each tree, each commit tagged with the pinned hash it stands for), the
//! script fetches from them with the lists of that slice, and every file
//! must come back byte for byte where the corpus has it.

#[path = "../../tests/it/common/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repositories of the slice: a few of each tree, one of them pinned
/// at two commits' worth of rows (BastilleBSD/templates).
const REPOS: &[&str] = &[
    "AppJail-makejails/aichat",
    "AppJail-makejails/apache",
    "davidchisnall/act-pot",
    "BastilleBSD-Templates/arduino",
];

/// Bastille rows of BastilleBSD/templates kept (a few, not the repository's
/// hundred).
const BASTILLE_DIRS: &[&str] = &[
    "templates/databases/memcached",
    "templates/databases/mariadb-server",
];

fn sources() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus-sources")
}

/// The header and the rows of `tree`'s list that the slice keeps.
fn slice(tree: &str) -> Vec<String> {
    let text = std::fs::read_to_string(sources().join(format!("{tree}.tsv"))).unwrap();
    let repo_column = if tree == "bastille" { 1 } else { 2 };
    text.lines()
        .enumerate()
        .filter(|(i, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            *i == 0
                || REPOS.contains(&fields[repo_column])
                || (tree == "bastille" && BASTILLE_DIRS.contains(&fields[0]))
        })
        .map(|(_, line)| line.to_string())
        .collect()
}

/// The files (relative to the corpus) a tree's kept rows stand for.
fn files(tree: &str, rows: &[String], corpus: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for row in &rows[1..] {
        let fields: Vec<&str> = row.split('\t').collect();
        if tree == "bastille" {
            let dir = Path::new(tree).join(fields[0]);
            for entry in walk(&corpus.join(&dir)) {
                out.push(dir.join(entry));
            }
        } else {
            out.push(Path::new(tree).join(fields[1]));
        }
    }
    out
}

/// Every file under `dir`, relative to it.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in std::fs::read_dir(dir.join(&rel)).unwrap().flatten() {
            let path = rel.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn fetch_corpus_rebuilds_the_corpus_from_pinned_repositories() {
    let corpus = jailwright_compat::find_corpus();
    let git = Command::new("git").arg("--version").output().is_ok();
    let ready = match (&corpus, git) {
        (None, _) => Err(jailwright_compat::HOW_TO_GET_THE_CORPUS.to_string()),
        (_, false) => Err("needs git (apt-get install git)".to_string()),
        _ => Ok(()),
    };
    if skip::lacks(&ready) {
        return;
    }
    let corpus = corpus.unwrap();
    let work = tempfile_dir();
    let small = work.join("corpus");
    let lists = work.join("sources");
    let mut expected = Vec::new();
    for tree in ["appjail", "bastille", "pot"] {
        let rows = slice(tree);
        assert!(rows.len() > 1, "{tree}: the slice keeps no row");
        let text = rows.join("\n") + "\n";
        write(&small.join(tree).join("SOURCES.tsv"), text.as_bytes());
        write(&lists.join(format!("{tree}.tsv")), text.as_bytes());
        for file in files(tree, &rows, &corpus) {
            write(
                &small.join(&file),
                &std::fs::read(corpus.join(&file)).unwrap(),
            );
            expected.push(file);
        }
    }
    // bastille-files.tsv: the files of the kept bastille directories.
    let listed = std::fs::read_to_string(sources().join("bastille-files.tsv")).unwrap();
    let kept: Vec<&str> = listed
        .lines()
        .enumerate()
        .filter(|(i, line)| {
            let dir = line.split('\t').next().unwrap_or("");
            *i == 0 || small.join("bastille").join(dir).is_dir()
        })
        .map(|(_, line)| line)
        .collect();
    write(
        &lists.join("bastille-files.tsv"),
        (kept.join("\n") + "\n").as_bytes(),
    );

    let scripts = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mirror = work.join("mirror");
    let made = Command::new(scripts.join("tests/make-mirror"))
        .arg(&small)
        .arg(&mirror)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "make-mirror: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let out = work.join("out");
    let fetched = Command::new(scripts.join("fetch-corpus"))
        .arg("--sources")
        .arg(&lists)
        .arg(&out)
        .env(
            "JAILWRIGHT_CORPUS_GIT_BASE",
            format!("file://{}", mirror.display()),
        )
        .env(
            "JAILWRIGHT_CORPUS_COMMIT_OVERRIDE",
            "refs/tags/pin/{commit}",
        )
        .output()
        .unwrap();
    assert!(
        fetched.status.success(),
        "fetch-corpus: {}",
        String::from_utf8_lossy(&fetched.stderr)
    );
    assert!(expected.len() >= 8, "{expected:?}");
    for file in &expected {
        assert_eq!(
            std::fs::read(out.join(file)).ok(),
            std::fs::read(small.join(file)).ok(),
            "{} differs from the corpus",
            file.display()
        );
    }
    // Nothing more than the lists name (the mirror's MIRROR-NOISE file).
    let got = walk(&out);
    assert!(!got.iter().any(|f| f.ends_with("MIRROR-NOISE")), "{got:?}");
    let _ = std::fs::remove_dir_all(&work);
}

/// A fresh directory under the temporary directory.
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jw-fetch-corpus-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
