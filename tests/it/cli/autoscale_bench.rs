//! Fleet autoscaler measurements (ignored by default; run in release, one at a time):
//!
//! - `cargo test --release --test it cli::autoscale_bench::autoscale_bench_pass_1000x20 -- --ignored --nocapture`:
//!   one evaluation pass (`fleet::autoscale::evaluate_all`: read the autoscalers, every
//!   member's copies, pods and PodMetrics, evaluate, store the state) over 1,000 autoscalers ×
//!   20 members, in a child process so its time and peak RSS are measured apart from the
//!   simulator's; two passes as `reconcile` runs them, and with `AUTOSCALE_BENCH_COMPARE=1`
//!   a third where each autoscaler reads its members itself (`evaluate_one` in turn).
//! - `cargo test --release --test it cli::autoscale_bench::autoscale_bench_reaction_time -- --ignored --nocapture`
//!   (env `INTERVAL=30s`, `SAMPLES=4`): a `kubectl fleet reconcile --interval INTERVAL` loop
//!   runs; the load changes with `kubectl fleet sim load` at arbitrary moments; measured is the
//!   time until the members' replicas change.

use std::time::{Duration, Instant};

use kubectl_fleet::fleet::{self, Fleet, MembershipOptions};
use kubectl_fleet::sim::store::Kind;
use serde_json::json;

use super::faults_util::{fleet as run_fleet, spawn, wait_until};
use crate::util::{config_of, start_fleet_api_only};

/// Autoscalers and members of the pass benchmark (env `BENCH_AUTOSCALERS`, `BENCH_MEMBERS`
/// for a smaller run).
fn size() -> (usize, usize) {
    let var = |k: &str, d: usize| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    (var("BENCH_AUTOSCALERS", 1_000), var("BENCH_MEMBERS", 20))
}

fn member(i: usize) -> String {
    format!("m{:02}", i + 1)
}

/// One member: the autoscalers' managed copies `w0000..` (1 replica each, fleet total = the
/// member count), their Ready pods, and the autoscalers' ConfigMaps (min = current, so an idle
/// pass holds the count and writes only state).
fn seed(store: &kubectl_fleet::sim::store::Store, cluster: &str) {
    let (autoscalers, members) = size();
    let placement: serde_json::Map<String, serde_json::Value> =
        (0..members).map(|i| (member(i), json!(1))).collect();
    let placement = serde_json::Value::Object(placement).to_string();
    for w in 0..autoscalers {
        let name = format!("w{w:04}");
        store
            .create(
                Kind::Deployment,
                json!({
                    "apiVersion": "apps/v1", "kind": "Deployment",
                    "metadata": {"name": name, "namespace": "default",
                        "labels": {"app": name, "app.kubernetes.io/managed-by": "kubectl-fleet"},
                        "annotations": {
                            "fleet.kubectl.dev/total-replicas": members.to_string(),
                            "fleet.kubectl.dev/placement": placement,
                        }},
                    "spec": {
                        "replicas": 1,
                        "selector": {"matchLabels": {"app": name}},
                        "template": {
                            "metadata": {"labels": {"app": name}},
                            "spec": {"containers": [{"name": "app", "image": "nginx",
                                "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]}
                        }
                    },
                    "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1, "updatedReplicas": 1}
                }),
            )
            .unwrap();
        store
            .create(
                Kind::Pod,
                json!({
                    "apiVersion": "v1", "kind": "Pod",
                    "metadata": {"name": format!("{name}-{cluster}"), "namespace": "default",
                        "labels": {"app": name}},
                    "spec": {"nodeName": "n1", "containers": [{"name": "app", "image": "nginx",
                        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}}]},
                    "status": {"phase": "Running", "startTime": "2026-01-01T00:00:00Z",
                        "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]}
                }),
            )
            .unwrap();
        let doc = json!({
            "apiVersion": "autoscaling.karmada.io/v1alpha1", "kind": "FederatedHPA",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": members, "maxReplicas": 2 * members,
                "metrics": [{"type": "Resource", "resource": {"name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": 50}}}]
            }
        });
        store
            .create(
                Kind::ConfigMap,
                json!({
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": format!("kubectl-fleet-hpa-{name}"), "namespace": "default",
                        "labels": {"app.kubernetes.io/managed-by": "kubectl-fleet",
                            "fleet.kubectl.dev/autoscaler": name,
                            "fleet.kubectl.dev/autoscaler-target": name}},
                    "data": {"autoscaler.json": doc.to_string(), "state.json": "{}", "revision": "1"}
                }),
            )
            .unwrap();
    }
}

/// Child half: one pass; prints its time, outcomes and peak RSS.
#[test]
#[ignore = "child of autoscale_bench_pass_1000x20"]
fn autoscale_bench_pass_child() {
    let Ok(kubeconfig) = std::env::var("AUTOSCALE_BENCH_KUBECONFIG") else {
        return;
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let start = Instant::now();
    let (outcomes, errors) = rt.block_on(async {
        let f = Fleet::load(&MembershipOptions {
            kubeconfig: Some(kubeconfig.into()),
            request_timeout: Duration::from_secs(600),
            ..Default::default()
        })
        .unwrap();
        let opts = fleet::autoscale::EvaluateOptions::default();
        if std::env::var("AUTOSCALE_BENCH_MODE").as_deref() == Ok("per-autoscaler") {
            // For comparison: every autoscaler reads its members itself, one after the other.
            let (autoscalers, errors) = fleet::autoscale::list(&f, None).await;
            let mut outcomes = Vec::new();
            for a in &autoscalers {
                outcomes.push(fleet::autoscale::evaluate_one(&f, a, &opts).await);
            }
            let errors: Vec<String> = errors
                .into_iter()
                .map(|(m, e)| format!("{m}: {e}"))
                .collect();
            (outcomes, errors)
        } else {
            fleet::autoscale::evaluate_all(&f, &opts).await
        }
    });
    let elapsed = start.elapsed();
    let failed = outcomes.iter().filter(|o| !o.errors.is_empty()).count();
    let rescaled = outcomes.iter().filter(|o| o.rescaled).count();
    let members: usize = outcomes.iter().map(|o| o.members.len()).sum();
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?");
    if let Some(o) = outcomes.iter().find(|o| !o.errors.is_empty()) {
        println!("first error: {:?}", o.errors);
    }
    println!(
        "BENCH evaluate_all autoscalers={} member_reads={members} rescaled={rescaled} failed={failed} errors={} elapsed={elapsed:?} {hwm}",
        outcomes.len(),
        errors.len()
    );
}

#[test]
#[ignore = "benchmark: one autoscaler pass over 1,000 autoscalers x 20 members"]
fn autoscale_bench_pass_1000x20() {
    let (autoscalers, members) = size();
    let names: Vec<String> = (0..members).map(member).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let tf = start_fleet_api_only(config_of(&refs));
    let t = Instant::now();
    for c in &names {
        seed(&tf.sim.store(c).unwrap(), c);
    }
    println!("seeded in {:?}", t.elapsed());
    let exe = std::env::current_exe().unwrap();
    let mut lines = Vec::new();
    // Two passes as `reconcile` runs them, then (AUTOSCALE_BENCH_COMPARE=1) one pass where
    // each autoscaler reads its members itself.
    let runs = if std::env::var("AUTOSCALE_BENCH_COMPARE").is_ok() {
        3
    } else {
        2
    };
    for run in 0..runs {
        let mode = if run < 2 { "batched" } else { "per-autoscaler" };
        let out = std::process::Command::new(&exe)
            .args([
                "cli::autoscale_bench::autoscale_bench_pass_child",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env("AUTOSCALE_BENCH_KUBECONFIG", &tf.kubeconfig)
            .env("AUTOSCALE_BENCH_MODE", mode)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.starts_with("BENCH"))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string();
        println!("run {} ({mode}): {line}", run + 1);
        assert!(
            line.contains(&format!(
                "autoscalers={autoscalers} member_reads={} rescaled=0 failed=0 errors=0",
                autoscalers * members
            )),
            "{text}"
        );
        lines.push(line);
    }
    // The state went to every member, once per pass.
    for c in &names {
        let cm = tf
            .sim
            .store(c)
            .unwrap()
            .get(
                Kind::ConfigMap,
                "default",
                &format!("kubectl-fleet-hpa-w{:04}", autoscalers - 1),
            )
            .unwrap();
        let st: serde_json::Value =
            serde_json::from_str(cm["data"]["state.json"].as_str().unwrap()).unwrap();
        assert_eq!(st["desiredReplicas"], members, "{c}: {st}");
        // Seeded without a state revision, the copy counts as its document revision (1); each
        // pass stored one newer state.
        assert_eq!(cm["data"]["state-revision"], (1 + runs).to_string(), "{c}");
    }
}

fn total_replicas(tf: &crate::util::TestFleet) -> i64 {
    ["c1", "c2"]
        .iter()
        .filter_map(|c| {
            tf.sim
                .store(c)
                .unwrap()
                .get(Kind::Deployment, "default", "web")
        })
        .map(|d| d["spec"]["replicas"].as_i64().unwrap_or(0))
        .sum()
}

#[test]
#[ignore = "measurement: reaction time of a reconcile loop (INTERVAL, SAMPLES)"]
fn autoscale_bench_reaction_time() {
    let interval = std::env::var("INTERVAL").unwrap_or_else(|_| "30s".into());
    let samples: usize = std::env::var("SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4);
    let period = humantime::parse_duration(&interval).expect("INTERVAL like 30s");
    let tf = super::autoscale_apply::fleet();
    let hpa = "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {name: web, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n  behavior:\n    scaleDown: {stabilizationWindowSeconds: 0}\n";
    let f = tf.write(
        "web.yaml",
        &format!("{}---\n{hpa}", super::autoscale_apply::WEB),
    );
    let kc = tf.kubeconfig.to_str().unwrap().to_string();
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let mut child = spawn(&tf.kubeconfig, &["reconcile", "--interval", &interval]);
    let mut up = Vec::new();
    let mut down = Vec::new();
    // Alternate: 3 cores (300% of 2 × 500m → 6), then 0 (→ the minimum 2).
    for i in 0..2 * samples {
        let (cpu, list) = if i % 2 == 0 {
            ("3", &mut up)
        } else {
            ("0", &mut down)
        };
        // Let the new pods pass their first metrics window, then change the load at a
        // uniformly random moment of the loop's interval.
        std::thread::sleep(Duration::from_millis(
            1_500 + fastrand::u64(0..period.as_millis() as u64),
        ));
        let before = total_replicas(&tf);
        let run = run_fleet(
            &tf.kubeconfig,
            &[
                "sim",
                "load",
                "deploy/web",
                "--cpu",
                cpu,
                "--kubeconfig",
                &kc,
            ],
        );
        assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
        let t = Instant::now();
        wait_until(Duration::from_secs(300), "the replicas to change", || {
            total_replicas(&tf) != before
        });
        let took = t.elapsed();
        println!(
            "load {cpu}: replicas {before} -> {} after {took:?}",
            total_replicas(&tf)
        );
        list.push(took.as_secs_f64());
        // Wait until the change is complete (all pods Ready) before the next change.
        wait_until(Duration::from_secs(120), "ready pods", || {
            let want = total_replicas(&tf) as usize;
            super::autoscale_metrics::ready_pods(&tf, "c1")
                + super::autoscale_metrics::ready_pods(&tf, "c2")
                == want
        });
    }
    super::faults_util::sigint(child.id());
    let _ = child.wait();
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        format!(
            "min {:.1} s, median {:.1} s, max {:.1} s",
            v[0],
            v[v.len() / 2],
            v[v.len() - 1]
        )
    };
    println!(
        "BENCH reaction time, reconcile --interval {interval}, {samples} samples each: scale-up {}; scale-down {}",
        stats(&mut up),
        stats(&mut down)
    );
}
