//! The simulated kube-scheduler: binds Pending pods to nodes.
//!
//! Per-node fit is exactly the estimator's: [`node_eligible`] (Ready, not cordoned, taints,
//! nodeSelector, required node affinity) and [`fit_count`] on the node's free room
//! (allocatable minus the requests of its non-terminal pods, and its free `pods` count), with
//! requests from [`PodRequirements::from_pod_spec`]. Pods go in priority order (then oldest
//! first); among the nodes with room the one with the most room for this pod wins (spread,
//! like the default LeastAllocated scoring), ties by node name.
//!
//! A pod that fits nowhere may preempt: on ONE node, pods of strictly lower priority are
//! evicted (deleted) when that makes it fit, unless its preemptionPolicy is `Never`. Victims
//! are chosen like kube-scheduler: start from all lower-priority pods, reprieve the most
//! important ones that can stay, pick the node whose victims have the lowest highest priority,
//! then the fewest victims (victim choice: `capacity::preemption_victims`, the same rule the
//! estimator's preemptible tier uses). Otherwise the pod stays Pending with condition
//! `PodScheduled=False`, reason `Unschedulable`, and a kube-scheduler-style message.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, PodSpec};
use serde_json::{json, Value};

use super::util::{
    is_deleting, name, namespace, node_name, pod_terminal, set_condition, str_at, uid,
    PriorityClasses, Recorder,
};
use crate::capacity::{
    fit_count, node_eligible, preemption_victims, Ineligible, NodeSnapshot, PodRequirements,
    PreemptionPolicy, Resources, VictimCandidate,
};
use crate::sim::store::{Kind, Store};

/// What the scheduler needs from a pod, computed once per pod (specs do not change).
#[derive(Debug)]
pub struct PodInfo {
    /// `Err` holds why the spec cannot be scheduled (bad quantity, ...).
    pub reqs: Result<PodRequirements, String>,
    pub priority: i32,
    pub preempt: bool,
}

/// Per-pod cache keyed by uid; entries of deleted pods are dropped every pass.
#[derive(Debug, Default)]
pub struct PodCache {
    map: HashMap<String, Arc<PodInfo>>,
}

impl PodCache {
    pub fn info(&mut self, pod: &Value, classes: &PriorityClasses) -> Arc<PodInfo> {
        let key = uid(pod);
        if let Some(i) = self.map.get(key) {
            return i.clone();
        }
        let info = Arc::new(pod_info(pod, classes));
        self.map.insert(key.to_string(), info.clone());
        info
    }

    /// Keeps only the entries of these uids.
    pub fn retain(&mut self, live: &HashSet<&str>) {
        self.map.retain(|k, _| live.contains(k.as_str()));
    }
}

fn pod_info(pod: &Value, classes: &PriorityClasses) -> PodInfo {
    let spec = &pod["spec"];
    let priority = super::util::resolve_priority(spec, classes);
    let reqs = serde_json::from_value::<PodSpec>(spec.clone())
        .map_err(|e| format!("invalid pod spec: {e}"))
        .and_then(|s| PodRequirements::from_pod_spec(&s).map_err(|e| e.to_string()));
    let preempt = match reqs.as_ref().ok().and_then(|r| r.preemption_policy) {
        Some(p) => p != PreemptionPolicy::Never,
        None => classes.policy_of(spec["priorityClassName"].as_str()) != Some("Never"),
    };
    PodInfo {
        reqs,
        priority,
        preempt,
    }
}

/// A pod bound to a node, as the scheduler accounts for it.
#[derive(Debug, Clone)]
struct Bound {
    namespace: String,
    name: String,
    priority: i32,
    requests: Resources,
}

/// One node with its free room.
#[derive(Debug)]
pub struct NodeState {
    pub snap: NodeSnapshot,
    pub free: Resources,
    pub free_pods: i64,
    pods: Vec<Bound>,
}

/// Converts a stored Node to the estimator's snapshot.
pub fn node_snapshot(node: &Value) -> Option<NodeSnapshot> {
    let typed: Node = serde_json::from_value(node.clone()).ok()?;
    NodeSnapshot::from_node(&typed).ok()
}

/// Nodes with their free room, from the store's nodes and pods (sorted by node name).
pub fn node_states(
    snaps: Vec<NodeSnapshot>,
    pods: &[Value],
    cache: &mut PodCache,
    classes: &PriorityClasses,
) -> Vec<NodeState> {
    let mut states: Vec<NodeState> = snaps
        .into_iter()
        .map(|snap| NodeState {
            free: snap.allocatable.clone(),
            free_pods: snap.max_pods(),
            snap,
            pods: Vec::new(),
        })
        .collect();
    states.sort_by(|a, b| a.snap.name.cmp(&b.snap.name));
    let index: HashMap<String, usize> = states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.snap.name.clone(), i))
        .collect();
    for pod in pods {
        if pod_terminal(pod) {
            continue;
        }
        let Some(&i) = index.get(node_name(pod)) else {
            continue;
        };
        let info = cache.info(pod, classes);
        let requests = info
            .reqs
            .as_ref()
            .map(|r| r.requests.clone())
            .unwrap_or_default();
        let st = &mut states[i];
        st.free.sub(&requests);
        st.free_pods -= 1;
        st.pods.push(Bound {
            namespace: namespace(pod).to_string(),
            name: name(pod).to_string(),
            priority: info.priority,
            requests,
        });
    }
    states
}

fn ineligible_reason(why: &Ineligible) -> String {
    match why {
        Ineligible::NotReady => "node(s) were not ready".to_string(),
        Ineligible::Cordoned => "node(s) were unschedulable".to_string(),
        Ineligible::UntoleratedTaint(t) => {
            format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value)
        }
        Ineligible::NodeSelectorMismatch(_) | Ineligible::AffinityMismatch => {
            "node(s) didn't match Pod's node affinity/selector".to_string()
        }
    }
}

/// Why a node has no room: `Insufficient <resource>` for each short resource, `Too many pods`.
fn room_reasons(st: &NodeState, request: &Resources) -> Vec<String> {
    let mut out = Vec::new();
    if st.free_pods < 1 {
        out.push("Too many pods".to_string());
    }
    for (res, need) in request.iter() {
        if need > 0 && res != "pods" && st.free.get(res) < need {
            out.push(format!("Insufficient {res}"));
        }
    }
    out
}

fn summarize(total: usize, reasons: &BTreeMap<String, usize>) -> String {
    let mut parts: Vec<String> = reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
    parts.sort();
    if parts.is_empty() {
        format!("0/{total} nodes are available.")
    } else {
        format!("0/{total} nodes are available: {}.", parts.join(", "))
    }
}

/// Node snapshots by name, reused while the node's resourceVersion does not change.
#[derive(Debug, Default)]
pub struct NodeCache {
    map: HashMap<String, (String, NodeSnapshot)>,
}

impl NodeCache {
    fn snapshots(&mut self, nodes: &[Value]) -> Vec<NodeSnapshot> {
        let mut out = Vec::with_capacity(nodes.len());
        let mut live = HashSet::new();
        for n in nodes {
            let nm = name(n);
            let rv = str_at(n, "/metadata/resourceVersion");
            live.insert(nm.to_string());
            match self.map.get(nm) {
                Some((cached_rv, snap)) if cached_rv == rv => out.push(snap.clone()),
                _ => {
                    if let Some(snap) = node_snapshot(n) {
                        self.map
                            .insert(nm.to_string(), (rv.to_string(), snap.clone()));
                        out.push(snap);
                    }
                }
            }
        }
        self.map.retain(|k, _| live.contains(k));
        out
    }
}

/// Nodes one group of identical pods (one owner) may use, with a max-heap of their room.
struct Group {
    eligible: Vec<usize>,
    ineligible: BTreeMap<String, usize>,
    /// (replicas that fit, node index); entries may be stale and are re-checked when popped.
    heap: BinaryHeap<(u32, Reverse<usize>)>,
    /// Set when a pod of the group could neither fit nor preempt in this pass.
    failed: Option<String>,
}

impl Group {
    fn new(states: &[NodeState], reqs: &PodRequirements) -> Group {
        let mut g = Group {
            eligible: Vec::new(),
            ineligible: BTreeMap::new(),
            heap: BinaryHeap::new(),
            failed: None,
        };
        for (i, st) in states.iter().enumerate() {
            if let Err(why) = node_eligible(reqs, &st.snap) {
                *g.ineligible.entry(ineligible_reason(&why)).or_default() += 1;
                continue;
            }
            g.eligible.push(i);
            let n = fit_count(&st.free, &reqs.requests, st.free_pods);
            if n > 0 {
                g.heap.push((n, Reverse(i)));
            }
        }
        g
    }
}

/// One pass of the scheduler over every unbound pod of `pods` (the pass's pod list).
pub fn schedule(
    store: &Store,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    cache: &mut PodCache,
    node_cache: &mut NodeCache,
    pods: &[Value],
) {
    let pending: Vec<&Value> = pods
        .iter()
        .filter(|p| {
            node_name(p).is_empty()
                && !pod_terminal(p)
                && !is_deleting(p)
                && matches!(str_at(p, "/spec/schedulerName"), "" | "default-scheduler")
        })
        .collect();
    if pending.is_empty() {
        return;
    }
    let nodes = store.list(Kind::Node, None);
    let snaps = node_cache.snapshots(&nodes);
    let mut states = node_states(snaps, pods, cache, classes);
    let mut queue: Vec<(Arc<PodInfo>, &Value)> = pending
        .into_iter()
        .map(|p| (cache.info(p, classes), p))
        .collect();
    queue.sort_by_key(|(info, p)| {
        (
            Reverse(info.priority),
            str_at(p, "/metadata/creationTimestamp").to_string(),
            namespace(p).to_string(),
            name(p).to_string(),
        )
    });
    // Pods of one owner share a template, hence their eligible nodes.
    let mut groups: HashMap<String, Group> = HashMap::new();
    for (info, pod) in queue {
        let reqs = match &info.reqs {
            Ok(r) => r,
            Err(e) => {
                mark_unschedulable(store, rec, pod, e);
                continue;
            }
        };
        let key = owner_key(pod).unwrap_or_else(|| uid(pod).to_string());
        let group = groups
            .entry(key)
            .or_insert_with(|| Group::new(&states, reqs));
        if let Some(msg) = &group.failed {
            mark_unschedulable(store, rec, pod, msg);
            continue;
        }
        if let Err(msg) = try_schedule(store, rec, &mut states, group, pod, &info, reqs) {
            group.failed = Some(msg.clone());
            mark_unschedulable(store, rec, pod, &msg);
        }
    }
}

fn owner_key(pod: &Value) -> Option<String> {
    pod.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .and_then(|r| r.first())
        .and_then(|r| r["uid"].as_str())
        .map(str::to_string)
}

/// Binds the pod (possibly after preempting), or returns the Unschedulable message.
fn try_schedule(
    store: &Store,
    rec: &mut Recorder,
    states: &mut [NodeState],
    group: &mut Group,
    pod: &Value,
    info: &PodInfo,
    reqs: &PodRequirements,
) -> Result<(), String> {
    while let Some((n, Reverse(i))) = group.heap.pop() {
        let st = &states[i];
        let f = fit_count(&st.free, &reqs.requests, st.free_pods);
        if f == 0 {
            continue;
        }
        if f != n {
            group.heap.push((f, Reverse(i)));
            continue;
        }
        bind(store, rec, &mut states[i], pod, info, reqs);
        let st = &states[i];
        let f = fit_count(&st.free, &reqs.requests, st.free_pods);
        if f > 0 {
            group.heap.push((f, Reverse(i)));
        }
        return Ok(());
    }
    let mut reasons = group.ineligible.clone();
    for &i in &group.eligible {
        for r in room_reasons(&states[i], &reqs.requests) {
            *reasons.entry(r).or_default() += 1;
        }
    }
    let mut msg = summarize(states.len(), &reasons);
    if info.preempt {
        if let Some((i, victims)) = find_victims(states, &group.eligible, info.priority, reqs) {
            preempt(store, rec, &mut states[i], pod, &victims);
            bind(store, rec, &mut states[i], pod, info, reqs);
            let st = &states[i];
            let f = fit_count(&st.free, &reqs.requests, st.free_pods);
            if f > 0 {
                group.heap.push((f, Reverse(i)));
            }
            return Ok(());
        }
        let eligible = group.eligible.len();
        let not_helpful = states.len() - eligible;
        let mut p = BTreeMap::new();
        if eligible > 0 {
            p.insert(
                "No preemption victims found for incoming pod".to_string(),
                eligible,
            );
        }
        if not_helpful > 0 {
            p.insert(
                "Preemption is not helpful for scheduling".to_string(),
                not_helpful,
            );
        }
        msg = format!("{msg} preemption: {}", summarize(states.len(), &p));
    }
    Err(msg)
}

/// The node where evicting strictly-lower-priority pods makes the pod fit, and the victims
/// (indexes into that node's pods).
fn find_victims(
    states: &[NodeState],
    eligible: &[usize],
    priority: i32,
    reqs: &PodRequirements,
) -> Option<(usize, Vec<usize>)> {
    type Score = (i32, i64, usize, String);
    let mut best: Option<(Score, usize, Vec<usize>)> = None;
    for &i in eligible {
        let st = &states[i];
        // kube-scheduler's victim choice, as the estimator's preemptible tier counts it.
        let mut order: Vec<usize> = (0..st.pods.len()).collect();
        order.sort_by(|&a, &b| st.pods[a].name.cmp(&st.pods[b].name));
        let cands: Vec<VictimCandidate<'_>> = order
            .iter()
            .map(|&k| VictimCandidate {
                id: k,
                priority: st.pods[k].priority,
                requests: &st.pods[k].requests,
            })
            .collect();
        let Some(victims) =
            preemption_victims(&reqs.requests, priority, &st.free, st.free_pods, &cands)
        else {
            continue;
        };
        if victims.is_empty() {
            continue;
        }
        let score = (
            victims
                .iter()
                .map(|&k| st.pods[k].priority)
                .max()
                .unwrap_or(i32::MIN),
            victims
                .iter()
                .map(|&k| i64::from(st.pods[k].priority))
                .sum::<i64>(),
            victims.len(),
            st.snap.name.clone(),
        );
        if best.as_ref().is_none_or(|(s, _, _)| score < *s) {
            best = Some((score, i, victims));
        }
    }
    best.map(|(_, i, v)| (i, v))
}

fn preempt(store: &Store, rec: &mut Recorder, st: &mut NodeState, pod: &Value, victims: &[usize]) {
    let mut victims = victims.to_vec();
    victims.sort_unstable_by(|a, b| b.cmp(a));
    for k in victims {
        let v = st.pods.remove(k);
        if let Some(obj) = store.get(Kind::Pod, &v.namespace, &v.name) {
            rec.record(
                store,
                &obj,
                "Normal",
                "Preempted",
                &format!(
                    "Preempted by pod {}/{} ({}) on node {}",
                    namespace(pod),
                    name(pod),
                    uid(pod),
                    st.snap.name
                ),
                "default-scheduler",
            );
        }
        if store.delete(Kind::Pod, &v.namespace, &v.name).is_ok() {
            st.free.add(&v.requests);
            st.free_pods += 1;
        }
    }
}

fn bind(
    store: &Store,
    rec: &mut Recorder,
    st: &mut NodeState,
    pod: &Value,
    info: &PodInfo,
    reqs: &PodRequirements,
) {
    let node = st.snap.name.clone();
    let bound = store.mutate(Kind::Pod, namespace(pod), name(pod), |v| {
        if !node_name(v).is_empty() {
            return;
        }
        v["spec"]["nodeName"] = json!(node);
        if let Some(s) = v["status"].as_object_mut() {
            s.remove("nominatedNodeName");
        }
        set_condition(v, "PodScheduled", "True", "", "");
    });
    if let Ok(v) = bound {
        if node_name(&v) == node {
            st.free.sub(&reqs.requests);
            st.free_pods -= 1;
            st.pods.push(Bound {
                namespace: namespace(pod).to_string(),
                name: name(pod).to_string(),
                priority: info.priority,
                requests: reqs.requests.clone(),
            });
            rec.record(
                store,
                pod,
                "Normal",
                "Scheduled",
                &format!(
                    "Successfully assigned {}/{} to {node}",
                    namespace(pod),
                    name(pod)
                ),
                "default-scheduler",
            );
        }
    }
}

fn mark_unschedulable(store: &Store, rec: &mut Recorder, pod: &Value, msg: &str) {
    let already = super::util::condition(pod, "PodScheduled")
        .is_some_and(|c| c["status"] == "False" && c["message"].as_str() == Some(msg));
    if already {
        return;
    }
    let _ = store.mutate(Kind::Pod, namespace(pod), name(pod), |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        if v["status"]["phase"].as_str().is_none() {
            v["status"]["phase"] = json!("Pending");
        }
        set_condition(v, "PodScheduled", "False", "Unschedulable", msg);
    });
    rec.record(
        store,
        pod,
        "Warning",
        "FailedScheduling",
        msg,
        "default-scheduler",
    );
}

/// Whether a pod is Pending because the scheduler found no room (what node pools react to).
pub fn is_unschedulable(pod: &Value) -> bool {
    node_name(pod).is_empty()
        && super::util::condition(pod, "PodScheduled")
            .is_some_and(|c| c["status"] == "False" && c["reason"] == "Unschedulable")
}
