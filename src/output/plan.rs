//! The plan table shown by `plan`, `apply`, `scale`: per workload a heading line, one row
//! per cluster (GROUP CLUSTER CURRENT DESIRED DELTA IDLE PREEMPT ELASTIC REASON; IDLE,
//! PREEMPT and ELASTIC say which capacity tier the desired replicas come from), then the
//! unplaced line. `wide` adds each cluster's estimated room per tier (CAPACITY
//! idle/preemptible/elastic) and the engine's explanation.

use super::color::{Paint, Styler};
use super::table::{Cell, Table};
use crate::fleet::{FleetPlan, WorkloadPlan};

/// Render the whole plan.
pub fn render(plan: &FleetPlan, wide: bool, styler: &Styler) -> String {
    let mut out = String::new();
    for (i, w) in plan.workloads.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&render_workload(w, wide, styler));
    }
    if plan.workloads.is_empty() {
        out.push_str("No workloads to place.\n");
    }
    out
}

fn delta_cell(delta: i64) -> Cell {
    match delta {
        0 => Cell::from("0"),
        d if d > 0 => Cell::painted(format!("+{d}"), Paint::Good),
        d => Cell::painted(d.to_string(), Paint::Warn),
    }
}

/// Render one workload's plan.
pub fn render_workload(w: &WorkloadPlan, wide: bool, styler: &Styler) -> String {
    let mut out = String::new();
    let policy = if w.policy.is_empty() {
        String::new()
    } else {
        format!(", policy {}", w.policy)
    };
    out.push_str(&styler.paint(
        Paint::Bold,
        &format!(
            "{} {}/{}: {} replicas{policy}",
            w.kind, w.namespace, w.name, w.replicas
        ),
    ));
    out.push('\n');
    let mut headers = vec![
        "GROUP", "CLUSTER", "CURRENT", "DESIRED", "DELTA", "IDLE", "PREEMPT", "ELASTIC",
    ];
    if wide {
        headers.push("CAPACITY");
    }
    headers.push("REASON");
    let mut t = Table::new(headers);
    for p in &w.placements {
        let mut cells = vec![
            Cell::from(if p.group.is_empty() {
                "-"
            } else {
                p.group.as_str()
            }),
            Cell::from(p.cluster.as_str()),
            Cell::from(p.current.to_string()),
            Cell::from(p.desired.to_string()),
            delta_cell(p.delta()),
            Cell::from(p.tiers.idle.to_string()),
            Cell::from(p.tiers.preemptible.to_string()),
            Cell::from(p.tiers.elastic.to_string()),
        ];
        if wide {
            cells.push(Cell::from(format!(
                "{}/{}/{}",
                p.capacity.idle, p.capacity.preemptible, p.capacity.elastic
            )));
        }
        let reason = if p.unreachable {
            Cell::painted(p.reason.clone(), Paint::Bad)
        } else {
            Cell::from(p.reason.as_str())
        };
        cells.push(reason);
        t.row(cells);
    }
    out.push_str(&t.render(styler));
    if w.unplaced > 0 {
        let reason = w
            .unplaced_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        out.push_str(&styler.paint(
            Paint::Bad,
            &format!("unplaced: {} replicas{reason}", w.unplaced),
        ));
        out.push('\n');
    } else {
        out.push_str("unplaced: 0\n");
    }
    if wide {
        for line in &w.apply.explanation {
            out.push_str(&styler.paint(Paint::Dim, &format!("  {line}")));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::{Placement, Tiers};

    fn plan(unplaced: u32) -> FleetPlan {
        let p =
            |cluster: &str, group: &str, current, desired, idle, elastic, reason: &str| Placement {
                cluster: cluster.into(),
                group: group.into(),
                current,
                desired,
                capacity: Tiers {
                    idle: 2,
                    preemptible: 0,
                    elastic: 4,
                },
                tiers: Tiers {
                    idle,
                    preemptible: 0,
                    elastic,
                },
                reason: reason.into(),
                ..Default::default()
            };
        FleetPlan {
            workloads: vec![WorkloadPlan {
                kind: "Deployment".into(),
                namespace: "default".into(),
                name: "qwen3-8b".into(),
                replicas: 12,
                policy: "default/qwen3-8b".into(),
                placements: vec![
                    p("idc-beijing", "group-1", 2, 2, 2, 0, "2 idle GPUs"),
                    p("ack-hangzhou", "group-1", 2, 6, 2, 4, "idle 2 + elastic 4"),
                    p(
                        "ack-shanghai",
                        "group-2",
                        0,
                        4 - unplaced.min(4),
                        0,
                        4 - unplaced.min(4),
                        "overflow",
                    ),
                ],
                unplaced,
                unplaced_reason: (unplaced > 0).then(|| "no capacity left in any group".into()),
                ..Default::default()
            }],
            warnings: vec![],
        }
    }

    #[test]
    fn plan_table_has_the_documented_columns_and_unplaced_line() {
        insta::assert_snapshot!(render(&plan(0), false, &Styler::plain()), @r"
        Deployment default/qwen3-8b: 12 replicas, policy default/qwen3-8b
        GROUP     CLUSTER        CURRENT   DESIRED   DELTA   IDLE   PREEMPT   ELASTIC   REASON
        group-1   idc-beijing    2         2         0       2      0         0         2 idle GPUs
        group-1   ack-hangzhou   2         6         +4      2      0         4         idle 2 + elastic 4
        group-2   ack-shanghai   0         4         +4      0      0         4         overflow
        unplaced: 0
        ");
    }

    #[test]
    fn unplaced_replicas_are_reported_with_their_reason() {
        let text = render(&plan(3), true, &Styler::plain());
        assert!(
            text.contains("unplaced: 3 replicas (no capacity left in any group)"),
            "{text}"
        );
        assert!(text.contains("CAPACITY"), "{text}");
        assert!(text.contains("2/0/4"), "{text}");
    }
}
