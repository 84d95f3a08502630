//! The fleet autoscaler end to end on the built-in 3-member fleet (SimConfig::builtin): a
//! 2-group ACK One policy with the preemptible tier (the pods' `online-high` priority may
//! evict idc-beijing's `batch-low` batch job) and the elastic tier (`ecsProvision`: the node
//! pools of ack-hangzhou and ack-shanghai). Load comes from `kubectl fleet sim load`, the
//! decisions from `kubectl fleet reconcile --once`.
//!
//! Capacity for `chat` (1 GPU per replica), in fill order:
//! group 1 = idle (idc-beijing 2 + ack-hangzhou 2) → preemptible (idc-beijing 6) → elastic
//! (ack-hangzhou's pool, inventory 4) = 14; group 2 = ack-shanghai's pool (inventory 8).

use std::time::{Duration, Instant};

use kubectl_fleet::sim::config::{SimConfig, NODE_POOL_LABEL};
use kubectl_fleet::sim::store::Kind;
use serde_json::Value;

use super::faults_util::{fleet as run_fleet, wait_until, Out};
use crate::util::{start_fleet, TestFleet};

const MEMBERS: [&str; 3] = ["idc-beijing", "ack-hangzhou", "ack-shanghai"];

/// The Deployment and the 2-group policy with the preemptible and elastic tiers.
const CHAT: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: chat, namespace: default, labels: {app: chat}}
spec:
  replicas: 4
  selector: {matchLabels: {app: chat}}
  template:
    metadata: {labels: {app: chat}}
    spec:
      priorityClassName: online-high
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.9.1
        resources:
          requests: {cpu: "1", nvidia.com/gpu: "1"}
          limits: {nvidia.com/gpu: "1"}
---
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: chat, namespace: default}
spec:
  autoScaling: {ecsProvision: true}
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: chat, namespace: default}]
  placement:
    clusterAffinities:
    - {affinityName: group-1, clusterNames: [idc-beijing, ack-hangzhou]}
    - {affinityName: group-2, clusterNames: [ack-shanghai]}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference: {dynamicWeight: AvailableReplicas}
"#;

/// A FederatedHPA for `chat`: 4..16 replicas at 50% cpu, with `behavior` appended.
fn hpa(behavior: &str) -> String {
    format!(
        "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {{name: chat, namespace: default}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: chat}}\n  minReplicas: 4\n  maxReplicas: 16\n  metrics:\n  - type: Resource\n    resource: {{name: cpu, target: {{type: Utilization, averageUtilization: 50}}}}\n  behavior:\n{behavior}"
    )
}

fn kc(tf: &TestFleet) -> &str {
    tf.kubeconfig.to_str().unwrap()
}

fn ok(run: &Out, what: &str) {
    assert_eq!(
        run.code,
        Some(0),
        "{what}: stdout: {} stderr: {}",
        run.stdout,
        run.stderr
    );
}

/// Starts the built-in fleet and applies `chat` with the autoscaler; waits for 4 Ready pods.
fn setup(behavior: &str) -> TestFleet {
    setup_with(SimConfig::builtin(), behavior)
}

fn setup_with(config: SimConfig, behavior: &str) -> TestFleet {
    let tf = start_fleet(config);
    let f = tf.write("chat.yaml", &format!("{CHAT}---\n{}", hpa(behavior)));
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"],
    );
    ok(&run, "apply");
    assert!(
        run.stdout
            .contains("federatedhpa.autoscaling.karmada.io/chat stored in 3 member(s)"),
        "{}",
        run.stdout
    );
    settle(&tf, 4);
    assert_eq!(
        replicas(&tf),
        [2, 2, 0],
        "4 replicas on group 1's idle GPUs"
    );
    tf
}

/// Waits for `n` Ready `chat` pods, then 2 s more: the HPA ignores a pod's cpu sample taken
/// within one metrics window (30 simulated s = 0.6 s at the tests' speed) after it turned
/// Ready, so a decision right after readiness could see only some of the pods.
fn settle(tf: &TestFleet, n: usize) {
    let start = std::time::Instant::now();
    while ready_total(tf) != n {
        if start.elapsed() > Duration::from_secs(90) {
            // What each member holds, to tell a slow machine from a stuck pod.
            let seen: Vec<String> = MEMBERS
                .iter()
                .flat_map(|c| {
                    pods(tf, c).into_iter().map(move |p| {
                        format!(
                            "{c}/{} node={} phase={} ready={}",
                            p["metadata"]["name"].as_str().unwrap_or("?"),
                            p["spec"]["nodeName"].as_str().unwrap_or("-"),
                            p["status"]["phase"].as_str().unwrap_or("-"),
                            ready(&p)
                        )
                    })
                })
                .collect();
            panic!(
                "timed out waiting for {n} ready chat pods (copies {:?}):\n{}",
                replicas(tf),
                seen.join("\n")
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_secs(2));
}

fn load(tf: &TestFleet, cpu: &str) {
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "load",
            "deploy/chat",
            "--cpu",
            cpu,
            "--kubeconfig",
            kc(tf),
        ],
    );
    ok(&run, "sim load");
}

fn pass(tf: &TestFleet) -> Out {
    run_fleet(&tf.kubeconfig, &["reconcile", "--once"])
}

/// `spec.replicas` of `chat` in each member (0 without a copy), in [`MEMBERS`] order.
fn replicas(tf: &TestFleet) -> [i64; 3] {
    MEMBERS.map(|c| {
        tf.sim
            .store(c)
            .unwrap()
            .get(Kind::Deployment, "default", "chat")
            .and_then(|d| d["spec"]["replicas"].as_i64())
            .unwrap_or(0)
    })
}

fn pods(tf: &TestFleet, cluster: &str) -> Vec<Value> {
    tf.sim
        .store(cluster)
        .unwrap()
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .filter(|p| {
            p["metadata"]["labels"]["app"] == "chat" && p["metadata"]["deletionTimestamp"].is_null()
        })
        .collect()
}

fn ready(p: &Value) -> bool {
    kubectl_fleet::sim::load::pod_ready(p)
}

fn ready_total(tf: &TestFleet) -> usize {
    MEMBERS
        .iter()
        .map(|c| pods(tf, c).iter().filter(|p| ready(p)).count())
        .sum()
}

/// Ready `chat` pods of `cluster` on nodes of an elastic node pool.
fn ready_on_pool_nodes(tf: &TestFleet, cluster: &str) -> usize {
    let store = tf.sim.store(cluster).unwrap();
    let pool_nodes: Vec<String> = store
        .list(Kind::Node, None)
        .into_iter()
        .filter(|n| !n["metadata"]["labels"][NODE_POOL_LABEL].is_null())
        .filter_map(|n| n["metadata"]["name"].as_str().map(String::from))
        .collect();
    pods(tf, cluster)
        .iter()
        .filter(|p| ready(p))
        .filter(|p| {
            p["spec"]["nodeName"]
                .as_str()
                .is_some_and(|n| pool_nodes.iter().any(|x| x == n))
        })
        .count()
}

/// `batch-train` pods of idc-beijing that still run (the preemptible tier evicts them).
fn batch_running(tf: &TestFleet) -> usize {
    tf.sim
        .store("idc-beijing")
        .unwrap()
        .list(Kind::Pod, Some("default"))
        .into_iter()
        .filter(|p| p["metadata"]["labels"]["app"] == "batch-train" && ready(p))
        .count()
}

/// The autoscaler's stored state (in `cluster`'s ConfigMap).
fn state(tf: &TestFleet, cluster: &str) -> Value {
    let cm = tf
        .sim
        .store(cluster)
        .unwrap()
        .get(Kind::ConfigMap, "default", "kubectl-fleet-hpa-chat")
        .expect("autoscaler stored");
    serde_json::from_str(cm["data"]["state.json"].as_str().unwrap()).unwrap()
}

fn condition(st: &Value, kind: &str) -> Value {
    st["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == kind).cloned())
        .unwrap_or_else(|| panic!("no {kind} condition in {st}"))
}

/// Runs passes until one prints an `autoscaled` line (fresh pods' samples are ignored for one
/// metrics window after they turn Ready, as the HPA does); returns that pass's stdout and
/// when it started.
fn pass_until_autoscaled(tf: &TestFleet, within: Duration) -> (String, Instant) {
    let start = Instant::now();
    loop {
        let started = Instant::now();
        let run = pass(tf);
        if run.stdout.contains("autoscaled default/chat") {
            return (run.stdout, started);
        }
        assert!(
            start.elapsed() < within,
            "no pass rescaled within {within:?}; last: stdout: {} stderr: {}",
            run.stdout,
            run.stderr
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// Load up: one pass takes the fleet from 4 to 16 replicas through every tier of group 1
/// into group 2's elastic pool. Load down: the scale-down stabilization window holds 16 for
/// the passes inside it; after it, one pass scales in to 10, emptying group 2 first and then
/// group 1's elastic nodes.
#[test]
fn autoscale_e2e_scale_out_through_the_tiers_then_stabilized_reverse_scale_in() {
    const WINDOW: Duration = Duration::from_secs(30);
    let tf = setup(
        "    scaleUp:\n      stabilizationWindowSeconds: 0\n      policies: [{type: Percent, value: 400, periodSeconds: 15}]\n    scaleDown:\n      stabilizationWindowSeconds: 30\n",
    );
    assert_eq!(batch_running(&tf), 6);

    // 8 cores over 4 pods requesting 1 cpu: 200% vs 50% → 16 (= max, within 4 + 400%).
    load(&tf, "8");
    let (out, _) = pass_until_autoscaled(&tf, Duration::from_secs(90));
    assert!(
        out.contains(
            "autoscaled default/chat: deploy/chat 4 -> 16 (cpu resource utilization (percentage of request) above target)"
        ),
        "{out}"
    );
    // The pass applied the new total before it returned (make-before-break, the plan's tiers).
    assert_eq!(
        replicas(&tf),
        [8, 6, 2],
        "group 1 full (idle 4 + preemptible 6 + elastic 4), 2 spilled into group 2"
    );
    wait_until(Duration::from_secs(90), "16 ready chat pods", || {
        ready_total(&tf) == 16
    });
    assert_eq!(
        ready_on_pool_nodes(&tf, "ack-hangzhou"),
        4,
        "hangzhou's elastic pool"
    );
    assert_eq!(
        ready_on_pool_nodes(&tf, "ack-shanghai"),
        2,
        "shanghai's elastic pool"
    );
    assert_eq!(ready_on_pool_nodes(&tf, "idc-beijing"), 0);
    assert_eq!(batch_running(&tf), 0, "the 6 batch pods were preempted");
    for c in MEMBERS {
        let st = state(&tf, c);
        assert_eq!(st["desiredReplicas"], 16, "{c}: {st}");
        // The replicas the pass observed before it scaled (the HPA's status.currentReplicas).
        assert_eq!(st["currentReplicas"], 4, "{c}: {st}");
    }
    let get = run_fleet(&tf.kubeconfig, &["get", "deploy", "chat", "-M"]);
    ok(&get, "get deploy -M");
    for (c, n) in [("idc-beijing", 8), ("ack-hangzhou", 6), ("ack-shanghai", 2)] {
        let row = get
            .stdout
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(c))
            .unwrap_or_else(|| panic!("no {c} row: {}", get.stdout));
        assert!(row.contains(&format!("{n}/{n}")), "{row}");
    }

    // Still at peak: a pass recommends 16 again (the last high recommendation, at `peak`).
    let peak = Instant::now();
    let run = pass(&tf);
    ok(&run, "pass at peak");
    assert!(!run.stdout.contains("autoscaled"), "{}", run.stdout);

    // 5 cores over 16 pods: 31% vs 50% → 10, but the window holds 16 while the peak's
    // recommendation is in it.
    load(&tf, "5");
    let mut held = 0;
    while peak.elapsed() + Duration::from_secs(5) < WINDOW {
        let run = pass(&tf);
        let done = peak.elapsed();
        if done >= WINDOW {
            break;
        }
        ok(&run, "pass inside the window");
        assert!(
            !run.stdout.contains("autoscaled"),
            "scaled inside the window ({done:?}): {}",
            run.stdout
        );
        assert_eq!(replicas(&tf), [8, 6, 2]);
        let st = state(&tf, "ack-hangzhou");
        let able = condition(&st, "AbleToScale");
        assert_eq!(able["reason"], "ScaleDownStabilized", "{st}");
        held += 1;
        std::thread::sleep(Duration::from_secs(2));
    }
    assert!(held >= 1, "no pass ran inside the {WINDOW:?} window");

    // After the window: one pass scales in to 10; reverse order: group 2 first, then the
    // elastic nodes of group 1.
    let (out, _) = pass_until_autoscaled(&tf, Duration::from_secs(120));
    assert!(
        peak.elapsed() >= WINDOW,
        "scaled in after {:?}",
        peak.elapsed()
    );
    assert!(
        out.contains("autoscaled default/chat: deploy/chat 16 -> 10 (All metrics below target)"),
        "{out}"
    );
    assert_eq!(
        replicas(&tf),
        [8, 2, 0],
        "group 2 emptied, then hangzhou's 4 elastic replicas"
    );
    wait_until(Duration::from_secs(90), "10 chat pods", || {
        MEMBERS.iter().map(|c| pods(&tf, c).len()).sum::<usize>() == 10
    });
    assert_eq!(ready_on_pool_nodes(&tf, "ack-hangzhou"), 0);
    assert_eq!(
        tf.sim
            .store("ack-shanghai")
            .unwrap()
            .get(Kind::Deployment, "default", "chat"),
        None,
        "group 2's copy is removed"
    );
}

/// `behavior.scaleUp.policies` limit each step: 2 pods per 60 s, so a 4× load goes 4 → 6 and
/// the next pass inside the period adds nothing (`ScalingLimited`/`ScaleUpLimit`). The load
/// comes from the SimulatedFleet config's `load:` (in effect from the start, no `sim load`).
#[test]
fn autoscale_e2e_scale_up_policy_limits_the_step_with_load_from_the_config() {
    let text = format!(
        "{}\nload:\n- {{deployment: chat, namespace: default, cpu: \"8\"}}\n",
        include_str!("../../../docs/examples/simfleet.yaml")
    );
    let config = SimConfig::from_yaml(&text, "simfleet.yaml").unwrap();
    assert_eq!(config.load.len(), 1);
    let tf = setup_with(
        config,
        "    scaleUp:\n      stabilizationWindowSeconds: 0\n      selectPolicy: Max\n      policies: [{type: Pods, value: 2, periodSeconds: 60}]\n",
    );
    // 8 cores over the 4 Ready pods, as real `kubectl top` sees it.
    let mut seen = 0;
    for c in MEMBERS {
        let top = tf.kubectl(c, &["top", "pods", "-l", "app=chat", "--no-headers"]);
        assert!(top.ok, "kubectl top pods --context {c}: {}", top.stderr);
        for line in top.stdout.lines().filter(|l| !l.trim().is_empty()) {
            assert_eq!(line.split_whitespace().nth(1), Some("2000m"), "{line}");
            seen += 1;
        }
    }
    assert_eq!(seen, 4);

    let (out, scaled_at) = pass_until_autoscaled(&tf, Duration::from_secs(90));
    assert!(
        out.contains("autoscaled default/chat: deploy/chat 4 -> 6 ("),
        "{out}"
    );
    assert_eq!(replicas(&tf).iter().sum::<i64>(), 6);
    let st = state(&tf, "idc-beijing");
    assert_eq!(st["desiredReplicas"], 6, "{st}");
    assert_eq!(
        condition(&st, "ScalingLimited")["reason"],
        "ScaleUpLimit",
        "{st}"
    );
    // The 60 s period still holds the +2: the next pass cannot add more.
    let run = pass(&tf);
    assert!(
        scaled_at.elapsed() < Duration::from_secs(60),
        "the second pass ended {:?} after the first started",
        scaled_at.elapsed()
    );
    ok(&run, "second pass");
    assert!(!run.stdout.contains("autoscaled"), "{}", run.stdout);
    assert_eq!(replicas(&tf).iter().sum::<i64>(), 6);
    let st = state(&tf, "idc-beijing");
    assert_eq!(
        condition(&st, "ScalingLimited")["reason"],
        "ScaleUpLimit",
        "{st}"
    );
}

/// A member down during evaluation: its replicas (from the stored placement) count as pods
/// without metrics, so the scale-up is computed from the others with those pods at 0 (4 → 8
/// where full data gives 4 → 16), the reachable members take the change, the down member keeps
/// its copy, and the state names it as partial data. The pass does not fail on it.
#[test]
fn autoscale_e2e_member_down_during_a_scale_up() {
    let tf = setup(
        "    scaleUp:\n      stabilizationWindowSeconds: 0\n      policies: [{type: Percent, value: 400, periodSeconds: 15}]\n",
    );
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "fault",
            "ack-hangzhou",
            "--down",
            "--kubeconfig",
            kc(&tf),
        ],
    );
    ok(&run, "sim fault --down");
    // 8 cores over the 4 Ready pods (ack-hangzhou's 2 still serve): 200% each where seen.
    load(&tf, "8");
    let (out, _) = pass_until_autoscaled(&tf, Duration::from_secs(90));
    assert!(
        out.contains("autoscaled default/chat: deploy/chat 4 -> 8 (cpu resource utilization (percentage of request) above target)"),
        "{out}"
    );
    assert!(out.contains("unreachable: ack-hangzhou"), "{out}");
    // idc-beijing: 2 idle + 4 preempted; ack-hangzhou untouched.
    assert_eq!(replicas(&tf), [6, 2, 0]);
    let st = state(&tf, "idc-beijing");
    assert_eq!(st["desiredReplicas"], 8, "{st}");
    assert_eq!(st["currentMetrics"][0]["averageUtilization"], 200, "{st}");
    let partial = st["partial"].as_array().unwrap_or_else(|| panic!("{st}"));
    assert_eq!(partial.len(), 1, "{st}");
    assert_eq!(partial[0][0], "ack-hangzhou", "{st}");
    assert!(
        partial[0][1].as_str().unwrap().starts_with("unreachable: "),
        "{st}"
    );
    // Still down: a pass that changes nothing exits 0 and only reports the member. The load
    // drops to 2 cores (50% on every Ready pod): without it the 4 new pods' samples, once
    // past their first metrics window, would rightly ask for more (200% where seen), and
    // whether this pass sees them would depend on the machine's speed. Below target on
    // partial data is no scale-down.
    load(&tf, "2");
    let run = pass(&tf);
    ok(&run, "pass with a member down");
    assert!(
        run.stdout.contains("unreachable: ack-hangzhou"),
        "{}",
        run.stdout
    );

    // Back up: the next decision uses all 8 pods' metrics (8 cores / 8 pods = 100% → 16).
    let run = run_fleet(
        &tf.kubeconfig,
        &[
            "sim",
            "fault",
            "ack-hangzhou",
            "--up",
            "--kubeconfig",
            kc(&tf),
        ],
    );
    ok(&run, "sim fault --up");
    assert_eq!(
        replicas(&tf),
        [6, 2, 0],
        "the pass with a member down kept 8"
    );
    load(&tf, "8");
    settle(&tf, 8);
    let (out, _) = pass_until_autoscaled(&tf, Duration::from_secs(90));
    assert!(
        out.contains("autoscaled default/chat: deploy/chat 8 -> 16"),
        "{out}"
    );
    assert_eq!(replicas(&tf), [8, 6, 2]);
    let st = state(&tf, "ack-hangzhou");
    assert_eq!(st["desiredReplicas"], 16, "{st}");
    assert!(st["partial"].as_array().is_none_or(Vec::is_empty), "{st}");
}
