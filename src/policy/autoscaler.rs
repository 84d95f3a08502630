//! `autoscaling/v2` HorizontalPodAutoscaler and `autoscaling.karmada.io/v1alpha1` FederatedHPA
//! documents → [`AutoscalerSpec`] (the fleet autoscaler, `crate::autoscale`). Validation follows
//! the API server's (min ≥ 1, min ≤ max, target values per metric type, behavior ranges);
//! every error names the field path, unknown fields are warnings.

use serde_json::{Map, Value};

use super::{PolicyError, Warning};
use crate::autoscale::{
    AutoscalerKind, AutoscalerSpec, Behavior, MetricIdentifier, MetricSpec, MetricTarget,
    ObjectRef, PolicyKind, ScalingPolicy, ScalingRules, SelectPolicy,
};
use crate::capacity::quantity::parse_quantity;

type Obj = Map<String, Value>;

/// Why `name` cannot name an autoscaler: it must be a DNS-1123 subdomain (the ConfigMap
/// `kubectl-fleet-hpa-<name>`) and a label value (`fleet.kubectl.dev/autoscaler`), so at most
/// 63 characters.
pub fn invalid_name(name: &str) -> Option<String> {
    if name.len() > 63 {
        return Some(format!(
            "must be at most 63 characters (it is also a label value), got {}",
            name.len()
        ));
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.';
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if name.is_empty()
        || !name.chars().all(ok_char)
        || !alnum(name.chars().next())
        || !alnum(name.chars().last())
    {
        return Some(
            "must consist of lower case alphanumeric characters, '-' or '.', and start and end with an alphanumeric character (RFC 1123 subdomain)".into(),
        );
    }
    None
}

/// A parsed autoscaler document.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoscalerDocument {
    pub spec: AutoscalerSpec,
    /// apiVersion, kind, metadata {name, namespace, labels} and spec of the input (what is
    /// stored in the members).
    pub document: Value,
    pub warnings: Vec<Warning>,
    /// The input it came from (file name, document number), for error messages.
    pub source: String,
    /// `metadata.namespace` was set (otherwise `default` until `-n` says otherwise).
    pub namespace_given: bool,
}

impl AutoscalerDocument {
    /// Sets the namespace (of the spec and of the stored document).
    pub fn set_namespace(&mut self, namespace: &str) {
        self.spec.namespace = namespace.to_string();
        if let Some(meta) = self
            .document
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
        {
            meta.insert("namespace".into(), Value::String(namespace.to_string()));
        }
    }
}

/// The API group of Karmada's FederatedHPA.
pub const KARMADA_AUTOSCALING_GROUP: &str = "autoscaling.karmada.io";

struct P<'s> {
    source: &'s str,
    warnings: Vec<Warning>,
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl P<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> PolicyError {
        PolicyError::Invalid {
            source_name: self.source.to_string(),
            path: path.to_string(),
            message: message.into(),
        }
    }

    fn known(&mut self, obj: &Obj, path: &str, known: &[&str]) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                self.warnings.push(Warning {
                    source: self.source.to_string(),
                    path: format!("{path}.{k}"),
                    message: "unknown field, ignored".into(),
                });
            }
        }
    }

    fn obj<'v>(
        &self,
        parent: &'v Obj,
        key: &str,
        path: &str,
    ) -> Result<Option<&'v Obj>, PolicyError> {
        match parent.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(v) => Err(self.err(path, format!("expected a mapping, got {}", kind_of(v)))),
        }
    }

    fn req_obj<'v>(&self, parent: &'v Obj, key: &str, path: &str) -> Result<&'v Obj, PolicyError> {
        self.obj(parent, key, path)?
            .ok_or_else(|| self.err(path, "missing"))
    }

    fn string(&self, parent: &Obj, key: &str, path: &str) -> Result<Option<String>, PolicyError> {
        match parent.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.err(path, format!("expected a string, got {}", kind_of(v)))),
        }
    }

    fn req_string(&self, parent: &Obj, key: &str, path: &str) -> Result<String, PolicyError> {
        match self.string(parent, key, path)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(self.err(path, "missing")),
        }
    }

    fn int(&self, parent: &Obj, key: &str, path: &str) -> Result<Option<i64>, PolicyError> {
        match parent.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| self.err(path, format!("expected an integer, got {}", kind_of(v)))),
        }
    }

    fn ranged(
        &self,
        parent: &Obj,
        key: &str,
        path: &str,
        lo: i64,
        hi: i64,
    ) -> Result<Option<i32>, PolicyError> {
        match self.int(parent, key, path)? {
            None => Ok(None),
            Some(n) if n < lo => Err(self.err(path, format!("must be >= {lo}, got {n}"))),
            Some(n) if n > hi => Err(self.err(path, format!("must be <= {hi}, got {n}"))),
            Some(n) => Ok(Some(n as i32)),
        }
    }

    fn quantity(&self, parent: &Obj, key: &str, path: &str) -> Result<Option<i64>, PolicyError> {
        let text = match parent.get(key) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(v) => {
                return Err(self.err(path, format!("expected a quantity, got {}", kind_of(v))))
            }
        };
        let milli = parse_quantity(&text).map_err(|e| self.err(path, format!("{text:?}: {e}")))?;
        if milli <= 0 {
            return Err(self.err(path, format!("must be positive, got {text:?}")));
        }
        Ok(Some(milli))
    }
}

/// Parses one HPA/FederatedHPA document (`obj` is the whole object).
pub fn parse_autoscaler(
    obj: &Obj,
    kind: AutoscalerKind,
    source: &str,
) -> Result<AutoscalerDocument, PolicyError> {
    let mut p = P {
        source,
        warnings: Vec::new(),
    };
    p.known(
        obj,
        "",
        &["apiVersion", "kind", "metadata", "spec", "status"],
    );
    let meta = p.req_obj(obj, "metadata", "metadata")?;
    let name = p.req_string(meta, "name", "metadata.name")?;
    if let Some(why) = invalid_name(&name) {
        return Err(p.err("metadata.name", format!("{name:?}: {why}")));
    }
    let given_namespace = p
        .string(meta, "namespace", "metadata.namespace")?
        .filter(|n| !n.is_empty());
    let namespace_given = given_namespace.is_some();
    let namespace = given_namespace.unwrap_or_else(|| "default".to_string());
    let spec = p.req_obj(obj, "spec", "spec")?;
    p.known(
        spec,
        "spec",
        &[
            "scaleTargetRef",
            "minReplicas",
            "maxReplicas",
            "metrics",
            "behavior",
        ],
    );

    let target = p.req_obj(spec, "scaleTargetRef", "spec.scaleTargetRef")?;
    p.known(
        target,
        "spec.scaleTargetRef",
        &["apiVersion", "kind", "name"],
    );
    let tkind = p.req_string(target, "kind", "spec.scaleTargetRef.kind")?;
    if tkind != "Deployment" {
        return Err(p.err(
            "spec.scaleTargetRef.kind",
            format!("{tkind:?} is not supported: the fleet autoscaler scales Deployments managed by kubectl-fleet"),
        ));
    }
    if let Some(av) = p.string(target, "apiVersion", "spec.scaleTargetRef.apiVersion")? {
        if av != "apps/v1" {
            return Err(p.err(
                "spec.scaleTargetRef.apiVersion",
                format!("{av:?} is not supported, expected apps/v1"),
            ));
        }
    }
    let target_name = p.req_string(target, "name", "spec.scaleTargetRef.name")?;

    let min = p
        .ranged(
            spec,
            "minReplicas",
            "spec.minReplicas",
            1,
            i64::from(i32::MAX),
        )?
        .unwrap_or(1) as u32;
    let max = p
        .ranged(
            spec,
            "maxReplicas",
            "spec.maxReplicas",
            1,
            i64::from(i32::MAX),
        )?
        .ok_or_else(|| p.err("spec.maxReplicas", "missing"))? as u32;
    if min > max {
        return Err(p.err(
            "spec.minReplicas",
            format!("must be less than or equal to maxReplicas ({min} > {max})"),
        ));
    }

    let mut metrics = Vec::new();
    match spec.get("metrics") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let path = format!("spec.metrics[{i}]");
                let Value::Object(m) = item else {
                    return Err(p.err(&path, format!("expected a mapping, got {}", kind_of(item))));
                };
                metrics.push(metric(&mut p, m, &path)?);
            }
        }
        Some(v) => {
            return Err(p.err(
                "spec.metrics",
                format!("expected a list, got {}", kind_of(v)),
            ))
        }
    }
    if metrics.is_empty() {
        // autoscaling/v2 default: cpu at 80% utilization.
        metrics.push(MetricSpec::Resource {
            name: "cpu".into(),
            target: MetricTarget::Utilization(80),
        });
    }

    let behavior = match p.obj(spec, "behavior", "spec.behavior")? {
        None => None,
        Some(b) => {
            p.known(b, "spec.behavior", &["scaleUp", "scaleDown"]);
            Some(Behavior {
                scale_up: rules(&mut p, b, "scaleUp")?,
                scale_down: rules(&mut p, b, "scaleDown")?,
            })
        }
    };

    let mut clean_meta = Map::new();
    clean_meta.insert("name".into(), Value::String(name.clone()));
    clean_meta.insert("namespace".into(), Value::String(namespace.clone()));
    if let Some(l) = meta.get("labels") {
        clean_meta.insert("labels".into(), l.clone());
    }
    let document = serde_json::json!({
        "apiVersion": kind.api_version(),
        "kind": kind.kind(),
        "metadata": clean_meta,
        "spec": Value::Object(spec.clone()),
    });
    Ok(AutoscalerDocument {
        spec: AutoscalerSpec {
            kind,
            name,
            namespace,
            target: target_name,
            min_replicas: min,
            max_replicas: max,
            metrics,
            behavior,
        },
        document,
        warnings: p.warnings,
        source: source.to_string(),
        namespace_given,
    })
}

fn metric(p: &mut P<'_>, m: &Obj, path: &str) -> Result<MetricSpec, PolicyError> {
    let t = p.req_string(m, "type", &format!("{path}.type"))?;
    let (key, allowed): (&str, &[&str]) = match t.as_str() {
        "Resource" => ("resource", &["Utilization", "AverageValue"]),
        "ContainerResource" => ("containerResource", &["Utilization", "AverageValue"]),
        "Pods" => ("pods", &["AverageValue"]),
        "Object" => ("object", &["Value", "AverageValue"]),
        "External" => ("external", &["Value", "AverageValue"]),
        other => {
            return Err(p.err(
                &format!("{path}.type"),
                format!("unknown metric type {other:?} (expected Resource, ContainerResource, Pods, Object or External)"),
            ))
        }
    };
    p.known(m, path, &["type", key]);
    let spath = format!("{path}.{key}");
    let src = p.req_obj(m, key, &spath)?;
    let target = {
        let tpath = format!("{spath}.target");
        let t = p.req_obj(src, "target", &tpath)?;
        p.known(
            t,
            &tpath,
            &["type", "averageUtilization", "averageValue", "value"],
        );
        let ttype = p.req_string(t, "type", &format!("{tpath}.type"))?;
        if !allowed.contains(&ttype.as_str()) {
            return Err(p.err(
                &format!("{tpath}.type"),
                format!(
                    "{ttype:?} is not valid for a {t_} metric (expected {})",
                    allowed.join(" or "),
                    t_ = m["type"].as_str().unwrap_or("")
                ),
            ));
        }
        match ttype.as_str() {
            "Utilization" => MetricTarget::Utilization(
                p.ranged(
                    t,
                    "averageUtilization",
                    &format!("{tpath}.averageUtilization"),
                    1,
                    i64::from(i32::MAX),
                )?
                .ok_or_else(|| {
                    p.err(
                        &format!("{tpath}.averageUtilization"),
                        "missing (required for type Utilization)",
                    )
                })?,
            ),
            "AverageValue" => MetricTarget::AverageValue(
                p.quantity(t, "averageValue", &format!("{tpath}.averageValue"))?
                    .ok_or_else(|| {
                        p.err(
                            &format!("{tpath}.averageValue"),
                            "missing (required for type AverageValue)",
                        )
                    })?,
            ),
            _ => MetricTarget::Value(
                p.quantity(t, "value", &format!("{tpath}.value"))?
                    .ok_or_else(|| {
                        p.err(
                            &format!("{tpath}.value"),
                            "missing (required for type Value)",
                        )
                    })?,
            ),
        }
    };
    let identifier = |p: &mut P<'_>| -> Result<MetricIdentifier, PolicyError> {
        let mpath = format!("{spath}.metric");
        let mo = p.req_obj(src, "metric", &mpath)?;
        p.known(mo, &mpath, &["name", "selector"]);
        let name = p.req_string(mo, "name", &format!("{mpath}.name"))?;
        let selector = match p.obj(mo, "selector", &format!("{mpath}.selector"))? {
            None => None,
            Some(s) => {
                p.known(s, &format!("{mpath}.selector"), &["matchLabels"]);
                match p.obj(s, "matchLabels", &format!("{mpath}.selector.matchLabels"))? {
                    None => None,
                    Some(ml) => {
                        let mut parts = Vec::new();
                        for (k, v) in ml {
                            let v = v.as_str().ok_or_else(|| {
                                p.err(
                                    &format!("{mpath}.selector.matchLabels.{k}"),
                                    "expected a string",
                                )
                            })?;
                            parts.push(format!("{k}={v}"));
                        }
                        (!parts.is_empty()).then(|| parts.join(","))
                    }
                }
            }
        };
        Ok(MetricIdentifier { name, selector })
    };
    Ok(match t.as_str() {
        "Resource" => {
            p.known(src, &spath, &["name", "target"]);
            MetricSpec::Resource {
                name: p.req_string(src, "name", &format!("{spath}.name"))?,
                target,
            }
        }
        "ContainerResource" => {
            p.known(src, &spath, &["name", "container", "target"]);
            MetricSpec::ContainerResource {
                name: p.req_string(src, "name", &format!("{spath}.name"))?,
                container: p.req_string(src, "container", &format!("{spath}.container"))?,
                target,
            }
        }
        "Pods" => {
            p.known(src, &spath, &["metric", "target"]);
            MetricSpec::Pods {
                metric: identifier(p)?,
                target,
            }
        }
        "Object" => {
            p.known(src, &spath, &["describedObject", "metric", "target"]);
            let dpath = format!("{spath}.describedObject");
            let d = p.req_obj(src, "describedObject", &dpath)?;
            p.known(d, &dpath, &["apiVersion", "kind", "name"]);
            MetricSpec::Object {
                described_object: ObjectRef {
                    api_version: p
                        .string(d, "apiVersion", &format!("{dpath}.apiVersion"))?
                        .unwrap_or_default(),
                    kind: p.req_string(d, "kind", &format!("{dpath}.kind"))?,
                    name: p.req_string(d, "name", &format!("{dpath}.name"))?,
                },
                metric: identifier(p)?,
                target,
            }
        }
        _ => {
            p.known(src, &spath, &["metric", "target"]);
            MetricSpec::External {
                metric: identifier(p)?,
                target,
            }
        }
    })
}

fn rules(p: &mut P<'_>, b: &Obj, key: &str) -> Result<Option<ScalingRules>, PolicyError> {
    let path = format!("spec.behavior.{key}");
    let Some(r) = p.obj(b, key, &path)? else {
        return Ok(None);
    };
    p.known(
        r,
        &path,
        &[
            "stabilizationWindowSeconds",
            "selectPolicy",
            "policies",
            "tolerance",
        ],
    );
    if r.contains_key("tolerance") {
        p.warnings.push(Warning {
            source: p.source.to_string(),
            path: format!("{path}.tolerance"),
            message: "per-autoscaler tolerance is not supported; the controller's 0.1 applies"
                .into(),
        });
    }
    let window = p.ranged(
        r,
        "stabilizationWindowSeconds",
        &format!("{path}.stabilizationWindowSeconds"),
        0,
        3600,
    )?;
    let select = match p.string(r, "selectPolicy", &format!("{path}.selectPolicy"))? {
        None => None,
        Some(s) => Some(match s.as_str() {
            "Max" => SelectPolicy::Max,
            "Min" => SelectPolicy::Min,
            "Disabled" => SelectPolicy::Disabled,
            other => {
                return Err(p.err(
                    &format!("{path}.selectPolicy"),
                    format!("unknown value {other:?} (expected Max, Min or Disabled)"),
                ))
            }
        }),
    };
    let policies = match r.get("policies") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => {
            if items.is_empty() && select != Some(SelectPolicy::Disabled) {
                return Err(p.err(
                    &format!("{path}.policies"),
                    "must specify at least one policy",
                ));
            }
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let ppath = format!("{path}.policies[{i}]");
                let Value::Object(po) = item else {
                    return Err(p.err(&ppath, format!("expected a mapping, got {}", kind_of(item))));
                };
                p.known(po, &ppath, &["type", "value", "periodSeconds"]);
                let kind = match p.req_string(po, "type", &format!("{ppath}.type"))?.as_str() {
                    "Pods" => PolicyKind::Pods,
                    "Percent" => PolicyKind::Percent,
                    other => {
                        return Err(p.err(
                            &format!("{ppath}.type"),
                            format!("unknown policy type {other:?} (expected Pods or Percent)"),
                        ))
                    }
                };
                let value = p
                    .ranged(
                        po,
                        "value",
                        &format!("{ppath}.value"),
                        1,
                        i64::from(i32::MAX),
                    )?
                    .ok_or_else(|| p.err(&format!("{ppath}.value"), "missing"))?;
                let period_seconds = p
                    .ranged(
                        po,
                        "periodSeconds",
                        &format!("{ppath}.periodSeconds"),
                        1,
                        1800,
                    )?
                    .ok_or_else(|| p.err(&format!("{ppath}.periodSeconds"), "missing"))?;
                out.push(ScalingPolicy {
                    kind,
                    value,
                    period_seconds,
                });
            }
            Some(out)
        }
        Some(v) => {
            return Err(p.err(
                &format!("{path}.policies"),
                format!("expected a list, got {}", kind_of(v)),
            ))
        }
    };
    Ok(Some(ScalingRules {
        stabilization_window_seconds: window,
        select_policy: select,
        policies,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{parse_documents, Document};

    fn one(text: &str) -> Result<AutoscalerDocument, PolicyError> {
        let docs = parse_documents(text, "hpa.yaml")?;
        match docs.into_iter().next() {
            Some(Document::Autoscaler(a)) => Ok(*a),
            other => panic!("not an autoscaler: {other:?}"),
        }
    }

    const HEAD: &str = "apiVersion: autoscaling.karmada.io/v1alpha1\nkind: FederatedHPA\nmetadata: {name: w, namespace: prod}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 20\n";

    #[test]
    fn every_metric_type_and_behavior() {
        let a = one(&format!("{HEAD}  minReplicas: 2\n  metrics:\n  - {{type: Resource, resource: {{name: memory, target: {{type: AverageValue, averageValue: 1Gi}}}}}}\n  - {{type: ContainerResource, containerResource: {{name: cpu, container: app, target: {{type: Utilization, averageUtilization: 60}}}}}}\n  - {{type: Pods, pods: {{metric: {{name: qps}}, target: {{type: AverageValue, averageValue: '10'}}}}}}\n  - {{type: Object, object: {{describedObject: {{apiVersion: networking.k8s.io/v1, kind: Ingress, name: main}}, metric: {{name: rps}}, target: {{type: Value, value: 2k}}}}}}\n  - {{type: External, external: {{metric: {{name: queue, selector: {{matchLabels: {{q: jobs}}}}}}, target: {{type: AverageValue, averageValue: 30}}}}}}\n  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n      selectPolicy: Min\n      policies: [{{type: Pods, value: 2, periodSeconds: 30}}]\n")).unwrap();
        let s = &a.spec;
        assert_eq!(
            (
                s.namespace.as_str(),
                s.target.as_str(),
                s.min_replicas,
                s.max_replicas
            ),
            ("prod", "web", 2, 20)
        );
        assert_eq!(s.metrics.len(), 5);
        assert_eq!(
            s.metrics[0].target(),
            &MetricTarget::AverageValue((1i64 << 30) * 1000)
        );
        assert_eq!(s.metrics[1].target(), &MetricTarget::Utilization(60));
        assert_eq!(s.metrics[2].target(), &MetricTarget::AverageValue(10_000));
        assert_eq!(s.metrics[3].target(), &MetricTarget::Value(2_000_000));
        match &s.metrics[4] {
            MetricSpec::External { metric, .. } => {
                assert_eq!(metric.selector.as_deref(), Some("q=jobs"))
            }
            m => panic!("{m:?}"),
        }
        let down = s.behavior.as_ref().unwrap().scale_down.as_ref().unwrap();
        assert_eq!(down.stabilization_window_seconds, Some(60));
        assert_eq!(down.select_policy, Some(SelectPolicy::Min));
        assert_eq!(down.policies.as_ref().unwrap()[0].value, 2);
        assert_eq!(a.document["metadata"]["namespace"], "prod");
    }

    #[test]
    fn defaults_and_warnings() {
        let a = one(HEAD).unwrap();
        assert_eq!(a.spec.min_replicas, 1);
        assert_eq!(
            a.spec.metrics,
            vec![MetricSpec::Resource {
                name: "cpu".into(),
                target: MetricTarget::Utilization(80)
            }]
        );
        assert!(a.spec.behavior.is_none());
        let a = one(&format!("{HEAD}  surprise: 1\n")).unwrap();
        assert_eq!(a.warnings[0].path, "spec.surprise");
    }

    #[test]
    fn names_must_fit_a_configmap_name_and_a_label() {
        let with = |n: &str| HEAD.replace("{name: w,", &format!("{{name: {n},"));
        let doc = with("Web_1");
        assert!(doc.contains("Web_1"), "{doc}");
        let e = parse_documents(&doc, "hpa.yaml").unwrap_err().to_string();
        assert!(e.starts_with("hpa.yaml: metadata.name: \"Web_1\": "), "{e}");
        let long = "a".repeat(64);
        let e = parse_documents(&with(&long), "hpa.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 63 characters"), "{e}");
        assert!(parse_documents(&with("web-2.eu"), "hpa.yaml").is_ok());
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (HEAD.replace("  maxReplicas: 20\n", ""), "hpa.yaml: spec.maxReplicas: missing"),
            (format!("{HEAD}  minReplicas: 0\n"), "hpa.yaml: spec.minReplicas: must be >= 1, got 0"),
            (format!("{HEAD}  metrics: [{{type: Pods, pods: {{metric: {{name: q}}, target: {{type: Utilization, averageUtilization: 5}}}}}}]\n"), "spec.metrics[0].pods.target.type"),
            (format!("{HEAD}  metrics: [{{type: External, external: {{metric: {{name: q}}, target: {{type: Value}}}}}}]\n"), "spec.metrics[0].external.target.value: missing"),
            (format!("{HEAD}  metrics: [{{type: Resource, resource: {{name: cpu, target: {{type: AverageValue, averageValue: lots}}}}}}]\n"), "spec.metrics[0].resource.target.averageValue"),
            (format!("{HEAD}  behavior: {{scaleUp: {{selectPolicy: Most}}}}\n"), "spec.behavior.scaleUp.selectPolicy"),
            (format!("{HEAD}  behavior: {{scaleUp: {{policies: []}}}}\n"), "spec.behavior.scaleUp.policies: must specify at least one policy"),
            (format!("{HEAD}  behavior: {{scaleDown: {{policies: [{{type: Pods, value: 1, periodSeconds: 4000}}]}}}}\n"), "spec.behavior.scaleDown.policies[0].periodSeconds: must be <= 1800"),
            (format!("{HEAD}  behavior: {{scaleDown: {{stabilizationWindowSeconds: 9999}}}}\n"), "stabilizationWindowSeconds: must be <= 3600"),
            (HEAD.replace("v1alpha1", "v1beta9"), "apiVersion: unsupported version"),
        ];
        for (text, want) in cases {
            let e = parse_documents(&text, "hpa.yaml").unwrap_err().to_string();
            assert!(e.contains(want), "{e:?} lacks {want:?}");
            assert!(!e.contains('\n'));
        }
    }
}
