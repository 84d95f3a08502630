//! The simulated fleet's load model: the fleet-wide demand of a Deployment (cpu, memory, custom
//! pod metrics), divided evenly over its Ready pods in every member, like traffic behind a
//! global load balancer: scaling out lowers each pod's usage. Pods that are not Ready report no
//! metrics. Served as metrics.k8s.io / custom.metrics.k8s.io by every member (api/metrics.rs)
//! and set with `kubectl fleet sim load` (admin API `POST /load`).

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::selector::LabelSelector;
use super::store::{Kind, Store};

/// The fleet-wide demand of one Deployment (milli-units).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Demand {
    pub namespace: String,
    pub deployment: String,
    /// Total cpu in millicores.
    pub cpu_milli: i64,
    /// Total memory in milli-bytes (`None`: each pod reports its memory request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_milli: Option<i64>,
    /// Custom pod metrics: name → fleet-wide total (milli).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, i64>,
    /// Object metrics (custom.metrics.k8s.io) served by [`Demand::cluster`] only:
    /// `KIND/NAME:METRIC` (e.g. `ingress/main:requests_per_second`) → value (milli).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, i64>,
    /// External metrics (external.metrics.k8s.io) served by [`Demand::cluster`] only:
    /// name → value (milli).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub external: BTreeMap<String, i64>,
    /// The member serving `objects` and `external` (default: the fleet's first member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
}

impl Demand {
    /// Nothing asked for: setting it clears the Deployment's load.
    pub fn is_empty(&self) -> bool {
        self.cpu_milli == 0
            && self.memory_milli.is_none()
            && self.metrics.is_empty()
            && self.objects.is_empty()
            && self.external.is_empty()
    }

    /// Whether `cluster` serves this demand's Object/External metrics (`first` is the fleet's
    /// first member, the default).
    pub fn served_by(&self, cluster: &str, first: &str) -> bool {
        self.cluster.as_deref().unwrap_or(first) == cluster
    }

    /// The value of object metric `metric` of the object `resource`/`name` (`resource` as the
    /// custom metrics API names it: `ingresses.networking.k8s.io`, `services`).
    pub fn object_value(&self, resource: &str, name: &str, metric: &str) -> Option<i64> {
        let plural = resource.split('.').next().unwrap_or(resource);
        self.objects.iter().find_map(|(key, v)| {
            let (object, m) = key.rsplit_once(':')?;
            let (kind, n) = object.split_once('/')?;
            (m == metric
                && n == name
                && (crate::autoscale::plural_of_kind(kind) == plural
                    || kind.eq_ignore_ascii_case(plural)))
            .then_some(*v)
        })
    }
}

/// One pod's usage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodUsage {
    pub cpu_milli: i64,
    pub memory_milli: i64,
    pub metrics: BTreeMap<String, i64>,
}

/// The demands plus every member's store (to count Ready pods fleet-wide).
#[derive(Debug, Default)]
pub struct LoadModel {
    demands: RwLock<BTreeMap<(String, String), Demand>>,
    stores: Vec<Arc<Store>>,
    /// The fleet's first member (serves Object/External metrics unless a demand names another).
    first: String,
}

/// Running with a true Ready condition.
pub fn pod_ready(pod: &Value) -> bool {
    pod["status"]["phase"].as_str() == Some("Running")
        && pod["status"]["conditions"].as_array().is_some_and(|c| {
            c.iter()
                .any(|c| c["type"] == "Ready" && c["status"] == "True")
        })
        && pod["metadata"]["deletionTimestamp"].is_null()
}

/// Sum of the containers' requests of `resource` (milli), from the pod JSON.
pub fn pod_request(pod: &Value, resource: &str) -> i64 {
    pod["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["resources"]["requests"][resource].as_str())
                .filter_map(|q| crate::capacity::quantity::parse_quantity(q).ok())
                .sum()
        })
        .unwrap_or(0)
}

impl LoadModel {
    pub fn new(stores: Vec<Arc<Store>>) -> Self {
        LoadModel {
            demands: RwLock::default(),
            stores,
            first: String::new(),
        }
    }

    /// Names the fleet's first member (the default server of Object/External metrics).
    pub fn with_first(mut self, first: &str) -> Self {
        self.first = first.to_string();
        self
    }

    /// The fleet's first member.
    pub fn first(&self) -> &str {
        &self.first
    }

    /// Sets (or with all zero, clears) the demand of a Deployment.
    pub fn set(&self, demand: Demand) {
        let key = (demand.namespace.clone(), demand.deployment.clone());
        let mut d = self.demands.write().unwrap_or_else(|e| e.into_inner());
        if demand.is_empty() {
            d.remove(&key);
        } else {
            d.insert(key, demand);
        }
    }

    /// Every demand.
    pub fn demands(&self) -> Vec<Demand> {
        self.demands
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// The selector of Deployment `ns/name` in any member that has it.
    fn selector(&self, ns: &str, name: &str) -> Option<LabelSelector> {
        self.stores.iter().find_map(|s| {
            let d = s.get(Kind::Deployment, ns, name)?;
            LabelSelector::from_object(&d["spec"]["selector"]).ok()
        })
    }

    /// Usage of every pod of `pods` (one member's pods of one namespace or all) that is Ready;
    /// pods of a Deployment with a demand share it with its Ready pods in every member.
    pub fn usage(&self, pods: &[Value]) -> Vec<Option<PodUsage>> {
        let demands = self.demands();
        // (demand, selector, fleet-wide ready count)
        let shares: Vec<(Demand, LabelSelector, i64)> = demands
            .into_iter()
            .filter_map(|d| {
                let sel = self.selector(&d.namespace, &d.deployment)?;
                let ready: i64 = self
                    .stores
                    .iter()
                    .map(|s| {
                        s.list(Kind::Pod, Some(&d.namespace))
                            .iter()
                            .filter(|p| {
                                pod_ready(p)
                                    && sel.matches_json(p["metadata"]["labels"].as_object())
                            })
                            .count() as i64
                    })
                    .sum();
                Some((d, sel, ready))
            })
            .collect();
        pods.iter()
            .map(|p| {
                if !pod_ready(p) {
                    return None;
                }
                let ns = p["metadata"]["namespace"].as_str().unwrap_or_default();
                let mut u = PodUsage {
                    cpu_milli: 0,
                    memory_milli: pod_request(p, "memory"),
                    metrics: BTreeMap::new(),
                };
                for (d, sel, ready) in &shares {
                    if d.namespace != ns
                        || *ready == 0
                        || !sel.matches_json(p["metadata"]["labels"].as_object())
                    {
                        continue;
                    }
                    u.cpu_milli = d.cpu_milli / ready;
                    if let Some(m) = d.memory_milli {
                        u.memory_milli = m / ready;
                    }
                    for (k, v) in &d.metrics {
                        u.metrics.insert(k.clone(), v / ready);
                    }
                }
                Some(u)
            })
            .collect()
    }
}
