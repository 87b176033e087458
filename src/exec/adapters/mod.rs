//! Real adapters of the ports (and the recording one tests use).

pub mod command;
pub mod facts;
pub mod group;
pub mod host;
pub mod interrupt;
pub mod jail;
pub mod leftovers;
pub mod lines;
pub mod lock;
pub mod process;
pub mod recording;
pub mod reserve;
pub mod shellcheck;
pub mod target_check;
pub mod zfs;
mod zfs_list;
pub mod zfs_txn;
