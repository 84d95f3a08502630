//! Estimator benchmark: one pod template against a synthetic cluster of N nodes × 30 pods
//! per node (mixed CPU/GPU nodes, taints, priorities, terminal pods). Run with
//! `cargo bench --bench estimator`.
//!
//! After criterion's wall-clock numbers it prints the on-CPU time per estimate (from
//! `/proc/thread-self/schedstat`), which stays meaningful on a machine shared with builds.

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, BenchmarkId, Criterion};
use kubectl_fleet::capacity::{
    estimate, ClusterSnapshot, EstimateOptions, NodePool, NodeSnapshot, PodPhase, PodRequirements,
    PodSnapshot, PriorityClassInfo, Resources, Taint, TaintEffect,
};

fn cluster(nodes: usize, pods_per_node: usize) -> ClusterSnapshot {
    let mut rng = fastrand::Rng::with_seed(42);
    let node_list: Vec<NodeSnapshot> = (0..nodes)
        .map(|i| {
            let gpu = i % 4 == 0;
            let mut n = NodeSnapshot::new(
                format!("node-{i:05}"),
                Resources::parse([
                    ("cpu", "64"),
                    ("memory", "256Gi"),
                    ("ephemeral-storage", "500Gi"),
                    ("nvidia.com/gpu", if gpu { "8" } else { "0" }),
                    ("pods", "110"),
                ])
                .unwrap(),
            );
            n.labels
                .insert("topology.kubernetes.io/zone".into(), format!("z{}", i % 3));
            if gpu {
                n.taints
                    .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
            }
            n.ready = i % 97 != 0;
            n
        })
        .collect();
    let mut pods = Vec::with_capacity(nodes * pods_per_node);
    for (i, node) in node_list.iter().enumerate() {
        for j in 0..pods_per_node {
            let gpu = i % 4 == 0 && j % 10 == 0;
            let mut requests = Resources::from_milli([
                ("cpu", rng.i64(50..1500)),
                ("memory", rng.i64(64..4096) * 1024 * 1024 * 1000),
            ]);
            if gpu {
                requests.set("nvidia.com/gpu", 1000);
            }
            pods.push(PodSnapshot {
                namespace: format!("ns-{}", j % 7),
                name: format!("pod-{i}-{j}"),
                node_name: Some(node.name.clone()),
                phase: if j % 13 == 0 {
                    PodPhase::Succeeded
                } else {
                    PodPhase::Running
                },
                requests: requests.into(),
                priority: if j % 3 == 0 { 100 } else { 1000 },
                labels: BTreeMap::from([("app".to_string(), format!("app-{}", j % 11))]).into(),
                owner: Some(format!("ReplicaSet/app-{}", j % 11)),
            });
        }
    }
    ClusterSnapshot {
        nodes: node_list,
        pods,
        priority_classes: vec![
            PriorityClassInfo::new("batch-low", 100),
            PriorityClassInfo::new("online-high", 100_000),
        ],
        pools: vec![NodePool {
            name: "gpu-elastic".into(),
            allocatable: Resources::parse([
                ("cpu", "8"),
                ("memory", "30Gi"),
                ("nvidia.com/gpu", "1"),
            ])
            .unwrap(),
            taints: vec![Taint::new("gpu", "true", TaintEffect::NoSchedule)],
            max_nodes: 10,
            current_nodes: 2,
            inventory: 4,
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn template() -> PodRequirements {
    let spec = serde_json::from_value(serde_json::json!({
        "priorityClassName": "online-high",
        "tolerations": [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}],
        "containers": [{"name": "vllm", "resources": {
            "requests": {"cpu": "4", "memory": "16Gi"},
            "limits": {"nvidia.com/gpu": "1"}
        }}]
    }))
    .unwrap();
    PodRequirements::from_pod_spec(&spec).unwrap()
}

fn bench_estimator(c: &mut Criterion) {
    let req = template();
    let opts = EstimateOptions::own_labels(
        "ns-1",
        BTreeMap::from([("app".to_string(), "app-3".to_string())]),
    );
    let mut group = c.benchmark_group("estimate");
    group.sample_size(20);
    for nodes in [500usize, 2_000, 5_000] {
        let snap = cluster(nodes, 30);
        let label = format!("{nodes}x{}", snap.pods.len());
        group.bench_with_input(BenchmarkId::from_parameter(label), &snap, |b, snap| {
            b.iter(|| estimate(black_box(&req), black_box(snap), black_box(&opts)))
        });
    }
    group.finish();
}

/// (on-CPU ns, run-queue wait ns) of this thread, when Linux exposes them.
fn schedstat() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    Some((it.next()??, it.next()??))
}

fn cpu_time_report() {
    let req = template();
    let opts = EstimateOptions::own_labels(
        "ns-1",
        BTreeMap::from([("app".to_string(), "app-3".to_string())]),
    );
    for (nodes, iters) in [(500usize, 200u32), (2_000, 50), (5_000, 20)] {
        let snap = cluster(nodes, 30);
        let e = estimate(&req, &snap, &opts);
        let (Some((cpu0, wait0)), t0) = (schedstat(), std::time::Instant::now()) else {
            return;
        };
        for _ in 0..iters {
            black_box(estimate(
                black_box(&req),
                black_box(&snap),
                black_box(&opts),
            ));
        }
        let wall = t0.elapsed().as_secs_f64() * 1e3 / f64::from(iters);
        let Some((cpu1, wait1)) = schedstat() else {
            return;
        };
        let per = |a: u64, b: u64| (b - a) as f64 / 1e6 / f64::from(iters);
        println!(
            "estimate {nodes}x{}: on-CPU {:.2} ms/iter, wall {wall:.2} ms/iter (waiting for a CPU {:.2} ms) \
             -> idle {} preemptible {} elastic {}",
            snap.pods.len(),
            per(cpu0, cpu1),
            per(wait0, wait1),
            e.idle,
            e.preemptible,
            e.elastic
        );
    }
}

criterion_group!(benches, bench_estimator);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench` passes --bench; `cargo test --benches` does not (keep that fast).
    if std::env::args().any(|a| a == "--bench") {
        cpu_time_report();
    }
}
