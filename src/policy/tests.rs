//! Parsing, validation and selection, named for the behaviour.

use super::*;
use k8s_openapi::api::apps::v1::Deployment;

/// seeds/001: the ACK One priority-group policy, verbatim apart from the cluster ids.
pub(crate) const SEED_001_POLICY: &str = r#"apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata:
  name: vllm-deploy-pp
  namespace: test
spec:
  autoScaling:
# Enable inventory-aware scheduling
    ecsProvision: true
  placement:
# Configure cluster priority groups
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

/// seeds/004: the qwen3-8b Deployment and the inventory-aware policy.
pub(crate) const SEED_004: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: qwen3-8b
  name: qwen3-8b
  namespace: default
spec:
  replicas: 4
  selector:
    matchLabels:
      app: qwen3-8b
  template:
    metadata:
      labels:
        app: qwen3-8b
    spec:
      volumes:
        - name: qwen3-8b
          persistentVolumeClaim:
            claimName: qwen3-8b
        - name: dshm
          emptyDir:
            medium: Memory
            sizeLimit: 20Gi
      containers:
        - command:
            - sh
            - -c
            - vllm serve /models/qwen3-8b --port 8000 --trust-remote-code --served-model-name qwen3-8b --tensor-parallel=1 --max-model-len 8192 --gpu-memory-utilization 0.95 --enforce-eager
          image: kube-ai-registry.cn-shanghai.cr.aliyuncs.com/kube-ai/vllm-openai:v0.9.1
          name: vllm
          ports:
            - containerPort: 8000
          readinessProbe:
            tcpSocket:
              port: 8000
            initialDelaySeconds: 30
            periodSeconds: 30
          resources:
            limits:
              nvidia.com/gpu: "1"
          volumeMounts:
            - mountPath: /models/qwen3-8b
              name: qwen3-8b
            - mountPath: /dev/shm
              name: dshm
---
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata:
  name: demo-policy
spec:
  # Enables inventory-aware elastic scheduling
  autoScaling:
    ecsProvision: true
  preserveResourcesOnDeletion: false
  conflictResolution: Overwrite
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      name: qwen3-8b
      namespace: default
  placement:
    replicaScheduling:
      replicaSchedulingType: Divided
      weightPreference:
        dynamicWeight: AvailableReplicas
    clusterAffinity:
      clusterNames:
        - cluster1
        - cluster2
"#;

fn policies(docs: &[Document]) -> Vec<PropagationPolicy> {
    docs.iter()
        .filter_map(|d| match d {
            Document::Policy(p) => Some((**p).clone()),
            _ => None,
        })
        .collect()
}

fn deployments(docs: &[Document]) -> Vec<Deployment> {
    docs.iter()
        .filter_map(|d| match d {
            Document::Deployment(p) => Some((**p).clone()),
            _ => None,
        })
        .collect()
}

fn parse_err(yaml: &str) -> String {
    parse_documents(yaml, "policy.yaml")
        .expect_err("should fail")
        .to_string()
}

#[test]
fn seed_001_ack_one_policy_parses_unchanged() {
    let docs = parse_documents(SEED_001_POLICY, "seed.yaml").unwrap();
    let p = &policies(&docs)[0];
    assert_eq!(p.flavor, Flavor::AckOne);
    assert_eq!(p.name, "vllm-deploy-pp");
    assert_eq!(p.namespace.as_deref(), Some("test"));
    assert!(p.elastic_enabled());
    let pl = &p.spec.placement;
    assert_eq!(pl.cluster_affinities.len(), 2);
    assert_eq!(pl.cluster_affinities[0].affinity_name, "ack-region1");
    assert_eq!(
        pl.cluster_affinities[0].affinity.cluster_names,
        vec!["c1", "c2"]
    );
    assert_eq!(pl.replica_scheduling.strategy(), Strategy::DynamicWeight);
    assert_eq!(p.spec.scheduler_name, "default-scheduler");
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn seed_004_deployment_and_policy_parse_from_one_file() {
    let docs = parse_documents(SEED_004, "qwen.yaml").unwrap();
    let d = &deployments(&docs)[0];
    assert_eq!(d.metadata.name.as_deref(), Some("qwen3-8b"));
    assert_eq!(deployment_replicas(d), 4);
    let p = &policies(&docs)[0];
    assert_eq!(p.spec.conflict_resolution, ConflictResolution::Overwrite);
    assert_eq!(
        p.spec
            .placement
            .replica_scheduling
            .replica_division_preference,
        DivisionPreference::Weighted
    );
    assert_eq!(
        p.spec.placement.replica_scheduling.strategy(),
        Strategy::DynamicWeight
    );
    assert_eq!(
        select_policy(std::slice::from_ref(p), d).map(|p| p.name.as_str()),
        Some("demo-policy")
    );
    let tiers = EnabledTiers::for_workload(p, d);
    assert!(tiers.elastic);
    assert!(
        !tiers.preemptible,
        "no priorityClassName on the qwen3-8b template"
    );
}

fn with_placement(placement: &str) -> String {
    format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata:\n  name: p\nspec:\n  resourceSelectors:\n    - apiVersion: apps/v1\n      kind: Deployment\n  placement:\n{placement}"
    )
}

#[test]
fn unknown_enum_value_names_the_field_and_the_choices() {
    let e = parse_err(&with_placement(
        "    replicaScheduling:\n      replicaSchedulingType: Foo\n",
    ));
    assert_eq!(
        e,
        "policy.yaml: spec.placement.replicaScheduling.replicaSchedulingType: unknown value \"Foo\", expected Duplicated or Divided"
    );
}

#[test]
fn cluster_that_is_not_a_member_is_an_error_with_its_path() {
    let yaml = with_placement(
        "    clusterAffinities:\n      - affinityName: a\n        clusterNames: [c1]\n      - affinityName: b\n        clusterNames: [x]\n",
    );
    let p = policies(&parse_documents(&yaml, "policy.yaml").unwrap()).remove(0);
    let e = p
        .validate(&[MemberInfo::new("c1"), MemberInfo::new("c2")])
        .unwrap_err()
        .to_string();
    assert_eq!(e, "policy.yaml: spec.placement.clusterAffinities[1].clusterNames[0]: cluster \"x\" is not a fleet member");
}

#[test]
fn negative_weight_is_rejected() {
    let e = parse_err(&with_placement(
        "    replicaScheduling:\n      replicaSchedulingType: Divided\n      weightPreference:\n        staticWeightList:\n          - targetCluster:\n              clusterNames: [c1]\n            weight: -1\n",
    ));
    assert_eq!(e, "policy.yaml: spec.placement.replicaScheduling.weightPreference.staticWeightList[0].weight: must be >= 0, got -1");
}

#[test]
fn negative_deployment_replicas_are_rejected() {
    let e = parse_err("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: -2\n  selector: {}\n  template: {}\n");
    assert_eq!(e, "policy.yaml: spec.replicas: must be >= 0, got -2");
}

#[test]
fn wrong_type_names_the_field() {
    let e = parse_err(&with_placement(
        "    clusterAffinity:\n      clusterNames: c1\n",
    ));
    assert_eq!(
        e,
        "policy.yaml: spec.placement.clusterAffinity.clusterNames: expected a list, got a string"
    );
}

#[test]
fn unknown_fields_are_warnings_not_errors() {
    let yaml =
        with_placement("    clusterAffinity:\n      clusterNames: [c1]\n      futureField: 1\n");
    let p = policies(&parse_documents(&yaml, "policy.yaml").unwrap()).remove(0);
    assert_eq!(p.warnings.len(), 1);
    assert_eq!(
        p.warnings[0].to_string(),
        "policy.yaml: spec.placement.clusterAffinity.futureField: unknown field, ignored"
    );
}
