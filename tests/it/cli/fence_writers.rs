//! Concurrent writers on one workload (issue #11, "Fenced changes"; docs/reliability.md):
//! N `kubectl-fleet` processes of each kind run at the same moment against the simulated
//! fleet, many rounds. After every round every member agrees on the total, the placement and
//! the generation, the copies hold exactly the recorded placement (the complete plan of one
//! writer), and every writer either succeeded or exited non-zero naming the holder of the
//! lock. Also: a holder SIGKILLed mid-apply is taken over after its lease expires, and
//! `--force-unlock` breaks a live lock.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;
use serde_json::json;

use super::faults_util::{wait_until, web_gpu_deployment, Out};
use crate::util::{config_of, start_fleet, TestFleet};

const POLICY: &str = r#"
apiVersion: policy.one.alibabacloud.com/v1alpha1
kind: PropagationPolicy
metadata: {name: web-policy, namespace: default}
spec:
  resourceSelectors:
  - {apiVersion: apps/v1, kind: Deployment, name: web}
  placement:
    clusterAffinities:
    - affinityName: group-1
      clusterNames: [c1, c2]
    - affinityName: group-2
      clusterNames: [c3]
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
"#;

/// The issue's fleet: groups [c1, c2] then [c3]; c1 has 3 GPUs, c2 1, c3 5 (9 in all).
fn groups_fleet() -> TestFleet {
    let tf = start_fleet(config_of(&["c1", "c2", "c3"]));
    for (c, gpus) in [("c1", 3), ("c2", 1), ("c3", 5)] {
        tf.sim
            .store(c)
            .unwrap()
            .create(
                Kind::Node,
                json!({
                    "apiVersion": "v1", "kind": "Node",
                    "metadata": {"name": format!("{c}-gpu"), "labels": {}},
                    "spec": {},
                    "status": {
                        "allocatable": {"cpu": "64", "memory": "256Gi", "nvidia.com/gpu": gpus.to_string(), "pods": "110"},
                        "capacity": {"cpu": "64", "memory": "256Gi", "nvidia.com/gpu": gpus.to_string(), "pods": "110"},
                        "conditions": [{"type": "Ready", "status": "True"}]
                    }
                }),
            )
            .expect("node");
    }
    tf
}

fn command(kubeconfig: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"));
    cmd.args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .env("XDG_CONFIG_HOME", kubeconfig.parent().unwrap().join("xdg"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn spawn(tf: &TestFleet, args: &[&str], env: &[(&str, &str)]) -> Child {
    command(&tf.kubeconfig, args, env)
        .spawn()
        .expect("kubectl-fleet starts")
}

fn collect(child: Child) -> Out {
    let o = child.wait_with_output().expect("kubectl-fleet output");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn run(tf: &TestFleet, args: &[&str]) -> Out {
    collect(spawn(tf, args, &[]))
}

fn files(tf: &TestFleet, replicas: u32) -> (String, String) {
    let d = tf.write(
        &format!("web-{replicas}.yaml"),
        &web_gpu_deployment(replicas),
    );
    let p = tf.write("policy.yaml", POLICY);
    (
        d.to_str().unwrap().to_string(),
        p.to_str().unwrap().to_string(),
    )
}

/// What the members hold for `default/web`: per cluster (spec.replicas, total annotation,
/// placement annotation, generation annotation).
#[derive(Debug, Clone, PartialEq)]
struct Copy {
    replicas: u32,
    total: String,
    placement: String,
    generation: String,
}

fn copies(tf: &TestFleet) -> BTreeMap<String, Copy> {
    let mut out = BTreeMap::new();
    for c in ["c1", "c2", "c3"] {
        let Some(d) = tf
            .sim
            .store(c)
            .unwrap()
            .get(Kind::Deployment, "default", "web")
        else {
            continue;
        };
        let ann = &d["metadata"]["annotations"];
        let s = |k: &str| ann[k].as_str().unwrap_or_default().to_string();
        out.insert(
            c.to_string(),
            Copy {
                replicas: d["spec"]["replicas"].as_u64().unwrap_or(0) as u32,
                total: s("fleet.kubectl.dev/total-replicas"),
                placement: s("fleet.kubectl.dev/placement"),
                generation: s("fleet.kubectl.dev/generation"),
            },
        );
    }
    out
}

/// Every member agrees on total, placement and generation, and the copies hold exactly the
/// recorded placement (one complete plan). Returns the total.
fn assert_one_complete_plan(tf: &TestFleet, round: &str) -> u32 {
    let copies = copies(tf);
    assert!(!copies.is_empty(), "{round}: no copies");
    let first = copies.values().next().unwrap().clone();
    for (c, copy) in &copies {
        assert_eq!(
            (&copy.total, &copy.placement, &copy.generation),
            (&first.total, &first.placement, &first.generation),
            "{round}: {c} disagrees: {copies:?}"
        );
    }
    let placement: BTreeMap<String, u32> =
        serde_json::from_str(&first.placement).expect("placement JSON");
    let actual: BTreeMap<String, u32> = copies
        .iter()
        .map(|(c, copy)| (c.clone(), copy.replicas))
        .filter(|(_, r)| *r > 0)
        .collect();
    assert_eq!(
        actual, placement,
        "{round}: copies are not the recorded plan"
    );
    let total: u32 = first.total.parse().expect("total");
    assert_eq!(
        actual.values().sum::<u32>(),
        total,
        "{round}: placement does not add up to the total"
    );
    assert!(
        first.generation.parse::<u64>().is_ok_and(|g| g > 0),
        "{round}: no generation on the copies: {copies:?}"
    );
    total
}

/// A writer either succeeded or exited 1 with one line naming the lock holder.
fn assert_ok_or_names_holder(out: &Out, what: &str) -> bool {
    if out.code == Some(0) {
        return true;
    }
    assert_eq!(out.code, Some(1), "{what}: {out:?}");
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{what}: {}", out.stderr);
    let line = errors[0];
    assert!(
        line.contains("deployment default/web is locked by")
            && line.contains("--lock-timeout")
            && line.contains("--force-unlock"),
        "{what}: {line}"
    );
    false
}

fn apply_initial(tf: &TestFleet, replicas: u32) {
    let (d, p) = files(tf, replicas);
    let out = run(tf, &["apply", "--yes", "-f", &d, "-f", &p]);
    assert_eq!(out.code, Some(0), "{out:?}");
}

/// Runs `writers` concurrently and returns their outcomes in order.
fn race(tf: &TestFleet, writers: &[Vec<String>]) -> Vec<Out> {
    let children: Vec<Child> = writers
        .iter()
        .map(|w| {
            let args: Vec<&str> = w.iter().map(String::as_str).collect();
            spawn(tf, &args, &[])
        })
        .collect();
    children.into_iter().map(collect).collect()
}

fn scale_args(replicas: u32, lock_timeout: &str) -> Vec<String> {
    [
        "scale",
        "deploy/web",
        "--replicas",
        &replicas.to_string(),
        "--lock-timeout",
        lock_timeout,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

const ROUNDS: usize = 10;

/// The issue's reproduction: `scale --replicas 9` and `--replicas 2` at the same moment used
/// to leave c1=2, c2=0, c3=5 with c1 saying "total 2" and c3 "total 9". Now the writers
/// serialize on the lock (a generous --lock-timeout: both succeed, one after the other) or,
/// with --lock-timeout 0, the loser exits 1 naming the holder.
#[test]
fn fence_scale_vs_scale_never_tears_the_fleet() {
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    for round in 0..ROUNDS {
        let timeout = if round % 2 == 0 { "60s" } else { "0s" };
        let targets = [9, 2, 4];
        let writers: Vec<Vec<String>> = targets.iter().map(|r| scale_args(*r, timeout)).collect();
        let outs = race(&tf, &writers);
        let mut succeeded = Vec::new();
        for (t, out) in targets.iter().zip(&outs) {
            if assert_ok_or_names_holder(out, &format!("round {round} scale {t}")) {
                succeeded.push(*t);
                *outcomes.entry("succeeded").or_default() += 1;
            } else {
                *outcomes.entry("refused, naming the holder").or_default() += 1;
            }
        }
        assert!(!succeeded.is_empty(), "round {round}: nobody succeeded");
        if timeout == "60s" {
            assert_eq!(succeeded.len(), targets.len(), "round {round}: {outs:?}");
        }
        let total = assert_one_complete_plan(&tf, &format!("round {round}"));
        assert!(
            succeeded.contains(&total),
            "round {round}: total {total} is not a successful writer's ({succeeded:?})"
        );
    }
    eprintln!("scale vs scale, {ROUNDS} rounds x 3 writers: {outcomes:?}");
}

/// `apply -f` (6 replicas) against `scale` (3 and 8) at the same moment.
#[test]
fn fence_apply_vs_scale_never_tears_the_fleet() {
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    let (d, p) = files(&tf, 6);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    for round in 0..ROUNDS {
        let timeout = if round % 2 == 0 { "60s" } else { "0s" };
        let mut writers = vec![[
            "apply",
            "--yes",
            "-f",
            &d,
            "-f",
            &p,
            "--lock-timeout",
            timeout,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()];
        writers.push(scale_args(3, timeout));
        writers.push(scale_args(8, timeout));
        let outs = race(&tf, &writers);
        let mut succeeded = Vec::new();
        for (t, out) in [6, 3, 8].iter().zip(&outs) {
            if assert_ok_or_names_holder(out, &format!("round {round} writer {t}")) {
                succeeded.push(*t);
                *outcomes.entry("succeeded").or_default() += 1;
            } else {
                *outcomes.entry("refused, naming the holder").or_default() += 1;
            }
        }
        let total = assert_one_complete_plan(&tf, &format!("round {round}"));
        assert!(
            succeeded.contains(&total),
            "round {round}: total {total} is not a successful writer's ({succeeded:?})"
        );
    }
    eprintln!("apply vs scale, {ROUNDS} rounds x 3 writers: {outcomes:?}");
}

/// A writer that waits for a live lock exits 1 with one line naming the holder (identity,
/// command, since when); `--force-unlock` takes the lock; a scale after that succeeds.
#[test]
fn fence_a_held_lock_names_its_holder_and_force_unlock_breaks_it() {
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    // Hold the lock from the library, as another process would.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fleet = kubectl_fleet::fleet::Fleet::load(&kubectl_fleet::fleet::MembershipOptions {
        kubeconfig: Some(tf.kubeconfig.clone()),
        request_timeout: Duration::from_secs(5),
        ..Default::default()
    })
    .unwrap();
    let opts = kubectl_fleet::fleet::LockOptions {
        identity: "alice@laptop/4242/abcdef".into(),
        ..kubectl_fleet::fleet::LockOptions::new("rollout")
    };
    let lock = rt
        .block_on(kubectl_fleet::fleet::lock_workload(
            &fleet, "default", "web", &opts,
        ))
        .expect("lock taken");
    assert!(lock.generation() >= 2, "the initial apply had generation 1");
    assert_eq!(lock.members().len(), 3);

    let before = copies(&tf);
    let start = Instant::now();
    let out = run(
        &tf,
        &[
            "scale",
            "deploy/web",
            "--replicas",
            "2",
            "--lock-timeout",
            "1s",
        ],
    );
    assert!(start.elapsed() >= Duration::from_secs(1), "did not wait");
    assert_eq!(out.code, Some(1), "{out:?}");
    let line = out.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{}", out.stderr);
    assert!(
        line.starts_with("error: deployment default/web is locked by alice@laptop/4242/abcdef (rollout, since 20"),
        "{line}"
    );
    assert!(line.contains("waited 1s"), "{line}");
    assert!(line.contains("--force-unlock"), "{line}");
    assert_eq!(copies(&tf), before, "nothing may change");

    let out = run(
        &tf,
        &["scale", "deploy/web", "--replicas", "2", "--force-unlock"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    let total = assert_one_complete_plan(&tf, "after --force-unlock");
    assert_eq!(total, 2);
    // The old holder's renewals now fail: it knows it lost the lock.
    wait_until(Duration::from_secs(30), "the old holder to notice", || {
        lock.is_lost()
    });
    let gen_after: u64 = copies(&tf)["c1"].generation.parse().unwrap();
    assert!(gen_after > lock.generation(), "{gen_after}");
    rt.block_on(lock.release());
}

/// A writer SIGKILLed in the middle of an apply (members answer slowly) never blocks the
/// next writer beyond the lease expiry: the next scale waits, takes over, and leaves one
/// complete plan with a newer generation.
#[test]
fn fence_a_sigkilled_writer_is_taken_over_after_the_lease_expires() {
    // The killed writer runs as if on another host: its Leases are freed by expiry only (on
    // the same host a dead pid frees them at once, see `lock::holder_is_dead_here`).
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    let gen_before: u64 = copies(&tf)["c1"].generation.parse().unwrap();
    for c in ["c1", "c2", "c3"] {
        tf.sim.fault(c, Fault::Latency(300)).unwrap();
    }
    let mut killed = spawn(
        &tf,
        &["scale", "deploy/web", "--replicas", "9"],
        &[
            ("KUBECTL_FLEET_LOCK_LEASE", "3s"),
            ("HOSTNAME", "another-host"),
        ],
    );
    // Kill it once its first copy is written (generation moved on one member).
    wait_until(Duration::from_secs(60), "the first copy written", || {
        copies(&tf)
            .values()
            .any(|c| c.generation.parse::<u64>().unwrap_or(0) > gen_before)
    });
    killed.kill().expect("SIGKILL");
    let _ = killed.wait();
    for c in ["c1", "c2", "c3"] {
        tf.sim.fault(c, Fault::Up).unwrap();
    }
    let torn = copies(&tf);
    let gens: std::collections::BTreeSet<&String> = torn.values().map(|c| &c.generation).collect();
    assert!(
        gens.len() > 1,
        "the killed writer left a torn fleet: {torn:?}"
    );

    // The torn fleet is visible: GENERATION per copy, `Torn` on the (fleet) row, a warning.
    let get = run(&tf, &["get", "deploy", "web", "-M"]);
    assert_eq!(get.code, Some(0), "{get:?}");
    assert!(get.stdout.contains("GENERATION"), "{}", get.stdout);
    let fleet_row = get
        .stdout
        .lines()
        .find(|l| l.contains("(fleet)"))
        .expect("fleet row");
    assert!(fleet_row.trim_end().ends_with("Torn"), "{}", get.stdout);
    assert!(
        get.stderr.contains("deployment default/web is torn: "),
        "{}",
        get.stderr
    );

    // `rebalance` with no other change waits for the dead writer's lease, then repairs it to
    // the newest generation's plan (the killed scale's total, 9).
    let start = Instant::now();
    let out = run(
        &tf,
        &["rebalance", "deploy/web", "--yes", "--lock-timeout", "30s"],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "waited far past the 3 s lease: {:?}",
        start.elapsed()
    );
    assert!(
        out.stderr.contains("deployment default/web is torn: ")
            && out.stderr.contains("repairing to generation"),
        "{}",
        out.stderr
    );
    let total = assert_one_complete_plan(&tf, "after the repair");
    assert_eq!(total, 9);
    let get = run(&tf, &["get", "deploy", "web", "-M"]);
    assert!(!get.stdout.contains("Torn"), "{}", get.stdout);
    assert!(!get.stderr.contains("torn"), "{}", get.stderr);

    let start = Instant::now();
    let out = run(
        &tf,
        &[
            "scale",
            "deploy/web",
            "--replicas",
            "4",
            "--lock-timeout",
            "30s",
        ],
    );
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "waited far past the 3 s lease: {:?}",
        start.elapsed()
    );
    let total = assert_one_complete_plan(&tf, "after takeover");
    assert_eq!(total, 4);
}

/// Pushes one copy off the plan (one replica less, as `kubectl scale` on the member would),
/// so that a `rebalance` or `reconcile` pass has something to write.
fn drift_one(tf: &TestFleet) {
    let all = copies(tf);
    let (cluster, copy) = all
        .iter()
        .find(|(_, c)| c.replicas > 1)
        .expect("a copy with 2 replicas or more");
    let replicas = (copy.replicas - 1).to_string();
    let r = tf.kubectl(
        cluster,
        &[
            "-n",
            "default",
            "scale",
            "deploy/web",
            "--replicas",
            &replicas,
        ],
    );
    assert!(r.ok, "{}: copies {all:?}", r.stderr);
}

/// `scale` against `rebalance deploy/web` (converging a drifted copy) at the same moment.
#[test]
fn fence_scale_vs_rebalance_never_tears_the_fleet() {
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    let mut total = 6;
    for round in 0..ROUNDS {
        let timeout = if round % 2 == 0 { "60s" } else { "0s" };
        drift_one(&tf);
        let target = if round % 3 == 0 { 8 } else { 5 };
        let writers = vec![
            scale_args(target, timeout),
            [
                "rebalance",
                "deploy/web",
                "--yes",
                "--timeout",
                "20s",
                "--lock-timeout",
                timeout,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ];
        let outs = race(&tf, &writers);
        let scaled = assert_ok_or_names_holder(&outs[0], &format!("round {round} scale"));
        let rebalanced = assert_ok_or_names_holder(&outs[1], &format!("round {round} rebalance"));
        for ok in [scaled, rebalanced] {
            *outcomes
                .entry(if ok {
                    "succeeded"
                } else {
                    "refused, naming the holder"
                })
                .or_default() += 1;
        }
        if !scaled {
            // Only the rebalance ran: the drifted copy is back, the total unchanged.
            let now = assert_one_complete_plan(&tf, &format!("round {round}"));
            assert_eq!(now, total, "round {round}");
            continue;
        }
        let now = assert_one_complete_plan(&tf, &format!("round {round}"));
        assert_eq!(now, target, "round {round}: the scale's total is in place");
        total = now;
    }
    eprintln!("scale vs rebalance, {ROUNDS} rounds x 2 writers: {outcomes:?}");
}

/// `reconcile --once` against `scale`: the reconciler takes the same lock per workload; a
/// workload an operator holds is skipped this pass (with a note), never interleaved.
#[test]
fn fence_reconcile_vs_scale_never_tears_the_fleet() {
    let tf = groups_fleet();
    apply_initial(&tf, 6);
    let mut outcomes = BTreeMap::<&str, usize>::new();
    for round in 0..ROUNDS {
        drift_one(&tf);
        let target = if round % 2 == 0 { 7 } else { 4 };
        let writers = vec![
            scale_args(target, "60s"),
            ["reconcile", "--once", "--timeout", "20s"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        ];
        let outs = race(&tf, &writers);
        assert!(
            assert_ok_or_names_holder(&outs[0], &format!("round {round} scale")),
            "round {round}: the scale waits for the reconciler's lock: {:?}",
            outs[0]
        );
        assert_eq!(outs[1].code, Some(0), "round {round}: {:?}", outs[1]);
        let skipped = outs[1].stderr.contains("skipped this pass")
            || outs[1].stdout.contains("skipped this pass");
        *outcomes
            .entry(if skipped {
                "reconcile skipped the locked workload"
            } else {
                "reconcile ran first or after"
            })
            .or_default() += 1;
        let now = assert_one_complete_plan(&tf, &format!("round {round}"));
        assert_eq!(now, target, "round {round}: the scale's total is in place");
    }
    eprintln!("reconcile vs scale, {ROUNDS} rounds: {outcomes:?}");
}
