//! OpenAPI v3 documents: `/openapi/v3` (the index of group-version documents, each with its
//! `serverRelativeURL` and content hash) and `/openapi/v3/{api/v1|apis/<group>/<version>}`.
//!
//! The schemas come from `k8s-openapi`'s `schemars` implementations (the upstream OpenAPI
//! definitions, with descriptions), generated with OpenAPI 3 settings so references point to
//! `#/components/schemas/io.k8s.api.apps.v1.Deployment` like a real API server's. Every served
//! kind's schema carries `x-kubernetes-group-version-kind`; each document holds the schemas
//! its kinds reference (transitively). The paths list every resource's operations with their
//! query parameters, notably `fieldValidation`, which is how kubectl learns that the server
//! validates fields itself (its default `--validate=strict` then asks the server for Strict).
//! PATCH operations do not advertise a request body: the schemas carry no
//! `x-kubernetes-patch-merge-key` extensions, so kubectl computes strategic merge patches from
//! its built-in types, as it does for a server without OpenAPI.
//!
//! The documents are generated once per process, on the first request, and served as the
//! same bytes from then on (1.05 MiB in all; see docs/simulator-api.md). The same definitions
//! make the OpenAPI v2 document ([`docs_v2`], `super::openapi_v2`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use axum::body::Bytes;
use k8s_openapi::schemars::generate::{SchemaGenerator, SchemaSettings};
use k8s_openapi::schemars::JsonSchema;
use serde_json::{json, Map, Value};

use super::discovery::{VirtualResource, VIRTUAL};
use crate::sim::store::{ApiError, Kind};

/// One generated document: its bytes and their hash.
#[derive(Debug)]
pub struct Doc {
    /// The JSON document (shared: serving it copies no bytes).
    pub bytes: Bytes,
    /// Upper-case hex SHA-512 of `bytes` (the `hash` query parameter and the ETag).
    pub hash: String,
}

/// The index and every group-version document.
#[derive(Debug)]
pub struct Docs {
    /// `/openapi/v3`.
    pub root: Doc,
    /// `api/v1`, `apis/apps/v1`, ... → document.
    pub groups: BTreeMap<String, Doc>,
}

impl Docs {
    /// The document of `gv_path` (`api/v1`, `apis/apps/v1`).
    pub fn group(&self, gv_path: &str) -> Result<&Doc, ApiError> {
        self.groups.get(gv_path).ok_or_else(|| {
            ApiError::new(
                404,
                "NotFound",
                format!("no OpenAPI document for {gv_path}"),
            )
        })
    }

    /// Total size of the cached documents in bytes.
    pub fn total_bytes(&self) -> usize {
        self.root.bytes.len() + self.groups.values().map(|d| d.bytes.len()).sum::<usize>()
    }
}

/// The documents, generated on first use.
pub fn docs() -> &'static Docs {
    static DOCS: OnceLock<Docs> = OnceLock::new();
    DOCS.get_or_init(|| {
        let d = generate();
        tracing::debug!(
            bytes = d.total_bytes(),
            documents = d.groups.len(),
            "OpenAPI documents generated"
        );
        d
    })
}

fn hash(bytes: &[u8]) -> String {
    let d = ring::digest::digest(&ring::digest::SHA512, bytes);
    d.as_ref().iter().map(|b| format!("{b:02X}")).collect()
}

fn doc(v: &Value) -> Doc {
    let bytes = serde_json::to_vec(v).expect("OpenAPI document serializes");
    Doc {
        hash: hash(&bytes),
        bytes: Bytes::from(bytes),
    }
}

fn add<T: JsonSchema>(gen: &mut SchemaGenerator) -> String {
    gen.subschema_for::<T>();
    T::schema_name().into_owned()
}

/// The schema name of a stored kind's type (adding it and what it references to `gen`).
fn kind_schema(kind: Kind, gen: &mut SchemaGenerator) -> String {
    use k8s_openapi::api::{
        apps, autoscaling, batch, coordination, core, policy, rbac, scheduling,
    };
    match kind {
        Kind::Namespace => add::<core::v1::Namespace>(gen),
        Kind::Node => add::<core::v1::Node>(gen),
        Kind::Pod => add::<core::v1::Pod>(gen),
        Kind::Deployment => add::<apps::v1::Deployment>(gen),
        Kind::ReplicaSet => add::<apps::v1::ReplicaSet>(gen),
        Kind::PriorityClass => add::<scheduling::v1::PriorityClass>(gen),
        Kind::ConfigMap => add::<core::v1::ConfigMap>(gen),
        Kind::Event => add::<core::v1::Event>(gen),
        Kind::Lease => add::<coordination::v1::Lease>(gen),
        Kind::Secret => add::<core::v1::Secret>(gen),
        Kind::ServiceAccount => add::<core::v1::ServiceAccount>(gen),
        Kind::Service => add::<core::v1::Service>(gen),
        Kind::Endpoints => add::<core::v1::Endpoints>(gen),
        Kind::PersistentVolumeClaim => add::<core::v1::PersistentVolumeClaim>(gen),
        Kind::Role => add::<rbac::v1::Role>(gen),
        Kind::RoleBinding => add::<rbac::v1::RoleBinding>(gen),
        Kind::ClusterRole => add::<rbac::v1::ClusterRole>(gen),
        Kind::ClusterRoleBinding => add::<rbac::v1::ClusterRoleBinding>(gen),
        Kind::HorizontalPodAutoscaler => add::<autoscaling::v2::HorizontalPodAutoscaler>(gen),
        Kind::PodDisruptionBudget => add::<policy::v1::PodDisruptionBudget>(gen),
        Kind::Job => add::<batch::v1::Job>(gen),
        Kind::StatefulSet => add::<apps::v1::StatefulSet>(gen),
        Kind::DaemonSet => add::<apps::v1::DaemonSet>(gen),
    }
}

/// The schema name of an API-only resource's kind (access reviews, token requests).
fn virtual_schema(v: &VirtualResource, gen: &mut SchemaGenerator) -> Option<String> {
    use k8s_openapi::api::{authentication, authorization};
    Some(match v.kind {
        "TokenRequest" => add::<authentication::v1::TokenRequest>(gen),
        "SelfSubjectAccessReview" => add::<authorization::v1::SelfSubjectAccessReview>(gen),
        "SelfSubjectRulesReview" => add::<authorization::v1::SelfSubjectRulesReview>(gen),
        "SubjectAccessReview" => add::<authorization::v1::SubjectAccessReview>(gen),
        "SelfSubjectReview" => add::<authentication::v1::SelfSubjectReview>(gen),
        "TokenReview" => add::<authentication::v1::TokenReview>(gen),
        "APIService" => {
            add::<k8s_openapi::kube_aggregator::pkg::apis::apiregistration::v1::APIService>(gen)
        }
        _ => return None,
    })
}

/// Names of the schemas `v` references (`#/components/schemas/<name>`).
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => {
                        if let Some(n) = r.strip_prefix("#/components/schemas/") {
                            out.push(n.to_string());
                        }
                    }
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// `roots` and every schema they reference, transitively.
fn closure(defs: &Map<String, Value>, roots: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = roots.to_vec();
    while let Some(n) = todo.pop() {
        if !seen.insert(n.clone()) {
            continue;
        }
        if let Some(s) = defs.get(&n) {
            let mut found = Vec::new();
            refs(s, &mut found);
            todo.extend(found.into_iter().filter(|f| !seen.contains(f)));
        }
    }
    seen
}

fn param(name: &str, ty: &str, description: &str) -> Value {
    json!({"name": name, "in": "query", "description": description,
           "schema": {"type": ty, "uniqueItems": true}})
}

fn write_params() -> Vec<Value> {
    vec![
        param(
            "dryRun",
            "string",
            "When present, indicates that modifications should not be persisted. Valid values: All.",
        ),
        param(
            "fieldManager",
            "string",
            "fieldManager is a name associated with the actor or entity that is making these changes.",
        ),
        param(
            "fieldValidation",
            "string",
            "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields. Valid values are: Ignore, Warn (the default), Strict.",
        ),
        param(
            "pretty",
            "string",
            "If 'true', then the output is pretty printed.",
        ),
    ]
}

struct Resource<'a> {
    plural: &'a str,
    kind: &'a str,
    group: &'a str,
    version: &'a str,
    namespaced: bool,
    schema: String,
    /// Verbs of an API-only resource (None: a stored kind, every verb).
    verbs: Option<&'a [&'a str]>,
    /// `parent/sub` subresource of an API-only resource (serviceaccounts/token).
    sub: Option<(&'a str, &'a str)>,
}

fn operations(r: &Resource<'_>, prefix: &str, paths: &mut Map<String, Value>) {
    let gvk = json!({"group": r.group, "version": r.version, "kind": r.kind});
    let body_ref = json!({"$ref": format!("#/components/schemas/{}", r.schema)});
    let op = |action: &str, verb: &str, params: Vec<Value>, body: bool| {
        let mut o = json!({
            "description": format!("{verb} {}", r.kind),
            "operationId": format!("{verb}{}", r.kind),
            "parameters": params,
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": body_ref}}}},
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": gvk,
        });
        if body {
            o["requestBody"] =
                json!({"content": {"application/json": {"schema": body_ref}}, "required": true});
        }
        o
    };
    let ns = if r.namespaced {
        "/namespaces/{namespace}"
    } else {
        ""
    };
    if let Some((parent, sub)) = r.sub {
        paths.insert(
            format!("{prefix}{ns}/{parent}/{{name}}/{sub}"),
            json!({"post": op("post", "create", write_params(), true)}),
        );
        return;
    }
    let coll = format!("{prefix}{ns}/{}", r.plural);
    if let Some(verbs) = r.verbs {
        let mut ops = Map::new();
        if verbs.contains(&"list") {
            ops.insert("get".into(), op("list", "list", vec![], false));
        }
        if verbs.contains(&"create") {
            ops.insert("post".into(), op("post", "create", write_params(), true));
        }
        if verbs.contains(&"get") {
            paths.insert(
                format!("{coll}/{{name}}"),
                json!({"get": op("get", "read", vec![], false)}),
            );
        }
        paths.insert(coll, Value::Object(ops));
        return;
    }
    let mut patch_params = write_params();
    patch_params.push(param(
        "force",
        "boolean",
        "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people.",
    ));
    paths.insert(
        format!("{coll}/{{name}}"),
        json!({
            "get": op("get", "read", vec![], false),
            "put": op("put", "replace", write_params(), true),
            "patch": op("patch", "patch", patch_params, false),
            "delete": op("delete", "delete", vec![write_params()[0].clone()], false),
        }),
    );
    paths.insert(
        coll,
        json!({"get": op("list", "list", vec![], false), "post": op("post", "create", write_params(), true)}),
    );
}

/// The OpenAPI v2 document (`/openapi/v2`), generated on first use.
#[derive(Debug)]
pub struct DocsV2 {
    /// gnostic `openapi.v2.Document` protobuf (what client-go asks for).
    pub proto: Doc,
    /// The same document in JSON.
    pub json: Doc,
}

/// The v2 document, generated on first use (from the same definitions as v3).
pub fn docs_v2() -> &'static DocsV2 {
    static DOCS: OnceLock<DocsV2> = OnceLock::new();
    DOCS.get_or_init(|| {
        let (defs, _, _) = definitions();
        let json = super::openapi_v2::document_json(&defs);
        let proto = super::openapi_v2::document_proto(&json);
        let d = DocsV2 {
            json: doc(&json),
            proto: Doc {
                hash: hash(&proto),
                bytes: Bytes::from(proto),
            },
        };
        tracing::debug!(
            proto_bytes = d.proto.bytes.len(),
            json_bytes = d.json.bytes.len(),
            "OpenAPI v2 document generated"
        );
        d
    })
}

type ByGroupVersion = BTreeMap<(String, String), Vec<Resource<'static>>>;

/// Every schema (with the kinds' `x-kubernetes-group-version-kind`), the served resources by
/// group-version, and the name of the Scale schema.
fn definitions() -> (Map<String, Value>, ByGroupVersion, String) {
    let mut gen = SchemaSettings::openapi3()
        .with(|s| s.meta_schema = None)
        .into_generator();
    // (group, version) → resources; the kinds' schemas and their GVKs.
    let mut by_gv: ByGroupVersion = BTreeMap::new();
    let mut gvks: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for k in Kind::ALL {
        let schema = kind_schema(k, &mut gen);
        gvks.entry(schema.clone())
            .or_default()
            .push(json!({"group": k.group(), "version": k.version(), "kind": k.name()}));
        by_gv
            .entry((k.group().to_string(), k.version().to_string()))
            .or_default()
            .push(Resource {
                plural: k.plural(),
                kind: k.name(),
                group: k.group(),
                version: k.version(),
                namespaced: k.namespaced(),
                schema,
                verbs: None,
                sub: None,
            });
    }
    for v in VIRTUAL.iter() {
        let Some(schema) = virtual_schema(v, &mut gen) else {
            continue;
        };
        // serviceaccounts/token: served under core v1, kind authentication.k8s.io/v1.
        let (kind_group, sub) = match v.name.split_once('/') {
            Some(p) => ("authentication.k8s.io", Some(p)),
            None => (v.group, None),
        };
        gvks.entry(schema.clone())
            .or_default()
            .push(json!({"group": kind_group, "version": v.version, "kind": v.kind}));
        by_gv
            .entry((v.group.to_string(), v.version.to_string()))
            .or_default()
            .push(Resource {
                plural: v.name,
                kind: v.kind,
                group: kind_group,
                version: v.version,
                namespaced: v.namespaced,
                schema,
                verbs: Some(v.verbs),
                sub,
            });
    }
    // The scale subresource's kind.
    let scale = add::<k8s_openapi::api::autoscaling::v1::Scale>(&mut gen);
    gvks.entry(scale.clone())
        .or_default()
        .push(json!({"group": "autoscaling", "version": "v1", "kind": "Scale"}));
    let mut defs = gen.take_definitions(true);
    for (name, list) in &gvks {
        if let Some(Value::Object(s)) = defs.get_mut(name) {
            s.insert("x-kubernetes-group-version-kind".into(), json!(list));
        }
    }
    (defs, by_gv, scale)
}

/// Every served group-version's document, and the index.
fn generate() -> Docs {
    let (defs, by_gv, scale) = definitions();
    let mut groups = BTreeMap::new();
    let mut index = Map::new();
    for ((group, version), resources) in &by_gv {
        let (gv_path, prefix) = if group.is_empty() {
            (format!("api/{version}"), format!("/api/{version}"))
        } else {
            (
                format!("apis/{group}/{version}"),
                format!("/apis/{group}/{version}"),
            )
        };
        let mut paths = Map::new();
        let mut roots = Vec::new();
        for r in resources {
            operations(r, &prefix, &mut paths);
            roots.push(r.schema.clone());
        }
        if resources.iter().any(|r| {
            Kind::from_resource_version(group, version, r.plural).is_some_and(Kind::has_scale)
        }) {
            roots.push(scale.clone());
        }
        let schemas: Map<String, Value> = closure(&defs, &roots)
            .into_iter()
            .filter_map(|n| defs.get(&n).map(|s| (n, s.clone())))
            .collect();
        let d = doc(&json!({
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "v1.32.0"},
            "paths": paths,
            "components": {"schemas": schemas},
        }));
        index.insert(
            gv_path.clone(),
            json!({"serverRelativeURL": format!("/openapi/v3/{gv_path}?hash={}", d.hash)}),
        );
        groups.insert(gv_path, d);
    }
    Docs {
        root: doc(&json!({ "paths": index })),
        groups,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(d: &Doc) -> Value {
        serde_json::from_slice(&d.bytes).unwrap()
    }

    #[test]
    fn every_served_kind_has_a_schema_with_its_gvk_and_every_ref_resolves() {
        let docs = docs();
        for k in Kind::ALL {
            let gv = if k.group().is_empty() {
                format!("api/{}", k.version())
            } else {
                format!("apis/{}/{}", k.group(), k.version())
            };
            let d = parse(docs.group(&gv).unwrap());
            let schemas = d["components"]["schemas"].as_object().unwrap();
            let want = json!({"group": k.group(), "version": k.version(), "kind": k.name()});
            let found: Vec<&String> = schemas
                .iter()
                .filter(|(_, s)| {
                    s["x-kubernetes-group-version-kind"]
                        .as_array()
                        .is_some_and(|l| l.contains(&want))
                })
                .map(|(n, _)| n)
                .collect();
            assert_eq!(found.len(), 1, "{k:?}: {found:?}");
            let mut all = Vec::new();
            refs(&d, &mut all);
            for r in all {
                assert!(schemas.contains_key(&r), "{gv}: dangling $ref {r}");
            }
        }
    }

    #[test]
    fn schemas_are_named_and_described_like_the_api_servers() {
        let d = parse(docs().group("apis/apps/v1").unwrap());
        let dep = &d["components"]["schemas"]["io.k8s.api.apps.v1.Deployment"];
        assert!(dep["description"]
            .as_str()
            .unwrap()
            .contains("declarative updates for Pods"));
        let spec = &d["components"]["schemas"]["io.k8s.api.apps.v1.DeploymentSpec"];
        assert_eq!(spec["properties"]["replicas"]["type"], "integer");
        assert!(spec["properties"]["replicas"]["description"]
            .as_str()
            .unwrap()
            .contains("Number of desired pods"));
        // References are OpenAPI 3 component references.
        let text = String::from_utf8(docs().group("apis/apps/v1").unwrap().bytes.to_vec()).unwrap();
        assert!(!text.contains("#/definitions/") && !text.contains("#/$defs/"));
        assert!(text.contains("\"#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec\""));
    }

    #[test]
    fn write_operations_carry_field_validation_and_the_index_points_at_hashed_documents() {
        let docs = docs();
        let d = parse(docs.group("apis/apps/v1").unwrap());
        let patch = &d["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"];
        assert_eq!(
            patch["x-kubernetes-group-version-kind"],
            json!({"group": "apps", "version": "v1", "kind": "Deployment"})
        );
        assert!(patch["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "fieldValidation"));
        let root = parse(&docs.root);
        for (gv, d) in &docs.groups {
            assert_eq!(
                root["paths"][gv]["serverRelativeURL"],
                format!("/openapi/v3/{gv}?hash={}", d.hash)
            );
            assert_eq!(d.hash.len(), 128);
        }
        assert!(root["paths"]["apis/autoscaling/v2"].is_object());
        assert!(root["paths"]["apis/authorization.k8s.io/v1"].is_object());
        // Generated once: the same bytes every time.
        assert!(std::ptr::eq(docs, super::docs()));
    }

    #[test]
    fn the_v2_document_has_every_definition_with_v2_references() {
        let v2 = docs_v2();
        let json: Value = serde_json::from_slice(&v2.json.bytes).unwrap();
        let defs = json["definitions"].as_object().unwrap();
        let dep = &defs["io.k8s.api.apps.v1.Deployment"];
        assert_eq!(
            dep["x-kubernetes-group-version-kind"],
            json!([{"group": "apps", "version": "v1", "kind": "Deployment"}])
        );
        assert_eq!(
            dep["properties"]["spec"]["$ref"],
            "#/definitions/io.k8s.api.apps.v1.DeploymentSpec"
        );
        let mut all = Vec::new();
        refs(&json, &mut all);
        assert!(all.is_empty(), "v3 references left: {all:?}");
        let text = String::from_utf8(v2.json.bytes.to_vec()).unwrap();
        for r in text.split("\"#/definitions/").skip(1) {
            let name = r.split('"').next().unwrap();
            assert!(defs.contains_key(name), "dangling {name}");
        }
        for k in Kind::ALL {
            assert!(
                defs.values().any(
                    |d| d["x-kubernetes-group-version-kind"]
                        .as_array()
                        .is_some_and(|l| l
                            .iter()
                            .any(|g| g["kind"] == k.name() && g["group"] == k.group()))
                ),
                "{k:?}"
            );
        }
        assert!(v2.proto.bytes.len() > 100_000 && v2.proto.bytes.len() < 8 << 20);
        assert!(std::ptr::eq(v2, docs_v2()));
    }

    #[test]
    fn the_cached_documents_stay_small() {
        // Measured: 1.05 MiB for 10 documents (docs/simulator-api.md); a bound, not a timing.
        let total = docs().total_bytes();
        let sizes: Vec<(&String, usize)> = docs()
            .groups
            .iter()
            .map(|(g, d)| (g, d.bytes.len()))
            .collect();
        eprintln!("OpenAPI documents: {total} bytes: {sizes:?}");
        assert!(total < 8 << 20, "{total}");
    }
}
