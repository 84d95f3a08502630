//! `reconcile`: the controller loop. Each pass reads every member (members in backoff are
//! treated as unreachable without being contacted), records unreachable observations
//! ([`crate::fleet::rebalance::observe`]), plans a rebalance pass for all managed workloads
//! ([`crate::fleet::rebalance`]: descheduling, failover, return to priority, and convergence of any
//! copy that drifted from the plan) and applies it make-before-break, recording Events.
//!
//! - Rollouts ([`crate::fleet::rollout::advance_timed`]): a step whose timed pause
//!   (`pause: {duration}`) is over moves on; manual pauses wait for `rollout resume`.
//! - Per-member exponential backoff: a member whose read or write fails is skipped for
//!   2s, 4s, 8s ... up to 5 minutes; one success resets it.
//! - Leader election ([`lease`]): with a Lease configured, a background task
//!   acquires/renews it every `duration / 3`; only the holder runs passes, and losing the
//!   Lease cancels a running apply between members. On shutdown the Lease is released.
//! - Metrics ([`metrics`]) and `/healthz`, `/metrics` over HTTP ([`serve`]).
//! - Shutdown: the `shutdown` watch channel (the CLI wires SIGINT/SIGTERM to it).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::watch;

pub mod lease;
pub mod metrics;

use self::lease::{LeaseConfig, LeaseStatus};
use self::metrics::Metrics;
use crate::fleet::error::{FleetError, MemberError};
use crate::fleet::lock::LockOptions;
use crate::fleet::membership::Fleet;
use crate::fleet::plan::managed_workloads;
use crate::fleet::read::{read_member, MemberSnapshot, ReadOptions};
use crate::fleet::rebalance::observe::{
    refresh_workload_records, sync_workload_records, update_unreachable_since,
};
use crate::fleet::rebalance::{
    execute_rebalance, lock_and_plan_rebalance, LockedRebalance, RebalanceOptions,
};

/// Options of [`run`].
#[derive(Debug, Clone)]
pub struct ReconcileOptions {
    pub interval: Duration,
    /// One pass, then return.
    pub once: bool,
    pub rebalance: RebalanceOptions,
    /// Bound of waiting for new replicas in one pass (make-before-break).
    pub apply_timeout: Duration,
    /// Leader election: the member holding the Lease, and the Lease.
    pub lease: Option<(String, LeaseConfig)>,
}

/// What one pass did.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PassSummary {
    pub workloads: usize,
    pub actions: usize,
    pub moves: u32,
    /// Member copies of Deployments written: by the autoscalers' rescales and by the
    /// rebalance (the autoscalers' state ConfigMaps, rewritten every pass, are not counted).
    pub writes: usize,
    pub events: usize,
    pub unreachable: Vec<String>,
    pub backing_off: Vec<String>,
    /// Fleet autoscalers evaluated this pass.
    pub autoscalers: usize,
    /// Autoscalers that changed their target's total: `namespace/name: from -> to (reason)`.
    pub rescaled: Vec<String>,
    pub errors: Vec<String>,
    /// Problems that do not fail the pass (an autoscaler whose target Deployment is gone).
    pub warnings: Vec<String>,
    pub notes: Vec<String>,
}

/// Per-member backoff state.
#[derive(Debug, Default)]
struct Backoff {
    failures: BTreeMap<String, (u32, Instant)>,
}

const BACKOFF_BASE: Duration = Duration::from_secs(2);
const BACKOFF_MAX: Duration = Duration::from_secs(300);

impl Backoff {
    fn blocked(&self, member: &str) -> bool {
        self.failures
            .get(member)
            .is_some_and(|(_, until)| Instant::now() < *until)
    }

    fn fail(&mut self, member: &str) -> Duration {
        let e = self
            .failures
            .entry(member.to_string())
            .or_insert((0, Instant::now()));
        e.0 = e.0.saturating_add(1);
        let delay = BACKOFF_BASE
            .saturating_mul(1u32 << (e.0 - 1).min(16))
            .min(BACKOFF_MAX);
        e.1 = Instant::now() + delay;
        delay
    }

    fn ok(&mut self, member: &str) {
        self.failures.remove(member);
    }
}

/// Whether a member's message is an RBAC denial (kube-apiserver's `... is forbidden: User
/// "..." cannot ...`).
fn is_forbidden(message: &str) -> bool {
    message.contains(" is forbidden: User ")
}

/// One pass (the caller holds the Lease, if any).
async fn pass(
    fleet: &Fleet,
    opts: &ReconcileOptions,
    metrics: &Metrics,
    backoff: &mut Backoff,
    cancel: &Arc<AtomicBool>,
) -> Result<PassSummary, FleetError> {
    let mut summary = PassSummary::default();
    // Fleet autoscalers first, so the reads below see the totals they set.
    let eval = crate::fleet::autoscale::EvaluateOptions {
        apply_timeout: opts.apply_timeout,
        ..Default::default()
    };
    let (outcomes, errors) = crate::fleet::autoscale::evaluate_all(fleet, &eval).await;
    summary.autoscalers = outcomes.len();
    summary.errors.extend(errors);
    metrics.set_autoscalers(
        &outcomes
            .iter()
            .map(|o| {
                // Like the stored state: a rescale that failed keeps desired at current.
                let desired = if o.rescaled { o.desired } else { o.current };
                (o.namespace.clone(), o.name.clone(), o.current, desired)
            })
            .collect::<Vec<_>>(),
    );
    for o in outcomes.iter().filter(|o| o.rescaled) {
        metrics.add_rescale(&o.namespace, &o.name);
    }
    let autoscaler_writes: usize = outcomes.iter().map(|o| o.writes).sum();
    summary.events += outcomes.iter().map(|o| o.recorded.len()).sum::<usize>();
    summary.writes += autoscaler_writes;
    metrics.add_writes(autoscaler_writes as u64);
    for o in &outcomes {
        for e in &o.events {
            tracing::info!(autoscaler = %format!("{}/{}", o.namespace, o.name), kind = e.kind, reason = %e.reason, "{}", e.message);
        }
        if o.rescaled {
            summary.rescaled.push(format!(
                "{}/{}: deploy/{} {} -> {} ({})",
                o.namespace, o.name, o.target, o.current, o.desired, o.reason
            ));
        }
        summary.errors.extend(
            o.errors
                .iter()
                .map(|e| format!("autoscaler {}/{}: {e}", o.namespace, o.name)),
        );
        summary.warnings.extend(
            o.warnings
                .iter()
                .map(|w| format!("autoscaler {}/{}: {w}", o.namespace, o.name)),
        );
        // Metrics a member refuses to serve (403) are a misconfiguration, not missing data:
        // the pass fails and says which permission is missing (as for the reads below).
        summary.errors.extend(
            o.members
                .iter()
                .filter_map(|m| Some((&m.member, m.left_out.as_ref()?)))
                .filter(|(_, why)| is_forbidden(why))
                .map(|(m, why)| format!("autoscaler {}/{}: {m}: {why}", o.namespace, o.name)),
        );
        // Object and External metrics: the failure is in the evaluation's events.
        summary.errors.extend(
            o.events
                .iter()
                .filter(|e| e.reason.starts_with("FailedGet") && is_forbidden(&e.message))
                .map(|e| format!("autoscaler {}/{}: {}", o.namespace, o.name, e.message)),
        );
    }
    let read_opts = ReadOptions::default();
    let backing: Vec<String> = fleet
        .members
        .iter()
        .filter(|m| backoff.blocked(&m.name))
        .map(|m| m.name.clone())
        .collect();
    let backing_ref = &backing;
    let read_ref = &read_opts;
    // Members in backoff are not contacted.
    let read_all = || async move {
        fleet
            .for_each(|m| async move {
                if backing_ref.contains(&m.name) {
                    return Err(MemberError::Unreachable("backing off after errors".into()));
                }
                read_member(m, read_ref).await
            })
            .await
            .into_iter()
            .map(|(name, result)| MemberSnapshot { name, result })
            .collect::<Vec<MemberSnapshot>>()
    };
    let mut snapshots: Vec<MemberSnapshot> = read_all().await;
    for s in &snapshots {
        metrics.set_reachable(&s.name, s.result.is_ok());
        match &s.result {
            Ok(_) => backoff.ok(&s.name),
            Err(e) => {
                summary.unreachable.push(s.name.clone());
                if !backing.contains(&s.name) {
                    metrics.add_error(&s.name);
                    let delay = backoff.fail(&s.name);
                    tracing::warn!(member = %s.name, error = %e, backoff_secs = delay.as_secs(), "member read failed; backing off");
                    // A member that answers "not allowed" is misconfigured, not down: the
                    // pass fails and says which permission is missing.
                    if matches!(
                        e,
                        MemberError::Api {
                            code: 401 | 403,
                            ..
                        }
                    ) {
                        summary.errors.push(format!("{}: {e}", s.name));
                    }
                }
            }
        }
    }
    summary.backing_off = backing.clone();
    let (since, warnings) = update_unreachable_since(fleet, &snapshots, false).await;
    summary.notes.extend(warnings);
    summary
        .notes
        .extend(sync_workload_records(fleet, &mut snapshots, false).await);
    // Placements as they are (changed workloads are overwritten below).
    for w in managed_workloads(&snapshots) {
        let rows: Vec<(String, u32)> = snapshots
            .iter()
            .filter_map(|s| {
                let st = s.result.as_ref().ok()?;
                let d = st.deployment(&w.namespace, &w.name)?;
                d.managed
                    .then(|| (s.name.clone(), d.replicas.max(0) as u32))
            })
            .collect();
        metrics.set_placements(&w.namespace, &w.name, &rows);
    }
    // Rollouts: a timed pause that is over moves on to the next step.
    for w in managed_workloads(&snapshots) {
        let apply_opts = crate::fleet::ApplyOptions {
            timeout: opts.apply_timeout,
            cancel: Some(cancel.clone()),
            ..Default::default()
        };
        match crate::fleet::rollout::advance_timed(fleet, &w.namespace, &w.name, &apply_opts).await
        {
            Ok(Some(line)) => {
                tracing::info!(deployment = %format!("{}/{}", w.namespace, w.name), "{line}");
                summary.notes.push(line);
            }
            Ok(None) => {}
            Err(e) => summary
                .errors
                .push(format!("rollout of {}/{}: {e}", w.namespace, w.name)),
        }
    }
    // The write path: each workload the pass changes is locked (one held by an operator's
    // command is skipped this pass, with a note), read again under its lock and re-planned.
    let lock_opts = LockOptions {
        timeout: Duration::ZERO,
        allow_minority: true,
        ..LockOptions::new("reconcile")
    };
    let reread = || async {
        let mut snaps = read_all().await;
        let _ = sync_workload_records(fleet, &mut snaps, false).await;
        snaps
    };
    let locked = lock_and_plan_rebalance(
        fleet,
        snapshots,
        &since,
        &opts.rebalance,
        Some(&lock_opts),
        true,
        reread,
    )
    .await?;
    let result = pass_locked(fleet, opts, metrics, backoff, cancel, &locked, summary).await;
    locked.locks.release().await;
    result
}

/// The rest of a pass, under the write locks of the workloads it changes.
async fn pass_locked(
    fleet: &Fleet,
    opts: &ReconcileOptions,
    metrics: &Metrics,
    backoff: &mut Backoff,
    cancel: &Arc<AtomicBool>,
    locked: &LockedRebalance,
    mut summary: PassSummary,
) -> Result<PassSummary, FleetError> {
    let plan = &locked.plan;
    summary.workloads = plan.workloads_checked;
    summary.actions = plan.actions.len();
    summary.notes.extend(plan.notes.iter().cloned());
    for a in &plan.actions {
        tracing::info!(
            action = a.kind.as_str(),
            deployment = %format!("{}/{}", a.namespace, a.name),
            from = a.from.as_deref().unwrap_or("-"),
            to = a.to.as_deref().unwrap_or("-"),
            replicas = a.replicas,
            "{}",
            a.message
        );
    }
    if plan.is_empty() {
        return Ok(summary);
    }
    let report = execute_rebalance(
        fleet,
        plan,
        opts.apply_timeout,
        None,
        Some(cancel.clone()),
        Some(locked.locks.fence()),
    )
    .await?;
    let writes = report
        .apply
        .workloads
        .iter()
        .flat_map(|w| w.members.iter())
        .filter(|c| c.action.is_write())
        .count();
    summary.writes += writes;
    summary.events += report.events.len();
    metrics.add_writes(writes as u64);
    if crate::fleet::rebalance::applied_fully(&report.apply) {
        summary.moves = plan.moves();
        metrics.add_moves(u64::from(summary.moves));
    }
    for w in &plan.plan.workloads {
        let rows: Vec<(String, u32)> = w
            .placements
            .iter()
            .filter(|p| p.desired > 0)
            .map(|p| (p.cluster.clone(), p.desired))
            .collect();
        metrics.set_placements(&w.namespace, &w.name, &rows);
    }
    for e in report.apply.errors.iter().chain(report.event_errors.iter()) {
        let member = e.split(':').next().unwrap_or("").to_string();
        if fleet.member(&member).is_some() {
            metrics.add_error(&member);
            backoff.fail(&member);
        }
        summary.errors.push(e.clone());
    }
    // A write a member refuses (403, e.g. a rollout record created in a member that had
    // none) is a misconfiguration even when other members took it: the pass fails and says
    // which permission is missing.
    for w in &report.apply.warnings {
        if is_forbidden(w) {
            summary.errors.push(w.clone());
        } else {
            summary.notes.push(w.clone());
        }
    }
    if !report.apply.written.is_empty() {
        summary.notes.extend(refresh_workload_records(fleet).await);
    }
    Ok(summary)
}

/// Runs the loop until `shutdown` turns true (or after one pass with `once`). Returns the
/// summaries of the passes run by this process (as leader).
pub async fn run(
    fleet: &Fleet,
    opts: &ReconcileOptions,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) -> Result<Vec<PassSummary>, FleetError> {
    let cancel = Arc::new(AtomicBool::new(false));
    let leader = Arc::new(AtomicBool::new(opts.lease.is_none()));
    metrics.set_leader(opts.lease.is_none());
    let attempted = Arc::new(AtomicBool::new(false));
    // The last lease error (None after a successful attempt): `--once` reports it.
    let lease_error: Arc<std::sync::Mutex<Option<String>>> = Arc::default();
    let mut lease_task = None;
    let mut lease_client = None;
    if let Some((member, cfg)) = &opts.lease {
        let m = fleet.member_or_context(member).ok_or_else(|| {
            FleetError::Selection(format!(
                "--lease-member {member:?} is neither a fleet member nor a kubeconfig context"
            ))
        })?;
        let client = m
            .client()
            .await
            .map_err(|e| crate::fleet::rebalance::member_err(member, e))?;
        lease_client = Some((client.clone(), cfg.clone()));
        let (leader, cancel, metrics, cfg, attempted_t, lease_error_t) = (
            leader.clone(),
            cancel.clone(),
            metrics.clone(),
            cfg.clone(),
            attempted.clone(),
            lease_error.clone(),
        );
        let member = member.clone();
        let mut stop = shutdown.clone();
        let timeout = fleet.request_timeout;
        lease_task = Some(tokio::spawn(async move {
            let tick = (cfg.duration / 3).max(Duration::from_millis(200));
            loop {
                let status = tokio::time::timeout(timeout, lease::try_acquire(&client, &cfg)).await;
                let failure = match &status {
                    Ok(Ok(_)) => None,
                    Ok(Err(e)) => Some(format!(
                        "lease {}/{} in {member}: {e}",
                        cfg.namespace, cfg.name
                    )),
                    Err(_) => Some(format!(
                        "lease {}/{} in {member}: timed out",
                        cfg.namespace, cfg.name
                    )),
                };
                *lease_error_t.lock().unwrap_or_else(|e| e.into_inner()) = failure;
                let is_leader = match status {
                    Ok(Ok(s)) => {
                        match &s {
                            LeaseStatus::Leader { acquired: true } => {
                                tracing::info!(lease = %cfg.name, member = %member, identity = %cfg.identity, "acquired lease; acting as leader")
                            }
                            LeaseStatus::Follower { holder } if leader.load(Ordering::SeqCst) => {
                                tracing::warn!(lease = %cfg.name, holder = %holder, "lost lease; stopping")
                            }
                            LeaseStatus::Follower { holder } => {
                                tracing::debug!(lease = %cfg.name, holder = %holder, "lease held by another reconciler; waiting")
                            }
                            _ => {}
                        }
                        s.is_leader()
                    }
                    Ok(Err(e)) => {
                        tracing::warn!(member = %member, error = %e, "lease renew failed");
                        false
                    }
                    Err(_) => {
                        tracing::warn!(member = %member, "lease renew timed out");
                        false
                    }
                };
                leader.store(is_leader, Ordering::SeqCst);
                cancel.store(!is_leader, Ordering::SeqCst);
                metrics.set_leader(is_leader);
                attempted_t.store(true, Ordering::SeqCst);
                tokio::select! {
                    _ = tokio::time::sleep(tick) => {}
                    _ = stop.changed() => break,
                }
                if *stop.borrow() {
                    break;
                }
            }
        }));
        // Wait for the first attempt so that `--once` with a free Lease acts.
        let deadline = Instant::now() + fleet.request_timeout + Duration::from_secs(1);
        while !attempted.load(Ordering::SeqCst) && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let mut backoff = Backoff::default();
    let mut passes = Vec::new();
    let mut waited_logged = false;
    loop {
        if *shutdown.borrow() {
            break;
        }
        if leader.load(Ordering::SeqCst) {
            waited_logged = false;
            let started = Instant::now();
            match pass(fleet, opts, &metrics, &mut backoff, &cancel).await {
                Ok(s) => {
                    metrics.pass_done(started.elapsed().as_secs_f64());
                    tracing::info!(
                        workloads = s.workloads,
                        actions = s.actions,
                        moves = s.moves,
                        writes = s.writes,
                        events = s.events,
                        unreachable = %s.unreachable.join(","),
                        errors = s.errors.len(),
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "reconcile pass done"
                    );
                    for n in &s.notes {
                        tracing::info!(note = %n, "reconcile note");
                    }
                    for w in &s.warnings {
                        tracing::warn!(warning = %w, "reconcile warning");
                    }
                    for e in &s.errors {
                        tracing::error!(error = %e, "reconcile error");
                    }
                    passes.push(s);
                }
                Err(e) => {
                    metrics.pass_done(started.elapsed().as_secs_f64());
                    tracing::error!(error = %e, "reconcile pass failed");
                    passes.push(PassSummary {
                        errors: vec![e.to_string()],
                        ..Default::default()
                    });
                }
            }
        } else if !waited_logged {
            tracing::info!("not the leader; waiting for the lease");
            waited_logged = true;
        }
        if opts.once {
            if passes.is_empty() {
                if let Some(e) = lease_error
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()
                {
                    tracing::error!(error = %e, "reconcile error");
                    passes.push(PassSummary {
                        errors: vec![e],
                        ..Default::default()
                    });
                }
            }
            break;
        }
        tokio::select! {
            _ = tokio::time::sleep(opts.interval) => {}
            _ = shutdown.changed() => {}
        }
    }
    cancel.store(true, Ordering::SeqCst);
    if let Some(t) = lease_task {
        t.abort();
        let _ = t.await;
    }
    if let Some((client, cfg)) = lease_client {
        if leader.load(Ordering::SeqCst) {
            match lease::release(&client, &cfg).await {
                Ok(()) => tracing::info!(lease = %cfg.name, "released lease"),
                Err(e) => tracing::warn!(error = %e, "releasing lease failed"),
            }
        }
    }
    Ok(passes)
}

/// Serves `/healthz` and `/metrics` on `addr` until `shutdown`; returns the bound address.
pub async fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    use axum::routing::get;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let m = metrics.clone();
    let app = axum::Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/metrics",
            get(move || {
                let m = m.clone();
                async move {
                    (
                        [(
                            axum::http::header::CONTENT_TYPE,
                            "text/plain; version=0.0.4; charset=utf-8",
                        )],
                        m.render(),
                    )
                }
            }),
        );
    let handle = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                while !*shutdown.borrow() {
                    if shutdown.changed().await.is_err() {
                        break;
                    }
                }
            })
            .await;
    });
    Ok((bound, handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_resets() {
        let mut b = Backoff::default();
        assert_eq!(b.fail("a"), Duration::from_secs(2));
        assert_eq!(b.fail("a"), Duration::from_secs(4));
        assert_eq!(b.fail("a"), Duration::from_secs(8));
        assert!(b.blocked("a"));
        b.ok("a");
        assert!(!b.blocked("a"));
        for _ in 0..20 {
            b.fail("b");
        }
        assert_eq!(b.fail("b"), BACKOFF_MAX);
    }
}
