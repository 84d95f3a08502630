//! `kubectl fleet cordon CLUSTER [--reason TEXT]` and `uncordon CLUSTER`: the member's cordon
//! state, stored in the member itself (ConfigMap `kube-system/kubectl-fleet-member`, written
//! by [`crate::fleet::cordon`]); `clusters` shows it and plans give a cordoned member no new
//! replicas. Already in the requested state: nothing is written.

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use super::exit::usage;
use super::global::print_out;
use super::{complete, Context, ExitStatus};
use crate::fleet::rebalance::events::actor;
use crate::fleet::{Fleet, Member};

/// Arguments of `cordon`.
#[derive(Args, Debug)]
pub struct CordonArgs {
    /// The member cluster to cordon.
    #[arg(value_name = "CLUSTER", add = ArgValueCandidates::new(complete::member_candidates))]
    pub cluster: String,
    /// Why (shown by `clusters -o wide|json`).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// Arguments of `uncordon`.
#[derive(Args, Debug)]
pub struct UncordonArgs {
    /// The member cluster to uncordon.
    #[arg(value_name = "CLUSTER", add = ArgValueCandidates::new(complete::member_candidates))]
    pub cluster: String,
}

/// The member named on the command line (exit 2 when unknown).
pub fn member<'a>(fleet: &'a Fleet, name: &str) -> anyhow::Result<&'a Member> {
    fleet.member(name).ok_or_else(|| {
        usage(format!(
            "unknown cluster {name:?} (members: {})",
            fleet
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// Cordons `name` unless it already is (a new `--reason` is recorded). Returns whether it
/// was written.
pub async fn ensure_cordoned(
    fleet: &Fleet,
    name: &str,
    reason: Option<&str>,
) -> anyhow::Result<bool> {
    let m = member(fleet, name)?;
    let timeout = fleet.request_timeout;
    let work = async {
        let now = crate::fleet::read_cordon(m).await?;
        if now.cordoned && (reason.is_none() || reason == now.reason.as_deref()) {
            return Ok::<bool, crate::fleet::MemberError>(false);
        }
        crate::fleet::cordon(m, reason, Some(&actor())).await?;
        Ok(true)
    };
    match tokio::time::timeout(timeout, work).await {
        Ok(r) => r.map_err(|e| anyhow::anyhow!("{name}: {e}")),
        Err(_) => Err(anyhow::anyhow!("{name}: timed out after {timeout:?}")),
    }
}

/// Runs `cordon`.
pub async fn run_cordon(args: CordonArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    let written = ensure_cordoned(&fleet, &args.cluster, args.reason.as_deref()).await?;
    print_out(&if written {
        format!("cluster/{} cordoned\n", args.cluster)
    } else {
        format!("cluster/{} already cordoned\n", args.cluster)
    })?;
    Ok(ExitStatus::Success)
}

/// Runs `uncordon`.
pub async fn run_uncordon(args: UncordonArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    let m = member(&fleet, &args.cluster)?;
    let name = &args.cluster;
    let timeout = fleet.request_timeout;
    let work = async {
        let now = crate::fleet::read_cordon(m).await?;
        if !now.cordoned {
            return Ok::<bool, crate::fleet::MemberError>(false);
        }
        crate::fleet::uncordon(m, Some(&actor())).await?;
        Ok(true)
    };
    let written = match tokio::time::timeout(timeout, work).await {
        Ok(r) => r.map_err(|e| anyhow::anyhow!("{name}: {e}"))?,
        Err(_) => return Err(anyhow::anyhow!("{name}: timed out after {timeout:?}")),
    };
    print_out(&if written {
        format!("cluster/{name} uncordoned\n")
    } else {
        format!("cluster/{name} already uncordoned\n")
    })?;
    Ok(ExitStatus::Success)
}
