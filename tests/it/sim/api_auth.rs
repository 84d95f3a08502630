//! Authentication (bearer tokens over TLS, TokenRequest), RBAC authorization, access reviews
//! and kubectl's protobuf generators, with the real kubectl.

use std::time::{Duration, Instant};

use crate::util::*;

const RBAC: &str = r#"apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-view, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: lock, namespace: team}
rules:
- {apiGroups: [coordination.k8s.io], resources: [leases], verbs: [create]}
- {apiGroups: [coordination.k8s.io], resources: [leases], resourceNames: [lock], verbs: [get, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: lock, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: lock}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#;

/// Adds a context `sa` (cluster alpha, the token) to the fleet's kubeconfig.
fn sa_context(f: &TestFleet, token: &str) {
    for args in [
        vec![
            "config",
            "set-credentials",
            "sa",
            &format!("--token={token}"),
        ],
        vec![
            "config",
            "set-context",
            "sa",
            "--cluster=alpha",
            "--user=sa",
            "--namespace=team",
        ],
    ] {
        let r = f.kubectl(
            "alpha",
            &args.iter().map(|s| s.as_ref()).collect::<Vec<&str>>(),
        );
        assert!(r.ok, "{}", r.stderr);
    }
}

fn can_i(f: &TestFleet, ctx: &str, args: &[&str]) -> bool {
    let mut a = vec!["auth", "can-i"];
    a.extend(args);
    let r = f.kubectl(ctx, &a);
    match r.stdout.trim() {
        "yes" => true,
        "no" => false,
        other => panic!("auth can-i {args:?}: {other:?} {}", r.stderr),
    }
}

#[test]
fn tokens_authenticate_and_rbac_decides_like_a_real_api_server() {
    let f = start_fleet(config_of(&["alpha"]));
    let url = f.sim.server_url("alpha").unwrap();
    assert!(url.starts_with("https://"), "{url}");

    // No token: only the public health/version paths; a wrong token: 401.
    let (code, _) = http_with_token("GET", &format!("{url}/version"), None, "", "").unwrap();
    assert_eq!(code, 200);
    let (code, body) = http_with_token("GET", &format!("{url}/api/v1/pods"), None, "", "").unwrap();
    assert_eq!(code, 401, "{body}");
    assert!(body.contains("\"reason\":\"Unauthorized\""), "{body}");
    let (code, _) =
        http_with_token("GET", &format!("{url}/api/v1/pods"), Some("nope"), "", "").unwrap();
    assert_eq!(code, 401);

    // The admin token of the kubeconfig is cluster-admin.
    let rbac = f.write("rbac.yaml", RBAC);
    let r = f.kubectl("alpha", &["apply", "-f", rbac.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    assert!(can_i(&f, "alpha", &["delete", "nodes"]));

    // TokenRequest: kubectl create token (protobuf body).
    let r = f.kubectl(
        "alpha",
        &["create", "token", "app", "-n", "team", "--duration=1h"],
    );
    assert!(r.ok, "{}", r.stderr);
    let token = r.stdout.trim().to_string();
    assert!(!token.is_empty());
    sa_context(&f, &token);

    let r = f.kubectl(
        "sa",
        &[
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username}",
        ],
    );
    assert_eq!(r.stdout, "system:serviceaccount:team:app", "{}", r.stderr);
    // view in team: read pods, not secrets, not write, not other namespaces.
    assert!(f.kubectl("sa", &["get", "pods"]).ok);
    let r = f.kubectl("sa", &["get", "pods", "-n", "default"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains(r#"pods is forbidden: User "system:serviceaccount:team:app" cannot list resource "pods" in API group "" in the namespace "default""#),
        "{}",
        r.stderr
    );
    let r = f.kubectl("sa", &["get", "secrets"]);
    assert!(
        r.stderr.contains(r#"cannot list resource "secrets""#),
        "{}",
        r.stderr
    );
    let r = f.kubectl("sa", &["get", "nodes"]);
    assert!(
        r.stderr
            .contains(r#"cannot list resource "nodes" in API group "" at the cluster scope"#),
        "{}",
        r.stderr
    );
    assert!(can_i(&f, "sa", &["list", "deployments.apps"]));
    assert!(can_i(&f, "sa", &["get", "deployments.apps/scale"]));
    assert!(!can_i(&f, "sa", &["update", "deployments.apps/scale"]));
    assert!(!can_i(&f, "sa", &["create", "pods"]));
    assert!(!can_i(&f, "sa", &["list", "pods", "-n", "default"]));
    // resourceNames: only the named lease.
    assert!(can_i(&f, "sa", &["get", "leases.coordination.k8s.io/lock"]));
    assert!(!can_i(
        &f,
        "sa",
        &["get", "leases.coordination.k8s.io/other"]
    ));
    assert!(!can_i(&f, "sa", &["list", "leases.coordination.k8s.io"]));
    // The same answers through the API.
    let lease = f.write(
        "lease.yaml",
        "apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: lock, namespace: team}\nspec: {holderIdentity: me}\n",
    );
    let r = f.kubectl("sa", &["create", "-f", lease.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl("sa", &["get", "lease", "lock", "-o", "name"]);
    assert_eq!(
        r.stdout.trim(),
        "lease.coordination.k8s.io/lock",
        "{}",
        r.stderr
    );
    let r = f.kubectl("sa", &["delete", "lease", "lock"]);
    assert!(
        r.stderr.contains(r#"leases.coordination.k8s.io "lock" is forbidden"#)
            && r.stderr.contains(r#"cannot delete resource "leases" in API group "coordination.k8s.io" in the namespace "team""#),
        "{}",
        r.stderr
    );

    // Impersonation: the admin may, the ServiceAccount may not.
    assert!(!can_i(
        &f,
        "alpha",
        &[
            "list",
            "secrets",
            "-n",
            "team",
            "--as=system:serviceaccount:team:app"
        ]
    ));
    let r = f.kubectl("sa", &["get", "pods", "--as=someone"]);
    assert!(
        r.stderr.contains(r#"cannot impersonate resource "users""#),
        "{}",
        r.stderr
    );

    // Aggregation: a ClusterRole labelled aggregate-to-view extends view (and edit, admin).
    let agg = f.write(
        "agg.yaml",
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: secret-reader
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
"#,
    );
    let r = f.kubectl("alpha", &["apply", "-f", agg.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !can_i(&f, "sa", &["list", "secrets"]) {
        assert!(Instant::now() < deadline, "view was not aggregated");
        std::thread::sleep(Duration::from_millis(100));
    }
    let r = f.kubectl("alpha", &["get", "clusterrole", "admin", "-o", "json"]);
    assert!(r.stdout.contains("\"secrets\""), "{}", r.stdout);

    // Deleting the ServiceAccount invalidates its tokens.
    assert!(
        f.kubectl("alpha", &["delete", "sa", "app", "-n", "team"])
            .ok
    );
    let r = f.kubectl("sa", &["get", "pods"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("Unauthorized") || r.stderr.contains("provide credentials"),
        "{}",
        r.stderr
    );
}

#[test]
fn kubectl_create_generators_send_protobuf_and_work() {
    let f = start_fleet(config_of(&["alpha"]));
    for args in [
        vec!["create", "namespace", "team"],
        vec![
            "create",
            "deployment",
            "web",
            "--image=nginx:1.27",
            "--replicas=2",
            "--port=80",
            "-n",
            "team",
        ],
        vec![
            "create",
            "secret",
            "generic",
            "db",
            "--from-literal=password=hunter2",
            "-n",
            "team",
        ],
        vec![
            "create",
            "configmap",
            "cfg",
            "--from-literal=mode=fast",
            "-n",
            "team",
        ],
        vec!["create", "serviceaccount", "bot", "-n", "team"],
    ] {
        let r = f.kubectl("alpha", &args);
        assert!(r.ok, "{args:?}: {}", r.stderr);
    }
    let r = f.kubectl(
        "alpha",
        &["get", "deploy", "web", "-n", "team", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.metadata.labels.app}"],
    );
    assert_eq!(r.stdout, "2 nginx:1.27 80 web", "{}", r.stderr);
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "secret",
            "db",
            "-n",
            "team",
            "-o",
            "jsonpath={.data.password}",
        ],
    );
    assert_eq!(r.stdout, "aHVudGVyMg==");
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "cm",
            "cfg",
            "-n",
            "team",
            "-o",
            "jsonpath={.data.mode}",
        ],
    );
    assert_eq!(r.stdout, "fast");
    let r = f.kubectl("alpha", &["get", "sa", "-n", "team", "-o", "name"]);
    assert_eq!(
        r.stdout, "serviceaccount/bot\nserviceaccount/default\n",
        "{}",
        r.stderr
    );
    // The Deployment controller acts on it (the cluster has no nodes: pods stay Pending).
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = f.kubectl(
            "alpha",
            &["get", "pods", "-n", "team", "-l", "app=web", "-o", "name"],
        );
        if r.stdout.lines().count() == 2 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no pods for the generated deployment: {}",
            r.stderr
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    for args in [
        vec![
            "create",
            "priorityclass",
            "hi",
            "--value=1000",
            "--description=high",
        ],
        vec![
            "create",
            "role",
            "reader",
            "--verb=get,list",
            "--resource=pods",
            "-n",
            "team",
        ],
        vec![
            "create",
            "rolebinding",
            "reader",
            "--role=reader",
            "--serviceaccount=team:bot",
            "-n",
            "team",
        ],
        vec![
            "create",
            "clusterrolebinding",
            "bot-view",
            "--clusterrole=view",
            "--serviceaccount=team:bot",
        ],
        vec![
            "create",
            "service",
            "clusterip",
            "web",
            "--tcp=80:8080",
            "-n",
            "team",
        ],
        vec!["create", "job", "once", "--image=busybox", "-n", "team"],
    ] {
        let r = f.kubectl("alpha", &args);
        assert!(r.ok, "{args:?}: {}", r.stderr);
    }
    let r = f.kubectl(
        "alpha",
        &["get", "pc", "hi", "-o", "jsonpath={.value} {.description}"],
    );
    assert_eq!(r.stdout, "1000 high", "{}", r.stderr);
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "svc",
            "web",
            "-n",
            "team",
            "-o",
            "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.type}",
        ],
    );
    assert_eq!(r.stdout, "80 8080 ClusterIP", "{}", r.stderr);
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "job",
            "once",
            "-n",
            "team",
            "-o",
            "jsonpath={.spec.template.spec.restartPolicy}",
        ],
    );
    assert_eq!(r.stdout, "Never", "{}", r.stderr);
    // The generated RBAC works: the bot may list pods in team.
    assert!(can_i(
        &f,
        "alpha",
        &[
            "list",
            "pods",
            "-n",
            "team",
            "--as=system:serviceaccount:team:bot"
        ]
    ));
    assert!(!can_i(
        &f,
        "alpha",
        &[
            "delete",
            "pods",
            "-n",
            "team",
            "--as=system:serviceaccount:team:bot"
        ]
    ));
}

#[test]
fn the_metrics_apis_are_authorized_on_their_group_and_resource() {
    let f = start_fleet(config_of(&["alpha"]));
    let setup = f.write(
        "sa.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: app, namespace: team}\n",
    );
    assert!(
        f.kubectl("alpha", &["apply", "-f", setup.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl("alpha", &["create", "token", "app", "-n", "team"]);
    assert!(r.ok, "{}", r.stderr);
    sa_context(&f, r.stdout.trim());

    // No binding: denied like any resource, named by group and resource.
    assert!(!can_i(&f, "sa", &["list", "pods.metrics.k8s.io"]));
    let r = f.kubectl("sa", &["top", "pods"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains(r#"pods.metrics.k8s.io is forbidden: User "system:serviceaccount:team:app" cannot list resource "pods" in API group "metrics.k8s.io" in the namespace "team""#),
        "{}",
        r.stderr
    );
    let custom = "/apis/custom.metrics.k8s.io/v1beta2/namespaces/team/pods/*/qps";
    let r = f.kubectl("sa", &["get", "--raw", custom]);
    assert!(
        r.stderr.contains(r#"cannot get resource "pods/qps" in API group "custom.metrics.k8s.io" in the namespace "team""#),
        "{}",
        r.stderr
    );
    let r = f.kubectl("sa", &["top", "nodes"]);
    assert!(
        r.stderr.contains(
            r#"cannot list resource "nodes" in API group "metrics.k8s.io" at the cluster scope"#
        ),
        "{}",
        r.stderr
    );

    // `view` includes resource metrics (system:aggregated-metrics-reader), not custom ones.
    let bind = f.write(
        "bind.yaml",
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-view, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#,
    );
    assert!(
        f.kubectl("alpha", &["apply", "-f", bind.to_str().unwrap()])
            .ok
    );
    assert!(can_i(&f, "sa", &["list", "pods.metrics.k8s.io"]));
    let r = f.kubectl("sa", &["top", "pods"]);
    assert!(!r.stderr.contains("forbidden"), "{}", r.stderr);
    let r = f.kubectl("sa", &["get", "--raw", custom]);
    assert!(r.stderr.contains("forbidden"), "{}", r.stderr);
    let custom_role = f.write(
        "custom.yaml",
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: custom-metrics, namespace: team}
rules: [{apiGroups: [custom.metrics.k8s.io], resources: ["*"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: custom-metrics, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: custom-metrics}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#,
    );
    assert!(
        f.kubectl("alpha", &["apply", "-f", custom_role.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl("sa", &["get", "--raw", custom]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stdout.contains("\"kind\":\"MetricValueList\""),
        "{}",
        r.stdout
    );
}

#[test]
fn the_aggregated_edit_role_and_a_piped_dry_run_apply_work_with_kubectl() {
    let f = start_fleet(config_of(&["alpha"]));
    // A ServiceAccount bound to the aggregated `edit` ClusterRole in its namespace.
    let rbac = f.write(
        "edit.yaml",
        r#"apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-edit, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#,
    );
    let r = f.kubectl("alpha", &["apply", "-f", rbac.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl("alpha", &["create", "token", "app", "-n", "team"]);
    assert!(r.ok, "{}", r.stderr);
    sa_context(&f, r.stdout.trim());
    let r = f.kubectl("sa", &["create", "deployment", "web", "--image=nginx:1.27"]);
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl(
        "sa",
        &[
            "create",
            "secret",
            "generic",
            "db",
            "--from-literal=password=x",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(can_i(&f, "sa", &["create", "deployments"]));
    assert!(can_i(&f, "sa", &["create", "secrets"]));
    // edit grants no RBAC: no role bindings (no privilege escalation), nothing elsewhere.
    assert!(!can_i(&f, "sa", &["create", "rolebindings"]));
    assert!(!can_i(
        &f,
        "sa",
        &["create", "deployments", "-n", "default"]
    ));
    let r = f.kubectl(
        "sa",
        &[
            "create",
            "rolebinding",
            "x",
            "--clusterrole=admin",
            "--user=me",
        ],
    );
    assert!(!r.ok);
    assert!(
        r.stderr.contains("cannot create resource \"rolebindings\" in API group \"rbac.authorization.k8s.io\" in the namespace \"team\""),
        "{}",
        r.stderr
    );

    // The literal pipe: a client-side dry run's YAML applied from stdin.
    let kc = f.kubeconfig.to_str().unwrap();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(
            "kubectl --context alpha create secret generic s --from-literal=a=b --dry-run=client -o yaml \
             | kubectl --context alpha apply -f -",
        )
        .env("KUBECONFIG", kc)
        .env("KUBECACHEDIR", kube_cache_dir(&f.kubeconfig))
        .output()
        .expect("sh runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stdout.trim(), "secret/s created", "{stderr}");
    let r = f.kubectl(
        "alpha",
        &["get", "secret", "s", "-o", "jsonpath={.data.a} {.type}"],
    );
    assert_eq!(r.stdout, "Yg== Opaque", "{}", r.stderr);
}

#[test]
fn apiservices_list_the_served_group_versions_and_the_metrics_availability() {
    let f = start_fleet(config_of(&["alpha"]));
    // Discovery: a cluster-scoped, read-only resource of apiregistration.k8s.io/v1.
    let r = f.kubectl(
        "alpha",
        &[
            "api-resources",
            "--api-group=apiregistration.k8s.io",
            "-o",
            "wide",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("apiservices "))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    let cols: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        cols,
        [
            "apiservices",
            "apiregistration.k8s.io/v1",
            "false",
            "APIService",
            "get,list"
        ],
        "{line}"
    );
    // The admin's table: every group-version, local ones `Local`, the metrics ones behind
    // their Service, all available.
    let r = f.kubectl("alpha", &["get", "apiservices"]);
    assert!(r.ok, "{}", r.stderr);
    let rows: Vec<Vec<&str>> = r
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        ["NAME", "SERVICE", "AVAILABLE", "AGE"],
        "{}",
        r.stdout
    );
    let row = |name: &str| {
        rows.iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("no {name}:\n{}", r.stdout))
            .clone()
    };
    assert_eq!(row("v1.")[1..3], ["Local", "True"]);
    assert_eq!(row("v1.apps")[1..3], ["Local", "True"]);
    assert_eq!(row("v1.apiregistration.k8s.io")[1..3], ["Local", "True"]);
    assert_eq!(
        row("v1beta1.metrics.k8s.io")[1..3],
        ["kube-system/metrics-server", "True"]
    );
    assert_eq!(row("v1beta2.custom.metrics.k8s.io")[2], "True");
    assert_eq!(row("v1beta1.external.metrics.k8s.io")[2], "True");
    // One object per served group-version: as many as `kubectl api-versions` lists.
    let versions = f.kubectl("alpha", &["api-versions"]);
    assert_eq!(
        rows.len() - 1,
        versions.stdout.lines().count(),
        "{}\n{}",
        r.stdout,
        versions.stdout
    );
    let r = f.kubectl(
        "alpha",
        &["get", "apiservice", "v1beta1.metrics.k8s.io", "-o", "yaml"],
    );
    assert!(r.ok, "{}", r.stderr);
    for want in [
        "kind: APIService",
        "  service:\n    name: metrics-server\n    namespace: kube-system\n    port: 443",
        "  group: metrics.k8s.io\n",
        "    reason: Passed\n    status: \"True\"\n    type: Available",
    ] {
        assert!(r.stdout.contains(want), "{want:?} in:\n{}", r.stdout);
    }
    let r = f.kubectl("alpha", &["get", "apiservice", "v1.apps", "-o", "yaml"]);
    assert!(
        r.stdout.contains("  service: null\n") && r.stdout.contains("reason: Local"),
        "{}",
        r.stdout
    );
    let r = f.kubectl("alpha", &["get", "apiservice", "v1beta1.nope"]);
    assert!(
        r.stderr
            .contains(r#"apiservices.apiregistration.k8s.io "v1beta1.nope" not found"#),
        "{}",
        r.stderr
    );
    // Read-only.
    let r = f.kubectl("alpha", &["delete", "apiservice", "v1.apps"]);
    assert!(
        !r.ok
            && r.stderr
                .contains("serves apiservices read-only (get, list)"),
        "{}",
        r.stderr
    );
    // The OpenAPI document describes it (kubectl explain).
    let r = f.kubectl("alpha", &["explain", "apiservice.spec.service"]);
    assert!(
        r.ok && r.stdout.contains("KIND:       APIService"),
        "{}{}",
        r.stdout,
        r.stderr
    );

    // Metrics switched off: the aggregated APIServices are unavailable, the local ones not.
    f.sim.cluster("alpha").unwrap().faults.set_no_metrics(true);
    let r = f.kubectl("alpha", &["get", "apiservices"]);
    let line = |name: &str| {
        r.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no {name}:\n{}", r.stdout))
            .to_string()
    };
    for name in [
        "v1beta1.metrics.k8s.io",
        "v1beta2.custom.metrics.k8s.io",
        "v1beta1.external.metrics.k8s.io",
    ] {
        assert!(
            line(name).contains(" False (FailedDiscoveryCheck) "),
            "{}",
            r.stdout
        );
    }
    assert!(line("v1.apps").contains(" True "), "{}", r.stdout);
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "apiservice",
            "v1beta1.metrics.k8s.io",
            "-o",
            "jsonpath={.status.conditions[0].status} {.status.conditions[0].reason}",
        ],
    );
    assert_eq!(r.stdout, "False FailedDiscoveryCheck", "{}", r.stderr);
    f.sim.cluster("alpha").unwrap().faults.set_no_metrics(false);
    let r = f.kubectl(
        "alpha",
        &[
            "get",
            "apiservice",
            "v1beta1.metrics.k8s.io",
            "-o",
            "jsonpath={.status.conditions[0].status}",
        ],
    );
    assert_eq!(r.stdout, "True", "{}", r.stderr);

    // RBAC: `view` does not include apiservices; a ClusterRole granting them does.
    let setup = f.write(
        "sa.yaml",
        r#"apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: app-view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#,
    );
    assert!(
        f.kubectl("alpha", &["apply", "-f", setup.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl("alpha", &["create", "token", "app", "-n", "team"]);
    assert!(r.ok, "{}", r.stderr);
    sa_context(&f, r.stdout.trim());
    let r = f.kubectl("sa", &["get", "apiservices"]);
    assert!(
        !r.ok && r.stderr.contains(r#"apiservices.apiregistration.k8s.io is forbidden: User "system:serviceaccount:team:app" cannot list resource "apiservices" in API group "apiregistration.k8s.io" at the cluster scope"#),
        "{}",
        r.stderr
    );
    assert!(!can_i(&f, "sa", &["get", "apiservices"]));
    let grant = f.write(
        "grant.yaml",
        r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: apiservice-reader}
rules: [{apiGroups: [apiregistration.k8s.io], resources: [apiservices], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: app-apiservices}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: apiservice-reader}
subjects: [{kind: ServiceAccount, name: app, namespace: team}]
"#,
    );
    assert!(
        f.kubectl("alpha", &["apply", "-f", grant.to_str().unwrap()])
            .ok
    );
    let r = f.kubectl("sa", &["get", "apiservice", "v1beta1.metrics.k8s.io"]);
    assert!(
        r.ok && r.stdout.contains("kube-system/metrics-server"),
        "{}",
        r.stderr
    );
}
