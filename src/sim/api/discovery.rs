//! Version and (legacy, non-aggregated) discovery documents: `/version`, `/api`, `/apis`,
//! `/api/v1`, `/apis/{group}/v1`.

use serde_json::{json, Value};

use crate::sim::store::{ApiError, Kind};

/// Groups listed under `/apis`.
const GROUPS: [&str; 3] = ["apps", "scheduling.k8s.io", "coordination.k8s.io"];
/// `policy/v1` is answered (the Eviction kind of `pods/eviction`) but not listed: it has no
/// resources of its own here, and an empty listed group makes `kubectl api-resources` fail.
const UNLISTED: [&str; 1] = ["policy"];

fn known_group(g: &str) -> bool {
    GROUPS.contains(&g) || UNLISTED.contains(&g)
}

/// The simulated Kubernetes version.
pub fn version() -> Value {
    json!({
        "major": "1",
        "minor": "32",
        "gitVersion": "v1.32.0-kubectl-fleet-sim",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.23.0",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// `GET /`.
pub fn root_paths() -> Value {
    let mut paths = vec![
        "/api".to_string(),
        "/api/v1".into(),
        "/apis".into(),
        "/healthz".into(),
        "/livez".into(),
        "/readyz".into(),
        "/version".into(),
    ];
    for g in GROUPS {
        paths.push(format!("/apis/{g}"));
        paths.push(format!("/apis/{g}/v1"));
    }
    json!({ "paths": paths })
}

/// `GET /api`.
pub fn api_versions(port: u16) -> Value {
    json!({
        "kind": "APIVersions",
        "versions": ["v1"],
        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": format!("127.0.0.1:{port}")}]
    })
}

fn group_doc(g: &str) -> Value {
    let gv = format!("{g}/v1");
    json!({
        "name": g,
        "versions": [{"groupVersion": gv, "version": "v1"}],
        "preferredVersion": {"groupVersion": gv, "version": "v1"}
    })
}

/// `GET /apis`.
pub fn api_groups() -> Value {
    json!({
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": GROUPS.iter().map(|g| group_doc(g)).collect::<Vec<_>>()
    })
}

/// `GET /apis/{group}`.
pub fn api_group(g: &str) -> Result<Value, ApiError> {
    if !known_group(g) {
        return Err(ApiError::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource (group {g})"),
        ));
    }
    let mut d = group_doc(g);
    d["kind"] = json!("APIGroup");
    d["apiVersion"] = json!("v1");
    Ok(d)
}

const VERBS: [&str; 8] = [
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

fn resource(k: Kind) -> Value {
    let mut r = json!({
        "name": k.plural(),
        "singularName": k.singular(),
        "namespaced": k.namespaced(),
        "kind": k.name(),
        "verbs": VERBS,
    });
    if !k.short_names().is_empty() {
        r["shortNames"] = json!(k.short_names());
    }
    if matches!(k, Kind::Pod | Kind::Deployment | Kind::ReplicaSet) {
        r["categories"] = json!(["all"]);
    }
    r
}

fn sub(k: Kind, sub: &str, kind: &str, verbs: &[&str], gv: Option<(&str, &str)>) -> Value {
    let mut r = json!({
        "name": format!("{}/{sub}", k.plural()),
        "singularName": "",
        "namespaced": k.namespaced(),
        "kind": kind,
        "verbs": verbs,
    });
    if let Some((g, v)) = gv {
        r["group"] = json!(g);
        r["version"] = json!(v);
    }
    r
}

/// `GET /api/v1` ("" group) or `GET /apis/{group}/v1`.
pub fn resource_list(group: &str) -> Result<Value, ApiError> {
    if !group.is_empty() && !known_group(group) {
        return Err(ApiError::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource (group {group})"),
        ));
    }
    let status_verbs: &[&str] = &["get", "patch", "update"];
    let mut resources = Vec::new();
    for k in Kind::ALL.into_iter().filter(|k| k.group() == group) {
        resources.push(resource(k));
        if k.has_status() {
            resources.push(sub(k, "status", k.name(), status_verbs, None));
        }
        if matches!(k, Kind::Deployment | Kind::ReplicaSet) {
            resources.push(sub(
                k,
                "scale",
                "Scale",
                status_verbs,
                Some(("autoscaling", "v1")),
            ));
        }
        if k == Kind::Pod {
            resources.push(sub(
                k,
                "eviction",
                "Eviction",
                &["create"],
                Some(("policy", "v1")),
            ));
        }
    }
    let gv = if group.is_empty() {
        "v1".to_string()
    } else {
        format!("{group}/v1")
    };
    Ok(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

/// `GET /openapi/v3`: the index of group-version documents.
pub fn openapi_v3_root() -> Value {
    let mut paths = serde_json::Map::new();
    let mut gvs = vec!["api/v1".to_string()];
    gvs.extend(GROUPS.iter().map(|g| format!("apis/{g}/v1")));
    for gv in gvs {
        let url = format!("/openapi/v3/{gv}?hash=sim{}", gv.len());
        paths.insert(gv, json!({"serverRelativeURL": url}));
    }
    json!({ "paths": paths })
}

fn param(name: &str, ty: &str) -> Value {
    json!({"name": name, "in": "query", "schema": {"type": ty, "uniqueItems": true}})
}

/// `GET /openapi/v3/{api/v1|apis/<group>/v1}`: a minimal OpenAPI 3 document listing each
/// resource's write operations with their query parameters (kubectl reads it to learn that
/// the server validates fields itself, `fieldValidation`) and the group-version-kind extension.
/// Schemas are permissive (`type: object`); the simulator does not publish full schemas.
pub fn openapi_v3_gv(gv_path: &str) -> Result<Value, ApiError> {
    let group = match gv_path {
        "api/v1" => "",
        p => p
            .strip_prefix("apis/")
            .and_then(|p| p.strip_suffix("/v1"))
            .filter(|g| GROUPS.contains(g))
            .ok_or_else(|| {
                ApiError::new(
                    404,
                    "NotFound",
                    format!("no OpenAPI document for {gv_path}"),
                )
            })?,
    };
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    let prefix = if group.is_empty() {
        "/api/v1".to_string()
    } else {
        format!("/apis/{group}/v1")
    };
    for k in Kind::ALL.into_iter().filter(|k| k.group() == group) {
        let gvk = json!({"group": group, "version": "v1", "kind": k.name()});
        let write_params = vec![
            param("dryRun", "string"),
            param("fieldManager", "string"),
            param("fieldValidation", "string"),
            param("pretty", "string"),
        ];
        let mut patch_params = write_params.clone();
        patch_params.push(param("force", "boolean"));
        let schema_name = format!(
            "io.k8s.api.{}.v1.{}",
            if group.is_empty() {
                "core"
            } else {
                group.split('.').next().unwrap_or(group)
            },
            k.name()
        );
        let body_ref = json!({"$ref": format!("#/components/schemas/{schema_name}")});
        let op = |action: &str, params: &Vec<Value>| {
            json!({
                "operationId": format!("{action}{}", k.name()),
                "parameters": params,
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": body_ref}}}},
                "x-kubernetes-action": action,
                "x-kubernetes-group-version-kind": gvk,
            })
        };
        let item = if k.namespaced() {
            format!("{prefix}/namespaces/{{namespace}}/{}/{{name}}", k.plural())
        } else {
            format!("{prefix}/{}/{{name}}", k.plural())
        };
        let coll = if k.namespaced() {
            format!("{prefix}/namespaces/{{namespace}}/{}", k.plural())
        } else {
            format!("{prefix}/{}", k.plural())
        };
        paths.insert(
            item,
            json!({"get": op("get", &vec![]), "put": op("put", &write_params), "patch": op("patch", &patch_params),
                   "delete": op("delete", &vec![param("dryRun", "string")])}),
        );
        paths.insert(
            coll,
            json!({"get": op("list", &vec![]), "post": op("post", &write_params)}),
        );
        schemas.insert(
            schema_name,
            json!({"type": "object", "x-kubernetes-group-version-kind": [gvk],
                   "x-kubernetes-preserve-unknown-fields": true}),
        );
    }
    Ok(json!({
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes (kubectl-fleet simulator)", "version": "v1.32.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }))
}
