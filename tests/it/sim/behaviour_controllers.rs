//! Simulated cluster behaviour (src/sim/controllers), driven through one cluster's store with
//! the controllers running at high speed: scheduling and Unschedulable pods, elastic pools
//! and the inventory ConfigMap, preemption, rolling updates, scale-down order, node NotReady
//! eviction, idle pool scale-down, the inventory fault.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kubectl_fleet::sim::cluster::ClusterCtx;
use kubectl_fleet::sim::config::SimConfig;
use kubectl_fleet::sim::controllers::{self, INVENTORY_CONFIGMAP, INVENTORY_KEY};
use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;
use serde_json::{json, Value};

/// Simulated delays run 100× faster: provisioning 30s → 0.3s, readiness 30s → 0.3s.
const SPEED: f64 = 100.0;

struct Sim {
    ctx: Arc<ClusterCtx>,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl Sim {
    /// Starts one cluster with the given `clusters[0]` body (YAML, indented by 2).
    fn start(cluster_yaml: &str) -> Sim {
        let yaml = format!(
            "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: SimulatedFleet\nclusters:\n{cluster_yaml}"
        );
        let cfg = SimConfig::from_yaml(&yaml, "test.yaml").expect("test config parses");
        let ctx = Arc::new(ClusterCtx::new(cfg.clusters[0].clone(), SPEED));
        controllers::seed(&ctx);
        let (tx, rx) = tokio::sync::watch::channel(false);
        controllers::spawn(ctx.clone(), rx);
        Sim { ctx, _stop: tx }
    }

    fn pods(&self, app: &str) -> Vec<Value> {
        self.ctx
            .store
            .list(Kind::Pod, Some("default"))
            .into_iter()
            .filter(|p| p["metadata"]["labels"]["app"] == app)
            .collect()
    }

    fn deploy(&self, name: &str, replicas: u32, gpus: u32, priority_class: Option<&str>) {
        self.ctx
            .store
            .create(
                Kind::Deployment,
                deployment(name, replicas, gpus, priority_class),
            )
            .expect("deployment created");
    }

    fn scale(&self, name: &str, replicas: u32) {
        self.ctx
            .store
            .mutate(Kind::Deployment, "default", name, |d| {
                d["spec"]["replicas"] = json!(replicas)
            })
            .expect("deployment scaled");
    }

    fn inventory(&self) -> Vec<Value> {
        let cm = self
            .ctx
            .store
            .get(Kind::ConfigMap, "kube-system", INVENTORY_CONFIGMAP)
            .expect("inventory ConfigMap exists");
        serde_json::from_str(cm["data"][INVENTORY_KEY].as_str().expect("pools.json"))
            .expect("pools.json is JSON")
    }
}

/// The seeds' vLLM pod shape: only `limits: nvidia.com/gpu`, readiness after 30s.
fn deployment(name: &str, replicas: u32, gpus: u32, priority_class: Option<&str>) -> Value {
    let mut spec = json!({
        "containers": [{
            "name": "vllm",
            "image": "vllm-openai:v0.9.1",
            "readinessProbe": {"tcpSocket": {"port": 8000}, "initialDelaySeconds": 30, "periodSeconds": 30},
            "resources": {"limits": {"nvidia.com/gpu": gpus.to_string()}},
        }],
    });
    if let Some(pc) = priority_class {
        spec["priorityClassName"] = json!(pc);
    }
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": spec},
        },
    })
}

fn is_ready(p: &Value) -> bool {
    p["status"]["conditions"].as_array().is_some_and(|c| {
        c.iter()
            .any(|c| c["type"] == "Ready" && c["status"] == "True")
    })
}

fn is_unschedulable(p: &Value) -> bool {
    p["spec"]["nodeName"].is_null()
        && p["status"]["conditions"].as_array().is_some_and(|c| {
            c.iter().any(|c| {
                c["type"] == "PodScheduled"
                    && c["status"] == "False"
                    && c["reason"] == "Unschedulable"
            })
        })
}

fn count(pods: &[Value], f: impl Fn(&Value) -> bool) -> usize {
    pods.iter().filter(|p| f(p)).count()
}

/// Polls `f` until it returns Some, for at most 10 s of wall time.
async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

const TWO_ONE_GPU_NODES: &str = "- name: m1
  labels: {region: r1}
  nodes:
  - {count: 2, prefix: gpu, allocatable: {cpu: \"8\", memory: 30Gi, nvidia.com/gpu: \"1\"}}
  priorityClasses: [{name: batch-low, value: 100}, {name: online-high, value: 100000}]
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_gpu_replicas_on_two_gpu_nodes_leave_two_pending_unschedulable() {
    let sim = Sim::start(TWO_ONE_GPU_NODES);
    sim.deploy("qwen3-8b", 4, 1, None);
    let pods = eventually("2 Ready and 2 Unschedulable", || {
        let pods = sim.pods("qwen3-8b");
        (pods.len() == 4 && count(&pods, is_ready) == 2 && count(&pods, is_unschedulable) == 2)
            .then_some(pods)
    })
    .await;
    let running: Vec<&Value> = pods
        .iter()
        .filter(|p| p["status"]["phase"] == "Running")
        .collect();
    assert_eq!(running.len(), 2);
    let mut nodes: Vec<&str> = running
        .iter()
        .map(|p| p["spec"]["nodeName"].as_str().unwrap())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["gpu-1", "gpu-2"], "one GPU pod per one-GPU node");
    let pending = pods.iter().find(|p| is_unschedulable(p)).unwrap();
    let cond = pending["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "PodScheduled")
        .unwrap();
    assert!(
        cond["message"]
            .as_str()
            .unwrap()
            .starts_with("0/2 nodes are available: 2 Insufficient nvidia.com/gpu."),
        "{cond}"
    );
    assert_eq!(pending["status"]["phase"], "Pending");
    // The Deployment's status says so too.
    eventually("deployment status 2/4 ready", || {
        let d = sim
            .ctx
            .store
            .get(Kind::Deployment, "default", "qwen3-8b")
            .unwrap();
        let s = &d["status"];
        (s["replicas"] == 4
            && s["readyReplicas"] == 2
            && s["unavailableReplicas"] == 2
            && s["observedGeneration"] == 1)
            .then_some(())
    })
    .await;
    // Settled means quiet: resyncs (every 0.1 s here) write nothing more.
    let rv = sim.ctx.store.resource_version();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        sim.ctx.store.resource_version(),
        rv,
        "no writes once settled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elastic_pool_provisions_nodes_for_unschedulable_pods_and_spends_inventory() {
    let sim = Sim::start(&format!(
        "{TWO_ONE_GPU_NODES}  nodePools:
  - {{name: gpu-elastic, allocatable: {{cpu: \"8\", memory: 30Gi, nvidia.com/gpu: \"1\"}}, maxNodes: 10, inventory: 2, provisionSeconds: 30, scaleDownIdleSeconds: 600}}
"
    ));
    let inv = sim.inventory();
    assert_eq!(inv[0]["name"], "gpu-elastic");
    assert_eq!(inv[0]["inventory"], 2);
    assert_eq!(inv[0]["currentNodes"], 0);
    assert_eq!(inv[0]["maxNodes"], 10);
    assert_eq!(inv[0]["allocatable"]["nvidia.com/gpu"], "1");
    assert_eq!(
        inv[0]["labels"]["fleet.kubectl.dev/node-pool"],
        "gpu-elastic"
    );

    sim.deploy("qwen3-8b", 4, 1, None);
    let pods = eventually("all 4 Ready", || {
        let pods = sim.pods("qwen3-8b");
        (count(&pods, is_ready) == 4).then_some(pods)
    })
    .await;
    let mut nodes: Vec<&str> = pods
        .iter()
        .map(|p| p["spec"]["nodeName"].as_str().unwrap())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["gpu-1", "gpu-2", "gpu-elastic-1", "gpu-elastic-2"]);
    let node = sim.ctx.store.get(Kind::Node, "", "gpu-elastic-1").unwrap();
    assert_eq!(
        node["metadata"]["labels"]["fleet.kubectl.dev/node-pool"],
        "gpu-elastic"
    );
    assert_eq!(
        node["metadata"]["labels"]["topology.kubernetes.io/region"],
        "r1"
    );
    let inv = eventually("inventory 0 published", || {
        let inv = sim.inventory();
        (inv[0]["inventory"] == 0
            && inv[0]["currentNodes"] == 2
            && inv[0]["provisioningNodes"] == 0)
            .then_some(inv)
    })
    .await;
    assert_eq!(inv.len(), 1);
    // No more nodes than needed, even after more passes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sim.ctx.store.list(Kind::Node, None).len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn high_priority_deployment_preempts_low_priority_pods() {
    let sim = Sim::start(TWO_ONE_GPU_NODES);
    sim.deploy("batch", 2, 1, Some("batch-low"));
    eventually("batch fills both GPUs", || {
        (count(&sim.pods("batch"), is_ready) == 2).then_some(())
    })
    .await;
    let batch_priority = sim.pods("batch")[0]["spec"]["priority"].clone();
    assert_eq!(
        batch_priority, 100,
        "priority resolved from the PriorityClass"
    );

    sim.deploy("online", 1, 1, Some("online-high"));
    let online = eventually("online pod Ready", || {
        let pods = sim.pods("online");
        (count(&pods, is_ready) == 1).then_some(pods)
    })
    .await;
    let node = online[0]["spec"]["nodeName"].as_str().unwrap().to_string();
    // The victim was deleted; its ReplicaSet recreated it and it is Pending Unschedulable.
    let batch = eventually("one batch pod Pending Unschedulable", || {
        let pods = sim.pods("batch");
        (pods.len() == 2 && count(&pods, is_unschedulable) == 1).then_some(pods)
    })
    .await;
    let other = if node == "gpu-1" { "gpu-2" } else { "gpu-1" };
    let running: Vec<&Value> = batch
        .iter()
        .filter(|p| !p["spec"]["nodeName"].is_null())
        .collect();
    assert_eq!(running.len(), 1);
    assert_eq!(
        running[0]["spec"]["nodeName"], other,
        "the low-priority pod on the other node stays"
    );
    let events = sim.ctx.store.list(Kind::Event, Some("default"));
    assert!(
        events.iter().any(|e| e["reason"] == "Preempted"),
        "a Preempted event is recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equal_priority_and_never_policy_do_not_preempt() {
    let sim = Sim::start(&TWO_ONE_GPU_NODES.replace(
        "{name: online-high, value: 100000}",
        "{name: online-high, value: 100000}, {name: polite, value: 5000, preemptionPolicy: Never}",
    ));
    sim.deploy("batch", 2, 1, Some("batch-low"));
    eventually("batch fills both GPUs", || {
        (count(&sim.pods("batch"), is_ready) == 2).then_some(())
    })
    .await;
    sim.deploy("same", 1, 1, Some("batch-low"));
    sim.deploy("polite", 1, 1, Some("polite"));
    eventually("both stay Unschedulable", || {
        (count(&sim.pods("same"), is_unschedulable) == 1
            && count(&sim.pods("polite"), is_unschedulable) == 1)
            .then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        count(&sim.pods("batch"), is_ready),
        2,
        "no batch pod was preempted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rolling_update_replaces_every_pod_within_max_unavailable() {
    let sim = Sim::start(
        "- name: m1
  nodes:
  - {count: 4, prefix: n, allocatable: {cpu: \"8\", memory: 30Gi, nvidia.com/gpu: \"2\"}}
",
    );
    sim.deploy("web", 4, 1, None);
    let old = eventually("4 Ready", || {
        let pods = sim.pods("web");
        (count(&pods, is_ready) == 4).then_some(pods)
    })
    .await;
    let old_names: Vec<String> = old
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    sim.ctx
        .store
        .mutate(Kind::Deployment, "default", "web", |d| {
            d["spec"]["template"]["spec"]["containers"][0]["image"] = json!("vllm-openai:v0.10.0")
        })
        .unwrap();
    // Watch availability during the rollout: maxUnavailable 25% of 4 = 1.
    let mut min_ready = usize::MAX;
    let mut max_pods = 0;
    let done = eventually("rollout complete", || {
        let pods = sim.pods("web");
        min_ready = min_ready.min(count(&pods, is_ready));
        max_pods = max_pods.max(pods.len());
        let d = sim
            .ctx
            .store
            .get(Kind::Deployment, "default", "web")
            .unwrap();
        let s = &d["status"];
        let progressing = s["conditions"].as_array().and_then(|c| {
            c.iter()
                .find(|c| c["type"] == "Progressing")
                .map(|c| c["reason"].clone())
        });
        (s["observedGeneration"] == 2
            && s["updatedReplicas"] == 4
            && s["replicas"] == 4
            && s["availableReplicas"] == 4
            && progressing == Some(json!("NewReplicaSetAvailable")))
        .then_some(pods)
    })
    .await;
    assert!(
        min_ready >= 3,
        "never below desired - maxUnavailable (saw {min_ready})"
    );
    assert!(
        max_pods <= 5,
        "never above desired + maxSurge (saw {max_pods})"
    );
    for p in &done {
        assert_eq!(p["spec"]["containers"][0]["image"], "vllm-openai:v0.10.0");
        assert!(!old_names.contains(&p["metadata"]["name"].as_str().unwrap().to_string()));
    }
    let rss = sim.ctx.store.list(Kind::ReplicaSet, Some("default"));
    assert_eq!(rss.len(), 2);
    let new_rs = rss
        .iter()
        .find(|r| r["spec"]["replicas"] == 4)
        .expect("new RS has 4");
    let old_rs = rss
        .iter()
        .find(|r| r["spec"]["replicas"] == 0)
        .expect("old RS scaled to 0");
    assert_eq!(
        new_rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "2"
    );
    assert_eq!(
        old_rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
        "1"
    );
    let hash = new_rs["metadata"]["labels"]["pod-template-hash"]
        .as_str()
        .unwrap();
    assert_eq!(new_rs["metadata"]["name"], format!("web-{hash}"));
    assert_eq!(
        new_rs["metadata"]["ownerReferences"][0]["kind"],
        "Deployment"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_down_removes_pending_pods_first() {
    let sim = Sim::start(TWO_ONE_GPU_NODES);
    sim.deploy("qwen3-8b", 4, 1, None);
    let pods = eventually("2 Ready, 2 Pending", || {
        let pods = sim.pods("qwen3-8b");
        (count(&pods, is_ready) == 2 && count(&pods, is_unschedulable) == 2).then_some(pods)
    })
    .await;
    let mut running: Vec<String> = pods
        .iter()
        .filter(|p| is_ready(p))
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    running.sort();
    sim.scale("qwen3-8b", 2);
    let after = eventually("2 pods left", || {
        let pods = sim.pods("qwen3-8b");
        (pods.len() == 2).then_some(pods)
    })
    .await;
    let mut left: Vec<String> = after
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    left.sort();
    assert_eq!(
        left, running,
        "the Running pods stay, the Pending ones went"
    );
    eventually("deployment complete", || {
        let d = sim
            .ctx
            .store
            .get(Kind::Deployment, "default", "qwen3-8b")
            .unwrap();
        (d["status"]["availableReplicas"] == 2 && d["status"]["unavailableReplicas"] == 0)
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_not_ready_fault_unreadies_then_evicts_pods_and_node_ready_restores() {
    let sim = Sim::start(TWO_ONE_GPU_NODES);
    sim.deploy("web", 1, 1, None);
    let pod = eventually("pod Ready", || {
        let pods = sim.pods("web");
        (count(&pods, is_ready) == 1).then(|| pods[0].clone())
    })
    .await;
    let node = pod["spec"]["nodeName"].as_str().unwrap().to_string();
    let other = if node == "gpu-1" { "gpu-2" } else { "gpu-1" };
    controllers::apply_fault(&sim.ctx, &Fault::NodeNotReady(node.clone())).unwrap();
    let n = sim.ctx.store.get(Kind::Node, "", &node).unwrap();
    assert!(n["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "Ready" && c["status"] != "True"));
    // Readiness is lost first (before the 40s/speed grace)...
    eventually("pod loses readiness", || {
        let pods = sim.pods("web");
        pods.iter()
            .any(|p| p["metadata"]["uid"] == pod["metadata"]["uid"] && !is_ready(p))
            .then_some(())
    })
    .await;
    // ...then it is evicted and recreated on the other node.
    let moved = eventually("replacement Ready on the other node", || {
        let pods = sim.pods("web");
        (pods.len() == 1 && is_ready(&pods[0]) && pods[0]["spec"]["nodeName"] == other)
            .then(|| pods[0].clone())
    })
    .await;
    assert_ne!(moved["metadata"]["uid"], pod["metadata"]["uid"]);
    controllers::apply_fault(&sim.ctx, &Fault::NodeReady(node.clone())).unwrap();
    let n = sim.ctx.store.get(Kind::Node, "", &node).unwrap();
    assert!(n["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["type"] == "Ready" && c["status"] == "True"));
    assert!(n["spec"]["taints"].as_array().unwrap().is_empty());
    assert!(
        controllers::apply_fault(&sim.ctx, &Fault::NodeNotReady("nope".into()))
            .unwrap_err()
            .contains("nope")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_pool_nodes_are_removed_and_inventory_returned() {
    let sim = Sim::start(
        "- name: m1
  nodes:
  - {count: 1, prefix: cpu, allocatable: {cpu: \"4\", memory: 16Gi}}
  nodePools:
  - {name: gpu-elastic, allocatable: {cpu: \"8\", memory: 30Gi, nvidia.com/gpu: \"1\"}, maxNodes: 10, inventory: 3, provisionSeconds: 30, scaleDownIdleSeconds: 60}
",
    );
    sim.deploy("qwen3-8b", 2, 1, None);
    eventually("2 Ready on pool nodes", || {
        (count(&sim.pods("qwen3-8b"), is_ready) == 2).then_some(())
    })
    .await;
    eventually("inventory 1", || {
        (sim.inventory()[0]["inventory"] == 1).then_some(())
    })
    .await;
    sim.scale("qwen3-8b", 0);
    eventually("pool back to 0 nodes, inventory 3", || {
        let inv = sim.inventory();
        (inv[0]["inventory"] == 3 && inv[0]["currentNodes"] == 0).then_some(())
    })
    .await;
    let nodes: Vec<String> = sim
        .ctx
        .store
        .list(Kind::Node, None)
        .iter()
        .map(|n| n["metadata"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(nodes, ["cpu-1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inventory_fault_limits_pool_scale_up() {
    let sim = Sim::start(
        "- name: m1
  nodes:
  - {count: 1, prefix: cpu, allocatable: {cpu: \"4\", memory: 16Gi}}
  nodePools:
  - {name: gpu-elastic, allocatable: {cpu: \"8\", memory: 30Gi, nvidia.com/gpu: \"1\"}, maxNodes: 10, inventory: 5, provisionSeconds: 30, scaleDownIdleSeconds: 600}
",
    );
    controllers::apply_fault(
        &sim.ctx,
        &Fault::Inventory {
            pool: "gpu-elastic".into(),
            count: 1,
        },
    )
    .unwrap();
    assert_eq!(sim.inventory()[0]["inventory"], 1);
    sim.deploy("qwen3-8b", 3, 1, None);
    eventually("1 Ready, 2 Unschedulable", || {
        let pods = sim.pods("qwen3-8b");
        (count(&pods, is_ready) == 1 && count(&pods, is_unschedulable) == 2).then_some(())
    })
    .await;
    assert_eq!(sim.inventory()[0]["inventory"], 0);
    // More inventory arrives: the pool grows for the rest.
    controllers::apply_fault(
        &sim.ctx,
        &Fault::Inventory {
            pool: "gpu-elastic".into(),
            count: 4,
        },
    )
    .unwrap();
    eventually("all 3 Ready", || {
        (count(&sim.pods("qwen3-8b"), is_ready) == 3).then_some(())
    })
    .await;
    eventually("inventory 2 left", || {
        (sim.inventory()[0]["inventory"] == 2).then_some(())
    })
    .await;
    // Exactly the 3 nodes needed (no extra node for pods a new node is about to take).
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sim.ctx.store.list(Kind::Node, None).len(), 4);
    assert_eq!(sim.inventory()[0]["inventory"], 2);
    let err = controllers::apply_fault(
        &sim.ctx,
        &Fault::Inventory {
            pool: "nope".into(),
            count: 1,
        },
    )
    .unwrap_err();
    assert!(err.contains("no node pool \"nope\""), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builtin_fleet_seeds_nodes_priority_classes_and_running_batch_workload() {
    let cfg = SimConfig::builtin();
    let idc = Arc::new(ClusterCtx::new(
        cfg.cluster("idc-beijing").unwrap().clone(),
        SPEED,
    ));
    controllers::seed(&idc);
    // seed() already ran the controllers once: the batch workload is placed before clients come.
    let pods = idc.store.list(Kind::Pod, Some("default"));
    assert_eq!(pods.len(), 6);
    assert!(pods
        .iter()
        .all(|p| p["status"]["phase"] == "Running" && is_ready(p)));
    assert!(pods.iter().all(|p| p["spec"]["nodeName"]
        .as_str()
        .unwrap()
        .starts_with("gpu-a10-")));
    let node = idc.store.get(Kind::Node, "", "gpu-a10-1").unwrap();
    let labels = &node["metadata"]["labels"];
    assert_eq!(labels["topology.kubernetes.io/region"], "cn-beijing");
    assert_eq!(labels["provider"], "idc");
    assert_eq!(labels["kubernetes.io/hostname"], "gpu-a10-1");
    assert_eq!(node["status"]["allocatable"]["nvidia.com/gpu"], "4");
    for ns in ["default", "kube-system"] {
        assert!(idc.store.get(Kind::Namespace, "", ns).is_some());
    }
    assert_eq!(
        idc.store
            .get(Kind::PriorityClass, "", "online-high")
            .unwrap()["value"],
        100000
    );
    let d = idc
        .store
        .get(Kind::Deployment, "default", "batch-train")
        .unwrap();
    assert_eq!(d["status"]["readyReplicas"], 6);
    assert!(idc
        .store
        .get(Kind::ConfigMap, "kube-system", INVENTORY_CONFIGMAP)
        .is_some());

    let sh = ClusterCtx::new(cfg.cluster("ack-shanghai").unwrap().clone(), SPEED);
    controllers::seed(&sh);
    let cm = sh
        .store
        .get(Kind::ConfigMap, "kube-system", INVENTORY_CONFIGMAP)
        .unwrap();
    let pools: Vec<Value> =
        serde_json::from_str(cm["data"][INVENTORY_KEY].as_str().unwrap()).unwrap();
    assert_eq!(pools[0]["inventory"], 8);
    assert_eq!(pools[0]["currentNodes"], 0);
}

/// Throughput of the controllers: N (default 6000, env `SIM_REPLICAS`) replicas of one
/// Deployment on 2,000 nodes, all Ready. Slow in debug builds, hence ignored by default.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow: measures controller throughput (cargo test --release ... -- --ignored)"]
async fn many_replicas_on_two_thousand_nodes_all_become_ready() {
    let sim = Sim::start(
        "- name: m1
  nodes:
  - {count: 2000, prefix: n, allocatable: {cpu: \"32\", memory: 128Gi, pods: \"110\"}}
",
    );
    let n: u32 = std::env::var("SIM_REPLICAS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6000);
    let t0 = Instant::now();
    let mut d = deployment("big", n, 0, None);
    let c = &mut d["spec"]["template"]["spec"]["containers"][0];
    c["resources"] = json!({"requests": {"cpu": "100m"}});
    c["readinessProbe"] = json!(null);
    sim.ctx.store.create(Kind::Deployment, d).unwrap();
    let deadline = Instant::now() + Duration::from_secs(900);
    loop {
        let d = sim
            .ctx
            .store
            .get(Kind::Deployment, "default", "big")
            .unwrap();
        if d["status"]["readyReplicas"] == n {
            break;
        }
        assert!(Instant::now() < deadline, "not all Ready after 900s");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!("{n} replicas on 2000 nodes Ready in {:?}", t0.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_image_pods_crash_loop_until_the_image_is_good_again() {
    let sim = Sim::start(TWO_ONE_GPU_NODES);
    controllers::apply_fault(&sim.ctx, &Fault::BadImage("vllm-openai:v0.9.1".into())).unwrap();
    sim.deploy("web", 1, 1, None);
    // Running, never Ready, restartCount growing, CrashLoopBackOff.
    let pod = eventually("restartCount reaches 2", || {
        let pods = sim.pods("web");
        pods.iter()
            .find(|p| {
                p["status"]["phase"] == "Running"
                    && p["status"]["containerStatuses"][0]["restartCount"]
                        .as_u64()
                        .is_some_and(|n| n >= 2)
            })
            .cloned()
    })
    .await;
    assert!(!is_ready(&pod));
    assert_eq!(
        pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
        "CrashLoopBackOff"
    );
    assert!(
        controllers::apply_fault(&sim.ctx, &Fault::BadImage(" ".into()))
            .unwrap_err()
            .contains("empty")
    );
    // Another image is not affected; the good-image fault makes the pod Ready.
    controllers::apply_fault(&sim.ctx, &Fault::GoodImage("vllm-openai:v0.9.1".into())).unwrap();
    eventually("pod Ready after --good-image", || {
        let pods = sim.pods("web");
        (pods.len() == 1
            && is_ready(&pods[0])
            && pods[0]["metadata"]["uid"] == pod["metadata"]["uid"])
            .then_some(())
    })
    .await;
}

/// A pod template requesting `cpu`.
fn cpu_template(app: &str, cpu: &str) -> Value {
    json!({
        "metadata": {"labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": app,
            "resources": {"requests": {"cpu": cpu}}}]},
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_nodes_leave_room_for_daemonset_pods_and_scale_down_with_only_those() {
    let sim = Sim::start(
        "- name: m1
  nodes:
  - {count: 1, prefix: cpu, allocatable: {cpu: \"1\", memory: 16Gi}}
  nodePools:
  - {name: big, allocatable: {cpu: \"8\", memory: 30Gi}, maxNodes: 10, inventory: 5, provisionSeconds: 30, scaleDownIdleSeconds: 60}
",
    );
    // A log agent on the pool's nodes takes 3 of their 8 CPUs: a node fits one 4-CPU
    // replica, not two.
    sim.ctx
        .store
        .create(
            Kind::DaemonSet,
            json!({
                "apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": "agent", "namespace": "default"},
                "spec": {
                    "selector": {"matchLabels": {"app": "agent"}},
                    "template": {
                        "metadata": {"labels": {"app": "agent"}},
                        "spec": {
                            "nodeSelector": {"fleet.kubectl.dev/node-pool": "big"},
                            "containers": [{"name": "a", "image": "fluent-bit",
                                "resources": {"requests": {"cpu": "3"}}}],
                        },
                    },
                },
            }),
        )
        .unwrap();
    sim.ctx
        .store
        .create(
            Kind::Deployment,
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": {"app": "web"}},
                    "template": cpu_template("web", "4"),
                },
            }),
        )
        .unwrap();
    let pods = eventually("both replicas Ready", || {
        let pods = sim.pods("web");
        (count(&pods, is_ready) == 2).then_some(pods)
    })
    .await;
    let mut nodes: Vec<&str> = pods
        .iter()
        .map(|p| p["spec"]["nodeName"].as_str().unwrap())
        .collect();
    nodes.sort();
    assert_eq!(nodes, ["big-1", "big-2"], "one replica per pool node");
    // Every pool node runs the agent, and none is over-committed.
    let agents = eventually("an agent on each pool node", || {
        let a = sim.pods("agent");
        (a.len() == 2).then_some(a)
    })
    .await;
    let mut on: Vec<&str> = agents
        .iter()
        .map(|p| p["spec"]["nodeName"].as_str().unwrap())
        .collect();
    on.sort();
    assert_eq!(on, ["big-1", "big-2"]);
    assert_eq!(sim.inventory()[0]["inventory"], 3);

    // Without replicas the pool nodes hold only DaemonSet pods: they are idle and go.
    sim.scale("web", 0);
    eventually("pool back to 0 nodes, inventory 5", || {
        let inv = sim.inventory();
        (inv[0]["inventory"] == 5 && inv[0]["currentNodes"] == 0).then_some(())
    })
    .await;
    eventually("the agents went with their nodes", || {
        sim.pods("agent").is_empty().then_some(())
    })
    .await;
}
