//! Policy model: PropagationPolicy and ClusterPropagationPolicy of Karmada
//! (`policy.karmada.io/v1alpha1`) and ACK One Fleet (`policy.one.alibabacloud.com/v1alpha1`).
//!
//! This module owns reading policies and Deployments from YAML ([`parse_documents`]),
//! validating a policy against the fleet's members ([`PropagationPolicy::validate`]),
//! choosing the policy that governs a Deployment ([`select_policy`]) and deciding which
//! capacity tiers a workload may use ([`EnabledTiers::for_workload`]). It is pure: no I/O,
//! no async, no kube clients. The field reference is docs/policy.md.

mod autoscaler;
mod model;
mod parse;

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::apps::v1::Deployment;
use serde::Serialize;

pub use autoscaler::{
    invalid_name as invalid_autoscaler_name, parse_autoscaler, AutoscalerDocument,
    KARMADA_AUTOSCALING_GROUP,
};
pub use model::*;
pub use parse::parse_documents;

/// A fatal problem with an input document. `Display` is one line:
/// `<source>: <field path>: <message>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not YAML.
    #[error("{source_name}: invalid YAML: {message}")]
    Yaml {
        source_name: String,
        message: String,
    },
    /// A field has a wrong type, an unknown enum value, a value out of range, or names a cluster
    /// that is not a member.
    #[error("{source_name}: {}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
    Invalid {
        source_name: String,
        path: String,
        message: String,
    },
}

/// A non-fatal finding (unknown field, ignored combination, skipped document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    pub source: String,
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.source, self.message)
        } else {
            write!(f, "{}: {}: {}", self.source, self.path, self.message)
        }
    }
}

/// One YAML document of an input file.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    Deployment(Box<Deployment>),
    Policy(Box<PropagationPolicy>),
    /// A fleet autoscaler (`autoscaling/v2` HorizontalPodAutoscaler or Karmada FederatedHPA).
    Autoscaler(Box<AutoscalerDocument>),
    /// Any other kind; carried so the caller can report it.
    Skipped {
        api_version: String,
        kind: String,
        name: String,
        warning: Warning,
    },
}

impl Document {
    /// Warnings attached to this document (unknown fields of a policy, "skipped").
    pub fn warnings(&self) -> &[Warning] {
        match self {
            Document::Deployment(_) => &[],
            Document::Policy(p) => &p.warnings,
            Document::Autoscaler(a) => &a.warnings,
            Document::Skipped { warning, .. } => std::slice::from_ref(warning),
        }
    }
}

/// What validation and scheduling need to know about a member cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
}

impl MemberInfo {
    pub fn new(name: impl Into<String>) -> Self {
        MemberInfo {
            name: name.into(),
            labels: BTreeMap::new(),
        }
    }
}

impl PropagationPolicy {
    /// Check the policy against the fleet's members. Errors (one line, with field path): a
    /// `clusterNames` entry (in clusterAffinity, clusterAffinities, overflowAffinities or a
    /// staticWeightList target) that is not a member. Warnings: `exclude` naming a non-member,
    /// a group or weight rule that matches no member, a cluster listed in several ACK One
    /// groups, spreadConstraints that cannot be met by the matching members.
    pub fn validate(&self, members: &[MemberInfo]) -> Result<Vec<Warning>, PolicyError> {
        let mut warnings = Vec::new();
        let is_member = |n: &str| members.iter().any(|m| m.name == n);
        let warn = |w: &mut Vec<Warning>, path: String, message: String| {
            w.push(Warning {
                source: self.source.clone(),
                path,
                message,
            });
        };
        let check =
            |aff: &ClusterAffinity, path: &str, w: &mut Vec<Warning>| -> Result<(), PolicyError> {
                for (i, n) in aff.cluster_names.iter().enumerate() {
                    if !is_member(n) {
                        return Err(PolicyError::Invalid {
                            source_name: self.source.clone(),
                            path: format!("{path}.clusterNames[{i}]"),
                            message: format!("cluster {n:?} is not a fleet member"),
                        });
                    }
                }
                for (i, n) in aff.exclude.iter().enumerate() {
                    if !is_member(n) {
                        warn(
                            w,
                            format!("{path}.exclude[{i}]"),
                            format!("cluster {n:?} is not a fleet member"),
                        );
                    }
                }
                if !members.iter().any(|m| aff.matches(&m.name, &m.labels)) {
                    warn(w, path.to_string(), "matches no fleet member".into());
                }
                Ok(())
            };
        let pl = &self.spec.placement;
        if let Some(a) = &pl.cluster_affinity {
            check(a, "spec.placement.clusterAffinity", &mut warnings)?;
        }
        let mut first_group: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, t) in pl.cluster_affinities.iter().enumerate() {
            let p = format!("spec.placement.clusterAffinities[{i}]");
            check(&t.affinity, &p, &mut warnings)?;
            for (j, o) in t.overflow_affinities.iter().enumerate() {
                check(o, &format!("{p}.overflowAffinities[{j}]"), &mut warnings)?;
            }
            if self.flavor == Flavor::AckOne {
                for m in members
                    .iter()
                    .filter(|m| t.affinity.matches(&m.name, &m.labels))
                {
                    if let Some(prev) = first_group.get(m.name.as_str()) {
                        warn(
                            &mut warnings,
                            p.clone(),
                            format!("cluster {:?} is also in clusterAffinities[{prev}]; it belongs to the first group", m.name),
                        );
                    } else {
                        first_group.insert(&m.name, i);
                    }
                }
            }
        }
        if let Some(w) = &pl.replica_scheduling.weight_preference {
            for (i, r) in w.static_weight_list.iter().enumerate() {
                check(
                    &r.target_cluster,
                    &format!("spec.placement.replicaScheduling.weightPreference.staticWeightList[{i}].targetCluster"),
                    &mut warnings,
                )?;
            }
        }
        for (i, s) in pl.spread_constraints.iter().enumerate() {
            let value = |m: &'_ MemberInfo| -> Option<String> {
                match (s.spread_by_field, &s.spread_by_label) {
                    (Some(f), _) => f.value(&m.name, &m.labels).map(str::to_string),
                    (None, Some(l)) => m.labels.get(l).cloned(),
                    (None, None) => None,
                }
            };
            let by = match (s.spread_by_field, &s.spread_by_label) {
                (Some(f), _) => f.as_str().to_string(),
                (None, Some(l)) => format!("label {l}"),
                (None, None) => continue,
            };
            let mut values: Vec<String> = members
                .iter()
                .filter(|m| self.allows(&m.name, &m.labels))
                .filter_map(value)
                .collect();
            values.sort_unstable();
            values.dedup();
            if (values.len() as u64) < u64::from(s.min_groups) {
                warn(
                    &mut warnings,
                    format!("spec.placement.spreadConstraints[{i}].minGroups"),
                    format!(
                        "needs {} {by} groups, the matching members span {}",
                        s.min_groups,
                        values.len()
                    ),
                );
            }
        }
        Ok(warnings)
    }

    /// Whether any affinity of the policy (clusterAffinity, or any clusterAffinities term or
    /// overflow affinity) admits the cluster. Tolerations are not considered here.
    pub fn allows(&self, name: &str, labels: &BTreeMap<String, String>) -> bool {
        let pl = &self.spec.placement;
        if !pl.cluster_affinities.is_empty() {
            return pl.cluster_affinities.iter().any(|t| {
                t.affinity.matches(name, labels)
                    || t.overflow_affinities
                        .iter()
                        .any(|o| o.matches(name, labels))
            });
        }
        pl.cluster_affinity
            .as_ref()
            .is_none_or(|a| a.matches(name, labels))
    }

    /// How specifically this policy selects `deployment` (None = it does not select it).
    pub fn match_specificity(&self, deployment: &Deployment) -> Option<Specificity> {
        let ns = deployment
            .metadata
            .namespace
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("default");
        if let Some(own) = self.effective_namespace() {
            if own != ns {
                return None;
            }
        }
        let name = deployment.metadata.name.as_deref().unwrap_or("");
        let empty = BTreeMap::new();
        let labels = deployment.metadata.labels.as_ref().unwrap_or(&empty);
        self.spec
            .resource_selectors
            .iter()
            .filter_map(|s| {
                if s.api_version != "apps/v1" || s.kind != "Deployment" {
                    return None;
                }
                if s.namespace.as_deref().is_some_and(|n| n != ns) {
                    return None;
                }
                if let Some(n) = &s.name {
                    return (n == name).then_some(Specificity::Name);
                }
                if let Some(ls) = &s.label_selector {
                    return ls.matches(labels).then_some(Specificity::LabelSelector);
                }
                Some(Specificity::Kind)
            })
            .max()
    }
}

/// How a resource selector matched (Karmada's implicit priority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Specificity {
    /// apiVersion + kind (+ namespace) only.
    Kind,
    LabelSelector,
    Name,
}

/// Choose the policy that governs `deployment`, like Karmada: namespaced PropagationPolicies
/// first (a ClusterPropagationPolicy only when no namespaced one matches); among them the
/// higher explicit `priority`, then the more specific selector (name > labelSelector >
/// kind-only), then the policy name (ascending) decides.
pub fn select_policy<'a>(
    policies: &'a [PropagationPolicy],
    deployment: &Deployment,
) -> Option<&'a PropagationPolicy> {
    let best = |cluster_scoped: bool| {
        policies
            .iter()
            .filter(|p| p.cluster_scoped == cluster_scoped)
            .filter_map(|p| p.match_specificity(deployment).map(|s| (p, s)))
            .min_by(|(a, sa), (b, sb)| {
                b.spec
                    .priority
                    .cmp(&a.spec.priority)
                    .then(sb.cmp(sa))
                    .then(a.name.cmp(&b.name))
                    .then(a.namespace.cmp(&b.namespace))
            })
            .map(|(p, _)| p)
    };
    best(false).or_else(|| best(true))
}

/// Which capacity tiers beyond `idle` a workload may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EnabledTiers {
    /// Evicting lower-priority pods.
    pub preemptible: bool,
    /// Node pools adding nodes (cloud inventory).
    pub elastic: bool,
}

impl Default for EnabledTiers {
    fn default() -> Self {
        EnabledTiers {
            preemptible: true,
            elastic: true,
        }
    }
}

impl EnabledTiers {
    /// kubectl-fleet's rule (docs/policy.md, "Capacity tiers"):
    /// - elastic: `spec.autoScaling.ecsProvision: true`;
    /// - preemptible: the pod template sets a `priorityClassName`, or the policy says
    ///   `preemption: Always`; never when the template's `preemptionPolicy` is `Never`.
    pub fn for_workload(policy: &PropagationPolicy, deployment: &Deployment) -> Self {
        let pod = deployment.spec.template.spec.as_ref();
        let has_class = pod
            .and_then(|p| p.priority_class_name.as_deref())
            .is_some_and(|c| !c.is_empty());
        let never = pod.and_then(|p| p.preemption_policy.as_deref()) == Some("Never");
        EnabledTiers {
            preemptible: !never && (has_class || policy.spec.preemption == Preemption::Always),
            elastic: policy.elastic_enabled(),
        }
    }
}

/// `spec.replicas` of a Deployment (Kubernetes default 1), clamped at 0.
pub fn deployment_replicas(deployment: &Deployment) -> u32 {
    let r = deployment.spec.replicas.unwrap_or(1);
    u32::try_from(r).unwrap_or(0)
}

#[cfg(test)]
mod tests;
