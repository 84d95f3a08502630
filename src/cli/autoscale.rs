//! `kubectl fleet autoscale deploy/NAME --min N --max M [--cpu-percent P]`: like
//! `kubectl autoscale`, creates one fleet autoscaler (an `autoscaling/v2`
//! HorizontalPodAutoscaler for the fleet-wide total of a managed Deployment), stored in every
//! member exactly as `apply -f` stores one. No HPA object is created in any member.

use clap::Args;
use clap_complete::engine::ArgValueCompleter;
use serde_json::json;

use super::apply::DryRunArg;
use super::exit::usage;
use super::global::print_out;
use super::scale::deployment_target;
use super::{complete, Context, ExitStatus};
use crate::fleet::DryRun;
use crate::output::{to_json, to_yaml};

/// Arguments of `autoscale`.
#[derive(Args, Debug)]
pub struct AutoscaleArgs {
    /// `deploy/NAME` (or `deploy NAME`): a Deployment kubectl-fleet manages.
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
    /// The lower limit of the fleet-wide replica count (default 1).
    #[arg(long, value_name = "N", allow_negative_numbers = true, default_value_t = -1, hide_default_value = true)]
    pub min: i64,
    /// The upper limit of the fleet-wide replica count (required).
    #[arg(long, value_name = "M", allow_negative_numbers = true, default_value_t = -1, hide_default_value = true)]
    pub max: i64,
    /// Target average CPU utilization over all the pods in the fleet, in percent of the
    /// request; without it, the default autoscaling policy (80%) is used.
    #[arg(long, value_name = "P", allow_negative_numbers = true, default_value_t = -1, hide_default_value = true)]
    pub cpu_percent: i64,
    /// The autoscaler's name (default: the Deployment's name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Only show what would be stored (`--dry-run` alone means client).
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "client", default_value = "none")]
    pub dry_run: DryRunArg,
    /// Print the autoscaler as json or yaml (or only its name) instead of the one-line result.
    #[arg(short = 'o', long = "output", value_parser = ["json", "yaml", "name"], value_name = "FORMAT")]
    pub output: Option<String>,
}

/// The autoscaling/v2 HorizontalPodAutoscaler that `kubectl autoscale` would create.
pub fn document(
    namespace: &str,
    name: &str,
    target: &str,
    min: Option<u32>,
    max: u32,
    cpu_percent: Option<u32>,
) -> serde_json::Value {
    let mut spec = json!({
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
        "maxReplicas": max,
    });
    if let Some(min) = min {
        spec["minReplicas"] = json!(min);
    }
    if let Some(p) = cpu_percent {
        spec["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": p}}}]);
    }
    json!({
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    })
}

/// Run `autoscale`.
pub async fn run(args: AutoscaleArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let target = deployment_target(&args.target)?;
    if args.max < 1 {
        return Err(usage(format!(
            "--max=MAXPODS is required and must be at least 1, max: {}",
            args.max
        )));
    }
    if args.max > i64::from(i32::MAX) {
        return Err(usage(format!("--max={} is too large", args.max)));
    }
    let min = match args.min {
        -1 => None,
        m if m < 1 => return Err(usage(format!("--min=MINPODS must be at least 1, min: {m}"))),
        m if m > args.max => {
            return Err(usage(format!(
                "--min=MINPODS must be no more than --max=MAXPODS, min: {m}, max: {}",
                args.max
            )))
        }
        m => Some(m as u32),
    };
    let cpu = match args.cpu_percent {
        p if p < 0 => None,
        0 => {
            return Err(usage(
                "--cpu-percent must be at least 1 (or left out for the default policy, 80%)",
            ))
        }
        p if p > i64::from(i32::MAX) => {
            return Err(usage(format!("--cpu-percent={p} is too large")))
        }
        p => Some(p as u32),
    };
    let name = args.name.clone().unwrap_or_else(|| target.clone());
    if let Some(why) = crate::policy::invalid_autoscaler_name(&name) {
        return Err(usage(match &args.name {
            Some(_) => format!("--name {name:?}: {why}"),
            None => format!(
                "autoscaler name {name:?} (the Deployment's): {why}; choose one with --name"
            ),
        }));
    }
    let ns = ctx.namespace();
    let doc = document(&ns, &name, &target, min, args.max as u32, cpu);
    // The same parser and checks as `apply -f`.
    let text = serde_json::to_string(&doc)?;
    let parsed = crate::policy::parse_documents(&text, "autoscale")?;
    let Some(crate::policy::Document::Autoscaler(a)) = parsed.into_iter().next() else {
        return Err(anyhow::anyhow!(
            "autoscale: internal error: no autoscaler parsed"
        ));
    };
    let fleet = ctx.load_fleet()?;
    let dry_run: DryRun = args.dry_run.into();
    let results = crate::fleet::autoscale::create(&fleet, &a, dry_run).await?;
    let stored: Vec<&str> = results
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(m, _)| m.as_str())
        .collect();
    let suffix = match dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let shown = crate::fleet::autoscale::StoredAutoscaler {
        spec: a.spec.clone(),
        document: a.document.clone(),
        state: Default::default(),
        revision: 1,
        state_revision: 0,
        created: None,
        members: stored.iter().map(|s| s.to_string()).collect(),
        versions: Default::default(),
    };
    match args.output.as_deref() {
        Some("json") => print_out(&to_json(&crate::output::autoscaler::object(&shown))?)?,
        Some("yaml") => print_out(&to_yaml(&crate::output::autoscaler::object(&shown))?)?,
        Some(_) => println!("horizontalpodautoscaler.autoscaling/{name}"),
        None => {
            println!("horizontalpodautoscaler.autoscaling/{name} autoscaled{suffix}");
            println!(
                "stored in {} member(s): one fleet autoscaler for deploy/{target} (min {}, max {}, {}); no HorizontalPodAutoscaler is created in any member, `kubectl fleet reconcile` evaluates it",
                stored.len(),
                a.spec.min_replicas,
                a.spec.max_replicas,
                crate::output::autoscaler::targets(&a.spec, &[], true)
            );
        }
    }
    let mut failed = false;
    for (m, r) in &results {
        if let Err(e) = r {
            failed = true;
            ctx.error_line(&format!(
                "{m}: autoscaler {ns}/{name} not stored: {e} (once {m} is back: `kubectl fleet get hpa {name} -n {ns} -o yaml | kubectl fleet apply -f -`)"
            ));
        }
    }
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}
