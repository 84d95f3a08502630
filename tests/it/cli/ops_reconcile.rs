//! `reconcile` against the simulated fleet: `--once` converges and a second run writes
//! nothing; two reconcilers sharing one Lease: only the holder acts, the other takes over
//! when the holder stops; /healthz and /metrics; clean shutdown on SIGTERM.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kubectl_fleet::sim::store::Kind;

use super::ops_common::*;

fn two() -> OpsFleet {
    OpsFleet::start(
        &format!("{}{}", cluster("a", 1, 8), cluster("b", 1, 8)),
        20.0,
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// GET `path` on 127.0.0.1:`port`; None while nothing listens.
fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut body = String::new();
    s.read_to_string(&mut body).ok()?;
    Some(body)
}

fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
}

fn sigterm(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -TERM");
}

#[test]
fn reconcile_once_returns_replicas_home_and_a_second_run_writes_nothing() {
    let f = two();
    // With a cordoned, the workload lands in group 2 (b).
    assert!(f.run(&["cordon", "a"]).ok);
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "1", 0),
        ack_policy("web", &[&["a"], &["b"]], false)
    ));
    assert_eq!(f.replicas("web")["b"], 4);
    assert!(f.run(&["uncordon", "a"]).ok);

    let first = f.run(&[
        "reconcile",
        "--once",
        "--log-format",
        "json",
        "--timeout",
        "60s",
    ]);
    assert!(first.ok, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stdout.contains("1 actions, 4 replicas moved"),
        "{}",
        first.stdout
    );
    let r = f.replicas("web");
    assert_eq!((r["a"], r["b"]), (4, 0), "{r:?}");
    // JSON logs, one object per line.
    let lines: Vec<serde_json::Value> = first
        .stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "reconcile pass done" && l["moves"] == 4),
        "{}",
        first.stderr
    );
    assert!(!f.events("a", "FleetReturnToPriority").is_empty());

    // Second run: nothing to write anywhere.
    let rv = |c: &str, kind: Kind, ns: &str, name: &str| {
        f.sim.store(c).unwrap().get(kind, ns, name).map(|o| {
            o["metadata"]["resourceVersion"]
                .as_str()
                .unwrap_or("")
                .to_string()
        })
    };
    let watched = |f: &OpsFleet| {
        let _ = f;
        (
            rv("a", Kind::Deployment, "default", "web"),
            rv("a", Kind::ConfigMap, "kube-system", "kubectl-fleet-member"),
            rv(
                "a",
                Kind::ConfigMap,
                "kube-system",
                "kubectl-fleet-workloads",
            ),
            rv(
                "b",
                Kind::ConfigMap,
                "kube-system",
                "kubectl-fleet-workloads",
            ),
            f.sim.store("a").unwrap().list(Kind::Event, None).len(),
        )
    };
    // Let the status of the new pods settle first.
    eventually("4 ready on a", 30, || {
        (f.ready_pods("web")["a"] == 4).then_some(())
    });
    std::thread::sleep(Duration::from_millis(300));
    let before = watched(&f);
    let second = f.run(&["reconcile", "--once"]);
    assert!(second.ok, "{}{}", second.stdout, second.stderr);
    assert!(
        second
            .stdout
            .contains("0 actions, 0 replicas moved, 0 member writes, 0 events"),
        "{}",
        second.stdout
    );
    assert_eq!(
        watched(&f),
        before,
        "the second reconcile wrote to a member"
    );
}

#[test]
fn two_reconcilers_share_one_lease_and_only_the_holder_acts() {
    let f = two();
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "1", 0),
        ack_policy("web", &[&["a"], &["b"]], false)
    ));
    let spawn = |id: &str, port: u16| -> Child {
        Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
            .args([
                "reconcile",
                "--interval",
                "200ms",
                "--lease-member",
                "a",
                "--lease-duration",
                "2s",
                "--identity",
                id,
                "--metrics-addr",
                &format!("127.0.0.1:{port}"),
            ])
            .env("KUBECONFIG", &f.kubeconfig)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("reconcile starts")
    };
    let (p1, p2) = (free_port(), free_port());
    let mut r1 = spawn("r1", p1);
    // r1 first, so that it is the holder.
    eventually("r1 leads", 20, || {
        let m = http_get(p1, "/metrics")?;
        (metric(&m, "kubectl_fleet_leader") == Some(1.0)).then_some(())
    });
    let mut r2 = spawn("r2", p2);
    eventually("r2 serves", 20, || {
        http_get(p2, "/healthz").filter(|b| b.ends_with("ok\n"))
    });
    std::thread::sleep(Duration::from_millis(1500));
    let m1 = http_get(p1, "/metrics").unwrap();
    let m2 = http_get(p2, "/metrics").unwrap();
    assert_eq!(metric(&m1, "kubectl_fleet_leader"), Some(1.0), "{m1}");
    assert_eq!(metric(&m2, "kubectl_fleet_leader"), Some(0.0), "{m2}");
    assert!(
        metric(&m1, "kubectl_fleet_reconcile_passes_total").unwrap() >= 2.0,
        "{m1}"
    );
    assert_eq!(
        metric(&m2, "kubectl_fleet_reconcile_passes_total"),
        Some(0.0),
        "r2 never acts: {m2}"
    );
    assert!(
        m1.contains("kubectl_fleet_member_reachable{cluster=\"b\"} 1"),
        "{m1}"
    );
    assert!(
        m1.contains("kubectl_fleet_placement_replicas{cluster=\"a\",namespace=\"default\",deployment=\"web\"} 4"),
        "{m1}"
    );
    let lease = f
        .sim
        .store("a")
        .unwrap()
        .get(Kind::Lease, "kube-system", "kubectl-fleet-reconcile")
        .expect("lease in a");
    assert_eq!(lease["spec"]["holderIdentity"], "r1");
    assert_eq!(lease["spec"]["leaseDurationSeconds"], 2);
    assert!(lease["spec"]["renewTime"].is_string());

    // r1 stops cleanly (SIGTERM) and releases the Lease; r2 takes over.
    sigterm(&r1);
    let status = r1.wait().unwrap();
    assert!(status.success(), "r1 exits 0 on SIGTERM: {status:?}");
    let mut err1 = String::new();
    r1.stderr.take().unwrap().read_to_string(&mut err1).unwrap();
    assert!(err1.contains("released lease"), "{err1}");
    eventually("r2 takes over and acts", 20, || {
        let m = http_get(p2, "/metrics")?;
        (metric(&m, "kubectl_fleet_leader") == Some(1.0)
            && metric(&m, "kubectl_fleet_reconcile_passes_total")? >= 1.0)
            .then_some(())
    });
    let lease = f
        .sim
        .store("a")
        .unwrap()
        .get(Kind::Lease, "kube-system", "kubectl-fleet-reconcile")
        .unwrap();
    assert_eq!(lease["spec"]["holderIdentity"], "r2");
    assert!(lease["spec"]["leaseTransitions"].as_i64().unwrap() >= 1);
    sigterm(&r2);
    assert!(r2.wait().unwrap().success());
    assert!(http_get(p2, "/healthz").is_none(), "server stopped");
}
