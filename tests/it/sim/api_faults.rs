//! Network faults of the simulated API servers and the fleet admin endpoint.

use std::time::{Duration, Instant};

use kubectl_fleet::sim::Fault;
use serde_json::Value;

use crate::util::*;

fn port_of(url: &str) -> String {
    url.rsplit(':').next().unwrap().to_string()
}

#[test]
fn down_refuses_connections_and_up_serves_again_on_the_same_port() {
    let f = start_fleet(config_of(&["alpha", "beta"]));
    let url = f.sim.server_url("alpha").unwrap();
    assert!(f.kubectl("alpha", &["get", "ns", "default"]).ok);

    f.sim.fault("alpha", Fault::Down).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    // Connections in flight while the listener closes may be reset; then it is refused.
    loop {
        match http("GET", &format!("{url}/version"), "", "") {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => break,
            r => {
                assert!(Instant::now() < deadline, "still serving after Down: {r:?}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
    let r = f.kubectl("alpha", &["get", "ns", "default", "--request-timeout=3s"]);
    assert!(!r.ok);
    assert!(r.stderr.contains("refused"), "{}", r.stderr);
    // The other member is unaffected.
    assert!(f.kubectl("beta", &["get", "ns", "default"]).ok);

    f.sim.fault("alpha", Fault::Up).unwrap();
    assert_eq!(f.sim.server_url("alpha").unwrap(), url);
    let deadline = Instant::now() + Duration::from_secs(5);
    while http("GET", &format!("{url}/version"), "", "").is_err() {
        assert!(
            Instant::now() < deadline,
            "did not come back on port {}",
            port_of(&url)
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let r = f.kubectl("alpha", &["get", "ns", "default", "-o", "name"]);
    assert_eq!(r.stdout.trim(), "namespace/default", "{}", r.stderr);
}

#[test]
fn latency_delays_and_error_rate_fails_requests() {
    let f = start_fleet(config_of(&["alpha"]));
    let url = f.sim.server_url("alpha").unwrap();
    f.sim.fault("alpha", Fault::Latency(300)).unwrap();
    let t = Instant::now();
    let (code, _) = http("GET", &format!("{url}/version"), "", "").unwrap();
    assert_eq!(code, 200);
    assert!(
        t.elapsed() >= Duration::from_millis(300),
        "{:?}",
        t.elapsed()
    );

    f.sim.fault("alpha", Fault::Latency(0)).unwrap();
    f.sim.fault("alpha", Fault::ErrorRate(1.0)).unwrap();
    let (code, body) = http("GET", &format!("{url}/api/v1/namespaces"), "", "").unwrap();
    let s: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((code, s["reason"].as_str()), (500, Some("InternalError")));
    assert!(f.sim.fault("alpha", Fault::ErrorRate(1.5)).is_err());

    f.sim.fault("alpha", Fault::Up).unwrap();
    let (code, _) = http("GET", &format!("{url}/api/v1/namespaces"), "", "").unwrap();
    assert_eq!(code, 200);
}

#[test]
fn kubeconfig_carries_the_admin_url_and_admin_faults_apply() {
    let f = start_fleet(config_of(&["alpha", "beta"]));
    // kubectl loads the kubeconfig with the extension and sees one context per cluster.
    let r = f.kubectl("alpha", &["config", "get-contexts", "-o", "name"]);
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        ["alpha", "beta"],
        "{}",
        r.stderr
    );
    let r = f.kubectl("alpha", &["config", "view", "-o", "json"]);
    let kc: Value = serde_json::from_str(&r.stdout).unwrap();
    let ext = &kc["clusters"][0]["cluster"]["extensions"][0];
    assert_eq!(ext["name"], "fleet.kubectl.dev/sim-admin");
    let admin = ext["extension"]["url"].as_str().unwrap().to_string();
    assert_eq!(admin, f.sim.admin_url());

    let (code, body) = http("GET", &format!("{admin}/clusters"), "", "").unwrap();
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(code, 200);
    assert_eq!(v["clusters"][1]["name"], "beta");
    assert_eq!(
        v["clusters"][1]["server"].as_str(),
        f.sim.server_url("beta").as_deref()
    );

    let (code, body) = http(
        "POST",
        &format!("{admin}/faults"),
        "application/json",
        r#"{"cluster":"beta","fault":"down"}"#,
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    let beta = f.sim.server_url("beta").unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while http("GET", &format!("{beta}/version"), "", "").is_ok() {
        assert!(Instant::now() < deadline, "beta still up");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, body) = http(
        "POST",
        &format!("{admin}/faults"),
        "application/json",
        r#"{"cluster":"beta","fault":{"latency":50}}"#,
    )
    .unwrap();
    assert_eq!(code, 200, "{body}");
    let (code, body) = http("GET", &format!("{admin}/clusters/beta"), "", "").unwrap();
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (code, v["down"].as_bool(), v["latencyMs"].as_u64()),
        (200, Some(true), Some(50))
    );
    let (code, _) = http(
        "POST",
        &format!("{admin}/faults"),
        "application/json",
        r#"{"cluster":"nope","fault":"up"}"#,
    )
    .unwrap();
    assert_eq!(code, 404);
    let (code, _) = http(
        "POST",
        &format!("{admin}/faults"),
        "application/json",
        r#"{"cluster":"beta","fault":"sideways"}"#,
    )
    .unwrap();
    assert_eq!(code, 400);
}
