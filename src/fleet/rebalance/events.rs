//! Kubernetes Events for fleet actions: one core/v1 Event per action and member, with
//! `involvedObject` = the member's copy of the Deployment, `source.component` and
//! `reportingComponent` = `kubectl-fleet`, so `kubectl describe deploy` and
//! `kubectl get events` on the member show what the fleet did and why.

use k8s_openapi::api::core::v1::Event;
use kube::api::{Api, PostParams};
use kube::Client;
use serde_json::json;

use super::now_rfc3339;
use crate::fleet::error::MemberError;

/// `source.component` / `reportingComponent` of the events.
pub const COMPONENT: &str = "kubectl-fleet";

/// Who is acting (`$USER`, else `kubectl-fleet`), recorded as `reportingInstance`.
pub fn actor() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "kubectl-fleet".to_string())
}

/// One event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetEvent {
    pub namespace: String,
    /// The Deployment the event is about.
    pub deployment: String,
    /// CamelCase reason (`FleetDeschedule`, `FleetFailover`, `FleetReturnToPriority`, ...).
    pub reason: String,
    pub message: String,
    /// `Normal` or `Warning`.
    pub type_: String,
}

/// Creates the event on the member.
pub async fn record(client: &Client, ev: &FleetEvent) -> Result<(), MemberError> {
    let api: Api<Event> = Api::namespaced(client.clone(), &ev.namespace);
    let now = now_rfc3339();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let obj: Event = serde_json::from_value(json!({
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": format!("{}.{:x}{:04x}", ev.deployment, nanos, fastrand::u16(..)),
            "namespace": ev.namespace,
        },
        "involvedObject": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": ev.deployment,
            "namespace": ev.namespace,
        },
        "reason": ev.reason,
        "message": ev.message,
        "type": ev.type_,
        "source": {"component": COMPONENT},
        "reportingComponent": COMPONENT,
        "reportingInstance": actor(),
        "action": ev.reason,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
    }))
    .map_err(|e| MemberError::Other(e.to_string()))?;
    api.create(&PostParams::default(), &obj)
        .await
        .map(|_| ())
        .map_err(MemberError::from)
}
