//! When was a member first seen unreachable? Failover waits `--unready-timeout` before moving
//! an unreachable member's replicas, and one-shot `rebalance` runs have no memory, so the
//! observation is stored in the fleet itself: key `unreachable-since.<member>` (RFC 3339) in
//! the `kube-system/kubectl-fleet-member` ConfigMap of every *reachable* member, written with
//! server-side apply under its own field manager (`kubectl-fleet-observer`) so it never
//! touches the cordon keys. A member seen reachable again has its key removed. Nothing is
//! written when the observations did not change.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{Api, Patch, PatchParams};
use serde_json::json;

use super::{now_secs, parse_ts};
use crate::fleet::error::MemberError;
use crate::fleet::fanout::MemberResult;
use crate::fleet::membership::{Fleet, Member};
use crate::fleet::read::MemberSnapshot;
use crate::fleet::state;

/// Field manager of the observation keys.
pub const OBSERVER_MANAGER: &str = "kubectl-fleet-observer";
/// Key prefix in the member ConfigMap.
pub const KEY_PREFIX: &str = "unreachable-since.";

/// ConfigMap-key-safe form of a member name.
pub fn key_for(member: &str) -> String {
    let safe: String = member
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{KEY_PREFIX}{safe}")
}

fn format_secs(secs: i64) -> String {
    k8s_openapi::jiff::Timestamp::from_second(secs)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Reads the stored observations from the reachable members, merges them with what the
/// snapshots show now, writes the result back where it differs, and returns
/// `member → unreachable since (epoch seconds)` for the members unreachable now.
/// Members in `skip_writes` (e.g. in backoff) are neither read nor written.
pub async fn update_unreachable_since(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    dry_run: bool,
) -> (BTreeMap<String, i64>, Vec<String>) {
    let mut warnings = Vec::new();
    let reachable: Vec<&str> = snapshots
        .iter()
        .filter(|s| s.result.is_ok())
        .map(|s| s.name.as_str())
        .collect();
    let unreachable: Vec<&str> = snapshots
        .iter()
        .filter(|s| s.result.is_err())
        .map(|s| s.name.as_str())
        .collect();
    // Read what each reachable member recorded.
    let members = fleet
        .members
        .iter()
        .filter(|m| reachable.contains(&m.name.as_str()));
    let stored: Vec<MemberResult<BTreeMap<String, String>>> =
        read_data(fleet, members, state::MEMBER_CONFIGMAP)
            .await
            .into_iter()
            .map(|(name, r)| {
                let ours = r.map(|data| {
                    data.into_iter()
                        .filter(|(k, _)| k.starts_with(KEY_PREFIX))
                        .collect()
                });
                (name, ours)
            })
            .collect();
    let now = now_secs();
    let mut since: BTreeMap<String, i64> = BTreeMap::new();
    for name in &unreachable {
        let key = key_for(name);
        let recorded = stored
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .filter_map(|d| d.get(&key).and_then(|v| parse_ts(v)))
            .min();
        since.insert(name.to_string(), recorded.unwrap_or(now).min(now));
    }
    let want: BTreeMap<String, String> = since
        .iter()
        .map(|(m, s)| (key_for(m), format_secs(*s)))
        .collect();
    if dry_run {
        return (since, warnings);
    }
    warnings.extend(
        write_data_where_changed(
            fleet,
            &stored,
            state::MEMBER_CONFIGMAP,
            None,
            &want,
            "recording unreachable members",
        )
        .await,
    );
    (since, warnings)
}

/// ConfigMap (in `kube-system` of every reachable member) holding a record of every managed
/// workload, so that failover still knows a workload whose only copies are on a member that
/// went down. Key `<namespace>.<name>`, value: the managed copy as JSON (template, labels and
/// the `fleet.kubectl.dev/*` annotations: policy, total replicas, placement).
pub const WORKLOADS_CONFIGMAP: &str = "kubectl-fleet-workloads";

fn record_of(d: &k8s_openapi::api::apps::v1::Deployment) -> String {
    let mut ann = d.metadata.annotations.clone().unwrap_or_default();
    ann.remove(state::ANN_GROUP);
    let v = json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": d.metadata.name,
            "namespace": d.metadata.namespace,
            "labels": d.metadata.labels,
            "annotations": ann,
        },
        "spec": d.spec,
    });
    v.to_string()
}

/// Keeps the workload records current in every reachable member (written only where they
/// differ) and adds to `snapshots` the workloads that no reachable member shows but whose
/// recorded placement names an unreachable member: as a 0-replica copy on the first
/// reachable member, so the planner sees them and fails their replicas over. Records of
/// workloads that are gone (and whose members are all reachable) are dropped.
pub async fn sync_workload_records(
    fleet: &Fleet,
    snapshots: &mut [MemberSnapshot],
    dry_run: bool,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let reachable: Vec<String> = snapshots
        .iter()
        .filter(|s| s.result.is_ok())
        .map(|s| s.name.clone())
        .collect();
    let unreachable: Vec<String> = snapshots
        .iter()
        .filter(|s| s.result.is_err())
        .map(|s| s.name.clone())
        .collect();
    let members = fleet.members.iter().filter(|m| reachable.contains(&m.name));
    let stored = read_data(fleet, members, WORKLOADS_CONFIGMAP).await;
    let mut want: BTreeMap<String, String> = BTreeMap::new();
    for w in crate::fleet::plan::managed_workloads(snapshots) {
        want.insert(format!("{}.{}", w.namespace, w.name), record_of(&w.object));
    }
    let mut revive: Vec<k8s_openapi::api::apps::v1::Deployment> = Vec::new();
    for (_, r) in &stored {
        let Ok(data) = r else { continue };
        for (k, v) in data {
            if want.contains_key(k) {
                continue;
            }
            let Ok(d) = serde_json::from_str::<k8s_openapi::api::apps::v1::Deployment>(v) else {
                continue;
            };
            let placement: BTreeMap<String, u32> = d
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(state::ANN_PLACEMENT))
                .and_then(|p| serde_json::from_str(p).ok())
                .unwrap_or_default();
            let held_by_unreachable = placement
                .iter()
                .any(|(m, n)| *n > 0 && unreachable.contains(m));
            if held_by_unreachable {
                want.insert(k.clone(), v.clone());
                revive.push(d);
            }
        }
    }
    if let Some(first) = snapshots.iter_mut().find(|s| s.result.is_ok()) {
        if let Ok(st) = first.result.as_mut() {
            for mut d in revive {
                d.spec.replicas = Some(0);
                d.status = None;
                st.deployments
                    .push(crate::fleet::read::DeploymentState::from_deployment(d));
            }
        }
    }
    if dry_run {
        return warnings;
    }
    warnings.extend(
        write_data_where_changed(
            fleet,
            &stored,
            WORKLOADS_CONFIGMAP,
            Some(json!({state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE})),
            &want,
            "recording workloads",
        )
        .await,
    );
    warnings
}

/// Re-reads the members' Deployments and brings the workload records up to date (after a
/// pass that wrote, so the records describe the new placement and the next pass has nothing
/// to write).
pub async fn refresh_workload_records(fleet: &Fleet) -> Vec<String> {
    let opts = crate::fleet::read::ReadOptions {
        pods: false,
        providers: false,
        ..Default::default()
    };
    let mut snapshots = crate::fleet::read::read_snapshots(fleet, &opts).await;
    sync_workload_records(fleet, &mut snapshots, false).await
}

/// The data of ConfigMap `kube-system/<configmap>` on each of `members` (no ConfigMap = empty).
async fn read_data<'a>(
    fleet: &Fleet,
    members: impl IntoIterator<Item = &'a Member>,
    configmap: &'a str,
) -> Vec<MemberResult<BTreeMap<String, String>>> {
    crate::fleet::fanout::for_members(members, fleet.request_timeout, |m| async move {
        let client = m.client().await?;
        let api: Api<ConfigMap> = Api::namespaced(client, state::MEMBER_NAMESPACE);
        let cm = api.get_opt(configmap).await.map_err(MemberError::from)?;
        Ok(cm.and_then(|c| c.data).unwrap_or_default())
    })
    .await
}

/// Server-side applies `want` as the data of `kube-system/<configmap>` (with `labels`, under
/// [`OBSERVER_MANAGER`]) on the members whose `stored` data differs; members that could not
/// be read are left alone. One warning per failed write: `<member>: <what>: <error>`.
async fn write_data_where_changed(
    fleet: &Fleet,
    stored: &[MemberResult<BTreeMap<String, String>>],
    configmap: &str,
    labels: Option<serde_json::Value>,
    want: &BTreeMap<String, String>,
    what: &str,
) -> Vec<String> {
    let to_write: Vec<&str> = stored
        .iter()
        .filter_map(|(name, r)| match r {
            Ok(have) if have != want => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let members = fleet
        .members
        .iter()
        .filter(|m| to_write.contains(&m.name.as_str()));
    let mut metadata = json!({"name": configmap, "namespace": state::MEMBER_NAMESPACE});
    if let Some(labels) = labels {
        metadata["labels"] = labels;
    }
    let body = json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata,
        "data": want,
    });
    let body = &body;
    let writes =
        crate::fleet::fanout::for_members(members, fleet.request_timeout, |m| async move {
            let client = m.client().await?;
            let api: Api<ConfigMap> = Api::namespaced(client, state::MEMBER_NAMESPACE);
            api.patch(
                configmap,
                &PatchParams::apply(OBSERVER_MANAGER).force(),
                &Patch::Apply(body),
            )
            .await
            .map(|_| ())
            .map_err(MemberError::from)
        })
        .await;
    writes
        .into_iter()
        .filter_map(|(name, r)| r.err().map(|e| format!("{name}: {what}: {e}")))
        .collect()
}
