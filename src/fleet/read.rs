//! Concurrent reads of every member: nodes, pods (paginated, lean), priority classes,
//! Deployments, cordon state, server version, capacity-provider pools and DaemonSets.
//!
//! Pods are listed page by page (`limit` + `continue`) into a minimal struct that keeps only
//! what the capacity estimator and the views need, so a member with 60,000 pods costs a few
//! tens of MiB, not the full objects.

use std::collections::{BTreeMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{ConfigMap, Container, PodSpec, ResourceRequirements};
use k8s_openapi::api::scheduling::v1::PriorityClass;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, ListParams};
use kube::Client;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::error::MemberError;
use super::fleetfile::PoolSpec;
use super::membership::{Fleet, Member};
use super::state::{self, CordonState};
use crate::capacity::requirements::effective_requests;
use crate::capacity::{
    CapacityError, ClusterSnapshot, DaemonSetSnapshot, NodePool, NodeSnapshot, PodPhase,
    PodRequirements, PodSnapshot, PriorityClassInfo, Resources, Taint, TaintEffect,
};

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
    /// Nodes, pods (only when [`ReadOptions::pods`]), priority classes and elastic pools, in
    /// the estimator's terms.
    pub snapshot: ClusterSnapshot,
    /// Elastic node pools as the capacity providers reported them.
    pub pools: Vec<PoolSpec>,
    /// Deployments of the member (managed and unmanaged).
    pub deployments: Vec<DeploymentState>,
    /// Non-fatal problems (a capacity provider failed, a pod with a bad quantity, ...).
    pub warnings: Vec<String>,
}

impl MemberState {
    /// The Deployment `namespace/name` of this member, if any.
    pub fn deployment(&self, namespace: &str, name: &str) -> Option<&DeploymentState> {
        self.deployments
            .iter()
            .find(|d| d.namespace == namespace && d.name == name)
    }
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
    /// `fleet.kubectl.dev/generation` (the write lock's generation of the last write).
    pub generation: Option<u64>,
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
            // Canary copies of a rollout belong to their Deployment, not a workload of their own.
            managed: labels.get(state::MANAGED_BY_LABEL).map(String::as_str)
                == Some(state::MANAGED_BY_VALUE)
                && !labels.contains_key(super::rollout::LABEL_CANARY_OF),
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
            generation: ann.get(state::ANN_GENERATION).and_then(|g| g.parse().ok()),
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
    let (nodes, pods, pcs, deployments, cordon, daemonsets) = futures::try_join!(
        list_nodes(&client, opts.page_size),
        async {
            if opts.pods {
                list_pods(&client, None, opts.page_size).await
            } else {
                Ok((Vec::new(), Vec::new()))
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
        async {
            if opts.providers {
                list_daemonsets(&client).await
            } else {
                Ok((Vec::new(), Vec::new()))
            }
        },
    )?;
    let (nodes, mut warnings) = nodes;
    let (daemonsets, mut ds_warnings) = daemonsets;
    warnings.append(&mut ds_warnings);
    let (pods, mut pod_warnings) = pods;
    warnings.append(&mut pod_warnings);
    let mut deployments: Vec<DeploymentState> = deployments
        .into_iter()
        .map(DeploymentState::from_deployment)
        .collect();
    if opts.pods {
        count_pending(&mut deployments, &pods);
    }
    let pools = if opts.providers {
        super::providers::collect_pools(member, &client, &mut warnings).await
    } else {
        Vec::new()
    };
    let mut node_pools = Vec::new();
    for p in &pools {
        match node_pool(p) {
            Ok(np) => node_pools.push(np),
            Err(e) => warnings.push(format!(
                "{}: node pool {}: {e}; counted as no elastic capacity",
                member.name, p.name
            )),
        }
    }
    let labels = member_labels(member, &nodes);
    Ok(MemberState {
        version: Some(version.git_version),
        cordon,
        labels,
        snapshot: ClusterSnapshot {
            nodes,
            pods,
            priority_classes: pcs,
            pools: node_pools,
            daemonsets,
        },
        pools,
        deployments,
        warnings,
    })
}

/// Converts a provider's pool into the estimator's [`NodePool`] (no inventory = maxNodes).
pub fn node_pool(p: &PoolSpec) -> Result<NodePool, CapacityError> {
    let allocatable = Resources::parse(p.allocatable.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| e.with_field_prefix("allocatable"))?;
    let mut taints = Vec::new();
    for t in &p.taints {
        let effect: TaintEffect = t.effect.parse()?;
        taints.push(Taint::new(
            t.key.clone(),
            t.value.clone().unwrap_or_default(),
            effect,
        ));
    }
    Ok(NodePool {
        name: p.name.clone(),
        allocatable,
        labels: p.labels.clone(),
        taints,
        max_nodes: p.max_nodes,
        // Nodes still provisioning are not Ready (no idle room yet): count them as room the
        // pool can still add, so replicas waiting for them are not moved elsewhere.
        current_nodes: p.current_nodes.saturating_sub(p.provisioning_nodes),
        inventory: p
            .inventory
            .map_or(p.max_nodes, |i| i.saturating_add(p.provisioning_nodes)),
    })
}

/// Member labels = configured labels + node-derived ones that are absent: a key of
/// [`DERIVED_LABELS`] that every node carries with the same value becomes a member label;
/// `topology.kubernetes.io/region` / `zone` also give the short `region` / `zone`.
pub fn member_labels(member: &Member, nodes: &[NodeSnapshot]) -> BTreeMap<String, String> {
    let mut labels = member.labels.clone();
    for key in DERIVED_LABELS {
        let Some(first) = nodes.first().and_then(|n| n.labels.get(*key)) else {
            continue;
        };
        if nodes.iter().all(|n| n.labels.get(*key) == Some(first)) {
            labels
                .entry(key.to_string())
                .or_insert_with(|| first.clone());
            if let Some(short) = key.strip_prefix("topology.kubernetes.io/") {
                labels
                    .entry(short.to_string())
                    .or_insert_with(|| first.clone());
            }
        }
    }
    labels
}

/// Node labels that become member labels when all nodes agree.
pub const DERIVED_LABELS: &[&str] = &[
    "topology.kubernetes.io/region",
    "topology.kubernetes.io/zone",
    "region",
    "zone",
    "provider",
];

/// Fills `pending` of every Deployment: Pending pods of its namespace matching its selector.
fn count_pending(deployments: &mut [DeploymentState], pods: &[PodSnapshot]) {
    for d in deployments.iter_mut() {
        let sel = d.match_labels();
        if sel.is_empty() {
            continue;
        }
        d.pending = pods
            .iter()
            .filter(|p| {
                p.phase == PodPhase::Pending
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
    taints: Option<Vec<k8s_openapi::api::core::v1::Taint>>,
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
    resources: Option<ResourceRequirements>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ContainerWire {
    resources: Option<ResourceRequirements>,
    restart_policy: Option<String>,
}

impl ContainerWire {
    fn into_container(self) -> Container {
        Container {
            resources: self.resources,
            restart_policy: self.restart_policy,
            ..Default::default()
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PodStatusWire {
    phase: Option<String>,
}

/// Lists nodes into estimator snapshots; nodes that do not convert are skipped with a warning.
pub async fn list_nodes(
    client: &Client,
    page_size: u32,
) -> Result<(Vec<NodeSnapshot>, Vec<String>), MemberError> {
    let mut warnings = Vec::new();
    let nodes = list_paged(
        client,
        "/api/v1/nodes",
        ListParams::default(),
        page_size,
        |n: NodeWire| {
            let name = n.metadata.name;
            let ready = n
                .status
                .conditions
                .unwrap_or_default()
                .iter()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            let converted = (|| -> Result<NodeSnapshot, CapacityError> {
                let mut taints = Vec::new();
                for (i, t) in n.spec.taints.unwrap_or_default().iter().enumerate() {
                    taints.push(
                        Taint::from_k8s(t)
                            .map_err(|e| e.with_field_prefix(&format!("spec.taints[{i}]")))?,
                    );
                }
                Ok(NodeSnapshot {
                    name: name.clone(),
                    labels: n.metadata.labels.unwrap_or_default(),
                    taints,
                    allocatable: Resources::from_k8s_at(
                        &n.status.allocatable.unwrap_or_default(),
                        "status.allocatable",
                    )?,
                    ready,
                    unschedulable: n.spec.unschedulable.unwrap_or(false),
                })
            })();
            match converted {
                Ok(node) => Some(node),
                Err(e) => {
                    warnings.push(format!("node {name}: {e}; skipped"));
                    None
                }
            }
        },
    )
    .await?;
    Ok((nodes, warnings))
}

/// Lists pods into estimator snapshots, all namespaces or one; pods whose quantities do not
/// parse are skipped with a warning (at most 5 listed).
pub async fn list_pods(
    client: &Client,
    namespace: Option<&str>,
    page_size: u32,
) -> Result<(Vec<PodSnapshot>, Vec<String>), MemberError> {
    let path = match namespace {
        Some(ns) => format!("/api/v1/namespaces/{ns}/pods"),
        None => "/api/v1/pods".to_string(),
    };
    let mut warnings = Vec::new();
    let mut bad = 0usize;
    // Replicas of one ReplicaSet carry the same labels and requests: keep one copy of each.
    let mut label_sets: Interner<BTreeMap<String, String>> = Interner::default();
    let mut request_sets: Interner<Resources> = Interner::default();
    let pods = list_paged(
        client,
        &path,
        ListParams::default(),
        page_size,
        |p: PodWire| {
            let namespace = p.metadata.namespace.unwrap_or_default();
            let name = p.metadata.name;
            let spec = PodSpec {
                containers: p
                    .spec
                    .containers
                    .into_iter()
                    .map(ContainerWire::into_container)
                    .collect(),
                init_containers: p
                    .spec
                    .init_containers
                    .map(|c| c.into_iter().map(ContainerWire::into_container).collect()),
                overhead: p.spec.overhead,
                resources: p.spec.resources,
                ..Default::default()
            };
            match effective_requests(&spec) {
                Ok(requests) => Some(PodSnapshot {
                    namespace,
                    name,
                    node_name: p.spec.node_name.filter(|n| !n.is_empty()),
                    phase: PodPhase::parse(p.status.phase.as_deref()),
                    requests: request_sets.intern(requests),
                    priority: p.spec.priority.unwrap_or(0),
                    labels: label_sets.intern(p.metadata.labels.unwrap_or_default()),
                    owner: None,
                }),
                Err(e) => {
                    bad += 1;
                    if bad <= 5 {
                        warnings.push(format!("pod {namespace}/{name}: {e}; not counted"));
                    }
                    None
                }
            }
        },
    )
    .await?;
    if bad > 5 {
        warnings.push(format!(
            "{} more pods with invalid quantities not counted",
            bad - 5
        ));
    }
    Ok((pods, warnings))
}

/// One shared copy per distinct value (for the many identical label sets and requests of a
/// member's pods; a 60,000-pod member has a few hundred distinct ones).
struct Interner<T>(HashSet<Arc<T>>);

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner(HashSet::new())
    }
}

impl<T: Eq + Hash> Interner<T> {
    fn intern(&mut self, value: T) -> Arc<T> {
        if let Some(shared) = self.0.get(&value) {
            return shared.clone();
        }
        let shared = Arc::new(value);
        self.0.insert(shared.clone());
        shared
    }
}

/// GET a JSON path of a member's API (aggregated metrics APIs have no typed client).
pub async fn get_json(client: &Client, path: &str) -> Result<serde_json::Value, kube::Error> {
    let req = http::Request::get(path)
        .body(Vec::new())
        .map_err(kube::Error::HttpError)?;
    client.request::<serde_json::Value>(req).await
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
pub async fn list_priority_classes(client: &Client) -> Result<Vec<PriorityClassInfo>, MemberError> {
    let api: Api<PriorityClass> = Api::all(client.clone());
    let list = match api.list(&ListParams::default()).await {
        Ok(l) => l,
        // A cluster without the scheduling API: no classes.
        Err(kube::Error::Api(s)) if s.code == 404 => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    Ok(list
        .items
        .iter()
        .filter_map(|pc| PriorityClassInfo::from_priority_class(pc).ok())
        .collect())
}

/// Lists the DaemonSets (what a new pool node runs before any replica), with warnings for
/// those whose pod template does not convert (they are left out).
pub async fn list_daemonsets(
    client: &Client,
) -> Result<(Vec<DaemonSetSnapshot>, Vec<String>), MemberError> {
    let api: Api<DaemonSet> = Api::all(client.clone());
    let list = api
        .list(&ListParams::default())
        .await
        .map_err(MemberError::from)?;
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for ds in list.items {
        let namespace = ds.metadata.namespace.clone().unwrap_or_default();
        let name = ds.metadata.name.clone().unwrap_or_default();
        let Some(spec) = ds.spec.template.spec else {
            continue;
        };
        match PodRequirements::from_pod_spec(&spec) {
            Ok(pod) => out.push(DaemonSetSnapshot {
                namespace,
                name,
                pod,
            }),
            Err(e) => warnings.push(format!(
                "daemonset {namespace}/{name}: {e}; not counted on new pool nodes"
            )),
        }
    }
    Ok((out, warnings))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_keeps_one_copy_per_distinct_value() {
        let mut labels: Interner<BTreeMap<String, String>> = Interner::default();
        let set = |v: &str| BTreeMap::from([("app".to_string(), v.to_string())]);
        let a = labels.intern(set("web"));
        let b = labels.intern(set("web"));
        let c = labels.intern(set("db"));
        assert!(Arc::ptr_eq(&a, &b), "equal label sets share one copy");
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(*c, set("db"));
        assert_eq!(labels.0.len(), 2);
    }
}
