//! `describe deploy/NAME`: everything about one workload gathered from the members — the
//! member copies, the policy stored on them, the plan the engine makes now (with its reasons)
//! and the copies' events from every member. Returned as data; `output::describe` prints it.

use serde_json::Value;

use super::events::{get_events, EventRow, ObjectRef};
use super::membership::Fleet;
use super::plan::{stored_policy, WorkloadPlan};
use super::read::{read_snapshots, ReadOptions};
use super::state;
use super::views::{get_deployments, DeploymentTotals, MemberDeploymentRow, MemberFailure};

/// One Deployment across the fleet.
#[derive(Debug, Clone, Default)]
pub struct DeploymentDescription {
    pub namespace: String,
    pub name: String,
    /// The member copies, by member name.
    pub copies: Vec<MemberDeploymentRow>,
    pub totals: Option<DeploymentTotals>,
    /// `namespace/name` of the stored policy and its document (as applied).
    pub policy: Option<(String, Value)>,
    /// The plan for the recorded total, as `plan`/`scale` would make it now.
    pub plan: Option<WorkloadPlan>,
    /// Why there is no plan (not managed, stored policy unreadable, ...).
    pub plan_note: Option<String>,
    /// The workload's rollout (revision, step, phase, state per member), when it has a
    /// rollout record; canary copies are among `copies` (marked by `canary_of`).
    pub rollout: Option<Box<super::rollout::RolloutStatus>>,
    /// Events about the copies, oldest first.
    pub events: Vec<EventRow>,
    /// Members that could not be read.
    pub errors: Vec<MemberFailure>,
}

/// Reads the copies of `namespace/name`, their policy, plan and events. No copy anywhere →
/// an empty `copies` (the caller says "not found").
pub async fn describe_deployment(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
) -> DeploymentDescription {
    let mut view = get_deployments(fleet, Some(namespace), Some(name)).await;
    super::rollout::add_revisions(fleet, &mut view).await;
    let mut d = DeploymentDescription {
        namespace: namespace.to_string(),
        name: name.to_string(),
        totals: view.totals.into_iter().next(),
        copies: view.rows,
        errors: view.errors,
        ..Default::default()
    };
    if d.copies.is_empty() {
        return d;
    }
    let managed = d
        .copies
        .iter()
        .filter(|c| c.adoption != super::views::Adoption::Unmanaged)
        .max_by_key(|c| c.total_replicas);
    let Some(copy) = managed else {
        d.plan_note = Some("not managed by kubectl-fleet: no policy and no plan".into());
        d.events = events(fleet, namespace, name).await;
        return d;
    };
    let ann = copy.object.metadata.annotations.clone().unwrap_or_default();
    let policy_name = ann.get(state::ANN_POLICY_NAME).cloned().unwrap_or_default();
    match ann
        .get(state::ANN_POLICY)
        .map(|t| stored_policy(t, state::ANN_POLICY))
    {
        Some(Ok((_, doc))) => d.policy = Some((policy_name, doc)),
        Some(Err(e)) => d.plan_note = Some(format!("stored policy unreadable: {e}")),
        None => d.plan_note = Some(format!("{} annotation missing", state::ANN_POLICY)),
    }
    let total = d.totals.as_ref().map(|t| t.replicas).unwrap_or(0);
    let read = ReadOptions::default();
    let (snapshots, evs, rollout) = futures::join!(
        read_snapshots(fleet, &read),
        events(fleet, namespace, name),
        super::rollout::status(fleet, namespace, name)
    );
    d.events = evs;
    d.rollout = rollout.ok().map(Box::new);
    match super::ops::plan_scale(fleet, &snapshots, namespace, name, total) {
        Ok(plan) => d.plan = plan.workloads.into_iter().next(),
        Err(e) => d.plan_note = Some(format!("no plan: {e}")),
    }
    d
}

async fn events(fleet: &Fleet, namespace: &str, name: &str) -> Vec<EventRow> {
    let o = ObjectRef {
        kind: "Deployment".into(),
        name: name.to_string(),
    };
    get_events(fleet, Some(namespace), Some(&o)).await.rows
}
