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
