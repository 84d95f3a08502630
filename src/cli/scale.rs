//! `kubectl fleet scale deploy/NAME --replicas N`: re-plan a managed Deployment with its
//! stored policy and the new total (existing replicas stay; scale-in removes the
//! lowest-priority members' replicas first), show the plan and apply it.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::apply::{execute, finish, WriteArgs};
use super::exit::usage;
use super::global::print_out;
use super::plan::{render, warn_all, PlanOutput};
use super::{complete, Context, ExitStatus};
use crate::fleet::write::LockedPlan;
use crate::fleet::{ApplyOptions, DryRun, Fleet};

/// Arguments of `scale`.
#[derive(Args, Debug)]
pub struct ScaleArgs {
    /// `deploy/NAME` (or `deploy NAME`).
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
    /// The new fleet-wide replica count.
    #[arg(long, value_name = "N", required = true)]
    pub replicas: u32,
    /// How to show the plan and the result.
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<PlanOutput>,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Parse `deploy/NAME`, `deployment.apps/NAME` or `deploy NAME` into the name.
pub fn deployment_target(target: &[String]) -> anyhow::Result<String> {
    let (kind, name) = match target {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k.to_string(), n.to_string()),
            None => {
                return Err(usage(format!(
                    "{one:?}: expected TYPE/NAME, e.g. deploy/{one}"
                )))
            }
        },
        [k, n] => (k.clone(), n.clone()),
        _ => return Err(usage("expected TYPE/NAME, e.g. deploy/qwen3-8b")),
    };
    if !complete::DEPLOYMENT_KINDS.contains(&kind.as_str()) {
        return Err(usage(format!(
            "resource type {kind:?} is not supported: kubectl fleet manages Deployments (deploy/NAME)"
        )));
    }
    if name.is_empty() || name.contains('/') {
        return Err(usage(format!("invalid Deployment name {name:?}")));
    }
    Ok(name)
}

/// Run `scale`.
pub async fn run(args: ScaleArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let name = deployment_target(&args.target)?;
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let dry_run: DryRun = args.write.dry_run.into();
    let lock = (dry_run == DryRun::None).then(|| args.write.lock.options("scale"));
    let locked =
        crate::fleet::write::plan_scale(&fleet, &ns, &name, args.replicas, lock.as_ref()).await?;
    let result = apply_scale(&fleet, &locked, &args, dry_run, ctx).await;
    locked.release().await;
    result
}

async fn apply_scale(
    fleet: &Fleet,
    locked: &LockedPlan,
    args: &ScaleArgs,
    dry_run: DryRun,
    ctx: &Context,
) -> anyhow::Result<ExitStatus> {
    for s in &locked.snapshots {
        if let Err(e) = &s.result {
            ctx.error_line(&format!("{}: {e}", s.name));
        }
    }
    let plan = &locked.plan;
    warn_all(plan, ctx);
    let machine = args.output.is_some_and(PlanOutput::is_machine);
    if !machine {
        print_out(&render(plan, args.output, ctx)?)?;
    }
    let opts = ApplyOptions {
        dry_run,
        ..ApplyOptions::default()
    };
    let report = execute(fleet, locked, opts, &args.write, ctx, !machine).await?;
    finish(plan, &report, args.output, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn targets_accept_kubectl_spellings() {
        assert_eq!(deployment_target(&t(&["deploy/web"])).unwrap(), "web");
        assert_eq!(
            deployment_target(&t(&["deployment.apps/web"])).unwrap(),
            "web"
        );
        assert_eq!(
            deployment_target(&t(&["deployments", "web"])).unwrap(),
            "web"
        );
    }

    #[test]
    fn other_kinds_and_bare_names_are_usage_errors() {
        for bad in [t(&["web"]), t(&["statefulset/web"]), t(&["deploy/"])] {
            let err = deployment_target(&bad).unwrap_err();
            assert_eq!(
                super::super::exit::classify(&err),
                ExitStatus::Usage,
                "{bad:?}"
            );
        }
    }
}
