//! Real adapters of the ports (and the recording one tests use).

pub mod command;
pub mod facts;
pub(crate) mod group;
pub mod host;
pub(crate) mod interrupt;
pub(crate) mod jail;
pub mod leftovers;
pub(crate) mod lines;
pub(crate) mod lock;
pub(crate) mod process;
pub mod recording;
pub(crate) mod reserve;
pub(crate) mod shellcheck_runner;
pub(crate) mod target_check;
pub(crate) mod zfs;
mod zfs_list;
pub(crate) mod zfs_txn;
