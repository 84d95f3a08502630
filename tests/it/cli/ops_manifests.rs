//! manifests/reconcile/: every file is valid YAML, the Deployment's command line parses with
//! the real CLI, KUBECONFIG points at the mounted Secret key, and the Secret's kubeconfig
//! parses.

use std::path::Path;

use clap::Parser;
use serde_json::Value;

fn docs(file: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("manifests/reconcile")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("manifest readable");
    serde_saphyr::from_multiple::<Value>(&text)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn reconcile_manifests_are_consistent_and_the_command_line_parses() {
    let kustomization = &docs("kustomization.yaml")[0];
    let resources: Vec<&str> = kustomization["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for r in &resources {
        assert!(!docs(r).is_empty(), "{r} has documents");
    }
    let deploy = &docs("deployment.yaml")[0];
    assert_eq!(deploy["kind"], "Deployment");
    let pod = &deploy["spec"]["template"]["spec"];
    assert_eq!(pod["serviceAccountName"], "kubectl-fleet-reconcile");
    let c = &pod["containers"][0];
    let mut argv = vec!["kubectl-fleet".to_string()];
    argv.extend(
        c["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string()),
    );
    let cli = kubectl_fleet::cli::Cli::try_parse_from(&argv)
        .unwrap_or_else(|e| panic!("deployment args do not parse: {e}"));
    assert!(matches!(
        cli.command,
        kubectl_fleet::cli::Command::Reconcile(_)
    ));
    let kubeconfig_env = c["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "KUBECONFIG")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string();
    let mount = c["volumeMounts"][0]["mountPath"].as_str().unwrap();
    let secret = &docs("secret.yaml")[0];
    let key = kubeconfig_env
        .strip_prefix(&format!("{mount}/"))
        .expect("KUBECONFIG is inside the mounted Secret");
    assert_eq!(
        pod["volumes"][0]["secret"]["secretName"],
        secret["metadata"]["name"]
    );
    let kc = secret["stringData"][key]
        .as_str()
        .expect("Secret key exists");
    let parsed = kube::config::Kubeconfig::from_yaml(kc).expect("kubeconfig parses");
    assert!(parsed.contexts.len() >= 2);
    // The liveness probe hits the metrics server's /healthz.
    assert_eq!(c["livenessProbe"]["httpGet"]["path"], "/healthz");
    assert!(argv.iter().any(|a| a == "--metrics-addr=0.0.0.0:9090"));
    // The Lease RBAC names the Lease the reconciler uses by default.
    let rbac = docs("rbac.yaml");
    assert!(rbac[0]["rules"]
        .to_string()
        .contains(kubectl_fleet::fleet::reconcile::lease::LEASE_NAME));
    assert_eq!(rbac[1]["subjects"][0]["name"], "kubectl-fleet-reconcile");
}
