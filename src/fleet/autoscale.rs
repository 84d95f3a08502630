//! Fleet autoscalers in the members (docs/state.md, "Fleet autoscalers"): every reachable
//! member holds ConfigMap `<namespace>/kubectl-fleet-hpa-<name>` with the autoscaler's document
//! and its state (recommendations, scale events, conditions, metrics), so any machine and any
//! reconciler replica sees the same autoscaler and a restart keeps the stabilization windows.
//! No HorizontalPodAutoscaler object is ever created in a member (it would fight the division).

use std::collections::BTreeMap;

use futures::StreamExt;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams, PostParams};
use serde_json::{json, Value};

use super::apply::DryRun;
use super::error::{FleetError, MemberError};
use super::membership::Fleet;
use super::read::get_json;
use super::read::MemberSnapshot;
use super::selector::query_pair;
use super::state;
use super::Inputs;
use crate::autoscale::{AutoscalerKind, AutoscalerSpec, AutoscalerState};
use crate::policy::{parse_documents, AutoscalerDocument, Document};

/// Name prefix of the autoscaler ConfigMaps.
pub const CONFIGMAP_PREFIX: &str = "kubectl-fleet-hpa-";
/// Label: the autoscaler's name.
pub const LABEL_AUTOSCALER: &str = "fleet.kubectl.dev/autoscaler";
/// Label: the target Deployment's name.
pub const LABEL_TARGET: &str = "fleet.kubectl.dev/autoscaler-target";
/// Data key: the autoscaler document (apiVersion, kind, metadata, spec) as JSON.
pub const KEY_SPEC: &str = "autoscaler.json";
/// Data key: the state as JSON.
pub const KEY_STATE: &str = "state.json";
/// Data key: the spec's revision, raised by every write of the document (`apply -f`,
/// `autoscale`); readers take the document of the member copy with the highest.
pub const KEY_REVISION: &str = "revision";
/// Data key: the state's revision, raised by every state write of a reconcile pass; readers
/// take the state of the member copy with the highest.
pub const KEY_STATE_REVISION: &str = "state-revision";

/// The ConfigMap name of autoscaler `name`.
pub fn configmap_name(name: &str) -> String {
    format!("{CONFIGMAP_PREFIX}{name}")
}

/// An autoscaler as stored in the members: the newest document and the newest state (each
/// picked by its own revision, see [`merge`]).
#[derive(Debug, Clone)]
pub struct StoredAutoscaler {
    pub spec: AutoscalerSpec,
    pub document: Value,
    pub state: AutoscalerState,
    /// Revision of the document ([`KEY_REVISION`]).
    pub revision: u64,
    /// Revision of the state ([`KEY_STATE_REVISION`]).
    pub state_revision: u64,
    /// `creationTimestamp` of the copy the document comes from (for AGE).
    pub created: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    /// Members holding a copy.
    pub members: Vec<String>,
    /// `metadata.resourceVersion` of each member's copy as read: the precondition of the
    /// state write, so that it never overwrites a newer document.
    pub versions: BTreeMap<String, String>,
}

/// Checks that every autoscaler targets a Deployment managed by kubectl-fleet: one of the input
/// Deployments or a managed copy in a member. Also refuses two autoscalers for one target.
pub fn validate_targets(inputs: &Inputs, snapshots: &[MemberSnapshot]) -> Result<(), FleetError> {
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    for a in &inputs.autoscalers {
        let s = &a.spec;
        let in_inputs = inputs.deployments.iter().any(|d| {
            d.metadata.name.as_deref() == Some(s.target.as_str())
                && d.metadata
                    .namespace
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("default")
                    == s.namespace
        });
        let managed = snapshots.iter().filter_map(MemberSnapshot::state).any(|m| {
            m.deployment(&s.namespace, &s.target)
                .is_some_and(|d| d.managed)
        });
        if !in_inputs && !managed {
            return Err(FleetError::Input(format!(
                "{}: spec.scaleTargetRef.name: Deployment {}/{} is not managed by kubectl-fleet (apply it with this command or check the namespace)",
                a.source, s.namespace, s.target
            )));
        }
        if let Some(other) = seen.insert((s.namespace.clone(), s.target.clone()), s.name.clone()) {
            if other != s.name {
                return Err(FleetError::Input(format!(
                    "{}: spec.scaleTargetRef.name: Deployment {}/{} already has autoscaler {other:?} in these inputs",
                    a.source, s.namespace, s.target
                )));
            }
        }
    }
    Ok(())
}

fn labels(spec: &AutoscalerSpec) -> Value {
    json!({
        state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE,
        LABEL_AUTOSCALER: spec.name,
        LABEL_TARGET: spec.target,
    })
}

/// The whole ConfigMap (for a member that has no copy yet).
fn body(
    spec: &AutoscalerSpec,
    document: &Value,
    state: &AutoscalerState,
    revision: u64,
    state_revision: u64,
) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": configmap_name(&spec.name),
            "namespace": spec.namespace,
            "labels": labels(spec),
        },
        "data": {
            KEY_SPEC: document.to_string(),
            KEY_STATE: serde_json::to_string(state).unwrap_or_default(),
            KEY_REVISION: revision.to_string(),
            KEY_STATE_REVISION: state_revision.to_string(),
        },
    })
}

fn is_status(e: &MemberError, code: u16) -> bool {
    matches!(e, MemberError::Api { code: c, .. } if *c == code)
}

/// Stores the autoscaler of `apply -f` / `autoscale` in every member: a member without a copy
/// gets the whole ConfigMap (with the newest state of the others, so a re-apply keeps the
/// stabilization windows); a member with a copy gets a merge patch of the document and its
/// revision only, never touching the state a reconcile pass may be writing at the same time.
/// With `DryRun::Client` nothing is sent.
pub async fn store(
    fleet: &Fleet,
    doc: &AutoscalerDocument,
    dry_run: DryRun,
) -> Vec<(String, Result<(), MemberError>)> {
    if dry_run == DryRun::Client {
        return fleet
            .members
            .iter()
            .map(|m| (m.name.clone(), Ok(())))
            .collect();
    }
    let (existing, _) = list(fleet, Some(&doc.spec.namespace)).await;
    let old = existing.into_iter().find(|a| a.spec.name == doc.spec.name);
    let (state, revision, state_revision) = match old {
        Some(a) => (a.state, a.revision + 1, a.state_revision),
        None => (AutoscalerState::default(), 1, 0),
    };
    let spec = &doc.spec;
    let full = body(spec, &doc.document, &state, revision, state_revision);
    let patch = json!({
        "metadata": {"labels": labels(spec)},
        "data": {
            KEY_SPEC: doc.document.to_string(),
            KEY_REVISION: revision.to_string(),
        },
    });
    let name = configmap_name(&spec.name);
    fleet
        .for_each(|m| {
            let (full, patch, name) = (full.clone(), patch.clone(), name.clone());
            let ns = spec.namespace.clone();
            async move {
                let api: Api<ConfigMap> = Api::namespaced(m.client().await?, &ns);
                let server = dry_run == DryRun::Server;
                if api.get_opt(&name).await?.is_none() {
                    let cm: ConfigMap = serde_json::from_value(full)
                        .map_err(|e| MemberError::Other(e.to_string()))?;
                    let pp = PostParams {
                        dry_run: server,
                        field_manager: Some(state::FIELD_MANAGER.to_string()),
                    };
                    match api.create(&pp, &cm).await.map_err(MemberError::from) {
                        Ok(_) => return Ok(()),
                        Err(e) if is_status(&e, 409) => {} // created meanwhile: patch it
                        Err(e) => return Err(e),
                    }
                }
                let mut pp = PatchParams {
                    field_manager: Some(state::FIELD_MANAGER.to_string()),
                    ..Default::default()
                };
                if server {
                    pp = pp.dry_run();
                }
                api.patch(&name, &pp, &Patch::Merge(&patch)).await?;
                Ok(())
            }
        })
        .await
}

/// What a state write did in one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateWrite {
    /// The state was written.
    Written,
    /// The member's copy already holds a newer state (another reconciler); left alone.
    Newer,
    /// The member holds no copy (deleted meanwhile, or never stored there); nothing created.
    Absent,
}

/// Writes the state of `stored` to every member holding a copy: a merge patch of the state keys
/// only, with the copy's resourceVersion as precondition. On a conflict (the document or state
/// changed since it was read) the copy is read again and the state written over it, unless the
/// copy meanwhile holds a newer state: a concurrent `apply -f` of a new spec is never lost, and
/// a concurrent `delete hpa` is never undone.
pub async fn write_state(
    fleet: &Fleet,
    stored: &StoredAutoscaler,
    state: &AutoscalerState,
    state_revision: u64,
) -> Vec<(String, Result<StateWrite, MemberError>)> {
    let spec = &stored.spec;
    let name = configmap_name(&spec.name);
    let state_text = serde_json::to_string(state).unwrap_or_default();
    fleet
        .for_each(|m| {
            let name = name.clone();
            let state_text = state_text.clone();
            let ns = spec.namespace.clone();
            let known = stored.versions.get(&m.name).cloned();
            async move {
                let Some(mut rv) = known else {
                    return Ok(StateWrite::Absent);
                };
                let api: Api<ConfigMap> = Api::namespaced(m.client().await?, &ns);
                let pp = PatchParams {
                    field_manager: Some(state::FIELD_MANAGER.to_string()),
                    ..Default::default()
                };
                for _ in 0..5 {
                    let patch = json!({
                        "metadata": {"resourceVersion": rv},
                        "data": {
                            KEY_STATE: state_text,
                            KEY_STATE_REVISION: state_revision.to_string(),
                        },
                    });
                    match api
                        .patch(&name, &pp, &Patch::Merge(&patch))
                        .await
                        .map_err(MemberError::from)
                    {
                        Ok(_) => return Ok(StateWrite::Written),
                        Err(e) if is_status(&e, 404) => return Ok(StateWrite::Absent),
                        Err(e) if is_status(&e, 409) => {
                            let Some(cm) = api.get_opt(&name).await? else {
                                return Ok(StateWrite::Absent);
                            };
                            let data = cm.data.clone().unwrap_or_default();
                            if copy_state_revision(&data) >= state_revision {
                                return Ok(StateWrite::Newer);
                            }
                            rv = cm.metadata.resource_version.clone().unwrap_or_default();
                        }
                        Err(e) => return Err(e),
                    }
                }
                Err(MemberError::Other(format!(
                    "configmap {name} kept changing: state not written"
                )))
            }
        })
        .await
}

fn copy_state_revision(data: &BTreeMap<String, String>) -> u64 {
    data.get(KEY_STATE_REVISION)
        .or_else(|| data.get(KEY_REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

/// Parses one stored ConfigMap.
pub fn from_configmap(cm: &ConfigMap, member: &str) -> Result<StoredAutoscaler, String> {
    let data = cm.data.clone().unwrap_or_default();
    let name = cm.metadata.name.clone().unwrap_or_default();
    let source = format!("{member}: configmap {name}");
    let text = data
        .get(KEY_SPEC)
        .ok_or_else(|| format!("{source}: no {KEY_SPEC}"))?;
    let docs = parse_documents(text, &source).map_err(|e| e.to_string())?;
    let doc = docs
        .into_iter()
        .find_map(|d| match d {
            Document::Autoscaler(a) => Some(*a),
            _ => None,
        })
        .ok_or_else(|| format!("{source}: no autoscaler document"))?;
    let state = match data.get(KEY_STATE) {
        Some(s) if !s.is_empty() => {
            serde_json::from_str(s).map_err(|e| format!("{source}: {KEY_STATE}: {e}"))?
        }
        _ => AutoscalerState::default(),
    };
    let mut versions = BTreeMap::new();
    if let Some(rv) = &cm.metadata.resource_version {
        versions.insert(member.to_string(), rv.clone());
    }
    Ok(StoredAutoscaler {
        spec: doc.spec,
        document: doc.document,
        state,
        revision: data
            .get(KEY_REVISION)
            .and_then(|r| r.parse().ok())
            .unwrap_or(0),
        state_revision: copy_state_revision(&data),
        created: cm.metadata.creation_timestamp.clone(),
        members: vec![member.to_string()],
        versions,
    })
}

/// Reads the autoscalers of every member (one namespace or all) and keeps, per autoscaler, the
/// newest document and the newest state. Members that could not be read come back as errors.
pub async fn list(
    fleet: &Fleet,
    namespace: Option<&str>,
) -> (Vec<StoredAutoscaler>, Vec<(String, String)>) {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let api: Api<ConfigMap> = match namespace {
                Some(ns) => Api::namespaced(client, ns),
                None => Api::all(client),
            };
            let lp = ListParams::default().labels(LABEL_AUTOSCALER);
            Ok(api.list(&lp).await?.items)
        })
        .await;
    merge(results)
}

/// Per autoscaler, the document of the copy with the highest [`KEY_REVISION`] and the state of
/// the copy with the highest [`KEY_STATE_REVISION`] across the members' ConfigMaps.
pub fn merge(
    results: Vec<(String, Result<Vec<ConfigMap>, MemberError>)>,
) -> (Vec<StoredAutoscaler>, Vec<(String, String)>) {
    let mut by_key: BTreeMap<(String, String), StoredAutoscaler> = BTreeMap::new();
    let mut errors = Vec::new();
    for (member, r) in results {
        match r {
            Err(e) => errors.push((member, e.to_string())),
            Ok(items) => {
                for cm in items {
                    if !cm
                        .metadata
                        .name
                        .as_deref()
                        .is_some_and(|n| n.starts_with(CONFIGMAP_PREFIX))
                    {
                        continue;
                    }
                    match from_configmap(&cm, &member) {
                        Err(e) => errors.push((member.clone(), e)),
                        Ok(a) => {
                            let key = (a.spec.namespace.clone(), a.spec.name.clone());
                            match by_key.get_mut(&key) {
                                Some(cur) => {
                                    cur.members.push(member.clone());
                                    cur.versions.extend(a.versions.clone());
                                    if a.state_revision > cur.state_revision {
                                        cur.state = a.state.clone();
                                        cur.state_revision = a.state_revision;
                                    }
                                    if a.revision > cur.revision {
                                        cur.spec = a.spec;
                                        cur.document = a.document;
                                        cur.revision = a.revision;
                                        cur.created = a.created;
                                    }
                                }
                                None => {
                                    by_key.insert(key, a);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    (by_key.into_values().collect(), errors)
}

/// Deletes autoscaler `namespace/name` from every member: per member the kind it was written
/// as, or `None` for a member without it. The target Deployment is not touched.
pub async fn delete(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    dry_run: DryRun,
) -> Vec<(String, Result<Option<AutoscalerKind>, MemberError>)> {
    let cm = configmap_name(name);
    fleet
        .for_each(|m| {
            let cm = cm.clone();
            async move {
                let api: Api<ConfigMap> = Api::namespaced(m.client().await?, namespace);
                let Some(found) = api.get_opt(&cm).await? else {
                    return Ok(None);
                };
                let kind = from_configmap(&found, &m.name)
                    .map(|a| a.spec.kind)
                    .unwrap_or(AutoscalerKind::HorizontalPodAutoscaler);
                if dry_run == DryRun::Client {
                    return Ok(Some(kind));
                }
                let mut dp = DeleteParams::default();
                if dry_run == DryRun::Server {
                    dp = dp.dry_run();
                }
                match api.delete(&cm, &dp).await.map_err(MemberError::from) {
                    Ok(_) => Ok(Some(kind)),
                    Err(e) if is_status(&e, 404) => Ok(None),
                    Err(e) => Err(e),
                }
            }
        })
        .await
}

// ---- evaluation (one reconcile pass) ----

use std::time::Duration;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Pod;

use crate::autoscale::{
    evaluate, ContainerInfo, ControllerConfig, Event, MetricSpec, MetricStatus, MetricTarget,
    Observation, PodInfo, PodPhase, ReadyCondition, UsageSample,
};
use crate::capacity::Resources;

/// What one member contributed to an evaluation.
#[derive(Debug, Clone, Default, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberMetrics {
    pub member: String,
    /// Replicas of the member's copy (`spec.replicas`), `None` without a copy.
    pub replicas: Option<u32>,
    pub ready: u32,
    /// Average utilization (percent of request) of the member's pods with metrics, per
    /// Resource/ContainerResource Utilization metric (aligned with `spec.metrics`).
    pub utilization: Vec<Option<i32>>,
    /// The member's own value of each metric (aligned with `spec.metrics`): the average over
    /// its Ready pods with samples, or the Object/External value it serves.
    pub values: Vec<Option<MetricStatus>>,
    /// The member could not be read at all.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreachable: bool,
    /// Why the member was left out, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<String>,
}

/// The outcome of evaluating one autoscaler.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub namespace: String,
    pub name: String,
    pub target: String,
    pub current: u32,
    pub desired: u32,
    pub rescaled: bool,
    /// Member copies of the target written by the rescale's apply (the state ConfigMaps are
    /// not counted).
    pub writes: usize,
    pub reason: String,
    pub events: Vec<Event>,
    pub errors: Vec<String>,
    /// Events recorded in the members: (member, reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recorded: Vec<(String, String)>,
    /// What the pass should say without failing (the target Deployment is gone: the
    /// controller sets `AbleToScale=False FailedGetScale` and carries on).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    pub members: Vec<MemberMetrics>,
}

fn ms(t: &k8s_openapi::apimachinery::pkg::apis::meta::v1::Time) -> i64 {
    t.0.as_millisecond()
}

fn parse_millis_rfc3339(s: &str) -> Option<i64> {
    s.parse::<k8s_openapi::jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

fn pod_info(member: usize, pod: &Pod) -> PodInfo {
    let status = pod.status.clone().unwrap_or_default();
    let ready = status
        .conditions
        .as_ref()
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"))
        .map(|c| ReadyCondition {
            ready: c.status == "True",
            last_transition: c.last_transition_time.as_ref().map(ms).unwrap_or(0),
        });
    let containers = pod
        .spec
        .as_ref()
        .map(|s| {
            s.containers
                .iter()
                .map(|c| ContainerInfo {
                    name: c.name.clone(),
                    requests: c
                        .resources
                        .as_ref()
                        .and_then(|r| r.requests.as_ref())
                        .and_then(|r| Resources::from_k8s(r).ok())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    PodInfo {
        member,
        name: pod.metadata.name.clone().unwrap_or_default(),
        phase: match status.phase.as_deref() {
            Some("Pending") => PodPhase::Pending,
            Some("Running") => PodPhase::Running,
            Some("Succeeded") => PodPhase::Succeeded,
            Some("Failed") => PodPhase::Failed,
            _ => PodPhase::Unknown,
        },
        deleting: pod.metadata.deletion_timestamp.is_some(),
        ready,
        start_time: status.start_time.as_ref().map(ms),
        containers,
        usage: None,
        custom: BTreeMap::new(),
    }
}

/// The pod selector of a Deployment copy: `matchLabels` and `matchExpressions`.
fn pod_selector(d: &Deployment) -> Result<super::selector::LabelSelector, String> {
    super::selector::LabelSelector::from_k8s(&d.spec.selector).map_err(|e| {
        format!(
            "deployment {}: spec.selector: {e}",
            d.metadata.name.as_deref().unwrap_or_default()
        )
    })
}

struct MemberRead {
    copy: Option<Deployment>,
    pods: Vec<PodInfo>,
    partial: Option<String>,
    /// Object/External metric values this member serves, by index in `spec.metrics` (absent:
    /// the member does not hold that object or external metric).
    objects: BTreeMap<usize, Result<i64, String>>,
}

/// The requests of the Object and External metrics of `spec`: (index in `spec.metrics`, path,
/// external).
fn object_metric_paths(spec: &AutoscalerSpec) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    for (i, m) in spec.metrics.iter().enumerate() {
        match m {
            MetricSpec::Object {
                described_object,
                metric,
                ..
            } => {
                let mut path = format!(
                    "/apis/custom.metrics.k8s.io/v1beta2/namespaces/{}/{}/{}/{}",
                    spec.namespace,
                    described_object.resource(),
                    described_object.name,
                    metric.name
                );
                if let Some(sel) = &metric.selector {
                    path.push_str(&format!("?{}", query_pair("metricLabelSelector", sel)));
                }
                out.push((i, path, false));
            }
            MetricSpec::External { metric, .. } => {
                let mut path = format!(
                    "/apis/external.metrics.k8s.io/v1beta1/namespaces/{}/{}",
                    spec.namespace, metric.name
                );
                if let Some(sel) = &metric.selector {
                    path.push_str(&format!("?{}", query_pair("labelSelector", sel)));
                }
                out.push((i, path, true));
            }
            _ => {}
        }
    }
    out
}

/// What one member answered for an Object/External metric request: `None` when it does not
/// hold that object or metric (404 or an empty list).
type ObjectAnswer = Option<Result<Value, String>>;

async fn get_object_metric(client: &kube::Client, path: &str) -> ObjectAnswer {
    match get_json(client, path).await.map_err(MemberError::from) {
        Ok(v) => Some(Ok(v)),
        Err(e) if is_status(&e, 404) => None,
        Err(e) => Some(Err(e.to_string())),
    }
}

/// The value of one Object/External metric answer: the sum of the series matching the
/// selector for External (as the HPA controller does), the first item for Object.
fn object_value(answer: &ObjectAnswer, external: bool) -> Option<Result<i64, String>> {
    match answer.as_ref()? {
        Ok(v) => {
            let values: Vec<i64> = v["items"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item["value"].as_str())
                .filter_map(|q| crate::capacity::quantity::parse_quantity(q).ok())
                .collect();
            if values.is_empty() {
                None
            } else if external {
                Some(Ok(values.iter().sum()))
            } else {
                Some(Ok(values[0]))
            }
        }
        Err(e) => Some(Err(e.clone())),
    }
}

/// Reads the Object and External metrics of `spec` from one member: `custom.metrics.k8s.io`
/// for the described object, `external.metrics.k8s.io` for external ones. A 404 or an empty
/// list means the member does not hold it.
async fn read_object_metrics(
    client: &kube::Client,
    spec: &AutoscalerSpec,
) -> BTreeMap<usize, Result<i64, String>> {
    let mut out = BTreeMap::new();
    for (i, path, external) in object_metric_paths(spec) {
        let answer = get_object_metric(client, &path).await;
        if let Some(v) = object_value(&answer, external) {
            out.insert(i, v);
        }
    }
    out
}

/// What one member answered for one namespace: the metrics lists an evaluation needs, or why
/// a list failed (a member without a metrics API is partial data, not unreachable).
type MetricsList = Result<Value, String>;

/// Reads one member's copy of the target, its pods and their metrics (three or more requests;
/// a pass over many autoscalers reads each member once instead: [`read_member_data`]).
async fn read_member_metrics(
    member: &super::membership::Member,
    index: usize,
    spec: &AutoscalerSpec,
) -> Result<MemberRead, MemberError> {
    let client = member.client().await?;
    let metrics = member.metrics_client().await?;
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), &spec.namespace);
    let copy = deployments.get_opt(&spec.target).await?;
    let objects = read_object_metrics(&metrics, spec).await;
    let Some(copy) = copy else {
        return Ok(MemberRead {
            copy: None,
            pods: Vec::new(),
            partial: None,
            objects,
        });
    };
    let sel = pod_selector(&copy).map_err(MemberError::Other)?.to_query();
    let pods_api: Api<Pod> = Api::namespaced(client.clone(), &spec.namespace);
    let pods = pods_api.list(&ListParams::default().labels(&sel)).await?;
    let resource = if needs_resource_metrics(spec) && !pods.items.is_empty() {
        let path = format!(
            "/apis/metrics.k8s.io/v1beta1/namespaces/{}/pods?{}",
            spec.namespace,
            query_pair("labelSelector", &sel)
        );
        Some(
            get_json(&metrics, &path)
                .await
                .map_err(|e| super::error::one_line(e).to_string()),
        )
    } else {
        None
    };
    let mut custom = BTreeMap::new();
    if !pods.items.is_empty() {
        for name in pods_metric_names(spec) {
            let path = format!(
                "/apis/custom.metrics.k8s.io/v1beta2/namespaces/{}/pods/*/{}?{}",
                spec.namespace,
                name,
                query_pair("labelSelector", &sel)
            );
            let r = get_json(&metrics, &path)
                .await
                .map_err(|e| super::error::one_line(e).to_string());
            custom.insert(name.to_string(), r);
        }
    }
    let pods: Vec<&Pod> = pods.items.iter().collect();
    let mut read = assemble(index, spec, copy, &pods, resource.as_ref(), &custom);
    read.objects = objects;
    Ok(read)
}

fn needs_resource_metrics(spec: &AutoscalerSpec) -> bool {
    spec.metrics.iter().any(|m| {
        matches!(
            m,
            MetricSpec::Resource { .. } | MetricSpec::ContainerResource { .. }
        )
    })
}

fn pods_metric_names(spec: &AutoscalerSpec) -> impl Iterator<Item = &str> {
    spec.metrics.iter().filter_map(|m| match m {
        MetricSpec::Pods { metric, .. } => Some(metric.name.as_str()),
        _ => None,
    })
}

/// Builds one member's [`MemberRead`] for `spec` from its copy, the copy's pods and the
/// metrics lists (which may hold other pods too: matched by pod name).
fn assemble(
    index: usize,
    spec: &AutoscalerSpec,
    copy: Deployment,
    pods: &[&Pod],
    resource: Option<&MetricsList>,
    custom: &BTreeMap<String, MetricsList>,
) -> MemberRead {
    let mut infos: Vec<PodInfo> = pods.iter().map(|p| pod_info(index, p)).collect();
    let mut partial = None;
    if needs_resource_metrics(spec) && !infos.is_empty() {
        match resource {
            Some(Ok(v)) => {
                let by_name: BTreeMap<&str, usize> = infos
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.name.as_str(), i))
                    .collect();
                let mut samples = Vec::new();
                for item in v["items"].as_array().into_iter().flatten() {
                    if item["metadata"]["namespace"]
                        .as_str()
                        .is_some_and(|ns| ns != spec.namespace)
                    {
                        continue;
                    }
                    let name = item["metadata"]["name"].as_str().unwrap_or_default();
                    if let Some(&i) = by_name.get(name) {
                        samples.push((i, usage_sample(item)));
                    }
                }
                for (i, sample) in samples {
                    infos[i].usage = Some(sample);
                }
            }
            Some(Err(e)) => partial = Some(format!("no resource metrics: {e}")),
            None => {}
        }
    }
    for name in pods_metric_names(spec) {
        if infos.is_empty() {
            break;
        }
        match custom.get(name) {
            Some(Ok(v)) => {
                for item in v["items"].as_array().into_iter().flatten() {
                    let pod = item["describedObject"]["name"].as_str().unwrap_or_default();
                    let val = item["value"]
                        .as_str()
                        .and_then(|q| crate::capacity::quantity::parse_quantity(q).ok());
                    if let (Some(p), Some(val)) = (infos.iter_mut().find(|p| p.name == pod), val) {
                        p.custom.insert(name.to_string(), val);
                    }
                }
            }
            Some(Err(e)) => partial = Some(format!("no custom metric {name}: {e}")),
            None => {}
        }
    }
    MemberRead {
        copy: Some(copy),
        pods: infos,
        partial,
        objects: BTreeMap::new(),
    }
}

/// One PodMetrics item as a usage sample.
fn usage_sample(item: &Value) -> UsageSample {
    let containers = item["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let usage = c["usage"]
                .as_object()
                .map(|u| {
                    u.iter()
                        .filter_map(|(k, v)| {
                            let q = v.as_str()?;
                            Some((
                                k.clone(),
                                crate::capacity::quantity::parse_quantity(q).ok()?,
                            ))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            (
                c["name"].as_str().unwrap_or_default().to_string(),
                Resources::from_milli(usage),
            )
        })
        .collect();
    UsageSample {
        timestamp: item["timestamp"]
            .as_str()
            .and_then(parse_millis_rfc3339)
            .unwrap_or(0),
        window_ms: item["window"]
            .as_str()
            .and_then(|w| humantime::parse_duration(w).ok())
            .map(|d| d.as_millis() as i64)
            .unwrap_or(30_000),
        containers,
    }
}

/// Everything one member holds for the autoscalers of a pass, read once: per namespace with
/// autoscalers, its Deployments, its pods, and the metrics lists the autoscalers need.
#[derive(Default)]
struct MemberData {
    deployments: BTreeMap<(String, String), Deployment>,
    /// Pods per namespace.
    pods: BTreeMap<String, Vec<Pod>>,
    resource: BTreeMap<String, MetricsList>,
    /// (namespace, metric) → `custom.metrics.k8s.io` pods list.
    custom: BTreeMap<(String, String), MetricsList>,
    /// Object/External metric request path → answer.
    objects: BTreeMap<String, ObjectAnswer>,
}

/// What the autoscalers of one namespace need.
#[derive(Default)]
struct NamespaceNeeds {
    resource: bool,
    metrics: std::collections::BTreeSet<String>,
    /// Object/External metric request paths.
    objects: std::collections::BTreeSet<String>,
}

/// Reads one member's data for every autoscaler of a pass: per namespace one Deployment list,
/// one Pod list, one PodMetrics list (if a Resource metric is used) and one list per `Pods`
/// metric, instead of three or more requests per autoscaler.
async fn read_member_data(
    member: &super::membership::Member,
    needs: &BTreeMap<String, NamespaceNeeds>,
) -> Result<MemberData, MemberError> {
    let client = member.client().await?;
    let metrics = member.metrics_client().await?;
    let mut data = MemberData::default();
    for (ns, need) in needs {
        let deployments: Api<Deployment> = Api::namespaced(client.clone(), ns);
        let pods: Api<Pod> = Api::namespaced(client.clone(), ns);
        let lp = ListParams::default();
        let (ds, ps) = tokio::try_join!(deployments.list(&lp), pods.list(&lp))?;
        for d in ds.items {
            let name = d.metadata.name.clone().unwrap_or_default();
            data.deployments.insert((ns.clone(), name), d);
        }
        if need.resource && !ps.items.is_empty() {
            let path = format!("/apis/metrics.k8s.io/v1beta1/namespaces/{ns}/pods");
            let r = get_json(&metrics, &path)
                .await
                .map_err(|e| super::error::one_line(e).to_string());
            data.resource.insert(ns.clone(), r);
        }
        if !ps.items.is_empty() {
            for metric in &need.metrics {
                let path =
                    format!("/apis/custom.metrics.k8s.io/v1beta2/namespaces/{ns}/pods/*/{metric}");
                let r = get_json(&metrics, &path)
                    .await
                    .map_err(|e| super::error::one_line(e).to_string());
                data.custom.insert((ns.clone(), metric.clone()), r);
            }
        }
        data.pods.insert(ns.clone(), ps.items);
        for path in &need.objects {
            let answer = get_object_metric(&metrics, path).await;
            data.objects.insert(path.clone(), answer);
        }
    }
    Ok(data)
}

/// `selector` selects a pod with `labels` (no labels: an empty set).
fn selects(
    selector: &super::selector::LabelSelector,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    match labels {
        Some(l) => selector.matches(l),
        None => selector.matches(&BTreeMap::new()),
    }
}

impl MemberData {
    /// The [`MemberRead`] of `spec` (what [`read_member_metrics`] would have read).
    fn read_for(&self, index: usize, spec: &AutoscalerSpec) -> MemberRead {
        let objects: BTreeMap<usize, Result<i64, String>> = object_metric_paths(spec)
            .into_iter()
            .filter_map(|(i, path, external)| {
                let answer = self.objects.get(&path)?;
                object_value(answer, external).map(|v| (i, v))
            })
            .collect();
        let Some(copy) = self
            .deployments
            .get(&(spec.namespace.clone(), spec.target.clone()))
        else {
            return MemberRead {
                copy: None,
                pods: Vec::new(),
                partial: None,
                objects,
            };
        };
        let selector = match pod_selector(copy) {
            Ok(s) => s,
            Err(why) => {
                return MemberRead {
                    copy: Some(copy.clone()),
                    pods: Vec::new(),
                    partial: Some(why),
                    objects,
                }
            }
        };
        let pods: Vec<&Pod> = self
            .pods
            .get(&spec.namespace)
            .into_iter()
            .flatten()
            .filter(|p| selects(&selector, p.metadata.labels.as_ref()))
            .collect();
        let custom: BTreeMap<String, MetricsList> = pods_metric_names(spec)
            .filter_map(|m| {
                self.custom
                    .get(&(spec.namespace.clone(), m.to_string()))
                    .map(|r| (m.to_string(), r.clone()))
            })
            .collect();
        let mut read = assemble(
            index,
            spec,
            copy.clone(),
            &pods,
            self.resource.get(&spec.namespace),
            &custom,
        );
        read.objects = objects;
        read
    }
}

fn total_of(d: &Deployment) -> Option<u32> {
    d.metadata
        .annotations
        .as_ref()?
        .get(state::ANN_TOTAL_REPLICAS)?
        .parse()
        .ok()
}

fn placement_of(d: &Deployment) -> BTreeMap<String, u32> {
    d.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(state::ANN_PLACEMENT))
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default()
}

/// Options of [`evaluate_all`].
#[derive(Debug, Clone)]
pub struct EvaluateOptions {
    pub config: ControllerConfig,
    /// Apply decisions (false: compute and store nothing, for `get hpa`'s live view).
    pub apply: bool,
    /// Bound of one decision's apply.
    pub apply_timeout: Duration,
}

impl Default for EvaluateOptions {
    fn default() -> Self {
        EvaluateOptions {
            config: ControllerConfig::default(),
            apply: true,
            apply_timeout: Duration::from_secs(120),
        }
    }
}

/// Evaluates one autoscaler: reads its target's pods and metrics in every member, runs the
/// HPA algorithm on the fleet total, applies a new total through the fenced write path
/// (lock → plan → make-before-break apply) and stores the state in the members.
pub async fn evaluate_one(
    fleet: &Fleet,
    stored: &StoredAutoscaler,
    opts: &EvaluateOptions,
) -> Outcome {
    let spec = &stored.spec;
    let reads = fleet
        .for_each(|m| {
            let index = fleet
                .members
                .iter()
                .position(|x| x.name == m.name)
                .unwrap_or(0);
            read_member_metrics(m, index, spec)
        })
        .await;
    evaluate_reads(fleet, stored, opts, reads).await
}

/// Evaluates one autoscaler from its members' reads (one per member, in fleet order).
async fn evaluate_reads(
    fleet: &Fleet,
    stored: &StoredAutoscaler,
    opts: &EvaluateOptions,
    reads: Vec<(String, Result<MemberRead, MemberError>)>,
) -> Outcome {
    let spec = &stored.spec;
    let mut state = stored.state.clone();
    let mut pods = Vec::new();
    let mut partial: Vec<(String, String)> = Vec::new();
    let mut members = Vec::new();
    let mut spec_replicas: Option<u32> = None;
    let mut status_replicas = 0u32;
    let mut placement: BTreeMap<String, u32> = BTreeMap::new();
    let mut template_requests: Option<Vec<ContainerInfo>> = None;
    let mut unreachable = Vec::new();
    let mut object_reads: ObjectReads = BTreeMap::new();
    for (name, r) in reads {
        match r {
            Err(e) => {
                let why = e.to_string();
                members.push(MemberMetrics {
                    member: name.clone(),
                    left_out: Some(why.clone()),
                    unreachable: true,
                    ..Default::default()
                });
                unreachable.push(name.clone());
                partial.push((name, why));
            }
            Ok(read) => {
                let mut mm = MemberMetrics {
                    member: name.clone(),
                    ..Default::default()
                };
                if let Some(copy) = &read.copy {
                    mm.replicas = copy.spec.replicas.map(|r| r.max(0) as u32);
                    status_replicas += copy
                        .status
                        .as_ref()
                        .and_then(|s| s.replicas)
                        .unwrap_or(0)
                        .max(0) as u32;
                    if let Some(t) = total_of(copy) {
                        spec_replicas = Some(spec_replicas.map_or(t, |s: u32| s.max(t)));
                    }
                    if placement.is_empty() {
                        placement = placement_of(copy);
                    }
                    if template_requests.is_none() {
                        template_requests = copy.spec.template.spec.as_ref().map(|ps| {
                            ps.containers
                                .iter()
                                .map(|c| ContainerInfo {
                                    name: c.name.clone(),
                                    requests: c
                                        .resources
                                        .as_ref()
                                        .and_then(|r| r.requests.as_ref())
                                        .and_then(|r| Resources::from_k8s(r).ok())
                                        .unwrap_or_default(),
                                })
                                .collect()
                        });
                    }
                }
                mm.ready = read.pods.iter().filter(|p| p.is_running_ready()).count() as u32;
                mm.utilization = spec
                    .metrics
                    .iter()
                    .map(|m| member_utilization(m, &read.pods))
                    .collect();
                mm.values = spec
                    .metrics
                    .iter()
                    .enumerate()
                    .map(|(i, m)| member_value(i, m, &read))
                    .collect();
                for (i, v) in &read.objects {
                    object_reads
                        .entry(*i)
                        .or_default()
                        .push((name.clone(), v.clone()));
                }
                if let Some(why) = &read.partial {
                    mm.left_out = Some(why.clone());
                    partial.push((name.clone(), why.clone()));
                }
                members.push(mm);
                pods.extend(read.pods);
            }
        }
    }
    // Replicas of unreachable members (from the stored placement) exist but cannot be seen:
    // they count as pods without metrics (0 on the way up, 100% of request on the way down).
    for (i, m) in unreachable.iter().enumerate() {
        let n = placement.get(m).copied().unwrap_or(0);
        for j in 0..n {
            pods.push(PodInfo {
                member: usize::MAX - i,
                name: format!("{m}/unobserved-{j}"),
                phase: PodPhase::Running,
                deleting: false,
                ready: Some(ReadyCondition {
                    ready: true,
                    last_transition: 0,
                }),
                start_time: Some(0),
                containers: template_requests.clone().unwrap_or_default(),
                usage: None,
                custom: BTreeMap::new(),
            });
        }
        status_replicas += n;
    }
    let now = k8s_openapi::jiff::Timestamp::now().as_millisecond();
    let mut errors = Vec::new();
    let Some(current) = spec_replicas else {
        // Like the HPA controller when the scale subresource cannot be read: AbleToScale=False
        // FailedGetScale, a warning event, nothing else changes; the next pass tries again.
        let why = if unreachable.is_empty() {
            format!(
                "deployment {}/{} not found in the fleet (no member holds a managed copy)",
                spec.namespace, spec.target
            )
        } else {
            format!(
                "deployment {}/{} not found in any reachable member (unreachable: {})",
                spec.namespace,
                spec.target,
                unreachable.join(", ")
            )
        };
        state.set_condition(
            "AbleToScale",
            false,
            "FailedGetScale",
            &format!("the HPA controller was unable to get the target's current scale: {why}"),
            now,
        );
        state.partial = partial.clone();
        let event = Event {
            kind: "Warning",
            reason: "FailedGetScale".into(),
            message: why.clone(),
        };
        if opts.apply {
            for (m, r) in write_state(fleet, stored, &state, stored.state_revision + 1).await {
                if let Err(e) = r {
                    if !unreachable.contains(&m) {
                        errors.push(format!("{m}: state not stored: {e}"));
                    }
                }
            }
        }
        return Outcome {
            namespace: spec.namespace.clone(),
            name: spec.name.clone(),
            target: spec.target.clone(),
            current: 0,
            desired: 0,
            rescaled: false,
            writes: 0,
            reason: String::new(),
            events: vec![event],
            errors,
            recorded: Vec::new(),
            warnings: vec![format!("FailedGetScale: {why}")],
            members,
        };
    };
    let objects = object_values(spec, &object_reads, &unreachable);
    let obs = Observation {
        now,
        spec_replicas: current,
        status_replicas,
        pods: &pods,
        object_values: &objects,
        partial: &partial,
    };
    let decision = evaluate(spec, &mut state, &obs, &opts.config);
    let mut events = decision.events.clone();
    let mut rescaled = false;
    let mut writes = 0;
    let mut recorded = Vec::new();
    let mut warnings = Vec::new();
    // Members holding a copy of the target (as read), in fleet order: where a rescale's
    // event goes when the plan says nothing newer.
    let mut holders: Vec<String> = members
        .iter()
        .filter(|m| !m.unreachable && m.replicas.is_some())
        .map(|m| m.member.clone())
        .collect();
    if decision.rescale && opts.apply {
        let lock = super::lock::LockOptions::new("autoscale");
        let result = match super::write::plan_scale(
            fleet,
            &spec.namespace,
            &spec.target,
            decision.desired,
            Some(&lock),
        )
        .await
        {
            Ok(locked) => {
                // After the rescale, the members the plan keeps a copy in.
                let keep: Vec<&str> = locked
                    .plan
                    .workloads
                    .iter()
                    .flat_map(|w| w.placements.iter())
                    .filter(|p| p.desired > 0)
                    .map(|p| p.cluster.as_str())
                    .collect();
                if !keep.is_empty() {
                    holders = fleet
                        .members
                        .iter()
                        .map(|m| m.name.clone())
                        .filter(|m| keep.contains(&m.as_str()) && !unreachable.contains(m))
                        .collect();
                }
                // Like the reconciler's other writes: a member that cannot be reached keeps
                // its copy (it was counted as pods without metrics, which never scales down)
                // and the reachable members take the change.
                let apply_opts = super::ApplyOptions {
                    timeout: opts.apply_timeout,
                    allow_unreachable: true,
                    ..Default::default()
                };
                let r = super::write::apply_locked(fleet, &locked, apply_opts).await;
                locked.release().await;
                if let Ok(report) = &r {
                    writes = report
                        .workloads
                        .iter()
                        .flat_map(|w| w.members.iter())
                        .filter(|c| c.action.is_write())
                        .count();
                }
                match r {
                    Ok(report) if report.errors.is_empty() => Ok(()),
                    Ok(report) => Err(report.errors.join("; ")),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        let event = match result {
            Ok(()) => {
                rescaled = true;
                state.rescaled(spec, &opts.config, &decision, now)
            }
            Err(e) => {
                errors.push(e.clone());
                state.rescale_failed(&decision, &e, now)
            }
        };
        // The controller records its events on the HPA; there is no HPA object in the
        // members, so the event goes on the target Deployment's copy in one member (the first
        // holding it, in fleet order): `kubectl describe deploy` there shows it, and
        // `kubectl fleet describe hpa` collects it from every member.
        if let Some(member) = holders.first() {
            match record_event(fleet, member, spec, &event).await {
                Ok(()) => recorded.push((member.clone(), event.reason.clone())),
                Err(e) => warnings.push(format!(
                    "{member}: event {} not recorded: {e}",
                    event.reason
                )),
            }
        }
        events.push(event);
    }
    if opts.apply {
        for (m, r) in write_state(fleet, stored, &state, stored.state_revision + 1).await {
            if let Err(e) = r {
                if !unreachable.contains(&m) {
                    errors.push(format!("{m}: state not stored: {e}"));
                }
            }
        }
    }
    Outcome {
        namespace: spec.namespace.clone(),
        name: spec.name.clone(),
        target: spec.target.clone(),
        current,
        desired: decision.desired,
        rescaled,
        writes,
        reason: decision.reason,
        events,
        errors,
        recorded,
        warnings,
        members,
    }
}

/// Records an autoscaler event (`SuccessfulRescale`, `FailedRescale`) on the target
/// Deployment's copy in `member`.
async fn record_event(
    fleet: &Fleet,
    member: &str,
    spec: &AutoscalerSpec,
    event: &Event,
) -> Result<(), MemberError> {
    let m = fleet
        .member(member)
        .ok_or_else(|| MemberError::Other(format!("{member} is not a fleet member")))?;
    let client = m.client().await?;
    super::rebalance::events::record(
        &client,
        &super::rebalance::events::FleetEvent {
            namespace: spec.namespace.clone(),
            deployment: spec.target.clone(),
            reason: event.reason.clone(),
            message: event.message.clone(),
            type_: event.kind.to_string(),
        },
    )
    .await
}

/// Reasons of the events an autoscaler records on its target ([`record_event`]).
pub const EVENT_REASONS: [&str; 2] = ["SuccessfulRescale", "FailedRescale"];

/// The autoscaler's events recorded in the members (on its target Deployment's copies, by
/// kubectl-fleet), oldest first; members that cannot be read are left out.
pub async fn autoscaler_events(
    fleet: &Fleet,
    spec: &AutoscalerSpec,
) -> Vec<super::events::EventRow> {
    let target = super::events::ObjectRef {
        kind: "Deployment".into(),
        name: spec.target.clone(),
    };
    super::events::get_events(fleet, Some(&spec.namespace), Some(&target))
        .await
        .rows
        .into_iter()
        .filter(|e| {
            EVENT_REASONS.contains(&e.reason.as_str())
                && e.source == super::rebalance::events::COMPONENT
        })
        .collect()
}

/// Per Object/External metric (index in `spec.metrics`): what each member serves.
type ObjectReads = BTreeMap<usize, Vec<(String, Result<i64, String>)>>;

/// The fleet's value of each Object/External metric: the sum of what the members holding it
/// serve (one member for an object that lives in one cluster); an error when no reachable
/// member serves it.
fn object_values(
    spec: &AutoscalerSpec,
    reads: &ObjectReads,
    unreachable: &[String],
) -> BTreeMap<usize, Result<i64, String>> {
    let mut out = BTreeMap::new();
    for (i, m) in spec.metrics.iter().enumerate() {
        if !matches!(m, MetricSpec::Object { .. } | MetricSpec::External { .. }) {
            continue;
        }
        let got = reads.get(&i).map(Vec::as_slice).unwrap_or_default();
        let values: Vec<i64> = got.iter().filter_map(|(_, r)| r.clone().ok()).collect();
        let failed: Vec<String> = got
            .iter()
            .filter_map(|(member, r)| r.as_ref().err().map(|e| format!("{member}: {e}")))
            .collect();
        let value = if !values.is_empty() {
            Ok(values.iter().sum())
        } else if !failed.is_empty() {
            Err(failed.join("; "))
        } else if !unreachable.is_empty() {
            Err(format!(
                "no reachable member serves it (unreachable: {})",
                unreachable.join(", ")
            ))
        } else {
            Err("no member serves it".to_string())
        };
        out.insert(i, value);
    }
    out
}

/// One member's own value of metric `i` (for `get hpa -M`): the average over its Ready pods
/// with samples, or the Object/External value it serves.
fn member_value(i: usize, m: &MetricSpec, read: &MemberRead) -> Option<MetricStatus> {
    let ready = || read.pods.iter().filter(|p| p.is_running_ready());
    match m {
        MetricSpec::Resource { name, target }
        | MetricSpec::ContainerResource { name, target, .. } => {
            let container = match m {
                MetricSpec::ContainerResource { container, .. } => Some(container.as_str()),
                _ => None,
            };
            let (mut used, mut requested, mut n) = (0i64, 0i64, 0i64);
            for p in ready() {
                if let Some(u) = p.resource_usage(name, container) {
                    used += u;
                    n += 1;
                    requested += p.resource_request(name, container).unwrap_or(0);
                }
            }
            if n == 0 {
                return None;
            }
            Some(MetricStatus {
                average_utilization: matches!(target, MetricTarget::Utilization(_))
                    .then_some(requested)
                    .filter(|r| *r > 0)
                    .map(|r| (used * 100 / r) as i32),
                value: Some(used / n),
            })
        }
        MetricSpec::Pods { metric, .. } => {
            let vals: Vec<i64> = ready()
                .filter_map(|p| p.custom.get(&metric.name).copied())
                .collect();
            (!vals.is_empty()).then(|| MetricStatus {
                average_utilization: None,
                value: Some(vals.iter().sum::<i64>() / vals.len() as i64),
            })
        }
        MetricSpec::Object { .. } | MetricSpec::External { .. } => match read.objects.get(&i) {
            Some(Ok(v)) => Some(MetricStatus {
                average_utilization: None,
                value: Some(*v),
            }),
            _ => None,
        },
    }
}

/// One member's own utilization for a Utilization metric (for `get hpa -M`).
fn member_utilization(m: &MetricSpec, pods: &[PodInfo]) -> Option<i32> {
    let (resource, container) = match m {
        MetricSpec::Resource { name, .. } => (name.as_str(), None),
        MetricSpec::ContainerResource {
            name, container, ..
        } => (name.as_str(), Some(container.as_str())),
        _ => return None,
    };
    let mut used = 0i64;
    let mut requested = 0i64;
    for p in pods.iter().filter(|p| p.is_running_ready()) {
        if let (Some(u), Ok(r)) = (
            p.resource_usage(resource, container),
            p.resource_request(resource, container),
        ) {
            used += u;
            requested += r;
        }
    }
    (requested > 0).then(|| (used * 100 / requested) as i32)
}

/// The text of a [`MemberError`] for which [`MemberError::is_unreachable`] holds.
fn is_unreachable_text(e: &str) -> bool {
    ["unreachable: ", "timed out after ", "kubeconfig: "]
        .iter()
        .any(|p| e.starts_with(p))
}

/// How many autoscalers of one pass are evaluated (and their state written) at a time.
const CONCURRENCY: usize = 16;

/// Evaluates every autoscaler of the fleet (one reconcile pass). Each member is read once for
/// all autoscalers ([`read_member_data`]: per namespace one list of Deployments, Pods,
/// PodMetrics and each `Pods` metric); the autoscalers are then evaluated, applied and stored
/// [`CONCURRENCY`] at a time (each decision under its own workload's lock).
pub async fn evaluate_all(fleet: &Fleet, opts: &EvaluateOptions) -> (Vec<Outcome>, Vec<String>) {
    let (autoscalers, read_errors) = list(fleet, None).await;
    // A member that cannot be reached at all is the pass's "unreachable" (its replicas count
    // as pods without metrics below), not an error; one that answers with an error is.
    let errors: Vec<String> = read_errors
        .into_iter()
        .filter(|(_, e)| !is_unreachable_text(e))
        .map(|(m, e)| format!("{m}: autoscalers not read: {e}"))
        .collect();
    if autoscalers.is_empty() {
        return (Vec::new(), errors);
    }
    let mut needs: BTreeMap<String, NamespaceNeeds> = BTreeMap::new();
    for a in &autoscalers {
        let n = needs.entry(a.spec.namespace.clone()).or_default();
        n.resource |= needs_resource_metrics(&a.spec);
        n.metrics
            .extend(pods_metric_names(&a.spec).map(str::to_string));
        n.objects.extend(
            object_metric_paths(&a.spec)
                .into_iter()
                .map(|(_, path, _)| path),
        );
    }
    let needs = &needs;
    let data: Vec<(String, Result<MemberData, MemberError>)> =
        fleet.for_each(|m| read_member_data(m, needs)).await;
    let data = &data;
    let outcomes = futures::stream::iter(autoscalers.iter().map(|a| async move {
        let reads = data
            .iter()
            .enumerate()
            .map(|(index, (name, r))| {
                let read = match r {
                    Ok(d) => Ok(d.read_for(index, &a.spec)),
                    Err(e) => Err(e.clone()),
                };
                (name.clone(), read)
            })
            .collect();
        evaluate_reads(fleet, a, opts, reads).await
    }))
    .buffered(CONCURRENCY)
    .collect::<Vec<Outcome>>()
    .await;
    (outcomes, errors)
}

// ---- the read view of `get hpa` ----

/// One autoscaler for `get hpa`: the stored document and state, and (with `-M`) each member's
/// live contribution.
#[derive(Debug, Clone)]
pub struct AutoscalerView {
    pub stored: StoredAutoscaler,
    /// One entry per member (with `-M`; empty otherwise).
    pub members: Vec<MemberMetrics>,
    /// Its events recorded in the members (`describe hpa`; empty otherwise).
    pub events: Vec<super::events::EventRow>,
}

/// What `get hpa` shows.
#[derive(Debug, Clone, Default)]
pub struct AutoscalersView {
    pub items: Vec<AutoscalerView>,
    /// Members whose autoscalers could not be read.
    pub errors: Vec<super::views::MemberFailure>,
}

/// Reads the autoscalers (one namespace or all, one name or all); with `members`, also reads
/// each member's pods and metrics of the target (nothing is evaluated into the stored state,
/// nothing is written).
pub async fn get_autoscalers(
    fleet: &Fleet,
    namespace: Option<&str>,
    name: Option<&str>,
    members: bool,
) -> AutoscalersView {
    let (stored, errors) = list(fleet, namespace).await;
    let mut items = Vec::new();
    for a in stored {
        if name.is_some_and(|n| n != a.spec.name) {
            continue;
        }
        let members = if members {
            let opts = EvaluateOptions {
                apply: false,
                ..Default::default()
            };
            evaluate_one(fleet, &a, &opts).await.members
        } else {
            Vec::new()
        };
        items.push(AutoscalerView {
            stored: a,
            members,
            events: Vec::new(),
        });
    }
    let errors = errors
        .into_iter()
        .map(|(cluster, error)| super::views::MemberFailure {
            unreachable: error.starts_with("unreachable") || error.starts_with("timed out"),
            cluster,
            error,
        })
        .collect();
    AutoscalersView { items, errors }
}

// ---- `kubectl fleet autoscale` ----

/// Creates autoscaler `doc` like `kubectl autoscale` does: its target must be a Deployment
/// kubectl-fleet manages in a reachable member, no autoscaler of that name may exist and no
/// other autoscaler may target the Deployment (each an error, nothing stored). Then it is
/// stored in every member exactly as `apply -f` stores one ([`store`]).
pub async fn create(
    fleet: &Fleet,
    doc: &AutoscalerDocument,
    dry_run: DryRun,
) -> Result<Vec<(String, Result<(), MemberError>)>, FleetError> {
    let spec = &doc.spec;
    let snapshots = super::read::read_snapshots(
        fleet,
        &super::read::ReadOptions {
            pods: false,
            deployments: true,
            providers: false,
            ..Default::default()
        },
    )
    .await;
    let reachable = snapshots.iter().filter(|s| s.result.is_ok()).count();
    if reachable == 0 {
        let why: Vec<String> = snapshots
            .iter()
            .filter_map(|s| s.result.as_ref().err().map(|e| format!("{}: {e}", s.name)))
            .collect();
        return Err(FleetError::Input(format!(
            "no member can be reached to check deployment {}/{}: {}",
            spec.namespace,
            spec.target,
            why.join("; ")
        )));
    }
    let managed = snapshots.iter().filter_map(MemberSnapshot::state).any(|m| {
        m.deployment(&spec.namespace, &spec.target)
            .is_some_and(|d| d.managed)
    });
    if !managed {
        return Err(FleetError::Input(format!(
            "deployment {}/{} is not managed by kubectl-fleet in any reachable member (apply it with `kubectl fleet apply -f` first, or check the namespace)",
            spec.namespace, spec.target
        )));
    }
    let (existing, _) = list(fleet, Some(&spec.namespace)).await;
    if let Some(a) = existing.iter().find(|a| a.spec.name == spec.name) {
        return Err(FleetError::Input(format!(
            "horizontalpodautoscaler {}/{} already exists (for deploy/{}): change it with `kubectl fleet apply -f` or delete it with `kubectl fleet delete hpa/{}`",
            spec.namespace, spec.name, a.spec.target, spec.name
        )));
    }
    if let Some(a) = existing.iter().find(|a| a.spec.target == spec.target) {
        return Err(FleetError::Input(format!(
            "deployment {}/{} already has autoscaler {:?}: two autoscalers would fight over its replicas",
            spec.namespace, spec.target, a.spec.name
        )));
    }
    Ok(store(fleet, doc, dry_run).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscale::{MetricIdentifier, ObjectRef};

    fn external(name: &str) -> MetricSpec {
        MetricSpec::External {
            metric: MetricIdentifier {
                name: name.into(),
                selector: None,
            },
            target: MetricTarget::Value(10_000),
        }
    }

    fn spec(metrics: Vec<MetricSpec>) -> AutoscalerSpec {
        AutoscalerSpec {
            kind: AutoscalerKind::FederatedHpa,
            name: "web".into(),
            namespace: "default".into(),
            target: "web".into(),
            min_replicas: 1,
            max_replicas: 10,
            metrics,
            behavior: None,
        }
    }

    #[test]
    fn object_and_external_values_come_from_the_members_serving_them() {
        let object = MetricSpec::Object {
            described_object: ObjectRef {
                api_version: "networking.k8s.io/v1".into(),
                kind: "Ingress".into(),
                name: "main".into(),
            },
            metric: MetricIdentifier {
                name: "rps".into(),
                selector: None,
            },
            target: MetricTarget::Value(300_000),
        };
        let s = spec(vec![external("queue"), object, external("missing")]);
        let mut reads: ObjectReads = BTreeMap::new();
        // The queue lives in c1 and c3 (two series: they add up); the ingress in c2 only.
        reads.insert(
            0,
            vec![("c1".into(), Ok(40_000)), ("c3".into(), Ok(20_000))],
        );
        reads.insert(1, vec![("c2".into(), Ok(900_000))]);
        let v = object_values(&s, &reads, &[]);
        assert_eq!(v[&0], Ok(60_000));
        assert_eq!(v[&1], Ok(900_000));
        assert_eq!(v[&2], Err("no member serves it".to_string()));
        // Nobody serves it and a member is down: say which.
        let v = object_values(&s, &BTreeMap::new(), &["c2".to_string()]);
        assert_eq!(
            v[&1],
            Err("no reachable member serves it (unreachable: c2)".to_string())
        );
        // A member failing to answer (not a 404) is the error when no other serves it.
        let mut reads: ObjectReads = BTreeMap::new();
        reads.insert(1, vec![("c2".into(), Err("Forbidden (403): no".into()))]);
        assert_eq!(
            object_values(&s, &reads, &[])[&1],
            Err("c2: Forbidden (403): no".to_string())
        );
    }

    #[test]
    fn a_new_state_revision_wins_independently_of_the_document_revision() {
        let cm = |member_rv: &str, revision: u64, state_revision: u64, max: u32| {
            let doc = json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": max}});
            let state = AutoscalerState {
                current_replicas: state_revision as u32,
                ..Default::default()
            };
            let v = json!({
                "metadata": {"name": "kubectl-fleet-hpa-web", "namespace": "default", "resourceVersion": member_rv},
                "data": {
                    KEY_SPEC: doc.to_string(),
                    KEY_STATE: serde_json::to_string(&state).unwrap(),
                    KEY_REVISION: revision.to_string(),
                    KEY_STATE_REVISION: state_revision.to_string(),
                },
            });
            serde_json::from_value::<ConfigMap>(v).unwrap()
        };
        // c1 has the newer document (applied while c2 held the newer state).
        let (merged, errors) = merge(vec![
            ("c1".into(), Ok(vec![cm("11", 3, 5, 4)])),
            ("c2".into(), Ok(vec![cm("22", 2, 7, 10)])),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        let a = &merged[0];
        assert_eq!(a.spec.max_replicas, 4);
        assert_eq!(a.revision, 3);
        assert_eq!(a.state.current_replicas, 7);
        assert_eq!(a.state_revision, 7);
        assert_eq!(a.versions["c1"], "11");
        assert_eq!(a.versions["c2"], "22");
        assert_eq!(a.members, ["c1", "c2"]);
    }

    #[test]
    fn unreachable_texts_are_those_of_unreachable_member_errors() {
        for e in [
            MemberError::Unreachable("connection refused".into()),
            MemberError::Timeout(Duration::from_secs(3)),
            MemberError::Config("no user".into()),
        ] {
            assert!(e.is_unreachable());
            assert!(is_unreachable_text(&e.to_string()), "{e}");
        }
        for e in [
            MemberError::Api {
                code: 403,
                reason: "Forbidden".into(),
                message: "configmaps is forbidden".into(),
            },
            MemberError::Other("bad body".into()),
        ] {
            assert!(!e.is_unreachable());
            assert!(!is_unreachable_text(&e.to_string()), "{e}");
        }
    }

    #[test]
    fn match_labels_select_pods_like_the_label_selector_query() {
        let d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {}},
        }))
        .unwrap();
        let sel = pod_selector(&d).unwrap();
        assert_eq!(sel.to_query(), "app=web");
        let mut labels: BTreeMap<String, String> = [("app".to_string(), "web".to_string())].into();
        assert!(selects(&sel, Some(&labels)));
        labels.insert("pod-template-hash".into(), "abc".into());
        assert!(selects(&sel, Some(&labels)));
        labels.insert("app".into(), "api".into());
        assert!(!selects(&sel, Some(&labels)));
        assert!(!selects(&sel, None));
    }

    #[test]
    fn match_expressions_select_pods_in_memory_and_in_the_list_query() {
        let d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {
                "matchLabels": {"app": "web"},
                "matchExpressions": [
                    {"key": "tier", "operator": "In", "values": ["gpu", "cpu"]},
                    {"key": "track", "operator": "NotIn", "values": ["canary"]},
                    {"key": "served", "operator": "Exists"},
                    {"key": "draining", "operator": "DoesNotExist"},
                ],
            }, "template": {}},
        }))
        .unwrap();
        let sel = pod_selector(&d).unwrap();
        // The query the pod list sends: kube's string form, parsed back to the same selector.
        let query = sel.to_query();
        assert_eq!(
            query,
            "app=web,tier in (gpu,cpu),track notin (canary),served,!draining"
        );
        assert_eq!(
            super::super::selector::LabelSelector::parse(&query).unwrap(),
            sel
        );
        let pod = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let base = [("app", "web"), ("tier", "gpu"), ("served", "")];
        assert!(selects(&sel, Some(&pod(&base))));
        // NotIn holds for a missing key and another value.
        assert!(selects(
            &sel,
            Some(&pod(&[
                ("app", "web"),
                ("tier", "cpu"),
                ("served", "1"),
                ("track", "stable")
            ]))
        ));
        for bad in [
            vec![("app", "web"), ("tier", "tpu"), ("served", "")], // In: other value
            vec![("app", "web"), ("served", "")],                  // In: key missing
            vec![
                ("app", "web"),
                ("tier", "gpu"),
                ("served", ""),
                ("track", "canary"),
            ], // NotIn
            vec![("app", "web"), ("tier", "gpu")],                 // Exists
            vec![
                ("app", "web"),
                ("tier", "gpu"),
                ("served", ""),
                ("draining", "true"),
            ], // DoesNotExist
            vec![("app", "api"), ("tier", "gpu"), ("served", "")], // matchLabels
        ] {
            assert!(!selects(&sel, Some(&pod(&bad))), "{bad:?}");
        }
        // An operator the API would refuse is an error naming it.
        let d: Deployment = serde_json::from_value(json!({
            "metadata": {"name": "web"},
            "spec": {"selector": {"matchExpressions": [{"key": "tier", "operator": "Near"}]}, "template": {}},
        }))
        .unwrap();
        let err = pod_selector(&d).unwrap_err();
        assert!(
            err.contains("deployment web: spec.selector") && err.contains("\"Near\""),
            "{err}"
        );
    }
}
