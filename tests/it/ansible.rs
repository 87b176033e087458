//! The Ansible collection (`ansible/ansible_collections/jailwright/jailwright`)
//! driven by real `ansible-playbook` against localhost (`connection: local`),
//! applying templates with the real binary to busybox roots on a zfs-fuse
//! pool. The playbooks in `ansible/tests/` assert what each module returns;
//! these tests run them and check what they left on disk.
//!
//! `ansible-playbook` comes from `$JAILWRIGHT_ANSIBLE_BIN` (a directory),
//! else `target/ansible-venv/bin` (`.ci/test` makes it from
//! `ansible/requirements.txt`), else PATH. Each run's PLAY RECAP is printed
//! and appended to `target/ansible-recaps.log` (CI prints it).

use crate::common;

use crate::common::zfs_pool;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use zfs_pool::Pool;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding `ansible-playbook` and `ansible-lint`.
fn ansible_bin() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("JAILWRIGHT_ANSIBLE_BIN").map(PathBuf::from),
        Some(repo().join("target/ansible-venv/bin")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("ansible-playbook").is_file())
        .or_else(|| {
            let out = Command::new("sh")
                .args(["-c", "command -v ansible-playbook"])
                .output()
                .ok()?;
            let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
            path.parent()
                .filter(|_| out.status.success())
                .map(Path::to_path_buf)
        })
}

fn ansible_ready() -> Result<(), String> {
    match ansible_bin() {
        Some(_) => Ok(()),
        None => Err(
            "needs ansible-playbook (`.ci/test` installs ansible/requirements.txt into target/ansible-venv as root)"
                .into(),
        ),
    }
}

/// Root, zfs-fuse and Ansible; says why it must skip otherwise.
fn lacks_any(zfs: bool) -> bool {
    let ready = ansible_ready().and_then(|()| {
        if zfs {
            common::skip::zfs_ready()
        } else {
            Ok(())
        }
    });
    common::skip::lacks(&ready)
}

struct Run {
    code: i32,
    stdout: String,
    recap: String,
}

/// `ansible-playbook ARGS` with the collection on its path and every
/// setting of its own in `work`; prints and logs the recap.
fn playbook(name: &str, work: &Path, args: &[&str]) -> Run {
    let bin = ansible_bin().expect("ansible_ready was checked");
    let home = work.join("ansible-home");
    std::fs::create_dir_all(&home).unwrap();
    let out = Command::new(bin.join("ansible-playbook"))
        .args(args)
        .current_dir(work)
        .env("ANSIBLE_COLLECTIONS_PATH", repo().join("ansible"))
        .env("ANSIBLE_HOME", &home)
        .env("ANSIBLE_LOCAL_TEMP", home.join("tmp"))
        .env("ANSIBLE_REMOTE_TEMP", home.join("remote-tmp"))
        .env("ANSIBLE_CONFIG", work.join("no-ansible.cfg"))
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_RETRY_FILES_ENABLED", "0")
        .env("ANSIBLE_DEPRECATION_WARNINGS", "0")
        .env("ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "0")
        .env("PATH", path_with(&bin))
        .output()
        .expect("ansible-playbook runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let recap = stdout
        .find("PLAY RECAP")
        .map(|at| stdout[at..].trim_end().to_string())
        .unwrap_or_default();
    let code = out.status.code().unwrap_or(-1);
    let summary = format!("== {name} (exit {code})\n{recap}\n");
    let _ = std::io::stderr().write_all(summary.as_bytes());
    let log = repo().join("target/ansible-recaps.log");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
    {
        let _ = file.write_all(summary.as_bytes());
    }
    if recap.is_empty() {
        panic!(
            "{name}: ansible-playbook printed no recap (exit {code})\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Run {
        code,
        stdout,
        recap,
    }
}

/// PATH with `bin` first (ansible's own tools) and the binary's directory.
fn path_with(bin: &Path) -> std::ffi::OsString {
    let jw = Path::new(env!("CARGO_BIN_EXE_jailwright"))
        .parent()
        .unwrap();
    let mut dirs = vec![bin.to_path_buf(), jw.to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// One host's counts from the recap: `ok`, `changed`, `failed`, ...
fn counts(run: &Run, host: &str) -> std::collections::BTreeMap<String, u32> {
    let line = run
        .recap
        .lines()
        .find(|l| l.split_whitespace().next() == Some(host))
        .unwrap_or_else(|| panic!("no recap line for {host}:\n{}", run.recap));
    line.split_whitespace()
        .filter_map(|word| {
            let (name, n) = word.split_once('=')?;
            Some((name.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn assert_passed(name: &str, run: &Run) {
    assert_eq!(run.code, 0, "{name} failed:\n{}", run.stdout);
}

/// An inventory of one host, `jailhost`, run locally by this Python.
fn one_host(work: &Path) -> PathBuf {
    let inventory = work.join("inventory.yml");
    std::fs::write(
        &inventory,
        "all:\n  hosts:\n    jailhost:\n      ansible_connection: local\n      ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n",
    )
    .unwrap();
    inventory
}

fn extra_vars(work: &Path, vars: serde_json::Value) -> String {
    let file = work.join("vars.json");
    let mut vars = vars;
    vars["jw"] = env!("CARGO_BIN_EXE_jailwright").into();
    vars["work"] = work.to_str().unwrap().into();
    vars["templates"] = repo()
        .join("ansible/tests/templates")
        .to_str()
        .unwrap()
        .into();
    std::fs::write(&file, vars.to_string()).unwrap();
    format!("@{}", file.display())
}

/// A playbook of `ansible/tests/` against one busybox root on a pool.
fn on_a_root(name: &str) -> (Run, Pool) {
    let work = tempfile::tempdir().unwrap();
    on_a_root_with(name, &work, serde_json::json!({}))
}

/// `on_a_root`, in `work`, with more extra vars.
fn on_a_root_with(name: &str, work: &tempfile::TempDir, more: serde_json::Value) -> (Run, Pool) {
    let pool = Pool::new("jwans", 256 << 20);
    let inventory = one_host(work.path());
    let mut all = serde_json::json!({"root": pool.root, "dataset": pool.dataset()});
    for (name, value) in more.as_object().unwrap() {
        all[name] = value.clone();
    }
    let vars = extra_vars(work.path(), all);
    let book = repo().join("ansible/tests").join(name);
    let run = playbook(
        name,
        work.path(),
        &[
            "-i",
            inventory.to_str().unwrap(),
            "-e",
            &vars,
            book.to_str().unwrap(),
        ],
    );
    (run, pool)
}

#[test]
fn ansible_apply_is_changed_then_ok_and_its_args_reach_the_template() {
    if lacks_any(true) {
        return;
    }
    let (run, pool) = on_a_root("apply.yml");
    assert_passed("apply.yml", &run);
    let host = counts(&run, "jailhost");
    assert_eq!((host["changed"], host["failed"]), (2, 0), "{}", run.recap);
    assert_eq!(
        std::fs::read_to_string(pool.root.join("greeting")).unwrap(),
        "second value, 2/3\n"
    );
}

#[test]
fn ansible_check_mode_reports_changed_and_changes_nothing() {
    if lacks_any(true) {
        return;
    }
    let (run, pool) = on_a_root("check.yml");
    assert_passed("check.yml", &run);
    let host = counts(&run, "jailhost");
    // The real run, then the two check-mode runs that would run steps.
    assert_eq!((host["changed"], host["failed"]), (3, 0), "{}", run.recap);
    assert!(!pool.root.join("half-done").exists());
    assert_eq!(
        std::fs::read_to_string(pool.root.join("greeting")).unwrap(),
        "one\n"
    );
}

#[test]
fn ansible_failing_template_fails_the_task_with_the_step_and_leaves_the_root() {
    if lacks_any(true) {
        return;
    }
    let (run, pool) = on_a_root("failing.yml");
    assert_passed("failing.yml", &run);
    let host = counts(&run, "jailhost");
    assert_eq!((host["rescued"], host["failed"]), (1, 0), "{}", run.recap);
    assert!(!pool.root.join("half-done").exists());
    assert!(!pool.root.join("never").exists());
    assert!(pool.root.join("greeting").exists());
}

/// Regression (review of the collection): `src` was copied with the
/// builtin copy, which never deletes, so a file deleted from the template
/// on the controller stayed in the copy and CP put it back into the jail;
/// `src: ""` copied the playbook's whole directory to the managed host;
/// a link in the template was followed on the controller (its target, any
/// file of the controller's, copied to the host and into the jail).
#[test]
fn ansible_src_copy_is_exact_and_bad_input_fails_before_anything_runs() {
    if lacks_any(true) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let controller = work.path().join("controller");
    copy_tree(
        &repo().join("ansible/tests/templates/files"),
        &controller.join("files"),
    );
    // A hostile template's link to a secret of the controller's.
    let secret = work.path().join("controller-secret");
    std::fs::write(&secret, "the controller's secret\n").unwrap();
    std::os::unix::fs::symlink(&secret, controller.join("files/etc/secret.conf")).unwrap();
    let (run, pool) = on_a_root_with(
        "src.yml",
        &work,
        serde_json::json!({"controller": controller}),
    );
    assert_passed("src.yml", &run);
    let host = counts(&run, "jailhost");
    assert_eq!((host["rescued"], host["failed"]), (3, 0), "{}", run.recap);
    assert!(pool.root.join("etc/keep.conf").exists());
    assert!(!pool.root.join("etc/removed.conf").exists());
    // The link was copied as a link, never followed on the controller.
    let landed = pool.root.join("etc/secret.conf");
    let secret_reached = std::fs::symlink_metadata(&landed)
        .is_ok_and(|m| !m.file_type().is_symlink())
        || walkdir::WalkDir::new(work.path().join("cache"))
            .into_iter()
            .filter_map(Result::ok)
            .any(|e| e.file_type().is_file() && e.file_name() == "secret.conf");
    assert!(!secret_reached, "the controller's secret was copied");
    // Nothing but the template's copies in the cache (no playbook directory).
    let cached: Vec<String> = std::fs::read_dir(work.path().join("cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].starts_with("files-"), "{cached:?}");
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

#[test]
fn ansible_lint_fails_the_task_on_a_known_finding() {
    if lacks_any(false) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let vars = extra_vars(work.path(), serde_json::json!({}));
    let book = repo().join("ansible/tests/lint.yml");
    let run = playbook(
        "lint.yml",
        work.path(),
        &[
            "-i",
            "localhost,",
            "-c",
            "local",
            "-e",
            "ansible_python_interpreter={{ ansible_playbook_python }}",
            "-e",
            &vars,
            book.to_str().unwrap(),
        ],
    );
    assert_passed("lint.yml", &run);
    let host = counts(&run, "localhost");
    assert_eq!((host["rescued"], host["failed"]), (1, 0), "{}", run.recap);
}

/// The collection's fleet playbook over three hosts (aliases of localhost,
/// each with its own root and dataset): the middle one's template fails, so
/// the rollout stops there and the third host is never applied.
#[test]
fn ansible_fleet_rollout_stops_at_the_failed_host() {
    if lacks_any(true) {
        return;
    }
    let pool = Pool::new("jwans", 512 << 20);
    let (_, second) = pool.add_root("second");
    let (_, third) = pool.add_root("third");
    let work = tempfile::tempdir().unwrap();
    let run = fleet(
        "fleet.yml, the middle host failing",
        &work,
        "on",
        &[
            ("first", &pool.root, "greet"),
            ("second", &second, "fails"),
            ("third", &third, "greet"),
        ],
    );
    assert_eq!(
        run.code, 2,
        "the failed host fails the run:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("NO MORE HOSTS LEFT"),
        "the rollout goes on after the failure:\n{}",
        run.stdout
    );
    let (first_host, second_host, third_host) = (
        counts(&run, "first"),
        counts(&run, "second"),
        counts(&run, "third"),
    );
    assert_eq!(counts(&run, "localhost")["failed"], 0, "{}", run.recap);
    assert_eq!(first_host["failed"], 0, "{}", run.recap);
    assert_eq!(second_host["failed"], 1, "{}", run.recap);
    assert_eq!(third_host["failed"], 0, "{}", run.recap);
    // Previewed in check mode (changed: it would run), never applied.
    assert_eq!(third_host["changed"], 1, "{}", run.recap);
    assert_eq!(
        std::fs::read_to_string(pool.root.join("greeting")).unwrap(),
        "fleet\n"
    );
    assert!(!second.join("half-done").exists());
    assert!(!third.join("greeting").exists());
}

/// The collection's fleet playbook over `hosts` (name, root, template of
/// `ansible/tests/templates`), aliases of localhost.
fn fleet(
    name: &str,
    work: &tempfile::TempDir,
    snapshots: &str,
    hosts: &[(&str, &Path, &str)],
) -> Run {
    let templates = repo().join("ansible/tests/templates");
    let host = |(name, root, template): &(&str, &Path, &str)| {
        format!(
            "        {name}:\n          jailwright_root: {root:?}\n          jailwright_src: {:?}\n",
            templates.join(template)
        )
    };
    let inventory = work.path().join("inventory.yml");
    std::fs::write(
        &inventory,
        format!(
            "all:\n  vars:\n    ansible_connection: local\n    ansible_python_interpreter: \"{{{{ ansible_playbook_python }}}}\"\n  children:\n    jail_hosts:\n      vars:\n        jailwright_snapshots: \"{snapshots}\"\n        jailwright_executable: {jw:?}\n        jailwright_src_cache: {cache:?}\n        jailwright_args:\n          GREETING: fleet\n      hosts:\n{}",
            hosts.iter().map(host).collect::<String>(),
            jw = env!("CARGO_BIN_EXE_jailwright"),
            cache = work.path().join("cache"),
        ),
    )
    .unwrap();
    let vars = extra_vars(
        work.path(),
        serde_json::json!({
            "jailwright_lint_paths": [templates.join("greet"), templates.join("fails")],
            "jailwright_controller_executable": env!("CARGO_BIN_EXE_jailwright"),
        }),
    );
    playbook(
        name,
        work.path(),
        &[
            "-i",
            inventory.to_str().unwrap(),
            "-e",
            &vars,
            "jailwright.jailwright.fleet",
        ],
    )
}

/// Regression (review of the collection): a host that failed its
/// check-mode preview was dropped and the rollout went on with the others.
#[test]
fn ansible_fleet_preview_failure_stops_before_any_apply() {
    if lacks_any(false) || common::skip::lacks(&common::skip::root_ready()) {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let good = work.path().join("good");
    common::busybox_root(&good, &[]);
    let missing = work.path().join("missing");
    let run = fleet(
        "fleet.yml, a host failing its preview",
        &work,
        "auto",
        &[("good", &good, "greet"), ("broken", &missing, "greet")],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(counts(&run, "broken")["failed"], 1, "{}", run.recap);
    assert!(
        !good.join("greeting").exists(),
        "the rollout went on after a failed preview:\n{}",
        run.stdout
    );
}

/// `ansible-lint` (pinned beside ansible-core) passes the collection and
/// the examples README shows.
#[test]
fn ansible_lint_passes_the_collection_and_the_examples() {
    if lacks_any(false) {
        return;
    }
    let bin = ansible_bin().unwrap();
    if !bin.join("ansible-lint").is_file() {
        let why = Err(format!("no ansible-lint in {}", bin.display()));
        if common::skip::lacks(&why) {
            return;
        }
    }
    let work = tempfile::tempdir().unwrap();
    let out = Command::new(bin.join("ansible-lint"))
        .args(["--offline", "--nocolor", "-p"])
        .args([
            "ansible_collections/jailwright/jailwright/playbooks",
            "ansible_collections/jailwright/jailwright/roles",
            "examples",
            "tests",
        ])
        .current_dir(repo().join("ansible"))
        .env("ANSIBLE_COLLECTIONS_PATH", repo().join("ansible"))
        .env("ANSIBLE_HOME", work.path())
        .env("XDG_CACHE_HOME", work.path().join("cache"))
        .env("PATH", path_with(&bin))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ansible-lint:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every module's DOCUMENTATION, EXAMPLES and RETURN read as Ansible reads
/// them (a YAML slip there breaks `ansible-doc`, never a playbook run).
#[test]
fn ansible_doc_reads_every_module() {
    if lacks_any(false) {
        return;
    }
    let bin = ansible_bin().unwrap();
    let work = tempfile::tempdir().unwrap();
    for module in ["jailwright.jailwright.apply", "jailwright.jailwright.lint"] {
        let out = Command::new(bin.join("ansible-doc"))
            .args(["--json", module])
            .env("ANSIBLE_COLLECTIONS_PATH", repo().join("ansible"))
            .env("ANSIBLE_HOME", work.path())
            .env("ANSIBLE_CONFIG", work.path().join("no-ansible.cfg"))
            .env("PATH", path_with(&bin))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.trim().is_empty(),
            "{module}: {stderr}"
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let entry = &doc[module];
        for part in ["doc", "examples", "return"] {
            assert!(!entry[part].is_null(), "{module}: no {part}:\n{entry}");
        }
        // `choices` are the argument spec's strings, not YAML 1.1 booleans.
        if module.ends_with("apply") {
            assert_eq!(
                entry["doc"]["options"]["snapshots"]["choices"],
                serde_json::json!(["auto", "on", "off"])
            );
        }
    }
}
