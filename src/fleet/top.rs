//! `top pods|nodes` across the fleet: each member's `metrics.k8s.io/v1beta1` PodMetrics and
//! NodeMetrics (what `kubectl top` reads), plus the nodes' allocatable for CPU%/MEMORY%.
//! A member without the metrics API, or unreachable, is reported as a failure while the others
//! are shown.

use k8s_openapi::api::core::v1::Node;
use kube::api::{Api, ListParams};
use serde::Serialize;
use serde_json::Value;

use super::error::MemberError;
use super::membership::Fleet;
use super::selector::query_pair;
use super::views::MemberFailure;
use crate::capacity::quantity::parse_quantity;

/// One pod's (or, with `--containers`, one container's) usage in one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodUsageRow {
    pub cluster: String,
    pub namespace: String,
    pub pod: String,
    /// The container (with `--containers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    pub cpu_milli: i64,
    pub memory_bytes: i64,
}

/// One node's usage in one member, with its allocatable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeUsageRow {
    pub cluster: String,
    pub name: String,
    pub cpu_milli: i64,
    pub memory_bytes: i64,
    /// `status.allocatable` (0 when the node object is gone).
    pub cpu_allocatable_milli: i64,
    pub memory_allocatable_bytes: i64,
}

/// Rows and the members that gave none.
#[derive(Debug, Clone, Default)]
pub struct TopView<T> {
    pub rows: Vec<T>,
    pub failures: Vec<MemberFailure>,
}

fn quantity(v: &Value) -> i64 {
    v.as_str().and_then(|q| parse_quantity(q).ok()).unwrap_or(0)
}

async fn get_metrics(client: &kube::Client, path: &str) -> Result<Value, MemberError> {
    match super::read::get_json(client, path)
        .await
        .map_err(MemberError::from)
    {
        Err(MemberError::Api { code: 404, .. }) | Err(MemberError::Api { code: 503, .. }) => {
            Err(MemberError::Other(
                "metrics API not available (no metrics.k8s.io/v1beta1: is metrics-server installed?)"
                    .into(),
            ))
        }
        other => other,
    }
}

fn failures<T>(results: Vec<(String, Result<Vec<T>, MemberError>)>) -> TopView<T> {
    let mut view = TopView {
        rows: Vec::new(),
        failures: Vec::new(),
    };
    for (cluster, r) in results {
        match r {
            Ok(rows) => view.rows.extend(rows),
            Err(e) => view.failures.push(MemberFailure {
                unreachable: e.is_unreachable(),
                cluster,
                error: e.to_string(),
            }),
        }
    }
    view
}

/// PodMetrics of every member (one namespace or all, optionally by label selector).
pub async fn top_pods(
    fleet: &Fleet,
    namespace: Option<&str>,
    selector: Option<&str>,
    containers: bool,
) -> TopView<PodUsageRow> {
    let mut path = match namespace {
        Some(ns) => format!("/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods"),
        None => "/apis/metrics.k8s.io/v1beta1/pods".to_string(),
    };
    if let Some(sel) = selector {
        path.push_str(&format!("?{}", query_pair("labelSelector", sel)));
    }
    let results = fleet
        .for_each(|m| {
            let path = path.clone();
            async move {
                let v = get_metrics(&m.metrics_client().await?, &path).await?;
                let mut rows = Vec::new();
                for item in v["items"].as_array().into_iter().flatten() {
                    let pod = item["metadata"]["name"].as_str().unwrap_or_default();
                    let ns = item["metadata"]["namespace"].as_str().unwrap_or_default();
                    let mut total = (0i64, 0i64);
                    for c in item["containers"].as_array().into_iter().flatten() {
                        let cpu = quantity(&c["usage"]["cpu"]);
                        let mem = quantity(&c["usage"]["memory"]) / 1000;
                        if containers {
                            rows.push(PodUsageRow {
                                cluster: m.name.clone(),
                                namespace: ns.to_string(),
                                pod: pod.to_string(),
                                container: c["name"].as_str().map(str::to_string),
                                cpu_milli: cpu,
                                memory_bytes: mem,
                            });
                        }
                        total.0 += cpu;
                        total.1 += mem;
                    }
                    if !containers {
                        rows.push(PodUsageRow {
                            cluster: m.name.clone(),
                            namespace: ns.to_string(),
                            pod: pod.to_string(),
                            container: None,
                            cpu_milli: total.0,
                            memory_bytes: total.1,
                        });
                    }
                }
                Ok(rows)
            }
        })
        .await;
    failures(results)
}

/// NodeMetrics of every member with the nodes' allocatable.
pub async fn top_nodes(fleet: &Fleet, selector: Option<&str>) -> TopView<NodeUsageRow> {
    let mut path = "/apis/metrics.k8s.io/v1beta1/nodes".to_string();
    if let Some(sel) = selector {
        path.push_str(&format!("?{}", query_pair("labelSelector", sel)));
    }
    let results = fleet
        .for_each(|m| {
            let path = path.clone();
            async move {
                let client = m.client().await?;
                let v = get_metrics(&m.metrics_client().await?, &path).await?;
                let nodes: Api<Node> = Api::all(client);
                let mut lp = ListParams::default();
                if let Some(sel) = selector {
                    lp = lp.labels(sel);
                }
                let nodes = nodes.list(&lp).await?.items;
                let mut rows = Vec::new();
                for item in v["items"].as_array().into_iter().flatten() {
                    let name = item["metadata"]["name"].as_str().unwrap_or_default();
                    let alloc = nodes
                        .iter()
                        .find(|n| n.metadata.name.as_deref() == Some(name))
                        .and_then(|n| n.status.as_ref())
                        .and_then(|s| s.allocatable.as_ref());
                    let a = |r: &str| {
                        alloc
                            .and_then(|a| a.get(r))
                            .and_then(|q| parse_quantity(&q.0).ok())
                            .unwrap_or(0)
                    };
                    rows.push(NodeUsageRow {
                        cluster: m.name.clone(),
                        name: name.to_string(),
                        cpu_milli: quantity(&item["usage"]["cpu"]),
                        memory_bytes: quantity(&item["usage"]["memory"]) / 1000,
                        cpu_allocatable_milli: a("cpu"),
                        memory_allocatable_bytes: a("memory") / 1000,
                    });
                }
                Ok(rows)
            }
        })
        .await;
    failures(results)
}
