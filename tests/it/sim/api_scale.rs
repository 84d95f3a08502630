//! Scale check of the API server (ignored by default; run with
//! `cargo test --release --test it sim::api_scale -- --ignored --nocapture`):
//! 3 clusters × 2,000 nodes × 60,000 pods stored, RSS reported, and
//! `kubectl get pods -A -o json` of one cluster timed.

use std::time::Instant;

use kubectl_fleet::sim::store::Kind;
use serde_json::{json, Value};

use crate::util::*;

const NODES: usize = 2_000;
const PODS: usize = 60_000;

fn rss_mib() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn node(i: usize) -> Value {
    json!({
        "metadata": {"name": format!("node-{i:05}"), "labels": {
            "kubernetes.io/hostname": format!("node-{i:05}"), "topology.kubernetes.io/region": "cn-beijing",
            "node.kubernetes.io/instance-type": "ecs.gn7i-c32g1.8xlarge"}},
        "spec": {},
        "status": {
            "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110", "nvidia.com/gpu": "4"},
            "allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110", "nvidia.com/gpu": "4"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                            "message": "kubelet is posting ready status",
                            "lastHeartbeatTime": "2026-01-01T00:00:00Z", "lastTransitionTime": "2026-01-01T00:00:00Z"}],
            "addresses": [{"type": "InternalIP", "address": format!("10.0.{}.{}", i / 250, i % 250)},
                          {"type": "Hostname", "address": format!("node-{i:05}")}],
            "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Simulated", "architecture": "amd64",
                         "containerRuntimeVersion": "sim://1.0", "kernelVersion": "6.0.0", "operatingSystem": "linux"}
        }
    })
}

fn pod(i: usize, rs_uid: &str) -> Value {
    let cond = |t: &str| json!({"type": t, "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z", "reason": "", "message": ""});
    json!({
        "metadata": {"name": format!("batch-{i:06}"), "namespace": "default",
                     "labels": {"app": "batch", "pod-template-hash": "66f9f98ff6"},
                     // Same size as a ReplicaSet owner reference, without making a controller own the pod.
                     "annotations": {"sim.fleet.kubectl.dev/bench-owner": format!(
                         "apiVersion=apps/v1,kind=ReplicaSet,name=batch-66f9f98ff6,uid={rs_uid},controller=true")}},
        "spec": {"nodeName": format!("node-{:05}", i % NODES), "priority": 100, "priorityClassName": "batch-low",
                 "schedulerName": "default-scheduler", "restartPolicy": "Always", "preemptionPolicy": "PreemptLowerPriority",
                 "containers": [{"name": "app", "image": "registry.k8s.io/pause:3.10",
                                 "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}}]},
        "status": {"phase": "Running", "podIP": format!("10.64.{}.{}", i / 250, i % 250), "hostIP": "10.0.0.1",
                   "startTime": "2026-01-01T00:00:00Z", "qosClass": "Burstable",
                   "conditions": [cond("PodScheduled"), cond("Initialized"), cond("ContainersReady"), cond("Ready")],
                   "containerStatuses": [{"name": "app", "ready": true, "started": true, "restartCount": 0,
                                          "image": "registry.k8s.io/pause:3.10", "imageID": "",
                                          "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]}
    })
}

#[test]
#[ignore = "scale measurement; run explicitly with --ignored --nocapture"]
fn api_servers_hold_3_clusters_of_2000_nodes_and_60000_pods_under_1_5_gib() {
    let f = start_fleet_api_only(config_of(&NAMES));
    let rss = fill_and_list(&f);
    assert!(rss < 1536.0, "RSS {rss} MiB");
}

#[test]
#[ignore = "scale measurement with the simulated controllers running; reports only"]
fn with_controllers_3_clusters_of_2000_nodes_and_60000_pods() {
    let f = start_fleet(config_of(&NAMES));
    fill_and_list(&f);
}

const NAMES: [&str; 3] = ["big-a", "big-b", "big-c"];

/// Stores the nodes and pods in every cluster, lists one cluster with kubectl, returns the
/// peak RSS seen (MiB).
fn fill_and_list(f: &TestFleet) -> f64 {
    let before = rss_mib();
    let names = NAMES;
    let t = Instant::now();
    for name in names {
        let store = f.sim.store(name).unwrap();
        for i in 0..NODES {
            store.create(Kind::Node, node(i)).unwrap();
        }
        let uid = "5b0c2f0e-7c4e-4b43-9d9e-2f1d7c1b6a01";
        for i in 0..PODS {
            store.create(Kind::Pod, pod(i, uid)).unwrap();
        }
        assert_eq!(store.count(Kind::Pod, None), PODS);
    }
    let fill = t.elapsed();
    let rss = rss_mib();
    eprintln!("filled 3 x ({NODES} nodes + {PODS} pods) in {fill:?}; RSS {rss:.0} MiB (before {before:.0} MiB)");

    // The server side alone: every page of 500 as kubectl asks for them, and one unpaginated list.
    let url = f.sim.server_url("big-a").unwrap();
    let t = Instant::now();
    let (mut cont, mut pages, mut bytes) = (String::new(), 0, 0);
    loop {
        let (code, body) = http(
            "GET",
            &format!("{url}/api/v1/pods?limit=500&continue={cont}"),
            "",
            "",
        )
        .unwrap();
        assert_eq!(code, 200);
        pages += 1;
        bytes += body.len();
        let v: Value = serde_json::from_str(&body).unwrap();
        match v["metadata"]["continue"].as_str() {
            Some(c) => cont = c.to_string(),
            None => break,
        }
    }
    eprintln!(
        "raw paginated list: {pages} pages, {:.1} MiB in {:?}",
        bytes as f64 / 1048576.0,
        t.elapsed()
    );
    let t = Instant::now();
    let (code, body) = http("GET", &format!("{url}/api/v1/pods"), "", "").unwrap();
    assert_eq!(code, 200);
    eprintln!(
        "raw full list: {:.1} MiB in {:?}; RSS {:.0} MiB",
        body.len() as f64 / 1048576.0,
        t.elapsed(),
        rss_mib()
    );
    drop(body);

    let t = Instant::now();
    let out = std::process::Command::new("kubectl")
        .args(["--context", "big-a", "get", "pods", "-A", "-o", "json"])
        .env("KUBECONFIG", &f.kubeconfig)
        .output()
        .unwrap();
    let took = t.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items = String::from_utf8_lossy(&out.stdout)
        .matches("\"kind\": \"Pod\"")
        .count();
    eprintln!(
        "kubectl get pods -A -o json: {items} pods, {:.1} MiB of output in {took:?}; RSS after {:.0} MiB",
        out.stdout.len() as f64 / 1048576.0,
        rss_mib()
    );
    assert_eq!(items, PODS);

    let t = Instant::now();
    let out = std::process::Command::new("kubectl")
        .args(["--context", "big-b", "get", "pods", "-A", "--no-headers"])
        .env("KUBECONFIG", &f.kubeconfig)
        .output()
        .unwrap();
    assert!(out.status.success());
    eprintln!(
        "kubectl get pods -A (Table, chunked by 500): {} rows in {:?}; RSS after {:.0} MiB",
        String::from_utf8_lossy(&out.stdout).lines().count(),
        t.elapsed(),
        rss_mib()
    );
    rss_mib().max(rss)
}
