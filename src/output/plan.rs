//! The plan as people read it (`plan`, `apply`, `scale`, `rebalance`, `drain`).
//!
//! * Several workloads, default table: a **summary**, one row per workload (NAMESPACE NAME
//!   POLICY REPLICAS PLACEMENT CHANGE UNPLACED), the notes shared by the workloads once with a
//!   count, one line per workload with unplaced replicas, and a closing line with the size of
//!   the change.
//! * One workload, or `-o wide`: the **per-workload table**, a heading line, one row per
//!   member (GROUP CLUSTER CURRENT DESIRED DELTA FROM-IDLE FROM-PREEMPT FROM-ELASTIC REASON;
//!   the FROM- columns say which capacity tier the desired replicas come from), the unplaced
//!   line and the notes that hold for the whole workload (a tier switched off, members the
//!   policy does not select), said once instead of on every row. Members the policy does not
//!   select and that hold no copy are left out unless `wide`; `wide` also adds each member's
//!   estimated room per tier (CAPACITY idle/preemptible/elastic) and the engine's explanation.

use super::color::{Paint, Styler};
use super::table::{Cell, Table};
use crate::fleet::{FleetPlan, PlanChange, PlanNote, WorkloadPlan};

/// Render the whole plan: the summary for several workloads, the per-workload tables for
/// one workload or with `wide`.
pub fn render(plan: &FleetPlan, wide: bool, styler: &Styler) -> String {
    if plan.workloads.is_empty() {
        return "No workloads to place.\n".to_string();
    }
    if !wide && plan.workloads.len() > 1 {
        return render_summary(plan, styler);
    }
    let mut out = String::new();
    for (i, w) in plan.workloads.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&render_workload(w, wide, styler));
    }
    if plan.workloads.len() > 1 {
        out.push('\n');
        out.push_str(&closing_line(plan));
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

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The size of a change in words, as the confirmation prompt and the summaries state it:
/// `create 9 copies, configure 4, delete 1; 23 replicas added, 2 removed (2 moved)`.
pub fn change_phrase(c: &PlanChange) -> String {
    let mut out = format!(
        "create {}, configure {}, delete {}; {} added",
        plural(u64::from(c.create), "copy", "copies"),
        c.configure,
        c.delete,
        plural(c.added, "replica", "replicas")
    );
    if c.removed > 0 {
        out.push_str(&format!(", {} removed", c.removed));
    }
    if c.moved > 0 {
        out.push_str(&format!(" ({} moved between members)", c.moved));
    }
    out
}

/// `150 workloads with 597 replicas, 150 to change: create ...; 0 unplaced.`
fn closing_line(plan: &FleetPlan) -> String {
    let n = plan.workloads.len() as u64;
    let replicas: u64 = plan.workloads.iter().map(|w| u64::from(w.replicas)).sum();
    let c = plan.change();
    let mut line = format!(
        "{} with {}",
        plural(n, "workload", "workloads"),
        plural(replicas, "replica", "replicas")
    );
    if c.workloads == 0 {
        line.push_str(", no replica changes");
    } else {
        line.push_str(&format!(
            ", {} to change: {}",
            c.workloads,
            change_phrase(&c)
        ));
    }
    line.push_str(&format!("; {} unplaced.\n", plan.unplaced()));
    line
}

/// `m0=2,m2=1` (members with replicas, in group order), `-` for none.
fn placement_text(w: &WorkloadPlan) -> String {
    let parts: Vec<String> = w
        .placements
        .iter()
        .filter(|p| p.desired > 0)
        .map(|p| format!("{}={}", p.cluster, p.desired))
        .collect();
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(",")
    }
}

/// `new`, `unchanged`, or the per-member deltas `m0+2,m3-1`.
fn change_text(w: &WorkloadPlan) -> Cell {
    if !w.changes_replicas() {
        return Cell::from("unchanged");
    }
    if w.placements.iter().all(|p| p.current == 0) {
        return Cell::painted("new", Paint::Good);
    }
    let parts: Vec<String> = w
        .placements
        .iter()
        .filter(|p| p.delta() != 0)
        .map(|p| {
            let d = p.delta();
            if d > 0 {
                format!("{}+{d}", p.cluster)
            } else {
                format!("{}{d}", p.cluster)
            }
        })
        .collect();
    Cell::painted(parts.join(","), Paint::Warn)
}

/// Members the default table leaves out of a workload's rows.
fn unselected(w: &WorkloadPlan) -> Vec<&str> {
    w.placements
        .iter()
        .filter(|p| p.unselected)
        .map(|p| p.cluster.as_str())
        .collect()
}

/// One row per workload, then the notes they share (once, with a count), the unplaced
/// workloads and the closing line.
pub fn render_summary(plan: &FleetPlan, styler: &Styler) -> String {
    let mut t = Table::new([
        "NAMESPACE",
        "NAME",
        "POLICY",
        "REPLICAS",
        "PLACEMENT",
        "CHANGE",
        "UNPLACED",
    ]);
    // Distinct notes in first-seen order, with how many workloads they hold for.
    let mut notes: Vec<(String, usize)> = Vec::new();
    let mut note = |text: String| match notes.iter_mut().find(|(t, _)| *t == text) {
        Some((_, n)) => *n += 1,
        None => notes.push((text, 1)),
    };
    for w in &plan.workloads {
        t.row([
            Cell::from(w.namespace.as_str()),
            Cell::from(w.name.as_str()),
            Cell::from(if w.policy.is_empty() {
                "-"
            } else {
                w.policy.as_str()
            }),
            Cell::from(w.replicas.to_string()),
            Cell::from(placement_text(w)),
            change_text(w),
            if w.unplaced > 0 {
                Cell::painted(w.unplaced.to_string(), Paint::Bad)
            } else {
                Cell::from("0")
            },
        ]);
        let left_out = unselected(w);
        if !left_out.is_empty() {
            note(format!(
                "Not selected by the policy: {}.",
                left_out.join(", ")
            ));
        }
        for n in &w.notes {
            note(n.text.clone());
        }
    }
    let mut out = t.render(styler);
    let total = plan.workloads.len();
    for (text, n) in &notes {
        let scope = if *n == total {
            format!("all {n} workloads")
        } else {
            plural(*n as u64, "workload", "workloads")
        };
        let text = text.strip_suffix('.').unwrap_or(text);
        out.push_str(&styler.paint(Paint::Dim, &format!("{text} ({scope}).")));
        out.push('\n');
    }
    for w in plan.workloads.iter().filter(|w| w.unplaced > 0) {
        let reason = w
            .unplaced_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        out.push_str(&styler.paint(
            Paint::Bad,
            &format!(
                "unplaced: {}/{}: {}{reason}",
                w.namespace,
                w.name,
                plural(u64::from(w.unplaced), "replica", "replicas")
            ),
        ));
        out.push('\n');
    }
    out.push_str(&closing_line(plan));
    out.push_str(&styler.paint(
        Paint::Dim,
        "-o wide shows each workload's per-member table.",
    ));
    out.push('\n');
    out
}

/// Render one workload's plan table.
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
        "GROUP",
        "CLUSTER",
        "CURRENT",
        "DESIRED",
        "DELTA",
        "FROM-IDLE",
        "FROM-PREEMPT",
        "FROM-ELASTIC",
    ];
    if wide {
        headers.push("CAPACITY");
    }
    headers.push("REASON");
    let mut t = Table::new(headers);
    for p in w.placements.iter().filter(|p| wide || !p.unselected) {
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
        let text = PlanNote::strip(&w.notes, &p.reason).into_owned();
        cells.push(if p.unreachable {
            Cell::painted(text, Paint::Bad)
        } else {
            Cell::from(text)
        });
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
    let left_out = unselected(w);
    if !wide && !left_out.is_empty() {
        out.push_str(&styler.paint(
            Paint::Dim,
            &format!(
                "Not selected by the policy (not shown; -o wide lists them): {}.",
                left_out.join(", ")
            ),
        ));
        out.push('\n');
    }
    for n in &w.notes {
        out.push_str(&styler.paint(Paint::Dim, &n.text));
        out.push('\n');
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
    use crate::fleet::{Placement, PlanNote, Tiers};

    #[allow(clippy::too_many_arguments)]
    fn row(
        cluster: &str,
        group: &str,
        current: u32,
        desired: u32,
        idle: u32,
        elastic: u32,
        reason: &str,
    ) -> Placement {
        Placement {
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
        }
    }

    fn preemption_off() -> PlanNote {
        PlanNote {
            text: "Preemptible tier off: the pod template has no priorityClassName and the policy does not set preemption: Always.".into(),
            row_part: Some("0 preemptible: preemption not enabled for this workload".into()),
        }
    }

    fn qwen(unplaced: u32) -> WorkloadPlan {
        WorkloadPlan {
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: "qwen3-8b".into(),
            replicas: 12,
            policy: "default/qwen3-8b".into(),
            placements: vec![
                row("idc-beijing", "group-1", 2, 2, 2, 0, "keeps 2"),
                row(
                    "ack-hangzhou",
                    "group-1",
                    2,
                    6,
                    2,
                    4,
                    "+4 (elastic 4); full",
                ),
                row(
                    "ack-shanghai",
                    "group-2",
                    0,
                    4 - unplaced.min(4),
                    0,
                    4 - unplaced.min(4),
                    "+4 (elastic 4); 0 preemptible: preemption not enabled for this workload",
                ),
                Placement {
                    unselected: true,
                    ..row(
                        "idc-shenzhen",
                        "",
                        0,
                        0,
                        0,
                        0,
                        "not selected by the placement's cluster affinity; 0 preemptible: preemption not enabled for this workload",
                    )
                },
            ],
            unplaced,
            unplaced_reason: (unplaced > 0).then(|| "no capacity left in any group".into()),
            notes: vec![preemption_off()],
            ..Default::default()
        }
    }

    fn plan(unplaced: u32) -> FleetPlan {
        FleetPlan {
            workloads: vec![qwen(unplaced)],
            warnings: vec![],
        }
    }

    /// `web-0..n` over m0..m4, the policy selecting m0..m2.
    fn fleet_of_web(n: usize) -> FleetPlan {
        let workloads = (0..n)
            .map(|i| {
                let (c0, c1) = if i == 1 { (2, 1) } else { (0, 0) };
                let mut placements = vec![
                    row("m0", "", c0, 2, 2, 0, "+2 (idle 2)"),
                    row("m1", "", c1, if i == 1 { 0 } else { 1 }, 1, 0, ""),
                    row("m2", "", 0, 1, 1, 0, "+1 (idle 1)"),
                ];
                for m in ["m3", "m4"] {
                    placements.push(Placement {
                        unselected: true,
                        ..row(m, "", 0, 0, 0, 0, "not selected")
                    });
                }
                WorkloadPlan {
                    kind: "Deployment".into(),
                    namespace: "shop".into(),
                    name: format!("web-{i}"),
                    replicas: if i == 2 { 6 } else { 4 },
                    policy: "web".into(),
                    placements,
                    unplaced: if i == 2 { 2 } else { 0 },
                    unplaced_reason: (i == 2).then(|| "no room left on m0, m1, m2".into()),
                    notes: vec![preemption_off()],
                    ..Default::default()
                }
            })
            .collect();
        FleetPlan {
            workloads,
            warnings: vec![],
        }
    }

    #[test]
    fn one_workload_table_names_the_source_columns_and_says_workload_facts_once() {
        insta::assert_snapshot!(render(&plan(0), false, &Styler::plain()), @r"
        Deployment default/qwen3-8b: 12 replicas, policy default/qwen3-8b
        GROUP     CLUSTER        CURRENT   DESIRED   DELTA   FROM-IDLE   FROM-PREEMPT   FROM-ELASTIC   REASON
        group-1   idc-beijing    2         2         0       2           0              0              keeps 2
        group-1   ack-hangzhou   2         6         +4      2           0              4              +4 (elastic 4); full
        group-2   ack-shanghai   0         4         +4      0           0              4              +4 (elastic 4)
        unplaced: 0
        Not selected by the policy (not shown; -o wide lists them): idc-shenzhen.
        Preemptible tier off: the pod template has no priorityClassName and the policy does not set preemption: Always.
        ");
    }

    #[test]
    fn wide_lists_every_member_with_its_capacity() {
        let text = render(&plan(3), true, &Styler::plain());
        assert!(
            text.contains("unplaced: 3 replicas (no capacity left in any group)"),
            "{text}"
        );
        assert!(text.contains("CAPACITY"), "{text}");
        assert!(text.contains("2/0/4"), "{text}");
        let shenzhen = text
            .lines()
            .find(|l| l.contains("idc-shenzhen"))
            .expect("wide keeps unselected members");
        assert!(
            shenzhen.ends_with("not selected by the placement's cluster affinity"),
            "{shenzhen}"
        );
        assert!(!text.contains("not shown"), "{text}");
        assert_eq!(text.matches("preemption").count(), 1, "{text}");
    }

    #[test]
    fn several_workloads_print_one_summary_row_each_and_shared_notes_once() {
        insta::assert_snapshot!(render(&fleet_of_web(3), false, &Styler::plain()), @r"
        NAMESPACE   NAME    POLICY   REPLICAS   PLACEMENT        CHANGE      UNPLACED
        shop        web-0   web      4          m0=2,m1=1,m2=1   new         0
        shop        web-1   web      4          m0=2,m2=1        m1-1,m2+1   0
        shop        web-2   web      6          m0=2,m1=1,m2=1   new         2
        Not selected by the policy: m3, m4 (all 3 workloads).
        Preemptible tier off: the pod template has no priorityClassName and the policy does not set preemption: Always (all 3 workloads).
        unplaced: shop/web-2: 2 replicas (no room left on m0, m1, m2)
        3 workloads with 14 replicas, 3 to change: create 7 copies, configure 0, delete 1; 9 replicas added, 1 removed (1 moved between members); 2 unplaced.
        -o wide shows each workload's per-member table.
        ");
    }

    #[test]
    fn wide_with_several_workloads_prints_every_table_and_the_closing_line() {
        let text = render(&fleet_of_web(3), true, &Styler::plain());
        assert_eq!(text.matches("GROUP   CLUSTER").count(), 3, "{text}");
        assert_eq!(text.lines().filter(|l| l.contains(" m4 ")).count(), 3);
        assert!(text.ends_with("2 unplaced.\n"), "{text}");
    }

    #[test]
    fn change_phrase_states_the_size_of_the_change() {
        let c = PlanChange {
            workloads: 3,
            create: 9,
            configure: 4,
            delete: 1,
            added: 23,
            removed: 0,
            moved: 0,
        };
        assert_eq!(
            change_phrase(&c),
            "create 9 copies, configure 4, delete 1; 23 replicas added"
        );
        let one = PlanChange {
            create: 1,
            added: 1,
            removed: 2,
            moved: 1,
            ..c
        };
        assert_eq!(
            change_phrase(&one),
            "create 1 copy, configure 4, delete 1; 1 replica added, 2 removed (1 moved between members)"
        );
    }
}
