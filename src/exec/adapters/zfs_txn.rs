//! A run that reuses an older step of its chain, as a transaction on an
//! offline root's dataset: rolling `DS` back to that step would destroy the
//! later snapshots and the state a failure must restore. Instead the step's
//! snapshot is cloned (`DS-jwtxn`) and mounted in the dataset's place
//! (`DS` unmounted, untouched). Success: the clone is promoted (it takes
//! the snapshots up to the step), `DS` renamed aside (`DS-jwold`), the
//! clone renamed to `DS` and the old one destroyed with its stale tail.
//! Failure: the clone is destroyed and `DS` mounted again, byte for byte
//! as the run found it, its chain intact. A run killed halfway leaves
//! names that say how far it got; `recover` finishes or undoes it.

use crate::exec::chain::is_apply_snapshot;
use crate::exec::ports::WouldDestroy;
use std::io;

pub const TXN_SUFFIX: &str = "-jwtxn";
pub const OLD_SUFFIX: &str = "-jwold";
/// On the clone: the dataset's mountpoint and its source (`local` or not).
const TXN_PROPERTY: &str = "jailwright:txn";

type Zfs<'a> = &'a dyn Fn(&[&str]) -> io::Result<String>;

pub fn clone_of(dataset: &str) -> String {
    format!("{dataset}{TXN_SUFFIX}")
}

fn old_of(dataset: &str) -> String {
    format!("{dataset}{OLD_SUFFIX}")
}

fn exists(zfs: Zfs, name: &str) -> bool {
    zfs(&["list", "-H", "-o", "name", name]).is_ok()
}

/// Whether `clone` and `old`, the clone and the renamed original of
/// `dataset`, exist, asked in one listing of its parent's children (each
/// zfs command costs a round trip to the daemon); a dataset without a
/// parent is asked twice.
fn leftovers(zfs: Zfs, dataset: &str, clone: &str, old: &str) -> (bool, bool) {
    let listed = dataset.rsplit_once('/').and_then(|(parent, _)| {
        zfs(&[
            "list",
            "-H",
            "-o",
            "name",
            "-d",
            "1",
            "-t",
            "filesystem",
            parent,
        ])
        .ok()
    });
    match listed {
        Some(names) => (
            names.lines().any(|n| n == clone),
            names.lines().any(|n| n == old),
        ),
        None => (exists(zfs, clone), exists(zfs, old)),
    }
}

fn get(zfs: Zfs, property: &str, name: &str) -> io::Result<String> {
    Ok(zfs(&["get", "-H", "-o", "value", property, name])?
        .trim()
        .to_string())
}

/// Runs a zfs command again while it says the dataset is busy: the last
/// users of a root a step just left let go of it a moment later (zfs-fuse
/// does so asynchronously), for at most five seconds.
fn patiently(zfs: Zfs, args: &[&str]) -> io::Result<String> {
    let mut tries = 0;
    loop {
        match zfs(args) {
            Err(e) if tries < 25 && e.to_string().contains("busy") => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

fn unmount(zfs: Zfs, name: &str) -> io::Result<()> {
    if get(zfs, "mounted", name)? != "yes" {
        return Ok(());
    }
    patiently(zfs, &["umount", name]).map(drop)
}

fn mount(zfs: Zfs, name: &str) -> io::Result<()> {
    if get(zfs, "mounted", name)? == "yes" {
        return Ok(());
    }
    zfs(&["mount", name]).map(drop)
}

/// The snapshots of `name` itself that jailwright did not take, oldest
/// first.
fn foreign(zfs: Zfs, name: &str) -> io::Result<Vec<String>> {
    Ok(super::zfs_list::snapshots_of(zfs, name)?
        .into_iter()
        .filter(|s| !is_apply_snapshot(s))
        .map(|s| s.name)
        .collect())
}

fn would_destroy(names: Vec<String>) -> io::Error {
    io::Error::other(WouldDestroy { names })
}

/// Mounts a clone of `dataset@snapshot` where `dataset` was.
pub fn begin(zfs: Zfs, dataset: &str, snapshot: &str) -> io::Result<()> {
    let clone = clone_of(dataset);
    let mountpoint = get(zfs, "mountpoint", dataset)?;
    let source = zfs(&["get", "-H", "-o", "source", "mountpoint", dataset])?
        .trim()
        .to_string();
    let note = format!("{TXN_PROPERTY}={mountpoint}\t{source}");
    zfs(&[
        "clone",
        "-o",
        "mountpoint=none",
        "-o",
        &note,
        &format!("{dataset}@{snapshot}"),
        &clone,
    ])?;
    let swapped = unmount(zfs, dataset)
        .and_then(|_| zfs(&["set", &format!("mountpoint={mountpoint}"), &clone]))
        .and_then(|_| mount(zfs, &clone));
    if let Err(e) = swapped {
        let _ = abort(zfs, dataset);
        return Err(e);
    }
    Ok(())
}

/// Makes the clone the dataset and destroys the old one (or puts it away:
/// what was done then).
pub fn commit(zfs: Zfs, dataset: &str) -> io::Result<Option<String>> {
    let clone = clone_of(dataset);
    patiently(zfs, &["promote", &clone])?;
    finish(zfs, dataset)
}

/// After the promotion: the names swapped, the old dataset destroyed (or
/// put away: what was done then).
fn finish(zfs: Zfs, dataset: &str) -> io::Result<Option<String>> {
    let (clone, old) = (clone_of(dataset), old_of(dataset));
    if exists(zfs, dataset) && exists(zfs, &clone) {
        patiently(zfs, &["rename", dataset, &old])?;
    }
    if exists(zfs, &clone) {
        let note = get(zfs, TXN_PROPERTY, &clone)?;
        // zfs-fuse cannot rename a mounted dataset.
        unmount(zfs, &clone)?;
        patiently(zfs, &["rename", &clone, dataset])?;
        if !note.ends_with("\tlocal") {
            zfs(&["inherit", "mountpoint", dataset])?;
        }
        zfs(&["inherit", TXN_PROPERTY, dataset])?;
    }
    mount(zfs, dataset)?;
    if exists(zfs, &old) {
        return put_old_away(zfs, dataset);
    }
    Ok(None)
}

/// Destroys `DS-jwold` with its stale tail, unless it holds snapshots
/// jailwright did not take (taken during the run, e.g. a recursive one of
/// the pool): then only jailwright's are destroyed and the dataset is kept
/// as `DS-before-SNAPSHOT`, unmounted (what it did).
fn put_old_away(zfs: Zfs, dataset: &str) -> io::Result<Option<String>> {
    let old = old_of(dataset);
    let kept = foreign(zfs, &old)?;
    let Some(first) = kept.first() else {
        patiently(zfs, &["destroy", "-r", &old])?;
        return Ok(None);
    };
    let all = zfs(&[
        "list", "-H", "-t", "snapshot", "-d", "1", "-o", "name", &old,
    ])?;
    for full in all.lines() {
        if full
            .split_once('@')
            .is_some_and(|(_, s)| !kept.iter().any(|k| k == s))
        {
            zfs(&["destroy", full])?;
        }
    }
    let aside = format!("{dataset}-before-{first}");
    zfs(&["set", "mountpoint=none", &old])?;
    zfs(&["rename", &old, &aside])?;
    Ok(Some(format!(
        "the dataset as the run found it holds snapshots jailwright did not take ({}): kept as {aside} (not mounted)",
        kept.iter()
            .map(|k| format!("@{k}"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Destroys the clone and mounts the dataset again.
pub fn abort(zfs: Zfs, dataset: &str) -> io::Result<()> {
    let clone = clone_of(dataset);
    if exists(zfs, &clone) {
        // Another's snapshot of the clone: left, with the clone, as it is.
        let kept = foreign(zfs, &clone)?;
        if !kept.is_empty() {
            return Err(would_destroy(kept));
        }
        unmount(zfs, &clone)?;
        patiently(zfs, &["destroy", "-r", &clone])?;
    }
    mount(zfs, dataset)
}

/// A transaction a killed run left: undone when the clone was not yet
/// promoted (the dataset is as that run found it), finished otherwise.
pub fn recover(zfs: Zfs, dataset: &str) -> io::Result<Option<String>> {
    let (clone, old) = (clone_of(dataset), old_of(dataset));
    let (has_clone, has_old) = leftovers(zfs, dataset, &clone, &old);
    if has_clone {
        let origin = get(zfs, "origin", &clone)?;
        if origin.starts_with(&format!("{dataset}@")) {
            abort(zfs, dataset)?;
            return Ok(Some(format!(
                "undid a previous run's transaction, killed or kept with --keep-failed ({clone} destroyed, {dataset} as that run found it)"
            )));
        }
        let note = finish(zfs, dataset)?;
        return Ok(Some(format!(
            "finished the transaction of a killed run ({clone} became {dataset}){}",
            note.map(|n| format!("; {n}")).unwrap_or_default()
        )));
    }
    if has_old {
        let note = finish(zfs, dataset)?;
        return Ok(Some(format!(
            "finished the transaction of a killed run ({})",
            note.unwrap_or_else(|| format!("{old} destroyed"))
        )));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// A zfs that knows `datasets` and logs what it was asked.
    fn fake<'a>(
        datasets: &'a [&'a str],
        asked: &'a RefCell<Vec<String>>,
    ) -> impl Fn(&[&str]) -> io::Result<String> + 'a {
        move |args: &[&str]| {
            asked.borrow_mut().push(args.join(" "));
            let name = args.last().copied().unwrap_or_default();
            let found: Vec<&str> = if args.contains(&"-d") {
                datasets
                    .iter()
                    .copied()
                    .filter(|d| *d == name || d.rsplit_once('/').is_some_and(|(p, _)| p == name))
                    .collect()
            } else {
                datasets.iter().copied().filter(|d| *d == name).collect()
            };
            if found.is_empty() {
                return Err(io::Error::other(format!("{name}: dataset does not exist")));
            }
            Ok(found.join("\n") + "\n")
        }
    }

    #[test]
    fn nothing_left_to_recover_is_one_question_to_zfs() {
        let asked = RefCell::new(Vec::new());
        let zfs = fake(&["tank", "tank/jails", "tank/jails/www"], &asked);
        assert_eq!(recover(&zfs, "tank/jails/www").unwrap(), None);
        assert_eq!(
            *asked.borrow(),
            ["list -H -o name -d 1 -t filesystem tank/jails"]
        );
    }

    #[test]
    fn a_leftover_clone_or_original_is_seen_in_the_parents_listing() {
        let asked = RefCell::new(Vec::new());
        let zfs = fake(
            &["tank", "tank/www", "tank/www-jwtxn", "tank/www-jwold"],
            &asked,
        );
        assert_eq!(
            leftovers(&zfs, "tank/www", "tank/www-jwtxn", "tank/www-jwold"),
            (true, true)
        );
        let zfs = fake(&["tank", "tank/www", "tank/www-jwold"], &asked);
        assert_eq!(
            leftovers(&zfs, "tank/www", "tank/www-jwtxn", "tank/www-jwold"),
            (false, true)
        );
        // A pool's own dataset has no parent: asked by name.
        let zfs = fake(&["tank"], &asked);
        assert_eq!(
            leftovers(&zfs, "tank", "tank-jwtxn", "tank-jwold"),
            (false, false)
        );
    }
}
