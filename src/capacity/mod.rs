//! Capacity: how many replicas of a pod template one member cluster can take.
//!
//! Owns Kubernetes quantity parsing ([`quantity`]), resource arithmetic ([`Resources`]),
//! the plain-data cluster snapshots ([`ClusterSnapshot`] and friends, built from k8s-openapi
//! objects), a pod template's requirements ([`PodRequirements`]), the per-node scheduling
//! rules shared with the simulator's scheduler ([`node_eligible`], [`fit_count`]) and the
//! three-tier estimator ([`estimate`]: idle, preemptible, elastic). Pure: no I/O, no async.
//! See `docs/capacity.md` for the rules.

pub mod eligibility;
pub mod estimate;
pub mod quantity;
pub mod requirements;
pub mod resources;
pub mod snapshot;

#[cfg(test)]
mod estimate_tests;
#[cfg(test)]
mod proptests;

use thiserror::Error;

pub use eligibility::{
    daemonset_eligible, daemonset_overhead, fit_count, node_eligible, node_free,
    preemption_victims, Ineligible, VictimCandidate,
};
pub use estimate::{
    estimate, resolve_priority, Estimate, EstimateOptions, OwnPods, ResolvedPriority,
};
pub use quantity::{format_cpu, format_memory, format_quantity, parse_quantity, QuantityError};
pub use requirements::{
    effective_requests, NodeSelectorTerm, PodRequirements, PreemptionPolicy, SelectorOperator,
    SelectorRequirement, Toleration, TolerationOperator,
};
pub use resources::Resources;
pub use snapshot::{
    from_node, from_pod, from_priority_class, ClusterSnapshot, DaemonSetSnapshot, NodePool,
    NodeSnapshot, PodPhase, PodSnapshot, PriorityClassInfo, Taint, TaintEffect, DEFAULT_MAX_PODS,
};

/// Errors of the capacity module: a bad quantity or field, naming where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CapacityError {
    /// A quantity that does not parse; `field` is its path (`containers[0].resources.requests.cpu`).
    #[error("{field}: {source}")]
    Quantity {
        field: String,
        #[source]
        source: QuantityError,
    },
    /// Any other invalid value.
    #[error("{}{message}", if field.is_empty() { String::new() } else { format!("{field}: ") })]
    Invalid { field: String, message: String },
    /// An error inside a named object (`node gpu-1: status.allocatable.cpu: ...`).
    #[error("{kind} {name}: {inner}")]
    InObject {
        kind: &'static str,
        name: String,
        inner: Box<CapacityError>,
    },
}

impl CapacityError {
    /// Prefixes the field path (`effect` → `tolerations[2].effect`).
    pub fn with_field_prefix(self, prefix: &str) -> Self {
        let join = |f: String| {
            if f.is_empty() {
                prefix.to_string()
            } else if f.starts_with(prefix) {
                f
            } else {
                format!("{prefix}.{f}")
            }
        };
        match self {
            CapacityError::Quantity { field, source } => CapacityError::Quantity {
                field: join(field),
                source,
            },
            CapacityError::Invalid { field, message } => CapacityError::Invalid {
                field: join(field),
                message,
            },
            other => other,
        }
    }

    /// Wraps the error with the object it was found in.
    pub fn in_object(self, kind: &'static str, name: &str) -> Self {
        CapacityError::InObject {
            kind,
            name: name.to_string(),
            inner: Box::new(self),
        }
    }
}
