//! Every file jailwright reads from a path it was given, and every file it
//! writes, goes through this module. It is where the threat model (README,
//! "Threat model") is enforced:
//!
//! * `read`: a user-supplied path (a template, `--config`, `--arg-file`, an
//!   INCLUDE, a linted file) is read only when it is a regular file, checked
//!   on the opened descriptor (a FIFO or a device neither blocks nor streams
//!   forever), and never past a size cap.
//! * `root`: a jail's root, opened once; every path inside it is resolved
//!   component by component from that descriptor (`openat` with
//!   `O_NOFOLLOW`), each symlink followed *inside* the root as chroot(2)
//!   would, so neither a hostile link nor a process racing apply can lead a
//!   read or a write outside it.
//! * `atomic`: a file written whole or not at all: a temporary file with a
//!   random name created with `O_EXCL|O_NOFOLLOW` in the destination
//!   directory's descriptor, then renamed over the destination.

pub(crate) mod atomic;
pub mod copy;
pub(crate) mod digest;
pub(crate) mod manifest;
pub(crate) mod read;
pub mod root;
mod temp;
