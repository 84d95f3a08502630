//! The object store of one simulated cluster: every API object, the cluster-wide
//! resourceVersion counter, a bounded history of watch events, and ownerReference garbage
//! collection.
//!
//! Objects are kept as compact serialized JSON (`Arc<StoredObject>`) plus a small index of the
//! fields selectors need (labels, `spec.nodeName`, `status.phase`, owner uids), so 60,000 pods fit
//! in a few hundred MiB and a list response is a concatenation of stored bytes. Readers that want
//! a `serde_json::Value` get a fresh parse ([`Store::get`], [`Store::list`]).
//!
//! Two change feeds exist: [`Store::subscribe`] (a `tokio::sync::broadcast` of parsed
//! [`WatchEvent`]s, for controllers) and [`Store::events_since`] + [`Store::rv_watch`] (the
//! replayable history ring the HTTP `watch=true` streams read; 410 Gone when too old).

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, RwLock};

use serde_json::{json, Map, Value};
use tokio::sync::{broadcast, watch};

use super::selector::{FieldSelector, LabelSelector};

/// The resource kinds the simulator stores and serves. Everything the API layer needs to know
/// about a kind (group, version, names, scope, subresources) is one row of [`KINDS`]; adding
/// a kind = a variant here + a row there (+ Table columns in `api::table`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// core/v1 Namespace (cluster-scoped).
    Namespace,
    /// core/v1 Node (cluster-scoped).
    Node,
    /// core/v1 Pod.
    Pod,
    /// apps/v1 Deployment.
    Deployment,
    /// apps/v1 ReplicaSet.
    ReplicaSet,
    /// scheduling.k8s.io/v1 PriorityClass (cluster-scoped).
    PriorityClass,
    /// core/v1 ConfigMap.
    ConfigMap,
    /// core/v1 Event.
    Event,
    /// coordination.k8s.io/v1 Lease.
    Lease,
    /// core/v1 Secret.
    Secret,
    /// core/v1 ServiceAccount.
    ServiceAccount,
    /// core/v1 Service.
    Service,
    /// core/v1 Endpoints.
    Endpoints,
    /// core/v1 PersistentVolumeClaim.
    PersistentVolumeClaim,
    /// rbac.authorization.k8s.io/v1 Role.
    Role,
    /// rbac.authorization.k8s.io/v1 RoleBinding.
    RoleBinding,
    /// rbac.authorization.k8s.io/v1 ClusterRole (cluster-scoped).
    ClusterRole,
    /// rbac.authorization.k8s.io/v1 ClusterRoleBinding (cluster-scoped).
    ClusterRoleBinding,
    /// autoscaling/v2 HorizontalPodAutoscaler.
    HorizontalPodAutoscaler,
    /// policy/v1 PodDisruptionBudget.
    PodDisruptionBudget,
    /// batch/v1 Job.
    Job,
    /// apps/v1 StatefulSet.
    StatefulSet,
    /// apps/v1 DaemonSet.
    DaemonSet,
}

/// Static description of one served kind (a row of [`KINDS`]).
#[derive(Debug)]
pub struct KindInfo {
    /// The `kind` field value, e.g. `Pod`.
    pub kind: &'static str,
    /// API group ("" for core).
    pub group: &'static str,
    /// API version, e.g. `v1`, `v2`.
    pub version: &'static str,
    /// URL resource name, e.g. `pods`.
    pub plural: &'static str,
    /// Singular resource name.
    pub singular: &'static str,
    /// Short names kubectl accepts.
    pub short_names: &'static [&'static str],
    /// Lives in a namespace.
    pub namespaced: bool,
    /// Has a `status` subresource (status is not writable through the main resource).
    pub status: bool,
    /// `metadata.generation` is maintained (bumped when `spec` changes).
    pub generation: bool,
    /// Has a `scale` subresource (`autoscaling/v1 Scale`).
    pub scale: bool,
    /// Discovery categories (`all` makes `kubectl get all` list it).
    pub categories: &'static [&'static str],
}

const fn info(
    kind: &'static str,
    group: &'static str,
    version: &'static str,
    plural: &'static str,
    singular: &'static str,
    short_names: &'static [&'static str],
    namespaced: bool,
) -> KindInfo {
    KindInfo {
        kind,
        group,
        version,
        plural,
        singular,
        short_names,
        namespaced,
        status: false,
        generation: false,
        scale: false,
        categories: &[],
    }
}

impl KindInfo {
    const fn with_status(mut self) -> Self {
        self.status = true;
        self
    }
    const fn with_generation(mut self) -> Self {
        self.generation = true;
        self
    }
    const fn with_scale(mut self) -> Self {
        self.scale = true;
        self
    }
    const fn in_all(mut self) -> Self {
        self.categories = &["all"];
        self
    }
}

/// Number of served kinds.
pub const KIND_COUNT: usize = 23;

/// The served kinds, indexed by `Kind as usize`.
pub static KINDS: [KindInfo; KIND_COUNT] = [
    info(
        "Namespace",
        "",
        "v1",
        "namespaces",
        "namespace",
        &["ns"],
        false,
    )
    .with_status(),
    info("Node", "", "v1", "nodes", "node", &["no"], false).with_status(),
    info("Pod", "", "v1", "pods", "pod", &["po"], true)
        .with_status()
        .with_generation()
        .in_all(),
    info(
        "Deployment",
        "apps",
        "v1",
        "deployments",
        "deployment",
        &["deploy"],
        true,
    )
    .with_status()
    .with_generation()
    .with_scale()
    .in_all(),
    info(
        "ReplicaSet",
        "apps",
        "v1",
        "replicasets",
        "replicaset",
        &["rs"],
        true,
    )
    .with_status()
    .with_generation()
    .with_scale()
    .in_all(),
    info(
        "PriorityClass",
        "scheduling.k8s.io",
        "v1",
        "priorityclasses",
        "priorityclass",
        &["pc"],
        false,
    ),
    info(
        "ConfigMap",
        "",
        "v1",
        "configmaps",
        "configmap",
        &["cm"],
        true,
    ),
    info("Event", "", "v1", "events", "event", &["ev"], true),
    info(
        "Lease",
        "coordination.k8s.io",
        "v1",
        "leases",
        "lease",
        &[],
        true,
    ),
    info("Secret", "", "v1", "secrets", "secret", &[], true),
    info(
        "ServiceAccount",
        "",
        "v1",
        "serviceaccounts",
        "serviceaccount",
        &["sa"],
        true,
    ),
    info("Service", "", "v1", "services", "service", &["svc"], true)
        .with_status()
        .in_all(),
    info(
        "Endpoints",
        "",
        "v1",
        "endpoints",
        "endpoints",
        &["ep"],
        true,
    ),
    info(
        "PersistentVolumeClaim",
        "",
        "v1",
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        &["pvc"],
        true,
    )
    .with_status(),
    info(
        "Role",
        "rbac.authorization.k8s.io",
        "v1",
        "roles",
        "role",
        &[],
        true,
    ),
    info(
        "RoleBinding",
        "rbac.authorization.k8s.io",
        "v1",
        "rolebindings",
        "rolebinding",
        &[],
        true,
    ),
    info(
        "ClusterRole",
        "rbac.authorization.k8s.io",
        "v1",
        "clusterroles",
        "clusterrole",
        &[],
        false,
    ),
    info(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        "v1",
        "clusterrolebindings",
        "clusterrolebinding",
        &[],
        false,
    ),
    info(
        "HorizontalPodAutoscaler",
        "autoscaling",
        "v2",
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        &["hpa"],
        true,
    )
    .with_status()
    .in_all(),
    info(
        "PodDisruptionBudget",
        "policy",
        "v1",
        "poddisruptionbudgets",
        "poddisruptionbudget",
        &["pdb"],
        true,
    )
    .with_status()
    .with_generation(),
    info("Job", "batch", "v1", "jobs", "job", &[], true)
        .with_status()
        .with_generation()
        .in_all(),
    info(
        "StatefulSet",
        "apps",
        "v1",
        "statefulsets",
        "statefulset",
        &["sts"],
        true,
    )
    .with_status()
    .with_generation()
    .with_scale()
    .in_all(),
    info(
        "DaemonSet",
        "apps",
        "v1",
        "daemonsets",
        "daemonset",
        &["ds"],
        true,
    )
    .with_status()
    .with_generation()
    .in_all(),
];

impl Kind {
    /// Every kind, in a fixed order (the order of [`KINDS`]).
    pub const ALL: [Kind; KIND_COUNT] = [
        Kind::Namespace,
        Kind::Node,
        Kind::Pod,
        Kind::Deployment,
        Kind::ReplicaSet,
        Kind::PriorityClass,
        Kind::ConfigMap,
        Kind::Event,
        Kind::Lease,
        Kind::Secret,
        Kind::ServiceAccount,
        Kind::Service,
        Kind::Endpoints,
        Kind::PersistentVolumeClaim,
        Kind::Role,
        Kind::RoleBinding,
        Kind::ClusterRole,
        Kind::ClusterRoleBinding,
        Kind::HorizontalPodAutoscaler,
        Kind::PodDisruptionBudget,
        Kind::Job,
        Kind::StatefulSet,
        Kind::DaemonSet,
    ];

    fn index(self) -> usize {
        self as usize
    }

    /// The kind's row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self.index()]
    }

    /// The `kind` field value, e.g. `Pod`.
    pub fn name(self) -> &'static str {
        self.info().kind
    }

    /// The API group ("" for core).
    pub fn group(self) -> &'static str {
        self.info().group
    }

    /// The API version, e.g. `v1`.
    pub fn version(self) -> &'static str {
        self.info().version
    }

    /// The `apiVersion` field value, e.g. `apps/v1`.
    pub fn api_version(self) -> &'static str {
        static GV: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        let gv = GV.get_or_init(|| {
            KINDS
                .iter()
                .map(|i| {
                    if i.group.is_empty() {
                        i.version.to_string()
                    } else {
                        format!("{}/{}", i.group, i.version)
                    }
                })
                .collect()
        });
        &gv[self.index()]
    }

    /// The URL resource name, e.g. `pods`.
    pub fn plural(self) -> &'static str {
        self.info().plural
    }

    /// The singular resource name, e.g. `pod`.
    pub fn singular(self) -> &'static str {
        self.info().singular
    }

    /// The short names kubectl accepts.
    pub fn short_names(self) -> &'static [&'static str] {
        self.info().short_names
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    /// Whether the kind has a `status` subresource (status is not writable through the main
    /// resource, spec changes bump `metadata.generation`).
    pub fn has_status(self) -> bool {
        self.info().status
    }

    /// Whether `metadata.generation` is maintained for this kind.
    pub fn has_generation(self) -> bool {
        self.info().generation
    }

    /// Whether the kind has a `scale` subresource.
    pub fn has_scale(self) -> bool {
        self.info().scale
    }

    /// Looks a kind up by API group, version and plural resource name.
    pub fn from_resource_version(group: &str, version: &str, plural: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.group() == group && k.version() == version && k.plural() == plural)
    }

    /// Looks a kind up by API group and plural resource name (any served version).
    pub fn from_resource(group: &str, plural: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.group() == group && k.plural() == plural)
    }

    /// Looks a kind up by its `kind` name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Type of a change notification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// Object created.
    Added,
    /// Object changed.
    Modified,
    /// Object removed (the object is its last state).
    Deleted,
}

impl EventType {
    /// The Kubernetes watch event type string.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Added => "ADDED",
            EventType::Modified => "MODIFIED",
            EventType::Deleted => "DELETED",
        }
    }
}

/// A change notification for controllers ([`Store::subscribe`]).
#[derive(Clone, Debug)]
pub struct WatchEvent {
    /// Kind of the object.
    pub kind: Kind,
    /// What happened.
    pub event_type: EventType,
    /// The object after the change (its last state for deletions).
    pub object: Value,
}

/// An API error; renders as a metav1 `Status` ([`ApiError::to_status`]).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// HTTP status code.
    pub code: u16,
    /// `Status.reason`, e.g. `NotFound`.
    pub reason: String,
    /// Human-readable message.
    pub message: String,
    /// `Status.details` (name, group, kind, causes), when known.
    pub details: Option<Value>,
}

impl ApiError {
    /// A new error without details.
    pub fn new(code: u16, reason: &str, message: impl Into<String>) -> Self {
        ApiError {
            code,
            reason: reason.to_string(),
            message: message.into(),
            details: None,
        }
    }

    fn with_details(mut self, kind: Kind, name: &str) -> Self {
        let mut d = json!({"name": name, "kind": kind.plural()});
        if !kind.group().is_empty() {
            d["group"] = json!(kind.group());
        }
        self.details = Some(d);
        self
    }

    fn resource(kind: Kind) -> String {
        if kind.group().is_empty() {
            kind.plural().to_string()
        } else {
            format!("{}.{}", kind.plural(), kind.group())
        }
    }

    /// 404 NotFound: `pods "x" not found`.
    pub fn not_found(kind: Kind, name: &str) -> Self {
        ApiError::new(
            404,
            "NotFound",
            format!("{} {name:?} not found", Self::resource(kind)),
        )
        .with_details(kind, name)
    }

    /// 409 AlreadyExists.
    pub fn already_exists(kind: Kind, name: &str) -> Self {
        ApiError::new(
            409,
            "AlreadyExists",
            format!("{} {name:?} already exists", Self::resource(kind)),
        )
        .with_details(kind, name)
    }

    /// 409 Conflict for a stale resourceVersion.
    pub fn conflict(kind: Kind, name: &str) -> Self {
        ApiError::new(
            409,
            "Conflict",
            format!(
                "Operation cannot be fulfilled on {} {name:?}: the object has been modified; please apply your changes to the latest version and try again",
                Self::resource(kind)
            ),
        )
        .with_details(kind, name)
    }

    /// 422 Invalid with `(field, message)` causes.
    pub fn invalid(kind: Kind, name: &str, causes: &[(String, String)]) -> Self {
        let summary: Vec<String> = causes.iter().map(|(f, m)| format!("{f}: {m}")).collect();
        let mut e = ApiError::new(
            422,
            "Invalid",
            format!(
                "{} {name:?} is invalid: {}",
                kind.name(),
                summary.join(", ")
            ),
        )
        .with_details(kind, name);
        if let Some(d) = e.details.as_mut() {
            d["causes"] = Value::Array(
                causes
                    .iter()
                    .map(|(f, m)| json!({"reason": "FieldValueInvalid", "message": m, "field": f}))
                    .collect(),
            );
        }
        e
    }

    /// 400 BadRequest.
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, "BadRequest", message)
    }

    /// 410 Expired (resourceVersion too old).
    pub fn gone(message: impl Into<String>) -> Self {
        ApiError::new(410, "Expired", message)
    }

    /// 500 InternalError.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, "InternalError", message)
    }

    /// 405 MethodNotAllowed.
    pub fn method_not_allowed(message: impl Into<String>) -> Self {
        ApiError::new(405, "MethodNotAllowed", message)
    }

    /// The metav1 Status object.
    pub fn to_status(&self) -> Value {
        let mut s = json!({
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        });
        if let Some(d) = &self.details {
            s["details"] = d.clone();
        }
        s
    }
}

/// One stored object: serialized JSON plus the fields selectors and GC need.
#[derive(Debug)]
pub struct StoredObject {
    /// Kind.
    pub kind: Kind,
    /// Namespace ("" when cluster-scoped).
    pub namespace: Box<str>,
    /// Name.
    pub name: Box<str>,
    /// `metadata.uid`.
    pub uid: Box<str>,
    /// `metadata.resourceVersion`.
    pub resource_version: u64,
    /// `metadata.labels`.
    pub labels: Box<[(Box<str>, Box<str>)]>,
    /// `spec.nodeName` (pods).
    pub node_name: Option<Box<str>>,
    /// `status.phase` (pods, namespaces).
    pub phase: Option<Box<str>>,
    /// `metadata.ownerReferences[*].uid`.
    pub owner_uids: Box<[Box<str>]>,
    /// The object as compact JSON (includes kind, apiVersion and the current resourceVersion).
    pub bytes: Box<[u8]>,
}

impl StoredObject {
    fn build(kind: Kind, obj: &Value, rv: u64) -> Arc<StoredObject> {
        let meta = &obj["metadata"];
        let s = |v: &Value| v.as_str().unwrap_or_default().into();
        let labels = meta
            .get("labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str().into(), v.as_str().unwrap_or_default().into()))
                    .collect()
            })
            .unwrap_or_default();
        let owner_uids = meta
            .get("ownerReferences")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|o| s(&o["uid"])).collect())
            .unwrap_or_default();
        Arc::new(StoredObject {
            kind,
            namespace: s(&meta["namespace"]),
            name: s(&meta["name"]),
            uid: s(&meta["uid"]),
            resource_version: rv,
            labels,
            node_name: obj
                .pointer("/spec/nodeName")
                .and_then(Value::as_str)
                .map(Into::into),
            phase: obj
                .pointer("/status/phase")
                .and_then(Value::as_str)
                .map(Into::into),
            owner_uids,
            bytes: serde_json::to_vec(obj)
                .expect("JSON value serializes")
                .into_boxed_slice(),
        })
    }

    /// Parses the stored JSON.
    pub fn value(&self) -> Value {
        serde_json::from_slice(&self.bytes).expect("stored JSON parses")
    }

    /// Deserializes the stored JSON into `T` (unknown fields ignored by serde's default), e.g. a
    /// small struct with only the fields a controller needs: much cheaper in memory and time
    /// than a full `Value` when scanning tens of thousands of pods.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.bytes)
    }

    /// Label value lookup.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|(_, v)| &**v)
    }

    /// Whether the object satisfies a label selector.
    pub fn matches_labels(&self, sel: &LabelSelector) -> bool {
        sel.is_empty() || sel.matches_with(|k| self.label(k))
    }

    /// Whether the object satisfies a field selector (index fields without parsing).
    pub fn matches_fields(&self, sel: &FieldSelector) -> bool {
        if sel.is_empty() {
            return true;
        }
        let mut parsed: Option<Value> = None;
        sel.reqs.iter().all(|r| {
            let actual: String = match r.path.as_str() {
                "metadata.name" => self.name.to_string(),
                "metadata.namespace" => self.namespace.to_string(),
                "spec.nodeName" if self.kind == Kind::Pod => {
                    self.node_name.as_deref().unwrap_or_default().to_string()
                }
                "status.phase" if self.kind == Kind::Pod => {
                    self.phase.as_deref().unwrap_or_default().to_string()
                }
                path => {
                    let v = parsed.get_or_insert_with(|| self.value());
                    super::selector::json_field(v, path)
                }
            };
            (actual == r.value) != r.negated
        })
    }
}

/// One entry of the watch history.
#[derive(Clone, Debug)]
pub struct HistoryEvent {
    /// The resourceVersion the change produced.
    pub rv: u64,
    /// What happened.
    pub event_type: EventType,
    /// The object after the change.
    pub object: Arc<StoredObject>,
}

/// Why [`Store::events_since`] cannot answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooOld {
    /// The oldest resourceVersion a watch may still start from.
    pub oldest: u64,
}

/// How deleting an owner treats its dependents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Propagation {
    /// Dependents are deleted (immediately, as the garbage collector would).
    #[default]
    Background,
    /// Dependents are deleted before the owner.
    Foreground,
    /// Dependents keep existing with the owner reference removed.
    Orphan,
}

/// Bounds of the watch history ring.
const HISTORY_MAX_EVENTS: usize = 50_000;
const HISTORY_MAX_BYTES: usize = 48 << 20;
/// Capacity of the controller broadcast channel. Each buffered event holds a parsed object, so
/// this stays small: receivers that fall behind get `Lagged` and resync.
const BROADCAST_CAPACITY: usize = 1_024;

type Key = (Box<str>, Box<str>);

#[derive(Default)]
struct Inner {
    rv: u64,
    objects: [BTreeMap<Key, Arc<StoredObject>>; KIND_COUNT],
    history: VecDeque<HistoryEvent>,
    history_bytes: usize,
    /// Events with rv > floor are all in `history`.
    history_floor: u64,
    history_max_events: usize,
    history_max_bytes: usize,
}

/// The object store of one cluster. Thread-safe; share as `Arc<Store>`.
pub struct Store {
    inner: RwLock<Inner>,
    tx: broadcast::Sender<WatchEvent>,
    rv_tx: watch::Sender<u64>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("resource_version", &self.resource_version())
            .finish()
    }
}

/// `2026-01-02T03:04:05Z`, the Kubernetes timestamp format.
pub fn now_rfc3339() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn new_uid() -> String {
    let mut h = String::with_capacity(36);
    for i in 0..16 {
        if matches!(i, 4 | 6 | 8 | 10) {
            h.push('-');
        }
        h.push_str(&format!("{:02x}", fastrand::u8(..)));
    }
    h
}

fn random_suffix() -> String {
    const ALPHA: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    (0..5)
        .map(|_| ALPHA[fastrand::usize(..ALPHA.len())] as char)
        .collect()
}

fn valid_name(name: &str) -> Option<String> {
    if name.len() > 253 {
        return Some("must be no more than 253 characters".into());
    }
    let ok = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    (!ok).then(|| {
        format!(
            "Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
        )
    })
}

/// RBAC object names only need to be valid path segments (`system:discovery` is fine).
fn valid_path_segment(name: &str) -> Option<String> {
    if name == "." || name == ".." {
        return Some(format!("Invalid value: {name:?}: may not be '{name}'"));
    }
    name.chars()
        .find(|c| matches!(c, '/' | '%'))
        .map(|c| format!("Invalid value: {name:?}: may not contain '{c}'"))
}

fn meta_str<'a>(obj: &'a Value, field: &str) -> &'a str {
    obj.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Parses a `resourceVersion` string ("" → None).
pub fn parse_rv(s: &str) -> Option<u64> {
    s.parse().ok()
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(BROADCAST_CAPACITY);
        let (rv_tx, _) = watch::channel(1);
        Store {
            inner: RwLock::new(Inner {
                rv: 1,
                history_max_events: HISTORY_MAX_EVENTS,
                history_max_bytes: HISTORY_MAX_BYTES,
                ..Default::default()
            }),
            tx,
            rv_tx,
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The current resourceVersion of the cluster.
    pub fn resource_version(&self) -> u64 {
        self.read().rv
    }

    /// A receiver that changes whenever the resourceVersion advances.
    pub fn rv_watch(&self) -> watch::Receiver<u64> {
        self.rv_tx.subscribe()
    }

    /// Change notifications for controllers. Slow receivers get `Lagged` and should resync
    /// with [`Store::list`].
    pub fn subscribe(&self) -> broadcast::Receiver<WatchEvent> {
        self.tx.subscribe()
    }

    /// One object ("" namespace for cluster-scoped kinds).
    pub fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<Value> {
        self.get_raw(kind, namespace, name).map(|o| o.value())
    }

    /// One object, unparsed.
    pub fn get_raw(&self, kind: Kind, namespace: &str, name: &str) -> Option<Arc<StoredObject>> {
        let ns = if kind.namespaced() { namespace } else { "" };
        self.read().objects[kind.index()]
            .get(&(ns.into(), name.into()))
            .cloned()
    }

    /// All objects of a kind (`None` = all namespaces), ordered by namespace then name.
    pub fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<Value> {
        self.list_raw(kind, namespace)
            .into_iter()
            .map(|o| o.value())
            .collect()
    }

    /// Objects of a kind whose index entry satisfies `pred`, parsed (cheap filtering before
    /// parsing; e.g. `|o| o.node_name.as_deref() == Some("n1")`).
    pub fn list_where(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        pred: impl Fn(&StoredObject) -> bool,
    ) -> Vec<Value> {
        self.list_raw(kind, namespace)
            .into_iter()
            .filter(|o| pred(o))
            .map(|o| o.value())
            .collect()
    }

    /// All objects of a kind deserialized into `T` (see [`StoredObject::parse`]); objects that
    /// do not fit `T` are skipped.
    pub fn list_as<T: serde::de::DeserializeOwned>(
        &self,
        kind: Kind,
        namespace: Option<&str>,
    ) -> Vec<T> {
        self.list_raw(kind, namespace)
            .iter()
            .filter_map(|o| o.parse().ok())
            .collect()
    }

    /// Calls `f` on every stored object of a kind (`None` = all namespaces) without parsing or
    /// copying it; the store is read-locked meanwhile, so `f` must not write to the store.
    pub fn for_each_raw(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        mut f: impl FnMut(&StoredObject),
    ) {
        let inner = self.read();
        let map = &inner.objects[kind.index()];
        match namespace.filter(|_| kind.namespaced()) {
            None => map.values().for_each(|o| f(o)),
            Some(ns) => Self::ns_range(map, ns).for_each(|(_, o)| f(o)),
        }
    }

    /// Number of objects of a kind (`None` = all namespaces).
    pub fn count(&self, kind: Kind, namespace: Option<&str>) -> usize {
        let inner = self.read();
        let map = &inner.objects[kind.index()];
        match namespace.filter(|_| kind.namespaced()) {
            None => map.len(),
            Some(ns) => Self::ns_range(map, ns).count(),
        }
    }

    fn ns_range<'a>(
        map: &'a BTreeMap<Key, Arc<StoredObject>>,
        ns: &str,
    ) -> impl Iterator<Item = (&'a Key, &'a Arc<StoredObject>)> + 'a {
        let ns: Box<str> = ns.into();
        let start: Key = (ns.clone(), "".into());
        map.range(start..).take_while(move |(k, _)| k.0 == ns)
    }

    /// All objects of a kind, unparsed.
    pub fn list_raw(&self, kind: Kind, namespace: Option<&str>) -> Vec<Arc<StoredObject>> {
        self.list_page(kind, namespace, None, usize::MAX, |_| true)
            .0
    }

    /// A page of objects after `after` (exclusive key `(namespace, name)`) that satisfy `pred`,
    /// at most `limit`; also returns the list resourceVersion and whether more remain.
    pub fn list_page(
        &self,
        kind: Kind,
        namespace: Option<&str>,
        after: Option<(&str, &str)>,
        limit: usize,
        pred: impl Fn(&StoredObject) -> bool,
    ) -> (Vec<Arc<StoredObject>>, u64, bool) {
        use std::ops::Bound;
        let inner = self.read();
        let map = &inner.objects[kind.index()];
        let ns = namespace.filter(|_| kind.namespaced());
        let lower: Bound<Key> = match after {
            Some((a, b)) => Bound::Excluded((a.into(), b.into())),
            None => match ns {
                Some(ns) => Bound::Included((ns.into(), "".into())),
                None => Bound::Unbounded,
            },
        };
        let mut out = Vec::new();
        let mut more = false;
        for (k, o) in map.range((lower, Bound::Unbounded)) {
            if let Some(ns) = ns {
                if &*k.0 != ns {
                    break;
                }
            }
            if !pred(o) {
                continue;
            }
            if out.len() >= limit {
                more = true;
                break;
            }
            out.push(o.clone());
        }
        (out, inner.rv, more)
    }

    fn key_of(kind: Kind, obj: &Value) -> Key {
        let ns = if kind.namespaced() {
            meta_str(obj, "namespace")
        } else {
            ""
        };
        (ns.into(), meta_str(obj, "name").into())
    }

    fn validate(kind: Kind, obj: &Value) -> Result<(), ApiError> {
        let name = meta_str(obj, "name");
        if name.is_empty() {
            return Err(ApiError::invalid(
                kind,
                "",
                &[(
                    "metadata.name".into(),
                    "Required value: name or generateName is required".into(),
                )],
            ));
        }
        let rbac = matches!(
            kind,
            Kind::Role | Kind::ClusterRole | Kind::RoleBinding | Kind::ClusterRoleBinding
        );
        let bad = if rbac {
            valid_path_segment(name)
        } else {
            valid_name(name)
        };
        if let Some(msg) = bad {
            return Err(ApiError::invalid(
                kind,
                name,
                &[("metadata.name".into(), msg)],
            ));
        }
        let mut causes = Vec::new();
        for path in ["/spec/replicas"] {
            if let Some(n) = obj.pointer(path).and_then(Value::as_i64) {
                if n < 0 {
                    causes.push((
                        "spec.replicas".to_string(),
                        format!("Invalid value: {n}: must be greater than or equal to 0"),
                    ));
                }
            }
        }
        if causes.is_empty() {
            Ok(())
        } else {
            Err(ApiError::invalid(kind, name, &causes))
        }
    }

    /// Fills defaults of a new object: kind/apiVersion, namespace, generated name, uid,
    /// creationTimestamp, generation. Does not store it.
    pub fn prepare_create(kind: Kind, mut obj: Value) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the object must be a JSON object"));
        }
        obj["kind"] = json!(kind.name());
        obj["apiVersion"] = json!(kind.api_version());
        if !obj.get("metadata").is_some_and(Value::is_object) {
            obj["metadata"] = json!({});
        }
        let meta = obj["metadata"]
            .as_object_mut()
            .expect("metadata is an object");
        if meta
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .is_empty()
        {
            if let Some(g) = meta
                .get("generateName")
                .and_then(Value::as_str)
                .filter(|g| !g.is_empty())
            {
                let n = format!("{g}{}", random_suffix());
                meta.insert("name".into(), json!(n));
            }
        }
        if kind.namespaced() {
            if meta
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .is_empty()
            {
                meta.insert("namespace".into(), json!("default"));
            }
        } else {
            meta.remove("namespace");
        }
        // Kept when already prepared (API requests strip client-sent ones first), so that
        // admission may derive fields from the uid before the object is stored.
        if meta
            .get("uid")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            meta.insert("uid".into(), json!(new_uid()));
            meta.insert("creationTimestamp".into(), json!(now_rfc3339()));
        }
        meta.remove("deletionTimestamp");
        if kind.has_generation() {
            meta.insert("generation".into(), json!(1));
        } else {
            meta.remove("generation");
        }
        Self::validate(kind, &obj)?;
        Ok(obj)
    }

    /// Creates an object: fills uid, resourceVersion, creationTimestamp, generation=1
    /// (409 AlreadyExists when the name is taken, 422 Invalid on a bad name / negative replicas).
    pub fn create(&self, kind: Kind, obj: Value) -> Result<Value, ApiError> {
        let obj = Self::prepare_create(kind, obj)?;
        let key = Self::key_of(kind, &obj);
        let mut inner = self.write();
        if inner.objects[kind.index()].contains_key(&key) {
            return Err(ApiError::already_exists(kind, &key.1));
        }
        Ok(self.commit(&mut inner, kind, key, obj, EventType::Added))
    }

    /// Computes the stored form of an update without storing it: 404 when absent, 409 when
    /// `metadata.resourceVersion` is given and stale. Keeps uid/creationTimestamp, bumps
    /// generation when `spec` changed.
    pub fn prepare_update(&self, kind: Kind, obj: Value) -> Result<Value, ApiError> {
        let key = Self::key_of(kind, &obj);
        let old = self
            .get_raw(kind, &key.0, &key.1)
            .ok_or_else(|| ApiError::not_found(kind, &key.1))?;
        Self::merge_update(kind, &old.value(), obj, true)
    }

    fn merge_update(
        kind: Kind,
        old: &Value,
        mut obj: Value,
        check_rv: bool,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("the object must be a JSON object"));
        }
        let name = meta_str(old, "name").to_string();
        let given_rv = meta_str(&obj, "resourceVersion");
        if check_rv && !given_rv.is_empty() && given_rv != meta_str(old, "resourceVersion") {
            return Err(ApiError::conflict(kind, &name));
        }
        obj["kind"] = json!(kind.name());
        obj["apiVersion"] = json!(kind.api_version());
        if !obj.get("metadata").is_some_and(Value::is_object) {
            obj["metadata"] = json!({});
        }
        let old_meta = &old["metadata"];
        {
            let meta = obj["metadata"]
                .as_object_mut()
                .expect("metadata is an object");
            for f in ["uid", "creationTimestamp", "namespace", "name"] {
                match old_meta.get(f) {
                    Some(v) => {
                        meta.insert(f.into(), v.clone());
                    }
                    None => {
                        meta.remove(f);
                    }
                }
            }
            if kind.has_generation() {
                let g = old_meta
                    .get("generation")
                    .and_then(Value::as_i64)
                    .unwrap_or(1);
                meta.insert("generation".into(), json!(g));
            }
        }
        if kind.has_generation() && obj.get("spec") != old.get("spec") {
            let g = old_meta
                .get("generation")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            obj["metadata"]["generation"] = json!(g + 1);
        }
        Self::validate(kind, &obj)?;
        Ok(obj)
    }

    /// Replaces an object (409 Conflict on a stale resourceVersion when one is given; bumps
    /// generation when spec changes; 404 when absent).
    pub fn update(&self, kind: Kind, obj: Value) -> Result<Value, ApiError> {
        let key = Self::key_of(kind, &obj);
        let mut inner = self.write();
        let old = inner.objects[kind.index()]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(kind, &key.1))?;
        let obj = Self::merge_update(kind, &old.value(), obj, true)?;
        Ok(self.commit(&mut inner, kind, key, obj, EventType::Modified))
    }

    /// Atomic read-modify-write (for controllers: status etc.); 404 when absent. No write (and
    /// no event) happens when `f` leaves the object unchanged.
    pub fn mutate(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value),
    ) -> Result<Value, ApiError> {
        self.try_mutate(kind, namespace, name, |v| {
            f(v);
            Ok(())
        })
    }

    /// Like [`Store::mutate`] but the closure may fail (nothing is written then).
    pub fn try_mutate(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        f: impl FnOnce(&mut Value) -> Result<(), ApiError>,
    ) -> Result<Value, ApiError> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let key: Key = (ns.into(), name.into());
        let mut inner = self.write();
        let old = inner.objects[kind.index()]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        let old_v = old.value();
        let mut new_v = old_v.clone();
        f(&mut new_v)?;
        if new_v == old_v {
            return Ok(old_v);
        }
        let obj = Self::merge_update(kind, &old_v, new_v, false)?;
        Ok(self.commit(&mut inner, kind, key, obj, EventType::Modified))
    }

    /// Deletes an object; dependents (ownerReferences) are deleted too, and deleting a Namespace
    /// deletes everything in it. Returns the deleted object.
    pub fn delete(&self, kind: Kind, namespace: &str, name: &str) -> Result<Value, ApiError> {
        self.delete_with(kind, namespace, name, Propagation::Background, None)
    }

    /// Deletes with an explicit propagation policy and optional uid / resourceVersion
    /// preconditions (`(uid, rv)`; 409 Conflict when they do not match).
    pub fn delete_with(
        &self,
        kind: Kind,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        preconditions: Option<(Option<&str>, Option<&str>)>,
    ) -> Result<Value, ApiError> {
        let ns = if kind.namespaced() { namespace } else { "" };
        let key: Key = (ns.into(), name.into());
        let mut inner = self.write();
        let old = inner.objects[kind.index()]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(kind, name))?;
        if let Some((uid, rv)) = preconditions {
            if uid.is_some_and(|u| u != &*old.uid)
                || rv.is_some_and(|r| parse_rv(r) != Some(old.resource_version))
            {
                return Err(ApiError::conflict(kind, name));
            }
        }
        Ok(self.delete_locked(&mut inner, kind, key, propagation))
    }

    fn delete_locked(
        &self,
        inner: &mut Inner,
        kind: Kind,
        key: Key,
        propagation: Propagation,
    ) -> Value {
        let Some(old) = inner.objects[kind.index()].get(&key).cloned() else {
            return Value::Null;
        };
        // Dependents first (foreground and background behave alike: the simulated garbage
        // collector runs synchronously).
        let mut dependents: Vec<(Kind, Key)> = Vec::new();
        for k in Kind::ALL {
            if !k.namespaced() {
                continue;
            }
            let map = &inner.objects[k.index()];
            if kind == Kind::Namespace {
                dependents.extend(Self::ns_range(map, &key.1).map(|(kk, _)| (k, kk.clone())));
            } else if kind.namespaced() {
                dependents.extend(
                    Self::ns_range(map, &key.0)
                        .filter(|(_, o)| o.owner_uids.iter().any(|u| *u == old.uid))
                        .map(|(kk, _)| (k, kk.clone())),
                );
            }
        }
        for (k, dk) in dependents {
            if propagation == Propagation::Orphan && kind != Kind::Namespace {
                if let Some(d) = inner.objects[k.index()].get(&dk).cloned() {
                    let mut v = d.value();
                    if let Some(refs) = v["metadata"]
                        .get_mut("ownerReferences")
                        .and_then(Value::as_array_mut)
                    {
                        refs.retain(|r| r["uid"].as_str() != Some(&*old.uid));
                        if refs.is_empty() {
                            v["metadata"]
                                .as_object_mut()
                                .map(|m| m.remove("ownerReferences"));
                        }
                    }
                    self.commit(inner, k, dk, v, EventType::Modified);
                }
            } else {
                self.delete_locked(inner, k, dk, propagation);
            }
        }
        let mut v = old.value();
        self.commit(inner, kind, key, std::mem::take(&mut v), EventType::Deleted)
    }

    /// Stores `obj` under `key` with a new resourceVersion and records the event.
    fn commit(
        &self,
        inner: &mut Inner,
        kind: Kind,
        key: Key,
        mut obj: Value,
        et: EventType,
    ) -> Value {
        inner.rv += 1;
        let rv = inner.rv;
        obj["metadata"]["resourceVersion"] = json!(rv.to_string());
        let stored = StoredObject::build(kind, &obj, rv);
        let map = &mut inner.objects[kind.index()];
        if et == EventType::Deleted {
            map.remove(&key);
        } else {
            map.insert(key, stored.clone());
        }
        inner.history_bytes += stored.bytes.len();
        inner.history.push_back(HistoryEvent {
            rv,
            event_type: et,
            object: stored,
        });
        while inner.history.len() > inner.history_max_events
            || inner.history_bytes > inner.history_max_bytes
        {
            let Some(old) = inner.history.pop_front() else {
                break;
            };
            inner.history_bytes -= old.object.bytes.len();
            inner.history_floor = old.rv;
        }
        if self.tx.receiver_count() > 0 {
            let _ = self.tx.send(WatchEvent {
                kind,
                event_type: et,
                object: obj.clone(),
            });
        }
        self.rv_tx.send_replace(rv);
        obj
    }

    /// Changes the bounds of the watch history ring (default 50,000 events / 48 MiB); older
    /// events are dropped at the next write. Watches from before the kept window get 410.
    pub fn set_history_limits(&self, max_events: usize, max_bytes: usize) {
        let mut inner = self.write();
        inner.history_max_events = max_events.max(1);
        inner.history_max_bytes = max_bytes.max(1);
    }

    /// History events with rv > `since` (all kinds), or [`TooOld`] when the ring no longer
    /// holds them.
    pub fn events_since(&self, since: u64) -> Result<Vec<HistoryEvent>, TooOld> {
        let inner = self.read();
        if since < inner.history_floor {
            return Err(TooOld {
                oldest: inner.history_floor,
            });
        }
        let start = inner.history.partition_point(|e| e.rv <= since);
        Ok(inner.history.range(start..).cloned().collect())
    }

    /// Approximate bytes held by stored objects (serialized form), per kind.
    pub fn stored_bytes(&self) -> Map<String, Value> {
        let inner = self.read();
        let mut m = Map::new();
        for k in Kind::ALL {
            let b: usize = inner.objects[k.index()]
                .values()
                .map(|o| o.bytes.len())
                .sum();
            m.insert(k.plural().into(), json!(b));
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ns: &str, name: &str, owner: Option<&str>) -> Value {
        let mut p =
            json!({"metadata": {"name": name, "namespace": ns}, "spec": {"containers": []}});
        if let Some(o) = owner {
            p["metadata"]["ownerReferences"] =
                json!([{"uid": o, "kind": "ReplicaSet", "name": "rs", "apiVersion": "apps/v1"}]);
        }
        p
    }

    #[test]
    fn create_fills_metadata_and_rejects_duplicates() {
        let s = Store::new();
        let p = s.create(Kind::Pod, pod("default", "a", None)).unwrap();
        assert_eq!(p["kind"], "Pod");
        assert_eq!(p["metadata"]["generation"], 1);
        assert!(p["metadata"]["uid"].as_str().unwrap().len() == 36);
        assert_eq!(
            p["metadata"]["resourceVersion"],
            s.resource_version().to_string()
        );
        let e = s.create(Kind::Pod, pod("default", "a", None)).unwrap_err();
        assert_eq!((e.code, e.reason.as_str()), (409, "AlreadyExists"));
    }

    #[test]
    fn update_checks_resource_version_and_bumps_generation_on_spec_change() {
        let s = Store::new();
        let d = s
            .create(
                Kind::Deployment,
                json!({"metadata": {"name": "web"}, "spec": {"replicas": 1}}),
            )
            .unwrap();
        let mut d2 = d.clone();
        d2["spec"]["replicas"] = json!(3);
        let d2 = s.update(Kind::Deployment, d2).unwrap();
        assert_eq!(d2["metadata"]["generation"], 2);
        let e = s.update(Kind::Deployment, d.clone()).unwrap_err();
        assert_eq!(e.reason, "Conflict");
        let d3 = s
            .mutate(Kind::Deployment, "default", "web", |v| {
                v["status"] = json!({"replicas": 3})
            })
            .unwrap();
        assert_eq!(d3["metadata"]["generation"], 2);
        let mut neg = d3.clone();
        neg["spec"]["replicas"] = json!(-1);
        let e = s.update(Kind::Deployment, neg).unwrap_err();
        assert_eq!(e.code, 422);
    }

    #[test]
    fn delete_cascades_through_owner_references_and_namespaces() {
        let s = Store::new();
        s.create(Kind::Namespace, json!({"metadata": {"name": "team"}}))
            .unwrap();
        let rs = s
            .create(
                Kind::ReplicaSet,
                json!({"metadata": {"name": "rs", "namespace": "team"}}),
            )
            .unwrap();
        let uid = rs["metadata"]["uid"].as_str().unwrap().to_string();
        s.create(Kind::Pod, pod("team", "p1", Some(&uid))).unwrap();
        s.create(Kind::Pod, pod("team", "p2", None)).unwrap();
        s.delete(Kind::ReplicaSet, "team", "rs").unwrap();
        assert_eq!(s.count(Kind::Pod, Some("team")), 1);
        s.delete(Kind::Namespace, "", "team").unwrap();
        assert_eq!(s.count(Kind::Pod, None), 0);
    }

    #[test]
    fn orphan_propagation_keeps_dependents_without_the_owner_reference() {
        let s = Store::new();
        let rs = s
            .create(Kind::ReplicaSet, json!({"metadata": {"name": "rs"}}))
            .unwrap();
        let uid = rs["metadata"]["uid"].as_str().unwrap().to_string();
        s.create(Kind::Pod, pod("default", "p1", Some(&uid)))
            .unwrap();
        s.delete_with(Kind::ReplicaSet, "default", "rs", Propagation::Orphan, None)
            .unwrap();
        let p = s.get(Kind::Pod, "default", "p1").unwrap();
        assert!(p["metadata"].get("ownerReferences").is_none());
    }

    #[test]
    fn history_replays_events_after_a_resource_version() {
        let s = Store::new();
        let rv0 = s.resource_version();
        s.create(Kind::ConfigMap, json!({"metadata": {"name": "a"}}))
            .unwrap();
        s.mutate(Kind::ConfigMap, "default", "a", |v| {
            v["data"] = json!({"k": "v"})
        })
        .unwrap();
        s.delete(Kind::ConfigMap, "default", "a").unwrap();
        let ev = s.events_since(rv0).unwrap();
        let types: Vec<_> = ev.iter().map(|e| e.event_type).collect();
        assert_eq!(
            types,
            [EventType::Added, EventType::Modified, EventType::Deleted]
        );
        assert_eq!(ev[2].rv, s.resource_version());
    }

    #[test]
    fn list_as_parses_into_a_small_struct() {
        #[derive(serde::Deserialize)]
        struct Lite {
            metadata: LiteMeta,
        }
        #[derive(serde::Deserialize)]
        struct LiteMeta {
            name: String,
        }
        let s = Store::new();
        s.create(Kind::Pod, pod("default", "a", None)).unwrap();
        s.create(Kind::Pod, pod("other", "b", None)).unwrap();
        let names: Vec<String> = s
            .list_as::<Lite>(Kind::Pod, None)
            .into_iter()
            .map(|l| l.metadata.name)
            .collect();
        assert_eq!(names, ["a", "b"]);
        let mut n = 0;
        s.for_each_raw(Kind::Pod, Some("other"), |o| {
            assert_eq!(&*o.name, "b");
            n += 1;
        });
        assert_eq!(n, 1);
    }

    #[test]
    fn history_ring_drops_old_events_and_reports_too_old() {
        let s = Store::new();
        s.set_history_limits(3, usize::MAX);
        let rv0 = s.resource_version();
        for i in 0..6 {
            s.create(
                Kind::ConfigMap,
                json!({"metadata": {"name": format!("c{i}")}}),
            )
            .unwrap();
        }
        let err = s.events_since(rv0).unwrap_err();
        assert_eq!(err.oldest, s.resource_version() - 3);
        assert_eq!(s.events_since(err.oldest).unwrap().len(), 3);
    }

    #[test]
    fn list_page_continues_after_the_last_key() {
        let s = Store::new();
        for i in 0..5 {
            s.create(Kind::Pod, pod("default", &format!("p{i}"), None))
                .unwrap();
        }
        let (page, _, more) = s.list_page(Kind::Pod, Some("default"), None, 2, |_| true);
        assert!(more);
        let last = page.last().unwrap();
        let (page2, _, _) = s.list_page(
            Kind::Pod,
            Some("default"),
            Some(("default", &last.name)),
            10,
            |_| true,
        );
        assert_eq!(
            page2.iter().map(|o| o.name.to_string()).collect::<Vec<_>>(),
            ["p2", "p3", "p4"]
        );
    }
}
