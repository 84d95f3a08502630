//! `meta.k8s.io/v1` Table responses (what `kubectl get` asks for), with the columns the real
//! API server prints for nodes, pods, deployments, replicasets, namespaces, priority classes,
//! configmaps, events and leases.

use serde_json::{json, Value};

use super::Query;
use crate::sim::store::Kind;

/// kubectl's HumanDuration for an age in seconds.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (m, h, d) = (s / 60, s / 3600, s / 86400);
    if s < 120 {
        format!("{s}s")
    } else if m < 10 {
        if s % 60 == 0 {
            format!("{m}m")
        } else {
            format!("{m}m{}s", s % 60)
        }
    } else if m < 180 {
        format!("{m}m")
    } else if h < 8 {
        if m % 60 == 0 {
            format!("{h}h")
        } else {
            format!("{h}h{}m", m % 60)
        }
    } else if h < 48 {
        format!("{h}h")
    } else if h < 192 {
        if h % 24 == 0 {
            format!("{d}d")
        } else {
            format!("{d}d{}h", h % 24)
        }
    } else if d < 365 * 2 {
        format!("{d}d")
    } else if d < 365 * 8 {
        let y = d / 365;
        if d % 365 == 0 {
            format!("{y}y")
        } else {
            format!("{y}y{}d", d % 365)
        }
    } else {
        format!("{}y", d / 365)
    }
}

fn age(ts: Option<&str>) -> String {
    let Some(ts) = ts else {
        return "<unknown>".into();
    };
    match ts.parse::<k8s_openapi::jiff::Timestamp>() {
        Ok(t) => human_duration(k8s_openapi::jiff::Timestamp::now().as_second() - t.as_second()),
        Err(_) => "<invalid>".into(),
    }
}

fn col(name: &str, ty: &str, priority: i64) -> Value {
    json!({"name": name, "type": ty, "format": if name == "Name" { "name" } else { "" }, "description": name, "priority": priority})
}

fn s<'a>(v: &'a Value, ptr: &str) -> &'a str {
    v.pointer(ptr).and_then(Value::as_str).unwrap_or_default()
}

fn i(v: &Value, ptr: &str) -> i64 {
    v.pointer(ptr).and_then(Value::as_i64).unwrap_or(0)
}

fn or_none(x: &str) -> String {
    if x.is_empty() {
        "<none>".into()
    } else {
        x.into()
    }
}

fn containers_images(o: &Value) -> (String, String) {
    let cs = o
        .pointer("/spec/template/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let names: Vec<&str> = cs.iter().map(|c| s(c, "/name")).collect();
    let images: Vec<&str> = cs.iter().map(|c| s(c, "/image")).collect();
    (names.join(","), images.join(","))
}

fn selector_string(o: &Value) -> String {
    let ml = o
        .pointer("/spec/selector/matchLabels")
        .and_then(Value::as_object);
    let parts: Vec<String> = ml
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    or_none(&parts.join(","))
}

/// Containers and images of a pod template (`spec.template.spec.containers`).
fn pod_template_containers(o: &Value) -> (String, String) {
    containers_images(o)
}

fn count_keys(o: &Value, ptr: &str) -> usize {
    o.pointer(ptr)
        .and_then(Value::as_object)
        .map_or(0, |m| m.len())
}

/// `k=v,k2=v2` of a string map, `<none>` when empty.
fn map_string(o: &Value, ptr: &str) -> String {
    let parts: Vec<String> = o
        .pointer(ptr)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    or_none(&parts.join(","))
}

fn or_unset(x: &str) -> String {
    if x.is_empty() {
        "<unset>".into()
    } else {
        x.into()
    }
}

/// The TARGETS column of an HPA: `cpu: 40%/60%` per metric (`<unknown>` before the first
/// status).
fn hpa_targets(o: &Value) -> String {
    let specs = o
        .pointer("/spec/metrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let current = o
        .pointer("/status/currentMetrics")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let parts: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(n, m)| {
            let t = s(m, "/type");
            let key = match t {
                "Resource" => "resource",
                "Pods" => "pods",
                "Object" => "object",
                "External" => "external",
                "ContainerResource" => "containerResource",
                _ => "",
            };
            let target = m.get(key).and_then(|x| x.get("target"));
            let cur = current
                .get(n)
                .and_then(|c| c.get(key))
                .and_then(|x| x.get("current"));
            let fmt = |x: Option<&Value>, pct: bool| match x {
                Some(v) => match (
                    v.get("averageUtilization"),
                    v.get("averageValue"),
                    v.get("value"),
                ) {
                    (Some(u), _, _) if pct || v.get("averageUtilization").is_some() => {
                        format!("{u}%")
                    }
                    (_, Some(a), _) => a
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| a.to_string()),
                    (_, _, Some(a)) => a
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| a.to_string()),
                    _ => "<unknown>".into(),
                },
                None => "<unknown>".into(),
            };
            let name = m
                .get(key)
                .and_then(|x| x.get("name").or_else(|| x.pointer("/metric/name")))
                .and_then(Value::as_str)
                .unwrap_or(key);
            format!("{name}: {}/{}", fmt(cur, false), fmt(target, false))
        })
        .collect();
    if parts.is_empty() {
        "<none>".into()
    } else {
        parts.join(", ")
    }
}

fn columns(kind: Kind) -> Vec<Value> {
    match kind {
        Kind::Node => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Roles", "string", 0),
            col("Age", "string", 0),
            col("Version", "string", 0),
            col("Internal-IP", "string", 1),
            col("External-IP", "string", 1),
            col("OS-Image", "string", 1),
            col("Kernel-Version", "string", 1),
            col("Container-Runtime", "string", 1),
        ],
        Kind::Pod => vec![
            col("Name", "string", 0),
            col("Ready", "string", 0),
            col("Status", "string", 0),
            col("Restarts", "string", 0),
            col("Age", "string", 0),
            col("IP", "string", 1),
            col("Node", "string", 1),
            col("Nominated Node", "string", 1),
            col("Readiness Gates", "string", 1),
        ],
        Kind::Deployment => vec![
            col("Name", "string", 0),
            col("Ready", "string", 0),
            col("Up-to-date", "integer", 0),
            col("Available", "integer", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
            col("Selector", "string", 1),
        ],
        Kind::ReplicaSet => vec![
            col("Name", "string", 0),
            col("Desired", "integer", 0),
            col("Current", "integer", 0),
            col("Ready", "integer", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
            col("Selector", "string", 1),
        ],
        Kind::Namespace => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::PriorityClass => vec![
            col("Name", "string", 0),
            col("Value", "integer", 0),
            col("Global-Default", "boolean", 0),
            col("Age", "string", 0),
            col("PreemptionPolicy", "string", 0),
        ],
        Kind::ConfigMap => vec![
            col("Name", "string", 0),
            col("Data", "integer", 0),
            col("Age", "string", 0),
        ],
        Kind::Event => vec![
            col("Last Seen", "string", 0),
            col("Type", "string", 0),
            col("Reason", "string", 0),
            col("Object", "string", 0),
            col("Message", "string", 0),
        ],
        Kind::Lease => vec![
            col("Name", "string", 0),
            col("Holder", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::Secret => vec![
            col("Name", "string", 0),
            col("Type", "string", 0),
            col("Data", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::ServiceAccount => vec![
            col("Name", "string", 0),
            col("Secrets", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::Service => vec![
            col("Name", "string", 0),
            col("Type", "string", 0),
            col("Cluster-IP", "string", 0),
            col("External-IP", "string", 0),
            col("Port(s)", "string", 0),
            col("Age", "string", 0),
            col("Selector", "string", 1),
        ],
        Kind::Endpoints => vec![
            col("Name", "string", 0),
            col("Endpoints", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::PersistentVolumeClaim => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Volume", "string", 0),
            col("Capacity", "string", 0),
            col("Access Modes", "string", 0),
            col("StorageClass", "string", 0),
            col("VolumeAttributesClass", "string", 0),
            col("Age", "string", 0),
            col("VolumeMode", "string", 1),
        ],
        Kind::Role | Kind::ClusterRole => {
            vec![col("Name", "string", 0), col("Created At", "date", 0)]
        }
        Kind::RoleBinding | Kind::ClusterRoleBinding => vec![
            col("Name", "string", 0),
            col("Role", "string", 0),
            col("Age", "string", 0),
            col("Users", "string", 1),
            col("Groups", "string", 1),
            col("ServiceAccounts", "string", 1),
        ],
        Kind::HorizontalPodAutoscaler => vec![
            col("Name", "string", 0),
            col("Reference", "string", 0),
            col("Targets", "string", 0),
            col("MinPods", "string", 0),
            col("MaxPods", "integer", 0),
            col("Replicas", "integer", 0),
            col("Age", "string", 0),
        ],
        Kind::PodDisruptionBudget => vec![
            col("Name", "string", 0),
            col("Min Available", "string", 0),
            col("Max Unavailable", "string", 0),
            col("Allowed Disruptions", "integer", 0),
            col("Age", "string", 0),
        ],
        Kind::Job => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Completions", "string", 0),
            col("Duration", "string", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
            col("Selector", "string", 1),
        ],
        Kind::StatefulSet => vec![
            col("Name", "string", 0),
            col("Ready", "string", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
        ],
        Kind::DaemonSet => vec![
            col("Name", "string", 0),
            col("Desired", "integer", 0),
            col("Current", "integer", 0),
            col("Ready", "integer", 0),
            col("Up-to-date", "integer", 0),
            col("Available", "integer", 0),
            col("Node Selector", "string", 0),
            col("Age", "string", 0),
            col("Containers", "string", 1),
            col("Images", "string", 1),
            col("Selector", "string", 1),
        ],
    }
}

fn pod_status(o: &Value) -> String {
    if o.pointer("/metadata/deletionTimestamp").is_some() {
        return "Terminating".into();
    }
    let mut reason = s(o, "/status/reason").to_string();
    if reason.is_empty() {
        reason = s(o, "/status/phase").to_string();
    }
    if let Some(cs) = o
        .pointer("/status/containerStatuses")
        .and_then(Value::as_array)
    {
        for c in cs {
            let w = s(c, "/state/waiting/reason");
            if !w.is_empty() {
                reason = w.into();
            }
        }
    }
    or_none(&reason).replace("<none>", "Unknown")
}

fn cells(kind: Kind, o: &Value) -> Vec<Value> {
    let name = s(o, "/metadata/name");
    let created = o
        .pointer("/metadata/creationTimestamp")
        .and_then(Value::as_str);
    match kind {
        Kind::Node => {
            let conds = o
                .pointer("/status/conditions")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let ready = conds
                .iter()
                .find(|c| s(c, "/type") == "Ready")
                .map(|c| s(c, "/status") == "True");
            let mut status = match ready {
                Some(true) => "Ready".to_string(),
                Some(false) => "NotReady".into(),
                None => "Unknown".into(),
            };
            if o.pointer("/spec/unschedulable").and_then(Value::as_bool) == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let mut roles: Vec<String> = o
                .pointer("/metadata/labels")
                .and_then(Value::as_object)
                .map(|m| {
                    m.keys()
                        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            roles.sort();
            let addr = |t: &str| {
                o.pointer("/status/addresses")
                    .and_then(Value::as_array)
                    .and_then(|a| a.iter().find(|x| s(x, "/type") == t))
                    .map(|x| s(x, "/address").to_string())
                    .unwrap_or_default()
            };
            vec![
                json!(name),
                json!(status),
                json!(or_none(&roles.join(","))),
                json!(age(created)),
                json!(s(o, "/status/nodeInfo/kubeletVersion")),
                json!(or_none(&addr("InternalIP"))),
                json!(or_none(&addr("ExternalIP"))),
                json!(or_none(s(o, "/status/nodeInfo/osImage"))),
                json!(or_none(s(o, "/status/nodeInfo/kernelVersion"))),
                json!(or_none(s(o, "/status/nodeInfo/containerRuntimeVersion"))),
            ]
        }
        Kind::Pod => {
            let total = o
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            let statuses = o
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let ready = statuses
                .iter()
                .filter(|c| c.get("ready").and_then(Value::as_bool) == Some(true))
                .count();
            let restarts: i64 = statuses.iter().map(|c| i(c, "/restartCount")).sum();
            vec![
                json!(name),
                json!(format!("{ready}/{total}")),
                json!(pod_status(o)),
                json!(restarts),
                json!(age(created)),
                json!(or_none(s(o, "/status/podIP"))),
                json!(or_none(s(o, "/spec/nodeName"))),
                json!(or_none(s(o, "/status/nominatedNodeName"))),
                json!("<none>"),
            ]
        }
        Kind::Deployment => {
            let (c, im) = containers_images(o);
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    i(o, "/status/readyReplicas"),
                    i(o, "/spec/replicas")
                )),
                json!(i(o, "/status/updatedReplicas")),
                json!(i(o, "/status/availableReplicas")),
                json!(age(created)),
                json!(c),
                json!(im),
                json!(selector_string(o)),
            ]
        }
        Kind::ReplicaSet => {
            let (c, im) = containers_images(o);
            vec![
                json!(name),
                json!(i(o, "/spec/replicas")),
                json!(i(o, "/status/replicas")),
                json!(i(o, "/status/readyReplicas")),
                json!(age(created)),
                json!(c),
                json!(im),
                json!(selector_string(o)),
            ]
        }
        Kind::Namespace => vec![
            json!(name),
            json!(or_none(s(o, "/status/phase"))),
            json!(age(created)),
        ],
        Kind::PriorityClass => vec![
            json!(name),
            json!(i(o, "/value")),
            json!(o
                .get("globalDefault")
                .and_then(Value::as_bool)
                .unwrap_or(false)),
            json!(age(created)),
            json!(if s(o, "/preemptionPolicy").is_empty() {
                "PreemptLowerPriority"
            } else {
                s(o, "/preemptionPolicy")
            }),
        ],
        Kind::ConfigMap => {
            let n = o
                .get("data")
                .and_then(Value::as_object)
                .map_or(0, |m| m.len())
                + o.get("binaryData")
                    .and_then(Value::as_object)
                    .map_or(0, |m| m.len());
            vec![json!(name), json!(n), json!(age(created))]
        }
        Kind::Event => {
            let last = [
                s(o, "/lastTimestamp"),
                s(o, "/eventTime"),
                s(o, "/metadata/creationTimestamp"),
            ]
            .into_iter()
            .find(|x| !x.is_empty());
            let obj = format!(
                "{}/{}",
                s(o, "/involvedObject/kind").to_lowercase(),
                s(o, "/involvedObject/name")
            );
            vec![
                json!(age(last)),
                json!(s(o, "/type")),
                json!(s(o, "/reason")),
                json!(obj),
                json!(s(o, "/message")),
            ]
        }
        Kind::Lease => vec![
            json!(name),
            json!(or_none(s(o, "/spec/holderIdentity"))),
            json!(age(created)),
        ],
        Kind::Secret => vec![
            json!(name),
            json!(s(o, "/type")),
            json!(count_keys(o, "/data")),
            json!(age(created)),
        ],
        Kind::ServiceAccount => vec![
            json!(name),
            json!(o
                .get("secrets")
                .and_then(Value::as_array)
                .map_or(0, Vec::len)),
            json!(age(created)),
        ],
        Kind::Service => {
            let ports: Vec<String> = o
                .pointer("/spec/ports")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| {
                            let proto = match s(p, "/protocol") {
                                "" => "TCP",
                                x => x,
                            };
                            match p.get("nodePort").and_then(Value::as_i64) {
                                Some(np) => format!("{}:{np}/{proto}", i(p, "/port")),
                                None => format!("{}/{proto}", i(p, "/port")),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let ext: Vec<String> = o
                .pointer("/status/loadBalancer/ingress")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|x| s(x, "/ip").to_string()).collect())
                .unwrap_or_default();
            let ext = match (s(o, "/spec/type"), ext.is_empty()) {
                ("LoadBalancer", true) => "<pending>".to_string(),
                ("ExternalName", _) => s(o, "/spec/externalName").to_string(),
                (_, true) => "<none>".to_string(),
                (_, false) => ext.join(","),
            };
            vec![
                json!(name),
                json!(s(o, "/spec/type")),
                json!(or_none(s(o, "/spec/clusterIP"))),
                json!(ext),
                json!(or_none(&ports.join(","))),
                json!(age(created)),
                json!(map_string(o, "/spec/selector")),
            ]
        }
        Kind::Endpoints => {
            let mut eps = Vec::new();
            for sub in o
                .get("subsets")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let ports: Vec<i64> = sub
                    .get("ports")
                    .and_then(Value::as_array)
                    .map(|ps| ps.iter().map(|p| i(p, "/port")).collect())
                    .unwrap_or_default();
                for a in sub
                    .get("addresses")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if ports.is_empty() {
                        eps.push(s(a, "/ip").to_string());
                    }
                    for p in &ports {
                        eps.push(format!("{}:{p}", s(a, "/ip")));
                    }
                }
            }
            let shown = if eps.len() > 3 {
                format!("{} + {} more...", eps[..3].join(","), eps.len() - 3)
            } else {
                eps.join(",")
            };
            vec![json!(name), json!(or_none(&shown)), json!(age(created))]
        }
        Kind::PersistentVolumeClaim => {
            let modes: Vec<&str> = o
                .pointer("/status/accessModes")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|m| match m.as_str().unwrap_or_default() {
                            "ReadWriteOnce" => "RWO",
                            "ReadOnlyMany" => "ROX",
                            "ReadWriteMany" => "RWX",
                            "ReadWriteOncePod" => "RWOP",
                            x => x,
                        })
                        .collect()
                })
                .unwrap_or_default();
            vec![
                json!(name),
                json!(s(o, "/status/phase")),
                json!(s(o, "/spec/volumeName")),
                json!(s(o, "/status/capacity/storage")),
                json!(modes.join(",")),
                json!(or_unset(s(o, "/spec/storageClassName"))),
                json!(or_unset(s(o, "/spec/volumeAttributesClassName"))),
                json!(age(created)),
                json!(match s(o, "/spec/volumeMode") {
                    "" => "Filesystem",
                    m => m,
                }),
            ]
        }
        Kind::Role | Kind::ClusterRole => vec![json!(name), json!(created.unwrap_or_default())],
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            let subjects = |k: &str| {
                let v: Vec<String> = o
                    .get("subjects")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|x| s(x, "/kind") == k)
                    .map(|x| match s(x, "/namespace") {
                        "" => s(x, "/name").to_string(),
                        ns => format!("{ns}/{}", s(x, "/name")),
                    })
                    .collect();
                v.join(", ")
            };
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    s(o, "/roleRef/kind"),
                    s(o, "/roleRef/name")
                )),
                json!(age(created)),
                json!(subjects("User")),
                json!(subjects("Group")),
                json!(subjects("ServiceAccount")),
            ]
        }
        Kind::HorizontalPodAutoscaler => vec![
            json!(name),
            json!(format!(
                "{}/{}",
                s(o, "/spec/scaleTargetRef/kind"),
                s(o, "/spec/scaleTargetRef/name")
            )),
            json!(hpa_targets(o)),
            json!(
                match o.pointer("/spec/minReplicas").and_then(Value::as_i64) {
                    Some(m) => m.to_string(),
                    None => "<unset>".into(),
                }
            ),
            json!(i(o, "/spec/maxReplicas")),
            json!(i(o, "/status/currentReplicas")),
            json!(age(created)),
        ],
        Kind::PodDisruptionBudget => {
            let iv = |p: &str| match o.pointer(p) {
                Some(Value::String(x)) => x.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => "N/A".into(),
            };
            vec![
                json!(name),
                json!(iv("/spec/minAvailable")),
                json!(iv("/spec/maxUnavailable")),
                json!(i(o, "/status/disruptionsAllowed")),
                json!(age(created)),
            ]
        }
        Kind::Job => {
            let (c, im) = pod_template_containers(o);
            let completions = o.pointer("/spec/completions").and_then(Value::as_i64);
            let succeeded = i(o, "/status/succeeded");
            let comp = match completions {
                Some(n) => format!("{succeeded}/{n}"),
                None => format!("{succeeded}/1 of {}", i(o, "/spec/parallelism").max(1)),
            };
            let cond = |t: &str| {
                o.pointer("/status/conditions")
                    .and_then(Value::as_array)
                    .is_some_and(|cs| {
                        cs.iter()
                            .any(|x| s(x, "/type") == t && s(x, "/status") == "True")
                    })
            };
            let status = if cond("Complete") {
                "Complete"
            } else if cond("Failed") {
                "Failed"
            } else if o.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true) {
                "Suspended"
            } else {
                "Running"
            };
            let secs = |p: &str| {
                o.pointer(p)
                    .and_then(Value::as_str)
                    .and_then(|t| t.parse::<k8s_openapi::jiff::Timestamp>().ok())
                    .map(|t| t.as_second())
            };
            let duration = match (secs("/status/startTime"), secs("/status/completionTime")) {
                (Some(a), Some(b)) => human_duration(b - a),
                (Some(a), None) => {
                    human_duration(k8s_openapi::jiff::Timestamp::now().as_second() - a)
                }
                _ => String::new(),
            };
            vec![
                json!(name),
                json!(status),
                json!(comp),
                json!(duration),
                json!(age(created)),
                json!(c),
                json!(im),
                json!(map_string(o, "/spec/selector/matchLabels")),
            ]
        }
        Kind::StatefulSet => {
            let (c, im) = pod_template_containers(o);
            vec![
                json!(name),
                json!(format!(
                    "{}/{}",
                    i(o, "/status/readyReplicas"),
                    o.pointer("/spec/replicas")
                        .and_then(Value::as_i64)
                        .unwrap_or(1)
                )),
                json!(age(created)),
                json!(c),
                json!(im),
            ]
        }
        Kind::DaemonSet => {
            let (c, im) = pod_template_containers(o);
            vec![
                json!(name),
                json!(i(o, "/status/desiredNumberScheduled")),
                json!(i(o, "/status/currentNumberScheduled")),
                json!(i(o, "/status/numberReady")),
                json!(i(o, "/status/updatedNumberScheduled")),
                json!(i(o, "/status/numberAvailable")),
                json!(map_string(o, "/spec/template/spec/nodeSelector")),
                json!(age(created)),
                json!(c),
                json!(im),
                json!(selector_string(o)),
            ]
        }
    }
}

fn row_object(o: &Value, include: &str) -> Option<Value> {
    match include {
        "None" => None,
        "Object" => Some(o.clone()),
        _ => {
            let mut meta = o.get("metadata").cloned().unwrap_or_else(|| json!({}));
            meta.as_object_mut().map(|m| m.remove("managedFields"));
            Some(
                json!({"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}),
            )
        }
    }
}

/// A Table of APIServices (api/apiservice.rs, not a stored kind): kube's columns NAME,
/// SERVICE (`Local` or `namespace/name`), AVAILABLE (`True`, or `False (reason)`), AGE.
pub fn apiservice_table(objs: &[Value], q: &Query, rv: u64) -> Value {
    let include = q.get("includeObject").unwrap_or("Metadata");
    let rows: Vec<Value> = objs
        .iter()
        .map(|o| {
            let service = match &o["spec"]["service"] {
                Value::Null => "Local".to_string(),
                svc => format!("{}/{}", s(svc, "/namespace"), s(svc, "/name")),
            };
            let available = o["status"]["conditions"]
                .as_array()
                .and_then(|cs| cs.iter().find(|c| c["type"] == "Available"))
                .map_or("Unknown".to_string(), |c| match s(c, "/status") {
                    "True" => "True".to_string(),
                    st => format!("{st} ({})", s(c, "/reason")),
                });
            let mut r = json!({"cells": [
                s(o, "/metadata/name"),
                service,
                available,
                age(o.pointer("/metadata/creationTimestamp").and_then(Value::as_str)),
            ]});
            if let Some(obj) = row_object(o, include) {
                r["object"] = obj;
            }
            r
        })
        .collect();
    let cols = vec![
        col("Name", "string", 0),
        col("Service", "string", 0),
        col("Available", "string", 0),
        col("Age", "date", 0),
    ];
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": {"resourceVersion": rv.to_string()},
           "columnDefinitions": cols, "rows": rows})
}

/// A Table of `objs`; `cont` is the list continue token; `columns` false omits the column
/// definitions (watch events after the first).
pub fn table(
    kind: Kind,
    objs: &[Value],
    q: &Query,
    cont: Option<&str>,
    rv: u64,
    with_columns: Option<bool>,
) -> Value {
    let include = q.get("includeObject").unwrap_or("Metadata");
    let rows: Vec<Value> = objs
        .iter()
        .map(|o| {
            let mut r = json!({"cells": cells(kind, o)});
            if let Some(obj) = row_object(o, include) {
                r["object"] = obj;
            }
            r
        })
        .collect();
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if let Some(c) = cont {
        meta["continue"] = json!(c);
    }
    let cols = if with_columns.unwrap_or(true) {
        columns(kind)
    } else {
        Vec::new()
    };
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": cols, "rows": rows})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_matches_kubectl() {
        assert_eq!(human_duration(5), "5s");
        assert_eq!(human_duration(125), "2m5s");
        assert_eq!(human_duration(600), "10m");
        assert_eq!(human_duration(3 * 3600 + 60), "3h1m");
        assert_eq!(human_duration(30 * 3600), "30h");
        assert_eq!(human_duration(3 * 86400 + 3600), "3d1h");
    }

    #[test]
    fn node_status_shows_scheduling_disabled() {
        let n = json!({"metadata": {"name": "n1", "labels": {"node-role.kubernetes.io/worker": ""}},
                       "spec": {"unschedulable": true},
                       "status": {"conditions": [{"type": "Ready", "status": "True"}]}});
        let c = cells(Kind::Node, &n);
        assert_eq!(c[1], "Ready,SchedulingDisabled");
        assert_eq!(c[2], "worker");
    }
}
