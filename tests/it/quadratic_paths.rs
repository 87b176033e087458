//! Paths that were quadratic in the size of a template (issue 13, item
//! 14), each run at a size where a quadratic regression makes the test
//! take minutes instead of a second or two, and each checked for the
//! right answer. No test here measures time: `cargo bench --bench
//! scaling` prints the figures.

use crate::common::Test;
use jailwright::dialect::{Bindings, bastille};
use jailwright::format;
use jailwright::ir::Dialect;
use jailwright::lint::{self, report};
use jailwright::source::SourceFile;

fn lint_bastille(text: &str) -> report::FileResult {
    let doc = bastille::parse(
        SourceFile::new("Bastillefile", text.as_bytes()),
        &Bindings::default(),
    );
    report::FileResult {
        diagnostics: lint::lint(&doc),
        doc,
    }
}

/// One CMD continued over `n` more lines, in the canonical layout.
fn continued_cmd(n: usize) -> String {
    let mut text = String::from("CMD echo start \\\n");
    for i in 0..n {
        text.push_str(&format!("  word{i} \\\n"));
    }
    text.push_str("  end\n");
    text
}

#[test]
fn jw909_scanned_every_earlier_package_for_each_package() {
    // 40,000 PKG lines (5 s in a release build before); every tenth
    // installs again a package of an earlier line.
    let n = 40_000;
    let mut text = String::new();
    let mut repeats = Vec::new();
    for i in 0..n {
        if i % 10 == 9 {
            text.push_str(&format!("PKG p{}\n", i - 5));
            repeats.push((i + 1, format!("p{}", i - 5)));
        } else {
            text.push_str(&format!("PKG p{i}\n"));
        }
    }
    let result = lint_bastille(&text);
    let found: Vec<(usize, String)> = result
        .diagnostics
        .iter()
        .filter(|d| d.code == "JW909")
        .map(|d| {
            let package = d.message.split(' ').next().unwrap_or_default();
            (d.span.line, package.to_string())
        })
        .collect();
    assert_eq!(found.len(), n / 10);
    assert_eq!(found, repeats);
}

#[test]
fn text_report_copied_and_rescanned_the_source_per_finding() {
    // 5,000 findings (20,000 took 37 s as text, 0.3 s as JSON): one JW104
    // per line.
    let n = 5_000;
    let text: String = (1..=n).map(|i| format!("SYSRC\tk{i}=v\n")).collect();
    let result = lint_bastille(&text);
    assert_eq!(result.diagnostics.len(), n);
    let out = report::text(
        std::slice::from_ref(&result),
        report::Look {
            color: false,
            unicode: true,
        },
    );
    // The findings in order, each with its own line shown under it.
    let mut blocks = out.split("\n\nBastillefile:");
    let first = blocks.next().unwrap_or_default();
    let blocks = std::iter::once(first.strip_prefix("Bastillefile:").unwrap_or(first))
        .chain(blocks)
        .collect::<Vec<_>>();
    assert_eq!(blocks.len(), n);
    for (i, block) in (1..=n).zip(blocks) {
        assert!(
            block.starts_with(&format!("{i}:6: error JW104 (tab-after-keyword)\n")),
            "finding {i}: {block}"
        );
        assert!(
            block.contains(&format!("[Bastillefile:{i}:6]\n")),
            "finding {i}: {block}"
        );
        assert!(
            block.contains(&format!(" {i} │ SYSRC   k{i}=v\n")),
            "finding {i} does not show its line: {block}"
        );
    }
    assert!(out.ends_with(&format!(
        "1 template(s): {n} error(s), 0 warning(s), 0 info(s)\n"
    )));
}

#[test]
fn fmt_read_the_whole_template_again_for_each_continued_line() {
    // 20,000 continued lines (9 s for fmt --check before, in a release
    // build; 200,000 took minutes). Ahead of them a space-indented line,
    // whose rewrite changes the meaning, and a lowercase keyword, so that
    // rewrites are also checked one by one.
    let text = format!("  PKG kept\npkg fixed\n{}", continued_cmd(20_000));
    let formatted = format::format(Dialect::Bastille, "Bastillefile", &text);
    assert_eq!(
        formatted,
        format!("  PKG kept\nPKG fixed\n{}", continued_cmd(20_000))
    );
    assert!(format::same_meaning(
        Dialect::Bastille,
        "Bastillefile",
        &text,
        &formatted
    ));
    assert_eq!(
        format::format(Dialect::Bastille, "Bastillefile", &formatted),
        formatted
    );
}

#[test]
fn fmt_of_a_makejail_read_it_again_for_each_continued_line() {
    // AppJail strips a continued line's leading blanks: a tab-indented
    // `[ ... ] && \` line is laid out without them; `word` lines keep
    // theirs (upper-casing them as a keyword would change the command).
    let n = 20_000;
    let mut text = String::from("CMD echo start \\\n");
    let mut expected = text.clone();
    for i in 0..n {
        if i % 2 == 0 {
            text.push_str(&format!("\t\t[ -f x{i} ] && \\\n"));
            expected.push_str(&format!("[ -f x{i} ] && \\\n"));
        } else {
            text.push_str(&format!("\tword{i} \\\n"));
            expected.push_str(&format!("\tword{i} \\\n"));
        }
    }
    text.push_str("  end\n");
    expected.push_str("  end\n");
    let formatted = format::format(Dialect::Makejail, "Makejail", &text);
    assert_eq!(formatted, expected);
    assert!(format::same_meaning(
        Dialect::Makejail,
        "Makejail",
        &text,
        &formatted
    ));
    assert_eq!(
        format::format(Dialect::Makejail, "Makejail", &formatted),
        formatted
    );
}

#[test]
fn convert_to_the_same_dialect_read_the_template_again_per_continued_line() {
    let text = continued_cmd(20_000);
    let t = Test::new().file("Bastillefile", &text).args(&[
        "convert",
        "Bastillefile",
        "--to",
        "bastille",
        "-o",
        "out",
    ]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let converted = std::fs::read_to_string(t.path().join("out")).unwrap();
    assert_eq!(converted, text);
}

#[test]
fn fmt_tried_two_thousand_rewrites_each_reading_a_large_template_again() {
    // Space-indented, `PKG` is an argument to Bastille: every rewrite
    // changes the meaning and is undone. Each try reads the whole
    // template again, so a large template gets fewer tries (was 2,000:
    // 57 s for 20,000 lines in a release build).
    let text: String = (0..20_000).map(|i| format!("  PKG p{i}\n")).collect();
    let formatted = format::format(Dialect::Bastille, "Bastillefile", &text);
    assert_eq!(formatted, text);
}

#[test]
fn lint_fix_compared_each_edit_with_every_edit_taken_before() {
    // 100,000 CRLF lines: one finding with 100,000 edits, and 100,000
    // space-indented lines with one edit each (10^10 comparisons before).
    let n = 100_000;
    let crlf: String = (0..n).map(|i| format!("SYSRC k{i}=v\r\n")).collect();
    let found = lint_bastille(&crlf).diagnostics;
    let (fixed, count) = lint::fix::apply(&crlf, "Bastillefile", &found);
    assert_eq!(count, 1);
    assert_eq!(fixed, crlf.replace("\r\n", "\n"));
    let indented: String = (0..n).map(|i| format!(" SYSRC k{i}=v\n")).collect();
    let found = lint_bastille(&indented).diagnostics;
    let (fixed, count) = lint::fix::apply(&indented, "Bastillefile", &found);
    assert_eq!(count, n);
    assert_eq!(fixed, indented.replace(" SYSRC", "SYSRC"));
}

#[test]
fn makejail_build_args_rescanned_every_line_for_each_declaration() {
    // 3,000 declarations, each used once (9 M line scans before; now each
    // declaration looks only at the lines that mention it).
    let n = 3_000;
    let mut text: String = (0..n)
        .map(|i| format!("ARG x{i}=%{{B{i}:v{i}}}\n"))
        .collect();
    text.extend((0..n).map(|i| format!("CMD echo %{{B{i}}}\n")));
    let doc = jailwright::dialect::makejail::parse(
        SourceFile::new("Makejail", text.as_bytes()),
        &Bindings::default(),
    );
    let cmds: Vec<String> = doc
        .template
        .steps
        .iter()
        .filter_map(|s| match &s.instruction {
            jailwright::ir::Instruction::Cmd { script, .. } => Some(script.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(cmds.len(), n);
    assert!(
        cmds.iter()
            .enumerate()
            .all(|(i, c)| *c == format!("echo v{i}"))
    );
}

#[test]
fn render_copied_every_arg_in_force_for_each_render() {
    // n ARG and RENDER lines in turn: each RENDER kept its own copy of the
    // substitutions in force (a 100k-line Bastillefile: 16 s and 4 GB).
    let n = 3_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!("ARG A{i}=v{i}\nRENDER /etc/f{i}\n"));
    }
    let doc = bastille::parse(
        SourceFile::new("Bastillefile", text.as_bytes()),
        &Bindings::default(),
    );
    let renders: Vec<&jailwright::ir::Vars> = doc
        .template
        .steps
        .iter()
        .filter_map(|s| match &s.instruction {
            jailwright::ir::Instruction::Render { vars, .. } => Some(vars),
            _ => None,
        })
        .collect();
    assert_eq!(renders.len(), n);
    for (i, vars) in renders.iter().enumerate() {
        // The ARGs above it, in order, and no more.
        assert_eq!(vars.len(), i + 1);
        assert_eq!(vars.as_slice()[i], (format!("A{i}"), format!("v{i}")));
        // One chain for all of them.
        assert_eq!(vars.chain().as_ptr(), renders[0].chain().as_ptr());
    }
}

#[test]
fn jw910_and_jw911_compared_each_service_with_every_enable() {
    // n services enabled and n started, in turn; every tenth started
    // service was never enabled, and every tenth enabled one never starts.
    let n = 20_000;
    // The template installs them (svc123 and other123 read as the
    // services of packages `svc` and `other`).
    let mut text = String::from("PKG svc other\n");
    let mut not_enabled = Vec::new();
    let mut not_started = Vec::new();
    for i in 0..n {
        text.push_str(&format!("SYSRC svc{i}_enable=YES\n"));
        if i % 10 == 3 {
            not_started.push(format!("svc{i}"));
        } else if i % 10 == 7 {
            not_enabled.push(format!("other{i}"));
            text.push_str(&format!("SERVICE other{i} start\n"));
        } else {
            text.push_str(&format!("SERVICE svc{i} start\n"));
        }
    }
    let result = lint_bastille(&text);
    let named = |code: &str| -> Vec<String> {
        result
            .diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let first = d.message.split([' ', '_']).next().unwrap_or_default();
                first.to_string()
            })
            .collect()
    };
    assert_eq!(named("JW910"), not_enabled);
    let mut enabled_only = not_started.clone();
    enabled_only.extend(not_enabled.iter().map(|o| o.replace("other", "svc")));
    enabled_only.sort_by_key(|s| s[3..].parse::<usize>().unwrap_or(0));
    assert_eq!(named("JW911"), enabled_only);
}

#[test]
fn makejail_arg_rules_compared_each_arg_with_every_earlier_one() {
    // n ARGs each used by a CMD; every tenth is declared twice.
    let n = 20_000;
    let mut text = String::new();
    let mut twice = Vec::new();
    for i in 0..n {
        text.push_str(&format!("ARG a{i}=v\nCMD echo ${{a{i}}}\n"));
        if i % 10 == 0 {
            text.push_str(&format!("ARG a{i}=w\n"));
            twice.push(format!("ARG a{i} is already declared"));
        }
    }
    let doc = jailwright::dialect::makejail::parse(
        SourceFile::new("Makejail", text.as_bytes()),
        &Bindings::default(),
    );
    let diagnostics = lint::lint(&doc);
    let duplicates: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.message.contains("already declared"))
        .map(|d| {
            d.message
                .split(" on line")
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(duplicates, twice);
    // Every CMD sees its ARG: nothing invisible.
    assert!(
        !diagnostics
            .iter()
            .any(|d| d.rule == "cmd-invisible-variable"),
        "{:?}",
        diagnostics
            .iter()
            .find(|d| d.rule == "cmd-invisible-variable")
    );
}
