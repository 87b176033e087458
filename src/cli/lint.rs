//! `jailwright lint PATH...`: lints every template found.

use super::look::Stream;
use super::stdin::{StdinArgs, is_stdin};
use super::{Error, ExitCode, Global, TemplateArgs, trouble};
use crate::dialect::{Found, Scope};
use crate::exec::adapters::shellcheck_runner;
use crate::lint::config::{self, Config, Threshold};
use crate::lint::report::{self, FileResult};
use crate::lint::selection::{self, Layer, Selection};
use crate::lint::session::{Configs, Findings};
use crate::{dialect, lint, lint::fix};
use clap::Args;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct LintArgs {
    /// Template files, directories to search for templates, or `-` for
    /// standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// How findings are printed.
    #[arg(long, value_enum, default_value = "text")]
    format: LintFormat,
    /// The lowest severity that makes lint exit 1 (`none`: always 0);
    /// default: the configuration's, else `error`.
    #[arg(long, value_enum)]
    failure_threshold: Option<Threshold>,
    /// Do not run ShellCheck on shell text (JW901).
    #[arg(long)]
    no_shellcheck: bool,
    /// Neither read nor write ShellCheck's cached answers
    /// ($XDG_CACHE_HOME/jailwright/shellcheck, keyed by ShellCheck's
    /// version and the script).
    #[arg(long)]
    no_cache: bool,
    /// A configuration file (default: the nearest `.jailwright.toml` above
    /// each template).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report only these (replaces the configuration's `select`; default:
    /// every rule): codes (JW301), families (JW3), rule names (cp-arity),
    /// ALL, ShellCheck codes (SC2086). Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    select: Option<Vec<String>>,
    /// Report these too, on top of the selection.
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    extend_select: Vec<String>,
    /// Do not report these (added to the configuration's `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "SELECTOR")]
    ignore: Vec<String>,
    /// Print how many findings each rule has instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Apply the fixes of fixable rules (`jailwright rules` marks them) in
    /// place; the findings that remain are reported. With `-`, the fixed
    /// template goes to standard output and the findings to standard error.
    #[arg(long)]
    fix: bool,
    /// Print the fixes as a unified diff and change nothing (exit 1 when
    /// there is one).
    #[arg(long, conflicts_with = "fix")]
    diff: bool,
    #[command(flatten)]
    stdin: StdinArgs,
    #[command(flatten)]
    options: TemplateArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// miette's report, for people.
    Text,
    /// One JSON document with every finding and a summary.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// Checkstyle XML.
    Checkstyle,
    /// FILE:LINE:COL: severity: message (editors).
    Gnu,
}

pub fn run(args: LintArgs, global: &Global) -> Result<ExitCode, Error> {
    let bindings = args.options.bindings.bindings()?;
    let selectors = args
        .select
        .iter()
        .flatten()
        .chain(&args.extend_select)
        .chain(&args.ignore);
    for selector in selectors {
        selection::validate(selector)?;
    }
    if args.paths.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err(Error::usage("`-` (standard input) can be given once"));
    }
    let forced = args.options.dialect.map(Into::into);
    let explicit = match &args.config {
        Some(path) => Some(config::read(path, &Scope::anywhere())?),
        None => None,
    };
    let cli = Layer {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
    };
    let mut run = Run {
        configs: Configs::new(explicit),
        rewritten: HashSet::new(),
        findings: Findings::new(args.failure_threshold),
        shellcheck_missing: args.no_shellcheck,
        cache: shellcheck_runner::Cache::open(!args.no_cache),
        current: None,
        cli,
        quiet: global.quiet,
        fixes: Fixes::new(&args),
        trouble_seen: false,
    };
    let mut loaded = Vec::new();
    for path in &args.paths {
        if is_stdin(path) {
            run.lint_stdin(&args, forced, &bindings);
            continue;
        }
        let path = &args.options.remote.local(path)?;
        loaded.extend(run.gather(path, &args, forced, &bindings));
    }
    run.lint_all(loaded, &args, forced, &bindings);
    Ok(run.finish(&args, global))
}

/// What `--fix`/`--diff` do with the fixes found.
struct Fixes {
    write: bool,
    diff: bool,
    /// Findings fixed (written, or shown in the diff).
    fixed: usize,
    /// The fixed template from standard input (printed instead of the report).
    stdin_text: Option<Vec<u8>>,
}

impl Fixes {
    fn new(args: &LintArgs) -> Fixes {
        Fixes {
            write: args.fix,
            diff: args.diff,
            fixed: 0,
            stdin_text: None,
        }
    }
}

/// What a lint run has gathered so far.
struct Run {
    configs: Configs,
    /// Files `--fix` rewrote: a template read before that is read again.
    rewritten: HashSet<PathBuf>,
    findings: Findings,
    shellcheck_missing: bool,
    cache: shellcheck_runner::Cache,
    /// `--select`, `--extend-select`, `--ignore`.
    cli: Layer,
    /// The configuration of the template linted last: with `cli`, what
    /// `--fix` may fix.
    current: Option<Config>,
    quiet: u8,
    fixes: Fixes,
    trouble_seen: bool,
}

impl Run {
    /// Reports an error that makes lint exit 2, and goes on.
    fn trouble(&mut self, message: impl std::fmt::Display) {
        trouble(message);
        self.trouble_seen = true;
    }

    /// A note on standard error (not with -q).
    fn note(&self, message: impl std::fmt::Display) {
        if self.quiet == 0 {
            errln!("jailwright: {message}");
        }
    }

    /// Reads the templates at `path`: a file, or every template under a
    /// directory (one with none is an error: a mistyped CI path must fail).
    fn gather(
        &mut self,
        path: &Path,
        args: &LintArgs,
        forced: Option<crate::ir::Dialect>,
        bindings: &crate::dialect::Bindings,
    ) -> Vec<Loaded> {
        if !path.exists() && !path.is_symlink() {
            self.trouble(format!("{}: no such file or directory", path.display()));
            return Vec::new();
        }
        // A directory is a tree nobody has vetted: nothing out of it is
        // read. A file named on the command line is read where it leads.
        let scope = if path.is_dir() {
            match Scope::within(path) {
                Ok(scope) => scope,
                Err(e) => {
                    self.trouble(format!("{}: {e}", path.display()));
                    return Vec::new();
                }
            }
        } else {
            Scope::anywhere()
        };
        let mut loaded = Vec::new();
        let mut templates = 0;
        for found in dialect::walk(path) {
            let template = match found {
                Found::LinkOutside(link) => {
                    self.note(format!(
                        "{}: a symlink to a file outside {}: skipped (name it to lint it)",
                        link.display(),
                        path.display()
                    ));
                    continue;
                }
                Found::Template(t) | Found::LinkInside(t) => t,
            };
            templates += 1;
            match load_one(args, &template, forced, bindings, &scope) {
                Ok(doc) => loaded.push(Loaded {
                    doc,
                    template,
                    scope: scope.clone(),
                    named: path.to_path_buf(),
                }),
                Err(e) => self.trouble(e),
            }
        }
        if templates == 0 && path.is_dir() {
            self.trouble(format!(
                "{}: no template found (a Bastillefile, a Makejail or *.makejail, a pot flavour, bastille hook files)",
                path.display()
            ));
        }
        loaded
    }

    /// Lints the templates read, ShellCheck run once for all of them.
    fn lint_all(
        &mut self,
        loaded: Vec<Loaded>,
        args: &LintArgs,
        forced: Option<crate::ir::Dialect>,
        bindings: &crate::dialect::Bindings,
    ) {
        let mut shell = self.shell_findings(&loaded);
        for (mut l, mut shell) in loaded.into_iter().zip(shell.drain(..)) {
            // A file an earlier template's fix rewrote (an INCLUDE they
            // share): this template is read again first.
            if l.doc
                .sources
                .iter()
                .any(|s| self.rewritten.contains(&s.path))
            {
                match load_one(args, &l.template, forced, bindings, &l.scope) {
                    Ok(doc) => {
                        l.doc = doc;
                        shell = None;
                    }
                    Err(e) => {
                        self.trouble(e);
                        continue;
                    }
                }
            }
            let Some(diagnostics) = self.findings(&l.doc, &l.template, &l.scope, shell) else {
                continue;
            };
            if self.fix_files(&l.doc, &diagnostics, &l.scope, &l.named) {
                // Read again: the report is of the fixed files.
                match load_one(args, &l.template, forced, bindings, &l.scope) {
                    Ok(doc) => {
                        if let Some(d) = self.findings(&doc, &l.template, &l.scope, None) {
                            self.push(doc, d);
                        }
                    }
                    Err(e) => self.trouble(e),
                }
            } else {
                self.push(l.doc, diagnostics);
            }
        }
    }

    /// ShellCheck's findings in each template that wants them (`None`:
    /// its selection keeps no JW901 finding), from one batched run.
    fn shell_findings(&mut self, loaded: &[Loaded]) -> Vec<Option<ShellAnswer>> {
        let mut wanted = Vec::new();
        let cli = self.cli.clone();
        for l in loaded {
            let wants = !self.shellcheck_missing
                && match self.config(&l.template, &l.scope) {
                    Ok(Some(config)) => config.selection(&l.template, &cli),
                    Ok(None) => Selection::of(&cli),
                    Err(()) => Selection::default(),
                }
                .may_keep_shellcheck();
            wanted.push(wants.then(|| lint::shellcheck_script::script(&l.doc)));
        }
        let texts: Vec<&str> = wanted
            .iter()
            .flatten()
            .flatten()
            .map(|s| s.text.as_str())
            .collect();
        if texts.is_empty() {
            return wanted
                .iter()
                .map(|w| w.as_ref().map(|_| Ok(Vec::new())))
                .collect();
        }
        let answers = match shellcheck_runner::run_many(&texts, &self.cache) {
            None => {
                self.note("shellcheck is not installed: shell checks (JW901) skipped");
                self.shellcheck_missing = true;
                return loaded.iter().map(|_| None).collect();
            }
            Some(Err(e)) => {
                // Said once; not tried again template by template.
                self.trouble(e);
                self.shellcheck_missing = true;
                return loaded.iter().map(|_| None).collect();
            }
            Some(Ok(answers)) => answers,
        };
        let mut answers = answers.into_iter();
        loaded
            .iter()
            .zip(&wanted)
            .map(|(l, want)| {
                let script = want.as_ref()?;
                let Some(script) = script else {
                    return Some(Ok(Vec::new()));
                };
                let json = answers.next().unwrap_or_default();
                Some(shell_answer(&l.doc, script, &json))
            })
            .collect()
    }

    /// Lints the template on standard input.
    fn lint_stdin(
        &mut self,
        args: &LintArgs,
        forced: Option<crate::ir::Dialect>,
        bindings: &crate::dialect::Bindings,
    ) {
        let bytes = match super::stdin::read() {
            Ok(bytes) => bytes,
            Err(e) => return self.trouble(e),
        };
        let doc = match crate::dialect::parse_bytes(&args.stdin.name(), &bytes, forced, bindings) {
            Ok(doc) => doc,
            Err(e) => return self.trouble(e),
        };
        // Its configuration is the one its name (or the working
        // directory) would find.
        let name = args.stdin.name();
        let here = if name.exists() {
            name
        } else {
            PathBuf::from(".")
        };
        let scope = Scope::anywhere();
        let Some(diagnostics) = self.findings(&doc, &here, &scope, None) else {
            return;
        };
        if (self.fixes.write || self.fixes.diff) && doc.sources[0].lossy {
            // Its bytes would change: given back as they came.
            self.note(format!("{}: not UTF-8: not fixed", doc.sources[0].name));
            if self.fixes.write {
                self.fixes.stdin_text = Some(bytes);
            }
        } else if self.fixes.write || self.fixes.diff {
            let source = &doc.sources[0];
            let keep = self.keeper();
            let (fixed, count) = fixed_text(&doc, source, &diagnostics, &keep);
            self.fixes.fixed += count;
            if self.fixes.diff {
                out!(
                    "{}",
                    super::fmt::unified_diff(&source.name, &source.text, &fixed)
                );
            } else {
                self.fixes.stdin_text = Some(fixed.clone().into_bytes());
                let again = crate::dialect::parse_bytes(
                    &args.stdin.name(),
                    fixed.as_bytes(),
                    forced,
                    bindings,
                );
                if let Ok(doc) = again
                    && let Some(d) = self.findings(&doc, &here, &scope, None)
                {
                    self.push(doc, d);
                }
                return;
            }
        }
        self.push(doc, diagnostics);
    }

    /// The findings reported for one template read from `template` (inside
    /// `scope`); `None` when its configuration cannot be read (reported:
    /// its findings would be wrong, and the run already fails).
    fn findings(
        &mut self,
        doc: &crate::document::Document,
        template: &Path,
        scope: &Scope,
        shell: Option<ShellAnswer>,
    ) -> Option<Vec<lint::Diagnostic>> {
        let mut diagnostics = lint::lint(doc);
        let cli = self.cli.clone();
        let (selection, current) = match self.config(template, scope) {
            Ok(Some(config)) => (config.selection(template, &cli), Some(config.clone())),
            Ok(None) => (Selection::of(&cli), None),
            Err(()) => return None,
        };
        self.current = current;
        let shell = match shell {
            Some(answer) => Some(answer),
            None if !self.shellcheck_missing && selection.may_keep_shellcheck() => {
                self.shell_findings_of(doc)
            }
            None => None,
        };
        match shell {
            Some(Ok(found)) => diagnostics.extend(found),
            Some(Err(e)) => self.trouble(e),
            None => {}
        }
        let failure_threshold = match &self.current {
            Some(config) => {
                config.apply(&cli, &mut diagnostics);
                config.failure_threshold
            }
            None => {
                diagnostics.retain(|d| selection.keeps(d));
                None
            }
        };
        self.findings.threshold_from(failure_threshold);
        Some(diagnostics)
    }

    /// ShellCheck's findings in one template (`None`: not installed,
    /// which is said once).
    fn shell_findings_of(&mut self, doc: &crate::document::Document) -> Option<ShellAnswer> {
        let Some(script) = lint::shellcheck_script::script(doc) else {
            return Some(Ok(Vec::new()));
        };
        match shellcheck_runner::run_many(&[&script.text], &self.cache) {
            None => {
                self.note("shellcheck is not installed: shell checks (JW901) skipped");
                self.shellcheck_missing = true;
                None
            }
            Some(Err(e)) => Some(Err(e.into())),
            Some(Ok(answers)) => {
                let json = answers.into_iter().next().unwrap_or_default();
                Some(shell_answer(doc, &script, &json))
            }
        }
    }

    /// Whether `--fix` may fix a finding: selected for its file.
    fn keeper(&self) -> impl Fn(&lint::Diagnostic) -> bool + use<> {
        let config = self.current.clone();
        let cli = self.cli.clone();
        move |d: &lint::Diagnostic| match &config {
            Some(config) => config.selection(Path::new(&d.span.file), &cli).keeps(d),
            None => Selection::of(&cli).keeps(d),
        }
    }

    /// Records a template's findings (each finding once across the run).
    fn push(&mut self, doc: crate::document::Document, diagnostics: Vec<lint::Diagnostic>) {
        self.findings.push(doc, diagnostics);
    }

    /// `--fix` / `--diff` for one template's files; whether a file was
    /// written. Only a regular file the template was read from is
    /// rewritten (never through a symlink), atomically, and only when it
    /// still holds what was linted.
    fn fix_files(
        &mut self,
        doc: &crate::document::Document,
        diagnostics: &[lint::Diagnostic],
        scope: &Scope,
        named: &Path,
    ) -> bool {
        if !self.fixes.write && !self.fixes.diff {
            return false;
        }
        // Only files in the tree named (a directory, or the directory of
        // the file named) are rewritten: not an INCLUDE that leads out of
        // it, whether by `..` or through a symlinked directory.
        let tree = if named.is_dir() {
            named
        } else {
            named.parent().unwrap_or(Path::new("."))
        };
        let tree = if tree.as_os_str().is_empty() {
            Path::new(".")
        } else {
            tree
        };
        let Ok(tree) = std::fs::canonicalize(tree) else {
            return false;
        };
        let mut written = false;
        let keep = self.keeper();
        for source in &doc.sources {
            let (fixed, count) = fixed_text(doc, source, diagnostics, &keep);
            if count == 0 || fixed == source.text {
                continue;
            }
            if source.lossy {
                self.note(format!(
                    "{}: not UTF-8: not fixed (its bytes would change)",
                    source.name
                ));
                continue;
            }
            if self.fixes.diff {
                self.fixes.fixed += count;
                out!(
                    "{}",
                    super::fmt::unified_diff(&source.name, &source.text, &fixed)
                );
                continue;
            }
            if source.path.is_symlink() {
                self.note(format!("{}: a symlink: not fixed", source.name));
                continue;
            }
            if !std::fs::canonicalize(&source.path).is_ok_and(|real| real.starts_with(&tree)) {
                self.note(format!(
                    "{}: outside {}: not fixed (name it to fix it)",
                    source.name,
                    tree.display()
                ));
                continue;
            }
            match scope.read_bytes(&source.path) {
                Ok(bytes) if bytes == source.text.as_bytes() => {}
                Ok(_) => {
                    self.note(format!("{}: changed while linted: not fixed", source.name));
                    continue;
                }
                Err(e) => {
                    self.trouble(format!("{}: {e}", source.name));
                    continue;
                }
            }
            match crate::output::write_atomically(&source.path, fixed.as_bytes(), false) {
                Ok(()) => {
                    self.fixes.fixed += count;
                    self.rewritten.insert(source.path.clone());
                    written = true;
                }
                Err(e) => self.trouble(format!("{}: {e}", source.name)),
            }
        }
        written
    }

    /// Prints the report and returns the exit code.
    fn finish(mut self, args: &LintArgs, global: &Global) -> ExitCode {
        let failing = self.findings.failing();
        // `lint --fix -`: the fixed template is the output, the report
        // goes to standard error.
        let stdin_text = self.fixes.stdin_text.take();
        let stream = if stdin_text.is_some() {
            Stream::Stderr
        } else {
            Stream::Stdout
        };
        if let Some(bytes) = &stdin_text {
            use std::io::Write as _;
            super::stdio::stdout_written(std::io::stdout().lock().write_all(bytes));
        }
        let report = if self.quiet >= 2 || self.fixes.diff {
            // Nothing but the diff.
            String::new()
        } else if args.statistics {
            statistics(&self.findings.results, args.format)
        } else {
            let look = global.look(stream);
            match args.format {
                LintFormat::Json => report::json(&self.findings.results),
                LintFormat::Text if self.quiet == 1 => {
                    report::findings_text(&self.findings.results, look)
                }
                LintFormat::Text => report::text(&self.findings.results, look),
                LintFormat::Sarif => report::sarif(&self.findings.results),
                LintFormat::Github => report::github(&self.findings.results),
                LintFormat::Checkstyle => report::checkstyle(&self.findings.results),
                LintFormat::Gnu => report::gnu(&self.findings.results),
            }
        };
        if stdin_text.is_some() {
            err!("{report}");
        } else {
            out!("{report}");
        }
        if self.fixes.fixed > 0 && self.quiet == 0 && !self.fixes.diff {
            errln!("jailwright: fixed {} finding(s)", self.fixes.fixed);
        }
        let code = if self.trouble_seen {
            ExitCode::Trouble
        } else if self.fixes.diff {
            // --diff answers one question: would --fix change anything?
            if self.fixes.fixed > 0 {
                ExitCode::Found
            } else {
                ExitCode::Ok
            }
        } else if failing {
            ExitCode::Found
        } else {
            ExitCode::Ok
        };
        // The process ends next: freeing every document read (a tenth of
        // the time of a large run) is left to the exit.
        std::mem::forget(self);
        code
    }

    /// --config, else the nearest file upward (each read once; one found
    /// inside a walked tree is read only inside it); a file that cannot be
    /// read is reported once.
    fn config(&mut self, template: &Path, scope: &Scope) -> Result<Option<&Config>, ()> {
        let mut unreadable = None;
        let found = self
            .configs
            .of(template, scope, &mut |e| unreadable = Some(e));
        if let Some(e) = unreadable {
            trouble(e);
            self.trouble_seen = true;
        }
        found
    }
}

/// A source file's text with its fixes made: read again after each rule's
/// fixes for a template file; in one pass for a flavour script or a
/// bastille hook file, which are not read as a template file alone.
fn fixed_text(
    doc: &crate::document::Document,
    source: &crate::source::SourceFile,
    diagnostics: &[lint::Diagnostic],
    keep: &dyn Fn(&lint::Diagnostic) -> bool,
) -> (String, usize) {
    let alone = doc.template.layout == crate::ir::Layout::File
        && source.path.extension().is_none_or(|e| e != "sh");
    if alone {
        fix::fix_file(doc.template.dialect, &source.name, &source.text, keep)
    } else {
        fix::apply(&source.text, &source.name, diagnostics)
    }
}

/// `--statistics`: findings per rule (and per ShellCheck code), most first.
fn statistics(results: &[FileResult], format: LintFormat) -> String {
    let mut counts: HashMap<(String, &'static str, bool), usize> = HashMap::new();
    for d in results.iter().flat_map(|r| &r.diagnostics) {
        let code = match &d.shellcheck_code {
            Some(sc) => format!("{} {sc}", d.code),
            None => d.code.to_string(),
        };
        *counts.entry((code, d.rule, !d.fix.is_empty())).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if format == LintFormat::Json {
        let rows: Vec<serde_json::Value> = rows
            .iter()
            .map(|((code, rule, fixable), count)| {
                serde_json::json!({"code": code, "rule": rule, "count": count, "fixable": fixable})
            })
            .collect();
        let mut out = serde_json::to_string_pretty(&rows).expect("JSON values always serialize");
        out.push('\n');
        return out;
    }
    let mut out = String::new();
    for ((code, rule, fixable), count) in rows {
        let mark = if fixable { " [fixable]" } else { "" };
        out.push_str(&format!("{count:>6}  {code:<13} {rule}{mark}\n"));
    }
    out
}

/// ShellCheck's findings in one template, or why they could not be had.
type ShellAnswer = Result<Vec<lint::Diagnostic>, ShellFailure>;

/// Why ShellCheck's findings could not be had.
#[derive(Debug, thiserror::Error)]
enum ShellFailure {
    #[error(transparent)]
    Run(#[from] shellcheck_runner::ShellCheckError),
    #[error(transparent)]
    Answer(#[from] lint::shellcheck_script::AnswerError),
}

/// ShellCheck's json1 answer for a template's script as its findings,
/// pragmas applied.
fn shell_answer(
    doc: &crate::document::Document,
    script: &lint::shellcheck_script::ShellScript<'_>,
    json: &str,
) -> ShellAnswer {
    let mut found = lint::shellcheck_script::diagnostics(doc, script, json)?;
    lint::pragma::apply(doc, &mut found);
    Ok(found)
}

/// A template read, waiting for ShellCheck's answer and the report.
struct Loaded {
    doc: crate::document::Document,
    template: PathBuf,
    scope: Scope,
    /// The path named on the command line it was found under.
    named: PathBuf,
}

/// One template found by the walk, read as every command reads one
/// (`crate::load`), inside `scope`.
fn load_one(
    args: &LintArgs,
    template: &Path,
    forced: Option<crate::ir::Dialect>,
    bindings: &dialect::Bindings,
    scope: &Scope,
) -> Result<crate::document::Document, crate::load::LoadFailure> {
    let templates = [template.to_path_buf()];
    let loaded = crate::load::load(&crate::load::Request {
        templates: &templates,
        forced,
        bindings,
        includes: crate::load::Includes::Expanded,
        remote: &args.options.remote.settings(),
        scope,
    })?;
    Ok(loaded.doc)
}
