//! `jailwright plan TEMPLATE... (--jail J | --root PATH)`: what apply would
//! do, step by step, with no side effect.

use super::{Error, ExitCode, Format, TemplateArgs};
use crate::exec::adapters::facts;
use crate::exec::plan::{Plan, TargetSpec, render};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct PlanArgs {
    /// A template file (or directory); for pot, several flavours in order.
    #[arg(required = true)]
    pub templates: Vec<PathBuf>,
    /// A running jail, by name or JID.
    #[arg(long, conflicts_with = "root", required_unless_present = "root")]
    pub jail: Option<String>,
    /// A jail's root directory, built offline through chroot.
    #[arg(long)]
    pub root: Option<PathBuf>,
    /// The Makejail stage to run (default: build; e.g. start, custom:NAME).
    #[arg(long)]
    pub stage: Option<String>,
    /// Where a Bastillefile's `INCLUDE project/template` is looked up first
    /// (bastille_templatesdir), before the working directory.
    #[arg(long, default_value = facts::BASTILLE_TEMPLATES)]
    pub bastille_templates: PathBuf,
    /// NAME=VALUE in the environment of a pot flavour's script, which
    /// inherits `pot create`'s (e.g. RUNS_IN_NOMAD=true); repeatable.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// How the plan is printed (apply: its events, json is one object per line).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    #[command(flatten)]
    pub options: TemplateArgs,
}

pub fn run(args: PlanArgs) -> Result<ExitCode, Error> {
    let plan = make_plan(&args)?;
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plans serialize")
        ),
        Format::Text => out!("{}", render(&plan)),
    }
    Ok(if plan.runnable() {
        ExitCode::Ok
    } else {
        ExitCode::Found
    })
}

/// Reads the templates and plans them for the target.
pub fn make_plan(args: &PlanArgs) -> Result<Plan, Error> {
    let mut bindings = args.options.bindings.bindings()?;
    // Applied to a jail, ${JAIL_NAME} is that jail, and ${JAIL_IP} and
    // ${JAIL_IP6} its addresses, as bastille reads them.
    if bindings.jail.name.is_none() {
        bindings.jail.name = args.jail.clone();
    }
    if let Some(jail) = &args.jail
        && (bindings.jail.ip4.is_none() || bindings.jail.ip6.is_none())
    {
        let (ip4, ip6) = crate::exec::adapters::jail::jail_addresses(jail);
        bindings.jail.ip4 = bindings.jail.ip4.take().or(ip4);
        bindings.jail.ip6 = bindings.jail.ip6.take().or(ip6);
    }
    let settings = args.options.remote.settings();
    let doc = crate::load::load(&crate::load::Request {
        templates: &args.templates,
        forced: args.options.dialect.map(Into::into),
        bindings: &bindings,
        includes: crate::load::Includes::Expanded,
        remote: &settings,
        scope: &crate::dialect::Scope::anywhere(),
    })?
    .doc;
    let target = args
        .target()
        .ok_or_else(|| Error::usage("give --jail NAME or --root PATH"))?;
    if args.stage.is_some() && doc.template.dialect != crate::ir::Dialect::Makejail {
        return Err(Error::usage("--stage: only a Makejail has stages"));
    }
    check_env(&args.env, &doc)?;
    // A remote INCLUDE is pinned in the including template's lock file.
    let fetch = |spec: &str, including: &std::path::Path| {
        crate::remote::fetch_pinned(
            spec,
            &including.join(crate::remote::lock::FILE_NAME),
            &settings,
        )
    };
    let mut facts = facts::gather(
        &doc,
        &facts::Context {
            target: &target,
            bindings: &bindings,
            stage: args.stage.as_deref(),
            templates: &args.bastille_templates,
            fetch: args.options.remote.fetch_includes.then_some(&fetch as &_),
        },
    );
    facts.script_env = args.env.clone();
    Ok(crate::exec::plan(&doc, &target, &facts))
}

/// `--env NAME=VALUE`: only a pot flavour's script inherits it.
fn check_env(env: &[String], doc: &crate::document::Document) -> Result<(), Error> {
    if let Some(bad) = env.iter().find(|e| {
        !e.split_once('=')
            .is_some_and(|(name, _)| crate::shell::is_name(name))
    }) {
        return Err(Error::usage(format!("--env {bad}: expected NAME=VALUE")));
    }
    if !env.is_empty() && doc.template.dialect != crate::ir::Dialect::Pot {
        return Err(Error::usage(
            "--env: only a pot flavour's script inherits the caller's environment (jexec without -l)",
        ));
    }
    Ok(())
}

impl PlanArgs {
    pub fn target(&self) -> Option<TargetSpec> {
        match (&self.jail, &self.root) {
            (Some(j), _) => Some(TargetSpec::Jail(j.clone())),
            (None, Some(r)) => Some(TargetSpec::Root(r.clone())),
            (None, None) => None,
        }
    }
}
