//! The fleet library (membership, reads, plan, apply, views, scale, delete, cordon) against
//! the simulated fleet, with real results asserted on the members' stored objects.

use std::path::Path;
use std::time::Duration;

use kubectl_fleet::fleet::{
    self, ApplyOptions, ChangeAction, ConflictResolution, DryRun, Fleet, FleetError, Inputs,
    MembershipOptions, ReadOptions,
};
use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;
use serde_json::{json, Value};

use crate::util::{config_of, start_fleet, TestFleet};

const POLICY: &str = r#"
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: qwen-policy, namespace: default}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: qwen}
  placement:
    clusterAffinities:
    - affinityName: region1
      clusterNames: [c1, c2]
    - affinityName: region2
      clusterNames: [c3]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
"#;

fn deployment(replicas: u32) -> String {
    format!(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: qwen, namespace: default, labels: {{app: qwen}}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: qwen}}}}
  template:
    metadata: {{labels: {{app: qwen}}}}
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.8
        resources: {{limits: {{nvidia.com/gpu: "1"}}}}
"#
    )
}

/// c1: 2 GPUs, c2: 1 GPU, c3: 4 GPUs (one node each).
fn gpu_fleet() -> TestFleet {
    let tf = start_fleet(config_of(&["c1", "c2", "c3"]));
    for (cluster, gpus) in [("c1", 2), ("c2", 1), ("c3", 4)] {
        add_node(&tf, cluster, &format!("{cluster}-gpu-0"), gpus);
    }
    tf
}

fn add_node(tf: &TestFleet, cluster: &str, name: &str, gpus: u32) {
    tf.sim
        .store(cluster)
        .unwrap()
        .create(
            Kind::Node,
            json!({
                "apiVersion": "v1", "kind": "Node",
                "metadata": {"name": name, "labels": {"topology.kubernetes.io/region": format!("region-{cluster}")}},
                "spec": {},
                "status": {
                    "allocatable": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": gpus.to_string(), "pods": "110"},
                    "capacity": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": gpus.to_string(), "pods": "110"},
                    "conditions": [{"type": "Ready", "status": "True"}]
                }
            }),
        )
        .expect("node created");
}

fn load(kubeconfig: &Path) -> Fleet {
    Fleet::load(&MembershipOptions {
        kubeconfig: Some(kubeconfig.to_path_buf()),
        fleet_file: Some(kubeconfig.with_file_name("no-fleet-file.yaml")).filter(|p| p.exists()),
        request_timeout: Duration::from_secs(5),
        ..Default::default()
    })
    .expect("fleet loads")
}

fn inputs(replicas: u32) -> Inputs {
    let mut i = Inputs::parse(&deployment(replicas), "deploy.yaml").unwrap();
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

fn copy(tf: &TestFleet, cluster: &str) -> Option<Value> {
    tf.sim
        .store(cluster)
        .unwrap()
        .get(Kind::Deployment, "default", "qwen")
}

fn replicas_of(tf: &TestFleet, cluster: &str) -> Option<i64> {
    copy(tf, cluster).map(|d| d["spec"]["replicas"].as_i64().unwrap())
}

fn desired(plan: &fleet::FleetPlan) -> Vec<(String, u32)> {
    plan.workloads[0]
        .placements
        .iter()
        .map(|p| (p.cluster.clone(), p.desired))
        .collect()
}

async fn plan_now(f: &Fleet, i: &Inputs) -> fleet::FleetPlan {
    let snaps = fleet::read_snapshots(f, &ReadOptions::default()).await;
    fleet::plan(f, &snaps, i).expect("plan")
}

#[test]
fn fleet_plan_fills_the_first_group_then_spills_and_prints_the_documented_json() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        assert_eq!(f.names(), ["c1", "c2", "c3"]);
        let plan = plan_now(&f, &inputs(4)).await;
        assert_eq!(
            desired(&plan),
            [("c1".into(), 2), ("c2".into(), 1), ("c3".into(), 1)]
        );
        let w = &plan.workloads[0];
        assert_eq!(w.unplaced, 0);
        assert_eq!(w.policy, "default/qwen-policy");
        assert_eq!(w.placements[0].group, "region1");
        assert_eq!(w.placements[2].group, "region2");
        assert_eq!(w.placements[0].capacity.idle, 2);
        assert_eq!(w.placements[2].capacity.idle, 4);
        let json: Value = serde_json::to_value(&plan).unwrap();
        let keys: Vec<&str> = json["workloads"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "kind",
                "name",
                "namespace",
                "placements",
                "policy",
                "replicas",
                "unplaced",
                "unplacedReason"
            ]
        );
        // More than the fleet can hold: unplaced with a reason.
        let plan = plan_now(&f, &inputs(9)).await;
        assert_eq!(plan.workloads[0].unplaced, 2);
        assert!(plan.workloads[0].unplaced_reason.is_some());
    });
}

#[test]
fn fleet_apply_writes_annotated_copies_and_a_second_identical_apply_writes_nothing() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        let plan = plan_now(&f, &inputs(4)).await;
        let report = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert!(report.complete, "{report:?}");
        assert_eq!(report.written, ["c1", "c2", "c3"]);
        let actions: Vec<ChangeAction> = report.workloads[0]
            .members
            .iter()
            .map(|m| m.action)
            .collect();
        assert_eq!(actions, [ChangeAction::Created; 3]);

        assert_eq!(replicas_of(&tf, "c1"), Some(2));
        assert_eq!(replicas_of(&tf, "c2"), Some(1));
        assert_eq!(replicas_of(&tf, "c3"), Some(1));
        let c1 = copy(&tf, "c1").unwrap();
        assert_eq!(
            c1["metadata"]["labels"]["app.kubernetes.io/managed-by"],
            "kubectl-fleet"
        );
        let ann = &c1["metadata"]["annotations"];
        assert_eq!(ann["fleet.kubectl.dev/total-replicas"], "4");
        assert_eq!(ann["fleet.kubectl.dev/group"], "region1");
        let placement: Value =
            serde_json::from_str(ann["fleet.kubectl.dev/placement"].as_str().unwrap()).unwrap();
        assert_eq!(placement, json!({"c1": 2, "c2": 1, "c3": 1}));
        let stored = ann["fleet.kubectl.dev/policy"].as_str().unwrap();
        assert!(
            stored.contains("clusterAffinities") && !stored.contains('\n'),
            "{stored}"
        );
        // The simulator's controllers update status (and so resourceVersion); a write of ours
        // would show in generation, managedFields or annotations.
        let written_state = |c: &str| {
            let d = copy(&tf, c).unwrap();
            let ours: serde_json::Map<String, Value> = d["metadata"]["annotations"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| k.starts_with("fleet.kubectl.dev/"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            (
                d["metadata"]["generation"].clone(),
                d["metadata"]["managedFields"].clone(),
                ours,
            )
        };
        let rv_before: Vec<_> = ["c1", "c2", "c3"]
            .iter()
            .map(|c| written_state(c))
            .collect();

        // Same inputs again: the plan is stable and apply writes nothing.
        let again = plan_now(&f, &inputs(4)).await;
        assert_eq!(desired(&again), desired(&plan));
        assert_eq!(again.workloads[0].placements[0].current, 2);
        let report = fleet::apply(&f, &again, &ApplyOptions::default())
            .await
            .unwrap();
        assert!(report.unchanged(), "{report:?}");
        assert!(report.workloads[0]
            .members
            .iter()
            .all(|m| m.action == ChangeAction::Unchanged));
        let rv_after: Vec<_> = ["c1", "c2", "c3"]
            .iter()
            .map(|c| written_state(c))
            .collect();
        assert_eq!(rv_before, rv_after);
    });
}

#[test]
fn fleet_apply_abort_leaves_an_unmanaged_deployment_untouched_and_overwrite_adopts_it() {
    let tf = gpu_fleet();
    tf.sim
        .store("c1")
        .unwrap()
        .create(
            Kind::Deployment,
            json!({
                "apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": "qwen", "namespace": "default", "labels": {"team": "ml"}},
                "spec": {"replicas": 5, "selector": {"matchLabels": {"app": "qwen"}},
                         "template": {"metadata": {"labels": {"app": "qwen"}}, "spec": {"containers": [{"name": "x", "image": "old"}]}}}
            }),
        )
        .unwrap();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        let plan = plan_now(&f, &inputs(4)).await;
        // The unmanaged copy is not counted as current.
        assert_eq!(plan.workloads[0].placements[0].current, 0);
        let report = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert!(!report.complete);
        assert_eq!(report.errors.len(), 1, "{report:?}");
        assert!(
            report.errors[0]
                .contains("c1: deployment default/qwen exists and is not managed by kubectl-fleet"),
            "{}",
            report.errors[0]
        );
        let c1 = copy(&tf, "c1").unwrap();
        assert_eq!(c1["spec"]["replicas"], 5);
        assert!(c1["metadata"]["labels"]
            .get("app.kubernetes.io/managed-by")
            .is_none());
        assert_eq!(
            replicas_of(&tf, "c2"),
            Some(1),
            "other members are still applied"
        );

        let view = fleet::get_deployments(&f, Some("default"), Some("qwen")).await;
        let c1_row = view.rows.iter().find(|r| r.cluster == "c1").unwrap();
        assert_eq!(c1_row.adoption.as_str(), "-");

        let opts = ApplyOptions {
            conflict_resolution: Some(ConflictResolution::Overwrite),
            ..Default::default()
        };
        let plan = plan_now(&f, &inputs(4)).await;
        let report = fleet::apply(&f, &plan, &opts).await.unwrap();
        assert!(report.errors.is_empty(), "{report:?}");
        let c1_change = &report.workloads[0].members[0];
        assert_eq!(
            (c1_change.cluster.as_str(), c1_change.action),
            ("c1", ChangeAction::Adopted)
        );
        let c1 = copy(&tf, "c1").unwrap();
        assert_eq!(c1["spec"]["replicas"], 2);
        assert_eq!(
            c1["metadata"]["annotations"]["fleet.kubectl.dev/adopted"],
            "true"
        );
        let view = fleet::get_deployments(&f, Some("default"), Some("qwen")).await;
        let rows: Vec<(&str, &str)> = view
            .rows
            .iter()
            .map(|r| (r.cluster.as_str(), r.adoption.as_str()))
            .collect();
        assert_eq!(rows, [("c1", "Y"), ("c2", "N"), ("c3", "N")]);
        assert_eq!(view.totals[0].replicas, 4);
    });
}

#[test]
fn fleet_unreachable_member_refuses_apply_unless_allowed_and_keeps_its_replicas() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        let plan = plan_now(&f, &inputs(4)).await;
        fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        tf.sim.fault("c3", Fault::Down).unwrap();

        let start = std::time::Instant::now();
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "an unreachable member never hangs a read"
        );
        assert!(snaps[2].result.as_ref().err().unwrap().is_unreachable());
        let plan = fleet::plan(&f, &snaps, &inputs(5)).unwrap();
        let c3 = &plan.workloads[0].placements[2];
        // Its recorded replica is kept and it gets no new ones.
        assert_eq!((c3.current, c3.desired, c3.unreachable), (1, 1, true));
        assert!(
            plan.warnings.iter().any(|w| w.starts_with("c3: ")),
            "{:?}",
            plan.warnings
        );

        let err = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(err, FleetError::Unreachable { ref member, .. } if member == "c3"),
            "{err}"
        );
        assert_eq!(
            replicas_of(&tf, "c1"),
            Some(2),
            "nothing written after a refusal"
        );

        let opts = ApplyOptions {
            allow_unreachable: true,
            ..Default::default()
        };
        let report = fleet::apply(&f, &plan, &opts).await.unwrap();
        assert!(!report.complete);
        let c3_change = report.workloads[0]
            .members
            .iter()
            .find(|m| m.cluster == "c3")
            .unwrap();
        assert_eq!(c3_change.action, ChangeAction::Skipped);
        assert!(
            report.warnings.iter().any(|w| w.contains("re-run")),
            "{:?}",
            report.warnings
        );
        let c1 = copy(&tf, "c1").unwrap();
        assert_eq!(
            c1["metadata"]["annotations"]["fleet.kubectl.dev/total-replicas"],
            "5"
        );
    });
}

#[test]
fn fleet_scale_replans_from_the_members_alone_and_scales_in_from_the_lowest_group() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        fleet::apply(
            &f,
            &plan_now(&f, &inputs(4)).await,
            &ApplyOptions::default(),
        )
        .await
        .unwrap();
        // A fresh Fleet value (another machine): everything comes from the members.
        let f = load(&tf.kubeconfig);
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let plan = fleet::plan_scale(&f, &snaps, "default", "qwen", 3).unwrap();
        assert_eq!(
            desired(&plan),
            [("c1".into(), 2), ("c2".into(), 1), ("c3".into(), 0)]
        );
        let report = fleet::apply(&f, &plan, &ApplyOptions::default())
            .await
            .unwrap();
        assert!(report.complete, "{report:?}");
        let c3 = report.workloads[0]
            .members
            .iter()
            .find(|m| m.cluster == "c3")
            .unwrap();
        assert_eq!((c3.action, c3.phase), (ChangeAction::Deleted, 2));
        assert_eq!(copy(&tf, "c3"), None, "a copy going to 0 is deleted");
        assert_eq!(
            copy(&tf, "c1").unwrap()["metadata"]["annotations"]["fleet.kubectl.dev/total-replicas"],
            "3"
        );

        // Scale up again: stability keeps c1/c2, the difference spills to c3.
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let plan = fleet::plan_scale(&f, &snaps, "default", "qwen", 6).unwrap();
        assert_eq!(
            desired(&plan),
            [("c1".into(), 2), ("c2".into(), 1), ("c3".into(), 3)]
        );
        let err = fleet::plan_scale(&f, &snaps, "default", "nope", 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("default/nope is not managed"), "{err}");
    });
}

#[test]
fn fleet_policy_file_alone_replaces_the_managed_deployments_it_selects() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        fleet::apply(
            &f,
            &plan_now(&f, &inputs(4)).await,
            &ApplyOptions::default(),
        )
        .await
        .unwrap();
        // New policy: c3 first.
        let reversed = POLICY
            .replace("clusterNames: [c1, c2]", "clusterNames: [cX]")
            .replace("clusterNames: [c3]", "clusterNames: [c1, c2]")
            .replace("clusterNames: [cX]", "clusterNames: [c3]");
        let only_policy = Inputs::parse(&reversed, "policy.yaml").unwrap();
        assert!(only_policy.deployments.is_empty());
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let plan = fleet::plan(&f, &snaps, &only_policy).unwrap();
        assert_eq!(plan.workloads.len(), 1);
        assert_eq!(plan.workloads[0].name, "qwen");
        assert_eq!(
            plan.workloads[0].replicas, 4,
            "total comes from the annotation"
        );

        // A policy that selects nothing: a warning, no workloads.
        let other =
            Inputs::parse(&POLICY.replace("name: qwen}", "name: other}"), "p2.yaml").unwrap();
        let plan = fleet::plan(&f, &snaps, &other).unwrap();
        assert!(plan.workloads.is_empty());
        assert!(
            plan.warnings
                .iter()
                .any(|w| w.contains("selects no given Deployment")),
            "{:?}",
            plan.warnings
        );

        // A Deployment with no policy: an error naming it.
        let lone = Inputs::parse(
            &deployment(2).replace("name: qwen,", "name: lonely,"),
            "d.yaml",
        )
        .unwrap();
        let err = fleet::plan(&f, &snaps, &lone).unwrap_err().to_string();
        assert!(
            err.contains("deployment default/lonely: no PropagationPolicy"),
            "{err}"
        );
    });
}

#[test]
fn fleet_dry_runs_write_nothing() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        let plan = plan_now(&f, &inputs(4)).await;
        for dry_run in [DryRun::Client, DryRun::Server] {
            let opts = ApplyOptions {
                dry_run,
                ..Default::default()
            };
            let report = fleet::apply(&f, &plan, &opts).await.unwrap();
            assert_eq!(
                report.written,
                ["c1", "c2", "c3"],
                "{dry_run:?} reports what it would write"
            );
            for c in ["c1", "c2", "c3"] {
                assert_eq!(copy(&tf, c), None, "{dry_run:?} wrote to {c}");
            }
        }
    });
}

#[test]
fn fleet_delete_removes_copies_and_cordon_state_lives_in_the_member() {
    let tf = gpu_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        fleet::apply(
            &f,
            &plan_now(&f, &inputs(4)).await,
            &ApplyOptions::default(),
        )
        .await
        .unwrap();

        // Cordon c1: it gets no new replicas; the state is a ConfigMap in c1.
        let c1 = f.member("c1").unwrap();
        let st = fleet::cordon(c1, Some("maintenance"), Some("tester"))
            .await
            .unwrap();
        assert!(st.cordoned);
        let cm = tf
            .sim
            .store("c1")
            .unwrap()
            .get(Kind::ConfigMap, "kube-system", "kubectl-fleet-member")
            .unwrap();
        assert_eq!(cm["data"]["cordoned"], "true");
        assert_eq!(cm["data"]["reason"], "maintenance");
        let rows = fleet::clusters(&f).await;
        assert!(rows[0].cordoned && !rows[1].cordoned);
        assert_eq!((rows[2].nodes, rows[2].gpu.total), (1, 4000));
        assert_eq!(rows[2].labels["region"], "region-c3");
        let snaps = fleet::read_snapshots(&f, &ReadOptions::default()).await;
        let plan = fleet::plan_scale(&f, &snaps, "default", "qwen", 6).unwrap();
        let c1_row = &plan.workloads[0].placements[0];
        assert!(c1_row.cordoned);
        assert!(
            c1_row.desired <= c1_row.current,
            "a cordoned member gets no new replicas"
        );
        let st = fleet::uncordon(c1, None).await.unwrap();
        assert!(!st.cordoned);
        assert!(!fleet::read_cordon(c1).await.unwrap().cordoned);

        let report = fleet::delete(&f, "default", "qwen", &fleet::DeleteOptions::default())
            .await
            .unwrap();
        assert!(report.errors.is_empty(), "{report:?}");
        assert!(report
            .members
            .iter()
            .all(|m| m.action == fleet::DeleteAction::Deleted));
        for c in ["c1", "c2", "c3"] {
            assert_eq!(copy(&tf, c), None);
        }
    });
}

/// A fleet whose nodes come from the simulator's config (so its controllers run pods):
/// c1 4 GPUs, c2 1 GPU, c3 4 GPUs.
fn controller_fleet() -> TestFleet {
    use kubectl_fleet::sim::config::{ClusterConfig, NodeGroup, SimConfig};
    let cluster = |name: &str, gpus: &str| ClusterConfig {
        name: name.to_string(),
        nodes: vec![NodeGroup {
            count: 1,
            prefix: "gpu".to_string(),
            allocatable: [
                ("cpu", "32"),
                ("memory", "128Gi"),
                ("nvidia.com/gpu", gpus),
                ("pods", "110"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            ..Default::default()
        }],
        ..Default::default()
    };
    start_fleet(SimConfig {
        clusters: vec![cluster("c1", "4"), cluster("c2", "1"), cluster("c3", "4")],
        ..Default::default()
    })
}

#[test]
fn fleet_apply_wait_is_make_before_break_with_progress() {
    use kubectl_fleet::fleet::ApplyProgress;
    use std::sync::{Arc, Mutex};
    let tf = controller_fleet();
    rt().block_on(async {
        let f = load(&tf.kubeconfig);
        let events: Arc<Mutex<Vec<ApplyProgress>>> = Arc::default();
        let sink = events.clone();
        let opts = ApplyOptions {
            wait: true,
            timeout: Duration::from_secs(30),
            progress: Some(Arc::new(move |e: &ApplyProgress| sink.lock().unwrap().push(e.clone()))),
            ..Default::default()
        };
        let plan = plan_now(&f, &inputs(5)).await;
        assert_eq!(desired(&plan), [("c1".into(), 4), ("c2".into(), 1), ("c3".into(), 0)]);
        let report = fleet::apply(&f, &plan, &opts).await.unwrap();
        assert!(report.complete, "{report:?}");
        let c1 = copy(&tf, "c1").unwrap();
        assert_eq!(c1["status"]["availableReplicas"], 4, "wait returned before availability");

        // A plan computed elsewhere (drain/rebalance style): move 1 replica from c2 to c3.
        let mut moved = plan_now(&f, &inputs(5)).await;
        for p in &mut moved.workloads[0].placements {
            p.desired = match p.cluster.as_str() {
                "c1" => 4,
                "c2" => 0,
                _ => 1,
            };
        }
        events.lock().unwrap().clear();
        let report = fleet::apply(&f, &moved, &opts).await.unwrap();
        assert!(report.complete, "{report:?}");
        let ev = events.lock().unwrap().clone();
        let pos = |pred: &dyn Fn(&ApplyProgress) -> bool| ev.iter().position(pred).unwrap_or_else(|| panic!("{ev:?}"));
        let c3_applied = pos(&|e| matches!(e, ApplyProgress::Applied { cluster, .. } if cluster == "c3"));
        let c3_ready = pos(&|e| matches!(e, ApplyProgress::Ready { cluster, .. } if cluster == "c3"));
        let c2_deleted = pos(&|e| matches!(e, ApplyProgress::Applied { cluster, action: ChangeAction::Deleted, .. } if cluster == "c2"));
        assert!(c3_applied < c3_ready && c3_ready < c2_deleted, "{ev:?}");
        assert_eq!(copy(&tf, "c2"), None);
        assert_eq!(copy(&tf, "c3").unwrap()["status"]["availableReplicas"], 1);
    });
}
