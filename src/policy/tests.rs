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

#[test]
fn non_deployment_kinds_are_skipped_with_a_warning() {
    let docs = parse_documents(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n---\n",
        "x.yaml",
    )
    .unwrap();
    assert_eq!(docs.len(), 1);
    assert!(docs[0].warnings()[0]
        .message
        .starts_with("skipped ConfigMap \"cm\""));
}

#[test]
fn invalid_yaml_is_a_one_line_error() {
    let e = parse_documents("a: [1, 2\nb: {", "bad.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("bad.yaml: invalid YAML: "), "{e}");
    assert!(!e.contains('\n'));
}

#[test]
fn karmada_and_ack_one_api_groups_set_the_flavor() {
    let k = with_placement("    clusterAffinity:\n      clusterNames: [a]\n");
    let p = policies(&parse_documents(&k, "k.yaml").unwrap()).remove(0);
    assert_eq!(p.flavor, Flavor::Karmada);
    let a = k.replace("policy.karmada.io", "policy.one.alibabacloud.com");
    let p = policies(&parse_documents(&a, "a.yaml").unwrap()).remove(0);
    assert_eq!(p.flavor, Flavor::AckOne);
    let c = k.replace("kind: PropagationPolicy", "kind: ClusterPropagationPolicy");
    let p = policies(&parse_documents(&c, "c.yaml").unwrap()).remove(0);
    assert!(p.cluster_scoped);
}

#[test]
fn every_supported_field_is_read() {
    let yaml = r#"apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: full, namespace: prod}
spec:
  priority: 7
  preemption: Always
  conflictResolution: Overwrite
  preserveResourcesOnDeletion: true
  schedulerName: fleet
  resourceSelectors:
    - apiVersion: apps/v1
      kind: Deployment
      labelSelector:
        matchLabels: {app: web}
        matchExpressions:
          - {key: tier, operator: In, values: [front]}
  placement:
    clusterAffinities:
      - affinityName: local
        labelSelector:
          matchLabels: {site: idc}
        fieldSelector:
          matchExpressions:
            - {key: region, operator: In, values: [cn-hangzhou]}
        exclude: [old]
        overflowAffinities:
          - clusterNames: [cloud1]
    clusterTolerations:
      - {key: gpu, operator: Equal, value: "true", effect: NoSchedule, tolerationSeconds: 30}
    spreadConstraints:
      - {spreadByField: cluster, maxGroups: 3, minGroups: 1}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Aggregated
"#;
    let p = policies(&parse_documents(yaml, "full.yaml").unwrap()).remove(0);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(p.spec.priority, 7);
    assert_eq!(p.spec.preemption, Preemption::Always);
    assert!(p.spec.preserve_resources_on_deletion);
    assert_eq!(p.spec.scheduler_name, "fleet");
    let t = &p.spec.placement.cluster_affinities[0];
    assert_eq!(t.affinity.exclude, vec!["old"]);
    assert_eq!(
        t.affinity
            .field_selector
            .as_ref()
            .unwrap()
            .match_expressions[0]
            .key,
        ClusterField::Region
    );
    assert_eq!(t.overflow_affinities[0].cluster_names, vec!["cloud1"]);
    assert_eq!(
        p.spec.placement.cluster_tolerations[0].effect,
        Some(TaintEffect::NoSchedule)
    );
    assert_eq!(p.spec.placement.spread_constraints[0].max_groups, 3);
    assert_eq!(
        p.spec.placement.replica_scheduling.strategy(),
        Strategy::Aggregated
    );
    let mut labels = BTreeMap::new();
    labels.insert("site".to_string(), "idc".to_string());
    labels.insert(
        "topology.kubernetes.io/region".to_string(),
        "cn-hangzhou".to_string(),
    );
    assert!(t.affinity.matches("idc-1", &labels));
    assert!(!t.affinity.matches("old", &labels));
}

#[test]
fn overflow_affinities_require_dynamic_weight_or_aggregated() {
    let e = parse_err(&with_placement(
        "    clusterAffinities:\n      - affinityName: a\n        clusterNames: [c1]\n        overflowAffinities:\n          - clusterNames: [c2]\n    replicaScheduling:\n      replicaSchedulingType: Duplicated\n",
    ));
    assert!(
        e.starts_with("policy.yaml: spec.placement.clusterAffinities: overflowAffinities require"),
        "{e}"
    );
}

#[test]
fn spread_constraints_are_validated() {
    let e = parse_err(&with_placement("    spreadConstraints:\n      - spreadByField: region\n        maxGroups: 1\n        minGroups: 2\n"));
    assert_eq!(e, "policy.yaml: spec.placement.spreadConstraints[0].minGroups: must not exceed maxGroups (2 > 1)");
    let e = parse_err(&with_placement(
        "    spreadConstraints:\n      - spreadByField: region\n        maxGroups: 2\n",
    ));
    assert!(
        e.contains("requires a spreadByField: cluster constraint"),
        "{e}"
    );
}

fn deployment(ns: &str, name: &str, labels: &[(&str, &str)]) -> Deployment {
    let mut d = Deployment::default();
    d.metadata.name = Some(name.into());
    d.metadata.namespace = Some(ns.into());
    d.metadata.labels = Some(
        labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    d
}

fn pp(
    name: &str,
    ns: Option<&str>,
    selector: &str,
    priority: i32,
    cluster: bool,
) -> PropagationPolicy {
    let kind = if cluster {
        "ClusterPropagationPolicy"
    } else {
        "PropagationPolicy"
    };
    let ns = ns
        .map(|n| format!("\n  namespace: {n}"))
        .unwrap_or_default();
    let yaml = format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}{ns}\nspec:\n  priority: {priority}\n  resourceSelectors:\n    - apiVersion: apps/v1\n      kind: Deployment\n{selector}"
    );
    policies(&parse_documents(&yaml, "p.yaml").unwrap()).remove(0)
}

#[test]
fn selection_prefers_name_over_label_selector_over_kind_only() {
    let d = deployment("web", "api", &[("app", "api")]);
    let ps = vec![
        pp("a-kind", Some("web"), "", 0, false),
        pp(
            "b-label",
            Some("web"),
            "      labelSelector:\n        matchLabels: {app: api}\n",
            0,
            false,
        ),
        pp("c-name", Some("web"), "      name: api\n", 0, false),
    ];
    assert_eq!(select_policy(&ps, &d).unwrap().name, "c-name");
    assert_eq!(select_policy(&ps[..2], &d).unwrap().name, "b-label");
    assert_eq!(select_policy(&ps[..1], &d).unwrap().name, "a-kind");
}

#[test]
fn selection_higher_explicit_priority_wins_then_name() {
    let d = deployment("web", "api", &[]);
    let ps = vec![
        pp("z", Some("web"), "", 5, false),
        pp("a", Some("web"), "      name: api\n", 1, false),
    ];
    assert_eq!(select_policy(&ps, &d).unwrap().name, "z");
    let ps = vec![
        pp("b", Some("web"), "", 0, false),
        pp("a", Some("web"), "", 0, false),
    ];
    assert_eq!(select_policy(&ps, &d).unwrap().name, "a");
}

#[test]
fn cluster_policy_applies_only_when_no_namespaced_policy_matches() {
    let d = deployment("web", "api", &[]);
    let ps = vec![
        pp("cpp", None, "      name: api\n", 100, true),
        pp("pp", Some("web"), "", 0, false),
    ];
    assert_eq!(select_policy(&ps, &d).unwrap().name, "pp");
    let other = deployment("shop", "api", &[]);
    assert_eq!(
        select_policy(&ps, &other).unwrap().name,
        "cpp",
        "namespaced policies only select their namespace"
    );
    let ps = vec![pp("pp", Some("web"), "      namespace: other\n", 0, false)];
    assert!(select_policy(&ps, &d).is_none());
}

#[test]
fn validate_warns_about_excludes_and_empty_groups() {
    let yaml = with_placement("    clusterAffinity:\n      labelSelector:\n        matchLabels: {site: mars}\n      exclude: [ghost]\n");
    let p = policies(&parse_documents(&yaml, "policy.yaml").unwrap()).remove(0);
    let w = p.validate(&[MemberInfo::new("c1")]).unwrap();
    let msgs: Vec<String> = w.iter().map(|w| w.to_string()).collect();
    assert!(msgs.contains(&"policy.yaml: spec.placement.clusterAffinity.exclude[0]: cluster \"ghost\" is not a fleet member".to_string()), "{msgs:?}");
    assert!(
        msgs.contains(
            &"policy.yaml: spec.placement.clusterAffinity: matches no fleet member".to_string()
        ),
        "{msgs:?}"
    );
}

#[test]
fn priority_class_on_template_enables_the_preemptible_tier() {
    let docs = parse_documents(SEED_004, "qwen.yaml").unwrap();
    let mut d = deployments(&docs).remove(0);
    let p = policies(&docs).remove(0);
    d.spec.template.spec.as_mut().unwrap().priority_class_name = Some("inference-high".into());
    assert!(EnabledTiers::for_workload(&p, &d).preemptible);
    d.spec.template.spec.as_mut().unwrap().preemption_policy = Some("Never".into());
    assert!(!EnabledTiers::for_workload(&p, &d).preemptible);
}

mod never_panics {
    use super::{SEED_001_POLICY, SEED_004};
    use crate::policy::parse_documents;
    use proptest::prelude::*;
    use serde_json::Value;

    const KEYS: &[&str] = &[
        "apiVersion",
        "kind",
        "metadata",
        "name",
        "namespace",
        "spec",
        "replicas",
        "resourceSelectors",
        "placement",
        "clusterAffinity",
        "clusterAffinities",
        "affinityName",
        "clusterNames",
        "exclude",
        "labelSelector",
        "matchLabels",
        "matchExpressions",
        "key",
        "operator",
        "values",
        "fieldSelector",
        "overflowAffinities",
        "replicaScheduling",
        "replicaSchedulingType",
        "replicaDivisionPreference",
        "weightPreference",
        "staticWeightList",
        "targetCluster",
        "weight",
        "dynamicWeight",
        "clusterTolerations",
        "spreadConstraints",
        "spreadByField",
        "maxGroups",
        "minGroups",
        "autoScaling",
        "ecsProvision",
        "priority",
        "preemption",
        "conflictResolution",
        "template",
        "selector",
    ];

    fn value() -> impl proptest::strategy::Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e12f64..1e12).prop_map(Value::from),
            prop::sample::select(vec![
                "Divided",
                "Duplicated",
                "Weighted",
                "Aggregated",
                "AvailableReplicas",
                "In",
                "region",
                "c1",
                "",
                "Always",
                "apps/v1",
                "Deployment"
            ])
            .prop_map(Value::from),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                    Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                }),
            ]
        })
    }

    fn document() -> impl proptest::strategy::Strategy<Value = Value> {
        (
            prop::sample::select(vec!["policy.karmada.io/v1alpha1", "policy.one.alibabacloud.com/v1alpha1", "apps/v1", "v1", "policy.karmada.io/v2"]),
            prop::sample::select(vec!["PropagationPolicy", "ClusterPropagationPolicy", "Deployment", "ConfigMap"]),
            value(),
            value(),
        )
            .prop_map(|(a, k, meta, spec)| serde_json::json!({"apiVersion": a, "kind": k, "metadata": meta, "spec": spec}))
    }

    /// Replace the subtree at a pseudo-random path of `v` with `with`.
    fn mutate(v: &mut Value, mut pick: u64, with: Value) {
        let mut cur = v;
        loop {
            let children = match cur {
                Value::Object(m) => m.len(),
                Value::Array(a) => a.len(),
                _ => 0,
            };
            if children == 0 || pick.is_multiple_of(4) {
                *cur = with;
                return;
            }
            let i = (pick as usize / 4) % children;
            pick /= 7;
            cur = match cur {
                Value::Object(m) => m.values_mut().nth(i).unwrap(),
                Value::Array(a) => &mut a[i],
                _ => unreachable!(),
            };
        }
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        if let Err(e) = parse_documents(text, "fuzz.yaml") {
            prop_assert!(!e.to_string().contains('\n'), "multi-line error: {e}");
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn parse_documents_never_panics_on_arbitrary_text(text in ".{0,200}") {
            check(&text)?;
        }

        #[test]
        fn parse_documents_never_panics_on_yaml_like_lines(lines in prop::collection::vec((0usize..6, prop::sample::select(KEYS), "[-:\\[\\]{}a-z0-9 ,'\"!&*|>]{0,10}"), 0..12)) {
            let text: String = lines.iter().map(|(indent, k, v)| format!("{}{k}: {v}\n", "  ".repeat(*indent))).collect();
            check(&text)?;
        }

        #[test]
        fn parse_documents_never_panics_on_arbitrary_structures(docs in prop::collection::vec(document(), 1..3)) {
            let text: Vec<String> = docs.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
            check(&text.join("\n---\n"))?;
        }

        #[test]
        fn parse_documents_never_panics_on_mutated_seed_policies(pick in any::<u64>(), with in value(), which in 0usize..2) {
            let seeds = [SEED_001_POLICY, SEED_004];
            let mut docs: Vec<Value> = serde_saphyr::from_multiple(seeds[which]).unwrap();
            let n = docs.len();
            mutate(&mut docs[(pick as usize) % n], pick / 3, with);
            let text: Vec<String> = docs.iter().map(|d| serde_json::to_string(d).unwrap()).collect();
            check(&text.join("\n---\n"))?;
        }
    }
}

#[test]
fn validate_warns_when_min_groups_cannot_be_met_and_about_clusters_in_two_ack_groups() {
    let yaml = r#"apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: p}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
  placement:
    clusterAffinities:
      - {affinityName: a, clusterNames: [c1, c2]}
      - {affinityName: b, clusterNames: [c2]}
    spreadConstraints:
      - {spreadByField: cluster, maxGroups: 5, minGroups: 3}
"#;
    let p = policies(&parse_documents(yaml, "p.yaml").unwrap()).remove(0);
    let w: Vec<String> = p
        .validate(&[MemberInfo::new("c1"), MemberInfo::new("c2")])
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert!(
        w.iter()
            .any(|m| m.contains("cluster \"c2\" is also in clusterAffinities[0]")),
        "{w:?}"
    );
    assert!(
        w.iter()
            .any(|m| m.contains("minGroups: needs 3 cluster groups, the matching members span 2")),
        "{w:?}"
    );
}

#[test]
fn validate_warns_when_spread_by_label_min_groups_cannot_be_met() {
    let yaml = r#"apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: p}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment}]
  placement:
    spreadConstraints:
      - {spreadByLabel: example.com/rack, maxGroups: 3, minGroups: 2}
"#;
    let p = policies(&parse_documents(yaml, "p.yaml").unwrap()).remove(0);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let mut c1 = MemberInfo::new("c1");
    c1.labels.insert("example.com/rack".into(), "r1".into());
    let mut c2 = MemberInfo::new("c2");
    c2.labels.insert("example.com/rack".into(), "r1".into());
    let w: Vec<String> = p
        .validate(&[c1, c2, MemberInfo::new("c3")])
        .unwrap()
        .iter()
        .map(|w| w.to_string())
        .collect();
    assert!(
        w.iter().any(|m| m.contains(
            "spreadConstraints[0].minGroups: needs 2 label example.com/rack groups, the matching members span 1"
        )),
        "{w:?}"
    );
}
