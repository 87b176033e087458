//! `jailwright plan TEMPLATE... (--jail J | --root PATH)`: what apply would
//! do, step by step, with no side effect.

use super::{EXIT_FOUND, EXIT_OK, Format, TemplateArgs, trouble};
use crate::dialect;
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

pub fn run(args: PlanArgs) -> i32 {
    let plan = match make_plan(&args) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    match args.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plans serialize")
        ),
        Format::Text => out!("{}", render(&plan)),
    }
    if plan.runnable() { EXIT_OK } else { EXIT_FOUND }
}

/// Reads the templates and plans them for the target; errors are printed
/// and returned as an exit code.
pub fn make_plan(args: &PlanArgs) -> Result<Plan, i32> {
    let mut bindings = args.options.bindings.bindings().map_err(trouble)?;
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
    let forced = args.options.dialect.map(Into::into);
    let first = &args.options.remote.local(&args.templates[0])?;
    let is_pot = forced == Some(crate::ir::Dialect::Pot)
        || dialect::detect(first, forced) == Some(dialect::Kind::PotFlavour);
    let loaded = if is_pot {
        dialect::load_flavours(&args.templates)
    } else if args.templates.len() > 1 {
        return Err(trouble("only pot flavours can be given several at once"));
    } else {
        args.options.remote.load_expanded(first, forced, &bindings)
    };
    let doc = loaded.map_err(trouble)?;
    let target = args
        .target()
        .ok_or_else(|| trouble("give --jail NAME or --root PATH"))?;
    if args.stage.is_some() && doc.template.dialect != crate::ir::Dialect::Makejail {
        return Err(trouble("--stage: only a Makejail has stages"));
    }
    // A remote INCLUDE is pinned in the including template's lock file.
    let settings = args.options.remote.settings();
    let fetch = |spec: &str, including: &std::path::Path| {
        crate::remote::fetch_pinned(
            spec,
            &including.join(crate::remote::lock::FILE_NAME),
            &settings,
        )
        .map_err(|e| e.to_string())
    };
    if let Some(bad) = args.env.iter().find(|e| {
        !e.split_once('=')
            .is_some_and(|(name, _)| crate::shell::is_name(name))
    }) {
        return Err(trouble(format!("--env {bad}: expected NAME=VALUE")));
    }
    if !args.env.is_empty() && doc.template.dialect != crate::ir::Dialect::Pot {
        return Err(trouble(
            "--env: only a pot flavour's script inherits the caller's environment (jexec without -l)",
        ));
    }
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

impl PlanArgs {
    pub fn target(&self) -> Option<TargetSpec> {
        match (&self.jail, &self.root) {
            (Some(j), _) => Some(TargetSpec::Jail(j.clone())),
            (None, Some(r)) => Some(TargetSpec::Root(r.clone())),
            (None, None) => None,
        }
    }
}
