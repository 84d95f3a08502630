//! The three-tier capacity estimate of one member cluster for one pod template:
//! **idle** (fits now), **preemptible** (fits after evicting strictly lower-priority pods),
//! **elastic** (fits on nodes the cluster's node pools can still add, in the room the
//! DaemonSets matching a pool's nodes leave on each), each with a short
//! aggregated reason when it is 0. Node by node, never by summing the cluster.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use super::eligibility::{daemonset_overhead, fit_count, node_eligible, Ineligible};
use super::quantity::format_quantity;
use super::requirements::{PodRequirements, PreemptionPolicy};
use super::snapshot::{ClusterSnapshot, PodSnapshot};

/// Which existing pods belong to the workload being estimated (they count as free room, so
/// re-planning an applied workload is stable).
#[derive(Clone, Default)]
pub enum OwnPods {
    /// No pod is the workload's own.
    #[default]
    None,
    /// Pods in `namespace` carrying every label of `labels` (the Deployment's selector).
    Labels {
        namespace: String,
        labels: BTreeMap<String, String>,
    },
    /// Any rule, e.g. by owner reference.
    Predicate(Arc<dyn Fn(&PodSnapshot) -> bool + Send + Sync>),
}

impl OwnPods {
    /// Whether `pod` is one of the workload's own pods.
    pub fn matches(&self, pod: &PodSnapshot) -> bool {
        match self {
            OwnPods::None => false,
            OwnPods::Labels { namespace, labels } => {
                pod.namespace == *namespace
                    && labels.iter().all(|(k, v)| pod.labels.get(k) == Some(v))
            }
            OwnPods::Predicate(f) => f(pod),
        }
    }
}

impl fmt::Debug for OwnPods {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OwnPods::None => f.write_str("None"),
            OwnPods::Labels { namespace, labels } => f
                .debug_struct("Labels")
                .field("namespace", namespace)
                .field("labels", labels)
                .finish(),
            OwnPods::Predicate(_) => f.write_str("Predicate(..)"),
        }
    }
}

/// How to estimate: which pods are the workload's own, its priority, and which tiers apply.
#[derive(Debug, Clone)]
pub struct EstimateOptions {
    pub own_pods: OwnPods,
    /// The workload's priority when already resolved; `None` = resolve it from the
    /// template's priorityClassName through the cluster's PriorityClasses (see
    /// [`resolve_priority`]).
    pub priority: Option<i32>,
    /// Compute the preemptible tier (policy `preemption` / priority enabled). Default true.
    pub preemption: bool,
    /// Compute the elastic tier (e.g. ACK `autoScaling.ecsProvision`). Default true.
    pub elastic: bool,
}

impl Default for EstimateOptions {
    fn default() -> Self {
        EstimateOptions {
            own_pods: OwnPods::None,
            priority: None,
            preemption: true,
            elastic: true,
        }
    }
}

impl EstimateOptions {
    /// Options whose own pods are those in `namespace` matching the selector `labels`.
    pub fn own_labels(namespace: impl Into<String>, labels: BTreeMap<String, String>) -> Self {
        EstimateOptions {
            own_pods: OwnPods::Labels {
                namespace: namespace.into(),
                labels,
            },
            ..Default::default()
        }
    }
}

/// Replicas one member cluster can take, per tier; each reason is set when its count is 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Estimate {
    pub idle: u32,
    pub preemptible: u32,
    pub elastic: u32,
    /// e.g. `0 idle: 4 nodes lack nvidia.com/gpu (need 1, max free 0); 2 nodes: untolerated taint gpu=true:NoSchedule`
    pub idle_reason: Option<String>,
    /// e.g. `0 preemptible: preemptionPolicy Never`
    pub preemptible_reason: Option<String>,
    /// e.g. `0 elastic: pool gpu-elastic: inventory 0`
    pub elastic_reason: Option<String>,
}

impl Estimate {
    /// idle + preemptible + elastic (saturating).
    pub fn total(&self) -> u32 {
        self.idle
            .saturating_add(self.preemptible)
            .saturating_add(self.elastic)
    }
}

/// The workload's priority and preemption policy in one cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPriority {
    pub value: i32,
    pub preemption_policy: PreemptionPolicy,
    /// Set when the template names a PriorityClass the cluster does not have.
    pub missing_class: Option<String>,
}

/// Resolves the workload's priority like the Priority admission plugin: the value of its
/// priorityClassName in this cluster, else `spec.priority`, else the globalDefault class,
/// else 0. The preemption policy is the template's, else its class's, else
/// PreemptLowerPriority. A class the cluster lacks resolves to 0 and is reported.
pub fn resolve_priority(req: &PodRequirements, cluster: &ClusterSnapshot) -> ResolvedPriority {
    let (class, missing_class) = match &req.priority_class_name {
        Some(name) => match cluster.priority_class(name) {
            Some(c) => (Some(c), None),
            None => (None, Some(name.clone())),
        },
        None if req.priority.is_none() => (cluster.global_default_class(), None),
        None => (None, None),
    };
    let value = match (class, req.priority) {
        (Some(c), _) => c.value,
        (None, Some(p)) if missing_class.is_none() => p,
        _ => 0,
    };
    let preemption_policy = req
        .preemption_policy
        .or(class.and_then(|c| c.preemption_policy))
        .unwrap_or_default();
    ResolvedPriority {
        value,
        preemption_policy,
        missing_class,
    }
}

/// Most causes listed in one reason before `+N more`.
const MAX_CAUSES: usize = 4;

/// Estimates how many replicas of `req` the cluster can take (see the module docs and
/// `docs/capacity.md`). Runs in O(nodes + pods) with no per-pod allocation.
pub fn estimate(
    req: &PodRequirements,
    cluster: &ClusterSnapshot,
    opts: &EstimateOptions,
) -> Estimate {
    let resolved = resolve_priority(req, cluster);
    let priority = opts.priority.unwrap_or(resolved.value);

    // The resources that limit the fit: positive requests (the pod count is separate).
    let names: Vec<&str> = req
        .requests
        .iter()
        .filter(|(n, v)| *v > 0 && *n != "pods")
        .map(|(n, _)| n)
        .collect();
    let need: Vec<i64> = names.iter().map(|n| req.requests.get(n)).collect();
    let k = names.len();

    // Eligible nodes get a dense index; ineligible ones are only counted by cause.
    let mut ineligible: BTreeMap<Ineligible, u32> = BTreeMap::new();
    let mut index: HashMap<&str, usize, BuildHasherDefault<FastHasher>> =
        HashMap::with_capacity_and_hasher(cluster.nodes.len(), Default::default());
    let mut eligible = Vec::with_capacity(cluster.nodes.len());
    for node in &cluster.nodes {
        match node_eligible(req, node) {
            Ok(()) => {
                index.insert(node.name.as_str(), eligible.len());
                eligible.push(node);
            }
            Err(cause) => *ineligible.entry(cause).or_default() += 1,
        }
    }
    let n = eligible.len();
    // Per eligible node: free room (allocatable − requests of non-terminal, non-own pods)
    // and the room held by strictly lower-priority pods (possible victims).
    let mut free = vec![0i64; n * k];
    let mut free_pods = vec![0i64; n];
    let mut victim_room = vec![0i64; n * k];
    let mut victim_pods = vec![0i64; n];
    for (i, node) in eligible.iter().enumerate() {
        for (j, name) in names.iter().enumerate() {
            free[i * k + j] = node.allocatable.get(name);
        }
        free_pods[i] = node.max_pods();
    }
    for pod in &cluster.pods {
        if pod.phase.is_terminal() {
            continue;
        }
        let Some(node_name) = pod.node_name.as_deref() else {
            continue;
        };
        let Some(&i) = index.get(node_name) else {
            continue;
        };
        if opts.own_pods.matches(pod) {
            continue;
        }
        let lower = pod.priority < priority;
        let row = i * k;
        // Walk the pod's few requests once; compare lengths before bytes (no map lookups).
        for (key, &v) in &pod.requests.0 {
            if v == 0 {
                continue;
            }
            let Some(j) = names
                .iter()
                .position(|n| n.len() == key.len() && *n == key.as_str())
            else {
                continue;
            };
            free[row + j] = free[row + j].saturating_sub(v);
            if lower {
                victim_room[row + j] = victim_room[row + j].saturating_add(v);
            }
        }
        free_pods[i] -= 1;
        if lower {
            victim_pods[i] += 1;
        }
    }

    let may_preempt = opts.preemption && resolved.preemption_policy != PreemptionPolicy::Never;
    let mut idle: u64 = 0;
    let mut preemptible: u64 = 0;
    let mut lack = vec![(0u32, 0i64); k]; // (nodes lacking, max free among them)
    let mut pods_full = 0u32;
    let mut nodes_with_victims = 0u32;
    let mut victims_total = 0i64;
    let mut room = vec![0i64; k];
    for i in 0..n {
        let row = &free[i * k..(i + 1) * k];
        let fit = fit_rows(row, &need, free_pods[i]);
        idle += u64::from(fit);
        if fit == 0 {
            for j in 0..k {
                if row[j] < need[j] {
                    lack[j].0 += 1;
                    lack[j].1 = lack[j].1.max(row[j].max(0));
                }
            }
            if free_pods[i] <= 0 {
                pods_full += 1;
            }
        }
        if may_preempt && victim_pods[i] > 0 {
            nodes_with_victims += 1;
            victims_total += victim_pods[i];
            for j in 0..k {
                room[j] = row[j].saturating_add(victim_room[i * k + j]);
            }
            let with_victims = fit_rows(&room, &need, free_pods[i] + victim_pods[i]);
            preemptible += u64::from(with_victims.saturating_sub(fit));
        }
    }
    let idle = clamp_u32(idle);
    let preemptible = if may_preempt {
        clamp_u32(preemptible)
    } else {
        0
    };

    let idle_reason = (idle == 0).then(|| {
        let mut causes: Vec<(u32, String)> = Vec::new();
        for (j, (count, max_free)) in lack.iter().enumerate() {
            if *count > 0 {
                causes.push((
                    *count,
                    format!(
                        "{} {} {} (need {}, max free {})",
                        nodes(*count),
                        if *count == 1 { "lacks" } else { "lack" },
                        names[j],
                        format_quantity(names[j], need[j]),
                        format_quantity(names[j], *max_free)
                    ),
                ));
            }
        }
        if pods_full > 0 {
            causes.push((pods_full, format!("{} full (pod limit)", nodes(pods_full))));
        }
        for (cause, count) in &ineligible {
            causes.push((*count, format!("{}: {cause}", nodes(*count))));
        }
        if cluster.nodes.is_empty() || causes.is_empty() {
            "0 idle: no nodes".to_string()
        } else {
            format!("0 idle: {}", join_causes(causes))
        }
    });

    let preemptible_reason = (preemptible == 0).then(|| {
        let why = if !opts.preemption {
            "preemption not enabled for this workload".to_string()
        } else if resolved.preemption_policy == PreemptionPolicy::Never {
            "preemptionPolicy Never".to_string()
        } else if n == 0 {
            "no eligible nodes".to_string()
        } else if nodes_with_victims == 0 {
            format!("no pods below priority {priority} on eligible nodes")
        } else {
            format!(
                "evicting {victims_total} pods below priority {priority} on {} frees no room for another replica",
                nodes(nodes_with_victims)
            )
        };
        match &resolved.missing_class {
            Some(class) if opts.priority.is_none() => {
                format!("0 preemptible: {why} (priorityClass {class} not found, priority 0)")
            }
            _ => format!("0 preemptible: {why}"),
        }
    });

    let (elastic, elastic_reason) = estimate_elastic(req, cluster, opts);
    Estimate {
        idle,
        preemptible,
        elastic,
        idle_reason,
        preemptible_reason,
        elastic_reason,
    }
}

fn estimate_elastic(
    req: &PodRequirements,
    cluster: &ClusterSnapshot,
    opts: &EstimateOptions,
) -> (u32, Option<String>) {
    if !opts.elastic {
        return (
            0,
            Some("0 elastic: elastic provisioning not enabled".into()),
        );
    }
    if cluster.pools.is_empty() {
        return (0, Some("0 elastic: no node pools".into()));
    }
    let mut total: u64 = 0;
    let mut causes: Vec<(u32, String)> = Vec::new();
    for pool in &cluster.pools {
        let shape = pool.node_shape();
        if let Err(cause) = node_eligible(req, &shape) {
            causes.push((1, format!("pool {}: {cause}", pool.name)));
            continue;
        }
        // A new node runs the matching DaemonSets' pods first: the rest is the room.
        let (overhead, daemon_pods) =
            daemonset_overhead(&shape, cluster.daemonsets.iter().map(|d| &d.pod));
        let mut room = pool.allocatable.clone();
        room.sub(&overhead);
        let per_node = fit_count(&room, &req.requests, shape.max_pods() - daemon_pods);
        if per_node == 0 {
            let lacking = req
                .requests
                .iter()
                .find(|(n, v)| *v > 0 && *n != "pods" && room.get(n) < *v);
            let why = match lacking {
                Some((name, need)) if overhead.get(name) > 0 => format!(
                    "node lacks {name} (need {}, has {} of {} after DaemonSets)",
                    format_quantity(name, need),
                    format_quantity(name, room.get(name).max(0)),
                    format_quantity(name, pool.allocatable.get(name))
                ),
                Some((name, need)) => format!(
                    "node lacks {name} (need {}, has {})",
                    format_quantity(name, need),
                    format_quantity(name, pool.allocatable.get(name))
                ),
                None if daemon_pods > 0 => "node takes no more pods after DaemonSets".to_string(),
                None => "node takes no pods".to_string(),
            };
            causes.push((1, format!("pool {}: {why}", pool.name)));
            continue;
        }
        let addable = pool.addable_nodes();
        if addable == 0 {
            let why = if pool.inventory == 0 {
                "inventory 0".to_string()
            } else {
                format!("at maxNodes ({}/{})", pool.current_nodes, pool.max_nodes)
            };
            causes.push((1, format!("pool {}: {why}", pool.name)));
            continue;
        }
        total += u64::from(addable) * u64::from(per_node);
    }
    let elastic = clamp_u32(total);
    let reason = (elastic == 0).then(|| format!("0 elastic: {}", join_causes(causes)));
    (elastic, reason)
}

/// `fit_count` over pre-resolved rows: min over j of free[j] / need[j], and free_pods.
fn fit_rows(free: &[i64], need: &[i64], free_pods: i64) -> u32 {
    let mut n = free_pods.max(0);
    for (f, r) in free.iter().zip(need) {
        n = n.min((*f).max(0) / r);
        if n == 0 {
            return 0;
        }
    }
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A small non-cryptographic hasher (FNV-style, 8 bytes at a time, fmix64 finish) for node-name lookups in
/// the per-pod loop; node names are not attacker-chosen keys here.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // murmur3 fmix64: FNV leaves the low bits (the bucket index) poorly mixed.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    fn write(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w))
                .wrapping_mul(PRIME)
                .rotate_left(29);
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(PRIME);
        }
        self.0 = h;
    }
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn nodes(count: u32) -> String {
    if count == 1 {
        "1 node".to_string()
    } else {
        format!("{count} nodes")
    }
}

/// Largest causes first (stable for equal counts), at most [`MAX_CAUSES`], then `+N more`.
fn join_causes(mut causes: Vec<(u32, String)>) -> String {
    causes.sort_by_key(|c| std::cmp::Reverse(c.0));
    let extra = causes.len().saturating_sub(MAX_CAUSES);
    let mut out = causes
        .into_iter()
        .take(MAX_CAUSES)
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join("; ");
    if extra > 0 {
        out.push_str(&format!("; +{extra} more"));
    }
    out
}
