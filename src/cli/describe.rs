//! `kubectl fleet describe deploy/NAME` (or `deploy NAME`): one workload across the fleet in
//! kubectl describe's layout — metadata, strategy and pod template, the stored policy, the
//! plan the engine makes now with its reasons, each member's copy with its conditions, and
//! the copies' events from every member ([`crate::fleet::describe`],
//! [`crate::output::describe`]). Members that cannot be read are listed and make it exit 1.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::global::print_out;
use super::scale::deployment_target;
use super::{complete, Context, ExitStatus};

/// Arguments of `describe`.
#[derive(Args, Debug)]
pub struct DescribeArgs {
    /// `deploy/NAME` (or `deploy NAME`).
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
}

/// Runs `describe`.
pub async fn run(args: DescribeArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
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
