//! The stored kinds beyond the scheduler's (Secret, ServiceAccount, Service, Endpoints, PVC,
//! RBAC, HPA, PDB, Job, StatefulSet, DaemonSet) through real kubectl, and their controllers.

use std::time::{Duration, Instant};

use kubectl_fleet::sim::config::SimConfig;
use serde_json::Value;

use crate::util::*;

const CLUSTER: &str = r#"apiVersion: fleet.kubectl.dev/v1alpha1
kind: SimulatedFleet
clusters:
- name: alpha
  nodes:
  - {count: 2, prefix: cpu, allocatable: {cpu: "4", memory: 16Gi}}
  - {count: 1, prefix: gpu, allocatable: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"},
     labels: {accelerator: gpu}, taints: [{key: nvidia.com/gpu, value: present, effect: NoSchedule}]}
"#;

const APP: &str = r#"apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: hunter2}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: app}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, resources: {requests: {cpu: 100m}}}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi, annotations: {fleet.kubectl.dev/sim-run-seconds: "2"}}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 2Gi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: scratch}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 5Gi}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: app, namespace: default}]
"#;

fn start() -> TestFleet {
    start_fleet(SimConfig::from_yaml(CLUSTER, "test.yaml").expect("config parses"))
}

fn json_of(r: &Run) -> Value {
    assert!(r.ok, "kubectl failed: {}", r.stderr);
    serde_json::from_str(&r.stdout).expect("kubectl printed JSON")
}

/// Polls `kubectl get ... -o json` until `ok` holds (30 s).
fn wait_json(f: &TestFleet, args: &[&str], what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut args = args.to_vec();
    args.extend(["-o", "json"]);
    loop {
        let r = f.kubectl("alpha", &args);
        if r.ok {
            let v: Value = serde_json::from_str(&r.stdout).expect("JSON");
            if ok(&v) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {v}"
            );
        } else {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {}",
                r.stderr
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn everyday_manifests_apply_and_their_controllers_act() {
    let f = start();
    let app = f.write("app.yaml", APP);
    let r = f.kubectl("alpha", &["apply", "-f", app.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    for line in [
        "secret/db created",
        "serviceaccount/app created",
        "service/web created",
        "job.batch/pi created",
        "statefulset.apps/db created",
        "horizontalpodautoscaler.autoscaling/web created",
        "poddisruptionbudget.policy/web created",
        "persistentvolumeclaim/scratch created",
        "role.rbac.authorization.k8s.io/reader created",
        "rolebinding.rbac.authorization.k8s.io/reader created",
    ] {
        assert!(r.stdout.contains(line), "{line} missing from {}", r.stdout);
    }

    // Secret: stringData stored as base64 data.
    let s = json_of(&f.kubectl("alpha", &["get", "secret", "db", "-o", "json"]));
    assert_eq!(s["data"]["password"], "aHVudGVyMg==");
    assert_eq!(s["type"], "Opaque");
    assert!(s.get("stringData").is_none());

    // Service: a cluster IP; Endpoints follow the ready pods on the target port.
    let svc = json_of(&f.kubectl("alpha", &["get", "svc", "web", "-o", "json"]));
    let ip = svc["spec"]["clusterIP"].as_str().unwrap();
    assert!(ip.starts_with("10.9"), "{ip}");
    let ep = wait_json(&f, &["get", "endpoints", "web"], "2 endpoints", |e| {
        e.pointer("/subsets/0/addresses")
            .and_then(Value::as_array)
            .is_some_and(|a| a.len() == 2)
    });
    assert_eq!(ep["subsets"][0]["ports"][0]["port"], 8080);
    let table = f.kubectl("alpha", &["get", "svc", "web"]);
    assert!(table.stdout.contains("ClusterIP"), "{}", table.stdout);
    assert!(table.stdout.contains(ip), "{}", table.stdout);

    // Job: runs its pods to completion, 2 at a time.
    let r = f.kubectl(
        "alpha",
        &[
            "wait",
            "--for=condition=complete",
            "job/pi",
            "--timeout=30s",
        ],
    );
    assert!(r.ok, "{}", r.stderr);
    let job = json_of(&f.kubectl("alpha", &["get", "job", "pi", "-o", "json"]));
    assert_eq!(job["status"]["succeeded"], 3);
    assert!(job["status"]["completionTime"].is_string());
    let pods = json_of(&f.kubectl("alpha", &["get", "pods", "-l", "job-name=pi", "-o", "json"]));
    let items = pods["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|p| p["status"]["phase"] == "Succeeded"));
    let t = f.kubectl("alpha", &["get", "job", "pi"]);
    assert!(
        t.stdout.contains("Complete") && t.stdout.contains("3/3"),
        "{}",
        t.stdout
    );

    // StatefulSet: ordinal pods with bound claims, rollout status works.
    let r = f.kubectl(
        "alpha",
        &["rollout", "status", "statefulset/db", "--timeout=30s"],
    );
    assert!(r.ok, "{}", r.stderr);
    let pods = json_of(&f.kubectl("alpha", &["get", "pods", "-l", "app=db", "-o", "json"]));
    let mut names: Vec<&str> = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["metadata"]["name"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["db-0", "db-1", "db-2"]);
    let pvc = json_of(&f.kubectl("alpha", &["get", "pvc", "data-db-1", "-o", "json"]));
    assert_eq!(pvc["status"]["phase"], "Bound");
    assert_eq!(pvc["status"]["capacity"]["storage"], "2Gi");
    let r = f.kubectl("alpha", &["scale", "sts", "db", "--replicas=1"]);
    assert!(r.ok, "{}", r.stderr);
    wait_json(
        &f,
        &["get", "pods", "-l", "app=db"],
        "scale-down to db-0",
        |p| {
            let items = p["items"].as_array().unwrap();
            items.len() == 1 && items[0]["metadata"]["name"] == "db-0"
        },
    );

    // HPA and PDB are served with kubectl's columns.
    let t = f.kubectl("alpha", &["get", "hpa"]);
    assert!(t.ok, "{}", t.stderr);
    assert!(t.stdout.contains("Deployment/web"), "{}", t.stdout);
    wait_json(&f, &["get", "pdb", "web"], "PDB status", |p| {
        p["status"]["currentHealthy"] == 2 && p["status"]["disruptionsAllowed"] == 0
    });
    // The PDB blocks evictions (429), as drain sees it on a real cluster.
    let pods = json_of(&f.kubectl("alpha", &["get", "pods", "-l", "app=web", "-o", "json"]));
    let node = pods["items"][0]["spec"]["nodeName"]
        .as_str()
        .unwrap()
        .to_string();
    let r = f.kubectl(
        "alpha",
        &[
            "drain",
            &node,
            "--ignore-daemonsets",
            "--pod-selector=app=web",
            "--timeout=2s",
        ],
    );
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains("Cannot evict pod as it would violate the pod's disruption budget"),
        "{}",
        r.stderr
    );

    // RBAC objects are stored and printed.
    let t = f.kubectl("alpha", &["get", "rolebinding", "reader", "-o", "wide"]);
    assert!(t.stdout.contains("Role/reader"), "{}", t.stdout);
    assert!(t.stdout.contains("default/app"), "{}", t.stdout);
    let r = f.kubectl(
        "alpha",
        &[
            "patch",
            "rolebinding",
            "reader",
            "--type=merge",
            "-p",
            r#"{"roleRef":{"name":"other"}}"#,
        ],
    );
    assert!(!r.ok);
    assert!(r.stderr.contains("cannot change roleRef"), "{}", r.stderr);

    // Discovery lists every kind with its short names.
    let r = f.kubectl("alpha", &["api-resources", "--no-headers"]);
    assert!(r.ok, "{}", r.stderr);
    for (res, group) in [
        ("secrets", "v1"),
        ("serviceaccounts", "v1"),
        ("services", "v1"),
        ("endpoints", "v1"),
        ("persistentvolumeclaims", "v1"),
        ("clusterroles", "rbac.authorization.k8s.io/v1"),
        ("horizontalpodautoscalers", "autoscaling/v2"),
        ("poddisruptionbudgets", "policy/v1"),
        ("jobs", "batch/v1"),
        ("statefulsets", "apps/v1"),
        ("daemonsets", "apps/v1"),
    ] {
        assert!(
            r.stdout
                .lines()
                .any(|l| l.starts_with(res) && l.contains(group)),
            "{res} {group} missing:\n{}",
            r.stdout
        );
    }
}

#[test]
fn daemonset_pods_run_on_matching_nodes_and_take_their_capacity() {
    let f = start();
    let ds = f.write(
        "ds.yaml",
        r#"apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: fluent-bit, resources: {requests: {cpu: "3"}}}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: gpu-plugin}
spec:
  selector: {matchLabels: {app: gpu-plugin}}
  template:
    metadata: {labels: {app: gpu-plugin}}
    spec:
      nodeSelector: {accelerator: gpu}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers: [{name: p, image: device-plugin}]
"#,
    );
    let r = f.kubectl("alpha", &["apply", "-f", ds.to_str().unwrap()]);
    assert!(r.ok, "{}", r.stderr);
    let r = f.kubectl("alpha", &["rollout", "status", "ds/agent", "--timeout=30s"]);
    assert!(r.ok, "{}", r.stderr);
    // The tainted GPU node gets only the plugin that tolerates it; the cpu nodes the agent.
    let pods = json_of(&f.kubectl("alpha", &["get", "pods", "-o", "json"]));
    let mut placed: Vec<(String, String)> = pods["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["metadata"]["labels"]["app"].as_str().unwrap().to_string(),
                p["spec"]["nodeName"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    placed.sort();
    let placed: Vec<(&str, &str)> = placed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        placed,
        [
            ("agent", "cpu-1"),
            ("agent", "cpu-2"),
            ("gpu-plugin", "gpu-1")
        ]
    );
    let ds = wait_json(&f, &["get", "ds", "agent"], "agent ready", |d| {
        d["status"]["numberReady"] == 2
    });
    assert_eq!(ds["status"]["desiredNumberScheduled"], 2);

    // The agents hold 3 of each cpu node's 4 CPUs: a 2-CPU pod no longer fits anywhere.
    let r = f.kubectl(
        "alpha",
        &["run", "big", "--image=nginx", "--overrides", r#"{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"2"}}}]}}"#],
    );
    assert!(r.ok, "{}", r.stderr);
    let pod = wait_json(&f, &["get", "pod", "big"], "big unschedulable", |p| {
        p["status"]["conditions"]
            .as_array()
            .is_some_and(|cs| cs.iter().any(|c| c["reason"] == "Unschedulable"))
    });
    assert_eq!(pod["status"]["phase"], "Pending");
    // ... and the fleet's estimator sees the same: no room for a 2-CPU replica on alpha.
    let plan = f.write(
        "plan.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: wide, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: wide}}
  template:
    metadata: {labels: {app: wide}}
    spec:
      containers: [{name: w, image: nginx, resources: {requests: {cpu: "2"}}}]
---
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: wide, namespace: default}
spec:
  resourceSelectors: [{apiVersion: apps/v1, kind: Deployment, name: wide, namespace: default}]
  placement:
    clusterAffinities: [{affinityName: all, clusterNames: [alpha]}]
    replicaScheduling: {replicaSchedulingType: Divided, replicaDivisionPreference: Weighted}
"#,
    );
    let r = f.kubectl_fleet(&["plan", "-f", plan.to_str().unwrap()]);
    assert!(!r.ok, "{}", r.stdout);
    assert!(
        r.stdout.contains("unplaced: 2"),
        "{}\n{}",
        r.stdout,
        r.stderr
    );
}

#[test]
fn field_validation_strict_warn_and_ignore_follow_kubectl_validate() {
    let f = start_fleet(SimConfig::from_yaml(CLUSTER, "test.yaml").expect("config parses"));
    let bad = f.write(
        "bad.yaml",
        r#"apiVersion: apps/v1
kind: Deployment
metadata: {name: typo}
spec:
  replicaz: 3
  selector: {matchLabels: {app: typo}}
  template:
    metadata: {labels: {app: typo}}
    spec:
      containers: [{name: c, image: nginx, imagePullPolice: Always}]
"#,
    );
    let path = bad.to_str().unwrap();
    // kubectl's default (--validate=strict) asks the server for Strict.
    let r = f.kubectl("alpha", &["apply", "-f", path]);
    assert!(!r.ok);
    assert!(
        r.stderr
            .contains(r#"strict decoding error: unknown field "spec.replicaz""#)
            && r.stderr
                .contains(r#"unknown field "spec.template.spec.containers[0].imagePullPolice""#),
        "{}",
        r.stderr
    );
    assert!(
        !f.kubectl("alpha", &["get", "deploy", "typo"]).ok,
        "nothing stored"
    );
    // Warn: stored, kubectl prints the server's warnings.
    let r = f.kubectl("alpha", &["apply", "--validate=warn", "-f", path]);
    assert!(r.ok, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(r#"Warning: unknown field "spec.replicaz""#),
        "{}",
        r.stderr
    );
    // Ignore: silent; server-side apply too.
    let r = f.kubectl(
        "alpha",
        &["apply", "--server-side", "--validate=false", "-f", path],
    );
    assert!(r.ok, "{}", r.stderr);
    assert!(!r.stderr.contains("unknown field"), "{}", r.stderr);
    let r = f.kubectl("alpha", &["apply", "--server-side", "-f", path]);
    assert!(!r.ok);
    assert!(r.stderr.contains("strict decoding error"), "{}", r.stderr);
}
