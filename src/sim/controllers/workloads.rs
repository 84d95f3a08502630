//! The DaemonSet, Job, StatefulSet and Endpoints controllers.
//!
//! - DaemonSet: one pod per eligible node (nodeSelector, required node affinity and taints
//!   like the real controller, which ignores readiness and cordon and tolerates the
//!   not-ready/unreachable NoExecute taints; a pool node still provisioning carries
//!   `not-ready:NoSchedule`, so its DaemonSet pods arrive when it turns Ready), bound directly
//!   to its node (`spec.nodeName`), so it takes the node's capacity before the scheduler
//!   places anything else there and the estimator counts it. Template changes replace pods
//!   one node at a time (maxUnavailable 1).
//! - Job (NonIndexed): keeps `min(parallelism, completions - succeeded)` pods running; a
//!   Running pod completes (`Succeeded`, container terminated `Completed`) after the Job's
//!   `fleet.kubectl.dev/sim-run-seconds` annotation (default 5) simulated seconds; conditions
//!   `SuccessCriteriaMet` + `Complete` with `completionTime` when done.
//! - StatefulSet: pods `<name>-<ordinal>` (hostname, subdomain = serviceName, labels
//!   `statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`,
//!   `controller-revision-hash`), PVCs from `volumeClaimTemplates` (`<claim>-<name>-<ordinal>`),
//!   `OrderedReady` (one at a time, in order, each Ready before the next) or `Parallel`;
//!   scale-down from the highest ordinal; template changes roll from the highest ordinal.
//! - Endpoints: for every Service with a selector, an Endpoints object with the IPs of the
//!   matching pods (ready ones in `addresses`, others in `notReadyAddresses`).
//!
//! Every controller costs nothing when its kind has no objects.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use serde_json::{json, Value};

use super::deployment::template_hash;
use super::util::{
    labels, name, namespace, now_rfc3339, pod_from_template, pod_phase, pod_ready, random_suffix,
    set_condition, uid, PriorityClasses, Recorder,
};
use super::view::View;
use crate::capacity::{daemonset_eligible, PodRequirements};
use crate::sim::cluster::ClusterCtx;
use crate::sim::selector::LabelSelector;
use crate::sim::store::{Kind, Store, StoredObject};

/// Annotation on a Job: simulated seconds each of its pods runs before succeeding.
pub const RUN_SECONDS_ANNOTATION: &str = "fleet.kubectl.dev/sim-run-seconds";
/// Default run time of a Job pod (simulated seconds).
pub const DEFAULT_RUN_SECONDS: f64 = 5.0;

/// Timers of the workload controllers.
#[derive(Debug, Default)]
pub struct WorkloadState {
    /// Job pod uid → when it completes.
    done_at: HashMap<String, Instant>,
}

/// The pods owned by the object with `owner_uid` in `ns`, unparsed.
fn owned_pods(store: &Store, ns: &str, owner_uid: &str) -> Vec<Value> {
    store.list_where(Kind::Pod, Some(ns), |o: &StoredObject| {
        o.owner_uids.iter().any(|u| &**u == owner_uid)
    })
}

fn is_deleting(v: &Value) -> bool {
    v.pointer("/metadata/deletionTimestamp").is_some()
}

/// One pass of every workload controller; returns the next due instant.
pub fn sync(
    ctx: &ClusterCtx,
    st: &mut WorkloadState,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    view: &View,
    now: Instant,
) -> Option<Instant> {
    let store = &ctx.store;
    if store.count(Kind::DaemonSet, None) > 0 {
        for ds in store.list(Kind::DaemonSet, None) {
            sync_daemonset(store, rec, classes, view, &ds);
        }
    }
    if store.count(Kind::StatefulSet, None) > 0 {
        for sts in store.list(Kind::StatefulSet, None) {
            sync_statefulset(store, rec, classes, &sts);
        }
    }
    let mut next = None;
    if store.count(Kind::Job, None) > 0 {
        let mut live = HashSet::new();
        for job in store.list(Kind::Job, None) {
            if let Some(t) = sync_job(ctx, st, rec, classes, &job, now, &mut live) {
                next = Some(next.map_or(t, |n: Instant| n.min(t)));
            }
        }
        st.done_at.retain(|u, _| live.contains(u));
    } else {
        st.done_at.clear();
    }
    if store.count(Kind::Service, None) > 0 {
        for svc in store.list(Kind::Service, None) {
            sync_endpoints(store, &svc);
        }
    }
    if store.count(Kind::PodDisruptionBudget, None) > 0 {
        for pdb in store.list(Kind::PodDisruptionBudget, None) {
            sync_pdb(store, &pdb);
        }
    }
    next
}

/// The requirements of a workload's pod template (`spec.template.spec`).
pub(crate) fn template_spec_requirements(obj: &Value) -> Option<PodRequirements> {
    let spec: k8s_openapi::api::core::v1::PodSpec =
        serde_json::from_value(obj.pointer("/spec/template/spec").cloned()?).ok()?;
    PodRequirements::from_pod_spec(&spec).ok()
}

fn sync_daemonset(
    store: &Store,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    view: &View,
    ds: &Value,
) {
    let (ns, dn) = (namespace(ds), name(ds));
    let hash = template_hash(ds.pointer("/spec/template").unwrap_or(&Value::Null));
    let reqs = template_spec_requirements(ds);
    // Nodes the DaemonSet should run on: the real controller ignores readiness and cordon
    // and tolerates the not-ready/unreachable NoExecute and the pressure/unschedulable
    // NoSchedule taints.
    let wanted: Vec<&str> = view
        .nodes()
        .filter(|n| {
            let (Some(r), Some(snap)) = (reqs.as_ref(), n.snap.as_ref()) else {
                return false;
            };
            daemonset_eligible(r, snap).is_ok()
        })
        .map(|n| &*n.name)
        .collect();
    let pods = owned_pods(store, ns, uid(ds));
    let mut by_node: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for p in pods.iter().filter(|p| !is_deleting(p)) {
        by_node
            .entry(super::util::node_name(p).to_string())
            .or_default()
            .push(p);
    }
    // Surplus: pods on nodes that are no longer wanted, duplicates, failed pods.
    for (node, ps) in &by_node {
        let keep = wanted.contains(&node.as_str());
        for (i, p) in ps.iter().enumerate() {
            if !keep || i > 0 || pod_phase(p) == "Failed" {
                let _ = store.delete(Kind::Pod, ns, name(p));
            }
        }
    }
    // Rolling update: replace one out-of-date pod when every other pod is ready.
    let stale: Vec<&&Value> = by_node
        .values()
        .filter_map(|ps| ps.first())
        .filter(|p| labels(p).get("controller-revision-hash") != Some(&hash))
        .collect();
    let unready = by_node
        .values()
        .filter_map(|ps| ps.first())
        .filter(|p| !pod_ready(p))
        .count();
    if let Some(p) = stale.first() {
        if unready == 0 {
            let _ = store.delete(Kind::Pod, ns, name(p));
        }
    }
    for node in &wanted {
        if by_node.get(*node).is_some_and(|ps| !ps.is_empty()) {
            continue;
        }
        let mut pod = pod_from_template(ds, Kind::DaemonSet, classes);
        pod["metadata"]["name"] = json!(format!("{dn}-{}", random_suffix(5)));
        pod["metadata"]["labels"]["controller-revision-hash"] = json!(hash);
        pod["spec"]["nodeName"] = json!(node);
        let mut tolerations = pod["spec"]["tolerations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for key in [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
        ] {
            tolerations.push(json!({"key": key, "operator": "Exists", "effect": "NoExecute"}));
        }
        for key in [
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
        ] {
            tolerations.push(json!({"key": key, "operator": "Exists", "effect": "NoSchedule"}));
        }
        pod["spec"]["tolerations"] = json!(tolerations);
        if let Ok(p) = store.create(Kind::Pod, pod) {
            rec.record(
                store,
                ds,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {}", name(&p)),
                "daemonset-controller",
            );
        }
    }
    // Status from the pods as they are now.
    let pods = owned_pods(store, ns, uid(ds));
    let live: Vec<&Value> = pods.iter().filter(|p| !is_deleting(p)).collect();
    let on_wanted = |p: &&&Value| wanted.contains(&super::util::node_name(p));
    let current = live.iter().filter(on_wanted).count();
    let ready = live
        .iter()
        .filter(on_wanted)
        .filter(|p| pod_ready(p))
        .count();
    let updated = live
        .iter()
        .filter(on_wanted)
        .filter(|p| labels(p).get("controller-revision-hash") == Some(&hash))
        .count();
    let generation = ds.pointer("/metadata/generation").cloned();
    let desired = wanted.len();
    let _ = store.mutate(Kind::DaemonSet, ns, dn, |v| {
        let s = &mut v["status"];
        if !s.is_object() {
            *s = json!({});
        }
        s["desiredNumberScheduled"] = json!(desired);
        s["currentNumberScheduled"] = json!(current);
        s["numberMisscheduled"] = json!(0);
        s["numberReady"] = json!(ready);
        s["numberAvailable"] = json!(ready);
        s["updatedNumberScheduled"] = json!(updated);
        if desired > ready {
            s["numberUnavailable"] = json!(desired - ready);
        } else if let Some(o) = s.as_object_mut() {
            o.remove("numberUnavailable");
        }
        if let Some(g) = &generation {
            s["observedGeneration"] = g.clone();
        }
    });
}

fn job_done(job: &Value) -> bool {
    job.pointer("/status/conditions")
        .and_then(Value::as_array)
        .is_some_and(|cs| {
            cs.iter().any(|c| {
                matches!(c["type"].as_str(), Some("Complete" | "Failed"))
                    && c["status"].as_str() == Some("True")
            })
        })
}

fn complete_pod(store: &Store, ns: &str, pn: &str) {
    let now = now_rfc3339();
    let _ = store.mutate(Kind::Pod, ns, pn, |v| {
        v["status"]["phase"] = json!("Succeeded");
        if let Some(cs) = v["status"]["containerStatuses"].as_array_mut() {
            for c in cs {
                let started = c
                    .pointer("/state/running/startedAt")
                    .cloned()
                    .unwrap_or_else(|| json!(now));
                c["ready"] = json!(false);
                c["started"] = json!(false);
                c["state"] = json!({"terminated": {
                    "exitCode": 0, "reason": "Completed", "startedAt": started, "finishedAt": now,
                }});
            }
        }
        set_condition(v, "Ready", "False", "PodCompleted", "");
        set_condition(v, "ContainersReady", "False", "PodCompleted", "");
    });
}

#[allow(clippy::too_many_arguments)]
fn sync_job(
    ctx: &ClusterCtx,
    st: &mut WorkloadState,
    rec: &mut Recorder,
    classes: &PriorityClasses,
    job: &Value,
    now: Instant,
    live_uids: &mut HashSet<String>,
) -> Option<Instant> {
    let store = &ctx.store;
    let (ns, jn) = (namespace(job), name(job));
    if job_done(job) {
        return None;
    }
    let run = job
        .pointer("/metadata/annotations")
        .and_then(|a| a.get(RUN_SECONDS_ANNOTATION))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s >= 0.0)
        .unwrap_or(DEFAULT_RUN_SECONDS);
    let mut next: Option<Instant> = None;
    let pods = owned_pods(store, ns, uid(job));
    for p in &pods {
        if pod_phase(p) != "Running" || is_deleting(p) {
            continue;
        }
        let pu = uid(p).to_string();
        live_uids.insert(pu.clone());
        let at = *st
            .done_at
            .entry(pu)
            .or_insert_with(|| now + ctx.scaled(run));
        if now >= at {
            complete_pod(store, ns, name(p));
        } else {
            next = Some(next.map_or(at, |n: Instant| n.min(at)));
        }
    }
    let pods = owned_pods(store, ns, uid(job));
    let succeeded = pods.iter().filter(|p| pod_phase(p) == "Succeeded").count() as i64;
    let failed = pods.iter().filter(|p| pod_phase(p) == "Failed").count() as i64;
    let active: Vec<&Value> = pods
        .iter()
        .filter(|p| !matches!(pod_phase(p), "Succeeded" | "Failed") && !is_deleting(p))
        .collect();
    let ready = active.iter().filter(|p| pod_ready(p)).count();
    let parallelism = job
        .pointer("/spec/parallelism")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0);
    let completions = job.pointer("/spec/completions").and_then(Value::as_i64);
    let suspended = job.pointer("/spec/suspend").and_then(Value::as_bool) == Some(true);
    let complete = match completions {
        Some(c) => succeeded >= c,
        None => succeeded > 0 && active.is_empty(),
    };
    let want = if suspended || complete {
        0
    } else {
        match completions {
            Some(c) => parallelism.min(c - succeeded),
            None if succeeded > 0 => 0,
            None => parallelism,
        }
    };
    let mut active_n = active.len() as i64;
    for p in active.iter().skip(want.max(0) as usize) {
        let _ = store.delete(Kind::Pod, ns, name(p));
        active_n -= 1;
    }
    let mut created = 0;
    for _ in active_n.max(0)..want.max(0) {
        let mut pod = pod_from_template(job, Kind::Job, classes);
        pod["metadata"]["name"] = json!(format!("{jn}-{}", random_suffix(5)));
        if let Ok(p) = store.create(Kind::Pod, pod) {
            created += 1;
            rec.record(
                store,
                job,
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {}", name(&p)),
                "job-controller",
            );
        }
    }
    active_n += created;
    let stamp = now_rfc3339();
    let generation = job.pointer("/metadata/generation").cloned();
    let _ = store.mutate(Kind::Job, ns, jn, |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        let s = &mut v["status"];
        if s.get("startTime").is_none() && !suspended {
            s["startTime"] = json!(stamp);
        }
        s["active"] = json!(active_n.max(0));
        s["succeeded"] = json!(succeeded);
        s["failed"] = json!(failed);
        s["ready"] = json!(ready);
        s["terminating"] = json!(0);
        s["uncountedTerminatedPods"] = json!({});
        if let Some(g) = &generation {
            s["observedGeneration"] = g.clone();
        }
        if complete {
            s["active"] = json!(0);
            s["completionTime"] = json!(stamp);
            set_condition(
                v,
                "SuccessCriteriaMet",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            );
            set_condition(
                v,
                "Complete",
                "True",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
            );
        }
    });
    if complete {
        rec.record(
            store,
            job,
            "Normal",
            "Completed",
            "Job completed",
            "job-controller",
        );
    }
    next
}

fn ordinal_of(sts_name: &str, pod_name: &str) -> Option<i64> {
    pod_name
        .strip_prefix(sts_name)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

fn sync_statefulset(store: &Store, rec: &mut Recorder, classes: &PriorityClasses, sts: &Value) {
    let (ns, sn) = (namespace(sts), name(sts));
    let replicas = sts
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .unwrap_or(1)
        .max(0);
    let parallel = sts
        .pointer("/spec/podManagementPolicy")
        .and_then(Value::as_str)
        == Some("Parallel");
    let hash = template_hash(sts.pointer("/spec/template").unwrap_or(&Value::Null));
    let revision = format!("{sn}-{hash}");
    let pods = owned_pods(store, ns, uid(sts));
    let mut by_ord: BTreeMap<i64, &Value> = BTreeMap::new();
    for p in pods.iter().filter(|p| !is_deleting(p)) {
        match ordinal_of(sn, name(p)) {
            Some(o) => {
                by_ord.insert(o, p);
            }
            None => {
                let _ = store.delete(Kind::Pod, ns, name(p));
            }
        }
    }
    let all_ready_below =
        |o: i64, m: &BTreeMap<i64, &Value>| (0..o).all(|i| m.get(&i).is_some_and(|p| pod_ready(p)));
    // Scale down, highest ordinal first (one at a time unless Parallel).
    let surplus: Vec<i64> = by_ord
        .keys()
        .rev()
        .copied()
        .filter(|o| *o >= replicas)
        .collect();
    for (n, o) in surplus.iter().enumerate() {
        if !parallel && n > 0 {
            break;
        }
        if let Some(p) = by_ord.get(o) {
            let _ = store.delete(Kind::Pod, ns, name(p));
        }
    }
    if surplus.is_empty() {
        // Create missing ordinals.
        for o in 0..replicas {
            if by_ord.contains_key(&o) {
                continue;
            }
            if !parallel && !all_ready_below(o, &by_ord) {
                break;
            }
            let pn = format!("{sn}-{o}");
            for claim in sts
                .pointer("/spec/volumeClaimTemplates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let cn = format!("{}-{pn}", name(claim));
                if store
                    .get_raw(Kind::PersistentVolumeClaim, ns, &cn)
                    .is_none()
                {
                    let mut pvc = claim.clone();
                    pvc["metadata"] = json!({"name": cn, "namespace": ns,
                        "labels": sts.pointer("/spec/selector/matchLabels").cloned().unwrap_or(json!({}))});
                    let _ = crate::sim::admission::create(store, Kind::PersistentVolumeClaim, pvc);
                }
            }
            let mut pod = pod_from_template(sts, Kind::StatefulSet, classes);
            pod["metadata"]["name"] = json!(pn);
            let l = &mut pod["metadata"]["labels"];
            l["statefulset.kubernetes.io/pod-name"] = json!(pn);
            l["apps.kubernetes.io/pod-index"] = json!(o.to_string());
            l["controller-revision-hash"] = json!(revision);
            pod["spec"]["hostname"] = json!(pn);
            if let Some(svc) = sts.pointer("/spec/serviceName").and_then(Value::as_str) {
                if !svc.is_empty() {
                    pod["spec"]["subdomain"] = json!(svc);
                }
            }
            let mut vols = pod["spec"]["volumes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for claim in sts
                .pointer("/spec/volumeClaimTemplates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                vols.push(json!({"name": name(claim),
                    "persistentVolumeClaim": {"claimName": format!("{}-{pn}", name(claim))}}));
            }
            if !vols.is_empty() {
                pod["spec"]["volumes"] = json!(vols);
            }
            if store.create(Kind::Pod, pod).is_ok() {
                rec.record(
                    store,
                    sts,
                    "Normal",
                    "SuccessfulCreate",
                    &format!("create Pod {pn} in StatefulSet {sn} successful"),
                    "statefulset-controller",
                );
            }
            if !parallel {
                break;
            }
        }
        // Rolling update from the highest ordinal, when everything is ready.
        let complete = (0..replicas).all(|o| by_ord.get(&o).is_some_and(|p| pod_ready(p)));
        if complete
            && sts
                .pointer("/spec/updateStrategy/type")
                .and_then(Value::as_str)
                != Some("OnDelete")
        {
            let partition = sts
                .pointer("/spec/updateStrategy/rollingUpdate/partition")
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if let Some((_, p)) = by_ord.iter().rev().find(|(o, p)| {
                **o >= partition && labels(p).get("controller-revision-hash") != Some(&revision)
            }) {
                let _ = store.delete(Kind::Pod, ns, name(p));
            }
        }
    }
    let pods = owned_pods(store, ns, uid(sts));
    let live: Vec<&Value> = pods.iter().filter(|p| !is_deleting(p)).collect();
    let ready = live.iter().filter(|p| pod_ready(p)).count();
    let updated = live
        .iter()
        .filter(|p| labels(p).get("controller-revision-hash") == Some(&revision))
        .count();
    let generation = sts.pointer("/metadata/generation").cloned();
    let n = live.len();
    let _ = store.mutate(Kind::StatefulSet, ns, sn, |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        let s = &mut v["status"];
        s["replicas"] = json!(n);
        s["readyReplicas"] = json!(ready);
        s["availableReplicas"] = json!(ready);
        s["updatedReplicas"] = json!(updated);
        s["updateRevision"] = json!(revision);
        let current = if updated == n && n as i64 == replicas {
            revision.clone()
        } else {
            s["currentRevision"]
                .as_str()
                .unwrap_or(&revision)
                .to_string()
        };
        s["currentReplicas"] = json!(if current == revision {
            updated
        } else {
            n - updated
        });
        s["currentRevision"] = json!(current);
        s["collisionCount"] = json!(0);
        if let Some(g) = &generation {
            s["observedGeneration"] = g.clone();
        }
    });
}

/// The pods a PodDisruptionBudget covers (its selector, in its namespace; live ones).
pub fn pdb_pods(store: &Store, pdb: &Value) -> Vec<Value> {
    let Some(sel) = pdb.pointer("/spec/selector") else {
        return Vec::new();
    };
    let Ok(selector) = LabelSelector::from_object(sel) else {
        return Vec::new();
    };
    store
        .list_where(Kind::Pod, Some(namespace(pdb)), |o| {
            o.matches_labels(&selector)
        })
        .into_iter()
        .filter(|p| !is_deleting(p) && !matches!(pod_phase(p), "Succeeded" | "Failed"))
        .collect()
}

/// `(expected, healthy, desired healthy, disruptions allowed)` of a PodDisruptionBudget.
pub fn pdb_numbers(pdb: &Value, pods: &[Value]) -> (i64, i64, i64, i64) {
    let expected = pods.len() as i64;
    let healthy = pods.iter().filter(|p| pod_ready(p)).count() as i64;
    let resolve = |v: &Value, round_up: bool| -> Option<i64> {
        match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => {
                let pct: f64 = s.strip_suffix('%')?.parse().ok()?;
                let x = pct * expected as f64 / 100.0;
                Some(if round_up { x.ceil() } else { x.floor() } as i64)
            }
            _ => None,
        }
    };
    let desired = if let Some(m) = pdb.pointer("/spec/minAvailable") {
        resolve(m, true).unwrap_or(0)
    } else if let Some(m) = pdb.pointer("/spec/maxUnavailable") {
        expected - resolve(m, true).unwrap_or(0)
    } else {
        expected
    };
    let desired = desired.max(0);
    (expected, healthy, desired, (healthy - desired).max(0))
}

fn sync_pdb(store: &Store, pdb: &Value) {
    let pods = pdb_pods(store, pdb);
    let (expected, healthy, desired, allowed) = pdb_numbers(pdb, &pods);
    let generation = pdb.pointer("/metadata/generation").cloned();
    let _ = store.mutate(Kind::PodDisruptionBudget, namespace(pdb), name(pdb), |v| {
        if !v["status"].is_object() {
            v["status"] = json!({});
        }
        let s = &mut v["status"];
        s["expectedPods"] = json!(expected);
        s["currentHealthy"] = json!(healthy);
        s["desiredHealthy"] = json!(desired);
        s["disruptionsAllowed"] = json!(allowed);
        if let Some(g) = &generation {
            s["observedGeneration"] = g.clone();
        }
        let (st, reason) = if allowed > 0 {
            ("True", "SufficientPods")
        } else {
            ("False", "InsufficientPods")
        };
        set_condition(v, "DisruptionAllowed", st, reason, "");
    });
}

fn sync_endpoints(store: &Store, svc: &Value) {
    let Some(sel) = svc.pointer("/spec/selector").and_then(Value::as_object) else {
        return;
    };
    if sel.is_empty() {
        return;
    }
    let (ns, sn) = (namespace(svc), name(svc));
    let expr: Vec<String> = sel
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
        .collect();
    let Ok(selector) = LabelSelector::parse(&expr.join(",")) else {
        return;
    };
    let pods = store.list_where(Kind::Pod, Some(ns), |o| o.matches_labels(&selector));
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    for p in &pods {
        let ip = p
            .pointer("/status/podIP")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if ip.is_empty() || is_deleting(p) || matches!(pod_phase(p), "Succeeded" | "Failed") {
            continue;
        }
        let a = json!({"ip": ip, "nodeName": super::util::node_name(p),
            "targetRef": {"kind": "Pod", "namespace": ns, "name": name(p), "uid": uid(p)}});
        if pod_ready(p) {
            ready.push(a);
        } else {
            not_ready.push(a);
        }
    }
    let ports: Vec<Value> = svc
        .pointer("/spec/ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            let port = match p.get("targetPort") {
                Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
                _ => p["port"].as_i64().unwrap_or(0),
            };
            let mut o = json!({"port": port, "protocol": p["protocol"].as_str().unwrap_or("TCP")});
            if let Some(n) = p.get("name").and_then(Value::as_str) {
                o["name"] = json!(n);
            }
            o
        })
        .collect();
    let mut subset = json!({"ports": ports});
    if !ready.is_empty() {
        subset["addresses"] = json!(ready);
    }
    if !not_ready.is_empty() {
        subset["notReadyAddresses"] = json!(not_ready);
    }
    let subsets = if ready.is_empty() && not_ready.is_empty() {
        json!([])
    } else {
        json!([subset])
    };
    let svc_labels = svc
        .pointer("/metadata/labels")
        .cloned()
        .unwrap_or(json!({}));
    match store.get(Kind::Endpoints, ns, sn) {
        Some(ep) => {
            if ep.get("subsets").unwrap_or(&json!([])) != &subsets {
                let _ = store.mutate(Kind::Endpoints, ns, sn, |v| v["subsets"] = subsets.clone());
            }
        }
        None => {
            let _ = store.create(
                Kind::Endpoints,
                json!({"apiVersion": "v1", "kind": "Endpoints",
                       "metadata": {"name": sn, "namespace": ns, "labels": svc_labels},
                       "subsets": subsets}),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_parse_only_own_pods() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-x"), None);
        assert_eq!(ordinal_of("web", "webby-1"), None);
    }

    #[test]
    fn job_done_reads_conditions() {
        assert!(!job_done(&json!({})));
        assert!(job_done(
            &json!({"status": {"conditions": [{"type": "Complete", "status": "True"}]}})
        ));
        assert!(!job_done(
            &json!({"status": {"conditions": [{"type": "Complete", "status": "False"}]}})
        ));
    }
}
