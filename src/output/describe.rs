//! `describe deploy/NAME` in kubectl describe's layout: `Key:  value` lines aligned on one
//! column, nested sections indented by two spaces, and kubectl's dashed sub-tables
//! (`Conditions:`, `Events:`) — with a `Cluster` column, since the copies live on several
//! members.

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Container;
use k8s_openapi::jiff::{tz::TimeZone, Timestamp};

use super::age::human_duration;
use super::Styler;
use crate::fleet::describe::DeploymentDescription;
use crate::rollout::Phase;

/// Column where values start in the top-level `Key:` lines (kubectl uses 24).
const KEY_WIDTH: usize = 24;

/// The whole description; `now` makes ages reproducible.
pub fn render_deployment(d: &DeploymentDescription, now: Timestamp, styler: &Styler) -> String {
    let mut out = String::new();
    let first = d.copies.first().map(|c| &*c.object);
    kv(&mut out, "Name:", &d.name);
    kv(&mut out, "Namespace:", &d.namespace);
    let created = d
        .totals
        .as_ref()
        .and_then(|t| t.created)
        .map(kubectl_time)
        .unwrap_or_else(|| "<unknown>".into());
    kv(&mut out, "CreationTimestamp:", &created);
    if let Some(obj) = first {
        map_lines(&mut out, "Labels:", obj.metadata.labels.as_ref(), KEY_WIDTH);
        let user: std::collections::BTreeMap<String, String> = obj
            .metadata
            .annotations
            .clone()
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| !k.starts_with("fleet.kubectl.dev/"))
            .collect();
        map_lines(&mut out, "Annotations:", Some(&user), KEY_WIDTH);
        kv(&mut out, "Selector:", &selector(obj));
    }
    if let Some(t) = &d.totals {
        let unavailable = (t.replicas as i32 - t.available).max(0);
        kv(
            &mut out,
            "Replicas:",
            &format!(
                "{} desired (fleet) | {} updated | {} total | {} available | {} unavailable",
                t.replicas, t.up_to_date, t.desired, t.available, unavailable
            ),
        );
    }
    if let Some(obj) = first {
        strategy(&mut out, obj);
        pod_template(&mut out, obj);
    }
    policy(&mut out, d);
    plan(&mut out, d, styler);
    rollout(&mut out, d);
    members(&mut out, d, now);
    conditions(&mut out, d);
    events(&mut out, d, now);
    out
}

fn kv(out: &mut String, key: &str, value: &str) {
    kv_at(out, "", key, value, KEY_WIDTH);
}

fn kv_at(out: &mut String, indent: &str, key: &str, value: &str, width: usize) {
    let pad = width.saturating_sub(indent.len() + key.len()).max(1);
    out.push_str(&format!("{indent}{key}{}{value}\n", " ".repeat(pad)));
}

fn map_lines(
    out: &mut String,
    key: &str,
    map: Option<&std::collections::BTreeMap<String, String>>,
    width: usize,
) {
    match map.filter(|m| !m.is_empty()) {
        None => kv_at(out, "", key, "<none>", width),
        Some(m) => {
            for (i, (k, v)) in m.iter().enumerate() {
                let text = format!("{k}={v}");
                if i == 0 {
                    kv_at(out, "", key, &text, width);
                } else {
                    out.push_str(&format!("{}{text}\n", " ".repeat(width)));
                }
            }
        }
    }
}

/// `Mon, 02 Jan 2006 15:04:05 +0000`, kubectl's describe time format.
fn kubectl_time(t: Timestamp) -> String {
    t.to_zoned(TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

fn selector(obj: &Deployment) -> String {
    let labels = obj.spec.selector.match_labels.clone().unwrap_or_default();
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn strategy(out: &mut String, obj: &Deployment) {
    let spec = &obj.spec;
    let st = spec.strategy.clone().unwrap_or_default();
    let kind = st.type_.clone().unwrap_or_else(|| "RollingUpdate".into());
    kv(out, "StrategyType:", &kind);
    kv(
        out,
        "MinReadySeconds:",
        &spec.min_ready_seconds.unwrap_or(0).to_string(),
    );
    if kind == "RollingUpdate" {
        let ru = st.rolling_update.unwrap_or_default();
        let show = |v: Option<k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>| match v {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i)) => {
                i.to_string()
            }
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s,
            None => "25%".into(),
        };
        kv(
            out,
            "RollingUpdateStrategy:",
            &format!(
                "{} max unavailable, {} max surge",
                show(ru.max_unavailable),
                show(ru.max_surge)
            ),
        );
    }
}

fn pod_template(out: &mut String, obj: &Deployment) {
    let t = &obj.spec.template;
    out.push_str("Pod Template:\n");
    let labels = t.metadata.as_ref().and_then(|m| m.labels.clone());
    let mut sub = String::new();
    map_lines(&mut sub, "Labels:", labels.as_ref(), 9);
    for l in sub.lines() {
        out.push_str(&format!("  {l}\n"));
    }
    let Some(spec) = &t.spec else {
        return;
    };
    out.push_str("  Containers:\n");
    for c in &spec.containers {
        container(out, c);
    }
    if let Some(ns) = spec.node_selector.as_ref().filter(|m| !m.is_empty()) {
        let text: Vec<String> = ns.iter().map(|(k, v)| format!("{k}={v}")).collect();
        kv_at(out, "  ", "Node-Selectors:", &text.join(","), 18);
    }
    if let Some(tol) = spec.tolerations.as_ref().filter(|t| !t.is_empty()) {
        let text: Vec<String> = tol
            .iter()
            .map(|t| {
                let mut s = t.key.clone().unwrap_or_default();
                if let Some(v) = &t.value {
                    s.push_str(&format!("={v}"));
                }
                if let Some(e) = &t.effect {
                    s.push_str(&format!(":{e}"));
                }
                s
            })
            .collect();
        kv_at(out, "  ", "Tolerations:", &text.join(", "), 18);
    }
    if let Some(p) = &spec.priority_class_name {
        kv_at(out, "  ", "Priority Class Name:", p, 23);
    }
}

fn container(out: &mut String, c: &Container) {
    out.push_str(&format!("   {}:\n", c.name));
    kv_at(
        out,
        "    ",
        "Image:",
        c.image.as_deref().unwrap_or("<none>"),
        16,
    );
    let ports: Vec<String> = c
        .ports
        .iter()
        .flatten()
        .map(|p| {
            format!(
                "{}/{}",
                p.container_port,
                p.protocol.clone().unwrap_or_else(|| "TCP".into())
            )
        })
        .collect();
    kv_at(
        out,
        "    ",
        "Port:",
        &if ports.is_empty() {
            "<none>".into()
        } else {
            ports.join(", ")
        },
        16,
    );
    let res = c.resources.clone().unwrap_or_default();
    for (title, list) in [("Limits:", res.limits), ("Requests:", res.requests)] {
        if let Some(list) = list.filter(|l| !l.is_empty()) {
            out.push_str(&format!("    {title}\n"));
            let width = list.keys().map(|k| k.len()).max().unwrap_or(0) + 3;
            for (k, v) in list {
                kv_at(out, "      ", &format!("{k}:"), &v.0, 6 + width);
            }
        }
    }
}

fn policy(out: &mut String, d: &DeploymentDescription) {
    match &d.policy {
        None => kv(out, "Policy:", "<none>"),
        Some((name, doc)) => {
            kv(
                out,
                "Policy:",
                if name.is_empty() { "<unnamed>" } else { name },
            );
            let kind = doc["kind"].as_str().unwrap_or("PropagationPolicy");
            let api = doc["apiVersion"].as_str().unwrap_or("");
            kv_at(out, "  ", "Kind:", &format!("{kind} ({api})"), KEY_WIDTH);
            out.push_str("  Spec:\n");
            let yaml = super::to_yaml(&doc["spec"]).unwrap_or_default();
            for l in yaml.lines() {
                out.push_str(&format!("    {l}\n"));
            }
        }
    }
}

fn plan(out: &mut String, d: &DeploymentDescription, styler: &Styler) {
    out.push_str("Plan:\n");
    if let Some(w) = &d.plan {
        for l in super::plan::render_workload(w, false, styler).lines() {
            out.push_str(&format!("  {l}\n"));
        }
    }
    if let Some(n) = &d.plan_note {
        out.push_str(&format!("  {n}\n"));
    }
}

fn rollout(out: &mut String, d: &DeploymentDescription) {
    let Some(st) = &d.rollout else {
        kv(out, "Rollout:", "<none>");
        return;
    };
    let spec = st.record.rollout.as_ref().filter(|r| !r.disabled);
    kv(
        out,
        "Rollout:",
        &match spec {
            Some(r) => format!(
                "Rollout {} ({} steps: {})",
                r.key(),
                r.effective_steps().len(),
                r.effective_steps()
                    .iter()
                    .map(|s| s.replicas.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "<none> (a template change goes to every member at once)".into(),
        },
    );
    let revision = if st.stable_revision != st.revision {
        format!("{} (stable {})", st.revision, st.stable_revision)
    } else {
        st.revision.to_string()
    };
    kv_at(out, "  ", "Revision:", &revision, KEY_WIDTH);
    if st.steps > 0 {
        kv_at(
            out,
            "  ",
            "Step:",
            &format!(
                "{}/{}: {} of {} replicas on the new template",
                st.step, st.steps, st.target, st.total
            ),
            KEY_WIDTH,
        );
    }
    let phase = match &st.phase {
        Phase::Progressing { .. } => "Progressing".to_string(),
        Phase::Paused => "Paused".into(),
        Phase::WaitingForResume => "WaitingForResume".into(),
        Phase::WaitingForTimer { remaining } => format!("WaitingForTimer ({remaining}s left)"),
        Phase::ReadyToAdvance => "ReadyToAdvance".into(),
        Phase::Failed { .. } => "Failed".into(),
        Phase::Completed => "Completed".into(),
    };
    kv_at(out, "  ", "Phase:", &phase, KEY_WIDTH);
    kv_at(
        out,
        "  ",
        "Updated:",
        &format!("{} updated, {} ready", st.updated, st.ready),
        KEY_WIDTH,
    );
    kv_at(
        out,
        "  ",
        "Message:",
        &super::rollout::status_line(st),
        KEY_WIDTH,
    );
    let mut rows = vec![vec![
        "Cluster".to_string(),
        "Total".into(),
        "Stable".into(),
        "Canary".into(),
        "Updated".into(),
        "Ready".into(),
        "State".into(),
    ]];
    for m in &st.members {
        rows.push(vec![
            m.cluster.clone(),
            m.total.to_string(),
            m.stable.to_string(),
            m.canary.to_string(),
            format!("{}/{}", m.new_available, m.want_new),
            m.ready.to_string(),
            m.state.clone(),
        ]);
    }
    let mut sub = String::new();
    dashed(&mut sub, rows);
    for l in sub.lines() {
        out.push_str(&format!("  {l}\n"));
    }
}

fn members(out: &mut String, d: &DeploymentDescription, now: Timestamp) {
    out.push_str("Members:\n");
    let mut rows = vec![vec![
        "Cluster".to_string(),
        "Ready".into(),
        "Up-to-date".into(),
        "Available".into(),
        "Pending".into(),
        "Age".into(),
        "Adoption".into(),
        "Group".into(),
        "Revision".into(),
        "Images".into(),
    ]];
    for c in &d.copies {
        rows.push(vec![
            cluster_cell(c),
            format!("{}/{}", c.ready, c.desired),
            c.up_to_date.to_string(),
            c.available.to_string(),
            c.pending.to_string(),
            age_at(c.created, now),
            c.adoption.as_str().to_string(),
            c.group.clone().unwrap_or_else(|| "-".into()),
            c.revision.map_or_else(|| "-".into(), |r| r.to_string()),
            c.images.join(","),
        ]);
    }
    for e in &d.errors {
        rows.push(vec![
            e.cluster.clone(),
            "<unknown>".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            "".into(),
            e.error.clone(),
        ]);
    }
    dashed(out, rows);
}

/// The member, marked `(canary)` for a rollout's `<name>-canary` copy.
fn cluster_cell(c: &crate::fleet::MemberDeploymentRow) -> String {
    match &c.canary_of {
        Some(_) => format!("{} (canary)", c.cluster),
        None => c.cluster.clone(),
    }
}

fn conditions(out: &mut String, d: &DeploymentDescription) {
    out.push_str("Conditions:\n");
    let mut rows = vec![vec![
        "Cluster".to_string(),
        "Type".into(),
        "Status".into(),
        "Reason".into(),
    ]];
    for c in &d.copies {
        for cond in c
            .object
            .status
            .as_ref()
            .and_then(|s| s.conditions.clone())
            .unwrap_or_default()
        {
            rows.push(vec![
                cluster_cell(c),
                cond.type_.unwrap_or_default(),
                cond.status.unwrap_or_default(),
                cond.reason.unwrap_or_default(),
            ]);
        }
    }
    if rows.len() == 1 {
        out.push_str("  <none>\n");
    } else {
        dashed(out, rows);
    }
}

fn events(out: &mut String, d: &DeploymentDescription, now: Timestamp) {
    if d.events.is_empty() {
        out.push_str("Events:            <none>\n");
        return;
    }
    out.push_str("Events:\n");
    let mut rows = vec![vec![
        "Type".to_string(),
        "Reason".into(),
        "Age".into(),
        "Cluster".into(),
        "From".into(),
        "Message".into(),
    ]];
    for e in &d.events {
        let mut age = age_at(e.last_seen, now);
        if e.count > 1 {
            let first = e
                .event
                .first_timestamp
                .as_ref()
                .map(|t| t.0)
                .or(e.last_seen);
            age = format!("{age} (x{} over {})", e.count, age_at(first, now));
        }
        rows.push(vec![
            e.type_.clone(),
            e.reason.clone(),
            age,
            e.cluster.clone(),
            e.source.clone(),
            e.message.clone(),
        ]);
    }
    dashed(out, rows);
}

/// kubectl describe's sub-table: header, a dashed line, rows; two-space indent, columns two
/// spaces apart, no trailing spaces.
fn dashed(out: &mut String, mut rows: Vec<Vec<String>>) {
    if rows.is_empty() {
        return;
    }
    let dashes: Vec<String> = rows[0].iter().map(|h| "-".repeat(h.len())).collect();
    rows.insert(1, dashes);
    let cols = rows[0].len();
    let widths: Vec<usize> = (0..cols)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for r in rows {
        let mut line = String::from("  ");
        for (i, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < cols {
                line.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
}

fn age_at(t: Option<Timestamp>, now: Timestamp) -> String {
    match t {
        None => "<unknown>".into(),
        Some(t) => {
            let secs = now.as_second().saturating_sub(t.as_second()).max(0);
            human_duration(std::time::Duration::from_secs(secs as u64))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::events::event_row;
    use crate::fleet::views::{Adoption, DeploymentTotals, MemberDeploymentRow};
    use crate::fleet::{Placement, Tiers, WorkloadPlan};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn copy(cluster: &str, replicas: i32) -> MemberDeploymentRow {
        let object: Deployment = serde_json::from_value(serde_json::json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default",
                "labels": {"app": "web", "app.kubernetes.io/managed-by": "kubectl-fleet"},
                "annotations": {"fleet.kubectl.dev/total-replicas": "4", "team": "ml"}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [
                    {"name": "app", "image": "vllm:0.9.1", "ports": [{"containerPort": 8000}],
                     "resources": {"requests": {"cpu": "4", "nvidia.com/gpu": "1"},
                                   "limits": {"nvidia.com/gpu": "1"}}}]}}},
            "status": {"conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]}
        }))
        .unwrap();
        MemberDeploymentRow {
            namespace: "default".into(),
            name: "web".into(),
            cluster: cluster.into(),
            desired: replicas,
            ready: replicas,
            up_to_date: replicas,
            available: replicas,
            pending: 0,
            created: Some(ts("2026-12-01T00:00:00Z")),
            adoption: Adoption::Created,
            group: Some("group-1".into()),
            images: vec!["vllm:0.9.1".into()],
            total_replicas: Some(4),
            generation: Some(1),
            canary_of: None,
            spec_hash: None,
            revision: None,
            updated: None,
            placement: None,
            object: Box::new(object),
        }
    }

    fn description() -> DeploymentDescription {
        let ev = |cluster: &str, at: &str, count: i32, reason: &str, msg: &str| {
            event_row(
                cluster,
                serde_json::from_value(serde_json::json!({
                    "metadata": {"name": "web.1", "namespace": "default"},
                    "involvedObject": {"kind": "Deployment", "name": "web"},
                    "type": "Normal", "reason": reason, "message": msg, "count": count,
                    "firstTimestamp": "2026-12-01T00:00:00Z", "lastTimestamp": at,
                    "source": {"component": "deployment-controller"}
                }))
                .unwrap(),
            )
        };
        let placement = |cluster: &str, desired: u32| Placement {
            cluster: cluster.into(),
            group: "group-1".into(),
            current: desired,
            desired,
            capacity: Tiers {
                idle: 4,
                preemptible: 0,
                elastic: 0,
            },
            tiers: Tiers {
                idle: desired,
                preemptible: 0,
                elastic: 0,
            },
            reason: format!("keeps {desired}"),
            ..Default::default()
        };
        DeploymentDescription {
            namespace: "default".into(),
            name: "web".into(),
            copies: vec![copy("a", 3), copy("b", 1)],
            totals: Some(DeploymentTotals {
                namespace: "default".into(),
                name: "web".into(),
                clusters: vec!["a".into(), "b".into()],
                replicas: 4,
                desired: 4,
                ready: 4,
                up_to_date: 4,
                available: 4,
                pending: 0,
                created: Some(ts("2026-12-01T00:00:00Z")),
                managed: true,
                generation: Some(1),
                torn: None,
                rollout: None,
            }),
            policy: Some((
                "default/web".into(),
                serde_json::json!({"apiVersion": "policy.one.alibabacloud.com/v1alpha1",
                    "kind": "PropagationPolicy", "metadata": {"name": "web"},
                    "spec": {"placement": {"clusterAffinities": [
                        {"affinityName": "group-1", "clusterNames": ["a", "b"]}],
                        "replicaScheduling": {"replicaSchedulingType": "Divided",
                            "replicaDivisionPreference": "Weighted"}}}}),
            )),
            plan: Some(WorkloadPlan {
                kind: "Deployment".into(),
                namespace: "default".into(),
                name: "web".into(),
                replicas: 4,
                policy: "default/web".into(),
                placements: vec![placement("a", 3), placement("b", 1)],
                ..Default::default()
            }),
            plan_note: None,
            rollout: None,
            events: vec![
                ev(
                    "a",
                    "2026-12-01T00:01:00Z",
                    1,
                    "ScalingReplicaSet",
                    "Scaled up replica set web-5d8f to 3",
                ),
                ev(
                    "b",
                    "2026-12-01T00:02:00Z",
                    2,
                    "ScalingReplicaSet",
                    "Scaled up replica set web-5d8f to 1",
                ),
            ],
            errors: vec![],
        }
    }

    #[test]
    fn describe_reads_like_kubectl_describe_with_a_cluster_column() {
        let text = render_deployment(&description(), ts("2026-12-01T00:10:00Z"), &Styler::plain());
        insta::assert_snapshot!(text);
    }

    #[test]
    fn the_rollout_section_shows_steps_revisions_phase_and_members() {
        use crate::fleet::rollout::{MemberStatus, Record, RolloutStatus};
        use crate::rollout::{Health, Pause, RolloutSpec, RolloutState, Step, StepReplicas};
        let member = |cluster: &str, total, stable, canary, folded, state: &str| MemberStatus {
            cluster: cluster.into(),
            total,
            stable,
            canary,
            folded,
            want_new: total - stable,
            new_available: total - stable,
            ready: total,
            reachable: true,
            state: state.into(),
        };
        let mut state = RolloutState::start(None, 2, 1, 0, 2);
        state.folded.insert("b".into());
        let mut d = description();
        let mut canary = copy("a", 1);
        canary.name = "web-canary".into();
        canary.canary_of = Some("web".into());
        canary.revision = Some(2);
        d.copies.insert(1, canary);
        d.copies[0].revision = Some(1);
        d.rollout = Some(Box::new(RolloutStatus {
            namespace: "default".into(),
            name: "web".into(),
            revision: 2,
            stable_revision: 1,
            step: 1,
            steps: 2,
            total: 4,
            target: 2,
            updated: 2,
            ready: 4,
            paused: false,
            phase: Phase::WaitingForResume,
            health: Health::Ready,
            members: vec![
                member("b", 1, 0, 0, true, "updated"),
                member("a", 3, 2, 1, false, "canary"),
            ],
            record: Record {
                rollout: Some(RolloutSpec {
                    name: "web".into(),
                    namespace: "default".into(),
                    workload: "web".into(),
                    steps: vec![Step {
                        replicas: StepReplicas::Percent(50),
                        pause: Pause::Manual,
                    }],
                    member_order: vec![],
                    settle_seconds: 5,
                    max_restarts: 2,
                    disabled: false,
                }),
                state: Some(state),
                ..Default::default()
            },
        }));
        let text = render_deployment(&d, ts("2026-12-01T00:10:00Z"), &Styler::plain());
        let section: String = text
            .lines()
            .skip_while(|l| !l.starts_with("Rollout:"))
            .take_while(|l| !l.starts_with("Members:"))
            .map(|l| format!("{l}\n"))
            .collect();
        insta::assert_snapshot!(section, @r#"
        Rollout:                Rollout default/web (2 steps: 50%, 100%)
          Revision:             2 (stable 1)
          Step:                 1/2: 2 of 4 replicas on the new template
          Phase:                WaitingForResume
          Updated:              2 updated, 4 ready
          Message:              deployment "web" rollout waiting at revision 2 step 1/2: 2 of 4 new replicas updated (2 wanted at this step): pause until `kubectl fleet rollout resume deploy/web`
            Cluster  Total  Stable  Canary  Updated  Ready  State
            -------  -----  ------  ------  -------  -----  -----
            b        1      0       0       1/1      1      updated
            a        3      2       1       1/1      3      canary
        "#);
        assert!(text.contains("\n  a (canary)  1/1 "), "{text}");
        assert!(
            !text.lines().any(|l| l.ends_with(' ')),
            "no trailing spaces"
        );
    }

    #[test]
    fn no_events_and_no_policy_say_none() {
        let mut d = description();
        d.events.clear();
        d.policy = None;
        d.plan = None;
        d.plan_note = Some("not managed by kubectl-fleet: no policy and no plan".into());
        let text = render_deployment(&d, ts("2026-12-01T00:10:00Z"), &Styler::plain());
        assert!(text.contains("\nEvents:            <none>\n"), "{text}");
        assert!(
            text.contains("\nPolicy:                 <none>\n"),
            "{text}"
        );
        assert!(text.contains("  not managed by kubectl-fleet"), "{text}");
        assert!(
            !text.lines().any(|l| l.ends_with(' ')),
            "no trailing spaces"
        );
    }
}
