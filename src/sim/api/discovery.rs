//! Version and (legacy, non-aggregated) discovery documents: `/version`, `/api`, `/apis`,
//! `/api/v1`, `/apis/{group}/v1`.

use serde_json::{json, Value};

use crate::sim::store::{ApiError, Kind, KINDS};

/// The (group, version) pairs served under `/apis`, in discovery order: the groups of the
/// stored kinds ([`KINDS`]) plus the API-only groups ([`VIRTUAL`]).
pub fn group_versions() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let all = KINDS
        .iter()
        .map(|i| (i.group, i.version))
        .chain(VIRTUAL.iter().map(|v| (v.group, v.version)))
        .chain(super::metrics::GROUPS);
    for gv in all {
        if !gv.0.is_empty() && !out.contains(&gv) {
            out.push(gv);
        }
    }
    out
}

fn served_version(g: &str, v: &str) -> bool {
    (g.is_empty() && v == "v1") || group_versions().contains(&(g, v))
}

fn known_group(g: &str) -> bool {
    group_versions().iter().any(|x| x.0 == g)
}

/// A resource served without storage (reviews, token requests).
pub struct VirtualResource {
    /// API group.
    pub group: &'static str,
    /// API version.
    pub version: &'static str,
    /// Resource name (`parent/sub` for a subresource).
    pub name: &'static str,
    /// Kind of the request/response object.
    pub kind: &'static str,
    /// Namespaced.
    pub namespaced: bool,
    /// Verbs.
    pub verbs: &'static [&'static str],
}

/// API-only resources (no storage): access reviews, identity and token requests.
pub const VIRTUAL: [VirtualResource; 6] = [
    VirtualResource {
        group: "",
        version: "v1",
        name: "serviceaccounts/token",
        kind: "TokenRequest",
        namespaced: true,
        verbs: &["create"],
    },
    VirtualResource {
        group: "authorization.k8s.io",
        version: "v1",
        name: "selfsubjectaccessreviews",
        kind: "SelfSubjectAccessReview",
        namespaced: false,
        verbs: &["create"],
    },
    VirtualResource {
        group: "authorization.k8s.io",
        version: "v1",
        name: "selfsubjectrulesreviews",
        kind: "SelfSubjectRulesReview",
        namespaced: false,
        verbs: &["create"],
    },
    VirtualResource {
        group: "authorization.k8s.io",
        version: "v1",
        name: "subjectaccessreviews",
        kind: "SubjectAccessReview",
        namespaced: false,
        verbs: &["create"],
    },
    VirtualResource {
        group: "authentication.k8s.io",
        version: "v1",
        name: "selfsubjectreviews",
        kind: "SelfSubjectReview",
        namespaced: false,
        verbs: &["create"],
    },
    VirtualResource {
        group: "authentication.k8s.io",
        version: "v1",
        name: "tokenreviews",
        kind: "TokenReview",
        namespaced: false,
        verbs: &["create"],
    },
];

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
    for (g, v) in group_versions() {
        let p = format!("/apis/{g}");
        if !paths.contains(&p) {
            paths.push(p);
        }
        paths.push(format!("/apis/{g}/{v}"));
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
    let versions: Vec<Value> = group_versions()
        .into_iter()
        .filter(|x| x.0 == g)
        .map(|(_, v)| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
        .collect();
    json!({
        "name": g,
        "preferredVersion": versions.first().cloned().unwrap_or(Value::Null),
        "versions": versions,
    })
}

fn groups() -> Vec<&'static str> {
    let mut gs: Vec<&'static str> = Vec::new();
    for (g, _) in group_versions() {
        if !gs.contains(&g) {
            gs.push(g);
        }
    }
    gs
}

/// `GET /apis`.
pub fn api_groups() -> Value {
    json!({
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": groups().iter().map(|g| group_doc(g)).collect::<Vec<_>>()
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
    if !k.info().categories.is_empty() {
        r["categories"] = json!(k.info().categories);
    }
    r
}

fn sub(
    plural: &str,
    namespaced: bool,
    sub: &str,
    kind: &str,
    verbs: &[&str],
    gv: Option<(&str, &str)>,
) -> Value {
    let mut r = json!({
        "name": format!("{plural}/{sub}"),
        "singularName": "",
        "namespaced": namespaced,
        "kind": kind,
        "verbs": verbs,
    });
    if let Some((g, v)) = gv {
        r["group"] = json!(g);
        r["version"] = json!(v);
    }
    r
}

/// `GET /api/v1` ("" group) or `GET /apis/{group}/{version}`.
pub fn resource_list(group: &str, version: &str) -> Result<Value, ApiError> {
    if !served_version(group, version) {
        return Err(ApiError::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource (group {group}, version {version})"),
        ));
    }
    let status_verbs: &[&str] = &["get", "patch", "update"];
    let mut resources = Vec::new();
    for k in Kind::ALL
        .into_iter()
        .filter(|k| k.group() == group && k.version() == version)
    {
        resources.push(resource(k));
        let (p, ns) = (k.plural(), k.namespaced());
        if k.has_status() {
            resources.push(sub(p, ns, "status", k.name(), status_verbs, None));
        }
        if k.has_scale() {
            resources.push(sub(
                p,
                ns,
                "scale",
                "Scale",
                status_verbs,
                Some(("autoscaling", "v1")),
            ));
        }
        if k == Kind::Pod {
            resources.push(sub(
                p,
                ns,
                "eviction",
                "Eviction",
                &["create"],
                Some(("policy", "v1")),
            ));
        }
    }
    for v in VIRTUAL
        .iter()
        .filter(|v| v.group == group && v.version == version)
    {
        let mut r = json!({
            "name": v.name,
            "singularName": "",
            "namespaced": v.namespaced,
            "kind": v.kind,
            "verbs": v.verbs,
        });
        if v.name.contains('/') {
            // serviceaccounts/token: a subresource whose kind lives in authentication.k8s.io.
            r["group"] = json!("authentication.k8s.io");
            r["version"] = json!("v1");
        }
        resources.push(r);
    }
    let gv = if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    };
    Ok(
        json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": resources}),
    )
}

/// `GET /openapi/v3`: the index of group-version documents.
pub fn openapi_v3_root() -> Value {
    let mut paths = serde_json::Map::new();
    let mut gvs = vec!["api/v1".to_string()];
    gvs.extend(
        group_versions()
            .into_iter()
            .filter(|(g, v)| {
                Kind::ALL
                    .iter()
                    .any(|k| k.group() == *g && k.version() == *v)
            })
            .map(|(g, v)| format!("apis/{g}/{v}")),
    );
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
    let not_found = || {
        ApiError::new(
            404,
            "NotFound",
            format!("no OpenAPI document for {gv_path}"),
        )
    };
    let (group, version) = match gv_path {
        "api/v1" => ("", "v1"),
        p => p
            .strip_prefix("apis/")
            .and_then(|p| p.split_once('/'))
            .ok_or_else(not_found)?,
    };
    if !Kind::ALL
        .iter()
        .any(|k| k.group() == group && k.version() == version)
    {
        return Err(not_found());
    }
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    let prefix = if group.is_empty() {
        "/api/v1".to_string()
    } else {
        format!("/apis/{group}/{version}")
    };
    for k in Kind::ALL
        .into_iter()
        .filter(|k| k.group() == group && k.version() == version)
    {
        let gvk = json!({"group": group, "version": version, "kind": k.name()});
        let write_params = vec![
            param("dryRun", "string"),
            param("fieldManager", "string"),
            param("fieldValidation", "string"),
            param("pretty", "string"),
        ];
        let mut patch_params = write_params.clone();
        patch_params.push(param("force", "boolean"));
        let schema_name = format!(
            "io.k8s.api.{}.{version}.{}",
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
