//! `rebalance`: one pass over the managed workloads, using the engine's rebalance mode
//! (`schedule::Mode::Rebalance { max_moves }`) through the fleet planner and the fleet's
//! make-before-break apply:
//!
//! - **Descheduling**: a copy's pods that are Pending longer than `pending_timeout` (or
//!   Running but not Ready longer than `unready_timeout`) are counted as pending, and the
//!   engine re-places them on members with room (idle → preemptible → elastic, by policy).
//! - **Failover**: a member unreachable for longer than `unready_timeout` (observed across
//!   runs, see [`observe`]) has its replicas placed elsewhere; before that the
//!   workload is planned without moves. When the member is back, replicas return by policy.
//! - **Return to priority**: when a higher-priority group has room again, replicas move up
//!   (at most `max_moves` optional moves per run).
//!
//! Every change is described as [`RebalanceAction`]s (printed as the plan) and recorded as a
//! Kubernetes Event on the member copies involved ([`events`]).
//! Failover timing is observed across runs in the members themselves ([`observe`]).

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, ListParams};
use serde::Serialize;

pub mod events;
pub mod observe;

use self::events::FleetEvent;
use crate::fleet::apply::{apply, ApplyOptions, ApplyReport, DryRun, ProgressFn};
use crate::fleet::error::{FleetError, MemberError};
use crate::fleet::lock::{lock_workload, Fence, LockOptions, WorkloadLocks};
use crate::fleet::membership::Fleet;
use crate::fleet::plan::{managed_workloads, plan_managed, FleetPlan, PlanOptions, WorkloadPlan};
use crate::fleet::read::MemberSnapshot;
use crate::schedule::Mode;

/// Wraps a member error with the member's name.
pub(crate) fn member_err(member: &str, source: MemberError) -> FleetError {
    FleetError::Member {
        member: member.to_string(),
        source,
    }
}

/// Now as RFC 3339 UTC with seconds (`2026-11-29T16:40:00Z`).
pub(crate) fn now_rfc3339() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// Parses an RFC 3339 timestamp into seconds since the epoch.
pub(crate) fn parse_ts(s: &str) -> Option<i64> {
    s.parse::<k8s_openapi::jiff::Timestamp>()
        .ok()
        .map(|t| t.as_second())
}

/// Seconds since the epoch, now.
pub(crate) fn now_secs() -> i64 {
    k8s_openapi::jiff::Timestamp::now().as_second()
}

/// Which workloads a pass covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum WorkloadSelection {
    /// Every managed Deployment (`-A`).
    #[default]
    All,
    /// Managed Deployments of one namespace.
    Namespace(String),
    /// One Deployment.
    One { namespace: String, name: String },
}

/// Options of a rebalance pass.
#[derive(Debug, Clone)]
pub struct RebalanceOptions {
    pub selection: WorkloadSelection,
    /// Upper bound on optional moves (return to priority) per workload and pass.
    pub max_moves: Option<u32>,
    pub pending_timeout: Duration,
    pub unready_timeout: Duration,
}

impl Default for RebalanceOptions {
    fn default() -> Self {
        RebalanceOptions {
            selection: WorkloadSelection::All,
            max_moves: None,
            pending_timeout: Duration::from_secs(120),
            unready_timeout: Duration::from_secs(120),
        }
    }
}

/// Why replicas move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionKind {
    /// Pending/unready too long: moved to a member with room.
    Deschedule,
    /// The source member is unreachable: replicas placed elsewhere.
    Failover,
    /// A higher-priority group has room again: replicas move up.
    ReturnToPriority,
    /// Any other change of the division (scale-in of surplus copies, weights).
    Rebalance,
}

impl ActionKind {
    /// Event reason.
    pub fn reason(&self) -> &'static str {
        match self {
            ActionKind::Deschedule => "FleetDeschedule",
            ActionKind::Failover => "FleetFailover",
            ActionKind::ReturnToPriority => "FleetReturnToPriority",
            ActionKind::Rebalance => "FleetRebalance",
        }
    }

    /// Lower-case word for tables.
    pub fn as_str(&self) -> &'static str {
        match self {
            ActionKind::Deschedule => "deschedule",
            ActionKind::Failover => "failover",
            ActionKind::ReturnToPriority => "return-to-priority",
            ActionKind::Rebalance => "rebalance",
        }
    }
}

/// `replicas` of a workload move from `from` to `to` (either may be empty: a pure add or a
/// pure removal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebalanceAction {
    pub namespace: String,
    pub name: String,
    pub kind: ActionKind,
    pub from: Option<String>,
    pub to: Option<String>,
    pub replicas: u32,
    pub message: String,
}

/// The plan of a pass: what to apply, why, and what waits.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebalancePlan {
    /// Only the workloads whose division changes.
    pub plan: FleetPlan,
    pub actions: Vec<RebalanceAction>,
    /// Things that wait for a timeout or cannot be done (one line each).
    pub notes: Vec<String>,
    /// Managed workloads looked at.
    pub workloads_checked: usize,
}

impl RebalancePlan {
    /// True when nothing moves.
    pub fn is_empty(&self) -> bool {
        self.plan.workloads.is_empty()
    }

    /// Replicas moved between members by this plan.
    pub fn moves(&self) -> u32 {
        self.actions
            .iter()
            .filter(|a| a.from.is_some() && a.to.is_some())
            .map(|a| a.replicas)
            .sum()
    }
}

/// The result of [`execute_rebalance`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RebalanceReport {
    pub apply: ApplyReport,
    /// Events recorded (member, reason).
    pub events: Vec<(String, String)>,
    pub event_errors: Vec<String>,
}

/// Counts, per reachable member and managed copy, the pods stuck longer than the timeouts
/// (Pending ≥ pending_timeout, Running-not-Ready ≥ unready_timeout) and writes that count
/// into the copy's `pending` (what the engine re-places).
async fn mark_stuck(
    fleet: &Fleet,
    snapshots: &mut [MemberSnapshot],
    selected: &dyn Fn(&str, &str) -> bool,
    opts: &RebalanceOptions,
) -> Vec<String> {
    let mut warnings = Vec::new();
    // (member, ns, name, selector)
    let mut targets: Vec<(String, String, String, String)> = Vec::new();
    for s in snapshots.iter() {
        let Ok(st) = &s.result else { continue };
        for d in st.deployments.iter().filter(|d| d.managed) {
            if !selected(&d.namespace, &d.name) {
                continue;
            }
            if d.pending > 0 || d.ready < d.replicas {
                let sel = d
                    .match_labels()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",");
                if !sel.is_empty() {
                    targets.push((s.name.clone(), d.namespace.clone(), d.name.clone(), sel));
                }
            }
        }
    }
    let now = now_secs();
    let pending_secs = opts.pending_timeout.as_secs() as i64;
    let unready_secs = opts.unready_timeout.as_secs() as i64;
    for (member, ns, name, sel) in targets {
        let Some(m) = fleet.member(&member) else {
            continue;
        };
        let count = async {
            let client = m.client().await?;
            let api: Api<Pod> = Api::namespaced(client, &ns);
            let pods = api
                .list(&ListParams::default().labels(&sel))
                .await
                .map_err(MemberError::from)?;
            let mut stuck = 0i32;
            for p in pods.items {
                if p.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                let created = p
                    .metadata
                    .creation_timestamp
                    .as_ref()
                    .map(|t| t.0.as_second())
                    .unwrap_or(now);
                let status = p.status.unwrap_or_default();
                let cond_since = |ty: &str| {
                    status
                        .conditions
                        .as_ref()
                        .and_then(|cs| cs.iter().find(|c| c.type_ == ty))
                        .and_then(|c| c.last_transition_time.as_ref())
                        .map(|t| t.0.as_second())
                };
                match status.phase.as_deref().unwrap_or("Pending") {
                    "Pending" => {
                        let since = cond_since("PodScheduled").unwrap_or(created).max(created);
                        if now - since >= pending_secs {
                            stuck += 1;
                        }
                    }
                    "Running" => {
                        let ready = status
                            .conditions
                            .as_ref()
                            .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
                            .is_some_and(|c| c.status == "True");
                        if !ready {
                            let since = cond_since("Ready").unwrap_or(created);
                            if now - since >= unready_secs {
                                stuck += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            Ok::<i32, MemberError>(stuck)
        };
        match tokio::time::timeout(fleet.request_timeout, count).await {
            Ok(Ok(stuck)) => {
                if let Some(st) = snapshots
                    .iter_mut()
                    .find(|s| s.name == member)
                    .and_then(|s| s.result.as_mut().ok())
                {
                    if let Some(d) = st
                        .deployments
                        .iter_mut()
                        .find(|d| d.namespace == ns && d.name == name)
                    {
                        d.pending = stuck.min(d.replicas.max(0));
                    }
                }
            }
            Ok(Err(e)) => warnings.push(format!("{member}: listing pods of {ns}/{name}: {e}")),
            Err(_) => warnings.push(format!("{member}: listing pods of {ns}/{name}: timed out")),
        }
    }
    warnings
}

/// Plans one pass. `unreachable_since` says since when (epoch seconds) each unreachable
/// member has been seen unreachable (see [`observe::update_unreachable_since`]).
pub async fn plan_rebalance(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    unreachable_since: &BTreeMap<String, i64>,
    opts: &RebalanceOptions,
) -> Result<RebalancePlan, FleetError> {
    let selection = opts.selection.clone();
    let selected = move |ns: &str, name: &str| match &selection {
        WorkloadSelection::All => true,
        WorkloadSelection::Namespace(n) => n == ns,
        WorkloadSelection::One { namespace, name: n } => namespace == ns && n == name,
    };
    let mut snaps: Vec<MemberSnapshot> = snapshots.to_vec();
    let mut out = RebalancePlan::default();
    out.notes
        .extend(mark_stuck(fleet, &mut snaps, &selected, opts).await);
    let workloads: Vec<_> = managed_workloads(&snaps)
        .into_iter()
        .filter(|w| selected(&w.namespace, &w.name))
        .collect();
    if let WorkloadSelection::One { namespace, name } = &opts.selection {
        if workloads.is_empty() {
            // plan_managed produces the one-line error naming unreachable members.
            plan_managed(
                fleet,
                &snaps,
                namespace,
                name,
                None,
                &PlanOptions::default(),
            )?;
        }
    }
    let now = now_secs();
    let unready = opts.unready_timeout.as_secs() as i64;
    for w in &workloads {
        out.workloads_checked += 1;
        // Members recorded as holding replicas of this workload that are unreachable but not
        // for long enough yet: no failover this pass.
        let recorded: BTreeMap<String, u32> = w.placement.clone().unwrap_or_default();
        let waiting: Vec<String> = unreachable_since
            .iter()
            .filter(|(m, since)| {
                recorded.get(*m).copied().unwrap_or(0) > 0 && now - **since < unready
            })
            .map(|(m, since)| {
                format!(
                    "{m} unreachable for {}s (failover after {})",
                    now - since,
                    humantime::format_duration(opts.unready_timeout)
                )
            })
            .collect();
        let mode = if waiting.is_empty() {
            Mode::Rebalance {
                max_moves: opts.max_moves,
            }
        } else {
            out.notes.push(format!(
                "deployment {}/{}: waiting: {}",
                w.namespace,
                w.name,
                waiting.join(", ")
            ));
            Mode::Plan
        };
        let p = plan_managed(
            fleet,
            &snaps,
            &w.namespace,
            &w.name,
            None,
            &PlanOptions {
                mode,
                ..Default::default()
            },
        )?;
        for wp in p.workloads {
            if wp.unplaced > 0 {
                out.notes.push(format!(
                    "deployment {}/{}: {} replicas unplaced: {}",
                    wp.namespace,
                    wp.name,
                    wp.unplaced,
                    wp.unplaced_reason.clone().unwrap_or_default()
                ));
            }
            // A torn workload is written even when no replica moves: the repair.
            if !wp.changes_replicas() && wp.torn.is_none() {
                continue;
            }
            out.actions.extend(actions_of(&wp));
            out.plan.workloads.push(wp);
        }
        for warn in p.warnings {
            // Torn workloads are said once per pass, next to the actions.
            if warn.contains(" is torn: ") && !out.notes.contains(&warn) {
                out.notes.push(warn.clone());
            }
            if !out.plan.warnings.contains(&warn) {
                out.plan.warnings.push(warn);
            }
        }
    }
    Ok(out)
}

/// Pairs the members that lose replicas with those that gain them.
pub fn actions_of(w: &WorkloadPlan) -> Vec<RebalanceAction> {
    let mut group_rank: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &w.placements {
        let n = group_rank.len();
        group_rank.entry(p.group.as_str()).or_insert(n);
    }
    let rank = |g: &str| group_rank.get(g).copied().unwrap_or(usize::MAX);
    // Sources: (cluster, amount, kind-hint, group rank)
    let mut sources: Vec<(String, u32, Option<ActionKind>, usize, u32)> = w
        .placements
        .iter()
        .filter(|p| p.desired < p.current)
        .map(|p| {
            let hint = if p.unreachable {
                Some(ActionKind::Failover)
            } else if p.pending > 0 {
                Some(ActionKind::Deschedule)
            } else {
                None
            };
            (
                p.cluster.clone(),
                p.current - p.desired,
                hint,
                rank(&p.group),
                p.pending,
            )
        })
        .collect();
    let mut dests: Vec<(String, u32, usize)> = w
        .placements
        .iter()
        .filter(|p| p.desired > p.current)
        .map(|p| (p.cluster.clone(), p.desired - p.current, rank(&p.group)))
        .collect();
    // Failover and descheduling first, then lowest priority sources.
    sources.sort_by_key(|s| (s.2.is_none(), std::cmp::Reverse(s.3)));
    dests.sort_by_key(|d| d.2);
    let mut out = Vec::new();
    let (mut si, mut di) = (0, 0);
    while si < sources.len() && di < dests.len() {
        let n = sources[si].1.min(dests[di].1);
        let kind = sources[si].2.unwrap_or(if sources[si].3 > dests[di].2 {
            ActionKind::ReturnToPriority
        } else {
            ActionKind::Rebalance
        });
        let why = match kind {
            ActionKind::Failover => format!("{} is unreachable", sources[si].0),
            ActionKind::Deschedule => format!(
                "{} Pending/unready on {} past the timeout",
                sources[si].4, sources[si].0
            ),
            ActionKind::ReturnToPriority => {
                format!("higher-priority {} has room again", dests[di].0)
            }
            ActionKind::Rebalance => "division changed".to_string(),
        };
        out.push(RebalanceAction {
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            kind,
            from: Some(sources[si].0.clone()),
            to: Some(dests[di].0.clone()),
            replicas: n,
            message: format!(
                "{}: {n} replicas of deployment {}/{} move {} → {} ({why})",
                kind.as_str(),
                w.namespace,
                w.name,
                sources[si].0,
                dests[di].0
            ),
        });
        sources[si].1 -= n;
        dests[di].1 -= n;
        if sources[si].1 == 0 {
            si += 1;
        }
        if dests[di].1 == 0 {
            di += 1;
        }
    }
    for s in &sources[si.min(sources.len())..] {
        if s.1 == 0 {
            continue;
        }
        let kind = s.2.unwrap_or(ActionKind::ReturnToPriority);
        out.push(RebalanceAction {
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            kind,
            from: Some(s.0.clone()),
            to: None,
            replicas: s.1,
            message: format!(
                "{}: {} surplus replicas of deployment {}/{} removed from {} (the fleet holds {} elsewhere by priority)",
                kind.as_str(),
                s.1,
                w.namespace,
                w.name,
                s.0,
                w.replicas
            ),
        });
    }
    for d in &dests[di.min(dests.len())..] {
        if d.1 == 0 {
            continue;
        }
        out.push(RebalanceAction {
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            kind: ActionKind::Rebalance,
            from: None,
            to: Some(d.0.clone()),
            replicas: d.1,
            message: format!(
                "rebalance: {} replicas of deployment {}/{} added on {}",
                d.1, w.namespace, w.name, d.0
            ),
        });
    }
    out
}

/// A rebalance pass planned under the write locks of the workloads it changes.
#[derive(Debug)]
pub struct LockedRebalance {
    pub plan: RebalancePlan,
    pub locks: WorkloadLocks,
}

/// Plans a pass through the write path ([`crate::fleet::write`]): plans from `snapshots`;
/// the workloads the plan changes are locked, the members read again (`reread`: the caller's
/// read, e.g. without members in backoff) and the pass planned again, until every workload it
/// changes is locked and was read under its lock. With `skip_locked` (the reconciler) a
/// workload another writer holds is left out of this pass (a note says so) instead of failing
/// the pass. `lock: None` (dry run) plans once without locks.
pub async fn lock_and_plan_rebalance<R, Fut>(
    fleet: &Fleet,
    snapshots: Vec<MemberSnapshot>,
    unreachable_since: &BTreeMap<String, i64>,
    opts: &RebalanceOptions,
    lock: Option<&LockOptions>,
    skip_locked: bool,
    mut reread: R,
) -> Result<LockedRebalance, FleetError>
where
    R: FnMut() -> Fut,
    Fut: std::future::Future<Output = Vec<MemberSnapshot>>,
{
    let mut snaps = snapshots;
    let mut locks = WorkloadLocks::default();
    let mut skipped: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..4 {
        let mut plan = match plan_rebalance(fleet, &snaps, unreachable_since, opts).await {
            Ok(p) => p,
            Err(e) => {
                locks.release().await;
                return Err(e);
            }
        };
        plan.plan
            .workloads
            .retain(|w| !skipped.contains_key(&format!("{}/{}", w.namespace, w.name)));
        plan.actions
            .retain(|a| !skipped.contains_key(&format!("{}/{}", a.namespace, a.name)));
        plan.notes.extend(skipped.values().cloned());
        let Some(lock_opts) = lock else {
            return Ok(LockedRebalance { plan, locks });
        };
        let missing: Vec<(String, String)> = plan
            .plan
            .workloads
            .iter()
            .filter(|w| !locks.holds(&format!("{}/{}", w.namespace, w.name)))
            .map(|w| (w.namespace.clone(), w.name.clone()))
            .collect();
        if missing.is_empty() {
            return Ok(LockedRebalance { plan, locks });
        }
        for (ns, name) in missing {
            match lock_workload(fleet, &ns, &name, lock_opts).await {
                Ok(l) => locks.locks.push(l),
                Err(e @ FleetError::Locked { .. }) if skip_locked => {
                    skipped.insert(
                        format!("{ns}/{name}"),
                        format!("deployment {ns}/{name}: skipped this pass: {e}"),
                    );
                }
                Err(e) => {
                    locks.release().await;
                    return Err(e);
                }
            }
        }
        snaps = reread().await;
    }
    locks.release().await;
    Err(FleetError::Runtime(
        "the workloads to rebalance kept changing while they were being locked; re-run".into(),
    ))
}

/// Applies a pass make-before-break (unreachable members are skipped, never changed) and
/// records one Event per action on each reachable member involved. `fence`: the locks' fence
/// ([`LockedRebalance::locks`]), see [`ApplyOptions::fence`].
pub async fn execute_rebalance(
    fleet: &Fleet,
    plan: &RebalancePlan,
    timeout: Duration,
    progress: Option<ProgressFn>,
    cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    fence: Option<Fence>,
) -> Result<RebalanceReport, FleetError> {
    let apply_opts = ApplyOptions {
        dry_run: DryRun::None,
        wait: true,
        timeout,
        allow_unreachable: true,
        progress,
        cancel,
        fence,
        ..Default::default()
    };
    let report = apply(fleet, &plan.plan, &apply_opts).await?;
    let mut recorded = Vec::new();
    let mut errors = Vec::new();
    if report.written.is_empty() {
        return Ok(RebalanceReport {
            apply: report,
            events: recorded,
            event_errors: errors,
        });
    }
    // member -> events
    let mut per_member: BTreeMap<String, Vec<FleetEvent>> = BTreeMap::new();
    for a in &plan.actions {
        for member in [&a.from, &a.to].into_iter().flatten() {
            let unreachable = plan
                .plan
                .workloads
                .iter()
                .filter(|w| w.namespace == a.namespace && w.name == a.name)
                .flat_map(|w| w.placements.iter())
                .any(|p| &p.cluster == member && p.unreachable);
            if unreachable {
                continue;
            }
            per_member
                .entry(member.clone())
                .or_default()
                .push(FleetEvent {
                    namespace: a.namespace.clone(),
                    deployment: a.name.clone(),
                    reason: a.kind.reason().to_string(),
                    message: a.message.clone(),
                    type_: if a.kind == ActionKind::Failover {
                        "Warning".to_string()
                    } else {
                        "Normal".to_string()
                    },
                });
        }
    }
    for (member, evs) in per_member {
        let Some(m) = fleet.member(&member) else {
            continue;
        };
        let client = match m.client().await {
            Ok(c) => c,
            Err(e) => {
                errors.push(format!("{member}: events: {e}"));
                continue;
            }
        };
        for ev in evs {
            match events::record(&client, &ev).await {
                Ok(()) => recorded.push((member.clone(), ev.reason.clone())),
                Err(e) => errors.push(format!("{member}: event {}: {e}", ev.reason)),
            }
        }
    }
    Ok(RebalanceReport {
        apply: report,
        events: recorded,
        event_errors: errors,
    })
}

/// True when everything the plan asked of the reachable members was done: no errors, not
/// cancelled, decreases not held back. Unreachable members that were skipped (failover) do
/// not count against it.
pub fn applied_fully(report: &ApplyReport) -> bool {
    report.errors.is_empty()
        && !report.cancelled
        && !report
            .warnings
            .iter()
            .any(|w| w.contains("were not applied"))
}

/// Parses `deploy/NAME`, `deployment/NAME`, `deployments.apps/NAME` or `NAME`.
pub fn parse_target(s: &str) -> Result<String, FleetError> {
    let (kind, name) = match s.split_once('/') {
        Some((k, n)) => (Some(k), n),
        None => (None, s),
    };
    if let Some(k) = kind {
        if !matches!(
            k.to_ascii_lowercase().as_str(),
            "deploy" | "deployment" | "deployments" | "deployment.apps" | "deployments.apps"
        ) {
            return Err(FleetError::Input(format!(
                "{s}: only Deployments are managed (use deploy/NAME)"
            )));
        }
    }
    if name.is_empty() {
        return Err(FleetError::Input(format!("{s}: empty name")));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::plan::Placement;

    fn row(cluster: &str, group: &str, current: u32, desired: u32) -> Placement {
        Placement {
            cluster: cluster.into(),
            group: group.into(),
            current,
            desired,
            ..Default::default()
        }
    }

    fn plan_of(rows: Vec<Placement>) -> WorkloadPlan {
        WorkloadPlan {
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: "web".into(),
            replicas: 4,
            placements: rows,
            ..Default::default()
        }
    }

    #[test]
    fn moves_from_a_lower_group_to_a_higher_one_are_return_to_priority() {
        let w = plan_of(vec![row("a", "g1", 2, 4), row("b", "g2", 2, 0)]);
        let acts = actions_of(&w);
        assert_eq!(acts.len(), 1);
        assert_eq!(acts[0].kind, ActionKind::ReturnToPriority);
        assert_eq!(acts[0].from.as_deref(), Some("b"));
        assert_eq!(acts[0].to.as_deref(), Some("a"));
        assert_eq!(acts[0].replicas, 2);
    }

    #[test]
    fn unreachable_sources_are_failover_and_pending_ones_deschedule() {
        let mut down = row("a", "g1", 2, 0);
        down.unreachable = true;
        let mut stuck = row("b", "g1", 3, 2);
        stuck.pending = 1;
        let w = plan_of(vec![down, stuck, row("c", "g2", 0, 3)]);
        let acts = actions_of(&w);
        let kinds: Vec<(ActionKind, u32)> = acts.iter().map(|a| (a.kind, a.replicas)).collect();
        assert!(kinds.contains(&(ActionKind::Failover, 2)), "{kinds:?}");
        assert!(kinds.contains(&(ActionKind::Deschedule, 1)), "{kinds:?}");
        assert_eq!(acts.iter().map(|a| a.replicas).sum::<u32>(), 3);
    }

    #[test]
    fn surplus_without_destination_is_a_removal() {
        let w = plan_of(vec![row("a", "g1", 4, 4), row("b", "g2", 2, 0)]);
        let acts = actions_of(&w);
        assert_eq!(acts.len(), 1);
        assert_eq!(acts[0].to, None);
        assert_eq!(acts[0].replicas, 2);
    }

    #[test]
    fn targets_accept_kubectl_forms() {
        assert_eq!(parse_target("deploy/web").unwrap(), "web");
        assert_eq!(parse_target("deployments.apps/web").unwrap(), "web");
        assert_eq!(parse_target("web").unwrap(), "web");
        assert!(parse_target("svc/web").is_err());
    }
}
