//! `kubectl fleet drain CLUSTER [--dry-run] [--wait] [--timeout] [--yes]`: cordon the member,
//! show the plan that moves its managed replicas to the others, then apply it
//! make-before-break ([`crate::fleet::drain`]). Replicas that fit nowhere else stay and the
//! command exits 3 saying so. `--wait` shows a progress bar per member copy that grows.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use super::cordon::{ensure_cordoned, member};
use super::global::{parse_timeout, print_out};
use super::{complete, Context, ExitStatus};
use crate::fleet::drain::{drain, plan_drain, DrainOptions, DrainPlan};
use crate::fleet::{ApplyProgress, ApplyReport, ProgressFn};
use crate::output::{Cell, Paint, Table};

/// Arguments of `drain`.
#[derive(Args, Debug)]
pub struct DrainArgs {
    /// The member cluster to drain.
    #[arg(value_name = "CLUSTER", add = ArgValueCandidates::new(complete::member_candidates))]
    pub cluster: String,
    /// Print the plan only: nothing is cordoned or moved.
    #[arg(long)]
    pub dry_run: bool,
    /// Show progress bars while the new replicas become available.
    #[arg(long)]
    pub wait: bool,
    /// How long to wait for the new replicas before giving up (the member keeps its copy).
    #[arg(long, default_value = "5m", value_parser = parse_timeout, value_name = "DURATION")]
    pub timeout: Duration,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Cordon reason recorded on the member.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "drained by kubectl fleet drain"
    )]
    pub reason: String,
}

/// The summary table of a drain plan.
pub fn render_summary(plan: &DrainPlan, ctx: &Context) -> String {
    let mut t = Table::new([
        "NAMESPACE",
        "NAME",
        "ON MEMBER",
        "MOVING",
        "STAYING",
        "REASON",
    ]);
    for w in &plan.workloads {
        t.row([
            Cell::from(w.namespace.as_str()),
            Cell::from(w.name.as_str()),
            Cell::from(w.on_member.to_string()),
            Cell::from(w.moving.to_string()),
            if w.stuck > 0 {
                Cell::painted(w.stuck.to_string(), Paint::Bad)
            } else {
                Cell::from("0")
            },
            Cell::from(w.stuck_reason.clone().unwrap_or_default()),
        ]);
    }
    t.render(&ctx.out)
}

fn confirm(prompt: &str, yes: bool) -> anyhow::Result<bool> {
    use std::io::IsTerminal;
    if yes || !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Ok(true);
    }
    Ok(dialoguer::Confirm::new()
        .with_prompt(prompt)
        .default(false)
        .interact()?)
}

/// Progress reporting: bars on stderr with `--wait`, nothing otherwise. The changes
/// themselves are printed once, from the report, when the run ends ([`print_apply`]).
pub fn progress(wait: bool) -> ProgressFn {
    if !wait {
        return Arc::new(|_: &ApplyProgress| {});
    }
    let multi = indicatif::MultiProgress::new();
    let bars: Arc<Mutex<BTreeMap<(String, String), indicatif::ProgressBar>>> =
        Arc::new(Mutex::new(BTreeMap::new()));
    let style = indicatif::ProgressStyle::with_template(
        "{prefix:.bold} [{bar:30}] {pos}/{len} available {msg}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    Arc::new(move |ev: &ApplyProgress| {
        let mut bars = bars.lock().unwrap_or_else(|p| p.into_inner());
        match ev {
            ApplyProgress::Waiting {
                cluster,
                workload,
                available,
                desired,
            } => {
                let bar = bars
                    .entry((cluster.clone(), workload.clone()))
                    .or_insert_with(|| {
                        let b = multi.add(indicatif::ProgressBar::new(u64::from(*desired)));
                        b.set_style(style.clone());
                        b.set_prefix(format!("{workload} on {cluster}"));
                        b
                    });
                bar.set_length(u64::from(*desired));
                bar.set_position(u64::from(*available));
            }
            ApplyProgress::Ready { cluster, workload } => {
                if let Some(b) = bars.get(&(cluster.clone(), workload.clone())) {
                    b.set_position(b.length().unwrap_or(0));
                    b.finish_with_message("ready");
                }
            }
            ApplyProgress::Applied { .. } | ApplyProgress::Phase { .. } => {}
        }
    })
}

/// Prints an apply report's per-copy outcome, errors and warnings; returns true when every
/// reachable member got its change ([`crate::fleet::rebalance::applied_fully`]).
pub fn print_apply(report: &ApplyReport, ctx: &Context) -> anyhow::Result<bool> {
    let mut lines = String::new();
    for w in &report.workloads {
        for c in w.members.iter().filter(|c| c.action.is_write()) {
            lines.push_str(&crate::output::report::change_line(
                &w.name, c, "", &ctx.out,
            ));
        }
    }
    print_out(&lines)?;
    let fully = crate::fleet::rebalance::applied_fully(report);
    for w in &report.warnings {
        // Skipped unreachable members are expected (failover); each was already reported.
        if fully
            && (w.starts_with("partially applied") || w.ends_with("re-run apply when it is back"))
        {
            continue;
        }
        ctx.warn(w);
    }
    for e in &report.errors {
        ctx.error_line(e);
    }
    Ok(fully)
}

/// Runs `drain`.
pub async fn run(args: DrainArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    member(&fleet, &args.cluster)?;
    if !args.dry_run && ensure_cordoned(&fleet, &args.cluster, Some(&args.reason)).await? {
        print_out(&format!("cluster/{} cordoned\n", args.cluster))?;
    }
    let plan = plan_drain(&fleet, &args.cluster).await?;
    for w in &plan.plan.warnings {
        ctx.warn(w);
    }
    if plan.workloads.is_empty() {
        print_out(&format!(
            "cluster/{} has no kubectl-fleet managed replicas; nothing to move\n",
            args.cluster
        ))?;
        return Ok(ExitStatus::Success);
    }
    print_out(&render_summary(&plan, ctx))?;
    print_out("\n")?;
    print_out(&crate::output::plan::render(&plan.plan, false, &ctx.out))?;
    let stuck = plan.stuck();
    if args.dry_run {
        print_out("(dry run: nothing was cordoned or moved)\n")?;
        if stuck > 0 {
            ctx.error_line(&format!(
                "{stuck} replicas cannot leave {}: no other member has room",
                args.cluster
            ));
            return Ok(ExitStatus::Unplaced);
        }
        return Ok(ExitStatus::Success);
    }
    if !confirm(&format!("Drain {}?", args.cluster), args.yes)? {
        print_out("aborted; the member stays cordoned (kubectl fleet uncordon to undo)\n")?;
        return Ok(ExitStatus::Failure);
    }
    let cancel = super::signals::cancel_flag();
    let opts = DrainOptions {
        dry_run: false,
        timeout: args.timeout,
        progress: Some(progress(args.wait)),
        cancel: Some(cancel),
    };
    let report = drain(&fleet, plan, &opts).await?;
    let complete = print_apply(&report.apply, ctx)?;
    if stuck > 0 {
        ctx.error_line(&format!(
            "{stuck} replicas stay on {}: no other member has room ({})",
            args.cluster,
            report
                .plan
                .workloads
                .iter()
                .filter(|w| w.stuck > 0)
                .map(|w| format!("{}/{}: {}", w.namespace, w.name, w.stuck))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return Ok(ExitStatus::Unplaced);
    }
    if !complete {
        return Ok(ExitStatus::Failure);
    }
    print_out(&format!("cluster/{} drained\n", args.cluster))?;
    Ok(ExitStatus::Success)
}
