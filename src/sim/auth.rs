//! Authentication and RBAC authorization of one simulated cluster, with the real semantics.
//!
//! - Authentication: bearer tokens only. The admin token of the kubeconfig `sim up` writes is
//!   user `kubernetes-admin` in group `system:masters` (which, like on a real API server, is
//!   always allowed); ServiceAccount tokens come from the TokenRequest API
//!   (`kubectl create token SA`) and are user `system:serviceaccount:<ns>:<name>` in groups
//!   `system:serviceaccounts`, `system:serviceaccounts:<ns>` (valid until they expire or the
//!   ServiceAccount is deleted). Every authenticated user is in `system:authenticated`.
//! - Authorization ([`authorize`]): the RBAC rules of the ClusterRoleBindings and (in the
//!   request's namespace) RoleBindings whose subjects match the user: verbs, apiGroups,
//!   resources and `resource/subresource`, resourceNames, nonResourceURLs (ClusterRoles bound
//!   cluster-wide only), `*` wildcards.
//! - [`bootstrap_objects`]: the default ClusterRoles and bindings of a 1.32 cluster that
//!   matter here: `cluster-admin`, the aggregated `admin`/`edit`/`view` (and their
//!   `system:aggregate-to-*` parts), `system:discovery`, `system:public-info-viewer`,
//!   `system:basic-user`. [`aggregate`] computes aggregated ClusterRoles' rules (what the
//!   clusterrole-aggregation controller does).
//!
//! Tokens are never logged; errors name the user, never the token.

use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};

use super::selector::LabelSelector;
use super::store::{ApiError, Kind, Store};

/// An authenticated user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    /// User name, e.g. `system:serviceaccount:ns:sa`.
    pub name: String,
    /// uid (ServiceAccounts: the ServiceAccount's uid).
    pub uid: String,
    /// Groups.
    pub groups: Vec<String>,
}

/// Name of the admin user.
pub const ADMIN_USER: &str = "kubernetes-admin";

impl UserInfo {
    /// The cluster admin (group `system:masters`).
    pub fn admin() -> UserInfo {
        UserInfo {
            name: ADMIN_USER.into(),
            uid: String::new(),
            groups: vec!["system:masters".into(), "system:authenticated".into()],
        }
    }

    /// A ServiceAccount user.
    pub fn service_account(ns: &str, name: &str, uid: &str) -> UserInfo {
        UserInfo {
            name: format!("system:serviceaccount:{ns}:{name}"),
            uid: uid.into(),
            groups: vec![
                "system:serviceaccounts".into(),
                format!("system:serviceaccounts:{ns}"),
                "system:authenticated".into(),
            ],
        }
    }

    /// A user by name (impersonation): ServiceAccount user names get their groups.
    pub fn named(name: &str, mut groups: Vec<String>) -> UserInfo {
        if let Some(rest) = name.strip_prefix("system:serviceaccount:") {
            if let Some((ns, _)) = rest.split_once(':') {
                for g in [
                    "system:serviceaccounts".to_string(),
                    format!("system:serviceaccounts:{ns}"),
                ] {
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                }
            }
        }
        if !groups.iter().any(|g| g == "system:authenticated") {
            groups.push("system:authenticated".into());
        }
        UserInfo {
            name: name.into(),
            uid: String::new(),
            groups,
        }
    }

    pub(crate) fn is_master(&self) -> bool {
        self.groups.iter().any(|g| g == "system:masters")
    }
}

/// One authorization decision about a user outside `system:masters` (see [`AccessLog`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Access {
    pub user: String,
    pub verb: String,
    /// API group ("" = core).
    pub group: String,
    pub resource: String,
    /// Subresource ("" = none).
    pub subresource: String,
    /// Namespace ("" = cluster scope).
    pub namespace: String,
    pub allowed: bool,
}

/// Most distinct decisions an [`AccessLog`] keeps.
const ACCESS_LOG_LIMIT: usize = 10_000;

/// The distinct resource authorization decisions of one cluster's API about users outside
/// `system:masters` (think an audit log at the Metadata level, deduplicated): which
/// permissions a client used, and which it was refused. The admin's requests are not
/// recorded, so the log costs nothing to the demo and the benchmarks.
#[derive(Debug, Default)]
pub struct AccessLog {
    seen: Mutex<BTreeSet<Access>>,
}

impl AccessLog {
    /// Records one decision (no-op for masters, or when the log is full).
    pub fn record(&self, user: &UserInfo, attrs: &Attributes, allowed: bool) {
        let Attributes::Resource {
            verb,
            group,
            resource,
            subresource,
            namespace,
            ..
        } = attrs
        else {
            return;
        };
        if user.is_master() {
            return;
        }
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() < ACCESS_LOG_LIMIT {
            seen.insert(Access {
                user: user.name.clone(),
                verb: verb.clone(),
                group: group.clone(),
                resource: resource.clone(),
                subresource: subresource.clone(),
                namespace: namespace.clone(),
                allowed,
            });
        }
    }

    /// The decisions recorded so far, sorted.
    pub fn entries(&self) -> Vec<Access> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter().cloned().collect()
    }

    /// Forgets every decision.
    pub fn clear(&self) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// One issued ServiceAccount token.
#[derive(Clone, Debug)]
struct IssuedToken {
    namespace: String,
    name: String,
    uid: String,
    expires: SystemTime,
}

/// The ServiceAccount tokens a cluster issued (TokenRequest).
#[derive(Debug, Default)]
pub struct Tokens {
    issued: Mutex<HashMap<String, IssuedToken>>,
}

impl Tokens {
    /// Issues a token for the ServiceAccount `(ns, name, uid)` valid for `ttl`.
    pub fn issue(&self, ns: &str, name: &str, uid: &str, ttl: Duration) -> (String, SystemTime) {
        let token = format!(
            "sim-sa.{:016x}{:016x}{:016x}",
            fastrand::u64(..),
            fastrand::u64(..),
            fastrand::u64(..)
        );
        let expires = SystemTime::now() + ttl;
        let mut m = self.issued.lock().unwrap_or_else(|e| e.into_inner());
        m.retain(|_, t| t.expires > SystemTime::now());
        m.insert(
            token.clone(),
            IssuedToken {
                namespace: ns.into(),
                name: name.into(),
                uid: uid.into(),
                expires,
            },
        );
        (token, expires)
    }

    /// The user of a ServiceAccount token, when it is valid: issued here, not expired, and its
    /// ServiceAccount still exists with the same uid.
    pub fn user(&self, store: &Store, token: &str) -> Option<UserInfo> {
        let t = self
            .issued
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(token)
            .cloned()?;
        if t.expires <= SystemTime::now() {
            return None;
        }
        let sa = store.get_raw(Kind::ServiceAccount, &t.namespace, &t.name)?;
        (*sa.uid == *t.uid).then(|| UserInfo::service_account(&t.namespace, &t.name, &t.uid))
    }
}

/// What a request wants to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attributes {
    /// A request for an API resource.
    Resource {
        /// get, list, watch, create, update, patch, delete, deletecollection, impersonate, ...
        verb: String,
        /// API group ("" = core).
        group: String,
        /// Plural resource name.
        resource: String,
        /// Subresource ("" = none).
        subresource: String,
        /// Namespace ("" = cluster scope).
        namespace: String,
        /// Object name ("" = none, e.g. list and create).
        name: String,
    },
    /// A request for a non-resource path (`/api`, `/version`, ...).
    NonResource {
        /// Lowercase HTTP verb (`get`, `post`, ...).
        verb: String,
        /// The URL path.
        path: String,
    },
}

fn str_list(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn has(list: &[String], want: &str) -> bool {
    list.iter().any(|x| x == "*" || x == want)
}

/// Whether one PolicyRule allows `attrs`.
pub fn rule_allows(rule: &Value, attrs: &Attributes) -> bool {
    let verbs = str_list(rule, "verbs");
    match attrs {
        Attributes::Resource {
            verb,
            group,
            resource,
            subresource,
            name,
            ..
        } => {
            if !has(&verbs, verb) || !has(&str_list(rule, "apiGroups"), group) {
                return false;
            }
            let resources = str_list(rule, "resources");
            let res_ok = if subresource.is_empty() {
                has(&resources, resource)
            } else {
                let combined = format!("{resource}/{subresource}");
                let any_sub = format!("*/{subresource}");
                resources
                    .iter()
                    .any(|r| r == "*" || *r == combined || *r == any_sub)
            };
            if !res_ok {
                return false;
            }
            let names = str_list(rule, "resourceNames");
            names.is_empty() || names.iter().any(|n| n == name)
        }
        Attributes::NonResource { verb, path } => {
            if !has(&verbs, verb) {
                return false;
            }
            str_list(rule, "nonResourceURLs").iter().any(|u| {
                u == "*" || u == path || u.strip_suffix('*').is_some_and(|p| path.starts_with(p))
            })
        }
    }
}

fn subject_matches(s: &Value, user: &UserInfo, binding_ns: &str) -> bool {
    let name = s["name"].as_str().unwrap_or_default();
    match s["kind"].as_str().unwrap_or_default() {
        "User" => name == user.name,
        "Group" => user.groups.iter().any(|g| g == name),
        "ServiceAccount" => {
            let ns = match s["namespace"].as_str().unwrap_or_default() {
                "" => binding_ns,
                ns => ns,
            };
            user.name == format!("system:serviceaccount:{ns}:{name}")
        }
        _ => false,
    }
}

fn binds(binding: &Value, user: &UserInfo) -> bool {
    let ns = binding
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default();
    binding
        .get("subjects")
        .and_then(Value::as_array)
        .is_some_and(|ss| ss.iter().any(|s| subject_matches(s, user, ns)))
}

/// The rules of the role a binding refers to (an absent role grants nothing).
fn role_rules(store: &Store, binding: &Value) -> Vec<Value> {
    let ns = binding
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let name = binding
        .pointer("/roleRef/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let role = match binding.pointer("/roleRef/kind").and_then(Value::as_str) {
        Some("ClusterRole") => store.get(Kind::ClusterRole, "", name),
        Some("Role") if !ns.is_empty() => store.get(Kind::Role, ns, name),
        _ => None,
    };
    role.and_then(|r| r.get("rules").and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// The rules that apply to `user` in `namespace` ("" = cluster scope only): everything its
/// ClusterRoleBindings grant, plus its RoleBindings in that namespace.
pub fn rules_for(store: &Store, user: &UserInfo, namespace: &str) -> Vec<Value> {
    let mut rules = Vec::new();
    for b in store.list(Kind::ClusterRoleBinding, None) {
        if binds(&b, user) {
            rules.extend(role_rules(store, &b));
        }
    }
    if !namespace.is_empty() {
        for b in store.list(Kind::RoleBinding, Some(namespace)) {
            if binds(&b, user) {
                rules.extend(
                    role_rules(store, &b)
                        .into_iter()
                        .filter(|r| r.get("nonResourceURLs").is_none()),
                );
            }
        }
    }
    rules
}

/// Whether `user` may do `attrs`.
pub fn authorize(store: &Store, user: &UserInfo, attrs: &Attributes) -> bool {
    if user.is_master() {
        return true;
    }
    let ns = match attrs {
        Attributes::Resource { namespace, .. } => namespace.as_str(),
        Attributes::NonResource { .. } => "",
    };
    rules_for(store, user, ns)
        .iter()
        .any(|r| rule_allows(r, attrs))
}

/// The 403 Forbidden error for a denied request, in kube-apiserver's words.
pub fn forbidden(user: &UserInfo, attrs: &Attributes) -> ApiError {
    match attrs {
        Attributes::Resource {
            verb,
            group,
            resource,
            subresource,
            namespace,
            name,
        } => {
            let gr = if group.is_empty() {
                resource.clone()
            } else {
                format!("{resource}.{group}")
            };
            let what = if name.is_empty() {
                format!("{gr} is forbidden")
            } else {
                format!("{gr} {name:?} is forbidden")
            };
            let res = if subresource.is_empty() {
                resource.clone()
            } else {
                format!("{resource}/{subresource}")
            };
            let scope = if namespace.is_empty() {
                "at the cluster scope".to_string()
            } else {
                format!("in the namespace {namespace:?}")
            };
            let mut e = ApiError::new(
                403,
                "Forbidden",
                format!(
                    "{what}: User {:?} cannot {verb} resource {res:?} in API group {group:?} {scope}",
                    user.name
                ),
            );
            let mut d = json!({"kind": resource});
            if !name.is_empty() {
                d["name"] = json!(name);
            }
            if !group.is_empty() {
                d["group"] = json!(group);
            }
            e.details = Some(d);
            e
        }
        Attributes::NonResource { verb, path } => ApiError::new(
            403,
            "Forbidden",
            format!(
                "forbidden: User {:?} cannot {verb} path {path:?}",
                user.name
            ),
        ),
    }
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> Value {
    json!({"apiGroups": groups, "resources": resources, "verbs": verbs})
}

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];

fn cluster_role(name: &str, labels: Value, rules: Vec<Value>) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": name, "labels": labels,
                     "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
        "rules": rules,
    })
}

fn aggregated(name: &str, labels: Value, target: &str) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
        "metadata": {"name": name, "labels": labels,
                     "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
        "aggregationRule": {"clusterRoleSelectors": [
            {"matchLabels": {format!("rbac.authorization.k8s.io/aggregate-to-{target}"): "true"}}
        ]},
        "rules": [],
    })
}

fn binding(name: &str, role: &str, subjects: Value) -> Value {
    json!({
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": name, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                     "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": subjects,
    })
}

/// The default ClusterRoles and ClusterRoleBindings a cluster starts with.
pub fn bootstrap_objects() -> Vec<(Kind, Value)> {
    let boot = json!({"kubernetes.io/bootstrapping": "rbac-defaults"});
    let with = |extra: &str| {
        let mut l = boot.clone();
        l[extra] = json!("true");
        l
    };
    let view_core = &[
        "pods",
        "pods/status",
        "pods/log",
        "services",
        "services/status",
        "endpoints",
        "persistentvolumeclaims",
        "persistentvolumeclaims/status",
        "configmaps",
        "serviceaccounts",
        "events",
        "limitranges",
        "resourcequotas",
        "resourcequotas/status",
        "replicationcontrollers",
        "replicationcontrollers/status",
        "replicationcontrollers/scale",
        "bindings",
        "namespaces",
        "namespaces/status",
    ];
    let view_apps = &[
        "deployments",
        "deployments/status",
        "deployments/scale",
        "replicasets",
        "replicasets/status",
        "replicasets/scale",
        "statefulsets",
        "statefulsets/status",
        "statefulsets/scale",
        "daemonsets",
        "daemonsets/status",
        "controllerrevisions",
    ];
    let edit_core = &[
        "pods",
        "pods/attach",
        "pods/exec",
        "pods/portforward",
        "pods/proxy",
        "pods/eviction",
        "configmaps",
        "endpoints",
        "persistentvolumeclaims",
        "replicationcontrollers",
        "replicationcontrollers/scale",
        "secrets",
        "serviceaccounts",
        "services",
        "services/proxy",
    ];
    let edit_apps = &[
        "deployments",
        "deployments/scale",
        "deployments/rollback",
        "replicasets",
        "replicasets/scale",
        "statefulsets",
        "statefulsets/scale",
        "daemonsets",
    ];
    let cluster_roles = vec![
        cluster_role(
            "cluster-admin",
            boot.clone(),
            vec![
                rule(&["*"], &["*"], &["*"]),
                json!({"nonResourceURLs": ["*"], "verbs": ["*"]}),
            ],
        ),
        aggregated("admin", boot.clone(), "admin"),
        aggregated(
            "edit",
            with("rbac.authorization.k8s.io/aggregate-to-admin"),
            "edit",
        ),
        aggregated(
            "view",
            with("rbac.authorization.k8s.io/aggregate-to-edit"),
            "view",
        ),
        cluster_role(
            "system:aggregate-to-view",
            with("rbac.authorization.k8s.io/aggregate-to-view"),
            vec![
                rule(&[""], view_core, READ),
                rule(&["apps"], view_apps, READ),
                rule(
                    &["autoscaling"],
                    &[
                        "horizontalpodautoscalers",
                        "horizontalpodautoscalers/status",
                    ],
                    READ,
                ),
                rule(
                    &["batch"],
                    &["jobs", "jobs/status", "cronjobs", "cronjobs/status"],
                    READ,
                ),
                rule(
                    &["policy"],
                    &["poddisruptionbudgets", "poddisruptionbudgets/status"],
                    READ,
                ),
                rule(&["discovery.k8s.io"], &["endpointslices"], READ),
                rule(
                    &["networking.k8s.io"],
                    &["ingresses", "ingresses/status", "networkpolicies"],
                    READ,
                ),
            ],
        ),
        cluster_role(
            "system:aggregate-to-edit",
            with("rbac.authorization.k8s.io/aggregate-to-edit"),
            vec![
                rule(&[""], edit_core, WRITE),
                rule(&[""], &["secrets"], READ),
                rule(&[""], &["serviceaccounts/token"], &["create"]),
                rule(&[""], &["serviceaccounts"], &["impersonate"]),
                rule(&["apps"], edit_apps, WRITE),
                rule(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
                rule(&["batch"], &["jobs", "cronjobs"], WRITE),
                rule(&["policy"], &["poddisruptionbudgets"], WRITE),
                rule(&["discovery.k8s.io"], &["endpointslices"], WRITE),
                rule(
                    &["networking.k8s.io"],
                    &["ingresses", "networkpolicies"],
                    WRITE,
                ),
                rule(&["coordination.k8s.io"], &["leases"], READ),
                rule(&["coordination.k8s.io"], &["leases"], WRITE),
            ],
        ),
        cluster_role(
            "system:aggregate-to-admin",
            with("rbac.authorization.k8s.io/aggregate-to-admin"),
            vec![
                rule(
                    &["authorization.k8s.io"],
                    &["localsubjectaccessreviews"],
                    &["create"],
                ),
                rule(
                    &["rbac.authorization.k8s.io"],
                    &["roles", "rolebindings"],
                    &[
                        "create",
                        "delete",
                        "deletecollection",
                        "get",
                        "list",
                        "patch",
                        "update",
                        "watch",
                    ],
                ),
            ],
        ),
        // Installed with metrics-server: `view` (so `edit` and `admin`) may read resource
        // metrics (`kubectl top`).
        cluster_role(
            "system:aggregated-metrics-reader",
            json!({
                "k8s-app": "metrics-server",
                "rbac.authorization.k8s.io/aggregate-to-view": "true",
                "rbac.authorization.k8s.io/aggregate-to-edit": "true",
                "rbac.authorization.k8s.io/aggregate-to-admin": "true",
            }),
            vec![rule(&["metrics.k8s.io"], &["pods", "nodes"], READ)],
        ),
        cluster_role(
            "system:discovery",
            boot.clone(),
            vec![
                json!({"nonResourceURLs": ["/api", "/api/*", "/apis", "/apis/*", "/healthz",
                "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"],
                "verbs": ["get"]}),
            ],
        ),
        cluster_role(
            "system:public-info-viewer",
            boot.clone(),
            vec![
                json!({"nonResourceURLs": ["/healthz", "/livez", "/readyz", "/version", "/version/"],
                "verbs": ["get"]}),
            ],
        ),
        cluster_role(
            "system:basic-user",
            boot.clone(),
            vec![
                rule(
                    &["authorization.k8s.io"],
                    &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
                    &["create"],
                ),
                rule(
                    &["authentication.k8s.io"],
                    &["selfsubjectreviews"],
                    &["create"],
                ),
            ],
        ),
    ];
    let group =
        |g: &str| json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g});
    let bindings = vec![
        binding(
            "cluster-admin",
            "cluster-admin",
            json!([group("system:masters")]),
        ),
        binding(
            "system:discovery",
            "system:discovery",
            json!([group("system:authenticated")]),
        ),
        binding(
            "system:public-info-viewer",
            "system:public-info-viewer",
            json!([
                group("system:authenticated"),
                group("system:unauthenticated")
            ]),
        ),
        binding(
            "system:basic-user",
            "system:basic-user",
            json!([group("system:authenticated")]),
        ),
    ];
    let mut out: Vec<(Kind, Value)> = cluster_roles
        .into_iter()
        .map(|r| (Kind::ClusterRole, r))
        .collect();
    let mut roles: Vec<Value> = out.iter().map(|(_, v)| v.clone()).collect();
    aggregate_values(&mut roles);
    out = roles.into_iter().map(|r| (Kind::ClusterRole, r)).collect();
    out.extend(bindings.into_iter().map(|b| (Kind::ClusterRoleBinding, b)));
    out
}

/// Fills the rules of aggregated ClusterRoles from the ClusterRoles their selectors match,
/// repeated until stable (aggregates of aggregates). Returns the indexes that changed.
fn aggregate_values(roles: &mut [Value]) -> Vec<usize> {
    let mut changed = Vec::new();
    for _ in 0..8 {
        let mut any = false;
        for i in 0..roles.len() {
            let Some(selectors) = roles[i]
                .pointer("/aggregationRule/clusterRoleSelectors")
                .and_then(Value::as_array)
                .cloned()
            else {
                continue;
            };
            let sels: Vec<LabelSelector> = selectors
                .iter()
                .filter_map(|s| LabelSelector::from_object(s).ok())
                .collect();
            let mut rules: Vec<Value> = Vec::new();
            for (j, r) in roles.iter().enumerate() {
                if j == i {
                    continue;
                }
                let labels = r.pointer("/metadata/labels").and_then(Value::as_object);
                if sels.iter().any(|s| !s.is_empty() && s.matches_json(labels)) {
                    for rule in r
                        .get("rules")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if !rules.contains(rule) {
                            rules.push(rule.clone());
                        }
                    }
                }
            }
            let new = Value::Array(rules);
            if roles[i].get("rules") != Some(&new) {
                roles[i]["rules"] = new;
                any = true;
                if !changed.contains(&i) {
                    changed.push(i);
                }
            }
        }
        if !any {
            break;
        }
    }
    changed
}

/// The clusterrole-aggregation controller: rewrites the rules of aggregated ClusterRoles
/// that are out of date.
pub fn aggregate(store: &Store) {
    let mut roles = store.list(Kind::ClusterRole, None);
    if !roles.iter().any(|r| r.get("aggregationRule").is_some()) {
        return;
    }
    for i in aggregate_values(&mut roles) {
        let r = &roles[i];
        let name = r["metadata"]["name"].as_str().unwrap_or_default();
        let rules = r["rules"].clone();
        let _ = store.mutate(Kind::ClusterRole, "", name, |v| v["rules"] = rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(verb: &str, group: &str, resource: &str, sub: &str, ns: &str, name: &str) -> Attributes {
        Attributes::Resource {
            verb: verb.into(),
            group: group.into(),
            resource: resource.into(),
            subresource: sub.into(),
            namespace: ns.into(),
            name: name.into(),
        }
    }

    #[test]
    fn rules_match_verbs_groups_resources_subresources_and_names() {
        let r = json!({"apiGroups": ["coordination.k8s.io"], "resources": ["leases"],
                       "resourceNames": ["lock"], "verbs": ["get", "update"]});
        assert!(rule_allows(
            &r,
            &res("get", "coordination.k8s.io", "leases", "", "ns", "lock")
        ));
        assert!(!rule_allows(
            &r,
            &res("get", "coordination.k8s.io", "leases", "", "ns", "other")
        ));
        assert!(!rule_allows(
            &r,
            &res("list", "coordination.k8s.io", "leases", "", "ns", "")
        ));
        assert!(!rule_allows(
            &r,
            &res("get", "", "leases", "", "ns", "lock")
        ));
        let s = json!({"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]});
        assert!(rule_allows(
            &s,
            &res("patch", "apps", "deployments", "", "ns", "x")
        ));
        assert!(!rule_allows(
            &s,
            &res("patch", "apps", "deployments", "scale", "ns", "x")
        ));
        let sub = json!({"apiGroups": ["apps"], "resources": ["*/scale"], "verbs": ["update"]});
        assert!(rule_allows(
            &sub,
            &res("update", "apps", "deployments", "scale", "ns", "x")
        ));
        let nr = json!({"nonResourceURLs": ["/apis/*"], "verbs": ["get"]});
        let get = |p: &str| Attributes::NonResource {
            verb: "get".into(),
            path: p.into(),
        };
        assert!(rule_allows(&nr, &get("/apis/apps/v1")));
        assert!(!rule_allows(&nr, &get("/api")));
    }

    #[test]
    fn bindings_grant_in_their_scope_only() {
        let store = Store::new();
        for (k, v) in bootstrap_objects() {
            store.create(k, v).unwrap();
        }
        store
            .create(
                Kind::RoleBinding,
                json!({"metadata": {"name": "b", "namespace": "team"},
                       "roleRef": {"kind": "ClusterRole", "name": "view", "apiGroup": "rbac.authorization.k8s.io"},
                       "subjects": [{"kind": "ServiceAccount", "name": "app", "namespace": "team"}]}),
            )
            .unwrap();
        let sa = UserInfo::service_account("team", "app", "u");
        assert!(authorize(
            &store,
            &sa,
            &res("list", "", "pods", "", "team", "")
        ));
        assert!(authorize(
            &store,
            &sa,
            &res("get", "apps", "deployments", "scale", "team", "d")
        ));
        assert!(!authorize(
            &store,
            &sa,
            &res("list", "", "pods", "", "other", "")
        ));
        assert!(!authorize(
            &store,
            &sa,
            &res("list", "", "secrets", "", "team", "")
        ));
        assert!(!authorize(
            &store,
            &sa,
            &res("create", "", "pods", "", "team", "")
        ));
        assert!(authorize(
            &store,
            &sa,
            &Attributes::NonResource {
                verb: "get".into(),
                path: "/apis".into()
            }
        ));
        assert!(authorize(
            &store,
            &UserInfo::admin(),
            &res("delete", "", "nodes", "", "", "n")
        ));
        let e = forbidden(&sa, &res("list", "", "pods", "", "other", ""));
        assert_eq!(
            e.message,
            r#"pods is forbidden: User "system:serviceaccount:team:app" cannot list resource "pods" in API group "" in the namespace "other""#
        );
        let e = forbidden(&sa, &res("get", "apps", "deployments", "", "", "web"));
        assert_eq!(
            e.message,
            r#"deployments.apps "web" is forbidden: User "system:serviceaccount:team:app" cannot get resource "deployments" in API group "apps" at the cluster scope"#
        );
    }

    #[test]
    fn aggregated_roles_include_their_parts_transitively() {
        let mut roles: Vec<Value> = bootstrap_objects()
            .into_iter()
            .filter(|(k, _)| *k == Kind::ClusterRole)
            .map(|(_, v)| v)
            .collect();
        let find = |roles: &[Value], n: &str| {
            roles
                .iter()
                .find(|r| r["metadata"]["name"] == n)
                .unwrap()
                .clone()
        };
        let admin = find(&roles, "admin");
        let view_rules = find(&roles, "system:aggregate-to-view")["rules"].clone();
        // admin ⊇ edit ⊇ view.
        for r in view_rules.as_array().unwrap() {
            assert!(admin["rules"].as_array().unwrap().contains(r));
        }
        assert!(
            aggregate_values(&mut roles).is_empty(),
            "bootstrap roles are aggregated"
        );
        // A new role labelled aggregate-to-view extends view, edit and admin.
        roles.push(cluster_role(
            "crd-view",
            json!({"rbac.authorization.k8s.io/aggregate-to-view": "true"}),
            vec![rule(&["example.com"], &["widgets"], READ)],
        ));
        let changed = aggregate_values(&mut roles);
        assert_eq!(changed.len(), 3);
        let view = find(&roles, "view");
        let sa = UserInfo::named("u", vec![]);
        let _ = sa;
        assert!(view["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| rule_allows(r, &res("list", "example.com", "widgets", "", "ns", ""))));
    }
}
