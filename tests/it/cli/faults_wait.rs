//! Connection faults while `kubectl fleet apply --wait` waits for the rollout (the real
//! process against the simulated fleet). `--wait` reads each copy's status with short polls,
//! so a member whose connections are dropped or that stalls costs polls, not the wait: it
//! recovers when the member answers again, reports success once the replicas are available,
//! and a member that never answers again ends the wait at `--timeout` with one error line
//! naming it (exit 1), with the copies that were written left in place.

use std::time::{Duration, Instant};

use kubectl_fleet::sim::store::Kind;
use kubectl_fleet::sim::Fault;

use super::faults_apply::{fleet3, held, POLICY};
use super::faults_util::{collect, fleet, spawn, wait_until, Out};
use crate::util::TestFleet;

/// Pods turn Ready after the readiness probe's initial delay (`ready_after` simulated
/// seconds; the tests run the simulator at speed 50, so 150 = 3 s): the window the faults
/// happen in.
fn files(tf: &TestFleet, ready_after: u32) -> (String, String) {
    let deployment = format!(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: default, labels: {{app: web}}}}
spec:
  replicas: 6
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {{limits: {{nvidia.com/gpu: "1"}}}}
        readinessProbe:
          initialDelaySeconds: {ready_after}
          exec: {{command: ["true"]}}
"#
    );
    let d = tf.write("web.yaml", &deployment);
    let p = tf.write("policy.yaml", POLICY);
    (
        d.to_str().unwrap().to_string(),
        p.to_str().unwrap().to_string(),
    )
}

fn all_written(tf: &TestFleet) -> bool {
    held(tf).iter().all(|(_, r)| *r == Some(2))
}

/// `status.availableReplicas` of the copy on `cluster`.
fn available(tf: &TestFleet, cluster: &str) -> i64 {
    tf.sim
        .store(cluster)
        .unwrap()
        .get(Kind::Deployment, "default", "web")
        .and_then(|d| d["status"]["availableReplicas"].as_i64())
        .unwrap_or(0)
}

const CREATED: &str = "deployment.apps/web created on c1 (0 -> 2)\n\
                       deployment.apps/web created on c2 (0 -> 2)\n\
                       deployment.apps/web created on c3 (0 -> 2)\n";

#[test]
fn faults_wait_survives_dropped_connections_and_succeeds_once_ready() {
    let tf = fleet3();
    let (d, p) = files(&tf, 150);
    let started = Instant::now();
    let mut child = spawn(
        &tf.kubeconfig,
        &[
            "apply",
            "--yes",
            "--wait",
            "--timeout",
            "30s",
            "-f",
            &d,
            "-f",
            &p,
        ],
    );
    wait_until(Duration::from_secs(20), "the three copies", || {
        all_written(&tf)
    });
    // c2's connections are cut (the listener closes and its open connections are shut
    // down) while apply is waiting; for a second every poll is refused.
    tf.sim.fault("c2", Fault::Down).unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "apply is still waiting"
    );
    assert_eq!(available(&tf, "c2"), 0, "not ready before the fault");
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        child.try_wait().unwrap().is_none(),
        "apply waits through it"
    );
    tf.sim.fault("c2", Fault::Up).unwrap();
    let out = collect(child);
    let took = started.elapsed();

    assert_waited_through_the_fault(&tf, &out, took);
}

#[test]
fn faults_wait_survives_a_stalled_member_and_succeeds_once_it_answers() {
    let tf = fleet3();
    let (d, p) = files(&tf, 150);
    let started = Instant::now();
    // A stalled poll is abandoned after --request-timeout and the next one uses a new
    // connection, so recovery is not held up by the stalled request.
    let mut child = spawn(
        &tf.kubeconfig,
        &[
            "--request-timeout",
            "1s",
            "apply",
            "--yes",
            "--wait",
            "--timeout",
            "30s",
            "-f",
            &d,
            "-f",
            &p,
        ],
    );
    wait_until(Duration::from_secs(20), "the three copies", || {
        all_written(&tf)
    });
    // Every c2 request now hangs (the requests already in flight keep hanging after the
    // fault is cleared).
    tf.sim.fault("c2", Fault::Latency(600_000)).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "apply is still waiting"
    );
    tf.sim.fault("c2", Fault::Up).unwrap();
    let out = collect(child);
    let took = started.elapsed();

    assert_waited_through_the_fault(&tf, &out, took);
}

/// The wait rode out the fault: exit 0, every copy created, no error or warning, every
/// member available when apply returned, well within --timeout.
fn assert_waited_through_the_fault(tf: &TestFleet, out: &Out, took: Duration) {
    assert_eq!(out.code, Some(0), "{out:?}");
    assert!(out.stdout.contains(CREATED), "{}", out.stdout);
    assert!(!out.stderr.contains("error"), "{}", out.stderr);
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    assert!(took < Duration::from_secs(15), "apply --wait took {took:?}");
    for c in ["c1", "c2", "c3"] {
        assert_eq!(available(tf, c), 2, "{c} is available when apply returns");
    }
}

#[test]
fn faults_wait_on_a_member_that_never_answers_again_ends_at_timeout_naming_it() {
    let tf = fleet3();
    let (d, p) = files(&tf, 50);
    let started = Instant::now();
    // Default --request-timeout (30s): the wait must still end at its own --timeout.
    let mut child = spawn(
        &tf.kubeconfig,
        &[
            "apply",
            "--yes",
            "--wait",
            "--timeout",
            "3s",
            "-f",
            &d,
            "-f",
            &p,
        ],
    );
    wait_until(Duration::from_secs(20), "the three copies", || {
        all_written(&tf)
    });
    let written_at = started.elapsed();
    // Let the wait see c2's copy (0/2 available: ready after 1 s), then stall c2 for good.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(available(&tf, "c2"), 0);
    tf.sim.fault("c2", Fault::Latency(600_000)).unwrap();
    let out = collect_within(&mut child, Duration::from_secs(20));
    let took = started.elapsed() - written_at;

    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        took < Duration::from_millis(3000 + 2000),
        "apply --wait --timeout 3s returned {took:?} after the writes"
    );
    assert!(out.stdout.contains(CREATED), "{}", out.stdout);
    let err: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(err.len(), 2, "{}", out.stderr);
    assert_eq!(
        err[0],
        "warning: every copy was written (c1, c2, c3); --wait gave up before all were available: see `kubectl fleet get deploy -M`"
    );
    // Only c2 is named: c1 and c3 became available; the counts are the last ones c2 gave.
    // Normally the wait polled c2 once before the stall (`last seen 0/2 ...`); on a heavily
    // loaded machine that first poll may itself be stuck behind the stall (`never seen`).
    let head = "error: c2: deployment default/web: not available after --timeout 3s (";
    assert!(err[1].starts_with(head), "{}", err[1]);
    let seen = &err[1][head.len()..];
    assert!(
        seen.starts_with("last seen 0/2 available, ") || seen.starts_with("never seen;"),
        "{}",
        err[1]
    );
    assert!(
        err[1].ends_with("; last poll failed: no answer before --timeout)"),
        "{}",
        err[1]
    );
    for c in ["c1", "c3"] {
        assert_eq!(available(&tf, c), 2, "{c}");
    }
    // The members keep what was written; once c2 answers again the same command finds
    // nothing to change.
    assert_eq!(
        held(&tf).into_iter().map(|(_, r)| r).collect::<Vec<_>>(),
        [Some(2), Some(2), Some(2)]
    );
    tf.sim.fault("c2", Fault::Up).unwrap();
    let again = fleet(
        &tf.kubeconfig,
        &[
            "apply",
            "--yes",
            "--wait",
            "--timeout",
            "30s",
            "-f",
            &d,
            "-f",
            &p,
        ],
    );
    assert_eq!(again.code, Some(0), "{again:?}");
    assert!(again
        .stdout
        .contains("No changes: the fleet already matches the plan."));
}

/// Waits for the child, killing it (and failing) if it outlives `within`: a hang must fail
/// the test, not stall CI.
fn collect_within(child: &mut std::process::Child, within: Duration) -> super::faults_util::Out {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > within {
            child.kill().unwrap();
            panic!("kubectl-fleet still running after {within:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut stdout = String::new();
    let mut stderr = String::new();
    use std::io::Read;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    super::faults_util::Out {
        code: child.try_wait().unwrap().and_then(|s| s.code()),
        stdout,
        stderr,
    }
}
