//! Fleet-wide read views for `get -M`, `get pods -M`, `get nodes -M` and `clusters`: plain
//! rows with a CLUSTER column, returned as data (the CLI formats them). Unreachable members
//! become entries of `errors`, never a failure of the whole view.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams};
use serde::Serialize;

use super::error::MemberError;
use super::membership::Fleet;
use super::read::{self, DeploymentState, ReadOptions};
use super::state;

/// Rows from every member plus the members that failed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetView<T> {
    pub rows: Vec<T>,
    /// `(cluster, one-line error)` of members that could not be read.
    pub errors: Vec<MemberFailure>,
}

impl<T> Default for FleetView<T> {
    fn default() -> Self {
        FleetView {
            rows: Vec::new(),
            errors: Vec::new(),
        }
    }
}

/// A member that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberFailure {
    pub cluster: String,
    pub error: String,
    pub unreachable: bool,
}

fn failure(cluster: &str, e: &MemberError) -> MemberFailure {
    MemberFailure {
        cluster: cluster.to_string(),
        error: e.to_string(),
        unreachable: e.is_unreachable(),
    }
}

/// How a member copy came to be managed (the ADOPTION column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Adoption {
    /// Created by kubectl-fleet: `N`.
    Created,
    /// Existed and was adopted (conflictResolution Overwrite): `Y`.
    Adopted,
    /// Not managed by kubectl-fleet: `-`.
    Unmanaged,
}

impl Adoption {
    pub fn as_str(&self) -> &'static str {
        match self {
            Adoption::Created => "N",
            Adoption::Adopted => "Y",
            Adoption::Unmanaged => "-",
        }
    }
}

/// One member copy of a Deployment (`get deploy -M`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberDeploymentRow {
    pub namespace: String,
    pub name: String,
    pub cluster: String,
    /// `spec.replicas` of the copy (wide: DESIRED).
    pub desired: i32,
    pub ready: i32,
    pub up_to_date: i32,
    pub available: i32,
    pub pending: i32,
    pub created: Option<Timestamp>,
    pub adoption: Adoption,
    /// Priority group recorded by kubectl-fleet (wide: GROUP).
    pub group: Option<String>,
    pub images: Vec<String>,
    /// Fleet-wide total recorded on the copy.
    pub total_replicas: Option<u32>,
    /// `fleet.kubectl.dev/generation` of the copy (GENERATION).
    pub generation: Option<u64>,
    /// A rollout's `<name>-canary` copy: the Deployment it is a canary of (its counts are
    /// part of that Deployment's member row and totals).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canary_of: Option<String>,
    /// `fleet.kubectl.dev/spec-hash` of the copy.
    #[serde(skip)]
    pub spec_hash: Option<String>,
    /// Fleet revision of the template this copy runs (`-o wide`, `describe`; from the
    /// rollout record, see [`super::rollout::add_revisions`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// Available replicas of this copy on the fleet's current revision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<u32>,
    /// Placement recorded on the copy (torn detection).
    #[serde(skip)]
    pub placement: Option<BTreeMap<String, u32>>,
    /// The copy as read from the member (`get deploy -o yaml|json`, `describe`).
    #[serde(skip)]
    pub object: Box<Deployment>,
}

/// Fleet totals of one Deployment (the total row, and `get deploy` without -M).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentTotals {
    pub namespace: String,
    pub name: String,
    /// Members with a copy.
    pub clusters: Vec<String>,
    /// Recorded fleet-wide total (managed), else Σ desired.
    pub replicas: u32,
    pub desired: i32,
    pub ready: i32,
    pub up_to_date: i32,
    pub available: i32,
    pub pending: i32,
    /// Oldest copy.
    pub created: Option<Timestamp>,
    pub managed: bool,
    /// The generation every managed copy records (None when they disagree or have none).
    pub generation: Option<u64>,
    /// The managed copies disagree: what each says (docs/state.md, "Torn fleets").
    pub torn: Option<String>,
    /// The fleet's current revision and rollout (from the rollout record, when read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutSummary>,
}

/// Where a workload's rollout is (`get deploy -o wide`, `describe`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSummary {
    /// The revision being rolled out (or the current one when complete).
    pub revision: u64,
    pub stable_revision: u64,
    /// 1-based step and number of steps while a rollout runs (None when complete).
    pub step: Option<(usize, usize)>,
    pub paused: bool,
    /// Available replicas on `revision`, fleet-wide.
    pub updated: u32,
}

impl RolloutSummary {
    /// `2`, or `1->2 step 1/2` (`, paused`) during a rollout.
    pub fn cell(&self) -> String {
        match self.step {
            None => self.revision.to_string(),
            Some((step, steps)) => format!(
                "{}->{} step {step}/{steps}{}",
                self.stable_revision,
                self.revision,
                if self.paused { " paused" } else { "" }
            ),
        }
    }
}

/// `get deploy [-M]`.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentsView {
    pub rows: Vec<MemberDeploymentRow>,
    pub totals: Vec<DeploymentTotals>,
    pub errors: Vec<MemberFailure>,
}

/// Per-member Deployment rows and fleet totals; `namespace` None = all namespaces.
pub async fn get_deployments(
    fleet: &Fleet,
    namespace: Option<&str>,
    name: Option<&str>,
) -> DeploymentsView {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let list: Vec<Deployment> = match name {
                Some(n) => {
                    let ns = namespace.unwrap_or(&m.namespace);
                    let api: Api<Deployment> = Api::namespaced(client.clone(), ns);
                    let mut out: Vec<Deployment> = api
                        .get_opt(n)
                        .await
                        .map_err(MemberError::from)?
                        .into_iter()
                        .collect();
                    // A rollout's canary copy belongs to the row of its Deployment.
                    let canary = api
                        .get_opt(&super::rollout::canary_name(n))
                        .await
                        .map_err(MemberError::from)?
                        .filter(|d| canary_of(d).as_deref() == Some(n));
                    out.extend(canary);
                    out
                }
                None => read::list_deployments(&client, namespace, None, 500).await?,
            };
            let mut states: Vec<DeploymentState> = list
                .into_iter()
                .map(DeploymentState::from_deployment)
                .collect();
            // Pending pods per copy: list the pods of each copy's selector (cheap for few copies).
            for d in states.iter_mut() {
                let sel = d.match_labels();
                if sel.is_empty() {
                    continue;
                }
                let selector: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
                let api: Api<Pod> = Api::namespaced(client.clone(), &d.namespace);
                let lp = ListParams::default()
                    .labels(&selector.join(","))
                    .fields("status.phase=Pending");
                if let Ok(pods) = api.list(&lp).await {
                    d.pending = pods
                        .items
                        .iter()
                        .filter(|p| {
                            p.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Pending")
                        })
                        .count() as i32;
                }
            }
            Ok(states)
        })
        .await;
    let mut view = DeploymentsView::default();
    for (cluster, r) in results {
        match r {
            Ok(states) => {
                for d in states {
                    let object = Box::new(d.object.clone());
                    view.rows.push(MemberDeploymentRow {
                        canary_of: canary_of(&object),
                        spec_hash: d.spec_hash.clone(),
                        revision: None,
                        updated: None,
                        object,
                        adoption: if !d.managed {
                            Adoption::Unmanaged
                        } else if d.adopted {
                            Adoption::Adopted
                        } else {
                            Adoption::Created
                        },
                        namespace: d.namespace,
                        name: d.name,
                        cluster: cluster.clone(),
                        desired: d.replicas,
                        ready: d.ready,
                        up_to_date: d.updated,
                        available: d.available,
                        pending: d.pending,
                        created: d.created.map(|t| t.0),
                        group: d.group,
                        images: d.images,
                        total_replicas: d.total_replicas,
                        generation: d.generation,
                        placement: d.placement,
                    });
                }
            }
            Err(e) => view.errors.push(failure(&cluster, &e)),
        }
    }
    view.rows.sort_by(|a, b| {
        (&a.namespace, &a.name, &a.cluster).cmp(&(&b.namespace, &b.name, &b.cluster))
    });
    let mut totals: BTreeMap<(String, String), DeploymentTotals> = BTreeMap::new();
    for r in &view.rows {
        // A canary copy counts in its Deployment's totals.
        let name = r.canary_of.clone().unwrap_or_else(|| r.name.clone());
        let t = totals
            .entry((r.namespace.clone(), name.clone()))
            .or_insert_with(|| DeploymentTotals {
                namespace: r.namespace.clone(),
                name,
                clusters: Vec::new(),
                replicas: 0,
                desired: 0,
                ready: 0,
                up_to_date: 0,
                available: 0,
                pending: 0,
                created: None,
                managed: false,
                generation: None,
                torn: None,
                rollout: None,
            });
        if r.canary_of.is_none() {
            t.clusters.push(r.cluster.clone());
        }
        t.desired += r.desired;
        t.ready += r.ready;
        t.up_to_date += r.up_to_date;
        t.available += r.available;
        t.pending += r.pending;
        if r.adoption != Adoption::Unmanaged {
            t.managed = true;
            if let Some(total) = r.total_replicas {
                t.replicas = t.replicas.max(total);
            }
        }
        t.created = match (t.created, r.created) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    view.totals = totals
        .into_values()
        .map(|mut t| {
            if t.replicas == 0 {
                t.replicas = t.desired.max(0) as u32;
            }
            let copies: Vec<super::torn::CopyRecord> = view
                .rows
                .iter()
                .filter(|r| {
                    r.namespace == t.namespace
                        && r.name == t.name
                        && r.canary_of.is_none()
                        && r.adoption != Adoption::Unmanaged
                })
                .map(|r| super::torn::CopyRecord {
                    cluster: r.cluster.clone(),
                    generation: r.generation.unwrap_or(0),
                    total: r.total_replicas,
                    placement: r.placement.clone(),
                })
                .collect();
            t.torn = super::torn::detect(&copies).map(|x| x.describe());
            if t.torn.is_none() {
                t.generation = copies.first().map(|c| c.generation).filter(|g| *g > 0);
            }
            t
        })
        .collect();
    view
}

/// The Deployment a managed canary copy is a canary of (label `fleet.kubectl.dev/canary-of`).
pub fn canary_of(d: &Deployment) -> Option<String> {
    let labels = d.metadata.labels.as_ref()?;
    if labels.get(state::MANAGED_BY_LABEL).map(String::as_str) != Some(state::MANAGED_BY_VALUE) {
        return None;
    }
    labels.get(super::rollout::LABEL_CANARY_OF).cloned()
}

/// One pod (`get pods -M`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodRow {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// Ready containers.
    pub ready: u32,
    pub containers: u32,
    /// kubectl's STATUS (phase, or the waiting reason / Terminating).
    pub status: String,
    pub restarts: i32,
    pub created: Option<Timestamp>,
    pub node: Option<String>,
    pub ip: Option<String>,
}

/// Pods of every member; `namespace` None = all namespaces.
pub async fn get_pods(
    fleet: &Fleet,
    namespace: Option<&str>,
    label_selector: Option<&str>,
) -> FleetView<PodRow> {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let api: Api<Pod> = match namespace {
                Some(ns) => Api::namespaced(client, ns),
                None => Api::all(client),
            };
            list_rows(&api, label_selector, |p| pod_row(&m.name, p)).await
        })
        .await;
    let mut view = FleetView::default();
    for (cluster, r) in results {
        match r {
            Ok(mut rows) => view.rows.append(&mut rows),
            Err(e) => view.errors.push(failure(&cluster, &e)),
        }
    }
    view.rows.sort_by(|a, b| {
        (&a.namespace, &a.name, &a.cluster).cmp(&(&b.namespace, &b.name, &b.cluster))
    });
    view
}

fn pod_row(cluster: &str, p: &Pod) -> PodRow {
    let status = p.status.clone().unwrap_or_default();
    let cs = status.container_statuses.clone().unwrap_or_default();
    let containers = p.spec.as_ref().map_or(0, |s| s.containers.len()) as u32;
    let waiting = cs.iter().find_map(|c| {
        c.state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
    });
    let shown = if p.metadata.deletion_timestamp.is_some() {
        "Terminating".to_string()
    } else if let Some(w) = waiting {
        w
    } else {
        status.phase.clone().unwrap_or_else(|| "Unknown".into())
    };
    PodRow {
        cluster: cluster.to_string(),
        namespace: p.metadata.namespace.clone().unwrap_or_default(),
        name: p.metadata.name.clone().unwrap_or_default(),
        ready: cs.iter().filter(|c| c.ready).count() as u32,
        containers,
        status: shown,
        restarts: cs.iter().map(|c| c.restart_count).sum(),
        created: p.metadata.creation_timestamp.clone().map(|t| t.0),
        node: p.spec.as_ref().and_then(|s| s.node_name.clone()),
        ip: status.pod_ip,
    }
}

/// One node (`get nodes -M`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeRow {
    pub cluster: String,
    pub name: String,
    /// `Ready`, `NotReady`, with `,SchedulingDisabled` when cordoned (like kubectl).
    pub status: String,
    pub roles: Vec<String>,
    pub created: Option<Timestamp>,
    pub version: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// Allocatable quantities as the node reports them.
    pub allocatable: BTreeMap<String, String>,
}

/// Lists one member's objects page by page (500 at a time) and maps each to a row.
async fn list_rows<K, T>(
    api: &Api<K>,
    label_selector: Option<&str>,
    row: impl Fn(&K) -> T,
) -> Result<Vec<T>, MemberError>
where
    K: kube::Resource + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let mut lp = ListParams::default().limit(500);
    if let Some(s) = label_selector {
        lp = lp.labels(s);
    }
    let mut rows = Vec::new();
    loop {
        let page = api.list(&lp).await.map_err(MemberError::from)?;
        rows.extend(page.items.iter().map(&row));
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(c) => lp = lp.continue_token(&c),
            None => return Ok(rows),
        }
    }
}

/// Nodes of every member.
pub async fn get_nodes(fleet: &Fleet, label_selector: Option<&str>) -> FleetView<NodeRow> {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let api: Api<Node> = Api::all(client);
            list_rows(&api, label_selector, |n| node_row(&m.name, n)).await
        })
        .await;
    let mut view = FleetView::default();
    for (cluster, r) in results {
        match r {
            Ok(mut rows) => view.rows.append(&mut rows),
            Err(e) => view.errors.push(failure(&cluster, &e)),
        }
    }
    view.rows
        .sort_by(|a, b| (&a.cluster, &a.name).cmp(&(&b.cluster, &b.name)));
    view
}

fn node_row(cluster: &str, n: &Node) -> NodeRow {
    let labels = n.metadata.labels.clone().unwrap_or_default();
    let status = n.status.clone().unwrap_or_default();
    let ready = status
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    let mut shown = if ready { "Ready" } else { "NotReady" }.to_string();
    if n.spec
        .as_ref()
        .and_then(|s| s.unschedulable)
        .unwrap_or(false)
    {
        shown.push_str(",SchedulingDisabled");
    }
    let mut roles: Vec<String> = labels
        .keys()
        .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .collect();
    roles.sort();
    NodeRow {
        cluster: cluster.to_string(),
        name: n.metadata.name.clone().unwrap_or_default(),
        status: shown,
        roles,
        created: n.metadata.creation_timestamp.clone().map(|t| t.0),
        version: status.node_info.as_ref().map(|i| i.kubelet_version.clone()),
        allocatable: status
            .allocatable
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, v.0))
            .collect(),
        labels,
    }
}

/// Allocated (requested by active pods) and total (allocatable of Ready nodes) of one resource,
/// in milli-units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub allocated: i64,
    pub total: i64,
}

/// One member (`clusters`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    pub name: String,
    pub context: String,
    pub server: Option<String>,
    pub version: Option<String>,
    /// The member answered.
    pub ready: bool,
    pub nodes_ready: u32,
    pub nodes: u32,
    pub gpu: Usage,
    pub cpu: Usage,
    pub memory: Usage,
    pub cordoned: bool,
    pub cordon_reason: Option<String>,
    pub labels: BTreeMap<String, String>,
    /// Elastic pools (name, addable nodes).
    pub pools: Vec<(String, u32)>,
    /// Why the member is not ready.
    pub error: Option<String>,
    pub warnings: Vec<String>,
}

/// GPU resource names summed in the GPU column.
pub const GPU_RESOURCES: &[&str] = &["nvidia.com/gpu", "amd.com/gpu"];

/// Rows for `kubectl fleet clusters`.
pub async fn clusters(fleet: &Fleet) -> Vec<ClusterRow> {
    let opts = ReadOptions {
        deployments: false,
        ..Default::default()
    };
    let snaps = read::read_snapshots(fleet, &opts).await;
    let mut rows = Vec::new();
    for (m, s) in fleet.members.iter().zip(snaps) {
        let mut row = ClusterRow {
            name: m.name.clone(),
            context: m.context.clone(),
            server: m.server.clone(),
            version: None,
            ready: false,
            nodes_ready: 0,
            nodes: 0,
            gpu: Usage::default(),
            cpu: Usage::default(),
            memory: Usage::default(),
            cordoned: false,
            cordon_reason: None,
            labels: m.labels.clone(),
            pools: Vec::new(),
            error: None,
            warnings: Vec::new(),
        };
        match s.result {
            Err(e) => row.error = Some(e.to_string()),
            Ok(st) => {
                row.ready = true;
                row.version = st.version.clone();
                row.cordoned = st.cordon.cordoned;
                row.cordon_reason = st.cordon.reason.clone();
                row.labels = st.labels.clone();
                row.warnings = st.warnings.clone();
                row.nodes = st.snapshot.nodes.len() as u32;
                let mut ready_nodes = std::collections::BTreeSet::new();
                for n in &st.snapshot.nodes {
                    if n.ready {
                        row.nodes_ready += 1;
                        ready_nodes.insert(n.name.as_str());
                        row.cpu.total += n.allocatable.get("cpu");
                        row.memory.total += n.allocatable.get("memory");
                        row.gpu.total += GPU_RESOURCES
                            .iter()
                            .map(|g| n.allocatable.get(g))
                            .sum::<i64>();
                    }
                }
                for p in &st.snapshot.pods {
                    if p.phase.is_terminal() {
                        continue;
                    }
                    if !p
                        .node_name
                        .as_deref()
                        .is_some_and(|n| ready_nodes.contains(n))
                    {
                        continue;
                    }
                    row.cpu.allocated += p.requests.get("cpu");
                    row.memory.allocated += p.requests.get("memory");
                    row.gpu.allocated +=
                        GPU_RESOURCES.iter().map(|g| p.requests.get(g)).sum::<i64>();
                }
                row.pools = st
                    .snapshot
                    .pools
                    .iter()
                    .map(|p| (p.name.clone(), p.addable_nodes()))
                    .collect();
            }
        }
        rows.push(row);
    }
    rows
}

/// Whether a Deployment copy is managed (label check on a raw object).
pub fn is_managed(d: &Deployment) -> bool {
    d.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(state::MANAGED_BY_LABEL))
        .map(String::as_str)
        == Some(state::MANAGED_BY_VALUE)
}
