//! `kubectl fleet delete deploy/NAME`: remove the member copies of a managed Deployment
//! (or, when its policy says preserveResourcesOnDeletion, release them: they stay, no longer
//! managed). Same-named Deployments kubectl-fleet does not manage are left alone.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::apply::DryRunArg;
use super::global::print_out;
use super::scale::deployment_target;
use super::{complete, Context, ExitStatus};
use crate::fleet::{DeleteAction, DeleteOptions, DeleteReport, DryRun};
use crate::output::{to_json, to_yaml, Paint};

/// Arguments of `delete`.
#[derive(Args, Debug)]
pub struct DeleteArgs {
    /// `deploy/NAME` (or `deploy NAME`).
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
    /// Only show what would be deleted (`--dry-run` alone means client).
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "client", default_value = "none")]
    pub dry_run: DryRunArg,
    /// Keep the member copies (release them from kubectl-fleet) whatever the policy says.
    #[arg(long)]
    pub preserve: bool,
    /// Delete from the reachable members even if some cannot be reached.
    #[arg(long)]
    pub allow_unreachable: bool,
    /// Print the report as json or yaml.
    #[arg(short = 'o', long = "output", value_parser = ["json", "yaml"], value_name = "FORMAT")]
    pub output: Option<String>,
}

/// Run `delete`.
pub async fn run(args: DeleteArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let name = deployment_target(&args.target)?;
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let opts = DeleteOptions {
        dry_run: args.dry_run.into(),
        preserve: args.preserve.then_some(true),
        allow_unreachable: args.allow_unreachable,
    };
    let report = crate::fleet::delete(&fleet, &ns, &name, &opts).await?;
    match args.output.as_deref() {
        Some("json") => print_out(&to_json(&report)?)?,
        Some("yaml") => print_out(&to_yaml(&report)?)?,
        _ => print_out(&render(&report, ctx))?,
    }
    for e in &report.errors {
        ctx.error_line(e);
    }
    let touched = report
        .members
        .iter()
        .any(|m| matches!(m.action, DeleteAction::Deleted | DeleteAction::Released));
    if !report.errors.is_empty() {
        return Ok(ExitStatus::Failure);
    }
    if !touched {
        return Err(anyhow::anyhow!(
            "deployment {ns}/{name} is not managed by kubectl-fleet on any member"
        ));
    }
    Ok(ExitStatus::Success)
}

/// `deployment.apps "NAME" deleted from CLUSTER` lines.
pub fn render(report: &DeleteReport, ctx: &Context) -> String {
    let suffix = match report.dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut out = String::new();
    for m in &report.members {
        let (word, paint) = match m.action {
            DeleteAction::Deleted => ("deleted from", Paint::Good),
            DeleteAction::Released => ("released (kept) on", Paint::Warn),
            DeleteAction::NotManaged => {
                ("left alone (not managed by kubectl-fleet) on", Paint::Dim)
            }
            DeleteAction::Absent => continue,
            DeleteAction::Skipped => ("skipped on", Paint::Warn),
            DeleteAction::Failed => ("failed on", Paint::Bad),
        };
        let note = m
            .message
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "deployment.apps \"{}\" {} {}{suffix}{note}\n",
            report.name,
            ctx.out.paint(paint, word),
            m.cluster
        ));
    }
    out
}
