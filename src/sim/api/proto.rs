//! Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`) decoded into
//! JSON, for the objects kubectl's typed commands send as protobuf: the `kubectl create`
//! generators (namespace, configmap, secret, serviceaccount, deployment), `kubectl create
//! token` (TokenRequest) and `kubectl auth can-i` / `whoami` (access reviews); also service,
//! job, priorityclass, role, clusterrole, rolebinding and clusterrolebinding generators.
//!
//! A body is the 4-byte magic `k8s\0` and a `runtime.Unknown` envelope (`typeMeta`,
//! `raw`); `raw` is the object's protobuf, decoded here field by field with a schema of the
//! fields these messages have (field numbers from k8s.io/api `generated.proto`). Fields not
//! in the schema are skipped. Kinds without a schema are refused with 415 by the caller.

use serde_json::{json, Map, Value};

use super::super::admission::base64_encode;

/// The envelope magic.
const MAGIC: &[u8] = b"k8s\0";

#[derive(Clone, Copy)]
enum Ty {
    Str,
    Int,
    Bool,
    Msg(&'static str),
    RepStr,
    RepMsg(&'static str),
    MapStr,
    MapBytes,
    /// map<string, Quantity>.
    MapQuantity,
    /// IntOrString {type=1, intVal=2, strVal=3}.
    IntOrStr,
    /// Time {seconds=1}.
    Time,
}

use Ty::*;

type Schema = &'static [(u32, &'static str, Ty)];

fn schema(msg: &str) -> Option<Schema> {
    Some(match msg {
        "ObjectMeta" => &[
            (1, "name", Str),
            (2, "generateName", Str),
            (3, "namespace", Str),
            (5, "uid", Str),
            (6, "resourceVersion", Str),
            (7, "generation", Int),
            (8, "creationTimestamp", Time),
            (11, "labels", MapStr),
            (12, "annotations", MapStr),
            (14, "finalizers", RepStr),
        ],
        "Namespace" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("NamespaceSpec")),
        ],
        "NamespaceSpec" => &[(1, "finalizers", RepStr)],
        "ConfigMap" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "data", MapStr),
            (3, "binaryData", MapBytes),
            (4, "immutable", Bool),
        ],
        "Secret" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "data", MapBytes),
            (3, "type", Str),
            (4, "stringData", MapStr),
            (5, "immutable", Bool),
        ],
        "ServiceAccount" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "secrets", RepMsg("ObjectReference")),
            (3, "imagePullSecrets", RepMsg("LocalObjectReference")),
            (4, "automountServiceAccountToken", Bool),
        ],
        "ObjectReference" => &[
            (1, "kind", Str),
            (2, "namespace", Str),
            (3, "name", Str),
            (4, "uid", Str),
            (5, "apiVersion", Str),
            (6, "resourceVersion", Str),
            (7, "fieldPath", Str),
        ],
        "LocalObjectReference" => &[(1, "name", Str)],
        "Deployment" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("DeploymentSpec")),
        ],
        "DeploymentSpec" => &[
            (1, "replicas", Int),
            (2, "selector", Msg("LabelSelector")),
            (3, "template", Msg("PodTemplateSpec")),
            (4, "strategy", Msg("DeploymentStrategy")),
            (5, "minReadySeconds", Int),
            (6, "revisionHistoryLimit", Int),
            (7, "paused", Bool),
            (9, "progressDeadlineSeconds", Int),
        ],
        "DeploymentStrategy" => &[
            (1, "type", Str),
            (2, "rollingUpdate", Msg("RollingUpdateDeployment")),
        ],
        "RollingUpdateDeployment" => &[(1, "maxUnavailable", IntOrStr), (2, "maxSurge", IntOrStr)],
        "LabelSelector" => &[
            (1, "matchLabels", MapStr),
            (2, "matchExpressions", RepMsg("LabelSelectorRequirement")),
        ],
        "LabelSelectorRequirement" => {
            &[(1, "key", Str), (2, "operator", Str), (3, "values", RepStr)]
        }
        "PodTemplateSpec" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("PodSpec")),
        ],
        "PodSpec" => &[
            (2, "containers", RepMsg("Container")),
            (3, "restartPolicy", Str),
            (4, "terminationGracePeriodSeconds", Int),
            (6, "dnsPolicy", Str),
            (7, "nodeSelector", MapStr),
            (8, "serviceAccountName", Str),
            (10, "nodeName", Str),
            (15, "imagePullSecrets", RepMsg("LocalObjectReference")),
            (16, "hostname", Str),
            (17, "subdomain", Str),
            (19, "schedulerName", Str),
            (20, "initContainers", RepMsg("Container")),
            (24, "priorityClassName", Str),
            (25, "priority", Int),
        ],
        "Container" => &[
            (1, "name", Str),
            (2, "image", Str),
            (3, "command", RepStr),
            (4, "args", RepStr),
            (5, "workingDir", Str),
            (6, "ports", RepMsg("ContainerPort")),
            (7, "env", RepMsg("EnvVar")),
            (8, "resources", Msg("ResourceRequirements")),
            (13, "terminationMessagePath", Str),
            (14, "imagePullPolicy", Str),
            (20, "terminationMessagePolicy", Str),
        ],
        "ContainerPort" => &[
            (1, "name", Str),
            (2, "hostPort", Int),
            (3, "containerPort", Int),
            (4, "protocol", Str),
            (5, "hostIP", Str),
        ],
        "EnvVar" => &[(1, "name", Str), (2, "value", Str)],
        "ResourceRequirements" => &[(1, "limits", MapQuantity), (2, "requests", MapQuantity)],
        "TokenRequest" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("TokenRequestSpec")),
        ],
        "TokenRequestSpec" => &[(1, "audiences", RepStr), (4, "expirationSeconds", Int)],
        "SelfSubjectAccessReview" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("SelfSubjectAccessReviewSpec")),
        ],
        "SelfSubjectAccessReviewSpec" => &[
            (1, "resourceAttributes", Msg("ResourceAttributes")),
            (2, "nonResourceAttributes", Msg("NonResourceAttributes")),
        ],
        "ResourceAttributes" => &[
            (1, "namespace", Str),
            (2, "verb", Str),
            (3, "group", Str),
            (4, "version", Str),
            (5, "resource", Str),
            (6, "subresource", Str),
            (7, "name", Str),
        ],
        "NonResourceAttributes" => &[(1, "path", Str), (2, "verb", Str)],
        "SelfSubjectRulesReview" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("SelfSubjectRulesReviewSpec")),
        ],
        "SelfSubjectRulesReviewSpec" => &[(1, "namespace", Str)],
        "SelfSubjectReview" => &[(1, "metadata", Msg("ObjectMeta"))],
        "Role" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "rules", RepMsg("PolicyRule")),
        ],
        "ClusterRole" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "rules", RepMsg("PolicyRule")),
            (3, "aggregationRule", Msg("AggregationRule")),
        ],
        "AggregationRule" => &[(1, "clusterRoleSelectors", RepMsg("LabelSelector"))],
        "PolicyRule" => &[
            (1, "verbs", RepStr),
            (2, "apiGroups", RepStr),
            (3, "resources", RepStr),
            (4, "resourceNames", RepStr),
            (5, "nonResourceURLs", RepStr),
        ],
        "RoleBinding" | "ClusterRoleBinding" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "subjects", RepMsg("Subject")),
            (3, "roleRef", Msg("RoleRef")),
        ],
        "Subject" => &[
            (1, "kind", Str),
            (2, "apiGroup", Str),
            (3, "name", Str),
            (4, "namespace", Str),
        ],
        "RoleRef" => &[(1, "apiGroup", Str), (2, "kind", Str), (3, "name", Str)],
        "PriorityClass" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "value", Int),
            (3, "globalDefault", Bool),
            (4, "description", Str),
            (5, "preemptionPolicy", Str),
        ],
        "Service" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("ServiceSpec")),
        ],
        "ServiceSpec" => &[
            (1, "ports", RepMsg("ServicePort")),
            (2, "selector", MapStr),
            (3, "clusterIP", Str),
            (4, "type", Str),
            (5, "externalIPs", RepStr),
            (7, "sessionAffinity", Str),
            (10, "externalName", Str),
        ],
        "ServicePort" => &[
            (1, "name", Str),
            (2, "protocol", Str),
            (3, "port", Int),
            (4, "targetPort", IntOrStr),
            (5, "nodePort", Int),
        ],
        "Job" => &[
            (1, "metadata", Msg("ObjectMeta")),
            (2, "spec", Msg("JobSpec")),
        ],
        "JobSpec" => &[
            (1, "parallelism", Int),
            (2, "completions", Int),
            (3, "activeDeadlineSeconds", Int),
            (4, "selector", Msg("LabelSelector")),
            (5, "manualSelector", Bool),
            (6, "template", Msg("PodTemplateSpec")),
            (7, "backoffLimit", Int),
            (8, "ttlSecondsAfterFinished", Int),
            (9, "completionMode", Str),
            (10, "suspend", Bool),
        ],
        _ => return None,
    })
}

/// Protobuf wire reader.
struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.b.get(self.i).ok_or("truncated varint")?;
            self.i += 1;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = self.varint()? as usize;
        let end = self
            .i
            .checked_add(n)
            .filter(|e| *e <= self.b.len())
            .ok_or("truncated field")?;
        let s = &self.b[self.i..end];
        self.i = end;
        Ok(s)
    }

    /// The next field: (number, wire type, varint value or bytes).
    fn field(&mut self) -> Result<Option<(u32, Wire<'a>)>, String> {
        if self.i >= self.b.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let num = (key >> 3) as u32;
        let w = match key & 7 {
            0 => Wire::Varint(self.varint()?),
            1 => {
                self.i += 8;
                Wire::Skip
            }
            2 => Wire::Bytes(self.bytes()?),
            5 => {
                self.i += 4;
                Wire::Skip
            }
            t => return Err(format!("unsupported wire type {t}")),
        };
        if self.i > self.b.len() {
            return Err("truncated fixed field".into());
        }
        Ok(Some((num, w)))
    }
}

enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Skip,
}

fn text(b: &[u8]) -> Result<String, String> {
    String::from_utf8(b.to_vec()).map_err(|_| "invalid UTF-8 string".to_string())
}

/// Decodes a map entry {key=1, value=2} into (key, raw value bytes).
fn entry(b: &[u8]) -> Result<(String, Vec<u8>), String> {
    let mut r = Reader { b, i: 0 };
    let (mut k, mut v) = (String::new(), Vec::new());
    while let Some((n, w)) = r.field()? {
        match (n, w) {
            (1, Wire::Bytes(x)) => k = text(x)?,
            (2, Wire::Bytes(x)) => v = x.to_vec(),
            _ => {}
        }
    }
    Ok((k, v))
}

fn decode(msg: &str, b: &[u8]) -> Result<Value, String> {
    let fields = schema(msg).ok_or_else(|| format!("no protobuf schema for {msg}"))?;
    let mut out = Map::new();
    let mut r = Reader { b, i: 0 };
    while let Some((num, w)) = r.field()? {
        let Some((_, name, ty)) = fields.iter().find(|f| f.0 == num) else {
            continue;
        };
        let name = name.to_string();
        match (ty, w) {
            (Str, Wire::Bytes(x)) => {
                out.insert(name, json!(text(x)?));
            }
            (Int, Wire::Varint(v)) => {
                out.insert(name, json!(v as i64));
            }
            (Bool, Wire::Varint(v)) => {
                out.insert(name, json!(v != 0));
            }
            (Msg(m), Wire::Bytes(x)) => {
                out.insert(name, decode(m, x)?);
            }
            (RepStr, Wire::Bytes(x)) => {
                let a = out.entry(name).or_insert_with(|| json!([]));
                if let Some(a) = a.as_array_mut() {
                    a.push(json!(text(x)?));
                }
            }
            (RepMsg(m), Wire::Bytes(x)) => {
                let v = decode(m, x)?;
                let a = out.entry(name).or_insert_with(|| json!([]));
                if let Some(a) = a.as_array_mut() {
                    a.push(v);
                }
            }
            (MapStr | MapBytes | MapQuantity, Wire::Bytes(x)) => {
                let (k, v) = entry(x)?;
                let v = match ty {
                    MapStr => json!(text(&v)?),
                    MapBytes => json!(base64_encode(&v)),
                    _ => {
                        let q = decode_quantity(&v)?;
                        json!(q)
                    }
                };
                let m = out.entry(name).or_insert_with(|| json!({}));
                m[k] = v;
            }
            (IntOrStr, Wire::Bytes(x)) => {
                let mut rr = Reader { b: x, i: 0 };
                let (mut t, mut iv, mut sv) = (0u64, 0u64, String::new());
                while let Some((n, w)) = rr.field()? {
                    match (n, w) {
                        (1, Wire::Varint(v)) => t = v,
                        (2, Wire::Varint(v)) => iv = v,
                        (3, Wire::Bytes(s)) => sv = text(s)?,
                        _ => {}
                    }
                }
                out.insert(name, if t == 1 { json!(sv) } else { json!(iv as i64) });
            }
            (Time, Wire::Bytes(x)) => {
                let mut rr = Reader { b: x, i: 0 };
                let mut secs = 0i64;
                while let Some((n, w)) = rr.field()? {
                    if let (1, Wire::Varint(v)) = (n, w) {
                        secs = v as i64;
                    }
                }
                let t = if secs == 0 {
                    Value::Null
                } else {
                    k8s_openapi::jiff::Timestamp::from_second(secs)
                        .map(|t| json!(t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()))
                        .unwrap_or(Value::Null)
                };
                out.insert(name, t);
            }
            _ => return Err(format!("field {msg}.{name} has an unexpected wire type")),
        }
    }
    Ok(Value::Object(out))
}

fn decode_quantity(b: &[u8]) -> Result<String, String> {
    let mut r = Reader { b, i: 0 };
    let mut s = String::new();
    while let Some((n, w)) = r.field()? {
        if let (1, Wire::Bytes(x)) = (n, w) {
            s = text(x)?;
        }
    }
    Ok(s)
}

/// Decodes a protobuf request body into the JSON object it encodes (with `apiVersion` and
/// `kind`). Errors say why (not protobuf, unsupported kind, malformed).
pub fn to_json(body: &[u8]) -> Result<Value, String> {
    let rest = body
        .strip_prefix(MAGIC)
        .ok_or("the body does not start with the Kubernetes protobuf magic")?;
    let mut r = Reader { b: rest, i: 0 };
    let (mut api_version, mut kind, mut raw) = (String::new(), String::new(), &[][..]);
    while let Some((n, w)) = r.field()? {
        match (n, w) {
            (1, Wire::Bytes(tm)) => {
                let mut t = Reader { b: tm, i: 0 };
                while let Some((n, w)) = t.field()? {
                    match (n, w) {
                        (1, Wire::Bytes(x)) => api_version = text(x)?,
                        (2, Wire::Bytes(x)) => kind = text(x)?,
                        _ => {}
                    }
                }
            }
            (2, Wire::Bytes(x)) => raw = x,
            _ => {}
        }
    }
    if schema(&kind).is_none() {
        return Err(format!(
            "protobuf bodies are accepted for the kinds kubectl's generators create (Namespace, ConfigMap, Secret, ServiceAccount, Service, Deployment, Job, PriorityClass, Role, ClusterRole, RoleBinding, ClusterRoleBinding), TokenRequest and access reviews, not {kind:?}"
        ));
    }
    let mut v = decode(&kind, raw)?;
    v["apiVersion"] = json!(api_version);
    v["kind"] = json!(kind);
    if let Some(m) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        m.retain(|_, x| !x.is_null());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(num: u32, wt: u8) -> Vec<u8> {
        varint(u64::from(num) << 3 | u64::from(wt))
    }

    fn varint(mut v: u64) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return out;
            }
            out.push(b | 0x80);
        }
    }

    fn bytes(num: u32, b: &[u8]) -> Vec<u8> {
        let mut out = key(num, 2);
        out.extend(varint(b.len() as u64));
        out.extend_from_slice(b);
        out
    }

    fn int(num: u32, v: u64) -> Vec<u8> {
        let mut out = key(num, 0);
        out.extend(varint(v));
        out
    }

    fn envelope(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
        let tm = [bytes(1, api_version.as_bytes()), bytes(2, kind.as_bytes())].concat();
        let mut out = MAGIC.to_vec();
        out.extend(
            [
                bytes(1, &tm),
                bytes(2, raw),
                bytes(4, b"application/vnd.kubernetes.protobuf"),
            ]
            .concat(),
        );
        out
    }

    #[test]
    fn decodes_a_generated_deployment() {
        let labels = [bytes(1, b"app"), bytes(2, b"web")].concat();
        let meta = [bytes(1, b"web"), bytes(11, &labels), bytes(8, &[])].concat();
        let q = bytes(1, b"500m");
        let req = [bytes(1, b"cpu"), bytes(2, &q)].concat();
        let res = bytes(2, &req);
        let port = int(3, 8080);
        let container = [
            bytes(1, b"nginx"),
            bytes(2, b"nginx:1.27"),
            bytes(6, &port),
            bytes(8, &res),
        ]
        .concat();
        let pod = bytes(2, &container);
        let tmpl = [bytes(1, &bytes(11, &labels)), bytes(2, &pod)].concat();
        let sel = bytes(1, &labels);
        let spec = [int(1, 3), bytes(2, &sel), bytes(3, &tmpl), bytes(4, &[])].concat();
        let raw = [bytes(1, &meta), bytes(2, &spec), bytes(3, &[])].concat();
        let v = to_json(&envelope("apps/v1", "Deployment", &raw)).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "web", "labels": {"app": "web"}},
                   "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                            "strategy": {},
                            "template": {"metadata": {"labels": {"app": "web"}},
                                         "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27",
                                                  "ports": [{"containerPort": 8080}],
                                                  "resources": {"requests": {"cpu": "500m"}}}]}}}})
        );
    }

    #[test]
    fn secret_bytes_become_base64_and_unknown_kinds_are_refused() {
        let d = [bytes(1, b"k"), bytes(2, b"hi")].concat();
        let raw = [bytes(1, &bytes(1, b"s")), bytes(2, &d), bytes(3, b"Opaque")].concat();
        let v = to_json(&envelope("v1", "Secret", &raw)).unwrap();
        assert_eq!(v["data"]["k"], "aGk=");
        assert_eq!(v["type"], "Opaque");
        let e = to_json(&envelope("v1", "Pod", &[])).unwrap_err();
        assert!(e.contains("not \"Pod\""), "{e}");
        assert!(to_json(b"{}").is_err());
        assert!(to_json(&envelope("v1", "Secret", &[0x0a, 0x05, 1])).is_err());
    }
}
