//! `cargo bench --bench lint`: prints how long reading and linting take,
//! over ../shared/corpus/{bastille,appjail,pot} and over a generated 20,000-line
//! Bastillefile (4,999 ARGs referenced by later lines). Figures only: no
//! test depends on timing.

use jailwright::dialect::{self, Bindings, bastille};
use jailwright::lint;
use jailwright::source::SourceFile;
use std::path::Path;
use std::time::{Duration, Instant};

fn best_of<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    for dialect_dir in ["bastille", "appjail", "pot"] {
        let corpus = std::env::var_os("JAILWRIGHT_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
            .join(dialect_dir);
        if !corpus.is_dir() {
            println!("{dialect_dir}: {} not found, skipped", corpus.display());
            continue;
        }
        let templates = dialect::discover(&corpus);
        let mut findings = 0;
        let t = best_of(5, || {
            findings = 0;
            for path in &templates {
                let doc =
                    dialect::load_expanded(path, None, &Bindings::default()).expect("corpus reads");
                findings += lint::lint(&doc).len();
            }
        });
        println!(
            "{dialect_dir}: {} templates, {findings} findings, best of 5: {:.1} ms ({:.0} µs/template)",
            templates.len(),
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / templates.len() as f64
        );
    }

    let mut big = String::new();
    for i in 0..5000 {
        big.push_str(&format!(
            "ARG A{i}=v{i}\nSYSRC k{i}=${{A{i}}}\nCMD echo ${{A{i}}} | tee /tmp/x\nPKG p{i} q{i}\n"
        ));
    }
    let bytes = big.len();
    let t = best_of(5, || {
        let doc = bastille::parse(
            SourceFile::new("Bastillefile", big.as_bytes()),
            &Bindings::default(),
        );
        std::hint::black_box(lint::lint(&doc));
    });
    println!(
        "generated: 20000 lines ({} KiB), best of 5: {:.1} ms ({:.1} MiB/s)",
        bytes / 1024,
        t.as_secs_f64() * 1e3,
        bytes as f64 / t.as_secs_f64() / (1 << 20) as f64
    );
}
