//! Ctrl-C during `kubectl fleet apply`, through the real signal path: the `kubectl-fleet`
//! process is started against a simulated fleet whose members answer slowly (latency fault),
//! and SIGINT is sent (`kill -INT`) once the first member copy is written. The first SIGINT
//! stops between members (exit 1, the report says what was and was not applied and how to
//! resume); a second one quits at once (exit 130). SIGTERM behaves the same. Members only ever hold complete copies
//! (each copy is one server-side apply), and re-running the same command converges.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;

use super::faults_apply::{fleet3, held, POLICY};
use super::faults_util::{collect, fleet, sigint, signal, spawn, wait_until};
use crate::util::TestFleet;

/// Every API request of every member waits this long: a member copy (namespace check +
/// server-side apply) takes two of them, so a signal sent shortly after c1's copy appears
/// lands while c2 is being written.
const LATENCY_MS: u64 = 400;

const DEPLOYMENT: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {limits: {nvidia.com/gpu: "1"}}
"#;

fn files(tf: &TestFleet) -> (String, String) {
    let d = tf.write("web.yaml", DEPLOYMENT);
    let p = tf.write("policy.yaml", POLICY);
    (
        d.to_str().unwrap().to_string(),
        p.to_str().unwrap().to_string(),
    )
}

fn slow(tf: &TestFleet) {
    for c in ["c1", "c2", "c3"] {
        tf.sim.fault(c, Fault::Latency(LATENCY_MS)).unwrap();
    }
}

fn recover(tf: &TestFleet) {
    for c in ["c1", "c2", "c3"] {
        tf.sim.fault(c, Fault::Up).unwrap();
    }
}

fn replicas_on(tf: &TestFleet) -> Vec<Option<i64>> {
    held(tf).into_iter().map(|(_, r)| r).collect()
}

/// A copy is complete when it carries the planned count and every fleet annotation of the
/// plan (it was written by one server-side apply, never field by field).
fn assert_complete(tf: &TestFleet, cluster: &str) {
    let d = tf
        .sim
        .store(cluster)
        .unwrap()
        .get(Kind::Deployment, "default", "web")
        .unwrap_or_else(|| panic!("{cluster} holds no copy"));
    assert_eq!(d["spec"]["replicas"], 2, "{cluster}");
    let ann = &d["metadata"]["annotations"];
    assert_eq!(ann["fleet.kubectl.dev/total-replicas"], "6", "{cluster}");
    for k in [
        "fleet.kubectl.dev/placement",
        "fleet.kubectl.dev/policy",
        "fleet.kubectl.dev/spec-hash",
    ] {
        assert!(ann.get(k).is_some(), "{cluster} copy lacks {k}: {ann}");
    }
    assert_eq!(
        d["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "kubectl-fleet"
    );
}

/// Re-running the same command after an interrupted one: c1 (and c2 if it was written) are
/// `unchanged`, the rest is created; a third run changes nothing.
fn rerun_converges(tf: &TestFleet, d: &str, p: &str, written_before: &[&str]) {
    let out = fleet(&tf.kubeconfig, &["apply", "--yes", "-f", d, "-f", p]);
    assert_eq!(out.code, Some(0), "{out:?}");
    for c in ["c1", "c2", "c3"] {
        // Copies written before get the rerun's fleet generation (annotation only), so every
        // copy records the same generation.
        let line = if written_before.contains(&c) {
            format!(
                "deployment.apps/web configured on {c} (2 replicas; changed: fleet generation)\n"
            )
        } else {
            format!("deployment.apps/web created on {c} (0 -> 2)\n")
        };
        assert!(out.stdout.contains(&line), "{line:?} in\n{}", out.stdout);
    }
    // The copies written before are configured (annotation only: the rerun's generation).
    let kept = written_before.len();
    let summary = format!(
        "Summary: 1 workload changed, 0 unchanged; copies {} created, {kept} configured, 0 deleted, 0 unchanged; replicas {} added, 0 removed; 0 unplaced.\n",
        3 - kept,
        2 * (3 - kept)
    );
    assert!(
        out.stdout.ends_with(&summary),
        "{summary:?} in\n{}",
        out.stdout
    );
    assert_eq!(replicas_on(tf), [Some(2), Some(2), Some(2)]);
    let again = fleet(&tf.kubeconfig, &["apply", "--yes", "-f", d, "-f", p]);
    assert_eq!(again.code, Some(0), "{again:?}");
    assert!(
        again
            .stdout
            .contains("No changes: the fleet already matches the plan."),
        "{}",
        again.stdout
    );
}

#[test]
fn faults_sigint_mid_apply_stops_between_members_exits_1_and_the_rerun_resumes() {
    interrupt_mid_apply("INT");
}

/// SIGTERM (`kill`, systemd, a Pod being stopped) is handled exactly like Ctrl-C.
#[test]
fn faults_sigterm_mid_apply_stops_between_members_like_ctrl_c() {
    interrupt_mid_apply("TERM");
}

fn interrupt_mid_apply(sig: &str) {
    let tf = fleet3();
    let (d, p) = files(&tf);
    slow(&tf);
    let started = Instant::now();
    let child = spawn(&tf.kubeconfig, &["apply", "--yes", "-f", &d, "-f", &p]);
    let pid = child.id();
    let c1 = tf.sim.store("c1").unwrap();
    wait_until(Duration::from_secs(30), "c1's copy", || {
        c1.get(Kind::Deployment, "default", "web").is_some()
    });
    // c2's namespace check is now in flight (LATENCY_MS); signal inside that window.
    std::thread::sleep(Duration::from_millis(LATENCY_MS / 4));
    assert_eq!(
        replicas_on(&tf),
        [Some(2), None, None],
        "c2 not written yet"
    );
    signal(pid, sig);
    let out = collect(child);
    eprintln!("interrupted apply took {:?}", started.elapsed());

    assert_eq!(out.code, Some(1), "Ctrl-C during apply exits 1: {out:?}");
    // The member being written when the signal came is finished, then apply stops.
    assert!(
        out.stdout.contains(
            "deployment.apps/web created on c1 (0 -> 2)\n\
             deployment.apps/web created on c2 (0 -> 2)\n\
             deployment.apps/web skipped on c3 (0 replicas): not applied\n"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("No changes"));
    let err: Vec<&str> = out.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        err,
        [
            "Interrupted: finishing the current member, then stopping (Ctrl-C again to quit now).",
            "warning: partially applied (written: c1, c2); re-running apply converges",
            "Stopped: applied to c1, c2. Run the same command again to resume (apply is idempotent).",
        ],
        "{}",
        out.stderr
    );
    assert_eq!(replicas_on(&tf), [Some(2), Some(2), None]);
    assert_complete(&tf, "c1");
    assert_complete(&tf, "c2");

    recover(&tf);
    rerun_converges(&tf, &d, &p, &["c1", "c2"]);
    for c in ["c1", "c2", "c3"] {
        assert_complete(&tf, c);
    }
}

#[test]
fn faults_second_sigint_quits_at_once_with_130_naming_what_was_applied_and_the_rerun_resumes() {
    let tf = fleet3();
    let (d, p) = files(&tf);
    slow(&tf);
    let mut child = spawn(&tf.kubeconfig, &["apply", "--yes", "-f", &d, "-f", &p]);
    let pid = child.id();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            let _ = tx.send(line.clone());
        }
    });
    let c1 = tf.sim.store("c1").unwrap();
    wait_until(Duration::from_secs(30), "c1's copy", || {
        c1.get(Kind::Deployment, "default", "web").is_some()
    });
    std::thread::sleep(Duration::from_millis(LATENCY_MS / 4));
    sigint(pid);
    let mut lines = Vec::new();
    loop {
        let l = rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the first SIGINT is acknowledged on stderr");
        let ack = l.starts_with("Interrupted: ");
        lines.push(l);
        if ack {
            break;
        }
    }
    // Still finishing c2 (its namespace check alone takes LATENCY_MS): quit now.
    sigint(pid);
    let out = collect(child);
    reader.join().unwrap();
    lines.extend(rx.try_iter());
    let err: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();

    assert_eq!(out.code, Some(130), "second Ctrl-C exits 130: {out:?}");
    assert_eq!(
        err,
        [
            "Interrupted: finishing the current member, then stopping (Ctrl-C again to quit now).",
            "Quit: applied to c1 (a write in flight may or may not have landed). Run the same command again to resume (apply is idempotent).",
        ]
    );
    // No report was printed: only the plan table.
    assert!(
        !out.stdout.contains("deployment.apps/web "),
        "{}",
        out.stdout
    );
    // c2's write never started (the quit came during its namespace check).
    assert_eq!(replicas_on(&tf), [Some(2), None, None]);
    assert_complete(&tf, "c1");

    recover(&tf);
    rerun_converges(&tf, &d, &p, &["c1"]);
}

#[test]
fn faults_sigint_during_apply_wait_stops_waiting_and_exits_1() {
    let tf = fleet3();
    // Pods turn Ready after 150 simulated seconds (3 s at the tests' speed 50).
    let slow_ready = DEPLOYMENT.replace(
        "        resources: {limits: {nvidia.com/gpu: \"1\"}}\n",
        "        resources: {limits: {nvidia.com/gpu: \"1\"}}\n        readinessProbe:\n          initialDelaySeconds: 150\n          exec: {command: [\"true\"]}\n",
    );
    assert_ne!(slow_ready, DEPLOYMENT);
    let d = tf.write("web.yaml", &slow_ready);
    let p = tf.write("policy.yaml", POLICY);
    let (d, p) = (d.to_str().unwrap(), p.to_str().unwrap());
    let started = Instant::now();
    let child = spawn(
        &tf.kubeconfig,
        &[
            "apply",
            "--yes",
            "--wait",
            "--timeout",
            "60s",
            "-f",
            d,
            "-f",
            p,
        ],
    );
    let pid = child.id();
    wait_until(Duration::from_secs(20), "the three copies", || {
        replicas_on(&tf) == [Some(2), Some(2), Some(2)]
    });
    std::thread::sleep(Duration::from_millis(200));
    sigint(pid);
    let out = collect(child);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    assert_eq!(out.code, Some(1), "{out:?}");
    for c in ["c1", "c2", "c3"] {
        let line = format!("deployment.apps/web created on {c} (0 -> 2)\n");
        assert!(out.stdout.contains(&line), "{}", out.stdout);
    }
    let err: Vec<&str> = out.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        err,
        [
            "Interrupted: finishing the current member, then stopping (Ctrl-C again to quit now).",
            "warning: every copy was written (c1, c2, c3); stopped waiting before all were available: see `kubectl fleet get deploy -M`",
            "Stopped: applied to c1, c2, c3. Run the same command again to resume (apply is idempotent).",
        ],
        "{}",
        out.stderr
    );
    for c in ["c1", "c2", "c3"] {
        assert_complete(&tf, c);
    }
}
