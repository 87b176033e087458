//! apply to a plain directory (no ZFS) through chroot: the run works, says
//! it cannot roll back, and `--format json` prints one event per line.
//! Needs root and busybox-static (`.ci/zfs-fuse-up` installs it); without
//! them it fails, saying why.

mod common;

use common::Test;

#[test]
fn apply_without_zfs_says_it_cannot_roll_back_and_streams_json_events() {
    if common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let t = Test::new().file(
        "Bastillefile",
        "CMD echo one; echo two\nCMD echo made > /made\nSYSRC sshd_enable=YES\n",
    );
    let root = t.path().join("root");
    common::busybox_root(&root, &[]);
    // Keep the Test (and its directory) alive past the run.
    let t = t.args(&[
        "apply",
        "Bastillefile",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let out = t.run();
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
            "started", "output", "output", "finished", "started", "finished", "started", "finished"
        ]
    );
    assert_eq!(events[1]["line"], "one");
    assert_eq!(events[0]["of"], 3);
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
    let t = Test::new().file(
        "Bastillefile",
        "CMD echo partial > /p\nCMD echo oops; exit 7\n",
    );
    let root = t.path().join("root");
    common::busybox_root(&root, &[]);
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
    let on = Test::new().file("Bastillefile", "CMD true\n");
    let root = on.path().join("root");
    common::busybox_root(&root, &[]);
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
