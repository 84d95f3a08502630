//! `cordon`, `uncordon`, `drain` against the simulated fleet.

use std::time::{Duration, Instant};

use super::ops_common::*;

fn three() -> OpsFleet {
    OpsFleet::start(
        &format!(
            "{}{}{}",
            cluster("a", 1, 4),
            cluster("b", 1, 4),
            cluster("c", 1, 4)
        ),
        20.0,
    )
}

#[test]
fn cordon_is_stored_in_the_member_and_blocks_new_replicas() {
    let f = three();
    let out = f.run(&["cordon", "b", "--reason", "kernel upgrade"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.trim(), "cluster/b cordoned");
    // Stored in the member itself.
    let cm = f
        .sim
        .store("b")
        .unwrap()
        .get(
            kubectl_fleet::sim::store::Kind::ConfigMap,
            "kube-system",
            "kubectl-fleet-member",
        )
        .expect("cordon ConfigMap in b");
    assert_eq!(cm["data"]["cordoned"], "true");
    assert_eq!(cm["data"]["reason"], "kernel upgrade");
    // Again: nothing to do.
    let again = f.run(&["cordon", "b"]);
    assert_eq!(again.stdout.trim(), "cluster/b already cordoned");
    // The fleet view shows it.
    let fleet = f.fleet();
    let rows = f.rt.block_on(kubectl_fleet::fleet::clusters(&fleet));
    let b = rows.iter().find(|r| r.name == "b").expect("row b");
    assert!(b.cordoned);
    assert_eq!(b.cordon_reason.as_deref(), Some("kernel upgrade"));
    let table = f.run(&["clusters", "-o", "json"]);
    let json: serde_json::Value = serde_json::from_str(&table.stdout).expect("clusters -o json");
    let row = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "b")
        .expect("b listed");
    assert_eq!(row["cordoned"], true, "{row}");
    // No replicas land on b.
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 6, "1", 0),
        ack_policy("web", &[&["a", "b", "c"]], false)
    ));
    let r = f.replicas("web");
    assert_eq!(r["b"], 0, "{r:?}");
    assert_eq!(r["a"] + r["c"], 6, "{r:?}");
    // Uncordon.
    let un = f.run(&["uncordon", "b"]);
    assert_eq!(un.stdout.trim(), "cluster/b uncordoned");
    let cm = f
        .sim
        .store("b")
        .unwrap()
        .get(
            kubectl_fleet::sim::store::Kind::ConfigMap,
            "kube-system",
            "kubectl-fleet-member",
        )
        .unwrap();
    assert_eq!(cm["data"]["cordoned"], "false");
    let unknown = f.run(&["cordon", "nope"]);
    assert!(!unknown.ok);
    assert!(
        unknown.stderr.contains("unknown cluster \"nope\""),
        "{}",
        unknown.stderr
    );
}

#[test]
fn drain_moves_replicas_make_before_break_without_dropping_availability() {
    let f = three();
    // Ready 20 simulated seconds after start = 1s at speed 20: new replicas take a while.
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 6, "1", 20),
        ack_policy("web", &[&["a", "b", "c"]], false)
    ));
    let start = f.replicas("web");
    assert_eq!(start.values().sum::<i64>(), 6);
    assert!(start["a"] > 0, "a holds replicas: {start:?}");
    let start_available: usize = eventually("all 6 ready", 30, || {
        let n: usize = f.ready_pods("web").values().sum();
        (n == 6).then_some(n)
    });

    // Drain a in a thread; poll availability fleet-wide meanwhile.
    let kubeconfig = f.kubeconfig.clone();
    let drain = std::thread::spawn(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
            .args(["drain", "a", "--yes", "--timeout", "60s"])
            .env("KUBECONFIG", kubeconfig)
            .env("NO_COLOR", "1")
            .output()
            .expect("drain runs")
    });
    let mut min_ready = usize::MAX;
    let mut samples = 0;
    let began = Instant::now();
    while !drain.is_finished() {
        let ready: usize = f.ready_pods("web").values().sum();
        min_ready = min_ready.min(ready);
        samples += 1;
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = drain.join().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("cluster/a cordoned"), "{stdout}");
    assert!(stdout.contains("cluster/a drained"), "{stdout}");
    eprintln!(
        "drain took {:?}, {samples} samples, minimum ready {min_ready} (start {start_available})",
        began.elapsed()
    );
    assert!(samples > 10, "polled during the drain");
    assert!(
        min_ready >= start_available,
        "fleet-wide ready replicas dropped to {min_ready} below the start count {start_available}"
    );
    let end = f.replicas("web");
    assert_eq!(end["a"], 0, "{end:?}");
    assert!(f.copy("a", "web").is_none(), "a's copy deleted");
    assert_eq!(end["b"] + end["c"], 6, "{end:?}");
    eventually("6 ready on b and c", 30, || {
        let r = f.ready_pods("web");
        (r["b"] + r["c"] == 6).then_some(())
    });
    // Cordoned, so a later plan keeps it empty.
    let cm = f
        .sim
        .store("a")
        .unwrap()
        .get(
            kubectl_fleet::sim::store::Kind::ConfigMap,
            "kube-system",
            "kubectl-fleet-member",
        )
        .unwrap();
    assert_eq!(cm["data"]["cordoned"], "true");
}

#[test]
fn drain_without_room_keeps_unplaceable_replicas_and_exits_3() {
    // b has 4 CPUs: it can take only part of a's replicas.
    let f = OpsFleet::start(
        &format!("{}{}", cluster("a", 1, 8), cluster("b", 1, 4)),
        20.0,
    );
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 10, "1", 0),
        ack_policy("web", &[&["a", "b"]], false)
    ));
    let start = f.replicas("web");
    assert_eq!(start.values().sum::<i64>(), 10, "{start:?}");
    let on_a = start["a"];
    let free_b = 4 - start["b"];
    let dry = f.run(&["drain", "a", "--dry-run"]);
    assert!(dry.stderr.contains("cannot leave a"), "{}", dry.stderr);
    let out = f.run(&["drain", "a", "--yes", "--timeout", "30s"]);
    assert!(!out.ok);
    assert!(out.stderr.contains("replicas stay on a"), "{}", out.stderr);
    let end = f.replicas("web");
    assert_eq!(end["b"], 4, "{end:?}");
    assert_eq!(end["a"], on_a - free_b, "{end:?}");
}
