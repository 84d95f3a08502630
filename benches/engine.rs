//! Placement-engine benchmark: `schedule::place` on N clusters in 10 priority groups with R
//! replicas (1,000 × 10,000 and the 1/10th size 100 × 1,000 to show growth), for ACK One
//! fill-and-spill groups (fresh, scale-in, rebalance), Karmada exclusive failover over 10
//! terms, static weights, Aggregated, and Karmada spreadConstraints (region + cluster).
//! Run with `cargo bench --bench engine`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kubectl_fleet::policy::{
    ClusterAffinity, ClusterAffinityTerm, ClusterField, DivisionPreference, DynamicWeight,
    EnabledTiers, Flavor, Placement, ReplicaScheduling, SchedulingType, SpreadConstraint,
    StaticWeight, WeightPreference,
};
use kubectl_fleet::schedule::{place, ClusterState, Mode, PlacementInput, Tiers};

const GROUPS: usize = 10;

fn placement(
    clusters: usize,
    pref: DivisionPreference,
    weights: Option<WeightPreference>,
) -> Placement {
    let per = clusters / GROUPS;
    Placement {
        cluster_affinities: (0..GROUPS)
            .map(|g| ClusterAffinityTerm {
                affinity_name: format!("g{g}"),
                affinity: ClusterAffinity {
                    cluster_names: (g * per..(g + 1) * per)
                        .map(|i| format!("member-{i:04}"))
                        .collect(),
                    ..Default::default()
                },
                overflow_affinities: vec![],
            })
            .collect(),
        replica_scheduling: ReplicaScheduling {
            replica_scheduling_type: SchedulingType::Divided,
            replica_division_preference: pref,
            weight_preference: weights,
        },
        ..Default::default()
    }
}

fn dynamic() -> Option<WeightPreference> {
    Some(WeightPreference {
        dynamic_weight: Some(DynamicWeight::AvailableReplicas),
        ..Default::default()
    })
}

fn clusters(n: usize, replicas: u32, current: bool) -> Vec<ClusterState> {
    let mut rng = fastrand::Rng::with_seed(7);
    // Capacity sized so that R needs roughly the first 6-7 groups.
    let mean = (replicas as usize * 3 / 2 / n).max(1) as u32;
    let mut v: Vec<ClusterState> = (0..n)
        .map(|i| {
            let cap = Tiers::new(
                rng.u32(0..mean),
                rng.u32(0..mean / 2 + 1),
                rng.u32(0..mean / 2 + 1),
            );
            ClusterState::new(format!("member-{i:04}"), cap)
        })
        .collect();
    if current {
        // Spread the current replicas over the last groups so scale-in and rebalance have work.
        let mut left = replicas;
        for c in v.iter_mut().rev() {
            let take = c.capacity.total().min(left);
            c.current = take;
            c.current_elastic = take / 3;
            left -= take;
        }
    }
    v.reverse();
    v
}

fn input(
    n: usize,
    replicas: u32,
    flavor: Flavor,
    pl: Placement,
    current: bool,
    mode: Mode,
) -> PlacementInput {
    PlacementInput {
        flavor,
        placement: pl,
        replicas,
        clusters: clusters(n, replicas, current),
        mode,
        tiers: EnabledTiers {
            preemptible: true,
            elastic: true,
        },
    }
}

/// Karmada Divided/dynamic over the whole fleet with spreadConstraints: clusters labelled
/// with 20 regions; at most 5 regions (at least 2) and N/5 clusters.
fn spread_input(n: usize, replicas: u32) -> PlacementInput {
    let mut inp = input(
        n,
        replicas,
        Flavor::Karmada,
        Placement {
            replica_scheduling: ReplicaScheduling {
                replica_scheduling_type: SchedulingType::Divided,
                replica_division_preference: DivisionPreference::Weighted,
                weight_preference: dynamic(),
            },
            spread_constraints: vec![
                SpreadConstraint {
                    spread_by_field: Some(ClusterField::Cluster),
                    spread_by_label: None,
                    max_groups: (n / 5) as u32,
                    min_groups: 1,
                },
                SpreadConstraint {
                    spread_by_field: Some(ClusterField::Region),
                    spread_by_label: None,
                    max_groups: 5,
                    min_groups: 2,
                },
            ],
            ..Default::default()
        },
        false,
        Mode::Plan,
    );
    for (i, c) in inp.clusters.iter_mut().enumerate() {
        c.labels.insert(
            "topology.kubernetes.io/region".into(),
            format!("region-{}", i % 20),
        );
    }
    inp
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    for (n, r) in [(100usize, 1_000u32), (1_000, 10_000)] {
        let static_w = Some(WeightPreference {
            static_weight_list: (0..n)
                .map(|i| StaticWeight {
                    target_cluster: ClusterAffinity {
                        cluster_names: vec![format!("member-{i:04}")],
                        ..Default::default()
                    },
                    weight: (i % 5 + 1) as u64,
                })
                .collect(),
            dynamic_weight: None,
        });
        let cases = [
            (
                "ack_dynamic_fresh",
                input(
                    n,
                    r,
                    Flavor::AckOne,
                    placement(n, DivisionPreference::Weighted, dynamic()),
                    false,
                    Mode::Plan,
                ),
            ),
            (
                "ack_dynamic_scale_in",
                input(
                    n,
                    r / 2,
                    Flavor::AckOne,
                    placement(n, DivisionPreference::Weighted, dynamic()),
                    true,
                    Mode::Plan,
                ),
            ),
            (
                "ack_dynamic_rebalance",
                input(
                    n,
                    r,
                    Flavor::AckOne,
                    placement(n, DivisionPreference::Weighted, dynamic()),
                    true,
                    Mode::Rebalance {
                        max_moves: Some(100),
                    },
                ),
            ),
            (
                "ack_static_fresh",
                input(
                    n,
                    r,
                    Flavor::AckOne,
                    placement(n, DivisionPreference::Weighted, static_w),
                    false,
                    Mode::Plan,
                ),
            ),
            (
                "ack_aggregated_fresh",
                input(
                    n,
                    r,
                    Flavor::AckOne,
                    placement(n, DivisionPreference::Aggregated, None),
                    false,
                    Mode::Plan,
                ),
            ),
            ("karmada_spread_region_cluster", spread_input(n, r)),
            (
                "karmada_failover_fresh",
                input(
                    n,
                    r,
                    Flavor::Karmada,
                    placement(n, DivisionPreference::Weighted, dynamic()),
                    false,
                    Mode::Plan,
                ),
            ),
        ];
        for (name, inp) in cases {
            let plan = place(&inp);
            assert_eq!(plan.placed + plan.unplaced, inp.replicas);
            g.bench_with_input(
                BenchmarkId::new(name, format!("{n}x{r}")),
                &inp,
                |b, inp| b.iter(|| place(black_box(inp))),
            );
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
