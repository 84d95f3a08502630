//! `kubectl fleet delete deploy/NAME`: remove the member copies of a managed Deployment
//! (or, when its policy says preserveResourcesOnDeletion, release them: they stay, no longer
//! managed). Same-named Deployments kubectl-fleet does not manage are left alone.
//!
//! `kubectl fleet delete hpa/NAME` (or `federatedhpa/NAME`): remove a fleet autoscaler from
//! every reachable member; its Deployment keeps its replicas and is never touched.

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
    /// `deploy/NAME` or `hpa/NAME` (or `deploy NAME`, `hpa NAME`).
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
    #[command(flatten)]
    pub lock: super::apply::LockArgs,
}

/// Resource names of fleet autoscalers (`kubectl delete hpa/NAME`, Karmada's FederatedHPA).
pub const AUTOSCALER_KINDS: &[&str] = &[
    "hpa",
    "horizontalpodautoscaler",
    "horizontalpodautoscalers",
    "horizontalpodautoscaler.autoscaling",
    "horizontalpodautoscalers.autoscaling",
    "federatedhpa",
    "federatedhpas",
    "federatedhpa.autoscaling.karmada.io",
    "federatedhpas.autoscaling.karmada.io",
    "fhpa",
];

/// `hpa/NAME` or `hpa NAME` → NAME; `None` for any other type.
pub fn autoscaler_target(target: &[String]) -> anyhow::Result<Option<String>> {
    let (kind, name) = match target {
        [one] => match one.split_once('/') {
            Some((k, n)) => (k, n),
            None => return Ok(None),
        },
        [k, n] => (k.as_str(), n.as_str()),
        _ => return Ok(None),
    };
    if !AUTOSCALER_KINDS.contains(&kind.to_ascii_lowercase().as_str()) {
        return Ok(None);
    }
    if name.is_empty() || name.contains('/') {
        return Err(super::exit::usage(format!(
            "invalid autoscaler name {name:?}"
        )));
    }
    Ok(Some(name.to_string()))
}

/// Run `delete`.
pub async fn run(args: DeleteArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if let Some(name) = autoscaler_target(&args.target)? {
        return delete_autoscaler(&args, &name, ctx).await;
    }
    let name = deployment_target(&args.target)?;
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let opts = DeleteOptions {
        dry_run: args.dry_run.into(),
        preserve: args.preserve.then_some(true),
        allow_unreachable: args.allow_unreachable,
    };
    let lock = (opts.dry_run == DryRun::None).then(|| {
        if args.allow_unreachable {
            args.lock.options_allowing_unreachable("delete")
        } else {
            args.lock.options("delete")
        }
    });
    let report = crate::fleet::write::delete(&fleet, &ns, &name, &opts, lock.as_ref()).await?;
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

/// What `delete hpa/NAME` did in one member.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct AutoscalerDeletion {
    cluster: String,
    /// `deleted`, `absent` or `failed`.
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// `delete hpa/NAME`: removes the stored autoscaler from every reachable member; the target
/// Deployment is not touched. Unreachable members are named with how to retry (exit 1).
async fn delete_autoscaler(
    args: &DeleteArgs,
    name: &str,
    ctx: &Context,
) -> anyhow::Result<ExitStatus> {
    if args.preserve {
        return Err(super::exit::usage(
            "--preserve applies to Deployments, not to autoscalers",
        ));
    }
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let dry_run: DryRun = args.dry_run.into();
    let results = crate::fleet::autoscale::delete(&fleet, &ns, name, dry_run).await;
    let mut resource = "horizontalpodautoscaler.autoscaling";
    let rows: Vec<AutoscalerDeletion> = results
        .into_iter()
        .map(|(cluster, r)| match r {
            Ok(Some(kind)) => {
                resource = crate::output::autoscaler::qualified_resource(kind);
                AutoscalerDeletion {
                    cluster,
                    action: "deleted",
                    error: None,
                }
            }
            Ok(None) => AutoscalerDeletion {
                cluster,
                action: "absent",
                error: None,
            },
            Err(e) => AutoscalerDeletion {
                cluster,
                action: "failed",
                error: Some(e.to_string()),
            },
        })
        .collect();
    let suffix = match dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    match args.output.as_deref() {
        Some("json") => print_out(&to_json(&rows)?)?,
        Some("yaml") => print_out(&to_yaml(&rows)?)?,
        _ => {
            let mut out = String::new();
            for r in rows.iter().filter(|r| r.action == "deleted") {
                out.push_str(&format!(
                    "{resource} \"{name}\" {} {}{suffix}\n",
                    ctx.out.paint(Paint::Good, "deleted from"),
                    r.cluster
                ));
            }
            print_out(&out)?;
        }
    }
    let failed: Vec<&AutoscalerDeletion> = rows.iter().filter(|r| r.action == "failed").collect();
    for r in &failed {
        ctx.error_line(&format!(
            "{}: autoscaler {ns}/{name} not deleted: {}",
            r.cluster,
            r.error.as_deref().unwrap_or_default()
        ));
    }
    if !failed.is_empty() {
        let names: Vec<&str> = failed.iter().map(|r| r.cluster.as_str()).collect();
        ctx.error_line(&format!(
            "autoscaler {ns}/{name} is still stored in {}: run `kubectl fleet delete hpa/{name} -n {ns}` again when {} can be reached (until then `kubectl fleet reconcile` keeps evaluating it from there)",
            names.join(", "),
            if names.len() == 1 { "it" } else { "they" }
        ));
        return Ok(ExitStatus::Failure);
    }
    if !rows.iter().any(|r| r.action == "deleted") {
        return Err(anyhow::anyhow!(
            "horizontalpodautoscaler {ns}/{name} not found in any member"
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
