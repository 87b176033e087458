//! The JSON of every Bastille fixture, as `parse --format json` prints it,
//! kept as insta snapshots (tests/snapshots/).

use crate::common;

use jailwright::dialect::{self, Bindings};

fn parse_json(name: &str) -> serde_json::Value {
    parse_json_in("bastille", name, false)
}

fn parse_json_in(dialect: &str, name: &str, expand: bool) -> serde_json::Value {
    let root = common::fixtures().join(dialect);
    let bindings = Bindings {
        args: vec!["NAME=cli".into()],
        ..Bindings::default()
    };
    let load = if expand {
        dialect::load_expanded
    } else {
        dialect::load
    };
    let doc = load(&root.join(name), None, &bindings).expect("fixture reads");
    let mut json: serde_json::Value =
        serde_json::from_str(&jailwright::inspect::json(&doc.template)).unwrap();
    // Paths differ between machines: keep them relative to the fixture.
    for step in json["steps"].as_array_mut().unwrap() {
        let file = step["file"].as_str().unwrap().to_string();
        let rel = file
            .rsplit_once(&format!("{dialect}/{name}/"))
            .map_or(file.clone(), |(_, r)| r.to_string());
        step["file"] = rel.into();
    }
    json
}

macro_rules! fixture {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            insta::assert_json_snapshot!($name, parse_json($name));
        }
    };
}

fixture!(args_and_substitution, "args-and-substitution");
fixture!(byte_order_mark, "byte-order-mark");
fixture!(
    comment_swallows_continuation,
    "comment-swallows-continuation"
);
fixture!(continuation, "continuation");
fixture!(crlf, "crlf");
fixture!(instructions, "instructions");
fixture!(legacy_hooks, "legacy-hooks");
fixture!(lowercase_keywords, "lowercase-keywords");
fixture!(nginx, "nginx");
fixture!(no_final_newline, "no-final-newline");
fixture!(space_indentation, "space-indentation");
fixture!(tab_after_keyword, "tab-after-keyword");

macro_rules! makejail_fixture {
    ($test:ident, $name:literal, $expand:literal) => {
        #[test]
        fn $test() {
            let suffix = if $expand { "-expanded" } else { "" };
            insta::assert_json_snapshot!(
                format!("makejail-{}{suffix}", $name),
                parse_json_in("makejail", $name, $expand)
            );
        }
    };
}

makejail_fixture!(makejail_app, "app", false);
makejail_fixture!(makejail_app_expanded, "app", true);
makejail_fixture!(makejail_build_args, "build-args", false);
makejail_fixture!(makejail_includes, "includes", false);
makejail_fixture!(makejail_includes_expanded, "includes", true);
makejail_fixture!(makejail_quirks, "quirks", false);

/// A pot flavour's JSON (`parse --dialect pot DIR/FLAVOUR`).
fn pot_json(dir: &str, flavour: &str) -> serde_json::Value {
    let path = common::fixtures().join("pot").join(dir).join(flavour);
    let doc = dialect::pot::load_flavours(&[path]).expect("fixture reads");
    let mut json: serde_json::Value =
        serde_json::from_str(&jailwright::inspect::json(&doc.template)).unwrap();
    for step in json["steps"].as_array_mut().unwrap() {
        let file = step["file"].as_str().unwrap().to_string();
        let rel = file
            .rsplit_once(&format!("pot/{dir}/"))
            .map_or(file.clone(), |(_, r)| r.to_string());
        step["file"] = rel.into();
    }
    json
}

#[test]
fn pot_web() {
    insta::assert_json_snapshot!("pot-web", pot_json("web", "web"));
}

#[test]
fn pot_potfile() {
    insta::assert_json_snapshot!("pot-potfile", pot_json("potfile", "Potfile"));
}

#[test]
fn pot_quirks() {
    insta::assert_json_snapshot!("pot-quirks", pot_json("quirks", "quirks"));
}

#[test]
fn every_fixture_has_a_snapshot() {
    let source = include_str!("snapshots.rs");
    let dirs = ["bastille", "makejail", "pot"].map(|d| common::fixtures().join(d));
    for entry in dirs.iter().flat_map(|d| std::fs::read_dir(d).unwrap()) {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            source.contains(&format!("\"{name}\"")),
            "fixture {name} has no snapshot test"
        );
    }
}
