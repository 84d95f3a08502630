//! kubectl conventions (issue 11 part 2): help without arguments, the namespace of the
//! kubeconfig's current context, and the output of `rebalance`.

use kubectl_fleet::sim::store::Kind;

use super::ops_common::*;
use crate::util::kubectl_with;

fn without_namespace(manifest: &str) -> String {
    manifest
        .lines()
        .filter(|l| l.trim() != "namespace: default")
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn no_arguments_print_the_multi_line_help_with_the_usage_exit_code() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.starts_with("error:"), "{err}");
    assert!(err.lines().count() > 15, "multi-line help:\n{err}");
    assert!(
        err.contains("Usage: kubectl fleet [OPTIONS] <COMMAND>"),
        "{err}"
    );
    assert!(err.contains("\n  apply "), "{err}");
    assert!(err.contains("\n  describe "), "{err}");
    assert!(err.contains("\n  diff "), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "no colour when not a terminal: {err:?}"
    );
    // A command group without its subcommand: the same, for the group.
    let sim = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .arg("sim")
        .output()
        .unwrap();
    assert_eq!(sim.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&sim.stderr).contains("Usage: kubectl fleet sim"));
}

#[test]
fn the_namespace_defaults_to_the_current_contexts_namespace() {
    let f = OpsFleet::start(
        &format!("{}{}", cluster("a", 1, 8), cluster("b", 1, 8)),
        50.0,
    );
    let kc = &f.kubeconfig;
    for args in [
        &["config", "use-context", "a"][..],
        &["config", "set-context", "a", "--namespace", "team-a"][..],
    ] {
        let r = kubectl_with(kc, "a", args, None);
        assert!(r.ok, "{}", r.stderr);
    }
    let file = f.dir.path().join("web.yaml");
    std::fs::write(
        &file,
        without_namespace(&format!(
            "{}---\n{}",
            deployment("web", 2, "1", 0),
            ack_policy("web", &[&["a"], &["b"]], false)
        )),
    )
    .unwrap();
    let file = file.display().to_string();
    let out = f.run(&["apply", "-f", &file, "--yes"]);
    assert!(out.ok, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("Deployment team-a/web"),
        "{}",
        out.stdout
    );
    let store = f.sim.store("a").unwrap();
    assert!(store.get(Kind::Deployment, "team-a", "web").is_some());
    assert!(store.get(Kind::Deployment, "default", "web").is_none());
    // Reads and writes without -n use team-a too; -n default does not see it.
    let get = f.run(&["get", "deploy", "-M"]);
    assert!(get.ok, "{}", get.stderr);
    assert!(get.stdout.contains("web"), "{}", get.stdout);
    let other = f.run(&["get", "deploy", "-n", "default"]);
    assert!(other
        .stderr
        .contains("No resources found in default namespace."));
    let scale = f.run(&["scale", "deploy/web", "--replicas", "3"]);
    assert!(scale.ok, "{}{}", scale.stdout, scale.stderr);
    let total: i64 = ["a", "b"]
        .iter()
        .filter_map(|c| {
            f.sim
                .store(c)
                .unwrap()
                .get(Kind::Deployment, "team-a", "web")
        })
        .map(|d| d["spec"]["replicas"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(total, 3);
    // -n that contradicts the manifest's own namespace is a usage error naming the object.
    let named = f.dir.path().join("named.yaml");
    std::fs::write(&named, deployment("api", 1, "1", 0)).unwrap();
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .args(["plan", "-n", "team-a", "-f", &named.display().to_string()])
        .env("KUBECONFIG", kc)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("deployment api") && stderr.contains("\"default\""),
        "{stderr}"
    );
}

/// A fleet a, b with `web` (4 replicas of 1 CPU) spread over both members.
fn two_member_fleet() -> OpsFleet {
    let f = OpsFleet::start(
        &format!("{}{}", cluster("a", 1, 8), cluster("b", 1, 8)),
        50.0,
    );
    f.apply(&format!(
        "{}---\n{}",
        deployment("web", 4, "1", 0),
        ack_policy("web", &[&["a", "b"]], false)
    ));
    f
}

fn replicas_by_member(f: &OpsFleet) -> std::collections::BTreeMap<String, i64> {
    f.replicas("web")
        .into_iter()
        .filter(|(_, r)| *r > 0)
        .collect()
}

#[test]
fn get_deploy_json_and_yaml_are_a_v1_list_of_the_member_copies() {
    let f = two_member_fleet();
    let want = replicas_by_member(&f);
    assert_eq!(want.len(), 2, "{want:?}");
    for args in [
        &["get", "deploy", "-o", "json"][..],
        &["get", "deploy", "web", "-M", "-o", "json"][..],
    ] {
        let out = f.run(args);
        assert!(out.ok, "{}", out.stderr);
        let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(list["apiVersion"], "v1");
        assert_eq!(list["kind"], "List");
        let items = list["items"].as_array().unwrap();
        let got: std::collections::BTreeMap<String, i64> = items
            .iter()
            .map(|d| {
                assert_eq!(d["apiVersion"], "apps/v1");
                assert_eq!(d["kind"], "Deployment");
                assert!(d["metadata"].get("managedFields").is_none());
                assert_eq!(
                    d["metadata"]["labels"]["app.kubernetes.io/managed-by"],
                    "kubectl-fleet"
                );
                (
                    d["metadata"]["annotations"]["fleet.kubectl.dev/member"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    d["spec"]["replicas"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, want, "{args:?}");
    }
    // YAML: the same List, and kubectl takes it as input.
    let yaml = f.run(&["get", "deploy", "-o", "yaml"]);
    assert!(yaml.ok, "{}", yaml.stderr);
    let parsed: serde_json::Value = serde_saphyr::from_str(&yaml.stdout).expect("YAML");
    assert_eq!(parsed["kind"], "List");
    assert_eq!(parsed["items"].as_array().unwrap().len(), 2);
    let dry = f.sim.cluster_names()[0].clone();
    let applied = crate::util::kubectl_with(
        &f.kubeconfig,
        &dry,
        // kubectl validates a List itself, with the member's OpenAPI v2 document.
        &["apply", "--dry-run=client", "-f", "-"],
        Some(&yaml.stdout),
    );
    assert!(
        applied.ok,
        "kubectl apply -f - of the List: {}",
        applied.stderr
    );
    assert!(
        applied.stdout.contains("deployment.apps/web"),
        "{}",
        applied.stdout
    );
    // -o name: one line for the workload.
    let names = f.run(&["get", "deploy", "-M", "-o", "name"]);
    assert_eq!(names.stdout, "deployment.apps/web\n");
}

#[test]
fn get_deploy_custom_columns_and_jsonpath_read_the_member_copies() {
    let f = two_member_fleet();
    let want = replicas_by_member(&f);
    let cols = f.run(&[
        "get",
        "deploy",
        "-M",
        "-o",
        "custom-columns=NAME:.metadata.name,CLUSTER:.metadata.annotations.fleet\\.kubectl\\.dev/member,REPLICAS:.spec.replicas,MISSING:.status.nope",
    ]);
    assert!(cols.ok, "{}", cols.stderr);
    let lines: Vec<Vec<&str>> = cols
        .stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(lines[0], ["NAME", "CLUSTER", "REPLICAS", "MISSING"]);
    let rows: std::collections::BTreeMap<String, i64> = lines[1..]
        .iter()
        .map(|r| {
            assert_eq!(r[0], "web");
            assert_eq!(r[3], "<none>");
            (r[1].to_string(), r[2].parse().unwrap())
        })
        .collect();
    assert_eq!(rows, want);
    let jp = f.run(&[
        "get",
        "deploy",
        "-o",
        r#"jsonpath={range .items[*]}{.metadata.annotations['fleet.kubectl.dev/member']}={.spec.replicas}{"\n"}{end}"#,
    ]);
    assert!(jp.ok, "{}", jp.stderr);
    let expected: String = want.iter().map(|(c, r)| format!("{c}={r}\n")).collect();
    assert_eq!(jp.stdout, expected);
    // The fleet rows stay in the table formats.
    let wide = f.run(&["get", "deploy", "-M", "-o", "wide"]);
    assert!(
        wide.stdout.contains("(fleet)") && wide.stdout.contains("GROUP"),
        "{}",
        wide.stdout
    );
    // A template that does not parse is a usage error (exit 2) naming it.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
        .args(["get", "deploy", "-o", "jsonpath={range .items[*]}"])
        .env("KUBECONFIG", &f.kubeconfig)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("{range} without {end}"));
}

fn fleet_output(
    f: &OpsFleet,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, String, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"));
    cmd.args(args)
        .env("KUBECONFIG", &f.kubeconfig)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn describe_shows_policy_plan_members_conditions_and_events_of_every_member() {
    let f = two_member_fleet();
    let (code, out, err) = fleet_output(&f, &["describe", "deploy/web"], &[]);
    assert_eq!(code, Some(0), "{err}");
    for want in [
        "Name:                   web\n",
        "Namespace:              default\n",
        "Selector:               app=web\n",
        "Replicas:               4 desired (fleet)",
        "StrategyType:           RollingUpdate\n",
        "Policy:                 default/web\n",
        "  Kind:                 PropagationPolicy (policy.one.alibabacloud.com/v1alpha1)\n",
        "      replicaDivisionPreference: Weighted\n",
        "Plan:\n  Deployment default/web: 4 replicas, policy default/web\n",
        "Members:\n  Cluster  Ready",
        "Conditions:\n  Cluster  Type",
        "Events:\n  Type    Reason",
    ] {
        assert!(out.contains(want), "{want:?} missing in:\n{out}");
    }
    let section = |name: &str| -> Vec<String> {
        out.split(&format!("\n{name}:\n"))
            .nth(1)
            .unwrap_or("")
            .lines()
            .take_while(|l| l.starts_with("  "))
            .skip(2)
            .map(str::to_string)
            .collect()
    };
    let members: Vec<String> = section("Members")
        .iter()
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    assert_eq!(members, ["a", "b"]);
    assert!(section("Conditions")
        .iter()
        .any(|l| l.contains("Available")));
    let events = section("Events");
    for c in ["a", "b"] {
        assert!(
            events
                .iter()
                .any(|l| l.contains("ScalingReplicaSet") && l.split_whitespace().any(|w| w == c)),
            "events of {c}: {events:?}"
        );
    }
    let (code, _, err) = fleet_output(&f, &["describe", "deploy/nope"], &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("\"nope\" not found"), "{err}");
    let (code, _, _) = fleet_output(&f, &["describe", "svc/web"], &[]);
    assert_eq!(code, Some(2));
}

#[test]
fn get_events_lists_member_events_oldest_first_with_a_cluster_column() {
    let f = two_member_fleet();
    let (code, out, err) = fleet_output(&f, &["get", "events", "-M", "--for", "deploy/web"], &[]);
    assert_eq!(code, Some(0), "{err}");
    let header: Vec<&str> = out
        .lines()
        .next()
        .unwrap()
        .split("   ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        header,
        [
            "LAST SEEN",
            "CLUSTER",
            "TYPE",
            "REASON",
            "OBJECT",
            "MESSAGE"
        ]
    );
    let clusters: std::collections::BTreeSet<&str> = out
        .lines()
        .skip(1)
        .map(|l| {
            assert!(l.contains("deployment/web"), "{l}");
            l.split_whitespace().nth(1).unwrap()
        })
        .collect();
    assert_eq!(clusters, ["a", "b"].into_iter().collect());
    // JSON: the Event objects, each naming its member, sorted by time.
    let (_, json, _) = fleet_output(
        &f,
        &["get", "events", "--for", "deployment/web", "-o", "json"],
        &[],
    );
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    let items = list["items"].as_array().unwrap();
    assert!(items.len() >= 2);
    let times: Vec<&str> = items
        .iter()
        .map(|e| e["lastTimestamp"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    assert!(items.iter().all(|e| e["kind"] == "Event"
        && e["involvedObject"]["name"] == "web"
        && e["metadata"]["annotations"]["fleet.kubectl.dev/member"].is_string()));
    let (code, _, err) = fleet_output(&f, &["get", "events", "--for", "deploy/other"], &[]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains("No events found in default namespace."),
        "{err}"
    );
    let (code, _, err) = fleet_output(&f, &["get", "deploy", "--for", "deploy/web"], &[]);
    assert_eq!(code, Some(2), "{err}");
}

#[test]
fn diff_shows_per_member_object_diffs_with_kubectl_diffs_exit_codes() {
    let f = two_member_fleet();
    let same = f.dir.path().join("same.yaml");
    std::fs::write(
        &same,
        format!(
            "{}---\n{}",
            deployment("web", 4, "1", 0),
            ack_policy("web", &[&["a", "b"]], false)
        ),
    )
    .unwrap();
    let same = same.display().to_string();
    let (code, out, err) = fleet_output(&f, &["diff", "-f", &same], &[]);
    assert_eq!(code, Some(0), "no differences: {out}{err}");
    assert_eq!(out, "");
    let before = f.replicas("web");
    let changed = f.dir.path().join("changed.yaml");
    std::fs::write(
        &changed,
        format!(
            "{}---\n{}",
            deployment("web", 6, "1", 0).replace("image: app:1", "image: app:2"),
            ack_policy("web", &[&["a", "b"]], false)
        ),
    )
    .unwrap();
    let changed = changed.display().to_string();
    let (code, out, err) = fleet_output(&f, &["diff", "-f", &changed], &[]);
    assert_eq!(code, Some(1), "differences: {out}{err}");
    for c in ["a", "b"] {
        assert!(
            out.contains(&format!("diff -u -N LIVE/apps.v1.Deployment.default.web@{c} MERGED/apps.v1.Deployment.default.web@{c}\n")),
            "{out}"
        );
    }
    assert!(
        out.contains("-      - image: app:1\n+      - image: app:2\n"),
        "{out}"
    );
    assert!(out.lines().any(|l| l.starts_with("-  replicas: ")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("+  replicas: ")), "{out}");
    assert!(out.contains("fleet.kubectl.dev/total-replicas"), "{out}");
    assert_eq!(f.replicas("web"), before, "diff writes nothing");
    // KUBECTL_EXTERNAL_DIFF gets the LIVE and MERGED directories, as with kubectl.
    let (code, out, err) = fleet_output(
        &f,
        &["diff", "-f", &changed],
        &[("KUBECTL_EXTERNAL_DIFF", "diff -u -N")],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("/LIVE/apps.v1.Deployment.default.web@a"),
        "{out}"
    );
    assert!(out.contains("+      - image: app:2"), "{out}");
    // After apply writes the copies (each with the write lock's generation), the same
    // manifests diff clean.
    let (code, out, err) = fleet_output(&f, &["apply", "-f", &changed, "--yes"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = fleet_output(&f, &["diff", "-f", &changed], &[]);
    assert_eq!(code, Some(0), "no differences after apply: {out}{err}");
    assert_eq!(out, "");
    // Errors exit >1.
    let (code, _, err) = fleet_output(&f, &["diff", "-f", "/nonexistent.yaml"], &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("/nonexistent.yaml"), "{err}");
}
