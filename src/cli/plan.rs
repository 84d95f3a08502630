//! `kubectl fleet plan -f FILE|DIR ...`: read the members, run the placement engine, print
//! where every replica would go. Changes nothing. Exit 3 when replicas are left unplaced.

use std::path::PathBuf;

use clap::{Args, ValueHint};

use super::global::print_out;
use super::{Context, ExitStatus};
use crate::fleet::{read_snapshots, Fleet, FleetPlan, Inputs, ReadOptions};
use crate::output::{plan as plan_out, to_json, to_yaml};

/// Arguments of `plan`.
#[derive(Args, Debug)]
pub struct PlanArgs {
    /// Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true, value_hint = ValueHint::AnyPath)]
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<PlanOutput>,
}

/// `-o` of `plan` (and of the plan `apply`/`scale` show).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanOutput {
    /// The plan table (default).
    Table,
    /// Adds each cluster's capacity per tier and the engine's explanation.
    Wide,
    /// The documented JSON schema (docs/plan-json.md).
    Json,
    /// The same document as YAML.
    Yaml,
}

impl PlanOutput {
    /// json or yaml.
    pub fn is_machine(self) -> bool {
        matches!(self, PlanOutput::Json | PlanOutput::Yaml)
    }
}

/// Render a plan in the chosen format.
pub fn render(
    plan: &FleetPlan,
    output: Option<PlanOutput>,
    ctx: &Context,
) -> anyhow::Result<String> {
    Ok(match output {
        Some(PlanOutput::Json) => to_json(plan)?,
        Some(PlanOutput::Yaml) => to_yaml(plan)?,
        Some(PlanOutput::Wide) => plan_out::render(plan, true, &ctx.out),
        _ => plan_out::render(plan, false, &ctx.out),
    })
}

/// Load the fleet, read the inputs and the members, and plan.
pub async fn compute(files: &[PathBuf], ctx: &Context) -> anyhow::Result<(Fleet, FleetPlan)> {
    let (fleet, plan, _) = compute_with_autoscalers(files, ctx).await?;
    Ok((fleet, plan))
}

/// [`compute`], also returning the fleet autoscalers of the inputs (their targets checked).
pub async fn compute_with_autoscalers(
    files: &[PathBuf],
    ctx: &Context,
) -> anyhow::Result<(Fleet, FleetPlan, Vec<crate::policy::AutoscalerDocument>)> {
    let mut inputs = Inputs::read_paths(files)?;
    inputs.default_namespace(&ctx.namespace(), ctx.global.namespace.is_some())?;
    if inputs.deployments.is_empty() && inputs.policies.is_empty() && inputs.autoscalers.is_empty()
    {
        return Err(super::exit::usage(
            "the -f inputs contain no Deployment, PropagationPolicy or autoscaler",
        ));
    }
    let fleet = ctx.load_fleet()?;
    let snapshots = read_snapshots(&fleet, &ReadOptions::default()).await;
    for s in &snapshots {
        if let Err(e) = &s.result {
            ctx.error_line(&format!("{}: {e} (planned without it)", s.name));
        }
    }
    crate::fleet::autoscale::validate_targets(&inputs, &snapshots)?;
    let plan = crate::fleet::plan(&fleet, &snapshots, &inputs)?;
    Ok((fleet, plan, std::mem::take(&mut inputs.autoscalers)))
}

/// Print the plan's warnings on stderr.
pub fn warn_all(plan: &FleetPlan, ctx: &Context) {
    for w in &plan.warnings {
        ctx.warn(w);
    }
}

/// Run `plan`.
pub async fn run(args: PlanArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let (_fleet, plan) = compute(&args.files, ctx).await?;
    warn_all(&plan, ctx);
    print_out(&render(&plan, args.output, ctx)?)?;
    Ok(if plan.unplaced() > 0 {
        ExitStatus::Unplaced
    } else {
        ExitStatus::Success
    })
}
