//! The `rollouts.kruise.io/v1beta1` `Rollout` document, read by hand from JSON so that every
//! error names its field and every field kubectl-fleet does not use is a warning.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::RolloutError;

/// API group of the Rollout kind.
pub const GROUP: &str = "rollouts.kruise.io";

/// How many replicas a step puts on the new template, fleet-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepReplicas {
    Count(u32),
    /// Percentage of the fleet total, rounded up (Kruise rounds up), at most 100.
    Percent(u32),
}

impl StepReplicas {
    /// Replicas of the new template for a fleet total of `total` (never above `total`).
    pub fn resolve(&self, total: u32) -> u32 {
        match *self {
            StepReplicas::Count(n) => n.min(total),
            StepReplicas::Percent(p) => {
                let p = u64::from(p.min(100));
                ((u64::from(total) * p).div_ceil(100)) as u32
            }
        }
    }

    /// True for `100%`.
    pub fn is_full(&self) -> bool {
        matches!(self, StepReplicas::Percent(100))
    }
}

impl std::fmt::Display for StepReplicas {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepReplicas::Count(n) => write!(f, "{n}"),
            StepReplicas::Percent(p) => write!(f, "{p}%"),
        }
    }
}

/// What happens after a step's new pods are Ready and settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Pause {
    /// `pause: {}` (or no pause): wait for `rollout resume`.
    Manual,
    /// `pause: {duration: N}`: wait N seconds, then `reconcile` (or `resume`) continues.
    Seconds(u64),
}

/// One canary step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub replicas: StepReplicas,
    pub pause: Pause,
}

/// A parsed Rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutSpec {
    pub name: String,
    pub namespace: String,
    /// Name of the Deployment (`spec.workloadRef.name`).
    pub workload: String,
    /// The user's steps; see [`RolloutSpec::effective_steps`].
    pub steps: Vec<Step>,
    /// Member order: field `spec.strategy.canary.memberOrder: [a, b]` (a kubectl-fleet
    /// extension), else annotation `fleet.kubectl.dev/member-order: a,b`; members not named
    /// follow in the default order (lowest-priority group first). `--order` wins over both.
    #[serde(default)]
    pub member_order: Vec<String>,
    /// Seconds the new pods must stay Ready before a step counts as done.
    pub settle_seconds: u64,
    /// A new pod whose restartCount exceeds this fails the step.
    pub max_restarts: u32,
    /// `spec.disabled`.
    #[serde(default)]
    pub disabled: bool,
}

/// Default of annotation `fleet.kubectl.dev/settle-seconds`.
pub const DEFAULT_SETTLE_SECONDS: u64 = 5;
/// Default of annotation `fleet.kubectl.dev/max-restarts`.
pub const DEFAULT_MAX_RESTARTS: u32 = 2;
/// Annotation: member order.
pub const ANN_MEMBER_ORDER: &str = "fleet.kubectl.dev/member-order";
/// Annotation: settle seconds.
pub const ANN_SETTLE: &str = "fleet.kubectl.dev/settle-seconds";
/// Annotation: restart threshold.
pub const ANN_MAX_RESTARTS: &str = "fleet.kubectl.dev/max-restarts";

impl RolloutSpec {
    /// The steps as executed: the user's steps, plus a final `100%` step when the last one
    /// is below 100% (Kruise finalises to the full new template after the last step). The
    /// final step never pauses.
    pub fn effective_steps(&self) -> Vec<Step> {
        let mut steps = self.steps.clone();
        if !steps.last().is_some_and(|s| s.replicas.is_full()) {
            steps.push(Step {
                replicas: StepReplicas::Percent(100),
                pause: Pause::Seconds(0),
            });
        }
        if let Some(last) = steps.last_mut() {
            last.pause = Pause::Seconds(0);
        }
        steps
    }

    /// `namespace/name` of the Rollout.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

fn err(source: &str, path: &str, message: impl Into<String>) -> RolloutError {
    RolloutError::Field {
        source_name: source.to_string(),
        path: path.to_string(),
        message: message.into(),
    }
}

fn obj<'a>(v: &'a Value, source: &str, path: &str) -> Result<&'a Map<String, Value>, RolloutError> {
    v.as_object()
        .ok_or_else(|| err(source, path, "expected an object"))
}

fn unknown(
    o: &Map<String, Value>,
    known: &[&str],
    source: &str,
    path: &str,
    warnings: &mut Vec<String>,
) {
    for k in o.keys() {
        if !known.contains(&k.as_str()) {
            warnings.push(format!("{source}: {path}.{k}: unknown field, ignored"));
        }
    }
}

/// Parses a `Rollout` document (`apiVersion: rollouts.kruise.io/v1beta1`). Returns the spec
/// and warnings (fields needing a traffic router, unknown fields).
pub fn parse_rollout(v: &Value, source: &str) -> Result<(RolloutSpec, Vec<String>), RolloutError> {
    let mut warnings = Vec::new();
    let api_version = v["apiVersion"].as_str().unwrap_or_default();
    if api_version != format!("{GROUP}/v1beta1") {
        return Err(err(
            source,
            "apiVersion",
            format!("unsupported version {api_version:?}, expected {GROUP}/v1beta1"),
        ));
    }
    let meta = obj(&v["metadata"], source, "metadata")?;
    let name = meta
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err(source, "metadata.name", "missing"))?
        .to_string();
    let namespace = meta
        .get("namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("default")
        .to_string();
    let annotations = meta.get("annotations").and_then(Value::as_object);
    let ann = |k: &str| annotations.and_then(|a| a.get(k)).and_then(Value::as_str);
    let member_order: Vec<String> = ann(ANN_MEMBER_ORDER)
        .map(|s| {
            s.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let settle_seconds = match ann(ANN_SETTLE) {
        None => DEFAULT_SETTLE_SECONDS,
        Some(s) => s.parse().map_err(|_| {
            err(
                source,
                &format!("metadata.annotations[{ANN_SETTLE}]"),
                format!("{s:?} is not a number of seconds"),
            )
        })?,
    };
    let max_restarts = match ann(ANN_MAX_RESTARTS) {
        None => DEFAULT_MAX_RESTARTS,
        Some(s) => s.parse().map_err(|_| {
            err(
                source,
                &format!("metadata.annotations[{ANN_MAX_RESTARTS}]"),
                format!("{s:?} is not a count"),
            )
        })?,
    };
    let spec = obj(&v["spec"], source, "spec")?;
    unknown(
        spec,
        &["workloadRef", "strategy", "disabled"],
        source,
        "spec",
        &mut warnings,
    );
    let disabled = spec
        .get("disabled")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let wref = obj(
        spec.get("workloadRef").unwrap_or(&Value::Null),
        source,
        "spec.workloadRef",
    )?;
    let kind = wref.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind != "Deployment" {
        return Err(err(
            source,
            "spec.workloadRef.kind",
            format!("{kind:?}: only Deployment is supported"),
        ));
    }
    let workload = wref
        .get("name")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| err(source, "spec.workloadRef.name", "missing"))?
        .to_string();
    let strategy = obj(
        spec.get("strategy").unwrap_or(&Value::Null),
        source,
        "spec.strategy",
    )?;
    if strategy.contains_key("blueGreen") {
        return Err(err(
            source,
            "spec.strategy.blueGreen",
            "blue-green is not supported; use spec.strategy.canary",
        ));
    }
    unknown(
        strategy,
        &["canary"],
        source,
        "spec.strategy",
        &mut warnings,
    );
    let canary = obj(
        strategy.get("canary").unwrap_or(&Value::Null),
        source,
        "spec.strategy.canary",
    )?;
    for k in canary.keys() {
        match k.as_str() {
            "steps" | "enableExtraWorkloadForCanary" | "memberOrder" => {}
            "trafficRoutings" => warnings.push(format!(
                "{source}: spec.strategy.canary.trafficRoutings: accepted but not used (kubectl-fleet has no traffic router; traffic follows the pod counts)"
            )),
            _ => warnings.push(format!(
                "{source}: spec.strategy.canary.{k}: accepted but not used"
            )),
        }
    }
    // kubectl-fleet's field: `spec.strategy.canary.memberOrder` (wins over the annotation).
    let member_order = match canary.get("memberOrder") {
        None | Some(Value::Null) => member_order,
        Some(Value::Array(a)) => {
            let mut out: Vec<String> = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                let name = v.as_str().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                    err(
                        source,
                        &format!("spec.strategy.canary.memberOrder[{i}]"),
                        "expected a member name",
                    )
                })?;
                if out.iter().any(|o| o == name.trim()) {
                    return Err(err(
                        source,
                        &format!("spec.strategy.canary.memberOrder[{i}]"),
                        format!("{name:?} is named twice"),
                    ));
                }
                out.push(name.trim().to_string());
            }
            if !member_order.is_empty() && member_order != out {
                warnings.push(format!(
                    "{source}: metadata.annotations[{ANN_MEMBER_ORDER}]: ignored, spec.strategy.canary.memberOrder wins"
                ));
            }
            out
        }
        Some(_) => {
            return Err(err(
                source,
                "spec.strategy.canary.memberOrder",
                "expected a list of member names",
            ))
        }
    };
    let steps_v = canary
        .get("steps")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| err(source, "spec.strategy.canary.steps", "missing or empty"))?;
    let mut steps = Vec::with_capacity(steps_v.len());
    for (i, s) in steps_v.iter().enumerate() {
        let path = format!("spec.strategy.canary.steps[{i}]");
        let so = obj(s, source, &path)?;
        for k in so.keys() {
            match k.as_str() {
                "replicas" | "pause" => {}
                "traffic" | "matches" | "requestHeaderModifier" => warnings.push(format!(
                    "{source}: {path}.{k}: accepted but not used (needs a traffic router)"
                )),
                _ => warnings.push(format!("{source}: {path}.{k}: unknown field, ignored")),
            }
        }
        let replicas = match so.get("replicas") {
            None => return Err(err(source, &format!("{path}.replicas"), "missing")),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(n) if n <= u64::from(u32::MAX) => StepReplicas::Count(n as u32),
                _ => {
                    return Err(err(
                        source,
                        &format!("{path}.replicas"),
                        format!("{n} is not a replica count"),
                    ))
                }
            },
            Some(Value::String(s)) => {
                let p = s
                    .strip_suffix('%')
                    .and_then(|p| p.trim().parse::<u32>().ok())
                    .filter(|p| *p <= 100)
                    .ok_or_else(|| {
                        err(
                            source,
                            &format!("{path}.replicas"),
                            format!("{s:?} is not a count or a percentage 0%-100%"),
                        )
                    })?;
                StepReplicas::Percent(p)
            }
            Some(_) => {
                return Err(err(
                    source,
                    &format!("{path}.replicas"),
                    "expected a count or a percentage",
                ))
            }
        };
        let pause = match so.get("pause") {
            None | Some(Value::Null) => Pause::Manual,
            Some(p) => {
                let po = obj(p, source, &format!("{path}.pause"))?;
                unknown(
                    po,
                    &["duration"],
                    source,
                    &format!("{path}.pause"),
                    &mut warnings,
                );
                match po.get("duration") {
                    None | Some(Value::Null) => Pause::Manual,
                    Some(d) => Pause::Seconds(d.as_u64().ok_or_else(|| {
                        err(
                            source,
                            &format!("{path}.pause.duration"),
                            "expected seconds (a non-negative integer)",
                        )
                    })?),
                }
            }
        };
        steps.push(Step { replicas, pause });
    }
    // Kruise requires increasing steps; compare what can be compared without a total.
    for (i, w) in steps.windows(2).enumerate() {
        let smaller = match (w[0].replicas, w[1].replicas) {
            (StepReplicas::Count(a), StepReplicas::Count(b)) => b < a,
            (StepReplicas::Percent(a), StepReplicas::Percent(b)) => b < a,
            _ => false,
        };
        if smaller {
            return Err(err(
                source,
                &format!("spec.strategy.canary.steps[{}].replicas", i + 1),
                format!(
                    "{} is less than the previous step's {}: steps must not decrease",
                    w[1].replicas, w[0].replicas
                ),
            ));
        }
    }
    Ok((
        RolloutSpec {
            name,
            namespace,
            workload,
            steps,
            member_order,
            settle_seconds,
            max_restarts,
            disabled,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(steps: Value) -> Value {
        json!({
            "apiVersion": "rollouts.kruise.io/v1beta1",
            "kind": "Rollout",
            "metadata": {"name": "r", "namespace": "ai"},
            "spec": {
                "workloadRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "qwen"},
                "strategy": {"canary": {"steps": steps, "trafficRoutings": [{"service": "s"}]}}
            }
        })
    }

    #[test]
    fn parses_steps_and_warns_on_traffic_fields() {
        let (r, w) = parse_rollout(
            &doc(json!([
                {"replicas": 1, "traffic": "5%"},
                {"replicas": "50%", "pause": {}},
                {"replicas": "100%", "pause": {"duration": 60}}
            ])),
            "r.yaml",
        )
        .unwrap();
        assert_eq!(r.workload, "qwen");
        assert_eq!(r.namespace, "ai");
        assert_eq!(
            r.steps,
            vec![
                Step {
                    replicas: StepReplicas::Count(1),
                    pause: Pause::Manual
                },
                Step {
                    replicas: StepReplicas::Percent(50),
                    pause: Pause::Manual
                },
                Step {
                    replicas: StepReplicas::Percent(100),
                    pause: Pause::Seconds(60)
                },
            ]
        );
        assert!(w
            .iter()
            .any(|l| l.contains("trafficRoutings") && l.contains("not used")));
        assert!(w
            .iter()
            .any(|l| l.contains("steps[0].traffic") && l.contains("not used")));
        // The final 100% step never pauses; no extra step is added.
        let eff = r.effective_steps();
        assert_eq!(eff.len(), 3);
        assert_eq!(eff[2].pause, Pause::Seconds(0));
    }

    #[test]
    fn a_final_full_step_is_added() {
        let (r, _) = parse_rollout(&doc(json!([{"replicas": "50%", "pause": {}}])), "r").unwrap();
        let eff = r.effective_steps();
        assert_eq!(eff.len(), 2);
        assert_eq!(eff[0].pause, Pause::Manual);
        assert!(eff[1].replicas.is_full());
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse_rollout(&doc(json!([{"replicas": "150%"}])), "r.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.yaml: spec.strategy.canary.steps[0].replicas: \"150%\" is not a count or a percentage 0%-100%"
        );
        let e = parse_rollout(
            &doc(json!([{"replicas": "50%"}, {"replicas": "20%"}])),
            "r.yaml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("steps[1].replicas"), "{e}");
        let e = parse_rollout(&doc(json!([{"pause": {}}])), "r.yaml").unwrap_err();
        assert!(e.to_string().contains("steps[0].replicas: missing"), "{e}");
        let mut d = doc(json!([{"replicas": 1}]));
        d["spec"]["workloadRef"]["kind"] = json!("StatefulSet");
        let e = parse_rollout(&d, "r.yaml").unwrap_err();
        assert!(e.to_string().contains("spec.workloadRef.kind"), "{e}");
    }

    #[test]
    fn member_order_field_wins_over_the_annotation() {
        let mut d = doc(json!([{"replicas": 1}]));
        d["metadata"]["annotations"] = json!({ANN_MEMBER_ORDER: "c, a"});
        let (r, w) = parse_rollout(&d, "r.yaml").unwrap();
        assert_eq!(r.member_order, vec!["c".to_string(), "a".to_string()]);
        assert!(!w.iter().any(|l| l.contains("memberOrder")), "{w:?}");
        d["spec"]["strategy"]["canary"]["memberOrder"] = json!(["b", "c"]);
        let (r, w) = parse_rollout(&d, "r.yaml").unwrap();
        assert_eq!(r.member_order, vec!["b".to_string(), "c".to_string()]);
        assert!(
            w.iter()
                .any(|l| l.contains("member-order") && l.contains("memberOrder wins")),
            "{w:?}"
        );
        d["spec"]["strategy"]["canary"]["memberOrder"] = json!(["b", "b"]);
        let e = parse_rollout(&d, "r.yaml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "r.yaml: spec.strategy.canary.memberOrder[1]: \"b\" is named twice"
        );
        d["spec"]["strategy"]["canary"]["memberOrder"] = json!("b,c");
        let e = parse_rollout(&d, "r.yaml").unwrap_err();
        assert!(
            e.to_string().contains("expected a list of member names"),
            "{e}"
        );
    }

    #[test]
    fn percent_rounds_up_and_counts_clamp() {
        assert_eq!(StepReplicas::Percent(50).resolve(5), 3);
        assert_eq!(StepReplicas::Percent(20).resolve(4), 1);
        assert_eq!(StepReplicas::Percent(0).resolve(4), 0);
        assert_eq!(StepReplicas::Count(9).resolve(4), 4);
    }
}
