//! The simulated API server driven by the real `kubectl` binary.

use kubectl_fleet::sim::store::Kind;
use serde_json::{json, Value};

use crate::util::*;

const DEPLOY: &str = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: REPLICAS
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
"#;

fn deploy(replicas: i64) -> String {
    DEPLOY.replace("REPLICAS", &replicas.to_string())
}

const NODES_AND_PODS: &str = r#"apiVersion: v1
kind: Node
metadata:
  name: n1
  labels: {kubernetes.io/hostname: n1, node-role.kubernetes.io/worker: ""}
status:
  conditions: [{type: Ready, status: "True"}]
  nodeInfo: {kubeletVersion: v1.32.0}
---
apiVersion: v1
kind: Node
metadata:
  name: n2
  labels: {kubernetes.io/hostname: n2}
status:
  conditions: [{type: Ready, status: "True"}]
  nodeInfo: {kubeletVersion: v1.32.0}
---
apiVersion: v1
kind: Pod
metadata: {name: on-n1, labels: {app: lonely}}
spec:
  nodeName: n1
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: on-n2, labels: {app: other}}
spec:
  nodeName: n2
  containers: [{name: c, image: busybox}]
"#;

fn json_of(run: &Run) -> Value {
    assert!(run.ok, "kubectl failed: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", run.stdout))
}

#[test]
fn get_nodes_prints_kubectl_columns_and_cordon_uncordon_change_status() {
    let f = start_fleet(config_of(&["alpha"]));
    let file = f.write("objs.yaml", NODES_AND_PODS);
    let r = f.kubectl("alpha", &["create", "-f", file.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl("alpha", &["get", "nodes", "n1"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines[0]
            .split_whitespace()
            .eq(["NAME", "STATUS", "ROLES", "AGE", "VERSION"]),
        "{}",
        r.stdout
    );
    let cells: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(
        (cells[0], cells[1], cells[2], cells[4]),
        ("n1", "Ready", "worker", "v1.32.0")
    );

    let r = f.kubectl("alpha", &["cordon", "n1"]);
    assert_eq!(r.stdout.trim(), "node/n1 cordoned", "{}", r.stderr);
    let r = f.kubectl("alpha", &["get", "nodes", "n1", "--no-headers"]);
    assert!(
        r.stdout.contains("Ready,SchedulingDisabled"),
        "{}",
        r.stdout
    );
    let node = f
        .sim
        .store("alpha")
        .unwrap()
        .get(Kind::Node, "", "n1")
        .unwrap();
    assert_eq!(node["spec"]["unschedulable"], true);

    let r = f.kubectl("alpha", &["uncordon", "n1"]);
    assert_eq!(r.stdout.trim(), "node/n1 uncordoned", "{}", r.stderr);
    let node = f
        .sim
        .store("alpha")
        .unwrap()
        .get(Kind::Node, "", "n1")
        .unwrap();
    assert_ne!(node["spec"]["unschedulable"], true);
}

#[test]
fn drain_evicts_the_pods_of_the_node_only() {
    let f = start_fleet(config_of(&["alpha"]));
    let file = f.write("objs.yaml", NODES_AND_PODS);
    assert!(
        f.kubectl("alpha", &["create", "-f", file.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl(
        "alpha",
        &[
            "drain",
            "n1",
            "--ignore-daemonsets",
            "--delete-emptydir-data",
            "--force",
            "--timeout=30s",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(r.stdout.contains("pod/on-n1 evicted"), "{}", r.stdout);
    assert!(r.stdout.contains("node/n1 drained"), "{}", r.stdout);
    let store = f.sim.store("alpha").unwrap();
    assert!(store.get(Kind::Pod, "default", "on-n1").is_none());
    assert!(store.get(Kind::Pod, "default", "on-n2").is_some());
    assert_eq!(
        store.get(Kind::Node, "", "n1").unwrap()["spec"]["unschedulable"],
        true
    );
}

#[test]
fn server_side_apply_conflicts_with_another_manager_until_forced() {
    let f = start_fleet(config_of(&["alpha"]));
    let v2 = f.write("v2.yaml", &deploy(2));
    let v5 = f.write("v5.yaml", &deploy(5));
    let r = f.kubectl(
        "alpha",
        &["apply", "--server-side", "-f", v2.to_str().unwrap()],
    );
    assert_eq!(
        r.stdout.trim(),
        "deployment.apps/web serverside-applied",
        "{}",
        r.stderr
    );

    let r = f.kubectl(
        "alpha",
        &[
            "apply",
            "--server-side",
            "--field-manager=rival",
            "-f",
            v5.to_str().unwrap(),
        ],
    );
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains(r#"conflict with "kubectl" using apps/v1: .spec.replicas"#),
        "{}",
        r.stderr
    );
    let d = f
        .sim
        .store("alpha")
        .unwrap()
        .get(Kind::Deployment, "default", "web")
        .unwrap();
    assert_eq!(d["spec"]["replicas"], 2);

    let r = f.kubectl(
        "alpha",
        &[
            "apply",
            "--server-side",
            "--field-manager=rival",
            "--force-conflicts",
            "-f",
            v5.to_str().unwrap(),
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let d = json_of(&f.kubectl(
        "alpha",
        &[
            "get",
            "deploy",
            "web",
            "-o",
            "json",
            "--show-managed-fields",
        ],
    ));
    assert_eq!(d["spec"]["replicas"], 5);
    assert_eq!(d["metadata"]["generation"], 2);
    let managers: Vec<(&str, bool)> = d["metadata"]["managedFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["manager"].as_str().unwrap(),
                m["fieldsV1"]["f:spec"].get("f:replicas").is_some(),
            )
        })
        .collect();
    assert!(managers.contains(&("rival", true)), "{managers:?}");
    assert!(managers.contains(&("kubectl", false)), "{managers:?}");
}

#[test]
fn scale_and_delete_go_through_the_api() {
    let f = start_fleet(config_of(&["alpha"]));
    let v2 = f.write("v2.yaml", &deploy(2));
    assert!(
        f.kubectl(
            "alpha",
            &["apply", "--server-side", "-f", v2.to_str().unwrap()]
        )
        .ok
    );
    let r = f.kubectl("alpha", &["scale", "deployment/web", "--replicas=4"]);
    assert_eq!(
        r.stdout.trim(),
        "deployment.apps/web scaled",
        "{}",
        r.stderr
    );
    let store = f.sim.store("alpha").unwrap();
    assert_eq!(
        store.get(Kind::Deployment, "default", "web").unwrap()["spec"]["replicas"],
        4
    );

    // An owned ReplicaSet and Pod are garbage-collected with the Deployment.
    let d = store.get(Kind::Deployment, "default", "web").unwrap();
    let owner = |kind: &str, name: &str, uid: &Value| json!([{"apiVersion": "apps/v1", "kind": kind, "name": name, "uid": uid, "controller": true}]);
    let rs = store
        .create(
            Kind::ReplicaSet,
            json!({"metadata": {"name": "web-manual", "namespace": "default",
                                 "ownerReferences": owner("Deployment", "web", &d["metadata"]["uid"])},
                   "spec": {"replicas": 1}}),
        )
        .unwrap();
    store
        .create(
            Kind::Pod,
            json!({"metadata": {"name": "web-manual-x", "namespace": "default",
                                 "ownerReferences": owner("ReplicaSet", "web-manual", &rs["metadata"]["uid"])},
                   "spec": {"containers": [{"name": "web", "image": "nginx"}]}}),
        )
        .unwrap();
    let r = f.kubectl("alpha", &["delete", "deployment", "web"]);
    assert_eq!(
        r.stdout.trim(),
        r#"deployment.apps "web" deleted"#,
        "{}",
        r.stderr
    );
    assert!(store.get(Kind::Deployment, "default", "web").is_none());
    assert!(store
        .get(Kind::ReplicaSet, "default", "web-manual")
        .is_none());
    assert!(store.get(Kind::Pod, "default", "web-manual-x").is_none());
}

#[test]
fn dry_run_server_stores_nothing() {
    let f = start_fleet(config_of(&["alpha"]));
    let v2 = f.write("v2.yaml", &deploy(2));
    let store = f.sim.store("alpha").unwrap();
    let rv = store.resource_version();
    let r = f.kubectl(
        "alpha",
        &[
            "apply",
            "--server-side",
            "--dry-run=server",
            "-f",
            v2.to_str().unwrap(),
        ],
    );
    assert!(
        r.stdout.contains("serverside-applied (server dry run)"),
        "{} {}",
        r.stdout,
        r.stderr
    );
    let r = f.kubectl(
        "alpha",
        &[
            "create",
            "--dry-run=server",
            "-o",
            "json",
            "-f",
            v2.to_str().unwrap(),
        ],
    );
    let d = json_of(&r);
    assert_eq!(d["metadata"]["name"], "web");
    assert!(store.get(Kind::Deployment, "default", "web").is_none());
    assert_eq!(store.resource_version(), rv);

    assert!(
        f.kubectl(
            "alpha",
            &["apply", "--server-side", "-f", v2.to_str().unwrap()]
        )
        .ok
    );
    let r = f.kubectl(
        "alpha",
        &["delete", "deployment", "web", "--dry-run=server"],
    );
    assert!(r.stdout.contains("(server dry run)"), "{}", r.stdout);
    let r = f.kubectl(
        "alpha",
        &[
            "scale",
            "deployment",
            "web",
            "--replicas=9",
            "--dry-run=server",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    // (The controllers keep writing status, so compare the spec and generation.)
    let d = store.get(Kind::Deployment, "default", "web").unwrap();
    assert_eq!(d["spec"]["replicas"], 2);
    assert_eq!(d["metadata"]["generation"], 1);
}

#[test]
fn api_errors_are_kubernetes_statuses() {
    let f = start_fleet(config_of(&["alpha"]));
    let r = f.kubectl("alpha", &["get", "deployment", "nope"]);
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains(r#"Error from server (NotFound): deployments.apps "nope" not found"#),
        "{}",
        r.stderr
    );
    let v2 = f.write("v2.yaml", &deploy(2));
    assert!(
        f.kubectl("alpha", &["create", "-f", v2.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl("alpha", &["create", "-f", v2.to_str().unwrap()]);
    assert!(
        r.stderr.contains(r#"Error from server (AlreadyExists)"#)
            && r.stderr.contains(r#""web" already exists"#),
        "{}",
        r.stderr
    );
    let neg = f.write("neg.yaml", &deploy(-3).replace("name: web", "name: neg"));
    let r = f.kubectl(
        "alpha",
        &["apply", "--server-side", "-f", neg.to_str().unwrap()],
    );
    assert!(r.stderr.contains("Invalid"), "{}", r.stderr);
    assert!(r.stderr.contains("spec.replicas"), "{}", r.stderr);

    // The raw Status bodies.
    let url = f.sim.server_url("alpha").unwrap();
    let (code, body) = http(
        "GET",
        &format!("{url}/apis/apps/v1/namespaces/default/deployments/nope"),
        "",
        "",
    )
    .unwrap();
    let s: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (
            code,
            s["kind"].as_str(),
            s["reason"].as_str(),
            s["code"].as_i64()
        ),
        (404, Some("Status"), Some("NotFound"), Some(404))
    );
    assert_eq!(s["details"]["name"], "nope");
    let body = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bad"},"spec":{"replicas":-1}}"#;
    let (code, body) = http(
        "POST",
        &format!("{url}/apis/apps/v1/namespaces/default/deployments"),
        "application/json",
        body,
    )
    .unwrap();
    let s: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((code, s["reason"].as_str()), (422, Some("Invalid")));
    assert_eq!(s["details"]["causes"][0]["field"], "spec.replicas");
    let body = r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}"#;
    let (code, body) = http(
        "POST",
        &format!("{url}/api/v1/namespaces/default/configmaps"),
        "application/json",
        body,
    )
    .unwrap();
    let s: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (code, s["details"]["causes"][0]["field"].as_str()),
        (422, Some("metadata.name"))
    );
    let stale = r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","resourceVersion":"1"},"spec":{"replicas":1}}"#;
    let (code, body) = http(
        "PUT",
        &format!("{url}/apis/apps/v1/namespaces/default/deployments/web"),
        "application/json",
        stale,
    )
    .unwrap();
    let s: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((code, s["reason"].as_str()), (409, Some("Conflict")));
    let (code, _) = http(
        "POST",
        &format!("{url}/api/v1/nodes/x/status"),
        "application/json",
        "{}",
    )
    .unwrap();
    assert_eq!(code, 405);
}

#[test]
fn list_pagination_with_chunk_size_returns_every_item() {
    let f = start_fleet(config_of(&["alpha"]));
    let store = f.sim.store("alpha").unwrap();
    for i in 0..7 {
        store
            .create(Kind::ConfigMap, json!({"metadata": {"name": format!("cm{i}"), "namespace": "default", "labels": {"n": i.to_string()}}}))
            .unwrap();
    }
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "configmaps",
            "-l",
            "n",
            "--chunk-size=3",
            "-o",
            "name",
            "-v=6",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let names: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        names,
        (0..7)
            .map(|i| format!("configmap/cm{i}"))
            .collect::<Vec<_>>()
    );
    assert_eq!(r.stderr.matches("continue=").count(), 2, "{}", r.stderr);
    let r = f.kubectl(
        "alpha",
        &["get", "cm", "-l", "n notin (1,2),n!=3", "-o", "name"],
    );
    assert_eq!(r.stdout.lines().count(), 4, "{}", r.stdout);
}

#[test]
fn get_watch_streams_changes_until_the_request_timeout() {
    let f = start_fleet(config_of(&["alpha"]));
    let kc = f.kubeconfig.clone();
    let watcher = std::thread::spawn(move || {
        kubectl_with(
            &kc,
            "alpha",
            &["get", "configmaps", "-w", "--request-timeout=4s"],
            None,
        )
    });
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let cm = f.write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: watched}\ndata: {a: b}\n",
    );
    assert!(
        f.kubectl("alpha", &["create", "-f", cm.to_str().unwrap()])
            .ok
    );
    assert!(f.kubectl("alpha", &["delete", "configmap", "watched"]).ok);
    let r = watcher.join().unwrap();
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("watched"))
        .collect();
    assert_eq!(rows.len(), 2, "stdout: {} stderr: {}", r.stdout, r.stderr);
}

#[test]
fn rollout_status_and_wait_follow_deployment_status() {
    let f = start_fleet(config_of(&["alpha"]));
    let v0 = f.write("v0.yaml", &deploy(0));
    assert!(
        f.kubectl(
            "alpha",
            &["apply", "--server-side", "-f", v0.to_str().unwrap()]
        )
        .ok
    );
    // Whatever the controllers do, a 0-replica Deployment is complete with this status.
    let r = f.kubectl(
        "alpha",
        &["patch", "deployment", "web", "--subresource=status", "--type=merge", "-p",
          r#"{"status":{"observedGeneration":1,"replicas":0,"conditions":[{"type":"Available","status":"True","reason":"MinimumReplicasAvailable"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}}"#],
    );
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl(
        "alpha",
        &["rollout", "status", "deployment/web", "--timeout=20s"],
    );
    assert!(
        r.stdout
            .contains(r#"deployment "web" successfully rolled out"#),
        "{} {}",
        r.stdout,
        r.stderr
    );
    let r = f.kubectl(
        "alpha",
        &[
            "wait",
            "--for=condition=Available",
            "deployment/web",
            "--timeout=20s",
        ],
    );
    assert_eq!(
        r.stdout.trim(),
        "deployment.apps/web condition met",
        "{}",
        r.stderr
    );
}
