//! Fault matrix of plan/apply against misbehaving members (docs/reliability.md): a member down
//! before the plan, a member going down in the middle of an apply, 500s (all or a random
//! share of a member's requests), a slow member past
//! the request timeout, another field manager changing a copy, cancellation (Ctrl-C) between
//! members. Each test asserts what the report says was and was not done, what the members
//! hold afterwards, and that re-running the same apply converges.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kubectl_fleet::fleet::{
    self, ApplyOptions, ApplyProgress, ApplyReport, ChangeAction, Fleet, FleetError, FleetPlan,
    Inputs, MembershipOptions, ReadOptions,
};
use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;
use serde_json::json;

use super::faults_util::web_gpu_deployment;
use crate::util::{config_of, start_fleet, TestFleet};

pub(super) const POLICY: &str = r#"
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: web-policy, namespace: default}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [c1, c2, c3]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
"#;

/// c1: 2 GPUs, c2: 2 GPUs, c3: 2 GPUs; 6 replicas fill all three (2 each), so every member
/// gets a copy and the write order is c1, c2, c3.
pub(super) fn fleet3() -> TestFleet {
    let tf = start_fleet(config_of(&["c1", "c2", "c3"]));
    for c in ["c1", "c2", "c3"] {
        tf.sim
            .store(c)
            .unwrap()
            .create(
                Kind::Node,
                json!({
                    "apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": format!("{c}-gpu"), "labels": {}},
                    "spec": {},
                    "status": {
                        "allocatable": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "2", "pods": "110"},
                        "capacity": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "2", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True"}]
                    }
                }),
            )
            .expect("node");
    }
    tf
}

fn load(kubeconfig: &Path, timeout: Duration) -> Fleet {
    Fleet::load(&MembershipOptions {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        request_timeout: timeout,
        ..Default::default()
    })
    .expect("fleet loads")
}

fn inputs(replicas: u32) -> Inputs {
    let mut i = Inputs::parse(&web_gpu_deployment(replicas), "web.yaml").unwrap();
    i.extend(Inputs::parse(POLICY, "policy.yaml").unwrap());
    i
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn plan_now(f: &Fleet, replicas: u32) -> FleetPlan {
    let snaps = fleet::read_snapshots(f, &ReadOptions::default()).await;
    fleet::plan(f, &snaps, &inputs(replicas)).expect("plan")
}

/// `spec.replicas` of the `web` copy on each member (None = no copy).
pub(super) fn held(tf: &TestFleet) -> Vec<(String, Option<i64>)> {
    ["c1", "c2", "c3"]
        .iter()
        .map(|c| {
            let d = tf
                .sim
                .store(c)
                .unwrap()
                .get(Kind::Deployment, "default", "web");
            (
                c.to_string(),
                d.map(|d| d["spec"]["replicas"].as_i64().unwrap()),
            )
        })
        .collect()
}

fn held_is(tf: &TestFleet, want: [Option<i64>; 3]) {
    let got: Vec<Option<i64>> = held(tf).into_iter().map(|(_, r)| r).collect();
    assert_eq!(got, want, "member copies (c1, c2, c3)");
}

fn actions(r: &ApplyReport) -> Vec<(String, ChangeAction)> {
    r.workloads[0]
        .members
        .iter()
        .map(|m| (m.cluster.clone(), m.action))
        .collect()
}

fn action_of(r: &ApplyReport, cluster: &str) -> ChangeAction {
    r.workloads[0]
        .members
        .iter()
        .find(|m| m.cluster == cluster)
        .map(|m| m.action)
        .unwrap_or_else(|| panic!("{cluster} not in report {:?}", actions(r)))
}

/// Applies until the report says nothing changed (at most 3 rounds), re-planning each time
/// like an operator re-running the same command; returns the number of rounds.
async fn converge(f: &Fleet, replicas: u32) -> usize {
    let mut log = Vec::new();
    for round in 1..=3 {
        let plan = plan_now(f, replicas).await;
        let r = fleet::apply(f, &plan, &ApplyOptions::default())
            .await
            .expect("apply");
        assert!(r.errors.is_empty(), "round {round}: {:?}", r.errors);
        log.push(format!(
            "round {round}: plan {:?} actions {:?}",
            plan.workloads[0]
                .placements
                .iter()
                .map(|p| (&p.cluster, p.current, p.desired))
                .collect::<Vec<_>>(),
            actions(&r)
        ));
        if r.unchanged() {
            return round;
        }
    }
    panic!("apply did not converge in 3 rounds: {log:#?}");
}

#[test]
fn faults_member_down_before_plan_is_named_and_the_rest_is_planned_and_applied() {
    let tf = fleet3();
    tf.sim.fault("c2", Fault::Down).unwrap();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(5));
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let c2 = snaps.iter().find(|s| s.name == "c2").unwrap();
        let err = c2.result.as_ref().expect_err("c2 is down");
        assert!(err.is_unreachable(), "{err}");
        assert!(err.to_string().starts_with("unreachable: "), "{err}");
        assert!(snaps
            .iter()
            .filter(|s| s.name != "c2")
            .all(|s| s.result.is_ok()));

        // 4 replicas: c2 holds nothing and cannot be reached, so c1 and c3 take them all.
        let plan = fleet::plan(&f, &snaps, &inputs(4)).expect("plan");
        let w = &plan.workloads[0];
        let c2p = w.placements.iter().find(|p| p.cluster == "c2").unwrap();
        assert!(c2p.unreachable);
        assert_eq!(c2p.desired, 0);
        assert_eq!(w.unplaced, 0);
        let r = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .expect("apply with c2 down and nothing for it");
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        held_is(&tf, [Some(2), None, Some(2)]);

        // c2 comes back: re-running plans 6 replicas over all three and converges.
        tf.sim.fault("c2", Fault::Up).unwrap();
        converge(&f, 6).await;
        held_is(&tf, [Some(2), Some(2), Some(2)]);
    });
}

#[test]
fn faults_member_down_mid_apply_reports_what_was_and_was_not_done_and_rerun_converges() {
    let tf = fleet3();
    let c3 = tf.sim.cluster("c3").unwrap();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(3));
        let plan = plan_now(&f, 6).await;
        // c3 goes down right after the first member copy is written.
        let progress: fleet::ProgressFn = Arc::new(move |p: &ApplyProgress| {
            if let ApplyProgress::Applied { cluster, .. } = p {
                if cluster == "c1" {
                    c3.faults.set_down(true);
                }
            }
        });
        let r = fleet::apply(
            &f,
            &plan,
            &ApplyOptions {
                progress: Some(progress),
                ..Default::default()
            },
        )
        .await
        .expect("apply returns a report");
        assert_eq!(r.written, ["c1", "c2"]);
        assert_eq!(r.errors.len(), 1, "{:?}", r.errors);
        assert!(
            r.errors[0].starts_with("c3: deployment default/web: "),
            "{}",
            r.errors[0]
        );
        assert!(!r.complete);
        assert_eq!(action_of(&r, "c1"), ChangeAction::Created);
        assert_eq!(action_of(&r, "c2"), ChangeAction::Created);
        assert_eq!(action_of(&r, "c3"), ChangeAction::Failed);
        held_is(&tf, [Some(2), Some(2), None]);

        tf.sim.fault("c3", Fault::Up).unwrap();
        let plan = plan_now(&f, 6).await;
        let r = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert_eq!(r.written, ["c3"], "only the missing copy is written");
        assert_eq!(action_of(&r, "c1"), ChangeAction::Unchanged);
        assert_eq!(action_of(&r, "c3"), ChangeAction::Created);
        held_is(&tf, [Some(2), Some(2), Some(2)]);
        assert_eq!(converge(&f, 6).await, 1, "third run changes nothing");
    });
}

#[test]
fn faults_500s_from_a_member_refuse_the_apply_before_any_write_then_converge() {
    let tf = fleet3();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(3));
        let plan = plan_now(&f, 6).await;
        tf.sim.fault("c2", Fault::ErrorRate(1.0)).unwrap();
        let err = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .expect_err("c2 answers 500 to everything");
        let msg = err.to_string();
        assert!(matches!(err, FleetError::Unreachable { ref member, .. } if member == "c2"));
        assert!(msg.starts_with("member c2 is unreachable: "), "{msg}");
        assert!(!msg.contains("unreachable: unreachable"), "{msg}");
        assert!(msg.contains("(500)"), "{msg}");
        assert!(!msg.contains('\n'));
        held_is(&tf, [None, None, None]);

        // Allowed to go ahead: the others are written, c2 is skipped and said so.
        let r = fleet::apply(
            &f,
            &plan,
            &ApplyOptions {
                allow_unreachable: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(r.written, ["c1", "c3"]);
        assert_eq!(action_of(&r, "c2"), ChangeAction::Skipped);
        assert!(
            r.warnings
                .iter()
                .any(|w| w.starts_with("c2: unreachable: ") && w.contains("re-run apply")),
            "{:?}",
            r.warnings
        );
        held_is(&tf, [Some(2), None, Some(2)]);

        tf.sim.fault("c2", Fault::Up).unwrap();
        converge(&f, 6).await;
        held_is(&tf, [Some(2), Some(2), Some(2)]);
    });
}

#[test]
fn faults_slow_member_past_request_timeout_is_reported_without_hanging() {
    let tf = fleet3();
    tf.sim.fault("c3", Fault::Latency(5_000)).unwrap();
    rt().block_on(async {
        // 1.5 s: far below c3's 5 s, and enough for c1/c2 on a loaded 2-core CI machine.
        let f = load(&tf.kubeconfig, Duration::from_millis(1500));
        let start = Instant::now();
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let took = start.elapsed();
        assert!(took < Duration::from_secs(4), "read took {took:?}");
        let c3 = snaps.iter().find(|s| s.name == "c3").unwrap();
        let err = c3.result.as_ref().expect_err("c3 is too slow");
        assert!(err.is_unreachable(), "{err}");
        assert!(snaps
            .iter()
            .filter(|s| s.name != "c3")
            .all(|s| s.result.is_ok()));

        let plan = fleet::plan(&f, &snaps, &inputs(4)).expect("plan");
        let start = Instant::now();
        let r = fleet::apply(
            &f,
            &plan,
            &ApplyOptions {
                allow_unreachable: true,
                ..Default::default()
            },
        )
        .await
        .expect("apply");
        assert!(start.elapsed() < Duration::from_secs(4), "apply hung");
        assert_eq!(r.written, ["c1", "c2"]);
        held_is(&tf, [Some(2), Some(2), None]);
    });
    tf.sim.fault("c3", Fault::Up).unwrap();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(3));
        converge(&f, 6).await;
        held_is(&tf, [Some(2), Some(2), Some(2)]);
    });
}

#[test]
fn faults_another_field_manager_changing_a_copy_is_reverted_by_the_next_apply() {
    let tf = fleet3();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(15));
        converge(&f, 6).await;
        held_is(&tf, [Some(2), Some(2), Some(2)]);
    });
    // Someone scales c2's copy with their own field manager: without --force-conflicts the
    // server refuses (409, kubectl-fleet owns spec.replicas); with it the change goes through.
    let patch = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":5}}"#;
    let p = tf.write("scale.json", patch);
    let p = p.to_str().unwrap();
    let refused = tf.kubectl(
        "c2",
        &[
            "apply",
            "--server-side",
            "--field-manager=ops-team",
            "-f",
            p,
        ],
    );
    assert!(!refused.ok);
    assert!(refused.stderr.contains("conflict"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("kubectl-fleet"),
        "{}",
        refused.stderr
    );
    held_is(&tf, [Some(2), Some(2), Some(2)]);
    let forced = tf.kubectl(
        "c2",
        &[
            "apply",
            "--server-side",
            "--field-manager=ops-team",
            "--force-conflicts",
            "-f",
            p,
        ],
    );
    assert!(forced.ok, "{}", forced.stderr);
    held_is(&tf, [Some(2), Some(5), Some(2)]);
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(15));
        // The fleet sees 5 on c2 and plans it back to 2.
        let plan = plan_now(&f, 6).await;
        let r = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        assert_eq!(action_of(&r, "c2"), ChangeAction::Configured);
        held_is(&tf, [Some(2), Some(2), Some(2)]);
        assert_eq!(converge(&f, 6).await, 1);
    });
}

#[test]
fn faults_cancel_stops_between_members_and_the_next_apply_resumes() {
    let tf = fleet3();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(3));
        let plan = plan_now(&f, 6).await;
        let cancel = Arc::new(AtomicBool::new(false));
        let flag = cancel.clone();
        let progress: fleet::ProgressFn = Arc::new(move |p: &ApplyProgress| {
            if matches!(p, ApplyProgress::Applied { .. }) {
                flag.store(true, Ordering::SeqCst);
            }
        });
        let r = fleet::apply(
            &f,
            &plan,
            &ApplyOptions {
                progress: Some(progress),
                cancel: Some(cancel),
                ..Default::default()
            },
        )
        .await
        .expect("a cancelled apply still reports");
        assert!(r.cancelled);
        assert!(!r.complete);
        assert_eq!(r.written, ["c1"]);
        assert_eq!(action_of(&r, "c2"), ChangeAction::Skipped);
        held_is(&tf, [Some(2), None, None]);

        let plan = plan_now(&f, 6).await;
        let r = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert_eq!(r.written, ["c2", "c3"]);
        assert_eq!(action_of(&r, "c1"), ChangeAction::Unchanged);
        held_is(&tf, [Some(2), Some(2), Some(2)]);
    });
}

#[test]
fn faults_random_500s_on_a_member_never_leave_a_partial_copy_and_reapplying_converges() {
    let tf = fleet3();
    rt().block_on(async {
        let f = load(&tf.kubeconfig, Duration::from_secs(3));
        let plan = plan_now(&f, 6).await;
        // Three in ten of c2's requests answer 500; the same plan is applied again until one
        // run completes (a run needs ~4 of c2's requests to succeed, ~1 in 4 runs does; the
        // chance that 80 runs all fail is below 1e-9).
        tf.sim.fault("c2", Fault::ErrorRate(0.3)).unwrap();
        let mut outcomes = Vec::new();
        let mut done = false;
        for _ in 0..80 {
            match fleet::apply(&f, &plan, &ApplyOptions::default()).await {
                Err(e) => {
                    // Refused before any write to c2; the message names c2 and the 500.
                    let msg = e.to_string();
                    assert!(msg.contains("c2") && msg.contains("500"), "{msg}");
                    assert!(!msg.contains('\n'));
                    outcomes.push("refused".to_string());
                }
                Ok(r) => {
                    for e in &r.errors {
                        assert!(e.starts_with("c2: "), "only c2 fails: {e}");
                    }
                    assert_eq!(r.complete, r.errors.is_empty(), "{r:?}");
                    outcomes.push(format!("{:?}", action_of(&r, "c2")));
                    done = r.complete;
                }
            }
            // Whatever happened, every member holds no copy or the whole planned one.
            for (c, replicas) in held(&tf) {
                assert!(matches!(replicas, None | Some(2)), "{c} holds {replicas:?}");
            }
            if done {
                break;
            }
        }
        eprintln!("outcomes until complete: {outcomes:?}");
        assert!(done, "no run completed: {outcomes:?}");
        held_is(&tf, [Some(2), Some(2), Some(2)]);
        tf.sim.fault("c2", Fault::Up).unwrap();
        assert_eq!(
            converge(&f, 6).await,
            1,
            "nothing left to change: {outcomes:?}"
        );
    });
}
