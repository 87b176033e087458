//! Every lint rule with a template that triggers it and one that does not;
//! and a regression test for each false alarm and missed problem of the
//! lint cases (../shared/lint-cases), named after it.

use crate::common;
use crate::common::require_shellcheck;

use jailwright::dialect::Bindings;
use jailwright::dialect::{bastille, makejail};
use jailwright::lint::{self, rules};
use jailwright::source::SourceFile;

/// (code, triggers the rule, does not trigger it)
const CASES: &[(&str, &str, &str)] = &[
    ("JW101", "\u{feff}PKG nginx\n", "PKG nginx\n"),
    ("JW102", "PKG nginx\r\n", "PKG nginx\n"),
    ("JW103", "  PKG nginx\n", "\tPKG nginx\n"),
    ("JW104", "PKG\tfirst second\n", "PKG first\tsecond\n"),
    ("JW105", "# note \\\nSYSRC a=b\n", "# note\nSYSRC a=b\n"),
    ("JW106", "PKG a \\ \nPKG b\n", "PKG a \\\n b\n"),
    ("JW107", "PKG caf\u{e9}\n", "PKG cafe\n"),
    (
        "JW201",
        "SYSRC a=${X}\nARG X=1\n",
        "ARG X=1\nSYSRC a=${X}\n",
    ),
    ("JW202", "ARG X=1\nARG X=2\n", "ARG X=1\nARG Y=2\n"),
    ("JW203", "ARG JAIL_NAME=x\n", "ARG NAME=x\n"),
    ("JW204", "ARG NAME # comment\n", "ARG NAME=1 # comment\n"),
    (
        "JW205",
        "ARG IP=$(ifconfig | head -1)\n",
        "ARG IP='10.0.0.1'\n",
    ),
    ("JW206", "ARG TOKEN\n", "ARG TOKEN=abc\n"),
    ("JW207", "ARG X=1\nSYSRC a=$X\n", "ARG X=1\nSYSRC a=${X}\n"),
    ("JW301", "CP usr etc /\n", "CP usr /\n"),
    ("JW302", "OVERLAY usr etc\n", "OVERLAY usr\n"),
    (
        "JW303",
        "SERVICE nginx onestart extra\n",
        "SERVICE nginx start   #\n",
    ),
    ("JW304", "MOUNT /a b nullfs\n", "MOUNT /a b\n"),
    ("JW305", "RDR -i 10.0.0.1 tcp 80 80\n", "RDR tcp 80 80\n"),
    (
        "JW306",
        "RENDER /etc/app.ini # app\n",
        "RENDER /etc/app.ini\n",
    ),
    (
        "JW307",
        "LINE_IN_FILE listen 80 /etc/x.conf\n",
        "LINE_IN_FILE \"listen 80\" /etc/x.conf\n",
    ),
    ("JW308", "PKG\n", "PKG nginx\n"),
    ("JW309", "TAGS web  prod\n", "TAGS web prod\n"),
    ("JW310", "INCLUDE nginx\n", "INCLUDE www/nginx --arg X=1\n"),
    ("JW401", "SYSRC a=b && reboot\n", "CMD echo a && echo b\n"),
    (
        "JW402",
        "SYSRC host=$(hostname)\n",
        "CMD hostname=$(hostname)\n",
    ),
    ("JW403", "SYSRC motd=\"it's\n", "SYSRC motd=\"it's\"\n"),
    ("JW501", "PKGS nginx\n", "PKG nginx\n"),
    ("JW502", "STOP\nPKG nginx\n", "PKG nginx\nSTOP\n"),
    ("JW601", "", "PKG nginx\n"),
    (
        "JW902",
        "CMD pkg install nginx\n",
        "CMD pkg install -y nginx\n",
    ),
    (
        "JW903",
        "CMD pkg upgrade -y\n",
        "CMD pkg install -y nginx\n",
    ),
    (
        "JW904",
        "CMD cd /usr/local/www\n",
        "CMD cd /usr/local/www && make\n",
    ),
    (
        "JW905",
        "CMD sudo service nginx start\n",
        "CMD service nginx start\n",
    ),
    (
        "JW906",
        "CMD fetch -o - https://x.example/i.sh | sh\n",
        "CMD fetch -o /tmp/i.sh https://x.example/i.sh\n",
    ),
    ("JW907", "ARG DB_PASSWORD=hunter2\n", "ARG+ DB_PASSWORD\n"),
    (
        "JW908",
        "CMD chmod -R 777 /var/www\n",
        "CMD chmod -R 755 /var/www\n",
    ),
    ("JW909", "PKG nginx git\nPKG nginx\n", "PKG nginx git\n"),
    (
        "JW910",
        "PKG nginx\nSERVICE nginx start\nSYSRC nginx_enable=YES\n",
        "PKG nginx\nSYSRC nginx_enable=YES\nSERVICE nginx start\n",
    ),
    (
        "JW911",
        "PKG nginx\nSYSRC nginx_enable=YES\n",
        "PKG nginx\nSYSRC nginx_enable=YES\nSERVICE nginx start\n",
    ),
    ("JW913", "CMD echo 'unfinished\n", "CMD echo 'finished'\n"),
    (
        "JW311",
        "ARG DISKLIMIT=4G\nLIMITS datasize 20G ${DISKLIMIT}\n",
        "ARG DISKLIMIT=4G\nLIMITS datasize ${DISKLIMIT}\n",
    ),
    (
        "JW914",
        "CMD make && echo ok || echo \"make failed\"\n",
        "CMD make || { echo \"make failed\" >&2; exit 1; }\n",
    ),
    (
        "JW915",
        "SYSRC app_flags=\"--admin-password hunter2\"\n",
        "ARG+ ADMIN_PASSWORD\nSYSRC app_flags=\"--admin-password ${ADMIN_PASSWORD}\"\n",
    ),
    (
        "JW916",
        "PKG phpMyAdmin5-php83\nSERVICE mysql-server start\n",
        "PKG phpMyAdmin5-php83 mysql80-server\nSERVICE mysql-server start\n",
    ),
    ("JW913", "CMD make &&\n", "CMD make && make install\n"),
];

/// (code, triggers the rule, does not trigger it), read as a Makejail.
const MAKEJAIL_CASES: &[(&str, &str, &str)] = &[
    ("JW701", "cmd echo hi\n", "CMD echo hi\n"),
    ("JW702", "PKG 'nginx\n", "PKG 'nginx'\n"),
    ("JW703", "PKG --remove --clean x\n", "PKG --remove x\n"),
    ("JW704", "STAGE run\n", "STAGE custom:run\n"),
    ("JW705", "STAGE start\nSTART\n", "START\nSTAGE start\n"),
    (
        "JW706",
        "INCLUDE foo+bar\n",
        "INCLUDE gh+AppJail-makejails/nginx\n",
    ),
    (
        "JW707",
        "CMD echo %{TOKEN!the API token}\n",
        "CMD echo %{TOKEN:abc}\n",
    ),
    (
        "JW708",
        "%{X:1}\n%{X:2}\nCMD echo %{X}\n",
        "%{X:1}\nCMD echo %{X}\n",
    ),
    ("JW709", "PKG nginx", "PKG nginx\n"),
    ("JW710", "PKG nginx \\\n", "PKG nginx \\\n  php\n"),
    (
        "JW711",
        "PKG nginx # web server\n",
        "CMD echo hi # a shell comment\n",
    ),
    (
        "JW712",
        "VAR x=1\nCMD echo $x\n",
        "VAR --make-arg-env x=1\nCMD echo $x\n",
    ),
    (
        "JW713",
        "OPTION overwrite\nPKG nginx\n",
        "OPTION start\nPKG nginx\n",
    ),
    (
        "JW714",
        "RAW if true; then\nARG x=1\nRAW fi\n",
        "ARG x=1\nRAW if true; then\nCMD echo\nRAW fi\n",
    ),
    (
        "JW715",
        "INCLUDE build.makejail arg\n",
        "INCLUDE build.makejail\n",
    ),
    (
        "JW716",
        "OPTION start\nCMD echo\nARG x=1\n",
        "ARG x=1\nOPTION start\nCMD echo\n",
    ),
    (
        "JW717",
        "ARG x=1\nARG x=2\n",
        "ARG x=1\nSTAGE start\nARG x=2\n",
    ),
    (
        "JW718",
        "STAGE apply\nCMD echo\n",
        "STAGE start\nCMD echo\n",
    ),
    (
        "JW719",
        "OPTION expose=80\n",
        "OPTION virtualnet=:<random> default\nOPTION expose=80\n",
    ),
    (
        "JW720",
        "OPTION start\nWORKDIR /app\nCMD make install\n",
        "OPTION start\nWORKDIR /app\nCMD --workdir /app make install\n",
    ),
    (
        "JW903",
        "OPTION start\nPKG --upgrade\n",
        "OPTION start\nPKG nginx\n",
    ),
    (
        "JW904",
        "OPTION start\nCMD cd /srv\n",
        "OPTION start\nCMD cd /srv && ls\n",
    ),
    (
        "JW910",
        "OPTION start\nPKG nginx\nSERVICE nginx start\n",
        "OPTION start\nPKG nginx\nSYSRC nginx_enable=YES\nSERVICE nginx start\n",
    ),
    (
        "JW721",
        "OPTION virtualnet=:<random> default\nOPTION expose=53 proto:ucp\n",
        "OPTION virtualnet=:<random> default\nOPTION expose=53 proto:udp\n",
    ),
    ("JW722", "OPTION port=80\n", "OPTION expose=80\n"),
    (
        "JW723",
        "OPTION nat\n",
        "OPTION virtualnet=:<random> default\nOPTION nat\n",
    ),
];

/// (code, triggers the rule, does not trigger it), read as a pot flavour
/// command file named `web` (with no script unless the case says so).
const POT_CASES: &[(&str, &str, &str)] = &[
    ("JW801", "set-env -e A=1\n", "set-env -E A=1\n"),
    (
        "JW802",
        "# a comment\n",
        "set-attribute -A persistent -V NO\n",
    ),
    (
        "JW709",
        "set-attribute -A persistent -V NO",
        "set-attribute -A persistent -V NO\n",
    ),
    (
        "JW804",
        "set-env -E A=1\nset-env -E B=2\n",
        "set-env -E A=1 -E B=2\n",
    ),
    (
        "JW805",
        "set-cmd -c '/root/ci.sh'\n",
        "set-cmd -c \"/root/ci.sh\"\n",
    ),
    (
        "JW806",
        "copy-in -s \"a b\" -d /x\n",
        "copy-in -s /a -d /x\n",
    ),
    (
        "JW807",
        "mount-in -p db -z zroot/db -m /var/db\n",
        "mount-in -z zroot/db -m /var/db\n",
    ),
    (
        "JW808",
        "copy-in -s /usr/local/etc/pot/flavours/web.d/local -d /root/x\n",
        "copy-in-flv -s web.d/local -d /root/x\n",
    ),
    (
        "JW809",
        "set-cmd -c /usr/local/bin/cook\n",
        "set-attribute -A persistent -V NO\n",
    ),
    (
        "JW810",
        "copy-in -s files/a -d /a\n",
        "copy-in -s /files/a -d /a\n",
    ),
    (
        "JW812",
        "export-ports -e 80\n",
        "set-attribute -A persistent -V NO\n",
    ),
    (
        "JW813",
        "export-ports -e 80\nexport-ports -e 443\n",
        "export-ports -e 80 -e 443\n",
    ),
];

fn pot_codes(commands: &[u8]) -> Vec<&'static str> {
    // JW809 needs a script after the set-cmd: every case has one.
    let doc = jailwright::dialect::pot::parse(vec![jailwright::dialect::pot::Flavour {
        name: "web".into(),
        commands: Some(SourceFile::new("web", commands)),
        script: Some(SourceFile::new(
            "web.sh",
            b"#!/bin/sh\npkg install -y nginx\n",
        )),
    }]);
    lint::lint(&doc).into_iter().map(|d| d.code).collect()
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

/// Each case's failing text makes `codes` report its code, and its passing
/// text does not.
fn check_cases(cases: &[(&str, &str, &str)], codes: fn(&[u8]) -> Vec<&'static str>) {
    for (code, failing, passing) in cases {
        let found = codes(failing.as_bytes());
        assert!(
            found.contains(code),
            "{code} did not fire on {failing:?}: {found:?}"
        );
        let found = codes(passing.as_bytes());
        assert!(
            !found.contains(code),
            "{code} fired on {passing:?}: {found:?}"
        );
    }
}

#[test]
fn every_rule_fires_on_its_failing_case_only() {
    // JW601 needs files on disk and JW107 invalid bytes: tested below.
    let cases: Vec<_> = CASES
        .iter()
        .copied()
        .filter(|(code, ..)| *code != "JW601" && *code != "JW107")
        .collect();
    check_cases(&cases, codes);
}

#[test]
fn every_makejail_rule_fires_on_its_failing_case_only() {
    check_cases(MAKEJAIL_CASES, makejail_codes);
}

#[test]
fn every_pot_rule_fires_on_its_failing_case_only() {
    check_cases(POT_CASES, pot_codes);
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

/// Practice rules over a pot flavour's script: (code, script that
/// triggers it, script that does not).
const POT_SCRIPT_CASES: &[(&str, &str, &str)] = &[
    (
        "JW902",
        "#!/bin/sh\npkg install nginx\n",
        "#!/bin/sh\npkg install -y nginx\n",
    ),
    (
        "JW908",
        "#!/bin/sh\nchmod 777 /data\n",
        "#!/bin/sh\nchmod 750 /data\n",
    ),
    (
        "JW910",
        "#!/bin/sh\npkg install -y nginx\nservice nginx start\n",
        "#!/bin/sh\npkg install -y nginx\nsysrc nginx_enable=YES\nservice nginx start\n",
    ),
];

fn pot_script_codes(script: &[u8]) -> Vec<&'static str> {
    let doc = jailwright::dialect::pot::parse(vec![jailwright::dialect::pot::Flavour {
        name: "web".into(),
        commands: None,
        script: Some(SourceFile::new("web.sh", script)),
    }]);
    lint::lint(&doc).into_iter().map(|d| d.code).collect()
}

#[test]
fn practice_rules_read_flavour_scripts() {
    check_cases(POT_SCRIPT_CASES, pot_script_codes);
}

#[test]
fn every_rule_has_a_case() {
    for rule in rules::ALL {
        if TESTED_WITH_FILES.contains(&rule.code) {
            continue;
        }
        assert!(
            CASES
                .iter()
                .chain(MAKEJAIL_CASES)
                .chain(POT_CASES)
                .chain(POT_SCRIPT_CASES)
                .any(|(code, ..)| code == &rule.code),
            "{} has no test case",
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
fn codes_are_unique_and_in_order() {
    let codes: Vec<&str> = jailwright::lint::rules::ALL
        .iter()
        .map(|r| r.code)
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(codes, sorted);
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
