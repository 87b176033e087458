//! The differential test: a manager's own shell code (`../shared/upstream`,
//! pinned) is run on a template with every FreeBSD command it calls
//! replaced by a stub that records its argv (`compat/differential/MANAGER/
//! run`), and what it ran is compared with `jailwright plan --jail J
//! --format json`, step by step, argv for argv.
//!
//! The only normalisations: the program jailwright found on PATH for a
//! manager step (`/…/bastille`) is compared by its name, and a copy is
//! compared as `cp -a[v] FROM ROOT/TO` with the jail's root path of the run.

pub mod appjail;
pub mod bastille;
pub mod log;
pub mod pot;

use log::Record;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The jail every template is applied to.
pub const JAIL: &str = "jwdiff";

/// How one step compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The same commands, argv for argv.
    Same,
    /// Not compared, and why (a class: the same for every such step).
    NotCompared(String),
    /// A difference: its class and the two sides.
    Differs { class: String, detail: String },
}

/// A step of the template, as compared.
#[derive(Debug, Clone)]
pub struct StepReport {
    pub line: usize,
    pub name: String,
    pub verdict: Verdict,
}

/// One template run through the manager and planned by jailwright.
#[derive(Debug, Clone)]
pub struct TemplateReport {
    pub path: String,
    /// The manager's exit status.
    pub status: i32,
    /// The manager's first error message, when it failed.
    pub error: Option<String>,
    pub steps: Vec<StepReport>,
}

/// Totals for a dialect.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub templates: usize,
    pub manager_ok: usize,
    pub steps: usize,
    pub same: usize,
    pub not_compared: BTreeMap<String, usize>,
    pub differs: BTreeMap<String, Vec<String>>,
    /// Why the manager failed, by message: the templates.
    pub failed: BTreeMap<String, Vec<String>>,
}

impl Summary {
    pub fn add(&mut self, report: &TemplateReport) {
        self.templates += 1;
        if report.status == 0 {
            self.manager_ok += 1;
        } else {
            let why = report
                .error
                .clone()
                .unwrap_or_else(|| format!("exit {}", report.status));
            self.failed
                .entry(why)
                .or_default()
                .push(report.path.clone());
        }
        for step in &report.steps {
            self.steps += 1;
            match &step.verdict {
                Verdict::Same => self.same += 1,
                Verdict::NotCompared(class) => {
                    *self.not_compared.entry(class.clone()).or_default() += 1
                }
                Verdict::Differs { class, detail } => {
                    self.differs.entry(class.clone()).or_default().push(format!(
                        "{}:{} {}: {detail}",
                        report.path, step.line, step.name
                    ))
                }
            }
        }
    }
}

/// Runs a manager over the corpus: (corpus, upstream, jailwright) -> reports.
pub type Runner = fn(&Path, &Path, &Path) -> Result<Vec<TemplateReport>, String>;

/// What can stop the differential test from running here.
pub fn missing_prerequisites() -> Vec<String> {
    let mut missing = Vec::new();
    if !nix_is_root() {
        missing.push("root (a private mount namespace per run)".to_string());
    }
    for tool in [
        "unshare",
        "original-awk",
        "dash",
        "bash",
        "timeout",
        "flock",
        "cc",
    ] {
        if !on_path(tool) {
            missing.push(format!("`{tool}` on PATH"));
        }
    }
    missing
}

fn nix_is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// The project's `compat/differential` directory.
pub fn runners() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("differential")
}

/// A scratch directory, removed on drop.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(tag: &str) -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "jw-diff-{tag}-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What the manager ran.
#[derive(Debug)]
pub struct ManagerRun {
    pub status: i32,
    pub records: Vec<Record>,
    pub output: String,
}

/// `timeout SECS MANAGER/run UPSTREAM TEMPLATE JAIL LOG ARGS...`, run in
/// `dir`.
fn runner(
    manager: &str,
    upstream: &Path,
    template: &Path,
    log: &Path,
    extra: &[String],
    dir: &Path,
) -> Command {
    let mut command = Command::new("timeout");
    command
        .arg("300")
        .arg(runners().join(manager).join("run"))
        .arg(upstream)
        .arg(template)
        .arg(JAIL)
        .arg(log)
        .args(extra)
        .current_dir(dir);
    command
}

/// The log and output of a run.
fn ran(out: std::process::Output, log_path: &Path) -> Result<ManagerRun, String> {
    let records = log::parse(&std::fs::read(log_path).unwrap_or_default())?;
    let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok(ManagerRun {
        status: out.status.code().unwrap_or(128),
        records,
        output,
    })
}

/// Runs `MANAGER/run UPSTREAM TEMPLATE JAIL LOG ARGS...`, 300 s at most.
pub fn run_manager(
    manager: &str,
    upstream: &Path,
    template: &Path,
    extra: &[String],
) -> Result<ManagerRun, String> {
    let scratch = Scratch::new(manager).map_err(|e| e.to_string())?;
    let log_path = scratch.0.join("log");
    let out = runner(manager, upstream, template, &log_path, extra, &scratch.0)
        .output()
        .map_err(|e| format!("{manager}/run: {e}"))?;
    ran(out, &log_path)
}

/// `jailwright plan --jail JAIL --format json TEMPLATE ARGS...`, run by
/// `jailwright` (the CLI itself: `jailwright-compat jailwright ...`) with
/// `path` as PATH, so it finds the stubbed `jls` and manager.
pub fn plan_json(
    jailwright: &Path,
    template: &Path,
    path: &Path,
    extra: &[String],
) -> Result<Value, String> {
    let out = Command::new(jailwright)
        .arg("jailwright")
        .args(["plan", "--jail", JAIL, "--format", "json"])
        .arg(template)
        .args(extra)
        .env("PATH", path)
        .env("JW_JAIL", JAIL)
        .env("JW_LOG", "/dev/null")
        .output()
        .map_err(|e| format!("jailwright plan: {e}"))?;
    serde_json::from_slice(&out.stdout).map_err(|e| {
        format!(
            "jailwright plan printed no plan ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// A step where one side stops: jailwright blocks it (which is the same as
/// the manager when the manager failed on it, its last call), or the
/// manager failed on it while jailwright runs it. The flag says nothing
/// runs after it. `None`: neither stops here; compare the commands.
pub fn stop_at(
    manager: &str,
    name: &str,
    step: &Value,
    call: &Record,
    status: i32,
    last: bool,
) -> Option<(Verdict, bool)> {
    let failed_here = status != 0 && last;
    let differs = |what: String, detail: String| Verdict::Differs {
        class: format!("{name}: {what}"),
        detail,
    };
    match step["blocked"].as_str() {
        Some(_) if failed_here => Some((Verdict::Same, true)),
        Some(why) => Some((
            differs(
                format!("jailwright blocks it, {manager} runs it"),
                format!("{why} / {manager} ran {}", show(&call.argv())),
            ),
            false,
        )),
        None if failed_here => Some((
            differs(
                format!("{manager} fails on it, jailwright runs it"),
                format!("{manager} exited {status} at {}", show(&call.argv())),
            ),
            true,
        )),
        None => None,
    }
}

/// The steps of a plan, as JSON objects.
pub fn planned_steps(plan: &Value) -> Vec<&Value> {
    plan["steps"]
        .as_array()
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

/// A planned step's `run` actions' argv and its copies, in order.
pub fn planned_actions(step: &Value) -> Vec<PlannedAction> {
    let Some(actions) = step["actions"].as_array() else {
        return Vec::new();
    };
    actions
        .iter()
        .map(|a| match a["action"].as_str() {
            Some("run") => PlannedAction::Run(strings(&a["argv"])),
            Some("copy") => PlannedAction::Copy {
                from: a["from"].as_str().unwrap_or_default().to_string(),
                to: a["to"].as_str().unwrap_or_default().to_string(),
            },
            other => PlannedAction::Native(other.unwrap_or("?").to_string()),
        })
        .collect()
}

/// One action of a planned step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlannedAction {
    Run(Vec<String>),
    Copy {
        from: String,
        to: String,
    },
    /// Done natively by jailwright (render, sysrc on a root, ...).
    Native(String),
}

pub fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// An argv as one shell-like line, for reports.
pub fn show(argv: &[String]) -> String {
    argv.iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The differential expectations of expected-failures.tsv: rows whose
/// first column is `differential/MANAGER`, with a class and its reason.
pub fn expected_differences(manager: &str) -> BTreeMap<String, String> {
    let key = format!("differential/{manager}");
    include_str!("../../expected-failures.tsv")
        .lines()
        .filter_map(|l| {
            let mut cols = l.splitn(3, '\t');
            (cols.next()? == key).then_some(())?;
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .collect()
}

/// A directory of stubs for `jailwright plan` (`jls` answering the jail's
/// addresses, the manager's command found on PATH), and the PATH to use.
pub fn plan_path(manager: &str, scratch: &Path, names: &[&str]) -> std::io::Result<PathBuf> {
    let stubs = scratch.join("plan-stubs");
    std::fs::create_dir_all(&stubs)?;
    for name in names {
        let link = stubs.join(name);
        if !link.exists() {
            std::os::unix::fs::symlink(runners().join(manager).join("stub"), link)?;
        }
    }
    let path = std::env::join_paths([stubs, PathBuf::from("/usr/bin"), PathBuf::from("/bin")])
        .map_err(std::io::Error::other)?;
    Ok(PathBuf::from(path))
}

/// Runs `each` over `items` on two threads, keeping their order.
pub fn in_parallel<T: Sync, R: Send>(items: &[T], each: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = each(item);
                    results.lock().expect("no panic holds it").push((i, r));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no panic holds it");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Every Bastillefile of the corpus through bastille and through
/// `jailwright plan`.
pub fn run_bastille(
    corpus: &Path,
    upstream: &Path,
    jailwright: &Path,
) -> Result<Vec<TemplateReport>, String> {
    let root = corpus.join("bastille");
    let templates: Vec<PathBuf> = crate::units("bastille", &root)
        .into_iter()
        .filter(|t| t.file_name().is_some_and(|n| n == "Bastillefile"))
        .collect();
    let scratch = Scratch::new("plan").map_err(|e| e.to_string())?;
    let path =
        plan_path("bastille", &scratch.0, &["jls", "bastille"]).map_err(|e| e.to_string())?;
    let reports = in_parallel(&templates, |template| {
        let rel = crate::relative(corpus, template);
        let ran = run_manager("bastille", &upstream.join("bastille"), template, &[])?;
        let plan = plan_json(jailwright, template, &path, &[])?;
        let mut report = bastille::compare(&rel, ran.status, &ran.records, &plan);
        report.error = first_error(&ran.output);
        Ok::<_, String>(report)
    });
    reports.into_iter().collect()
}

/// The report `jailwright-compat` prints for a dialect.
pub fn print_summary(manager: &str, summary: &Summary) {
    println!(
        "differential {manager}: {} templates run by the manager's own code ({} exit 0), {} steps, {} the same argv for argv, {} differ, {} not compared",
        summary.templates,
        summary.manager_ok,
        summary.steps,
        summary.same,
        summary.differs.values().map(Vec::len).sum::<usize>(),
        summary.not_compared.values().sum::<usize>()
    );
    for (why, templates) in &summary.failed {
        println!(
            "  the manager failed ×{}: {why}  (e.g. {})",
            templates.len(),
            templates[0]
        );
    }
    for (class, count) in &summary.not_compared {
        println!("  not compared ×{count}: {class}");
    }
    let expected = expected_differences(manager);
    for (class, cases) in &summary.differs {
        let mark = if expected.contains_key(class) {
            "expected"
        } else {
            "UNEXPLAINED"
        };
        println!("  differs ×{} ({mark}): {class}", cases.len());
        for case in cases.iter().take(3) {
            println!("      {case}");
        }
    }
}

/// The first line of a manager's output that says ERROR (or error:),
/// with the run's paths taken out so that failures group by message.
pub fn first_error(output: &str) -> Option<String> {
    let line = output
        .lines()
        .find(|l| l.contains("ERROR") || l.contains("rror:") || l.contains("[ error ]"))?;
    let mut words: Vec<String> = Vec::new();
    for w in line.split_whitespace() {
        words.push(if w.contains('/') {
            "PATH".into()
        } else {
            w.to_string()
        });
    }
    Some(words.join(" "))
}

/// Every pot flavour of the corpus through pot's flavour stage and
/// through `jailwright plan`.
pub fn run_pot(
    corpus: &Path,
    upstream: &Path,
    jailwright: &Path,
) -> Result<Vec<TemplateReport>, String> {
    let root = corpus.join("pot");
    let templates = crate::units("pot", &root);
    let upstream = upstream.join("pot");
    let reports = in_parallel(&templates, |template| {
        let rel = crate::relative(corpus, template);
        let (ran, plan) = run_and_plan("pot", &upstream, template, &[], jailwright)?;
        let mut report = pot::compare(&rel, ran.status, &ran.records, &plan);
        report.error = first_error(&ran.output);
        Ok::<_, String>(report)
    });
    reports.into_iter().collect()
}

/// Every main Makejail of the corpus (role `main` in SOURCES.tsv; the
/// files they INCLUDE run inside them) through `appjail makejail` and
/// through `jailwright plan`, with a value for every ARG that needs one
/// (`-- --NAME jw-NAME`, jailwright's `--arg NAME=jw-NAME`).
pub fn run_appjail(
    corpus: &Path,
    upstream: &Path,
    jailwright: &Path,
) -> Result<Vec<TemplateReport>, String> {
    let root = corpus.join("appjail");
    let templates: Vec<PathBuf> = crate::with_role(&root, &["main"])
        .into_iter()
        .map(|f| root.join(f))
        .collect();
    let upstream = upstream.join("appjail");
    let reports = in_parallel(&templates, |template| {
        let rel = crate::relative(corpus, template);
        let extra = required_args(template);
        let (ran, plan) = run_and_plan("appjail", &upstream, template, &extra, jailwright)?;
        let mut report = appjail::compare(&rel, ran.status, &ran.records, &plan);
        report.error = first_error(&ran.output);
        Ok::<_, String>(report)
    });
    reports.into_iter().collect()
}

/// `--NAME jw-NAME` for every ARG of a Makejail (its INCLUDEs read) that
/// has no default and is not optional.
fn required_args(template: &Path) -> Vec<String> {
    use jailwright::ir::Instruction;
    let Ok(doc) = jailwright::dialect::load_expanded(
        template,
        Some(jailwright::ir::Dialect::Makejail),
        &jailwright::dialect::Bindings::default(),
    ) else {
        return Vec::new();
    };
    let mut extra = Vec::new();
    for step in &doc.template.steps {
        if let Instruction::Arg {
            name,
            default: None,
            required: true,
            ..
        } = &step.instruction
            && !extra.contains(&format!("--{name}"))
        {
            extra.push(format!("--{name}"));
            extra.push(format!("jw-{name}"));
        }
    }
    extra
}

/// The manager's run of a template, then jailwright's plan of it in the
/// same namespace (`JW_PLAN`, into `JW_PLAN_OUT`), where the manager found
/// it: pot's flavours live in /usr/local/etc/pot/flavours, a Makejail's
/// copy beside the placeholders the AppJail runner made.
fn run_and_plan(
    manager: &str,
    upstream: &Path,
    template: &Path,
    extra: &[String],
    jailwright: &Path,
) -> Result<(ManagerRun, Value), String> {
    let scratch = Scratch::new(manager).map_err(|e| e.to_string())?;
    let (log_path, plan_path) = (scratch.0.join("log"), scratch.0.join("plan.json"));
    let out = runner(manager, upstream, template, &log_path, extra, &scratch.0)
        .env("JW_PLAN", jailwright)
        .env("JW_PLAN_OUT", &plan_path)
        .output()
        .map_err(|e| format!("{manager}/run: {e}"))?;
    let ran = ran(out, &log_path)?;
    let plan =
        serde_json::from_slice(&std::fs::read(&plan_path).unwrap_or_default()).map_err(|e| {
            format!(
                "{}: jailwright plan printed no plan ({e}): {}",
                template.display(),
                ran.output
            )
        })?;
    Ok((ran, plan))
}
