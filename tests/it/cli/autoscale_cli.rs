//! The autoscaler's kubectl verbs on the simulated fleet: `autoscale`, `get hpa [-M] [-o ...]`,
//! `delete hpa/NAME`, `top pods|nodes`; Object and External metrics read from the member that
//! serves them; the reconciler's state write never loses a newer spec nor undoes a delete.

use std::time::Duration;

use kubectl_fleet::sim::store::Kind;

use super::autoscale_apply::{fleet, WEB};
use super::autoscale_metrics::ready_pods;
use super::faults_util::{fleet as run_fleet, wait_until, Out};
use crate::util::TestFleet;

fn run(tf: &TestFleet, args: &[&str]) -> Out {
    run_fleet(&tf.kubeconfig, args)
}

fn ok(tf: &TestFleet, args: &[&str]) -> Out {
    let out = run(tf, args);
    assert_eq!(
        out.code,
        Some(0),
        "kubectl fleet {args:?}: stdout: {} stderr: {}",
        out.stdout,
        out.stderr
    );
    out
}

/// The autoscaler ConfigMap of `cluster`, if stored there.
fn stored(tf: &TestFleet, cluster: &str, name: &str) -> Option<serde_json::Value> {
    tf.sim.store(cluster).unwrap().get(
        Kind::ConfigMap,
        "default",
        &format!("kubectl-fleet-hpa-{name}"),
    )
}

fn data_json(cm: &serde_json::Value, key: &str) -> serde_json::Value {
    serde_json::from_str(cm["data"][key].as_str().unwrap()).unwrap()
}

fn replicas(tf: &TestFleet, cluster: &str) -> i64 {
    tf.sim
        .store(cluster)
        .unwrap()
        .get(Kind::Deployment, "default", "web")
        .map(|d| d["spec"]["replicas"].as_i64().unwrap_or(0))
        .unwrap_or(0)
}

/// Applies `manifest` (Deployment web + policy, maybe an autoscaler) and waits for 2 Ready pods.
fn apply_web(tf: &TestFleet, manifest: &str) {
    let f = tf.write("web.yaml", manifest);
    ok(tf, &["apply", "-f", f.to_str().unwrap(), "--yes", "--wait"]);
    wait_until(Duration::from_secs(60), "2 ready pods", || {
        ready_pods(tf, "c1") + ready_pods(tf, "c2") == 2
    });
}

fn sim_load(tf: &TestFleet, args: &[&str]) -> Out {
    let kc = tf.kubeconfig.to_str().unwrap().to_string();
    let mut all = vec!["sim", "load", "deploy/web"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--kubeconfig", &kc]);
    ok(tf, &all)
}

fn fault(tf: &TestFleet, cluster: &str, flag: &str) {
    let kc = tf.kubeconfig.to_str().unwrap().to_string();
    ok(tf, &["sim", "fault", cluster, flag, "--kubeconfig", &kc]);
}

/// Runs `reconcile --once` until a pass prints `needle` (new pods' first samples are ignored
/// for one metrics window, as the HPA does), at most 20 passes.
fn reconcile_until(tf: &TestFleet, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..20 {
        let out = run(tf, &["reconcile", "--once"]);
        if out.stdout.contains(needle) {
            return out.stdout;
        }
        last.push_str(&format!("stdout: {} stderr: {}\n", out.stdout, out.stderr));
        std::thread::sleep(Duration::from_millis(300));
    }
    let hpa = run(tf, &["get", "hpa", "-o", "yaml"]);
    panic!(
        "no reconcile pass printed {needle:?}; last: {last}; autoscalers: {}",
        hpa.stdout
    );
}

fn row<'a>(text: &'a str, first: &str, col2: &str) -> Vec<&'a str> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|c| c.len() > 1 && c[0] == first && c[1] == col2)
        .unwrap_or_else(|| panic!("no row {first} {col2} in:\n{text}"))
}

#[test]
fn autoscale_cli_autoscale_get_and_delete_like_kubectl() {
    let tf = fleet();
    apply_web(&tf, WEB);

    // Bad input: one line, nothing stored.
    let out = run(&tf, &["autoscale", "deploy/nope", "--max", "5"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_eq!(out.stderr.trim().lines().count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("deployment default/nope is not managed by kubectl-fleet"),
        "{}",
        out.stderr
    );
    let out = run(
        &tf,
        &["autoscale", "deploy/web", "--min", "5", "--max", "3"],
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr
            .contains("--min=MINPODS must be no more than --max=MAXPODS"),
        "{}",
        out.stderr
    );
    let out = run(
        &tf,
        &["autoscale", "deploy/web", "--max", "3", "--name", "Web_1"],
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr
            .contains("--name \"Web_1\": must consist of lower case"),
        "{}",
        out.stderr
    );
    let out = run(&tf, &["autoscale", "deploy/web"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("--max=MAXPODS is required"),
        "{}",
        out.stderr
    );
    let out = ok(
        &tf,
        &["autoscale", "deploy/web", "--max", "5", "--dry-run=client"],
    );
    assert!(
        out.stdout
            .contains("horizontalpodautoscaler.autoscaling/web autoscaled (dry run)"),
        "{}",
        out.stdout
    );
    let out = ok(
        &tf,
        &[
            "autoscale",
            "deploy/web",
            "--max",
            "5",
            "--dry-run=server",
            "-o",
            "yaml",
        ],
    );
    let y: serde_json::Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(y["kind"], "HorizontalPodAutoscaler");
    assert_eq!(
        y["spec"]["minReplicas"], 1,
        "--min defaults to 1 like kubectl"
    );
    assert_eq!(
        y["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"], 80,
        "kubectl's default policy"
    );
    for c in ["c1", "c2"] {
        assert!(stored(&tf, c, "web").is_none(), "{c}: a dry run stored it");
    }

    let out = ok(
        &tf,
        &[
            "autoscale",
            "deploy/web",
            "--min",
            "2",
            "--max",
            "6",
            "--cpu-percent",
            "50",
        ],
    );
    assert!(
        out.stdout
            .contains("horizontalpodautoscaler.autoscaling/web autoscaled"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("stored in 2 member(s)"),
        "{}",
        out.stdout
    );
    for c in ["c1", "c2"] {
        let cm = stored(&tf, c, "web").expect("stored in every member");
        let doc = data_json(&cm, "autoscaler.json");
        assert_eq!(doc["kind"], "HorizontalPodAutoscaler");
        assert_eq!(doc["spec"]["minReplicas"], 2);
        assert_eq!(doc["spec"]["maxReplicas"], 6);
        assert_eq!(
            doc["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            50
        );
        assert!(tf
            .sim
            .store(c)
            .unwrap()
            .list(Kind::HorizontalPodAutoscaler, None)
            .is_empty());
    }
    let out = run(&tf, &["autoscale", "deploy/web", "--max", "9"]);
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(out.stderr.contains("already exists"), "{}", out.stderr);
    let out = run(
        &tf,
        &["autoscale", "deploy/web", "--max", "9", "--name", "other"],
    );
    assert_eq!(out.code, Some(2), "{out:?}");
    assert!(
        out.stderr.contains("already has autoscaler \"web\""),
        "{}",
        out.stderr
    );

    // Completion knows the autoscalers.
    let out = ok(&tf, &["__complete", "delete", "hpa/"]);
    assert!(out.stdout.lines().any(|l| l == "hpa/web"), "{}", out.stdout);
    let out = ok(&tf, &["__complete", "get", "hpa", ""]);
    assert!(out.stdout.lines().any(|l| l == "web"), "{}", out.stdout);

    // Before any evaluation: no current value.
    let out = ok(&tf, &["get", "hpa"]);
    let r = row(&out.stdout, "web", "Deployment/web");
    assert_eq!(
        r[2..],
        ["cpu:", "<unknown>/50%", "2", "6", "0", r[7]],
        "{}",
        out.stdout
    );
    assert!(out.stdout.starts_with("NAME"), "{}", out.stdout);
    for h in [
        "REFERENCE",
        "TARGETS",
        "MINPODS",
        "MAXPODS",
        "REPLICAS",
        "AGE",
    ] {
        assert!(
            out.stdout.lines().next().unwrap().contains(h),
            "{}",
            out.stdout
        );
    }

    // 3 cores over 2 pods requesting 500m: 300% of 50% → 2 -> 4 (the legacy scale-up limit,
    // max(2 × 2, 4)), then on to the maximum, 6.
    sim_load(&tf, &["--cpu", "3"]);
    reconcile_until(&tf, "deploy/web 2 -> 4 (cpu resource utilization");
    let out = ok(&tf, &["get", "horizontalpodautoscalers"]);
    let r = row(&out.stdout, "web", "Deployment/web");
    assert_eq!(
        r[2..7],
        ["cpu:", "300%/50%", "2", "6", "2"],
        "{}",
        out.stdout
    );
    let out = ok(&tf, &["get", "hpa", "web", "-o", "yaml"]);
    let y: serde_json::Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(y["status"]["currentReplicas"], 2);
    assert_eq!(y["status"]["desiredReplicas"], 4);
    assert_eq!(
        y["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"],
        300
    );
    reconcile_until(&tf, "deploy/web 4 -> 6");

    let out = ok(&tf, &["get", "hpa", "web", "-o", "yaml"]);
    let y: serde_json::Value = serde_saphyr::from_str(&out.stdout).unwrap();
    assert_eq!(y["apiVersion"], "autoscaling/v2");
    assert_eq!(y["kind"], "HorizontalPodAutoscaler");
    assert_eq!(y["status"]["currentReplicas"], 4);
    assert_eq!(y["status"]["desiredReplicas"], 6);
    assert!(
        y["status"]["lastScaleTime"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "{y}"
    );
    let conditions = y["status"]["conditions"].as_array().unwrap();
    let types: Vec<&str> = conditions
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["AbleToScale", "ScalingActive", "ScalingLimited"],
        "{y}"
    );
    let out = ok(&tf, &["describe", "hpa/web"]);
    for want in [
        "Reference:",
        "Deployment/web",
        "resource cpu on pods  (as a percentage of request):",
        "/ 50%",
        "Min replicas:",
        "4 current / 6 desired",
        "SucceededRescale",
        "Members:",
    ] {
        assert!(
            out.stdout.contains(want),
            "{want:?} missing:\n{}",
            out.stdout
        );
    }
    let out = run(&tf, &["describe", "hpa", "nope"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(out.stderr.contains("not found"), "{}", out.stderr);
    let out = ok(&tf, &["get", "hpa", "-o", "json"]);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(j["kind"], "List");
    assert_eq!(j["items"][0]["metadata"]["name"], "web");
    let out = ok(&tf, &["get", "hpa", "-o", "name"]);
    assert_eq!(out.stdout, "horizontalpodautoscaler.autoscaling/web\n");
    let out = ok(
        &tf,
        &[
            "get",
            "hpa",
            "-o",
            "jsonpath={.items[0].status.desiredReplicas}",
        ],
    );
    assert_eq!(out.stdout.trim(), "6");

    // -M: each member's own Ready pods and metric values, then the fleet row.
    wait_until(Duration::from_secs(60), "6 ready pods", || {
        ready_pods(&tf, "c1") + ready_pods(&tf, "c2") == 6
    });
    let out = ok(&tf, &["get", "hpa", "-M"]);
    let mut ready_sum = 0;
    for c in ["c1", "c2"] {
        let r = row(&out.stdout, "web", c);
        let ready: usize = r[r.len() - 1].parse().unwrap();
        assert_eq!(ready, ready_pods(&tf, c), "{}", out.stdout);
        ready_sum += ready;
        if ready > 0 {
            // 3 cores over 6 pods of 500m: 100% in every member.
            assert_eq!(r[4], "100%/50%", "{}", out.stdout);
        }
    }
    assert_eq!(ready_sum, 6);
    row(&out.stdout, "web", "(fleet)");

    // A member down: its row says so; delete names it and how to retry, exit 1.
    fault(&tf, "c2", "--down");
    let out = run(&tf, &["get", "hpa", "-M"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    let r = row(&out.stdout, "web", "c2");
    assert_eq!(r[3], "Unreachable", "{}", out.stdout);
    let out = run(&tf, &["delete", "hpa/web"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stdout
            .contains("horizontalpodautoscaler.autoscaling \"web\" deleted from c1"),
        "{}",
        out.stdout
    );
    assert!(out.stderr.contains("c2"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("kubectl fleet delete hpa/web -n default` again"),
        "{}",
        out.stderr
    );
    assert!(stored(&tf, "c1", "web").is_none());
    fault(&tf, "c2", "--up");
    assert!(stored(&tf, "c2", "web").is_some());
    let before = (replicas(&tf, "c1"), replicas(&tf, "c2"));
    let out = ok(&tf, &["delete", "hpa", "web"]);
    assert!(out.stdout.contains("deleted from c2"), "{}", out.stdout);
    assert!(stored(&tf, "c2", "web").is_none());
    // The Deployment is untouched.
    assert_eq!((replicas(&tf, "c1"), replicas(&tf, "c2")), before);
    assert_eq!(before.0 + before.1, 6);
    let out = ok(&tf, &["get", "hpa"]);
    assert!(
        out.stderr
            .contains("No resources found in default namespace."),
        "{}",
        out.stderr
    );
    let out = run(&tf, &["delete", "hpa/web"]);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("not found in any member"),
        "{}",
        out.stderr
    );
}

const FHPA_EXT: &str = "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {name: web, namespace: default}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 10\n  metrics:\n  - type: External\n    external: {metric: {name: queue_depth}, target: {type: AverageValue, averageValue: '10'}}\n  - type: Object\n    object: {describedObject: {apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}, metric: {name: requests_per_second}, target: {type: Value, value: '300'}}\n  behavior:\n    scaleUp: {policies: [{type: Pods, value: 10, periodSeconds: 15}]}\n";

#[test]
fn autoscale_cli_external_and_object_metrics_come_from_the_member_serving_them() {
    let tf = fleet();
    apply_web(&tf, &format!("{WEB}---\n{FHPA_EXT}"));
    // Nothing serves them yet: ScalingActive False, nothing scaled.
    let out = run(&tf, &["reconcile", "--once"]);
    assert!(!out.stdout.contains("autoscaled"), "{out:?}");
    let cm = stored(&tf, "c1", "web").unwrap();
    let st = data_json(&cm, "state.json");
    let active = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "ScalingActive")
        .unwrap()
        .clone();
    assert_eq!(active["status"], "False", "{st}");
    assert_eq!(active["reason"], "FailedGetExternalMetric", "{st}");

    // Bad `sim load` input: exit 2 or a one-line refusal naming the flag or the member.
    let kc = tf.kubeconfig.to_str().unwrap().to_string();
    let bad = run(
        &tf,
        &[
            "sim",
            "load",
            "deploy/web",
            "--cpu",
            "0",
            "--object",
            "main=3",
            "--kubeconfig",
            &kc,
        ],
    );
    assert_eq!(bad.code, Some(2), "{bad:?}");
    assert!(
        bad.stderr
            .contains("--object: \"main=3\": expected KIND/NAME:METRIC=VALUE"),
        "{}",
        bad.stderr
    );
    let bad = run(
        &tf,
        &[
            "sim",
            "load",
            "deploy/web",
            "--cpu",
            "0",
            "--external",
            "q=1",
            "--cluster",
            "nope",
            "--kubeconfig",
            &kc,
        ],
    );
    assert_ne!(bad.code, Some(0), "{bad:?}");
    assert!(
        bad.stderr.contains("cluster \"nope\" is not a member"),
        "{}",
        bad.stderr
    );

    let out = sim_load(
        &tf,
        &[
            "--cpu",
            "0",
            "--external",
            "queue_depth=60",
            "--object",
            "ingress/main:requests_per_second=900",
            "--cluster",
            "c2",
        ],
    );
    assert!(out.stdout.contains("served by c2"), "{}", out.stdout);
    // Only c2 serves them, to real kubectl too.
    let raw = tf.kubectl(
        "c2",
        &[
            "get",
            "--raw",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth",
        ],
    );
    assert!(raw.ok, "{raw:?}");
    let v: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    assert_eq!(v["items"][0]["value"], "60000m");
    let raw = tf.kubectl(
        "c1",
        &[
            "get",
            "--raw",
            "/apis/external.metrics.k8s.io/v1beta1/namespaces/default/queue_depth",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&raw.stdout).unwrap();
    assert_eq!(v["items"].as_array().unwrap().len(), 0, "{v}");
    let raw = tf.kubectl("c2", &["get", "--raw", "/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/ingresses.networking.k8s.io/main/requests_per_second"]);
    assert!(raw.ok, "{raw:?}");
    assert!(tf
        .kubectl("c1", &["api-versions"])
        .stdout
        .contains("external.metrics.k8s.io/v1beta1"));

    // External AverageValue: 60 over 2 pods at 10 per pod → ceil(60/10) = 6; Object Value:
    // 900 vs 300 → ceil(3 × 2 ready) = 6; the larger of the two (equal) wins.
    reconcile_until(&tf, "deploy/web 2 -> 6");
    let out = ok(&tf, &["get", "fhpa", "-o", "wide"]);
    let r = row(&out.stdout, "web", "Deployment/web");
    let line = r.join(" ");
    assert!(
        line.contains("queue_depth: 30/10 (avg), requests_per_second: 900/300"),
        "{}",
        out.stdout
    );
    let out = ok(&tf, &["get", "federatedhpa", "web", "-o", "json"]);
    let j: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(j["kind"], "FederatedHPA");
    assert_eq!(j["apiVersion"], "autoscaling.karmada.io/v1alpha1");
    let cm = &j["status"]["currentMetrics"];
    assert_eq!(cm[0]["external"]["current"]["averageValue"], "30", "{j}");
    assert_eq!(cm[1]["object"]["current"]["value"], "900", "{j}");
    assert_eq!(cm[1]["object"]["describedObject"]["kind"], "Ingress", "{j}");
    // -M: the values belong to c2.
    let out = ok(&tf, &["get", "fhpa", "-M", "-o", "wide"]);
    let c2 = row(&out.stdout, "web", "c2").join(" ");
    assert!(
        c2.contains("queue_depth: 60/10 (avg)") && c2.contains("requests_per_second: 900/300"),
        "{}",
        out.stdout
    );
    let c1 = row(&out.stdout, "web", "c1").join(" ");
    assert!(
        c1.contains("queue_depth: <unknown>/10 (avg)"),
        "{}",
        out.stdout
    );
}

#[test]
fn autoscale_cli_state_write_keeps_a_newer_spec_and_a_delete() {
    let tf = fleet();
    let hpa = |max: u32| {
        format!("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: web, namespace: default}}\nspec:\n  scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}\n  maxReplicas: {max}\n")
    };
    apply_web(&tf, &format!("{WEB}---\n{}", hpa(10)));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fleet = kubectl_fleet::fleet::Fleet::load(&kubectl_fleet::fleet::MembershipOptions {
        kubeconfig: Some(tf.kubeconfig.clone()),
        request_timeout: Duration::from_secs(10),
        ..Default::default()
    })
    .unwrap();
    use kubectl_fleet::fleet::autoscale::{evaluate_one, list, EvaluateOptions};
    // A reconcile pass reads the autoscaler...
    let (read, errors) = rt.block_on(list(&fleet, Some("default")));
    assert!(errors.is_empty(), "{errors:?}");
    let before = read.into_iter().find(|a| a.spec.name == "web").unwrap();
    assert_eq!(before.spec.max_replicas, 10);
    // ...then `apply -f` stores a new spec...
    let f = tf.write("hpa.yaml", &hpa(4));
    ok(&tf, &["apply", "-f", f.to_str().unwrap(), "--yes"]);
    // ...then the pass writes its state: the new spec stays, the state is written.
    let outcome = rt.block_on(evaluate_one(&fleet, &before, &EvaluateOptions::default()));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    for c in ["c1", "c2"] {
        let cm = stored(&tf, c, "web").unwrap();
        assert_eq!(
            data_json(&cm, "autoscaler.json")["spec"]["maxReplicas"],
            4,
            "{c}: the newer spec was lost"
        );
        let st = data_json(&cm, "state.json");
        assert_eq!(st["currentReplicas"], 2, "{c}: {st}");
        assert!(
            !st["conditions"].as_array().unwrap().is_empty(),
            "{c}: {st}"
        );
        assert_eq!(
            cm["data"]["state-revision"],
            (before.state_revision + 1).to_string()
        );
    }
    let (after, _) = rt.block_on(list(&fleet, Some("default")));
    assert_eq!(after[0].spec.max_replicas, 4);
    assert_eq!(after[0].state.current_replicas, 2);

    // A pass that read the autoscaler before `delete hpa` does not bring it back.
    let stale = after.into_iter().next().unwrap();
    ok(&tf, &["delete", "hpa/web"]);
    let outcome = rt.block_on(evaluate_one(&fleet, &stale, &EvaluateOptions::default()));
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    for c in ["c1", "c2"] {
        assert!(
            stored(&tf, c, "web").is_none(),
            "{c}: the deleted autoscaler came back"
        );
    }
}

#[test]
fn autoscale_cli_top_pods_and_nodes_across_the_fleet() {
    let tf = fleet();
    apply_web(&tf, WEB);
    sim_load(&tf, &["--cpu", "3", "--memory", "2Gi"]);
    let out = ok(&tf, &["top", "pods", "-l", "app=web"]);
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(header, ["NAME", "CLUSTER", "CPU(cores)", "MEMORY(bytes)"]);
    let rows: Vec<Vec<&str>> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "{}", out.stdout);
    for r in &rows {
        assert_eq!(r[2..], ["1500m", "1024Mi"], "{}", out.stdout);
        // The same numbers as real kubectl top against that member.
        let real = tf.kubectl(r[1], &["top", "pods", r[0], "--no-headers"]);
        assert!(real.ok, "{real:?}");
        assert_eq!(
            real.stdout.split_whitespace().collect::<Vec<_>>()[1..],
            ["1500m", "1024Mi"]
        );
    }
    let out = ok(&tf, &["top", "pods", "-M", "--containers"]);
    let fleet_row: Vec<&str> = out
        .stdout
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(fleet_row, ["(fleet)", "3000m", "2048Mi"], "{}", out.stdout);
    assert!(
        out.stdout.lines().next().unwrap().starts_with("POD"),
        "{}",
        out.stdout
    );

    let out = ok(&tf, &["top", "nodes", "--sort-by", "cpu"]);
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(
        header,
        [
            "NAME",
            "CLUSTER",
            "CPU(cores)",
            "CPU(%)",
            "MEMORY(bytes)",
            "MEMORY(%)"
        ]
    );
    let cpus: Vec<i64> = out
        .stdout
        .lines()
        .skip(1)
        .map(|l| {
            l.split_whitespace()
                .nth(2)
                .unwrap()
                .trim_end_matches('m')
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(cpus.iter().sum::<i64>(), 3000, "{}", out.stdout);
    assert!(
        cpus.windows(2).all(|w| w[0] >= w[1]),
        "sorted by cpu: {}",
        out.stdout
    );

    // A member down: a warning, the others shown.
    fault(&tf, "c2", "--down");
    let out = ok(&tf, &["top", "nodes", "-M"]);
    assert!(
        out.stderr.contains("c2:") && out.stderr.contains("left out"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("c1-n1"), "{}", out.stdout);
    assert!(!out.stdout.contains("c2-n1"), "{}", out.stdout);
    assert!(
        out.stdout.lines().last().unwrap().starts_with("(fleet)"),
        "{}",
        out.stdout
    );
}

#[test]
fn autoscale_cli_a_deleted_target_is_failed_get_scale_not_a_pass_error() {
    // kube's HPA controller, when the target's scale cannot be read, sets AbleToScale=False
    // FailedGetScale and carries on; every pass does the same here, with exit 0.
    let tf = fleet();
    apply_web(&tf, WEB);
    ok(&tf, &["autoscale", "deploy/web", "--max", "5"]);
    ok(&tf, &["reconcile", "--once"]);
    ok(&tf, &["delete", "deploy/web"]);
    for c in ["c1", "c2"] {
        assert_eq!(replicas(&tf, c), 0, "{c}: the copy is gone");
        assert!(stored(&tf, c, "web").is_some(), "{c}: the autoscaler stays");
    }
    for _ in 0..2 {
        let out = ok(&tf, &["reconcile", "--once"]);
        assert!(
            out.stdout.contains("reconciled: ") && out.stdout.contains("1 autoscalers"),
            "{}",
            out.stdout
        );
        assert!(
            out.stderr.lines().any(|l| l
                == "warning: autoscaler default/web: FailedGetScale: deployment default/web not found in the fleet (no member holds a managed copy)"),
            "{out:?}"
        );
        assert!(
            !out.stderr.contains("error:") && !out.stderr.contains("ERROR"),
            "{out:?}"
        );
    }
    for c in ["c1", "c2"] {
        let st = data_json(&stored(&tf, c, "web").unwrap(), "state.json");
        let able = st["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "AbleToScale")
            .cloned()
            .unwrap();
        assert_eq!(able["status"], "False", "{c}: {st}");
        assert_eq!(able["reason"], "FailedGetScale", "{c}: {st}");
    }
    let out = ok(&tf, &["describe", "hpa/web"]);
    let line = out
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("AbleToScale"))
        .unwrap_or_else(|| panic!("no AbleToScale condition:\n{}", out.stdout));
    assert!(
        line.contains("False") && line.contains("FailedGetScale"),
        "{}",
        out.stdout
    );
    let out = ok(&tf, &["get", "hpa", "web", "-o", "json"]);
    let hpa: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let able = hpa["status"]["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "AbleToScale")
        .cloned()
        .unwrap();
    assert_eq!(able["reason"], "FailedGetScale", "{hpa}");
    assert!(
        able["message"]
            .as_str()
            .unwrap()
            .starts_with("the HPA controller was unable to get the target's current scale: "),
        "{hpa}"
    );
}

#[test]
fn autoscale_cli_a_converged_pass_writes_only_the_autoscaler_state() {
    // docs/operations.md: a converged `reconcile --once` with an autoscaler writes no
    // Deployment copy and no Event, but rewrites the autoscaler's state ConfigMap in every
    // member (the pass's recommendation carries the pass time).
    let tf = fleet();
    apply_web(&tf, WEB);
    ok(&tf, &["autoscale", "deploy/web", "--max", "5"]);
    ok(&tf, &["reconcile", "--once"]);
    let rv = |kind: Kind, name: &str| -> Vec<String> {
        ["c1", "c2"]
            .iter()
            .map(|c| {
                tf.sim.store(c).unwrap().get(kind, "default", name).unwrap()["metadata"]
                    ["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let events = || {
        ["c1", "c2"]
            .iter()
            .map(|c| tf.sim.store(c).unwrap().list(Kind::Event, None).len())
            .sum::<usize>()
    };
    let (copies, state, n_events) = (
        rv(Kind::Deployment, "web"),
        rv(Kind::ConfigMap, "kubectl-fleet-hpa-web"),
        events(),
    );
    let revision = |c: &str| {
        stored(&tf, c, "web").unwrap()["data"]["state-revision"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
    };
    let before = revision("c1");
    // Idle pods: the default 300 s scale-down window holds the count, so the fleet is
    // converged.
    let out = ok(&tf, &["reconcile", "--once"]);
    assert!(
        out.stdout.contains(
            "reconciled: 1 workloads, 0 actions, 0 replicas moved, 0 member writes, 0 events, 1 autoscalers"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(rv(Kind::Deployment, "web"), copies, "a copy was written");
    assert_eq!(events(), n_events, "an event was recorded");
    let after = rv(Kind::ConfigMap, "kubectl-fleet-hpa-web");
    for i in 0..2 {
        assert_ne!(
            after[i], state[i],
            "member {i}: the state was not rewritten"
        );
    }
    assert_eq!(revision("c1"), before + 1);
    assert_eq!(revision("c2"), before + 1);
}
