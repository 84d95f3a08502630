//! `rebalance` against the simulated fleet: descheduling of a Pending replica, failover of an
//! unreachable member and the return when it is back, the end of an elastic burst.

use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;
use serde_json::json;

use super::ops_common::*;

/// Each member change is one `deployment.apps/NAME ACTION on|from CLUSTER (...)` line on
/// stdout, nothing about it on stderr, never `(n -> n)`, and no message says a prefix twice.
fn assert_changes_printed_once(run: &crate::util::Run) {
    let all = format!("{}{}", run.stdout, run.stderr);
    for doubled in [
        "unreachable: unreachable:",
        "error: error:",
        "warning: warning:",
    ] {
        assert!(!all.contains(doubled), "{doubled:?} in:\n{all}");
    }
    let lines: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("deployment.apps/"))
        .collect();
    assert!(!lines.is_empty(), "no change lines:\n{}", run.stdout);
    let mut seen = std::collections::BTreeSet::new();
    for l in &lines {
        let key: Vec<&str> = l.split_whitespace().take(4).collect();
        assert!(
            seen.insert(key.clone()),
            "{key:?} printed twice:\n{}",
            run.stdout
        );
        if let Some((_, counts)) = l.split_once(" (") {
            if let Some((from, to)) = counts.trim_end_matches(')').split_once(" -> ") {
                assert_ne!(from, to, "a write that kept the replicas printed as {l:?}");
            }
        }
    }
    assert!(
        !run.stderr.contains("deployment web on"),
        "changes repeated on stderr:\n{}",
        run.stderr
    );
}

#[test]
fn rebalance_moves_a_pending_replica_to_a_member_with_room() {
    // a: two 4-CPU nodes (group 1), b: one 8-CPU node (group 2). 4 replicas × 2 CPU fit on a.
    let f = OpsFleet::start(
        &format!("{}{}", cluster("a", 2, 4), cluster("b", 1, 8)),
        20.0,
    );
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "2", 0),
        ack_policy("web", &[&["a"], &["b"]], false)
    ));
    assert_eq!(f.replicas("web")["a"], 4);
    eventually("4 ready on a", 30, || {
        (f.ready_pods("web")["a"] == 4).then_some(())
    });
    // Cordon one node of a and delete its pods: their replacements stay Pending.
    let store = f.sim.store("a").unwrap();
    let pods = store.list(Kind::Pod, Some("default"));
    let node = pods[0]["spec"]["nodeName"].as_str().unwrap().to_string();
    store
        .mutate(Kind::Node, "", &node, |n| {
            n["spec"]["unschedulable"] = json!(true)
        })
        .unwrap();
    for p in pods
        .iter()
        .filter(|p| p["spec"]["nodeName"] == node.as_str())
    {
        store
            .delete(
                Kind::Pod,
                "default",
                p["metadata"]["name"].as_str().unwrap(),
            )
            .unwrap();
    }
    eventually("2 Pending pods on a", 30, || {
        let pending = store
            .list(Kind::Pod, Some("default"))
            .into_iter()
            .filter(|p| {
                p["status"]["phase"] == "Pending" && p["metadata"]["deletionTimestamp"].is_null()
            })
            .count();
        (pending == 2).then_some(())
    });
    // A long pending timeout: nothing moves yet.
    let wait = f.run(&["rebalance", "deploy/web", "--pending-timeout", "1h"]);
    assert!(wait.ok, "{}{}", wait.stdout, wait.stderr);
    assert!(
        wait.stdout.contains("nothing to rebalance"),
        "{}",
        wait.stdout
    );
    // Dry run prints the action and changes nothing.
    let dry = f.run(&[
        "rebalance",
        "deploy/web",
        "--pending-timeout",
        "0s",
        "--dry-run",
    ]);
    assert!(dry.ok, "{}{}", dry.stdout, dry.stderr);
    assert!(dry.stdout.contains("deschedule"), "{}", dry.stdout);
    assert!(dry.stdout.contains("(dry run"), "{}", dry.stdout);
    assert_eq!(f.replicas("web")["b"], 0);
    let out = f.run(&[
        "rebalance",
        "deploy/web",
        "--pending-timeout",
        "0s",
        "--timeout",
        "60s",
    ]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    let r = f.replicas("web");
    assert_eq!((r["a"], r["b"]), (2, 2), "{r:?}\n{}", out.stdout);
    eventually("4 ready, none Pending", 30, || {
        let ready = f.ready_pods("web");
        (ready["a"] == 2 && ready["b"] == 2).then_some(())
    });
    assert!(!f.events("a", "FleetDeschedule").is_empty(), "event on a");
    let ev = &f.events("b", "FleetDeschedule")[0];
    assert_eq!(ev["involvedObject"]["kind"], "Deployment");
    assert_eq!(ev["involvedObject"]["name"], "web");
    assert_eq!(ev["source"]["component"], "kubectl-fleet");
}

#[test]
fn member_down_fails_over_to_the_next_group_and_replicas_return_when_it_is_up() {
    let f = OpsFleet::start(
        &format!("{}{}", cluster("a", 1, 8), cluster("b", 1, 8)),
        20.0,
    );
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "1", 0),
        ack_policy("web", &[&["a"], &["b"]], false)
    ));
    assert_eq!(f.replicas("web")["a"], 4);
    // A first pass records the workload in every member (only a holds a copy).
    let first = f.run(&["rebalance", "-A"]);
    assert!(
        first.stdout.contains("nothing to rebalance"),
        "{}",
        first.stdout
    );
    let records = f
        .sim
        .store("b")
        .unwrap()
        .get(Kind::ConfigMap, "kube-system", "kubectl-fleet-workloads")
        .expect("workload records in b");
    assert!(records["data"]["default.web"].is_string(), "{records}");
    f.sim.fault("a", Fault::Down).unwrap();
    // Not unreachable long enough yet: recorded in b, nothing moves.
    let wait = f.run(&[
        "rebalance",
        "-A",
        "--unready-timeout",
        "1h",
        "--request-timeout",
        "2s",
    ]);
    assert!(wait.ok, "{}{}", wait.stdout, wait.stderr);
    assert!(
        wait.stderr.contains("waiting: a unreachable"),
        "{}",
        wait.stderr
    );
    let cm = f
        .sim
        .store("b")
        .unwrap()
        .get(Kind::ConfigMap, "kube-system", "kubectl-fleet-member")
        .expect("observation stored in b");
    assert!(cm["data"]["unreachable-since.a"].is_string(), "{cm}");
    assert!(f.copy("b", "web").is_none());
    // Failover.
    let out = f.run(&[
        "rebalance",
        "-A",
        "--unready-timeout",
        "0s",
        "--request-timeout",
        "2s",
        "--timeout",
        "60s",
    ]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("failover"), "{}", out.stdout);
    assert_changes_printed_once(&out);
    assert_eq!(f.replicas("web")["b"], 4);
    eventually("4 ready on b", 30, || {
        (f.ready_pods("web")["b"] == 4).then_some(())
    });
    let ev = &f.events("b", "FleetFailover")[0];
    assert_eq!(ev["type"], "Warning");
    // a comes back: replicas return by priority, b's copy goes away.
    f.sim.fault("a", Fault::Up).unwrap();
    let back = f.run(&["rebalance", "-A", "--timeout", "60s"]);
    assert!(back.ok, "{}{}", back.stdout, back.stderr);
    assert_changes_printed_once(&back);
    let r = f.replicas("web");
    assert_eq!((r["a"], r["b"]), (4, 0), "{r:?}\n{}", back.stdout);
    assert!(f.copy("b", "web").is_none());
    let cm = f
        .sim
        .store("b")
        .unwrap()
        .get(Kind::ConfigMap, "kube-system", "kubectl-fleet-member")
        .unwrap();
    assert!(
        cm["data"]["unreachable-since.a"].is_null(),
        "observation cleared: {cm}"
    );
    // Balanced: another pass does nothing.
    let again = f.run(&["rebalance", "-A"]);
    assert!(
        again.stdout.contains("nothing to rebalance"),
        "{}",
        again.stdout
    );
}

#[test]
fn elastic_burst_returns_home_when_group_one_has_room_and_the_pool_scales_in() {
    // a (group 1): one 8-CPU node, half used by an unmanaged batch job.
    // b (group 2): no nodes, an elastic pool of 4-CPU nodes.
    let clusters = "- name: a
  labels: {region: a}
  nodes:
  - {count: 1, prefix: a-n, allocatable: {cpu: \"8\", memory: 64Gi, pods: \"110\"}}
  workloads:
  - {name: batch, namespace: default, replicas: 2, requests: {cpu: \"2\", memory: 1Gi}}
- name: b
  labels: {region: b}
  nodePools:
  - {name: elastic, allocatable: {cpu: \"4\", memory: 30Gi, pods: \"110\"}, maxNodes: 4, inventory: 4, provisionSeconds: 20, scaleDownIdleSeconds: 20}
";
    let f = OpsFleet::start(clusters, 20.0);
    eventually("batch running on a", 30, || {
        (f.ready_pods("batch")["a"] == 2).then_some(())
    });
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "2", 0),
        ack_policy("web", &[&["a"], &["b"]], true)
    ));
    let r = f.replicas("web");
    assert_eq!(
        (r["a"], r["b"]),
        (2, 2),
        "burst into b's elastic pool: {r:?}"
    );
    let pool_nodes = |f: &OpsFleet| f.sim.store("b").unwrap().list(Kind::Node, None).len();
    eventually("b's web replicas ready", 60, || {
        (f.ready_pods("web")["b"] == 2).then_some(())
    });
    assert!(pool_nodes(&f) >= 1);
    // Nothing to do while group 1 is full.
    let none = f.run(&["rebalance", "-A"]);
    assert!(
        none.stdout.contains("nothing to rebalance"),
        "{}",
        none.stdout
    );
    // The batch job ends: room in group 1.
    f.sim
        .store("a")
        .unwrap()
        .mutate(Kind::Deployment, "default", "batch", |d| {
            d["spec"]["replicas"] = json!(0)
        })
        .unwrap();
    eventually("batch gone", 30, || {
        (f.ready_pods("batch")["a"] == 0).then_some(())
    });
    let out = f.run(&["rebalance", "-A", "--max-moves", "1", "--timeout", "60s"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("return-to-priority"), "{}", out.stdout);
    let r = f.replicas("web");
    assert_eq!(
        (r["a"], r["b"]),
        (3, 1),
        "--max-moves 1 moves one replica: {r:?}"
    );
    let out = f.run(&["rebalance", "-A", "--timeout", "60s"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    let r = f.replicas("web");
    assert_eq!((r["a"], r["b"]), (4, 0), "{r:?}");
    assert!(!f.events("a", "FleetReturnToPriority").is_empty());
    eventually("b's elastic pool scaled in", 60, || {
        (pool_nodes(&f) == 0).then_some(())
    });
}

#[test]
fn the_elastic_estimate_leaves_room_for_daemonsets_as_the_pool_does() {
    // One member with a tiny node and a pool of 8-CPU nodes, on which a log agent takes 3
    // CPUs: a new node holds one 4-CPU replica, not two.
    let clusters = "- name: a
  labels: {region: a}
  nodes:
  - {count: 1, prefix: a-n, allocatable: {cpu: \"1\", memory: 4Gi, pods: \"110\"}}
  nodePools:
  - {name: elastic, allocatable: {cpu: \"8\", memory: 30Gi, pods: \"110\"}, maxNodes: 3, inventory: 3, provisionSeconds: 20, scaleDownIdleSeconds: 600}
";
    let f = OpsFleet::start(clusters, 20.0);
    let agent = f.dir.path().join("agent.yaml");
    std::fs::write(
        &agent,
        "apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {fleet.kubectl.dev/node-pool: elastic}
      containers: [{name: a, image: fluent-bit, resources: {requests: {cpu: \"3\"}}}]
",
    )
    .unwrap();
    let r = crate::util::kubectl_with(
        &f.kubeconfig,
        "a",
        &["apply", "-f", agent.to_str().unwrap()],
        None,
    );
    assert!(r.ok, "{}", r.stderr);
    let web = |n: u32| {
        format!(
            "{}---\n{}",
            deployment("web", n, "4", 0),
            ack_policy("web", &[&["a"]], true)
        )
    };
    // 3 nodes × 1 replica: a fourth replica has no room (8 − 3 CPUs leave one 4-CPU slot).
    let plan = f.dir.path().join("web.yaml");
    std::fs::write(&plan, web(4)).unwrap();
    let out = f.run(&["plan", "-f", plan.to_str().unwrap()]);
    assert!(
        out.stdout.contains("unplaced: 1"),
        "{}\n{}",
        out.stdout,
        out.stderr
    );
    // The pool agrees: three replicas take three new nodes, each with its agent.
    f.apply(&web(3));
    eventually("web ready on three pool nodes", 60, || {
        (f.ready_pods("web")["a"] == 3).then_some(())
    });
    let store = f.sim.store("a").unwrap();
    let pool_nodes = store
        .list(Kind::Node, None)
        .iter()
        .filter(|n| n["metadata"]["labels"]["fleet.kubectl.dev/node-pool"] == "elastic")
        .count();
    assert_eq!(pool_nodes, 3);
    eventually("an agent on each pool node", 30, || {
        (store.list(Kind::Pod, Some("kube-system")).len() == 3).then_some(())
    });
}
