//! How pot finds a flavour (share/pot/common-flv.sh:26-45): what is one,
//! its command file and `NAME.sh` script, and a chain of flavours applied
//! in order (with potluck's `NAME+1` ... `NAME+9`).

use crate::dialect::{LoadError, Scope, present};
use crate::document::Document;
use std::path::Path;

/// A pot flavour: any file but a `NAME.notes` in pot's flavour directory (`.../pot/flavours`,
/// where `pot create -f NAME` looks: share/pot/common-flv.sh:26-27,44-45), or a
/// command file named `Potfile`, or with a `NAME.sh` script beside it, or
/// whose first line is one of the nine flavour commands (this reads the
/// start of a regular file, nothing else).
pub fn is_flavour(path: &Path) -> bool {
    let sh_beside = || {
        path.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|name| path.with_file_name(format!("{name}.sh")).is_file())
    };
    is_flavour_known(path, path.is_file(), sh_beside)
}

/// `is_flavour`, told whether `path` is a regular file (or leads to one)
/// and asked whether a `NAME.sh` is beside it only when that decides (a
/// directory walk knows both from its listing).
pub fn is_flavour_known(path: &Path, is_file: bool, sh_beside: impl FnOnce() -> bool) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    // `NAME.notes`: what `convert --to pot` could not carry over.
    if name.ends_with(super::NOTES) || !is_file {
        return false;
    }
    if path.parent().is_some_and(|d| d.ends_with("pot/flavours")) {
        return true;
    }
    if name.contains('.') {
        return false;
    }
    if name == "Potfile" || sh_beside() {
        return true;
    }
    let Ok(bytes) = crate::dialect::scope::peek(path, 4096) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    text.lines()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.split_whitespace().next())
        .is_some_and(|w| super::commands::COMMANDS.iter().any(|(c, _)| *c == w))
}

/// Reads a pot flavour: `NAME` and `NAME.sh` (either may be missing), or
/// only a script when the path ends in `.sh`, as pot's lookup does.
fn read_flavour(path: &Path, scope: &Scope) -> std::io::Result<super::Flavour> {
    let read = |p: &Path| scope.read(p);
    let text = path.to_string_lossy();
    if let Some(stem) = text.strip_suffix(".sh") {
        let name = Path::new(stem)
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        return Ok(super::Flavour {
            name,
            commands: None,
            script: Some(read(path)?),
        });
    }
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    let script_path = std::path::PathBuf::from(format!("{text}.sh"));
    let commands = if present(path) {
        Some(read(path)?)
    } else {
        None
    };
    let script = if present(&script_path) {
        let named = |e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("{}: {e}", script_path.display()))
        };
        Some(read(&script_path).map_err(named)?)
    } else {
        None
    };
    if commands.is_none() && script.is_none() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("Flavour {name} not found"),
        ));
    }
    Ok(super::Flavour {
        name,
        commands,
        script,
    })
}

/// Reads several pot flavours applied in order (`pot create -f A -f B`),
/// each followed by its potluck chain (`NAME+1` ... `NAME+9`, applied
/// after NAME by potluck's tooling), then checks that the files they copy
/// in exist.
pub fn load_flavours(paths: &[std::path::PathBuf]) -> Result<Document, LoadError> {
    load_flavours_in(paths, &Scope::anywhere())
}

/// `load_flavours`, reading only inside `scope`.
pub fn load_flavours_in(
    paths: &[std::path::PathBuf],
    scope: &Scope,
) -> Result<Document, LoadError> {
    let mut flavours = Vec::new();
    for path in paths {
        let io = |source| LoadError::io(path, source);
        flavours.push(read_flavour(path, scope).map_err(io)?);
        if !path.to_string_lossy().ends_with(".sh") {
            for n in 1..=9 {
                let link = std::path::PathBuf::from(format!("{}+{n}", path.display()));
                match read_flavour(&link, scope) {
                    Ok(flavour) => flavours.push(flavour),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => {
                        return Err(LoadError::Io {
                            path: link.display().to_string(),
                            source,
                        });
                    }
                }
            }
        }
    }
    let mut doc = super::parse(flavours);
    let missing = super::missing_sources(&doc, |p| p.exists());
    doc.problems.extend(missing);
    Ok(doc)
}
