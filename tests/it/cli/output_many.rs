//! Plan and apply output for a platform team's fleet (issue 15): 150 Deployments selected by
//! one ClusterPropagationPolicy (`tier=web`, members with `region=r0`) over 5 members, two of
//! which the policy does not select. The default output stays within a screenful per 50
//! workloads; `-o wide` stays complete; apply prints one line per changed copy.

use std::collections::BTreeMap;

use crate::cli::ops_common::OpsFleet;

const WORKLOADS: usize = 150;
/// Lines of a terminal screen.
const SCREENFUL: usize = 60;
const MEMBERS: [&str; 5] = ["m0", "m1", "m2", "m3", "m4"];

fn clusters() -> String {
    MEMBERS
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let region = if i < 3 { "r0" } else { "r1" };
            format!(
                "- name: {m}\n  labels: {{region: {region}}}\n  nodes:\n  - {{count: 4, prefix: {m}-n, allocatable: {{cpu: \"32\", memory: 256Gi, pods: \"110\"}}}}\n"
            )
        })
        .collect()
}

fn replicas_of(i: usize) -> u32 {
    1 + (i % 7) as u32
}

fn deployment(i: usize, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i:03}
  namespace: default
  labels: {{tier: web, app: web-{i:03}}}
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: web-{i:03}}}
  template:
    metadata:
      labels: {{app: web-{i:03}}}
    spec:
      containers:
      - name: app
        image: app:1
        resources:
          requests: {{cpu: 100m, memory: 128Mi}}
"
    )
}

const POLICY: &str = "apiVersion: policy.karmada.io/v1alpha1
kind: ClusterPropagationPolicy
metadata:
  name: web
spec:
  resourceSelectors:
  - apiVersion: apps/v1
    kind: Deployment
    labelSelector:
      matchLabels: {tier: web}
  placement:
    clusterAffinity:
      labelSelector:
        matchLabels: {region: r0}
    replicaScheduling:
      replicaSchedulingType: Divided
      replicaDivisionPreference: Weighted
      weightPreference:
        dynamicWeight: AvailableReplicas
";

fn lines_with<'a>(text: &'a str, needle: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.contains(needle)).collect()
}

/// `web-000` -> desired replicas per member, from the summary's PLACEMENT column.
fn summary_placements(stdout: &str) -> BTreeMap<String, BTreeMap<String, u32>> {
    stdout
        .lines()
        .filter(|l| l.starts_with("default "))
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let placement = cols[4]
                .split(',')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').expect("member=replicas");
                    (k.to_string(), v.parse().expect("count"))
                })
                .collect();
            (cols[1].to_string(), placement)
        })
        .collect()
}

#[test]
fn output_150_workloads_plan_and_apply_stay_readable() {
    let f = OpsFleet::start(&clusters(), 50.0);
    let apps = f.dir.path().join("apps");
    std::fs::create_dir_all(&apps).unwrap();
    for i in 0..WORKLOADS {
        std::fs::write(
            apps.join(format!("web-{i:03}.yaml")),
            deployment(i, replicas_of(i)),
        )
        .unwrap();
    }
    std::fs::write(apps.join("policy.yaml"), POLICY).unwrap();
    let apps_arg = apps.to_str().unwrap();
    let total: u32 = (0..WORKLOADS).map(replicas_of).sum();

    // plan: one summary row per workload, bounded, unselected members only in a note.
    let plan = f.run(&["plan", "-f", apps_arg]);
    assert!(plan.ok, "{plan:?}");
    let out = &plan.stdout;
    let n_lines = out.lines().count();
    assert!(
        n_lines <= SCREENFUL * WORKLOADS / 50,
        "{n_lines} lines for {WORKLOADS} workloads:\n{out}"
    );
    let placements = summary_placements(out);
    assert_eq!(placements.len(), WORKLOADS, "{out}");
    for (name, p) in &placements {
        let i: usize = name.trim_start_matches("web-").parse().unwrap();
        assert_eq!(p.values().sum::<u32>(), replicas_of(i), "{name}: {p:?}");
        assert!(
            p.keys().all(|m| ["m0", "m1", "m2"].contains(&m.as_str())),
            "{name}: {p:?}"
        );
    }
    assert!(
        out.contains(&format!(
            "Not selected by the policy: m3, m4 (all {WORKLOADS} workloads)."
        )),
        "{out}"
    );
    assert_eq!(lines_with(out, "preemption not enabled").len(), 0, "{out}");
    assert_eq!(
        lines_with(out, "Preemptible tier off").len(),
        1,
        "said once: {out}"
    );
    let copies: usize = placements.values().map(|p| p.len()).sum();
    assert!(
        out.contains(&format!(
            "{WORKLOADS} workloads with {total} replicas, {WORKLOADS} to change: create {copies} copies, configure 0, delete 0; {total} replicas added; 0 unplaced."
        )),
        "{out}"
    );

    // plan -o wide: complete, every workload's table with every member.
    let wide = f.run(&["plan", "-f", apps_arg, "-o", "wide"]);
    assert!(wide.ok, "{wide:?}");
    assert_eq!(
        wide.stdout
            .lines()
            .filter(|l| l.starts_with("GROUP ") && l.contains(" CLUSTER "))
            .count(),
        WORKLOADS
    );
    for m in MEMBERS {
        let rows = wide
            .stdout
            .lines()
            .filter(|l| l.split_whitespace().nth(1) == Some(m))
            .count();
        assert_eq!(rows, WORKLOADS, "{m} rows in -o wide");
    }
    assert!(wide.stdout.contains("CAPACITY"));

    // One workload given: its table, without the unselected members.
    let one = f.run(&[
        "plan",
        "-f",
        apps.join("web-004.yaml").to_str().unwrap(),
        "-f",
        apps.join("policy.yaml").to_str().unwrap(),
    ]);
    assert!(one.ok, "{one:?}");
    assert!(
        one.stdout
            .starts_with("Deployment default/web-004: 5 replicas, policy web\n"),
        "{}",
        one.stdout
    );
    assert!(one.stdout.contains("FROM-IDLE"), "{}", one.stdout);
    assert_eq!(lines_with(&one.stdout, " m3 ").len(), 0, "{}", one.stdout);
    assert!(
        one.stdout
            .contains("Not selected by the policy (not shown; -o wide lists them): m3, m4."),
        "{}",
        one.stdout
    );

    // apply: the summary, one line per created copy, the closing line; nothing on m3/m4.
    // --wait: the next plans start from running replicas (Pending ones would be re-placed).
    let wait = ["--yes", "--wait", "--timeout", "120s"];
    let applied = f.run(&[&["apply", "-f", apps_arg][..], &wait].concat());
    assert!(applied.ok, "{applied:?}");
    let out = &applied.stdout;
    let created = lines_with(out, " created on ");
    assert_eq!(created.len(), copies, "{out}");
    assert!(lines_with(out, " unchanged on ").is_empty(), "{out}");
    assert!(lines_with(out, " on m3 ").is_empty(), "{out}");
    assert!(
        out.ends_with(&format!(
            "Summary: {WORKLOADS} workloads changed, 0 unchanged; copies {copies} created, 0 configured, 0 deleted, 0 unchanged; replicas {total} added, 0 removed; 0 unplaced.\n"
        )),
        "{out}"
    );
    assert!(out.lines().count() <= SCREENFUL * WORKLOADS / 50 + copies);
    for (name, p) in &placements {
        for (m, n) in p {
            let copy = f.copy(m, name).expect("copy created");
            assert_eq!(copy["spec"]["replicas"].as_u64(), Some(u64::from(*n)));
        }
    }

    // A change to 2 workloads: 150 summary rows, a few copy lines, the rest counted.
    std::fs::write(apps.join("web-000.yaml"), deployment(0, 9)).unwrap();
    std::fs::write(apps.join("web-001.yaml"), deployment(1, 1)).unwrap();
    let again = f.run(&[&["apply", "-f", apps_arg][..], &wait].concat());
    assert!(again.ok, "{again:?}");
    let out = &again.stdout;
    let changed = out
        .lines()
        .filter(|l| l.starts_with("deployment.apps/"))
        .count();
    assert!((2..=6).contains(&changed), "{changed} copy lines:\n{out}");
    assert!(
        lines_with(out, "deployment.apps/")
            .iter()
            .all(|l| l.starts_with("deployment.apps/web-000 ")
                || l.starts_with("deployment.apps/web-001 ")),
        "{out}"
    );
    assert!(
        out.contains("unchanged copies not listed (-v lists them)."),
        "{out}"
    );
    assert!(
        lines_with(out, "Summary: 2 workloads changed, 148 unchanged;").len() == 1,
        "{out}"
    );

    // -v lists every copy, changed or not.
    let listed = f.run(&["apply", "-f", apps_arg, "--yes", "-v"]);
    assert!(listed.ok, "{listed:?}");
    assert!(
        listed
            .stdout
            .contains("No changes: the fleet already matches the plan."),
        "{}",
        listed.stdout
    );
    assert_eq!(
        lines_with(&listed.stdout, " unchanged on ").len(),
        WORKLOADS * MEMBERS.len(),
        "{}",
        listed.stdout
    );
}
