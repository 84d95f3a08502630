//! Property tests of the input parsers: the policy/Deployment parser
//! ([`kubectl_fleet::policy::parse_documents`]) and the Fleet-file parser
//! ([`kubectl_fleet::fleet::FleetFile::parse`]) never panic, never hang and always fail
//! with a one-line message naming the source, whatever bytes they are given.

use std::path::Path;
use std::time::{Duration, Instant};

use kubectl_fleet::fleet::FleetFile;
use kubectl_fleet::policy::parse_documents;
use proptest::prelude::*;

const POLICY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      priorityClassName: online-high
      containers:
      - name: c
        image: nginx
        resources:
          requests: {cpu: 500m, memory: 1Gi}
          limits: {nvidia.com/gpu: "1"}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {name: web, namespace: default}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  placement:
    clusterAffinities:
    - affinityName: primary
      clusterNames: [a, b]
      overflowAffinity: {clusterNames: [c]}
    - affinityName: backup
      labelSelector:
        matchExpressions: [{key: region, operator: In, values: [x, z]}]
    clusterTolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]
    spreadConstraints: [{spreadByField: cluster, maxGroups: 2, minGroups: 1}]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {targetCluster: {clusterNames: [a]}, weight: 2}
        - {targetCluster: {labelSelector: {matchLabels: {region: x}}}, weight: 1}
---
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: ClusterPropagationPolicy
metadata: {name: gpu}
spec:
  autoScaling: {ecsProvision: true}
  conflictResolution: Overwrite
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, labelSelector: {matchLabels: {gpu: "true"}}}]
  placement:
    clusterAffinities:
    - {affinityName: g1, clusterNames: [a]}
    replicaScheduling: {replicaSchedulingType: Divided, weightPreference: {dynamicWeight: AvailableReplicas}}
"#;

const FLEET: &str = r#"apiVersion: fleet.kubectl.dev/v1alpha1
kind: Fleet
metadata: {name: prod}
members:
- name: idc
  context: idc-ctx
  kubeconfig: idc.yaml
  labels: {region: cn-beijing, provider: idc}
  capacityProviders:
  - static:
      pools:
      - {name: gpu, allocatable: {cpu: "8", nvidia.com/gpu: 1}, maxNodes: 4, inventory: 2,
         taints: [{key: gpu, value: "true", effect: NoSchedule}]}
  - inventoryConfigMap: {}
  - exec: {command: /bin/inv, args: [--json], env: [{name: REGION, value: x}], timeoutSeconds: 3}
- name: cloud
"#;

/// A parser error must be one line (the CLI prints it after `error: `).
fn assert_one_line(msg: &str, source: &str) {
    assert!(!msg.contains('\n'), "multi-line error: {msg:?}");
    assert!(
        msg.contains(source),
        "error does not name {source}: {msg:?}"
    );
}

fn check_policy(text: &str) {
    if let Err(e) = parse_documents(text, "fuzz.yaml") {
        assert_one_line(&e.to_string(), "fuzz.yaml");
    }
}

fn check_fleet(text: &str) {
    if let Err(e) = FleetFile::parse(text, Path::new("/tmp/fleet-fuzz.yaml")) {
        assert_one_line(&e.to_string(), "/tmp/fleet-fuzz.yaml");
    }
}

/// Applies `edits` (position, replacement) to `base`, at char boundaries.
fn mutate(base: &str, edits: &[(usize, u8, String)]) -> String {
    let mut s = base.to_string();
    for (pos, op, text) in edits {
        let mut at = pos % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        match op % 3 {
            0 => s.insert_str(at, text),
            1 => {
                let mut end = (at + text.len().max(1)).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, "");
            }
            _ => {
                let mut end = (at + text.len()).min(s.len());
                while !s.is_char_boundary(end) {
                    end += 1;
                }
                s.replace_range(at..end, text);
            }
        }
    }
    s
}

/// Fragments that are meaningful to YAML and to the walkers (types, anchors, flow syntax,
/// numbers out of range, keys the parsers look for).
fn yaml_token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(", ".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("!!binary ".to_string()),
        Just("!!str ".to_string()),
        Just("---\n".to_string()),
        Just("~".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("1e400".to_string()),
        Just("-0.5".to_string()),
        Just("\"\\u0000\"".to_string()),
        Just("'".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just("replicas".to_string()),
        Just("weight".to_string()),
        Just("clusterNames".to_string()),
        Just("members".to_string()),
        Just("allocatable".to_string()),
        Just("<<: *a".to_string()),
        "[a-zA-Z0-9_./-]{0,8}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn edits() -> impl Strategy<Value = Vec<(usize, u8, String)>> {
    proptest::collection::vec(
        (
            any::<usize>(),
            any::<u8>(),
            proptest::collection::vec(yaml_token(), 1..4).prop_map(|v| v.concat()),
        ),
        1..6,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn policy_parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_policy(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn policy_parser_never_panics_on_yaml_token_soup(tokens in proptest::collection::vec(yaml_token(), 0..64)) {
        check_policy(&tokens.concat());
    }

    #[test]
    fn policy_parser_never_panics_on_mutated_valid_policies(e in edits()) {
        check_policy(&mutate(POLICY, &e));
    }

    #[test]
    fn fleet_file_parser_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_fleet(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn fleet_file_parser_never_panics_on_yaml_token_soup(tokens in proptest::collection::vec(yaml_token(), 0..64)) {
        check_fleet(&tokens.concat());
    }

    #[test]
    fn fleet_file_parser_never_panics_on_mutated_valid_files(e in edits()) {
        check_fleet(&mutate(FLEET, &e));
    }
}

#[test]
fn valid_fixtures_parse_so_mutations_start_from_real_inputs() {
    let docs = parse_documents(POLICY, "fixture.yaml").expect("fixture policy parses");
    assert_eq!(docs.len(), 3);
    let fleet =
        FleetFile::parse(FLEET, Path::new("/etc/fleet.yaml")).expect("fixture fleet parses");
    assert_eq!(fleet.members.len(), 2);
}

/// Pathological shapes a byte fuzzer rarely reaches: deep nesting (stack), alias expansion
/// (billion laughs), long lines and many documents. Each must end quickly with an error or
/// a result, never a crash.
#[test]
fn parsers_survive_pathological_yaml_quickly() {
    let deep_flow = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let deep_block: String = (0..5_000)
        .map(|i| format!("{}- \n", " ".repeat(i)))
        .collect();
    let deep_map = format!("{}x", "a: {".repeat(20_000));
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..12 {
        let prev = (b'a' + i - 1) as char;
        let cur = (b'a' + i) as char;
        laughs.push_str(&format!("{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let long_line = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {}}}\n",
        "x".repeat(2_000_000)
    );
    let many_docs = "---\n".repeat(100_000);
    for (name, text) in [
        ("deep flow", &deep_flow),
        ("deep block", &deep_block),
        ("deep map", &deep_map),
        ("billion laughs", &laughs),
        ("long line", &long_line),
        ("many docs", &many_docs),
    ] {
        let start = Instant::now();
        check_policy(text);
        check_fleet(text);
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{name}: parsers took {:?}",
            start.elapsed()
        );
    }
}
