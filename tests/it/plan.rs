//! `plan`: the exact host commands each step becomes, per dialect and
//! target (research/*.md gives the managers' own commands).

use jailwright::dialect::{Bindings, JailFacts, bastille, makejail, pot};
use jailwright::exec::plan::{Action, Facts, PackageManager, TargetSpec, plan};
use jailwright::source::SourceFile;
use std::path::PathBuf;

fn jail() -> TargetSpec {
    TargetSpec::Jail("web".into())
}

fn root() -> TargetSpec {
    TargetSpec::Root(PathBuf::from("/r"))
}

fn facts() -> Facts {
    Facts {
        template_dir: PathBuf::from("/tpl"),
        ..Facts::default()
    }
}

fn argvs(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Run { argv, .. } => Some(argv.join(" ")),
            _ => None,
        })
        .collect()
}

fn bastille_plan(text: &str, target: &TargetSpec, facts: &Facts) -> jailwright::exec::Plan {
    let bindings = Bindings {
        jail: JailFacts {
            name: Some("web".into()),
            ..JailFacts::default()
        },
        ..Bindings::default()
    };
    let doc = bastille::parse(
        SourceFile::new("/tpl/Bastillefile", text.as_bytes()),
        &bindings,
    );
    plan(&doc, target, facts)
}

#[test]
fn bastille_on_a_jail_runs_what_bastille_runs() {
    let p = bastille_plan(
        "PKG nginx php82\nHPKG git\nSYSRC nginx_enable=YES\nSERVICE nginx start\nCMD echo ${JAIL_NAME} > /tmp/x\nRESTART\n",
        &jail(),
        &facts(),
    );
    let all: Vec<String> = p.steps.iter().flat_map(|s| argvs(&s.actions)).collect();
    assert_eq!(
        all,
        [
            "jexec -l -U root web env ASSUME_ALWAYS_YES=yes /usr/sbin/pkg install nginx php82",
            "env ASSUME_ALWAYS_YES=yes /usr/sbin/pkg -j web install git",
            "jexec -l web /usr/sbin/sysrc nginx_enable=YES",
            "jexec -l web /usr/sbin/service nginx start",
            "jexec -l -U root web sh -c echo web > /tmp/x",
        ]
    );
    let restart = p.steps.last().unwrap();
    assert!(
        restart
            .blocked
            .as_deref()
            .unwrap_or("")
            .contains("bastille restart web"),
        "never a bare jail -rc: {restart:?}"
    );
    let with_bastille = bastille_plan(
        "RESTART\n",
        &jail(),
        &Facts {
            bastille: Some("/usr/local/bin/bastille".into()),
            ..facts()
        },
    );
    assert_eq!(
        argvs(&with_bastille.steps[0].actions),
        ["/usr/local/bin/bastille restart web"]
    );
}

#[test]
fn an_offline_root_uses_chroot_pkg_r_and_native_sysrc() {
    let p = bastille_plan(
        "PKG nginx\nCMD true\nSYSRC a=b\nSERVICE nginx enable\n",
        &root(),
        &facts(),
    );
    assert_eq!(
        argvs(&p.steps[0].actions),
        ["env ASSUME_ALWAYS_YES=yes pkg -r /r install nginx"]
    );
    assert_eq!(argvs(&p.steps[1].actions), ["chroot /r /bin/sh -c true"]);
    assert_eq!(
        p.steps[2].actions,
        [Action::Sysrc {
            args: vec!["a=b".into()]
        }]
    );
    assert_eq!(
        argvs(&p.steps[3].actions),
        ["chroot /r /usr/sbin/service nginx enable"]
    );
    let apt = Facts {
        package_manager: PackageManager::Apt,
        ..facts()
    };
    let p = bastille_plan("PKG curl\n", &root(), &apt);
    assert_eq!(
        argvs(&p.steps[0].actions),
        ["chroot /r env DEBIAN_FRONTEND=noninteractive apt-get -y install curl"]
    );
}

#[test]
fn copies_resolve_template_paths_and_missing_sources_block() {
    let missing = Facts {
        missing: vec![PathBuf::from("/tpl/etc")],
        ..facts()
    };
    let p = bastille_plan("CP usr /\nOVERLAY etc\n", &jail(), &missing);
    assert_eq!(
        p.steps[0].actions,
        [Action::Copy {
            from: "/tpl/usr".into(),
            to: "/".into(),
            contents: false
        }]
    );
    assert!(
        p.steps[1]
            .blocked
            .as_deref()
            .unwrap()
            .contains("does not exist")
    );
    assert!(!p.runnable());
}

#[test]
fn unset_arg_plus_and_manager_state_block_apply() {
    let p = bastille_plan(
        "ARG+ TOKEN\nRDR tcp 80 80\nCONFIG set allow.mlock=1\n",
        &jail(),
        &facts(),
    );
    assert!(p.steps.iter().all(|s| s.blocked.is_some()), "{p:?}");
}

#[test]
fn makejail_runs_the_build_stage_in_execution_order_with_arg_env() {
    let doc = makejail::parse(
        SourceFile::new(
            "/tpl/Makejail",
            b"CMD echo ${x}\nOPTION start\nARG x=1\nSTAGE start\nCMD later\n",
        ),
        &Bindings::default(),
    );
    let p = plan(&doc, &jail(), &facts());
    let names: Vec<&str> = p.steps.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["ARG", "OPTION", "CMD"],
        "ARG and OPTION hoisted; start stage not run"
    );
    assert_eq!(
        argvs(&p.steps[2].actions),
        ["jexec -l -d / -- web env x=1 sh -c echo ${x}"]
    );
    let with_arg = Facts {
        args: vec!["x=2".into()],
        ..facts()
    };
    let p = plan(&doc, &jail(), &with_arg);
    assert_eq!(
        argvs(&p.steps[2].actions),
        ["jexec -l -d / -- web env x=2 sh -c echo ${x}"]
    );
    let required = makejail::parse(
        SourceFile::new("/tpl/Makejail", b"ARG token\n"),
        &Bindings::default(),
    );
    assert!(!plan(&required, &jail(), &facts()).runnable());
}

#[test]
fn makejail_cmd_user_and_workdir() {
    let doc = makejail::parse(
        SourceFile::new("/tpl/Makejail", b"CMD --juser www --workdir /srv ls\n"),
        &Bindings::default(),
    );
    let p = plan(&doc, &jail(), &facts());
    assert_eq!(
        argvs(&p.steps[0].actions),
        ["jexec -l -U www -d /srv -- web env sh -c ls"]
    );
}

#[test]
fn pot_copies_its_script_to_tmp_and_runs_it_with_the_pot_name() {
    let doc = pot::parse(vec![pot::Flavour {
        name: "web".into(),
        commands: Some(SourceFile::new(
            "/f/web",
            b"copy-in-flv -s web.d/x -d /x\nset-attribute -A persistent -V NO\n",
        )),
        script: Some(SourceFile::new("/f/web.sh", b"echo hi\n")),
    }]);
    let p = plan(&doc, &jail(), &facts());
    assert_eq!(p.steps.len(), 3);
    assert!(p.steps[1].note.is_some(), "attributes configure the pot");
    assert_eq!(
        p.steps[2].actions,
        [
            Action::Copy {
                from: "/f/web.sh".into(),
                to: "/tmp/web.sh".into(),
                contents: false
            },
            Action::Run {
                argv: vec![
                    "jexec".into(),
                    "web".into(),
                    "/tmp/web.sh".into(),
                    "web".into()
                ],
                stdin: None
            },
        ]
    );
}

fn makejail_plan(text: &str, facts: &Facts) -> jailwright::exec::Plan {
    let doc = makejail::parse(
        SourceFile::new("/tpl/Makejail", text.as_bytes()),
        &Bindings::default(),
    );
    plan(&doc, &jail(), facts)
}

#[test]
fn makejail_run_carries_env_user_workdir_and_entrypoint_on_stdin() {
    let p = makejail_plan(
        "OPTION start\nENV HOME=/home/www\nUSER www\nWORKDIR /srv/app\nENTRYPOINT python3.11 -u\nRUN manage.py \"migrate now\" $HOME\n",
        &facts(),
    );
    let run = p.steps.last().unwrap();
    assert_eq!(run.name, "RUN");
    match &run.actions[..] {
        [Action::Run { argv, stdin }] => {
            assert_eq!(
                argv.join(" "),
                "jexec -l -d / -- web su -l www -c sh -s",
                "AppJail: cmd jexec J su -l USER -c \"sh -s\" (share/appjail/makejail/cmd/all/RUN:236)"
            );
            assert_eq!(
                stdin.as_deref(),
                Some(
                    "cd /srv/app; env HOME=/home/www python3.11 -u manage.py 'migrate now' '$HOME'\n"
                ),
                "every word reaches the jail's shell literally"
            );
        }
        other => panic!("{other:?}"),
    }
    // WORKDIR itself creates the directory in the jail.
    let workdir = p.steps.iter().find(|s| s.name == "WORKDIR").unwrap();
    assert_eq!(
        argvs(&workdir.actions),
        ["jexec -l -d / -- web mkdir -p /srv/app"]
    );
}

#[test]
fn makejail_run_flags_and_clear() {
    let p = makejail_plan(
        "USER www\nCLEAR user\nRUN --maintain-env --noclean --huser bob id\n",
        &facts(),
    );
    match &p.steps[2].actions[..] {
        [Action::Run { argv, stdin }] => {
            assert_eq!(
                argv.join(" "),
                "jexec -u bob -d / -- web su -m root -c sh -s"
            );
            assert_eq!(stdin.as_deref(), Some("cd /; env id\n"));
        }
        other => panic!("{other:?}"),
    }
    let p = makejail_plan("ENV EMPTY\nRUN true\n", &facts());
    assert!(
        p.steps[0]
            .blocked
            .as_deref()
            .is_some_and(|b| b.contains("requires a value")),
        "{:?}",
        p.steps[0]
    );
}

#[test]
fn makejail_copy_and_replace_use_the_stage_workdir() {
    let p = makejail_plan(
        "WORKDIR /srv\nCOPY app.conf etc/\nREPLACE etc/app.conf PORT 8080\nREPLACE etc/app.conf HOST db etc/out.conf\n",
        &facts(),
    );
    assert_eq!(
        p.steps[1].actions,
        [Action::Copy {
            from: "/tpl/app.conf".into(),
            to: "/srv/etc/".into(),
            contents: false
        }]
    );
    assert_eq!(
        p.steps[2].actions,
        [Action::Replace {
            file: "/srv/etc/app.conf".into(),
            keyword: "PORT".into(),
            value: "8080".into(),
            output: "/srv/etc/app.conf".into()
        }]
    );
    assert!(matches!(
        &p.steps[3].actions[0],
        Action::Replace { output, .. } if output == "/srv/etc/out.conf"
    ));
}

#[test]
fn stage_picks_which_makejail_stage_runs() {
    let text =
        "CMD building\nSTAGE start\nARG who=me\nCMD starting\nSTAGE custom:hello\nCMD hello\n";
    let names = |facts: &Facts| -> Vec<String> {
        makejail_plan(text, facts)
            .steps
            .iter()
            .flat_map(|s| argvs(&s.actions))
            .collect()
    };
    assert_eq!(names(&facts()), ["jexec -l -d / -- web env sh -c building"]);
    let start = Facts {
        stage: Some("start".into()),
        ..facts()
    };
    assert_eq!(
        names(&start),
        ["jexec -l -d / -- web env who=me sh -c starting"]
    );
    let custom = Facts {
        stage: Some("custom:hello".into()),
        ..facts()
    };
    assert_eq!(names(&custom), ["jexec -l -d / -- web env sh -c hello"]);
}

#[test]
fn bastille_mount_on_a_jail_is_a_live_step_and_blocked_on_a_root() {
    let p = bastille_plan(
        "MOUNT /data /mnt/data\nMOUNT tmpfs /tmp tmpfs rw,mode=1777 0 0\nMOUNT /a /b nullfs\n",
        &jail(),
        &facts(),
    );
    match &p.steps[0].actions[..] {
        [Action::Mount(m)] => {
            assert_eq!(
                (m.from.as_str(), m.to.as_str(), m.fstype.as_str()),
                ("/data", "/mnt/data", "nullfs")
            );
            assert_eq!((m.options.as_str(), m.dump.as_str()), ("ro", "0"));
        }
        other => panic!("{other:?}"),
    }
    assert!(p.steps[0].live, "a mount is in no snapshot");
    assert!(matches!(&p.steps[1].actions[..], [Action::Mount(m)] if m.options == "rw,mode=1777"));
    assert!(
        p.steps[2].blocked.is_some(),
        "3 words: bastille mount's usage"
    );
    let p = bastille_plan("MOUNT /data /mnt/data\n", &root(), &facts());
    assert!(p.steps[0].blocked.is_some());
}

#[test]
fn render_carries_the_substitutions_in_force() {
    let p = bastille_plan(
        "ARG PORT=80\nRENDER /usr/local/etc/app.conf\nARG LATER=1\n",
        &jail(),
        &facts(),
    );
    assert_eq!(
        p.steps[1].actions,
        [Action::Render {
            path: "/usr/local/etc/app.conf".into(),
            vars: vec![
                ("JAIL_NAME".into(), "web".into()),
                ("PORT".into(), "80".into())
            ]
            .into()
        }]
    );
}

#[test]
fn bastille_manager_steps_are_handed_to_bastille_when_it_is_installed() {
    let text = "RDR tcp 8080 80\nCONFIG set allow.mlock=1\nTAGS web prod\nRESTART\nNETWORK add vtnet1 DHCP\nFROBNICATE x\n";
    let with = Facts {
        bastille: Some("/usr/local/bin/bastille".into()),
        ..facts()
    };
    let p = bastille_plan(text, &jail(), &with);
    let all: Vec<String> = p.steps.iter().flat_map(|s| argvs(&s.actions)).collect();
    assert_eq!(
        all,
        [
            "/usr/local/bin/bastille rdr web tcp 8080 80",
            "/usr/local/bin/bastille config web set allow.mlock=1",
            "/usr/local/bin/bastille tags web add web,prod",
            "/usr/local/bin/bastille restart web",
            "/usr/local/bin/bastille network web add vtnet1 DHCP",
        ]
    );
    assert!(p.steps[..5].iter().all(|s| s.live));
    assert!(
        p.steps[5]
            .blocked
            .as_deref()
            .is_some_and(|b| b.contains("no `frobnicate` subcommand")),
        "{:?}",
        p.steps[5]
    );
    let without = bastille_plan("RDR tcp 8080 80\n", &jail(), &facts());
    assert!(
        without.steps[0]
            .blocked
            .as_deref()
            .is_some_and(|b| b.contains("needs bastille on this host")),
        "{:?}",
        without.steps[0]
    );
}

#[test]
fn regression_overlay_copies_the_directory_itself_into_the_root() {
    // bastille: `cp -a TEMPLATE/etc ROOT/` gives ROOT/etc, not the contents
    // of etc spread over ROOT.
    let p = bastille_plan("OVERLAY etc\n", &jail(), &facts());
    assert_eq!(
        p.steps[0].actions,
        [Action::Copy {
            from: "/tpl/etc".into(),
            to: "/".into(),
            contents: false
        }]
    );
}

#[test]
fn service_start_on_an_offline_root_is_not_run_on_the_build_host() {
    let p = bastille_plan(
        "SERVICE nginx start\nSERVICE nginx onerestart\nSERVICE -v sshd stop\nSERVICE nginx enable\n",
        &root(),
        &facts(),
    );
    for step in &p.steps[..3] {
        assert!(step.actions.is_empty(), "{:?}", step.actions);
        assert!(
            step.note.as_deref().unwrap_or("").contains("not running"),
            "{:?}",
            step.note
        );
        assert!(!step.live);
    }
    assert_eq!(
        argvs(&p.steps[3].actions),
        ["chroot /r /usr/sbin/service nginx enable"]
    );
    assert!(p.runnable());
}

#[test]
fn pot_runs_its_flavour_script_without_a_login_environment_and_with_the_pots_name() {
    // share/pot/common-flv.sh:143: jexec "$_pname" "/tmp/NAME.sh" "$_pname"
    // (no -l; $1 is the pot's name, not the flavour's).
    let doc = pot::parse(vec![pot::Flavour {
        name: "nginx".into(),
        commands: None,
        script: Some(SourceFile::new("/f/nginx.sh", b"echo hi\n")),
    }]);
    let p = plan(&doc, &TargetSpec::Jail("web1".into()), &facts());
    let Action::Run { argv, .. } = &p.steps[0].actions[1] else {
        panic!("{:?}", p.steps[0].actions);
    };
    assert_eq!(argv, &["jexec", "web1", "/tmp/nginx.sh", "web1"]);
}

#[test]
fn env_gives_a_pot_script_what_pot_create_would_have_inherited() {
    // jexec without -l keeps the caller's environment: potluck's scripts
    // read RUNS_IN_NOMAD from `pot create`'s.
    let doc = pot::parse(vec![pot::Flavour {
        name: "nginx".into(),
        commands: None,
        script: Some(SourceFile::new("/f/nginx.sh", b"echo hi\n")),
    }]);
    let facts = Facts {
        script_env: vec!["RUNS_IN_NOMAD=true".into()],
        ..facts()
    };
    let p = plan(&doc, &TargetSpec::Jail("web1".into()), &facts);
    assert_eq!(
        argvs(&p.steps[0].actions),
        ["jexec web1 env RUNS_IN_NOMAD=true /tmp/nginx.sh web1"]
    );
}

#[test]
fn a_pot_command_line_without_a_newline_is_shown_skipped_and_not_run() {
    // share/pot/common-flv.sh reads the command file with `while read -r
    // line`, which never returns a last line without a newline.
    let doc = pot::parse(vec![pot::Flavour {
        name: "web".into(),
        commands: Some(SourceFile::new(
            "/f/web",
            b"set-attribute -A persistent -V NO\ncopy-in-flv -s x -d /x",
        )),
        script: None,
    }]);
    let p = plan(&doc, &jail(), &facts());
    assert_eq!(p.steps.len(), 2);
    assert!(p.steps[1].actions.is_empty(), "{:?}", p.steps[1].actions);
    assert!(
        p.steps[1].blocked.is_none(),
        "a skipped line blocks nothing"
    );
    assert!(
        p.steps[1]
            .note
            .as_deref()
            .unwrap_or("")
            .starts_with("skipped:"),
        "{:?}",
        p.steps[1].note
    );
    assert!(p.runnable());
}

/// Regression: a Makejail's PKG, SYSRC and SERVICE were planned with
/// Bastille's forms (jexec inside the jail). AppJail runs them from the
/// host (share/appjail/cmd/pkg:190-198, makejail/cmd/all/SYSRC:91-113,
/// SERVICE:86-105), and through the jail only with --jail.
#[test]
fn makejail_pkg_sysrc_and_service_run_from_the_host_as_appjail_runs_them() {
    let p = makejail_plan(
        "PKG nginx\nPKG --jail git\nPKG --remove vim\nPKG --upgrade\nSYSRC nginx_enable=YES\nSYSRC --jail a=b\nSERVICE nginx start\nSERVICE --jail sshd restart\n",
        &facts(),
    );
    let all: Vec<String> = p.steps.iter().flat_map(|s| argvs(&s.actions)).collect();
    assert_eq!(
        all,
        [
            "pkg -j web install -y -- nginx",
            "jexec -l -U root web pkg install -y -- git",
            "pkg -j web remove -y -- vim",
            "pkg -j web upgrade -y",
            "sysrc -j web -- nginx_enable=YES",
            "jexec -l -d / -- web sysrc -- a=b",
            "service -j web -- nginx start",
            "jexec -l -d / -- web service -- sshd restart",
        ]
    );
}

/// Regression: `ARG NAME?` without a default blocked the plan ("requires
/// a value"); AppJail sets it empty (makejail/cmd/all/ARG:56-62).
#[test]
fn an_optional_makejail_arg_without_a_value_is_empty() {
    let p = makejail_plan("ARG plugins?\nCMD echo ${plugins}\n", &facts());
    assert!(p.runnable(), "{:?}", p.steps);
    assert_eq!(
        argvs(&p.steps[1].actions),
        ["jexec -l -d / -- web env plugins= sh -c echo ${plugins}"]
    );
}
