//! Small helpers shared by the simulated controllers: JSON field access, conditions,
//! timestamps, random names, Events, priorities.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{json, Map, Value};

use crate::capacity::Resources;
use crate::sim::store::{Kind, Store};

/// Annotation a `NodeNotReady` fault puts on a node (removed by `NodeReady`).
pub const NOT_READY_FAULT_ANNOTATION: &str = "fleet.kubectl.dev/sim-not-ready";
/// Annotation on a pool node that is still being provisioned.
pub const PROVISIONING_ANNOTATION: &str = "fleet.kubectl.dev/provisioning";

pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

pub fn str_at<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub fn name(v: &Value) -> &str {
    str_at(v, "/metadata/name")
}

pub fn namespace(v: &Value) -> &str {
    str_at(v, "/metadata/namespace")
}

pub fn uid(v: &Value) -> &str {
    str_at(v, "/metadata/uid")
}

pub fn labels(v: &Value) -> BTreeMap<String, String> {
    v.pointer("/metadata/labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

pub fn annotation<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.pointer("/metadata/annotations")
        .and_then(|a| a.get(key))
        .and_then(Value::as_str)
}

/// Whether `v` has an ownerReference with this uid.
pub fn owned_by(v: &Value, owner_uid: &str) -> bool {
    v.pointer("/metadata/ownerReferences")
        .and_then(Value::as_array)
        .is_some_and(|refs| refs.iter().any(|r| r["uid"].as_str() == Some(owner_uid)))
}

pub fn is_deleting(v: &Value) -> bool {
    v.pointer("/metadata/deletionTimestamp")
        .is_some_and(|t| !t.is_null())
}

/// `status.phase` of a pod ("Pending" when absent).
pub fn pod_phase(pod: &Value) -> &str {
    match str_at(pod, "/status/phase") {
        "" => "Pending",
        p => p,
    }
}

pub fn pod_terminal(pod: &Value) -> bool {
    matches!(pod_phase(pod), "Succeeded" | "Failed")
}

pub fn node_name(pod: &Value) -> &str {
    str_at(pod, "/spec/nodeName")
}

/// Status of condition `type_` in `status.conditions` ("" when absent).
pub fn condition_status<'a>(obj: &'a Value, type_: &str) -> &'a str {
    condition(obj, type_)
        .and_then(|c| c["status"].as_str())
        .unwrap_or_default()
}

pub fn condition<'a>(obj: &'a Value, type_: &str) -> Option<&'a Value> {
    obj.pointer("/status/conditions")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c["type"].as_str() == Some(type_))
}

pub fn pod_ready(pod: &Value) -> bool {
    condition_status(pod, "Ready") == "True"
}

pub fn node_ready(node: &Value) -> bool {
    condition_status(node, "Ready") == "True"
}

/// Sets a condition in `obj.status.conditions`, keeping `lastTransitionTime` when the status
/// does not change (so repeated reconciles do not rewrite the object).
pub fn set_condition(obj: &mut Value, type_: &str, status: &str, reason: &str, message: &str) {
    set_condition_with(obj, type_, status, reason, message, &[]);
}

/// Like [`set_condition`] with extra timestamp fields set on change (`lastUpdateTime`,
/// `lastHeartbeatTime`, ...).
pub fn set_condition_with(
    obj: &mut Value,
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    extra_times: &[&str],
) {
    if !obj["status"].is_object() {
        obj["status"] = json!({});
    }
    if !obj["status"]["conditions"].is_array() {
        obj["status"]["conditions"] = json!([]);
    }
    let conds = obj["status"]["conditions"]
        .as_array_mut()
        .expect("conditions is an array");
    let now = now_rfc3339();
    if let Some(c) = conds.iter_mut().find(|c| c["type"].as_str() == Some(type_)) {
        let same_status = c["status"].as_str() == Some(status);
        let same = same_status
            && c["reason"].as_str() == Some(reason)
            && c["message"].as_str() == Some(message);
        if same {
            return;
        }
        if !same_status {
            c["lastTransitionTime"] = json!(now);
        }
        c["status"] = json!(status);
        c["reason"] = json!(reason);
        c["message"] = json!(message);
        for t in extra_times {
            c[*t] = json!(now);
        }
    } else {
        let mut c = json!({
            "type": type_, "status": status, "reason": reason, "message": message,
            "lastTransitionTime": now,
        });
        for t in extra_times {
            c[*t] = json!(now);
        }
        conds.push(c);
    }
}

/// `n` random characters of the alphabet Kubernetes uses for generated names.
pub fn random_suffix(n: usize) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..n)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

/// Priority of a pod: `spec.priority`, else its PriorityClass's value, else the global
/// default class's value, else 0.
pub fn resolve_priority(spec: &Value, classes: &PriorityClasses) -> i32 {
    if let Some(p) = spec["priority"].as_i64() {
        return p as i32;
    }
    classes.value_of(spec["priorityClassName"].as_str())
}

/// The PriorityClasses of a cluster: name → (value, preemptionPolicy), plus the global default.
#[derive(Debug, Default, Clone)]
pub struct PriorityClasses {
    pub by_name: BTreeMap<String, (i32, Option<String>)>,
    pub default: Option<String>,
}

impl PriorityClasses {
    pub fn load(store: &Store) -> Self {
        let mut out = PriorityClasses::default();
        for pc in store.list(Kind::PriorityClass, None) {
            let n = name(&pc).to_string();
            let value = pc["value"].as_i64().unwrap_or(0) as i32;
            let policy = pc["preemptionPolicy"].as_str().map(str::to_string);
            if pc["globalDefault"].as_bool() == Some(true) {
                out.default = Some(n.clone());
            }
            out.by_name.insert(n, (value, policy));
        }
        out
    }

    /// Value of a named class (or of the global default when `name` is empty/None).
    pub fn value_of(&self, name: Option<&str>) -> i32 {
        let name = name.filter(|n| !n.is_empty()).or(self.default.as_deref());
        name.and_then(|n| self.by_name.get(n))
            .map(|(v, _)| *v)
            .unwrap_or(0)
    }

    /// Preemption policy of a named class (or of the global default).
    pub fn policy_of(&self, name: Option<&str>) -> Option<&str> {
        let name = name.filter(|n| !n.is_empty()).or(self.default.as_deref());
        name.and_then(|n| self.by_name.get(n))
            .and_then(|(_, p)| p.as_deref())
    }
}

/// Renders resources as Kubernetes quantity strings (`cpu: "500m"`, `memory: "1Gi"`).
pub fn quantities_json(r: &Resources) -> Value {
    let mut m = Map::new();
    for (k, v) in r.iter() {
        m.insert(
            k.to_string(),
            json!(crate::capacity::quantity::format_quantity(k, v)),
        );
    }
    Value::Object(m)
}

/// Emits Events (core/v1) about objects, up to a per-cluster cap so that huge simulated
/// clusters do not fill up with them.
#[derive(Debug, Default)]
pub struct Recorder {
    created: usize,
}

/// Events a cluster keeps at most (the simulator does not expire them).
const MAX_EVENTS: usize = 20_000;

impl Recorder {
    /// Records an Event about `involved` (a full object).
    #[allow(clippy::too_many_arguments)]
    pub fn record(
        &mut self,
        store: &Store,
        involved: &Value,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        let kind = Kind::ALL
            .into_iter()
            .find(|k| involved["kind"].as_str() == Some(k.name()))
            .unwrap_or(Kind::Pod);
        self.record_for(
            store,
            kind,
            (namespace(involved), name(involved), uid(involved)),
            type_,
            reason,
            message,
            component,
        );
    }

    /// Records an Event about the object `(namespace, name, uid)` of `kind`.
    #[allow(clippy::too_many_arguments)]
    pub fn record_for(
        &mut self,
        store: &Store,
        kind: Kind,
        (obj_ns, obj_name, obj_uid): (&str, &str, &str),
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        if self.created >= MAX_EVENTS {
            return;
        }
        self.created += 1;
        let ns = match obj_ns {
            "" => "default",
            ns => ns,
        };
        let now = now_rfc3339();
        let event = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": format!("{obj_name}.{:016x}", fastrand::u64(..)),
                "namespace": ns,
            },
            "involvedObject": {
                "apiVersion": kind.api_version(),
                "kind": kind.name(),
                "name": obj_name,
                "namespace": obj_ns,
                "uid": obj_uid,
            },
            "reason": reason,
            "message": message,
            "type": type_,
            "count": 1,
            "firstTimestamp": now,
            "lastTimestamp": now,
            "source": {"component": component},
            "reportingComponent": component,
            "reportingInstance": component,
        });
        let _ = store.create(Kind::Event, event);
    }
}

/// A new pod from the pod template of `owner` (a ReplicaSet, Job, StatefulSet or DaemonSet):
/// template labels and annotations, a controller ownerReference, and `spec.priority` /
/// `spec.preemptionPolicy` resolved from the PriorityClass like the Priority admission plugin.
/// The caller names it.
pub fn pod_from_template(owner: &Value, owner_kind: Kind, classes: &PriorityClasses) -> Value {
    let template = owner
        .pointer("/spec/template")
        .cloned()
        .unwrap_or(json!({}));
    let mut spec = template["spec"].clone();
    if !spec.is_object() {
        spec = json!({});
    }
    let pc = spec["priorityClassName"].as_str().map(str::to_string);
    if spec["priority"].as_i64().is_none() {
        spec["priority"] = json!(classes.value_of(pc.as_deref()));
    }
    if spec["preemptionPolicy"].as_str().is_none() {
        spec["preemptionPolicy"] = json!(classes
            .policy_of(pc.as_deref())
            .unwrap_or("PreemptLowerPriority"));
    }
    if spec["schedulerName"].as_str().is_none() {
        spec["schedulerName"] = json!("default-scheduler");
    }
    if spec["restartPolicy"].as_str().is_none() {
        spec["restartPolicy"] = json!("Always");
    }
    let labels = match template.pointer("/metadata/labels") {
        Some(l) if l.is_object() => l.clone(),
        _ => json!({}),
    };
    let mut meta = json!({
        "namespace": namespace(owner),
        "labels": labels,
        "ownerReferences": [{
            "apiVersion": owner_kind.api_version(), "kind": owner_kind.name(),
            "name": name(owner), "uid": uid(owner),
            "controller": true, "blockOwnerDeletion": true,
        }],
    });
    if let Some(a) = template
        .pointer("/metadata/annotations")
        .filter(|a| a.is_object())
    {
        meta["annotations"] = a.clone();
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": spec,
        "status": {"phase": "Pending"},
    })
}
