//! jailwright's integration tests, one binary (after casey/just and
//! ripgrep): a module per area, all driving the real `jailwright` binary
//! through `common::Test` or the library's public API.

mod common;

mod ansible;
mod apply;
mod apply_lock;
mod apply_root;
mod bastille_quirks;
mod bootstrap;
mod cli;
mod convert;
mod docs;
mod e2e_zfs;
mod formats;
mod grammar;
mod hostile_inputs;
mod hostile_review;
mod hostile_root;
mod hostile_root_fuzz;
mod makejail_quirks;
mod plan;
mod pot_quirks;
mod quadratic_paths;
mod remote;
mod rules;
mod snapshots;
mod step_processes;
mod structure;
