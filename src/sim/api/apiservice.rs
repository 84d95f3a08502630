//! `apiregistration.k8s.io/v1` APIServices, read-only (`get`, `list`): one per served
//! group-version, as kube-aggregator registers them. The built-in groups are `Local`
//! (`service: null`, always available); the metrics groups (api/metrics.rs) name the
//! Service a real cluster's metrics-server / metrics adapter runs as, and are available
//! unless the member's metrics are switched off (`sim fault --no-metrics`), when they report
//! `Available=False` with reason `FailedDiscoveryCheck`, like kube-aggregator's availability
//! controller for a backend that does not answer. Computed when asked, never stored.

use axum::http::Method;
use axum::response::Response;
use serde_json::{json, Value};

use super::{json_response, not_found_path, Req};
use crate::sim::auth::Attributes;
use crate::sim::selector::LabelSelector;
use crate::sim::store::{ApiError, Kind};

/// The API group.
pub const GROUP: &str = "apiregistration.k8s.io";
/// The resource.
pub const RESOURCE: &str = "apiservices";

/// The Service in front of an aggregated metrics group (namespace, name).
fn backend(group: &str) -> Option<(&'static str, &'static str)> {
    match group {
        "metrics.k8s.io" => Some(("kube-system", "metrics-server")),
        "custom.metrics.k8s.io" | "external.metrics.k8s.io" => {
            Some(("kube-system", "custom-metrics-apiserver"))
        }
        _ => None,
    }
}

/// Kube's `groupPriorityMinimum` of the built-in groups (the aggregator's default table),
/// 1000 for aggregated ones.
fn group_priority(group: &str) -> u32 {
    match group {
        "" => 18000,
        "apps" => 17800,
        "authentication.k8s.io" => 17700,
        "authorization.k8s.io" => 17600,
        "autoscaling" => 17500,
        "batch" => 17400,
        "policy" => 17100,
        "rbac.authorization.k8s.io" => 17000,
        "scheduling.k8s.io" => 16600,
        "coordination.k8s.io" => 16500,
        "apiregistration.k8s.io" => 18200,
        _ if backend(group).is_some() => 100,
        _ => 1000,
    }
}

/// The APIServices of a member, in name order (`v1.` for the core group).
pub(crate) fn objects(req: &Req<'_>) -> Vec<Value> {
    let ctx = &req.st.ctx;
    // The member's age: its kube-system namespace was created at start.
    let created = ctx
        .store
        .get(Kind::Namespace, "", "kube-system")
        .and_then(|n| {
            n["metadata"]["creationTimestamp"]
                .as_str()
                .map(String::from)
        })
        .unwrap_or_else(crate::sim::store::now_rfc3339);
    let no_metrics = ctx.faults.no_metrics();
    let metrics_changed = ctx.faults.metrics_changed();
    let changed = metrics_changed.as_deref().unwrap_or(&created);
    // Switched off and on again: a newer object.
    let rv = resource_version(req);
    let mut gvs = vec![("", "v1")];
    gvs.extend(super::discovery::group_versions());
    let mut out: Vec<Value> = gvs
        .into_iter()
        .map(|(g, v)| {
            let name = format!("{v}.{g}");
            let (service, condition) = match backend(g) {
                None => (
                    Value::Null,
                    json!({"type": "Available", "status": "True", "lastTransitionTime": created,
                           "reason": "Local", "message": "Local APIServices are always available"}),
                ),
                Some((ns, svc)) => (
                    json!({"namespace": ns, "name": svc, "port": 443}),
                    if no_metrics {
                        json!({"type": "Available", "status": "False", "lastTransitionTime": changed,
                               "reason": "FailedDiscoveryCheck",
                               "message": format!("failing or missing response from https://{svc}.{ns}.svc:443/apis/{g}/{v}: the server is currently unable to handle the request")})
                    } else {
                        json!({"type": "Available", "status": "True", "lastTransitionTime": changed,
                               "reason": "Passed", "message": "all checks passed"})
                    },
                ),
            };
            let mut spec = json!({
                "group": g,
                "version": v,
                "groupPriorityMinimum": group_priority(g),
                "versionPriority": if v == "v1" { 15 } else { 100 },
                "service": service,
            });
            let mut meta = json!({
                "name": name,
                "uid": uid(&name),
                "resourceVersion": if service.is_null() { "1".to_string() } else { rv.to_string() },
                "creationTimestamp": created,
            });
            if service.is_null() {
                meta["labels"] = json!({"kube-aggregator.kubernetes.io/automanaged": "onstart"});
            } else {
                spec["insecureSkipTLSVerify"] = json!(true);
                if g == "metrics.k8s.io" {
                    meta["labels"] = json!({"k8s-app": "metrics-server"});
                }
            }
            json!({
                "kind": "APIService",
                "apiVersion": format!("{GROUP}/v1"),
                "metadata": meta,
                "spec": spec,
                "status": {"conditions": [condition]},
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a["metadata"]["name"]
            .as_str()
            .cmp(&b["metadata"]["name"].as_str())
    });
    out
}

/// The APIServices' resourceVersion: 1 at start, one more each time the metrics APIs are
/// switched off or on (the aggregated APIServices' status changes).
fn resource_version(req: &Req<'_>) -> u64 {
    let toggles = req.st.ctx.faults.metrics_toggles();
    1 + toggles
}

/// A stable UUID-shaped uid from the name (the objects are rebuilt on every request).
fn uid(name: &str) -> String {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in name.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    let x = format!("{h:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

/// Handles `/apis/apiregistration.k8s.io/v1/apiservices[/NAME]`.
pub(crate) fn route(req: &Req<'_>, rest: &[&str], path: &str) -> Result<Response, ApiError> {
    let name = match rest {
        [] => "",
        [n] => n,
        _ => return Err(not_found_path(path)),
    };
    let watch = req.query.flag("watch");
    let verb = match (name.is_empty(), watch) {
        (false, _) => "get",
        (true, false) => "list",
        (true, true) => "watch",
    };
    let verb = if req.method == Method::GET {
        verb
    } else {
        match req.method.as_str() {
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" if name.is_empty() => "deletecollection",
            "DELETE" => "delete",
            _ => "unknown",
        }
    };
    req.authorize(&Attributes::Resource {
        verb: verb.into(),
        group: GROUP.into(),
        resource: RESOURCE.into(),
        subresource: String::new(),
        namespace: String::new(),
        name: name.to_string(),
    })?;
    if !matches!(verb, "get" | "list") {
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("the simulated API server serves apiservices read-only (get, list), not {verb} ({path})"),
        ));
    }
    let all = objects(req);
    let rv = resource_version(req);
    let table = |items: &[Value]| super::table::apiservice_table(items, &req.query, rv);
    if !name.is_empty() {
        let obj = all
            .into_iter()
            .find(|o| o["metadata"]["name"] == name)
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "NotFound",
                    format!("{RESOURCE}.{GROUP} \"{name}\" not found"),
                )
            })?;
        return Ok(if req.wants_table() {
            json_response(200, &table(std::slice::from_ref(&obj)))
        } else {
            json_response(200, &obj)
        });
    }
    let selector = LabelSelector::parse(req.query.get("labelSelector").unwrap_or(""))?;
    let field = req.query.get("fieldSelector").unwrap_or("");
    let by_name = field
        .strip_prefix("metadata.name=")
        .map(|n| n.trim_start_matches('='));
    let items: Vec<Value> = all
        .into_iter()
        .filter(|o| selector.matches_json(o["metadata"]["labels"].as_object()))
        .filter(|o| by_name.is_none_or(|n| o["metadata"]["name"] == n))
        .collect();
    Ok(if req.wants_table() {
        json_response(200, &table(&items))
    } else {
        json_response(
            200,
            &json!({"kind": "APIServiceList", "apiVersion": format!("{GROUP}/v1"),
                    "metadata": {"resourceVersion": rv.to_string()}, "items": items}),
        )
    })
}
