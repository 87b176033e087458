//! `parse --expand-includes`: local INCLUDEs flattened as AppJail's
//! `makejail_include` does. An included path is relative to the directory
//! of the file that includes it; the same file (by real path) can only be
//! included once in a run; when an included file returns, the stage of the
//! including file is restored. Remote forms (cmd+, fetch+, git+, gh+, ...)
//! stay INCLUDE steps: they are not fetched here.
//!
//! Reading files is the caller's: `read` returns a path's real path and
//! bytes, so this module stays free of I/O.

use super::{Entry, build, include, lines};
use crate::dialect::Bindings;
use crate::document::{Document, Problem, ProblemKind};
use crate::source::SourceFile;
use std::io;
use std::path::{Path, PathBuf};

/// Reads a file: (real path, bytes).
pub type Reader<'a> = dyn FnMut(&Path) -> io::Result<(PathBuf, Vec<u8>)> + 'a;

/// Fetches a remote include (`gh+`, `gl+`, `fetch+`) and gives the local
/// path of the Makejail it names; `None` keeps remote includes as steps.
pub type Remote<'a> = dyn FnMut(&include::Spec) -> Result<PathBuf, FetchFailed> + 'a;

/// Why a remote include could not be fetched (the fetcher's own error).
pub type FetchFailed = Box<dyn std::error::Error + Send + Sync>;

struct Flattening<'r, 'a, 'b> {
    read: &'r mut Reader<'a>,
    remote: Option<&'r mut Remote<'b>>,
    sources: Vec<SourceFile>,
    entries: Vec<Entry>,
    problems: Vec<Problem>,
    included: Vec<PathBuf>,
    lines: usize,
}

/// Reads `path` and every local file it includes, flattened.
pub fn expand(
    path: &Path,
    bindings: &Bindings,
    read: &mut Reader,
    remote: Option<&mut Remote>,
) -> io::Result<Document> {
    let (real, bytes) = read(path)?;
    let mut f = Flattening {
        read,
        remote,
        sources: Vec::new(),
        entries: Vec::new(),
        problems: Vec::new(),
        included: Vec::new(),
        lines: 0,
    };
    f.visit(path, real, &bytes);
    Ok(build(f.sources, f.entries, f.problems, bindings))
}

impl Flattening<'_, '_, '_> {
    fn visit(&mut self, path: &Path, real: PathBuf, bytes: &[u8]) {
        self.included.push(real.clone());
        let index = self.sources.len();
        self.sources.push(SourceFile::new(path, bytes));
        let text = self.sources[index].text.clone();
        // AppJail changes into the directory of the file's real path; the
        // path as the user reached it is kept for display when it leads to
        // the same file.
        let real_dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        let shown_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        for line in lines::logical_lines(&text, index) {
            let (name, args) = lines::split(&line.line.text);
            let spec = (name == "INCLUDE" && line.kind != lines::LineKind::UnfinishedContinuation)
                .then(|| include::parse(args.unwrap_or_default()).ok())
                .flatten();
            // A remote include the caller can fetch: the Makejail it names,
            // from where it was fetched.
            let spec = match (spec, self.remote.as_deref_mut()) {
                (Some(spec), Some(remote)) if !spec.is_local() && fetchable(&spec) => {
                    match remote(&spec) {
                        Ok(local) => Some(include::Spec {
                            method: "file".into(),
                            target: local.display().to_string(),
                            args: Vec::new(),
                        }),
                        Err(e) => {
                            self.problem(format!("{}: {e}", spec.target), &line);
                            None
                        }
                    }
                }
                (spec, _) => spec.filter(include::Spec::is_local),
            };
            if let Some(spec) = spec {
                let by_real = (self.read)(&real_dir.join(&spec.target));
                let shown = shown_dir.join(&spec.target);
                let same =
                    matches!((&by_real, (self.read)(&shown)), (Ok((a, _)), Ok((b, _))) if *a == b);
                let target = if same {
                    shown
                } else {
                    real_dir.join(&spec.target)
                };
                match by_real {
                    Ok((real, _)) if self.included.contains(&real) => {
                        self.problem(
                            format!("{}: Makejail is already included.", real.display()),
                            &line,
                        );
                    }
                    Ok((real, bytes)) => {
                        self.entries.push(Entry::IncludeStart);
                        self.visit(&target, real, &bytes);
                        self.entries.push(Entry::IncludeEnd);
                        continue;
                    }
                    // The system's errors in AppJail's words; jailwright's
                    // refusals (a FIFO, a device, too big, out of the
                    // linted tree) say why.
                    Err(e) if e.raw_os_error().is_some() => self.problem(
                        format!("{} file does not exist or could not be read.", spec.target),
                        &line,
                    ),
                    Err(e) => self.problem(format!("{}: {e}", spec.target), &line),
                }
            }
            self.lines += 1;
            self.entries.push(Entry::Line(line));
        }
    }

    /// A problem on the line about to be pushed.
    fn problem(&mut self, message: String, line: &lines::Line) {
        self.problems.push(Problem {
            kind: ProblemKind::Include,
            line: self.lines,
            start: 0,
            end: line.line.text.len(),
            message,
        });
    }
}

/// The remote methods jailwright fetches (over https): GitHub, GitLab and
/// plain downloads; `git+` (a clone), `cmd+` and the ssh aliases stay
/// steps.
fn fetchable(spec: &include::Spec) -> bool {
    matches!(spec.method.as_str(), "github" | "gitlab" | "fetch")
}
