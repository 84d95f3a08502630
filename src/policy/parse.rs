//! Multi-document YAML → Deployments and policies.
//!
//! YAML is read with serde-saphyr into `serde_json::Value` and then walked by hand, so that
//! unknown fields become warnings (forward compatibility) and every error names the field path.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use serde_json::{Map, Value};

use super::model::*;
use super::{Document, PolicyError, Warning};

type Obj = Map<String, Value>;

/// Parse every YAML document of `text`. Deployments (`apps/v1`) and policies of both API
/// groups are returned; other kinds come back as [`Document::Skipped`] with a warning.
/// `source` names the input (file name) in errors and warnings.
pub fn parse_documents(text: &str, source: &str) -> Result<Vec<Document>, PolicyError> {
    let values = read_yaml(text, source)?;
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.into_iter().enumerate() {
        let doc_source = if i == 0 {
            source.to_string()
        } else {
            format!("{source} (document {})", i + 1)
        };
        if let Some(doc) = parse_value(value, &doc_source)? {
            out.push(doc);
        }
    }
    Ok(out)
}

fn read_yaml(text: &str, source: &str) -> Result<Vec<Value>, PolicyError> {
    // serde-saphyr is panic-free by design, but the walker below must never be the reason a
    // CLI invocation aborts, so guard the foreign parser as well.
    let result = std::panic::catch_unwind(|| serde_saphyr::from_multiple::<Value>(text));
    match result {
        Ok(Ok(values)) => Ok(values),
        Ok(Err(e)) => Err(PolicyError::Yaml {
            source_name: source.to_string(),
            message: one_line(&e.to_string()),
        }),
        Err(_) => Err(PolicyError::Yaml {
            source_name: source.to_string(),
            message: "the YAML parser failed on this input".into(),
        }),
    }
}

/// Collapse a (possibly multi-line, snippet-decorated) message to its first meaningful line.
pub(crate) fn one_line(msg: &str) -> String {
    let line = msg
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("invalid YAML");
    line.to_string()
}

fn parse_value(value: Value, source: &str) -> Result<Option<Document>, PolicyError> {
    let obj = match &value {
        Value::Null => return Ok(None),
        Value::Object(o) => o,
        other => {
            return Err(err(
                source,
                "",
                format!("expected a Kubernetes object, got {}", type_name(other)),
            ));
        }
    };
    let api_version = opt_str(obj, "apiVersion", "apiVersion", source)?.unwrap_or_default();
    let kind = opt_str(obj, "kind", "kind", source)?.unwrap_or_default();
    if api_version.is_empty() {
        return Err(err(source, "apiVersion", "missing"));
    }
    if kind.is_empty() {
        return Err(err(source, "kind", "missing"));
    }
    let group = api_version.split('/').next().unwrap_or("");
    match (group, kind.as_str()) {
        ("apps", "Deployment") => {
            parse_deployment(value, source).map(|d| Some(Document::Deployment(Box::new(d))))
        }
        (KARMADA_GROUP | ACK_ONE_GROUP, "PropagationPolicy" | "ClusterPropagationPolicy") => {
            if !api_version.ends_with("/v1alpha1") {
                return Err(err(
                    source,
                    "apiVersion",
                    format!("unsupported version {api_version:?}, expected {group}/v1alpha1"),
                ));
            }
            let flavor = if group == KARMADA_GROUP {
                Flavor::Karmada
            } else {
                Flavor::AckOne
            };
            let mut w = Walker {
                source,
                warnings: Vec::new(),
                flavor,
            };
            let p = w.policy(obj, flavor, kind == "ClusterPropagationPolicy")?;
            Ok(Some(Document::Policy(Box::new(p))))
        }
        ("autoscaling", "HorizontalPodAutoscaler")
        | (super::KARMADA_AUTOSCALING_GROUP, "FederatedHPA") => {
            let (kind, want) = if group == "autoscaling" {
                (
                    crate::autoscale::AutoscalerKind::HorizontalPodAutoscaler,
                    "autoscaling/v2",
                )
            } else {
                (
                    crate::autoscale::AutoscalerKind::FederatedHpa,
                    "autoscaling.karmada.io/v1alpha1",
                )
            };
            if api_version != want {
                return Err(err(
                    source,
                    "apiVersion",
                    format!("unsupported version {api_version:?}, expected {want}"),
                ));
            }
            super::parse_autoscaler(obj, kind, source)
                .map(|a| Some(Document::Autoscaler(Box::new(a))))
        }
        _ => {
            let name = obj
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            Ok(Some(Document::Skipped {
                warning: Warning {
                    source: source.to_string(),
                    path: String::new(),
                    message: format!("skipped {kind} {name:?} ({api_version}): not a Deployment, a propagation policy or an autoscaler"),
                },
                api_version,
                kind,
                name,
            }))
        }
    }
}

fn parse_deployment(value: Value, source: &str) -> Result<Deployment, PolicyError> {
    if let Some(r) = value.get("spec").and_then(|s| s.get("replicas")) {
        match r.as_i64() {
            Some(n) if n < 0 => {
                return Err(err(
                    source,
                    "spec.replicas",
                    format!("must be >= 0, got {n}"),
                ))
            }
            Some(n) if n > i32::MAX as i64 => {
                return Err(err(source, "spec.replicas", format!("too large: {n}")))
            }
            Some(_) | None => {}
        }
    }
    let d: Deployment = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        err(source, &path, one_line(&e.inner().to_string()))
    })?;
    if d.metadata.name.as_deref().unwrap_or("").is_empty() {
        return Err(err(source, "metadata.name", "missing"));
    }
    Ok(d)
}

fn err(source: &str, path: &str, message: impl Into<String>) -> PolicyError {
    PolicyError::Invalid {
        source_name: source.to_string(),
        path: path.to_string(),
        message: message.into(),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn opt_str(obj: &Obj, key: &str, path: &str, source: &str) -> Result<Option<String>, PolicyError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(err(
            source,
            path,
            format!("expected a string, got {}", type_name(other)),
        )),
    }
}

struct Walker<'s> {
    source: &'s str,
    warnings: Vec<Warning>,
    flavor: Flavor,
}

impl Walker<'_> {
    fn err(&self, path: &str, message: impl Into<String>) -> PolicyError {
        err(self.source, path, message)
    }

    fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            source: self.source.to_string(),
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Warn about keys of `obj` not in `known`.
    fn known(&mut self, obj: &Obj, path: &str, known: &[&str]) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                self.warn(&join(path, k), "unknown field, ignored");
            }
        }
    }

    fn obj<'v>(&self, v: &'v Value, path: &str) -> Result<Option<&'v Obj>, PolicyError> {
        match v {
            Value::Null => Ok(None),
            Value::Object(o) => Ok(Some(o)),
            other => Err(self.err(
                path,
                format!("expected a mapping, got {}", type_name(other)),
            )),
        }
    }

    fn field_obj<'v>(
        &self,
        obj: &'v Obj,
        key: &str,
        path: &str,
    ) -> Result<Option<&'v Obj>, PolicyError> {
        match obj.get(key) {
            None => Ok(None),
            Some(v) => self.obj(v, &join(path, key)),
        }
    }

    fn list<'v>(&self, obj: &'v Obj, key: &str, path: &str) -> Result<&'v [Value], PolicyError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(self.err(
                &join(path, key),
                format!("expected a list, got {}", type_name(other)),
            )),
        }
    }

    fn string(&self, v: &Value, path: &str) -> Result<String, PolicyError> {
        match v {
            Value::String(s) => Ok(s.clone()),
            other => Err(self.err(path, format!("expected a string, got {}", type_name(other)))),
        }
    }

    fn opt_str(&self, obj: &Obj, key: &str, path: &str) -> Result<Option<String>, PolicyError> {
        opt_str(obj, key, &join(path, key), self.source)
    }

    fn str_list(&self, obj: &Obj, key: &str, path: &str) -> Result<Vec<String>, PolicyError> {
        let p = join(path, key);
        self.list(obj, key, path)?
            .iter()
            .enumerate()
            .map(|(i, v)| self.string(v, &format!("{p}[{i}]")))
            .collect()
    }

    fn opt_bool(&self, obj: &Obj, key: &str, path: &str) -> Result<Option<bool>, PolicyError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.err(
                &join(path, key),
                format!("expected true or false, got {}", type_name(other)),
            )),
        }
    }

    fn opt_int(&self, obj: &Obj, key: &str, path: &str) -> Result<Option<i64>, PolicyError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Ok(Some(i)),
                None => Err(self.err(&join(path, key), format!("expected an integer, got {n}"))),
            },
            Some(other) => Err(self.err(
                &join(path, key),
                format!("expected an integer, got {}", type_name(other)),
            )),
        }
    }

    fn enum_value<T: Copy>(
        &self,
        obj: &Obj,
        key: &str,
        path: &str,
        options: &[(&str, T)],
    ) -> Result<Option<T>, PolicyError> {
        let p = join(path, key);
        let Some(s) = self.opt_str(obj, key, path)? else {
            return Ok(None);
        };
        if let Some((_, v)) = options.iter().find(|(name, _)| *name == s) {
            return Ok(Some(*v));
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let expected = match names.len() {
            0 => String::new(),
            1 => names[0].to_string(),
            n => format!("{} or {}", names[..n - 1].join(", "), names[n - 1]),
        };
        Err(self.err(&p, format!("unknown value {s:?}, expected {expected}")))
    }

    fn policy(
        &mut self,
        obj: &Obj,
        flavor: Flavor,
        cluster_scoped: bool,
    ) -> Result<PropagationPolicy, PolicyError> {
        self.known(
            obj,
            "",
            &["apiVersion", "kind", "metadata", "spec", "status"],
        );
        let meta = self
            .field_obj(obj, "metadata", "")?
            .ok_or_else(|| self.err("metadata", "missing"))?;
        let name = self.opt_str(meta, "name", "metadata")?.unwrap_or_default();
        if name.is_empty() {
            return Err(self.err("metadata.name", "missing"));
        }
        let namespace = self
            .opt_str(meta, "namespace", "metadata")?
            .filter(|s| !s.is_empty());
        if cluster_scoped && namespace.is_some() {
            self.warn(
                "metadata.namespace",
                "ignored: ClusterPropagationPolicy is cluster-scoped",
            );
        }
        let spec_obj = self
            .field_obj(obj, "spec", "")?
            .ok_or_else(|| self.err("spec", "missing"))?;
        let spec = self.spec(spec_obj)?;
        Ok(PropagationPolicy {
            flavor,
            cluster_scoped,
            name,
            namespace: if cluster_scoped { None } else { namespace },
            source: self.source.to_string(),
            spec,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    fn spec(&mut self, obj: &Obj) -> Result<PolicySpec, PolicyError> {
        let p = "spec";
        self.known(
            obj,
            p,
            &[
                "resourceSelectors",
                "placement",
                "priority",
                "preemption",
                "conflictResolution",
                "preserveResourcesOnDeletion",
                "schedulerName",
                "autoScaling",
                "propagateDeps",
                "dependentOverrides",
                "failover",
                "suspension",
                "activationPreference",
                "association",
                "schedulePriority",
            ],
        );
        for ignored in [
            "propagateDeps",
            "dependentOverrides",
            "failover",
            "suspension",
            "activationPreference",
            "association",
            "schedulePriority",
        ] {
            if obj.contains_key(ignored) {
                // Known upstream fields that do not influence a client-side placement.
                self.warn(&join(p, ignored), "accepted but not used by kubectl-fleet");
            }
        }
        let mut spec = PolicySpec {
            scheduler_name: "default-scheduler".into(),
            ..Default::default()
        };

        let sels = self.list(obj, "resourceSelectors", p)?;
        if sels.is_empty() {
            return Err(self.err(
                "spec.resourceSelectors",
                "at least one resource selector is required",
            ));
        }
        for (i, v) in sels.iter().enumerate() {
            let path = format!("spec.resourceSelectors[{i}]");
            let o = self
                .obj(v, &path)?
                .ok_or_else(|| self.err(&path, "must not be empty"))?;
            spec.resource_selectors
                .push(self.resource_selector(o, &path)?);
        }

        if let Some(pl) = self.field_obj(obj, "placement", p)? {
            spec.placement = self.placement(pl, "spec.placement")?;
        }
        if let Some(prio) = self.opt_int(obj, "priority", p)? {
            spec.priority = i32::try_from(prio)
                .map_err(|_| self.err("spec.priority", format!("out of range: {prio}")))?;
        }
        spec.preemption = self
            .enum_value(
                obj,
                "preemption",
                p,
                &[("Always", Preemption::Always), ("Never", Preemption::Never)],
            )?
            .unwrap_or_default();
        spec.conflict_resolution = self
            .enum_value(
                obj,
                "conflictResolution",
                p,
                &[
                    ("Abort", ConflictResolution::Abort),
                    ("Overwrite", ConflictResolution::Overwrite),
                ],
            )?
            .unwrap_or_default();
        spec.preserve_resources_on_deletion = self
            .opt_bool(obj, "preserveResourcesOnDeletion", p)?
            .unwrap_or(false);
        if let Some(s) = self
            .opt_str(obj, "schedulerName", p)?
            .filter(|s| !s.is_empty())
        {
            spec.scheduler_name = s;
        }
        if let Some(a) = self.field_obj(obj, "autoScaling", p)? {
            let ap = "spec.autoScaling";
            self.known(a, ap, &["ecsProvision"]);
            if self.flavor == Flavor::Karmada {
                self.warn(ap, "an ACK One field (policy.one.alibabacloud.com); kubectl-fleet honours it on Karmada policies too");
            }
            spec.auto_scaling = Some(AutoScaling {
                ecs_provision: self.opt_bool(a, "ecsProvision", ap)?.unwrap_or(false),
            });
        }
        Ok(spec)
    }

    fn resource_selector(&mut self, o: &Obj, path: &str) -> Result<ResourceSelector, PolicyError> {
        self.known(
            o,
            path,
            &["apiVersion", "kind", "namespace", "name", "labelSelector"],
        );
        let api_version = self.opt_str(o, "apiVersion", path)?.unwrap_or_default();
        let kind = self.opt_str(o, "kind", path)?.unwrap_or_default();
        if api_version.is_empty() {
            return Err(self.err(&join(path, "apiVersion"), "missing"));
        }
        if kind.is_empty() {
            return Err(self.err(&join(path, "kind"), "missing"));
        }
        let namespace = self
            .opt_str(o, "namespace", path)?
            .filter(|s| !s.is_empty());
        let name = self.opt_str(o, "name", path)?.filter(|s| !s.is_empty());
        let label_selector = match self.field_obj(o, "labelSelector", path)? {
            Some(ls) => Some(self.label_selector(ls, &join(path, "labelSelector"))?),
            None => None,
        };
        if name.is_some() && label_selector.is_some() {
            self.warn(
                &join(path, "labelSelector"),
                "ignored because name is set (Karmada semantics)",
            );
        }
        Ok(ResourceSelector {
            api_version,
            kind,
            namespace,
            name,
            label_selector,
        })
    }

    fn label_selector(&mut self, o: &Obj, path: &str) -> Result<LabelSelector, PolicyError> {
        self.known(o, path, &["matchLabels", "matchExpressions"]);
        let mut sel = LabelSelector::default();
        if let Some(ml) = self.field_obj(o, "matchLabels", path)? {
            let mp = join(path, "matchLabels");
            for (k, v) in ml {
                let value = match v {
                    Value::String(s) => s.clone(),
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    other => {
                        return Err(self.err(
                            &join(&mp, k),
                            format!("expected a string, got {}", type_name(other)),
                        ))
                    }
                };
                sel.match_labels.insert(k.clone(), value);
            }
        }
        let ep = join(path, "matchExpressions");
        for (i, v) in self.list(o, "matchExpressions", path)?.iter().enumerate() {
            let rp = format!("{ep}[{i}]");
            let r = self
                .obj(v, &rp)?
                .ok_or_else(|| self.err(&rp, "must not be empty"))?;
            self.known(r, &rp, &["key", "operator", "values"]);
            let key = self.opt_str(r, "key", &rp)?.unwrap_or_default();
            if key.is_empty() {
                return Err(self.err(&join(&rp, "key"), "missing"));
            }
            let operator = self
                .enum_value(
                    r,
                    "operator",
                    &rp,
                    &[
                        ("In", LabelOperator::In),
                        ("NotIn", LabelOperator::NotIn),
                        ("Exists", LabelOperator::Exists),
                        ("DoesNotExist", LabelOperator::DoesNotExist),
                    ],
                )?
                .ok_or_else(|| self.err(&join(&rp, "operator"), "missing"))?;
            let values = self.str_list(r, "values", &rp)?;
            match operator {
                LabelOperator::In | LabelOperator::NotIn if values.is_empty() => {
                    return Err(self.err(
                        &join(&rp, "values"),
                        "must not be empty for operator In/NotIn",
                    ));
                }
                LabelOperator::Exists | LabelOperator::DoesNotExist if !values.is_empty() => {
                    return Err(self.err(
                        &join(&rp, "values"),
                        "must be empty for operator Exists/DoesNotExist",
                    ));
                }
                _ => {}
            }
            sel.match_expressions.push(LabelRequirement {
                key,
                operator,
                values,
            });
        }
        Ok(sel)
    }

    fn field_selector(&mut self, o: &Obj, path: &str) -> Result<FieldSelector, PolicyError> {
        self.known(o, path, &["matchExpressions"]);
        let mut sel = FieldSelector::default();
        let ep = join(path, "matchExpressions");
        for (i, v) in self.list(o, "matchExpressions", path)?.iter().enumerate() {
            let rp = format!("{ep}[{i}]");
            let r = self
                .obj(v, &rp)?
                .ok_or_else(|| self.err(&rp, "must not be empty"))?;
            self.known(r, &rp, &["key", "operator", "values"]);
            let key = self
                .enum_value(
                    r,
                    "key",
                    &rp,
                    &[
                        ("provider", ClusterField::Provider),
                        ("region", ClusterField::Region),
                        ("zone", ClusterField::Zone),
                    ],
                )?
                .ok_or_else(|| self.err(&join(&rp, "key"), "missing"))?;
            let operator = self
                .enum_value(
                    r,
                    "operator",
                    &rp,
                    &[("In", FieldOperator::In), ("NotIn", FieldOperator::NotIn)],
                )?
                .ok_or_else(|| self.err(&join(&rp, "operator"), "missing"))?;
            let values = self.str_list(r, "values", &rp)?;
            if values.is_empty() {
                return Err(self.err(&join(&rp, "values"), "must not be empty"));
            }
            sel.match_expressions.push(FieldRequirement {
                key,
                operator,
                values,
            });
        }
        Ok(sel)
    }

    /// The fields shared by clusterAffinity, a clusterAffinities term, an overflow affinity and
    /// a static weight target. `extra` are additional keys the caller handles.
    fn affinity(
        &mut self,
        o: &Obj,
        path: &str,
        extra: &[&str],
    ) -> Result<ClusterAffinity, PolicyError> {
        let mut known = vec!["clusterNames", "exclude", "labelSelector", "fieldSelector"];
        known.extend_from_slice(extra);
        self.known(o, path, &known);
        let cluster_names = self.str_list(o, "clusterNames", path)?;
        let exclude = self.str_list(o, "exclude", path)?;
        let label_selector = match self.field_obj(o, "labelSelector", path)? {
            Some(ls) => Some(self.label_selector(ls, &join(path, "labelSelector"))?),
            None => None,
        };
        let field_selector = match self.field_obj(o, "fieldSelector", path)? {
            Some(fs) => Some(self.field_selector(fs, &join(path, "fieldSelector"))?),
            None => None,
        };
        Ok(ClusterAffinity {
            cluster_names,
            exclude,
            label_selector,
            field_selector,
        })
    }

    fn placement(&mut self, o: &Obj, path: &str) -> Result<Placement, PolicyError> {
        self.known(
            o,
            path,
            &[
                "clusterAffinity",
                "clusterAffinities",
                "clusterTolerations",
                "spreadConstraints",
                "replicaScheduling",
            ],
        );
        let mut pl = Placement::default();
        if let Some(a) = self.field_obj(o, "clusterAffinity", path)? {
            pl.cluster_affinity = Some(self.affinity(a, &join(path, "clusterAffinity"), &[])?);
        }
        let ap = join(path, "clusterAffinities");
        let mut names: BTreeMap<String, usize> = BTreeMap::new();
        for (i, v) in self.list(o, "clusterAffinities", path)?.iter().enumerate() {
            let tp = format!("{ap}[{i}]");
            let t = self
                .obj(v, &tp)?
                .ok_or_else(|| self.err(&tp, "must not be empty"))?;
            let affinity = self.affinity(t, &tp, &["affinityName", "overflowAffinities"])?;
            let affinity_name = self.opt_str(t, "affinityName", &tp)?.unwrap_or_default();
            if affinity_name.is_empty() {
                return Err(self.err(&join(&tp, "affinityName"), "missing"));
            }
            if let Some(prev) = names.insert(affinity_name.clone(), i) {
                return Err(self.err(
                    &join(&tp, "affinityName"),
                    format!(
                        "duplicate name {affinity_name:?} (also used by clusterAffinities[{prev}])"
                    ),
                ));
            }
            let op = join(&tp, "overflowAffinities");
            let mut overflow = Vec::new();
            for (j, ov) in self.list(t, "overflowAffinities", &tp)?.iter().enumerate() {
                let opj = format!("{op}[{j}]");
                let oo = self
                    .obj(ov, &opj)?
                    .ok_or_else(|| self.err(&opj, "must not be empty"))?;
                overflow.push(self.affinity(oo, &opj, &[])?);
            }
            if !overflow.is_empty() && affinity.is_empty() {
                return Err(self.err(&tp, "overflowAffinities needs a non-empty inline affinity (clusterNames, labelSelector or fieldSelector)"));
            }
            if !overflow.is_empty() && self.flavor == Flavor::AckOne {
                self.warn(&op, "a Karmada field; on ACK One policies each overflow affinity becomes a further priority group after this one");
            }
            pl.cluster_affinities.push(ClusterAffinityTerm {
                affinity_name,
                affinity,
                overflow_affinities: overflow,
            });
        }
        if pl.cluster_affinity.is_some() && !pl.cluster_affinities.is_empty() {
            return Err(self.err(
                &ap,
                "clusterAffinity and clusterAffinities are mutually exclusive",
            ));
        }

        let tp = join(path, "clusterTolerations");
        for (i, v) in self.list(o, "clusterTolerations", path)?.iter().enumerate() {
            let ip = format!("{tp}[{i}]");
            let t = self
                .obj(v, &ip)?
                .ok_or_else(|| self.err(&ip, "must not be empty"))?;
            pl.cluster_tolerations.push(self.toleration(t, &ip)?);
        }

        let sp = join(path, "spreadConstraints");
        for (i, v) in self.list(o, "spreadConstraints", path)?.iter().enumerate() {
            let ip = format!("{sp}[{i}]");
            let t = self
                .obj(v, &ip)?
                .ok_or_else(|| self.err(&ip, "must not be empty"))?;
            pl.spread_constraints.push(self.spread(t, &ip)?);
        }
        if pl.spread_constraints.iter().any(|s| {
            s.spread_by_field
                .is_some_and(|f| f != ClusterField::Cluster)
        }) && !pl
            .spread_constraints
            .iter()
            .any(|s| s.spread_by_field == Some(ClusterField::Cluster))
        {
            return Err(self.err(&sp, "a spreadByField other than cluster requires a spreadByField: cluster constraint as well"));
        }

        if let Some(rs) = self.field_obj(o, "replicaScheduling", path)? {
            pl.replica_scheduling =
                self.replica_scheduling(rs, &join(path, "replicaScheduling"))?;
        }
        let strategy = pl.replica_scheduling.strategy();
        let has_overflow = pl
            .cluster_affinities
            .iter()
            .any(|t| !t.overflow_affinities.is_empty());
        if has_overflow && !matches!(strategy, Strategy::DynamicWeight | Strategy::Aggregated) {
            return Err(self.err(
                &ap,
                "overflowAffinities require replicaSchedulingType Divided with dynamicWeight: AvailableReplicas or Aggregated",
            ));
        }
        Ok(pl)
    }

    fn toleration(&mut self, o: &Obj, path: &str) -> Result<Toleration, PolicyError> {
        self.known(
            o,
            path,
            &["key", "operator", "value", "effect", "tolerationSeconds"],
        );
        let key = self.opt_str(o, "key", path)?.unwrap_or_default();
        let operator = self
            .enum_value(
                o,
                "operator",
                path,
                &[
                    ("Equal", TolerationOperator::Equal),
                    ("Exists", TolerationOperator::Exists),
                ],
            )?
            .unwrap_or_default();
        let value = self.opt_str(o, "value", path)?.unwrap_or_default();
        let effect = match self.opt_str(o, "effect", path)?.as_deref() {
            None | Some("") => None,
            Some(_) => self.enum_value(
                o,
                "effect",
                path,
                &[
                    ("NoSchedule", TaintEffect::NoSchedule),
                    ("PreferNoSchedule", TaintEffect::PreferNoSchedule),
                    ("NoExecute", TaintEffect::NoExecute),
                ],
            )?,
        };
        if operator == TolerationOperator::Exists && !value.is_empty() {
            return Err(self.err(
                &join(path, "value"),
                "must be empty when operator is Exists",
            ));
        }
        if operator == TolerationOperator::Equal && key.is_empty() {
            return Err(self.err(&join(path, "key"), "required when operator is Equal"));
        }
        let toleration_seconds = self.opt_int(o, "tolerationSeconds", path)?;
        Ok(Toleration {
            key,
            operator,
            value,
            effect,
            toleration_seconds,
        })
    }

    fn spread(&mut self, o: &Obj, path: &str) -> Result<SpreadConstraint, PolicyError> {
        self.known(
            o,
            path,
            &["spreadByField", "spreadByLabel", "maxGroups", "minGroups"],
        );
        let spread_by_field = self.enum_value(
            o,
            "spreadByField",
            path,
            &[
                ("cluster", ClusterField::Cluster),
                ("region", ClusterField::Region),
                ("zone", ClusterField::Zone),
                ("provider", ClusterField::Provider),
            ],
        )?;
        let spread_by_label = self
            .opt_str(o, "spreadByLabel", path)?
            .filter(|s| !s.is_empty());
        match (&spread_by_field, &spread_by_label) {
            (Some(_), Some(_)) => {
                return Err(self.err(
                    path,
                    "spreadByField and spreadByLabel are mutually exclusive",
                ))
            }
            (None, None) => {
                return Err(self.err(path, "one of spreadByField or spreadByLabel is required"))
            }
            _ => {}
        }
        let max = self.opt_int(o, "maxGroups", path)?.unwrap_or(0);
        let min = self.opt_int(o, "minGroups", path)?.unwrap_or(1);
        if max < 0 {
            return Err(self.err(&join(path, "maxGroups"), format!("must be >= 0, got {max}")));
        }
        if min < 0 {
            return Err(self.err(&join(path, "minGroups"), format!("must be >= 0, got {min}")));
        }
        if max > 0 && min > max {
            return Err(self.err(
                &join(path, "minGroups"),
                format!("must not exceed maxGroups ({min} > {max})"),
            ));
        }
        Ok(SpreadConstraint {
            spread_by_field,
            spread_by_label,
            max_groups: u32::try_from(max).unwrap_or(u32::MAX),
            min_groups: u32::try_from(min).unwrap_or(u32::MAX),
        })
    }

    fn replica_scheduling(
        &mut self,
        o: &Obj,
        path: &str,
    ) -> Result<ReplicaScheduling, PolicyError> {
        self.known(
            o,
            path,
            &[
                "replicaSchedulingType",
                "replicaDivisionPreference",
                "weightPreference",
            ],
        );
        let mut rs = ReplicaScheduling {
            replica_scheduling_type: self
                .enum_value(
                    o,
                    "replicaSchedulingType",
                    path,
                    &[
                        ("Duplicated", SchedulingType::Duplicated),
                        ("Divided", SchedulingType::Divided),
                    ],
                )?
                .unwrap_or_default(),
            replica_division_preference: self
                .enum_value(
                    o,
                    "replicaDivisionPreference",
                    path,
                    &[
                        ("Weighted", DivisionPreference::Weighted),
                        ("Aggregated", DivisionPreference::Aggregated),
                    ],
                )?
                .unwrap_or_default(),
            weight_preference: None,
        };
        if let Some(w) = self.field_obj(o, "weightPreference", path)? {
            let wp = join(path, "weightPreference");
            self.known(w, &wp, &["staticWeightList", "dynamicWeight"]);
            let mut pref = WeightPreference {
                dynamic_weight: self.enum_value(
                    w,
                    "dynamicWeight",
                    &wp,
                    &[("AvailableReplicas", DynamicWeight::AvailableReplicas)],
                )?,
                ..Default::default()
            };
            let lp = join(&wp, "staticWeightList");
            for (i, v) in self.list(w, "staticWeightList", &wp)?.iter().enumerate() {
                let ip = format!("{lp}[{i}]");
                let e = self
                    .obj(v, &ip)?
                    .ok_or_else(|| self.err(&ip, "must not be empty"))?;
                self.known(e, &ip, &["targetCluster", "weight"]);
                let target = self
                    .field_obj(e, "targetCluster", &ip)?
                    .ok_or_else(|| self.err(&join(&ip, "targetCluster"), "missing"))?;
                let target_cluster = self.affinity(target, &join(&ip, "targetCluster"), &[])?;
                let weight = self
                    .opt_int(e, "weight", &ip)?
                    .ok_or_else(|| self.err(&join(&ip, "weight"), "missing"))?;
                if weight < 0 {
                    return Err(
                        self.err(&join(&ip, "weight"), format!("must be >= 0, got {weight}"))
                    );
                }
                pref.static_weight_list.push(StaticWeight {
                    target_cluster,
                    weight: weight as u64,
                });
            }
            if pref.dynamic_weight.is_some() && !pref.static_weight_list.is_empty() {
                self.warn(
                    &lp,
                    "ignored: dynamicWeight takes precedence over staticWeightList",
                );
            }
            rs.weight_preference = Some(pref);
        }
        if rs.replica_scheduling_type == SchedulingType::Duplicated
            && (o.contains_key("replicaDivisionPreference") || rs.weight_preference.is_some())
        {
            self.warn(
                path,
                "replicaDivisionPreference/weightPreference are ignored for Duplicated",
            );
        }
        Ok(rs)
    }
}
