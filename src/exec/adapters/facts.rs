//! What the planner needs to know of the host, looked up here so that
//! `plan` itself stays a pure function: the template's directory, which
//! copied files are missing, and an offline root's package manager.

use crate::document::Document;
use crate::exec::plan::{Facts, PackageManager, TargetSpec};
use crate::ir::{CopyFrom, Instruction};
use std::path::PathBuf;

/// What the planner needs to know of the host (the only I/O of `plan`).
pub fn gather(doc: &Document, target: &TargetSpec, args: &[String], stage: Option<&str>) -> Facts {
    let template_dir = doc
        .sources
        .first()
        .map(|s| s.dir())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut missing = Vec::new();
    for step in &doc.template.steps {
        let paths: Vec<PathBuf> = match &step.instruction {
            Instruction::Cp {
                sources,
                from: CopyFrom::Template,
                ..
            } => sources.iter().map(|s| template_dir.join(s)).collect(),
            Instruction::Cp {
                sources,
                from: CopyFrom::Host,
                ..
            } => sources.iter().map(PathBuf::from).collect(),
            Instruction::Overlay { dir } => vec![template_dir.join(dir)],
            _ => Vec::new(),
        };
        missing.extend(paths.into_iter().filter(|p| !p.exists()));
    }
    let package_manager = match target {
        TargetSpec::Root(r) if r.join("usr/bin/apt-get").exists() => PackageManager::Apt,
        _ => PackageManager::Pkg,
    };
    Facts {
        template_dir,
        package_manager,
        missing,
        args: args.to_vec(),
        stage: stage.map(str::to_string),
    }
}
