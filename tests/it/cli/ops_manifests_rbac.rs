//! manifests/reconcile/ applied to a simulated member with the real kubectl, and
//! `kubectl fleet reconcile --once` run with the Deployment's arguments, the kubeconfig built
//! the way the manifest's Secret describes it, and the ServiceAccount's tokens: it succeeds
//! with the manifests' RBAC, and fails naming the missing permission when any one rule is
//! removed (least privilege both ways).

use std::path::Path;

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
/// Lease), the manifests applied (minus `drop`: (file, document, rule index)), then the
/// reconciler as the ServiceAccount.
fn scenario(drop: Option<(&str, usize, usize)>) -> (OpsFleet, Run) {
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
    assert!(f.run(&["uncordon", HOST]).ok);

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
        if let Some((f_name, doc, rule)) = drop {
            if f_name == file {
                let mut ds = docs(file);
                ds[doc]["rules"].as_array_mut().unwrap().remove(rule);
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
        run.stdout.contains("4 replicas moved"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );
    assert_eq!(copies(&f), (4, 0));
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
    drop(f);

    // Minimal: without any one rule the pass fails and says which permission is missing.
    let mut cases = Vec::new();
    for (file, doc) in [("member-rbac.yaml", 0), ("rbac.yaml", 0)] {
        let n = docs(file)[doc]["rules"].as_array().unwrap().len();
        cases.extend((0..n).map(|i| (file, doc, i)));
    }
    for (file, doc, i) in cases {
        let rule = docs(file)[doc]["rules"][i].clone();
        let (f, run) = scenario(Some((file, doc, i)));
        let out = format!("{}\n{}", run.stdout, run.stderr);
        assert!(
            !run.ok,
            "still succeeds without {file} rule {i} {rule}:\n{out}"
        );
        let group = rule["apiGroups"][0].as_str().unwrap();
        let named = rule["resources"].as_array().unwrap().iter().any(|r| {
            out.contains(&format!("resource \\\"{}\\\"", r.as_str().unwrap()))
                || out.contains(&format!("resource \"{}\"", r.as_str().unwrap()))
        });
        assert!(
            named
                && out.contains("forbidden")
                && out.contains(&format!("API group \\\"{group}\\\""))
                || named && out.contains(&format!("API group \"{group}\"")),
            "the failure without {file} rule {i} {rule} does not name the permission:\n{out}"
        );
        drop(f);
    }
}
