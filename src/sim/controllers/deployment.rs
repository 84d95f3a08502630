//! Deployment and ReplicaSet controllers.
//!
//! Deployment → ReplicaSet `<deploy>-<pod-template-hash>` (ownerReference, label
//! `pod-template-hash`, annotation `deployment.kubernetes.io/revision`) → Pods
//! `<rs>-<5 random chars>`. Rolling updates honour maxSurge/maxUnavailable (default 25%,
//! surge rounded up, unavailable rounded down), `Recreate` scales the old ReplicaSets to 0
//! first. Scale-down removes unscheduled, then Pending, then unready, then the newest pods.
//! Status (replicas, updatedReplicas, readyReplicas, availableReplicas, unavailableReplicas,
//! observedGeneration, conditions Available/Progressing) follows kube-controller-manager, so
//! `kubectl rollout status` and kube-runtime's `is_deployment_completed` work.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::{json, Value};

use super::util::{
    annotation, is_deleting, labels, name, namespace, owned_by, random_suffix, set_condition_with,
    uid, PriorityClasses, Recorder,
};
use super::view::{PodEntry, View};
use crate::sim::store::{Kind, Store};

const HASH_LABEL: &str = "pod-template-hash";
const REVISION: &str = "deployment.kubernetes.io/revision";
/// Pods one ReplicaSet creates per reconcile pass (bursts are spread over passes).
const CREATE_BURST: i64 = 2000;

/// Reconciles every Deployment: ReplicaSets and Deployment status.
pub fn sync_deployments(store: &Store, rec: &mut Recorder) {
    let all_rs = store.list(Kind::ReplicaSet, None);
    for d in store.list(Kind::Deployment, None) {
        if is_deleting(&d) {
            continue;
        }
        let d_uid = uid(&d).to_string();
        let owned: Vec<&Value> = all_rs
            .iter()
            .filter(|rs| namespace(rs) == namespace(&d) && owned_by(rs, &d_uid))
            .collect();
        sync_deployment(store, rec, &d, &owned);
    }
}

/// Resolves an IntOrString (`3` or `"25%"`) against `total`, rounding up or down.
fn resolve_int_or_percent(v: &Value, total: i64, default_percent: i64, round_up: bool) -> i64 {
    let pct = |p: i64| {
        if round_up {
            (p * total + 99) / 100
        } else {
            p * total / 100
        }
    };
    match v {
        Value::Number(n) => n.as_i64().unwrap_or(0).max(0),
        Value::String(s) => match s.strip_suffix('%').map(str::trim) {
            Some(p) => pct(p.parse::<i64>().unwrap_or(default_percent).max(0)),
            None => s.trim().parse::<i64>().unwrap_or(0).max(0),
        },
        _ => pct(default_percent),
    }
}

/// FNV-1a over the canonical (key-sorted) JSON of the template, encoded like Kubernetes'
/// `SafeEncodeString` so names look like real ones (`web-7d4b9c8f6`).
pub fn template_hash(template: &Value) -> String {
    let mut t = template.clone();
    if let Some(l) = t
        .pointer_mut("/metadata/labels")
        .and_then(Value::as_object_mut)
    {
        l.remove(HASH_LABEL);
    }
    let mut text = String::new();
    canonical(&t, &mut text);
    let mut h: u32 = 0x811c9dc5;
    for b in text.as_bytes() {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x01000193);
    }
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    h.to_string()
        .bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                canonical(&m[k], out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for x in a {
                canonical(x, out);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn rs_spec_replicas(rs: &Value) -> i64 {
    rs.pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

fn rs_status(rs: &Value, field: &str) -> i64 {
    rs["status"][field].as_i64().unwrap_or(0)
}

fn revision(rs: &Value) -> i64 {
    annotation(rs, REVISION)
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

fn set_rs_replicas(store: &Store, rec: &mut Recorder, d: &Value, rs: &Value, replicas: i64) {
    let old = rs_spec_replicas(rs);
    if old == replicas {
        return;
    }
    let desired = d
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    if store
        .mutate(Kind::ReplicaSet, namespace(rs), name(rs), |v| {
            v["spec"]["replicas"] = json!(replicas);
            let ann = &mut v["metadata"]["annotations"];
            if !ann.is_object() {
                *ann = json!({});
            }
            ann["deployment.kubernetes.io/desired-replicas"] = json!(desired.to_string());
        })
        .is_ok()
    {
        let verb = if replicas > old { "up" } else { "down" };
        rec.record(
            store,
            d,
            "Normal",
            "ScalingReplicaSet",
            &format!(
                "Scaled {verb} replica set {} from {old} to {replicas}",
                name(rs)
            ),
            "deployment-controller",
        );
    }
}

fn sync_deployment(store: &Store, rec: &mut Recorder, d: &Value, owned: &[&Value]) {
    let ns = namespace(d);
    let desired = d
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0);
    let template = d.pointer("/spec/template").cloned().unwrap_or(json!({}));
    let hash = template_hash(&template);
    let paused = d.pointer("/spec/paused").and_then(Value::as_bool) == Some(true);
    let strategy = d
        .pointer("/spec/strategy/type")
        .and_then(Value::as_str)
        .unwrap_or("RollingUpdate");
    let ru = d
        .pointer("/spec/strategy/rollingUpdate")
        .cloned()
        .unwrap_or(json!({}));
    let mut max_surge = resolve_int_or_percent(&ru["maxSurge"], desired, 25, true);
    let mut max_unavailable = resolve_int_or_percent(&ru["maxUnavailable"], desired, 25, false);
    if strategy == "Recreate" {
        max_surge = 0;
        max_unavailable = desired;
    } else if max_surge == 0 && max_unavailable == 0 {
        max_unavailable = 1;
    }

    let mut new_rs: Option<Value> = owned
        .iter()
        .find(|rs| labels(rs).get(HASH_LABEL) == Some(&hash))
        .map(|rs| (*rs).clone());
    let mut old_rss: Vec<Value> = owned
        .iter()
        .filter(|rs| labels(rs).get(HASH_LABEL) != Some(&hash))
        .map(|rs| (*rs).clone())
        .collect();
    old_rss.sort_by_key(|rs| (revision(rs), name(rs).to_string()));
    let max_old_revision = old_rss.iter().map(revision).max().unwrap_or(0);

    if !paused {
        let old_total: i64 = old_rss.iter().map(rs_spec_replicas).sum();
        let new_current = new_rs.as_ref().map(rs_spec_replicas).unwrap_or(0);
        // Target for the new ReplicaSet.
        let new_target = if strategy == "Recreate" {
            let old_pods: i64 = old_rss.iter().map(|rs| rs_status(rs, "replicas")).sum();
            if old_total > 0 || old_pods > 0 {
                new_current.min(desired)
            } else {
                desired
            }
        } else if old_total == 0 {
            desired
        } else if new_current < desired {
            let all = new_current + old_total;
            (new_current + (desired + max_surge - all).max(0)).min(desired)
        } else {
            desired
        };

        match &new_rs {
            None => {
                let rev = max_old_revision + 1;
                if let Some(created) =
                    create_replicaset(store, rec, d, &template, &hash, new_target, rev)
                {
                    new_rs = Some(created);
                }
            }
            Some(rs) => {
                if revision(rs) <= max_old_revision {
                    // Rollback to an older template: it becomes the newest revision.
                    let rev = max_old_revision + 1;
                    let _ = store.mutate(Kind::ReplicaSet, ns, name(rs), |v| {
                        v["metadata"]["annotations"][REVISION] = json!(rev.to_string());
                    });
                }
                set_rs_replicas(store, rec, d, rs, new_target);
            }
        }

        // Scale down old ReplicaSets.
        if strategy == "Recreate" {
            for rs in &old_rss {
                set_rs_replicas(store, rec, d, rs, 0);
            }
        } else if old_total > 0 {
            let new_available = new_rs
                .as_ref()
                .map(|rs| rs_status(rs, "availableReplicas"))
                .unwrap_or(0);
            let all = new_target + old_total;
            let min_available = desired - max_unavailable;
            let new_unavailable = (new_target - new_available).max(0);
            let mut budget = all - min_available - new_unavailable;
            let mut targets: Vec<i64> = old_rss.iter().map(rs_spec_replicas).collect();
            // First drop old replicas that are not available anyway (oldest first).
            for (i, rs) in old_rss.iter().enumerate() {
                if budget <= 0 {
                    break;
                }
                let unhealthy = (targets[i] - rs_status(rs, "availableReplicas")).max(0);
                let cut = unhealthy.min(budget);
                targets[i] -= cut;
                budget -= cut;
            }
            // Then available ones, keeping min_available across all ReplicaSets.
            let available_all: i64 = new_available
                + old_rss
                    .iter()
                    .zip(&targets)
                    .map(|(rs, t)| rs_status(rs, "availableReplicas").min(*t))
                    .sum::<i64>();
            let mut more = (available_all - min_available).min(budget).max(0);
            for t in targets.iter_mut() {
                if more <= 0 {
                    break;
                }
                let cut = (*t).min(more);
                *t -= cut;
                more -= cut;
            }
            for (rs, t) in old_rss.iter().zip(targets) {
                set_rs_replicas(store, rec, d, rs, t);
            }
        }

        // Keep at most revisionHistoryLimit old ReplicaSets with 0 replicas.
        let limit = d
            .pointer("/spec/revisionHistoryLimit")
            .and_then(Value::as_i64)
            .unwrap_or(10)
            .max(0) as usize;
        let idle: Vec<&Value> = old_rss
            .iter()
            .filter(|rs| rs_spec_replicas(rs) == 0 && rs_status(rs, "replicas") == 0)
            .collect();
        if idle.len() > limit {
            for rs in &idle[..idle.len() - limit] {
                let _ = store.delete(Kind::ReplicaSet, ns, name(rs));
            }
        }
    }

    update_deployment_status(store, d, new_rs.as_ref(), desired, max_unavailable);
}

fn create_replicaset(
    store: &Store,
    rec: &mut Recorder,
    d: &Value,
    template: &Value,
    hash: &str,
    replicas: i64,
    revision: i64,
) -> Option<Value> {
    let ns = namespace(d);
    let rs_name = format!("{}-{hash}", name(d));
    let mut template = template.clone();
    if !template["metadata"].is_object() {
        template["metadata"] = json!({});
    }
    if !template["metadata"]["labels"].is_object() {
        template["metadata"]["labels"] = json!({});
    }
    template["metadata"]["labels"][HASH_LABEL] = json!(hash);
    let mut selector = d.pointer("/spec/selector").cloned().unwrap_or(json!({}));
    if !selector["matchLabels"].is_object() {
        selector["matchLabels"] = json!({});
    }
    selector["matchLabels"][HASH_LABEL] = json!(hash);
    let desired = d
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let rs = json!({
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": rs_name,
            "namespace": ns,
            "labels": template["metadata"]["labels"].clone(),
            "annotations": {
                REVISION: revision.to_string(),
                "deployment.kubernetes.io/desired-replicas": desired.to_string(),
            },
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "Deployment", "name": name(d), "uid": uid(d),
                "controller": true, "blockOwnerDeletion": true,
            }],
        },
        "spec": {
            "replicas": replicas,
            "minReadySeconds": d.pointer("/spec/minReadySeconds").cloned().unwrap_or(json!(0)),
            "selector": selector,
            "template": template,
        },
    });
    match store.create(Kind::ReplicaSet, rs) {
        Ok(created) => {
            // Like the Deployment controller: an event only when the new set starts with
            // replicas (a Deployment at 0, or a rollout's first 0-surge step, creates it empty).
            if replicas > 0 {
                rec.record(
                    store,
                    d,
                    "Normal",
                    "ScalingReplicaSet",
                    &format!("Scaled up replica set {rs_name} from 0 to {replicas}"),
                    "deployment-controller",
                );
            }
            Some(created)
        }
        Err(_) => None,
    }
}

fn update_deployment_status(
    store: &Store,
    d: &Value,
    new_rs: Option<&Value>,
    desired: i64,
    max_unavailable: i64,
) {
    // Re-read the ReplicaSets: their spec may just have changed.
    let d_uid = uid(d).to_string();
    let rss: Vec<Value> = store
        .list(Kind::ReplicaSet, Some(namespace(d)))
        .into_iter()
        .filter(|rs| owned_by(rs, &d_uid))
        .collect();
    let new_name = new_rs.map(|rs| name(rs).to_string()).unwrap_or_default();
    let sum = |f: &str| rss.iter().map(|rs| rs_status(rs, f)).sum::<i64>();
    let replicas = sum("replicas");
    let ready = sum("readyReplicas");
    let available = sum("availableReplicas");
    let updated = rss
        .iter()
        .find(|rs| name(rs) == new_name)
        .map(|rs| rs_status(rs, "replicas"))
        .unwrap_or(0);
    let unavailable = (desired - available).max(0);
    let generation = d
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let new_revision = new_rs
        .and_then(|rs| annotation(rs, REVISION))
        .map(str::to_string);
    let complete = updated == desired && replicas == desired && available == desired;
    let _ = store.mutate(Kind::Deployment, namespace(d), name(d), |v| {
        if let Some(rev) = &new_revision {
            if !v["metadata"]["annotations"].is_object() {
                v["metadata"]["annotations"] = json!({});
            }
            v["metadata"]["annotations"][REVISION] = json!(rev);
        }
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        let s = &mut v["status"];
        s["observedGeneration"] = json!(generation);
        s["replicas"] = json!(replicas);
        s["updatedReplicas"] = json!(updated);
        s["readyReplicas"] = json!(ready);
        s["availableReplicas"] = json!(available);
        s["unavailableReplicas"] = json!(unavailable);
        if available >= desired - max_unavailable {
            set_condition_with(
                v,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
                &["lastUpdateTime"],
            );
        } else {
            set_condition_with(
                v,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
                &["lastUpdateTime"],
            );
        }
        if complete {
            set_condition_with(
                v,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                &format!("ReplicaSet \"{new_name}\" has successfully progressed."),
                &["lastUpdateTime"],
            );
        } else {
            set_condition_with(
                v,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                &format!("ReplicaSet \"{new_name}\" is progressing."),
                &["lastUpdateTime"],
            );
        }
        // Kubernetes lists Available before Progressing.
        if let Some(c) = v["status"]["conditions"].as_array_mut() {
            c.sort_by_key(|c| c["type"].as_str() != Some("Available"));
        }
    });
}

/// What the ReplicaSet controller remembers: per ReplicaSet uid, its resourceVersion after
/// the last sync and whether it then had the pods it wants.
#[derive(Debug, Default)]
pub struct RsState {
    seen: HashMap<String, (u64, bool)>,
}

/// Reconciles the ReplicaSets that may need it: creates and deletes pods, updates status.
/// A ReplicaSet is skipped when it did not change, had its pods at the last sync, and none of
/// its pods changed since (`dirty`, from [`View::take_dirty_owners`]; `None` = all).
pub fn sync_replicasets(
    store: &Store,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    view: &View,
    dirty: Option<&HashSet<Arc<str>>>,
    st: &mut RsState,
) {
    let rss = store.list(Kind::ReplicaSet, None);
    let mut live = HashSet::new();
    for rs in &rss {
        let rs_uid = uid(rs);
        live.insert(rs_uid);
        if is_deleting(rs) {
            continue;
        }
        let rv = resource_version(rs);
        let unchanged = st.seen.get(rs_uid) == Some(&(rv, true));
        if unchanged && dirty.is_some_and(|d| !d.contains(rs_uid)) {
            continue;
        }
        let pods = view.pods_of_owner(rs_uid).collect();
        let seen = sync_replicaset(store, rec, classes, rs, pods);
        st.seen.insert(rs_uid.to_string(), seen);
    }
    st.seen.retain(|u, _| live.contains(u.as_str()));
}

fn resource_version(obj: &Value) -> u64 {
    super::util::str_at(obj, "/metadata/resourceVersion")
        .parse()
        .unwrap_or(0)
}

/// Returns the ReplicaSet's resourceVersion after the sync and whether it had the pods it
/// wants.
fn sync_replicaset(
    store: &Store,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    rs: &Value,
    pods: Vec<&Arc<PodEntry>>,
) -> (u64, bool) {
    let ns = namespace(rs);
    let rs_name = name(rs);
    let want = rs_spec_replicas(rs).max(0);
    let mut active: Vec<&Arc<PodEntry>> = pods
        .into_iter()
        .filter(|p| !p.terminal() && !p.deleting)
        .collect();
    let have = active.len() as i64;
    // Pods created in this pass (Pending, not ready).
    let mut created = 0i64;
    if have < want {
        let n = (want - have).min(CREATE_BURST);
        let pod = new_pod(rs, classes);
        for _ in 0..n {
            // Retry a name clash (5 random characters) a few times.
            for _ in 0..3 {
                let mut p = pod.clone();
                p["metadata"]["name"] = json!(format!("{rs_name}-{}", random_suffix(5)));
                if store.create(Kind::Pod, p).is_ok() {
                    created += 1;
                    break;
                }
            }
        }
        if created > 0 {
            rec.record(
                store,
                rs,
                "Normal",
                "SuccessfulCreate",
                &format!("Created {created} pod(s)"),
                "replicaset-controller",
            );
        }
    } else if have > want {
        // Least valuable first: unscheduled, Pending, not ready, then the newest.
        fn key(p: &PodEntry) -> (bool, bool, bool, Reverse<&str>, Reverse<&str>) {
            (
                !p.node_name.is_empty(),
                p.phase() != "Pending",
                p.ready,
                Reverse(&p.created),
                Reverse(&p.name),
            )
        }
        active.sort_by(|a, b| key(a).cmp(&key(b)));
        let n = (have - want) as usize;
        for p in active.drain(..n) {
            if store.delete(Kind::Pod, ns, &p.name).is_ok() {
                rec.record(
                    store,
                    rs,
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {}", p.name),
                    "replicaset-controller",
                );
            }
        }
    }
    let replicas = active.len() as i64 + created;
    let ready = active.iter().filter(|p| p.ready).count() as i64;
    let generation = rs
        .pointer("/metadata/generation")
        .and_then(Value::as_i64)
        .unwrap_or(1);
    let written = store.mutate(Kind::ReplicaSet, ns, rs_name, |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        let s = &mut v["status"];
        s["replicas"] = json!(replicas);
        s["fullyLabeledReplicas"] = json!(replicas);
        s["readyReplicas"] = json!(ready);
        s["availableReplicas"] = json!(ready);
        s["observedGeneration"] = json!(generation);
    });
    let rv = written.map_or(0, |v| resource_version(&v));
    (rv, have == want)
}

/// A new Pod of a ReplicaSet, with its priority resolved like the Priority admission plugin.
fn new_pod(rs: &Value, classes: &PriorityClasses) -> Value {
    super::util::pod_from_template(rs, Kind::ReplicaSet, classes)
}
