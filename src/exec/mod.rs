//! Running templates: `plan` turns a parsed template into the exact
//! actions each step takes on a target (pure); adapters carry them out.
//! Data flows one way: Document → Plan → adapters.

pub mod adapters;
pub mod apply;
pub mod chain;
pub(crate) mod edits;
pub(crate) mod failure;
pub(crate) mod foresee;
pub mod plan;
pub mod ports;
pub(crate) mod resume;

pub use plan::{Action, Plan, PlannedStep, TargetSpec, plan};
