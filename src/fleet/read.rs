//! Concurrent reads of every member: nodes, pods (paginated, lean), priority classes,
//! Deployments, cordon state, server version and capacity-provider pools.
//!
//! Pods are listed page by page (`limit` + `continue`) into a minimal struct that keeps only
//! what the capacity estimator and the views need, so a member with 60,000 pods costs a few
//! tens of MiB, not the full objects.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, ResourceRequirements, Taint};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, ListParams};
use kube::Client;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::MemberError;
use super::fleetfile::PoolSpec;
use super::membership::{Fleet, Member};
use super::state::{self, CordonState};

/// What to read (the defaults read everything the planner needs).
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// List pods (needed for capacity; views that only show Deployments skip them).
    pub pods: bool,
    /// List Deployments.
    pub deployments: bool,
    /// Run capacity providers (inventory ConfigMap, exec, static pools).
    pub providers: bool,
    /// Page size of list requests.
    pub page_size: u32,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            pods: true,
            deployments: true,
            providers: true,
            page_size: 500,
        }
    }
}

/// One member's read result.
#[derive(Debug, Clone)]
pub struct MemberSnapshot {
    pub name: String,
    pub result: Result<MemberState, MemberError>,
}

/// Everything read from one member.
#[derive(Debug, Clone, Default)]
pub struct MemberState {
    /// `gitVersion` of the API server.
    pub version: Option<String>,
    /// Cordon state from ConfigMap `kube-system/kubectl-fleet-member`.
    pub cordon: CordonState,
    /// Member labels: the configured ones plus labels derived from the nodes (see docs/state.md).
    pub labels: BTreeMap<String, String>,
    pub nodes: Vec<NodeInfo>,
    pub pods: Vec<PodInfo>,
    pub priority_classes: Vec<PriorityClassEntry>,
    /// Elastic node pools from the member's capacity providers.
    pub pools: Vec<PoolSpec>,
    /// Deployments of the member (managed and unmanaged).
    pub deployments: Vec<DeploymentState>,
    /// Non-fatal problems (a capacity provider failed, ...).
    pub warnings: Vec<String>,
}

/// A node, reduced to what capacity and the views need.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NodeInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub created: Option<Time>,
    pub unschedulable: bool,
    pub taints: Vec<Taint>,
    pub ready: bool,
    pub allocatable: BTreeMap<String, Quantity>,
    pub capacity: BTreeMap<String, Quantity>,
    pub kubelet_version: Option<String>,
}

/// A pod, reduced to what capacity and the views need.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub node_name: Option<String>,
    /// `status.phase` (Pending, Running, Succeeded, Failed, Unknown).
    pub phase: String,
    pub terminating: bool,
    pub priority: Option<i32>,
    pub priority_class_name: Option<String>,
    pub containers: Vec<ResourceRequirements>,
    pub init_containers: Vec<ResourceRequirements>,
    pub overhead: BTreeMap<String, Quantity>,
}

impl PodInfo {
    /// Not Succeeded/Failed: the pod holds node resources.
    pub fn is_active(&self) -> bool {
        !matches!(self.phase.as_str(), "Succeeded" | "Failed")
    }
}

/// A PriorityClass (name, value, globalDefault, preemptionPolicy).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriorityClassEntry {
    pub name: String,
    pub value: i32,
    pub global_default: bool,
    pub preemption_policy: Option<String>,
}

/// A Deployment of a member plus what kubectl-fleet recorded on it.
#[derive(Debug, Clone)]
pub struct DeploymentState {
    pub namespace: String,
    pub name: String,
    /// Carries `app.kubernetes.io/managed-by: kubectl-fleet`.
    pub managed: bool,
    /// Adopted under conflictResolution Overwrite.
    pub adopted: bool,
    /// `spec.replicas` of this copy.
    pub replicas: i32,
    pub ready: i32,
    pub updated: i32,
    pub available: i32,
    /// Pods of this copy (selector + namespace) that are Pending.
    pub pending: i32,
    /// `fleet.kubectl.dev/total-replicas`.
    pub total_replicas: Option<u32>,
    /// `fleet.kubectl.dev/group`.
    pub group: Option<String>,
    /// `fleet.kubectl.dev/placement`.
    pub placement: Option<BTreeMap<String, u32>>,
    /// `fleet.kubectl.dev/policy` (compact policy document).
    pub policy: Option<String>,
    /// `fleet.kubectl.dev/spec-hash`.
    pub spec_hash: Option<String>,
    pub created: Option<Time>,
    pub images: Vec<String>,
    /// The object as read (for re-planning managed workloads and idempotency checks).
    pub object: Deployment,
}

impl DeploymentState {
    /// Builds the state from a Deployment (pending is filled in from pods by the reader).
    pub fn from_deployment(d: Deployment) -> DeploymentState {
        let meta = &d.metadata;
        let labels = meta.labels.clone().unwrap_or_default();
        let ann = meta.annotations.clone().unwrap_or_default();
        let status = d.status.clone().unwrap_or_default();
        let images = d
            .spec
            .template
            .spec
            .as_ref()
            .map(|s| {
                s.containers
                    .iter()
                    .filter_map(|c| c.image.clone())
                    .collect()
            })
            .unwrap_or_default();
        DeploymentState {
            namespace: meta.namespace.clone().unwrap_or_else(|| "default".into()),
            name: meta.name.clone().unwrap_or_default(),
            managed: labels.get(state::MANAGED_BY_LABEL).map(String::as_str)
                == Some(state::MANAGED_BY_VALUE),
            adopted: ann.get(state::ANN_ADOPTED).map(String::as_str) == Some("true"),
            replicas: d.spec.replicas.unwrap_or(1),
            ready: status.ready_replicas.unwrap_or(0),
            updated: status.updated_replicas.unwrap_or(0),
            available: status.available_replicas.unwrap_or(0),
            pending: 0,
            total_replicas: ann
                .get(state::ANN_TOTAL_REPLICAS)
                .and_then(|v| v.parse().ok()),
            group: ann.get(state::ANN_GROUP).filter(|g| !g.is_empty()).cloned(),
            placement: ann
                .get(state::ANN_PLACEMENT)
                .and_then(|v| serde_json::from_str(v).ok()),
            policy: ann.get(state::ANN_POLICY).cloned(),
            spec_hash: ann.get(state::ANN_SPEC_HASH).cloned(),
            created: meta.creation_timestamp.clone(),
            images,
            object: d,
        }
    }

    /// `spec.selector.matchLabels` of the copy.
    pub fn match_labels(&self) -> BTreeMap<String, String> {
        self.object
            .spec
            .selector
            .match_labels
            .clone()
            .unwrap_or_default()
    }
}

impl MemberSnapshot {
    /// The state, if the member was read.
    pub fn state(&self) -> Option<&MemberState> {
        self.result.as_ref().ok()
    }
}

/// Reads every member concurrently (each bounded by the fleet's request timeout).
pub async fn read_snapshots(fleet: &Fleet, opts: &ReadOptions) -> Vec<MemberSnapshot> {
    fleet
        .for_each(|m| read_member(m, opts))
        .await
        .into_iter()
        .map(|(name, result)| MemberSnapshot { name, result })
        .collect()
}

/// Reads one member.
pub async fn read_member(member: &Member, opts: &ReadOptions) -> Result<MemberState, MemberError> {
    let client = member.client().await?;
    let version = client
        .apiserver_version()
        .await
        .map_err(MemberError::from)?;
    let (nodes, pods, pcs, deployments, cordon) = futures::try_join!(
        list_nodes(&client, opts.page_size),
        async {
            if opts.pods {
                list_pods(&client, None, opts.page_size).await
            } else {
                Ok(Vec::new())
            }
        },
        list_priority_classes(&client),
        async {
            if opts.deployments {
                list_deployments(&client, None, None, opts.page_size).await
            } else {
                Ok(Vec::new())
            }
        },
        read_cordon_with(&client),
    )?;
    let mut deployments: Vec<DeploymentState> = deployments
        .into_iter()
        .map(DeploymentState::from_deployment)
        .collect();
    if opts.pods {
        count_pending(&mut deployments, &pods);
    }
    let mut warnings = Vec::new();
    let pools = if opts.providers {
        super::providers::collect_pools(member, &client, &mut warnings).await
    } else {
        Vec::new()
    };
    let labels = member_labels(member, &nodes);
    Ok(MemberState {
        version: Some(version.git_version),
        cordon,
        labels,
        nodes,
        pods,
        priority_classes: pcs,
        pools,
        deployments,
        warnings,
    })
}

/// Member labels = configured labels + node-derived ones that are absent: when all nodes
/// agree on `topology.kubernetes.io/region` / `zone`, those keys and the short `region` /
/// `zone` are added.
pub fn member_labels(member: &Member, nodes: &[NodeInfo]) -> BTreeMap<String, String> {
    let mut labels = member.labels.clone();
    for (long, short) in [
        ("topology.kubernetes.io/region", "region"),
        ("topology.kubernetes.io/zone", "zone"),
    ] {
        let mut values = nodes.iter().filter_map(|n| n.labels.get(long));
        if let Some(first) = values.next() {
            if values.all(|v| v == first) && nodes.iter().all(|n| n.labels.contains_key(long)) {
                labels
                    .entry(long.to_string())
                    .or_insert_with(|| first.clone());
                labels
                    .entry(short.to_string())
                    .or_insert_with(|| first.clone());
            }
        }
    }
    labels
}

/// Fills `pending` of every Deployment: Pending pods of its namespace matching its selector.
fn count_pending(deployments: &mut [DeploymentState], pods: &[PodInfo]) {
    for d in deployments.iter_mut() {
        let sel = d.match_labels();
        if sel.is_empty() {
            continue;
        }
        d.pending = pods
            .iter()
            .filter(|p| {
                p.phase == "Pending"
                    && !p.terminating
                    && p.namespace == d.namespace
                    && sel.iter().all(|(k, v)| p.labels.get(k) == Some(v))
            })
            .count() as i32;
    }
}

#[derive(Deserialize)]
struct ListMetaLite {
    #[serde(rename = "continue", default)]
    cont: Option<String>,
}

#[derive(Deserialize)]
#[serde(bound(deserialize = "T: DeserializeOwned"))]
struct ListLite<T> {
    #[serde(default)]
    metadata: Option<ListMetaLite>,
    #[serde(default, deserialize_with = "null_as_default")]
    items: Vec<T>,
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Lists a collection page by page into a lean item type.
async fn list_paged<T, U>(
    client: &Client,
    path: &str,
    lp: ListParams,
    page_size: u32,
    mut map: impl FnMut(T) -> Option<U>,
) -> Result<Vec<U>, MemberError>
where
    T: DeserializeOwned,
{
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = lp.clone().limit(page_size);
        if let Some(t) = &token {
            params = params.continue_token(t);
        }
        let req = kube::core::Request::new(path)
            .list(&params)
            .map_err(|e| MemberError::Other(e.to_string()))?;
        let page: ListLite<T> = client.request(req).await.map_err(MemberError::from)?;
        out.extend(page.items.into_iter().filter_map(&mut map));
        token = page.metadata.and_then(|m| m.cont).filter(|c| !c.is_empty());
        if token.is_none() {
            return Ok(out);
        }
    }
}

// ---- lean wire types (only the fields we keep) ----

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct MetaLite {
    name: String,
    namespace: Option<String>,
    labels: Option<BTreeMap<String, String>>,
    creation_timestamp: Option<Time>,
    deletion_timestamp: Option<Time>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NodeWire {
    metadata: MetaLite,
    spec: NodeSpecWire,
    status: NodeStatusWire,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NodeSpecWire {
    unschedulable: Option<bool>,
    taints: Option<Vec<Taint>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NodeStatusWire {
    allocatable: Option<BTreeMap<String, Quantity>>,
    capacity: Option<BTreeMap<String, Quantity>>,
    conditions: Option<Vec<ConditionWire>>,
    node_info: Option<NodeInfoWire>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct NodeInfoWire {
    kubelet_version: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ConditionWire {
    #[serde(rename = "type")]
    type_: String,
    status: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PodWire {
    metadata: MetaLite,
    spec: PodSpecWire,
    status: PodStatusWire,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct PodSpecWire {
    node_name: Option<String>,
    priority: Option<i32>,
    priority_class_name: Option<String>,
    containers: Vec<ContainerWire>,
    init_containers: Option<Vec<ContainerWire>>,
    overhead: Option<BTreeMap<String, Quantity>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ContainerWire {
    resources: Option<ResourceRequirements>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PodStatusWire {
    phase: Option<String>,
}

/// Lists nodes (lean).
pub async fn list_nodes(client: &Client, page_size: u32) -> Result<Vec<NodeInfo>, MemberError> {
    list_paged(
        client,
        "/api/v1/nodes",
        ListParams::default(),
        page_size,
        |n: NodeWire| {
            let conditions = n.status.conditions.unwrap_or_default();
            Some(NodeInfo {
                name: n.metadata.name,
                labels: n.metadata.labels.unwrap_or_default(),
                created: n.metadata.creation_timestamp,
                unschedulable: n.spec.unschedulable.unwrap_or(false),
                taints: n.spec.taints.unwrap_or_default(),
                ready: conditions
                    .iter()
                    .any(|c| c.type_ == "Ready" && c.status == "True"),
                allocatable: n.status.allocatable.unwrap_or_default(),
                capacity: n.status.capacity.unwrap_or_default(),
                kubelet_version: n.status.node_info.and_then(|i| i.kubelet_version),
            })
        },
    )
    .await
}

/// Lists pods (lean), all namespaces or one.
pub async fn list_pods(
    client: &Client,
    namespace: Option<&str>,
    page_size: u32,
) -> Result<Vec<PodInfo>, MemberError> {
    let path = match namespace {
        Some(ns) => format!("/api/v1/namespaces/{ns}/pods"),
        None => "/api/v1/pods".to_string(),
    };
    let resources = |c: Vec<ContainerWire>| -> Vec<ResourceRequirements> {
        c.into_iter()
            .map(|c| c.resources.unwrap_or_default())
            .collect()
    };
    list_paged(
        client,
        &path,
        ListParams::default(),
        page_size,
        |p: PodWire| {
            Some(PodInfo {
                namespace: p.metadata.namespace.unwrap_or_default(),
                name: p.metadata.name,
                labels: p.metadata.labels.unwrap_or_default(),
                node_name: p.spec.node_name.filter(|n| !n.is_empty()),
                phase: p.status.phase.unwrap_or_else(|| "Pending".into()),
                terminating: p.metadata.deletion_timestamp.is_some(),
                priority: p.spec.priority,
                priority_class_name: p.spec.priority_class_name,
                containers: resources(p.spec.containers),
                init_containers: resources(p.spec.init_containers.unwrap_or_default()),
                overhead: p.spec.overhead.unwrap_or_default(),
            })
        },
    )
    .await
}

/// Lists Deployments (full objects), optionally one namespace and a label selector.
pub async fn list_deployments(
    client: &Client,
    namespace: Option<&str>,
    label_selector: Option<&str>,
    page_size: u32,
) -> Result<Vec<Deployment>, MemberError> {
    let path = match namespace {
        Some(ns) => format!("/apis/apps/v1/namespaces/{ns}/deployments"),
        None => "/apis/apps/v1/deployments".to_string(),
    };
    let mut lp = ListParams::default();
    if let Some(s) = label_selector {
        lp = lp.labels(s);
    }
    list_paged(client, &path, lp, page_size, Some).await
}

/// Lists PriorityClasses.
pub async fn list_priority_classes(
    client: &Client,
) -> Result<Vec<PriorityClassEntry>, MemberError> {
    let api: Api<PriorityClass> = Api::all(client.clone());
    let list = match api.list(&ListParams::default()).await {
        Ok(l) => l,
        // A cluster without the scheduling API: no classes.
        Err(kube::Error::Api(s)) if s.code == 404 => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(list
        .items
        .into_iter()
        .map(|pc| PriorityClassEntry {
            name: pc.metadata.name.unwrap_or_default(),
            value: pc.value.unwrap_or(0),
            global_default: pc.global_default.unwrap_or(false),
            preemption_policy: pc.preemption_policy,
        })
        .collect())
}

/// Reads the cordon ConfigMap (absent = not cordoned).
pub async fn read_cordon_with(client: &Client) -> Result<CordonState, MemberError> {
    let api: Api<ConfigMap> = Api::namespaced(client.clone(), state::MEMBER_NAMESPACE);
    match api.get_opt(state::MEMBER_CONFIGMAP).await {
        Ok(Some(cm)) => Ok(CordonState::from_data(&cm.data.unwrap_or_default())),
        Ok(None) => Ok(CordonState::default()),
        // No kube-system or no access: treat as not cordoned only when the object is absent.
        Err(e) => Err(e.into()),
    }
}
