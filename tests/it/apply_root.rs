//! apply to a plain directory (no ZFS) through chroot: the run works, says
//! it cannot roll back, and `--format json` prints one event per line.
//! Needs root and busybox-static (`.ci/zfs-fuse-up` installs it); without
//! them it fails, saying why.

use crate::common;

use crate::common::Test;

/// A Bastillefile holding `text` beside a fresh busybox root: the Test
/// (keep it: it holds the directory) and the root.
fn with_root(text: &str) -> (Test, std::path::PathBuf) {
    let t = Test::new().file("Bastillefile", text);
    let root = t.path().join("root");
    common::busybox_root(&root, &[]);
    (t, root)
}

/// `apply Bastillefile --root ROOT --format json EXTRA...` of a Bastillefile
/// holding `text`, on a fresh busybox root: the output, the Test (keep it:
/// it holds the directory) and the root.
fn apply_json(text: &str, extra: &[&str]) -> (common::Output, Test, std::path::PathBuf) {
    let (t, root) = with_root(text);
    let root_arg = root.to_str().unwrap().to_string();
    let mut args = vec![
        "apply",
        "Bastillefile",
        "--root",
        &root_arg,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let t = t.args(&args);
    let out = t.run();
    (out, t, root)
}

/// The last line of `apply --format json`: its result.
fn result_of(out: &common::Output) -> serde_json::Value {
    serde_json::from_str(out.stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("no result line ({e}):\n{}{}", out.stdout, out.stderr))
}

#[test]
fn apply_without_zfs_says_it_cannot_roll_back_and_streams_json_events() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let (out, _t, root) = apply_json(
        "CMD echo one; echo two\nCMD echo made > /made\nSYSRC sshd_enable=YES\n",
        &[],
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("no snapshots: a failed step cannot be rolled back"),
        "{}",
        out.stderr
    );
    let events: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "started", "output", "output", "finished", "started", "finished", "started",
            "finished", "result"
        ]
    );
    assert_eq!(events[1]["line"], "one");
    assert_eq!(events[0]["of"], 3);
    assert_eq!(events[0]["file"], "Bastillefile");
    assert_eq!(events[4]["line"], 2);
    // The last line says what became of every step (Ansible's module reads it).
    let result = &events[8];
    assert_eq!(result["ok"], true);
    assert_eq!(result["changed"], true);
    assert_eq!(result["steps_run"], 3);
    assert_eq!(result["steps_reused"], 0);
    assert_eq!(result["snapshots"], false);
    let statuses: Vec<&str> = result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ran", "ran", "ran"]);
    assert_eq!(result["steps"][2]["instruction"], "SYSRC");
    assert_eq!(result["steps"][2]["line"], 3);
    assert_eq!(
        std::fs::read_to_string(root.join("made")).unwrap(),
        "made\n"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("etc/rc.conf")).unwrap(),
        "sshd_enable=\"YES\"\n"
    );
}

#[test]
fn a_failing_step_without_zfs_reports_its_command_status_and_output() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let (t, root) = with_root("CMD echo partial > /p\nCMD echo oops; exit 7\n");
    let t = t.args(&["apply", "Bastillefile", "--root", root.to_str().unwrap()]);
    let out = t.run();
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("step 2 (CMD) failed")
            && out.stderr.contains("exited with 7")
            && out.stderr.contains("oops"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("nothing was rolled back (no snapshots)"),
        "{}",
        out.stderr
    );
    assert!(
        root.join("p").exists(),
        "step 1's work stays: nothing claims otherwise"
    );
    let (on, root) = with_root("CMD true\n");
    let out = on
        .args(&[
            "apply",
            "Bastillefile",
            "--root",
            root.to_str().unwrap(),
            "--snapshots",
            "on",
        ])
        .run();
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not a ZFS dataset"), "{}", out.stderr);
}

#[test]
fn apply_json_ends_with_a_result_naming_the_failed_step() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let (out, _t, _root) = apply_json(
        "CMD echo partial > /p\nCMD echo oops; exit 7\nCMD touch /never\n",
        &[],
    );
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let result = result_of(&out);
    assert_eq!(result["event"], "result");
    assert_eq!(result["ok"], false);
    // Step 1's work stands (no snapshots to roll back to): a change.
    assert_eq!(result["changed"], true);
    assert_eq!(result["steps_run"], 2);
    let failed = &result["failed"];
    assert_eq!(failed["step"], 2);
    assert_eq!(failed["exit_status"], 7);
    assert_eq!(failed["tail"], "oops");
    assert!(
        failed["command"].as_str().unwrap().contains("exit 7"),
        "{failed}"
    );
    assert!(
        failed["rollback"]
            .as_str()
            .unwrap()
            .contains("nothing was rolled back"),
        "{failed}"
    );
    let statuses: Vec<&str> = result["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ran", "failed", "not_run"]);
}

#[test]
fn apply_dry_run_runs_nothing_and_says_what_would_run() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let (t, root) = with_root("CMD echo made > /made\nSYSRC sshd_enable=YES\n");
    let before = listing(&root);
    let t = t.args(&[
        "apply",
        "Bastillefile",
        "--root",
        root.to_str().unwrap(),
        "--dry-run",
        "--format",
        "json",
    ]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(listing(&root), before, "a dry run changed the root");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the result: {}", out.stdout);
    let result: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(result["dry_run"], true);
    assert_eq!(result["changed"], true);
    assert_eq!(result["steps_run"], 2);
    assert_eq!(result["steps"][0]["status"], "would_run");
    assert_eq!(result["steps"][1]["status"], "would_run");
    let text = Test::new()
        .file("Bastillefile", "CMD echo made > /made\n")
        .args(&[
            "apply",
            "Bastillefile",
            "--root",
            root.to_str().unwrap(),
            "--dry-run",
        ])
        .run();
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout.contains("would run [1/1] CMD (Bastillefile:1)"),
        "{}",
        text.stdout
    );
    assert_eq!(listing(&root), before, "a dry run changed the root");
}

/// Every path under `root` with its time and size.
fn listing(root: &std::path::Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let meta = entry.path().symlink_metadata().unwrap();
            let content = if meta.is_file() {
                std::fs::read(entry.path()).unwrap()
            } else {
                Vec::new()
            };
            format!(
                "{} {:?} {} {:?}",
                entry.path().display(),
                meta.modified().unwrap(),
                meta.len(),
                content.len()
            )
        })
        .collect();
    all.sort();
    all
}

/// Regression (review of the collection): a step killed by a signal was
/// reported as "exited with -1", its signal lost.
#[test]
fn a_step_killed_by_a_signal_names_the_signal_not_exit_status_minus_one() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let (out, _t, _root) = apply_json("CMD echo dying; kill -9 $$\n", &[]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let result = result_of(&out);
    let failed = &result["failed"];
    assert_eq!(failed["signal"], 9, "{failed}");
    assert_eq!(failed["exit_status"], 137, "{failed}");
    assert!(
        failed["error"]
            .as_str()
            .unwrap()
            .ends_with("was killed by signal 9 (SIGKILL)"),
        "{failed}"
    );
    assert!(!out.stderr.contains("-1"), "{}", out.stderr);
}
