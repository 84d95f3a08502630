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
    let out = reconcile_until(
        &tf,
        "autoscaled default/web: deploy/web 2 -> 6 (cpu resource utilization (percentage of request) above target)",
    );
    // The rescale's writes are the pass's member writes: both copies went from 1 to 3; the
    // SuccessfulRescale event it recorded counts too.
    assert!(out.contains(", 2 member writes, 1 events,"), "{out}");
    // The event is a real core/v1 Event on the target's copy in the first member holding it
    // (there is no HPA object in the members), like the HPA controller's.
    let message =
        "New size: 6; reason: cpu resource utilization (percentage of request) above target";
    let events: Vec<serde_json::Value> = tf
        .sim
        .store("c1")
        .unwrap()
        .list(kubectl_fleet::sim::store::Kind::Event, Some("default"))
        .into_iter()
        .filter(|e| e["reason"] == "SuccessfulRescale")
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["involvedObject"]["kind"], "Deployment");
    assert_eq!(events[0]["involvedObject"]["name"], "web");
    assert_eq!(events[0]["type"], "Normal");
    assert_eq!(events[0]["message"], message);
    assert_eq!(events[0]["source"]["component"], "kubectl-fleet");
    assert!(!tf
        .sim
        .store("c2")
        .unwrap()
        .list(kubectl_fleet::sim::store::Kind::Event, Some("default"))
        .iter()
        .any(|e| e["reason"] == "SuccessfulRescale"));
    // `describe hpa` shows it in its Events section.
    let run = run_fleet(&tf.kubeconfig, &["describe", "hpa/web"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let events_at = run.stdout.find("\nEvents:\n").expect(&run.stdout);
    let row = run.stdout[events_at..]
        .lines()
        .find(|l| l.contains("SuccessfulRescale"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cells[0], "Normal", "{row}");
    assert_eq!(cells[3], "c1", "{row}");
    assert_eq!(cells[4], "kubectl-fleet", "{row}");
    assert!(row.ends_with(message), "{row}");
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

fn condition(st: &serde_json::Value, kind: &str) -> serde_json::Value {
    st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == kind)
        .cloned()
        .unwrap_or_else(|| panic!("no condition {kind} in {st}"))
}

#[test]
fn autoscale_reconcile_member_without_metrics_api_is_partial_data() {
    // c2 answers everything but its metrics APIs (503, like a missing metrics-server): the
    // autoscaler computes from c1, says so, and never scales down until c2's metrics return.
    let tf = super::autoscale_apply::fleet();
    let hpa = "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {name: web, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 0}\n";
    let f = tf.write(
        "web.yaml",
        &format!("{}---\n{hpa}", super::autoscale_apply::WEB),
    );
    let kc = tf.kubeconfig.to_str().unwrap();
    let ok = |args: &[&str]| {
        let run = run_fleet(&tf.kubeconfig, args);
        assert_eq!(run.code, Some(0), "{args:?}: {} {}", run.stdout, run.stderr);
        run
    };
    ok(&["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"]);
    wait_until(Duration::from_secs(60), "2 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 2
    });
    let out = ok(&["sim", "fault", "c2", "--no-metrics", "--kubeconfig", kc]);
    assert!(
        out.stdout
            .contains("c2: metrics APIs answer 503 ServiceUnavailable"),
        "{}",
        out.stdout
    );
    // Real kubectl sees a metrics API that is unavailable in c2, and served in c1.
    let top = tf.kubectl("c2", &["top", "pods", "-n", "default"]);
    assert!(!top.ok, "{top:?}");
    assert!(
        top.stderr
            .contains("the server is currently unable to handle the request"),
        "{top:?}"
    );
    assert!(tf.kubectl("c1", &["top", "pods", "-n", "default"]).ok);

    // Scale-up on partial data: c1's pod runs at 300%, c2's pod has no metrics and counts as
    // 0 on the way up: (300 + 0) / 2 = 150% vs 50% → 6. Allowed, and said in a condition.
    ok(&[
        "sim",
        "load",
        "deploy/web",
        "--cpu",
        "3",
        "--kubeconfig",
        kc,
    ]);
    reconcile_until(
        &tf,
        "autoscaled default/web: deploy/web 2 -> 6 (cpu resource utilization (percentage of request) above target)",
    );
    let st = state(&tf, "c1");
    let active = condition(&st, "ScalingActive");
    assert_eq!(active["reason"], "ValidMetricFound", "{st}");
    assert!(
        active["message"]
            .as_str()
            .unwrap()
            .ends_with("(partial data: no pods or metrics from c2)"),
        "{st}"
    );
    assert_eq!(st["partial"][0][0], "c2", "{st}");
    assert!(
        st["partial"][0][1].as_str().unwrap().contains("503"),
        "{st}"
    );

    // `get hpa -M`: c2's row says NoMetrics, c1's shows its own utilization.
    let out = ok(&["get", "hpa", "-M"]);
    let c2 = out
        .stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("c2"))
        .unwrap_or_else(|| panic!("no c2 row:\n{}", out.stdout));
    assert_eq!(
        c2.split_whitespace().nth(3),
        Some("NoMetrics"),
        "{}",
        out.stdout
    );
    let c1 = out
        .stdout
        .lines()
        .find(|l| l.split_whitespace().nth(1) == Some("c1"))
        .unwrap();
    assert!(c1.contains("%/50%"), "{}", out.stdout);

    // Load gone while c2 still has no metrics: no scale-down, and the condition names c2.
    wait_until(Duration::from_secs(60), "6 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 6
    });
    ok(&[
        "sim",
        "load",
        "deploy/web",
        "--cpu",
        "0",
        "--kubeconfig",
        kc,
    ]);
    for _ in 0..3 {
        let run = ok(&["reconcile", "--once"]);
        assert!(!run.stdout.contains("autoscaled"), "{}", run.stdout);
    }
    assert_eq!(total_replicas(&tf), 6);
    let limited = condition(&state(&tf, "c1"), "ScalingLimited");
    assert_eq!(limited["reason"], "PartialMetrics", "{limited}");
    assert!(
        limited["message"].as_str().unwrap().contains("c2"),
        "{limited}"
    );

    // Metrics back: the idle fleet scales in to the minimum.
    let out = ok(&["sim", "fault", "c2", "--metrics", "--kubeconfig", kc]);
    assert!(
        out.stdout.contains("c2: metrics APIs are served again"),
        "{}",
        out.stdout
    );
    reconcile_until(
        &tf,
        "autoscaled default/web: deploy/web 6 -> 1 (All metrics below target)",
    );
}
