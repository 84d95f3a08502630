//! Multi-cluster replica division: given a policy's placement, a total replica count and the
//! state of every member (capacity tiers, current replicas, cordon/reachability), decide how
//! many replicas each cluster runs, from which capacity tier, and explain why.
//!
//! Pure and deterministic: no I/O, no async, no clocks, no randomness; the output does not
//! depend on the order of the input clusters. Entry point: [`place`]. Rounding:
//! [`apportion::webster`]. Semantics are documented in docs/policy.md ("How replicas are
//! divided").

pub mod apportion;
mod place;

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use serde::Serialize;

use crate::policy::{ClusterTaint, PropagationPolicy};
pub use crate::policy::{EnabledTiers, Flavor, Placement, Strategy};
pub use place::place;

/// Replica counts per capacity tier. As input (`ClusterState::capacity`) it is how many
/// replicas of the workload fit in each tier (the estimator counts the workload's own pods as
/// free, so a cluster's capacity includes its current replicas); as output
/// (`ClusterPlacement::tiers`) it is how many of the desired replicas come from each tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tiers {
    /// Fits now on existing nodes.
    pub idle: u32,
    /// Fits after evicting lower-priority pods.
    pub preemptible: u32,
    /// Fits on nodes that node pools can add (cloud inventory).
    pub elastic: u32,
}

impl Tiers {
    pub fn new(idle: u32, preemptible: u32, elastic: u32) -> Self {
        Tiers {
            idle,
            preemptible,
            elastic,
        }
    }

    /// idle + preemptible + elastic (saturating).
    pub fn total(&self) -> u32 {
        self.idle
            .saturating_add(self.preemptible)
            .saturating_add(self.elastic)
    }

    pub(crate) fn get(&self, t: usize) -> u32 {
        match t {
            0 => self.idle,
            1 => self.preemptible,
            _ => self.elastic,
        }
    }

    pub(crate) fn get_mut(&mut self, t: usize) -> &mut u32 {
        match t {
            0 => &mut self.idle,
            1 => &mut self.preemptible,
            _ => &mut self.elastic,
        }
    }
}

impl From<&crate::capacity::Estimate> for Tiers {
    fn from(e: &crate::capacity::Estimate) -> Self {
        Tiers {
            idle: e.idle,
            preemptible: e.preemptible,
            elastic: e.elastic,
        }
    }
}

/// What the engine knows about one member cluster.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterState {
    pub name: String,
    /// Member labels (clusterAffinity labelSelector; `fleet.kubectl.dev/region` etc. for
    /// fieldSelector and spreadConstraints, see `policy::REGION_LABELS`).
    pub labels: BTreeMap<String, String>,
    /// Cluster taints, matched against `placement.clusterTolerations`.
    pub taints: Vec<ClusterTaint>,
    /// Estimator result for one replica of this workload.
    pub capacity: Tiers,
    /// Replicas of this workload the cluster runs now (including Pending ones).
    pub current: u32,
    /// How many of `current` are Pending (unschedulable); these are re-placed.
    pub pending: u32,
    /// How many of `current` run on nodes an elastic node pool added; scale-in removes these
    /// first inside a group (they release cloud nodes).
    pub current_elastic: u32,
    /// Fleet-level cordon: no new replicas, existing ones stay.
    pub cordoned: bool,
    /// Draining: no new replicas, existing ones are moved away.
    pub draining: bool,
    /// The API server answered. Unreachable clusters get no new replicas; their replicas stay
    /// counted in `Plan` mode and are re-placed (failover) in `Rebalance` mode.
    pub reachable: bool,
    /// No longer a fleet member (known only from recorded placement): its replicas are re-placed.
    pub removed: bool,
}

impl Default for ClusterState {
    fn default() -> Self {
        ClusterState {
            name: String::new(),
            labels: BTreeMap::new(),
            taints: Vec::new(),
            capacity: Tiers::default(),
            current: 0,
            pending: 0,
            current_elastic: 0,
            cordoned: false,
            draining: false,
            reachable: true,
            removed: false,
        }
    }
}

impl ClusterState {
    /// A reachable, uncordoned cluster with the given capacity and no replicas.
    pub fn new(name: impl Into<String>, capacity: Tiers) -> Self {
        ClusterState {
            name: name.into(),
            capacity,
            ..Default::default()
        }
    }

    /// Builder: set the current replicas (and how many of them are Pending).
    pub fn with_current(mut self, current: u32, pending: u32) -> Self {
        self.current = current;
        self.pending = pending.min(current);
        self
    }

    /// Builder: add a label.
    pub fn with_label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Replicas that run (current − pending).
    pub fn running(&self) -> u32 {
        self.current.saturating_sub(self.pending)
    }
}

/// `Plan`: keep what runs, place only the difference. `Rebalance`: full re-placement that
/// also moves replicas up to higher-priority groups and away from unreachable clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase", tag = "mode")]
pub enum Mode {
    #[default]
    Plan,
    Rebalance {
        /// Upper bound on optional moves (replicas moved between running clusters) per run;
        /// `None` = unlimited. Failover and Pending replicas are always re-placed.
        max_moves: Option<u32>,
    },
}

/// Everything [`place`] needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementInput {
    pub flavor: Flavor,
    pub placement: Placement,
    /// Desired total replicas R.
    pub replicas: u32,
    pub clusters: Vec<ClusterState>,
    pub mode: Mode,
    /// Which tiers beyond idle may be used.
    pub tiers: EnabledTiers,
}

impl PlacementInput {
    /// Input for `policy` with the workload's tier switches taken from the policy and the
    /// Deployment's pod template (see [`EnabledTiers::for_workload`]) and `replicas` from
    /// `spec.replicas`.
    pub fn for_workload(
        policy: &PropagationPolicy,
        deployment: &Deployment,
        clusters: Vec<ClusterState>,
    ) -> Self {
        PlacementInput {
            flavor: policy.flavor,
            placement: policy.spec.placement.clone(),
            replicas: crate::policy::deployment_replicas(deployment),
            clusters,
            mode: Mode::Plan,
            tiers: EnabledTiers::for_workload(policy, deployment),
        }
    }

    /// Input for `policy` with an explicit replica count; every tier enabled that the policy
    /// alone enables (elastic: ecsProvision; preemptible: `preemption: Always`).
    pub fn new(policy: &PropagationPolicy, replicas: u32, clusters: Vec<ClusterState>) -> Self {
        PlacementInput {
            flavor: policy.flavor,
            placement: policy.spec.placement.clone(),
            replicas,
            clusters,
            mode: Mode::Plan,
            tiers: EnabledTiers {
                preemptible: policy.spec.preemption == crate::policy::Preemption::Always,
                elastic: policy.elastic_enabled(),
            },
        }
    }

    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    pub fn with_replicas(mut self, replicas: u32) -> Self {
        self.replicas = replicas;
        self
    }
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlacementPlan {
    pub flavor: Flavor,
    pub strategy: Strategy,
    /// Desired total replicas R.
    pub replicas: u32,
    /// Σ desired over clusters (for Duplicated: Σ of the copies).
    pub placed: u32,
    /// Replicas that could not be placed (Divided: `placed + unplaced == replicas`; Duplicated:
    /// the replicas of the copies that do not fit, or R when no cluster is eligible).
    pub unplaced: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unplaced_reason: Option<String>,
    /// Karmada clusterAffinities: the term the workload lives in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity_name: Option<String>,
    /// The priority groups used, highest priority first (`ClusterPlacement::group` indexes this).
    pub groups: Vec<GroupSummary>,
    /// One row per input cluster: sorted by group (ungrouped last), then name.
    pub clusters: Vec<ClusterPlacement>,
    /// Running replicas that this plan moves from one cluster to another.
    pub moves: u32,
    /// Rebalance: optional moves left for a later run because of `max_moves`.
    pub deferred_moves: u32,
    /// Human explanation, one sentence per line.
    pub explanation: Vec<String>,
}

impl PlacementPlan {
    /// The row of a cluster.
    pub fn cluster(&self, name: &str) -> Option<&ClusterPlacement> {
        self.clusters.iter().find(|c| c.cluster == name)
    }

    /// Desired replicas of a cluster (0 for unknown names).
    pub fn desired(&self, name: &str) -> u32 {
        self.cluster(name).map_or(0, |c| c.desired)
    }
}

/// A priority group (ACK One clusterAffinities entry, Karmada overflow tier, or the single
/// group of a policy without clusterAffinities).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSummary {
    pub index: usize,
    pub name: String,
    pub clusters: Vec<String>,
    /// Σ desired of its clusters.
    pub desired: u32,
    /// Σ capacity (enabled tiers) of its clusters that can take replicas.
    pub capacity: u64,
}

/// One cluster's row of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterPlacement {
    pub cluster: String,
    /// Index into `PlacementPlan::groups` (None: not in a group the workload uses).
    pub group: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    pub current: u32,
    pub pending: u32,
    pub desired: u32,
    /// Where the desired replicas come from (filled idle → preemptible → elastic).
    pub tiers: Tiers,
    /// The capacity the engine was given (echoed).
    pub capacity: Tiers,
    /// Desired replicas beyond the cluster's capacity (Duplicated only): they will be Pending.
    pub shortfall: u32,
    pub reason: String,
}

#[cfg(test)]
mod tests;
