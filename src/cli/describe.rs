//! `kubectl fleet describe deploy/NAME` (or `deploy NAME`): one workload across the fleet in
//! kubectl describe's layout — metadata, strategy and pod template, the stored policy, the
//! plan the engine makes now with its reasons, each member's copy with its conditions, and
//! the copies' events from every member ([`crate::fleet::describe`],
//! [`crate::output::describe`]). Members that cannot be read are listed and make it exit 1.
//!
//! `describe hpa/NAME` (or `federatedhpa/NAME`): a fleet autoscaler in kubectl describe hpa's
//! layout, with each member's own Ready pods and metric values
//! ([`crate::output::autoscaler::render_describe`]).

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::global::print_out;
use super::scale::deployment_target;
use super::{complete, Context, ExitStatus};

/// Arguments of `describe`.
#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// `deploy/NAME` or `hpa/NAME` (or `deploy NAME`, `hpa NAME`).
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
}

/// Runs `describe`.
pub async fn run(args: DescribeArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if let Some(name) = super::delete::autoscaler_target(&args.target)? {
        return describe_autoscaler(&name, ctx).await;
    }
    let name = deployment_target(&args.target)?;
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let d = crate::fleet::describe::describe_deployment(&fleet, &ns, &name).await;
    for e in &d.errors {
        ctx.error_line(&format!("{}: {}", e.cluster, e.error));
    }
    if d.copies.is_empty() {
        if d.errors.is_empty() {
            return Err(anyhow::anyhow!(
                "deployments.apps {name:?} not found in namespace {ns:?} of any member"
            ));
        }
        return Ok(ExitStatus::Failure);
    }
    print_out(&crate::output::describe::render_deployment(
        &d,
        k8s_openapi::jiff::Timestamp::now(),
        &ctx.out,
    ))?;
    Ok(if d.errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// `describe hpa/NAME`.
async fn describe_autoscaler(name: &str, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let view = crate::fleet::autoscale::get_autoscalers(&fleet, Some(&ns), Some(name), true).await;
    for e in &view.errors {
        ctx.error_line(&format!("{}: {}", e.cluster, e.error));
    }
    let Some(item) = view.items.first() else {
        if view.errors.is_empty() {
            return Err(anyhow::anyhow!(
                "horizontalpodautoscaler {name:?} not found in namespace {ns:?} of any member"
            ));
        }
        return Ok(ExitStatus::Failure);
    };
    let mut item = item.clone();
    item.events = crate::fleet::autoscale::autoscaler_events(&fleet, &item.stored.spec).await;
    print_out(&crate::output::autoscaler::render_describe(&item))?;
    Ok(if view.errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
