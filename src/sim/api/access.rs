//! API-only resources about identity and access: SelfSubjectAccessReview (`kubectl auth
//! can-i`), SelfSubjectRulesReview (`kubectl auth can-i --list`), SubjectAccessReview,
//! SelfSubjectReview (`kubectl auth whoami`) and TokenRequest (`kubectl create token`).

use std::time::{Duration, UNIX_EPOCH};

use axum::response::Response;
use serde_json::{json, Value};

use super::{json_response, Req};
use crate::sim::auth::{self, Attributes, UserInfo};
use crate::sim::store::{ApiError, Kind};

/// Whether `/apis/{group}/v1/{resource}` is one of the review resources.
pub(crate) fn is_review(group: &str, resource: &str) -> bool {
    matches!(
        (group, resource),
        (
            "authorization.k8s.io",
            "selfsubjectaccessreviews" | "selfsubjectrulesreviews" | "subjectaccessreviews"
        ) | (
            "authentication.k8s.io",
            "selfsubjectreviews" | "tokenreviews"
        )
    )
}

fn attributes_of(spec: &Value) -> Result<Attributes, ApiError> {
    if let Some(r) = spec.get("resourceAttributes") {
        let s = |k: &str| {
            r.get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        let mut resource = s("resource");
        let mut sub = s("subresource");
        if sub.is_empty() {
            if let Some((a, b)) = resource.clone().split_once('/') {
                resource = a.to_string();
                sub = b.to_string();
            }
        }
        return Ok(Attributes::Resource {
            verb: s("verb"),
            group: s("group"),
            resource,
            subresource: sub,
            namespace: s("namespace"),
            name: s("name"),
        });
    }
    if let Some(n) = spec.get("nonResourceAttributes") {
        return Ok(Attributes::NonResource {
            verb: n["verb"].as_str().unwrap_or_default().to_string(),
            path: n["path"].as_str().unwrap_or_default().to_string(),
        });
    }
    Err(ApiError::invalid(
        Kind::ClusterRole,
        "",
        &[(
            "spec.resourceAttributes".into(),
            "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified".into(),
        )],
    ))
}

fn review_status(req: &Req<'_>, user: &UserInfo, attrs: &Attributes) -> Value {
    if auth::authorize(&req.st.ctx.store, user, attrs) {
        json!({"allowed": true, "reason": "RBAC: allowed by the simulated cluster's role bindings"})
    } else {
        json!({"allowed": false})
    }
}

fn user_json(u: &UserInfo) -> Value {
    let mut v = json!({"username": u.name, "groups": u.groups});
    if !u.uid.is_empty() {
        v["uid"] = json!(u.uid);
    }
    v
}

/// POST of a review resource.
pub(crate) fn review(req: &Req<'_>, group: &str, resource: &str) -> Result<Response, ApiError> {
    req.authorize(&Attributes::Resource {
        verb: "create".into(),
        group: group.into(),
        resource: resource.into(),
        subresource: String::new(),
        namespace: String::new(),
        name: String::new(),
    })?;
    if req.method != axum::http::Method::POST {
        return Err(ApiError::method_not_allowed(format!(
            "{resource} only support create"
        )));
    }
    let mut body = req.body_json()?;
    let spec = body.get("spec").cloned().unwrap_or(json!({}));
    body["apiVersion"] = json!(format!("{group}/v1"));
    match resource {
        "selfsubjectaccessreviews" => {
            let attrs = attributes_of(&spec)?;
            body["status"] = review_status(req, &req.user, &attrs);
        }
        "subjectaccessreviews" => {
            let attrs = attributes_of(&spec)?;
            let groups = spec
                .get("groups")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|g| g.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let user = UserInfo::named(spec["user"].as_str().unwrap_or_default(), groups);
            body["status"] = review_status(req, &user, &attrs);
        }
        "selfsubjectrulesreviews" => {
            let ns = spec["namespace"].as_str().unwrap_or_default();
            let rules = if req.user.groups.iter().any(|g| g == "system:masters") {
                vec![
                    json!({"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}),
                    json!({"nonResourceURLs": ["*"], "verbs": ["*"]}),
                ]
            } else {
                auth::rules_for(&req.st.ctx.store, &req.user, ns)
            };
            let (nr, r): (Vec<Value>, Vec<Value>) = rules
                .into_iter()
                .partition(|r| r.get("nonResourceURLs").is_some());
            body["status"] =
                json!({"resourceRules": r, "nonResourceRules": nr, "incomplete": false});
        }
        "tokenreviews" => {
            let token = spec["token"].as_str().unwrap_or_default();
            let user = if token == req.st.token {
                Some(UserInfo::admin())
            } else {
                req.st.ctx.tokens.user(&req.st.ctx.store, token)
            };
            body["status"] = match user {
                Some(u) => json!({"authenticated": true, "user": user_json(&u)}),
                None => json!({"authenticated": false, "error": "invalid bearer token"}),
            };
            // The token is not echoed back.
            body["spec"] = json!({});
        }
        _ => {
            body["status"] = json!({"userInfo": user_json(&req.user)});
        }
    }
    if body.get("metadata").is_none() {
        body["metadata"] = json!({});
    }
    Ok(json_response(201, &body))
}

/// `POST /api/v1/namespaces/{ns}/serviceaccounts/{name}/token`: issues a bearer token for the
/// ServiceAccount (`expirationSeconds` default 3600, at least 600).
pub(crate) fn token_request(req: &Req<'_>, ns: &str, name: &str) -> Result<Response, ApiError> {
    let sa = req
        .st
        .ctx
        .store
        .get(Kind::ServiceAccount, ns, name)
        .ok_or_else(|| ApiError::not_found(Kind::ServiceAccount, name))?;
    let mut body = if req.body.is_empty() {
        json!({})
    } else {
        req.body_json()?
    };
    let secs = body
        .pointer("/spec/expirationSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(3600);
    if secs < 600 {
        return Err(ApiError::invalid(
            Kind::ServiceAccount,
            name,
            &[(
                "spec.expirationSeconds".into(),
                format!("Invalid value: {secs}: may not specify a duration less than 10 minutes"),
            )],
        ));
    }
    let uid = sa["metadata"]["uid"].as_str().unwrap_or_default();
    let (token, expires) = req
        .st
        .ctx
        .tokens
        .issue(ns, name, uid, Duration::from_secs(secs as u64));
    let exp = expires
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let exp = k8s_openapi::jiff::Timestamp::from_second(exp)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default();
    body["kind"] = json!("TokenRequest");
    body["apiVersion"] = json!("authentication.k8s.io/v1");
    body["metadata"] = json!({"name": name, "namespace": ns});
    if body.get("spec").is_none() {
        body["spec"] = json!({});
    }
    body["spec"]["expirationSeconds"] = json!(secs);
    if body["spec"].get("audiences").is_none() {
        body["spec"]["audiences"] = json!(["https://kubernetes.default.svc.cluster.local"]);
    }
    body["status"] = json!({"token": token, "expirationTimestamp": exp});
    Ok(json_response(201, &body))
}
