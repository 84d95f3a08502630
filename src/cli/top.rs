//! `kubectl fleet top pods|nodes`: `kubectl top` across the fleet (each member's
//! metrics.k8s.io), with a CLUSTER column; `-M` groups the rows by member with a sum row per
//! member and one for the fleet. A member without the metrics API, or unreachable, is a
//! warning line while the others are shown.

use clap::{Args, Subcommand};

use super::global::print_out;
use super::{Context, ExitStatus};
use crate::fleet::views::MemberFailure;
use crate::output::top::{nodes_table, pods_table, sort_nodes, sort_pods, SortBy};

/// `top` subcommands.
#[derive(Subcommand, Debug)]
pub enum TopCommand {
    /// CPU and memory of pods in every member.
    #[command(visible_aliases = ["pod", "po"])]
    Pods(TopPodsArgs),
    /// CPU and memory of nodes in every member, and their share of allocatable.
    #[command(visible_aliases = ["node", "no"])]
    Nodes(TopNodesArgs),
}

/// Flags of `top pods`.
#[derive(Args, Debug)]
pub struct TopPodsArgs {
    /// Only this pod.
    pub name: Option<String>,
    /// Label selector (e.g. `app=web`).
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// One row per container.
    #[arg(long)]
    pub containers: bool,
    /// Rows grouped by member with a sum row per member and one for the fleet.
    #[arg(short = 'M', long = "member-clusters")]
    pub member_clusters: bool,
    /// Sort by cpu or memory, largest first.
    #[arg(long, value_enum, value_name = "FIELD")]
    pub sort_by: Option<SortBy>,
    /// Leave out the header line.
    #[arg(long)]
    pub no_headers: bool,
}

/// Flags of `top nodes`.
#[derive(Args, Debug)]
pub struct TopNodesArgs {
    /// Only this node.
    pub name: Option<String>,
    /// Label selector on the nodes.
    #[arg(short = 'l', long = "selector", value_name = "SELECTOR")]
    pub selector: Option<String>,
    /// Rows grouped by member with a sum row per member and one for the fleet.
    #[arg(short = 'M', long = "member-clusters")]
    pub member_clusters: bool,
    /// Sort by cpu or memory, largest first.
    #[arg(long, value_enum, value_name = "FIELD")]
    pub sort_by: Option<SortBy>,
    /// Leave out the header line.
    #[arg(long)]
    pub no_headers: bool,
}

fn check_selector(s: Option<&str>) -> anyhow::Result<()> {
    if let Some(s) = s {
        crate::fleet::LabelSelector::parse(s)
            .map_err(|e| super::exit::usage(format!("--selector {s:?}: {e}")))?;
    }
    Ok(())
}

/// Warnings for the members left out; the exit status (failure only when no member answered).
fn report(failures: &[MemberFailure], members: usize, ctx: &Context) -> ExitStatus {
    for f in failures {
        ctx.warn(&format!("{}: {} (left out)", f.cluster, f.error));
    }
    if !failures.is_empty() && failures.len() == members {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    }
}

fn strip_header(text: String, no_headers: bool) -> String {
    if !no_headers {
        return text;
    }
    text.split_once('\n')
        .map(|(_, rest)| rest.to_string())
        .unwrap_or_default()
}

/// Run `top`.
pub async fn run(cmd: TopCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    let members = fleet.members.len();
    match cmd {
        TopCommand::Pods(args) => {
            check_selector(args.selector.as_deref())?;
            let ns = ctx.namespace_filter();
            let mut view = crate::fleet::top::top_pods(
                &fleet,
                ns.as_deref(),
                args.selector.as_deref(),
                args.containers,
            )
            .await;
            if let Some(n) = &args.name {
                view.rows.retain(|r| &r.pod == n);
            }
            sort_pods(&mut view.rows, args.sort_by);
            let status = report(&view.failures, members, ctx);
            if view.rows.is_empty() {
                if let Some(n) = &args.name {
                    return Err(anyhow::anyhow!(
                        "podmetrics.metrics.k8s.io {n:?} not found in any member"
                    ));
                }
                match &ns {
                    Some(ns) => eprintln!("No resources found in {ns} namespace."),
                    None => eprintln!("No resources found"),
                }
                return Ok(status);
            }
            let t = pods_table(
                &view.rows,
                ns.is_none(),
                args.containers,
                args.member_clusters,
            );
            print_out(&strip_header(t.render(&ctx.out), args.no_headers))?;
            Ok(status)
        }
        TopCommand::Nodes(args) => {
            check_selector(args.selector.as_deref())?;
            let mut view = crate::fleet::top::top_nodes(&fleet, args.selector.as_deref()).await;
            if let Some(n) = &args.name {
                view.rows.retain(|r| &r.name == n);
            }
            sort_nodes(&mut view.rows, args.sort_by);
            let status = report(&view.failures, members, ctx);
            if view.rows.is_empty() {
                if let Some(n) = &args.name {
                    return Err(anyhow::anyhow!(
                        "nodemetrics.metrics.k8s.io {n:?} not found in any member"
                    ));
                }
                eprintln!("No resources found");
                return Ok(status);
            }
            let t = nodes_table(&view.rows, args.member_clusters);
            print_out(&strip_header(t.render(&ctx.out), args.no_headers))?;
            Ok(status)
        }
    }
}
