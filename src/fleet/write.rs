//! The one write path (docs/ARCHITECTURE.md, "fleet: the write path"): every command that
//! writes a workload's member copies (apply, scale, rebalance, drain, delete, reconcile
//! passes) goes through here:
//!
//! 1. **lock** the workloads it will write ([`super::lock`]) *before* reading the state it
//!    plans from,
//! 2. **read** the members and **plan** (the planner is the caller's: apply's inputs, scale's
//!    new total, rebalance, drain); when the plan names a workload that is not locked yet (a
//!    policy-only apply, `rebalance -A`), lock it too and read + plan again,
//! 3. **apply** make-before-break under the locks' fence ([`apply_locked`]: every copy
//!    carries the lock's generation; a lost lock stops the apply between members),
//! 4. **release** the locks ([`LockedPlan::release`]).
//!
//! Dry runs (`lock: None`) take no lock: they write nothing.

use std::collections::BTreeSet;

use super::apply::{apply, ApplyOptions, ApplyReport};
use super::error::FleetError;
use super::lock::{LockOptions, WorkloadLocks};
use super::membership::Fleet;
use super::plan::{plan, plan_managed, FleetPlan, Inputs, PlanOptions};
use super::read::{read_snapshots, MemberSnapshot, ReadOptions};

/// How many times a plan may name a workload that was not locked before it is given up on
/// (each time the workload is locked and the members read again).
const MAX_RELOCKS: usize = 4;

/// A plan made while holding the write locks of its workloads.
#[derive(Debug)]
pub struct Locked<P> {
    pub plan: P,
    /// The member reads the plan was made from (taken after the locks).
    pub snapshots: Vec<MemberSnapshot>,
    pub locks: WorkloadLocks,
}

/// A [`FleetPlan`] made under its workloads' locks.
pub type LockedPlan = Locked<FleetPlan>;

/// What a planner returns: something that names the workloads it would write.
pub trait Planned {
    /// `(namespace, name)` of every workload the plan writes.
    fn workload_keys(&self) -> Vec<(String, String)>;
}

impl Planned for FleetPlan {
    fn workload_keys(&self) -> Vec<(String, String)> {
        plan_keys(self)
    }
}

impl Planned for super::drain::DrainPlan {
    fn workload_keys(&self) -> Vec<(String, String)> {
        plan_keys(&self.plan)
    }
}

impl<P> Locked<P> {
    /// Releases the locks.
    pub async fn release(self) {
        self.locks.release().await;
    }
}

/// `(namespace, name)` of every workload of a plan.
pub fn plan_keys(plan: &FleetPlan) -> Vec<(String, String)> {
    plan.workloads
        .iter()
        .map(|w| (w.namespace.clone(), w.name.clone()))
        .collect()
}

/// Locks `initial`, reads the members and plans with `planner`; when the plan names
/// workloads that are not locked, locks them and reads + plans again (see the module docs).
/// With `lock: None` (dry runs) it only reads and plans. On error the locks are released.
pub async fn lock_and_plan<P, F>(
    fleet: &Fleet,
    initial: &[(String, String)],
    lock: Option<&LockOptions>,
    read: &ReadOptions,
    mut planner: F,
) -> Result<Locked<P>, FleetError>
where
    P: Planned,
    F: FnMut(&[MemberSnapshot]) -> Result<P, FleetError>,
{
    let mut locks = WorkloadLocks::default();
    if let Some(opts) = lock {
        if let Err(e) = locks.acquire(fleet, initial, opts).await {
            locks.release().await;
            return Err(e);
        }
    }
    for _ in 0..MAX_RELOCKS {
        let snapshots = read_snapshots(fleet, read).await;
        let plan = match planner(&snapshots) {
            Ok(p) => p,
            Err(e) => {
                locks.release().await;
                return Err(e);
            }
        };
        let Some(opts) = lock else {
            return Ok(Locked {
                plan,
                snapshots,
                locks,
            });
        };
        let missing: Vec<(String, String)> = plan
            .workload_keys()
            .into_iter()
            .filter(|(ns, n)| !locks.holds(&format!("{ns}/{n}")))
            .collect();
        if missing.is_empty() {
            return Ok(Locked {
                plan,
                snapshots,
                locks,
            });
        }
        if let Err(e) = locks.acquire(fleet, &missing, opts).await {
            locks.release().await;
            return Err(e);
        }
    }
    locks.release().await;
    Err(FleetError::Runtime(
        "the set of workloads to change kept changing while they were being locked; re-run the command"
            .into(),
    ))
}

/// `apply -f`: locks the input Deployments (and the managed ones a policy-only input
/// re-places), then reads and plans.
pub async fn plan_inputs(
    fleet: &Fleet,
    inputs: &Inputs,
    lock: Option<&LockOptions>,
) -> Result<LockedPlan, FleetError> {
    let initial: BTreeSet<(String, String)> = inputs
        .deployments
        .iter()
        .map(|d| {
            (
                d.metadata
                    .namespace
                    .clone()
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "default".into()),
                d.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    let initial: Vec<_> = initial.into_iter().collect();
    lock_and_plan(fleet, &initial, lock, &ReadOptions::default(), |snaps| {
        plan(fleet, snaps, inputs)
    })
    .await
}

/// `scale deploy/NAME --replicas N`: locks the workload, then reads and re-plans it with the
/// stored policy and the new total.
pub async fn plan_scale(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    replicas: u32,
    lock: Option<&LockOptions>,
) -> Result<LockedPlan, FleetError> {
    lock_and_plan(
        fleet,
        &[(namespace.to_string(), name.to_string())],
        lock,
        &ReadOptions::default(),
        |snaps| {
            plan_managed(
                fleet,
                snaps,
                namespace,
                name,
                Some(replicas),
                &PlanOptions::default(),
            )
        },
    )
    .await
}

/// `drain CLUSTER`: locks the workloads with replicas on the member, then reads and plans
/// the drain.
pub async fn plan_drain(
    fleet: &Fleet,
    member: &str,
    lock: Option<&LockOptions>,
) -> Result<Locked<super::drain::DrainPlan>, FleetError> {
    lock_and_plan(fleet, &[], lock, &ReadOptions::default(), |snaps| {
        super::drain::plan_drain_from(fleet, snaps, member)
    })
    .await
}

/// `delete deploy/NAME`: deletes (or releases) the copies under the workload's lock.
pub async fn delete(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    opts: &super::ops::DeleteOptions,
    lock: Option<&LockOptions>,
) -> Result<super::ops::DeleteReport, FleetError> {
    let locks = match lock {
        Some(l) => {
            super::lock::lock_workloads(fleet, &[(namespace.to_string(), name.to_string())], l)
                .await?
        }
        None => WorkloadLocks::default(),
    };
    let r = super::ops::delete(fleet, namespace, name, opts).await;
    locks.release().await;
    r
}

/// Applies a locked plan under its locks' fence (see [`ApplyOptions::fence`]).
pub async fn apply_locked(
    fleet: &Fleet,
    locked: &LockedPlan,
    mut opts: ApplyOptions,
) -> Result<ApplyReport, FleetError> {
    if !locked.locks.locks.is_empty() {
        opts.fence = Some(locked.locks.fence());
    }
    apply(fleet, &locked.plan, &opts).await
}
