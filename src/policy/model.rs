//! Typed model of PropagationPolicy / ClusterPropagationPolicy for both API groups.
//!
//! The model is built by [`super::parse`] from an untyped YAML tree; it is `Serialize`
//! (camelCase) so the CLI can echo it as JSON. Matching helpers (label selectors, field
//! selectors, tolerations) live here because both validation and scheduling use them.

use std::collections::BTreeMap;

use serde::Serialize;

/// Which API group a policy came from. The groups share a schema but differ in meaning
/// (see docs/policy.md): Karmada `clusterAffinities` are exclusive failover groups, ACK One
/// `clusterAffinities` are fill-and-spill priority groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Flavor {
    /// `policy.karmada.io/v1alpha1`
    Karmada,
    /// `policy.one.alibabacloud.com/v1alpha1`
    AckOne,
}

impl Flavor {
    /// The API group (without version).
    pub fn api_group(self) -> &'static str {
        match self {
            Flavor::Karmada => KARMADA_GROUP,
            Flavor::AckOne => ACK_ONE_GROUP,
        }
    }

    /// `group/v1alpha1`.
    pub fn api_version(self) -> String {
        format!("{}/v1alpha1", self.api_group())
    }
}

/// API group of Karmada policies.
pub const KARMADA_GROUP: &str = "policy.karmada.io";
/// API group of ACK One Fleet policies.
pub const ACK_ONE_GROUP: &str = "policy.one.alibabacloud.com";

/// Member labels that carry the `provider`, `region` and `zone` fields used by
/// `fieldSelector` and `spreadConstraints` (first present label wins).
pub const PROVIDER_LABELS: &[&str] = &["fleet.kubectl.dev/provider", "cluster.karmada.io/provider"];
/// Labels read for the `region` field.
pub const REGION_LABELS: &[&str] = &[
    "fleet.kubectl.dev/region",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/region",
];
/// Labels read for the `zone` field.
pub const ZONE_LABELS: &[&str] = &[
    "fleet.kubectl.dev/zone",
    "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/zone",
];

/// A cluster-level field that `fieldSelector` and `spreadConstraints.spreadByField` address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ClusterField {
    /// The member cluster itself (its name); only valid in spreadConstraints.
    Cluster,
    Provider,
    Region,
    Zone,
}

impl ClusterField {
    /// The value of this field for a member (name + labels); `None` when the label is absent.
    pub fn value<'a>(self, name: &'a str, labels: &'a BTreeMap<String, String>) -> Option<&'a str> {
        let keys = match self {
            ClusterField::Cluster => return Some(name),
            ClusterField::Provider => PROVIDER_LABELS,
            ClusterField::Region => REGION_LABELS,
            ClusterField::Zone => ZONE_LABELS,
        };
        keys.iter().find_map(|k| labels.get(*k).map(String::as_str))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ClusterField::Cluster => "cluster",
            ClusterField::Provider => "provider",
            ClusterField::Region => "region",
            ClusterField::Zone => "zone",
        }
    }
}

/// A parsed PropagationPolicy or ClusterPropagationPolicy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PropagationPolicy {
    pub flavor: Flavor,
    /// `true` for kind `ClusterPropagationPolicy`.
    pub cluster_scoped: bool,
    pub name: String,
    /// `metadata.namespace` (namespaced policies only; unset means the default namespace).
    pub namespace: Option<String>,
    /// Where the policy was read from (file name), used in error messages.
    pub source: String,
    pub spec: PolicySpec,
    /// Non-fatal findings while parsing (unknown fields, ignored combinations).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<super::Warning>,
}

impl PropagationPolicy {
    /// `PropagationPolicy` or `ClusterPropagationPolicy`.
    pub fn kind(&self) -> &'static str {
        if self.cluster_scoped {
            "ClusterPropagationPolicy"
        } else {
            "PropagationPolicy"
        }
    }

    /// The namespace a namespaced policy governs (`default` when unset); `None` for cluster-scoped.
    pub fn effective_namespace(&self) -> Option<&str> {
        if self.cluster_scoped {
            None
        } else {
            Some(self.namespace.as_deref().unwrap_or("default"))
        }
    }

    /// Whether the elastic tier (node pools that can add nodes) may be used: ACK One's
    /// `spec.autoScaling.ecsProvision: true` (also honoured on Karmada policies).
    pub fn elastic_enabled(&self) -> bool {
        self.spec
            .auto_scaling
            .as_ref()
            .is_some_and(|a| a.ecs_provision)
    }
}

/// `spec` of a policy.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicySpec {
    pub resource_selectors: Vec<ResourceSelector>,
    pub placement: Placement,
    /// Explicit priority (higher wins when several policies match).
    pub priority: i32,
    /// Karmada policy preemption; kubectl-fleet also reads `Always` as "this workload may
    /// preempt lower-priority pods" (enables the preemptible tier).
    pub preemption: Preemption,
    pub conflict_resolution: ConflictResolution,
    pub preserve_resources_on_deletion: bool,
    pub scheduler_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_scaling: Option<AutoScaling>,
}

/// `spec.autoScaling` (ACK One).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoScaling {
    pub ecs_provision: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Preemption {
    Always,
    #[default]
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ConflictResolution {
    #[default]
    Abort,
    Overwrite,
}

/// One entry of `spec.resourceSelectors`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSelector {
    pub api_version: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
}

/// A Kubernetes label selector (`matchLabels` AND `matchExpressions`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub match_labels: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelRequirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelRequirement {
    pub key: String,
    pub operator: LabelOperator,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LabelOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl LabelSelector {
    /// Kubernetes semantics: every matchLabels pair and every expression must hold; an empty
    /// selector matches everything.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| {
                let got = labels.get(&r.key);
                match r.operator {
                    LabelOperator::In => got.is_some_and(|g| r.values.contains(g)),
                    LabelOperator::NotIn => got.is_none_or(|g| !r.values.contains(g)),
                    LabelOperator::Exists => got.is_some(),
                    LabelOperator::DoesNotExist => got.is_none(),
                }
            })
    }
}

/// `fieldSelector` on the cluster fields provider / region / zone.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSelector {
    pub match_expressions: Vec<FieldRequirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldRequirement {
    pub key: ClusterField,
    pub operator: FieldOperator,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldOperator {
    In,
    NotIn,
}

impl FieldSelector {
    pub fn matches(&self, name: &str, labels: &BTreeMap<String, String>) -> bool {
        self.match_expressions.iter().all(|r| {
            let got = r.key.value(name, labels);
            match r.operator {
                FieldOperator::In => got.is_some_and(|g| r.values.iter().any(|v| v == g)),
                FieldOperator::NotIn => got.is_none_or(|g| !r.values.iter().any(|v| v == g)),
            }
        })
    }
}

/// `clusterAffinity` (and each inline affinity of a `clusterAffinities` term, each
/// `overflowAffinities` entry and each `staticWeightList[].targetCluster`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterAffinity {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_names: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_selector: Option<FieldSelector>,
}

impl ClusterAffinity {
    /// Karmada semantics: all given conditions must hold (names, not excluded, labels, fields);
    /// an empty affinity matches every cluster.
    pub fn matches(&self, name: &str, labels: &BTreeMap<String, String>) -> bool {
        (self.cluster_names.is_empty() || self.cluster_names.iter().any(|n| n == name))
            && self.matches_ignoring_names(name, labels)
    }

    /// [`Self::matches`] without the `clusterNames` condition (for callers that already looked
    /// the cluster up by name).
    pub fn matches_ignoring_names(&self, name: &str, labels: &BTreeMap<String, String>) -> bool {
        !self.exclude.iter().any(|n| n == name)
            && self
                .label_selector
                .as_ref()
                .is_none_or(|s| s.matches(labels))
            && self
                .field_selector
                .as_ref()
                .is_none_or(|s| s.matches(name, labels))
    }

    /// True when no condition is set.
    pub fn is_empty(&self) -> bool {
        self.cluster_names.is_empty()
            && self.exclude.is_empty()
            && self.label_selector.is_none()
            && self.field_selector.is_none()
    }
}

/// One entry of `placement.clusterAffinities`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterAffinityTerm {
    pub affinity_name: String,
    #[serde(flatten)]
    pub affinity: ClusterAffinity,
    /// Karmada (>= v1.18) fill-and-spill tiers inside the term.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub overflow_affinities: Vec<ClusterAffinity>,
}

/// `spec.placement`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster_affinity: Option<ClusterAffinity>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_affinities: Vec<ClusterAffinityTerm>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cluster_tolerations: Vec<Toleration>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spread_constraints: Vec<SpreadConstraint>,
    pub replica_scheduling: ReplicaScheduling,
}

/// A toleration of member-cluster taints.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Toleration {
    pub key: String,
    pub operator: TolerationOperator,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum TolerationOperator {
    #[default]
    Equal,
    Exists,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

/// A taint on a member cluster (Karmada `Cluster.spec.taints`; kubectl-fleet reads them from
/// the member's fleet ConfigMap).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterTaint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl Toleration {
    pub fn tolerates(&self, taint: &ClusterTaint) -> bool {
        if self.effect.is_some_and(|e| e != taint.effect) {
            return false;
        }
        match self.operator {
            TolerationOperator::Exists => self.key.is_empty() || self.key == taint.key,
            TolerationOperator::Equal => self.key == taint.key && self.value == taint.value,
        }
    }
}

/// Whether `tolerations` tolerate every NoSchedule / NoExecute taint; returns the first
/// untolerated taint otherwise.
pub fn untolerated<'a>(
    tolerations: &[Toleration],
    taints: &'a [ClusterTaint],
) -> Option<&'a ClusterTaint> {
    taints
        .iter()
        .filter(|t| t.effect != TaintEffect::PreferNoSchedule)
        .find(|t| !tolerations.iter().any(|tol| tol.tolerates(t)))
}

/// One entry of `placement.spreadConstraints`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpreadConstraint {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_by_field: Option<ClusterField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread_by_label: Option<String>,
    pub max_groups: u32,
    pub min_groups: u32,
}

/// `placement.replicaScheduling`. Absent means Duplicated (Karmada's default).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaScheduling {
    pub replica_scheduling_type: SchedulingType,
    /// Defaults to Weighted for Divided (Karmada's mutating webhook does the same).
    pub replica_division_preference: DivisionPreference,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight_preference: Option<WeightPreference>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum SchedulingType {
    #[default]
    Duplicated,
    Divided,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum DivisionPreference {
    #[default]
    Weighted,
    Aggregated,
}

/// `replicaScheduling.weightPreference`.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightPreference {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub static_weight_list: Vec<StaticWeight>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dynamic_weight: Option<DynamicWeight>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StaticWeight {
    pub target_cluster: ClusterAffinity,
    pub weight: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DynamicWeight {
    AvailableReplicas,
}

/// The division rule a placement resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Strategy {
    Duplicated,
    /// Divided + Weighted + `dynamicWeight: AvailableReplicas`.
    DynamicWeight,
    /// Divided + Weighted + `staticWeightList` (or no weightPreference: equal weights).
    StaticWeight,
    /// Divided + Aggregated.
    Aggregated,
}

impl ReplicaScheduling {
    /// Resolve the strategy the way Karmada's `assignment.go` does.
    pub fn strategy(&self) -> Strategy {
        match (
            self.replica_scheduling_type,
            self.replica_division_preference,
        ) {
            (SchedulingType::Duplicated, _) => Strategy::Duplicated,
            (SchedulingType::Divided, DivisionPreference::Aggregated) => Strategy::Aggregated,
            (SchedulingType::Divided, DivisionPreference::Weighted) => {
                if self
                    .weight_preference
                    .as_ref()
                    .is_some_and(|w| w.dynamic_weight.is_some())
                {
                    Strategy::DynamicWeight
                } else {
                    Strategy::StaticWeight
                }
            }
        }
    }

    /// Static weight of a cluster: the maximum over matching rules (0 = no rule matched).
    /// Without a static weight list every cluster weighs 1.
    pub fn static_weight(&self, name: &str, labels: &BTreeMap<String, String>) -> u64 {
        match &self.weight_preference {
            Some(w) if !w.static_weight_list.is_empty() => w
                .static_weight_list
                .iter()
                .filter(|r| r.target_cluster.matches(name, labels))
                .map(|r| r.weight)
                .max()
                .unwrap_or(0),
            _ => 1,
        }
    }
}

impl Strategy {
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Duplicated => "Duplicated",
            Strategy::DynamicWeight => "Divided/Weighted (dynamicWeight: AvailableReplicas)",
            Strategy::StaticWeight => "Divided/Weighted (static weights)",
            Strategy::Aggregated => "Divided/Aggregated",
        }
    }
}
