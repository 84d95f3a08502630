//! Fleet autoscalers in the members (docs/state.md, "Fleet autoscalers"): every reachable
//! member holds ConfigMap `<namespace>/kubectl-fleet-hpa-<name>` with the autoscaler's document
//! and its state (recommendations, scale events, conditions, metrics), so any machine and any
//! reconciler replica sees the same autoscaler and a restart keeps the stabilization windows.
//! No HorizontalPodAutoscaler object is ever created in a member (it would fight the division).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, ListParams, Patch, PatchParams};
use serde_json::{json, Value};

use super::apply::DryRun;
use super::error::{FleetError, MemberError};
use super::membership::Fleet;
use super::read::MemberSnapshot;
use super::state;
use super::Inputs;
use crate::autoscale::{AutoscalerSpec, AutoscalerState};
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
/// Data key: a counter raised by every write; readers take the member copy with the highest.
pub const KEY_REVISION: &str = "revision";

/// The ConfigMap name of autoscaler `name`.
pub fn configmap_name(name: &str) -> String {
    format!("{CONFIGMAP_PREFIX}{name}")
}

/// An autoscaler as stored in the members (the newest copy).
#[derive(Debug, Clone)]
pub struct StoredAutoscaler {
    pub spec: AutoscalerSpec,
    pub document: Value,
    pub state: AutoscalerState,
    pub revision: u64,
    /// `creationTimestamp` of the newest copy (for AGE).
    pub created: Option<k8s_openapi::apimachinery::pkg::apis::meta::v1::Time>,
    /// Members holding a copy.
    pub members: Vec<String>,
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

fn body(spec: &AutoscalerSpec, document: &Value, state: &AutoscalerState, revision: u64) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": configmap_name(&spec.name),
            "namespace": spec.namespace,
            "labels": {
                state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE,
                LABEL_AUTOSCALER: spec.name,
                LABEL_TARGET: spec.target,
            },
        },
        "data": {
            KEY_SPEC: document.to_string(),
            KEY_STATE: serde_json::to_string(state).unwrap_or_default(),
            KEY_REVISION: revision.to_string(),
        },
    })
}

/// Writes the autoscaler (document + state) to every member (server-side apply); returns one
/// result per member. With `DryRun::Client` nothing is sent.
pub async fn write(
    fleet: &Fleet,
    spec: &AutoscalerSpec,
    document: &Value,
    state: &AutoscalerState,
    revision: u64,
    dry_run: DryRun,
) -> Vec<(String, Result<(), MemberError>)> {
    if dry_run == DryRun::Client {
        return fleet
            .members
            .iter()
            .map(|m| (m.name.clone(), Ok(())))
            .collect();
    }
    let body = body(spec, document, state, revision);
    let name = configmap_name(&spec.name);
    fleet
        .for_each(|m| {
            let body = body.clone();
            let name = name.clone();
            let ns = spec.namespace.clone();
            async move {
                let api: Api<ConfigMap> = Api::namespaced(m.client().await?, &ns);
                let mut pp = PatchParams::apply(state::FIELD_MANAGER).force();
                if dry_run == DryRun::Server {
                    pp = pp.dry_run();
                }
                api.patch(&name, &pp, &Patch::Apply(&body)).await?;
                Ok(())
            }
        })
        .await
}

/// Stores the autoscalers of `apply -f`: the new document with the state already in the
/// members (kept, so a re-apply keeps the stabilization windows).
pub async fn store(
    fleet: &Fleet,
    doc: &AutoscalerDocument,
    dry_run: DryRun,
) -> Vec<(String, Result<(), MemberError>)> {
    let (existing, _) = list(fleet, Some(&doc.spec.namespace)).await;
    let old = existing.into_iter().find(|a| a.spec.name == doc.spec.name);
    let (state, revision) = match old {
        Some(a) => (a.state, a.revision + 1),
        None => (AutoscalerState::default(), 1),
    };
    write(fleet, &doc.spec, &doc.document, &state, revision, dry_run).await
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
    Ok(StoredAutoscaler {
        spec: doc.spec,
        document: doc.document,
        state,
        revision: data
            .get(KEY_REVISION)
            .and_then(|r| r.parse().ok())
            .unwrap_or(0),
        created: cm.metadata.creation_timestamp.clone(),
        members: vec![member.to_string()],
    })
}

/// Reads the autoscalers of every member (one namespace or all) and keeps, per autoscaler, the
/// copy with the highest revision. Members that could not be read come back as errors.
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

/// The newest copy of each autoscaler across members' ConfigMaps.
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
                                    let mut members = std::mem::take(&mut cur.members);
                                    members.push(member.clone());
                                    if a.revision > cur.revision {
                                        *cur = a;
                                    }
                                    cur.members = members;
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

/// Deletes autoscaler `namespace/name` from every member; `Ok(false)` for a member without it.
pub async fn delete(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    dry_run: DryRun,
) -> Vec<(String, Result<bool, MemberError>)> {
    let cm = configmap_name(name);
    fleet
        .for_each(|m| {
            let cm = cm.clone();
            async move {
                let api: Api<ConfigMap> = Api::namespaced(m.client().await?, namespace);
                if api.get_opt(&cm).await?.is_none() {
                    return Ok(false);
                }
                if dry_run == DryRun::Client {
                    return Ok(true);
                }
                let mut dp = DeleteParams::default();
                if dry_run == DryRun::Server {
                    dp = dp.dry_run();
                }
                api.delete(&cm, &dp).await?;
                Ok(true)
            }
        })
        .await
}
