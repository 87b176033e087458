//! Writing to standard output and standard error without ever panicking
//! (`println!` panics when the reader went away: `jailwright rules | head
//! -1`). A closed pipe is not the command's failure: the work goes on (an
//! apply is never cut short by its reader) and the exit code stands. Any
//! other failure to write standard output (a full disk: `fmt - > out`) is
//! remembered, and the command exits 2: its output is not what it says.

use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// Records the outcome of a write to standard output.
pub fn stdout_written(result: std::io::Result<()>) {
    if let Err(e) = result
        && e.kind() != std::io::ErrorKind::BrokenPipe
        && !STDOUT_FAILED.swap(true, Ordering::Relaxed)
    {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "jailwright: standard output: {e}");
    }
}

/// Flushes standard output; whether any write to it failed (not counting a
/// closed pipe).
pub fn stdout_failed() -> bool {
    use std::io::Write as _;
    stdout_written(std::io::stdout().lock().flush());
    STDOUT_FAILED.load(Ordering::Relaxed)
}

/// `println!` that ignores a closed stdout.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        $crate::cli::stdio::stdout_written(writeln!(std::io::stdout().lock(), $($arg)*));
    }};
}

/// `print!` that ignores a closed stdout.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        $crate::cli::stdio::stdout_written(write!(std::io::stdout().lock(), $($arg)*));
    }};
}

/// `eprintln!` that ignores a closed stderr.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

/// `eprint!` that ignores a closed stderr.
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr().lock(), $($arg)*);
    }};
}
