//! Elastic node pools (think ACK instant node elasticity) and the inventory ConfigMap.
//!
//! Scale-up: pods Pending as `Unschedulable` are packed, highest priority first, onto the
//! free room of pool nodes still provisioning, then onto new nodes of the first pool whose
//! shape they are eligible for and fit ([`node_eligible`]/[`fit_count`], as the scheduler),
//! within `maxNodes` and the remaining inventory. A new node `<pool>-<n>` (label
//! `fleet.kubectl.dev/node-pool: <pool>`) exists at once as NotReady and turns Ready after
//! `provisionSeconds / speed`. A new node's room is its allocatable minus what the
//! DaemonSets that would run there take ([`daemonset_overhead`]: device plugins, log agents
//! land on every matching node first). Scale-down: a Ready pool node without non-terminal
//! pods other than DaemonSet pods (cluster-autoscaler ignores those) for
//! `scaleDownIdleSeconds / speed` is deleted and its instance returned to the inventory.
//!
//! The inventory ConfigMap `kube-system/kubectl-fleet-inventory`, key `pools.json`, is both
//! what kubectl-fleet reads (the elastic tier) and where the remaining inventory lives: the
//! `Inventory` fault, or anybody editing the ConfigMap, changes it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use serde_json::{json, Value};

use super::util::{annotation, Recorder, PROVISIONING_ANNOTATION};
use super::view::{NodeEntry, PodEntry, View};
use crate::capacity::{
    daemonset_overhead, fit_count, node_eligible, NodeSnapshot, PodRequirements, Resources, Taint,
};
use crate::sim::cluster::ClusterCtx;
use crate::sim::config::{NodePoolConfig, NODE_POOL_LABEL};
use crate::sim::store::{Kind, Store};

/// Namespace of the inventory ConfigMap.
pub const INVENTORY_NAMESPACE: &str = "kube-system";
/// Name of the inventory ConfigMap.
pub const INVENTORY_CONFIGMAP: &str = "kubectl-fleet-inventory";
/// Key of the pool list in the inventory ConfigMap.
pub const INVENTORY_KEY: &str = "pools.json";

/// Timers of the pool controller.
#[derive(Debug, Default)]
pub struct PoolState {
    /// Provisioning node → when it turns Ready.
    ready_at: HashMap<String, Instant>,
    /// Idle Ready pool node → since when it has no pods.
    idle_since: HashMap<String, Instant>,
}

/// Allocatable of a pool node (a missing `pods` means 110, as on a real node).
pub fn pool_allocatable(pool: &NodePoolConfig) -> BTreeMap<String, String> {
    let mut a = pool.allocatable.clone();
    a.entry("pods".to_string())
        .or_insert_with(|| "110".to_string());
    a
}

/// Labels of a pool node (without hostname): cluster node labels, pool labels, pool label.
pub fn pool_node_labels(ctx: &ClusterCtx, pool: &NodePoolConfig) -> BTreeMap<String, String> {
    let mut l = ctx.config.node_labels();
    l.extend(pool.labels.clone());
    l.insert(NODE_POOL_LABEL.to_string(), pool.name.clone());
    l
}

fn shape(ctx: &ClusterCtx, pool: &NodePoolConfig) -> NodeSnapshot {
    let alloc = pool_allocatable(pool);
    let allocatable =
        Resources::parse(alloc.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap_or_default();
    NodeSnapshot {
        name: format!("{}-new", pool.name),
        labels: pool_node_labels(ctx, pool),
        taints: pool
            .taints
            .iter()
            .filter_map(|t| Taint::parse(&taint_text(&t.key, &t.value, &t.effect)).ok())
            .collect(),
        allocatable,
        ready: true,
        unschedulable: false,
    }
}

fn taint_text(key: &str, value: &str, effect: &str) -> String {
    if value.is_empty() {
        format!("{key}:{effect}")
    } else {
        format!("{key}={value}:{effect}")
    }
}

/// Remaining inventory per pool as recorded in the ConfigMap (None when absent/broken).
pub fn read_inventory(store: &Store) -> Option<BTreeMap<String, u32>> {
    let cm = store.get(Kind::ConfigMap, INVENTORY_NAMESPACE, INVENTORY_CONFIGMAP)?;
    parse_inventory(cm.pointer(&format!("/data/{INVENTORY_KEY}"))?.as_str()?)
}

/// The `pools.json` document.
pub fn inventory_json(
    ctx: &ClusterCtx,
    inventory: &BTreeMap<String, u32>,
    current: &BTreeMap<String, (u32, u32)>,
) -> String {
    let pools: Vec<Value> = ctx
        .config
        .node_pools
        .iter()
        .map(|p| {
            let (nodes, provisioning) = current.get(&p.name).copied().unwrap_or((0, 0));
            json!({
                "name": p.name,
                "allocatable": pool_allocatable(p),
                "labels": pool_node_labels(ctx, p),
                "taints": p.taints.iter().map(|t| json!({"key": t.key, "value": t.value, "effect": t.effect})).collect::<Vec<_>>(),
                "maxNodes": p.max_nodes,
                "currentNodes": nodes,
                "provisioningNodes": provisioning,
                "inventory": inventory.get(&p.name).copied().unwrap_or(p.inventory),
                "provisionSeconds": p.provision_seconds,
                "scaleDownIdleSeconds": p.scale_down_idle_seconds,
            })
        })
        .collect();
    serde_json::to_string_pretty(&pools).expect("pools serialize")
}

/// Parses the inventory of a `pools.json` text (pool name → remaining instances).
fn parse_inventory(text: &str) -> Option<BTreeMap<String, u32>> {
    let pools: Vec<Value> = serde_json::from_str(text).ok()?;
    Some(
        pools
            .iter()
            .filter_map(|p| {
                Some((
                    p["name"].as_str()?.to_string(),
                    u32::try_from(p["inventory"].as_u64()?).ok()?,
                ))
            })
            .collect(),
    )
}

/// Updates the ConfigMap atomically (creating it when missing): the remaining inventory
/// there, plus `deltas`, with the given node counts. `set` overrides a pool's inventory.
/// No write when nothing changed.
pub fn publish(
    ctx: &ClusterCtx,
    deltas: &BTreeMap<String, i64>,
    set: Option<(&str, u32)>,
    current: &BTreeMap<String, (u32, u32)>,
) {
    let store = &ctx.store;
    let compute = |text: Option<&str>| {
        let mut inv = text.and_then(parse_inventory).unwrap_or_default();
        for p in &ctx.config.node_pools {
            inv.entry(p.name.clone()).or_insert(p.inventory);
        }
        for (pool, d) in deltas {
            if let Some(v) = inv.get_mut(pool) {
                *v = (i64::from(*v) + d).clamp(0, i64::from(u32::MAX)) as u32;
            }
        }
        if let Some((pool, n)) = set {
            inv.insert(pool.to_string(), n);
        }
        inventory_json(ctx, &inv, current)
    };
    if store
        .get(Kind::ConfigMap, INVENTORY_NAMESPACE, INVENTORY_CONFIGMAP)
        .is_none()
    {
        let _ = store.create(
            Kind::ConfigMap,
            json!({
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": {
                    "name": INVENTORY_CONFIGMAP, "namespace": INVENTORY_NAMESPACE,
                    "labels": {"app.kubernetes.io/managed-by": "kubectl-fleet-sim"},
                },
                "data": {INVENTORY_KEY: compute(None)},
            }),
        );
        return;
    }
    let _ = store.mutate(
        Kind::ConfigMap,
        INVENTORY_NAMESPACE,
        INVENTORY_CONFIGMAP,
        |v| {
            let text = compute(
                v.pointer(&format!("/data/{INVENTORY_KEY}"))
                    .and_then(Value::as_str),
            );
            if !v["data"].is_object() {
                v["data"] = json!({});
            }
            v["data"][INVENTORY_KEY] = json!(text);
        },
    );
}

/// Pool name → (nodes, of which provisioning), from the store's nodes (only pool nodes are
/// parsed).
pub fn pool_counts(store: &Store) -> BTreeMap<String, (u32, u32)> {
    let mut pool_nodes = Vec::new();
    store.for_each_raw(Kind::Node, None, |n| {
        if let Some(pool) = n.label(NODE_POOL_LABEL) {
            pool_nodes.push((pool.to_string(), n.name.clone()));
        }
    });
    let mut current: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for (pool, node) in pool_nodes {
        let e = current.entry(pool).or_default();
        e.0 += 1;
        let provisioning = store
            .get(Kind::Node, "", &node)
            .is_some_and(|n| annotation(&n, PROVISIONING_ANNOTATION).is_some());
        if provisioning {
            e.1 += 1;
        }
    }
    current
}

/// A new pool node object (NotReady while provisioning).
pub fn pool_node(ctx: &ClusterCtx, pool: &NodePoolConfig, node: &str) -> Value {
    let mut l = pool_node_labels(ctx, pool);
    l.insert("kubernetes.io/hostname".to_string(), node.to_string());
    let taints: Vec<Value> = pool
        .taints
        .iter()
        .map(|t| json!({"key": t.key, "value": t.value, "effect": t.effect}))
        .collect();
    let mut obj = super::node_object(ctx, node, &pool_allocatable(pool), l, taints);
    obj["metadata"]["annotations"] = json!({PROVISIONING_ANNOTATION: "true"});
    super::util::set_condition(
        &mut obj,
        "Ready",
        "False",
        "KubeletNotReady",
        "node is being provisioned by the node pool",
    );
    let t = obj["spec"]["taints"].as_array_mut().expect("taints array");
    t.push(json!({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}));
    obj
}

/// One pass of the pool controller. Returns the earliest instant something is due.
pub fn sync(
    ctx: &ClusterCtx,
    st: &mut PoolState,
    rec: &mut Recorder,
    view: &View,
    now: Instant,
) -> Option<Instant> {
    if ctx.config.node_pools.is_empty() {
        return None;
    }
    let store = &ctx.store;
    let mut next: Option<Instant> = None;
    let mut due = |t: Instant| next = Some(next.map_or(t, |n: Instant| n.min(t)));
    let mut inventory = read_inventory(store).unwrap_or_default();
    for p in &ctx.config.node_pools {
        inventory.entry(p.name.clone()).or_insert(p.inventory);
    }
    // Pool nodes by pool.
    let mut pool_nodes: BTreeMap<&str, Vec<&NodeEntry>> = BTreeMap::new();
    for n in view.nodes() {
        if let Some(pool) = n.pool.as_deref() {
            pool_nodes.entry(pool).or_default().push(n);
        }
    }

    // What the DaemonSets take on a new node of each pool: its room is the rest.
    let daemonsets: Vec<PodRequirements> = if store.count(Kind::DaemonSet, None) > 0 {
        store
            .list(Kind::DaemonSet, None)
            .iter()
            .filter_map(super::workloads::template_spec_requirements)
            .collect()
    } else {
        Vec::new()
    };
    let shapes: Vec<NodeSnapshot> = ctx
        .config
        .node_pools
        .iter()
        .map(|p| shape(ctx, p))
        .collect();
    let room: Vec<(Resources, i64)> = shapes
        .iter()
        .map(|s| {
            let (overhead, pods) = daemonset_overhead(s, &daemonsets);
            let mut free = s.allocatable.clone();
            free.sub(&overhead);
            (free, s.max_pods() - pods)
        })
        .collect();

    // Provisioning nodes turn Ready when due.
    let mut provisioning_free: Vec<(usize, String, Resources, i64)> = Vec::new();
    for (pi, pool) in ctx.config.node_pools.iter().enumerate() {
        for n in pool_nodes
            .get(pool.name.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            if !n.provisioning {
                continue;
            }
            let nn = n.name.to_string();
            let at = *st
                .ready_at
                .entry(nn.clone())
                .or_insert_with(|| now + ctx.scaled(pool.provision_seconds));
            if now >= at {
                st.ready_at.remove(&nn);
                let _ = store.mutate(Kind::Node, "", &nn, |v| {
                    if let Some(a) = v["metadata"]["annotations"].as_object_mut() {
                        a.remove(PROVISIONING_ANNOTATION);
                    }
                    if let Some(t) = v["spec"]["taints"].as_array_mut() {
                        t.retain(|t| t["key"] != "node.kubernetes.io/not-ready");
                    }
                    super::util::set_condition_with(
                        v,
                        "Ready",
                        "True",
                        "KubeletReady",
                        "kubelet is posting ready status",
                        &["lastHeartbeatTime"],
                    );
                });
                // Pods still marked Unschedulable will be bound there in the next pass.
                provisioning_free.push((pi, nn.clone(), room[pi].0.clone(), room[pi].1));
                rec.record_for(
                    store,
                    Kind::Node,
                    ("", &nn, &n.uid),
                    "Normal",
                    "NodeReady",
                    &format!("Node {nn} status is now: NodeReady"),
                    "kubelet",
                );
            } else {
                due(at);
                provisioning_free.push((pi, nn, room[pi].0.clone(), room[pi].1));
            }
        }
    }
    let live: BTreeSet<&str> = view.nodes().map(|n| &*n.name).collect();
    st.ready_at.retain(|n, _| live.contains(n.as_str()));

    // Scale up for unschedulable pods.
    let mut waiting: Vec<(i32, &Arc<PodEntry>)> = view
        .unbound()
        .filter(|p| p.unschedulable() && !p.terminal())
        .map(|p| (p.info.priority, p))
        .collect();
    waiting.sort_by(|(pa, a), (pb, b)| {
        (std::cmp::Reverse(*pa), &a.name).cmp(&(std::cmp::Reverse(*pb), &b.name))
    });
    let mut added: Vec<usize> = vec![0; ctx.config.node_pools.len()];
    let mut deltas: BTreeMap<String, i64> = BTreeMap::new();
    let mut new_free: Vec<(usize, Resources, i64)> = Vec::new();
    for (_, pod) in &waiting {
        let Ok(reqs) = &pod.info.reqs else { continue };
        // Room on nodes already coming?
        let fits_coming = |pi: usize, free: &Resources, pods: i64| {
            node_eligible(reqs, &shapes[pi]).is_ok() && fit_count(free, &reqs.requests, pods) > 0
        };
        if let Some(slot) = provisioning_free
            .iter_mut()
            .find(|(pi, _, f, n)| fits_coming(*pi, f, *n))
        {
            slot.2.sub(&reqs.requests);
            slot.3 -= 1;
            continue;
        }
        if let Some(slot) = new_free
            .iter_mut()
            .find(|(pi, f, n)| fits_coming(*pi, f, *n))
        {
            slot.1.sub(&reqs.requests);
            slot.2 -= 1;
            continue;
        }
        for (pi, pool) in ctx.config.node_pools.iter().enumerate() {
            let current = pool_nodes.get(pool.name.as_str()).map_or(0, Vec::len) + added[pi];
            let left = inventory.get(&pool.name).copied().unwrap_or(0) as usize;
            if current >= pool.max_nodes as usize || added[pi] >= left {
                continue;
            }
            let (free, pods) = &room[pi];
            if node_eligible(reqs, &shapes[pi]).is_err()
                || fit_count(free, &reqs.requests, *pods) == 0
            {
                continue;
            }
            added[pi] += 1;
            let mut free = free.clone();
            free.sub(&reqs.requests);
            new_free.push((pi, free, pods - 1));
            break;
        }
    }
    for (pi, pool) in ctx.config.node_pools.iter().enumerate() {
        let mut used: BTreeSet<String> = pool_nodes
            .get(pool.name.as_str())
            .map(|v| v.iter().map(|n| n.name.to_string()).collect())
            .unwrap_or_default();
        let mut created = 0;
        let mut idx = 1;
        while created < added[pi] {
            let nn = format!("{}-{idx}", pool.name);
            idx += 1;
            if used.contains(&nn) || live.contains(nn.as_str()) {
                continue;
            }
            if store.create(Kind::Node, pool_node(ctx, pool, &nn)).is_ok() {
                used.insert(nn.clone());
                let at = now + ctx.scaled(pool.provision_seconds);
                st.ready_at.insert(nn, at);
                due(at);
                created += 1;
            } else {
                break;
            }
        }
        if created > 0 {
            *deltas.entry(pool.name.clone()).or_default() -= created as i64;
            if let Some((_, pod)) = waiting.first() {
                rec.record_for(
                    store,
                    Kind::Pod,
                    (&pod.namespace, &pod.name, &pod.uid),
                    "Normal",
                    "TriggeredScaleUp",
                    &format!(
                        "pod triggered scale-up: [{} {} -> {} (max: {})]",
                        pool.name,
                        pool_nodes.get(pool.name.as_str()).map_or(0, Vec::len),
                        pool_nodes.get(pool.name.as_str()).map_or(0, Vec::len) + created,
                        pool.max_nodes
                    ),
                    "cluster-autoscaler",
                );
            }
        }
    }

    // Scale down idle Ready pool nodes.
    let mut removed: BTreeMap<String, u32> = BTreeMap::new();
    for pool in &ctx.config.node_pools {
        for n in pool_nodes
            .get(pool.name.as_str())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let nn = &*n.name;
            // DaemonSet pods do not keep a node (cluster-autoscaler ignores them).
            let in_use = view.node_used(nn).is_some()
                && view.pods_on_node(nn).any(|p| !p.terminal() && !p.daemon);
            if n.provisioning || !n.ready || in_use {
                st.idle_since.remove(nn);
                continue;
            }
            let since = *st.idle_since.entry(nn.to_string()).or_insert(now);
            let at = since + ctx.scaled(pool.scale_down_idle_seconds);
            if now >= at {
                if store.delete(Kind::Node, "", nn).is_ok() {
                    st.idle_since.remove(nn);
                    *removed.entry(pool.name.clone()).or_default() += 1;
                }
            } else {
                due(at);
            }
        }
    }
    st.idle_since.retain(|n, _| live.contains(n.as_str()));
    for (pool, n) in &removed {
        *deltas.entry(pool.clone()).or_default() += i64::from(*n);
    }

    // Publish.
    publish(ctx, &deltas, None, &pool_counts(store));
    next
}
