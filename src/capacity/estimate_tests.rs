//! Unit tests of [`super::estimate`], one per rule.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::*;

fn res(pairs: &[(&str, &str)]) -> Resources {
    Resources::parse(pairs.iter().copied()).unwrap()
}

fn node(name: &str, alloc: &[(&str, &str)]) -> NodeSnapshot {
    NodeSnapshot::new(name, res(alloc))
}

fn pod(name: &str, node: &str, req: &[(&str, &str)], priority: i32) -> PodSnapshot {
    PodSnapshot {
        namespace: "default".into(),
        name: name.into(),
        node_name: Some(node.into()),
        phase: PodPhase::Running,
        requests: res(req).into(),
        priority,
        ..Default::default()
    }
}

fn gpu_req() -> PodRequirements {
    PodRequirements::with_requests(res(&[("nvidia.com/gpu", "1"), ("cpu", "1")]))
}

fn gpu_node(name: &str, gpus: &str) -> NodeSnapshot {
    node(
        name,
        &[
            ("cpu", "32"),
            ("memory", "128Gi"),
            ("nvidia.com/gpu", gpus),
            ("pods", "110"),
        ],
    )
}

fn est(req: &PodRequirements, c: &ClusterSnapshot) -> Estimate {
    estimate(req, c, &EstimateOptions::default())
}

#[test]
fn idle_counts_node_by_node_not_by_cluster_sum() {
    // 2 nodes with 1.5 cpu free each: the sum (3) would claim 1 replica of 2 cpu, per node 0.
    let c = ClusterSnapshot {
        nodes: vec![
            node("a", &[("cpu", "1500m")]),
            node("b", &[("cpu", "1500m")]),
        ],
        ..Default::default()
    };
    let e = est(&PodRequirements::with_requests(res(&[("cpu", "2")])), &c);
    assert_eq!(e.idle, 0);
    assert_eq!(
        e.idle_reason.as_deref(),
        Some("0 idle: 2 nodes lack cpu (need 2, max free 1500m)")
    );
}

#[test]
fn idle_subtracts_requests_of_running_and_pending_bound_pods() {
    let mut pending = pod("p2", "g1", &[("nvidia.com/gpu", "1")], 0);
    pending.phase = PodPhase::Pending;
    let c = ClusterSnapshot {
        nodes: vec![gpu_node("g1", "4")],
        pods: vec![pod("p1", "g1", &[("nvidia.com/gpu", "2")], 0), pending],
        ..Default::default()
    };
    assert_eq!(est(&gpu_req(), &c).idle, 1);
}

#[test]
fn terminal_pods_hold_no_room() {
    let mut done = pod("done", "g1", &[("nvidia.com/gpu", "2")], 0);
    done.phase = PodPhase::Succeeded;
    let mut failed = pod("failed", "g1", &[("nvidia.com/gpu", "2")], 0);
    failed.phase = PodPhase::Failed;
    let c = ClusterSnapshot {
        nodes: vec![gpu_node("g1", "4")],
        pods: vec![done, failed],
        ..Default::default()
    };
    let e = est(&gpu_req(), &c);
    assert_eq!(e.idle, 4);
    assert_eq!(e.idle_reason, None);
}

#[test]
fn unbound_pods_and_pods_on_unknown_nodes_are_ignored() {
    let mut unbound = pod("u", "g1", &[("nvidia.com/gpu", "4")], 0);
    unbound.node_name = None;
    let c = ClusterSnapshot {
        nodes: vec![gpu_node("g1", "4")],
        pods: vec![unbound, pod("x", "gone", &[("nvidia.com/gpu", "4")], 0)],
        ..Default::default()
    };
    assert_eq!(est(&gpu_req(), &c).idle, 4);
}

#[test]
fn own_pods_count_as_free_by_labels_or_predicate() {
    let mut own = pod("web-1", "g1", &[("nvidia.com/gpu", "2")], 0);
    own.labels = BTreeMap::from([("app".into(), "web".into())]).into();
    let mut other_ns = own.clone();
    other_ns.namespace = "prod".into();
    let c = ClusterSnapshot {
        nodes: vec![gpu_node("g1", "4")],
        pods: vec![own, other_ns],
        ..Default::default()
    };
    assert_eq!(est(&gpu_req(), &c).idle, 0);
    let by_labels =
        EstimateOptions::own_labels("default", BTreeMap::from([("app".into(), "web".into())]));
    assert_eq!(
        estimate(&gpu_req(), &c, &by_labels).idle,
        2,
        "only the default/ pod is own"
    );
    let by_pred = EstimateOptions {
        own_pods: OwnPods::Predicate(Arc::new(|p: &PodSnapshot| p.name == "web-1")),
        ..Default::default()
    };
    assert_eq!(
        estimate(&gpu_req(), &c, &by_pred).idle,
        4,
        "both are named web-1"
    );
}

#[test]
fn pod_count_limits_idle() {
    let mut n = node("a", &[("cpu", "10"), ("pods", "3")]);
    n.labels.clear();
    let c = ClusterSnapshot {
        nodes: vec![n],
        pods: vec![
            pod("p1", "a", &[], 0),
            pod("p2", "a", &[], 0),
            pod("p3", "a", &[], 0),
        ],
        ..Default::default()
    };
    let e = est(&PodRequirements::with_requests(res(&[("cpu", "1")])), &c);
    assert_eq!(e.idle, 0);
    assert_eq!(
        e.idle_reason.as_deref(),
        Some("0 idle: 1 node full (pod limit)")
    );
    // no requests at all: only the pod count limits
    let c = ClusterSnapshot {
        nodes: vec![node("a", &[("pods", "5")])],
        ..Default::default()
    };
    assert_eq!(est(&PodRequirements::default(), &c).idle, 5);
}

#[test]
fn not_ready_cordoned_and_tainted_nodes_are_skipped_with_aggregated_reasons() {
    let mut not_ready = gpu_node("nr", "4");
    not_ready.ready = false;
    let mut cordoned = gpu_node("co", "4");
    cordoned.unschedulable = true;
    let tainted: Vec<NodeSnapshot> = (0..2)
        .map(|i| {
            let mut n = gpu_node(&format!("t{i}"), "4");
            n.taints
                .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
            n
        })
        .collect();
    let cpu_only: Vec<NodeSnapshot> = (0..4)
        .map(|i| node(&format!("c{i}"), &[("cpu", "16"), ("pods", "110")]))
        .collect();
    let mut nodes = vec![not_ready, cordoned];
    nodes.extend(tainted);
    nodes.extend(cpu_only);
    let c = ClusterSnapshot {
        nodes,
        ..Default::default()
    };
    let e = est(&gpu_req(), &c);
    assert_eq!(e.idle, 0);
    assert_eq!(
        e.idle_reason.as_deref(),
        Some(
            "0 idle: 4 nodes lack nvidia.com/gpu (need 1, max free 0); \
             2 nodes: untolerated taint gpu=true:NoSchedule; 1 node: node not ready; 1 node: cordoned"
        )
    );
}

#[test]
fn tolerated_taint_makes_the_node_usable() {
    let mut n = gpu_node("t", "2");
    n.taints
        .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
    let c = ClusterSnapshot {
        nodes: vec![n],
        ..Default::default()
    };
    let mut req = gpu_req();
    req.tolerations.push(Toleration {
        key: "gpu".into(),
        operator: TolerationOperator::Equal,
        value: "true".into(),
        effect: None,
    });
    assert_eq!(est(&req, &c).idle, 2);
}

#[test]
fn node_selector_and_affinity_restrict_nodes() {
    let mut a10 = gpu_node("a10", "4");
    a10.labels.insert("gpu".into(), "a10".into());
    let mut h100 = gpu_node("h100", "8");
    h100.labels.insert("gpu".into(), "h100".into());
    let c = ClusterSnapshot {
        nodes: vec![a10, h100],
        ..Default::default()
    };
    let mut req = gpu_req();
    req.node_selector.insert("gpu".into(), "h100".into());
    assert_eq!(est(&req, &c).idle, 8);
    req.node_selector.clear();
    req.required_affinity = Some(vec![NodeSelectorTerm {
        match_expressions: vec![SelectorRequirement::new(
            "gpu",
            SelectorOperator::NotIn,
            &["h100"],
        )],
        match_fields: vec![],
    }]);
    let e = est(&req, &c);
    assert_eq!(e.idle, 4);
}

#[test]
fn no_nodes_reason() {
    let e = est(&gpu_req(), &ClusterSnapshot::default());
    assert_eq!(e.idle_reason.as_deref(), Some("0 idle: no nodes"));
    assert_eq!(
        e.elastic_reason.as_deref(),
        Some("0 elastic: no node pools")
    );
}

fn preemption_cluster() -> ClusterSnapshot {
    ClusterSnapshot {
        nodes: vec![gpu_node("g1", "4"), gpu_node("g2", "4")],
        pods: vec![
            // g1: 3 GPUs held by low-priority batch, 1 free
            pod("b1", "g1", &[("nvidia.com/gpu", "3")], 100),
            // g2: 2 GPUs by equal-priority, 2 by low-priority
            pod("same", "g2", &[("nvidia.com/gpu", "2")], 1000),
            pod("b2", "g2", &[("nvidia.com/gpu", "2")], 100),
        ],
        priority_classes: vec![
            PriorityClassInfo::new("batch-low", 100),
            PriorityClassInfo::new("online-high", 1000),
        ],
        ..Default::default()
    }
}

#[test]
fn preemptible_counts_room_of_strictly_lower_priority_pods_without_double_counting() {
    let c = preemption_cluster();
    let mut req = gpu_req();
    req.priority_class_name = Some("online-high".into());
    let e = est(&req, &c);
    assert_eq!(e.idle, 1, "1 free GPU on g1");
    // g1: with victims 4 fit, minus idle 1 → 3; g2: equal priority stays → 2 - 0 = 2
    assert_eq!(e.preemptible, 5);
    assert_eq!(e.preemptible_reason, None);
}

#[test]
fn preemption_policy_never_gives_no_preemptible() {
    let c = preemption_cluster();
    let mut req = gpu_req();
    req.priority_class_name = Some("online-high".into());
    req.preemption_policy = Some(PreemptionPolicy::Never);
    let e = est(&req, &c);
    assert_eq!(e.preemptible, 0);
    assert_eq!(
        e.preemptible_reason.as_deref(),
        Some("0 preemptible: preemptionPolicy Never")
    );
    // inherited from the PriorityClass too
    let mut c = preemption_cluster();
    c.priority_classes[1].preemption_policy = Some(PreemptionPolicy::Never);
    req.preemption_policy = None;
    assert_eq!(est(&req, &c).preemptible, 0);
}

#[test]
fn equal_priority_pods_are_not_victims() {
    let c = preemption_cluster();
    let mut req = gpu_req();
    req.priority_class_name = Some("batch-low".into());
    let e = est(&req, &c);
    assert_eq!(e.preemptible, 0);
    assert_eq!(
        e.preemptible_reason.as_deref(),
        Some("0 preemptible: no pods below priority 100 on eligible nodes")
    );
}

#[test]
fn priority_resolves_class_then_global_default_then_zero() {
    let mut c = preemption_cluster();
    let req = gpu_req();
    assert_eq!(resolve_priority(&req, &c).value, 0);
    assert_eq!(est(&req, &c).preemptible, 0);
    c.priority_classes.push(PriorityClassInfo {
        name: "default-high".into(),
        value: 500,
        global_default: true,
        preemption_policy: None,
    });
    assert_eq!(resolve_priority(&req, &c).value, 500);
    assert_eq!(
        est(&req, &c).preemptible,
        5,
        "global default 500 > batch 100"
    );
    let mut named = gpu_req();
    named.priority_class_name = Some("batch-low".into());
    assert_eq!(resolve_priority(&named, &c).value, 100);
    let mut missing = gpu_req();
    missing.priority_class_name = Some("nope".into());
    let r = resolve_priority(&missing, &c);
    assert_eq!((r.value, r.missing_class.as_deref()), (0, Some("nope")));
    assert_eq!(
        est(&missing, &c).preemptible_reason.as_deref(),
        Some("0 preemptible: no pods below priority 0 on eligible nodes (priorityClass nope not found, priority 0)")
    );
}

#[test]
fn explicit_priority_option_overrides_resolution() {
    let c = preemption_cluster();
    let opts = EstimateOptions {
        priority: Some(1_000_000),
        ..Default::default()
    };
    // now every pod is lower: g1 4 - 1, g2 4 - 0
    assert_eq!(estimate(&gpu_req(), &c, &opts).preemptible, 7);
    let off = EstimateOptions {
        preemption: false,
        ..opts
    };
    let e = estimate(&gpu_req(), &c, &off);
    assert_eq!(e.preemptible, 0);
    assert!(e.preemptible_reason.unwrap().contains("not enabled"));
}

#[test]
fn evicting_victims_that_free_too_little_is_explained() {
    let c = ClusterSnapshot {
        nodes: vec![gpu_node("g1", "1")],
        pods: vec![
            pod("hi", "g1", &[("nvidia.com/gpu", "1")], 1000),
            pod("lo", "g1", &[("cpu", "1")], 0),
        ],
        ..Default::default()
    };
    let opts = EstimateOptions {
        priority: Some(10),
        ..Default::default()
    };
    let e = estimate(&gpu_req(), &c, &opts);
    assert_eq!((e.idle, e.preemptible), (0, 0));
    assert_eq!(
        e.preemptible_reason.as_deref(),
        Some("0 preemptible: evicting 1 pods below priority 10 on 1 node frees no room for another replica")
    );
}

fn pool(name: &str, gpus: &str, max: u32, current: u32, inventory: u32) -> NodePool {
    NodePool {
        name: name.into(),
        allocatable: res(&[("cpu", "8"), ("memory", "30Gi"), ("nvidia.com/gpu", gpus)]),
        max_nodes: max,
        current_nodes: current,
        inventory,
        ..Default::default()
    }
}

#[test]
fn elastic_is_min_of_max_nodes_headroom_and_inventory_times_per_node_fit() {
    let c = ClusterSnapshot {
        pools: vec![pool("a", "2", 10, 8, 5), pool("b", "1", 10, 0, 4)],
        ..Default::default()
    };
    let e = est(&gpu_req(), &c);
    // a: min(2, 5) nodes × 2 per node = 4; b: min(10, 4) × 1 = 4
    assert_eq!(e.elastic, 8);
    assert_eq!(e.elastic_reason, None);
}

#[test]
fn elastic_zero_reasons_name_each_pool() {
    let mut tainted = pool("tainted", "1", 10, 0, 4);
    tainted
        .taints
        .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
    let c = ClusterSnapshot {
        pools: vec![
            pool("gpu-elastic", "1", 10, 0, 0),
            pool("full", "1", 3, 3, 9),
            tainted,
            pool("cpu", "0", 10, 0, 4),
        ],
        ..Default::default()
    };
    let e = est(&gpu_req(), &c);
    assert_eq!(e.elastic, 0);
    assert_eq!(
        e.elastic_reason.as_deref(),
        Some(
            "0 elastic: pool gpu-elastic: inventory 0; pool full: at maxNodes (3/3); \
             pool tainted: untolerated taint gpu=true:NoSchedule; \
             pool cpu: node lacks nvidia.com/gpu (need 1, has 0)"
        )
    );
    let off = EstimateOptions {
        elastic: false,
        ..Default::default()
    };
    assert_eq!(estimate(&gpu_req(), &c, &off).elastic, 0);
}

#[test]
fn elastic_pool_labels_must_satisfy_node_selector() {
    let mut labelled = pool("a10", "1", 4, 0, 4);
    labelled.labels.insert("gpu".into(), "a10".into());
    let c = ClusterSnapshot {
        pools: vec![labelled, pool("plain", "1", 4, 0, 4)],
        ..Default::default()
    };
    let mut req = gpu_req();
    req.node_selector.insert("gpu".into(), "a10".into());
    assert_eq!(est(&req, &c).elastic, 4);
}

#[test]
fn seed_scenario_gpu_only_by_elastic_inventory() {
    // qwen3-8b: 1 GPU (limits only), no running GPU nodes, inventory 4 in the pool.
    let spec: k8s_openapi::api::core::v1::PodSpec = serde_json::from_value(serde_json::json!({
        "containers": [{"name": "vllm", "resources": {"limits": {"nvidia.com/gpu": "1"}}}]
    }))
    .unwrap();
    let req = PodRequirements::from_pod_spec(&spec).unwrap();
    let c = ClusterSnapshot {
        nodes: vec![node(
            "cpu-1",
            &[("cpu", "16"), ("memory", "64Gi"), ("pods", "110")],
        )],
        pools: vec![pool("gpu-elastic", "1", 10, 0, 4)],
        ..Default::default()
    };
    let e = est(&req, &c);
    assert_eq!((e.idle, e.preemptible, e.elastic), (0, 0, 4));
    assert_eq!(
        e.idle_reason.as_deref(),
        Some("0 idle: 1 node lacks nvidia.com/gpu (need 1, max free 0)")
    );
    assert_eq!(e.total(), 4);
}

#[test]
fn many_distinct_causes_are_capped() {
    let nodes = (0..7)
        .map(|i| {
            let mut n = gpu_node(&format!("n{i}"), "1");
            n.taints
                .push(Taint::new(format!("t{i}"), "", TaintEffect::NoSchedule));
            n
        })
        .collect();
    let c = ClusterSnapshot {
        nodes,
        ..Default::default()
    };
    let reason = est(&gpu_req(), &c).idle_reason.unwrap();
    assert!(reason.ends_with("; +3 more"), "{reason}");
    assert_eq!(reason.matches("untolerated taint").count(), 4);
}

fn daemonset(name: &str, req: &[(&str, &str)]) -> DaemonSetSnapshot {
    DaemonSetSnapshot {
        namespace: "kube-system".into(),
        name: name.into(),
        pod: PodRequirements::with_requests(res(req)),
    }
}

#[test]
fn elastic_subtracts_the_daemonsets_that_run_on_a_pool_node() {
    // A pool node: 8 cpu, 2 GPUs. Replicas of 3 cpu + 1 GPU: 2 per bare node.
    let req = PodRequirements::with_requests(res(&[("nvidia.com/gpu", "1"), ("cpu", "3")]));
    let mut gpu_pool = pool("gpu", "2", 10, 0, 3);
    gpu_pool.taints.push(Taint::new(
        "nvidia.com/gpu",
        "true",
        TaintEffect::NoSchedule,
    ));
    let mut req_tol = req.clone();
    req_tol.tolerations.push(Toleration {
        key: "nvidia.com/gpu".into(),
        operator: TolerationOperator::Exists,
        value: String::new(),
        effect: Some(TaintEffect::NoSchedule),
    });
    let bare = ClusterSnapshot {
        pools: vec![gpu_pool.clone()],
        ..Default::default()
    };
    assert_eq!(est(&req_tol, &bare).elastic, 6);

    // A log agent (no toleration: not on the tainted pool), a device plugin that tolerates
    // the taint (2.5 cpu: leaves 5.5, one replica per node) and one for other nodes only.
    let mut plugin = daemonset("gpu-plugin", &[("cpu", "2500m")]);
    plugin.pod.tolerations = req_tol.tolerations.clone();
    let mut elsewhere = daemonset("npu-plugin", &[("cpu", "4")]);
    elsewhere.pod.tolerations = req_tol.tolerations.clone();
    elsewhere
        .pod
        .node_selector
        .insert("accelerator".into(), "npu".into());
    let c = ClusterSnapshot {
        daemonsets: vec![daemonset("log-agent", &[("cpu", "4")]), plugin, elsewhere],
        ..bare.clone()
    };
    let e = est(&req_tol, &c);
    assert_eq!(e.elastic, 3, "3 nodes × 1 replica in 8 − 2.5 cpu");

    // When the DaemonSets leave too little, the reason says so.
    let mut heavy = daemonset("heavy", &[("cpu", "6")]);
    heavy.pod.tolerations = req_tol.tolerations.clone();
    let c = ClusterSnapshot {
        daemonsets: vec![heavy],
        ..bare
    };
    let e = est(&req_tol, &c);
    assert_eq!(e.elastic, 0);
    assert_eq!(
        e.elastic_reason.as_deref(),
        Some("0 elastic: pool gpu: node lacks cpu (need 3, has 2 of 8 after DaemonSets)")
    );
}

#[test]
fn daemonset_pods_take_pod_slots_of_a_pool_node() {
    let mut p = pool("small", "1", 2, 0, 2);
    p.allocatable = res(&[("cpu", "8"), ("pods", "3")]);
    let req = PodRequirements::with_requests(res(&[("cpu", "100m")]));
    let c = ClusterSnapshot {
        pools: vec![p],
        daemonsets: vec![daemonset("a", &[("cpu", "10m")]), daemonset("b", &[])],
        ..Default::default()
    };
    // 3 pods per node, 2 of them DaemonSet pods: 1 replica per node, 2 nodes.
    assert_eq!(est(&req, &c).elastic, 2);
}
