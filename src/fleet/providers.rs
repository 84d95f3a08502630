//! Capacity providers: where a member's elastic node pools and their inventory come from.
//! - static pools written in the Fleet file;
//! - the inventory ConfigMap `kube-system/kubectl-fleet-inventory` key `pools.json` (published
//!   by the simulator, or by anything that knows the cloud's inventory); absent = no pools;
//! - `exec`: a command whose stdout is the same JSON (run with a timeout, like kubeconfig
//!   exec credentials).
//!
//! A provider failure never fails a read: it becomes a warning and contributes no pools
//! (elastic 0).

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::Duration;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::Api;
use kube::Client;
use serde::Deserialize;

use super::error::one_line;
use super::fleetfile::{CapacityProvider, PoolSpec, TaintSpec};
use super::membership::Member;

/// Runs the member's providers and returns all pools found; failures go to `warnings`.
pub async fn collect_pools(
    member: &Member,
    client: &Client,
    warnings: &mut Vec<String>,
) -> Vec<PoolSpec> {
    let mut pools = Vec::new();
    for provider in &member.capacity_providers {
        match run_provider(provider, client).await {
            Ok(mut p) => pools.append(&mut p),
            Err(e) => warnings.push(format!(
                "{}: capacity provider {} failed, elastic capacity counted as 0: {e}",
                member.name,
                provider.describe()
            )),
        }
    }
    pools
}

async fn run_provider(
    provider: &CapacityProvider,
    client: &Client,
) -> Result<Vec<PoolSpec>, String> {
    match provider {
        CapacityProvider::Static { pools } => Ok(pools.clone()),
        CapacityProvider::InventoryConfigMap {
            namespace,
            name,
            key,
        } => {
            let api: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
            let cm = match api.get_opt(name).await {
                Ok(Some(cm)) => cm,
                Ok(None) => return Ok(Vec::new()),
                Err(e) => return Err(one_line(e)),
            };
            let data = cm.data.unwrap_or_default();
            match data.get(key) {
                Some(text) => parse_pools_json(text).map_err(|e| format!("key {key}: {e}")),
                None => Err(format!("ConfigMap {namespace}/{name} has no key {key}")),
            }
        }
        CapacityProvider::Exec {
            command,
            args,
            env,
            timeout,
        } => run_exec(command, args, env, *timeout).await,
    }
}

/// Runs an exec provider: stdout must be pools JSON; non-zero exit or timeout is an error.
pub async fn run_exec(
    command: &str,
    args: &[String],
    env: &BTreeMap<String, String>,
    timeout: Duration,
) -> Result<Vec<PoolSpec>, String> {
    let mut cmd = tokio::process::Command::new(command);
    cmd.args(args)
        .envs(env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {command}: {}", one_line(e)))?;
    let output = match tokio::time::timeout(timeout, child.wait_with_output()).await {
        Ok(r) => r.map_err(one_line)?,
        Err(_) => {
            return Err(format!(
                "timed out after {}",
                humantime::format_duration(timeout)
            ))
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{} ({})", output.status, one_line(stderr.trim())));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    parse_pools_json(&text)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum PoolsDoc {
    List(Vec<PoolWire>),
    Wrapped { pools: Vec<PoolWire> },
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PoolWire {
    name: String,
    #[serde(deserialize_with = "string_map")]
    allocatable: BTreeMap<String, String>,
    #[serde(deserialize_with = "string_map")]
    labels: BTreeMap<String, String>,
    taints: Vec<TaintSpec>,
    max_nodes: Option<u32>,
    #[serde(alias = "nodes", alias = "current")]
    current_nodes: Option<u32>,
    provisioning_nodes: Option<u32>,
    #[serde(
        alias = "available",
        alias = "availableInstances",
        alias = "remainingInventory"
    )]
    inventory: Option<u32>,
}

fn string_map<'de, D>(d: D) -> Result<BTreeMap<String, String>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw: Option<BTreeMap<String, serde_json::Value>> = Option::deserialize(d)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, s)
        })
        .collect())
}

/// Parses pools JSON: `{"pools":[...]}` or a bare list; each pool has `name`, `allocatable`
/// (node shape), `labels`, `taints`, `maxNodes`, `currentNodes`, `inventory`.
pub fn parse_pools_json(text: &str) -> Result<Vec<PoolSpec>, String> {
    let doc: PoolsDoc =
        serde_json::from_str(text.trim()).map_err(|e| format!("invalid pools JSON: {e}"))?;
    let wires = match doc {
        PoolsDoc::List(l) => l,
        PoolsDoc::Wrapped { pools } => pools,
    };
    let mut out = Vec::new();
    for (i, w) in wires.into_iter().enumerate() {
        if w.name.is_empty() {
            return Err(format!("pools[{i}].name: missing"));
        }
        if w.allocatable.is_empty() {
            return Err(format!("pools[{i}].allocatable: missing"));
        }
        let max_nodes = w
            .max_nodes
            .ok_or_else(|| format!("pools[{i}].maxNodes: missing"))?;
        out.push(PoolSpec {
            name: w.name,
            allocatable: w.allocatable,
            labels: w.labels,
            taints: w.taints,
            max_nodes,
            current_nodes: w.current_nodes.unwrap_or(0),
            provisioning_nodes: w.provisioning_nodes.unwrap_or(0),
            inventory: w.inventory,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pools_json_accepts_wrapped_and_bare_lists_and_numeric_quantities() {
        let a = parse_pools_json(r#"{"pools":[{"name":"gpu","allocatable":{"cpu":"8","nvidia.com/gpu":1},"maxNodes":10,"currentNodes":2,"inventory":4}]}"#).unwrap();
        assert_eq!(a[0].allocatable["nvidia.com/gpu"], "1");
        assert_eq!(
            (a[0].max_nodes, a[0].current_nodes, a[0].inventory),
            (10, 2, Some(4))
        );
        let b = parse_pools_json(
            r#"[{"name":"p","allocatable":{"cpu":"1"},"maxNodes":1,"available":0}]"#,
        )
        .unwrap();
        assert_eq!(b[0].inventory, Some(0));
        let err = parse_pools_json(r#"[{"name":"p","allocatable":{"cpu":"1"}}]"#).unwrap_err();
        assert!(err.contains("maxNodes"), "{err}");
    }

    #[tokio::test]
    async fn exec_provider_parses_stdout_and_reports_failures_and_timeouts() {
        let env = BTreeMap::new();
        let ok = run_exec(
            "sh",
            &[
                "-c".into(),
                r#"echo '[{"name":"e","allocatable":{"cpu":"4"},"maxNodes":3,"inventory":1}]'"#
                    .into(),
            ],
            &env,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(ok[0].name, "e");
        let failed = run_exec(
            "sh",
            &["-c".into(), "echo boom >&2; exit 3".into()],
            &env,
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert!(failed.contains("boom"), "{failed}");
        let slow = run_exec(
            "sh",
            &["-c".into(), "sleep 5".into()],
            &env,
            Duration::from_millis(200),
        )
        .await
        .unwrap_err();
        assert!(slow.contains("timed out"), "{slow}");
        let missing = run_exec("/no/such/provider", &[], &env, Duration::from_secs(1))
            .await
            .unwrap_err();
        assert!(missing.contains("/no/such/provider"), "{missing}");
    }
}
