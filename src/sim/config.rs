//! The simulated fleet's configuration: YAML kind `SimulatedFleet`
//! (`apiVersion: fleet.kubectl.dev/v1alpha1`), parsed and validated here, and the built-in
//! demo fleet ([`SimConfig::builtin`]).
//!
//! This module owns the config format only. What the simulator does with it (nodes, pools,
//! priority classes, pre-existing workloads) lives in `sim::controllers`. The format is
//! documented in `docs/simulator.md`; `docs/examples/simfleet.yaml` is the built-in fleet.
//!
//! Errors are one line and name the file and the field path, e.g.
//! `simfleet.yaml: clusters[1].nodes[0].allocatable.cpu: invalid quantity "x"`.
//! Unknown fields are errors (a typo in a simulator config silently changing the fleet is
//! worse than a refusal).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use crate::capacity::quantity::parse_quantity;

/// `apiVersion` of a [`SimConfig`] document.
pub const API_VERSION: &str = "fleet.kubectl.dev/v1alpha1";
/// `kind` of a [`SimConfig`] document.
pub const KIND: &str = "SimulatedFleet";
/// Label put on every node of an elastic node pool; its value is the pool name.
pub const NODE_POOL_LABEL: &str = "fleet.kubectl.dev/node-pool";

/// A whole simulated fleet: one entry per member cluster.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SimConfig {
    pub clusters: Vec<ClusterConfig>,
    /// Fleet-wide demands set when the fleet starts (what `kubectl fleet sim load` sets later).
    pub load: Vec<crate::sim::load::Demand>,
}

/// One simulated member cluster.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ClusterConfig {
    /// Cluster name; also the kubeconfig cluster, user and context name.
    pub name: String,
    /// Member labels (`region`, `zone`, `provider`, ...). `region`/`zone` are also put on
    /// every node as `topology.kubernetes.io/region`/`zone`; every label is also put on the
    /// nodes under its own key.
    pub labels: BTreeMap<String, String>,
    /// Static node groups present from the start.
    pub nodes: Vec<NodeGroup>,
    /// Elastic node pools that start at 0 nodes.
    pub node_pools: Vec<NodePoolConfig>,
    pub priority_classes: Vec<PriorityClassConfig>,
    /// Pre-existing Deployments not managed by kubectl-fleet.
    pub workloads: Vec<WorkloadConfig>,
}

/// `count` identical nodes named `<prefix>-<i>` (i from 1).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NodeGroup {
    pub count: u32,
    pub prefix: String,
    /// Resource name → quantity string (`cpu: "32"`, `memory: 128Gi`, `pods: "110"`).
    pub allocatable: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<TaintConfig>,
}

/// A node taint, as in `Node.spec.taints`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TaintConfig {
    pub key: String,
    pub value: String,
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    pub effect: String,
}

/// An elastic node pool (think ACK instant node elasticity / GOATScaler inventory).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NodePoolConfig {
    pub name: String,
    /// Shape of one node of the pool.
    pub allocatable: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
    pub taints: Vec<TaintConfig>,
    /// Upper bound of the pool's node count.
    pub max_nodes: u32,
    /// Instances the cloud can still provide at start (decreases as nodes are added).
    pub inventory: u32,
    /// Simulated seconds from scale-up decision to a Ready node (default 30).
    pub provision_seconds: f64,
    /// Simulated seconds a pool node must be empty before it is removed (default 60).
    pub scale_down_idle_seconds: f64,
}

/// A PriorityClass (`scheduling.k8s.io/v1`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PriorityClassConfig {
    pub name: String,
    pub value: i32,
    pub global_default: bool,
    /// `PreemptLowerPriority` (default) or `Never`.
    pub preemption_policy: Option<String>,
}

/// A pre-existing Deployment (one container `app`, image `registry.k8s.io/pause:3.10`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct WorkloadConfig {
    pub name: String,
    pub namespace: String,
    pub replicas: u32,
    pub priority_class_name: Option<String>,
    /// Container requests, resource name → quantity string.
    pub requests: BTreeMap<String, String>,
    pub node_selector: BTreeMap<String, String>,
}

/// A config that cannot be used. `Display` is one line naming the file and the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct ConfigError {
    /// File name (or `<builtin>`).
    pub source_name: String,
    /// Field path such as `clusters[1].nodes[0].allocatable.cpu`; empty for the document.
    pub path: String,
    pub message: String,
}

impl SimConfig {
    /// Parses and validates a `SimulatedFleet` YAML document. `source` names the file in errors.
    pub fn from_yaml(text: &str, source: &str) -> Result<SimConfig, ConfigError> {
        let value: Value = serde_saphyr::from_str(text).map_err(|e| ConfigError {
            source_name: source.to_string(),
            path: String::new(),
            message: yaml_error_line(&e),
        })?;
        let mut d = Decoder {
            source: source.to_string(),
        };
        d.config(&value)
    }

    /// Reads, parses and validates a config file.
    pub fn from_file(path: &std::path::Path) -> Result<SimConfig, ConfigError> {
        let source = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            source_name: source.clone(),
            path: String::new(),
            message: format!("cannot read: {e}"),
        })?;
        SimConfig::from_yaml(&text, &source)
    }

    /// The cluster of that name.
    pub fn cluster(&self, name: &str) -> Option<&ClusterConfig> {
        self.clusters.iter().find(|c| c.name == name)
    }

    /// The built-in demo fleet (identical to `docs/examples/simfleet.yaml`):
    ///
    /// - `idc-beijing` (group 1, on-prem, `provider: idc`, `region: cn-beijing`): two
    ///   4-GPU A10 nodes, 6 of the 8 GPUs used by the low-priority `batch-train` Deployment
    ///   (2 GPUs idle, 6 preemptible by a higher priority), two CPU nodes, no elastic pool.
    /// - `ack-hangzhou` (group 1, primary cloud region `cn-hangzhou`): one 2-GPU node (idle),
    ///   two CPU nodes, elastic pool `gpu-elastic` of 1-GPU `ecs.gn7i-c8g1.2xlarge` nodes,
    ///   inventory 4.
    /// - `ack-shanghai` (group 2, secondary region `cn-shanghai`): CPU nodes only, elastic
    ///   pool `gpu-elastic` with inventory 8.
    ///
    /// So qwen3-8b (1 GPU per replica, priority 0) at 4 replicas fits group 1's idle GPUs
    /// (2 + 2); at 12 it also takes group 1's elastic 4 and spills 4 into ack-shanghai's pool.
    pub fn builtin() -> SimConfig {
        fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        }
        let gpu_a10 = |count: u32, prefix: &str, gpus: &str| NodeGroup {
            count,
            prefix: prefix.to_string(),
            allocatable: m(&[
                ("cpu", "32"),
                ("memory", "128Gi"),
                ("nvidia.com/gpu", gpus),
                ("pods", "110"),
            ]),
            labels: m(&[("node.kubernetes.io/instance-type", "gpu-a10")]),
            taints: vec![],
        };
        let cpu_nodes = |count: u32| NodeGroup {
            count,
            prefix: "cpu".to_string(),
            allocatable: m(&[("cpu", "16"), ("memory", "64Gi"), ("pods", "110")]),
            labels: m(&[]),
            taints: vec![],
        };
        let elastic = |inventory: u32| NodePoolConfig {
            name: "gpu-elastic".to_string(),
            allocatable: m(&[
                ("cpu", "8"),
                ("memory", "30Gi"),
                ("nvidia.com/gpu", "1"),
                ("pods", "110"),
            ]),
            labels: m(&[("node.kubernetes.io/instance-type", "ecs.gn7i-c8g1.2xlarge")]),
            taints: vec![],
            max_nodes: 10,
            inventory,
            provision_seconds: 30.0,
            scale_down_idle_seconds: 60.0,
        };
        let priority_classes = vec![
            PriorityClassConfig {
                name: "batch-low".to_string(),
                value: 100,
                global_default: false,
                preemption_policy: None,
            },
            PriorityClassConfig {
                name: "online-high".to_string(),
                value: 100000,
                global_default: false,
                preemption_policy: None,
            },
        ];
        SimConfig {
            clusters: vec![
                ClusterConfig {
                    name: "idc-beijing".to_string(),
                    labels: m(&[("provider", "idc"), ("region", "cn-beijing")]),
                    nodes: vec![gpu_a10(2, "gpu-a10", "4"), cpu_nodes(2)],
                    node_pools: vec![],
                    priority_classes: priority_classes.clone(),
                    workloads: vec![WorkloadConfig {
                        name: "batch-train".to_string(),
                        namespace: "default".to_string(),
                        replicas: 6,
                        priority_class_name: Some("batch-low".to_string()),
                        requests: m(&[("cpu", "4"), ("memory", "16Gi"), ("nvidia.com/gpu", "1")]),
                        node_selector: m(&[]),
                    }],
                },
                ClusterConfig {
                    name: "ack-hangzhou".to_string(),
                    labels: m(&[
                        ("provider", "aliyun"),
                        ("region", "cn-hangzhou"),
                        ("zone", "cn-hangzhou-h"),
                    ]),
                    nodes: vec![gpu_a10(1, "gpu-a10", "2"), cpu_nodes(2)],
                    node_pools: vec![elastic(4)],
                    priority_classes: priority_classes.clone(),
                    workloads: vec![],
                },
                ClusterConfig {
                    name: "ack-shanghai".to_string(),
                    labels: m(&[
                        ("provider", "aliyun"),
                        ("region", "cn-shanghai"),
                        ("zone", "cn-shanghai-b"),
                    ]),
                    nodes: vec![cpu_nodes(2)],
                    node_pools: vec![elastic(8)],
                    priority_classes,
                    workloads: vec![],
                },
            ],
            load: vec![],
        }
    }
}

impl ClusterConfig {
    /// Labels every node of this cluster carries (before its group's/pool's own labels):
    /// the member labels, plus `topology.kubernetes.io/region`/`zone` for `region`/`zone`.
    pub fn node_labels(&self) -> BTreeMap<String, String> {
        let mut labels = self.labels.clone();
        if let Some(region) = self.labels.get("region") {
            labels.insert("topology.kubernetes.io/region".to_string(), region.clone());
        }
        if let Some(zone) = self.labels.get("zone") {
            labels.insert("topology.kubernetes.io/zone".to_string(), zone.clone());
        }
        labels
    }
}

/// First line of a YAML error, with its position.
fn yaml_error_line(e: &serde_saphyr::Error) -> String {
    let text = e.without_snippet().to_string();
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML")
        .to_string();
    match e.location() {
        Some(loc) if loc.line() > 0 && !first.contains("line") => format!(
            "invalid YAML at line {} column {}: {first}",
            loc.line(),
            loc.column()
        ),
        _ => format!("invalid YAML: {first}"),
    }
}

/// Walks the YAML (as JSON values) and builds the config, naming the path of each error.
struct Decoder {
    source: String,
}

type R<T> = Result<T, ConfigError>;

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl Decoder {
    fn err(&self, path: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            source_name: self.source.clone(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    fn map<'v>(&self, v: &'v Value, path: &str, allowed: &[&str]) -> R<&'v Map<String, Value>> {
        let Value::Object(map) = v else {
            return Err(self.err(path, format!("expected a mapping, found {}", type_name(v))));
        };
        for key in map.keys() {
            if !allowed.contains(&key.as_str()) {
                return Err(self.err(
                    &child(path, key),
                    format!("unknown field (expected one of: {})", allowed.join(", ")),
                ));
            }
        }
        Ok(map)
    }

    fn present<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
        map.get(key).filter(|v| !v.is_null())
    }

    fn string(&self, map: &Map<String, Value>, key: &str, path: &str) -> R<Option<String>> {
        let p = child(path, key);
        match Self::present(map, key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(v.to_string())),
            Some(v) => Err(self.err(&p, format!("expected a string, found {}", type_name(v)))),
        }
    }

    fn required_name(&self, map: &Map<String, Value>, key: &str, path: &str) -> R<String> {
        let p = child(path, key);
        let s = self
            .string(map, key, path)?
            .ok_or_else(|| self.err(&p, "required"))?;
        if !is_dns_label(&s, 253) {
            return Err(self.err(
                &p,
                format!(
                    "invalid name {s:?}: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit"
                ),
            ));
        }
        Ok(s)
    }

    fn unsigned(&self, map: &Map<String, Value>, key: &str, path: &str) -> R<Option<u32>> {
        let p = child(path, key);
        match Self::present(map, key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.err(&p, format!("expected a non-negative integer, found {n}"))),
            Some(Value::String(s)) => {
                s.trim().parse::<u32>().map(Some).map_err(|_| {
                    self.err(&p, format!("expected a non-negative integer, found {s:?}"))
                })
            }
            Some(v) => Err(self.err(
                &p,
                format!("expected a non-negative integer, found {}", type_name(v)),
            )),
        }
    }

    fn seconds(&self, map: &Map<String, Value>, key: &str, path: &str) -> R<Option<f64>> {
        let p = child(path, key);
        let n = match Self::present(map, key) {
            None => return Ok(None),
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        match n {
            Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
            _ => Err(self.err(&p, "expected a non-negative number of seconds")),
        }
    }

    fn string_map(
        &self,
        map: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> R<BTreeMap<String, String>> {
        let p = child(path, key);
        let Some(v) = Self::present(map, key) else {
            return Ok(BTreeMap::new());
        };
        let Value::Object(obj) = v else {
            return Err(self.err(&p, format!("expected a mapping, found {}", type_name(v))));
        };
        let mut out = BTreeMap::new();
        for (k, v) in obj {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Number(_) | Value::Bool(_) => v.to_string(),
                Value::Null => String::new(),
                _ => {
                    return Err(self.err(
                        &child(&p, k),
                        format!("expected a string, found {}", type_name(v)),
                    ))
                }
            };
            out.insert(k.clone(), s);
        }
        Ok(out)
    }

    fn resources(
        &self,
        map: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> R<BTreeMap<String, String>> {
        let out = self.string_map(map, key, path)?;
        let p = child(path, key);
        for (name, q) in &out {
            match parse_quantity(q) {
                Ok(milli) if milli >= 0 => {}
                Ok(_) => return Err(self.err(&child(&p, name), format!("negative quantity {q:?}"))),
                Err(_) => return Err(self.err(&child(&p, name), format!("invalid quantity {q:?}"))),
            }
        }
        Ok(out)
    }

    fn list<'v>(&self, map: &'v Map<String, Value>, key: &str, path: &str) -> R<&'v [Value]> {
        match Self::present(map, key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(v) => Err(self.err(
                &child(path, key),
                format!("expected a list, found {}", type_name(v)),
            )),
        }
    }

    fn config(&mut self, v: &Value) -> R<SimConfig> {
        if v.is_null() {
            return Err(self.err("", "empty document (expected kind SimulatedFleet)"));
        }
        let map = self.map(v, "", &["apiVersion", "kind", "clusters", "load"])?;
        match self.string(map, "apiVersion", "")? {
            Some(a) if a == API_VERSION => {}
            Some(a) => {
                return Err(self.err(
                    "apiVersion",
                    format!("unsupported apiVersion {a:?} (expected {API_VERSION})"),
                ))
            }
            None => return Err(self.err("apiVersion", format!("required ({API_VERSION})"))),
        }
        match self.string(map, "kind", "")? {
            Some(k) if k == KIND => {}
            Some(k) => return Err(self.err("kind", format!("expected {KIND}, found {k:?}"))),
            None => return Err(self.err("kind", format!("required ({KIND})"))),
        }
        let items = self.list(map, "clusters", "")?;
        if items.is_empty() {
            return Err(self.err("clusters", "at least one cluster is required"));
        }
        let mut clusters = Vec::new();
        let mut names = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("clusters[{i}]");
            let cluster = self.cluster(item, &path)?;
            if !names.insert(cluster.name.clone()) {
                return Err(self.err(
                    &format!("{path}.name"),
                    format!("duplicate cluster name {:?}", cluster.name),
                ));
            }
            clusters.push(cluster);
        }
        let mut load = Vec::new();
        let mut keys = BTreeSet::new();
        for (i, item) in self.list(map, "load", "")?.iter().enumerate() {
            let path = format!("load[{i}]");
            let d = self.demand(item, &path)?;
            if let Some(c) = &d.cluster {
                if !names.contains(c) {
                    return Err(self.err(
                        &format!("{path}.cluster"),
                        format!("{c:?} is not a cluster of this fleet"),
                    ));
                }
            }
            if !keys.insert((d.namespace.clone(), d.deployment.clone())) {
                return Err(self.err(
                    &format!("{path}.deployment"),
                    format!("duplicate load for {}/{}", d.namespace, d.deployment),
                ));
            }
            load.push(d);
        }
        Ok(SimConfig { clusters, load })
    }

    /// One `load[]` entry: `{deployment, namespace, cpu, memory, metrics}`.
    fn demand(&self, v: &Value, path: &str) -> R<crate::sim::load::Demand> {
        let map = self.map(
            v,
            path,
            &[
                "deployment",
                "namespace",
                "cpu",
                "memory",
                "metrics",
                "objects",
                "external",
                "cluster",
            ],
        )?;
        let deployment = self.required_name(map, "deployment", path)?;
        let namespace = self.namespace(map, path)?;
        let quantity = |key: &str, q: &str| -> R<i64> {
            match parse_quantity(q) {
                Ok(milli) if milli >= 0 => Ok(milli),
                Ok(_) => Err(self.err(&child(path, key), format!("negative quantity {q:?}"))),
                Err(_) => Err(self.err(&child(path, key), format!("invalid quantity {q:?}"))),
            }
        };
        let cpu_milli = match self.string(map, "cpu", path)? {
            Some(q) => quantity("cpu", &q)?,
            None => 0,
        };
        let memory_milli = match self.string(map, "memory", path)? {
            Some(q) => Some(quantity("memory", &q)?),
            None => None,
        };
        let values = |key: &str| -> R<BTreeMap<String, i64>> {
            let mut out = BTreeMap::new();
            let mp = child(path, key);
            for (name, q) in self.string_map(map, key, path)? {
                if name.is_empty() {
                    return Err(self.err(&mp, "empty metric name"));
                }
                if key == "objects"
                    && !name
                        .rsplit_once(':')
                        .is_some_and(|(o, m)| !m.is_empty() && o.split_once('/').is_some())
                {
                    return Err(self.err(
                        &child(&mp, &name),
                        "expected KIND/NAME:METRIC (e.g. ingress/main:requests_per_second)",
                    ));
                }
                match parse_quantity(&q) {
                    Ok(milli) if milli >= 0 => {
                        out.insert(name, milli);
                    }
                    _ => {
                        return Err(self.err(
                            &child(&mp, &name),
                            format!("invalid quantity {q:?} (a non-negative value)"),
                        ))
                    }
                }
            }
            Ok(out)
        };
        Ok(crate::sim::load::Demand {
            namespace,
            deployment,
            cpu_milli,
            memory_milli,
            metrics: values("metrics")?,
            objects: values("objects")?,
            external: values("external")?,
            cluster: self.string(map, "cluster", path)?,
        })
    }

    /// The `namespace` field (default `default`).
    fn namespace(&self, map: &Map<String, Value>, path: &str) -> R<String> {
        match self.string(map, "namespace", path)? {
            None => Ok("default".to_string()),
            Some(ns) if is_dns_label(&ns, 63) && !ns.contains('.') => Ok(ns),
            Some(ns) => Err(self.err(
                &child(path, "namespace"),
                format!("invalid namespace {ns:?}"),
            )),
        }
    }

    fn cluster(&self, v: &Value, path: &str) -> R<ClusterConfig> {
        let map = self.map(
            v,
            path,
            &[
                "name",
                "labels",
                "nodes",
                "nodePools",
                "priorityClasses",
                "workloads",
            ],
        )?;
        let name = self.required_name(map, "name", path)?;
        if !is_dns_label(&name, 63) || name.contains('.') {
            return Err(self.err(
                &child(path, "name"),
                format!("invalid cluster name {name:?}: use lowercase letters, digits and '-'"),
            ));
        }
        let labels = self.string_map(map, "labels", path)?;
        let mut node_names = BTreeSet::new();
        let mut nodes = Vec::new();
        for (i, item) in self.list(map, "nodes", path)?.iter().enumerate() {
            let p = format!("{path}.nodes[{i}]");
            let group = self.node_group(item, &p)?;
            for n in 1..=group.count {
                let node = format!("{}-{n}", group.prefix);
                if !node_names.insert(node.clone()) {
                    return Err(self.err(
                        &format!("{p}.prefix"),
                        format!("node name {node:?} is used twice in cluster {name:?}"),
                    ));
                }
            }
            nodes.push(group);
        }
        let mut pool_names = BTreeSet::new();
        let mut node_pools = Vec::new();
        for (i, item) in self.list(map, "nodePools", path)?.iter().enumerate() {
            let p = format!("{path}.nodePools[{i}]");
            let pool = self.node_pool(item, &p)?;
            if !pool_names.insert(pool.name.clone()) {
                return Err(self.err(
                    &format!("{p}.name"),
                    format!("duplicate node pool name {:?}", pool.name),
                ));
            }
            if let Some(clash) = node_names.iter().find(|n| {
                n.strip_prefix(&format!("{}-", pool.name))
                    .is_some_and(|rest| rest.parse::<u32>().is_ok())
            }) {
                return Err(self.err(
                    &format!("{p}.name"),
                    format!("pool nodes would clash with static node {clash:?}"),
                ));
            }
            node_pools.push(pool);
        }
        let mut pc_names = BTreeSet::new();
        let mut priority_classes = Vec::new();
        let mut defaults = 0;
        for (i, item) in self.list(map, "priorityClasses", path)?.iter().enumerate() {
            let p = format!("{path}.priorityClasses[{i}]");
            let pc = self.priority_class(item, &p)?;
            if !pc_names.insert(pc.name.clone()) {
                return Err(self.err(
                    &format!("{p}.name"),
                    format!("duplicate priority class {:?}", pc.name),
                ));
            }
            if pc.global_default {
                defaults += 1;
                if defaults > 1 {
                    return Err(self.err(
                        &format!("{p}.globalDefault"),
                        "only one priority class may be the global default",
                    ));
                }
            }
            priority_classes.push(pc);
        }
        let mut workload_names = BTreeSet::new();
        let mut workloads = Vec::new();
        for (i, item) in self.list(map, "workloads", path)?.iter().enumerate() {
            let p = format!("{path}.workloads[{i}]");
            let w = self.workload(item, &p)?;
            if let Some(pc) = &w.priority_class_name {
                if !pc_names.contains(pc)
                    && pc != "system-cluster-critical"
                    && pc != "system-node-critical"
                {
                    return Err(self.err(
                        &format!("{p}.priorityClassName"),
                        format!("priority class {pc:?} is not defined in this cluster"),
                    ));
                }
            }
            if !workload_names.insert((w.namespace.clone(), w.name.clone())) {
                return Err(self.err(
                    &format!("{p}.name"),
                    format!("duplicate workload {}/{}", w.namespace, w.name),
                ));
            }
            workloads.push(w);
        }
        Ok(ClusterConfig {
            name,
            labels,
            nodes,
            node_pools,
            priority_classes,
            workloads,
        })
    }

    fn taints(&self, map: &Map<String, Value>, path: &str) -> R<Vec<TaintConfig>> {
        let mut out = Vec::new();
        for (i, item) in self.list(map, "taints", path)?.iter().enumerate() {
            let p = format!("{path}.taints[{i}]");
            let t = self.map(item, &p, &["key", "value", "effect"])?;
            let key = self
                .string(t, "key", &p)?
                .filter(|k| !k.is_empty())
                .ok_or_else(|| self.err(&child(&p, "key"), "required"))?;
            let value = self.string(t, "value", &p)?.unwrap_or_default();
            let effect = self
                .string(t, "effect", &p)?
                .ok_or_else(|| self.err(&child(&p, "effect"), "required"))?;
            if !matches!(
                effect.as_str(),
                "NoSchedule" | "PreferNoSchedule" | "NoExecute"
            ) {
                return Err(self.err(
                    &child(&p, "effect"),
                    format!(
                        "invalid effect {effect:?} (expected NoSchedule, PreferNoSchedule or NoExecute)"
                    ),
                ));
            }
            out.push(TaintConfig { key, value, effect });
        }
        Ok(out)
    }

    fn node_group(&self, v: &Value, path: &str) -> R<NodeGroup> {
        let map = self.map(
            v,
            path,
            &["count", "prefix", "allocatable", "labels", "taints"],
        )?;
        let count = self
            .unsigned(map, "count", path)?
            .ok_or_else(|| self.err(&child(path, "count"), "required"))?;
        let prefix = self.required_name(map, "prefix", path)?;
        let allocatable = self.resources(map, "allocatable", path)?;
        if allocatable.is_empty() {
            return Err(self.err(
                &child(path, "allocatable"),
                "required (e.g. {cpu: \"8\", memory: 32Gi})",
            ));
        }
        Ok(NodeGroup {
            count,
            prefix,
            allocatable,
            labels: self.string_map(map, "labels", path)?,
            taints: self.taints(map, path)?,
        })
    }

    fn node_pool(&self, v: &Value, path: &str) -> R<NodePoolConfig> {
        let map = self.map(
            v,
            path,
            &[
                "name",
                "allocatable",
                "labels",
                "taints",
                "maxNodes",
                "inventory",
                "provisionSeconds",
                "scaleDownIdleSeconds",
            ],
        )?;
        let name = self.required_name(map, "name", path)?;
        let allocatable = self.resources(map, "allocatable", path)?;
        if allocatable.is_empty() {
            return Err(self.err(
                &child(path, "allocatable"),
                "required (the shape of one node)",
            ));
        }
        let max_nodes = self
            .unsigned(map, "maxNodes", path)?
            .ok_or_else(|| self.err(&child(path, "maxNodes"), "required"))?;
        let inventory = self.unsigned(map, "inventory", path)?.unwrap_or(max_nodes);
        Ok(NodePoolConfig {
            name,
            allocatable,
            labels: self.string_map(map, "labels", path)?,
            taints: self.taints(map, path)?,
            max_nodes,
            inventory,
            provision_seconds: self.seconds(map, "provisionSeconds", path)?.unwrap_or(30.0),
            scale_down_idle_seconds: self
                .seconds(map, "scaleDownIdleSeconds", path)?
                .unwrap_or(60.0),
        })
    }

    fn priority_class(&self, v: &Value, path: &str) -> R<PriorityClassConfig> {
        let map = self.map(
            v,
            path,
            &["name", "value", "globalDefault", "preemptionPolicy"],
        )?;
        let name = self.required_name(map, "name", path)?;
        let p = child(path, "value");
        let value = match Self::present(map, "value") {
            None => return Err(self.err(&p, "required")),
            Some(Value::Number(n)) => n
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .filter(|n| *n <= 1_000_000_000)
                .ok_or_else(|| {
                    self.err(&p, format!("expected an integer <= 1000000000, found {n}"))
                })?,
            Some(v) => {
                return Err(self.err(&p, format!("expected an integer, found {}", type_name(v))))
            }
        };
        let global_default = match Self::present(map, "globalDefault") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => {
                return Err(self.err(
                    &child(path, "globalDefault"),
                    format!("expected true or false, found {}", type_name(v)),
                ))
            }
        };
        let preemption_policy = self.string(map, "preemptionPolicy", path)?;
        if let Some(pp) = &preemption_policy {
            if pp != "PreemptLowerPriority" && pp != "Never" {
                return Err(self.err(
                    &child(path, "preemptionPolicy"),
                    format!("invalid value {pp:?} (expected PreemptLowerPriority or Never)"),
                ));
            }
        }
        Ok(PriorityClassConfig {
            name,
            value,
            global_default,
            preemption_policy,
        })
    }

    fn workload(&self, v: &Value, path: &str) -> R<WorkloadConfig> {
        let map = self.map(
            v,
            path,
            &[
                "name",
                "namespace",
                "replicas",
                "priorityClassName",
                "requests",
                "nodeSelector",
            ],
        )?;
        let name = self.required_name(map, "name", path)?;
        let namespace = self.namespace(map, path)?;
        Ok(WorkloadConfig {
            name,
            namespace,
            replicas: self.unsigned(map, "replicas", path)?.unwrap_or(1),
            priority_class_name: self.string(map, "priorityClassName", path)?,
            requests: self.resources(map, "requests", path)?,
            node_selector: self.string_map(map, "nodeSelector", path)?,
        })
    }
}

/// A Kubernetes DNS subdomain-ish name: lowercase alphanumerics, '-' and '.',
/// alphanumeric at both ends, at most `max` characters.
fn is_dns_label(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "apiVersion: fleet.kubectl.dev/v1alpha1
kind: SimulatedFleet
clusters:
- name: a
  nodes:
  - {count: 2, prefix: n, allocatable: {cpu: \"4\", memory: 8Gi}}
";

    fn err(yaml: &str) -> String {
        SimConfig::from_yaml(yaml, "simfleet.yaml")
            .expect_err("config should be rejected")
            .to_string()
    }

    #[test]
    fn minimal_config_parses_with_defaults() {
        let c = SimConfig::from_yaml(MINIMAL, "simfleet.yaml").unwrap();
        assert_eq!(c.clusters.len(), 1);
        let a = &c.clusters[0];
        assert_eq!(a.name, "a");
        assert_eq!(a.nodes[0].count, 2);
        assert_eq!(a.nodes[0].allocatable["memory"], "8Gi");
        assert!(a.node_pools.is_empty() && a.workloads.is_empty());
    }

    #[test]
    fn issue_example_parses() {
        let yaml = r#"apiVersion: fleet.kubectl.dev/v1alpha1
kind: SimulatedFleet
clusters:
- name: idc-beijing
  labels: {region: cn-beijing, provider: idc}
  nodes:
  - {count: 2, prefix: gpu-a10, allocatable: {cpu: "32", memory: 128Gi, nvidia.com/gpu: "4", pods: "110"}, labels: {}, taints: []}
  nodePools:
  - {name: gpu-elastic, allocatable: {cpu: "8", memory: 30Gi, nvidia.com/gpu: "1"}, labels: {}, taints: [], maxNodes: 10, inventory: 4, provisionSeconds: 30, scaleDownIdleSeconds: 60}
  priorityClasses: [{name: batch-low, value: 100}, {name: online-high, value: 100000}]
  workloads:
  - {name: batch-train, namespace: default, replicas: 4, priorityClassName: batch-low, requests: {nvidia.com/gpu: "1"}}
"#;
        let c = SimConfig::from_yaml(yaml, "x.yaml").unwrap();
        let b = &c.clusters[0];
        assert_eq!(b.node_pools[0].inventory, 4);
        assert_eq!(b.node_pools[0].max_nodes, 10);
        assert_eq!(b.node_pools[0].provision_seconds, 30.0);
        assert_eq!(b.priority_classes[1].value, 100000);
        assert_eq!(
            b.workloads[0].priority_class_name.as_deref(),
            Some("batch-low")
        );
        assert_eq!(
            b.node_labels()["topology.kubernetes.io/region"],
            "cn-beijing"
        );
        assert_eq!(b.node_labels()["provider"], "idc");
    }

    #[test]
    fn invalid_quantity_names_the_field() {
        let yaml = MINIMAL.replace("cpu: \"4\"", "cpu: x");
        assert_eq!(
            err(&yaml),
            "simfleet.yaml: clusters[0].nodes[0].allocatable.cpu: invalid quantity \"x\""
        );
    }

    #[test]
    fn duplicate_cluster_names_are_rejected() {
        let yaml = format!("{MINIMAL}- name: a\n");
        assert_eq!(
            err(&yaml),
            "simfleet.yaml: clusters[1].name: duplicate cluster name \"a\""
        );
    }

    #[test]
    fn unknown_fields_are_errors() {
        let yaml = MINIMAL.replace("prefix: n", "prefix: n, colour: red");
        let e = err(&yaml);
        assert!(
            e.starts_with("simfleet.yaml: clusters[0].nodes[0].colour: unknown field"),
            "{e}"
        );
        let e = err(&format!("{MINIMAL}extra: 1\n"));
        assert!(e.starts_with("simfleet.yaml: extra: unknown field"), "{e}");
    }

    #[test]
    fn wrong_kind_and_api_version_are_rejected() {
        let e = err(&MINIMAL.replace("SimulatedFleet", "Fleet"));
        assert_eq!(
            e,
            "simfleet.yaml: kind: expected SimulatedFleet, found \"Fleet\""
        );
        let e = err(&MINIMAL.replace("v1alpha1", "v2"));
        assert!(
            e.starts_with("simfleet.yaml: apiVersion: unsupported"),
            "{e}"
        );
    }

    #[test]
    fn wrong_types_name_the_field() {
        let e = err(&MINIMAL.replace("count: 2", "count: two"));
        assert_eq!(
            e,
            "simfleet.yaml: clusters[0].nodes[0].count: expected a non-negative integer, found \"two\""
        );
        let e = err(&MINIMAL.replace("count: 2", "count: -1"));
        assert!(
            e.starts_with("simfleet.yaml: clusters[0].nodes[0].count:"),
            "{e}"
        );
    }

    #[test]
    fn bad_taint_effect_and_missing_fields_are_rejected() {
        let yaml = MINIMAL.replace(
            "memory: 8Gi}",
            "memory: 8Gi}, taints: [{key: gpu, effect: Sometimes}]",
        );
        assert!(err(&yaml)
            .starts_with("simfleet.yaml: clusters[0].nodes[0].taints[0].effect: invalid effect"));
        let yaml = format!("{MINIMAL}  nodePools:\n  - {{name: p, allocatable: {{cpu: \"1\"}}}}\n");
        assert_eq!(
            err(&yaml),
            "simfleet.yaml: clusters[0].nodePools[0].maxNodes: required"
        );
    }

    #[test]
    fn load_entries_parse_to_fleet_wide_demands() {
        let yaml = format!(
            "{MINIMAL}load:\n- {{deployment: web, cpu: \"3\", memory: 2Gi, metrics: {{qps: \"900\"}}}}\n- {{deployment: api, namespace: shop, cpu: 500m, objects: {{\"ingress/main:rps\": \"40\"}}, external: {{queue: \"7\"}}, cluster: a}}\n"
        );
        let c = SimConfig::from_yaml(&yaml, "simfleet.yaml").unwrap();
        assert_eq!(c.load.len(), 2);
        let web = &c.load[0];
        assert_eq!(
            (web.namespace.as_str(), web.deployment.as_str()),
            ("default", "web")
        );
        assert_eq!(web.cpu_milli, 3000);
        assert_eq!(web.memory_milli, Some(2 * 1024 * 1024 * 1024 * 1000));
        assert_eq!(web.metrics.get("qps"), Some(&900_000));
        let api = &c.load[1];
        assert_eq!(
            (api.namespace.as_str(), api.cpu_milli, api.memory_milli),
            ("shop", 500, None)
        );
        assert_eq!(api.objects.get("ingress/main:rps"), Some(&40_000));
        assert_eq!(api.external.get("queue"), Some(&7_000));
        assert_eq!(api.cluster.as_deref(), Some("a"));
        assert_eq!(web.cluster, None);
        assert!(SimConfig::from_yaml(MINIMAL, "simfleet.yaml")
            .unwrap()
            .load
            .is_empty());
    }

    #[test]
    fn bad_load_entries_name_the_field() {
        let e = |tail: &str| err(&format!("{MINIMAL}load:\n{tail}"));
        assert_eq!(
            e("- {cpu: \"1\"}\n"),
            "simfleet.yaml: load[0].deployment: required"
        );
        assert_eq!(
            e("- {deployment: web, cpu: lots}\n"),
            "simfleet.yaml: load[0].cpu: invalid quantity \"lots\""
        );
        assert_eq!(
            e("- {deployment: web, memory: \"-1Gi\"}\n"),
            "simfleet.yaml: load[0].memory: negative quantity \"-1Gi\""
        );
        assert_eq!(
            e("- {deployment: web, metrics: {qps: x}}\n"),
            "simfleet.yaml: load[0].metrics.qps: invalid quantity \"x\" (a non-negative value)"
        );
        assert_eq!(
            e("- {deployment: web}\n- {deployment: web, namespace: default}\n"),
            "simfleet.yaml: load[1].deployment: duplicate load for default/web"
        );
        assert_eq!(
            e("- {deployment: web, external: {queue: \"5\"}, cluster: b}\n"),
            "simfleet.yaml: load[0].cluster: \"b\" is not a cluster of this fleet"
        );
        assert_eq!(
            e("- {deployment: web, objects: {main: \"5\"}}\n"),
            "simfleet.yaml: load[0].objects.main: expected KIND/NAME:METRIC (e.g. ingress/main:requests_per_second)"
        );
        assert!(e("- {deployment: web, rps: 3}\n")
            .starts_with("simfleet.yaml: load[0].rps: unknown field"));
        assert_eq!(
            e("  deployment: web\n"),
            "simfleet.yaml: load: expected a list, found a mapping"
        );
    }

    #[test]
    fn workload_priority_class_must_exist() {
        let yaml = format!(
            "{MINIMAL}  workloads:\n  - {{name: w, replicas: 1, priorityClassName: nope}}\n"
        );
        assert_eq!(
            err(&yaml),
            "simfleet.yaml: clusters[0].workloads[0].priorityClassName: priority class \"nope\" is not defined in this cluster"
        );
    }

    #[test]
    fn yaml_syntax_errors_are_one_line() {
        let e = err("clusters: [\n  - {name: a\n");
        assert!(e.starts_with("simfleet.yaml: invalid YAML"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        assert_eq!(
            err(""),
            "simfleet.yaml: empty document (expected kind SimulatedFleet)"
        );
    }

    #[test]
    fn builtin_fleet_has_three_members_with_gpu_story() {
        let c = SimConfig::builtin();
        let names: Vec<_> = c.clusters.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["idc-beijing", "ack-hangzhou", "ack-shanghai"]);
        assert!(c
            .cluster("ack-shanghai")
            .unwrap()
            .nodes
            .iter()
            .all(|g| !g.allocatable.contains_key("nvidia.com/gpu")));
        assert_eq!(
            c.cluster("ack-shanghai").unwrap().node_pools[0].inventory,
            8
        );
    }

    #[test]
    fn example_file_equals_builtin() {
        let text = include_str!("../../docs/examples/simfleet.yaml");
        let parsed = SimConfig::from_yaml(text, "docs/examples/simfleet.yaml").unwrap();
        assert_eq!(parsed, SimConfig::builtin());
    }
}
