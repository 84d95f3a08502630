//! OpenAPI with real kubectl: `kubectl explain` reads the v3 schemas, `kubectl apply`
//! (client-side, the default `--validate=strict`), `kubectl diff` and `kubectl edit` work
//! without `--validate=false`, a List is validated by kubectl with the v2 document, and the
//! documents are served by hash like kube-apiserver's.

use crate::util::*;

const APP: &str = r#"apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: hunter2}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: nginx, resources: {requests: {cpu: 100m}}}]
"#;

#[test]
fn kubectl_explain_apply_and_edit_use_the_openapi_documents() {
    let f = start_fleet(config_of(&["alpha"]));

    let r = f.kubectl("alpha", &["explain", "deployment.spec.replicas"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("KIND:       Deployment")
            && r.stdout.contains("FIELD: replicas <integer>")
            && r.stdout.contains("Number of desired pods"),
        "{}",
        r.stdout
    );
    let r = f.kubectl("alpha", &["explain", "pods"]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("Pod is a collection of containers")
            && r.stdout.contains("spec\t<PodSpec>"),
        "{}",
        r.stdout
    );
    let r = f.kubectl(
        "alpha",
        &["explain", "hpa.spec", "--api-version=autoscaling/v2"],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("VERSION:    v2")
            && r.stdout.contains("maxReplicas\t<integer> -required-")
            && r.stdout
                .contains("behavior\t<HorizontalPodAutoscalerBehavior>"),
        "{}",
        r.stdout
    );
    // Nested through $ref and arrays.
    let r = f.kubectl(
        "alpha",
        &[
            "explain",
            "deploy.spec.template.spec.containers.resources.requests",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("FIELD: requests <map[string]Quantity>"),
        "{}",
        r.stdout
    );
    let r = f.kubectl("alpha", &["explain", "deployment.spec.replicaz"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains(r#"field "replicaz" does not exist"#),
        "{}",
        r.stderr
    );

    // An ordinary app, applied twice with kubectl's default validation (strict, on the server).
    let app = f.write("app.yaml", APP);
    let r = f.kubectl("alpha", &["apply", "-f", app.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("deployment.apps/web created"),
        "{}",
        r.stdout
    );
    let r = f.kubectl("alpha", &["apply", "-f", app.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("deployment.apps/web unchanged")
            && r.stdout.contains("service/web unchanged"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("validat"), "{}", r.stderr);

    // kubectl diff: server-side dry run of the change.
    let r = f.kubectl_stdin(
        "alpha",
        &["diff", "-f", "-"],
        &APP.replace("replicas: 1", "replicas: 2"),
    );
    assert!(
        r.stdout.contains("-  replicas: 1") && r.stdout.contains("+  replicas: 2"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );

    // A List (`get -o yaml | apply -f -`): kubectl validates it itself, with /openapi/v2.
    let list = f.kubectl("alpha", &["get", "deploy,svc", "-o", "yaml"]);
    assert!(list.ok, "{}", list.stderr);
    let r = f.kubectl_stdin(
        "alpha",
        &["apply", "--dry-run=client", "-f", "-"],
        &list.stdout,
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("deployment.apps/web configured (dry run)")
            || r.stdout.contains("deployment.apps/web unchanged (dry run)"),
        "{}",
        r.stdout
    );
    let r = f.kubectl_stdin(
        "alpha",
        &["apply", "--dry-run=client", "-f", "-"],
        &list.stdout.replace("  replicas: 1", "  replicaz: 1"),
    );
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains(r#"unknown field "replicaz" in io.k8s.api.apps.v1.DeploymentSpec"#),
        "{}",
        r.stderr
    );
    let r = f.kubectl(
        "alpha",
        &[
            "explain",
            "deployment.spec.replicas",
            "--output=plaintext-openapiv2",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(r.stdout.contains("Number of desired pods"), "{}", r.stdout);

    // kubectl edit: the editor changes replicas, kubectl patches.
    let editor = f.write(
        "editor.sh",
        "#!/bin/sh\nsed -i 's/replicas: 1$/replicas: 3/' \"$1\"\n",
    );
    std::process::Command::new("chmod")
        .args(["+x", editor.to_str().unwrap()])
        .status()
        .unwrap();
    let out = std::process::Command::new("kubectl")
        .args(["--context", "alpha", "edit", "deployment", "web"])
        .env("KUBECONFIG", &f.kubeconfig)
        .env("KUBECACHEDIR", kube_cache_dir(&f.kubeconfig))
        .env("KUBE_EDITOR", &editor)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = f.kubectl(
        "alpha",
        &["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"],
    );
    assert_eq!(r.stdout, "3");
}

#[test]
fn openapi_documents_are_served_by_hash_with_etags() {
    let f = start_fleet(config_of(&["alpha"]));
    let url = f
        .sim
        .server_url("alpha")
        .unwrap()
        .replace("https://", "http://");
    let (code, body) = http("GET", &format!("{url}/openapi/v3"), "", "").unwrap();
    assert_eq!(code, 200, "{body}");
    let root: serde_json::Value = serde_json::from_str(&body).unwrap();
    let rel = root["paths"]["apis/apps/v1"]["serverRelativeURL"]
        .as_str()
        .unwrap()
        .to_string();
    let hash = rel.split("hash=").nth(1).unwrap().to_string();
    let (code, doc) = http("GET", &format!("{url}{rel}"), "", "").unwrap();
    assert_eq!(code, 200);
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    assert_eq!(
        doc["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"]
            ["x-kubernetes-group-version-kind"],
        serde_json::json!([{"group": "apps", "version": "v1", "kind": "Deployment"}])
    );
    // A stale hash redirects to the current document.
    let (code, _) = http(
        "GET",
        &format!("{url}/openapi/v3/apis/apps/v1?hash=0123"),
        "",
        "",
    )
    .unwrap();
    assert_eq!(code, 301);
    // A client that has the document revalidates by ETag (the helper has no header
    // parameter: the extra header rides on the Content-Type line).
    let (code, body) = http(
        "GET",
        &format!("{url}/openapi/v3/apis/apps/v1"),
        &format!("application/json\r\nIf-None-Match: \"{hash}\""),
        "",
    )
    .unwrap();
    assert_eq!(code, 304, "{body}");
    let (code, _) = http("GET", &format!("{url}/openapi/v3/apis/nope/v1"), "", "").unwrap();
    assert_eq!(code, 404);
    // v2 in JSON when asked for JSON (kubectl asks for protobuf, used above).
    let (code, body) = http("GET", &format!("{url}/openapi/v2"), "", "").unwrap();
    assert_eq!(code, 200);
    let v2: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v2["swagger"], "2.0");
    assert!(v2["definitions"]["io.k8s.api.core.v1.Pod"].is_object());
}
