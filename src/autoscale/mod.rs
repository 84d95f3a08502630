//! Fleet autoscaling (pure core, no I/O): the HorizontalPodAutoscaler algorithm of
//! kube-controller-manager applied to a Deployment's fleet-wide total.
//!
//! [`model`] is the autoscaling/v2 spec (also Karmada's FederatedHPA spec), [`calc`] the replica
//! calculator over the target's pods in every member, [`normalize`] the stabilization windows,
//! scaling policies and min/max, and [`evaluate()`] one evaluation with conditions and events.
//! The fleet edge (`fleet::autoscale`) reads pods and metrics, stores the state in the members
//! and applies decisions through the normal plan → apply path.

pub mod calc;
pub mod evaluate;
pub mod model;
pub mod normalize;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use calc::{ContainerInfo, PodInfo, PodPhase, ReadyCondition, UsageSample};
pub use evaluate::{
    evaluate, AutoscalerState, Condition, Decision, Event, MetricStatus, Observation,
};
pub use model::*;
