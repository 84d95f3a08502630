//! The Kubernetes REST API of one simulated cluster: path routing, CRUD, subresources
//! (status, scale, eviction), list pagination and selectors, patches, server-side apply,
//! dry-run, Table output, watches and the per-request network faults.
//!
//! One axum fallback handler parses the Kubernetes path grammar itself
//! (`/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]`, same under
//! `/apis/{group}/v1`), which keeps routing in one readable `match`.

mod access;
mod apiservice;
mod discovery;
mod managed;
mod metrics;
pub mod openapi;
mod openapi_v2;
mod patch;
mod proto;
mod table;
mod validation;
mod watch;

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use serde_json::{json, Value};

use super::auth::{self, Attributes, UserInfo};
use super::cluster::ClusterCtx;
use super::selector::{FieldSelector, LabelSelector};
use super::store::{ApiError, Kind, Propagation, StoredObject};

/// Shared state of one cluster's API server.
#[derive(Debug)]
pub struct ApiState {
    /// The cluster.
    pub ctx: Arc<ClusterCtx>,
    /// The admin bearer token (user `kubernetes-admin`, group `system:masters`).
    pub token: String,
    /// Port the server listens on (for discovery's serverAddress).
    pub port: u16,
    /// Becomes true when the fleet shuts down (ends watch streams).
    pub shutdown: tokio::sync::watch::Receiver<bool>,
    /// The fleet's load model (served by the metrics APIs).
    pub load: Arc<crate::sim::load::LoadModel>,
}

/// The router of one cluster's API server.
pub fn router(state: Arc<ApiState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

/// Parsed query string (`&`-separated, empty pairs tolerated, percent-decoded).
#[derive(Debug, Default)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(b[i + 1]), hex(b[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Query {
    /// Parses a raw query string.
    pub fn parse(q: Option<&str>) -> Query {
        let pairs = q
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (percent_decode(k), percent_decode(v)),
                None => (percent_decode(p), String::new()),
            })
            .collect();
        Query { pairs }
    }

    /// First value of a parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A boolean parameter (`true` / `1`).
    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "1"))
    }

    /// Whether `dryRun=All` was requested.
    pub fn dry_run(&self) -> bool {
        self.pairs.iter().any(|(k, v)| k == "dryRun" && v == "All")
    }
}

/// One parsed request.
pub(crate) struct Req<'a> {
    st: &'a ApiState,
    method: Method,
    query: Query,
    accept: String,
    content_type: String,
    user_agent: String,
    /// `If-None-Match` (OpenAPI documents answer 304 when it names their hash).
    if_none_match: String,
    body: Bytes,
    /// The authenticated (or impersonated) user.
    user: UserInfo,
}

impl Req<'_> {
    fn wants_table(&self) -> bool {
        self.accept.contains("as=Table")
    }

    fn field_manager(&self) -> String {
        match self.query.get("fieldManager") {
            Some(m) if !m.is_empty() => m.to_string(),
            _ => {
                let ua = self.user_agent.split('/').next().unwrap_or_default();
                if ua.is_empty() {
                    "unknown".into()
                } else {
                    ua.to_string()
                }
            }
        }
    }

    fn body_json(&self) -> Result<Value, ApiError> {
        if self.body.is_empty() {
            return Err(ApiError::bad_request("request body is empty"));
        }
        if self.content_type.contains("protobuf") {
            return proto::to_json(&self.body).map_err(|e| {
                ApiError::new(
                    415,
                    "UnsupportedMediaType",
                    format!("the simulated API server cannot decode this protobuf body: {e}; send JSON (kubectl create -f or kubectl apply)"),
                )
            });
        }
        if self.content_type.contains("cbor") {
            return Err(ApiError::new(
                415,
                "UnsupportedMediaType",
                format!(
                    "the simulated API server accepts JSON (and protobuf for kubectl's generators), not {:?}",
                    self.content_type
                ),
            ));
        }
        serde_json::from_slice(&self.body)
            .map_err(|e| ApiError::bad_request(format!("invalid JSON body: {e}")))
    }
}

pub(crate) fn json_response(code: u16, v: &Value) -> Response {
    bytes_response(code, serde_json::to_vec(v).expect("JSON serializes"))
}

fn bytes_response(code: u16, b: Vec<u8>) -> Response {
    Response::builder()
        .status(StatusCode::from_u16(code).unwrap_or(StatusCode::OK))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(b))
        .expect("valid response")
}

/// The content type of the protobuf OpenAPI v2 document (clients ask for
/// `...spec.v2@v1.0+protobuf`; kube-apiserver answers with this spelling, which Go's MIME
/// parser accepts).
const OPENAPI_V2_PROTOBUF: &str = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

/// An OpenAPI document like kube-apiserver serves it: with `?hash=` equal to the document's
/// hash it is immutable (cached for a year); another hash redirects to the current one (301);
/// no hash: revalidated by ETag. `If-None-Match` naming the hash is `304 Not Modified`.
fn openapi_response(req: &Req<'_>, d: &openapi::Doc, path: &str, content_type: &str) -> Response {
    let etag = format!("\"{}\"", d.hash);
    let b = Response::builder().header(header::ETAG, &etag);
    match req.query.get("hash") {
        Some(h) if !h.is_empty() && h != d.hash => {
            return b
                .status(StatusCode::MOVED_PERMANENTLY)
                .header(header::LOCATION, format!("{path}?hash={}", d.hash))
                .body(Body::empty())
                .expect("valid response")
        }
        _ => {}
    }
    let b = if req.query.get("hash").is_some() {
        b.header(header::CACHE_CONTROL, "public, immutable, max-age=31536000")
    } else {
        b.header(header::CACHE_CONTROL, "no-cache, private")
    };
    if req
        .if_none_match
        .split(',')
        .any(|t| t.trim() == etag || t.trim() == "*")
    {
        return b
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .expect("valid response");
    }
    b.header(header::CONTENT_TYPE, content_type)
        .body(Body::from(d.bytes.clone()))
        .expect("valid response")
}

/// Adds one `Warning: 299 - "..."` header per message (kubectl prints them).
pub(crate) fn with_warnings(mut r: Response, warnings: &[String]) -> Response {
    for w in warnings {
        let text = format!("299 - {:?}", w);
        if let Ok(v) = axum::http::HeaderValue::from_str(&text) {
            r.headers_mut().append(header::WARNING, v);
        }
    }
    r
}

pub(crate) fn error_response(e: &ApiError) -> Response {
    json_response(e.code, &e.to_status())
}

/// Paths anyone may read without credentials (kube's `system:public-info-viewer`).
fn public_path(path: &str) -> bool {
    let p = path.trim_end_matches('/');
    matches!(p, "/version" | "/healthz" | "/livez" | "/readyz")
        || ["/healthz/", "/livez/", "/readyz/"]
            .iter()
            .any(|x| path.starts_with(x))
}

fn unauthorized() -> ApiError {
    ApiError::new(401, "Unauthorized", "Unauthorized")
}

/// The user of a request: the bearer token (admin or ServiceAccount), then impersonation
/// (`Impersonate-User` / `Impersonate-Group`, allowed by RBAC verb `impersonate`). No token is
/// only accepted on the public health and version paths; a bad token is 401 everywhere.
fn authenticate(st: &ApiState, headers: &HeaderMap, path: &str) -> Result<UserInfo, ApiError> {
    let user = match headers.get(header::AUTHORIZATION) {
        None if public_path(path) => UserInfo {
            name: "system:anonymous".into(),
            uid: String::new(),
            groups: vec!["system:unauthenticated".into()],
        },
        None => return Err(unauthorized()),
        Some(a) => {
            let token = a
                .to_str()
                .ok()
                .and_then(|s| s.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(unauthorized)?;
            if token == st.token {
                UserInfo::admin()
            } else {
                st.ctx
                    .tokens
                    .user(&st.ctx.store, token)
                    .ok_or_else(unauthorized)?
            }
        }
    };
    let Some(as_user) = headers
        .get("impersonate-user")
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(user);
    };
    let groups: Vec<String> = headers
        .get_all("impersonate-group")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    let mut checks = Vec::new();
    match as_user
        .strip_prefix("system:serviceaccount:")
        .and_then(|r| r.split_once(':'))
    {
        Some((ns, name)) => checks.push(("serviceaccounts", ns.to_string(), name.to_string())),
        None => checks.push(("users", String::new(), as_user.to_string())),
    }
    for g in &groups {
        checks.push(("groups", String::new(), g.clone()));
    }
    for (resource, namespace, name) in checks {
        let attrs = Attributes::Resource {
            verb: "impersonate".into(),
            group: String::new(),
            resource: resource.into(),
            subresource: String::new(),
            namespace,
            name,
        };
        if !auth::authorize(&st.ctx.store, &user, &attrs) {
            return Err(auth::forbidden(&user, &attrs));
        }
    }
    Ok(UserInfo::named(as_user, groups))
}

impl Req<'_> {
    /// 403 unless the user may do `attrs`.
    pub(crate) fn authorize(&self, attrs: &Attributes) -> Result<(), ApiError> {
        let allowed = auth::authorize(&self.st.ctx.store, &self.user, attrs);
        self.st.ctx.access.record(&self.user, attrs, allowed);
        if allowed {
            Ok(())
        } else {
            Err(auth::forbidden(&self.user, attrs))
        }
    }
}

async fn handle(
    State(st): State<Arc<ApiState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let faults = &st.ctx.faults;
    let lat = faults.latency_ms();
    if lat > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(lat)).await;
    }
    let p = faults.error_rate();
    if p > 0.0 && fastrand::f64() < p {
        return error_response(&ApiError::internal(format!(
            "simulated fault: cluster {} returned an internal error",
            st.ctx.name
        )));
    }
    let path = uri.path().to_string();
    let user = match authenticate(&st, &headers, &path) {
        Ok(u) => u,
        Err(e) => return error_response(&e),
    };
    let h = |n: header::HeaderName| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let req = Req {
        st: &st,
        method,
        query: Query::parse(uri.query()),
        accept: h(header::ACCEPT),
        content_type: h(header::CONTENT_TYPE),
        user_agent: h(header::USER_AGENT),
        if_none_match: h(header::IF_NONE_MATCH),
        body,
        user,
    };
    match route(&req, &path).await {
        Ok(r) => r,
        Err(e) => error_response(&e),
    }
}

/// Where a resource request points.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    kind: Kind,
    /// Namespace from the path (None = all namespaces / cluster-scoped).
    namespace: Option<String>,
    name: Option<String>,
    sub: Option<String>,
}

fn not_found_path(path: &str) -> ApiError {
    ApiError::new(
        404,
        "NotFound",
        format!("the server could not find the requested resource ({path})"),
    )
}

async fn route(req: &Req<'_>, path: &str) -> Result<Response, ApiError> {
    let segs: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let is_resource = matches!(
        segs.as_slice(),
        ["api", "v1", _, ..] | ["apis", _, _, _, ..]
    );
    if !is_resource {
        req.authorize(&Attributes::NonResource {
            verb: req.method.as_str().to_lowercase(),
            path: path.to_string(),
        })?;
    }
    match segs.as_slice() {
        [] => Ok(json_response(200, &discovery::root_paths())),
        ["version"] => Ok(json_response(200, &discovery::version())),
        ["healthz" | "readyz" | "livez", ..] => Ok(Response::builder()
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Body::from("ok"))
            .expect("valid response")),
        ["api"] => Ok(json_response(200, &discovery::api_versions(req.st.port))),
        ["apis"] => Ok(json_response(200, &discovery::api_groups())),
        ["apis", g @ ("metrics.k8s.io" | "custom.metrics.k8s.io" | "external.metrics.k8s.io"), rest @ ..] => {
            metrics::route(req, g, rest, path)
        }
        ["api", "v1"] => Ok(json_response(200, &discovery::resource_list("", "v1")?)),
        ["apis", g, v] => Ok(json_response(200, &discovery::resource_list(g, v)?)),
        ["apis", g] => Ok(json_response(200, &discovery::api_group(g)?)),
        ["openapi", "v2"] => {
            let v2 = openapi::docs_v2();
            Ok(if req.accept.contains("protobuf") {
                openapi_response(req, &v2.proto, "/openapi/v2", OPENAPI_V2_PROTOBUF)
            } else {
                openapi_response(req, &v2.json, "/openapi/v2", "application/json")
            })
        }
        ["openapi", "v3"] => Ok(openapi_response(
            req,
            &openapi::docs().root,
            "/openapi/v3",
            "application/json",
        )),
        ["openapi", "v3", gv @ ..] => {
            let gv = gv.join("/");
            let d = openapi::docs().group(&gv)?;
            Ok(openapi_response(
                req,
                d,
                &format!("/openapi/v3/{gv}"),
                "application/json",
            ))
        }
        ["openapi", ..] => Err(not_found_path(path)),
        ["apis", g, "v1", r] if access::is_review(g, r) => access::review(req, g, r),
        ["apis", apiservice::GROUP, "v1", apiservice::RESOURCE, rest @ ..] => {
            apiservice::route(req, rest, path)
        }
        ["api", "v1", rest @ ..] => resource(req, "", "v1", rest, path).await,
        ["apis", g, v, rest @ ..] => resource(req, g, v, rest, path).await,
        _ => Err(not_found_path(path)),
    }
}

fn parse_target(group: &str, version: &str, rest: &[&str], path: &str) -> Result<Target, ApiError> {
    let find = |plural: &str| Kind::from_resource_version(group, version, plural);
    let kind_of = |plural: &str| find(plural).ok_or_else(|| not_found_path(path));
    let t = |kind, ns: Option<&str>, name: Option<&str>, sub: Option<&str>| Target {
        kind,
        namespace: ns.map(str::to_string),
        name: name.map(str::to_string),
        sub: sub.map(str::to_string),
    };
    match rest {
        ["namespaces", ns, plural, tail @ ..] if find(plural).is_some_and(Kind::namespaced) => {
            let kind = kind_of(plural)?;
            match tail {
                [] => Ok(t(kind, Some(ns), None, None)),
                [name] => Ok(t(kind, Some(ns), Some(name), None)),
                [name, sub] => Ok(t(kind, Some(ns), Some(name), Some(sub))),
                _ => Err(not_found_path(path)),
            }
        }
        [plural] => Ok(t(kind_of(plural)?, None, None, None)),
        [plural, name] => Ok(t(kind_of(plural)?, None, Some(name), None)),
        [plural, name, sub] => Ok(t(kind_of(plural)?, None, Some(name), Some(sub))),
        _ => Err(not_found_path(path)),
    }
}

async fn resource(
    req: &Req<'_>,
    group: &str,
    version: &str,
    rest: &[&str],
    path: &str,
) -> Result<Response, ApiError> {
    let mut t = parse_target(group, version, rest, path)?;
    if !t.kind.namespaced() && t.namespace.is_some() {
        return Err(not_found_path(path));
    }
    if t.kind.namespaced() && t.name.is_some() && t.namespace.is_none() {
        return Err(not_found_path(path));
    }
    if let Some(sub) = t.sub.as_deref() {
        let ok = match sub {
            "status" => t.kind.has_status(),
            "scale" => t.kind.has_scale(),
            "eviction" => t.kind == Kind::Pod,
            "finalize" => t.kind == Kind::Namespace,
            "token" => t.kind == Kind::ServiceAccount,
            _ => false,
        };
        if !ok {
            return Err(not_found_path(path));
        }
        if sub == "finalize" {
            t.sub = Some("status".into());
        }
    }
    req.authorize(&request_attributes(req, &t))?;
    let m = req.method.clone();
    match (&m, t.name.is_some(), t.sub.as_deref()) {
        (&Method::GET, false, _) => {
            if req.query.flag("watch") {
                watch::serve(req, &t).await
            } else {
                list(req, &t)
            }
        }
        (&Method::GET, true, Some("scale")) => get_scale(req, &t),
        (&Method::GET, true, _) => get(req, &t),
        (&Method::POST, false, None) => create(req, &t),
        (&Method::POST, true, Some("eviction")) => evict(req, &t),
        (&Method::POST, true, Some("token")) => access::token_request(req, ns_of(&t), name_of(&t)),
        (&Method::PUT, true, Some("scale")) => put_scale(req, &t),
        (&Method::PUT, true, sub) => replace(req, &t, sub == Some("status")),
        (&Method::PATCH, true, Some("scale")) => patch_scale(req, &t),
        (&Method::PATCH, true, sub) => patch::handle(req, &t, sub == Some("status")),
        (&Method::DELETE, true, None) => delete(req, &t),
        (&Method::DELETE, false, None) => delete_collection(req, &t),
        _ => Err(ApiError::method_not_allowed(format!(
            "the server does not allow this method on the requested resource ({} {path})",
            req.method
        ))),
    }
}

/// The RBAC attributes of a resource request (verb from the method, `watch`, name and
/// subresource). A server-side apply that would create the object also needs `create`.
fn request_attributes(req: &Req<'_>, t: &Target) -> Attributes {
    let named = t.name.is_some();
    let verb = match (&req.method, named) {
        (&Method::GET, false) if req.query.flag("watch") => "watch",
        (&Method::GET, false) => "list",
        (&Method::GET, true) => "get",
        (&Method::POST, _) => "create",
        (&Method::PUT, _) => "update",
        (&Method::PATCH, _) => "patch",
        (&Method::DELETE, false) => "deletecollection",
        (&Method::DELETE, true) => "delete",
        _ => "unknown",
    };
    Attributes::Resource {
        verb: verb.into(),
        group: t.kind.group().into(),
        resource: t.kind.plural().into(),
        subresource: t.sub.clone().unwrap_or_default(),
        namespace: t.namespace.clone().unwrap_or_default(),
        name: t.name.clone().unwrap_or_default(),
    }
}

fn ns_of(t: &Target) -> &str {
    t.namespace.as_deref().unwrap_or_default()
}

fn name_of(t: &Target) -> &str {
    t.name.as_deref().unwrap_or_default()
}

fn get(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let st = &req.st.ctx.store;
    let obj = st
        .get_raw(t.kind, ns_of(t), name_of(t))
        .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
    if req.wants_table() {
        let v = obj.value();
        return Ok(json_response(
            200,
            &table::table(t.kind, &[v], &req.query, None, obj.resource_version, None),
        ));
    }
    Ok(bytes_response(200, obj.bytes.to_vec()))
}

/// Selector-and-namespace predicate of a list or watch request.
pub(crate) struct Filter {
    labels: LabelSelector,
    fields: FieldSelector,
    namespace: Option<String>,
}

impl Filter {
    fn from_req(req: &Req<'_>, t: &Target) -> Result<Filter, ApiError> {
        Ok(Filter {
            labels: LabelSelector::parse(req.query.get("labelSelector").unwrap_or_default())?,
            fields: FieldSelector::parse(req.query.get("fieldSelector").unwrap_or_default())?,
            namespace: t.namespace.clone().filter(|_| t.kind.namespaced()),
        })
    }

    fn has_selectors(&self) -> bool {
        !self.labels.is_empty() || !self.fields.is_empty()
    }

    fn matches(&self, o: &StoredObject) -> bool {
        self.namespace
            .as_deref()
            .is_none_or(|ns| &*o.namespace == ns)
            && o.matches_labels(&self.labels)
            && o.matches_fields(&self.fields)
    }
}

fn encode_continue(ns: &str, name: &str) -> String {
    let raw = format!("{ns}/{name}");
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_continue(tok: &str) -> Result<(String, String), ApiError> {
    let bad = || ApiError::bad_request(format!("continue key is not valid: {tok:?}"));
    if !tok.len().is_multiple_of(2) {
        return Err(bad());
    }
    let bytes: Result<Vec<u8>, _> = (0..tok.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&tok[i..i + 2], 16))
        .collect();
    let s = String::from_utf8(bytes.map_err(|_| bad())?).map_err(|_| bad())?;
    let (a, b) = s.split_once('/').ok_or_else(bad)?;
    Ok((a.to_string(), b.to_string()))
}

fn list(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let filter = Filter::from_req(req, t)?;
    let limit = match req.query.get("limit") {
        Some(l) if !l.is_empty() => l
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request(format!("invalid limit {l:?}")))?,
        _ => 0,
    };
    let limit = if limit <= 0 {
        usize::MAX
    } else {
        limit as usize
    };
    let after = match req.query.get("continue") {
        Some(c) if !c.is_empty() => Some(decode_continue(c)?),
        _ => None,
    };
    let (items, rv, more) = req.st.ctx.store.list_page(
        t.kind,
        filter.namespace.as_deref(),
        after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
        limit,
        |o| filter.matches(o),
    );
    let cont = if more {
        items.last().map(|o| encode_continue(&o.namespace, &o.name))
    } else {
        None
    };
    if req.wants_table() {
        let values: Vec<Value> = items.iter().map(|o| o.value()).collect();
        return Ok(json_response(
            200,
            &table::table(t.kind, &values, &req.query, cont.as_deref(), rv, None),
        ));
    }
    let mut meta = json!({"resourceVersion": rv.to_string()});
    if let Some(c) = &cont {
        meta["continue"] = json!(c);
    }
    let head = format!(
        "{{\"kind\":\"{}List\",\"apiVersion\":\"{}\",\"metadata\":{},\"items\":[",
        t.kind.name(),
        t.kind.api_version(),
        meta
    );
    Ok(stream_list(head, items))
}

/// Streams `head`, the items' stored bytes comma-separated, and `]}` in chunks.
fn stream_list(head: String, items: Vec<Arc<StoredObject>>) -> Response {
    const CHUNK: usize = 256 << 10;
    let mut idx = 0usize;
    let mut head = Some(head);
    let stream = futures::stream::poll_fn(move |_| {
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + 4096);
        if let Some(h) = head.take() {
            buf.extend_from_slice(h.as_bytes());
        }
        if idx > items.len() {
            return std::task::Poll::Ready(None);
        }
        while idx < items.len() && buf.len() < CHUNK {
            if idx > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(&items[idx].bytes);
            idx += 1;
        }
        if idx == items.len() {
            buf.extend_from_slice(b"]}");
            idx += 1;
        }
        std::task::Poll::Ready(Some(Ok::<_, std::convert::Infallible>(Bytes::from(buf))))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(stream))
        .expect("valid response")
}

fn check_kind(t: &Target, obj: &Value) -> Result<(), ApiError> {
    if let Some(k) = obj.get("kind").and_then(Value::as_str) {
        if !k.is_empty() && k != t.kind.name() {
            return Err(ApiError::bad_request(format!(
                "the kind of the object ({k}) does not match the kind on the URL ({})",
                t.kind.name()
            )));
        }
    }
    Ok(())
}

/// Puts the URL's namespace into the object (400 on mismatch).
fn apply_namespace(t: &Target, obj: &mut Value) -> Result<(), ApiError> {
    if !t.kind.namespaced() {
        return Ok(());
    }
    if !obj.get("metadata").is_some_and(Value::is_object) {
        obj["metadata"] = json!({});
    }
    let body_ns = obj["metadata"]["namespace"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match t.namespace.as_deref() {
        Some(ns) => {
            if !body_ns.is_empty() && body_ns != ns {
                return Err(ApiError::bad_request(format!(
                    "the namespace of the provided object ({body_ns}) does not match the namespace sent on the request ({ns})"
                )));
            }
            obj["metadata"]["namespace"] = json!(ns);
        }
        None if body_ns.is_empty() => obj["metadata"]["namespace"] = json!("default"),
        None => {}
    }
    Ok(())
}

fn require_namespace(req: &Req<'_>, t: &Target, obj: &Value) -> Result<(), ApiError> {
    if !t.kind.namespaced() {
        return Ok(());
    }
    let ns = obj["metadata"]["namespace"].as_str().unwrap_or_default();
    if req.st.ctx.store.get_raw(Kind::Namespace, "", ns).is_none() {
        return Err(ApiError::not_found(Kind::Namespace, ns));
    }
    Ok(())
}

/// Drops fields clients may not set on create.
fn sanitize_new(kind: Kind, obj: &mut Value) {
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        m.remove("resourceVersion");
        m.remove("managedFields");
        m.remove("uid");
        m.remove("creationTimestamp");
    }
    match kind {
        Kind::Deployment
        | Kind::ReplicaSet
        | Kind::Job
        | Kind::StatefulSet
        | Kind::DaemonSet
        | Kind::HorizontalPodAutoscaler
        | Kind::PodDisruptionBudget
        | Kind::Service
        | Kind::PersistentVolumeClaim => {
            if let Some(o) = obj.as_object_mut() {
                o.remove("status");
            }
        }
        Kind::Pod if obj.pointer("/status/phase").is_none() => {
            obj["status"] = json!({"phase": "Pending"});
        }
        Kind::Namespace => {
            obj["status"] = json!({"phase": "Active"});
        }
        _ => {}
    }
}

fn create(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let obj = req.body_json()?;
    check_kind(t, &obj)?;
    let warnings = validation::check(t.kind, req.query.get("fieldValidation"), &obj)?;
    create_checked(req, t, obj).map(|r| with_warnings(r, &warnings))
}

fn create_checked(req: &Req<'_>, t: &Target, mut obj: Value) -> Result<Response, ApiError> {
    apply_namespace(t, &mut obj)?;
    require_namespace(req, t, &obj)?;
    sanitize_new(t.kind, &mut obj);
    let store = &req.st.ctx.store;
    let mut obj = super::store::Store::prepare_create(t.kind, obj)?;
    super::admission::on_create(store, t.kind, &mut obj)?;
    managed::record_update(None, &mut obj, &req.field_manager(), t.kind.api_version());
    if req.query.dry_run() {
        let ns = obj["metadata"]["namespace"].as_str().unwrap_or_default();
        let name = obj["metadata"]["name"].as_str().unwrap_or_default();
        if store.get_raw(t.kind, ns, name).is_some() {
            return Err(ApiError::already_exists(t.kind, name));
        }
        return Ok(json_response(201, &obj));
    }
    let created = store.create(t.kind, obj)?;
    Ok(json_response(201, &created))
}

/// Combines an incoming full object with the stored one for the main resource or the status
/// subresource: the main resource cannot change status, the status subresource only status.
pub(crate) fn split_status(kind: Kind, old: &Value, mut new: Value, status_only: bool) -> Value {
    if status_only {
        let mut out = old.clone();
        match new.get_mut("status").map(std::mem::take) {
            Some(s) => out["status"] = s,
            None => {
                out.as_object_mut().map(|o| o.remove("status"));
            }
        }
        if let Some(rv) = new.pointer("/metadata/resourceVersion").cloned() {
            out["metadata"]["resourceVersion"] = rv;
        }
        out
    } else {
        if kind.has_status() {
            match old.get("status") {
                Some(s) => new["status"] = s.clone(),
                None => {
                    new.as_object_mut().map(|o| o.remove("status"));
                }
            }
        }
        new
    }
}

/// Stores `new` as the next version of `old` (or returns it for dry-run), keeping
/// managedFields up to date for non-apply writes.
pub(crate) fn commit_update(
    req: &Req<'_>,
    t: &Target,
    old: &Value,
    mut new: Value,
    manager: Option<&str>,
) -> Result<Value, ApiError> {
    let store = &req.st.ctx.store;
    if !new.get("metadata").is_some_and(Value::is_object) {
        new["metadata"] = json!({});
    }
    new["metadata"]["name"] = old["metadata"]["name"].clone();
    if t.kind.namespaced() {
        new["metadata"]["namespace"] = old["metadata"]["namespace"].clone();
    }
    if let Some(m) = manager {
        if new.pointer("/metadata/managedFields") == old.pointer("/metadata/managedFields") {
            managed::record_update(Some(old), &mut new, m, t.kind.api_version());
        }
    }
    if new
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .is_empty()
    {
        new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
    }
    let mut cmp_new = new.clone();
    cmp_new["metadata"]["resourceVersion"] = old["metadata"]["resourceVersion"].clone();
    if cmp_new == *old
        && new.pointer("/metadata/resourceVersion") == old.pointer("/metadata/resourceVersion")
    {
        return Ok(old.clone());
    }
    super::admission::on_update(t.kind, old, &mut new)?;
    if req.query.dry_run() {
        return store.prepare_update(t.kind, new);
    }
    store.update(t.kind, new)
}

fn replace(req: &Req<'_>, t: &Target, status_only: bool) -> Result<Response, ApiError> {
    let mut obj = req.body_json()?;
    check_kind(t, &obj)?;
    let warnings = validation::check(t.kind, req.query.get("fieldValidation"), &obj)?;
    let body_name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !body_name.is_empty() && body_name != name_of(t) {
        return Err(ApiError::bad_request(format!(
            "the name of the object ({body_name}) does not match the name on the URL ({})",
            name_of(t)
        )));
    }
    apply_namespace(t, &mut obj)?;
    let store = &req.st.ctx.store;
    let old = store
        .get(t.kind, ns_of(t), name_of(t))
        .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
    let new = split_status(t.kind, &old, obj, status_only);
    let mgr = req.field_manager();
    let out = commit_update(req, t, &old, new, (!status_only).then_some(mgr.as_str()))?;
    Ok(with_warnings(json_response(200, &out), &warnings))
}

/// Propagation, dry-run, and (uid, resourceVersion) preconditions of a delete.
type DeleteOpts = (Propagation, bool, Option<(Option<String>, Option<String>)>);

fn delete_options(req: &Req<'_>) -> Result<DeleteOpts, ApiError> {
    let body: Value = if req.body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&req.body)
            .map_err(|e| ApiError::bad_request(format!("invalid DeleteOptions: {e}")))?
    };
    let policy = body
        .get("propagationPolicy")
        .and_then(Value::as_str)
        .or(req.query.get("propagationPolicy"))
        .map(str::to_string);
    let orphan = body
        .get("orphanDependents")
        .and_then(Value::as_bool)
        .or_else(|| req.query.get("orphanDependents").map(|v| v == "true"));
    let prop = match (policy.as_deref(), orphan) {
        (Some("Orphan"), _) | (None, Some(true)) => Propagation::Orphan,
        (Some("Foreground"), _) => Propagation::Foreground,
        (Some("Background") | None, _) => Propagation::Background,
        (Some(other), _) => {
            return Err(ApiError::bad_request(format!(
                "propagationPolicy {other:?} is not one of Orphan, Foreground, Background"
            )))
        }
    };
    let dry = req.query.dry_run()
        || body
            .get("dryRun")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v == "All"));
    let pre = body.get("preconditions").map(|p| {
        (
            p.get("uid").and_then(Value::as_str).map(str::to_string),
            p.get("resourceVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
        )
    });
    if let Some(g) = body.get("gracePeriodSeconds").or(None) {
        if g.as_i64().is_some_and(|g| g < 0) {
            return Err(ApiError::bad_request("gracePeriodSeconds must be >= 0"));
        }
    }
    Ok((prop, dry, pre))
}

fn success_status(kind: Kind, obj: &Value) -> Value {
    let mut details = json!({
        "name": obj.pointer("/metadata/name").cloned().unwrap_or(Value::Null),
        "kind": kind.plural(),
        "uid": obj.pointer("/metadata/uid").cloned().unwrap_or(Value::Null),
    });
    if !kind.group().is_empty() {
        details["group"] = json!(kind.group());
    }
    json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details})
}

fn delete(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let (prop, dry, pre) = delete_options(req)?;
    let store = &req.st.ctx.store;
    let deleted = if dry {
        store
            .get(t.kind, ns_of(t), name_of(t))
            .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?
    } else {
        store.delete_with(
            t.kind,
            ns_of(t),
            name_of(t),
            prop,
            pre.as_ref().map(|(u, r)| (u.as_deref(), r.as_deref())),
        )?
    };
    if t.kind == Kind::Pod {
        return Ok(json_response(200, &deleted));
    }
    Ok(json_response(200, &success_status(t.kind, &deleted)))
}

fn delete_collection(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let (prop, dry, _) = delete_options(req)?;
    let filter = Filter::from_req(req, t)?;
    let store = &req.st.ctx.store;
    let (items, rv, _) =
        store.list_page(t.kind, filter.namespace.as_deref(), None, usize::MAX, |o| {
            filter.matches(o)
        });
    let mut out = Vec::new();
    for o in items {
        if dry {
            out.push(o.value());
        } else if let Ok(v) = store.delete_with(t.kind, &o.namespace, &o.name, prop, None) {
            out.push(v);
        }
    }
    Ok(json_response(
        200,
        &json!({"kind": format!("{}List", t.kind.name()), "apiVersion": t.kind.api_version(),
                "metadata": {"resourceVersion": rv.to_string()}, "items": out}),
    ))
}

/// 429 when evicting `pod` would violate a PodDisruptionBudget that selects it (a Ready pod
/// needs `disruptionsAllowed > 0`; an unready one needs the budget to be met already).
fn check_disruption_budgets(store: &super::store::Store, pod: &Value) -> Result<(), ApiError> {
    use super::controllers::workloads::{pdb_numbers, pdb_pods};
    let ns = pod["metadata"]["namespace"].as_str().unwrap_or_default();
    let uid = pod["metadata"]["uid"].as_str().unwrap_or_default();
    let ready = super::controllers::util::pod_ready(pod);
    for pdb in store.list(Kind::PodDisruptionBudget, Some(ns)) {
        let pods = pdb_pods(store, &pdb);
        if !pods
            .iter()
            .any(|p| p["metadata"]["uid"].as_str() == Some(uid))
        {
            continue;
        }
        let (_, healthy, desired, allowed) = pdb_numbers(&pdb, &pods);
        let blocked = if ready {
            allowed == 0
        } else {
            healthy < desired
        };
        if blocked {
            let name = pdb["metadata"]["name"].as_str().unwrap_or_default();
            let mut e = ApiError::new(
                429,
                "TooManyRequests",
                "Cannot evict pod as it would violate the pod's disruption budget.",
            );
            e.details = Some(json!({"causes": [{"reason": "DisruptionBudget",
                "message": format!("The disruption budget {name} needs {desired} healthy pods and has {healthy} currently")}]}));
            return Err(e);
        }
    }
    Ok(())
}

fn evict(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        req.body_json()?
    };
    let store = &req.st.ctx.store;
    let pod = store
        .get(Kind::Pod, ns_of(t), name_of(t))
        .ok_or_else(|| ApiError::not_found(Kind::Pod, name_of(t)))?;
    let dry = req.query.dry_run()
        || body
            .pointer("/deleteOptions/dryRun")
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().any(|v| v == "All"));
    check_disruption_budgets(store, &pod)?;
    if !dry {
        store.delete(Kind::Pod, ns_of(t), name_of(t))?;
    }
    Ok(json_response(
        201,
        &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}),
    ))
}

fn scale_of(obj: &Value) -> Value {
    let selector = obj
        .pointer("/spec/selector")
        .and_then(|s| {
            s.get("matchLabels").and_then(Value::as_object).map(|m| {
                m.iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(",")
            })
        })
        .unwrap_or_default();
    let meta = &obj["metadata"];
    json!({
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"], "namespace": meta["namespace"], "uid": meta["uid"],
            "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"],
        },
        "spec": {"replicas": obj.pointer("/spec/replicas").and_then(Value::as_i64).unwrap_or(1)},
        "status": {
            "replicas": obj.pointer("/status/replicas").and_then(Value::as_i64).unwrap_or(0),
            "selector": selector,
        },
    })
}

fn get_scale(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let obj = req
        .st
        .ctx
        .store
        .get(t.kind, ns_of(t), name_of(t))
        .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
    Ok(json_response(200, &scale_of(&obj)))
}

fn set_scale(req: &Req<'_>, t: &Target, old: &Value, scale: &Value) -> Result<Response, ApiError> {
    let replicas = scale
        .pointer("/spec/replicas")
        .and_then(Value::as_i64)
        .ok_or_else(|| ApiError::bad_request("Scale.spec.replicas is required"))?;
    if replicas < 0 {
        return Err(ApiError::invalid(
            Kind::Deployment,
            name_of(t),
            &[(
                "spec.replicas".into(),
                format!("Invalid value: {replicas}: must be greater than or equal to 0"),
            )],
        ));
    }
    let given_rv = scale
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !given_rv.is_empty()
        && Some(given_rv)
            != old
                .pointer("/metadata/resourceVersion")
                .and_then(Value::as_str)
    {
        return Err(ApiError::conflict(t.kind, name_of(t)));
    }
    let mut new = old.clone();
    new["spec"]["replicas"] = json!(replicas);
    let mgr = req.field_manager();
    let out = commit_update(req, t, old, new, Some(&mgr))?;
    Ok(json_response(200, &scale_of(&out)))
}

fn put_scale(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    let scale = req.body_json()?;
    let pinned = scale
        .pointer("/metadata/resourceVersion")
        .and_then(Value::as_str)
        .is_some_and(|r| !r.is_empty());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let old = req
            .st
            .ctx
            .store
            .get(t.kind, ns_of(t), name_of(t))
            .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
        match set_scale(req, t, &old, &scale) {
            Err(e) if e.reason == "Conflict" && !pinned && attempt < 8 => continue,
            r => return r,
        }
    }
}

fn patch_scale(req: &Req<'_>, t: &Target) -> Result<Response, ApiError> {
    // Controllers write status concurrently: retry unless the patch pins a resourceVersion.
    let mut attempt = 0;
    loop {
        attempt += 1;
        let old = req
            .st
            .ctx
            .store
            .get(t.kind, ns_of(t), name_of(t))
            .ok_or_else(|| ApiError::not_found(t.kind, name_of(t)))?;
        let mut scale = scale_of(&old);
        let rv_before = scale["metadata"]["resourceVersion"].clone();
        patch::apply_patch_body(req, &mut scale, Kind::Deployment)?;
        let pinned = scale["metadata"]["resourceVersion"] != rv_before;
        if !pinned {
            scale["metadata"]
                .as_object_mut()
                .map(|m| m.remove("resourceVersion"));
        }
        match set_scale(req, t, &old, &scale) {
            Err(e) if e.reason == "Conflict" && !pinned && attempt < 8 => continue,
            r => return r,
        }
    }
}
