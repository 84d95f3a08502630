//! The simulator's metrics APIs and load model: `sim load` divides a Deployment's fleet-wide
//! demand over its Ready pods in every member; real `kubectl top pods/nodes` reads it.

use std::time::Duration;

use super::faults_util::{fleet as run_fleet, wait_until};
use crate::util::TestFleet;

pub fn ready_pods(tf: &TestFleet, cluster: &str) -> usize {
    let r = tf.kubectl(cluster, &["get", "pods", "-l", "app=web", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_default();
    v["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter(|p| {
                    p["status"]["conditions"].as_array().is_some_and(|c| {
                        c.iter()
                            .any(|c| c["type"] == "Ready" && c["status"] == "True")
                    })
                })
                .count()
        })
        .unwrap_or(0)
}

#[test]
fn autoscale_metrics_sim_load_is_served_to_real_kubectl_top() {
    let tf = super::autoscale_apply::fleet();
    let f = tf.write("web.yaml", super::autoscale_apply::WEB);
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    wait_until(Duration::from_secs(60), "2 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 2
    });
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "load",
            "deploy/web",
            "--cpu",
            "3",
            "--memory",
            "2Gi",
            "--metric",
            "qps=50",
            "--kubeconfig",
            tf.kubeconfig.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(
        run.stdout.contains("fleet-wide load set to cpu 3"),
        "{}",
        run.stdout
    );

    // 3 cores over 2 Ready pods: 1500m each, in whichever member holds them.
    let mut seen = 0;
    for c in ["c1", "c2"] {
        let top = tf.kubectl(c, &["top", "pods", "-l", "app=web", "--no-headers"]);
        assert!(top.ok, "kubectl top pods --context {c}: {}", top.stderr);
        for line in top.stdout.lines().filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(cols[1], "1500m", "{line}");
            assert_eq!(cols[2], "1024Mi", "{line}");
            seen += 1;
        }
        let nodes = tf.kubectl(c, &["top", "nodes", "--no-headers"]);
        assert!(
            nodes.ok,
            "kubectl top nodes --context {c}: {}",
            nodes.stderr
        );
        assert!(
            nodes.stdout.contains(&format!("{c}-n1")),
            "{}",
            nodes.stdout
        );
    }
    assert_eq!(seen, 2);

    // Custom metrics: 50 qps over 2 pods = 25 each.
    let raw = tf.kubectl(
        "c1",
        &["get", "--raw", "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/qps?labelSelector=app%3Dweb"],
    );
    assert!(raw.ok, "raw: {} {}", raw.stdout, raw.stderr);
    let v: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    for item in v["items"].as_array().unwrap() {
        assert_eq!(item["value"], "25000m");
    }
    // Discoverable like an aggregated API.
    let apis = tf.kubectl("c1", &["api-versions"]);
    assert!(
        apis.stdout.contains("metrics.k8s.io/v1beta1"),
        "{}",
        apis.stdout
    );
    assert!(
        apis.stdout.contains("custom.metrics.k8s.io/v1beta2"),
        "{}",
        apis.stdout
    );
}

fn total_replicas(tf: &TestFleet) -> i64 {
    ["c1", "c2"]
        .iter()
        .map(|c| {
            tf.sim
                .store(c)
                .unwrap()
                .list(kubectl_fleet::sim::store::Kind::Deployment, Some("default"))
                .iter()
                .filter(|d| d["metadata"]["name"] == "web")
                .map(|d| d["spec"]["replicas"].as_i64().unwrap_or(0))
                .sum::<i64>()
        })
        .sum()
}

fn state(tf: &TestFleet, cluster: &str) -> serde_json::Value {
    let cms = tf
        .sim
        .store(cluster)
        .unwrap()
        .list(kubectl_fleet::sim::store::Kind::ConfigMap, Some("default"));
    let cm = cms
        .iter()
        .find(|c| c["metadata"]["name"] == "kubectl-fleet-hpa-web")
        .expect("autoscaler stored");
    serde_json::from_str(cm["data"]["state.json"].as_str().unwrap()).unwrap()
}

/// Runs `reconcile --once` until a pass prints `needle` (fresh pods' samples are ignored for
/// one metrics window after they turn Ready, as the HPA does), at most 20 passes.
fn reconcile_until(tf: &TestFleet, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..20 {
        let run = run_fleet(&tf.kubeconfig, &["reconcile", "--once"]);
        if run.stdout.contains(needle) {
            return run.stdout;
        }
        last = format!("stdout: {} stderr: {}", run.stdout, run.stderr);
        std::thread::sleep(Duration::from_millis(300));
    }
    panic!("no reconcile pass printed {needle:?}; last: {last}");
}

#[test]
fn autoscale_reconcile_scales_out_on_load_and_never_in_on_partial_data() {
    let tf = super::autoscale_apply::fleet();
    let hpa = "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {name: web, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 0}\n";
    let f = tf.write(
        "web.yaml",
        &format!("{}---\n{hpa}", super::autoscale_apply::WEB),
    );
    let kc = tf.kubeconfig.to_str().unwrap();
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    wait_until(Duration::from_secs(60), "2 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 2
    });
    // 3 cores over 2 pods requesting 500m: 300% vs 50% → 12 proposed, limited by the default
    // scale-up policies to max(2 + 4, 2 × 2) = 6.
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "load",
            "deploy/web",
            "--cpu",
            "3",
            "--kubeconfig",
            kc,
        ],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    reconcile_until(
        &tf,
        "autoscaled default/web: deploy/web 2 -> 6 (cpu resource utilization (percentage of request) above target)",
    );
    assert_eq!(total_replicas(&tf), 6);
    let st = state(&tf, "c1");
    assert_eq!(st["desiredReplicas"], 6);
    assert_eq!(st["currentMetrics"][0]["averageUtilization"], 300);
    let limited = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "ScalingLimited")
        .unwrap();
    assert_eq!(limited["reason"], "ScaleUpLimit");
    // The same state is in the other member.
    assert_eq!(state(&tf, "c2")["desiredReplicas"], 6);

    // Load gone, but c2 is down: never scale down on partial data.
    wait_until(Duration::from_secs(60), "6 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 6
    });
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "load",
            "deploy/web",
            "--cpu",
            "0",
            "--kubeconfig",
            kc,
        ],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let run = run_fleet(
        &tf.kubeconfig,
        &["sim", "fault", "c2", "--down", "--kubeconfig", kc],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let run = run_fleet(&tf.kubeconfig, &["reconcile", "--once"]);
    assert!(!run.stdout.contains("autoscaled"), "{}", run.stdout);
    let st = state(&tf, "c1");
    let limited = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "ScalingLimited")
        .unwrap();
    assert_eq!(limited["reason"], "PartialMetrics", "{st}");
    assert!(limited["message"].as_str().unwrap().contains("c2"), "{st}");

    // c2 back: the idle fleet scales in (scale-down window 0, 100% per 15 s) to the minimum.
    let run = run_fleet(
        &tf.kubeconfig,
        &["sim", "fault", "c2", "--up", "--kubeconfig", kc],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    reconcile_until(
        &tf,
        "autoscaled default/web: deploy/web 6 -> 1 (All metrics below target)",
    );
    assert_eq!(total_replicas(&tf), 1);
}
