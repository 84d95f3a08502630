//! Read benchmark (ignored by default; run with
//! `cargo test --release --test it cli::fleet_bench -- --ignored --nocapture`):
//! 3 members × 2,000 nodes × 60,000 pods, `read_snapshots` in a child process (so its peak
//! RSS is measured apart from the simulator's), compared with
//! `kubectl get nodes,pods -A -o json` against each member.

use std::time::{Duration, Instant};

use kubectl_fleet::fleet::{self, Fleet, MembershipOptions, ReadOptions};
use kubectl_fleet::sim::store::Kind;
use serde_json::json;

use crate::util::{config_of, start_fleet};

const NODES: usize = 2_000;
const PODS: usize = 60_000;

fn seed(store: &kubectl_fleet::sim::store::Store, cluster: &str) {
    for n in 0..NODES {
        store
            .create(
                Kind::Node,
                json!({
                    "apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": format!("{cluster}-node-{n:05}"), "labels": {
                        "kubernetes.io/hostname": format!("{cluster}-node-{n:05}"),
                        "topology.kubernetes.io/region": format!("region-{cluster}"),
                        "node.kubernetes.io/instance-type": "ecs.gn7i-c32g1.8xlarge"}},
                    "spec": {"podCIDR": "10.0.0.0/24"},
                    "status": {
                        "allocatable": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "1", "pods": "110", "ephemeral-storage": "100Gi"},
                        "capacity": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "1", "pods": "110", "ephemeral-storage": "100Gi"},
                        "conditions": [
                            {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory"},
                            {"type": "DiskPressure", "status": "False", "reason": "KubeletHasNoDiskPressure"},
                            {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                        "nodeInfo": {"kubeletVersion": "v1.32.0", "osImage": "Alibaba Cloud Linux 3", "containerRuntimeVersion": "containerd://1.7.0"},
                        "addresses": [{"type": "InternalIP", "address": format!("10.0.{}.{}", n / 250, n % 250)}]
                    }
                }),
            )
            .unwrap();
    }
    for p in 0..PODS {
        let app = format!("app-{}", p % 500);
        store
            .create(
                Kind::Pod,
                json!({
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": format!("{app}-{p:06}"), "namespace": format!("ns-{}", p % 20),
                        "labels": {"app": app, "pod-template-hash": "5d8f7c9b6"},
                        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": format!("{app}-5d8f7c9b6"), "uid": "0000", "controller": true}]},
                    "spec": {
                        "nodeName": format!("{cluster}-node-{:05}", p % NODES),
                        "priority": 0,
                        "containers": [{"name": "main", "image": "registry.example.com/team/app:1.2.3",
                            "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}},
                            "env": [{"name": "MODE", "value": "production"}],
                            "ports": [{"containerPort": 8080, "protocol": "TCP"}]}],
                        "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
                    },
                    "status": {"phase": "Running", "podIP": "10.1.2.3", "hostIP": "10.0.0.1",
                        "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
                        "containerStatuses": [{"name": "main", "ready": true, "restartCount": 0, "image": "registry.example.com/team/app:1.2.3", "imageID": "sha256:abc", "state": {"running": {"startedAt": "2026-01-01T00:00:00Z"}}}]}
                }),
            )
            .unwrap();
    }
}

/// Child half: reads the fleet and prints its time and peak RSS.
#[test]
#[ignore = "child of fleet_bench_read_snapshots_3x2000x60000"]
fn fleet_bench_reader() {
    let Ok(kubeconfig) = std::env::var("FLEET_BENCH_KUBECONFIG") else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let snaps = rt.block_on(async {
        let f = Fleet::load(&MembershipOptions {
            kubeconfig: Some(kubeconfig.into()),
            request_timeout: Duration::from_secs(300),
            ..Default::default()
        })
        .unwrap();
        fleet::read_snapshots(&f, &ReadOptions::default()).await
    });
    let elapsed = start.elapsed();
    let mut pods = 0;
    let mut nodes = 0;
    for s in &snaps {
        let st = s.result.as_ref().expect("member read");
        pods += st.snapshot.pods.len();
        nodes += st.snapshot.nodes.len();
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    println!("BENCH read_snapshots nodes={nodes} pods={pods} elapsed={elapsed:?} {hwm}");
}

#[test]
#[ignore = "benchmark: 3 members x 2,000 nodes x 60,000 pods"]
fn fleet_bench_read_snapshots_3x2000x60000() {
    let tf = start_fleet(config_of(&["c1", "c2", "c3"]));
    let t = Instant::now();
    for c in ["c1", "c2", "c3"] {
        seed(&tf.sim.store(c).unwrap(), c);
    }
    println!("seeded in {:?}", t.elapsed());
    let exe = std::env::current_exe().unwrap();
    let out = std::process::Command::new(exe)
        .args([
            "cli::fleet_bench::fleet_bench_reader",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env("FLEET_BENCH_KUBECONFIG", &tf.kubeconfig)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("BENCH"))
        .unwrap_or_else(|| panic!("{text}"));
    println!("{line}");

    let t = Instant::now();
    let kubectls: Vec<_> = ["c1", "c2", "c3"]
        .iter()
        .map(|c| {
            std::process::Command::new("/usr/bin/time")
                .args(["-f", "%M KiB"])
                .arg("kubectl")
                .args(["--kubeconfig"])
                .arg(&tf.kubeconfig)
                .args(["--context", c, "get", "nodes,pods", "-A", "-o", "json"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for k in kubectls {
        let o = k.wait_with_output().unwrap();
        println!(
            "kubectl peak RSS {}",
            String::from_utf8_lossy(&o.stderr).trim()
        );
    }
    println!(
        "BENCH kubectl get nodes,pods -A -o json x3 (parallel) elapsed={:?}",
        t.elapsed()
    );
}
