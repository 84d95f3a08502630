//! One test per rule of the division semantics (issue 3), named for the behaviour.

use super::*;
use crate::policy::{parse_documents, Document, PropagationPolicy};

fn policy(yaml: &str) -> PropagationPolicy {
    let docs = parse_documents(yaml, "test.yaml").expect("policy parses");
    docs.into_iter()
        .find_map(|d| match d {
            Document::Policy(p) => Some(*p),
            _ => None,
        })
        .expect("a policy")
}

const ACK_TWO_GROUPS: &str = r#"
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata:
  name: vllm-deploy-pp
  namespace: test
spec:
  autoScaling:
    ecsProvision: true
  placement:
    clusterAffinities:
      - affinityName: ack-region1
        clusterNames:
          - c1
          - c2
      - affinityName: ack-region2
        clusterNames:
          - c3
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
  preserveResourcesOnDeletion: false
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    namespace: test
  schedulerName: default-scheduler
"#;

fn idle(name: &str, n: u32) -> ClusterState {
    ClusterState::new(name, Tiers::new(n, 0, 0))
}

fn desired(plan: &PlacementPlan) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = plan
        .clusters
        .iter()
        .map(|c| (c.cluster.clone(), c.desired))
        .collect();
    v.sort();
    v
}

fn d(pairs: &[(&str, u32)]) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = pairs.iter().map(|(n, r)| (n.to_string(), *r)).collect();
    v.sort();
    v
}

/// Feed the plan back as the current state (replicas running where planned).
fn applied(input: &PlacementInput, plan: &PlacementPlan) -> Vec<ClusterState> {
    input
        .clusters
        .iter()
        .map(|c| ClusterState {
            current: plan.desired(&c.name),
            pending: 0,
            ..c.clone()
        })
        .collect()
}

#[test]
fn seed_a_fills_group_one_then_spills_to_group_two() {
    let p = policy(ACK_TWO_GROUPS);
    let input = PlacementInput::new(&p, 6, vec![idle("c1", 3), idle("c2", 1), idle("c3", 10)]);
    let plan = place(&input);
    assert_eq!(desired(&plan), d(&[("c1", 3), ("c2", 1), ("c3", 2)]));
    assert_eq!(plan.unplaced, 0);
    assert_eq!(plan.cluster("c3").unwrap().group, Some(1));
}

#[test]
fn seed_a_scale_in_empties_the_lowest_group_first() {
    let p = policy(ACK_TWO_GROUPS);
    let input = PlacementInput::new(&p, 6, vec![idle("c1", 3), idle("c2", 1), idle("c3", 10)]);
    let plan = place(&input);
    let scaled = PlacementInput::new(&p, 3, applied(&input, &plan));
    let plan = place(&scaled);
    assert_eq!(desired(&plan), d(&[("c1", 2), ("c2", 1), ("c3", 0)]));
    let scaled = PlacementInput::new(&p, 5, applied(&input, &plan));
    let plan5 = place(&scaled);
    assert_eq!(
        desired(&plan5),
        d(&[("c1", 3), ("c2", 1), ("c3", 1)]),
        "scale-in removed only from group 2"
    );
}

#[test]
fn seed_b_uses_elastic_tier_when_no_cluster_has_idle_gpus() {
    let p = policy(ACK_TWO_GROUPS);
    let clusters = vec![
        ClusterState::new("c1", Tiers::new(0, 0, 0)),
        ClusterState::new("c2", Tiers::new(0, 0, 8)),
        ClusterState::new("c3", Tiers::new(0, 0, 0)),
    ];
    let plan = place(&PlacementInput::new(&p, 4, clusters));
    assert_eq!(plan.desired("c2"), 4);
    assert_eq!(plan.cluster("c2").unwrap().tiers, Tiers::new(0, 0, 4));
    assert_eq!(plan.unplaced, 0);
}

#[test]
fn seed_c_preemptible_room_in_group_one_beats_elastic_and_group_two() {
    let p = policy(ACK_TWO_GROUPS);
    let clusters = vec![
        ClusterState::new("c1", Tiers::new(1, 2, 5)),
        ClusterState::new("c2", Tiers::new(0, 1, 5)),
        ClusterState::new("c3", Tiers::new(10, 0, 0)),
    ];
    let mut input = PlacementInput::new(&p, 4, clusters);
    input.tiers.preemptible = true;
    let plan = place(&input);
    assert_eq!(desired(&plan), d(&[("c1", 3), ("c2", 1), ("c3", 0)]));
    assert_eq!(plan.cluster("c1").unwrap().tiers, Tiers::new(1, 2, 0));
    assert_eq!(plan.cluster("c2").unwrap().tiers, Tiers::new(0, 1, 0));
}

fn karmada(placement: &str) -> PropagationPolicy {
    policy(&format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: p\nspec:\n  resourceSelectors:\n    - apiVersion: apps/v1\n      kind: Deployment\n  placement:\n{placement}"
    ))
}

fn ack(placement: &str) -> PropagationPolicy {
    policy(&format!(
        "apiVersion: policy.one.alibabacloud.com/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: p\nspec:\n  autoScaling:\n    ecsProvision: true\n  resourceSelectors:\n    - apiVersion: apps/v1\n      kind: Deployment\n  placement:\n{placement}"
    ))
}

const DYNAMIC: &str = "    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        dynamicWeight: AvailableReplicas\n";

#[test]
fn dynamic_weight_splits_in_proportion_to_room_and_never_above_it() {
    let p = karmada(DYNAMIC);
    let plan = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("a", 6), idle("b", 3), idle("c", 0)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 4), ("b", 2), ("c", 0)]));
    let plan = place(&PlacementInput::new(
        &p,
        20,
        vec![idle("a", 6), idle("b", 3)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 6), ("b", 3)]));
    assert_eq!(plan.unplaced, 11);
    assert!(
        plan.unplaced_reason.as_deref().unwrap().contains("full"),
        "{:?}",
        plan.unplaced_reason
    );
}

#[test]
fn static_weights_split_by_weight_with_webster() {
    let p = karmada(
        "    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Weighted\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [a]\n            weight: 1\n          - targetCluster:\n              clusterNames: [b]\n            weight: 2\n",
    );
    let plan = place(&PlacementInput::new(
        &p,
        9,
        vec![idle("a", 100), idle("b", 100), idle("c", 100)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 6), ("c", 0)]));
    assert!(plan
        .cluster("c")
        .unwrap()
        .reason
        .contains("static weight 0"));
}

#[test]
fn static_weight_is_the_maximum_over_matching_rules() {
    let p = karmada(
        "    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [a, b]\n            weight: 1\n          - targetCluster:\n              clusterNames: [b]\n            weight: 3\n",
    );
    let plan = place(&PlacementInput::new(
        &p,
        8,
        vec![idle("a", 100), idle("b", 100)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 6)]));
}

#[test]
fn static_weights_capped_by_capacity_overflow_to_the_others_and_say_so() {
    let p = karmada(
        "    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [a]\n            weight: 3\n          - targetCluster:\n              clusterNames: [b, c]\n            weight: 1\n",
    );
    let plan = place(&PlacementInput::new(
        &p,
        10,
        vec![idle("a", 2), idle("b", 100), idle("c", 100)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 4), ("c", 4)]));
    assert!(
        plan.explanation
            .iter()
            .any(|l| l.contains("capped by capacity") && l.contains("a (weight share")),
        "{:#?}",
        plan.explanation
    );
}

#[test]
fn weighted_without_weight_preference_uses_equal_weights() {
    let p = karmada("    replicaScheduling:\n      replicaSchedulingType: Divided\n");
    let plan = place(&PlacementInput::new(
        &p,
        7,
        vec![idle("a", 100), idle("b", 100), idle("c", 1)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 3), ("c", 1)]));
}

const AGGREGATED: &str = "    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Aggregated\n";

/// A cluster with `free` room left (Karmada's AllocatableReplicas) that runs `current`.
fn free(name: &str, free: u32, current: u32) -> ClusterState {
    idle(name, free + current).with_current(current, 0)
}

/// One Aggregated case from Karmada's division tests (`Test_dynamicDivideReplicas`,
/// `Test_dynamicScaleUp`, `Test_dynamicScaleDown`, `Test_assignByDynamicStrategy`, where the
/// expected numbers come from), run against both API groups (ACK One follows Karmada here).
struct AggregatedCase {
    what: &'static str,
    replicas: u32,
    clusters: Vec<ClusterState>,
    want: &'static [(&'static str, u32)],
    unplaced: u32,
}

fn check_aggregated(cases: Vec<AggregatedCase>) {
    for flavor in [karmada(AGGREGATED), ack(AGGREGATED)] {
        for c in &cases {
            let plan = place(&PlacementInput::new(
                &flavor,
                c.replicas,
                c.clusters.clone(),
            ));
            let got: Vec<(String, u32)> =
                desired(&plan).into_iter().filter(|(_, r)| *r > 0).collect();
            assert_eq!(
                got,
                d(c.want),
                "{:?}: {}\n{:#?}",
                flavor.flavor,
                c.what,
                plan.explanation
            );
            assert_eq!(plan.unplaced, c.unplaced, "{:?}: {}", flavor.flavor, c.what);
        }
    }
}

#[test]
fn aggregated_first_schedule_takes_the_fewest_clusters_by_room_and_divides_by_room() {
    check_aggregated(vec![
        AggregatedCase {
            what: "replica 12, aggregated 6:8:10 (two largest cover 12; split 10:8)",
            replicas: 12,
            clusters: vec![free("m1", 6, 0), free("m2", 8, 0), free("m3", 10, 0)],
            want: &[("m2", 5), ("m3", 7)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12, aggregated 12:8:10 (the largest alone covers 12)",
            replicas: 12,
            clusters: vec![free("m1", 12, 0), free("m2", 8, 0), free("m3", 10, 0)],
            want: &[("m1", 12)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12, aggregated 12:6:6",
            replicas: 12,
            clusters: vec![free("m1", 6, 0), free("m2", 12, 0), free("m3", 6, 0)],
            want: &[("m2", 12)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12, aggregated 6:6:6 (ties by name)",
            replicas: 12,
            clusters: vec![free("m1", 6, 0), free("m2", 6, 0), free("m3", 6, 0)],
            want: &[("m1", 6), ("m2", 6)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 7, aggregated 3:5:4 (divided 4:3, not filled to the brim)",
            replicas: 7,
            clusters: vec![free("a", 3, 0), free("b", 5, 0), free("c", 4, 0)],
            want: &[("b", 4), ("c", 3)],
            unplaced: 0,
        },
    ]);
}

#[test]
fn aggregated_scale_up_puts_holders_first_and_divides_the_difference_by_room() {
    check_aggregated(vec![
        AggregatedCase {
            what: "replica 12 -> 24, aggregated 4:6:8 (holders cover 10 of 12: all three, by room)",
            replicas: 24,
            clusters: vec![free("m1", 4, 4), free("m2", 6, 8), free("m3", 8, 0)],
            want: &[("m1", 7), ("m2", 12), ("m3", 5)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12 -> 24, aggregated 6:6:20 (holders cover 12: the bigger new cluster is not used)",
            replicas: 24,
            clusters: vec![free("m1", 6, 4), free("m2", 6, 8), free("m3", 20, 0)],
            want: &[("m1", 10), ("m2", 14)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12 -> 24, aggregated 4:8:12 with m2 gone and m4 new (m2's 8 are placed again)",
            replicas: 24,
            clusters: vec![
                free("m1", 4, 4),
                ClusterState {
                    removed: true,
                    ..free("m2", 0, 8)
                },
                free("m3", 8, 0),
                free("m4", 12, 0),
            ],
            want: &[("m1", 7), ("m3", 7), ("m4", 10)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 2 -> 5, a holder with room 6 keeps everything (stickiness)",
            replicas: 5,
            clusters: vec![free("a", 4, 2), free("b", 10, 0)],
            want: &[("a", 5)],
            unplaced: 0,
        },
    ]);
}

#[test]
fn aggregated_scale_down_keeps_the_fewest_largest_holders_in_proportion() {
    check_aggregated(vec![
        AggregatedCase {
            what: "replica 12 -> 6, aggregated 1:1:1 (m2 alone covers 6)",
            replicas: 6,
            clusters: vec![free("m1", 1, 4), free("m2", 1, 8), free("m3", 1, 0)],
            want: &[("m2", 6)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12 -> 8, aggregated 100:100 (m2 alone covers 8)",
            replicas: 8,
            clusters: vec![free("m1", 100, 4), free("m2", 100, 8)],
            want: &[("m2", 8)],
            unplaced: 0,
        },
        AggregatedCase {
            what: "replica 12 -> 10 (both needed: split 8:4 of 10)",
            replicas: 10,
            clusters: vec![free("m1", 100, 4), free("m2", 100, 8)],
            want: &[("m1", 3), ("m2", 7)],
            unplaced: 0,
        },
    ]);
}

#[test]
fn aggregated_without_enough_room_places_what_fits_and_reports_the_rest_unplaced() {
    // Karmada refuses the whole binding (UnschedulableError); kubectl-fleet places what fits
    // and reports the rest, as for every other strategy.
    check_aggregated(vec![
        AggregatedCase {
            what: "replica 12, aggregated 3:3:3",
            replicas: 12,
            clusters: vec![free("m1", 3, 0), free("m2", 3, 0), free("m3", 3, 0)],
            want: &[("m1", 3), ("m2", 3), ("m3", 3)],
            unplaced: 3,
        },
        AggregatedCase {
            what: "replica 12 -> 24, aggregated 1:1:1",
            replicas: 24,
            clusters: vec![free("m1", 1, 4), free("m2", 1, 8), free("m3", 1, 0)],
            want: &[("m1", 5), ("m2", 9), ("m3", 1)],
            unplaced: 9,
        },
    ]);
}

#[test]
fn duplicated_gives_every_cluster_of_the_first_fitting_group_all_replicas() {
    let p = ack(
        "    clusterAffinities:\n      - affinityName: g1\n        clusterNames: [a, b]\n      - affinityName: g2\n        clusterNames: [c]\n    replicaScheduling:\n      replicaSchedulingType: Duplicated\n",
    );
    let plan = place(&PlacementInput::new(
        &p,
        3,
        vec![idle("a", 5), idle("b", 1), idle("c", 9)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 3), ("c", 0)]));
    assert_eq!(plan.cluster("b").unwrap().shortfall, 2);
    assert_eq!(plan.unplaced, 2);
    assert!(plan
        .unplaced_reason
        .as_deref()
        .unwrap()
        .contains("b (needs 3, room 1)"));
}

#[test]
fn missing_replica_scheduling_means_duplicated() {
    let p = karmada("    clusterAffinity:\n      clusterNames: [a, b]\n");
    let plan = place(&PlacementInput::new(
        &p,
        2,
        vec![idle("a", 5), idle("b", 5), idle("c", 5)],
    ));
    assert_eq!(plan.strategy, Strategy::Duplicated);
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 2), ("c", 0)]));
}

#[test]
fn scale_up_keeps_running_replicas_and_places_only_the_difference() {
    let p = karmada(DYNAMIC);
    // b now has far more room, but a's 3 running replicas stay.
    let clusters = vec![idle("a", 3).with_current(3, 0), idle("b", 30)];
    let plan = place(&PlacementInput::new(&p, 5, clusters));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 2)]));
    assert_eq!(plan.moves, 0);
}

#[test]
fn pending_replicas_are_re_placed_where_there_is_room() {
    let p = karmada(DYNAMIC);
    let clusters = vec![idle("a", 1).with_current(3, 2), idle("b", 10)];
    let plan = place(&PlacementInput::new(&p, 3, clusters));
    assert_eq!(plan.desired("a"), 1);
    assert_eq!(plan.desired("b"), 2);
    assert!(plan.explanation.iter().any(|l| l.contains("2 Pending")));
}

#[test]
fn scale_in_removes_elastic_replicas_first_within_a_group() {
    let p = karmada(DYNAMIC);
    let mut a = idle("a", 4).with_current(4, 0);
    a.current_elastic = 0;
    let mut b = idle("b", 4).with_current(4, 0);
    b.current_elastic = 3;
    let plan = place(&PlacementInput::new(&p, 5, vec![a, b]));
    assert_eq!(desired(&plan), d(&[("a", 4), ("b", 1)]));
}

#[test]
fn scale_in_within_a_group_is_proportional_to_current_replicas() {
    let p = karmada(DYNAMIC);
    let plan = place(&PlacementInput::new(
        &p,
        4,
        vec![
            idle("a", 9).with_current(6, 0),
            idle("b", 9).with_current(2, 0),
        ],
    ));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 1)]));
}

#[test]
fn cordoned_cluster_keeps_its_replicas_but_gets_no_new_ones() {
    let p = karmada(DYNAMIC);
    let mut a = idle("a", 10).with_current(2, 0);
    a.cordoned = true;
    let plan = place(&PlacementInput::new(&p, 6, vec![a, idle("b", 10)]));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 4)]));
    assert!(plan.cluster("a").unwrap().reason.contains("cordoned"));
}

#[test]
fn unreachable_cluster_replicas_are_kept_in_plan_mode_and_failed_over_in_rebalance() {
    let p = karmada(DYNAMIC);
    let mut a = idle("a", 10).with_current(3, 0);
    a.reachable = false;
    let clusters = vec![a, idle("b", 10).with_current(1, 0)];
    let plan = place(&PlacementInput::new(&p, 6, clusters.clone()));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 3)]));
    let re =
        place(&PlacementInput::new(&p, 6, clusters).with_mode(Mode::Rebalance { max_moves: None }));
    assert_eq!(desired(&re), d(&[("a", 0), ("b", 6)]));
    assert!(re.cluster("a").unwrap().reason.contains("failover"));
}

#[test]
fn removed_and_draining_clusters_have_their_replicas_re_placed() {
    let p = karmada(DYNAMIC);
    let mut a = idle("a", 10).with_current(2, 0);
    a.removed = true;
    let mut b = idle("b", 10).with_current(2, 0);
    b.draining = true;
    let plan = place(&PlacementInput::new(&p, 4, vec![a, b, idle("c", 10)]));
    assert_eq!(desired(&plan), d(&[("a", 0), ("b", 0), ("c", 4)]));
    assert_eq!(plan.moves, 4);
}

#[test]
fn untolerated_cluster_taint_blocks_new_replicas_and_toleration_allows_them() {
    use crate::policy::{ClusterTaint, TaintEffect};
    let taint = ClusterTaint {
        key: "gpu".into(),
        value: "true".into(),
        effect: TaintEffect::NoSchedule,
    };
    let mut a = idle("a", 10);
    a.taints.push(taint);
    let p = karmada(DYNAMIC);
    let plan = place(&PlacementInput::new(&p, 4, vec![a.clone(), idle("b", 10)]));
    assert_eq!(plan.desired("a"), 0);
    assert!(plan
        .cluster("a")
        .unwrap()
        .reason
        .contains("untolerated taint gpu=true:NoSchedule"));
    let p = karmada(&format!(
        "    clusterTolerations:\n      - key: gpu\n        operator: Exists\n{DYNAMIC}"
    ));
    let plan = place(&PlacementInput::new(&p, 4, vec![a, idle("b", 10)]));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 2)]));
}

#[test]
fn rebalance_moves_replicas_back_to_the_first_group_when_room_returns() {
    let p = policy(ACK_TWO_GROUPS);
    let clusters = vec![
        idle("c1", 5).with_current(1, 0),
        idle("c2", 1).with_current(1, 0),
        idle("c3", 10).with_current(4, 0),
    ];
    let plan = place(&PlacementInput::new(&p, 6, clusters.clone()));
    assert_eq!(
        desired(&plan),
        d(&[("c1", 1), ("c2", 1), ("c3", 4)]),
        "plan mode is stable"
    );
    let re = place(
        &PlacementInput::new(&p, 6, clusters.clone())
            .with_mode(Mode::Rebalance { max_moves: None }),
    );
    assert_eq!(desired(&re), d(&[("c1", 5), ("c2", 1), ("c3", 0)]));
    assert_eq!(re.moves, 4);
    let limited = place(
        &PlacementInput::new(&p, 6, clusters).with_mode(Mode::Rebalance { max_moves: Some(1) }),
    );
    assert_eq!(desired(&limited), d(&[("c1", 2), ("c2", 1), ("c3", 3)]));
    assert_eq!(limited.moves, 1);
    assert_eq!(limited.deferred_moves, 3);
}

#[test]
fn karmada_cluster_affinities_are_exclusive_failover_not_overflow() {
    let p = karmada(&format!(
        "    clusterAffinities:\n      - affinityName: primary\n        clusterNames: [c1, c2]\n      - affinityName: backup\n        clusterNames: [c3]\n{DYNAMIC}"
    ));
    // Same numbers as seed (a): ACK One would split 3/1/2; Karmada moves everything to backup.
    let plan = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("c1", 3), idle("c2", 1), idle("c3", 10)],
    ));
    assert_eq!(desired(&plan), d(&[("c1", 0), ("c2", 0), ("c3", 6)]));
    assert_eq!(plan.affinity_name.as_deref(), Some("backup"));
    // When the primary can hold it all, it is used.
    let plan = place(&PlacementInput::new(
        &p,
        4,
        vec![idle("c1", 3), idle("c2", 1), idle("c3", 10)],
    ));
    assert_eq!(desired(&plan), d(&[("c1", 3), ("c2", 1), ("c3", 0)]));
}

#[test]
fn karmada_failover_stays_in_the_current_group_while_it_fits() {
    let p = karmada(&format!(
        "    clusterAffinities:\n      - affinityName: primary\n        clusterNames: [c1]\n      - affinityName: backup\n        clusterNames: [c3]\n{DYNAMIC}"
    ));
    let clusters = vec![idle("c1", 10), idle("c3", 10).with_current(4, 0)];
    let plan = place(&PlacementInput::new(&p, 5, clusters.clone()));
    assert_eq!(desired(&plan), d(&[("c1", 0), ("c3", 5)]));
    let re =
        place(&PlacementInput::new(&p, 5, clusters).with_mode(Mode::Rebalance { max_moves: None }));
    assert_eq!(
        desired(&re),
        d(&[("c1", 5), ("c3", 0)]),
        "rebalance returns to the first group"
    );
}

#[test]
fn karmada_failover_with_no_group_large_enough_uses_first_with_room_and_reports_unplaced() {
    let p = karmada(&format!(
        "    clusterAffinities:\n      - affinityName: primary\n        clusterNames: [c1]\n      - affinityName: backup\n        clusterNames: [c3]\n{DYNAMIC}"
    ));
    let plan = place(&PlacementInput::new(
        &p,
        8,
        vec![idle("c1", 0), idle("c3", 5)],
    ));
    assert_eq!(desired(&plan), d(&[("c1", 0), ("c3", 5)]));
    assert_eq!(plan.unplaced, 3);
    assert_eq!(plan.affinity_name.as_deref(), Some("backup"));
}

#[test]
fn karmada_overflow_affinities_fill_and_spill_inside_a_term() {
    let p = karmada(&format!(
        "    clusterAffinities:\n      - affinityName: onprem\n        clusterNames: [idc]\n        overflowAffinities:\n          - clusterNames: [cloud]\n{DYNAMIC}"
    ));
    let plan = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("idc", 4), idle("cloud", 10)],
    ));
    assert_eq!(desired(&plan), d(&[("idc", 4), ("cloud", 2)]));
    assert_eq!(
        plan.cluster("cloud").unwrap().group_name.as_deref(),
        Some("onprem/overflow[0]")
    );
}

#[test]
fn disabled_tiers_are_not_used_and_the_reason_says_how_to_enable_them() {
    let p = karmada(DYNAMIC);
    let plan = place(&PlacementInput::new(
        &p,
        4,
        vec![ClusterState::new("a", Tiers::new(1, 2, 5))],
    ));
    assert_eq!(plan.desired("a"), 1);
    assert_eq!(plan.unplaced, 3);
    let r = plan.unplaced_reason.unwrap();
    assert!(
        r.contains("ecsProvision") && r.contains("priorityClassName"),
        "{r}"
    );
}

#[test]
fn spread_constraint_max_groups_by_cluster_narrows_the_cluster_set() {
    let p = karmada(&format!(
        "    spreadConstraints:\n      - spreadByField: cluster\n        maxGroups: 2\n        minGroups: 1\n{DYNAMIC}"
    ));
    let plan = place(&PlacementInput::new(
        &p,
        9,
        vec![idle("a", 3), idle("b", 10), idle("c", 8)],
    ));
    assert_eq!(plan.desired("a"), 0);
    assert!(plan
        .cluster("a")
        .unwrap()
        .reason
        .contains("spreadConstraints"));
    assert_eq!(plan.desired("b") + plan.desired("c"), 9);
}

#[test]
fn spread_constraint_max_groups_by_region_keeps_the_best_region() {
    let p = karmada(&format!(
        "    spreadConstraints:\n      - spreadByField: cluster\n        maxGroups: 10\n      - spreadByField: region\n        maxGroups: 1\n{DYNAMIC}"
    ));
    let r = "topology.kubernetes.io/region";
    let clusters = vec![
        idle("a", 3).with_label(r, "eu"),
        idle("b", 4).with_label(r, "eu"),
        idle("c", 5).with_label(r, "us"),
    ];
    let plan = place(&PlacementInput::new(&p, 6, clusters));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 3), ("c", 0)]));
}

#[test]
fn zero_replicas_place_nothing() {
    let p = policy(ACK_TWO_GROUPS);
    let plan = place(&PlacementInput::new(
        &p,
        0,
        vec![
            idle("c1", 3),
            idle("c2", 1).with_current(1, 0),
            idle("c3", 10),
        ],
    ));
    assert_eq!(plan.placed, 0);
    assert_eq!(plan.unplaced, 0);
}

#[test]
fn plan_rows_are_sorted_by_group_then_name_whatever_the_input_order() {
    let p = policy(ACK_TWO_GROUPS);
    let a = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("c3", 10), idle("c1", 3), idle("x", 9), idle("c2", 1)],
    ));
    let b = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("c2", 1), idle("x", 9), idle("c3", 10), idle("c1", 3)],
    ));
    assert_eq!(a, b);
    let names: Vec<&str> = a.clusters.iter().map(|c| c.cluster.as_str()).collect();
    assert_eq!(names, vec!["c1", "c2", "c3", "x"]);
    assert_eq!(a.cluster("x").unwrap().group, None);
}

#[test]
fn plan_serializes_as_camel_case_json() {
    let p = policy(ACK_TWO_GROUPS);
    let plan = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("c1", 3), idle("c2", 1), idle("c3", 10)],
    ));
    let v = serde_json::to_value(&plan).unwrap();
    assert_eq!(v["clusters"][0]["cluster"], "c1");
    assert_eq!(v["clusters"][2]["groupName"], "ack-region2");
    assert_eq!(v["clusters"][0]["tiers"]["idle"], 3);
    assert!(v.get("unplacedReason").is_none());
    assert!(v["explanation"].as_array().unwrap().len() >= 2);
}

mod invariants {
    use crate::policy::{
        ClusterAffinity, ClusterAffinityTerm, ClusterField, DivisionPreference, DynamicWeight,
        Placement, ReplicaScheduling, SchedulingType, SpreadConstraint, StaticWeight,
        WeightPreference,
    };
    use crate::schedule::{
        place, ClusterState, EnabledTiers, Flavor, Mode, PlacementInput, PlacementPlan, Tiers,
    };
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    struct Case {
        groups: usize,
        kind: u8,
        clusters: Vec<(usize, Tiers, u32, u32, u32, bool, bool)>,
        replicas: u32,
        weights: Vec<u64>,
        preemptible: bool,
        elastic: bool,
    }

    fn case(
        with_current: bool,
        with_flags: bool,
    ) -> impl proptest::strategy::Strategy<Value = Case> {
        (
            1usize..4,
            0u8..4,
            1usize..8,
            0u32..60,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_flat_map(move |(groups, kind, n, replicas, preemptible, elastic)| {
                let cluster = (
                    0..groups,
                    (0u32..8, 0u32..8, 0u32..8).prop_map(|(a, b, c)| Tiers::new(a, b, c)),
                    if with_current {
                        (0u32..8).boxed()
                    } else {
                        Just(0u32).boxed()
                    },
                    0u32..3,
                    0u32..4,
                    if with_flags {
                        prop::bool::weighted(0.2).boxed()
                    } else {
                        Just(false).boxed()
                    },
                    if with_flags {
                        prop::bool::weighted(0.2).boxed()
                    } else {
                        Just(false).boxed()
                    },
                );
                (
                    prop::collection::vec(cluster, n),
                    prop::collection::vec(1u64..5, n),
                )
                    .prop_map(move |(clusters, weights)| Case {
                        groups,
                        kind,
                        clusters,
                        replicas,
                        weights,
                        preemptible,
                        elastic,
                    })
            })
    }

    fn build(c: &Case, mode: Mode) -> PlacementInput {
        let names: Vec<String> = (0..c.clusters.len()).map(|i| format!("m{i:02}")).collect();
        let terms = (0..c.groups)
            .map(|g| ClusterAffinityTerm {
                affinity_name: format!("g{g}"),
                affinity: ClusterAffinity {
                    // an empty clusterNames list would match everything; use a non-member instead
                    cluster_names: {
                        let mut v: Vec<String> = c
                            .clusters
                            .iter()
                            .enumerate()
                            .filter(|(_, cl)| cl.0 == g)
                            .map(|(i, _)| names[i].clone())
                            .collect();
                        if v.is_empty() {
                            v.push("nobody".into());
                        }
                        v
                    },
                    ..Default::default()
                },
                overflow_affinities: vec![],
            })
            .collect();
        let (pref, weight_preference) = match c.kind {
            0 => (
                DivisionPreference::Weighted,
                Some(WeightPreference {
                    dynamic_weight: Some(DynamicWeight::AvailableReplicas),
                    ..Default::default()
                }),
            ),
            1 => (DivisionPreference::Aggregated, None),
            2 => (DivisionPreference::Weighted, None),
            _ => (
                DivisionPreference::Weighted,
                Some(WeightPreference {
                    static_weight_list: names
                        .iter()
                        .zip(&c.weights)
                        .map(|(n, w)| StaticWeight {
                            target_cluster: ClusterAffinity {
                                cluster_names: vec![n.clone()],
                                ..Default::default()
                            },
                            weight: *w,
                        })
                        .collect(),
                    dynamic_weight: None,
                }),
            ),
        };
        let placement = Placement {
            cluster_affinities: terms,
            replica_scheduling: ReplicaScheduling {
                replica_scheduling_type: SchedulingType::Divided,
                replica_division_preference: pref,
                weight_preference,
            },
            ..Default::default()
        };
        let clusters = c
            .clusters
            .iter()
            .enumerate()
            .map(
                |(i, (_, cap, cur, pend, el, cordoned, unreachable))| ClusterState {
                    name: names[i].clone(),
                    capacity: *cap,
                    current: *cur,
                    pending: (*pend).min(*cur),
                    current_elastic: (*el).min(*cur),
                    cordoned: *cordoned,
                    reachable: !*unreachable,
                    ..Default::default()
                },
            )
            .collect();
        PlacementInput {
            flavor: Flavor::AckOne,
            placement,
            replicas: c.replicas,
            clusters,
            mode,
            tiers: EnabledTiers {
                preemptible: c.preemptible,
                elastic: c.elastic,
            },
        }
    }

    fn eff_total(input: &PlacementInput, c: &ClusterState) -> u32 {
        c.capacity.idle
            + if input.tiers.preemptible {
                c.capacity.preemptible
            } else {
                0
            }
            + if input.tiers.elastic {
                c.capacity.elastic
            } else {
                0
            }
    }

    fn can_add(c: &ClusterState) -> bool {
        c.reachable && !c.cordoned && !c.draining && !c.removed && c.taints.is_empty()
    }

    /// group k+1 has replicas only if every cluster of groups <= k that can take replicas is full.
    fn check_fill_order(input: &PlacementInput, plan: &PlacementPlan) -> Result<(), TestCaseError> {
        for row in &plan.clusters {
            let Some(g) = row.group else { continue };
            if row.desired == 0 {
                continue;
            }
            for other in plan
                .clusters
                .iter()
                .filter(|o| o.group.is_some_and(|og| og < g))
            {
                let st = input
                    .clusters
                    .iter()
                    .find(|c| c.name == other.cluster)
                    .unwrap();
                if can_add(st) {
                    prop_assert!(
                        other.desired >= eff_total(input, st),
                        "{} (group {}) has {} while {} (group {:?}) is not full: {} < {}",
                        row.cluster,
                        g,
                        row.desired,
                        other.cluster,
                        other.group,
                        other.desired,
                        eff_total(input, st)
                    );
                }
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn placed_plus_unplaced_is_r_and_no_cluster_exceeds_its_capacity(c in case(true, true), rebalance in any::<bool>()) {
            let mode = if rebalance { Mode::Rebalance { max_moves: None } } else { Mode::Plan };
            let input = build(&c, mode);
            let plan = place(&input);
            prop_assert_eq!(plan.placed + plan.unplaced, c.replicas);
            prop_assert_eq!(plan.clusters.iter().map(|r| r.desired).sum::<u32>(), plan.placed);
            for row in &plan.clusters {
                let st = input.clusters.iter().find(|s| s.name == row.cluster).unwrap();
                prop_assert!(row.desired <= eff_total(&input, st).max(st.running()), "{} over capacity", row.cluster);
                if row.desired > st.running() {
                    prop_assert!(can_add(st), "{} got new replicas but cannot take any", row.cluster);
                }
            }
        }

        #[test]
        fn fresh_placement_uses_group_k_plus_1_only_when_group_k_is_full(c in case(false, true)) {
            let input = build(&c, Mode::Plan);
            check_fill_order(&input, &place(&input))?;
        }

        #[test]
        fn rebalance_restores_fill_order(c in case(true, false)) {
            let input = build(&c, Mode::Rebalance { max_moves: None });
            check_fill_order(&input, &place(&input))?;
        }

        #[test]
        fn scale_in_never_touches_group_k_while_group_k_plus_1_has_replicas(c in case(true, false)) {
            let mut input = build(&c, Mode::Plan);
            for cl in &mut input.clusters { cl.pending = 0; }
            let running: u32 = input.clusters.iter().map(|c| c.current).sum();
            prop_assume!(running > 0);
            input.replicas = c.replicas % running;
            let plan = place(&input);
            let group_of = |name: &str| plan.cluster(name).and_then(|r| r.group);
            for cl in &input.clusters {
                let row = plan.cluster(&cl.name).unwrap();
                if row.desired < cl.current {
                    let g = group_of(&cl.name).unwrap();
                    for later in plan.clusters.iter().filter(|r| r.group.is_some_and(|lg| lg > g)) {
                        prop_assert_eq!(later.desired, 0, "removed from {} (group {}) while {} (group {:?}) keeps replicas", cl.name, g, later.cluster, later.group);
                    }
                }
            }
        }

        #[test]
        fn output_is_deterministic_and_independent_of_cluster_order(c in case(true, true), rebalance in any::<bool>(), seed in any::<u64>()) {
            let mode = if rebalance { Mode::Rebalance { max_moves: Some(3) } } else { Mode::Plan };
            let input = build(&c, mode);
            let plan = place(&input);
            prop_assert_eq!(&plan, &place(&input));
            let mut shuffled = input.clone();
            let mut rng = fastrand::Rng::with_seed(seed);
            rng.shuffle(&mut shuffled.clusters);
            prop_assert_eq!(&plan, &place(&shuffled));
        }

        /// spreadConstraints (cluster and region maxGroups/minGroups) never break the
        /// invariants, never use more groups than maxGroups, and stay order independent.
        #[test]
        fn spread_constraints_cap_groups_and_keep_invariants(
            c in case(true, true),
            rebalance in any::<bool>(),
            regions in 1usize..4,
            max_clusters in 0u32..5,
            region_max in 0u32..3,
            region_min in 0u32..3,
            seed in any::<u64>(),
        ) {
            let mode = if rebalance { Mode::Rebalance { max_moves: None } } else { Mode::Plan };
            let mut input = build(&c, mode);
            for (i, cl) in input.clusters.iter_mut().enumerate() {
                cl.labels.insert("topology.kubernetes.io/region".into(), format!("r{}", i % regions));
            }
            let region_min = if region_max > 0 { region_min.min(region_max) } else { region_min };
            input.placement.spread_constraints = vec![
                SpreadConstraint { spread_by_field: Some(ClusterField::Cluster), spread_by_label: None, max_groups: max_clusters, min_groups: 1 },
                SpreadConstraint { spread_by_field: Some(ClusterField::Region), spread_by_label: None, max_groups: region_max, min_groups: region_min },
            ];
            let plan = place(&input);
            prop_assert_eq!(plan.placed + plan.unplaced, c.replicas);
            let static_list = c.kind == 3;
            if !static_list {
                let used: Vec<&str> = plan.clusters.iter().filter(|r| r.desired > 0).map(|r| r.cluster.as_str()).collect();
                if max_clusters > 0 {
                    prop_assert!(used.len() <= max_clusters as usize, "{:?} > maxGroups {}", used, max_clusters);
                }
                if region_max > 0 {
                    let mut rs: Vec<&String> = used.iter().map(|n| &input.clusters.iter().find(|c| c.name == *n).unwrap().labels["topology.kubernetes.io/region"]).collect();
                    rs.sort();
                    rs.dedup();
                    prop_assert!(rs.len() <= region_max as usize, "regions {:?} > maxGroups {}", rs, region_max);
                }
                for row in &plan.clusters {
                    let st = input.clusters.iter().find(|s| s.name == row.cluster).unwrap();
                    if row.desired > st.running() {
                        prop_assert!(can_add(st), "{} got new replicas but cannot take any", row.cluster);
                    }
                }
            }
            let mut shuffled = input.clone();
            fastrand::Rng::with_seed(seed).shuffle(&mut shuffled.clusters);
            prop_assert_eq!(&plan, &place(&shuffled));
        }
    }
}

#[test]
fn scale_up_fills_group_one_first_even_when_group_two_already_holds_replicas() {
    let p = policy(ACK_TWO_GROUPS);
    let clusters = vec![
        idle("c1", 4).with_current(1, 0),
        idle("c2", 1),
        idle("c3", 10).with_current(2, 0),
    ];
    let plan = place(&PlacementInput::new(&p, 7, clusters));
    assert_eq!(desired(&plan), d(&[("c1", 4), ("c2", 1), ("c3", 2)]));
    assert_eq!(plan.moves, 0, "plan mode does not move running replicas");
}

#[test]
fn ack_one_overflow_affinities_become_further_priority_groups() {
    let p = ack(&format!(
        "    clusterAffinities:\n      - affinityName: a\n        clusterNames: [c1]\n        overflowAffinities:\n          - clusterNames: [c2]\n      - affinityName: b\n        clusterNames: [c3]\n{DYNAMIC}"
    ));
    let plan = place(&PlacementInput::new(
        &p,
        6,
        vec![idle("c1", 2), idle("c2", 2), idle("c3", 10)],
    ));
    assert_eq!(desired(&plan), d(&[("c1", 2), ("c2", 2), ("c3", 2)]));
    let names: Vec<&str> = plan.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, vec!["a", "a/overflow[0]", "b"]);
}

#[test]
fn static_weights_stay_exact_across_scale_up_thanks_to_webster() {
    let p = karmada(
        "    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [a]\n            weight: 3\n          - targetCluster:\n              clusterNames: [b]\n            weight: 2\n          - targetCluster:\n              clusterNames: [c]\n            weight: 1\n",
    );
    let base = vec![idle("a", 100), idle("b", 100), idle("c", 100)];
    let mut input = PlacementInput::new(&p, 3, base);
    for r in 3..=12 {
        input.replicas = r;
        let plan = place(&input);
        let fresh = crate::schedule::apportion::webster(r, &[3, 2, 1], None);
        assert_eq!(
            [plan.desired("a"), plan.desired("b"), plan.desired("c")].to_vec(),
            fresh,
            "R={r}"
        );
        input.clusters = applied(&input, &plan);
    }
}

#[test]
fn tiers_report_where_each_desired_replica_comes_from() {
    let p = policy(ACK_TWO_GROUPS);
    let mut input = PlacementInput::new(
        &p,
        5,
        vec![
            ClusterState::new("c1", Tiers::new(1, 1, 5)),
            idle("c2", 0),
            idle("c3", 0),
        ],
    );
    input.tiers.preemptible = true;
    let plan = place(&input);
    let c1 = plan.cluster("c1").unwrap();
    assert_eq!(c1.tiers, Tiers::new(1, 1, 3));
    assert_eq!(c1.capacity, Tiers::new(1, 1, 5));
    assert!(
        c1.reason.contains("+5 (idle 1, preemptible 1, elastic 3)"),
        "{}",
        c1.reason
    );
}

#[test]
fn explanation_names_the_semantics_the_groups_and_the_tiers_used() {
    let p = policy(ACK_TWO_GROUPS);
    let plan = place(&PlacementInput::new(
        &p,
        12,
        vec![
            ClusterState::new("c1", Tiers::new(3, 0, 2)),
            idle("c2", 1),
            idle("c3", 4),
        ],
    ));
    let text = plan.explanation.join("\n");
    println!("{}", serde_json::to_string_pretty(&plan).unwrap());
    assert!(text.contains("fill-and-spill"), "{text}");
    assert!(
        text.contains("Group 1 \"ack-region1\": +4 idle, +2 elastic."),
        "{text}"
    );
    assert!(text.contains("Group 2 \"ack-region2\": +4 idle."), "{text}");
    assert!(text.contains("2 replicas unplaced"), "{text}");
}

// ---- spreadConstraints (Karmada semantics where they narrow the cluster set) ----

const REGION: &str = "topology.kubernetes.io/region";
const ZONE: &str = "topology.kubernetes.io/zone";
const PROVIDER: &str = "fleet.kubectl.dev/provider";

fn spread(constraints: &str) -> PropagationPolicy {
    karmada(&format!("    spreadConstraints:\n{constraints}{DYNAMIC}"))
}

#[test]
fn spread_by_provider_keeps_the_provider_with_most_room() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 10}\n      - {spreadByField: provider, maxGroups: 1}\n");
    let clusters = vec![
        idle("a", 4).with_label(PROVIDER, "aws"),
        idle("b", 4).with_label(PROVIDER, "aws"),
        idle("c", 6).with_label(PROVIDER, "alibaba"),
    ];
    let plan = place(&PlacementInput::new(&p, 5, clusters));
    assert_eq!(desired(&plan), d(&[("a", 3), ("b", 2), ("c", 0)]));
    let c = plan.cluster("c").unwrap();
    assert!(
        c.reason
            .contains("not selected by spreadConstraints[1] (maxGroups 1 by provider)"),
        "{}",
        c.reason
    );
    assert!(
        plan.explanation
            .iter()
            .any(|l| l.contains("1 of 2 provider groups kept (maxGroups 1): aws")),
        "{:?}",
        plan.explanation
    );
}

#[test]
fn spread_by_zone_leaves_out_clusters_without_a_zone() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 10}\n      - {spreadByField: zone, maxGroups: 2}\n");
    let clusters = vec![
        idle("a", 2).with_label(ZONE, "z1"),
        idle("b", 2).with_label(ZONE, "z2"),
        idle("nozone", 50),
    ];
    let plan = place(&PlacementInput::new(&p, 6, clusters));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 2), ("nozone", 0)]));
    assert_eq!(plan.unplaced, 2);
    let r = &plan.cluster("nozone").unwrap().reason;
    assert!(
        r.contains("no zone value (spreadConstraints[1] spreads by zone)"),
        "{r}"
    );
}

#[test]
fn spread_by_label_groups_clusters_by_the_label_value() {
    let p = spread("      - {spreadByLabel: example.com/rack, maxGroups: 1}\n");
    let rack = "example.com/rack";
    let clusters = vec![
        idle("a", 3).with_label(rack, "r1"),
        idle("b", 3).with_label(rack, "r1"),
        idle("c", 5).with_label(rack, "r2"),
        idle("unlabelled", 100),
    ];
    let plan = place(&PlacementInput::new(&p, 4, clusters));
    // r1 holds 6, r2 holds 5: r1 is kept; clusters without the label are left out.
    assert_eq!(
        desired(&plan),
        d(&[("a", 2), ("b", 2), ("c", 0), ("unlabelled", 0)])
    );
    assert!(plan
        .cluster("c")
        .unwrap()
        .reason
        .contains("maxGroups 1 by label example.com/rack"));
    assert!(plan
        .cluster("unlabelled")
        .unwrap()
        .reason
        .contains("no label example.com/rack value"));
}

#[test]
fn spread_by_label_is_no_longer_a_parse_warning() {
    let p = spread("      - {spreadByLabel: example.com/rack, maxGroups: 1}\n");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn spread_max_groups_ties_go_to_the_group_name() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 2}\n");
    let plan = place(&PlacementInput::new(
        &p,
        4,
        vec![idle("c", 5), idle("b", 5), idle("a", 5)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 2), ("c", 0)]));
}

#[test]
fn spread_max_groups_keeps_groups_that_already_run_replicas() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 1}\n");
    // b has less room but runs the workload: scaling up does not move it to a.
    let plan = place(&PlacementInput::new(
        &p,
        3,
        vec![idle("a", 10), idle("b", 4).with_current(2, 0)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 0), ("b", 3)]));
    assert_eq!(plan.moves, 0);
}

#[test]
fn spread_cluster_max_groups_takes_one_cluster_per_region_first() {
    // Region minGroups 2: the two roomiest clusters are both in eu, but one us cluster is
    // taken before the second eu one (Karmada: the best cluster of each chosen region first).
    let p = spread("      - {spreadByField: cluster, maxGroups: 2}\n      - {spreadByField: region, maxGroups: 2, minGroups: 2}\n");
    let clusters = vec![
        idle("eu1", 9).with_label(REGION, "eu"),
        idle("eu2", 8).with_label(REGION, "eu"),
        idle("us1", 3).with_label(REGION, "us"),
    ];
    let plan = place(&PlacementInput::new(&p, 6, clusters));
    assert_eq!(plan.desired("eu2"), 0);
    assert!(
        plan.desired("eu1") > 0 && plan.desired("us1") > 0,
        "{:?}",
        desired(&plan)
    );
    assert_eq!(plan.unplaced, 0);
}

#[test]
fn spread_min_groups_not_met_schedules_nothing_and_says_why() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 3}\n      - {spreadByField: region, maxGroups: 3, minGroups: 2}\n");
    let clusters = vec![
        idle("eu1", 9).with_label(REGION, "eu"),
        idle("eu2", 8).with_label(REGION, "eu"),
        idle("us1", 0).with_label(REGION, "us"),
    ];
    let plan = place(&PlacementInput::new(&p, 6, clusters));
    assert_eq!(plan.placed, 0);
    assert_eq!(plan.unplaced, 6);
    let r = plan.unplaced_reason.as_deref().unwrap();
    assert!(
        r.contains("spreadConstraints[1] needs at least 2 region groups (minGroups), only 1 can run replicas (eu)"),
        "{r}"
    );
    assert!(plan
        .cluster("eu1")
        .unwrap()
        .reason
        .contains("spreadConstraints minGroups not met"));
}

#[test]
fn spread_min_groups_not_met_keeps_running_replicas_but_adds_none() {
    let p = spread("      - {spreadByField: cluster, maxGroups: 4, minGroups: 3}\n");
    let plan = place(&PlacementInput::new(
        &p,
        5,
        vec![idle("a", 9).with_current(2, 0), idle("b", 9), idle("c", 0)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 0), ("c", 0)]));
    assert_eq!(plan.unplaced, 3);
    assert!(plan.unplaced_reason.unwrap().contains("minGroups"));
}

#[test]
fn karmada_failover_skips_a_term_whose_spread_min_groups_cannot_be_met() {
    let p = karmada(&format!(
        "    clusterAffinities:\n      - affinityName: one-region\n        clusterNames: [a, b]\n      - affinityName: two-regions\n        clusterNames: [c, d]\n    spreadConstraints:\n      - {{spreadByField: cluster, maxGroups: 4}}\n      - {{spreadByField: region, maxGroups: 2, minGroups: 2}}\n{DYNAMIC}"
    ));
    let clusters = vec![
        idle("a", 9).with_label(REGION, "eu"),
        idle("b", 9).with_label(REGION, "eu"),
        idle("c", 3).with_label(REGION, "eu"),
        idle("d", 3).with_label(REGION, "us"),
    ];
    let plan = place(&PlacementInput::new(&p, 4, clusters));
    assert_eq!(plan.affinity_name.as_deref(), Some("two-regions"));
    assert_eq!(desired(&plan), d(&[("a", 0), ("b", 0), ("c", 2), ("d", 2)]));
    let text = plan.explanation.join("\n");
    assert!(
        text.contains("\"one-region\" spreadConstraints minGroups not met"),
        "{text}"
    );
}

#[test]
fn spread_constraints_are_ignored_with_a_static_weight_list() {
    let p = karmada(
        "    spreadConstraints:\n      - {spreadByField: cluster, maxGroups: 1}\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [a]\n            weight: 1\n          - targetCluster:\n              clusterNames: [b]\n            weight: 1\n",
    );
    let plan = place(&PlacementInput::new(
        &p,
        4,
        vec![idle("a", 9), idle("b", 9)],
    ));
    assert_eq!(desired(&plan), d(&[("a", 2), ("b", 2)]));
    assert!(plan
        .explanation
        .iter()
        .any(|l| l.contains("spreadConstraints are ignored with a staticWeightList")));
}

#[test]
fn duplicated_spread_max_groups_keeps_the_clusters_with_most_room() {
    let p = karmada("    spreadConstraints:\n      - {spreadByField: cluster, maxGroups: 2}\n");
    let plan = place(&PlacementInput::new(
        &p,
        3,
        vec![idle("a", 3), idle("b", 9), idle("c", 5)],
    ));
    assert_eq!(plan.strategy, Strategy::Duplicated);
    assert_eq!(desired(&plan), d(&[("a", 0), ("b", 3), ("c", 3)]));
}

mod aggregated_props {
    use super::*;
    use proptest::prelude::*;

    /// Fewest k such that the k largest values cover `target` (all non-zero values when
    /// they do not).
    fn fewest_covering(mut values: Vec<u32>, target: u32) -> usize {
        values.retain(|&v| v > 0);
        values.sort_unstable_by(|a, b| b.cmp(a));
        let mut sum = 0u32;
        for (k, v) in values.iter().enumerate() {
            if sum >= target {
                return k;
            }
            sum += v;
        }
        values.len()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Karmada's Aggregated, for both API groups: a first placement uses the fewest
        /// clusters whose room covers R and divides R by their room; a scale-up moves nothing and opens a cluster without
        /// replicas only when the holders' room does not cover the difference; a scale-down
        /// adds nothing anywhere and keeps the fewest clusters (largest holders) that cover R.
        #[test]
        fn aggregated_uses_the_fewest_clusters_and_never_moves_running_replicas(
            spec in prop::collection::vec((0u32..20, 0u32..10), 1..8),
            replicas in 0u32..120,
            ack_one in any::<bool>(),
        ) {
            let p = if ack_one { ack(AGGREGATED) } else { karmada(AGGREGATED) };
            let clusters: Vec<ClusterState> = spec
                .iter()
                .enumerate()
                .map(|(i, &(room, cur))| free(&format!("m{i}"), room, cur))
                .collect();
            let plan = place(&PlacementInput::new(&p, replicas, clusters.clone()));
            let running: u32 = spec.iter().map(|s| s.1).sum();
            let got = |c: &ClusterState| plan.desired(&c.name);
            let used = clusters.iter().filter(|c| got(c) > 0).count();
            for c in &clusters {
                prop_assert!(got(c) <= c.capacity.idle, "{} above its capacity", c.name);
            }
            if running == 0 {
                let rooms: Vec<u32> = spec.iter().map(|s| s.0).collect();
                prop_assert_eq!(used, fewest_covering(rooms, replicas));
                // Divided by room among the chosen clusters (Webster's pairwise condition),
                // not filled one by one to the brim.
                let chosen: Vec<(u64, u64)> = clusters
                    .iter()
                    .filter(|c| got(c) > 0)
                    .map(|c| (u64::from(got(c)), u64::from(c.capacity.idle)))
                    .collect();
                for &(si, wi) in &chosen {
                    for &(sj, wj) in &chosen {
                        prop_assert!((2 * si - 1) * wj <= (2 * sj + 1) * wi, "{:?} not divided by room", chosen);
                    }
                }
            } else if replicas >= running {
                let holders_room: u32 = spec.iter().filter(|s| s.1 > 0).map(|s| s.0).sum();
                for c in &clusters {
                    prop_assert!(got(c) >= c.current, "{} lost running replicas on scale-up", c.name);
                    if c.current == 0 && got(c) > 0 {
                        prop_assert!(holders_room < replicas - running, "{} opened while holders had room", c.name);
                    }
                }
            } else {
                let currents: Vec<u32> = spec.iter().map(|s| s.1).collect();
                for c in &clusters {
                    prop_assert!(got(c) <= c.current, "{} gained on scale-down", c.name);
                }
                prop_assert_eq!(used, fewest_covering(currents, replicas));
            }
            prop_assert_eq!(plan.placed + plan.unplaced, replicas);
        }
    }
}
