//! The simulated behaviour as real kubectl sees it, on the built-in demo fleet: server-side
//! apply of the seeds' qwen3-8b Deployment, `rollout status`, `scale` into the elastic pool,
//! the inventory ConfigMap; and `sim fault` / `sim up` from src/cli/sim.rs.

use std::time::{Duration, Instant};

use kubectl_fleet::cli::exit::{classify, ExitStatus};
use kubectl_fleet::cli::sim::{run_with_kubeconfig, up, FaultArgs, SimCommand, UpArgs};
use kubectl_fleet::sim::config::SimConfig;
use serde_json::Value;

use crate::util::{kubectl_with, start_fleet, TestFleet};

/// The seeds' vLLM Deployment, trimmed of volumes (1 GPU via limits, readiness after 30s).
const QWEN: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  labels: {app: qwen3-8b}
  name: qwen3-8b
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels: {app: qwen3-8b}
  template:
    metadata:
      labels: {app: qwen3-8b}
    spec:
      containers:
      - command: [sh, -c, "vllm serve /models/qwen3-8b --port 8000"]
        image: kube-ai-registry.cn-shanghai.cr.aliyuncs.com/kube-ai/vllm-openai:v0.9.1
        name: vllm
        ports:
        - containerPort: 8000
        readinessProbe:
          tcpSocket: {port: 8000}
          initialDelaySeconds: 30
          periodSeconds: 30
        resources:
          limits: {nvidia.com/gpu: "1"}
"#;

fn json_of(fleet: &TestFleet, cluster: &str, args: &[&str]) -> Value {
    let r = fleet.kubectl(cluster, args);
    assert!(r.ok, "kubectl {args:?} failed: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("kubectl printed JSON")
}

fn pools(fleet: &TestFleet, cluster: &str) -> Vec<Value> {
    let r = fleet.kubectl(
        cluster,
        &[
            "get",
            "configmap",
            "-n",
            "kube-system",
            "kubectl-fleet-inventory",
            "-o",
            "jsonpath={.data.pools\\.json}",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("pools.json")
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn kubectl_rollout_status_and_scale_into_the_elastic_pool() {
    let fleet = start_fleet(SimConfig::builtin());
    let c = "ack-hangzhou";
    let manifest = fleet.write("qwen.yaml", QWEN);
    let r = fleet.kubectl(
        c,
        &["apply", "--server-side", "-f", manifest.to_str().unwrap()],
    );
    assert!(r.ok, "{}", r.stderr);
    let r = fleet.kubectl(
        c,
        &["rollout", "status", "deployment/qwen3-8b", "--timeout=30s"],
    );
    assert!(r.ok, "rollout status failed: {} {}", r.stdout, r.stderr);
    assert!(r.stdout.contains("successfully rolled out"), "{}", r.stdout);
    let pods = json_of(
        &fleet,
        c,
        &["get", "pods", "-l", "app=qwen3-8b", "-o", "json"],
    );
    let items = pods["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for p in items {
        assert_eq!(p["status"]["phase"], "Running");
        assert_eq!(
            p["spec"]["nodeName"], "gpu-a10-1",
            "the 2-GPU node takes both"
        );
        assert_eq!(p["status"]["containerStatuses"][0]["ready"], true);
    }
    assert_eq!(pools(&fleet, c)[0]["inventory"], 4);

    // 2 more replicas: no idle GPU left, the elastic pool adds 2 nodes from its inventory.
    let r = fleet.kubectl(c, &["scale", "deployment/qwen3-8b", "--replicas=4"]);
    assert!(r.ok, "{}", r.stderr);
    let r = fleet.kubectl(
        c,
        &["rollout", "status", "deployment/qwen3-8b", "--timeout=30s"],
    );
    assert!(
        r.ok,
        "rollout status after scale failed: {} {}",
        r.stdout, r.stderr
    );
    let nodes = json_of(
        &fleet,
        c,
        &[
            "get",
            "nodes",
            "-l",
            "fleet.kubectl.dev/node-pool=gpu-elastic",
            "-o",
            "json",
        ],
    );
    let names: Vec<&str> = nodes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gpu-elastic-1", "gpu-elastic-2"]);
    let p = wait_for("inventory published", || {
        let p = pools(&fleet, c);
        (p[0]["currentNodes"] == 2 && p[0]["provisioningNodes"] == 0).then_some(p)
    });
    assert_eq!(p[0]["inventory"], 2);
    let d = json_of(&fleet, c, &["get", "deployment", "qwen3-8b", "-o", "json"]);
    assert_eq!(d["status"]["readyReplicas"], 4);
    assert_eq!(d["status"]["updatedReplicas"], 4);

    // The pre-existing low-priority workload of the on-prem member is there and running.
    let d = json_of(
        &fleet,
        "idc-beijing",
        &["get", "deployment", "batch-train", "-o", "json"],
    );
    assert_eq!(d["status"]["availableReplicas"], 6);
}

fn fault_args(cluster: &str) -> FaultArgs {
    FaultArgs {
        cluster: cluster.to_string(),
        down: false,
        up: false,
        latency: None,
        error_rate: None,
        node_not_ready: None,
        node_ready: None,
        inventory: None,
        bad_image: None,
        good_image: None,
        no_metrics: false,
        metrics: false,
    }
}

#[test]
fn sim_fault_reaches_the_admin_endpoint_named_in_the_kubeconfig() {
    let fleet = start_fleet(SimConfig::builtin());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let kc = fleet.kubeconfig.clone();
    let run =
        |args: FaultArgs| rt.block_on(run_with_kubeconfig(SimCommand::Fault(args), Some(&kc)));

    let mut a = fault_args("idc-beijing");
    a.node_not_ready = Some("gpu-a10-1".into());
    assert_eq!(run(a).unwrap(), 0);
    let r = fleet.kubectl("idc-beijing", &["get", "node", "gpu-a10-1"]);
    assert!(r.stdout.contains("NotReady"), "{}", r.stdout);

    let mut a = fault_args("ack-shanghai");
    a.inventory = Some("gpu-elastic=0".into());
    assert_eq!(run(a).unwrap(), 0);
    assert_eq!(pools(&fleet, "ack-shanghai")[0]["inventory"], 0);

    let mut a = fault_args("ack-shanghai");
    a.bad_image = Some("vllm/vllm-openai:bad".into());
    assert_eq!(run(a).unwrap(), 0);
    let mut a = fault_args("ack-shanghai");
    a.good_image = Some("vllm/vllm-openai:bad".into());
    assert_eq!(run(a).unwrap(), 0);

    let mut a = fault_args("ack-shanghai");
    a.down = true;
    assert_eq!(run(a).unwrap(), 0);
    let r = fleet.kubectl("ack-shanghai", &["get", "nodes", "--request-timeout=2s"]);
    assert!(!r.ok, "a down cluster refuses kubectl");
    let mut a = fault_args("ack-shanghai");
    a.up = true;
    assert_eq!(run(a).unwrap(), 0);
    wait_for("cluster back up", || {
        fleet
            .kubectl("ack-shanghai", &["get", "nodes"])
            .ok
            .then_some(())
    });

    // Unknown cluster / node / pool: one-line usage errors (exit 2).
    let mut a = fault_args("nope");
    a.down = true;
    let e = run(a).unwrap_err();
    assert_eq!(classify(&e), ExitStatus::Usage);
    assert!(e.to_string().contains("nope"), "{e}");
    let mut a = fault_args("idc-beijing");
    a.inventory = Some("missing=1".into());
    let e = run(a).unwrap_err();
    assert_eq!(classify(&e), ExitStatus::Usage);
    assert!(e.to_string().contains("no node pool \"missing\""), "{e}");
}

#[test]
fn sim_up_serves_the_config_until_stopped_and_rejects_bad_config() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("fleet.kubeconfig");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/examples/simfleet.yaml");
    let args = UpArgs {
        config: Some(example.into()),
        kubeconfig_out: kubeconfig.clone(),
        speed: 50.0,
    };
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let kc = kubeconfig.clone();
    let checker = std::thread::spawn(move || {
        wait_for("kubeconfig written", || kc.exists().then_some(()));
        let r = kubectl_with(&kc, "ack-shanghai", &["get", "nodes", "-o", "name"], None);
        let _ = stop_tx.send(());
        r
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    let code = rt
        .block_on(up(args, async {
            let _ = stop_rx.await;
        }))
        .unwrap();
    assert_eq!(code, 0, "clean stop exits 0");
    let r = checker.join().unwrap();
    assert!(r.ok, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), "node/cpu-1\nnode/cpu-2");

    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: SimulatedFleet\nclusters:\n- name: a\n  nodes:\n  - {count: 1, prefix: n, allocatable: {cpu: x}}\n",
    )
    .unwrap();
    let args = UpArgs {
        config: Some(bad.clone()),
        kubeconfig_out: dir.path().join("unused"),
        speed: 1.0,
    };
    let e = rt.block_on(up(args, async {})).unwrap_err();
    assert_eq!(classify(&e), ExitStatus::Usage);
    assert_eq!(
        e.to_string(),
        format!(
            "{}: clusters[0].nodes[0].allocatable.cpu: invalid quantity \"x\"",
            bad.display()
        )
    );
}
