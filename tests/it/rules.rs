//! Every lint rule with a template that triggers it and one that does not;
//! and a regression test for each false alarm and missed problem of the
//! lint cases (../shared/lint-cases), named after it.

use crate::common;
use crate::common::require_shellcheck;

use jailwright::dialect::Bindings;
use jailwright::dialect::{bastille, makejail};
use jailwright::lint::{self, rules};
use jailwright::source::SourceFile;

/// The rule cases: `fixtures/rules/DIALECT/CODE[-N]/{fail,pass}/`, each a
/// template that triggers CODE and one that does not (ruff's shape: a
/// fixture and a snapshot per case). DIALECT is `bastille` (a
/// Bastillefile), `makejail` (a main Makejail), `pot` (a flavour `web`
/// and its `web.sh`) or `pot-script` (a flavour that is only `web.sh`).
fn rule_cases() -> Vec<(String, String, std::path::PathBuf)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut cases = Vec::new();
    for dialect in std::fs::read_dir(&root).expect("fixtures/rules").flatten() {
        for case in std::fs::read_dir(dialect.path())
            .expect("a dialect's cases")
            .flatten()
        {
            let name = case.file_name().to_string_lossy().into_owned();
            let code = name.split('-').next().unwrap_or_default().to_string();
            cases.push((
                dialect.file_name().to_string_lossy().into_owned(),
                code,
                case.path(),
            ));
        }
    }
    cases.sort();
    cases
}

/// The findings of the case template in `dir`, read as `dialect` reads it.
fn case_findings(dialect: &str, dir: &std::path::Path) -> Vec<lint::Diagnostic> {
    let read = |name: &str| std::fs::read(dir.join(name)).ok();
    let file = |name: &str| read(name).map(|bytes| SourceFile::new(name, &bytes));
    let doc = match dialect {
        "bastille" => bastille::parse(
            file("Bastillefile").expect("a Bastillefile"),
            &Bindings::default(),
        ),
        "makejail" => makejail::parse(file("Makejail").expect("a Makejail"), &Bindings::default()),
        "pot" | "pot-script" => {
            jailwright::dialect::pot::parse(vec![jailwright::dialect::pot::Flavour {
                name: "web".into(),
                commands: file("web"),
                script: file("web.sh"),
            }])
        }
        other => panic!("fixtures/rules/{other}: not a dialect"),
    };
    lint::lint(&doc)
}

/// A case's findings of its rule, as a snapshot shows them.
fn shown(found: &[lint::Diagnostic]) -> String {
    found
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} [{}..{}] {} {}: {}\n  help: {}\n",
                d.span.file,
                d.span.line,
                d.span.column,
                d.span.start,
                d.span.end,
                d.code,
                d.severity,
                d.message,
                d.help.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

/// Every case: its failing template's findings of its rule (message, span,
/// help) are its snapshot, and its passing template has none of them.
/// Every case is checked before the test fails, naming each wrong one.
#[test]
fn every_rule_case_fires_on_its_failing_template_only() {
    let mut wrong = Vec::new();
    for (dialect, code, dir) in rule_cases() {
        let of_rule = |found: Vec<lint::Diagnostic>| -> Vec<lint::Diagnostic> {
            found.into_iter().filter(|d| d.code == code).collect()
        };
        let failing = of_rule(case_findings(&dialect, &dir.join("fail")));
        let passing = of_rule(case_findings(&dialect, &dir.join("pass")));
        let case = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if failing.is_empty() {
            wrong.push(format!("{dialect}/{case}: {code} did not fire on fail/"));
        }
        if !passing.is_empty() {
            wrong.push(format!(
                "{dialect}/{case}: {code} fired on pass/:\n{}",
                shown(&passing)
            ));
        }
        let name = format!("{dialect}__{case}");
        let snapshot = std::panic::catch_unwind(|| {
            insta::with_settings!({snapshot_path => "snapshots/rules", prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(name, shown(&failing));
            });
        });
        if snapshot.is_err() {
            wrong.push(format!("{dialect}/{case}: its snapshot differs"));
        }
    }
    assert!(
        wrong.is_empty(),
        "rule cases that are wrong:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn missing_copy_source_looks_beside_the_command_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("web"), "copy-in-flv -s web.d/local -d /root/x\ncopy-in -s /usr/local/etc/pot/flavours/web.d/etc -d /etc/x\n").unwrap();
    std::fs::create_dir_all(dir.path().join("web.d/local")).unwrap();
    let doc =
        jailwright::dialect::load(&dir.path().join("web"), None, &Bindings::default()).unwrap();
    let found: Vec<_> = lint::lint(&doc)
        .into_iter()
        .filter(|d| d.code == "JW811")
        .map(|d| d.span.line)
        .collect();
    assert_eq!(found, [2], "only the missing web.d/etc");
}

fn makejail_codes(bytes: &[u8]) -> Vec<&'static str> {
    // Named like a main Makejail (some rules only check those).
    let doc = makejail::parse(SourceFile::new("Makejail", bytes), &Bindings::default());
    lint::lint(&doc).into_iter().map(|d| d.code).collect()
}

fn codes(bytes: &[u8]) -> Vec<&'static str> {
    let doc = bastille::parse(SourceFile::new("Bastillefile", bytes), &Bindings::default());
    lint::lint(&doc).into_iter().map(|d| d.code).collect()
}

#[test]
fn not_utf8_fires_on_invalid_bytes() {
    assert!(codes(b"PKG caf\xe9\n").contains(&"JW107"));
    assert!(!codes("PKG caf\u{e9}\n".as_bytes()).contains(&"JW107"));
}

#[test]
fn legacy_hooks_fire_for_hook_layouts_and_hooks_beside_a_bastillefile() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("PKG"), "nginx\n").unwrap();
    let load =
        |p: &std::path::Path| jailwright::dialect::load(p, None, &Bindings::default()).unwrap();
    let found = |p: &std::path::Path| lint::lint(&load(p)).into_iter().any(|d| d.code == "JW601");
    assert!(found(dir.path()));
    std::fs::write(dir.path().join("Bastillefile"), "PKG nginx\n").unwrap();
    assert!(found(dir.path()), "hook beside a Bastillefile");
    std::fs::remove_file(dir.path().join("PKG")).unwrap();
    assert!(!found(dir.path()));
}

/// Rules whose cases need files on disk: tested by their own test above.
const TESTED_WITH_FILES: &[&str] = &["JW811", "JW901", "JW912"];

#[test]
fn every_rule_has_a_case() {
    let cases = rule_cases();
    for rule in rules::ALL {
        if TESTED_WITH_FILES.contains(&rule.code) || ["JW107", "JW601"].contains(&rule.code) {
            continue;
        }
        assert!(
            cases.iter().any(|(_, code, _)| code == rule.code),
            "{} has no case under fixtures/rules",
            rule.code
        );
    }
}

#[test]
fn codes_are_unique_and_sorted() {
    let codes: Vec<&str> = rules::ALL.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted);
}

#[test]
fn vm_plugin_files_get_one_finding_not_one_per_line() {
    let found = codes(b"VM\nCPU 2\nMEM 1G\nDISK d 10G\nNIC vtnet0\n");
    assert_eq!(
        found.iter().filter(|c| **c == "JW501").count(),
        1,
        "{found:?}"
    );
}

/// Found by the fuzzer: a space-indented line with a tab after its first
/// word made JW104 slice backwards.
#[test]
fn tab_after_keyword_on_a_space_indented_line_does_not_panic() {
    let found = codes(b" OPTIONSnnn\tnnn x\n");
    assert!(found.contains(&"JW103"), "{found:?}");
    assert!(!found.contains(&"JW104"), "{found:?}");
}

/// Found by the fuzzer: a `--build-arg` error in a file with no lines
/// pointed at line 0 of nothing.
#[test]
fn build_arg_error_in_an_empty_makejail_does_not_panic() {
    let bindings = Bindings {
        build_args: vec!["X=1".into()],
        ..Bindings::default()
    };
    let doc = makejail::parse(SourceFile::new("Makejail", b"  "), &bindings);
    let found: Vec<_> = lint::lint(&doc).into_iter().map(|d| d.code).collect();
    assert_eq!(found, ["JW707"]);
}

#[test]
fn every_rule_has_a_page() {
    for rule in jailwright::lint::rules::ALL {
        let doc = jailwright::lint::rules::documentation(rule);
        assert!(
            doc.starts_with(rule.code) && doc.len() > 60,
            "{} needs a //! comment that starts with its code and says why: {doc:?}",
            rule.code
        );
        assert!(
            jailwright::lint::explain(rule).contains(rule.summary),
            "{}",
            rule.code
        );
    }
}

#[test]
fn missing_template_file_looks_beside_the_file_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("files")).unwrap();
    std::fs::write(dir.path().join("files/there.conf"), "x").unwrap();
    let bastillefile = dir.path().join("Bastillefile");
    std::fs::write(
        &bastillefile,
        "CP files/there.conf /etc/\nCP files/gone.conf /etc/\nCP ${X}.conf /etc/\n",
    )
    .unwrap();
    let doc = jailwright::dialect::load(&bastillefile, None, &Bindings::default()).unwrap();
    let lines: Vec<usize> = lint::lint(&doc)
        .into_iter()
        .filter(|d| d.code == "JW912")
        .map(|d| d.span.line)
        .collect();
    assert_eq!(
        lines,
        [2],
        "only the missing file; a variable is not checked"
    );
}

#[test]
fn expose_needs_a_default_network_or_a_named_one() {
    let no_default = makejail_codes(b"OPTION virtualnet=web:j\nOPTION expose=80\n");
    assert!(no_default.contains(&"JW719"), "{no_default:?}");
    let named = makejail_codes(b"OPTION virtualnet=web:j\nOPTION expose=80 network:web\n");
    assert!(!named.contains(&"JW719"), "{named:?}");
    // Options may come from an INCLUDE that is not expanded: not told.
    let included = makejail_codes(b"INCLUDE gh+x/y\nOPTION expose=80\n");
    assert!(!included.contains(&"JW719"), "{included:?}");
}

// ---- Regressions: ../shared/lint-cases, each with a fixture of its own ----

/// One finding of `lint --format json`: (line, column, code or
/// ShellCheck code, message, help).
type Found = (u64, u64, String, String, String);

/// The findings of `jailwright lint --format json ARGS... FILE` over the
/// files written (each `(path, text)`), ShellCheck's cache kept apart.
fn lint_files(files: &[(&str, &str)], target: &str, extra: &[&str]) -> Vec<Found> {
    let mut t = common::Test::new();
    for (path, text) in files {
        t = t.file(path, text);
    }
    let cache = t.path().join("cache");
    let mut args = vec!["lint", "--format", "json", "--failure-threshold", "none"];
    args.extend(extra);
    args.push(target);
    let out = t
        .args(&args)
        .env("XDG_CACHE_HOME", cache.to_str().unwrap())
        .run();
    out.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let text = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            let code = d["shellcheck_code"]
                .as_str()
                .map_or_else(|| text("code"), str::to_string);
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                code,
                text("message"),
                text("help"),
            )
        })
        .collect()
}

fn lint_one(name: &str, text: &str) -> Vec<Found> {
    lint_files(&[(name, text)], name, &[])
}

fn codes_of(found: &[Found]) -> Vec<&str> {
    found.iter().map(|f| f.2.as_str()).collect()
}

#[test]
fn jw201_fired_inside_single_quotes_and_on_a_loop_variable_of_the_same_cmd() {
    let found = lint_one(
        "Bastillefile",
        "CMD echo 'url: \"pkg+http://pkg.FreeBSD.org/${ABI}/latest\"' > /usr/local/etc/pkg/repos/FreeBSD.conf\nCMD for i in a b; do echo ${i}; done\nCMD echo ${UNSET}\n",
    );
    let jw201: Vec<&Found> = found.iter().filter(|f| f.2 == "JW201").collect();
    assert_eq!(jw201.len(), 1, "{found:?}");
    assert_eq!(jw201[0].0, 3, "only the variable nothing sets: {found:?}");
    assert!(
        jw201[0].3.contains("this CMD does not set it"),
        "{}",
        jw201[0].3
    );
}

#[test]
fn jw201_fired_on_variables_a_legacy_hook_script_sets_or_sources() {
    let found = lint_files(
        &[
            ("t/PKG", "nginx\n"),
            (
                "t/CMD",
                "#!/bin/sh\n. ./template.conf\ni=1\necho ${i} ${from_conf}\n",
            ),
        ],
        "t",
        &[],
    );
    assert!(!codes_of(&found).contains(&"JW201"), "{found:?}");
}

#[test]
fn sc2016_fired_on_text_bastille_substitutes_inside_single_quotes() {
    require_shellcheck();
    let text = "PKG apache24\nCMD sed -i '' 's%#ServerName x%ServerName ${JAIL_IP}%' /usr/local/etc/apache24/httpd.conf\nCMD echo '$HOME ${JAIL_IP}'\n";
    let found = lint_files(
        &[("Bastillefile", text)],
        "Bastillefile",
        &["--extend-select", "JW901"],
    );
    let sc2016: Vec<u64> = found
        .iter()
        .filter(|f| f.2 == "SC2016")
        .map(|f| f.0)
        .collect();
    assert_eq!(
        sc2016,
        [3],
        "only where a real expansion is quoted: {found:?}"
    );
}

#[test]
fn sc2086_fired_on_an_arg_bastille_substitutes_but_stays_for_a_makejail_cmd() {
    require_shellcheck();
    let found = lint_files(
        &[("Bastillefile", "ARG OPTIONS\nCMD ls ${OPTIONS} /\n")],
        "Bastillefile",
        &["--extend-select", "JW901"],
    );
    assert!(!codes_of(&found).contains(&"SC2086"), "{found:?}");
    // In a Makejail's CMD an ARG is an environment variable: quoting
    // matters there (opt-in, as ShellCheck's info level).
    let found = lint_files(
        &[("Makejail", "ARG options\nCMD ls ${options} /\n")],
        "Makejail",
        &["--extend-select", "SC2086"],
    );
    assert!(codes_of(&found).contains(&"SC2086"), "{found:?}");
}

#[test]
fn sc3040_fired_on_pipefail_which_freebsd_sh_has() {
    require_shellcheck();
    let found = lint_files(
        &[(
            "Makejail",
            "OPTION start\nCMD set -o pipefail; echo -n x; ls / | wc -l\n",
        )],
        "Makejail",
        &["--extend-select", "JW901"],
    );
    let codes = codes_of(&found);
    for wrong in ["SC3040", "SC3037", "SC3036"] {
        assert!(!codes.contains(&wrong), "{found:?}");
    }
}

#[test]
fn shellcheck_info_and_style_are_opt_in() {
    require_shellcheck();
    let text = "CMD ls / | wc -l\nCMD echo $missing\n";
    let default = lint_files(&[("Bastillefile", text)], "Bastillefile", &[]);
    assert_eq!(
        codes_of(&default),
        ["SC2154"],
        "a warning by default, not SC2012 (info)"
    );
    let opted = lint_files(
        &[("Bastillefile", text)],
        "Bastillefile",
        &["--extend-select", "SC2012"],
    );
    assert_eq!(codes_of(&opted), ["SC2012", "SC2154"]);
    let family = lint_files(
        &[("Bastillefile", text)],
        "Bastillefile",
        &["--extend-select", "JW9"],
    );
    assert_eq!(codes_of(&family), ["SC2154"], "a family does not opt in");
}

#[test]
fn jw908_fired_on_the_sticky_tmp_mode() {
    assert!(lint_one("Bastillefile", "CMD chmod 1777 /tmp\n").is_empty());
    assert_eq!(
        codes_of(&lint_one("Bastillefile", "CMD chmod 0777 /srv\n")),
        ["JW908"]
    );
}

#[test]
fn jw910_fired_on_services_without_enable_variable_or_enabled_by_default() {
    let found = lint_one(
        "Bastillefile",
        "SERVICE ldconfig restart\nSERVICE syslogd restart\nPKG nginx\nSERVICE nginx start\n",
    );
    let jw910: Vec<u64> = found
        .iter()
        .filter(|f| f.2 == "JW910")
        .map(|f| f.0)
        .collect();
    assert_eq!(jw910, [4], "{found:?}");
}

#[test]
fn jw911_suggested_starting_a_service_nothing_installs() {
    let found = lint_one("Bastillefile", "PKG weechat\nSYSRC tcsd_enable=YES\n");
    assert!(!found.iter().any(|f| f.2 == "JW911"), "{found:?}");
    let jw916 = found
        .iter()
        .find(|f| f.2 == "JW916")
        .expect("the real problem");
    assert_eq!(jw916.0, 2);
    assert!(jw916.3.contains("nothing installs tcsd"), "{}", jw916.3);
}

#[test]
fn jw911_fired_when_a_run_script_may_start_the_service() {
    let found = lint_files(
        &[
            (
                "Makejail",
                "OPTION start\nPKG nginx\nSYSRC nginx_enable=YES\nCOPY scripts\nRUN /scripts/start.sh\n",
            ),
            ("scripts/start.sh", "#!/bin/sh\nservice nginx start\n"),
        ],
        "Makejail",
        &[],
    );
    assert!(!codes_of(&found).contains(&"JW911"), "{found:?}");
}

#[test]
fn jw911_names_the_started_service_of_a_misspelled_enable() {
    let found = lint_one(
        "Bastillefile",
        "PKG git\nCMD git clone https://example.org/mastodon /srv\nSYSRC masodon_sidekiq_enable=YES\nSERVICE mastodon_sidekiq start\n",
    );
    let jw911 = found.iter().find(|f| f.2 == "JW911").expect("reported");
    assert!(
        jw911
            .3
            .contains("starts mastodon_sidekiq (line 4): is one of the two names misspelled?"),
        "{}",
        jw911.3
    );
}

#[test]
fn jw904_fired_in_a_legacy_cmd_hook_run_as_one_script() {
    let found = lint_files(
        &[("t/CMD", "cd /tmp\ntouch x\n"), ("t/PKG", "nginx\n")],
        "t",
        &[],
    );
    assert!(!codes_of(&found).contains(&"JW904"), "{found:?}");
}

#[test]
fn jw909_counted_pkg_local_as_a_jail_install_and_named_the_wrong_line() {
    let found = lint_one(
        "Makejail",
        "OPTION start\nPKG pulseaudio\nPKG --local pulseaudio\n",
    );
    assert!(!codes_of(&found).contains(&"JW909"), "{found:?}");
    let found = lint_one("Bastillefile", "PKG nginx git nginx\nPKG git\n");
    let jw909: Vec<(u64, u64, &str)> = found
        .iter()
        .filter(|f| f.2 == "JW909")
        .map(|f| (f.0, f.1, f.3.as_str()))
        .collect();
    assert_eq!(
        jw909,
        [
            (1, 15, "nginx is listed twice in this install"),
            (2, 5, "git is already installed on line 1")
        ]
    );
}

#[test]
fn jw805_fired_although_no_rc_script_makes_a_shell_strip_the_quotes() {
    let flavour = "set-attribute -A no-rc-script -V ON\nset-cmd -c '/root/ci.sh'\n";
    assert!(!codes_of(&lint_one("p805", flavour)).contains(&"JW805"));
    let without = "set-attribute -A persistent -V NO\nset-cmd -c \"nginx -g 'daemon off;'\"\n";
    assert!(codes_of(&lint_one("p805", without)).contains(&"JW805"));
    // A set-cmd-only fragment follows other flavours in a chain, where one
    // may set no-rc-script.
    let fragment = "set-cmd -c '/root/ci.sh'\n";
    assert!(!codes_of(&lint_one("p805", fragment)).contains(&"JW805"));
}

#[test]
fn limits_with_an_extra_value_was_silently_ignored() {
    let found = lint_one(
        "Bastillefile",
        "ARG DISKLIMIT=4G\nLIMITS datasize 20G ${DISKLIMIT}\n",
    );
    let jw311 = found.iter().find(|f| f.2 == "JW311").expect("reported");
    assert_eq!((jw311.0, jw311.1), (2, 21), "at the ignored word");
    assert!(jw311.3.contains("ignores `4G`"), "{}", jw311.3);
    let flag = lint_one("Bastillefile", "LIMITS -a memoryuse 1G\n");
    assert!(
        flag.iter()
            .any(|f| f.2 == "JW311" && f.3.contains("reads `-a` as the resource")),
        "{flag:?}"
    );
    let usage = lint_one("Bastillefile", "LIMITS add memoryuse 1G 2G\n");
    assert!(
        usage
            .iter()
            .any(|f| f.2 == "JW311" && f.3.contains("at most 3")),
        "{usage:?}"
    );
}

#[test]
fn or_echo_masking_a_cmd_failure_was_missed() {
    let found = lint_one(
        "Bastillefile",
        "CMD cp /usr/local/etc/php.ini-production /usr/local/etc/php.ini && echo ok || echo \"command failed\"\n",
    );
    let jw914 = found.iter().find(|f| f.2 == "JW914").expect("reported");
    assert_eq!((jw914.0, jw914.1), (1, 76));
    assert!(lint_one("Bastillefile", "CMD make || true\n").is_empty());
}

#[test]
fn passwords_in_an_arg_default_and_in_sysrc_flags_were_missed() {
    let found = lint_one(
        "Bastillefile",
        "ARG DBPASS=mypass\nPKG keycloak\nSYSRC keycloak_flags=\"start-dev --bootstrap-admin-password tmpadmin\"\nARG RANDOM_ROOT_PASSWORD=1\n",
    );
    let lines: Vec<(u64, &str)> = found
        .iter()
        .filter(|f| f.2 == "JW907" || f.2 == "JW915")
        .map(|f| (f.0, f.2.as_str()))
        .collect();
    assert_eq!(
        lines,
        [(1, "JW907"), (3, "JW915")],
        "a switch (=1) is no secret: {found:?}"
    );
}

#[test]
fn jw907_help_gives_each_managers_own_way_to_pass_the_value() {
    let bastille = lint_one("Bastillefile", "ARG DB_PASSWORD=x\n");
    assert!(
        bastille[0].4.contains("--arg DB_PASSWORD="),
        "{}",
        bastille[0].4
    );
    let makejail = lint_one("Makejail", "ARG db_password=x\n");
    let help = &makejail
        .iter()
        .find(|f| f.2 == "JW907")
        .expect("reported")
        .4;
    assert!(
        help.contains("appjail makejail") && help.contains("--db_password"),
        "{help}"
    );
    assert!(!help.contains("--arg"), "{help}");
}

#[test]
fn a_started_service_nothing_installs_was_missed() {
    let found = lint_one(
        "Bastillefile",
        "PKG phpMyAdmin5-php83\nSYSRC mysql_enable=YES\nSERVICE mysql-server start\n",
    );
    let jw916: Vec<u64> = found
        .iter()
        .filter(|f| f.2 == "JW916")
        .map(|f| f.0)
        .collect();
    assert_eq!(jw916, [3], "{found:?}");
    // A package that installs it, or one lint does not know: nothing.
    assert!(
        !codes_of(&lint_one(
            "Bastillefile",
            "PKG mariadb106-server\nSERVICE mysql-server start\n"
        ))
        .contains(&"JW916")
    );
    assert!(
        !codes_of(&lint_one(
            "Bastillefile",
            "PKG beats8\nSERVICE filebeat start\n"
        ))
        .contains(&"JW916")
    );
}

#[test]
fn a_makejail_option_appjail_quick_rejects_was_missed() {
    let found = lint_one(
        "Makejail",
        "OPTION virtualnet=net:web default\nOPTION nat=network:net\nOPTION expose=53:53 network:net proto:ucp\nOPTION start\nPKG dnsmasq\n",
    );
    let jw721 = found.iter().find(|f| f.2 == "JW721").expect("reported");
    assert_eq!((jw721.0, jw721.1), (3, 33), "at proto:ucp");
    assert!(jw721.3.starts_with("ucp: invalid protocol."), "{}", jw721.3);
    let unknown = lint_one("Makejail", "OPTION expos=80\n");
    assert!(
        unknown
            .iter()
            .any(|f| f.2 == "JW722" && f.4.contains("did you mean `expose`")),
        "{unknown:?}"
    );
}

#[test]
fn jw712_714_716_pointed_at_the_line_not_the_offending_token() {
    let found = lint_one("Makejail", "OPTION start\nCMD echo ${late}\nARG late=1\n");
    let jw716 = found.iter().find(|f| f.2 == "JW716").expect("JW716");
    assert_eq!((jw716.0, jw716.1), (3, 1), "at ARG");
    let found = lint_one(
        "Makejail",
        "OPTION start\nSTAGE custom:x\nARG x=1\nSTAGE build\nCMD echo ${x}\n",
    );
    let jw712 = found.iter().find(|f| f.2 == "JW712").expect("JW712");
    assert_eq!((jw712.0, jw712.1), (5, 10), "at ${{x}}");
    let found = lint_one(
        "Makejail",
        "OPTION start\nRAW if true; then\n  ENV A=1\nRAW fi\n",
    );
    let jw714 = found.iter().find(|f| f.2 == "JW714").expect("JW714");
    assert_eq!((jw714.0, jw714.1), (3, 3), "at ENV");
}

#[test]
fn opt_in_rules_are_reported_only_when_named() {
    let text = "ARG TOKEN\nCMD echo ${TOKEN}\n";
    let codes = |extra: &[&str]| -> Vec<String> {
        codes_of(&lint_files(
            &[("Bastillefile", text)],
            "Bastillefile",
            extra,
        ))
        .into_iter()
        .map(String::from)
        .collect()
    };
    assert!(!codes(&["--no-shellcheck"]).contains(&"JW206".to_string()));
    assert!(!codes(&["--no-shellcheck", "--select", "ALL"]).contains(&"JW206".to_string()));
    assert!(!codes(&["--no-shellcheck", "--extend-select", "JW2"]).contains(&"JW206".to_string()));
    assert!(codes(&["--no-shellcheck", "--extend-select", "JW206"]).contains(&"JW206".to_string()));
    assert!(
        codes(&["--no-shellcheck", "--extend-select", "arg-without-value"])
            .contains(&"JW206".to_string())
    );
    let rules = common::Test::new().args(&["rules"]).run();
    let line = rules
        .stdout
        .lines()
        .find(|l| l.starts_with("JW206"))
        .unwrap();
    assert!(line.contains("opt-in"), "{line}");
    let page = common::Test::new().args(&["explain", "JW206"]).run();
    assert!(page.stdout.contains("default: opt-in"), "{}", page.stdout);
}

// ---- Regressions found attacking the rules above ----

#[test]
fn shell_rules_skipped_every_bastille_cmd_that_uses_an_arg() {
    let found = lint_one(
        "Bastillefile",
        "ARG APPDIR=/usr/local/www/app\nCMD chmod -R 777 ${APPDIR}\nCMD git clone https://example.org/x ${APPDIR} || echo \"clone failed\"\nCMD cd ${APPDIR}\n",
    );
    let codes = codes_of(&found);
    for code in ["JW908", "JW914", "JW904"] {
        assert!(codes.contains(&code), "{code}: {found:?}");
    }
}

#[test]
fn jw916_fired_on_a_package_name_built_from_an_arg() {
    let found = lint_one(
        "Makejail",
        "ARG postgres_version=16\nOPTION start\nPKG postgresql${postgres_version}-server\nSERVICE postgresql start\n",
    );
    assert!(!codes_of(&found).contains(&"JW916"), "{found:?}");
    let client = lint_one(
        "Bastillefile",
        "PKG mysql80-client\nSERVICE mysql-server start\n",
    );
    assert!(
        codes_of(&client).contains(&"JW916"),
        "a client installs no server: {client:?}"
    );
}

#[test]
fn jw721_fired_on_build_arguments_appjail_fills_in_first() {
    let found = lint_one(
        "Makejail",
        "OPTION virtualnet=:<random> default address:%{ADDR:address of the jail}\nOPTION priority=%{PRIO:10}\nOPTION expose=%{PORT:8080}:80 proto:tpc\n",
    );
    let jw721: Vec<(u64, &str)> = found
        .iter()
        .filter(|f| f.2 == "JW721")
        .map(|f| (f.0, f.3.as_str()))
        .collect();
    assert_eq!(jw721.len(), 1, "{jw721:?}");
    assert!(jw721[0].1.starts_with("tpc: invalid protocol"), "{jw721:?}");
}

#[test]
fn jw805_missed_single_quotes_inside_the_start_command() {
    let found = lint_one(
        "web",
        "set-attribute -A persistent -V NO\nset-cmd -c \"nginx -g 'daemon off;'\"\n",
    );
    assert!(codes_of(&found).contains(&"JW805"), "{found:?}");
}

#[test]
fn jw914_fired_on_the_append_if_missing_idiom() {
    let found = lint_one(
        "Bastillefile",
        "CMD grep -q '^x' /etc/f || echo 'x' >> /etc/f\n",
    );
    assert!(!codes_of(&found).contains(&"JW914"), "{found:?}");
}

#[test]
fn secret_rules_fired_on_paths_switches_and_settings() {
    let found = lint_one(
        "Bastillefile",
        "ARG TOKEN_TTL=3600\nARG PASSWORD_MIN_LENGTH=12\nARG PASSWORD_FILE=/root/x\nARG DB_PASSWORD=\"\"\nSYSRC openvpn_flags=\"--auth-user-pass /usr/local/etc/pass\"\nSYSRC app_secret_key_file=/root/key\nSYSRC redis_pass=redis\n",
    );
    let secrets: Vec<(u64, u64, &str)> = found
        .iter()
        .filter(|f| f.2 == "JW907" || f.2 == "JW915")
        .map(|f| (f.0, f.1, f.2.as_str()))
        .collect();
    assert_eq!(
        secrets,
        [(7, 18, "JW915")],
        "only the literal password, at the value: {found:?}"
    );
}

#[test]
fn jw201_missed_an_arg_written_with_a_shell_default() {
    let found = lint_one(
        "Bastillefile",
        "ARG DB_HOST=db\nCMD echo ${DB_HOST:-127.0.0.1}\nCMD IFS=: read -r U V < /etc/x; echo ${U} ${1}\n",
    );
    let jw201: Vec<(u64, &str)> = found
        .iter()
        .filter(|f| f.2 == "JW201")
        .map(|f| (f.0, f.3.as_str()))
        .collect();
    assert_eq!(jw201.len(), 1, "{jw201:?}");
    assert!(
        jw201[0]
            .1
            .contains("bastille substitutes only `${DB_HOST}`"),
        "{jw201:?}"
    );
}
