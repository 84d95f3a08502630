//! Bad-input matrix of `kubectl fleet plan` / `apply` (docs/reliability.md): every malformed
//! or contradictory input ends with exactly one `error: ...` line on stderr naming the file
//! (or the field / cluster / policy), exit code 2, and nothing written to any member.

use std::path::Path;

use kubectl_fleet::sim::store::Kind;
use serde_json::json;

use super::faults_util::{fleet as run_fleet, Out};
use crate::util::{config_of, start_fleet, TestFleet};

fn fleet() -> TestFleet {
    let tf = start_fleet(config_of(&["c1", "c2"]));
    for c in ["c1", "c2"] {
        tf.sim
            .store(c)
            .unwrap()
            .create(
                Kind::Node,
                json!({
                    "apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": format!("{c}-n1"), "labels": {}},
                    "spec": {},
                    "status": {
                        "allocatable": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "4", "pods": "110"},
                        "capacity": {"cpu": "32", "memory": "128Gi", "nvidia.com/gpu": "4", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True"}]
                    }
                }),
            )
            .unwrap();
    }
    tf
}

fn deployment(name: &str, replicas: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: {name}, namespace: default, labels: {{app: {name}}}}}\nspec:\n  replicas: {replicas}\n  selector: {{matchLabels: {{app: {name}}}}}\n  template:\n    metadata: {{labels: {{app: {name}}}}}\n    spec:\n      containers: [{{name: app, image: nginx}}]\n"
    )
}

fn policy(name: &str, selector: &str, placement: &str) -> String {
    format!(
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {{name: {name}, namespace: default}}\nspec:\n  resourceSelectors:\n  - {{apiVersion: apps/v1, kind: Deployment{selector}}}\n  placement:\n{placement}"
    )
}

const DIVIDED: &str = "    clusterAffinity: {clusterNames: [c1, c2]}\n    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Aggregated}\n";

/// Runs `apply -f <file> --yes` and checks the common contract: exit 2, one `error:` line
/// naming `needle`, nothing on stdout, nothing on any member. Returns the error line.
fn rejected(tf: &TestFleet, file: &Path, needle: &str) -> String {
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", file.to_str().unwrap(), "--yes"],
    );
    assert_rejected(tf, &run, needle)
}

fn assert_rejected(tf: &TestFleet, run: &Out, needle: &str) -> String {
    assert_eq!(run.code, Some(2), "exit code; stderr: {}", run.stderr);
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let errors: Vec<&&str> = lines.iter().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(errors.len(), 1, "exactly one error line: {:?}", run.stderr);
    assert!(
        errors[0].contains(needle),
        "{:?} does not name {needle:?}",
        errors[0]
    );
    assert!(!run.stdout.contains("created"), "stdout: {}", run.stdout);
    for c in ["c1", "c2"] {
        let deps = tf.sim.store(c).unwrap().list(Kind::Deployment, None);
        assert!(deps.is_empty(), "{c} holds {deps:?}");
    }
    errors[0].to_string()
}

#[test]
fn badinput_malformed_yaml_is_one_line_naming_the_file() {
    let tf = fleet();
    let f = tf.write(
        "bad.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: [x\n",
    );
    let e = rejected(&tf, &f, "bad.yaml: invalid YAML: ");
    assert!(
        e.starts_with(&format!("error: {}: invalid YAML: ", f.display())),
        "{e}"
    );
}

#[test]
fn badinput_wrong_api_version_of_a_policy_names_the_field() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}",
        deployment("web", "2"),
        policy("p", "", DIVIDED).replace("policy.karmada.io/v1alpha1", "policy.karmada.io/v9")
    );
    let f = tf.write("apiversion.yaml", &text);
    rejected(&tf, &f, "apiVersion");
}

#[test]
fn badinput_unknown_kind_leaves_nothing_to_apply() {
    let tf = fleet();
    let f = tf.write(
        "kind.yaml",
        "apiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicee\nmetadata: {name: p}\nspec: {}\n",
    );
    let e = rejected(&tf, &f, "no Deployment, PropagationPolicy or autoscaler");
    assert_eq!(
        e,
        "error: the -f inputs contain no Deployment, PropagationPolicy or autoscaler"
    );
}

#[test]
fn badinput_unknown_cluster_in_a_policy_names_the_cluster() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}",
        deployment("web", "2"),
        policy(
            "p",
            "",
            "    clusterAffinity: {clusterNames: [c1, nowhere]}\n"
        )
    );
    let f = tf.write("unknown-cluster.yaml", &text);
    rejected(&tf, &f, "\"nowhere\"");
}

#[test]
fn badinput_negative_static_weight_names_the_field() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}",
        deployment("web", "2"),
        policy(
            "p",
            "",
            "    clusterAffinity: {clusterNames: [c1, c2]}\n    replicaScheduling:\n      replicaSchedulingType: Divided\n      replicaDivisionPreference: Weighted\n      weightPreference:\n        staticWeightList:\n        - {targetCluster: {clusterNames: [c1]}, weight: -1}\n"
        )
    );
    let f = tf.write("weights.yaml", &text);
    rejected(&tf, &f, "weight");
}

#[test]
fn badinput_negative_replicas_names_the_field() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}",
        deployment("web", "-3"),
        policy("p", "", DIVIDED)
    );
    let f = tf.write("replicas.yaml", &text);
    rejected(&tf, &f, "replicas");
}

#[test]
fn badinput_deployment_without_a_matching_policy_names_the_deployment() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}",
        deployment("web", "2"),
        policy("p", ", name: other", DIVIDED)
    );
    let f = tf.write("nopolicy.yaml", &text);
    rejected(&tf, &f, "web");
}

/// A policy that selects nothing is not an error (a directory of policies may hold some for
/// later), but it is named in a warning, and nothing is written.
#[test]
fn badinput_policy_selecting_nothing_is_named_and_nothing_is_written() {
    let tf = fleet();
    let f = tf.write(
        "selects-nothing.yaml",
        &policy("lonely", ", name: ghost", DIVIDED),
    );
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stderr.lines().any(|l| l
            == "warning: PropagationPolicy default/lonely: selects no given Deployment and no Deployment managed in the fleet"),
        "{}",
        run.stderr
    );
    for c in ["c1", "c2"] {
        assert!(tf
            .sim
            .store(c)
            .unwrap()
            .list(Kind::Deployment, None)
            .is_empty());
    }
}

/// Two policies select the same Deployment equally specifically: like Karmada, one wins
/// deterministically and the other is reported as selecting nothing; only the winner's
/// placement is applied.
#[test]
fn badinput_conflicting_policies_one_wins_and_the_other_is_named() {
    let tf = fleet();
    let text = format!(
        "{}---\n{}---\n{}",
        deployment("web", "2"),
        policy("first", ", name: web", DIVIDED),
        policy(
            "second",
            ", name: web",
            "    clusterAffinity: {clusterNames: [c2]}\n"
        )
    );
    let f = tf.write("conflict.yaml", &text);
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "{run:?}");
    let warn: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains("default/second"))
        .collect();
    assert_eq!(
        warn,
        ["warning: PropagationPolicy default/second: selects no given Deployment and no Deployment managed in the fleet"]
    );
    // `first` (Divided, Aggregated over c1 and c2) wins: both replicas on one member.
    let total: i64 = ["c1", "c2"]
        .iter()
        .filter_map(|c| {
            tf.sim
                .store(c)
                .unwrap()
                .get(Kind::Deployment, "default", "web")
        })
        .map(|d| d["spec"]["replicas"].as_i64().unwrap())
        .sum();
    assert_eq!(total, 2);
}

#[test]
fn badinput_ten_megabyte_file_is_refused_quickly() {
    let tf = fleet();
    let mut text = format!(
        "{}---\n{}",
        deployment("web", "2"),
        policy("p", "", DIVIDED)
    );
    text.push_str("# padding\n");
    let line = format!("# {}\n", "x".repeat(1021));
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&line);
    }
    let f = tf.write("huge.yaml", &text);
    let start = std::time::Instant::now();
    let e = rejected(
        &tf,
        &f,
        "huge.yaml: file is 10.0 MiB, larger than the 8 MiB limit",
    );
    assert!(e.ends_with("limit of an input file"), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn badinput_binary_garbage_is_one_line_naming_the_file() {
    let tf = fleet();
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut x: u32 = 0x9e37_79b9;
    for _ in 0..64 * 1024 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x >> 24) as u8);
    }
    let f = tf.dir.path().join("garbage.bin");
    std::fs::write(&f, &bytes).unwrap();
    rejected(&tf, &f, "garbage.bin");
}

#[test]
fn badinput_plan_rejects_the_same_inputs_with_exit_2() {
    let tf = fleet();
    let f = tf.write("bad.yaml", "kind: [\n");
    let run = run_fleet(&tf.kubeconfig, &["plan", "-f", f.to_str().unwrap()]);
    assert_rejected(&tf, &run, "bad.yaml");
}
