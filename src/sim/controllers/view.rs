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

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde_json::Value;

use super::scheduler::{pod_info, PodInfo};
use super::util::{
    annotation, condition, is_deleting, labels, name, namespace, node_name, node_ready, pod_ready,
    str_at, uid, PriorityClasses, PROVISIONING_ANNOTATION,
};
use crate::capacity::NodeSnapshot;
use crate::sim::config::NODE_POOL_LABEL;
use crate::sim::store::{EventType, Kind, Store, StoredObject};

/// What the controllers know about one pod.
#[derive(Debug)]
pub struct PodEntry {
    pub namespace: Box<str>,
    pub name: Box<str>,
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
    pub rs_owner: Option<Box<str>>,
    /// `spec.nodeName` ("" when unbound).
    pub node_name: Box<str>,
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

type PodKey = (Box<str>, Box<str>);

/// The pods and nodes of one cluster as the controllers see them (see the module docs).
#[derive(Debug, Default)]
pub struct View {
    /// The store resourceVersion this view reflects (0 = never filled).
    rv: u64,
    pods: BTreeMap<PodKey, Arc<PodEntry>>,
    nodes: BTreeMap<Box<str>, Arc<NodeEntry>>,
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
        for o in &pods {
            let key: PodKey = (o.namespace.clone(), o.name.clone());
            match old_pods.remove(&key) {
                Some(e) if e.rv == o.resource_version => {
                    self.pods.insert(key, e);
                }
                old => {
                    let info = old.filter(|e| *e.uid == *o.uid).map(|e| e.info.clone());
                    let v = o.value();
                    let info = info.unwrap_or_else(|| self.info_for(&v, classes));
                    self.pods.insert(
                        key,
                        Arc::new(PodEntry::from_value(&v, o.resource_version, info)),
                    );
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
                let key: PodKey = (o.namespace.clone(), o.name.clone());
                let old = self.pods.get(&key);
                if old.is_some_and(|e| e.rv >= rv) {
                    return;
                }
                if deleted {
                    self.pods.remove(&key);
                    return;
                }
                let info = old.filter(|e| *e.uid == *o.uid).map(|e| e.info.clone());
                let v = o.value();
                let info = info.unwrap_or_else(|| self.info_for(&v, classes));
                self.pods
                    .insert(key, Arc::new(PodEntry::from_value(&v, rv, info)));
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
