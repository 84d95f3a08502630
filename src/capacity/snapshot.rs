//! Plain-data snapshots of one member cluster (nodes, pods, PriorityClasses, node pools) and
//! their converters from k8s-openapi objects.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::scheduling::v1::PriorityClass;

use super::requirements::{effective_requests, PreemptionPolicy};
use super::resources::Resources;
use super::CapacityError;

/// Pods a node accepts when its allocatable has no `pods` entry (the kubelet default `maxPods`).
pub const DEFAULT_MAX_PODS: i64 = 110;

/// Effect of a node taint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

impl TaintEffect {
    /// The Kubernetes spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }

    /// Whether the scheduler refuses pods that do not tolerate it (NoSchedule, NoExecute).
    pub fn blocks_scheduling(self) -> bool {
        !matches!(self, TaintEffect::PreferNoSchedule)
    }
}

impl fmt::Display for TaintEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TaintEffect {
    type Err = CapacityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "NoSchedule" => Ok(TaintEffect::NoSchedule),
            "PreferNoSchedule" => Ok(TaintEffect::PreferNoSchedule),
            "NoExecute" => Ok(TaintEffect::NoExecute),
            other => Err(CapacityError::Invalid {
                field: "effect".into(),
                message: format!(
                    "unknown taint effect {other:?} (NoSchedule, PreferNoSchedule, NoExecute)"
                ),
            }),
        }
    }
}

/// A node taint; `value` is empty when the taint has none.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint {
    pub key: String,
    pub value: String,
    pub effect: TaintEffect,
}

impl Taint {
    /// A taint `key=value:effect`.
    pub fn new(key: impl Into<String>, value: impl Into<String>, effect: TaintEffect) -> Self {
        Taint {
            key: key.into(),
            value: value.into(),
            effect,
        }
    }

    /// Parses kubectl's syntax `key=value:Effect` or `key:Effect`.
    pub fn parse(text: &str) -> Result<Self, CapacityError> {
        let bad = || CapacityError::Invalid {
            field: "taint".into(),
            message: format!("{text:?} is not key[=value]:Effect"),
        };
        let (kv, effect) = text.rsplit_once(':').ok_or_else(bad)?;
        let effect = effect.parse()?;
        let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
        if key.is_empty() {
            return Err(bad());
        }
        Ok(Taint::new(key, value, effect))
    }

    /// From a k8s-openapi taint.
    pub fn from_k8s(t: &k8s_openapi::api::core::v1::Taint) -> Result<Self, CapacityError> {
        Ok(Taint {
            key: t.key.clone(),
            value: t.value.clone().unwrap_or_default(),
            effect: t.effect.parse()?,
        })
    }
}

impl fmt::Display for Taint {
    /// `gpu=true:NoSchedule` (or `gpu:NoSchedule` without a value), like kubectl.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value.is_empty() {
            write!(f, "{}:{}", self.key, self.effect)
        } else {
            write!(f, "{}={}:{}", self.key, self.value, self.effect)
        }
    }
}

/// What the estimator and the simulator's scheduler need to know about one node.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeSnapshot {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    /// `status.allocatable` (including `pods`).
    pub allocatable: Resources,
    /// Condition `Ready` is `True`.
    pub ready: bool,
    /// `spec.unschedulable` (cordoned).
    pub unschedulable: bool,
}

impl NodeSnapshot {
    /// A Ready, schedulable node without labels or taints.
    pub fn new(name: impl Into<String>, allocatable: Resources) -> Self {
        NodeSnapshot {
            name: name.into(),
            allocatable,
            ready: true,
            ..Default::default()
        }
    }

    /// How many pods the node accepts: allocatable `pods`, else [`DEFAULT_MAX_PODS`].
    pub fn max_pods(&self) -> i64 {
        if self.allocatable.contains("pods") {
            self.allocatable.get("pods") / 1000
        } else {
            DEFAULT_MAX_PODS
        }
    }

    /// Converts a Node: labels, taints, allocatable, Ready condition, `spec.unschedulable`.
    pub fn from_node(node: &Node) -> Result<Self, CapacityError> {
        let name = node.metadata.name.clone().unwrap_or_default();
        let in_node = |e: CapacityError| e.in_object("node", &name);
        let mut taints = Vec::new();
        let spec = node.spec.as_ref();
        for (i, t) in spec
            .and_then(|s| s.taints.as_deref())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            taints.push(
                Taint::from_k8s(t)
                    .map_err(|e| in_node(e.with_field_prefix(&format!("spec.taints[{i}]"))))?,
            );
        }
        let status = node.status.as_ref();
        let allocatable = match status.and_then(|s| s.allocatable.as_ref()) {
            Some(list) => Resources::from_k8s_at(list, "status.allocatable").map_err(in_node)?,
            None => Resources::new(),
        };
        let ready = status
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or_default()
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True");
        Ok(NodeSnapshot {
            labels: node.metadata.labels.clone().unwrap_or_default(),
            name,
            taints,
            allocatable,
            ready,
            unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
        })
    }
}

/// `status.phase` of a pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PodPhase {
    #[default]
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

impl PodPhase {
    /// Parses a phase; anything unrecognised (or absent) is `Unknown` / `Pending`.
    pub fn parse(phase: Option<&str>) -> Self {
        match phase {
            None | Some("Pending") => PodPhase::Pending,
            Some("Running") => PodPhase::Running,
            Some("Succeeded") => PodPhase::Succeeded,
            Some("Failed") => PodPhase::Failed,
            Some(_) => PodPhase::Unknown,
        }
    }

    /// Succeeded and Failed pods hold no resources.
    pub fn is_terminal(self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }

    /// The Kubernetes spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PodPhase::Pending => "Pending",
            PodPhase::Running => "Running",
            PodPhase::Succeeded => "Succeeded",
            PodPhase::Failed => "Failed",
            PodPhase::Unknown => "Unknown",
        }
    }
}

/// What the estimator needs to know about one existing pod.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodSnapshot {
    pub namespace: String,
    pub name: String,
    /// `spec.nodeName`; `None` for pods not bound yet.
    pub node_name: Option<String>,
    pub phase: PodPhase,
    /// Effective pod request (see [`super::PodRequirements::from_pod_spec`]). Shared: the
    /// replicas of one ReplicaSet request the same, so readers of many pods keep one copy.
    pub requests: Arc<Resources>,
    /// `spec.priority` (filled by the Priority admission plugin), 0 when absent.
    pub priority: i32,
    /// Shared like `requests` (one copy per distinct label set).
    pub labels: Arc<BTreeMap<String, String>>,
    /// Controller owner reference as `Kind/name`, e.g. `ReplicaSet/web-abc`.
    pub owner: Option<String>,
}

impl PodSnapshot {
    /// Converts a Pod. Cheap: parses only the quantities of its containers.
    pub fn from_pod(pod: &Pod) -> Result<Self, CapacityError> {
        let meta = &pod.metadata;
        let name = meta.name.clone().unwrap_or_default();
        let namespace = meta.namespace.clone().unwrap_or_default();
        let (requests, node_name, priority) = match &pod.spec {
            Some(spec) => (
                effective_requests(spec)
                    .map_err(|e| e.in_object("pod", &format!("{namespace}/{name}")))?,
                spec.node_name.clone(),
                spec.priority.unwrap_or(0),
            ),
            None => (Resources::new(), None, 0),
        };
        let owner = meta.owner_references.as_deref().and_then(|refs| {
            refs.iter()
                .find(|r| r.controller == Some(true))
                .or_else(|| refs.first())
                .map(|r| format!("{}/{}", r.kind, r.name))
        });
        Ok(PodSnapshot {
            phase: PodPhase::parse(pod.status.as_ref().and_then(|s| s.phase.as_deref())),
            labels: Arc::new(meta.labels.clone().unwrap_or_default()),
            namespace,
            name,
            node_name,
            requests: Arc::new(requests),
            priority,
            owner,
        })
    }
}

/// A PriorityClass: name, value, whether it is the global default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriorityClassInfo {
    pub name: String,
    pub value: i32,
    pub global_default: bool,
    /// The class's `preemptionPolicy`; pods of this class inherit it unless they set their own.
    pub preemption_policy: Option<PreemptionPolicy>,
}

impl PriorityClassInfo {
    /// A non-default class with no preemption policy of its own.
    pub fn new(name: impl Into<String>, value: i32) -> Self {
        PriorityClassInfo {
            name: name.into(),
            value,
            ..Default::default()
        }
    }

    /// Converts a PriorityClass.
    pub fn from_priority_class(pc: &PriorityClass) -> Result<Self, CapacityError> {
        let name = pc.metadata.name.clone().unwrap_or_default();
        let preemption_policy = pc
            .preemption_policy
            .as_deref()
            .map(|p| {
                p.parse().map_err(|e: CapacityError| {
                    e.with_field_prefix("preemptionPolicy")
                        .in_object("priorityclass", &name)
                })
            })
            .transpose()?;
        Ok(PriorityClassInfo {
            value: pc.value.unwrap_or(0),
            global_default: pc.global_default.unwrap_or(false),
            name,
            preemption_policy,
        })
    }
}

/// An elastic node pool: the shape of the nodes it adds, and how many it can still add.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodePool {
    pub name: String,
    /// Allocatable of one pool node (a missing `pods` means [`DEFAULT_MAX_PODS`]).
    pub allocatable: Resources,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<Taint>,
    pub max_nodes: u32,
    /// Nodes the pool runs now.
    pub current_nodes: u32,
    /// Nodes the provider can still deliver now (cloud inventory / stock).
    pub inventory: u32,
}

impl NodePool {
    /// An empty, Ready node of the pool's shape (the node the pool would add).
    pub fn node_shape(&self) -> NodeSnapshot {
        NodeSnapshot {
            name: format!("{}-<new>", self.name),
            labels: self.labels.clone(),
            taints: self.taints.clone(),
            allocatable: self.allocatable.clone(),
            ready: true,
            unschedulable: false,
        }
    }

    /// Nodes the pool can add now: min(maxNodes − currentNodes, inventory).
    pub fn addable_nodes(&self) -> u32 {
        self.max_nodes
            .saturating_sub(self.current_nodes)
            .min(self.inventory)
    }
}

/// A DaemonSet: what its pod takes on every node it runs on, and where that is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DaemonSetSnapshot {
    pub namespace: String,
    pub name: String,
    /// Requests, tolerations, nodeSelector and node affinity of its pod template.
    pub pod: super::requirements::PodRequirements,
}

/// Everything the estimator knows about one member cluster.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClusterSnapshot {
    pub nodes: Vec<NodeSnapshot>,
    pub pods: Vec<PodSnapshot>,
    pub priority_classes: Vec<PriorityClassInfo>,
    pub pools: Vec<NodePool>,
    /// The DaemonSets: a node a pool adds runs their pods before any replica (its room is
    /// its allocatable minus theirs). Existing nodes need no such thing: their DaemonSet
    /// pods are in `pods`.
    pub daemonsets: Vec<DaemonSetSnapshot>,
}

impl ClusterSnapshot {
    /// The PriorityClass with this name.
    pub fn priority_class(&self, name: &str) -> Option<&PriorityClassInfo> {
        self.priority_classes.iter().find(|c| c.name == name)
    }

    /// The globalDefault PriorityClass (the highest value if several claim it).
    pub fn global_default_class(&self) -> Option<&PriorityClassInfo> {
        self.priority_classes
            .iter()
            .filter(|c| c.global_default)
            .max_by_key(|c| c.value)
    }
}

/// [`NodeSnapshot::from_node`].
pub fn from_node(node: &Node) -> Result<NodeSnapshot, CapacityError> {
    NodeSnapshot::from_node(node)
}

/// [`PodSnapshot::from_pod`].
pub fn from_pod(pod: &Pod) -> Result<PodSnapshot, CapacityError> {
    PodSnapshot::from_pod(pod)
}

/// [`PriorityClassInfo::from_priority_class`].
pub fn from_priority_class(pc: &PriorityClass) -> Result<PriorityClassInfo, CapacityError> {
    PriorityClassInfo::from_priority_class(pc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{
        Container, NodeCondition, NodeSpec, NodeStatus, PodSpec, PodStatus, ResourceRequirements,
    };
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};

    fn qmap(pairs: &[(&str, &str)]) -> BTreeMap<String, Quantity> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), Quantity(v.to_string())))
            .collect()
    }

    #[test]
    fn from_node_reads_labels_taints_allocatable_ready_and_cordon() {
        let node = Node {
            metadata: ObjectMeta {
                name: Some("gpu-1".into()),
                labels: Some(BTreeMap::from([("gpu".into(), "a10".into())])),
                ..Default::default()
            },
            spec: Some(NodeSpec {
                unschedulable: Some(true),
                taints: Some(vec![k8s_openapi::api::core::v1::Taint {
                    key: "gpu".into(),
                    value: Some("true".into()),
                    effect: "NoSchedule".into(),
                    time_added: None,
                }]),
                ..Default::default()
            }),
            status: Some(NodeStatus {
                allocatable: Some(qmap(&[
                    ("cpu", "32"),
                    ("nvidia.com/gpu", "4"),
                    ("pods", "110"),
                ])),
                conditions: Some(vec![NodeCondition {
                    type_: "Ready".into(),
                    status: "True".into(),
                    ..Default::default()
                }]),
                ..Default::default()
            }),
        };
        let n = NodeSnapshot::from_node(&node).unwrap();
        assert_eq!(n.name, "gpu-1");
        assert!(n.ready && n.unschedulable);
        assert_eq!(n.taints[0].to_string(), "gpu=true:NoSchedule");
        assert_eq!(n.allocatable.get("nvidia.com/gpu"), 4000);
        assert_eq!(n.max_pods(), 110);
        assert_eq!(n.labels["gpu"], "a10");
    }

    #[test]
    fn from_node_error_names_node_and_field() {
        let node = Node {
            metadata: ObjectMeta {
                name: Some("n1".into()),
                ..Default::default()
            },
            status: Some(NodeStatus {
                allocatable: Some(qmap(&[("cpu", "x")])),
                ..Default::default()
            }),
            ..Default::default()
        };
        let err = NodeSnapshot::from_node(&node).unwrap_err().to_string();
        assert!(
            err.starts_with("node n1: status.allocatable.cpu: invalid quantity \"x\""),
            "{err}"
        );
    }

    #[test]
    fn node_without_pods_allocatable_defaults_to_110() {
        let n = NodeSnapshot::new("n", Resources::parse([("cpu", "1")]).unwrap());
        assert_eq!(n.max_pods(), DEFAULT_MAX_PODS);
        assert!(n.ready);
    }

    #[test]
    fn from_pod_reads_requests_phase_priority_and_controller_owner() {
        let pod = Pod {
            metadata: ObjectMeta {
                name: Some("web-abc-1".into()),
                namespace: Some("default".into()),
                owner_references: Some(vec![OwnerReference {
                    kind: "ReplicaSet".into(),
                    name: "web-abc".into(),
                    controller: Some(true),
                    ..Default::default()
                }]),
                ..Default::default()
            },
            spec: Some(PodSpec {
                node_name: Some("n1".into()),
                priority: Some(100),
                containers: vec![Container {
                    name: "c".into(),
                    resources: Some(ResourceRequirements {
                        limits: Some(qmap(&[("nvidia.com/gpu", "1")])),
                        requests: Some(qmap(&[("cpu", "500m")])),
                        ..Default::default()
                    }),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            status: Some(PodStatus {
                phase: Some("Running".into()),
                ..Default::default()
            }),
        };
        let p = PodSnapshot::from_pod(&pod).unwrap();
        assert_eq!(p.owner.as_deref(), Some("ReplicaSet/web-abc"));
        assert_eq!(p.phase, PodPhase::Running);
        assert_eq!(p.priority, 100);
        assert_eq!(p.node_name.as_deref(), Some("n1"));
        assert_eq!(p.requests.get("cpu"), 500);
        assert_eq!(p.requests.get("nvidia.com/gpu"), 1000);
    }

    #[test]
    fn from_priority_class_reads_value_default_and_policy() {
        let pc = PriorityClass {
            metadata: ObjectMeta {
                name: Some("online-high".into()),
                ..Default::default()
            },
            value: Some(100_000),
            global_default: Some(true),
            preemption_policy: Some("Never".into()),
            description: None,
        };
        let info = from_priority_class(&pc).unwrap();
        assert_eq!(info.name, "online-high");
        assert_eq!(info.value, 100_000);
        assert!(info.global_default);
        assert_eq!(info.preemption_policy, Some(PreemptionPolicy::Never));
        let bad = PriorityClass {
            preemption_policy: Some("Sometimes".into()),
            ..pc
        };
        let err = from_priority_class(&bad).unwrap_err().to_string();
        assert!(
            err.starts_with(
                "priorityclass online-high: preemptionPolicy: unknown preemptionPolicy"
            ),
            "{err}"
        );
    }

    #[test]
    fn taint_parse_and_pool_addable_nodes() {
        let t = Taint::parse("gpu=true:NoSchedule").unwrap();
        assert_eq!(t, Taint::new("gpu", "true", TaintEffect::NoSchedule));
        assert_eq!(Taint::parse("dedicated:NoExecute").unwrap().value, "");
        assert!(Taint::parse("gpu=true").is_err());
        assert!(Taint::parse("gpu=true:Sometimes").is_err());
        let pool = NodePool {
            name: "p".into(),
            max_nodes: 10,
            current_nodes: 8,
            inventory: 5,
            ..Default::default()
        };
        assert_eq!(pool.addable_nodes(), 2);
        let pool = NodePool {
            inventory: 1,
            ..pool
        };
        assert_eq!(pool.addable_nodes(), 1);
    }
}
