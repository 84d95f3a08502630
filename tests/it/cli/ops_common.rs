//! Shared helpers of the fleet-operations tests (cordon, drain, rebalance, reconcile): a
//! simulated fleet from an inline config at a chosen speed, workloads applied through the
//! library's plan + apply, and direct reads of the members' stores for polling.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use kubectl_fleet::fleet::{self, ApplyOptions, Fleet, Inputs, MembershipOptions, ReadOptions};
use kubectl_fleet::sim::config::SimConfig;
use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::{SimHandle, SimOptions};
use serde_json::Value;

use crate::util::Run;

/// A running simulated fleet for one test.
pub struct OpsFleet {
    pub sim: SimHandle,
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
    pub rt: tokio::runtime::Runtime,
}

impl OpsFleet {
    /// Starts `clusters_yaml` (the `clusters:` list body) at `speed`.
    pub fn start(clusters_yaml: &str, speed: f64) -> OpsFleet {
        let yaml = format!(
            "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: SimulatedFleet\nclusters:\n{clusters_yaml}"
        );
        let cfg = SimConfig::from_yaml(&yaml, "test.yaml").expect("test config parses");
        let sim = SimHandle::start_blocking(cfg, SimOptions { speed }).expect("sim starts");
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = dir.path().join("kubeconfig");
        sim.write_kubeconfig(&kubeconfig).expect("kubeconfig");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        OpsFleet {
            sim,
            dir,
            kubeconfig,
            rt,
        }
    }

    /// The fleet as the library sees it.
    pub fn fleet(&self) -> Fleet {
        Fleet::load(&MembershipOptions {
            kubeconfig: Some(self.kubeconfig.clone()),
            request_timeout: Duration::from_secs(3),
            ..Default::default()
        })
        .expect("fleet loads")
    }

    /// Plans and applies `manifests` (Deployment + policy YAML), waiting for availability.
    pub fn apply(&self, manifests: &str) {
        let fleet = self.fleet();
        self.rt.block_on(async {
            let inputs = Inputs::parse(manifests, "test").expect("manifests parse");
            let snaps = fleet::read_snapshots(&fleet, &ReadOptions::default()).await;
            let plan = fleet::plan(&fleet, &snaps, &inputs).expect("plan");
            let report = fleet::apply(
                &fleet,
                &plan,
                &ApplyOptions {
                    wait: true,
                    timeout: Duration::from_secs(60),
                    ..Default::default()
                },
            )
            .await
            .expect("apply");
            assert!(report.errors.is_empty(), "{:?}", report.errors);
        });
    }

    /// Runs the kubectl-fleet binary.
    pub fn run(&self, args: &[&str]) -> Run {
        Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
            .args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kubectl-fleet")
            .into()
    }

    /// The copy of `default/name` on `cluster` (None when absent).
    pub fn copy(&self, cluster: &str, name: &str) -> Option<Value> {
        self.sim
            .store(cluster)
            .expect("cluster store")
            .get(Kind::Deployment, "default", name)
    }

    /// cluster → (spec.replicas, status.availableReplicas) of `default/name`.
    pub fn copies(&self, name: &str) -> BTreeMap<String, (i64, i64)> {
        let mut out = BTreeMap::new();
        for c in self.sim.cluster_names() {
            if let Some(d) = self.copy(&c, name) {
                out.insert(
                    c.clone(),
                    (
                        d["spec"]["replicas"].as_i64().unwrap_or(0),
                        d["status"]["availableReplicas"].as_i64().unwrap_or(0),
                    ),
                );
            }
        }
        out
    }

    /// spec.replicas of each cluster's copy (absent = 0).
    pub fn replicas(&self, name: &str) -> BTreeMap<String, i64> {
        self.sim
            .cluster_names()
            .into_iter()
            .map(|c| {
                let r = self
                    .copy(&c, name)
                    .and_then(|d| d["spec"]["replicas"].as_i64())
                    .unwrap_or(0);
                (c, r)
            })
            .collect()
    }

    /// Ready pods of app=`name` per cluster (bound, Running, Ready condition True).
    pub fn ready_pods(&self, name: &str) -> BTreeMap<String, usize> {
        self.sim
            .cluster_names()
            .into_iter()
            .map(|c| {
                let n = self
                    .sim
                    .store(&c)
                    .expect("store")
                    .list(Kind::Pod, Some("default"))
                    .into_iter()
                    .filter(|p| p["metadata"]["labels"]["app"] == name)
                    .filter(|p| p["metadata"]["deletionTimestamp"].is_null())
                    .filter(|p| {
                        p["status"]["conditions"].as_array().is_some_and(|cs| {
                            cs.iter()
                                .any(|c| c["type"] == "Ready" && c["status"] == "True")
                        })
                    })
                    .count();
                (c, n)
            })
            .collect()
    }

    /// Events of `cluster` in `default` with the given reason.
    pub fn events(&self, cluster: &str, reason: &str) -> Vec<Value> {
        self.sim
            .store(cluster)
            .expect("store")
            .list(Kind::Event, Some("default"))
            .into_iter()
            .filter(|e| e["reason"] == reason)
            .collect()
    }
}

/// Polls `f` until it returns Some, panicking with `what` after `secs`.
pub fn eventually<T>(what: &str, secs: u64, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        if Instant::now() > deadline {
            panic!("timed out after {secs}s waiting for: {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A Deployment `name` with `replicas` pods of `cpu` CPUs each, Ready `ready_secs` simulated
/// seconds after start.
pub fn deployment(name: &str, replicas: u32, cpu: &str, ready_secs: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: default
  labels: {{app: {name}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
      - name: app
        image: app:1
        readinessProbe:
          tcpSocket: {{port: 80}}
          initialDelaySeconds: {ready_secs}
        resources:
          requests: {{cpu: \"{cpu}\", memory: 1Gi}}
"
    )
}

/// An ACK One policy for `name` with fill-and-spill groups (each a list of clusters).
pub fn ack_policy(name: &str, groups: &[&[&str]], elastic: bool) -> String {
    let mut s = format!(
        "apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata:
  name: {name}
  namespace: default
spec:
  autoScaling:
    ecsProvision: {elastic}
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    name: {name}
  placement:
    clusterAffinities:
"
    );
    for (i, g) in groups.iter().enumerate() {
        s.push_str(&format!(
            "    - affinityName: group-{}\n      clusterNames: [{}]\n",
            i + 1,
            g.join(", ")
        ));
    }
    s.push_str(
        "    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
",
    );
    s
}

/// `count` CPU nodes of `cpu` CPUs for a cluster named `name`.
pub fn cluster(name: &str, nodes: u32, cpu: u32) -> String {
    format!(
        "- name: {name}
  labels: {{region: {name}}}
  nodes:
  - {{count: {nodes}, prefix: {name}-n, allocatable: {{cpu: \"{cpu}\", memory: 64Gi, pods: \"110\"}}}}
"
    )
}
