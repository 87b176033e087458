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

struct Flattening<'r, 'a> {
    read: &'r mut Reader<'a>,
    sources: Vec<SourceFile>,
    entries: Vec<Entry>,
    problems: Vec<Problem>,
    included: Vec<PathBuf>,
    lines: usize,
}

/// Reads `path` and every local file it includes, flattened.
pub fn expand(path: &Path, bindings: &Bindings, read: &mut Reader) -> io::Result<Document> {
    let (real, bytes) = read(path)?;
    let mut f = Flattening {
        read,
        sources: Vec::new(),
        entries: Vec::new(),
        problems: Vec::new(),
        included: Vec::new(),
        lines: 0,
    };
    f.visit(path, real, &bytes);
    Ok(build(f.sources, f.entries, f.problems, bindings))
}

impl Flattening<'_, '_> {
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
                .flatten()
                .filter(include::Spec::is_local);
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
                    Err(_) => self.problem(
                        format!("{} file does not exist or could not be read.", spec.target),
                        &line,
                    ),
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
