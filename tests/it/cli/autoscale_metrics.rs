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
