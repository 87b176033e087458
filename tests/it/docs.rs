//! docs/rules/ is generated from the rule catalogue; this keeps the
//! checked-in pages in sync (`JAILWRIGHT_WRITE_DOCS=1 cargo test --test
//! docs` rewrites them).

use std::path::Path;

#[test]
fn rule_pages_are_in_sync_with_the_catalogue() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let write = std::env::var_os("JAILWRIGHT_WRITE_DOCS").is_some();
    let files = jailwright::docs::files();
    let mut stale = Vec::new();
    for (name, text) in &files {
        let path = dir.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            if write {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, text).unwrap();
            } else {
                stale.push(name.clone());
            }
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !files.iter().any(|(f, _)| f == n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/rules is out of date ({stale:?} differ, {extra:?} are not generated): run JAILWRIGHT_WRITE_DOCS=1 cargo test --test it docs"
    );
}
