//! Real adapters of the ports (and the recording one tests use).

pub mod host;
pub mod recording;
pub mod zfs;
