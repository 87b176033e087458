//! A dataset's snapshots as the `zfs` command lists them, with the
//! properties jailwright keeps on its own (used by the snapshot store and
//! by its transactions).

use crate::exec::ports::Snapshot;
use std::io;

pub const KEY_PROPERTY: &str = "jailwright:key";
pub const TEMPLATE_PROPERTY: &str = "jailwright:template";
pub const STATE_PROPERTY: &str = "jailwright:state";

/// Every snapshot of `dataset` itself (any tool's), oldest first, with
/// jailwright's properties, through `run` (the `zfs` command).
pub(super) fn snapshots_of(
    run: &dyn Fn(&[&str]) -> io::Result<String>,
    dataset: &str,
) -> io::Result<Vec<Snapshot>> {
    // Creation order: the transaction group each was taken in.
    let out = run(&[
        "list",
        "-H",
        "-t",
        "snapshot",
        "-d",
        "1",
        "-s",
        "createtxg",
        "-o",
        &format!("name,{KEY_PROPERTY},{TEMPLATE_PROPERTY},{STATE_PROPERTY}"),
        dataset,
    ])?;
    Ok(out
        .lines()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            let full = fields.next()?;
            let mut value = || {
                let v = fields.next().unwrap_or("-");
                if v == "-" { "" } else { v }.to_string()
            };
            let (key, template, state) = (value(), value(), value());
            let (of, name) = full.split_once('@')?;
            (of == dataset).then(|| Snapshot {
                name: name.to_string(),
                key,
                template,
                state,
            })
        })
        .collect())
}
