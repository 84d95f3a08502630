//! [`PodRequirements`]: what one replica of a pod template asks of a node — its effective
//! request, tolerations, nodeSelector, required node affinity and priority settings.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use k8s_openapi::api::core::v1::{Container, PodSpec};

use super::resources::{parse_field, Resources};
use super::snapshot::{Taint, TaintEffect};
use super::CapacityError;

/// `preemptionPolicy` of a pod or PriorityClass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PreemptionPolicy {
    /// The default: may evict lower-priority pods.
    #[default]
    PreemptLowerPriority,
    /// Never evicts anything; waits for room.
    Never,
}

impl FromStr for PreemptionPolicy {
    type Err = CapacityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "PreemptLowerPriority" => Ok(PreemptionPolicy::PreemptLowerPriority),
            "Never" => Ok(PreemptionPolicy::Never),
            other => Err(CapacityError::Invalid {
                field: String::new(),
                message: format!(
                    "unknown preemptionPolicy {other:?} (PreemptLowerPriority, Never)"
                ),
            }),
        }
    }
}

/// Toleration operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TolerationOperator {
    /// Key and value must match (the default).
    #[default]
    Equal,
    /// Any value; with an empty key, any taint.
    Exists,
}

/// A pod toleration (`key`/`value` empty when absent, `effect` `None` = all effects).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Toleration {
    pub key: String,
    pub operator: TolerationOperator,
    pub value: String,
    pub effect: Option<TaintEffect>,
}

impl Toleration {
    /// Kubernetes `Toleration.ToleratesTaint`: effect empty or equal; key empty or equal;
    /// `Exists` matches any value, `Equal` needs the same value.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        if let Some(effect) = self.effect {
            if effect != taint.effect {
                return false;
            }
        }
        if !self.key.is_empty() && self.key != taint.key {
            return false;
        }
        match self.operator {
            TolerationOperator::Exists => true,
            TolerationOperator::Equal => self.value == taint.value,
        }
    }

    /// From a k8s-openapi toleration.
    pub fn from_k8s(t: &k8s_openapi::api::core::v1::Toleration) -> Result<Self, CapacityError> {
        let operator = match t.operator.as_deref() {
            None | Some("") | Some("Equal") => TolerationOperator::Equal,
            Some("Exists") => TolerationOperator::Exists,
            Some(other) => {
                return Err(CapacityError::Invalid {
                    field: "operator".into(),
                    message: format!("unknown toleration operator {other:?} (Equal, Exists)"),
                })
            }
        };
        let effect = match t.effect.as_deref() {
            None | Some("") => None,
            Some(e) => Some(
                e.parse::<TaintEffect>()
                    .map_err(|e| e.with_field_prefix("effect"))?,
            ),
        };
        Ok(Toleration {
            key: t.key.clone().unwrap_or_default(),
            operator,
            value: t.value.clone().unwrap_or_default(),
            effect,
        })
    }
}

/// Operator of a node selector requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

impl FromStr for SelectorOperator {
    type Err = CapacityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "In" => SelectorOperator::In,
            "NotIn" => SelectorOperator::NotIn,
            "Exists" => SelectorOperator::Exists,
            "DoesNotExist" => SelectorOperator::DoesNotExist,
            "Gt" => SelectorOperator::Gt,
            "Lt" => SelectorOperator::Lt,
            other => {
                return Err(CapacityError::Invalid {
                    field: "operator".into(),
                    message: format!(
                        "unknown operator {other:?} (In, NotIn, Exists, DoesNotExist, Gt, Lt)"
                    ),
                })
            }
        })
    }
}

/// One `matchExpressions` / `matchFields` requirement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SelectorRequirement {
    pub key: String,
    pub operator: SelectorOperator,
    pub values: Vec<String>,
}

impl SelectorRequirement {
    /// A requirement `key operator values`.
    pub fn new(key: impl Into<String>, operator: SelectorOperator, values: &[&str]) -> Self {
        SelectorRequirement {
            key: key.into(),
            operator,
            values: values.iter().map(|v| v.to_string()).collect(),
        }
    }

    /// Whether a node whose value for `key` is `value` (None = absent) satisfies it.
    /// Gt/Lt compare as integers; a non-integer label never matches.
    pub fn matches(&self, value: Option<&str>) -> bool {
        match self.operator {
            SelectorOperator::In => value.is_some_and(|v| self.values.iter().any(|x| x == v)),
            SelectorOperator::NotIn => value.is_none_or(|v| self.values.iter().all(|x| x != v)),
            SelectorOperator::Exists => value.is_some(),
            SelectorOperator::DoesNotExist => value.is_none(),
            SelectorOperator::Gt | SelectorOperator::Lt => {
                let (Some(v), Some(bound)) = (value, self.values.first()) else {
                    return false;
                };
                let (Ok(v), Ok(bound)) = (v.trim().parse::<i64>(), bound.trim().parse::<i64>())
                else {
                    return false;
                };
                if self.operator == SelectorOperator::Gt {
                    v > bound
                } else {
                    v < bound
                }
            }
        }
    }

    fn from_k8s(
        r: &k8s_openapi::api::core::v1::NodeSelectorRequirement,
        field: &str,
    ) -> Result<Self, CapacityError> {
        let operator: SelectorOperator = r
            .operator
            .parse()
            .map_err(|e: CapacityError| e.with_field_prefix(field))?;
        let values = r.values.clone().unwrap_or_default();
        let bad = |message: String| CapacityError::Invalid {
            field: format!("{field}.values"),
            message,
        };
        match operator {
            SelectorOperator::In | SelectorOperator::NotIn if values.is_empty() => {
                return Err(bad(format!("{} needs at least one value", r.operator)))
            }
            SelectorOperator::Exists | SelectorOperator::DoesNotExist if !values.is_empty() => {
                return Err(bad(format!("{} takes no values", r.operator)))
            }
            SelectorOperator::Gt | SelectorOperator::Lt
                if values.len() != 1 || values[0].trim().parse::<i64>().is_err() =>
            {
                return Err(bad(format!(
                    "{} needs exactly one integer value",
                    r.operator
                )))
            }
            _ => {}
        }
        Ok(SelectorRequirement {
            key: r.key.clone(),
            operator,
            values,
        })
    }
}

/// One `nodeSelectorTerms` entry: all expressions and fields must match (AND).
/// An empty term matches no node (as in Kubernetes).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct NodeSelectorTerm {
    pub match_expressions: Vec<SelectorRequirement>,
    /// Only `metadata.name` is a valid field.
    pub match_fields: Vec<SelectorRequirement>,
}

impl NodeSelectorTerm {
    /// Whether a node with this name and these labels satisfies every requirement.
    pub fn matches(&self, node_name: &str, labels: &BTreeMap<String, String>) -> bool {
        if self.match_expressions.is_empty() && self.match_fields.is_empty() {
            return false;
        }
        self.match_expressions
            .iter()
            .all(|r| r.matches(labels.get(&r.key).map(String::as_str)))
            && self.match_fields.iter().all(|r| {
                let v = (r.key == "metadata.name").then_some(node_name);
                r.matches(v)
            })
    }
}

/// What one replica of a pod template needs from a node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodRequirements {
    /// Effective request of one replica (milli-units).
    pub requests: Resources,
    pub tolerations: Vec<Toleration>,
    pub node_selector: BTreeMap<String, String>,
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms` (ORed);
    /// `None` = no required node affinity.
    pub required_affinity: Option<Vec<NodeSelectorTerm>>,
    pub priority_class_name: Option<String>,
    /// `spec.priority` when the template sets it (normally left to admission).
    pub priority: Option<i32>,
    /// `spec.preemptionPolicy`; `None` = inherit from the PriorityClass, else PreemptLowerPriority.
    pub preemption_policy: Option<PreemptionPolicy>,
}

impl PodRequirements {
    /// Requirements that only ask for resources.
    pub fn with_requests(requests: Resources) -> Self {
        PodRequirements {
            requests,
            ..Default::default()
        }
    }

    /// Reads a pod template's spec. Errors name the field, e.g.
    /// `containers[0].resources.requests.cpu: invalid quantity "x"`.
    pub fn from_pod_spec(spec: &PodSpec) -> Result<Self, CapacityError> {
        let requests = effective_requests(spec)?;
        let mut tolerations = Vec::new();
        for (i, t) in spec
            .tolerations
            .as_deref()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            tolerations.push(
                Toleration::from_k8s(t)
                    .map_err(|e| e.with_field_prefix(&format!("tolerations[{i}]")))?,
            );
        }
        let required_affinity = match spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| {
                na.required_during_scheduling_ignored_during_execution
                    .as_ref()
            }) {
            None => None,
            Some(sel) => {
                let base = "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
                let mut terms = Vec::new();
                for (ti, term) in sel.node_selector_terms.iter().enumerate() {
                    let mut t = NodeSelectorTerm::default();
                    for (ri, r) in term
                        .match_expressions
                        .as_deref()
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                    {
                        let field =
                            format!("{base}.nodeSelectorTerms[{ti}].matchExpressions[{ri}]");
                        t.match_expressions
                            .push(SelectorRequirement::from_k8s(r, &field)?);
                    }
                    for (ri, r) in term
                        .match_fields
                        .as_deref()
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                    {
                        let field = format!("{base}.nodeSelectorTerms[{ti}].matchFields[{ri}]");
                        let req = SelectorRequirement::from_k8s(r, &field)?;
                        if req.key != "metadata.name"
                            || !matches!(
                                req.operator,
                                SelectorOperator::In | SelectorOperator::NotIn
                            )
                        {
                            return Err(CapacityError::Invalid {
                                field,
                                message: "matchFields supports only metadata.name with In/NotIn"
                                    .into(),
                            });
                        }
                        t.match_fields.push(req);
                    }
                    terms.push(t);
                }
                Some(terms)
            }
        };
        let preemption_policy = spec
            .preemption_policy
            .as_deref()
            .map(|p| {
                p.parse::<PreemptionPolicy>()
                    .map_err(|e| e.with_field_prefix("preemptionPolicy"))
            })
            .transpose()?;
        Ok(PodRequirements {
            requests,
            tolerations,
            node_selector: spec.node_selector.clone().unwrap_or_default(),
            required_affinity,
            priority_class_name: spec.priority_class_name.clone().filter(|s| !s.is_empty()),
            priority: spec.priority,
            preemption_policy,
        })
    }

    /// Whether some toleration tolerates `taint`.
    pub fn tolerates(&self, taint: &Taint) -> bool {
        self.tolerations.iter().any(|t| t.tolerates(taint))
    }

    /// nodeSelector: every entry equals the node's label. Returns the first mismatching key.
    pub fn node_selector_mismatch(&self, labels: &BTreeMap<String, String>) -> Option<&str> {
        self.node_selector
            .iter()
            .find(|(k, v)| labels.get(*k) != Some(*v))
            .map(|(k, _)| k.as_str())
    }

    /// Required node affinity: some term matches (no affinity = always).
    pub fn affinity_matches(&self, node_name: &str, labels: &BTreeMap<String, String>) -> bool {
        match &self.required_affinity {
            None => true,
            Some(terms) => terms.iter().any(|t| t.matches(node_name, labels)),
        }
    }
}

impl fmt::Display for PreemptionPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PreemptionPolicy::PreemptLowerPriority => "PreemptLowerPriority",
            PreemptionPolicy::Never => "Never",
        })
    }
}

/// Request of one container: requests, with limits filling in resources it does not request.
fn container_requests(c: &Container, field: &str) -> Result<Resources, CapacityError> {
    let mut out = Resources::new();
    let Some(res) = c.resources.as_ref() else {
        return Ok(out);
    };
    if let Some(req) = &res.requests {
        for (k, q) in req {
            let v = parse_field(|| format!("{field}.resources.requests.{k}"), &q.0)?;
            out.0.insert(k.clone(), v);
        }
    }
    if let Some(lim) = &res.limits {
        for (k, q) in lim {
            if !out.0.contains_key(k) {
                let v = parse_field(|| format!("{field}.resources.limits.{k}"), &q.0)?;
                out.0.insert(k.clone(), v);
            }
        }
    }
    Ok(out)
}

/// The effective request of a pod: per resource, max(sum of app containers + restartable
/// init (sidecar) containers, max over init containers of (its request + sidecars started
/// before it)), pod-level `resources` where set, plus `overhead`. Limits default requests.
pub fn effective_requests(spec: &PodSpec) -> Result<Resources, CapacityError> {
    let mut sum = Resources::new();
    for (i, c) in spec.containers.iter().enumerate() {
        sum.add(&container_requests(c, &format!("containers[{i}]"))?);
    }
    if let Some(inits) = spec.init_containers.as_deref() {
        let mut sidecars = Resources::new();
        let mut init_max = Resources::new();
        for (i, c) in inits.iter().enumerate() {
            let r = container_requests(c, &format!("initContainers[{i}]"))?;
            if c.restart_policy.as_deref() == Some("Always") {
                sidecars.add(&r);
                init_max.max_each(&sidecars);
            } else {
                let mut during = sidecars.clone();
                during.add(&r);
                init_max.max_each(&during);
            }
        }
        sum.add(&sidecars);
        sum.max_each(&init_max);
    }
    if let Some(pod_res) = spec.resources.as_ref() {
        // Pod-level resources (cpu, memory) replace the container aggregate.
        let mut pod_level = Resources::new();
        if let Some(req) = &pod_res.requests {
            for (k, q) in req {
                pod_level.set(k, parse_field(|| format!("resources.requests.{k}"), &q.0)?);
            }
        }
        if let Some(lim) = &pod_res.limits {
            for (k, q) in lim {
                if !pod_level.contains(k) {
                    pod_level.set(k, parse_field(|| format!("resources.limits.{k}"), &q.0)?);
                }
            }
        }
        for (k, v) in pod_level.0 {
            sum.0.insert(k, v);
        }
    }
    if let Some(overhead) = &spec.overhead {
        for (k, q) in overhead {
            sum.add_amount(k, parse_field(|| format!("overhead.{k}"), &q.0)?);
        }
    }
    Ok(sum)
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, ResourceRequirements,
    };
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

    fn qmap(pairs: &[(&str, &str)]) -> Option<BTreeMap<String, Quantity>> {
        Some(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
                .collect(),
        )
    }

    fn container(requests: &[(&str, &str)], limits: &[(&str, &str)]) -> Container {
        Container {
            name: "c".into(),
            resources: Some(ResourceRequirements {
                requests: if requests.is_empty() {
                    None
                } else {
                    qmap(requests)
                },
                limits: if limits.is_empty() {
                    None
                } else {
                    qmap(limits)
                },
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn spec(containers: Vec<Container>) -> PodSpec {
        PodSpec {
            containers,
            ..Default::default()
        }
    }

    #[test]
    fn request_sums_app_containers() {
        let s = spec(vec![
            container(&[("cpu", "250m"), ("memory", "1Gi")], &[]),
            container(&[("cpu", "750m")], &[]),
        ]);
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        assert_eq!(r.get("cpu"), 1000);
        assert_eq!(r.get("memory"), 1_073_741_824_000);
    }

    #[test]
    fn limits_default_requests_for_resources_without_request() {
        // the seeds' vLLM Deployment: only `limits: nvidia.com/gpu: 1`
        let s = spec(vec![container(
            &[("cpu", "1")],
            &[("cpu", "4"), ("nvidia.com/gpu", "1")],
        )]);
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        assert_eq!(r.get("nvidia.com/gpu"), 1000);
        assert_eq!(
            r.get("cpu"),
            1000,
            "an explicit request wins over the limit"
        );
    }

    #[test]
    fn init_containers_count_as_max_not_sum() {
        let mut s = spec(vec![container(&[("cpu", "500m"), ("memory", "1Gi")], &[])]);
        s.init_containers = Some(vec![
            container(&[("cpu", "2")], &[]),
            container(&[("cpu", "1"), ("memory", "512Mi")], &[]),
        ]);
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        assert_eq!(r.get("cpu"), 2000, "max(init 2, sum 0.5)");
        assert_eq!(
            r.get("memory"),
            1_073_741_824_000,
            "max(init 512Mi, sum 1Gi)"
        );
    }

    #[test]
    fn sidecar_init_containers_add_to_the_app_sum() {
        let mut s = spec(vec![container(&[("cpu", "1")], &[])]);
        let mut sidecar = container(&[("cpu", "250m")], &[]);
        sidecar.restart_policy = Some("Always".into());
        s.init_containers = Some(vec![sidecar, container(&[("cpu", "1")], &[])]);
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        // app 1 + sidecar 0.25 = 1.25; init after sidecar: 1 + 0.25 = 1.25
        assert_eq!(r.get("cpu"), 1250);
    }

    #[test]
    fn overhead_is_added_on_top() {
        let mut s = spec(vec![container(&[("cpu", "1")], &[])]);
        s.init_containers = Some(vec![container(&[("cpu", "2")], &[])]);
        s.overhead = qmap(&[("cpu", "100m"), ("memory", "64Mi")]);
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        assert_eq!(r.get("cpu"), 2100);
        assert_eq!(r.get("memory"), 64 * 1024 * 1024 * 1000);
    }

    #[test]
    fn pod_level_resources_replace_the_container_aggregate() {
        let mut s = spec(vec![container(&[("cpu", "1"), ("memory", "1Gi")], &[])]);
        s.resources = Some(ResourceRequirements {
            requests: qmap(&[("cpu", "3")]),
            ..Default::default()
        });
        let r = PodRequirements::from_pod_spec(&s).unwrap().requests;
        assert_eq!(r.get("cpu"), 3000);
        assert_eq!(r.get("memory"), 1_073_741_824_000);
    }

    #[test]
    fn bad_quantity_error_names_the_container_field() {
        let s = spec(vec![
            container(&[], &[]),
            container(&[("cpu", "fast")], &[]),
        ]);
        let err = PodRequirements::from_pod_spec(&s).unwrap_err().to_string();
        assert_eq!(
            err,
            "containers[1].resources.requests.cpu: invalid quantity \"fast\": no digits"
        );
    }

    #[test]
    fn reads_tolerations_selector_affinity_and_priority_fields() {
        let mut s = spec(vec![]);
        s.tolerations = Some(vec![k8s_openapi::api::core::v1::Toleration {
            key: Some("gpu".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]);
        s.node_selector = Some(BTreeMap::from([("gpu".into(), "a10".into())]));
        s.priority_class_name = Some("online-high".into());
        s.preemption_policy = Some("Never".into());
        s.affinity = Some(Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![k8s_openapi::api::core::v1::NodeSelectorTerm {
                        match_expressions: Some(vec![NodeSelectorRequirement {
                            key: "gpus".into(),
                            operator: "Gt".into(),
                            values: Some(vec!["2".into()]),
                        }]),
                        match_fields: None,
                    }],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        let r = PodRequirements::from_pod_spec(&s).unwrap();
        assert_eq!(r.tolerations[0].operator, TolerationOperator::Exists);
        assert_eq!(r.tolerations[0].effect, Some(TaintEffect::NoSchedule));
        assert_eq!(r.node_selector["gpu"], "a10");
        assert_eq!(r.priority_class_name.as_deref(), Some("online-high"));
        assert_eq!(r.preemption_policy, Some(PreemptionPolicy::Never));
        let terms = r.required_affinity.unwrap();
        assert_eq!(terms[0].match_expressions[0].operator, SelectorOperator::Gt);
    }

    #[test]
    fn bad_affinity_operator_and_gt_value_are_errors_naming_the_path() {
        let mut s = spec(vec![]);
        let req = |op: &str, vals: Vec<&str>| {
            Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                        node_selector_terms: vec![k8s_openapi::api::core::v1::NodeSelectorTerm {
                            match_expressions: Some(vec![NodeSelectorRequirement {
                                key: "k".into(),
                                operator: op.into(),
                                values: Some(vals.iter().map(|v| v.to_string()).collect()),
                            }]),
                            match_fields: None,
                        }],
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })
        };
        s.affinity = req("Near", vec!["a"]);
        let err = PodRequirements::from_pod_spec(&s).unwrap_err().to_string();
        assert!(
            err.starts_with("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: unknown operator \"Near\""),
            "{err}"
        );
        s.affinity = req("Gt", vec!["two"]);
        let err = PodRequirements::from_pod_spec(&s).unwrap_err().to_string();
        assert!(
            err.ends_with("values: Gt needs exactly one integer value"),
            "{err}"
        );
    }

    #[test]
    fn bad_toleration_effect_names_the_toleration() {
        let mut s = spec(vec![]);
        s.tolerations = Some(vec![k8s_openapi::api::core::v1::Toleration {
            key: Some("gpu".into()),
            effect: Some("Sometimes".into()),
            ..Default::default()
        }]);
        let err = PodRequirements::from_pod_spec(&s).unwrap_err().to_string();
        assert!(
            err.starts_with("tolerations[0].effect: unknown taint effect"),
            "{err}"
        );
    }
}
