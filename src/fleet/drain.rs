//! `drain CLUSTER`: cordon the member, re-plan every kubectl-fleet-managed workload that has
//! replicas there with the member *draining* (the engine gives it no new replicas and
//! re-places its running ones by each workload's policy), then apply make-before-break: the
//! fleet's apply ([`super::apply()`]) grows the other copies first, waits until they are available, and only then
//! scales the member's copy down. Replicas that fit nowhere else stay on the member; the
//! report says how many ([`DrainReport::stuck`]) and the command exits non-zero.

use std::time::Duration;

use serde::Serialize;

use crate::fleet::apply::{apply, ApplyOptions, ApplyReport, DryRun, ProgressFn};
use crate::fleet::error::FleetError;
use crate::fleet::membership::Fleet;
use crate::fleet::plan::{managed_workloads, plan_managed, FleetPlan, PlanOptions};
use crate::fleet::read::{read_snapshots, MemberSnapshot, ReadOptions};

/// Options of [`drain`].
#[derive(Clone, Default)]
pub struct DrainOptions {
    /// Compute and report only.
    pub dry_run: bool,
    /// Bound of waiting for the new replicas (make-before-break).
    pub timeout: Duration,
    pub progress: Option<ProgressFn>,
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    /// The write locks' fence ([`crate::fleet::write::plan_drain`]).
    pub fence: Option<crate::fleet::lock::Fence>,
}

/// One workload's share of a drain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainWorkload {
    pub namespace: String,
    pub name: String,
    /// Replicas on the member before.
    pub on_member: u32,
    /// Replicas that move to other members.
    pub moving: u32,
    /// Replicas that fit nowhere else and stay.
    pub stuck: u32,
    pub stuck_reason: Option<String>,
}

/// The drain plan: the fleet plan to apply plus the per-workload summary.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainPlan {
    pub member: String,
    pub workloads: Vec<DrainWorkload>,
    pub plan: FleetPlan,
}

impl DrainPlan {
    /// Replicas that stay on the member because no other member has room.
    pub fn stuck(&self) -> u32 {
        self.workloads.iter().map(|w| w.stuck).sum()
    }
}

/// The result of [`drain`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrainReport {
    pub plan: DrainPlan,
    pub apply: ApplyReport,
}

impl DrainReport {
    /// Replicas left on the member.
    pub fn stuck(&self) -> u32 {
        self.plan.stuck()
    }
}

/// Plans draining `member` from already read snapshots (`member` must be reachable).
pub fn plan_drain_from(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    member: &str,
) -> Result<DrainPlan, FleetError> {
    if fleet.member(member).is_none() {
        return Err(FleetError::Selection(format!(
            "unknown cluster {member:?} (members: {})",
            fleet
                .members
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let state = match snapshots.iter().find(|s| s.name == member) {
        Some(s) => match &s.result {
            Ok(st) => st,
            Err(e) => {
                return Err(FleetError::Member {
                    member: member.to_string(),
                    source: e.clone(),
                });
            }
        },
        None => {
            return Err(FleetError::Selection(format!(
                "cluster {member:?} not read"
            )))
        }
    };
    let on_member: Vec<(String, String, u32)> = state
        .deployments
        .iter()
        .filter(|d| d.managed && d.replicas > 0)
        .map(|d| (d.namespace.clone(), d.name.clone(), d.replicas as u32))
        .collect();
    let opts = PlanOptions {
        draining: vec![member.to_string()],
        ..Default::default()
    };
    let mut plan = FleetPlan::default();
    let mut workloads = Vec::new();
    let known = managed_workloads(snapshots);
    for (ns, name, replicas) in on_member {
        if !known.iter().any(|w| w.namespace == ns && w.name == name) {
            continue;
        }
        let mut p = plan_managed(fleet, snapshots, &ns, &name, None, &opts)?;
        plan.warnings.append(&mut p.warnings);
        for mut w in p.workloads {
            let mut stuck = 0;
            let stuck_reason = w.unplaced_reason.clone();
            if w.unplaced > 0 {
                if let Some(row) = w.placements.iter_mut().find(|r| r.cluster == member) {
                    let keep = w.unplaced.min(row.current.saturating_sub(row.desired));
                    row.desired += keep;
                    row.reason = format!(
                        "draining: {keep} replicas stay (no room elsewhere){}",
                        if row.desired < row.current {
                            format!("; -{} moved away", row.current - row.desired)
                        } else {
                            String::new()
                        }
                    );
                    w.unplaced -= keep;
                    stuck = keep;
                }
            }
            if w.unplaced == 0 {
                w.unplaced_reason = None;
            }
            workloads.push(DrainWorkload {
                namespace: w.namespace.clone(),
                name: w.name.clone(),
                on_member: replicas,
                moving: replicas.saturating_sub(stuck),
                stuck,
                stuck_reason: (stuck > 0).then(|| stuck_reason.unwrap_or_default()),
            });
            plan.workloads.push(w);
        }
    }
    plan.warnings.sort();
    plan.warnings.dedup();
    Ok(DrainPlan {
        member: member.to_string(),
        workloads,
        plan,
    })
}

/// Reads the fleet and plans draining `member`.
pub async fn plan_drain(fleet: &Fleet, member: &str) -> Result<DrainPlan, FleetError> {
    let snapshots = read_snapshots(fleet, &ReadOptions::default()).await;
    plan_drain_from(fleet, &snapshots, member)
}

/// Executes a drain plan, make-before-break (the caller cordons the member first, see
/// [`super::ops::cordon`]). Unreachable other members are skipped, never changed.
pub async fn drain(
    fleet: &Fleet,
    plan: DrainPlan,
    opts: &DrainOptions,
) -> Result<DrainReport, FleetError> {
    let apply_opts = ApplyOptions {
        dry_run: if opts.dry_run {
            DryRun::Client
        } else {
            DryRun::None
        },
        // Make-before-break needs the wait: the member's copy shrinks only after the new
        // replicas are available.
        wait: true,
        timeout: if opts.timeout.is_zero() {
            Duration::from_secs(300)
        } else {
            opts.timeout
        },
        allow_unreachable: true,
        progress: opts.progress.clone(),
        cancel: opts.cancel.clone(),
        fence: opts.fence.clone(),
        ..Default::default()
    };
    let report = apply(fleet, &plan.plan, &apply_opts).await?;
    Ok(DrainReport {
        plan,
        apply: report,
    })
}
