//! The controllers' lean, incrementally maintained view of the pods and nodes of one cluster
//! (think a shared informer cache).
//!
//! Each pod and node is held as a small struct with only the fields the controllers read
//! ([`PodEntry`], [`NodeEntry`]), never as a full `serde_json::Value`. [`View::refresh`] replays
//! the store's change history since the last refresh ([`Store::events_since`]) and re-reads only
//! the objects that changed (the last change of each object once); when the history no longer
//! reaches back that far it resyncs from a full list, reusing the entries whose
//! resourceVersion did not move. So an idle pass costs nothing per pod, and a pass after N
//! changes costs O(N) parses, whatever the size of the cluster.
//!
//! What the scheduler derives from a pod spec ([`PodInfo`]: requests, tolerations, selectors,
//! priority) is computed once per pod and shared between pods with the same spec (the replicas
//! of one ReplicaSet), so 60,000 replicas of a few templates hold a few `PodInfo`s.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::scheduler::{pod_info, PodInfo};
use super::util::{
    annotation, condition, is_deleting, labels, name, namespace, node_name, node_ready, pod_ready,
    str_at, uid, PriorityClasses, PROVISIONING_ANNOTATION,
};
use crate::capacity::{NodeSnapshot, Resources};
use crate::sim::config::NODE_POOL_LABEL;
use crate::sim::store::{EventType, Kind, Store, StoredObject};

/// What the controllers know about one pod.
#[derive(Debug)]
pub struct PodEntry {
    pub namespace: Arc<str>,
    pub name: Arc<str>,
    pub uid: Box<str>,
    /// resourceVersion of the state this entry reflects.
    pub rv: u64,
    /// `metadata.creationTimestamp` ("" when absent).
    pub created: Box<str>,
    /// `metadata.deletionTimestamp` is set.
    pub deleting: bool,
    /// uid of the first ownerReference (the scheduler's group of identical pods).
    pub first_owner: Option<Box<str>>,
    /// uid of the ReplicaSet ownerReference.
    pub rs_owner: Option<Arc<str>>,
    /// Owned by a DaemonSet (cluster-autoscaler does not count it as use of a node).
    pub daemon: bool,
    /// `spec.nodeName` ("" when unbound).
    pub node_name: Arc<str>,
    /// `spec.schedulerName` is empty or `default-scheduler`.
    pub default_scheduler: bool,
    /// `status.phase` as stored ("" when absent).
    pub phase: Box<str>,
    /// Condition Ready is True.
    pub ready: bool,
    /// Condition PodScheduled is False: (reason is Unschedulable, message).
    pub not_scheduled: Option<(bool, Box<str>)>,
    /// Largest readinessProbe initialDelaySeconds of its containers (simulated seconds).
    pub readiness_delay: f64,
    /// Requests, placement constraints and priority (shared between identical specs).
    pub info: Arc<PodInfo>,
}

impl PodEntry {
    fn from_value(v: &Value, rv: u64, info: Arc<PodInfo>) -> PodEntry {
        let refs = v
            .pointer("/metadata/ownerReferences")
            .and_then(Value::as_array);
        let first_owner = refs
            .and_then(|r| r.first())
            .and_then(|r| r["uid"].as_str())
            .map(Into::into);
        let rs_owner = refs
            .and_then(|r| r.iter().find(|r| r["kind"].as_str() == Some("ReplicaSet")))
            .and_then(|r| r["uid"].as_str())
            .map(Into::into);
        let daemon = refs.is_some_and(|r| r.iter().any(|r| r["kind"] == "DaemonSet"));
        let not_scheduled = condition(v, "PodScheduled")
            .filter(|c| c["status"] == "False")
            .map(|c| {
                (
                    c["reason"] == "Unschedulable",
                    c["message"].as_str().unwrap_or_default().into(),
                )
            });
        PodEntry {
            namespace: namespace(v).into(),
            name: name(v).into(),
            uid: uid(v).into(),
            rv,
            created: str_at(v, "/metadata/creationTimestamp").into(),
            deleting: is_deleting(v),
            first_owner,
            rs_owner,
            daemon,
            node_name: node_name(v).into(),
            default_scheduler: matches!(str_at(v, "/spec/schedulerName"), "" | "default-scheduler"),
            phase: str_at(v, "/status/phase").into(),
            ready: pod_ready(v),
            not_scheduled,
            readiness_delay: readiness_delay(v),
            info,
        }
    }

    /// `status.phase`, "Pending" when absent.
    pub fn phase(&self) -> &str {
        match &*self.phase {
            "" => "Pending",
            p => p,
        }
    }

    /// Succeeded or Failed.
    pub fn terminal(&self) -> bool {
        matches!(self.phase(), "Succeeded" | "Failed")
    }

    /// The kubelet has something to do (or a timer to keep) for it: bound, live, and not
    /// yet Running and Ready.
    fn kubelet_pending(&self) -> bool {
        let started = &*self.phase == "Running" && self.ready;
        !(self.node_name.is_empty() || self.terminal() || self.deleting || started)
    }

    /// Pending because the scheduler found no room (what node pools react to).
    pub fn unschedulable(&self) -> bool {
        self.node_name.is_empty() && self.not_scheduled.as_ref().is_some_and(|(u, _)| *u)
    }
}

/// Largest readinessProbe initialDelaySeconds of the pod's containers (0 without probes).
fn readiness_delay(pod: &Value) -> f64 {
    pod.pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c.pointer("/readinessProbe/initialDelaySeconds"))
                .filter_map(Value::as_f64)
                .fold(0.0, f64::max)
        })
        .unwrap_or(0.0)
}

/// What the controllers know about one node.
#[derive(Debug)]
pub struct NodeEntry {
    pub name: Box<str>,
    pub uid: Box<str>,
    pub rv: u64,
    /// Condition Ready is True.
    pub ready: bool,
    /// A pool node still being provisioned.
    pub provisioning: bool,
    /// Its node pool (label `fleet.kubectl.dev/node-pool`).
    pub pool: Option<Box<str>>,
    /// Its InternalIP address.
    pub internal_ip: Option<Box<str>>,
    /// The estimator's view of it (None when the object does not convert).
    pub snap: Option<NodeSnapshot>,
}

impl NodeEntry {
    fn from_value(v: &Value, rv: u64) -> NodeEntry {
        NodeEntry {
            name: name(v).into(),
            uid: uid(v).into(),
            rv,
            ready: node_ready(v),
            provisioning: annotation(v, PROVISIONING_ANNOTATION).is_some(),
            pool: labels(v).remove(NODE_POOL_LABEL).map(Into::into),
            internal_ip: v
                .pointer("/status/addresses")
                .and_then(Value::as_array)
                .and_then(|a| a.iter().find(|x| x["type"] == "InternalIP"))
                .and_then(|x| x["address"].as_str())
                .map(Into::into),
            snap: super::scheduler::node_snapshot(v),
        }
    }
}

/// (namespace, name) of a pod.
pub type PodKey = (Arc<str>, Arc<str>);

fn pod_key(o: &StoredObject) -> PodKey {
    (Arc::from(&*o.namespace), Arc::from(&*o.name))
}

/// The pods and nodes of one cluster as the controllers see them (see the module docs).
#[derive(Debug, Default)]
pub struct View {
    /// The store resourceVersion this view reflects (0 = never filled).
    rv: u64,
    pods: BTreeMap<PodKey, Arc<PodEntry>>,
    nodes: BTreeMap<Box<str>, Arc<NodeEntry>>,
    /// Indexes over `pods`, kept in step by `insert_pod`/`remove_pod`:
    /// ReplicaSet uid → its pods.
    by_owner: HashMap<Arc<str>, BTreeSet<PodKey>>,
    /// Node name → the pods bound to it.
    by_node: HashMap<Arc<str>, BTreeSet<PodKey>>,
    /// Node name → (sum of the requests, number) of its non-terminal pods.
    node_used: HashMap<Arc<str>, (Resources, i64)>,
    /// Pods without a node.
    unbound: BTreeSet<PodKey>,
    /// Pods the kubelet still has to start or make Ready.
    kubelet_todo: BTreeSet<PodKey>,
    /// ReplicaSets (uids) whose pods changed since [`View::take_dirty_owners`]; `all_dirty`
    /// after a resync.
    dirty_owners: HashSet<Arc<str>>,
    all_dirty: bool,
    /// PodInfo by (priority, preempt, spec without nodeName).
    infos: HashMap<String, Arc<PodInfo>>,
    infos_high_water: usize,
}

impl View {
    /// All pods, ordered by namespace then name (like a store list).
    pub fn pods(&self) -> impl Iterator<Item = &Arc<PodEntry>> {
        self.pods.values()
    }

    /// Number of pods.
    pub fn pod_count(&self) -> usize {
        self.pods.len()
    }

    /// All nodes, ordered by name.
    pub fn nodes(&self) -> impl Iterator<Item = &Arc<NodeEntry>> {
        self.nodes.values()
    }

    /// One node by name.
    pub fn node(&self, name: &str) -> Option<&Arc<NodeEntry>> {
        self.nodes.get(name)
    }

    /// One pod by key.
    pub fn pod(&self, key: &PodKey) -> Option<&Arc<PodEntry>> {
        self.pods.get(key)
    }

    /// The pods owned by the ReplicaSet with this uid.
    pub fn pods_of_owner<'a>(&'a self, owner_uid: &str) -> impl Iterator<Item = &'a Arc<PodEntry>> {
        self.by_owner
            .get(owner_uid)
            .into_iter()
            .flatten()
            .filter_map(|k| self.pods.get(k))
    }

    /// Node name → keys of the pods bound to it (including nodes that no longer exist).
    pub fn pods_by_node(&self) -> impl Iterator<Item = (&str, &BTreeSet<PodKey>)> {
        self.by_node.iter().map(|(n, k)| (&**n, k))
    }

    /// The pods bound to a node, ordered by namespace and name.
    pub fn pods_on_node<'a>(&'a self, node: &str) -> impl Iterator<Item = &'a Arc<PodEntry>> {
        self.by_node
            .get(node)
            .into_iter()
            .flatten()
            .filter_map(|k| self.pods.get(k))
    }

    /// (sum of the requests, number) of the non-terminal pods bound to a node.
    pub fn node_used(&self, node: &str) -> Option<&(Resources, i64)> {
        self.node_used.get(node)
    }

    /// Pods without a node, ordered by namespace and name.
    pub fn unbound(&self) -> impl Iterator<Item = &Arc<PodEntry>> {
        self.unbound.iter().filter_map(|k| self.pods.get(k))
    }

    /// Keys of the bound, live pods that are not yet Running and Ready.
    pub fn kubelet_todo(&self) -> &BTreeSet<PodKey> {
        &self.kubelet_todo
    }

    /// The ReplicaSets whose pods changed since the last call (`None`: assume all did, after
    /// a resync).
    pub fn take_dirty_owners(&mut self) -> Option<HashSet<Arc<str>>> {
        let dirty = std::mem::take(&mut self.dirty_owners);
        (!std::mem::take(&mut self.all_dirty)).then_some(dirty)
    }

    fn insert_pod(&mut self, key: PodKey, e: Arc<PodEntry>) {
        if let Some(old) = self.pods.insert(key.clone(), e.clone()) {
            self.unindex(&key, &old);
        }
        self.index(key, &e);
    }

    fn remove_pod(&mut self, key: &PodKey) {
        if let Some(old) = self.pods.remove(key) {
            self.unindex(key, &old);
        }
    }

    fn index(&mut self, key: PodKey, e: &PodEntry) {
        if let Some(o) = &e.rs_owner {
            self.dirty_owners.insert(o.clone());
            self.by_owner
                .entry(o.clone())
                .or_default()
                .insert(key.clone());
        }
        if e.node_name.is_empty() {
            self.unbound.insert(key);
            return;
        }
        if e.kubelet_pending() {
            self.kubelet_todo.insert(key.clone());
        }
        if !e.terminal() {
            let used = self.node_used.entry(e.node_name.clone()).or_default();
            if let Some(r) = e.info.requests() {
                used.0.add(r);
            }
            used.1 += 1;
        }
        self.by_node
            .entry(e.node_name.clone())
            .or_default()
            .insert(key);
    }

    fn unindex(&mut self, key: &PodKey, e: &PodEntry) {
        fn remove_from(map: &mut HashMap<Arc<str>, BTreeSet<PodKey>>, k: &str, key: &PodKey) {
            if let Some(set) = map.get_mut(k) {
                set.remove(key);
                if set.is_empty() {
                    map.remove(k);
                }
            }
        }
        if let Some(o) = &e.rs_owner {
            self.dirty_owners.insert(o.clone());
            remove_from(&mut self.by_owner, o, key);
        }
        if e.node_name.is_empty() {
            self.unbound.remove(key);
            return;
        }
        self.kubelet_todo.remove(key);
        if !e.terminal() {
            if let Some(used) = self.node_used.get_mut(&*e.node_name) {
                if let Some(r) = e.info.requests() {
                    used.0.sub(r);
                }
                used.1 -= 1;
                if used.1 <= 0 {
                    self.node_used.remove(&*e.node_name);
                }
            }
        }
        remove_from(&mut self.by_node, &e.node_name, key);
    }

    /// Brings the view up to the store's current state (see the module docs).
    pub fn refresh(&mut self, store: &Store, classes: &PriorityClasses) {
        if self.rv != 0 {
            if let Ok(events) = store.events_since(self.rv) {
                let Some(last) = events.last() else {
                    return;
                };
                let last_rv = last.rv;
                // The last change of each pod/node, in resourceVersion order.
                let mut latest: HashMap<(Kind, &str, &str), usize> = HashMap::new();
                for (i, e) in events.iter().enumerate() {
                    if matches!(e.object.kind, Kind::Pod | Kind::Node) {
                        latest.insert((e.object.kind, &e.object.namespace, &e.object.name), i);
                    }
                }
                let mut idx: Vec<usize> = latest.into_values().collect();
                idx.sort_unstable();
                for i in idx {
                    let e = &events[i];
                    let deleted = e.event_type == EventType::Deleted;
                    self.apply(&e.object, e.rv, deleted, classes);
                }
                self.rv = last_rv;
                self.prune_infos();
                return;
            }
        }
        self.resync(store, classes);
    }

    /// Rebuilds from full lists, reusing entries whose resourceVersion did not change.
    fn resync(&mut self, store: &Store, classes: &PriorityClasses) {
        let (pods, rv, _) = store.list_page(Kind::Pod, None, None, usize::MAX, |_| true);
        let (nodes, node_rv, _) = store.list_page(Kind::Node, None, None, usize::MAX, |_| true);
        let mut old_pods = std::mem::take(&mut self.pods);
        self.by_owner.clear();
        self.by_node.clear();
        self.node_used.clear();
        self.unbound.clear();
        self.kubelet_todo.clear();
        self.all_dirty = true;
        for o in &pods {
            let key = pod_key(o);
            match old_pods.remove(&key) {
                Some(e) if e.rv == o.resource_version => self.insert_pod(key, e),
                old => {
                    let info = old.filter(|e| *e.uid == *o.uid).map(|e| e.info.clone());
                    let v = o.value();
                    let info = info.unwrap_or_else(|| self.info_for(&v, classes));
                    let e = Arc::new(PodEntry::from_value(&v, o.resource_version, info));
                    self.insert_pod(key, e);
                }
            }
        }
        drop(pods);
        let mut old_nodes = std::mem::take(&mut self.nodes);
        for o in &nodes {
            match old_nodes.remove(&o.name) {
                Some(e) if e.rv == o.resource_version => {
                    self.nodes.insert(o.name.clone(), e);
                }
                _ => {
                    self.nodes.insert(
                        o.name.clone(),
                        Arc::new(NodeEntry::from_value(&o.value(), o.resource_version)),
                    );
                }
            }
        }
        // Changes between the two lists are replayed (idempotently) by the next refresh.
        self.rv = rv.min(node_rv);
        self.prune_infos();
    }

    fn apply(&mut self, o: &StoredObject, rv: u64, deleted: bool, classes: &PriorityClasses) {
        match o.kind {
            Kind::Pod => {
                let key = pod_key(o);
                let old = self.pods.get(&key);
                if old.is_some_and(|e| e.rv >= rv) {
                    return;
                }
                if deleted {
                    self.remove_pod(&key);
                    return;
                }
                let info = old.filter(|e| *e.uid == *o.uid).map(|e| e.info.clone());
                let v = o.value();
                let info = info.unwrap_or_else(|| self.info_for(&v, classes));
                self.insert_pod(key, Arc::new(PodEntry::from_value(&v, rv, info)));
            }
            Kind::Node => {
                if self.nodes.get(&o.name).is_some_and(|e| e.rv >= rv) {
                    return;
                }
                if deleted {
                    self.nodes.remove(&o.name);
                } else {
                    self.nodes.insert(
                        o.name.clone(),
                        Arc::new(NodeEntry::from_value(&o.value(), rv)),
                    );
                }
            }
            _ => {}
        }
    }

    /// The (shared) PodInfo of a pod's spec.
    fn info_for(&mut self, pod: &Value, classes: &PriorityClasses) -> Arc<PodInfo> {
        let mut spec = pod.get("spec").cloned().unwrap_or(Value::Null);
        if let Some(m) = spec.as_object_mut() {
            m.remove("nodeName");
        }
        let priority = super::util::resolve_priority(&spec, classes);
        let preempt = match spec["preemptionPolicy"].as_str() {
            Some(p) => p != "Never",
            None => classes.policy_of(spec["priorityClassName"].as_str()) != Some("Never"),
        };
        let key = format!("{priority}|{preempt}|{spec}");
        if let Some(i) = self.infos.get(&key) {
            return i.clone();
        }
        let info = Arc::new(pod_info(&spec, classes));
        self.infos.insert(key, info.clone());
        info
    }

    /// Forgets specs no pod uses any more (checked when the table has doubled).
    fn prune_infos(&mut self) {
        if self.infos.len() > 2 * self.infos_high_water.max(64) {
            self.infos.retain(|_, i| Arc::strong_count(i) > 1);
            self.infos_high_water = self.infos.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(name: &str, owner: &str, cpu: &str) -> Value {
        json!({
            "metadata": {"name": name, "namespace": "default", "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": owner}]},
            "spec": {"containers": [{"name": "a", "image": "x",
                "resources": {"requests": {"cpu": cpu}}}]},
            "status": {"phase": "Pending"},
        })
    }

    /// Everything the indexes answer, for comparing two views.
    fn summary(v: &View) -> String {
        let mut out = String::new();
        for p in v.pods() {
            out.push_str(&format!(
                "pod {} {} {} {}\n",
                p.name, p.node_name, p.phase, p.ready
            ));
        }
        let mut used: Vec<_> = v.node_used.iter().collect();
        used.sort_by(|a, b| a.0.cmp(b.0));
        out.push_str(&format!("used {used:?}\n"));
        let mut owners: Vec<_> = v.by_owner.iter().collect();
        owners.sort_by(|a, b| a.0.cmp(b.0));
        out.push_str(&format!("owners {owners:?}\n"));
        let mut nodes: Vec<_> = v.by_node.iter().collect();
        nodes.sort_by(|a, b| a.0.cmp(b.0));
        out.push_str(&format!("nodes {nodes:?}\n"));
        out.push_str(&format!(
            "unbound {:?}\ntodo {:?}\n",
            v.unbound, v.kubelet_todo
        ));
        out
    }

    #[test]
    fn incremental_refresh_matches_a_full_resync_and_keeps_indexes_in_step() {
        let store = Store::new();
        let classes = PriorityClasses::default();
        for i in 0..6 {
            let owner = if i % 2 == 0 { "rs-a" } else { "rs-b" };
            store
                .create(Kind::Pod, pod(&format!("p{i}"), owner, "250m"))
                .unwrap();
        }
        let mut view = View::default();
        view.refresh(&store, &classes);
        assert_eq!(view.unbound().count(), 6);
        assert_eq!(view.pods_of_owner("rs-a").count(), 3);
        assert!(
            view.take_dirty_owners().is_none(),
            "a resync dirties every owner"
        );
        store
            .mutate(Kind::Pod, "default", "p1", |v| {
                v["metadata"]["labels"] = json!({"x": "y"})
            })
            .unwrap();
        view.refresh(&store, &classes);
        let dirty = view.take_dirty_owners().unwrap();
        assert_eq!(dirty.iter().map(|o| &**o).collect::<Vec<_>>(), ["rs-b"]);
        assert_eq!(view.take_dirty_owners().unwrap().len(), 0);
        // Bind, start, make ready, finish and delete some pods.
        for (i, node) in [(0, "n1"), (1, "n1"), (2, "n2"), (3, "n2")] {
            store
                .mutate(Kind::Pod, "default", &format!("p{i}"), |v| {
                    v["spec"]["nodeName"] = json!(node)
                })
                .unwrap();
        }
        view.refresh(&store, &classes);
        assert_eq!(view.node_used("n1").unwrap().1, 2);
        assert_eq!(view.node_used("n1").unwrap().0.get("cpu"), 500);
        assert_eq!(view.kubelet_todo().len(), 4);
        store
            .mutate(Kind::Pod, "default", "p0", |v| {
                v["status"] = json!({"phase": "Running",
                    "conditions": [{"type": "Ready", "status": "True"}]})
            })
            .unwrap();
        store
            .mutate(Kind::Pod, "default", "p2", |v| {
                v["status"]["phase"] = json!("Succeeded")
            })
            .unwrap();
        store.delete(Kind::Pod, "default", "p3").unwrap();
        store.delete(Kind::Pod, "default", "p5").unwrap();
        view.refresh(&store, &classes);
        assert_eq!(view.kubelet_todo().len(), 1, "only p1 still has to start");
        assert!(view.node_used("n2").is_none(), "p2 finished, p3 is gone");
        assert_eq!(view.pods_on_node("n2").count(), 1);
        assert_eq!(view.pods_of_owner("rs-b").count(), 1);
        let mut fresh = View::default();
        fresh.refresh(&store, &classes);
        assert_eq!(summary(&view), summary(&fresh));
        // Identical specs share one PodInfo.
        let a = view.pods().next().unwrap();
        let b = view.pods().nth(1).unwrap();
        assert!(Arc::ptr_eq(&a.info, &b.info));
    }

    #[test]
    fn refresh_resyncs_when_the_history_no_longer_reaches_back() {
        let store = Store::new();
        store.set_history_limits(4, usize::MAX);
        let classes = PriorityClasses::default();
        store.create(Kind::Pod, pod("a", "rs", "1")).unwrap();
        let mut view = View::default();
        view.refresh(&store, &classes);
        for i in 0..10 {
            store
                .create(Kind::Pod, pod(&format!("b{i}"), "rs", "1"))
                .unwrap();
        }
        store.delete(Kind::Pod, "default", "a").unwrap();
        assert!(store.events_since(view.rv).is_err());
        view.refresh(&store, &classes);
        assert_eq!(view.pods().count(), 10);
        assert!(view.pods().all(|p| &*p.name != "a"));
        assert_eq!(view.unbound().count(), 10);
        assert_eq!(view.rv, store.resource_version());
    }
}
