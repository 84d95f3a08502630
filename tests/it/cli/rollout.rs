//! Fleet-wide rollouts (issue #13) on the simulated fleet, checked with real kubectl:
//! canary step then pause, resume, undo, a bad image, a member down, scaling during a step,
//! timed pauses advanced by `reconcile`, the fleet's availability budget during a step,
//! `undo --to-revision` and change causes, `pause`, a drain mid-step, the default member
//! order of priority groups, and the pods of folded members.

use std::collections::BTreeMap;

use kubectl_fleet::sim::Fault;

use super::ops_common::{eventually, OpsFleet};
use crate::util::kubectl_with;

const CLUSTERS: &str = "- name: east
  nodes:
  - {count: 2, prefix: cpu, allocatable: {cpu: \"32\", memory: 128Gi}}
- name: west
  nodes:
  - {count: 2, prefix: cpu, allocatable: {cpu: \"32\", memory: 128Gi}}
- name: north
  nodes:
  - {count: 2, prefix: cpu, allocatable: {cpu: \"32\", memory: 128Gi}}
";

/// `web` with `image`, 6 replicas: east gets 4, west 2 (static weights 2:1), north none.
fn web(image: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: default, labels: {{app: web}}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: app
        image: {image}
        readinessProbe: {{tcpSocket: {{port: 80}}, initialDelaySeconds: 5}}
        resources: {{requests: {{cpu: \"1\"}}}}
---
apiVersion: policy.karmada.io/v1alpha1
kind: PropagationPolicy
metadata: {{name: web, namespace: default}}
spec:
  resourceSelectors: [{{apiVersion: apps/v1, kind: Deployment, name: web}}]
  placement:
    clusterAffinity: {{clusterNames: [east, west]}}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        staticWeightList:
        - {{targetCluster: {{clusterNames: [east]}}, weight: 2}}
        - {{targetCluster: {{clusterNames: [west]}}, weight: 1}}
"
    )
}

/// A Rollout with one first step and its pause, then 100%.
fn rollout(first: &str, pause: &str) -> String {
    format!(
        "apiVersion: rollouts.kruise.io/v1beta1
kind: Rollout
metadata:
  name: web
  namespace: default
  annotations: {{fleet.kubectl.dev/settle-seconds: \"1\", fleet.kubectl.dev/max-restarts: \"1\"}}
spec:
  workloadRef: {{apiVersion: apps/v1, kind: Deployment, name: web}}
  strategy:
    canary:
      steps:
      - replicas: {first}
        pause: {pause}
        traffic: 10%
      - replicas: 100%
"
    )
}

fn start() -> OpsFleet {
    let f = OpsFleet::start(CLUSTERS, 20.0);
    std::fs::write(f.dir.path().join("v1.yaml"), web("nginx:1.27", 6)).unwrap();
    std::fs::write(f.dir.path().join("v2.yaml"), web("nginx:1.28", 6)).unwrap();
    f
}

impl OpsFleet {
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Image → number of `app=web` pods, per cluster, as real kubectl sees them.
    fn images(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        let mut out = BTreeMap::new();
        for c in ["east", "west", "north"] {
            let r = kubectl_with(
                &self.kubeconfig,
                c,
                &[
                    "get",
                    "pods",
                    "-l",
                    "app=web",
                    "-o",
                    "jsonpath={range .items[*]}{.spec.containers[0].image}{\"\\n\"}{end}",
                ],
                None,
            );
            assert!(r.ok, "kubectl on {c}: {}", r.stderr);
            let mut m = BTreeMap::new();
            for l in r.stdout.lines().filter(|l| !l.is_empty()) {
                *m.entry(l.to_string()).or_insert(0) += 1;
            }
            out.insert(c.to_string(), m);
        }
        out
    }

    /// Fleet-wide pods per image.
    fn fleet_images(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for m in self.images().values() {
            for (i, n) in m {
                *out.entry(i.clone()).or_insert(0) += n;
            }
        }
        out
    }

    fn wait_images(&self, want: &[(&str, usize)], secs: u64) {
        let want: BTreeMap<String, usize> = want.iter().map(|(i, n)| (i.to_string(), *n)).collect();
        eventually(&format!("pods per image {want:?}"), secs, || {
            (self.fleet_images() == want).then_some(())
        });
    }
}

#[test]
fn canary_step_pauses_at_half_then_resume_completes_and_undo_returns_everything() {
    let f = start();
    let r = f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"]);
    assert!(r.ok, "{}", r.stderr);
    f.wait_images(&[("nginx:1.27", 6)], 30);

    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    // Fields that need a traffic router are accepted with a warning.
    assert!(
        r.stderr.contains("traffic") && r.stderr.contains("not used"),
        "{}",
        r.stderr
    );
    // Lowest priority first (one group here: reverse name order): west (2) is folded, east
    // runs 1 canary next to 3 stable.
    assert!(
        r.stdout
            .contains("deployment.apps/web-canary created on east (0 -> 1)"),
        "{}",
        r.stdout
    );
    // The canary copy counts as a copy of deploy/web, not as a second workload.
    assert!(
        r.stdout
            .contains("Summary: 1 workload changed, 0 unchanged; copies 1 created, "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "step 1/2: 3 of 6 replicas on the new template (west updated, east 3+1 canary)"
        ),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 3), ("nginx:1.28", 3)], 30);
    let per = f.images();
    assert_eq!(per["west"].get("nginx:1.28"), Some(&2));
    assert_eq!(per["east"].get("nginx:1.28"), Some(&1));
    assert_eq!(per["east"].get("nginx:1.27"), Some(&3));
    // The member total stays what the plan says.
    let d = kubectl_with(
        &f.kubeconfig,
        "east",
        &[
            "get",
            "deploy",
            "web",
            "web-canary",
            "-o",
            "jsonpath={.items[*].spec.replicas}",
        ],
        None,
    );
    assert_eq!(d.stdout.trim(), "3 1");

    // status waits at the manual pause: --watch=false prints and exits 0.
    let s = eventually("step ready", 30, || {
        let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
        s.stdout.contains("pause until").then_some(s)
    });
    assert!(s.ok);
    assert!(s.stdout.contains("step 1/2"), "{}", s.stdout);
    assert!(
        s.stdout.contains("east      4       3        1        1/1"),
        "{}",
        s.stdout
    );
    // status with a short timeout does not complete: non-zero.
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "1s"]);
    assert!(!s.ok);
    assert!(s.stderr.contains("timed out"), "{}", s.stderr);

    // --revision pins the revision, like kubectl rollout status.
    let s = f.run(&[
        "rollout",
        "status",
        "deploy/web",
        "--revision",
        "1",
        "--watch=false",
    ]);
    assert!(!s.ok);
    assert!(
        s.stderr
            .contains("desired revision (1) is different from the running revision (2)"),
        "{}",
        s.stderr
    );
    let s = f.run(&[
        "rollout",
        "status",
        "deploy/web",
        "--revision",
        "2",
        "--watch=false",
    ]);
    assert!(s.ok, "{}", s.stderr);

    // get -M -o wide: each member's revision, the canary in its member's row, fleet-wide
    // updated count and the step on the fleet row.
    let g = f.run(&["get", "deploy", "-M", "-o", "wide"]);
    assert!(g.ok, "{}", g.stderr);
    let line = |first: &str, second: &str| -> Vec<String> {
        g.stdout
            .lines()
            .map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
            .find(|t| {
                t.first().map(String::as_str) == Some(first)
                    && t.get(1).map(String::as_str) == Some(second)
            })
            .unwrap_or_else(|| panic!("no {first} {second} row in\n{}", g.stdout))
    };
    let header = line("NAME", "CLUSTER");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let east = line("web", "east");
    assert_eq!(east[col("READY")], "4/4", "{}", g.stdout);
    assert_eq!(east[col("REVISION")], "1,2(canary)", "{}", g.stdout);
    assert_eq!(east[col("UPDATED")], "1", "{}", g.stdout);
    assert!(
        east[col("IMAGES")].contains("nginx:1.28(canary)"),
        "{}",
        g.stdout
    );
    let west = line("web", "west");
    assert_eq!(west[col("REVISION")], "2", "{}", g.stdout);
    assert_eq!(west[col("UPDATED")], "2", "{}", g.stdout);
    assert!(!g.stdout.contains("web-canary"), "{}", g.stdout);
    assert!(
        g.stdout.lines().any(|l| l.starts_with("web ")
            && l.contains("(fleet)")
            && l.contains("1->2 step 1/2")
            && l.contains(" 3/6 ")),
        "{}",
        g.stdout
    );
    // describe shows the rollout: revisions, step, phase, state per member.
    let d = f.run(&["describe", "deploy", "web"]);
    assert!(d.ok, "{}", d.stderr);
    for want in [
        "Rollout:                Rollout default/web (2 steps: 50%, 100%)",
        "  Revision:             2 (stable 1)",
        "  Step:                 1/2: 3 of 6 replicas on the new template",
        "  Phase:                WaitingForResume",
        "east (canary)",
    ] {
        assert!(d.stdout.contains(want), "missing {want:?} in\n{}", d.stdout);
    }
    assert!(
        d.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("east") && l.trim_end().ends_with("canary")),
        "{}",
        d.stdout
    );

    let r = f.run(&["rollout", "resume", "deploy/web"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("deployment.apps/web-canary deleted from east"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Summary: 1 workload changed, 0 unchanged; ")
            && r.stdout.contains(" 1 deleted, "),
        "{}",
        r.stdout
    );
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(s.ok, "{}\n{}", s.stdout, s.stderr);
    assert!(
        s.stdout.contains("successfully rolled out (revision 2)"),
        "{}",
        s.stdout
    );
    f.wait_images(&[("nginx:1.28", 6)], 30);

    let h = f.run(&["rollout", "history", "deploy/web"]);
    assert!(h.ok);
    assert!(
        h.stdout.starts_with("deployment.apps/web\nREVISION"),
        "{}",
        h.stdout
    );
    assert!(
        h.stdout
            .lines()
            .any(|l| l.starts_with("2 ") && l.ends_with("current")),
        "{}",
        h.stdout
    );
    // One revision: kubectl's header and the template; -o yaml is the same document as -o
    // json (no header line).
    let h = f.run(&["rollout", "history", "deploy/web", "--revision", "1"]);
    assert!(
        h.ok && h
            .stdout
            .starts_with("deployment.apps/web with revision #1\n"),
        "{}\n{}",
        h.stdout,
        h.stderr
    );
    let y = f.run(&[
        "rollout",
        "history",
        "deploy/web",
        "--revision",
        "1",
        "-o",
        "yaml",
    ]);
    assert!(
        y.ok && !y.stdout.starts_with("deployment.apps/")
            && y.stdout.contains("\nrevision: 1\n")
            && y.stdout.contains("\ntemplate:\n"),
        "{}\n{}",
        y.stdout,
        y.stderr
    );
    let j = f.run(&[
        "rollout",
        "history",
        "deploy/web",
        "--revision",
        "1",
        "-o",
        "json",
    ]);
    let j: serde_json::Value = serde_json::from_str(&j.stdout).expect("json");
    assert_eq!(j["revision"], 1);

    let u = f.run(&["rollout", "undo", "deploy/web"]);
    assert!(u.ok, "{}\n{}", u.stdout, u.stderr);
    assert!(
        u.stdout.contains("rolled back to revision 1"),
        "{}",
        u.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 30);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(
        s.stdout.contains("successfully rolled out (revision 3)"),
        "{}",
        s.stdout
    );
    // Re-applying the current template changes nothing.
    let r = f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes"]);
    assert!(r.stdout.contains("No changes"), "{}", r.stdout);
}

#[test]
fn a_bad_image_stops_after_the_first_step_and_undo_restores_the_stable_template() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    for c in ["east", "west"] {
        f.sim
            .fault(c, Fault::BadImage("nginx:1.28".into()))
            .unwrap();
    }
    let ro = f.file("rollout.yaml", &rollout("1", "{duration: 0}"));
    // apply waits for the canary (make-before-break, even without --wait); it crash-loops,
    // so apply stops there with an error naming the member and the pod, and the stable copy
    // is not shrunk.
    let r = f.run(&["apply", "-f", &f.path("v2.yaml"), "-f", &ro, "--yes"]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("west: deployment default/web: rollout step failed: pod web-canary-"),
        "{}",
        r.stderr
    );
    // The step fails: status exits non-zero naming the member and the pod.
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert_eq!(s.code, Some(1), "{}", s.stderr);
    assert!(
        s.stdout
            .contains("rollout failed at revision 2 step 1/2: west pod web-canary-"),
        "{}",
        s.stdout
    );
    assert!(s.stdout.contains("restarted"), "{}", s.stdout);
    // reconcile does not advance a failed step nor shrink the stable copy: it reports the
    // step (exit 1); resume refuses.
    let r = f.run(&["reconcile", "--once"]);
    assert!(
        r.code == Some(1) && r.stderr.contains("rollout step failed: pod web-canary-"),
        "{}",
        r.stderr
    );
    // A failed step is a runtime condition (exit 1), not bad input.
    let r = f.run(&["rollout", "resume", "deploy/web"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("failed on west"), "{}", r.stderr);
    // The rest is untouched: one bad canary pod next to the whole stable copy.
    let per = f.images();
    assert_eq!(per["east"], BTreeMap::from([("nginx:1.27".to_string(), 4)]));
    assert_eq!(
        per["west"],
        BTreeMap::from([("nginx:1.27".to_string(), 2), ("nginx:1.28".to_string(), 1)])
    );
    let u = f.run(&["rollout", "undo", "deploy/web"]);
    assert!(u.ok, "{}\n{}", u.stdout, u.stderr);
    assert!(
        u.stdout
            .contains("deployment.apps/web-canary deleted from west"),
        "{}",
        u.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 30);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(s.ok, "{}", s.stdout);
}

#[test]
fn scaling_during_a_step_keeps_the_ratio_and_a_timed_pause_is_advanced_by_reconcile() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    let ro = f.file("rollout.yaml", &rollout("50%", "{duration: 2}"));
    assert!(
        f.run(&[
            "apply",
            "-f",
            &f.path("v2.yaml"),
            "-f",
            &ro,
            "--yes",
            "--wait"
        ])
        .ok
    );
    f.wait_images(&[("nginx:1.27", 3), ("nginx:1.28", 3)], 30);
    // Scale 6 -> 12 during the step: still half on the new template; west stays updated.
    let r = f.run(&["scale", "deploy/web", "--replicas", "12", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("6 of 12 replicas on the new template"),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 6), ("nginx:1.28", 6)], 30);
    let per = f.images();
    assert_eq!(per["west"], BTreeMap::from([("nginx:1.28".to_string(), 4)]));
    // A timed pause: reconcile records when the step is Ready, then moves on after 2s.
    eventually("reconcile completes the rollout", 60, || {
        let r = f.run(&["reconcile", "--once"]);
        assert!(r.ok, "{}", r.stderr);
        let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
        (s.stdout.contains("step 2/2") || s.stdout.contains("successfully")).then_some(())
    });
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(s.ok, "{}", s.stdout);
    f.wait_images(&[("nginx:1.28", 12)], 30);
}

#[test]
fn a_member_down_during_a_step_holds_resume_until_it_is_back() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    assert!(
        f.run(&[
            "apply",
            "-f",
            &f.path("v2.yaml"),
            "-f",
            &ro,
            "--yes",
            "--wait"
        ])
        .ok
    );
    f.wait_images(&[("nginx:1.27", 3), ("nginx:1.28", 3)], 30);
    f.sim.fault("east", Fault::Down).unwrap();
    let s = f.run(&[
        "rollout",
        "status",
        "deploy/web",
        "--watch=false",
        "--request-timeout",
        "2s",
    ]);
    assert!(s.ok, "{}", s.stderr);
    assert!(s.stdout.contains("east: unreachable"), "{}", s.stdout);
    assert!(s.stdout.contains("unreachable"), "{}", s.stdout);
    let r = f.run(&[
        "rollout",
        "resume",
        "deploy/web",
        "--timeout",
        "2s",
        "--request-timeout",
        "2s",
    ]);
    // A member that does not answer is a runtime condition (exit 1).
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("not ready") && r.stderr.contains("east: unreachable"),
        "{}",
        r.stderr
    );
    f.sim.fault("east", Fault::Up).unwrap();
    let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(s.ok, "{}", s.stdout);
    f.wait_images(&[("nginx:1.28", 6)], 30);
}

#[test]
fn rollback_on_failure_restores_the_stable_template_from_apply_and_from_status() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    for c in ["east", "west"] {
        for image in ["nginx:1.28", "nginx:1.29"] {
            f.sim.fault(c, Fault::BadImage(image.into())).unwrap();
        }
    }
    let ro = f.file("rollout.yaml", &rollout("1", "{}"));
    // apply --rollback-on-failure watches the step it wrote; the canary crash-loops, so the
    // stable template goes back everywhere and apply exits 1.
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--rollback-on-failure",
        "--timeout",
        "90s",
    ]);
    assert!(!r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("rollout failed at revision 2 step 1/2: west pod web-canary-"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("Rolling back (--rollback-on-failure): revision 1 everywhere"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("deployment.apps/web-canary deleted from west"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("deployment.apps/web rolled back to revision 1"),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 30);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(
        s.ok && s.stdout.contains("successfully rolled out (revision 3)"),
        "{}",
        s.stdout
    );

    // rollout status --rollback-on-failure does the same for a rollout applied without it.
    let v3 = f.file("v3.yaml", &web("nginx:1.29", 6));
    // (apply itself stops at the failing canary: make-before-break, exit 1.)
    let r = f.run(&["apply", "-f", &v3, "-f", &ro, "--yes"]);
    assert!(
        !r.ok && r.stderr.contains("rollout step failed: pod web-canary-"),
        "{}",
        r.stderr
    );
    let s = f.run(&[
        "rollout",
        "status",
        "deploy/web",
        "--timeout",
        "90s",
        "--rollback-on-failure",
    ]);
    assert!(!s.ok, "{}", s.stdout);
    assert!(
        s.stdout.contains("rollout failed at revision 4 step 1/2")
            && s.stdout
                .contains("deployment.apps/web rolled back to revision 3"),
        "{}",
        s.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 30);
    let h = f.run(&["rollout", "history", "deploy/web"]);
    assert!(
        h.stdout
            .lines()
            .any(|l| l.starts_with("5 ") && l.ends_with("current")),
        "{}",
        h.stdout
    );
}

#[test]
fn order_flag_wins_over_the_rollouts_field_and_restart_goes_through_the_steps() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    // The Rollout's field names west first (its annotation north, which the field overrides
    // with a warning); --order east wins: east takes the step's 3 replicas.
    let ro = f.file(
        "rollout.yaml",
        &rollout("50%", "{}")
            .replace(
                "annotations: {",
                "annotations: {fleet.kubectl.dev/member-order: north, ",
            )
            .replace("    canary:\n", "    canary:\n      memberOrder: [west]\n"),
    );
    let bad = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--order",
        "east,nowhere",
    ]);
    assert!(!bad.ok, "{}", bad.stdout);
    assert!(
        bad.stderr.contains("--order: \"nowhere\" is not a member"),
        "{}",
        bad.stderr
    );
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
        "--order",
        "east",
    ]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("member-order]: ignored, spec.strategy.canary.memberOrder wins"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("3 of 6 replicas on the new template (east 1+3 canary, west stable)"),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 3), ("nginx:1.28", 3)], 30);
    // Scaling during the step keeps the order the flag named.
    let r = f.run(&["scale", "deploy/web", "--replicas", "8", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("(east "), "{}", r.stdout);
    assert!(r.stdout.contains("west stable"), "{}", r.stdout);
    let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(s.ok, "{}", s.stdout);
    f.wait_images(&[("nginx:1.28", 8)], 30);

    // restart on fully updated members: a new revision (restartedAt) through the steps; it
    // starts without --order, so the Rollout's field applies again (west first: 4 of 8 =
    // west's 3 folded + 1 east canary).
    let bad = f.run(&["rollout", "restart", "deploy/web", "--order", "nowhere"]);
    assert!(
        !bad.ok && bad.stderr.contains("--order: \"nowhere\" is not a member"),
        "{}",
        bad.stderr
    );
    let r = f.run(&["rollout", "restart", "deploy/web"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(
            "revision 3 step 1/2: 4 of 8 replicas on the new template (west updated, east 4+1 canary)"
        ),
        "{}",
        r.stdout
    );
    let restarted = |cluster: &str, deploy: &str| -> String {
        let r = kubectl_with(
            &f.kubeconfig,
            cluster,
            &[
                "get",
                "deploy",
                deploy,
                "-o",
                "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}",
            ],
            None,
        );
        assert!(r.ok, "{}", r.stderr);
        r.stdout.trim().to_string()
    };
    let first = restarted("west", "web");
    assert!(!first.is_empty());
    assert_eq!(restarted("east", "web-canary"), first);
    // The stable part of east still runs revision 2 (no restartedAt yet).
    assert_eq!(restarted("east", "web"), "");
    let s = eventually("restart step ready", 60, || {
        let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
        s.stdout.contains("pause until").then_some(s)
    });
    assert!(s.stdout.contains("revision 3 step 1/2"), "{}", s.stdout);

    // restart mid-rollout: another revision from step 1; the updated member (west) takes it
    // at once, east keeps its stable copy and runs the canary of the newest revision.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r = f.run(&["rollout", "restart", "deploy/web", "--order", "east"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("revision 4 step 1/2"), "{}", r.stdout);
    let second = restarted("west", "web");
    assert!(!second.is_empty() && second != first, "{first} {second}");
    assert_eq!(restarted("east", "web-canary"), second);
    assert_eq!(restarted("east", "web"), "");
    let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(
        s.ok && s.stdout.contains("successfully rolled out (revision 4)"),
        "{}",
        s.stdout
    );
    assert_eq!(restarted("east", "web"), second);
    let h = f.run(&["rollout", "history", "deploy/web"]);
    assert_eq!(
        h.stdout
            .lines()
            .filter(|l| l.starts_with(char::is_numeric))
            .count(),
        4,
        "{}",
        h.stdout
    );
}

#[test]
fn the_rollout_record_is_fenced_an_older_writer_never_overwrites_a_newer_record() {
    use kubectl_fleet::fleet::rollout::{record_name, write_record, Record};
    use kubectl_fleet::fleet::{ApplyOptions, Fence};

    let f = start();
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "-f", &ro, "--yes"])
            .ok
    );
    let read = |cluster: &str| -> (u64, u64) {
        let r = kubectl_with(
            &f.kubeconfig,
            cluster,
            &[
                "get",
                "configmap",
                &record_name("web"),
                "-o",
                "jsonpath={.data.generation} {.data.seq}",
            ],
            None,
        );
        assert!(r.ok, "{}", r.stderr);
        let mut it = r
            .stdout
            .split_whitespace()
            .map(|v| v.parse::<u64>().unwrap());
        (it.next().unwrap(), it.next().unwrap())
    };
    let (gen, seq) = read("east");
    assert!(
        gen > 0,
        "apply writes the record under its lock's generation"
    );
    assert_eq!(read("west"), (gen, seq));

    let fleet = f.fleet();
    let members = vec!["east".to_string(), "west".to_string()];
    let fenced = |g: u64| ApplyOptions {
        fence: Some(Fence::fixed([("default/web".to_string(), g)].into())),
        ..Default::default()
    };
    let record = |g: u64, s: u64| Record {
        generation: g,
        seq: s,
        ..Default::default()
    };
    // A writer whose lock is older (a lower generation) is refused even with a higher seq.
    let stale = f.rt.block_on(write_record(
        &fleet,
        &members,
        "default",
        "web",
        &record(gen - 1, seq + 10),
        &fenced(gen - 1),
    ));
    assert!(stale.written.is_empty(), "{stale:?}");
    assert_eq!(stale.newer.len(), 2, "{stale:?}");
    assert!(
        stale.newer[0].contains("newer than this writer's"),
        "{stale:?}"
    );
    assert_eq!(read("east"), (gen, seq));
    assert_eq!(read("west"), (gen, seq));

    // Two writers at once, several rounds: whatever the interleaving, every member ends with
    // the newer writer's record (compare-and-swap on the resourceVersion; the older one is
    // refused or overwritten, never the other way round).
    for round in 1..=5u64 {
        let older = gen + 2 * round - 1;
        let newer = gen + 2 * round;
        let (ra, oa) = (record(older, 100 + round), fenced(older));
        let (rb, ob) = (record(newer, 1), fenced(newer));
        let (a, b) = f.rt.block_on(async {
            futures::join!(
                write_record(&fleet, &members, "default", "web", &ra, &oa),
                write_record(&fleet, &members, "default", "web", &rb, &ob),
            )
        });
        assert!(a.errors.is_empty() && b.errors.is_empty(), "{a:?} {b:?}");
        assert_eq!(
            b.written.len(),
            2,
            "the newer writer is never refused: {b:?}"
        );
        assert_eq!(read("east"), (newer, 1), "round {round}: {a:?}");
        assert_eq!(read("west"), (newer, 1), "round {round}: {a:?}");
    }

    // The rollout commands take the workload's write lock like every writer.
    let held =
        f.rt.block_on(kubectl_fleet::fleet::lock_workload(
            &fleet,
            "default",
            "web",
            &kubectl_fleet::fleet::LockOptions::new("test holder"),
        ))
        .expect("lock");
    let r = f.run(&["rollout", "pause", "deploy/web", "--lock-timeout", "0"]);
    assert!(!r.ok);
    assert!(
        r.stderr.contains("deployment default/web is locked by")
            && r.stderr.contains("(test holder, since"),
        "{}",
        r.stderr
    );
    f.rt.block_on(held.release());
    // Released: pause gets the lock and reads the record (which this test left without a
    // state: a one-line error naming it; a damaged record is a runtime failure, exit 1).
    let r = f.run(&["rollout", "pause", "deploy/web", "--lock-timeout", "2s"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        !r.stderr.contains("is locked") && r.stderr.contains("the rollout record has no state"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_a_rollout_a_crash_looping_template_fails_and_rollback_on_failure_restores_it() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    for c in ["east", "west"] {
        f.sim
            .fault(c, Fault::BadImage("nginx:1.28".into()))
            .unwrap();
    }
    // No Rollout: every member copy takes the template at once (its own rolling update); the
    // new pods of the copies crash-loop, which fails the rollout long before the progress
    // deadline, and the previous template comes back everywhere. With --wait, the wait for
    // the copies ends at --timeout (they never become available), then the rollback runs.
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "--yes",
        "--wait",
        "--rollback-on-failure",
        "--timeout",
        "15s",
    ]);
    assert!(
        r.stderr.contains("not available after --timeout"),
        "{}",
        r.stderr
    );
    assert!(!r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("rollout failed at revision 2: ") && r.stdout.contains("restarted"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("deployment.apps/web rolled back to revision 1"),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 60);
    let s = f.run(&["rollout", "status", "deploy/web", "--timeout", "60s"]);
    assert!(
        s.ok && s.stdout.contains("successfully rolled out (revision 3)"),
        "{}",
        s.stdout
    );
}

/// Samples the fleet's Ready `app=web` pods (stable and canary copies) until `stop`; returns
/// the samples.
fn sample_ready(f: &OpsFleet, stop: &std::sync::atomic::AtomicBool) -> Vec<usize> {
    let mut out = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        out.push(f.ready_pods("web").values().sum());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    out
}

#[test]
fn a_step_never_takes_more_than_the_fleet_budget_down_even_without_wait() {
    let f = start();
    // maxUnavailable 1 of 6 fleet-wide; pods take 1s (20 simulated seconds) to be Ready.
    let slow = |image: &str| {
        web(image, 6)
            .replace(
                "\n  selector:",
                "\n  strategy: {rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}\n  selector:",
            )
            .replace("initialDelaySeconds: 5}", "initialDelaySeconds: 20}")
    };
    let v1 = f.file("slow1.yaml", &slow("nginx:1.27"));
    let v2 = f.file("slow2.yaml", &slow("nginx:1.28"));
    let r = f.run(&["apply", "-f", &v1, "--yes", "--wait"]);
    assert!(r.ok, "{}", r.stderr);
    f.wait_images(&[("nginx:1.27", 6)], 30);
    eventually("6 Ready pods", 30, || {
        (f.ready_pods("web").values().sum::<usize>() == 6).then_some(())
    });
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let stop = std::sync::atomic::AtomicBool::new(false);
    let samples = std::thread::scope(|s| {
        let sampler = s.spawn(|| sample_ready(&f, &stop));
        // Step 1 folds west (a rolling update there) and starts a canary in east, whose
        // replica is taken from east's stable copy; no --wait.
        let r = f.run(&["apply", "-f", &v2, "-f", &ro, "--yes"]);
        assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
        assert!(
            r.stdout.contains("west updated, east 3+1 canary"),
            "{}",
            r.stdout
        );
        // Step 2 folds east (its canary goes).
        let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
        assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
        f.wait_images(&[("nginx:1.28", 6)], 30);
        eventually("6 Ready pods", 30, || {
            (f.ready_pods("web").values().sum::<usize>() == 6).then_some(())
        });
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        sampler.join().unwrap()
    });
    assert!(samples.len() > 50, "{} samples", samples.len());
    let least = samples.iter().min().copied().unwrap_or(0);
    assert!(
        least >= 5,
        "fleet-wide Ready pods fell to {least} of 6 (maxUnavailable 1)"
    );
}

#[test]
fn status_with_json_output_waits_like_the_table_and_prints_each_change() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert!(r.ok, "{}", r.stderr);
    let s = std::thread::scope(|sc| {
        let status = sc.spawn(|| {
            f.run(&[
                "rollout",
                "status",
                "deploy/web",
                "-o",
                "json",
                "--timeout",
                "60s",
            ])
        });
        std::thread::sleep(std::time::Duration::from_secs(2));
        let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
        assert!(r.ok, "{}", r.stderr);
        status.join().unwrap()
    });
    assert!(s.ok, "{}\n{}", s.stdout, s.stderr);
    let docs: Vec<serde_json::Value> = serde_json::Deserializer::from_str(&s.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(docs.len() >= 2, "{}", s.stdout);
    // It printed the step waiting for resume, and kept going after it.
    assert!(
        docs.iter()
            .any(|d| d["phase"]["phase"] == "waitingForResume"),
        "{}",
        s.stdout
    );
    assert_eq!(
        docs.last().unwrap()["phase"]["phase"],
        "completed",
        "{}",
        s.stdout
    );
}

#[test]
fn the_pods_of_a_folded_member_must_settle_before_the_step_is_ready() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    // Step 1 (2 replicas) folds west entirely: no canary pod at all; settle time 60s.
    let ro = f.file(
        "rollout.yaml",
        &rollout("2", "{}").replace("settle-seconds: \"1\"", "settle-seconds: \"60\""),
    );
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("(west updated, east stable)"),
        "{}",
        r.stdout
    );
    let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
    assert!(
        s.stdout.contains("west: pod web-") && s.stdout.contains("settling"),
        "{}",
        s.stdout
    );
    // A step not Ready by --timeout is a runtime condition (exit 1), not bad input.
    let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "1s"]);
    assert!(
        r.code == Some(1) && r.stderr.contains("settling"),
        "{:?}\n{}",
        r.code,
        r.stderr
    );
}

/// `web` with `image` and annotation `kubernetes.io/change-cause: CAUSE`.
fn web_caused(image: &str, cause: &str) -> String {
    web(image, 6).replace(
        "metadata: {name: web, namespace: default, labels: {app: web}}",
        &format!(
            "metadata: {{name: web, namespace: default, labels: {{app: web}}, annotations: {{kubernetes.io/change-cause: \"{cause}\"}}}}"
        ),
    )
}

#[test]
fn undo_to_a_revision_after_three_and_history_shows_the_change_causes() {
    let f = start();
    for (i, image) in ["nginx:1.27", "nginx:1.28", "nginx:1.29"]
        .iter()
        .enumerate()
    {
        let p = f.file(
            &format!("c{i}.yaml"),
            &web_caused(image, &format!("image {image}")),
        );
        let r = f.run(&["apply", "-f", &p, "--yes", "--wait"]);
        assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    }
    f.wait_images(&[("nginx:1.29", 6)], 30);
    let h = f.run(&["rollout", "history", "deploy/web"]);
    assert!(h.ok, "{}", h.stderr);
    let row = |n: &str| -> String {
        h.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{n} ")))
            .unwrap_or_else(|| panic!("no revision {n} in\n{}", h.stdout))
            .to_string()
    };
    assert!(row("1").contains("image nginx:1.27"), "{}", h.stdout);
    assert!(row("2").contains("image nginx:1.28"), "{}", h.stdout);
    assert!(
        row("3").contains("image nginx:1.29") && row("3").ends_with("current"),
        "{}",
        h.stdout
    );
    let u = f.run(&["rollout", "undo", "deploy/web", "--to-revision", "1"]);
    assert!(u.ok, "{}\n{}", u.stdout, u.stderr);
    assert!(
        u.stdout.contains("rolled back to revision 1"),
        "{}",
        u.stdout
    );
    f.wait_images(&[("nginx:1.27", 6)], 30);
    // Revision 1 comes back as revision 4, with its change cause (like kubectl).
    let h = f.run(&["rollout", "history", "deploy/web"]);
    assert!(
        h.stdout.lines().any(|l| l.starts_with("4 ")
            && l.contains("image nginx:1.27")
            && l.ends_with("current")),
        "{}",
        h.stdout
    );
    assert!(
        !h.stdout.lines().any(|l| l.starts_with("1 ")),
        "{}",
        h.stdout
    );
}

#[test]
fn pause_shows_in_status_holds_a_timed_step_and_resume_lifts_it() {
    let f = start();
    assert!(
        f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"])
            .ok
    );
    let ro = f.file("rollout.yaml", &rollout("50%", "{duration: 1}"));
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let p = f.run(&["rollout", "pause", "deploy/web"]);
    assert!(
        p.ok && p.stdout.contains("deployment.apps/web paused"),
        "{}",
        p.stderr
    );
    let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
    assert!(
        s.ok && s.stdout.contains("rollout paused at revision 2 step 1/2"),
        "{}",
        s.stdout
    );
    // The step's 1s pause would be over, but reconcile leaves a paused rollout alone.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    for _ in 0..2 {
        assert!(f.run(&["reconcile", "--once"]).ok);
    }
    let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
    assert!(
        s.stdout.contains("paused at revision 2 step 1/2"),
        "{}",
        s.stdout
    );
    let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
    assert!(!s.stdout.contains("paused"), "{}", s.stdout);
    // Lifted: reconcile continues the timed pause to the end.
    eventually("reconcile completes the rollout", 60, || {
        assert!(f.run(&["reconcile", "--once"]).ok);
        let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
        s.stdout.contains("successfully").then_some(())
    });
    f.wait_images(&[("nginx:1.28", 6)], 30);
}

#[test]
fn draining_a_member_mid_step_keeps_the_ratio_and_the_folded_member_updated() {
    let f = start();
    // 8 replicas over east, west and north (2:1:1): east 4, west 2, north 2.
    let three = |image: &str| {
        web(image, 8)
            .replace("clusterNames: [east, west]", "clusterNames: [east, west, north]")
            .replace(
                "        - {targetCluster: {clusterNames: [west]}, weight: 1}\n",
                "        - {targetCluster: {clusterNames: [west]}, weight: 1}\n        - {targetCluster: {clusterNames: [north]}, weight: 1}\n",
            )
    };
    let v1 = f.file("t1.yaml", &three("nginx:1.27"));
    let v2 = f.file("t2.yaml", &three("nginx:1.28"));
    assert!(f.run(&["apply", "-f", &v1, "--yes", "--wait"]).ok);
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let r = f.run(&["apply", "-f", &v2, "-f", &ro, "--yes", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    // Reverse name order in the one group: west and north folded, east stable.
    assert!(
        r.stdout.contains(
            "4 of 8 replicas on the new template (west updated, north updated, east stable)"
        ),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 4), ("nginx:1.28", 4)], 30);
    let d = f.run(&["drain", "north", "--yes", "--timeout", "60s"]);
    assert!(d.ok, "{}\n{}", d.stdout, d.stderr);
    // Still 4 of 8 new; west (folded) runs only the new template; north runs nothing.
    f.wait_images(&[("nginx:1.27", 4), ("nginx:1.28", 4)], 30);
    let per = f.images();
    assert!(per["north"].is_empty(), "{per:?}");
    assert_eq!(
        per["west"].keys().collect::<Vec<_>>(),
        vec!["nginx:1.28"],
        "{per:?}"
    );
    let s = f.run(&["rollout", "status", "deploy/web", "--watch=false"]);
    assert!(s.ok && s.stdout.contains("step 1/2"), "{}", s.stdout);
}

#[test]
fn by_default_the_lowest_priority_group_goes_first_and_matches_is_warned_about() {
    let f = start();
    // 12 CPUs a pod: two per node, four per member. Group 1 (west) fills first, the rest
    // spills to group 2 (east), which has room for a rolling update's surge pod.
    let grouped = |image: &str| {
        let d = web(image, 6).replace("cpu: \"1\"", "cpu: \"12\"");
        let d = &d[..d.find("---").unwrap()];
        format!(
            "{d}---\n{}",
            super::ops_common::ack_policy("web", &[&["west"], &["east"]], false)
        )
    };
    let v1 = f.file("g1.yaml", &grouped("nginx:1.27"));
    let v2 = f.file("g2.yaml", &grouped("nginx:1.28"));
    let r = f.run(&["apply", "-f", &v1, "--yes", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    f.wait_images(&[("nginx:1.27", 6)], 30);
    assert_eq!(f.images()["west"].values().sum::<usize>(), 4);
    let ro = f.file(
        "rollout.yaml",
        &rollout("2", "{}").replace(
            "        traffic: 10%\n",
            "        matches: [{headers: [{name: x-canary, value: \"on\"}]}]\n",
        ),
    );
    let r = f.run(&["apply", "-f", &v2, "-f", &ro, "--yes", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("steps[0].matches: accepted but not used (needs a traffic router)"),
        "{}",
        r.stderr
    );
    // No --order: east, the lowest-priority group, first (the reverse name order of a single
    // group would pick west).
    assert!(
        r.stdout
            .contains("2 of 6 replicas on the new template (east updated, west stable)"),
        "{}",
        r.stdout
    );
    f.wait_images(&[("nginx:1.27", 4), ("nginx:1.28", 2)], 30);
    assert_eq!(
        f.images()["east"],
        BTreeMap::from([("nginx:1.28".to_string(), 2)])
    );
}

#[test]
fn members_folding_together_roll_one_batch_at_a_time_within_the_budget() {
    let f = start();
    // 8 replicas over east, west and north (2:1:1), maxUnavailable 1 fleet-wide; pods take
    // 1s to be Ready.
    let three = |image: &str| {
        web(image, 8)
            .replace("clusterNames: [east, west]", "clusterNames: [east, west, north]")
            .replace(
                "        - {targetCluster: {clusterNames: [west]}, weight: 1}\n",
                "        - {targetCluster: {clusterNames: [west]}, weight: 1}\n        - {targetCluster: {clusterNames: [north]}, weight: 1}\n",
            )
            .replace(
                "\n  selector:",
                "\n  strategy: {rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}\n  selector:",
            )
            .replace("initialDelaySeconds: 5}", "initialDelaySeconds: 20}")
    };
    let v1 = f.file("t1.yaml", &three("nginx:1.27"));
    let v2 = f.file("t2.yaml", &three("nginx:1.28"));
    assert!(f.run(&["apply", "-f", &v1, "--yes", "--wait"]).ok);
    let ro = f.file("rollout.yaml", &rollout("1", "{}"));
    let r = f.run(&["apply", "-f", &v2, "-f", &ro, "--yes", "--wait"]);
    assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
    eventually("8 Ready pods", 30, || {
        (f.ready_pods("web").values().sum::<usize>() == 8).then_some(())
    });
    // resume: the last step folds all three members, each a rolling update that takes one
    // pod down: one member at a time.
    let stop = std::sync::atomic::AtomicBool::new(false);
    let samples = std::thread::scope(|s| {
        let sampler = s.spawn(|| sample_ready(&f, &stop));
        let r = f.run(&["rollout", "resume", "deploy/web", "--timeout", "60s"]);
        assert!(r.ok, "{}\n{}", r.stdout, r.stderr);
        f.wait_images(&[("nginx:1.28", 8)], 30);
        eventually("8 Ready pods", 30, || {
            (f.ready_pods("web").values().sum::<usize>() == 8).then_some(())
        });
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        sampler.join().unwrap()
    });
    let least = samples.iter().min().copied().unwrap_or(0);
    assert!(
        least >= 7,
        "fleet-wide Ready pods fell to {least} of 8 (maxUnavailable 1)"
    );
}

/// Exit codes of the rollout commands: a request that does not fit the target (a revision
/// not in the history, a Deployment kubectl-fleet does not manage, nothing to pause) is bad
/// input (2, one line naming it); a lock the members refuse is a runtime failure (1).
#[test]
fn rollout_bad_input_exits_2_and_a_refused_lock_exits_1() {
    let f = start();
    let r = f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let one_line = |r: &crate::util::Run, want: &str| {
        assert!(
            r.stderr.lines().count() == 1 && r.stderr.contains(want),
            "{:?}\n{}",
            r.code,
            r.stderr
        );
    };
    for dry in [&[][..], &["--dry-run"][..]] {
        let mut args = vec!["rollout", "undo", "deploy/web", "--to-revision", "99"];
        args.extend_from_slice(dry);
        let r = f.run(&args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        one_line(&r, "revision 99 is not in the history");
    }
    let r = f.run(&["rollout", "history", "deploy/web", "--revision", "99"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    one_line(&r, "--revision 99");
    let r = f.run(&["rollout", "pause", "deploy/web"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    one_line(&r, "no rollout in progress");
    let r = f.run(&["rollout", "resume", "deploy/web"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    one_line(&r, "nothing to resume");
    for cmd in ["status", "history", "undo", "pause", "resume", "restart"] {
        let r = f.run(&["rollout", cmd, "deploy/nope"]);
        assert_eq!(r.code, Some(2), "rollout {cmd}: {}", r.stderr);
        one_line(
            &r,
            "deployment default/nope is not managed by kubectl-fleet",
        );
    }
    let r = f.run(&["rollout", "status", "web"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    // An invalid Rollout: the file and the field, nothing applied.
    let bad = f.file("bad-rollout.yaml", &rollout("150%", "{}"));
    let r = f.run(&["apply", "-f", &f.path("v2.yaml"), "-f", &bad, "--yes"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    one_line(
        &r,
        "bad-rollout.yaml: spec.strategy.canary.steps[0].replicas",
    );
    let r = f.run(&[
        "rollout",
        "restart",
        "deploy/web",
        "--order",
        "east,nowhere",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    one_line(&r, "\"nowhere\" is not a member of the fleet");
    // Two of three members down: the write lock cannot get a majority (exit 1), nothing
    // is written.
    for c in ["east", "west"] {
        f.sim.fault(c, Fault::Down).unwrap();
    }
    for cmd in ["pause", "undo", "restart"] {
        let r = f.run(&[
            "rollout",
            cmd,
            "deploy/web",
            "--request-timeout",
            "2s",
            "--lock-timeout",
            "0",
        ]);
        assert_eq!(r.code, Some(1), "rollout {cmd}: {}", r.stderr);
        one_line(&r, "cannot lock deployment default/web");
    }
    // No member holding it answers: not bad input either.
    let r = f.run(&["rollout", "status", "deploy/web", "--request-timeout", "2s"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    for c in ["east", "west"] {
        f.sim.fault(c, Fault::Up).unwrap();
    }
    // The lock another writer holds (exit 1, naming the holder).
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let fleet = f.fleet();
    let held = f.rt.block_on(async {
        kubectl_fleet::fleet::rollout::Locked::acquire(
            &fleet,
            "default",
            "web",
            &kubectl_fleet::fleet::LockOptions::new("test holder"),
        )
        .await
        .expect("the test takes the lock")
    });
    let r = f.run(&["rollout", "resume", "deploy/web", "--lock-timeout", "0"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    one_line(&r, "is locked by");
    f.rt.block_on(held.release());
    // A record written meanwhile by a writer with a newer lock generation: pause loses the
    // compare-and-swap on every member (exit 1, nothing overwritten).
    let st =
        f.rt.block_on(kubectl_fleet::fleet::rollout::status(
            &fleet, "default", "web",
        ))
        .expect("status");
    let mut newer = st.record.clone();
    newer.generation += 100;
    newer.seq += 1;
    let w = f.rt.block_on(kubectl_fleet::fleet::rollout::write_record(
        &fleet,
        &["east".to_string(), "west".to_string()],
        "default",
        "web",
        &newer,
        &kubectl_fleet::fleet::ApplyOptions {
            fence: Some(kubectl_fleet::fleet::Fence::fixed(
                [("default/web".to_string(), newer.generation)].into(),
            )),
            ..Default::default()
        },
    ));
    assert_eq!(w.written.len(), 2, "{w:?}");
    let r = f.run(&["rollout", "pause", "deploy/web"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    one_line(&r, "was changed by another writer");
    let st =
        f.rt.block_on(kubectl_fleet::fleet::rollout::status(
            &fleet, "default", "web",
        ))
        .expect("status");
    assert_eq!(st.record, newer);
}

/// A rollout record no member takes (every record write refused: here the members' RBAC
/// lets kubectl-fleet read ConfigMaps but not create them) is a runtime failure: apply and
/// the rollout commands exit 1 naming the record and the members, not 2.
#[test]
fn a_rollout_record_no_member_takes_exits_1() {
    let f = start();
    // A ServiceAccount on every member that may do everything kubectl-fleet does, except
    // create ConfigMaps; the fleet kubeconfig then uses its tokens.
    let role = "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: fleet-no-configmap-create}
rules:
- apiGroups: ['*']
  resources: ['*']
  verbs: [get, list, watch]
- apiGroups: ['', apps, coordination.k8s.io, events.k8s.io]
  resources: [deployments, deployments/scale, deployments/status, replicasets, pods, namespaces, leases, events]
  verbs: ['*']
- apiGroups: ['']
  resources: [configmaps]
  verbs: [patch, update, delete]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: fleet, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: fleet-no-configmap-create}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: fleet-no-configmap-create}
subjects:
- {kind: ServiceAccount, name: fleet, namespace: default}
";
    let mut kc = std::fs::read_to_string(&f.kubeconfig).unwrap();
    for c in ["east", "west", "north"] {
        let r = kubectl_with(&f.kubeconfig, c, &["apply", "-f", "-"], Some(role));
        assert!(r.ok, "{c}: {}", r.stderr);
        let t = kubectl_with(
            &f.kubeconfig,
            c,
            &["create", "token", "fleet", "-n", "default"],
            None,
        );
        assert!(t.ok, "{c}: {}", t.stderr);
        let admin = f.sim.admin_token(c).unwrap();
        assert!(kc.contains(&admin));
        kc = kc.replace(&admin, t.stdout.trim());
    }
    let restricted = f.dir.path().join("restricted-kubeconfig");
    std::fs::write(&restricted, kc).unwrap();
    let run = |args: &[&str]| -> crate::util::Run {
        std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
            .args(args)
            .env("KUBECONFIG", &restricted)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kubectl-fleet")
            .into()
    };
    // The first apply records revision 1: no member can create the record.
    let r = run(&["apply", "-f", &f.path("v1.yaml"), "--yes"]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("cannot record the rollout state of deployment default/web")
            && r.stderr
                .contains("east: configmap default/kubectl-fleet-rollout.web")
            && r.stderr.contains("Forbidden"),
        "{}",
        r.stderr
    );
    // Nothing was written: the record comes before any copy.
    assert!(f.copy("east", "web").is_none() && f.copy("west", "web").is_none());

    // A rollout started with the admin kubeconfig, then ConfigMaps become read-only for the
    // ServiceAccount: `rollout pause` takes the lock and reads the record, but no member
    // takes the new state (exit 1, the record unchanged).
    let r = f.run(&["apply", "-f", &f.path("v1.yaml"), "--yes", "--wait"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let ro = f.file("rollout.yaml", &rollout("50%", "{}"));
    let r = f.run(&[
        "apply",
        "-f",
        &f.path("v2.yaml"),
        "-f",
        &ro,
        "--yes",
        "--wait",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let read_only = role.replace("verbs: [patch, update, delete]", "verbs: [delete]");
    assert_ne!(read_only, role);
    for c in ["east", "west", "north"] {
        let r = kubectl_with(&f.kubeconfig, c, &["apply", "-f", "-"], Some(&read_only));
        assert!(r.ok, "{c}: {}", r.stderr);
    }
    let fleet = f.fleet();
    let before =
        f.rt.block_on(kubectl_fleet::fleet::rollout::status(
            &fleet, "default", "web",
        ))
        .expect("status")
        .record;
    let r = run(&["rollout", "pause", "deploy/web"]);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.lines().count() == 1
            && r.stderr
                .contains("cannot record the rollout state of deployment default/web")
            && r.stderr
                .contains("west: configmap default/kubectl-fleet-rollout.web")
            && r.stderr.contains("Forbidden"),
        "{}",
        r.stderr
    );
    let after =
        f.rt.block_on(kubectl_fleet::fleet::rollout::status(
            &fleet, "default", "web",
        ))
        .expect("status")
        .record;
    assert_eq!(before, after);
    assert!(!after.state.expect("state").paused);
}
