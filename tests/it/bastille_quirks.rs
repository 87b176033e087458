//! One test per construct and quirk of `bastille template`, from the
//! verified vectors of research/bastille.md §3.6 (jail `myjail` at
//! 10.0.0.5, `--arg NAME=cli`).

use jailwright::dialect::bastille;
use jailwright::dialect::{Bindings, JailFacts};
use jailwright::ir::{CopyFrom, Instruction, Step};
use jailwright::source::SourceFile;

fn steps(text: &str) -> Vec<Step> {
    let bindings = Bindings {
        args: vec!["NAME=cli".into()],
        arg_file: None,
        build_args: Vec::new(),
        jail: JailFacts {
            name: Some("myjail".into()),
            ip4: Some("10.0.0.5".into()),
            ip6: None,
        },
        keep_references: false,
    };
    bastille::parse(SourceFile::new("Bastillefile", text.as_bytes()), &bindings)
        .template
        .steps
}

/// The argument words of the last step.
fn last_args(text: &str) -> Vec<String> {
    steps(text).pop().expect("a step").args
}

fn arg_value(text: &str) -> Option<String> {
    match steps(text).pop().unwrap().instruction {
        Instruction::Arg { value, .. } => value,
        other => panic!("not an ARG: {other:?}"),
    }
}

#[test]
fn command_line_arg_wins_over_default() {
    assert_eq!(arg_value("ARG NAME=world\n").as_deref(), Some("cli"));
}

#[test]
fn quoted_default_keeps_its_inner_spaces() {
    assert_eq!(
        arg_value("ARG Q=\"two  words\"\n").as_deref(),
        Some("two  words")
    );
}

#[test]
fn arg_without_default_has_no_value_and_stays_literal() {
    assert_eq!(arg_value("ARG EMPTY\n"), None);
    assert_eq!(
        last_args("ARG EMPTY\nSYSRC baz=${EMPTY}\n"),
        ["baz=${EMPTY}"]
    );
}

#[test]
fn explicit_empty_default_is_like_no_default() {
    assert_eq!(arg_value("ARG E=\n"), None);
}

#[test]
fn default_may_reference_an_earlier_arg() {
    assert_eq!(
        arg_value("ARG NAME=x\nARG DEP=${NAME}/x\n").as_deref(),
        Some("cli/x")
    );
}

#[test]
fn ampersand_in_default_ends_the_value() {
    assert_eq!(arg_value("ARG SL=a/b&c\n").as_deref(), Some("a/b"));
}

#[test]
fn unbalanced_quote_in_default_empties_the_value() {
    assert_eq!(arg_value("ARG SQ=it's\n"), None);
}

#[test]
fn double_quotes_are_deleted_from_values() {
    assert_eq!(arg_value("ARG D='say \"hi\"'\n").as_deref(), Some("say hi"));
}

#[test]
fn trailing_comment_after_a_default_is_dropped_by_eval() {
    assert_eq!(arg_value("ARG V=1 # note\n").as_deref(), Some("1"));
}

#[test]
fn trailing_comment_without_equals_becomes_part_of_the_name() {
    match &steps("ARG NAME # c\n")[0].instruction {
        Instruction::Arg { name, .. } => assert_eq!(name, "NAME # c"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn cmd_text_goes_to_the_jail_shell_untouched_after_substitution() {
    assert_eq!(
        last_args("ARG NAME=x\nCMD echo \"hello ${NAME}\" > /tmp/x; echo 'single' $HOME\n"),
        ["echo \"hello cli\" > /tmp/x; echo 'single' $HOME"]
    );
}

#[test]
fn unquoted_substituted_value_splits_into_two_words() {
    assert_eq!(
        last_args("ARG Q=\"two  words\"\nSYSRC foo=${Q}\n"),
        ["foo=two", "words"]
    );
}

#[test]
fn quoted_substituted_value_is_one_word() {
    assert_eq!(
        last_args("ARG Q=\"two  words\"\nSYSRC foo=\"${Q}\"\n"),
        ["foo=two  words"]
    );
}

#[test]
fn trailing_comment_ends_pkg_arguments() {
    assert_eq!(last_args("PKG nginx   php82 # web\n"), ["nginx", "php82"]);
}

#[test]
fn space_indented_keyword_leaks_into_arguments() {
    assert_eq!(last_args("  PKG indented\n"), ["PKG", "indented"]);
}

#[test]
fn tab_indentation_is_harmless() {
    assert_eq!(last_args("\tPKG tabindented\n"), ["tabindented"]);
}

#[test]
fn tab_after_keyword_loses_the_first_argument() {
    assert_eq!(last_args("PKG\ttabafter nginx\n"), ["nginx"]);
}

#[test]
fn keywords_are_case_insensitive() {
    for line in ["pkg lowercase\n", "Pkg MiXeD\n", "PKG upper\n"] {
        assert_eq!(steps(line)[0].instruction.ir_name(), "PKG");
        assert_eq!(
            steps(line)[0].written_keyword,
            line.split(' ').next().unwrap()
        );
    }
}

#[test]
fn cp_source_is_template_relative_unless_it_starts_with_slash_or_quote_slash() {
    let from = |text: &str| match &steps(text)[0].instruction {
        Instruction::Cp { from, .. } => from.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(from("CP usr /\n"), CopyFrom::Template);
    assert_eq!(from("CP \"/abs path\" /x\n"), CopyFrom::Host);
    assert_eq!(from("CP \"rel\" /x\n"), CopyFrom::Template);
    assert_eq!(from("CP '/single' /x\n"), CopyFrom::Template);
    assert_eq!(last_args("CP \"/abs path\" /x\n"), ["/abs path", "/x"]);
}

#[test]
fn copy_is_an_alias_of_cp() {
    assert_eq!(steps("COPY a /b\n")[0].instruction.ir_name(), "CP");
}

#[test]
fn overlay_is_one_directory_merged_into_the_root() {
    assert_eq!(
        steps("OVERLAY etc\n")[0].instruction,
        Instruction::Overlay { dir: "etc".into() }
    );
}

#[test]
fn tags_turn_every_space_into_a_separator() {
    assert_eq!(
        steps("TAGS a b  c\n")[0].instruction,
        Instruction::Tags {
            tags: vec!["a".into(), "b".into(), "".into(), "c".into()]
        }
    );
}

#[test]
fn include_stays_one_step_with_its_arguments_substituted() {
    let s = steps("ARG NAME=x\nINCLUDE proj/t --arg X=${NAME}\n");
    assert_eq!(s.len(), 2);
    assert_eq!(
        s[1].instruction,
        Instruction::Include {
            target: "proj/t".into(),
            args: vec!["--arg".into(), "X=cli".into()]
        }
    );
}

#[test]
fn render_takes_the_whole_rest_of_the_line_as_its_path() {
    assert_eq!(
        steps("RENDER /usr/local/etc/app.ini # comment\n")[0].instruction,
        Instruction::Render {
            path: "/usr/local/etc/app.ini # comment".into(),
            // The sed chain in force: built-ins, then ARGs in order.
            vars: vec![
                ("JAIL_IP".into(), "10.0.0.5".into()),
                ("JAIL_NAME".into(), "myjail".into())
            ]
            .into()
        }
    );
}

#[test]
fn line_in_file_reads_a_quoted_line_and_a_file() {
    assert_eq!(
        steps("LINE_IN_FILE \"foo bar=1\" /etc/x.conf\n")[0].instruction,
        Instruction::LineInFile {
            line: "foo bar=1".into(),
            file: "/etc/x.conf".into()
        }
    );
    assert_eq!(steps("LIF a /b\n")[0].instruction.ir_name(), "LINE_IN_FILE");
    assert_eq!(
        steps("lineinfile a /b\n")[0].instruction.ir_name(),
        "LINE_IN_FILE"
    );
}

#[test]
fn semicolon_in_config_ends_the_host_command() {
    assert_eq!(
        last_args("CONFIG set allow.mlock=1;\n"),
        ["set", "allow.mlock=1"]
    );
}

#[test]
fn trailing_comment_after_service_is_dropped() {
    assert_eq!(last_args("SERVICE nginx start   #\n"), ["nginx", "start"]);
}

#[test]
fn continuation_joins_with_no_separator_keeping_leading_blanks() {
    let s = steps("CMD echo a \\\n    b\n");
    assert_eq!(s[0].args, ["echo a     b"]);
    assert_eq!(s[0].span.line, 1);
}

#[test]
fn comment_ending_in_backslash_swallows_the_next_line() {
    assert!(steps("# comment \\\nSYSRC swallowed=yes\n").is_empty());
}

#[test]
fn comment_after_a_continued_instruction_becomes_its_text() {
    assert_eq!(last_args("CMD foo \\\n# comment\n"), ["foo # comment"]);
}

#[test]
fn builtins_are_substituted_and_jail_side_substitutions_kept() {
    assert_eq!(
        last_args("CMD echo ${JAIL_NAME} ${JAIL_IP} $(hostname)\n"),
        ["echo myjail 10.0.0.5 $(hostname)"]
    );
}

#[test]
fn unknown_builtin_value_leaves_the_reference_literal() {
    assert_eq!(last_args("SYSRC ip6=${JAIL_IP6}\n"), ["ip6=${JAIL_IP6}"]);
}

#[test]
fn user_arg_cannot_override_a_builtin() {
    assert_eq!(
        last_args("ARG JAIL_NAME=override\nSYSRC n=${JAIL_NAME}\n"),
        ["n=myjail"]
    );
}

#[test]
fn first_declaration_wins_and_bare_dollar_is_never_substituted() {
    assert_eq!(
        last_args("ARG NAME=first\nARG NAME=second\nSYSRC again=${NAME} $NAME\n"),
        ["again=cli", "$NAME"]
    );
    assert_eq!(
        last_args("ARG OTHER=first\nARG OTHER=second\nSYSRC x=${OTHER}\n"),
        ["x=first"]
    );
}

#[test]
fn reference_before_its_arg_stays_literal() {
    assert_eq!(steps("SYSRC early=${X}\nARG X=1\n")[0].args, ["early=${X}"]);
}

#[test]
fn keyword_is_never_substituted() {
    let s = steps("ARG K=PKG\n${K} nginx\n");
    assert_eq!(s[1].instruction.ir_name(), "${K}");
}

#[test]
fn hyphenated_arg_names_are_substituted() {
    assert_eq!(
        last_args("ARG php-version=82\nPKG php${php-version}\n"),
        ["php82"]
    );
}

#[test]
fn crlf_keeps_the_carriage_return() {
    let s = steps("SYSRC a=b\r\nRESTART\r\n\r\n");
    assert_eq!(s[0].args, ["a=b\r"]);
    assert!(matches!(
        s[1].instruction,
        Instruction::Passthrough { known: false, .. }
    ));
    assert_eq!(s.len(), 3, "a line of only \\r is an instruction");
}

#[test]
fn blank_lines_with_tabs_are_skipped() {
    assert_eq!(steps(" \t \n\nPKG a\n").len(), 1);
}

#[test]
fn missing_final_newline_still_reads_the_last_line() {
    assert_eq!(last_args("PKG a\nSERVICE nginx start"), ["nginx", "start"]);
}

#[test]
fn empty_file_has_no_steps() {
    assert!(steps("").is_empty());
}

#[test]
fn hpkg_uses_the_host_pkg() {
    assert_eq!(steps("HPKG git\n")[0].name, "HPKG");
}

#[test]
fn arg_plus_is_required() {
    match &steps("ARG+ TOKEN\n")[0].instruction {
        Instruction::Arg {
            required, value, ..
        } => {
            assert!(required);
            assert_eq!(*value, None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn passthrough_keywords_resolve_bastille_aliases() {
    let s = steps("UNMOUNT /mnt\nNET add vtnet1 DHCP\nLIMIT memoryuse 1G\n");
    assert_eq!(s[0].instruction.ir_name(), "UMOUNT");
    assert_eq!(s[1].instruction.ir_name(), "NETWORK");
    assert_eq!(s[2].instruction.ir_name(), "LIMITS");
}

#[test]
fn undeclared_hyphen_reference_is_left_for_the_host() {
    assert_eq!(
        last_args("SYSRC x=${mariadb-version}\n"),
        ["x=${mariadb-version}"]
    );
}

#[test]
fn a_lone_dash_n_is_eaten_by_echo() {
    assert_eq!(last_args("CMD -n\n"), [""]);
    assert_eq!(last_args("CMD -n foo\n"), ["-n foo"]);
    assert_eq!(
        steps("TAGS -e\n")[0].instruction,
        Instruction::Tags { tags: vec![] }
    );
}

#[test]
fn pipe_or_redirection_in_an_arg_default_leaves_no_value() {
    assert_eq!(arg_value("ARG P=a|b\n"), None);
    assert_eq!(arg_value("ARG G=a>b\n"), None);
}

#[test]
fn host_syntax_error_leaves_no_words() {
    assert!(last_args("CONFIG set ip6=inherit;;\n").is_empty());
    assert!(last_args("PKG \"a\n").is_empty());
}

#[test]
fn slash_in_an_arg_name_empties_every_later_line() {
    let s = steps("ARG A/B=1\nSYSRC x=1\nCMD echo hi\n");
    assert!(s[1].args.is_empty());
    assert_eq!(s[2].args, [""]);
}

#[test]
fn regex_characters_in_an_arg_name_match_as_a_regex() {
    assert_eq!(last_args("ARG A.B=1\nSYSRC x=${AxB}\n"), ["x=1"]);
}

/// Found by the fuzzer (out of memory): ARGs whose values refer to
/// themselves doubled the text with every line.
#[test]
fn self_referencing_args_do_not_grow_without_bound() {
    let text = "ARG JAIL=${JAIL}${JAIL}\n".repeat(60) + "SYSRC x=${JAIL}\n";
    let s = steps(&text);
    assert!(
        s.iter()
            .all(|st| st.args.iter().map(String::len).sum::<usize>() <= 524_288)
    );
}
