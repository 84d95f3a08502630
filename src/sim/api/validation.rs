//! Server-side field validation (`fieldValidation=Strict|Warn|Ignore`, default Warn, like a
//! 1.32 API server): fields of a written object that its Kubernetes type does not have.
//!
//! The object is decoded into its `k8s-openapi` type and encoded again; a field present (and
//! not null) in the request but gone after the round trip is unknown to the type. Strict
//! refuses the write (400 BadRequest, `strict decoding error: unknown field "spec.replicaz"`),
//! Warn answers with a `Warning: 299 - "unknown field ..."` header (kubectl prints it), Ignore
//! does neither. An object that does not decode into its type at all is left to the other
//! checks (the simulator does not reject what a real server might only default).

use serde_json::Value;

use crate::sim::store::{ApiError, Kind};

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> Option<Value> {
    let t: T = serde_json::from_value(v.clone()).ok()?;
    serde_json::to_value(t).ok()
}

/// The object after a round trip through its typed form (None when it does not decode).
fn typed(kind: Kind, v: &Value) -> Option<Value> {
    use k8s_openapi::api::{
        apps, autoscaling, batch, coordination, core, policy, rbac, scheduling,
    };
    match kind {
        Kind::Namespace => roundtrip::<core::v1::Namespace>(v),
        Kind::Node => roundtrip::<core::v1::Node>(v),
        Kind::Pod => roundtrip::<core::v1::Pod>(v),
        Kind::Deployment => roundtrip::<apps::v1::Deployment>(v),
        Kind::ReplicaSet => roundtrip::<apps::v1::ReplicaSet>(v),
        Kind::PriorityClass => roundtrip::<scheduling::v1::PriorityClass>(v),
        Kind::ConfigMap => roundtrip::<core::v1::ConfigMap>(v),
        Kind::Event => roundtrip::<core::v1::Event>(v),
        Kind::Lease => roundtrip::<coordination::v1::Lease>(v),
        Kind::Secret => roundtrip::<core::v1::Secret>(v),
        Kind::ServiceAccount => roundtrip::<core::v1::ServiceAccount>(v),
        Kind::Service => roundtrip::<core::v1::Service>(v),
        Kind::Endpoints => roundtrip::<core::v1::Endpoints>(v),
        Kind::PersistentVolumeClaim => roundtrip::<core::v1::PersistentVolumeClaim>(v),
        Kind::Role => roundtrip::<rbac::v1::Role>(v),
        Kind::RoleBinding => roundtrip::<rbac::v1::RoleBinding>(v),
        Kind::ClusterRole => roundtrip::<rbac::v1::ClusterRole>(v),
        Kind::ClusterRoleBinding => roundtrip::<rbac::v1::ClusterRoleBinding>(v),
        Kind::HorizontalPodAutoscaler => roundtrip::<autoscaling::v2::HorizontalPodAutoscaler>(v),
        Kind::PodDisruptionBudget => roundtrip::<policy::v1::PodDisruptionBudget>(v),
        Kind::Job => roundtrip::<batch::v1::Job>(v),
        Kind::StatefulSet => roundtrip::<apps::v1::StatefulSet>(v),
        Kind::DaemonSet => roundtrip::<apps::v1::DaemonSet>(v),
    }
}

fn diff(input: &Value, typed: &Value, path: &str, out: &mut Vec<String>) {
    match (input, typed) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match b.get(k) {
                    Some(w) => diff(v, w, &p, out),
                    None if v.is_null() => {}
                    None => out.push(p),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                diff(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Paths of the fields of `obj` its type does not have (`spec.replicaz`, `spec.template.
/// spec.containers[0].imagez`), in document order.
pub fn unknown_fields(kind: Kind, obj: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = typed(kind, obj) {
        diff(obj, &t, "", &mut out);
    }
    out
}

/// Applies the request's `fieldValidation` to `obj`: Err for Strict with unknown fields,
/// else the warnings to send (Warn, the default).
pub fn check(kind: Kind, mode: Option<&str>, obj: &Value) -> Result<Vec<String>, ApiError> {
    let mode = match mode.unwrap_or("Warn") {
        "" => "Warn",
        m @ ("Strict" | "Warn" | "Ignore") => m,
        other => {
            return Err(ApiError::bad_request(format!(
                "fieldValidation must be one of Ignore, Warn, Strict, not {other:?}"
            )))
        }
    };
    if mode == "Ignore" {
        return Ok(Vec::new());
    }
    let unknown = unknown_fields(kind, obj);
    if unknown.is_empty() {
        return Ok(Vec::new());
    }
    let msgs: Vec<String> = unknown
        .iter()
        .map(|f| format!("unknown field {f:?}"))
        .collect();
    if mode == "Strict" {
        return Err(ApiError::bad_request(format!(
            "{kind} in version {version:?} cannot be handled as a {kind}: strict decoding error: {}",
            msgs.join(", "),
            kind = kind.name(),
            version = kind.version(),
        )));
    }
    Ok(msgs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_are_found_at_any_depth_and_nulls_are_fine() {
        let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"any": "label"}, "creationTimestamp": null},
            "spec": {"replicaz": 2, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "c", "imagez": "x",
                                           "resources": {"requests": {"cpu": "1"}}}]}}},
            "status": {}});
        assert_eq!(
            unknown_fields(Kind::Deployment, &d),
            ["spec.replicaz", "spec.template.spec.containers[0].imagez"]
        );
        let e = check(Kind::Deployment, Some("Strict"), &d).unwrap_err();
        assert_eq!(e.code, 400);
        assert!(
            e.message.starts_with(r#"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz""#),
            "{}",
            e.message
        );
        assert_eq!(check(Kind::Deployment, None, &d).unwrap().len(), 2);
        assert!(check(Kind::Deployment, Some("Ignore"), &d)
            .unwrap()
            .is_empty());
        assert!(check(Kind::Deployment, Some("Loose"), &d).is_err());
        let ok = json!({"metadata": {"name": "c"}, "data": {"k": "v"}});
        assert!(unknown_fields(Kind::ConfigMap, &ok).is_empty());
    }
}
