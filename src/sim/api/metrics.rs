//! The resource metrics API (`metrics.k8s.io/v1beta1`: PodMetrics with per-container usage,
//! NodeMetrics), the custom metrics API (`custom.metrics.k8s.io/v1beta2`, pods and object
//! metrics) and the external metrics API (`external.metrics.k8s.io/v1beta1`), served by every
//! member like aggregated APIs (discoverable under `/apis`), from the fleet's load model
//! (`sim::load`). Object and external metrics are served by one member only (the demand's
//! `cluster`). Unmodified `kubectl top pods|nodes --context M` works. Requests are authorized
//! by RBAC on the metrics group's resources, as an aggregated API server's delegated
//! authorizer does (`pods.metrics.k8s.io`; `pods/<metric>` in `custom.metrics.k8s.io`; the
//! metric name as the resource in `external.metrics.k8s.io`).

use serde_json::{json, Value};

use super::{json_response, not_found_path, Req};
use crate::sim::auth::Attributes;
use crate::sim::load::{pod_request, PodUsage};
use crate::sim::selector::LabelSelector;
use crate::sim::store::{now_rfc3339, ApiError, Kind};
use axum::response::Response;

/// The metrics API groups (group, version), added to discovery.
pub const GROUPS: [(&str, &str); 3] = [
    ("metrics.k8s.io", "v1beta1"),
    ("custom.metrics.k8s.io", "v1beta2"),
    ("external.metrics.k8s.io", "v1beta1"),
];

/// Window of every sample, in simulated seconds (reported scaled by the fleet's speed, so the
/// HPA's "one window after readiness" rule passes as fast as simulated time does).
const WINDOW_SECONDS: i64 = 30;

fn window(req: &Req<'_>) -> String {
    format!(
        "{}ms",
        req.st.ctx.scaled(WINDOW_SECONDS as f64).as_millis().max(1)
    )
}

fn cpu(milli: i64) -> String {
    format!("{}n", milli.max(0) * 1_000_000)
}

fn memory(milli: i64) -> String {
    format!("{}Ki", (milli.max(0) / 1000) / 1024)
}

fn milli(v: i64) -> String {
    format!("{}m", v.max(0))
}

fn resource_list(group: &str, version: &str, resources: Vec<Value>) -> Value {
    json!({
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": format!("{group}/{version}"),
        "resources": resources,
    })
}

fn list_selector(req: &Req<'_>) -> Result<LabelSelector, ApiError> {
    LabelSelector::parse(req.query.get("labelSelector").unwrap_or(""))
}

/// Handles `/apis/metrics.k8s.io/...` and `/apis/custom.metrics.k8s.io/...`.
pub(crate) fn route(
    req: &Req<'_>,
    group: &str,
    rest: &[&str],
    path: &str,
) -> Result<Response, ApiError> {
    let version = GROUPS
        .iter()
        .find(|(g, _)| *g == group)
        .map(|(_, v)| *v)
        .ok_or_else(|| not_found_path(path))?;
    if req.st.ctx.faults.no_metrics() {
        // What kube-aggregator answers for an APIService whose backend is unavailable.
        return Err(ApiError::new(
            503,
            "ServiceUnavailable",
            "the server is currently unable to handle the request",
        ));
    }
    if req.method != axum::http::Method::GET {
        return Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("the server does not allow this method on the requested resource ({path})"),
        ));
    }
    match rest {
        [] => {
            let v = json!({"groupVersion": format!("{group}/{version}"), "version": version});
            Ok(json_response(
                200,
                &json!({"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": [v], "preferredVersion": v}),
            ))
        }
        [v, tail @ ..] if *v == version => {
            if let Some(attrs) = attributes(req, group, tail) {
                req.authorize(&attrs)?;
            }
            match group {
                "metrics.k8s.io" => resource_metrics(req, tail, path),
                "external.metrics.k8s.io" => external_metrics(req, tail, path),
                _ => custom_metrics(req, tail, path),
            }
        }
        _ => Err(not_found_path(path)),
    }
}

/// What a metrics request asks for, in the authorizer's terms (kube's request info, as an
/// aggregated API server hands it to the delegated authorizer): `[namespaces/<ns>/]<resource>
/// [/<name>[/<subresource>]]`, verb `get` with a name and `list` (or `watch`) without. A custom
/// metric of all pods (`pods/*/<metric>`) is `get` on resource `pods`, name `*`, subresource
/// `<metric>`. None for the group-version's discovery document.
pub(crate) fn attributes(req: &Req<'_>, group: &str, tail: &[&str]) -> Option<Attributes> {
    let (namespace, parts) = match tail {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (*ns, rest),
        other => ("", other),
    };
    let (resource, rest) = parts.split_first()?;
    let name = rest.first().copied().unwrap_or_default();
    let name = if name == "%2A" || name == "%2a" {
        "*"
    } else {
        name
    };
    let verb = if !name.is_empty() {
        "get"
    } else if req.query.flag("watch") {
        "watch"
    } else {
        "list"
    };
    Some(Attributes::Resource {
        verb: verb.into(),
        group: group.into(),
        resource: (*resource).into(),
        subresource: rest.get(1).copied().unwrap_or_default().into(),
        namespace: namespace.into(),
        name: name.into(),
    })
}

fn pod_item(pod: &Value, u: &PodUsage, now: &str, window: &str) -> Value {
    let names: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .map(|c| c["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    let n = names.len();
    // Usage split over the containers in proportion to their cpu requests (evenly without
    // requests); the first container takes the rounding remainder.
    let split = |total: i64| -> Vec<i64> {
        let mut parts: Vec<i64> = (0..n).map(|i| container_share(pod, i, total)).collect();
        if let Some(first) = parts.first_mut() {
            *first += total - (0..n).map(|i| container_share(pod, i, total)).sum::<i64>();
        }
        parts
    };
    let (cpus, mems) = (split(u.cpu_milli), split(u.memory_milli));
    let containers: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, name)| json!({"name": name, "usage": {"cpu": cpu(cpus[i]), "memory": memory(mems[i])}}))
        .collect();
    json!({
        "metadata": {
            "name": pod["metadata"]["name"],
            "namespace": pod["metadata"]["namespace"],
            "labels": pod["metadata"]["labels"],
            "creationTimestamp": now,
        },
        "timestamp": now,
        "window": window,
        "containers": containers,
    })
}

fn container_share(pod: &Value, i: usize, total: i64) -> i64 {
    let n = pod["spec"]["containers"]
        .as_array()
        .map_or(1, Vec::len)
        .max(1) as i64;
    let total_cpu = pod_request(pod, "cpu");
    let req_cpu = pod["spec"]["containers"][i]["resources"]["requests"]["cpu"]
        .as_str()
        .and_then(|q| crate::capacity::quantity::parse_quantity(q).ok())
        .unwrap_or(0);
    if total_cpu > 0 {
        total * req_cpu / total_cpu
    } else {
        total / n
    }
}

fn resource_metrics(req: &Req<'_>, tail: &[&str], path: &str) -> Result<Response, ApiError> {
    let store = &req.st.ctx.store;
    let load = &req.st.load;
    let now = now_rfc3339();
    let pods_of = |ns: Option<&str>, name: Option<&str>| -> Result<Response, ApiError> {
        let sel = list_selector(req)?;
        let pods: Vec<Value> = store
            .list(Kind::Pod, ns)
            .into_iter()
            .filter(|p| name.is_none_or(|n| p["metadata"]["name"] == n))
            .filter(|p| sel.matches_json(p["metadata"]["labels"].as_object()))
            .collect();
        let usage = load.usage(&pods);
        let items: Vec<Value> = pods
            .iter()
            .zip(&usage)
            .filter_map(|(p, u)| u.as_ref().map(|u| pod_item(p, u, &now, &window(req))))
            .collect();
        if let Some(n) = name {
            return items
                .into_iter()
                .next()
                .map(|i| {
                    let mut i = i;
                    i["kind"] = json!("PodMetrics");
                    i["apiVersion"] = json!("metrics.k8s.io/v1beta1");
                    json_response(200, &i)
                })
                .ok_or_else(|| {
                    ApiError::new(
                        404,
                        "NotFound",
                        format!("podmetrics.metrics.k8s.io \"{n}\" not found"),
                    )
                });
        }
        Ok(json_response(
            200,
            &json!({"kind": "PodMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
        ))
    };
    match tail {
        [] => Ok(json_response(
            200,
            &resource_list(
                "metrics.k8s.io",
                "v1beta1",
                vec![
                    json!({"name": "nodes", "singularName": "", "namespaced": false, "kind": "NodeMetrics", "verbs": ["get", "list"]}),
                    json!({"name": "pods", "singularName": "", "namespaced": true, "kind": "PodMetrics", "verbs": ["get", "list"]}),
                ],
            ),
        )),
        ["pods"] => pods_of(None, None),
        ["namespaces", ns, "pods"] => pods_of(Some(ns), None),
        ["namespaces", ns, "pods", name] => pods_of(Some(ns), Some(name)),
        ["nodes"] | ["nodes", _] => {
            let pods = store.list(Kind::Pod, None);
            let usage = load.usage(&pods);
            let sel = list_selector(req)?;
            let want = tail.get(1).copied();
            let items: Vec<Value> = store
                .list(Kind::Node, None)
                .into_iter()
                .filter(|n| want.is_none_or(|w| n["metadata"]["name"] == w))
                .filter(|n| sel.matches_json(n["metadata"]["labels"].as_object()))
                .map(|n| {
                    let name = n["metadata"]["name"].as_str().unwrap_or_default().to_string();
                    let (c, m) = pods.iter().zip(&usage).fold((0i64, 0i64), |(c, m), (p, u)| {
                        match u {
                            Some(u) if p["spec"]["nodeName"] == name.as_str() => (c + u.cpu_milli, m + u.memory_milli),
                            _ => (c, m),
                        }
                    });
                    json!({
                        "metadata": {"name": name, "labels": n["metadata"]["labels"], "creationTimestamp": now},
                        "timestamp": now,
                        "window": window(req),
                        "usage": {"cpu": cpu(c), "memory": memory(m)},
                    })
                })
                .collect();
            if let Some(w) = want {
                let mut i = items.into_iter().next().ok_or_else(|| {
                    ApiError::new(
                        404,
                        "NotFound",
                        format!("nodemetrics.metrics.k8s.io \"{w}\" not found"),
                    )
                })?;
                i["kind"] = json!("NodeMetrics");
                i["apiVersion"] = json!("metrics.k8s.io/v1beta1");
                return Ok(json_response(200, &i));
            }
            Ok(json_response(
                200,
                &json!({"kind": "NodeMetricsList", "apiVersion": "metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
            ))
        }
        _ => Err(not_found_path(path)),
    }
}

fn custom_metrics(req: &Req<'_>, tail: &[&str], path: &str) -> Result<Response, ApiError> {
    let store = &req.st.ctx.store;
    let load = &req.st.load;
    match tail {
        [] => {
            let mut names: Vec<String> = load
                .demands()
                .into_iter()
                .flat_map(|d| d.metrics.into_keys())
                .collect();
            // `pods/*` first: the list is never empty (kubectl discovery rejects an empty
            // group version) and says any pods metric may be asked for.
            names.push("*".into());
            names.sort();
            names.dedup();
            let resources = names
                .iter()
                .map(|n| json!({"name": format!("pods/{n}"), "singularName": "", "namespaced": true, "kind": "MetricValueList", "verbs": ["get"]}))
                .collect();
            Ok(json_response(
                200,
                &resource_list("custom.metrics.k8s.io", "v1beta2", resources),
            ))
        }
        ["namespaces", ns, "pods", name, metric] => {
            let name: &str = if *name == "%2A" || *name == "%2a" {
                "*"
            } else {
                name
            };
            let name = &name;
            let sel = list_selector(req)?;
            let pods: Vec<Value> = store
                .list(Kind::Pod, Some(ns))
                .into_iter()
                .filter(|p| *name == "*" || p["metadata"]["name"] == *name)
                .filter(|p| sel.matches_json(p["metadata"]["labels"].as_object()))
                .collect();
            let usage = load.usage(&pods);
            let now = now_rfc3339();
            let items: Vec<Value> = pods
                .iter()
                .zip(&usage)
                .filter_map(|(p, u)| {
                    let v = u.as_ref()?.metrics.get(*metric)?;
                    Some(json!({
                        "describedObject": {"kind": "Pod", "namespace": ns, "name": p["metadata"]["name"], "apiVersion": "/v1"},
                        "metric": {"name": metric, "selector": null},
                        "timestamp": now,
                        "windowSeconds": WINDOW_SECONDS,
                        "value": milli(*v),
                    }))
                })
                .collect();
            if items.is_empty() && *name != "*" {
                return Err(ApiError::new(
                    404,
                    "NotFound",
                    format!("the server could not find the metric {metric} for pods {name}"),
                ));
            }
            Ok(json_response(
                200,
                &json!({"kind": "MetricValueList", "apiVersion": "custom.metrics.k8s.io/v1beta2", "metadata": {}, "items": items}),
            ))
        }
        ["namespaces", ns, resource, name, metric] => {
            let me = req.st.ctx.name.as_str();
            let value = load
                .demands()
                .iter()
                .filter(|d| d.namespace == *ns && d.served_by(me, load.first()))
                .find_map(|d| d.object_value(resource, name, metric));
            let Some(v) = value else {
                return Err(ApiError::new(
                    404,
                    "NotFound",
                    format!("the server could not find the metric {metric} for {resource} {name}"),
                ));
            };
            let kind = resource.split('.').next().unwrap_or(resource);
            Ok(json_response(
                200,
                &json!({"kind": "MetricValueList", "apiVersion": "custom.metrics.k8s.io/v1beta2", "metadata": {}, "items": [{
                    "describedObject": {"kind": kind, "namespace": ns, "name": name},
                    "metric": {"name": metric, "selector": null},
                    "timestamp": now_rfc3339(),
                    "windowSeconds": WINDOW_SECONDS,
                    "value": milli(v),
                }]}),
            ))
        }
        _ => Err(not_found_path(path)),
    }
}

/// `external.metrics.k8s.io/v1beta1`: `namespaces/NS/METRIC` lists the external values the
/// demands of namespace NS give this member: one series per Deployment demand naming it,
/// labelled `deployment=NAME` (what `labelSelector` matches).
fn external_metrics(req: &Req<'_>, tail: &[&str], path: &str) -> Result<Response, ApiError> {
    let load = &req.st.load;
    let me = req.st.ctx.name.as_str();
    match tail {
        [] => {
            let mut names: Vec<String> = load
                .demands()
                .into_iter()
                .filter(|d| d.served_by(me, load.first()))
                .flat_map(|d| d.external.into_keys())
                .collect();
            names.push("*".into());
            names.sort();
            names.dedup();
            let resources = names
                .iter()
                .map(|n| json!({"name": n, "singularName": "", "namespaced": true, "kind": "ExternalMetricValueList", "verbs": ["get"]}))
                .collect();
            Ok(json_response(
                200,
                &resource_list("external.metrics.k8s.io", "v1beta1", resources),
            ))
        }
        ["namespaces", ns, metric] => {
            let now = now_rfc3339();
            let sel = list_selector(req)?;
            let items: Vec<Value> = load
                .demands()
                .iter()
                .filter(|d| d.namespace == *ns && d.served_by(me, load.first()))
                .filter_map(|d| {
                    let v = d.external.get(*metric)?;
                    let labels = json!({"deployment": d.deployment});
                    sel.matches_json(labels.as_object()).then(|| {
                        json!({
                            "metricName": metric,
                            "metricLabels": labels,
                            "timestamp": now,
                            "value": milli(*v),
                        })
                    })
                })
                .collect();
            Ok(json_response(
                200,
                &json!({"kind": "ExternalMetricValueList", "apiVersion": "external.metrics.k8s.io/v1beta1", "metadata": {}, "items": items}),
            ))
        }
        _ => Err(not_found_path(path)),
    }
}
