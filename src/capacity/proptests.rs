//! Property tests of the estimator's invariants.

use proptest::prelude::*;

use super::*;

const NODE_NAMES: [&str; 6] = ["n0", "n1", "n2", "n3", "n4", "n5"];

fn arb_node(name: &'static str) -> impl Strategy<Value = NodeSnapshot> {
    (
        0i64..16_000,
        0i64..4,
        1i64..12,
        prop::bool::weighted(0.85),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.2),
    )
        .prop_map(move |(cpu, gpu, pods, ready, cordoned, tainted)| {
            let mut n = NodeSnapshot::new(
                name,
                Resources::from_milli([
                    ("cpu", cpu),
                    ("nvidia.com/gpu", gpu * 1000),
                    ("pods", pods * 1000),
                ]),
            );
            n.ready = ready;
            n.unschedulable = cordoned;
            if tainted {
                n.taints
                    .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
            }
            n
        })
}

fn arb_pod() -> impl Strategy<Value = PodSnapshot> {
    (
        0usize..7,
        0i64..4_000,
        0i64..2,
        prop::sample::select(vec![0, 100, 1000]),
        0u8..6,
        any::<bool>(),
    )
        .prop_map(|(node, cpu, gpu, priority, phase, own)| PodSnapshot {
            namespace: "default".into(),
            name: "p".into(),
            node_name: NODE_NAMES.get(node).map(|s| s.to_string()),
            phase: match phase {
                0 => PodPhase::Succeeded,
                1 => PodPhase::Failed,
                2 => PodPhase::Pending,
                _ => PodPhase::Running,
            },
            requests: Resources::from_milli([("cpu", cpu), ("nvidia.com/gpu", gpu * 1000)]).into(),
            priority,
            labels: [(
                "app".to_string(),
                if own { "web" } else { "other" }.to_string(),
            )]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
            .into(),
            owner: None,
        })
}

fn arb_cluster() -> impl Strategy<Value = ClusterSnapshot> {
    let nodes = (1usize..=6).prop_flat_map(|n| {
        NODE_NAMES[..n]
            .iter()
            .map(|name| arb_node(name))
            .collect::<Vec<_>>()
    });
    (nodes, prop::collection::vec(arb_pod(), 0..40)).prop_map(|(nodes, pods)| ClusterSnapshot {
        nodes,
        pods,
        ..Default::default()
    })
}

fn arb_req() -> impl Strategy<Value = (PodRequirements, EstimateOptions)> {
    (
        1i64..3_000,
        0i64..2,
        any::<bool>(),
        prop::sample::select(vec![0, 100, 500, 2000]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(cpu, gpu, tolerate, priority, never, own)| {
            let mut req = PodRequirements::with_requests(Resources::from_milli([
                ("cpu", cpu),
                ("nvidia.com/gpu", gpu * 1000),
            ]));
            if tolerate {
                req.tolerations.push(Toleration {
                    key: "gpu".into(),
                    operator: TolerationOperator::Exists,
                    value: String::new(),
                    effect: None,
                });
            }
            if never {
                req.preemption_policy = Some(PreemptionPolicy::Never);
            }
            let mut opts = if own {
                EstimateOptions::own_labels(
                    "default",
                    [("app".to_string(), "web".to_string())]
                        .into_iter()
                        .collect(),
                )
            } else {
                EstimateOptions::default()
            };
            opts.priority = Some(priority);
            (req, opts)
        })
}

/// Upper bound from summing the free room of every eligible node (clamped at 0 per node).
fn cluster_sum_bound(req: &PodRequirements, c: &ClusterSnapshot, opts: &EstimateOptions) -> u64 {
    let mut free = Resources::new();
    let mut pods = 0i64;
    for n in c.nodes.iter().filter(|n| node_eligible(req, n).is_ok()) {
        let mut f = n.allocatable.clone();
        let mut p = n.max_pods();
        for pod in c.pods.iter().filter(|p| {
            p.node_name.as_deref() == Some(n.name.as_str())
                && !p.phase.is_terminal()
                && !opts.own_pods.matches(p)
        }) {
            f.sub(&pod.requests);
            p -= 1;
        }
        // per node, negative (over-committed) room counts as 0
        free.add(&f.saturating_sub(&Resources::new()));
        pods += p.max(0);
    }
    u64::from(fit_count(&free, &req.requests, pods))
}

fn empty(c: &ClusterSnapshot) -> ClusterSnapshot {
    ClusterSnapshot {
        pods: vec![],
        ..c.clone()
    }
}

proptest! {
    #[test]
    fn idle_never_exceeds_the_cluster_sum_bound((req, opts) in arb_req(), c in arb_cluster()) {
        let e = estimate(&req, &c, &opts);
        prop_assert!(u64::from(e.idle) <= cluster_sum_bound(&req, &c, &opts));
        prop_assert_eq!(e.idle == 0, e.idle_reason.is_some());
        prop_assert_eq!(e.preemptible == 0, e.preemptible_reason.is_some());
    }

    #[test]
    fn removing_pods_never_lowers_idle(
        (req, opts) in arb_req(),
        c in arb_cluster(),
        keep in prop::collection::vec(any::<bool>(), 40),
    ) {
        let before = estimate(&req, &c, &opts);
        let mut fewer = c.clone();
        let mut i = 0;
        fewer.pods.retain(|_| { i += 1; keep[i - 1] });
        let after = estimate(&req, &fewer, &opts);
        prop_assert!(after.idle >= before.idle, "{} < {}", after.idle, before.idle);
    }

    #[test]
    fn idle_plus_preemptible_never_exceeds_fit_on_empty_nodes(
        (req, opts) in arb_req(),
        c in arb_cluster(),
    ) {
        let e = estimate(&req, &c, &opts);
        let on_empty = estimate(&req, &empty(&c), &opts).idle;
        prop_assert!(e.idle.saturating_add(e.preemptible) <= on_empty,
            "{} + {} > {}", e.idle, e.preemptible, on_empty);
        if req.preemption_policy == Some(PreemptionPolicy::Never) {
            prop_assert_eq!(e.preemptible, 0);
        }
    }

    #[test]
    fn own_pods_only_add_room((req, opts) in arb_req(), c in arb_cluster()) {
        let none = EstimateOptions { own_pods: OwnPods::None, ..opts.clone() };
        prop_assert!(estimate(&req, &c, &opts).idle >= estimate(&req, &c, &none).idle);
    }
}
