//! Day-2 primitives on managed workloads and members: scale (re-plan with the stored policy
//! and a new total; apply with [`super::apply()`]), delete, and the member cordon state.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use serde::Serialize;
use serde_json::{json, Value};

use super::apply::DryRun;
use super::error::{FleetError, MemberError};
use super::membership::{Fleet, Member};
use super::plan::{plan_managed, stored_policy, FleetPlan, PlanOptions};
use super::read::MemberSnapshot;
use super::state::{self, CordonState};

/// Plan for `scale deploy/NAME --replicas N`: the stored policy and template, the new total;
/// existing replicas stay (stability) and scale-in follows reverse priority (the engine).
pub fn plan_scale(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    namespace: &str,
    name: &str,
    replicas: u32,
) -> Result<FleetPlan, FleetError> {
    plan_managed(
        fleet,
        snapshots,
        namespace,
        name,
        Some(replicas),
        &PlanOptions::default(),
    )
}

/// Options of [`delete`].
#[derive(Debug, Clone, Default)]
pub struct DeleteOptions {
    pub dry_run: DryRun,
    /// Overrides the stored policy's `preserveResourcesOnDeletion`.
    pub preserve: Option<bool>,
    /// Go ahead even if some members cannot be reached (their copies stay).
    pub allow_unreachable: bool,
}

/// What happened to one member copy on delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DeleteAction {
    /// The copy was deleted.
    Deleted,
    /// preserveResourcesOnDeletion: the copy stays, kubectl-fleet's label and annotations
    /// were removed (it is no longer managed).
    Released,
    /// A same-named Deployment not managed by kubectl-fleet: left alone.
    NotManaged,
    /// No copy on this member.
    Absent,
    Skipped,
    Failed,
}

/// One member's outcome of [`delete`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteChange {
    pub cluster: String,
    pub action: DeleteAction,
    pub message: Option<String>,
}

/// The result of [`delete`].
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteReport {
    pub namespace: String,
    pub name: String,
    pub preserved: bool,
    pub dry_run: DryRun,
    pub members: Vec<DeleteChange>,
    pub errors: Vec<String>,
}

/// Deletes the member copies of a managed Deployment, or, when the stored policy says
/// `preserveResourcesOnDeletion: true` (or `opts.preserve`), releases them: removes the
/// managed-by label and the `fleet.kubectl.dev/*` annotations and leaves them running.
pub async fn delete(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    opts: &DeleteOptions,
) -> Result<DeleteReport, FleetError> {
    let reads = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let api: Api<Deployment> = Api::namespaced(client, namespace);
            api.get_opt(name).await.map_err(MemberError::from)
        })
        .await;
    let mut copies: BTreeMap<String, Option<Deployment>> = BTreeMap::new();
    let mut unreachable = Vec::new();
    for (member, r) in reads {
        match r {
            Ok(d) => {
                copies.insert(member, d);
            }
            Err(e) if !opts.allow_unreachable => {
                return Err(FleetError::Unreachable {
                    member,
                    reason: e.unreachable_reason(),
                })
            }
            Err(e) => unreachable.push((member, e.unreachable_reason())),
        }
    }
    let managed: Vec<&Deployment> = copies
        .values()
        .flatten()
        .filter(|d| super::views::is_managed(d))
        .collect();
    if managed.is_empty() {
        let line = format!(
            "deployment {namespace}/{name} is not managed by kubectl-fleet in any reachable member"
        );
        let unreachable: Vec<&str> = unreachable.iter().map(|(m, _)| m.as_str()).collect();
        return Err(if unreachable.is_empty() {
            FleetError::Input(line)
        } else {
            FleetError::Runtime(format!("{line} (unreachable: {})", unreachable.join(", ")))
        });
    }
    let preserve = match opts.preserve {
        Some(p) => p,
        None => managed
            .iter()
            .find_map(|d| {
                d.metadata
                    .annotations
                    .as_ref()?
                    .get(state::ANN_POLICY)
                    .cloned()
            })
            .and_then(|text| stored_policy(&text, "stored policy").ok())
            .is_some_and(|(p, _)| p.spec.preserve_resources_on_deletion),
    };
    let mut report = DeleteReport {
        namespace: namespace.to_string(),
        name: name.to_string(),
        preserved: preserve,
        dry_run: opts.dry_run,
        members: Vec::new(),
        errors: Vec::new(),
    };
    for m in &fleet.members {
        if let Some((_, why)) = unreachable.iter().find(|(n, _)| n == &m.name) {
            report.members.push(DeleteChange {
                cluster: m.name.clone(),
                action: DeleteAction::Skipped,
                message: Some(why.clone()),
            });
            continue;
        }
        let copy = copies.get(&m.name).cloned().flatten();
        let action = match &copy {
            None => DeleteAction::Absent,
            Some(d) if !super::views::is_managed(d) => DeleteAction::NotManaged,
            Some(d) => {
                let r = if opts.dry_run == DryRun::Client {
                    Ok(())
                } else if preserve {
                    release(m, d, opts).await
                } else {
                    remove(m, namespace, name, opts).await
                };
                match r {
                    Ok(()) if preserve => DeleteAction::Released,
                    Ok(()) => DeleteAction::Deleted,
                    Err(e) => {
                        report
                            .errors
                            .push(format!("{}: deployment {namespace}/{name}: {e}", m.name));
                        DeleteAction::Failed
                    }
                }
            }
        };
        report.members.push(DeleteChange {
            cluster: m.name.clone(),
            action,
            message: None,
        });
    }
    Ok(report)
}

async fn remove(
    m: &Member,
    namespace: &str,
    name: &str,
    opts: &DeleteOptions,
) -> Result<(), MemberError> {
    let api: Api<Deployment> = Api::namespaced(m.client().await?, namespace);
    let mut dp = DeleteParams::background();
    if opts.dry_run == DryRun::Server {
        dp = dp.dry_run();
    }
    let gone = |r: Result<_, kube::Error>| match r {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
        Err(e) => Err(MemberError::from(e)),
    };
    gone(api.delete(name, &dp).await.map(|_| ()))?;
    // A rollout's canary copy and record go with the Deployment.
    gone(
        api.delete(&super::rollout::canary_name(name), &dp)
            .await
            .map(|_| ()),
    )?;
    let cms: Api<k8s_openapi::api::core::v1::ConfigMap> =
        Api::namespaced(m.client().await?, namespace);
    gone(
        cms.delete(&super::rollout::record_name(name), &dp)
            .await
            .map(|_| ()),
    )
}

async fn release(m: &Member, d: &Deployment, opts: &DeleteOptions) -> Result<(), MemberError> {
    let ns = d
        .metadata
        .namespace
        .clone()
        .unwrap_or_else(|| "default".into());
    let name = d.metadata.name.clone().unwrap_or_default();
    let api: Api<Deployment> = Api::namespaced(m.client().await?, &ns);
    let mut annotations = serde_json::Map::new();
    for k in d.metadata.annotations.clone().unwrap_or_default().keys() {
        if k.starts_with("fleet.kubectl.dev/") {
            annotations.insert(k.clone(), Value::Null);
        }
    }
    let patch = json!({
        "metadata": {
            "labels": { state::MANAGED_BY_LABEL: null },
            "annotations": annotations,
        }
    });
    let mut pp = PatchParams::default();
    if opts.dry_run == DryRun::Server {
        pp = pp.dry_run();
    }
    api.patch(&name, &pp, &Patch::Merge(&patch)).await?;
    Ok(())
}

/// Reads a member's cordon state (absent ConfigMap = not cordoned).
pub async fn read_cordon(member: &Member) -> Result<CordonState, MemberError> {
    super::read::read_cordon_with(&member.client().await?).await
}

/// Writes a member's cordon state to ConfigMap `kube-system/kubectl-fleet-member`
/// (server-side apply with `field_manager`).
pub async fn write_cordon(
    member: &Member,
    cordon: &CordonState,
    field_manager: &str,
) -> Result<CordonState, MemberError> {
    let client = member.client().await?;
    let api: Api<ConfigMap> = Api::namespaced(client, state::MEMBER_NAMESPACE);
    let body = json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": state::MEMBER_CONFIGMAP,
            "namespace": state::MEMBER_NAMESPACE,
            "labels": { state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE },
        },
        "data": cordon.to_data(),
    });
    let pp = PatchParams::apply(field_manager).force();
    let cm = api
        .patch(state::MEMBER_CONFIGMAP, &pp, &Patch::Apply(&body))
        .await?;
    Ok(CordonState::from_data(&cm.data.unwrap_or_default()))
}

/// Cordons a member: it gets no new replicas from any plan. `by` names who did it.
pub async fn cordon(
    member: &Member,
    reason: Option<&str>,
    by: Option<&str>,
) -> Result<CordonState, MemberError> {
    let state = CordonState {
        cordoned: true,
        reason: reason.map(str::to_string),
        by: by.map(str::to_string),
        at: Some(k8s_openapi::jiff::Timestamp::now().to_string()),
    };
    write_cordon(member, &state, state::FIELD_MANAGER).await
}

/// Uncordons a member.
pub async fn uncordon(member: &Member, by: Option<&str>) -> Result<CordonState, MemberError> {
    let state = CordonState {
        cordoned: false,
        reason: None,
        by: by.map(str::to_string),
        at: Some(k8s_openapi::jiff::Timestamp::now().to_string()),
    };
    write_cordon(member, &state, state::FIELD_MANAGER).await
}
