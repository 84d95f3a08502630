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
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::sync::Arc;

use k8s_openapi::api::core::v1::{Node, PodSpec};
use serde_json::{json, Value};

use super::util::{node_name, set_condition, PriorityClasses, Recorder};
use super::view::{PodEntry, View};
use crate::capacity::{
    fit_count, node_eligible, preemption_victims, Ineligible, NodeSnapshot, PodRequirements,
    PreemptionPolicy, Resources, VictimCandidate,
};
use crate::sim::store::{Kind, Store};

/// What the scheduler needs from a pod spec, computed once per distinct spec (see
/// [`super::view`]).
#[derive(Debug)]
pub struct PodInfo {
    /// `Err` holds why the spec cannot be scheduled (bad quantity, ...).
    pub reqs: Result<PodRequirements, String>,
    pub priority: i32,
    pub preempt: bool,
}

impl PodInfo {
    /// The effective request of one replica (empty when the spec is invalid).
    pub fn requests(&self) -> Option<&Resources> {
        self.reqs.as_ref().ok().map(|r| &r.requests)
    }
}

/// The scheduler's view of a pod spec (`spec` as JSON), with its priority resolved.
pub fn pod_info(spec: &Value, classes: &PriorityClasses) -> PodInfo {
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

/// One node with its free room and the pods bound to it.
#[derive(Debug)]
pub struct NodeState<'a> {
    pub snap: &'a NodeSnapshot,
    pub free: Resources,
    pub free_pods: i64,
    /// Its non-terminal pods once `loaded` (read from the view only when preemption looks at
    /// the node); before that, only the pods bound in this pass.
    pods: Vec<Arc<PodEntry>>,
    loaded: bool,
}

impl NodeState<'_> {
    /// Completes `pods` with the node's pods from the view (bound before this pass).
    fn load(&mut self, view: &View) {
        if self.loaded {
            return;
        }
        let mut pods: Vec<Arc<PodEntry>> = view
            .pods_on_node(&self.snap.name)
            .filter(|p| !p.terminal())
            .cloned()
            .collect();
        pods.append(&mut self.pods);
        self.pods = pods;
        self.loaded = true;
    }
}

/// Converts a stored Node to the estimator's snapshot.
pub fn node_snapshot(node: &Value) -> Option<NodeSnapshot> {
    let typed: Node = serde_json::from_value(node.clone()).ok()?;
    NodeSnapshot::from_node(&typed).ok()
}

/// Nodes with their free room (allocatable minus the requests of their non-terminal pods, as
/// the view keeps them summed per node), sorted by node name.
pub fn node_states(view: &View) -> Vec<NodeState<'_>> {
    let mut states: Vec<NodeState<'_>> = view
        .nodes()
        .filter_map(|n| n.snap.as_ref())
        .map(|snap| {
            let mut free = snap.allocatable.clone();
            let mut free_pods = snap.max_pods();
            if let Some((used, n)) = view.node_used(&snap.name) {
                free.sub(used);
                free_pods -= n;
            }
            NodeState {
                free,
                free_pods,
                snap,
                pods: Vec::new(),
                loaded: false,
            }
        })
        .collect();
    states.sort_by(|a, b| a.snap.name.cmp(&b.snap.name));
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
fn room_reasons(st: &NodeState<'_>, request: &Resources) -> Vec<String> {
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
    fn new(states: &[NodeState<'_>], reqs: &PodRequirements) -> Group {
        let mut g = Group {
            eligible: Vec::new(),
            ineligible: BTreeMap::new(),
            heap: BinaryHeap::new(),
            failed: None,
        };
        for (i, st) in states.iter().enumerate() {
            if let Err(why) = node_eligible(reqs, st.snap) {
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

/// One pass of the scheduler over every unbound pod of the view.
pub fn schedule(store: &Store, rec: &mut Recorder, view: &View) {
    let mut queue: Vec<&Arc<PodEntry>> = view
        .unbound()
        .filter(|p| p.node_name.is_empty() && !p.terminal() && !p.deleting && p.default_scheduler)
        .collect();
    if queue.is_empty() {
        return;
    }
    let mut states = node_states(view);
    queue.sort_by(|a, b| {
        (Reverse(a.info.priority), &a.created, &a.namespace, &a.name).cmp(&(
            Reverse(b.info.priority),
            &b.created,
            &b.namespace,
            &b.name,
        ))
    });
    // Pods of one owner share a template, hence their eligible nodes.
    let mut groups: HashMap<&str, Group> = HashMap::new();
    for pod in queue {
        let reqs = match &pod.info.reqs {
            Ok(r) => r,
            Err(e) => {
                mark_unschedulable(store, rec, pod, e);
                continue;
            }
        };
        let key = pod.first_owner.as_deref().unwrap_or(&pod.uid);
        let group = groups
            .entry(key)
            .or_insert_with(|| Group::new(&states, reqs));
        if let Some(msg) = &group.failed {
            mark_unschedulable(store, rec, pod, msg);
            continue;
        }
        if let Err(msg) = try_schedule(store, rec, view, &mut states, group, pod, reqs) {
            group.failed = Some(msg.clone());
            mark_unschedulable(store, rec, pod, &msg);
        }
    }
}

/// Binds the pod (possibly after preempting), or returns the Unschedulable message.
fn try_schedule(
    store: &Store,
    rec: &mut Recorder,
    view: &View,
    states: &mut [NodeState<'_>],
    group: &mut Group,
    pod: &Arc<PodEntry>,
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
        bind(store, rec, &mut states[i], pod, reqs);
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
    if pod.info.preempt {
        for &i in &group.eligible {
            states[i].load(view);
        }
        if let Some((i, victims)) = find_victims(states, &group.eligible, pod.info.priority, reqs) {
            preempt(store, rec, &mut states[i], pod, &victims);
            bind(store, rec, &mut states[i], pod, reqs);
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
    states: &[NodeState<'_>],
    eligible: &[usize],
    priority: i32,
    reqs: &PodRequirements,
) -> Option<(usize, Vec<usize>)> {
    type Score = (i32, i64, usize, String);
    let none = Resources::default();
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
                priority: st.pods[k].info.priority,
                requests: st.pods[k].info.requests().unwrap_or(&none),
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
                .map(|&k| st.pods[k].info.priority)
                .max()
                .unwrap_or(i32::MIN),
            victims
                .iter()
                .map(|&k| i64::from(st.pods[k].info.priority))
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

fn preempt(
    store: &Store,
    rec: &mut Recorder,
    st: &mut NodeState<'_>,
    pod: &PodEntry,
    victims: &[usize],
) {
    let mut victims = victims.to_vec();
    victims.sort_unstable_by(|a, b| b.cmp(a));
    for k in victims {
        let v = st.pods.remove(k);
        if store.get_raw(Kind::Pod, &v.namespace, &v.name).is_some() {
            rec.record_for(
                store,
                Kind::Pod,
                (&v.namespace, &v.name, &v.uid),
                "Normal",
                "Preempted",
                &format!(
                    "Preempted by pod {}/{} ({}) on node {}",
                    pod.namespace, pod.name, pod.uid, st.snap.name
                ),
                "default-scheduler",
            );
        }
        if store.delete(Kind::Pod, &v.namespace, &v.name).is_ok() {
            if let Some(r) = v.info.requests() {
                st.free.add(r);
            }
            st.free_pods += 1;
        }
    }
}

fn bind(
    store: &Store,
    rec: &mut Recorder,
    st: &mut NodeState<'_>,
    pod: &Arc<PodEntry>,
    reqs: &PodRequirements,
) {
    let node = st.snap.name.as_str();
    let bound = store.mutate(Kind::Pod, &pod.namespace, &pod.name, |v| {
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
            st.pods.push(pod.clone());
            rec.record_for(
                store,
                Kind::Pod,
                (&pod.namespace, &pod.name, &pod.uid),
                "Normal",
                "Scheduled",
                &format!(
                    "Successfully assigned {}/{} to {node}",
                    pod.namespace, pod.name
                ),
                "default-scheduler",
            );
        }
    }
}

fn mark_unschedulable(store: &Store, rec: &mut Recorder, pod: &PodEntry, msg: &str) {
    let already = pod.not_scheduled.as_ref().is_some_and(|(_, m)| &**m == msg);
    if already {
        return;
    }
    let _ = store.mutate(Kind::Pod, &pod.namespace, &pod.name, |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        if v["status"]["phase"].as_str().is_none() {
            v["status"]["phase"] = json!("Pending");
        }
        set_condition(v, "PodScheduled", "False", "Unschedulable", msg);
    });
    rec.record_for(
        store,
        Kind::Pod,
        (&pod.namespace, &pod.name, &pod.uid),
        "Warning",
        "FailedScheduling",
        msg,
        "default-scheduler",
    );
}
