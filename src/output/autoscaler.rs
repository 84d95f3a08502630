//! `get hpa`: fleet autoscalers as kubectl prints HorizontalPodAutoscalers. The table has
//! kubectl's columns (NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, TARGETS like
//! `cpu: 62%/50%`), `-M` adds one row per member with its own Ready pods and metric values;
//! `-o json|yaml` prints the autoscaler as the `autoscaling/v2` HorizontalPodAutoscaler (or
//! Karmada FederatedHPA) it was written as, with the fleet-wide `status`.

use serde_json::{json, Map, Value};

use super::age::age;
use super::table::{Cell, Table};
use super::Paint;
use crate::autoscale::{
    AutoscalerKind, AutoscalerSpec, MetricSpec, MetricStatus, MetricTarget, Millis,
};
use crate::capacity::quantity::{format_count, format_quantity};
use crate::fleet::autoscale::{AutoscalerView, MemberMetrics, StoredAutoscaler};

/// Annotation on `-o yaml|json` objects: the members holding a copy.
pub const ANN_MEMBERS: &str = "fleet.kubectl.dev/members";

/// How many metrics TARGETS shows before `+ N more...` (kubectl's limit; `-o wide` shows all).
const MAX_TARGETS: usize = 2;

/// `resource.group/name` of `-o name`.
pub fn resource_name(kind: AutoscalerKind) -> (&'static str, &'static str) {
    match kind {
        AutoscalerKind::FederatedHpa => ("federatedhpa", "autoscaling.karmada.io"),
        AutoscalerKind::HorizontalPodAutoscaler => ("horizontalpodautoscaler", "autoscaling"),
    }
}

/// `resource.group` as kubectl names it in messages (`horizontalpodautoscaler.autoscaling`).
pub fn qualified_resource(kind: AutoscalerKind) -> &'static str {
    match kind {
        AutoscalerKind::FederatedHpa => "federatedhpa.autoscaling.karmada.io",
        AutoscalerKind::HorizontalPodAutoscaler => "horizontalpodautoscaler.autoscaling",
    }
}

fn metric_unit(m: &MetricSpec) -> &str {
    match m {
        MetricSpec::Resource { name, .. } | MetricSpec::ContainerResource { name, .. } => name,
        _ => "",
    }
}

/// A metric value (milli) as a Kubernetes quantity: bytes for memory-like resources, the
/// canonical decimal form otherwise (`250m`, `30`, `2k`, `1500`).
fn quantity(m: &MetricSpec, milli: i64) -> String {
    match metric_unit(m) {
        "" => decimal(milli),
        r => format_quantity(r, milli),
    }
}

/// The canonical DecimalSI form of a quantity given in milli-units.
pub fn decimal(milli: i64) -> String {
    if milli % 1000 != 0 || milli == 0 {
        return format_count(milli);
    }
    let mut units = milli / 1000;
    let mut suffix = "";
    for s in ["k", "M", "G", "T", "P", "E"] {
        if units % 1000 != 0 {
            break;
        }
        units /= 1000;
        suffix = s;
    }
    format!("{units}{suffix}")
}

/// One TARGETS entry: `cpu: 62%/50%`, `memory: 512Mi/1Gi`, `rps: 900/2k`,
/// `queue: 20/30 (avg)`; `<unknown>` without a current value.
pub fn target_text(m: &MetricSpec, current: Option<&MetricStatus>) -> String {
    let unknown = || "<unknown>".to_string();
    let (cur, target) = match *m.target() {
        MetricTarget::Utilization(p) => (
            current
                .and_then(|c| c.average_utilization)
                .map(|u| format!("{u}%"))
                .unwrap_or_else(unknown),
            format!("{p}%"),
        ),
        MetricTarget::AverageValue(v) | MetricTarget::Value(v) => (
            current
                .and_then(|c| c.value)
                .map(|x| quantity(m, x))
                .unwrap_or_else(unknown),
            quantity(m, v),
        ),
    };
    let avg = match (m, m.target()) {
        (
            MetricSpec::Object { .. } | MetricSpec::External { .. },
            MetricTarget::AverageValue(_),
        ) => " (avg)",
        _ => "",
    };
    format!("{}: {cur}/{target}{avg}", m.name())
}

/// The TARGETS cell: every metric (with `wide`) or the first two and `+ N more...`.
pub fn targets(spec: &AutoscalerSpec, current: &[Option<MetricStatus>], wide: bool) -> String {
    if spec.metrics.is_empty() {
        return "<none>".into();
    }
    let all: Vec<String> = spec
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| target_text(m, current.get(i).and_then(Option::as_ref)))
        .collect();
    if wide || all.len() <= MAX_TARGETS {
        return all.join(", ");
    }
    format!(
        "{} + {} more...",
        all[..MAX_TARGETS].join(", "),
        all.len() - MAX_TARGETS
    )
}

/// The fleet-wide current value of each metric (a metric without a value in the state is
/// unknown).
fn fleet_current(a: &StoredAutoscaler) -> Vec<Option<MetricStatus>> {
    a.spec
        .metrics
        .iter()
        .enumerate()
        .map(|(i, _)| {
            a.state
                .current_metrics
                .get(i)
                .copied()
                .filter(|s| s.value.is_some() || s.average_utilization.is_some())
        })
        .collect()
}

/// The `get hpa` table.
pub fn render_table(items: &[AutoscalerView], members: bool, wide: bool, all_ns: bool) -> Table {
    let mut headers: Vec<&str> = Vec::new();
    if all_ns {
        headers.push("NAMESPACE");
    }
    headers.push("NAME");
    if members {
        headers.push("CLUSTER");
    }
    headers.extend([
        "REFERENCE",
        "TARGETS",
        "MINPODS",
        "MAXPODS",
        "REPLICAS",
        "AGE",
    ]);
    let mut t = Table::new(headers);
    for item in items {
        let a = &item.stored;
        let spec = &a.spec;
        let prefix = |cells: &mut Vec<Cell>| {
            if all_ns {
                cells.push(spec.namespace.as_str().into());
            }
            cells.push(spec.name.as_str().into());
        };
        let reference = format!("Deployment/{}", spec.target);
        if members {
            for m in &item.members {
                let mut cells = Vec::new();
                prefix(&mut cells);
                cells.push(m.member.as_str().into());
                cells.push(reference.as_str().into());
                cells.push(member_targets(spec, m, wide));
                cells.push("-".into());
                cells.push("-".into());
                cells.push(if m.unreachable {
                    Cell::from("-")
                } else {
                    m.ready.to_string().into()
                });
                cells.push("".into());
                t.row(cells);
            }
        }
        let mut cells = Vec::new();
        prefix(&mut cells);
        if members {
            cells.push(Cell::painted("(fleet)", Paint::Bold));
        }
        cells.push(reference.into());
        cells.push(targets(spec, &fleet_current(a), wide).into());
        cells.push(spec.min_replicas.to_string().into());
        cells.push(spec.max_replicas.to_string().into());
        cells.push(a.state.current_replicas.to_string().into());
        cells.push(age(a.created.as_ref().map(|t| &t.0)).into());
        t.row(cells);
    }
    t
}

/// A member row's TARGETS: its own values, or `Unreachable` / `NoMetrics`.
fn member_targets(spec: &AutoscalerSpec, m: &MemberMetrics, wide: bool) -> Cell {
    if m.unreachable {
        return Cell::painted("Unreachable", Paint::Bad);
    }
    if m.left_out.is_some() {
        return Cell::painted("NoMetrics", Paint::Warn);
    }
    targets(spec, &m.values, wide).into()
}

fn rfc3339(ms: Millis) -> Option<String> {
    k8s_openapi::jiff::Timestamp::from_second(ms.div_euclid(1000))
        .ok()
        .map(|t| t.to_string())
}

/// One `currentMetrics` entry of the autoscaling/v2 status.
fn current_metric(m: &MetricSpec, s: &MetricStatus) -> Value {
    let mut current = Map::new();
    if let Some(u) = s.average_utilization {
        current.insert("averageUtilization".into(), json!(u));
    }
    if let Some(v) = s.value {
        let key = match (m, m.target()) {
            (MetricSpec::Object { .. } | MetricSpec::External { .. }, MetricTarget::Value(_)) => {
                "value"
            }
            _ => "averageValue",
        };
        current.insert(key.into(), json!(quantity(m, v)));
    }
    let current = Value::Object(current);
    match m {
        MetricSpec::Resource { name, .. } => {
            json!({"type": "Resource", "resource": {"name": name, "current": current}})
        }
        MetricSpec::ContainerResource {
            name, container, ..
        } => {
            json!({"type": "ContainerResource", "containerResource": {"name": name, "container": container, "current": current}})
        }
        MetricSpec::Pods { metric, .. } => {
            json!({"type": "Pods", "pods": {"metric": metric_id(metric), "current": current}})
        }
        MetricSpec::Object {
            described_object,
            metric,
            ..
        } => json!({"type": "Object", "object": {
            "describedObject": {"apiVersion": described_object.api_version, "kind": described_object.kind, "name": described_object.name},
            "metric": metric_id(metric),
            "current": current,
        }}),
        MetricSpec::External { metric, .. } => {
            json!({"type": "External", "external": {"metric": metric_id(metric), "current": current}})
        }
    }
}

fn metric_id(m: &crate::autoscale::MetricIdentifier) -> Value {
    let mut v = json!({"name": m.name});
    if let Some(sel) = &m.selector {
        let labels: Map<String, Value> = sel
            .split(',')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        v["selector"] = json!({"matchLabels": labels});
    }
    v
}

/// The autoscaler as the object it was written as (`autoscaling/v2` HorizontalPodAutoscaler
/// or `autoscaling.karmada.io/v1alpha1` FederatedHPA), spec defaults filled in like the API
/// server's (minReplicas 1, cpu at 80%), with the fleet-wide `status`.
pub fn object(a: &StoredAutoscaler) -> Value {
    let spec = &a.spec;
    let mut doc = a.document.clone();
    doc["apiVersion"] = json!(spec.kind.api_version());
    doc["kind"] = json!(spec.kind.kind());
    if !doc["metadata"].is_object() {
        doc["metadata"] = json!({});
    }
    doc["metadata"]["name"] = json!(spec.name);
    doc["metadata"]["namespace"] = json!(spec.namespace);
    if let Some(c) = &a.created {
        doc["metadata"]["creationTimestamp"] = json!(c.0.to_string());
    }
    let mut members = a.members.clone();
    members.sort();
    doc["metadata"]["annotations"] = json!({ ANN_MEMBERS: members.join(",") });
    if !doc["spec"].is_object() {
        doc["spec"] = json!({});
    }
    if doc["spec"].get("minReplicas").is_none() {
        doc["spec"]["minReplicas"] = json!(spec.min_replicas);
    }
    if doc["spec"]
        .get("metrics")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        doc["spec"]["metrics"] = json!([{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]);
    }
    let st = &a.state;
    let mut status = Map::new();
    status.insert("currentReplicas".into(), json!(st.current_replicas));
    status.insert("desiredReplicas".into(), json!(st.desired_replicas));
    if let Some(t) = st.last_scale_time.and_then(rfc3339) {
        status.insert("lastScaleTime".into(), json!(t));
    }
    let current: Vec<Value> = spec
        .metrics
        .iter()
        .zip(fleet_current(a))
        .filter_map(|(m, s)| s.map(|s| current_metric(m, &s)))
        .collect();
    if !current.is_empty() {
        status.insert("currentMetrics".into(), json!(current));
    }
    if !st.conditions.is_empty() {
        let conditions: Vec<Value> = st
            .conditions
            .iter()
            .map(|c| {
                json!({
                    "type": c.type_,
                    "status": c.status,
                    "reason": c.reason,
                    "message": c.message,
                    "lastTransitionTime": rfc3339(c.last_transition_time),
                })
            })
            .collect();
        status.insert("conditions".into(), json!(conditions));
    }
    doc["status"] = Value::Object(status);
    doc
}

/// One metric line of `describe hpa`, like kubectl's: (label, `current / target`).
fn describe_metric(m: &MetricSpec, current: Option<&MetricStatus>) -> (String, String) {
    let unknown = || "<unknown>".to_string();
    let cur_value = || current.and_then(|c| c.value).map(|v| quantity(m, v));
    match (m, *m.target()) {
        (
            MetricSpec::Resource { name, .. } | MetricSpec::ContainerResource { name, .. },
            MetricTarget::Utilization(p),
        ) => {
            let of = match m {
                MetricSpec::ContainerResource { container, .. } => {
                    format!("resource {name} of container \"{container}\" on pods")
                }
                _ => format!("resource {name} on pods"),
            };
            let cur = match (current.and_then(|c| c.average_utilization), cur_value()) {
                (Some(u), Some(v)) => format!("{u}% ({v})"),
                (Some(u), None) => format!("{u}%"),
                _ => unknown(),
            };
            (
                format!("{of}  (as a percentage of request):"),
                format!("{cur} / {p}%"),
            )
        }
        (
            MetricSpec::Resource { name, .. },
            MetricTarget::AverageValue(t) | MetricTarget::Value(t),
        ) => (
            format!("resource {name} on pods:"),
            format!(
                "{} / {}",
                cur_value().unwrap_or_else(unknown),
                quantity(m, t)
            ),
        ),
        (
            MetricSpec::ContainerResource {
                name, container, ..
            },
            MetricTarget::AverageValue(t) | MetricTarget::Value(t),
        ) => (
            format!("resource {name} of container \"{container}\" on pods:"),
            format!(
                "{} / {}",
                cur_value().unwrap_or_else(unknown),
                quantity(m, t)
            ),
        ),
        (MetricSpec::Pods { metric, .. }, t) => (
            format!("\"{}\" on pods:", metric.name),
            format!(
                "{} / {}",
                cur_value().unwrap_or_else(unknown),
                decimal(target_value(t))
            ),
        ),
        (
            MetricSpec::Object {
                described_object,
                metric,
                ..
            },
            t,
        ) => (
            format!(
                "\"{}\" on {}/{} ({}):",
                metric.name,
                described_object.kind,
                described_object.name,
                target_kind(t)
            ),
            format!(
                "{} / {}",
                cur_value().unwrap_or_else(unknown),
                decimal(target_value(t))
            ),
        ),
        (MetricSpec::External { metric, .. }, t) => (
            format!("\"{}\" ({}):", metric.name, target_kind(t)),
            format!(
                "{} / {}",
                cur_value().unwrap_or_else(unknown),
                decimal(target_value(t))
            ),
        ),
    }
}

fn target_value(t: MetricTarget) -> i64 {
    match t {
        MetricTarget::AverageValue(v) | MetricTarget::Value(v) => v,
        MetricTarget::Utilization(p) => i64::from(p) * 1000,
    }
}

fn target_kind(t: MetricTarget) -> &'static str {
    match t {
        MetricTarget::AverageValue(_) => "target average value",
        _ => "target value",
    }
}

fn rules_lines(out: &mut String, title: &str, r: &crate::autoscale::ResolvedRules) {
    out.push_str(&format!("  {title}:\n"));
    out.push_str(&format!(
        "    Stabilization Window: {} seconds\n",
        r.stabilization_window_seconds
    ));
    out.push_str(&format!("    Select Policy: {}\n", r.select_policy));
    out.push_str("    Policies:\n");
    for p in &r.policies {
        let kind = match p.kind {
            crate::autoscale::PolicyKind::Pods => "Pods",
            crate::autoscale::PolicyKind::Percent => "Percent",
        };
        out.push_str(&format!(
            "      - Type: {kind:<7}  Value: {:<3}  Period: {} seconds\n",
            p.value, p.period_seconds
        ));
    }
}

/// `describe hpa/NAME`: kubectl describe's layout for an HPA (metrics `( current / target )`,
/// min/max, behavior, `Deployment pods: N current / M desired`, conditions), plus each
/// member's own Ready pods and values (`Members:`) and the members the last evaluation left
/// out. The autoscaler's events are not stored, so there is no `Events:` section.
pub fn render_describe(item: &AutoscalerView) -> String {
    let a = &item.stored;
    let spec = &a.spec;
    let current = fleet_current(a);
    let metrics: Vec<(String, String)> = spec
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| describe_metric(m, current.get(i).and_then(Option::as_ref)))
        .collect();
    let labels = a.document["metadata"]["labels"]
        .as_object()
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_else(|| "<none>".into());
    let created = a
        .created
        .as_ref()
        .map(|t| super::describe::kubectl_time(t.0))
        .unwrap_or_else(|| "<unknown>".into());
    let mut top: Vec<(String, String)> = vec![
        ("Name:".into(), spec.name.clone()),
        ("Namespace:".into(), spec.namespace.clone()),
        (
            "Kind:".into(),
            format!("{} ({})", spec.kind.kind(), spec.kind.api_version()),
        ),
        ("Labels:".into(), labels),
        ("CreationTimestamp:".into(), created),
        ("Reference:".into(), format!("Deployment/{}", spec.target)),
        ("Metrics:".into(), "( current / target )".into()),
    ];
    top.extend(metrics.into_iter().map(|(k, v)| (format!("  {k}"), v)));
    top.push(("Min replicas:".into(), spec.min_replicas.to_string()));
    top.push(("Max replicas:".into(), spec.max_replicas.to_string()));
    let width = top.iter().map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let mut out = String::new();
    for (k, v) in &top {
        out.push_str(&format!("{k:<width$}{v}\n"));
    }
    if let Some(b) = &spec.behavior {
        let r = b.resolved(
            crate::autoscale::ControllerConfig::default().downscale_stabilization_seconds,
        );
        out.push_str("Behavior:\n");
        rules_lines(&mut out, "Scale Up", &r.scale_up);
        rules_lines(&mut out, "Scale Down", &r.scale_down);
    }
    let st = &a.state;
    out.push_str(&format!(
        "{:<width$}{} current / {} desired\n",
        "Deployment pods:", st.current_replicas, st.desired_replicas
    ));
    if st.conditions.is_empty() {
        out.push_str(&format!("{:<width$}<none>\n", "Conditions:"));
    } else {
        out.push_str("Conditions:\n");
        let mut t = Table::new_verbatim(["  Type", "Status", "Reason", "Message"]);
        t.row(["  ----", "------", "------", "-------"]);
        for c in &st.conditions {
            t.row([
                format!("  {}", c.type_),
                c.status.clone(),
                c.reason.clone(),
                c.message.clone(),
            ]);
        }
        out.push_str(&t.render_plain());
    }
    if !item.members.is_empty() {
        out.push_str("Members:\n");
        let mut t = Table::new_verbatim(["  Cluster", "Ready", "Metrics"]);
        t.row(["  -------", "-----", "-------"]);
        for m in &item.members {
            let metrics = if m.unreachable {
                let why = m.left_out.as_deref().unwrap_or_default();
                format!(
                    "Unreachable: {}",
                    why.strip_prefix("unreachable: ").unwrap_or(why)
                )
            } else if let Some(why) = &m.left_out {
                format!("NoMetrics: {why}")
            } else {
                targets(spec, &m.values, true)
            };
            let ready = if m.unreachable {
                "-".to_string()
            } else {
                m.ready.to_string()
            };
            t.row([format!("  {}", m.member), ready, metrics]);
        }
        out.push_str(&t.render_plain());
    }
    if !st.partial.is_empty() {
        out.push_str("Left out of the last evaluation:\n");
        for (m, why) in &st.partial {
            out.push_str(&format!("  {m}: {why}\n"));
        }
    }
    if item.events.is_empty() {
        out.push_str(&format!("{:<width$}<none>\n", "Events:"));
    } else {
        // kubectl describe's events table, with the member that holds each event.
        out.push_str("Events:\n");
        let mut t = Table::new_verbatim(["  Type", "Reason", "Age", "Cluster", "From", "Message"]);
        t.row(["  ----", "------", "---", "-------", "----", "-------"]);
        for e in &item.events {
            t.row([
                format!("  {}", e.type_),
                e.reason.clone(),
                age(e.last_seen.as_ref()),
                e.cluster.clone(),
                e.source.clone(),
                e.message.clone(),
            ]);
        }
        out.push_str(&t.render_plain());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::autoscale::{AutoscalerState, Condition, MetricIdentifier, ObjectRef};

    fn spec(metrics: Vec<MetricSpec>) -> AutoscalerSpec {
        AutoscalerSpec {
            kind: AutoscalerKind::HorizontalPodAutoscaler,
            name: "web".into(),
            namespace: "default".into(),
            target: "web".into(),
            min_replicas: 2,
            max_replicas: 10,
            metrics,
            behavior: None,
        }
    }

    fn cpu(p: i32) -> MetricSpec {
        MetricSpec::Resource {
            name: "cpu".into(),
            target: MetricTarget::Utilization(p),
        }
    }

    fn stored(metrics: Vec<MetricSpec>, state: AutoscalerState) -> StoredAutoscaler {
        StoredAutoscaler {
            spec: spec(metrics),
            document: json!({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                "metadata": {"name": "web", "namespace": "default"},
                "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 10}}),
            state,
            revision: 1,
            state_revision: 1,
            created: None,
            members: vec!["c2".into(), "c1".into()],
            versions: Default::default(),
        }
    }

    #[test]
    fn member_rows_show_their_own_values_or_why_not() {
        let state = AutoscalerState {
            current_replicas: 4,
            current_metrics: vec![MetricStatus {
                average_utilization: Some(75),
                value: Some(375),
            }],
            ..Default::default()
        };
        let view = AutoscalerView {
            stored: stored(vec![cpu(50)], state),
            members: vec![
                MemberMetrics {
                    member: "c1".into(),
                    replicas: Some(3),
                    ready: 3,
                    values: vec![Some(MetricStatus {
                        average_utilization: Some(90),
                        value: Some(450),
                    })],
                    ..Default::default()
                },
                MemberMetrics {
                    member: "c2".into(),
                    replicas: Some(1),
                    ready: 1,
                    values: vec![None],
                    left_out: Some("no resource metrics: 404".into()),
                    ..Default::default()
                },
                MemberMetrics {
                    member: "c3".into(),
                    unreachable: true,
                    left_out: Some("unreachable: connection refused".into()),
                    ..Default::default()
                },
            ],
            events: Vec::new(),
        };
        let text = render_table(std::slice::from_ref(&view), true, false, false).render_plain();
        insta::assert_snapshot!(text);
        let rows: Vec<Vec<&str>> = text
            .lines()
            .map(|l| l.split_whitespace().collect())
            .collect();
        assert_eq!(
            rows[1][..6],
            ["web", "c1", "Deployment/web", "cpu:", "90%/50%", "-"]
        );
        assert_eq!(rows[2][3], "NoMetrics");
        assert_eq!(rows[3][3], "Unreachable");
        assert_eq!(
            rows[4][..8],
            [
                "web",
                "(fleet)",
                "Deployment/web",
                "cpu:",
                "75%/50%",
                "2",
                "10",
                "4"
            ]
        );
        let plain = render_table(&[view], false, false, true).render_plain();
        assert!(plain.starts_with("NAMESPACE   NAME"), "{plain}");
        assert_eq!(plain.lines().count(), 2, "{plain}");
    }

    #[test]
    fn describe_is_kubectl_describe_hpa_plus_members() {
        let mut state = AutoscalerState {
            current_replicas: 4,
            desired_replicas: 6,
            current_metrics: vec![
                MetricStatus {
                    average_utilization: Some(75),
                    value: Some(375),
                },
                MetricStatus {
                    average_utilization: None,
                    value: Some(30_000),
                },
            ],
            partial: vec![("c3".into(), "unreachable: connection refused".into())],
            ..Default::default()
        };
        state.conditions.push(Condition {
            type_: "AbleToScale".into(),
            status: "True".into(),
            reason: "SucceededRescale".into(),
            message: "the HPA controller was able to update the target scale to 6".into(),
            last_transition_time: 0,
        });
        let queue = MetricSpec::External {
            metric: MetricIdentifier {
                name: "queue".into(),
                selector: None,
            },
            target: MetricTarget::AverageValue(10_000),
        };
        let mut a = stored(vec![cpu(50), queue], state);
        a.spec.behavior = Some(crate::autoscale::Behavior::default());
        let view = AutoscalerView {
            stored: a,
            members: vec![
                MemberMetrics {
                    member: "c1".into(),
                    ready: 4,
                    values: vec![
                        Some(MetricStatus {
                            average_utilization: Some(75),
                            value: Some(375),
                        }),
                        None,
                    ],
                    ..Default::default()
                },
                MemberMetrics {
                    member: "c3".into(),
                    unreachable: true,
                    left_out: Some("unreachable: connection refused".into()),
                    ..Default::default()
                },
            ],
            events: vec![crate::fleet::EventRow {
                cluster: "c1".into(),
                namespace: "default".into(),
                last_seen: None,
                type_: "Normal".into(),
                reason: "SuccessfulRescale".into(),
                object: "deployment/web".into(),
                message: "New size: 6; reason: cpu resource utilization (percentage of request) above target".into(),
                count: 1,
                source: "kubectl-fleet".into(),
                event: Box::default(),
            }],
        };
        let text = render_describe(&view);
        insta::assert_snapshot!(text);
        assert!(
            text.contains(
                "  resource cpu on pods  (as a percentage of request):  75% (375m) / 50%"
            ),
            "{text}"
        );
        assert!(text.contains("\"queue\" (target average value):"), "{text}");
        assert!(text.contains("Deployment pods:"), "{text}");
    }

    proptest::proptest! {
        /// A metric value printed in TARGETS or status reads back as the same quantity.
        #[test]
        fn decimal_quantities_read_back(milli in -10_000_000_000_000i64..10_000_000_000_000) {
            let text = decimal(milli);
            proptest::prop_assert_eq!(
                crate::capacity::quantity::parse_quantity(&text).ok(),
                Some(milli),
                "{}", text
            );
        }
    }

    #[test]
    fn targets_are_kubectl_like() {
        let s = spec(vec![
            cpu(50),
            MetricSpec::Resource {
                name: "memory".into(),
                target: MetricTarget::AverageValue((1i64 << 30) * 1000),
            },
            MetricSpec::External {
                metric: MetricIdentifier {
                    name: "queue".into(),
                    selector: None,
                },
                target: MetricTarget::AverageValue(30_000),
            },
        ]);
        let cur = vec![
            Some(MetricStatus {
                average_utilization: Some(62),
                value: Some(310),
            }),
            Some(MetricStatus {
                average_utilization: None,
                value: Some((512i64 << 20) * 1000),
            }),
            None,
        ];
        assert_eq!(
            targets(&s, &cur, true),
            "cpu: 62%/50%, memory: 512Mi/1Gi, queue: <unknown>/30 (avg)"
        );
        assert_eq!(
            targets(&s, &cur, false),
            "cpu: 62%/50%, memory: 512Mi/1Gi + 1 more..."
        );
        assert_eq!(
            targets(&spec(vec![cpu(80)]), &[], false),
            "cpu: <unknown>/80%"
        );
        assert_eq!(decimal(2_000_000), "2k");
        assert_eq!(decimal(1_500_000), "1500");
        assert_eq!(decimal(250), "250m");
        assert_eq!(decimal(0), "0");
    }

    #[test]
    fn object_is_an_autoscaling_v2_hpa_with_status() {
        let mut state = AutoscalerState {
            current_replicas: 3,
            desired_replicas: 5,
            last_scale_time: Some(1_700_000_000_500),
            current_metrics: vec![
                MetricStatus {
                    average_utilization: Some(90),
                    value: Some(450),
                },
                MetricStatus {
                    average_utilization: None,
                    value: Some(2_000_000),
                },
            ],
            ..Default::default()
        };
        state.conditions.push(Condition {
            type_: "AbleToScale".into(),
            status: "True".into(),
            reason: "SucceededRescale".into(),
            message: "m".into(),
            last_transition_time: 1_700_000_000_000,
        });
        let obj = MetricSpec::Object {
            described_object: ObjectRef {
                api_version: "networking.k8s.io/v1".into(),
                kind: "Ingress".into(),
                name: "main".into(),
            },
            metric: MetricIdentifier {
                name: "rps".into(),
                selector: None,
            },
            target: MetricTarget::Value(1_000_000),
        };
        let o = object(&stored(vec![cpu(50), obj], state));
        assert_eq!(o["apiVersion"], "autoscaling/v2");
        assert_eq!(o["kind"], "HorizontalPodAutoscaler");
        assert_eq!(o["metadata"]["annotations"][ANN_MEMBERS], "c1,c2");
        assert_eq!(o["spec"]["minReplicas"], 2);
        assert_eq!(o["status"]["currentReplicas"], 3);
        assert_eq!(o["status"]["desiredReplicas"], 5);
        assert_eq!(o["status"]["lastScaleTime"], "2023-11-14T22:13:20Z");
        let cm = &o["status"]["currentMetrics"];
        assert_eq!(cm[0]["resource"]["current"]["averageUtilization"], 90);
        assert_eq!(cm[0]["resource"]["current"]["averageValue"], "450m");
        assert_eq!(cm[1]["type"], "Object");
        assert_eq!(cm[1]["object"]["current"]["value"], "2k");
        assert_eq!(o["status"]["conditions"][0]["reason"], "SucceededRescale");
        assert_eq!(
            o["status"]["conditions"][0]["lastTransitionTime"],
            "2023-11-14T22:13:20Z"
        );
        // No metrics written: the API server's default (cpu at 80%) is shown.
        let mut a = stored(vec![cpu(80)], AutoscalerState::default());
        a.spec.kind = AutoscalerKind::FederatedHpa;
        let o = object(&a);
        assert_eq!(o["kind"], "FederatedHPA");
        assert_eq!(
            o["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"],
            80
        );
        assert!(o["status"].get("currentMetrics").is_none());
    }
}
