//! Events of every member (`get events -M`, `describe`): core/v1 Events read from each member,
//! with the member's name, sorted by when they were last seen (kubectl events' order).
//! `for_object` keeps the events whose `involvedObject` is that object, like
//! `kubectl events --for KIND/NAME`. Unreachable members become `errors`.

use k8s_openapi::api::core::v1::Event;
use k8s_openapi::jiff::Timestamp;
use kube::api::{Api, ListParams};
use serde::Serialize;

use super::error::MemberError;
use super::membership::Fleet;
use super::views::{FleetView, MemberFailure};

/// The object events are asked for (`--for deploy/NAME`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRef {
    /// Kind as in `involvedObject.kind` (`Deployment`, `Pod`, ...).
    pub kind: String,
    pub name: String,
}

impl ObjectRef {
    /// Parses `deploy/web`, `deployment/web`, `deployment.apps/web`, `pod/web-1`, ...
    pub fn parse(text: &str) -> Result<ObjectRef, String> {
        let (kind, name) = text
            .split_once('/')
            .filter(|(k, n)| !k.is_empty() && !n.is_empty() && !n.contains('/'))
            .ok_or_else(|| format!("{text:?}: expected KIND/NAME, e.g. deploy/web"))?;
        let kind = match kind.to_ascii_lowercase().as_str() {
            "deploy" | "deployment" | "deployments" | "deployment.apps" | "deployments.apps" => {
                "Deployment"
            }
            "rs" | "replicaset" | "replicasets" | "replicaset.apps" | "replicasets.apps" => {
                "ReplicaSet"
            }
            "po" | "pod" | "pods" => "Pod",
            "no" | "node" | "nodes" => "Node",
            other => {
                return Err(format!(
                    "{text:?}: unsupported kind {other:?} (deploy, rs, pod or node)"
                ))
            }
        };
        Ok(ObjectRef {
            kind: kind.to_string(),
            name: name.to_string(),
        })
    }
}

/// One event of one member.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRow {
    pub cluster: String,
    pub namespace: String,
    /// lastTimestamp, else eventTime / series / firstTimestamp / creation.
    pub last_seen: Option<Timestamp>,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub type_: String,
    pub reason: String,
    /// `kind/name` of the involved object, lower-case kind like kubectl (`deployment/web`).
    pub object: String,
    pub message: String,
    pub count: i32,
    /// Who reported it (`source.component`, else `reportingComponent`).
    pub source: String,
    /// The Event as read.
    #[serde(skip)]
    pub event: Box<Event>,
}

/// Events of every member; `namespace` None = all namespaces.
pub async fn get_events(
    fleet: &Fleet,
    namespace: Option<&str>,
    for_object: Option<&ObjectRef>,
) -> FleetView<EventRow> {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let api: Api<Event> = match namespace {
                Some(ns) => Api::namespaced(client, ns),
                None => Api::all(client),
            };
            let mut lp = ListParams::default().limit(500);
            let mut rows = Vec::new();
            loop {
                let page = api.list(&lp).await.map_err(MemberError::from)?;
                rows.extend(
                    page.items
                        .into_iter()
                        .filter(|e| for_object.is_none_or(|o| involves(e, o)))
                        .map(|e| event_row(&m.name, e)),
                );
                match page.metadata.continue_.filter(|c| !c.is_empty()) {
                    Some(c) => lp = lp.continue_token(&c),
                    None => return Ok(rows),
                }
            }
        })
        .await;
    let mut view = FleetView::default();
    for (cluster, r) in results {
        match r {
            Ok(mut rows) => view.rows.append(&mut rows),
            Err(e) => view.errors.push(MemberFailure {
                cluster: cluster.clone(),
                error: e.to_string(),
                unreachable: e.is_unreachable(),
            }),
        }
    }
    sort_events(&mut view.rows);
    view
}

/// Oldest first (kubectl events' order), then member, then object and reason.
pub fn sort_events(rows: &mut [EventRow]) {
    rows.sort_by(|a, b| {
        (a.last_seen, &a.cluster, &a.object, &a.reason).cmp(&(
            b.last_seen,
            &b.cluster,
            &b.object,
            &b.reason,
        ))
    });
}

fn involves(e: &Event, o: &ObjectRef) -> bool {
    e.involved_object.kind.as_deref() == Some(o.kind.as_str())
        && e.involved_object.name.as_deref() == Some(o.name.as_str())
}

/// The row of one event read from `cluster`.
pub fn event_row(cluster: &str, e: Event) -> EventRow {
    let last_seen = e
        .last_timestamp
        .as_ref()
        .map(|t| t.0)
        .or_else(|| {
            e.series
                .as_ref()
                .and_then(|s| s.last_observed_time.as_ref())
                .map(|t| t.0)
        })
        .or_else(|| e.event_time.as_ref().map(|t| t.0))
        .or_else(|| e.first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| e.metadata.creation_timestamp.as_ref().map(|t| t.0));
    let kind = e
        .involved_object
        .kind
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = e.involved_object.name.clone().unwrap_or_default();
    EventRow {
        cluster: cluster.to_string(),
        namespace: e.metadata.namespace.clone().unwrap_or_default(),
        last_seen,
        type_: e.type_.clone().unwrap_or_else(|| "Normal".into()),
        reason: e.reason.clone().unwrap_or_default(),
        object: format!("{kind}/{name}"),
        message: e.message.clone().unwrap_or_default().trim().to_string(),
        count: e.count.unwrap_or(1),
        source: e
            .source
            .as_ref()
            .and_then(|s| s.component.clone())
            .or_else(|| e.reporting_component.clone())
            .unwrap_or_default(),
        event: Box::new(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_accepts_kubectl_kind_spellings() {
        for t in ["deploy/web", "deployment/web", "deployments.apps/web"] {
            assert_eq!(
                ObjectRef::parse(t).unwrap(),
                ObjectRef {
                    kind: "Deployment".into(),
                    name: "web".into()
                }
            );
        }
        assert_eq!(ObjectRef::parse("po/web-1").unwrap().kind, "Pod");
        assert!(ObjectRef::parse("web").is_err());
        assert!(ObjectRef::parse("svc/web").is_err());
        assert!(ObjectRef::parse("deploy/").is_err());
    }

    #[test]
    fn rows_use_the_last_timestamp_and_sort_oldest_first() {
        let ev = |cluster: &str, at: &str, reason: &str| {
            let e: Event = serde_json::from_value(serde_json::json!({
                "metadata": {"name": "x", "namespace": "default"},
                "involvedObject": {"kind": "Deployment", "name": "web"},
                "reason": reason, "message": " m \n", "type": "Normal",
                "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": at,
            }))
            .unwrap();
            event_row(cluster, e)
        };
        let mut rows = vec![
            ev("b", "2026-01-01T00:00:09Z", "Late"),
            ev("a", "2026-01-01T00:00:05Z", "Early"),
        ];
        sort_events(&mut rows);
        assert_eq!(rows[0].reason, "Early");
        assert_eq!(rows[0].object, "deployment/web");
        assert_eq!(rows[0].message, "m");
        assert!(involves(
            &rows[0].event,
            &ObjectRef::parse("deploy/web").unwrap()
        ));
        assert!(!involves(
            &rows[0].event,
            &ObjectRef::parse("deploy/api").unwrap()
        ));
    }
}
