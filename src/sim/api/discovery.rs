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

/// API-only resources (no storage): access reviews, identity and token requests, the
/// (read-only) APIServices.
pub const VIRTUAL: [VirtualResource; 7] = [
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
    VirtualResource {
        group: super::apiservice::GROUP,
        version: "v1",
        name: super::apiservice::RESOURCE,
        kind: "APIService",
        namespaced: false,
        verbs: &["get", "list"],
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
        // A readable resource is named by its singular too (`kubectl get apiservice NAME`).
        let singular = if v.verbs.contains(&"get") {
            v.kind.to_lowercase()
        } else {
            String::new()
        };
        let mut r = json!({
            "name": v.name,
            "singularName": singular,
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
