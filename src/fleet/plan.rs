//! Planning: for each workload, find its policy, estimate every member's capacity for one
//! replica of its pod template, and divide the replicas with the engine. The result,
//! [`FleetPlan`], is plain data: `-o json` prints it (schema in docs/plan-json.md) and
//! [`super::apply`] executes it, however it was computed (plan, scale, drain, rebalance).

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use serde::{Deserialize, Serialize};

/// The plan for every workload of one invocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetPlan {
    pub workloads: Vec<WorkloadPlan>,
    pub warnings: Vec<String>,
}

/// The plan of one workload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadPlan {
    /// Always `Deployment` for now.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Fleet-wide total replicas.
    pub replicas: u32,
    /// `namespace/name` of the policy (`name` alone for a ClusterPropagationPolicy).
    pub policy: String,
    pub placements: Vec<Placement>,
    pub unplaced: u32,
    pub unplaced_reason: Option<String>,
    /// What apply needs and JSON does not show.
    #[serde(skip)]
    pub apply: ApplySpec,
}

/// One cluster's row of a workload plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    pub cluster: String,
    /// Priority group (affinity name) the cluster belongs to for this workload.
    pub group: String,
    /// Replicas the member's copy has now.
    pub current: u32,
    /// Replicas the member's copy should have.
    pub desired: u32,
    /// Estimated room for more replicas, per tier.
    pub capacity: Tiers,
    /// Which tiers the desired replicas come from.
    pub tiers: Tiers,
    pub reason: String,
    /// Pending replicas of the current copy (not serialized).
    #[serde(skip)]
    pub pending: u32,
    /// The member could not be read.
    #[serde(skip)]
    pub unreachable: bool,
    /// The member is cordoned.
    #[serde(skip)]
    pub cordoned: bool,
}

impl Placement {
    /// desired - current.
    pub fn delta(&self) -> i64 {
        i64::from(self.desired) - i64::from(self.current)
    }
}

/// Counts per capacity tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tiers {
    pub idle: u32,
    pub preemptible: u32,
    pub elastic: u32,
}

impl Tiers {
    pub fn total(&self) -> u32 {
        self.idle + self.preemptible + self.elastic
    }
}

/// How an existing same-named Deployment that kubectl-fleet does not manage is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictResolution {
    /// Leave it alone and fail for that member (default).
    #[default]
    Abort,
    /// Adopt it (annotation `fleet.kubectl.dev/adopted: "true"`).
    Overwrite,
}

/// What apply writes besides replica counts: the template and the recorded policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplySpec {
    /// The Deployment to propagate (its `spec.replicas` is replaced per member).
    pub deployment: Deployment,
    /// Compact policy document stored in annotation `fleet.kubectl.dev/policy`.
    pub policy_json: String,
    /// From the policy (`conflictResolution`).
    pub conflict_resolution: ConflictResolution,
    /// From the policy (`preserveResourcesOnDeletion`).
    pub preserve_resources_on_deletion: bool,
    /// Engine explanation lines (shown by `plan`).
    pub explanation: Vec<String>,
    /// Member order for scale-in: lowest priority first (reverse of group order).
    pub scale_in_order: Vec<String>,
}

impl WorkloadPlan {
    /// `{"cluster": desired}` of clusters with desired > 0 (annotation `fleet.kubectl.dev/placement`).
    pub fn placement_map(&self) -> BTreeMap<String, u32> {
        self.placements
            .iter()
            .filter(|p| p.desired > 0)
            .map(|p| (p.cluster.clone(), p.desired))
            .collect()
    }

    /// True when applying would change any replica count.
    pub fn changes_replicas(&self) -> bool {
        self.placements.iter().any(|p| p.desired != p.current)
    }
}

impl FleetPlan {
    /// Sum of unplaced replicas (exit code 3 when > 0).
    pub fn unplaced(&self) -> u32 {
        self.workloads.iter().map(|w| w.unplaced).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_json_has_the_documented_shape() {
        let plan = FleetPlan {
            workloads: vec![WorkloadPlan {
                kind: "Deployment".into(),
                namespace: "default".into(),
                name: "qwen3-8b".into(),
                replicas: 4,
                policy: "default/qwen".into(),
                placements: vec![Placement {
                    cluster: "c1".into(),
                    group: "ack-region1".into(),
                    current: 0,
                    desired: 3,
                    capacity: Tiers {
                        idle: 3,
                        preemptible: 0,
                        elastic: 0,
                    },
                    tiers: Tiers {
                        idle: 3,
                        preemptible: 0,
                        elastic: 0,
                    },
                    reason: "idle".into(),
                    ..Default::default()
                }],
                unplaced: 1,
                unplaced_reason: None,
                apply: ApplySpec::default(),
            }],
            warnings: vec![],
        };
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(
            json,
            r#"{"workloads":[{"kind":"Deployment","namespace":"default","name":"qwen3-8b","replicas":4,"policy":"default/qwen","placements":[{"cluster":"c1","group":"ack-region1","current":0,"desired":3,"capacity":{"idle":3,"preemptible":0,"elastic":0},"tiers":{"idle":3,"preemptible":0,"elastic":0},"reason":"idle"}],"unplaced":1,"unplacedReason":null}],"warnings":[]}"#
        );
    }
}
