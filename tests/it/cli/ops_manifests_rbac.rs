//! manifests/reconcile/ applied to a simulated member with the real kubectl, and
//! `kubectl fleet reconcile --once` run with the Deployment's arguments, the kubeconfig built
//! the way the manifest's Secret describes it, and the ServiceAccount's tokens: it succeeds
//! with the manifests' RBAC, and fails naming the missing permission when any one rule is
//! removed (least privilege both ways). The pass has every kind of work to do: a workload to
//! move home (one into a namespace the home member lacks), a FederatedHPA to evaluate
//! (resource and custom metrics read in the members, its state written) and a rollout whose
//! timed pause is over (record, canary and stable copies) whose workload then moves home,
//! where its record is created. The simulator's access log shows that the pass uses every
//! verb the manifests grant; without `create` on ConfigMaps alone it fails too. A second test hosts the reconciler (and
//! its Lease) in a cluster outside the fleet, where `rbac.yaml`'s Role is what lets it lead.

use std::path::Path;
use std::time::Duration;

use kubectl_fleet::sim::auth::Access;
use kubectl_fleet::sim::store::Kind;
use serde_json::Value;

use super::ops_common::*;
use crate::util::{kubectl_with, Run};

const HOST: &str = "ack-hangzhou";
const OTHER: &str = "idc-beijing";
const NS: &str = "kubectl-fleet-system";
const SA: &str = "kubectl-fleet-reconcile";

fn manifests() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests/reconcile")
}

fn docs(file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(manifests().join(file)).expect("manifest readable");
    serde_saphyr::from_multiple::<Value>(&text).expect("manifest parses")
}

fn kubectl(f: &OpsFleet, ctx: &str, args: &[&str], stdin: Option<&str>) -> Run {
    let r = kubectl_with(&f.kubeconfig, ctx, args, stdin);
    assert!(r.ok, "kubectl --context {ctx} {args:?}: {}", r.stderr);
    r
}

fn decode_b64(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        acc = (acc << 6) | A.iter().position(|x| *x == c).expect("base64") as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn encode_b64(data: &[u8]) -> String {
    kubectl_fleet::sim::admission::base64_encode(data)
}

/// The reconciler's Deployment arguments, for a process on this machine: `--once`, and the
/// metrics server on a free local port instead of 0.0.0.0:9090.
fn reconcile_args() -> Vec<String> {
    let d = &docs("deployment.yaml")[0];
    let args = d["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap();
    let mut out: Vec<String> = args
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .map(|a| {
            if a.starts_with("--metrics-addr=") {
                "--metrics-addr=127.0.0.1:0".to_string()
            } else {
                a
            }
        })
        .collect();
    out.push("--once".into());
    out
}

/// One run: a fresh fleet whose workload sits in the lower-priority member and must return
/// home (a copy in a namespace the home member does not have yet, Events, records, the
/// Lease), the manifests applied (minus `drop`: (file, document, rule index, and one verb of
/// the rule or the whole rule)), then the reconciler as the ServiceAccount.
fn scenario(drop: Option<(&str, usize, usize, Option<&str>)>) -> (OpsFleet, Run) {
    let f = OpsFleet::start(
        &format!("{}{}", cluster(HOST, 1, 8), cluster(OTHER, 1, 8)),
        20.0,
    );
    assert!(f.run(&["cordon", HOST]).ok);
    f.apply(
        &format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: ml}}\n---\n{}---\n{}",
            deployment("web", 4, "1", 0),
            ack_policy("web", &[&[HOST], &[OTHER]], false)
        )
        .replace("namespace: default", "namespace: ml"),
    );
    // `tool` lives in a namespace only the other member has: moving it home creates it.
    f.apply(
        &format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: ops}}\n---\n{}---\n{}",
            deployment("tool", 1, "100m", 0),
            ack_policy("tool", &[&[HOST], &[OTHER]], false)
        )
        .replace("namespace: default", "namespace: ops"),
    );
    // The autoscaler keeps web at 4 (min = max) but reads both kinds of metrics; `api`, like
    // web, prefers the home member but runs only in the other one (home is cordoned), in a
    // rollout paused 2 seconds at its first step: the pass moves it on to its second step
    // (a manual pause) and then home, where it writes the rollout's record for the first
    // time (creates the ConfigMap).
    kubectl(&f, HOST, &["create", "namespace", "ml"], None);
    let hpa = f.dir.path().join("hpa.yaml");
    std::fs::write(&hpa, HPA).unwrap();
    let run = f.run(&["apply", "-f", hpa.to_str().unwrap(), "--yes"]);
    assert!(run.ok, "{}", run.stderr);
    let api = |image: &str| {
        format!(
            "{}---\n{}",
            deployment("api", 4, "100m", 0).replace("app:1", image),
            ack_policy("api", &[&[HOST], &[OTHER]], false)
        )
        .replace("namespace: default", "namespace: ml")
    };
    let v1 = f.dir.path().join("api-v1.yaml");
    std::fs::write(&v1, api("app:1")).unwrap();
    let v2 = f.dir.path().join("api-v2.yaml");
    std::fs::write(&v2, format!("{}---\n{ROLLOUT}", api("app:2"))).unwrap();
    for p in [&v1, &v2] {
        let run = f.run(&["apply", "-f", p.to_str().unwrap(), "--yes", "--wait"]);
        assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    }
    // An admin pass records when the step became Ready (the pause's clock starts).
    let started = eventually("the rollout step's readiness is recorded", 60, || {
        let r = f.run(&["reconcile", "--once"]);
        assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
        f.sim
            .store(OTHER)
            .unwrap()
            .get(Kind::ConfigMap, "ml", "kubectl-fleet-rollout.api")
            .filter(|cm| cm["data"].to_string().contains("\\\"readyAt\\\":1"))
            .map(|_| std::time::Instant::now())
    });
    assert!(f.run(&["uncordon", HOST]).ok);
    assert!(
        f.sim
            .store(HOST)
            .unwrap()
            .get(Kind::ConfigMap, "ml", "kubectl-fleet-rollout.api")
            .is_none(),
        "the home member holds no rollout record before the pass"
    );

    // The in-cluster manifests on the hosting member, the member RBAC everywhere; the other
    // member gets the same identity (namespace + ServiceAccount) to bind it to.
    let dir = f.dir.path();
    let mut files = Vec::new();
    for file in [
        "namespace.yaml",
        "serviceaccount.yaml",
        "secret.yaml",
        "rbac.yaml",
        "deployment.yaml",
        "kustomization.yaml",
        "member-rbac.yaml",
    ] {
        let mut text = std::fs::read_to_string(manifests().join(file)).unwrap();
        if let Some((f_name, doc, rule, verb)) = drop {
            if f_name == file {
                let mut ds = docs(file);
                match verb {
                    None => {
                        ds[doc]["rules"].as_array_mut().unwrap().remove(rule);
                    }
                    Some(verb) => ds[doc]["rules"][rule]["verbs"]
                        .as_array_mut()
                        .unwrap()
                        .retain(|v| v != verb),
                }
                text = ds
                    .iter()
                    .map(|d| serde_saphyr::to_string(d).unwrap())
                    .collect::<Vec<_>>()
                    .join("\n---\n");
            }
        }
        let p = dir.join("manifests").join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        files.push(p);
    }
    let mdir = dir.join("manifests");
    let r = kubectl(&f, HOST, &["apply", "-k", mdir.to_str().unwrap()], None);
    assert!(
        r.stdout
            .contains("deployment.apps/kubectl-fleet-reconcile created"),
        "{}",
        r.stdout
    );
    let member_rbac = mdir.join("member-rbac.yaml");
    kubectl(
        &f,
        HOST,
        &["apply", "-f", member_rbac.to_str().unwrap()],
        None,
    );
    for file in ["namespace.yaml", "serviceaccount.yaml", "member-rbac.yaml"] {
        kubectl(
            &f,
            OTHER,
            &["apply", "-f", mdir.join(file).to_str().unwrap()],
            None,
        );
    }

    // The kubeconfig the Secret describes, with this fleet's servers, CA and tokens.
    let token = |ctx: &str| {
        kubectl(&f, ctx, &["create", "token", SA, "-n", NS], None)
            .stdout
            .trim()
            .to_string()
    };
    let sa_dir = dir.join("serviceaccount");
    std::fs::create_dir_all(&sa_dir).unwrap();
    std::fs::write(sa_dir.join("token"), token(HOST)).unwrap();
    std::fs::write(sa_dir.join("ca.crt"), f.sim.ca_pem()).unwrap();
    let secret = kubectl(
        &f,
        HOST,
        &[
            "get",
            "secret",
            "kubectl-fleet-kubeconfig",
            "-n",
            NS,
            "-o",
            "jsonpath={.data.config}",
        ],
        None,
    );
    let config = String::from_utf8(decode_b64(&secret.stdout)).unwrap();
    let config = config
        .replace(
            "https://kubernetes.default.svc",
            &f.sim.server_url(HOST).unwrap(),
        )
        .replace(
            "https://idc-beijing.example.com:6443",
            &f.sim.server_url(OTHER).unwrap(),
        )
        .replace(
            "/var/run/secrets/kubernetes.io/serviceaccount",
            sa_dir.to_str().unwrap(),
        )
        .replace(
            "REPLACE_WITH_BASE64_CA",
            &encode_b64(f.sim.ca_pem().as_bytes()),
        )
        .replace("REPLACE_WITH_TOKEN", &token(OTHER));
    let kc = dir.join("fleet-kubeconfig");
    std::fs::write(&kc, config).unwrap();

    // The pause is over by the time the ServiceAccount's pass runs.
    std::thread::sleep(Duration::from_secs(3).saturating_sub(started.elapsed()));
    for c in [HOST, OTHER] {
        f.sim.cluster(c).unwrap().access.clear();
    }
    let run: Run = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .args(reconcile_args())
        .args(["--timeout", "60s"])
        .env("KUBECONFIG", &kc)
        .env("POD_NAME", "kubectl-fleet-reconcile-0")
        .env("NO_COLOR", "1")
        .output()
        .expect("run kubectl-fleet")
        .into();
    (f, run)
}

const HPA: &str = "apiVersion: autoscaling.karmada.io/v1alpha1
kind: FederatedHPA
metadata: {name: web, namespace: ml}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 4
  maxReplicas: 4
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
  - type: Pods
    pods:
      metric: {name: qps}
      target: {type: AverageValue, averageValue: \"10\"}
  - type: External
    external:
      metric: {name: queue_depth}
      target: {type: AverageValue, averageValue: \"30\"}
";

const ROLLOUT: &str = "apiVersion: rollouts.kruise.io/v1beta1
kind: Rollout
metadata: {name: api, namespace: ml}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  strategy:
    canary:
      steps:
      - replicas: 25%
        pause: {duration: 2}
      - replicas: 50%
        pause: {}
      - replicas: 100%
";

/// What the reconciler's ServiceAccount was allowed to do in `cluster` (the simulator's
/// access log).
fn used(f: &OpsFleet, cluster: &str) -> Vec<Access> {
    let user = format!("system:serviceaccount:{NS}:{SA}");
    f.sim
        .cluster(cluster)
        .unwrap()
        .access
        .entries()
        .into_iter()
        .filter(|a| a.allowed && a.user == user)
        .collect()
}

/// Every verb of every rule was used by one of `accesses` (but the `(group, resource, verb)`
/// listed in `not_reached`).
fn assert_every_verb_used(
    file: &str,
    rules: &[Value],
    accesses: &[Access],
    not_reached: &[(&str, &str, &str)],
) {
    let strs = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    for (i, rule) in rules.iter().enumerate() {
        for group in strs(&rule["apiGroups"]) {
            for resource in strs(&rule["resources"]) {
                for verb in strs(&rule["verbs"]) {
                    if not_reached.contains(&(group.as_str(), resource.as_str(), verb.as_str())) {
                        continue;
                    }
                    let hit = accesses.iter().any(|a| {
                        let full = if a.subresource.is_empty() {
                            a.resource.clone()
                        } else {
                            format!("{}/{}", a.resource, a.subresource)
                        };
                        a.group == group && a.verb == verb && (resource == "*" || resource == full)
                    });
                    assert!(
                        hit,
                        "{file} rule {i} grants {verb} {resource} in API group {group:?}, which the pass never used: {accesses:#?}"
                    );
                }
            }
        }
    }
}

fn copies(f: &OpsFleet) -> (i64, i64) {
    let n = |c: &str| {
        f.sim
            .store(c)
            .unwrap()
            .get(Kind::Deployment, "ml", "web")
            .and_then(|d| d["spec"]["replicas"].as_i64())
            .unwrap_or(0)
    };
    (n(HOST), n(OTHER))
}

#[test]
fn the_reconcile_manifests_grant_exactly_what_reconcile_needs() {
    // Sufficient: the pass moves the replicas home as the ServiceAccount.
    let (f, run) = scenario(None);
    assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("6 replicas moved"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(copies(&f), (4, 0));
    assert!(
        f.sim
            .store(HOST)
            .unwrap()
            .get(Kind::Namespace, "", "ops")
            .is_some(),
        "tool's namespace was created at home"
    );
    assert!(
        run.stdout.contains("1 autoscalers"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    // The rollout moved on to its second step (paused there) and home, its record with it.
    let status = f.run(&[
        "rollout",
        "status",
        "deploy/api",
        "-n",
        "ml",
        "--watch=false",
    ]);
    assert!(
        status.stdout.contains("step 2/3"),
        "{}\n{}",
        status.stdout,
        status.stderr
    );
    let record = f
        .sim
        .store(HOST)
        .unwrap()
        .get(Kind::ConfigMap, "ml", "kubectl-fleet-rollout.api")
        .expect("the pass created the rollout record in the home member");
    assert!(
        record["data"].to_string().contains("ack-hangzhou"),
        "{record}"
    );
    let lease = f
        .sim
        .store(HOST)
        .unwrap()
        .get(Kind::Lease, NS, "kubectl-fleet-reconcile")
        .expect("the reconciler took the Lease");
    // Taken for the pass, released (holder cleared) when the process ended.
    assert!(lease["spec"]["acquireTime"].is_string(), "{lease}");
    assert!(
        lease["spec"]
            .get("holderIdentity")
            .is_none_or(|h| h.is_null() || h == ""),
        "{lease}"
    );
    // Minimal, verb by verb: the pass used every verb member-rbac.yaml grants, in some
    // member (so removing one makes a request of the pass fail).
    let used: Vec<Access> = [HOST, OTHER].iter().flat_map(|c| used(&f, c)).collect();
    assert_every_verb_used(
        "member-rbac.yaml",
        docs("member-rbac.yaml")[0]["rules"].as_array().unwrap(),
        &used,
        &[],
    );
    drop(f);

    // Minimal: without any one member rule the pass fails and says which permission is
    // missing; so it does without `create` on ConfigMaps alone (the other verbs of that rule
    // are used by the reads and writes of records that exist already).
    let file = "member-rbac.yaml";
    let rules = docs(file)[0]["rules"].as_array().unwrap().clone();
    let n = rules.len();
    let configmaps = rules
        .iter()
        .position(|r| r["resources"][0] == "configmaps")
        .expect("a configmaps rule");
    let mut cases: Vec<_> = (0..n).map(|i| (file, 0, i, None)).collect();
    cases.push((file, 0, configmaps, Some("create")));
    for (file, doc, i, verb) in cases {
        let mut rule = docs(file)[doc]["rules"][i].clone();
        if let Some(v) = verb {
            rule["verbs"] = serde_json::json!([v]);
        }
        let (f, run) = scenario(Some((file, doc, i, verb)));
        let out = format!("{}\n{}", run.stdout, run.stderr);
        assert!(
            !run.ok,
            "still succeeds without {file} rule {i} {rule}:\n{out}"
        );
        let group = rule["apiGroups"][0].as_str().unwrap();
        let named = rule["resources"].as_array().unwrap().iter().any(|r| {
            // `*` (any custom metric): the message names the one asked for.
            let r = match (group, r.as_str().unwrap()) {
                ("custom.metrics.k8s.io", "*") => "pods/qps",
                ("external.metrics.k8s.io", "*") => "queue_depth",
                (_, r) => r,
            };
            out.contains(&format!("resource \\\"{r}\\\""))
                || out.contains(&format!("resource \"{r}\""))
        });
        assert!(
            named
                && out.contains("forbidden")
                && out.contains(&format!("API group \\\"{group}\\\""))
                || named && out.contains(&format!("API group \"{group}\"")),
            "the failure without {file} rule {i} {rule} does not name the permission:\n{out}"
        );
        if let Some(v) = verb {
            assert!(
                out.contains(&format!("cannot {v} resource")),
                "the failure without {v} in {file} rule {i} names another verb:\n{out}"
            );
        }
        drop(f);
    }
}

/// The hosting cluster of the scenario below: not a fleet member.
const HUB: &str = "hub";

/// `kubectl apply -k` of manifests/reconcile on the hub, with `rbac.yaml` minus `drop` (a
/// rule index), from a copy of the directory.
fn apply_hosting_manifests(f: &OpsFleet, drop: Option<usize>) {
    let mdir = f.dir.path().join("hub-manifests");
    std::fs::create_dir_all(&mdir).unwrap();
    for file in [
        "namespace.yaml",
        "serviceaccount.yaml",
        "secret.yaml",
        "rbac.yaml",
        "deployment.yaml",
        "kustomization.yaml",
    ] {
        let mut text = std::fs::read_to_string(manifests().join(file)).unwrap();
        if let (Some(i), "rbac.yaml") = (drop, file) {
            let mut ds = docs(file);
            ds[0]["rules"].as_array_mut().unwrap().remove(i);
            text = ds
                .iter()
                .map(|d| serde_saphyr::to_string(d).unwrap())
                .collect::<Vec<_>>()
                .join("\n---\n");
        }
        std::fs::write(mdir.join(file), text).unwrap();
    }
    kubectl(f, HUB, &["apply", "-k", mdir.to_str().unwrap()], None);
    let role = f
        .sim
        .store(HUB)
        .unwrap()
        .get(Kind::Role, NS, "kubectl-fleet-reconcile-lease")
        .expect("the Lease Role exists");
    let want =
        docs("rbac.yaml")[0]["rules"].as_array().unwrap().len() - usize::from(drop.is_some());
    assert_eq!(role["rules"].as_array().unwrap().len(), want, "{role}");
}

/// One `reconcile --once` with the Deployment's arguments, the Lease in the hub
/// (`--lease-member=hub`) and the fleet limited to the two members (`--clusters`).
fn reconcile_from_hub(kubeconfig: &Path) -> Run {
    let args: Vec<String> = reconcile_args()
        .into_iter()
        .map(|a| {
            if a.starts_with("--lease-member=") {
                format!("--lease-member={HUB}")
            } else {
                a
            }
        })
        .collect();
    std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .args(args)
        .args(["--timeout", "60s", "--clusters", &format!("{HOST},{OTHER}")])
        .env("KUBECONFIG", kubeconfig)
        .env("POD_NAME", "kubectl-fleet-reconcile-0")
        .env("NO_COLOR", "1")
        .output()
        .expect("run kubectl-fleet")
        .into()
}

#[test]
fn the_lease_role_is_needed_on_a_hosting_cluster_outside_the_fleet() {
    // The reconciler runs in `hub`, which is not a member: its Lease lives there, granted
    // only by rbac.yaml's Role; the members get member-rbac.yaml (whose Lease rule does not
    // reach the hub).
    let f = OpsFleet::start(
        &format!(
            "{}{}{}",
            cluster(HUB, 1, 4),
            cluster(HOST, 1, 8),
            cluster(OTHER, 1, 8)
        ),
        20.0,
    );
    apply_hosting_manifests(&f, None);
    for c in [HOST, OTHER] {
        for file in ["namespace.yaml", "serviceaccount.yaml", "member-rbac.yaml"] {
            let p = manifests().join(file);
            kubectl(&f, c, &["apply", "-f", p.to_str().unwrap()], None);
        }
    }
    // The kubeconfig the Secret describes, plus the hub's in-cluster context.
    let token = |ctx: &str| {
        kubectl(&f, ctx, &["create", "token", SA, "-n", NS], None)
            .stdout
            .trim()
            .to_string()
    };
    let sa_dir = f.dir.path().join("serviceaccount");
    std::fs::create_dir_all(&sa_dir).unwrap();
    std::fs::write(sa_dir.join("token"), token(HUB)).unwrap();
    let ca = encode_b64(f.sim.ca_pem().as_bytes());
    let mut kc = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
    for c in [HUB, HOST, OTHER] {
        kc.push_str(&format!(
            "- name: {c}\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n",
            f.sim.server_url(c).unwrap()
        ));
    }
    kc.push_str(&format!(
        "users:\n- name: in-cluster\n  user:\n    tokenFile: {}\n",
        sa_dir.join("token").display()
    ));
    for c in [HOST, OTHER] {
        kc.push_str(&format!(
            "- name: {c}-fleet\n  user:\n    token: {}\n",
            token(c)
        ));
    }
    kc.push_str(&format!(
        "contexts:\n- name: {HUB}\n  context: {{cluster: {HUB}, user: in-cluster}}\n"
    ));
    for c in [HOST, OTHER] {
        kc.push_str(&format!(
            "- name: {c}\n  context: {{cluster: {c}, user: {c}-fleet}}\n"
        ));
    }
    kc.push_str(&format!("current-context: {HUB}\n"));
    let kubeconfig = f.dir.path().join("hub-kubeconfig");
    std::fs::write(&kubeconfig, kc).unwrap();

    // Sufficient: the pass runs as the leader, the Lease taken and released in the hub.
    let run = reconcile_from_hub(&kubeconfig);
    assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("reconciled: 0 workloads"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    let hub = f.sim.store(HUB).unwrap();
    let lease = hub
        .get(Kind::Lease, NS, "kubectl-fleet-reconcile")
        .expect("the reconciler took the Lease in the hub");
    assert!(lease["spec"]["acquireTime"].is_string(), "{lease}");
    // Every verb of the Role was used in the hub (create, get, update).
    let in_hub = used(&f, HUB);
    assert_every_verb_used(
        "rbac.yaml",
        docs("rbac.yaml")[0]["rules"].as_array().unwrap(),
        &in_hub,
        &[],
    );
    assert!(
        in_hub.iter().all(|a| a.resource == "leases"),
        "the hub is only asked for the Lease: {in_hub:#?}"
    );

    // Minimal: without either rule, no pass (the Lease deleted so it must be created again).
    let rules = docs("rbac.yaml")[0]["rules"].clone();
    for (i, rule) in rules.as_array().unwrap().iter().enumerate() {
        apply_hosting_manifests(&f, Some(i));
        let _ = hub.delete(Kind::Lease, NS, "kubectl-fleet-reconcile");
        for c in [HOST, OTHER] {
            f.sim.cluster(c).unwrap().access.clear();
        }
        let run = reconcile_from_hub(&kubeconfig);
        let out = format!("{}\n{}", run.stdout, run.stderr);
        assert!(
            !run.ok,
            "still succeeds without rbac.yaml rule {i} {rule}:\n{out}"
        );
        let verb = if i == 0 { "create" } else { "get" };
        assert!(
            out.contains("forbidden")
                && out.contains(&format!("cannot {verb} resource"))
                && (out.contains("resource \"leases\" in API group \"coordination.k8s.io\"")
                    || out.contains(
                        "resource \\\"leases\\\" in API group \\\"coordination.k8s.io\\\""
                    )),
            "the failure without rbac.yaml rule {i} {rule} does not name the permission:\n{out}"
        );
        // Not the leader: no pass touched the members.
        for c in [HOST, OTHER] {
            assert_eq!(used(&f, c), [], "{c} was read without the Lease:\n{out}");
        }
    }
}
