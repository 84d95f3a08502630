//! What the API server does to objects of the stored kinds beyond storing them: defaults,
//! allocations and validation, per kind (the simulator's admission + registry strategies).
//!
//! - Secret: `type` defaults to `Opaque`; `stringData` is merged into `data` (base64) and
//!   never stored.
//! - Service: `type` ClusterIP, a cluster IP from 10.96.0.0/12 (unless `clusterIP: None` or
//!   ExternalName), `clusterIPs`, `ipFamilies`, `ipFamilyPolicy`, `sessionAffinity`, port
//!   `protocol` TCP and `targetPort` = `port`; node ports from 30000-32767 for NodePort and
//!   LoadBalancer. Allocated values are kept on update.
//! - PersistentVolumeClaim: bound at once to a simulated volume `pvc-<uid>` with the requested
//!   storage (like a default StorageClass with immediate binding).
//! - Job: defaults (parallelism, completions, backoffLimit, completionMode), the generated
//!   selector and template labels (`batch.kubernetes.io/controller-uid`, `job-name`), and
//!   `restartPolicy` must be `OnFailure` or `Never` (422).
//! - StatefulSet / DaemonSet: update-strategy and history defaults.
//! - RoleBinding / ClusterRoleBinding: `roleRef` is required and immutable (422).

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{json, Value};

use super::store::{ApiError, Kind, Store};

/// Service cluster IPs handed out, per process (10.96.0.10 upwards; unique per cluster since
/// clusters only differ in which of them they get).
static NEXT_CLUSTER_IP: AtomicU32 = AtomicU32::new(10);
static NEXT_NODE_PORT: AtomicU32 = AtomicU32::new(0);

fn next_cluster_ip() -> String {
    // 10.96.0.0/12: 20 bits of host space.
    let n = NEXT_CLUSTER_IP.fetch_add(1, Ordering::Relaxed) % (1 << 20);
    format!("10.{}.{}.{}", 96 + (n >> 16), (n >> 8) & 255, n & 255)
}

fn next_node_port() -> i64 {
    30000 + i64::from(NEXT_NODE_PORT.fetch_add(1, Ordering::Relaxed) % 2768)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Decodes standard base64 (padding optional); None when malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| *c != b'=') {
        let v = B64.iter().position(|b| *b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn invalid(kind: Kind, obj: &Value, field: &str, msg: &str) -> ApiError {
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    ApiError::invalid(kind, name, &[(field.to_string(), msg.to_string())])
}

fn secret_string_data(obj: &mut Value) {
    if obj
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .is_empty()
    {
        obj["type"] = json!("Opaque");
    }
    let Some(sd) = obj.as_object_mut().and_then(|o| o.remove("stringData")) else {
        return;
    };
    if let Some(m) = sd.as_object() {
        if !obj.get("data").is_some_and(Value::is_object) {
            obj["data"] = json!({});
        }
        for (k, v) in m {
            obj["data"][k] = json!(base64_encode(v.as_str().unwrap_or_default().as_bytes()));
        }
    }
}

fn service_defaults(obj: &mut Value, old: Option<&Value>) {
    if !obj.get("spec").is_some_and(Value::is_object) {
        obj["spec"] = json!({});
    }
    let ty = obj["spec"]["type"]
        .as_str()
        .unwrap_or("ClusterIP")
        .to_string();
    obj["spec"]["type"] = json!(ty);
    if ty == "ExternalName" {
        return;
    }
    let old_ip = old
        .and_then(|o| o.pointer("/spec/clusterIP"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let ip = match (obj["spec"]["clusterIP"].as_str(), old_ip) {
        (Some(ip), _) if !ip.is_empty() => ip.to_string(),
        (_, Some(old)) => old,
        _ => next_cluster_ip(),
    };
    obj["spec"]["clusterIP"] = json!(ip);
    obj["spec"]["clusterIPs"] = json!([ip]);
    let s = &mut obj["spec"];
    for (k, v) in [
        ("sessionAffinity", json!("None")),
        ("ipFamilies", json!(["IPv4"])),
        ("ipFamilyPolicy", json!("SingleStack")),
        ("internalTrafficPolicy", json!("Cluster")),
    ] {
        if s.get(k).is_none_or(Value::is_null) {
            s[k] = v;
        }
    }
    let wants_node_port = matches!(ty.as_str(), "NodePort" | "LoadBalancer");
    if wants_node_port && s.get("externalTrafficPolicy").is_none() {
        s["externalTrafficPolicy"] = json!("Cluster");
    }
    let old_ports = old
        .and_then(|o| o.pointer("/spec/ports"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if let Some(ports) = s.get_mut("ports").and_then(Value::as_array_mut) {
        for p in ports {
            if p.get("protocol").is_none() {
                p["protocol"] = json!("TCP");
            }
            if p.get("targetPort").is_none() {
                p["targetPort"] = p["port"].clone();
            }
            if wants_node_port && p.get("nodePort").is_none() {
                let kept = old_ports
                    .iter()
                    .find(|o| o["port"] == p["port"] && o["protocol"] == p["protocol"])
                    .and_then(|o| o.get("nodePort").cloned());
                p["nodePort"] = kept.unwrap_or_else(|| json!(next_node_port()));
            }
        }
    }
    if obj.get("status").is_none() {
        obj["status"] = json!({"loadBalancer": {}});
    }
}

fn job_defaults(obj: &mut Value) -> Result<(), ApiError> {
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let name = obj
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if !obj.get("spec").is_some_and(Value::is_object) {
        obj["spec"] = json!({});
    }
    let rp = obj
        .pointer("/spec/template/spec/restartPolicy")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(rp, "OnFailure" | "Never") {
        let msg = if rp.is_empty() {
            "Required value: valid values: \"OnFailure\", \"Never\"".to_string()
        } else {
            format!("Unsupported value: {rp:?}: supported values: \"OnFailure\", \"Never\"")
        };
        return Err(invalid(
            Kind::Job,
            obj,
            "spec.template.spec.restartPolicy",
            &msg,
        ));
    }
    let s = &mut obj["spec"];
    let both_unset = s.get("parallelism").is_none() && s.get("completions").is_none();
    if s.get("parallelism").is_none() {
        s["parallelism"] = json!(1);
    }
    if both_unset {
        s["completions"] = json!(1);
    }
    for (k, v) in [
        ("backoffLimit", json!(6)),
        ("completionMode", json!("NonIndexed")),
        ("suspend", json!(false)),
        ("podReplacementPolicy", json!("TerminatingOrFailed")),
        ("manualSelector", json!(false)),
    ] {
        if s.get(k).is_none() {
            s[k] = v;
        }
    }
    let manual = s["manualSelector"].as_bool() == Some(true);
    if !manual && !uid.is_empty() {
        let labels = json!({
            "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
            "controller-uid": uid, "job-name": name,
        });
        s["selector"] = json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}});
        if !s["template"]["metadata"].is_object() {
            s["template"]["metadata"] = json!({});
        }
        let tl = &mut s["template"]["metadata"]["labels"];
        if !tl.is_object() {
            *tl = json!({});
        }
        for (k, v) in labels.as_object().into_iter().flatten() {
            tl[k] = v.clone();
        }
        s.as_object_mut().map(|o| o.remove("manualSelector"));
    }
    Ok(())
}

fn pvc_bind(obj: &mut Value) {
    let uid = obj
        .pointer("/metadata/uid")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if uid.is_empty() {
        return;
    }
    if !obj.get("spec").is_some_and(Value::is_object) {
        obj["spec"] = json!({});
    }
    if obj["spec"].get("volumeMode").is_none() {
        obj["spec"]["volumeMode"] = json!("Filesystem");
    }
    if obj["spec"].get("storageClassName").is_none() {
        obj["spec"]["storageClassName"] = json!("standard");
    }
    obj["spec"]["volumeName"] = json!(format!("pvc-{uid}"));
    let storage = obj
        .pointer("/spec/resources/requests/storage")
        .cloned()
        .unwrap_or(json!("1Gi"));
    let modes = obj
        .pointer("/spec/accessModes")
        .cloned()
        .unwrap_or(json!(["ReadWriteOnce"]));
    obj["status"] =
        json!({"phase": "Bound", "accessModes": modes, "capacity": {"storage": storage}});
}

/// Defaults, allocations and validation of a new object (after `metadata.uid` is set when the
/// caller has it; `Store::prepare_create` output works).
pub fn on_create(_store: &Store, kind: Kind, obj: &mut Value) -> Result<(), ApiError> {
    match kind {
        Kind::Secret => secret_string_data(obj),
        Kind::Service => service_defaults(obj, None),
        Kind::PersistentVolumeClaim => pvc_bind(obj),
        Kind::Job => job_defaults(obj)?,
        Kind::StatefulSet => {
            let s = &mut obj["spec"];
            for (k, v) in [
                ("replicas", json!(1)),
                ("podManagementPolicy", json!("OrderedReady")),
                (
                    "updateStrategy",
                    json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}),
                ),
                ("revisionHistoryLimit", json!(10)),
                (
                    "persistentVolumeClaimRetentionPolicy",
                    json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
                ),
            ] {
                if s.get(k).is_none() {
                    s[k] = v;
                }
            }
        }
        Kind::DaemonSet => {
            let s = &mut obj["spec"];
            for (k, v) in [
                (
                    "updateStrategy",
                    json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
                ),
                ("revisionHistoryLimit", json!(10)),
            ] {
                if s.get(k).is_none() {
                    s[k] = v;
                }
            }
        }
        Kind::RoleBinding | Kind::ClusterRoleBinding => {
            let rr = obj.get("roleRef");
            let ok = rr.is_some_and(|r| {
                matches!(r["kind"].as_str(), Some("Role" | "ClusterRole"))
                    && r["name"].as_str().is_some_and(|n| !n.is_empty())
            });
            if !ok {
                return Err(invalid(
                    kind,
                    obj,
                    "roleRef",
                    "Required value: roleRef.kind (Role or ClusterRole) and roleRef.name are required",
                ));
            }
            if kind == Kind::ClusterRoleBinding
                && rr.and_then(|r| r["kind"].as_str()) == Some("Role")
            {
                return Err(invalid(
                    kind,
                    obj,
                    "roleRef.kind",
                    "Unsupported value: \"Role\": supported values: \"ClusterRole\"",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// Creates an object the way the API server would for a controller inside the cluster
/// (prepare, admission defaults, store).
pub fn create(store: &Store, kind: Kind, obj: Value) -> Result<Value, ApiError> {
    let mut obj = Store::prepare_create(kind, obj)?;
    on_create(store, kind, &mut obj)?;
    store.create(kind, obj)
}

/// Defaults and immutability on an update of `old` to `new`.
pub fn on_update(kind: Kind, old: &Value, new: &mut Value) -> Result<(), ApiError> {
    match kind {
        Kind::Secret => secret_string_data(new),
        Kind::Service => service_defaults(new, Some(old)),
        Kind::RoleBinding | Kind::ClusterRoleBinding
            if new.get("roleRef") != old.get("roleRef") =>
        {
            return Err(invalid(
                kind,
                old,
                "roleRef",
                "Invalid value: cannot change roleRef",
            ));
        }
        // The generated selector is immutable; keep it when a client omits it.
        Kind::Job if new.pointer("/spec/selector").is_none() => {
            if let Some(sel) = old.pointer("/spec/selector").cloned() {
                new["spec"]["selector"] = sel;
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn base64_matches_known_vectors() {
        assert_eq!(base64_encode(b""), "");
        assert_eq!(base64_encode(b"f"), "Zg==");
        assert_eq!(base64_encode(b"fo"), "Zm8=");
        assert_eq!(base64_encode(b"foo"), "Zm9v");
        assert_eq!(base64_encode(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64_decode("Zm9vYmFy").unwrap(), b"foobar");
        assert_eq!(base64_decode("Zg==").unwrap(), b"f");
        assert!(base64_decode("Zm9v!").is_none());
    }

    proptest! {
        #[test]
        fn base64_round_trips(data in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(base64_decode(&base64_encode(&data)).unwrap(), data);
        }
    }

    #[test]
    fn secret_string_data_moves_into_data() {
        let mut s =
            json!({"metadata": {"name": "s"}, "stringData": {"a": "hi"}, "data": {"b": "eA=="}});
        secret_string_data(&mut s);
        assert_eq!(s["type"], "Opaque");
        assert_eq!(s["data"], json!({"a": "aGk=", "b": "eA=="}));
        assert!(s.get("stringData").is_none());
    }

    #[test]
    fn services_get_a_cluster_ip_that_updates_keep() {
        let mut svc = json!({"metadata": {"name": "web"}, "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        service_defaults(&mut svc, None);
        let ip = svc["spec"]["clusterIP"].as_str().unwrap().to_string();
        assert!(ip.starts_with("10.9"), "{ip}");
        assert_eq!(svc["spec"]["ports"][0]["targetPort"], 80);
        assert_eq!(svc["spec"]["ports"][0]["protocol"], "TCP");
        let np = svc["spec"]["ports"][0]["nodePort"].as_i64().unwrap();
        assert!((30000..=32767).contains(&np));
        let mut upd = json!({"metadata": {"name": "web"}, "spec": {"type": "NodePort", "ports": [{"port": 80}]}});
        service_defaults(&mut upd, Some(&svc));
        assert_eq!(upd["spec"]["clusterIP"], ip.as_str());
        assert_eq!(upd["spec"]["ports"][0]["nodePort"], np);
        let mut headless = json!({"spec": {"clusterIP": "None"}});
        service_defaults(&mut headless, None);
        assert_eq!(headless["spec"]["clusterIP"], "None");
    }

    #[test]
    fn jobs_need_a_restart_policy_and_get_a_generated_selector() {
        let store = Store::new();
        let mut j = json!({"metadata": {"name": "pi", "uid": "u1"}, "spec": {"template": {"spec": {"containers": []}}}});
        let e = on_create(&store, Kind::Job, &mut j).unwrap_err();
        assert_eq!(e.code, 422);
        assert!(
            e.message.contains("spec.template.spec.restartPolicy"),
            "{}",
            e.message
        );
        j["spec"]["template"]["spec"]["restartPolicy"] = json!("Never");
        on_create(&store, Kind::Job, &mut j).unwrap();
        assert_eq!(j["spec"]["completions"], 1);
        assert_eq!(
            j["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"],
            "u1"
        );
        assert_eq!(
            j["spec"]["template"]["metadata"]["labels"]["job-name"],
            "pi"
        );
    }

    #[test]
    fn role_refs_are_required_and_immutable() {
        let store = Store::new();
        let mut b = json!({"metadata": {"name": "b"}, "subjects": []});
        assert_eq!(
            on_create(&store, Kind::RoleBinding, &mut b)
                .unwrap_err()
                .code,
            422
        );
        let old = json!({"metadata": {"name": "b"}, "roleRef": {"kind": "ClusterRole", "name": "view", "apiGroup": "rbac.authorization.k8s.io"}});
        let mut new = old.clone();
        new["roleRef"]["name"] = json!("edit");
        let e = on_update(Kind::RoleBinding, &old, &mut new).unwrap_err();
        assert!(e.message.contains("cannot change roleRef"), "{}", e.message);
    }
}
