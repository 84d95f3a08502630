//! The kubectl-fleet binary end to end against the built-in simulated fleet (the demo's:
//! idc-beijing + ack-hangzhou in group 1, ack-shanghai in group 2), and real kubectl
//! discovering it as a plugin and completing through kubectl_complete-fleet.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use kubectl_fleet::sim::config::SimConfig;
use kubectl_fleet::sim::Fault;

use crate::util::{start_fleet, TestFleet};

const TOKEN: &str = "s3cr3t-token-never-printed";

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

fn demo_files() -> Vec<String> {
    vec![
        "-f".into(),
        examples().join("qwen3-8b.yaml").display().to_string(),
        "-f".into(),
        examples().join("policy.yaml").display().to_string(),
    ]
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fleet_cmd(tf: &TestFleet, args: &[&str]) -> Out {
    let out = Command::cargo_bin("kubectl-fleet")
        .unwrap()
        .env("KUBECONFIG", &tf.kubeconfig)
        .env("NO_COLOR", "1")
        .env_remove("XDG_CONFIG_HOME")
        .args(args)
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn with_files(args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    v.extend(demo_files());
    v
}

fn run(tf: &TestFleet, args: &[String]) -> Out {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    fleet_cmd(tf, &a)
}

/// Rows of `get deploy -M` as (cluster, ready) pairs, fleet row included.
fn member_rows(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .skip(1)
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            (cols[1].to_string(), cols[2].to_string())
        })
        .collect()
}

fn plan_desired(stdout: &str) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = stdout
        .lines()
        .filter(|l| l.starts_with("group-"))
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (c[1].to_string(), c[3].parse().unwrap())
        })
        .collect();
    v.sort();
    v
}

fn builtin() -> TestFleet {
    start_fleet(SimConfig::builtin())
}

#[test]
fn cli_plan_prints_the_two_group_placement_and_json_schema() {
    let tf = builtin();
    let out = run(&tf, &with_files(&["plan"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("GROUP     CLUSTER"), "{}", out.stdout);
    assert_eq!(
        plan_desired(&out.stdout),
        [
            ("ack-hangzhou".to_string(), 2),
            ("ack-shanghai".to_string(), 0),
            ("idc-beijing".to_string(), 2)
        ]
    );
    assert!(out.stdout.contains("unplaced: 0"));

    let out = run(&tf, &with_files(&["plan", "-o", "json"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let w = &v["workloads"][0];
    assert_eq!(w["name"], "qwen3-8b");
    assert_eq!(w["replicas"], 4);
    assert_eq!(w["unplaced"], 0);
    let p = &w["placements"][0];
    for key in [
        "cluster", "group", "current", "desired", "capacity", "tiers", "reason",
    ] {
        assert!(p.get(key).is_some(), "placement lacks {key}: {p}");
    }
    assert!(v["warnings"].is_array());
}

#[test]
fn cli_plan_exits_3_when_replicas_cannot_be_placed() {
    let tf = builtin();
    let deploy = std::fs::read_to_string(examples().join("qwen3-8b.yaml"))
        .unwrap()
        .replace("replicas: 4", "replicas: 40");
    let d = tf.write("big.yaml", &deploy);
    let p = examples().join("policy.yaml");
    let out = fleet_cmd(
        &tf,
        &["plan", "-f", d.to_str().unwrap(), "-f", p.to_str().unwrap()],
    );
    assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("unplaced: "), "{}", out.stdout);
    assert!(!out.stdout.contains("unplaced: 0"), "{}", out.stdout);
}

#[test]
fn cli_apply_get_reapply_scale_up_and_reverse_scale_in() {
    let tf = builtin();
    let out = run(
        &tf,
        &with_files(&["apply", "--yes", "--wait", "--timeout", "60s"]),
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout
            .contains("deployment.apps/qwen3-8b created on idc-beijing (0 -> 2)"),
        "{}",
        out.stdout
    );

    let out = fleet_cmd(&tf, &["get", "deploy", "qwen3-8b", "-M"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with(
            "NAME       CLUSTER        READY   UP-TO-DATE   AVAILABLE   AGE   ADOPTION   GENERATION\n"
        ),
        "{}",
        out.stdout
    );
    assert_eq!(
        member_rows(&out.stdout),
        [
            ("ack-hangzhou".to_string(), "2/2".to_string()),
            ("idc-beijing".to_string(), "2/2".to_string()),
            ("(fleet)".to_string(), "4/4".to_string()),
        ]
    );
    // Real kubectl sees the member copy with the fleet's label.
    let k = tf.kubectl(
        "idc-beijing",
        &[
            "get",
            "deploy",
            "qwen3-8b",
            "-o",
            "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}",
        ],
    );
    assert_eq!(k.stdout, "kubectl-fleet");

    // Idempotent: the same inputs again change nothing.
    let out = run(&tf, &with_files(&["apply", "--yes"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("No changes: the fleet already matches the plan."),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(" configured "), "{}", out.stdout);

    // 4 -> 12: group 1's elastic pool, then overflow into group 2.
    let out = fleet_cmd(
        &tf,
        &[
            "scale",
            "deploy/qwen3-8b",
            "--replicas",
            "12",
            "--wait",
            "--timeout",
            "60s",
        ],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert_eq!(
        plan_desired(&out.stdout),
        [
            ("ack-hangzhou".to_string(), 6),
            ("ack-shanghai".to_string(), 4),
            ("idc-beijing".to_string(), 2)
        ]
    );
    let out = fleet_cmd(&tf, &["get", "deploy", "qwen3-8b", "-M"]);
    assert!(
        member_rows(&out.stdout).contains(&("(fleet)".to_string(), "12/12".to_string())),
        "{}",
        out.stdout
    );

    // 12 -> 4: the second group is emptied first.
    let out = fleet_cmd(
        &tf,
        &[
            "scale",
            "deploy",
            "qwen3-8b",
            "--replicas",
            "4",
            "--wait",
            "--timeout",
            "60s",
        ],
    );
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    // Inside group 1 the replicas on ack-hangzhou's elastic pool nodes go first (they release
    // cloud nodes), so group 1 is back to its idle split of 2 + 2.
    let desired = plan_desired(&out.stdout);
    assert_eq!(
        desired,
        [
            ("ack-hangzhou".to_string(), 2),
            ("ack-shanghai".to_string(), 0),
            ("idc-beijing".to_string(), 2)
        ]
    );
    assert!(
        out.stdout.contains("deleted from ack-shanghai (4 -> 0)"),
        "{}",
        out.stdout
    );

    // Without -M: one row with fleet totals; -o name.
    let out = fleet_cmd(&tf, &["get", "deployments"]);
    let row: Vec<&str> = out
        .stdout
        .lines()
        .find(|l| l.starts_with("qwen3-8b"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(row[1], "4/4", "{}", out.stdout);
    assert_eq!(row[5], "ack-hangzhou,idc-beijing", "{}", out.stdout);
    let out = fleet_cmd(&tf, &["get", "deploy", "qwen3-8b", "-o", "name"]);
    assert_eq!(out.stdout, "deployment.apps/qwen3-8b\n");

    // Pods and nodes views carry a CLUSTER column.
    let out = fleet_cmd(&tf, &["get", "pods", "-M", "-l", "app=qwen3-8b"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("NAME"), "{}", out.stdout);
    assert!(out.stdout.lines().next().unwrap().contains("CLUSTER"));
    assert_eq!(out.stdout.lines().count(), 5, "{}", out.stdout);
    let out = fleet_cmd(&tf, &["get", "nodes", "-M"]);
    assert!(out.stdout.contains("idc-beijing"), "{}", out.stdout);

    // delete removes every member copy.
    let out = fleet_cmd(&tf, &["delete", "deploy/qwen3-8b"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("deployment.apps \"qwen3-8b\" deleted from idc-beijing"),
        "{}",
        out.stdout
    );
    let k = tf.kubectl("idc-beijing", &["get", "deploy", "qwen3-8b"]);
    assert!(!k.ok);
}

#[test]
fn cli_unreachable_member_is_reported_while_the_others_print() {
    let tf = builtin();
    tf.sim.fault("ack-shanghai", Fault::Down).unwrap();
    let out = fleet_cmd(&tf, &["--request-timeout", "3s", "clusters"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error: ack-shanghai:"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("idc-beijing"), "{}", out.stdout);
    assert!(
        out.stdout
            .lines()
            .any(|l| l.starts_with("ack-shanghai") && l.contains("False")),
        "{}",
        out.stdout
    );

    let out = run(&tf, &with_files(&["--request-timeout", "3s", "plan"]));
    assert!(out.stderr.contains("ack-shanghai"), "{}", out.stderr);
    assert!(out.stdout.contains("idc-beijing"), "{}", out.stdout);

    let out = fleet_cmd(&tf, &["--request-timeout", "3s", "get", "deploy", "-M"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("error: ack-shanghai:"),
        "{}",
        out.stderr
    );

    // Not found in the reachable members while one is down: the copies may be there, so a
    // runtime error (1) naming the member, not bad input (2).
    let out = fleet_cmd(
        &tf,
        &[
            "--request-timeout",
            "3s",
            "scale",
            "deploy/nope",
            "--replicas",
            "2",
            "--allow-unreachable",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("not managed") && out.stderr.contains("(unreachable: ack-shanghai)"),
        "{}",
        out.stderr
    );
}

#[test]
fn cli_bad_input_is_one_line_with_exit_2() {
    let tf = builtin();
    let cases: Vec<Vec<&str>> = vec![
        vec!["plan", "-f", "/nonexistent/deploy.yaml"],
        vec!["--clusters", "nope", "get", "deploy"],
        vec!["get", "statefulsets"],
        vec!["scale", "statefulset/x", "--replicas", "2"],
        vec!["get", "deploy", "--bogus"],
        vec!["-n", "a", "-A", "get", "deploy"],
    ];
    for args in cases {
        let out = fleet_cmd(&tf, &args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: "),
            "{args:?}: {}",
            out.stderr
        );
        assert_eq!(
            out.stderr.trim_end().lines().count(),
            1,
            "{args:?}: {}",
            out.stderr
        );
    }
    let bad = tf.write(
        "bad.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: many}\n",
    );
    let out = fleet_cmd(&tf, &["plan", "-f", bad.to_str().unwrap()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("bad.yaml"), "{}", out.stderr);
}

#[test]
fn cli_never_prints_the_kubeconfig_token() {
    let tf = builtin();
    let text = std::fs::read_to_string(&tf.kubeconfig).unwrap();
    let with_token = text.replace(
        "users:\n",
        &format!("users:\n- name: extra\n  user: {{token: {TOKEN}}}\n"),
    );
    // Point every context at a user carrying a token.
    let mut kc: serde_json::Value = serde_saphyr::from_str(&with_token).unwrap();
    for u in kc["users"].as_array_mut().unwrap() {
        u["user"]["token"] = serde_json::Value::String(TOKEN.into());
    }
    std::fs::write(&tf.kubeconfig, serde_json::to_string(&kc).unwrap()).unwrap();
    tf.sim.fault("ack-shanghai", Fault::Down).unwrap();
    for args in [
        vec!["-vvv", "--request-timeout", "2s", "clusters", "-o", "json"],
        vec!["-vvv", "--request-timeout", "2s", "get", "deploy", "-M"],
    ] {
        let out = fleet_cmd(&tf, &args);
        assert!(
            !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
            "{args:?} leaked the token"
        );
    }
}

/// A PATH with the built kubectl-fleet and kubectl_complete-fleet first.
fn plugin_path() -> std::ffi::OsString {
    let bin = assert_cmd::cargo::cargo_bin("kubectl-fleet");
    let complete = assert_cmd::cargo::cargo_bin("kubectl_complete-fleet");
    assert_eq!(bin.parent(), complete.parent());
    let mut paths = vec![bin.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

#[test]
fn cli_real_kubectl_discovers_the_plugin() {
    let tf = builtin();
    let out = std::process::Command::new("kubectl")
        .args(["fleet", "clusters"])
        .env("PATH", plugin_path())
        .env("KUBECONFIG", &tf.kubeconfig)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in ["idc-beijing", "ack-hangzhou", "ack-shanghai"] {
        assert!(stdout.contains(name), "{stdout}");
    }
    let out = std::process::Command::new("kubectl")
        .args(["fleet", "--help"])
        .env("PATH", plugin_path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage: kubectl fleet"));
}

#[test]
fn cli_real_kubectl_completes_cluster_and_deployment_names_via_kubectl_complete_fleet() {
    let tf = builtin();
    let kubectl = |args: &[&str]| {
        let out = std::process::Command::new("kubectl")
            .args(args)
            .env("PATH", plugin_path())
            .env("KUBECONFIG", &tf.kubeconfig)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = kubectl(&["__complete", "fleet", "get", "--clusters", ""]);
    let mut values: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(values.pop(), Some(":4"), "{out}");
    values.sort();
    assert_eq!(values, ["ack-hangzhou", "ack-shanghai", "idc-beijing"]);

    let out = kubectl(&["__complete", "fleet", "g"]);
    assert!(out.lines().any(|l| l.starts_with("get")), "{out}");

    // Deployment names come from the members.
    let out = run(&tf, &with_files(&["apply", "--yes"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = kubectl(&["__complete", "fleet", "get", "deploy", ""]);
    assert!(out.lines().any(|l| l == "qwen3-8b"), "{out}");
    let out = kubectl(&["__complete", "fleet", "scale", "deploy/q"]);
    assert!(out.lines().any(|l| l == "deploy/qwen3-8b"), "{out}");
    // -f wants files: directive 0 lets the shell complete paths.
    let out = kubectl(&["__complete", "fleet", "plan", "-f", ""]);
    assert!(out.trim_end().ends_with(":0"), "{out}");
}

#[test]
fn cli_demo_runs_the_whole_workflow_and_cleans_up() {
    let started = std::time::Instant::now();
    let out = Command::cargo_bin("kubectl-fleet")
        .unwrap()
        .args(["demo", "--speed", "50"])
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(120));
    for step in [
        "$ kubectl fleet plan",
        "$ kubectl fleet apply",
        "$ kubectl fleet get deploy qwen3-8b -M",
        "No changes: the fleet already matches the plan.",
        "$ kubectl fleet apply -f qwen3-8b-hpa.yaml --yes",
        "federatedhpa.autoscaling.karmada.io/qwen3-8b stored in 3 member(s)",
        "$ kubectl fleet sim load deploy/qwen3-8b --cpu 0 --metric requests_per_second=120",
        "$ kubectl fleet reconcile --once",
        // The rollout scene: step 1 waits with one canary replica, resume completes it.
        "$ kubectl fleet rollout status deploy/qwen3-8b --watch=false",
        "rollout waiting at revision 2 step 1/2: ",
        "deployment.apps/qwen3-8b-canary created on",
        "$ kubectl fleet rollout resume deploy/qwen3-8b",
        "deployment \"qwen3-8b\" successfully rolled out (revision 2)",
        "the simulated fleet is stopped",
    ] {
        assert!(stdout.contains(step), "missing {step:?} in\n{stdout}");
    }
    // The peak: one pass scales 4 -> 12, spilling into group 2.
    let up = "autoscaled default/qwen3-8b: deploy/qwen3-8b 4 -> 12 (pods metric requests_per_second above target)";
    let down = "autoscaled default/qwen3-8b: deploy/qwen3-8b 12 -> 4 (All metrics below target)";
    let (i_up, i_down) = (
        stdout
            .find(up)
            .unwrap_or_else(|| panic!("no {up:?} in\n{stdout}")),
        stdout
            .find(down)
            .unwrap_or_else(|| panic!("no {down:?} in\n{stdout}")),
    );
    assert!(i_up < i_down, "{stdout}");
    assert_eq!(stdout.matches("autoscaled ").count(), 2, "{stdout}");
    let peak = &stdout[i_up..i_down];
    assert!(
        peak.lines()
            .any(|l| l.starts_with("qwen3-8b   (fleet)") && l.contains("12/12")),
        "{peak}"
    );
    assert!(
        peak.lines()
            .any(|l| l.contains("ack-shanghai") && l.contains("4/4")),
        "{peak}"
    );
    // Peak over: a pass inside the scale-down window holds 12 (no autoscaled line between the
    // second load change and the window's end), then the scale-in to 4.
    let dip = &peak[peak
        .find("requests_per_second=20")
        .unwrap_or_else(|| panic!("{peak}"))..];
    assert!(dip.contains("$ kubectl fleet reconcile --once"), "{dip}");
    assert!(dip.contains("stabilization window"), "{dip}");
    let after = &stdout[i_down..];
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("qwen3-8b   (fleet)") && l.contains("4/4")),
        "{after}"
    );
    let table = &after[..after.find("# Reverse scale-in").unwrap_or(after.len())];
    assert!(!table.contains("ack-shanghai"), "{table}");
}
