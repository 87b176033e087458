//! `jailwright plan TEMPLATE... (--jail J | --root PATH)`: what apply would
//! do, step by step, with no side effect.

use super::{EXIT_FOUND, EXIT_OK, Format, TemplateArgs, trouble};
use crate::dialect;
use crate::exec::plan::{Action, Facts, PackageManager, Plan, TargetSpec};
use crate::ir::{CopyFrom, Instruction};
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
    #[command(flatten)]
    pub options: TemplateArgs,
}

pub fn run(args: PlanArgs) -> i32 {
    let plan = match make_plan(&args) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    match args.options.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&plan).expect("plans serialize")
        ),
        Format::Text => print!("{}", render(&plan)),
    }
    if plan.runnable() { EXIT_OK } else { EXIT_FOUND }
}

/// Reads the templates and plans them for the target; errors are printed
/// and returned as an exit code.
pub fn make_plan(args: &PlanArgs) -> Result<Plan, i32> {
    let mut bindings = args.options.bindings.bindings().map_err(trouble)?;
    // Applied to a jail, ${JAIL_NAME} is that jail.
    if bindings.jail.name.is_none() {
        bindings.jail.name = args.jail.clone();
    }
    let forced = args.options.dialect.map(Into::into);
    let first = &args.templates[0];
    let is_pot = forced == Some(crate::ir::Dialect::Pot)
        || dialect::detect(first, forced) == Some(dialect::Kind::PotFlavour);
    let loaded = if is_pot {
        dialect::load_flavours(&args.templates)
    } else if args.templates.len() > 1 {
        return Err(trouble("only pot flavours can be given several at once"));
    } else {
        dialect::load_expanded(first, forced, &bindings)
    };
    let doc = loaded.map_err(trouble)?;
    let target = args
        .target()
        .ok_or_else(|| trouble("give --jail NAME or --root PATH"))?;
    let mut facts = gather_facts(&doc, &target);
    facts.args = bindings.args.clone();
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

/// What the planner needs to know of the host (the only I/O of `plan`).
fn gather_facts(doc: &crate::document::Document, target: &TargetSpec) -> Facts {
    let template_dir = doc
        .sources
        .first()
        .map(|s| s.dir())
        .unwrap_or_else(|| PathBuf::from("."));
    let mut missing = Vec::new();
    for step in &doc.template.steps {
        let paths: Vec<PathBuf> = match &step.instruction {
            Instruction::Cp {
                sources,
                from: CopyFrom::Template,
                ..
            } => sources.iter().map(|s| template_dir.join(s)).collect(),
            Instruction::Cp {
                sources,
                from: CopyFrom::Host,
                ..
            } => sources.iter().map(PathBuf::from).collect(),
            Instruction::Overlay { dir } => vec![template_dir.join(dir)],
            _ => Vec::new(),
        };
        missing.extend(paths.into_iter().filter(|p| !p.exists()));
    }
    let package_manager = match target {
        TargetSpec::Root(r) if r.join("usr/bin/apt-get").exists() => PackageManager::Apt,
        _ => PackageManager::Pkg,
    };
    Facts {
        template_dir,
        package_manager,
        missing,
        args: Vec::new(),
    }
}

pub fn render(plan: &Plan) -> String {
    let mut out = String::new();
    let n = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!(
            "[{}/{n}] {}:{} {}\n",
            i + 1,
            step.file,
            step.line,
            step.name
        ));
        for action in &step.actions {
            let line = match action {
                Action::Run { argv } => shlex::try_join(argv.iter().map(String::as_str))
                    .unwrap_or_else(|_| argv.join(" ")),
                Action::Copy { from, to, contents } => format!(
                    "copy {}{} -> {to} (resolved inside the root)",
                    from.display(),
                    if *contents { "/*" } else { "" }
                ),
                Action::Sysrc { args } => {
                    format!("sysrc (native, in the root's rc.conf) {}", args.join(" "))
                }
                Action::Render { path } => format!("render ${{NAME}}s in {path}"),
                Action::LineInFile { line, file } => format!("line-in-file {file}: {line}"),
            };
            out.push_str(&format!("    {line}\n"));
        }
        if let Some(note) = &step.note {
            out.push_str(&format!("    ({note})\n"));
        }
        if let Some(why) = &step.blocked {
            out.push_str(&format!("    BLOCKED: {why}\n"));
        }
    }
    let blocked = plan.steps.iter().filter(|s| s.blocked.is_some()).count();
    if blocked > 0 {
        out.push_str(&format!(
            "{blocked} step(s) cannot be applied to this target: apply would refuse to start\n"
        ));
    }
    out
}
