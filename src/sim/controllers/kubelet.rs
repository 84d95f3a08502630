//! The simulated kubelets and node lifecycle controller.
//!
//! Kubelet: a pod bound to a Ready node becomes Running (startTime, podIP, hostIP, running
//! containerStatuses) and turns Ready after the largest readinessProbe `initialDelaySeconds`
//! of its containers, divided by the speed. On a NotReady node its pods lose readiness.
//! Pods bound to a node that no longer exists are deleted (like the pod GC).
//!
//! Bad images (`sim fault --bad-image`): a pod with a container running a bad image starts
//! (Running) but never turns Ready; every [`CRASH_SECONDS`] simulated seconds its containers
//! with the bad image restart (restartCount + 1, waiting reason CrashLoopBackOff). Once the
//! image is good again the pod turns Ready at its next check.
//!
//! Node lifecycle: pods on a node that has been NotReady for the eviction grace time
//! (40 simulated seconds) are evicted (deleted); their ReplicaSets recreate them elsewhere.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::util::{now_rfc3339, set_condition, Recorder};
use super::view::{PodKey, View};
use crate::sim::cluster::ClusterCtx;
use crate::sim::store::Kind;

/// Simulated seconds a node stays NotReady before its pods are evicted.
pub const EVICTION_GRACE_SECONDS: f64 = 40.0;

/// Simulated seconds between two restarts of a container running a bad image.
pub const CRASH_SECONDS: f64 = 10.0;

/// Whether the pod runs a bad image; if so, counts one more restart of those containers.
fn crash_if_bad(v: &mut Value, bad: &BTreeSet<String>) -> bool {
    let images: Vec<String> = v
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .map(|cs| {
            cs.iter()
                .filter_map(|c| c["image"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    if !images.iter().any(|i| bad.contains(i)) {
        return false;
    }
    let at = now_rfc3339();
    if let Some(cs) = v["status"]["containerStatuses"].as_array_mut() {
        for c in cs {
            if !c["image"].as_str().is_some_and(|i| bad.contains(i)) {
                continue;
            }
            let n = c["restartCount"].as_u64().unwrap_or(0) + 1;
            c["restartCount"] = json!(n);
            c["ready"] = json!(false);
            c["started"] = json!(false);
            c["lastState"] = json!({"terminated": {
                "exitCode": 1, "reason": "Error", "finishedAt": at, "startedAt": at}});
            c["state"] = json!({"waiting": {
                "reason": "CrashLoopBackOff",
                "message": "back-off restarting failed container (simulated bad image)"}});
        }
    }
    true
}

/// Timers of the kubelets and the node lifecycle controller.
#[derive(Debug, Default)]
pub struct KubeletState {
    /// Pod uid → when it turns Ready.
    ready_at: HashMap<String, Instant>,
    /// Node → since when it is NotReady (not counting provisioning pool nodes).
    not_ready_since: HashMap<String, Instant>,
}

/// Pod IPs are unique in the process (seeding and the control loop share the counter).
static NEXT_POD_IP: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

impl KubeletState {
    fn pod_ip(&mut self) -> String {
        let n = NEXT_POD_IP.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % (1 << 22) + 1;
        format!(
            "10.{}.{}.{}",
            64 + ((n >> 16) & 63),
            (n >> 8) & 255,
            n & 255
        )
    }
}

fn container_statuses(pod: &Value, ready: bool, started_at: &str) -> Value {
    let cs = pod
        .pointer("/spec/containers")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Value::Array(
        cs.iter()
            .map(|c| {
                let image = c["image"].as_str().unwrap_or_default();
                json!({
                    "name": c["name"],
                    "image": image,
                    "imageID": format!("sim://{image}"),
                    "containerID": format!("containerd://{:016x}", fastrand::u64(..)),
                    "ready": ready,
                    "started": true,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": started_at}},
                })
            })
            .collect(),
    )
}

fn set_pod_readiness(v: &mut Value, ready: bool) {
    let (s, reason) = if ready {
        ("True", "")
    } else {
        ("False", "ContainersNotReady")
    };
    set_condition(v, "ContainersReady", s, reason, "");
    set_condition(v, "Ready", s, reason, "");
    if let Some(cs) = v["status"]["containerStatuses"].as_array_mut() {
        for c in cs {
            c["ready"] = json!(ready);
        }
    }
}

/// One pass of every kubelet and of the node lifecycle controller. Returns the earliest
/// instant something is due (a pod turning Ready, an eviction).
pub fn sync(
    ctx: &ClusterCtx,
    st: &mut KubeletState,
    rec: &mut Recorder,
    now: Instant,
    view: &View,
) -> Option<Instant> {
    let store = &ctx.store;
    let mut next: Option<Instant> = None;
    let mut due = |t: Instant| {
        next = Some(next.map_or(t, |n: Instant| n.min(t)));
    };

    // Node lifecycle: NotReady timers and evictions.
    let grace = ctx.scaled(EVICTION_GRACE_SECONDS);
    let mut evicting: HashSet<&str> = HashSet::new();
    for node in view.nodes() {
        let n = &*node.name;
        if node.ready || node.provisioning {
            st.not_ready_since.remove(n);
            continue;
        }
        let since = *st.not_ready_since.entry(n.to_string()).or_insert(now);
        if now >= since + grace {
            evicting.insert(n);
        } else {
            due(since + grace);
        }
    }
    st.not_ready_since
        .retain(|n, _| view.node(n.as_str()).is_some());

    // Only pods the kubelets may have to act on: not yet Running and Ready, or on a node that
    // is gone, NotReady or evicting (in namespace/name order).
    let mut visit: BTreeSet<&PodKey> = view.kubelet_todo().iter().collect();
    for (node, keys) in view.pods_by_node() {
        if view.node(node).is_none_or(|n| !n.ready) || evicting.contains(node) {
            visit.extend(keys);
        }
    }
    for pod in visit.into_iter().filter_map(|k| view.pod(k)) {
        let node = &*pod.node_name;
        if node.is_empty() || pod.terminal() || pod.deleting {
            continue;
        }
        let (ns, pn) = (&*pod.namespace, &*pod.name);
        let pod_ref = (ns, pn, &*pod.uid);
        let Some(node_obj) = view.node(node) else {
            // Bound to a node that is gone: the pod GC deletes it.
            let _ = store.delete(Kind::Pod, ns, pn);
            continue;
        };
        if evicting.contains(node) {
            rec.record_for(
                store,
                Kind::Pod,
                pod_ref,
                "Warning",
                "NodeNotReady",
                &format!("Evicting pod: node {node} has been NotReady for {EVICTION_GRACE_SECONDS}s (simulated)"),
                "node-controller",
            );
            let _ = store.delete(Kind::Pod, ns, pn);
            continue;
        }
        let ready_node = node_obj.ready;
        if &*pod.phase != "Running" {
            if !ready_node {
                continue;
            }
            let delay = ctx.scaled(pod.readiness_delay);
            let runs_bad_image = {
                let bad = ctx.bad_images.read().unwrap_or_else(|e| e.into_inner());
                !bad.is_empty()
                    && store
                        .get(Kind::Pod, ns, pn)
                        .and_then(|v| v.pointer("/spec/containers").cloned())
                        .and_then(|c| c.as_array().cloned())
                        .is_some_and(|cs| {
                            cs.iter()
                                .any(|c| c["image"].as_str().is_some_and(|i| bad.contains(i)))
                        })
            };
            // A bad image is checked (and crashes) when the readiness delay is over.
            let delay = if runs_bad_image {
                delay.max(ctx.scaled(CRASH_SECONDS))
            } else {
                delay
            };
            let ready_now = delay == Duration::ZERO;
            let started = now_rfc3339();
            let ip = st.pod_ip();
            let host_ip = node_obj.internal_ip.as_deref().unwrap_or("10.0.0.1");
            let _ = store.mutate(Kind::Pod, ns, pn, |v| {
                let statuses = container_statuses(v, ready_now, &started);
                if !v["status"].is_object() {
                    v["status"] = json!({});
                }
                let s = &mut v["status"];
                s["phase"] = json!("Running");
                s["startTime"] = json!(started);
                s["podIP"] = json!(ip);
                s["podIPs"] = json!([{"ip": ip}]);
                s["hostIP"] = json!(host_ip);
                s["hostIPs"] = json!([{"ip": host_ip}]);
                s["containerStatuses"] = statuses;
                set_condition(v, "PodReadyToStartContainers", "True", "", "");
                set_condition(v, "Initialized", "True", "", "");
                set_condition(v, "PodScheduled", "True", "", "");
                set_pod_readiness(v, ready_now);
            });
            if !ready_now {
                st.ready_at.insert(pod.uid.to_string(), now + delay);
                due(now + delay);
            }
            continue;
        }
        // Running.
        let ready = pod.ready;
        if !ready_node {
            st.ready_at.remove(&*pod.uid);
            if ready {
                let _ = store.mutate(Kind::Pod, ns, pn, |v| set_pod_readiness(v, false));
            }
            continue;
        }
        if ready {
            st.ready_at.remove(&*pod.uid);
            continue;
        }
        let at = *st
            .ready_at
            .entry(pod.uid.to_string())
            .or_insert_with(|| now + ctx.scaled(pod.readiness_delay));
        if now >= at {
            st.ready_at.remove(&*pod.uid);
            let bad = ctx
                .bad_images
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            let mut crashed = false;
            let _ = store.mutate(Kind::Pod, ns, pn, |v| {
                crashed = !bad.is_empty() && crash_if_bad(v, &bad);
                if !crashed {
                    set_pod_readiness(v, true);
                }
            });
            if crashed {
                let again = now + ctx.scaled(CRASH_SECONDS);
                st.ready_at.insert(pod.uid.to_string(), again);
                due(again);
            }
        } else {
            due(at);
        }
    }
    if !st.ready_at.is_empty() {
        // Timers of pods that are gone or no longer waiting for readiness.
        let waiting: HashSet<&str> = view
            .kubelet_todo()
            .iter()
            .filter_map(|k| view.pod(k))
            .map(|p| &*p.uid)
            .collect();
        st.ready_at.retain(|u, _| waiting.contains(u.as_str()));
    }
    next
}
