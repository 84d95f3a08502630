//! `apply -f` with fleet autoscalers (FederatedHPA, autoscaling/v2 HPA): stored in every
//! member as a ConfigMap, never as an HPA object; bad autoscalers are one-line errors naming
//! the file and field, with nothing stored.

use kubectl_fleet::sim::store::Kind;
use serde_json::json;

use super::faults_util::fleet as run_fleet;
use crate::util::{config_of, start_fleet, TestFleet};

pub fn fleet() -> TestFleet {
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
                        "allocatable": {"cpu": "32", "memory": "128Gi", "pods": "110"},
                        "capacity": {"cpu": "32", "memory": "128Gi", "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True"}]
                    }
                }),
            )
            .unwrap();
    }
    tf
}

pub const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default, labels: {app: web}}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: nginx, resources: {requests: {cpu: 500m}}}]\n---\napiVersion: policy.karmada.io/v1alpha1\nkind: PropagationPolicy\nmetadata: {name: web, namespace: default}\nspec:\n  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: web}]\n  placement:\n    clusterAffinity: {clusterNames: [c1, c2]}\n    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted}\n";

fn fhpa(spec_tail: &str) -> String {
    format!("apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {{name: web, namespace: default}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n{spec_tail}")
}

const GOOD_TAIL: &str = "  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}\n";

fn stored(tf: &TestFleet, cluster: &str) -> Vec<serde_json::Value> {
    tf.sim
        .store(cluster)
        .unwrap()
        .list(Kind::ConfigMap, Some("default"))
        .into_iter()
        .filter(|c| {
            c["metadata"]["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("kubectl-fleet-hpa-"))
        })
        .collect()
}

#[test]
fn autoscale_apply_stores_the_federated_hpa_in_every_member_not_as_an_hpa() {
    let tf = fleet();
    let f = tf.write("web.yaml", &format!("{WEB}---\n{}", fhpa(GOOD_TAIL)));
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("federatedhpa.autoscaling.karmada.io/web stored in 2 member(s)"),
        "{}",
        run.stdout
    );
    assert!(run
        .stdout
        .contains("no HorizontalPodAutoscaler is created in any member"));
    for c in ["c1", "c2"] {
        let cms = stored(&tf, c);
        assert_eq!(cms.len(), 1, "{c}: {cms:?}");
        let doc: serde_json::Value =
            serde_json::from_str(cms[0]["data"]["autoscaler.json"].as_str().unwrap()).unwrap();
        assert_eq!(doc["kind"], "FederatedHPA");
        assert_eq!(doc["spec"]["maxReplicas"], 10);
        assert_eq!(cms[0]["data"]["revision"], "1");
    }
    // Re-applying keeps the state and raises the revision.
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert_eq!(stored(&tf, "c1")[0]["data"]["revision"], "2");
}

#[test]
fn autoscale_apply_accepts_a_plain_hpa_for_an_already_managed_deployment() {
    let tf = fleet();
    let f = tf.write("web.yaml", WEB);
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    let hpa = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web-hpa}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 6\n";
    let h = tf.write("hpa.yaml", hpa);
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", h.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(0), "stderr: {}", run.stderr);
    assert!(
        run.stdout
            .contains("horizontalpodautoscaler.autoscaling/web-hpa stored in 2 member(s)"),
        "{}",
        run.stdout
    );
    // Defaults: min 1, cpu at 80%.
    assert!(run.stdout.contains("(min 1, max 6)"), "{}", run.stdout);
}

fn rejected(tf: &TestFleet, name: &str, text: &str, needles: &[&str]) {
    let f = tf.write(name, text);
    let run = run_fleet(
        &tf.kubeconfig,
        &["apply", "-f", f.to_str().unwrap(), "--yes"],
    );
    assert_eq!(run.code, Some(2), "exit code; stderr: {}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].contains(name),
        "{} does not name the file",
        errors[0]
    );
    for n in needles {
        assert!(errors[0].contains(n), "{} does not name {n:?}", errors[0]);
    }
    for c in ["c1", "c2"] {
        assert!(stored(tf, c).is_empty(), "{c} holds an autoscaler");
        assert!(tf
            .sim
            .store(c)
            .unwrap()
            .list(Kind::Deployment, None)
            .is_empty());
    }
}

#[test]
fn autoscale_apply_bad_autoscalers_are_one_line_errors_and_store_nothing() {
    let tf = fleet();
    rejected(
        &tf,
        "minmax.yaml",
        &format!("{WEB}---\n{}", fhpa("  minReplicas: 5\n  maxReplicas: 2\n")),
        &["spec.minReplicas", "5 > 2"],
    );
    rejected(
        &tf,
        "type.yaml",
        &format!(
            "{WEB}---\n{}",
            fhpa("  maxReplicas: 4\n  metrics:\n  - type: Magic\n")
        ),
        &["spec.metrics[0].type", "unknown metric type \"Magic\""],
    );
    rejected(
        &tf,
        "value.yaml",
        &format!(
            "{WEB}---\n{}",
            fhpa("  maxReplicas: 4\n  metrics:\n  - type: Resource\n    resource: {name: cpu, target: {type: Utilization}}\n")
        ),
        &["spec.metrics[0].resource.target.averageUtilization", "missing"],
    );
    rejected(
        &tf,
        "notarget.yaml",
        &fhpa(GOOD_TAIL).replace("name: web}", "name: api}"),
        &[
            "spec.scaleTargetRef.name",
            "default/api is not managed by kubectl-fleet",
        ],
    );
    rejected(
        &tf,
        "kind.yaml",
        &format!(
            "{WEB}---\n{}",
            fhpa(GOOD_TAIL).replace("kind: Deployment, name", "kind: StatefulSet, name")
        ),
        &["spec.scaleTargetRef.kind"],
    );
}
