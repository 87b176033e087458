//! Makejail stages: which names exist, and the order AppJail really runs
//! the steps in (cmd/makejail, `makejail_write`).
//!
//! * `build` runs now, as the BuildScript: its ARGs first (hoisted), then
//!   FROM, then every OPTION (one `appjail quick` that creates the jail),
//!   then the other build steps in file order.
//! * Every other stage becomes a function of the jail's InitScript, run
//!   later by `appjail start`, `run`, `stop` or `apply`: its ARGs first,
//!   then the rest in file order. Stages come in a fixed order, custom
//!   stages last in order of first appearance.
//! * `CLEAR stage` drops what the stage held so far.

use crate::ir::{Instruction, StageRun, Step};

pub const BUILD: &str = "build";

/// The InitScript stages, in the order `makejail_write` writes them.
pub const INIT_STAGES: [&str; 13] = [
    "apply",
    "precreate",
    "create",
    "postcreate",
    "prestart",
    "start",
    "poststart",
    "precmd",
    "cmd",
    "postcmd",
    "prestop",
    "stop",
    "poststop",
];

/// Whether a STAGE argument names a stage AppJail knows: `build`, an
/// InitScript stage, or `custom:NAME` with NAME a valid human name.
pub fn is_valid(name: &str) -> bool {
    name == BUILD
        || INIT_STAGES.contains(&name)
        || name.strip_prefix("custom:").is_some_and(is_human_name)
}

/// AppJail's "human name" (check_func: `^[a-zA-Z0-9_][a-zA-Z0-9_-]*$`),
/// required of custom stage names.
pub fn is_human_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

/// When a stage runs.
pub fn when(stage: &str) -> &'static str {
    match stage {
        BUILD => "appjail makejail, while building",
        "apply" => "appjail apply (or appjail makejail -A), never while building",
        "precreate" | "create" | "postcreate" | "prestart" | "start" | "poststart" => {
            "appjail start"
        }
        "precmd" | "cmd" | "postcmd" => "appjail run",
        "prestop" | "stop" | "poststop" => "appjail stop",
        _ => "appjail run -s with this custom stage",
    }
}

/// The execution order of `steps`, stage by stage; `runs[i]` is false for
/// a step AppJail never sees.
pub fn execution(steps: &[Step], runs: &[bool]) -> Vec<StageRun> {
    let mut order: Vec<String> = vec![BUILD.to_string()];
    order.extend(INIT_STAGES.iter().map(|s| s.to_string()));
    for step in steps {
        if let Some(stage) = &step.stage
            && !order.contains(stage)
        {
            order.push(stage.clone());
        }
    }
    order
        .into_iter()
        .filter_map(|stage| {
            let mut held: Vec<usize> = Vec::new();
            for (i, step) in steps.iter().enumerate() {
                if step.stage.as_deref() != Some(stage.as_str()) || !runs[i] {
                    continue;
                }
                if matches!(&step.instruction, Instruction::Clear { what } if what == "stage") {
                    held.clear();
                }
                held.push(i);
            }
            if held.is_empty() {
                return None;
            }
            let rank = |i: &usize| match (&steps[*i].instruction, stage.as_str()) {
                (Instruction::Arg { .. }, _) => 0,
                (Instruction::From { .. }, BUILD) => 1,
                (Instruction::JailOption { .. }, BUILD) => 2,
                _ => 3,
            };
            held.sort_by_key(rank); // stable: file order within a rank
            Some(StageRun {
                when: when(&stage).to_string(),
                stage,
                steps: held,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_stage_names() {
        for ok in ["build", "start", "poststop", "apply", "custom:list_plugins"] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in ["run", "custom:", "custom:bad name", "Build", ""] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
