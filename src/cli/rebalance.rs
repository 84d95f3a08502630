//! `kubectl fleet rebalance [deploy/NAME | -A] [--dry-run] [--max-moves N]
//! [--pending-timeout 2m] [--unready-timeout 2m]`: one pass of descheduling, failover and
//! return to priority ([`crate::fleet::rebalance`]). The actions are printed first; with
//! `--dry-run` nothing else happens; on a terminal the command asks before it moves anything
//! (`--yes` skips the question, as in `apply`). Each change is printed once, after the run.
//! Each executed action is recorded as an Event on the member copies involved.

use std::time::Duration;

use clap::Args;
use clap_complete::engine::ArgValueCompleter;

use super::drain::{print_apply, progress};
use super::global::{parse_timeout, print_out};
use super::{complete, Context, ExitStatus};
use crate::fleet::rebalance::observe::{
    refresh_workload_records, sync_workload_records, update_unreachable_since,
};
use crate::fleet::rebalance::{
    execute_rebalance, parse_target, plan_rebalance, RebalanceOptions, RebalancePlan,
    WorkloadSelection,
};
use crate::fleet::{read_snapshots, ReadOptions};
use crate::output::{Cell, Paint, Table};

/// Arguments of `rebalance`.
#[derive(Args, Debug)]
pub struct RebalanceArgs {
    /// One Deployment (`deploy/NAME`); default: every managed Deployment of the namespace
    /// (`-A`: of all namespaces).
    #[arg(value_name = "deploy/NAME", add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Option<String>,
    /// Print the actions only.
    #[arg(long)]
    pub dry_run: bool,
    /// At most this many optional moves (return to priority) per workload; failover and
    /// descheduling are never limited.
    #[arg(long, value_name = "N")]
    pub max_moves: Option<u32>,
    /// Move replicas that are Pending for longer than this.
    #[arg(long, default_value = "2m", value_parser = parse_timeout, value_name = "DURATION")]
    pub pending_timeout: Duration,
    /// Fail over a member unreachable (or replicas not Ready) for longer than this.
    #[arg(long, default_value = "2m", value_parser = parse_timeout, value_name = "DURATION")]
    pub unready_timeout: Duration,
    /// How long to wait for new replicas before removing the old ones.
    #[arg(long, default_value = "5m", value_parser = parse_timeout, value_name = "DURATION")]
    pub timeout: Duration,
    /// Show progress bars while new replicas become available.
    #[arg(long)]
    pub wait: bool,
    /// Do not ask for confirmation (asked only when stdin and stderr are terminals).
    #[arg(short = 'y', long)]
    pub yes: bool,
}

/// The actions table.
pub fn render_actions(plan: &RebalancePlan, ctx: &Context) -> String {
    let mut t = Table::new(["ACTION", "DEPLOYMENT", "FROM", "TO", "REPLICAS", "REASON"]);
    for a in &plan.actions {
        let paint = match a.kind {
            crate::fleet::rebalance::ActionKind::Failover => Paint::Warn,
            _ => Paint::Plain,
        };
        t.row([
            Cell::painted(a.kind.as_str(), paint),
            Cell::from(format!("{}/{}", a.namespace, a.name)),
            Cell::from(a.from.clone().unwrap_or_else(|| "-".into())),
            Cell::from(a.to.clone().unwrap_or_else(|| "-".into())),
            Cell::from(a.replicas.to_string()),
            Cell::from(
                a.message
                    .rsplit_once('(')
                    .map(|(_, r)| r.trim_end_matches(')').to_string())
                    .unwrap_or_default(),
            ),
        ]);
    }
    t.render(&ctx.out)
}

fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Runs `rebalance`.
pub async fn run(args: RebalanceArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let namespace = ctx.namespace();
    let selection = match &args.target {
        Some(t) => WorkloadSelection::One {
            namespace,
            name: parse_target(t)?,
        },
        None if ctx.global.all_namespaces => WorkloadSelection::All,
        None => WorkloadSelection::Namespace(namespace),
    };
    let fleet = ctx.load_fleet()?;
    let mut snapshots = read_snapshots(&fleet, &ReadOptions::default()).await;
    for s in &snapshots {
        if let Err(e) = &s.result {
            ctx.warn(&format!("{}: {e}", s.name));
        }
    }
    let (since, warnings) = update_unreachable_since(&fleet, &snapshots, args.dry_run).await;
    for w in warnings {
        ctx.warn(&w);
    }
    for w in sync_workload_records(&fleet, &mut snapshots, args.dry_run).await {
        ctx.warn(&w);
    }
    let opts = RebalanceOptions {
        selection,
        max_moves: args.max_moves,
        pending_timeout: args.pending_timeout,
        unready_timeout: args.unready_timeout,
    };
    let plan = plan_rebalance(&fleet, &snapshots, &since, &opts).await?;
    for n in &plan.notes {
        ctx.warn(n);
    }
    if plan.is_empty() {
        print_out(&format!(
            "nothing to rebalance ({} managed deployments checked)\n",
            plan.workloads_checked
        ))?;
        return Ok(ExitStatus::Success);
    }
    print_out(&render_actions(&plan, ctx))?;
    print_out("\n")?;
    print_out(&crate::output::plan::render(&plan.plan, false, &ctx.out))?;
    if args.dry_run {
        print_out("(dry run: nothing was moved)\n")?;
        return Ok(ExitStatus::Success);
    }
    if !args.yes && interactive() {
        let members = plan
            .plan
            .workloads
            .iter()
            .flat_map(|w| w.placements.iter().filter(|p| p.desired != p.current))
            .map(|p| p.cluster.as_str())
            .collect::<std::collections::BTreeSet<_>>();
        let prompt = format!(
            "Run {} action(s), moving {} replica(s) across {} member(s)?",
            plan.actions.len(),
            plan.moves(),
            members.len()
        );
        let ok = dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .interact_on(&dialoguer::console::Term::stderr())?;
        if !ok {
            eprintln!("Aborted: nothing was moved.");
            return Ok(ExitStatus::Failure);
        }
    }
    let cancel = super::signals::cancel_flag();
    let report = execute_rebalance(
        &fleet,
        &plan,
        args.timeout,
        Some(progress(args.wait)),
        Some(cancel),
    )
    .await?;
    let complete = print_apply(&report.apply, ctx)?;
    for e in &report.event_errors {
        ctx.warn(e);
    }
    if !report.apply.written.is_empty() {
        for w in refresh_workload_records(&fleet).await {
            ctx.warn(&w);
        }
    }
    print_out(&format!(
        "{} actions, {} replicas moved, {} events recorded\n",
        plan.actions.len(),
        if complete { plan.moves() } else { 0 },
        report.events.len()
    ))?;
    Ok(if complete {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}
