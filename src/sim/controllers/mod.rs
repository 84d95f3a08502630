//! Simulated cluster behaviour: what makes a member of the simulated fleet act like a real
//! cluster behind its API (the API itself is `sim::server`/`sim::store`).
//!
//! - [`seed`]: namespaces, nodes, PriorityClasses, pre-existing workloads and the inventory
//!   ConfigMap of a new cluster, from its [`ClusterConfig`](super::config::ClusterConfig).
//! - [`spawn`]: one control loop per cluster running, in order, the Deployment controller,
//!   the ReplicaSet controller, the scheduler (with preemption), the node pools, the kubelets
//!   and the node lifecycle controller. The loop wakes on every store change (debounced),
//!   when a timer is due (readiness delays, provisioning, idle scale-down, eviction grace,
//!   all divided by the speed), and on a periodic resync; it stops when `shutdown` turns true.
//! - [`apply_fault`]: node NotReady / Ready and inventory faults.
//!
//! Behaviour reference: `docs/simulator.md`.

pub mod deployment;
pub mod kubelet;
pub mod pools;
pub mod scheduler;
pub mod util;
pub mod view;
pub mod workloads;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::cluster::ClusterCtx;
use super::store::{Kind, Store};
use super::Fault;
use util::{
    set_condition, set_condition_with, PriorityClasses, Recorder, NOT_READY_FAULT_ANNOTATION,
};

pub use pools::{INVENTORY_CONFIGMAP, INVENTORY_KEY, INVENTORY_NAMESPACE};

/// Simulated seconds between two full resyncs when nothing happens.
const RESYNC_SECONDS: f64 = 10.0;

/// Everything the controllers of one cluster remember between passes.
#[derive(Debug, Default)]
pub struct State {
    recorder: Recorder,
    view: view::View,
    replicasets: deployment::RsState,
    kubelet: kubelet::KubeletState,
    pools: pools::PoolState,
    workloads: workloads::WorkloadState,
}

/// Refreshes the view, then syncs the ReplicaSets whose pods changed since the last sync.
fn sync_changed_replicasets(store: &Store, st: &mut State, classes: &PriorityClasses) {
    st.view.refresh(store, classes);
    let dirty = st.view.take_dirty_owners();
    deployment::sync_replicasets(
        store,
        &mut st.recorder,
        classes,
        &st.view,
        dirty.as_ref(),
        &mut st.replicasets,
    );
}

/// One pass of every controller. Returns when the next timer is due, if any.
///
/// Every step reads pods and nodes from the lean [`view::View`], refreshed (incrementally)
/// before each step so it sees what the previous steps wrote.
pub fn reconcile(ctx: &ClusterCtx, st: &mut State, now: Instant) -> Option<Instant> {
    let store = &ctx.store;
    let mut t = Instant::now();
    let mut lap = |step: &str| {
        tracing::trace!(cluster = %ctx.name, step, elapsed = ?t.elapsed(), "controller step");
        t = Instant::now();
    };
    let classes = PriorityClasses::load(store);
    crate::sim::auth::aggregate(store);
    default_service_accounts(store);
    deployment::sync_deployments(store, &mut st.recorder);
    lap("deployments");
    let start_rv = store.resource_version();
    sync_changed_replicasets(store, st, &classes);
    lap("replicasets");
    st.view.refresh(store, &classes);
    scheduler::schedule(store, &mut st.recorder, &st.view);
    lap("scheduler");
    // Pools need the scheduler's fresh Unschedulable marks.
    st.view.refresh(store, &classes);
    let pools_due = pools::sync(ctx, &mut st.pools, &mut st.recorder, &st.view, now);
    lap("pools");
    st.view.refresh(store, &classes);
    let kubelet_due = kubelet::sync(ctx, &mut st.kubelet, &mut st.recorder, now, &st.view);
    lap("kubelet");
    let workloads_due = workloads::sync(
        ctx,
        &mut st.workloads,
        &mut st.recorder,
        &classes,
        &st.view,
        now,
    );
    lap("workloads");
    if store.resource_version() != start_rv {
        // Statuses that depend on what the scheduler and kubelets just did.
        sync_changed_replicasets(store, st, &classes);
        deployment::sync_deployments(store, &mut st.recorder);
        lap("statuses");
    }
    [pools_due, kubelet_due, workloads_due]
        .into_iter()
        .flatten()
        .min()
}

/// The service-account controller: every namespace has a ServiceAccount `default`.
fn default_service_accounts(store: &Store) {
    for ns in store.list_raw(Kind::Namespace, None) {
        let terminating = ns.phase.as_deref() == Some("Terminating");
        if !terminating && store_has_no_default(store, &ns.name) {
            let _ = store.create(
                Kind::ServiceAccount,
                json!({"apiVersion": "v1", "kind": "ServiceAccount",
                       "metadata": {"name": "default", "namespace": &*ns.name}}),
            );
        }
    }
}

fn store_has_no_default(store: &Store, ns: &str) -> bool {
    store.get_raw(Kind::ServiceAccount, ns, "default").is_none()
}

/// A Ready node object with the given allocatable (also its capacity), labels and taints.
pub fn node_object(
    ctx: &ClusterCtx,
    node: &str,
    allocatable: &BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
    taints: Vec<Value>,
) -> Value {
    let mut labels = labels;
    labels.insert("kubernetes.io/hostname".to_string(), node.to_string());
    labels
        .entry("kubernetes.io/os".to_string())
        .or_insert_with(|| "linux".to_string());
    labels
        .entry("kubernetes.io/arch".to_string())
        .or_insert_with(|| "amd64".to_string());
    let mut alloc = allocatable.clone();
    alloc
        .entry("pods".to_string())
        .or_insert_with(|| "110".to_string());
    let n = fastrand::u32(..);
    let ip = format!(
        "172.{}.{}.{}",
        16 + (n >> 16) % 16,
        (n >> 8) & 255,
        (n & 255).max(2)
    );
    let mut obj = json!({
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": node, "labels": labels},
        "spec": {"taints": taints, "providerID": format!("sim://{}/{node}", ctx.name)},
        "status": {
            "capacity": alloc,
            "allocatable": alloc,
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": node},
            ],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": format!("{:032x}", fastrand::u128(..)),
                "containerRuntimeVersion": "containerd://1.7.22",
                "kernelVersion": "5.10.134-sim",
                "kubeProxyVersion": "v1.32.0",
                "kubeletVersion": "v1.32.0",
                "machineID": format!("{:032x}", fastrand::u128(..)),
                "operatingSystem": "linux",
                "osImage": "kubectl-fleet simulated node",
                "systemUUID": format!("{:032x}", fastrand::u128(..)),
            },
            "conditions": [],
        },
    });
    for (t, reason, msg) in [
        (
            "MemoryPressure",
            "KubeletHasSufficientMemory",
            "kubelet has sufficient memory available",
        ),
        (
            "DiskPressure",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
        ),
        (
            "PIDPressure",
            "KubeletHasSufficientPID",
            "kubelet has sufficient PID available",
        ),
    ] {
        set_condition_with(&mut obj, t, "False", reason, msg, &["lastHeartbeatTime"]);
    }
    set_condition_with(
        &mut obj,
        "Ready",
        "True",
        "KubeletReady",
        "kubelet is posting ready status",
        &["lastHeartbeatTime"],
    );
    obj
}

fn taints_json(taints: &[super::config::TaintConfig]) -> Vec<Value> {
    taints
        .iter()
        .map(|t| json!({"key": t.key, "value": t.value, "effect": t.effect}))
        .collect()
}

/// The Deployment of a configured pre-existing workload.
pub fn workload_deployment(w: &super::config::WorkloadConfig) -> Value {
    let mut limits = serde_json::Map::new();
    for (k, v) in &w.requests {
        // Extended resources (GPUs) must have limits equal to requests.
        if k.contains('/') && !k.starts_with("requests.") {
            limits.insert(k.clone(), json!(v));
        }
    }
    let mut spec = json!({
        "containers": [{
            "name": "app",
            "image": "registry.k8s.io/pause:3.10",
            "resources": {"requests": w.requests, "limits": limits},
        }],
    });
    if let Some(pc) = &w.priority_class_name {
        spec["priorityClassName"] = json!(pc);
    }
    if !w.node_selector.is_empty() {
        spec["nodeSelector"] = json!(w.node_selector);
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": w.name,
            "namespace": w.namespace,
            "labels": {"app": w.name},
        },
        "spec": {
            "replicas": w.replicas,
            "selector": {"matchLabels": {"app": w.name}},
            "template": {
                "metadata": {"labels": {"app": w.name}},
                "spec": spec,
            },
        },
    })
}

fn ensure_namespace(store: &Store, ns: &str) {
    if store.get(Kind::Namespace, "", ns).is_none() {
        let _ = store.create(
            Kind::Namespace,
            json!({
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }),
        );
    }
}

/// Fills a new cluster's store from its config, then runs one reconcile pass so the
/// pre-existing workloads are already scheduled and running when clients connect.
pub fn seed(ctx: &ClusterCtx) {
    let store = &ctx.store;
    let cfg = &ctx.config;
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        ensure_namespace(store, ns);
    }
    for (kind, obj) in crate::sim::auth::bootstrap_objects() {
        let _ = store.create(kind, obj);
    }
    let base_labels = cfg.node_labels();
    for group in &cfg.nodes {
        for i in 1..=group.count {
            let node = format!("{}-{i}", group.prefix);
            let mut labels = base_labels.clone();
            labels.extend(group.labels.clone());
            let obj = node_object(
                ctx,
                &node,
                &group.allocatable,
                labels,
                taints_json(&group.taints),
            );
            let _ = store.create(Kind::Node, obj);
        }
    }
    for (pc, value) in [
        ("system-cluster-critical", 2_000_000_000i64),
        ("system-node-critical", 2_000_001_000),
    ] {
        let _ = store.create(
            Kind::PriorityClass,
            json!({
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": {"name": pc}, "value": value, "globalDefault": false,
                "preemptionPolicy": "PreemptLowerPriority",
                "description": "Used for system critical pods that must run in the cluster.",
            }),
        );
    }
    for pc in &cfg.priority_classes {
        let _ = store.create(
            Kind::PriorityClass,
            json!({
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                "metadata": {"name": pc.name},
                "value": pc.value,
                "globalDefault": pc.global_default,
                "preemptionPolicy": pc.preemption_policy.as_deref().unwrap_or("PreemptLowerPriority"),
            }),
        );
    }
    for w in &cfg.workloads {
        ensure_namespace(store, &w.namespace);
        let _ = store.create(Kind::Deployment, workload_deployment(w));
    }
    pools::publish(ctx, &BTreeMap::new(), None, &pools::pool_counts(store));
    let mut st = State::default();
    // Settle: ReplicaSets, pods, binding, kubelets, statuses (until nothing changes).
    for _ in 0..12 {
        let rv = store.resource_version();
        reconcile(ctx, &mut st, Instant::now());
        if store.resource_version() == rv {
            break;
        }
    }
    *ctx.seeded.lock().unwrap_or_else(|e| e.into_inner()) = Some(st);
}

/// Starts the cluster's control loop on the current tokio runtime; it stops when
/// `shutdown` becomes true (or its sender is dropped).
pub fn spawn(ctx: Arc<ClusterCtx>, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut events = ctx.store.subscribe();
        let seeded = ctx.seeded.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut state = seeded.unwrap_or_default();
        let resync = ctx.scaled(RESYNC_SECONDS).max(Duration::from_millis(50));
        loop {
            if *shutdown.borrow() {
                break;
            }
            let c = ctx.clone();
            let run = tokio::task::spawn_blocking(move || {
                let due = reconcile(&c, &mut state, Instant::now());
                (state, due)
            })
            .await;
            let due;
            (state, due) = match run {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!(cluster = %ctx.name, "controller pass failed: {e}");
                    break;
                }
            };
            let rv_after = ctx.store.resource_version();
            // Wait for a change, a due timer, or a resync tick; a tick that finds the store
            // unchanged (and no timer due) costs nothing.
            loop {
                let now = Instant::now();
                let wake = due.map_or(now + resync, |d| d.min(now + resync)).max(now);
                tokio::select! {
                    r = shutdown.changed() => {
                        if r.is_err() || *shutdown.borrow() {
                            return;
                        }
                    }
                    _ = tokio::time::sleep_until(tokio::time::Instant::from_std(wake)) => {
                        let timer_due = due.is_some_and(|d| Instant::now() >= d);
                        if !timer_due && ctx.store.resource_version() == rv_after {
                            continue;
                        }
                        break;
                    }
                    ev = wait_for_change(&mut events) => {
                        if !ev {
                            return;
                        }
                        break;
                    }
                }
            }
        }
    });
}

/// Waits for a store change that controllers care about (not Events/Leases), then lets a
/// burst of changes settle briefly. Returns false when the store is gone.
async fn wait_for_change(
    rx: &mut tokio::sync::broadcast::Receiver<super::store::WatchEvent>,
) -> bool {
    use tokio::sync::broadcast::error::{RecvError, TryRecvError};
    loop {
        match rx.recv().await {
            Ok(ev) if matches!(ev.kind, Kind::Event | Kind::Lease) => continue,
            Ok(_) | Err(RecvError::Lagged(_)) => break,
            Err(RecvError::Closed) => return false,
        }
    }
    tokio::time::sleep(Duration::from_millis(2)).await;
    loop {
        match rx.try_recv() {
            Ok(_) | Err(TryRecvError::Lagged(_)) => continue,
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Closed) => return false,
        }
    }
}

/// Applies a node or inventory fault (`NodeNotReady`, `NodeReady`, `Inventory`); other faults
/// are the HTTP layer's.
pub fn apply_fault(ctx: &ClusterCtx, fault: &Fault) -> Result<(), String> {
    let store = &ctx.store;
    match fault {
        Fault::NodeNotReady(node) => {
            store
                .mutate(Kind::Node, "", node, |v| {
                    if !v["metadata"]["annotations"].is_object() {
                        v["metadata"]["annotations"] = json!({});
                    }
                    v["metadata"]["annotations"][NOT_READY_FAULT_ANNOTATION] = json!("true");
                    set_condition(
                        v,
                        "Ready",
                        "Unknown",
                        "NodeStatusUnknown",
                        "Kubelet stopped posting node status.",
                    );
                    if !v["spec"]["taints"].is_array() {
                        v["spec"]["taints"] = json!([]);
                    }
                    let t = v["spec"]["taints"].as_array_mut().expect("array");
                    for effect in ["NoSchedule", "NoExecute"] {
                        if !t.iter().any(|x| {
                            x["key"] == "node.kubernetes.io/unreachable" && x["effect"] == effect
                        }) {
                            t.push(
                                json!({"key": "node.kubernetes.io/unreachable", "effect": effect}),
                            );
                        }
                    }
                })
                .map_err(|_| format!("cluster {}: node {node:?} not found", ctx.name))?;
            Ok(())
        }
        Fault::NodeReady(node) => {
            store
                .mutate(Kind::Node, "", node, |v| {
                    if let Some(a) = v["metadata"]["annotations"].as_object_mut() {
                        a.remove(NOT_READY_FAULT_ANNOTATION);
                    }
                    if let Some(t) = v["spec"]["taints"].as_array_mut() {
                        t.retain(|x| x["key"] != "node.kubernetes.io/unreachable");
                    }
                    if util::annotation(v, util::PROVISIONING_ANNOTATION).is_none() {
                        set_condition_with(
                            v,
                            "Ready",
                            "True",
                            "KubeletReady",
                            "kubelet is posting ready status",
                            &["lastHeartbeatTime"],
                        );
                    }
                })
                .map_err(|_| format!("cluster {}: node {node:?} not found", ctx.name))?;
            Ok(())
        }
        Fault::Inventory { pool, count } => {
            if !ctx.config.node_pools.iter().any(|p| &p.name == pool) {
                let known: Vec<&str> = ctx
                    .config
                    .node_pools
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect();
                return Err(format!(
                    "cluster {}: no node pool {pool:?} (pools: {})",
                    ctx.name,
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                ));
            }
            pools::publish(
                ctx,
                &BTreeMap::new(),
                Some((pool.as_str(), *count)),
                &pools::pool_counts(store),
            );
            Ok(())
        }
        Fault::BadImage(image) | Fault::GoodImage(image) => {
            if image.trim().is_empty() {
                return Err(format!("cluster {}: the image is empty", ctx.name));
            }
            let mut bad = ctx.bad_images.write().unwrap_or_else(|e| e.into_inner());
            if matches!(fault, Fault::BadImage(_)) {
                bad.insert(image.clone());
            } else {
                bad.remove(image);
            }
            Ok(())
        }
        other => Err(format!(
            "cluster {}: fault {other:?} is handled by the API server, not the controllers",
            ctx.name
        )),
    }
}
