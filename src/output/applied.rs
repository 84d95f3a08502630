//! The result of `apply` and `scale`: one line per changed member copy (kubectl's one line
//! per object, [`super::report::change_line`]; unchanged copies only with `-v`), then how many
//! unchanged copies were not listed and one summary line (workloads changed; copies created,
//! configured, deleted, unchanged; replicas added, removed and moved; unplaced). An apply
//! that writes nothing says `No changes: the fleet already matches the plan.`

use super::color::{Paint, Styler};
use crate::fleet::{ApplyReport, ChangeAction, DryRun, ReportCounts};

/// The whole result. `verbose` (`-v`) lists unchanged copies too.
pub fn render(report: &ApplyReport, unplaced: u32, verbose: bool, styler: &Styler) -> String {
    let suffix = match report.dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut out = String::new();
    for w in &report.workloads {
        for m in &w.members {
            if m.action == ChangeAction::Unchanged && !verbose {
                continue;
            }
            out.push_str(&super::report::change_line(&w.name, m, suffix, styler));
        }
    }
    // Rollouts: the step and the split per member.
    for n in &report.notes {
        out.push_str(n);
        out.push('\n');
    }
    if report.unchanged() && !report.cancelled {
        out.push_str("No changes: the fleet already matches the plan.\n");
    } else {
        out.push_str(&closing_lines(
            &report.counts(),
            report.dry_run,
            unplaced,
            verbose,
            styler,
        ));
    }
    out
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The lines printed after the per-copy lines. `listed_unchanged`: `-v` printed the
/// unchanged copies already.
pub fn closing_lines(
    c: &ReportCounts,
    dry_run: DryRun,
    unplaced: u32,
    listed_unchanged: bool,
    styler: &Styler,
) -> String {
    let mut out = String::new();
    if !listed_unchanged && c.unchanged > 0 {
        out.push_str(&styler.paint(
            Paint::Dim,
            &format!(
                "{} not listed (-v lists them).",
                plural(u64::from(c.unchanged), "unchanged copy", "unchanged copies")
            ),
        ));
        out.push('\n');
    }
    let head = match dry_run {
        DryRun::None => "Summary",
        DryRun::Client => "Summary (dry run)",
        DryRun::Server => "Summary (server dry run)",
    };
    let mut copies = format!(
        "copies {} created, {} configured, {} deleted, {} unchanged",
        c.created, c.configured, c.deleted, c.unchanged
    );
    if c.skipped > 0 {
        copies.push_str(&format!(", {} skipped", c.skipped));
    }
    if c.failed > 0 {
        copies.push_str(&format!(", {} failed", c.failed));
    }
    let mut replicas = format!("replicas {} added, {} removed", c.added, c.removed);
    if c.moved > 0 {
        replicas.push_str(&format!(" ({} moved between members)", c.moved));
    }
    let line = format!(
        "{head}: {} changed, {} unchanged; {copies}; {replicas}; {unplaced} unplaced.",
        plural(u64::from(c.workloads_changed), "workload", "workloads"),
        c.workloads_unchanged
    );
    let paint = if c.failed > 0 || unplaced > 0 {
        Paint::Bad
    } else {
        Paint::Bold
    };
    out.push_str(&styler.paint(paint, &line));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::{MemberChange, WorkloadReport};

    fn m(cluster: &str, action: ChangeAction, from: u32, to: u32) -> MemberChange {
        MemberChange {
            cluster: cluster.into(),
            action,
            from,
            to,
            phase: 1,
            message: None,
            changed: if action == ChangeAction::Configured {
                vec!["replicas".into()]
            } else {
                vec![]
            },
        }
    }

    fn report() -> ApplyReport {
        use ChangeAction::*;
        let w = |name: &str, members: Vec<MemberChange>| WorkloadReport {
            namespace: "shop".into(),
            name: name.into(),
            canary_of: None,
            members,
        };
        ApplyReport {
            dry_run: DryRun::None,
            workloads: vec![
                w(
                    "web-2",
                    vec![
                        m("m0", Configured, 2, 3),
                        m("m1", Configured, 1, 2),
                        m("m2", Unchanged, 1, 1),
                        m("m3", Unchanged, 0, 0),
                    ],
                ),
                w(
                    "web-3",
                    vec![
                        m("m0", Unchanged, 2, 2),
                        m("m1", Created, 0, 1),
                        m("m2", Deleted, 1, 0),
                        m("m3", Unchanged, 0, 0),
                    ],
                ),
                w(
                    "web-4",
                    vec![m("m0", Unchanged, 1, 1), m("m3", Unchanged, 0, 0)],
                ),
            ],
            written: vec!["m0".into(), "m1".into(), "m2".into()],
            complete: true,
            ..Default::default()
        }
    }

    #[test]
    fn apply_result_lists_changed_copies_and_counts_the_rest() {
        insta::assert_snapshot!(render(&report(), 0, false, &Styler::plain()), @r"
        deployment.apps/web-2 configured on m0 (2 -> 3)
        deployment.apps/web-2 configured on m1 (1 -> 2)
        deployment.apps/web-3 created on m1 (0 -> 1)
        deployment.apps/web-3 deleted from m2 (1 -> 0)
        3 unchanged copies not listed (-v lists them).
        Summary: 2 workloads changed, 1 unchanged; copies 1 created, 2 configured, 1 deleted, 3 unchanged; replicas 3 added, 1 removed (1 moved between members); 0 unplaced.
        ");
    }

    #[test]
    fn a_rollouts_canary_copies_count_under_their_deployment() {
        use ChangeAction::*;
        let mut r = report();
        r.workloads.truncate(1);
        r.workloads.push(WorkloadReport {
            namespace: "shop".into(),
            name: "web-2-canary".into(),
            canary_of: Some("web-2".into()),
            members: vec![m("m0", Deleted, 1, 0)],
        });
        // Only the canary copy was written: its Deployment changed.
        let mut only_canary = r.clone();
        for m in &mut only_canary.workloads[0].members {
            m.action = Unchanged;
        }
        let c = only_canary.counts();
        assert_eq!((c.workloads_changed, c.workloads_unchanged), (1, 0));
        insta::assert_snapshot!(render(&r, 0, false, &Styler::plain()), @r"
        deployment.apps/web-2 configured on m0 (2 -> 3)
        deployment.apps/web-2 configured on m1 (1 -> 2)
        deployment.apps/web-2-canary deleted from m0 (1 -> 0)
        1 unchanged copy not listed (-v lists them).
        Summary: 1 workload changed, 0 unchanged; copies 0 created, 2 configured, 1 deleted, 1 unchanged; replicas 2 added, 1 removed; 0 unplaced.
        ");
    }

    #[test]
    fn verbose_apply_result_lists_every_member_copy() {
        let text = render(&report(), 0, true, &Styler::plain());
        assert_eq!(
            text.lines()
                .filter(|l| l.contains(" unchanged on "))
                .count(),
            6,
            "{text}"
        );
        assert!(!text.contains("not listed"), "{text}");
    }

    #[test]
    fn an_apply_without_writes_says_no_changes() {
        let mut r = report();
        for w in &mut r.workloads {
            for m in &mut w.members {
                m.action = ChangeAction::Unchanged;
            }
        }
        r.written.clear();
        assert_eq!(
            render(&r, 0, false, &Styler::plain()),
            "No changes: the fleet already matches the plan.\n"
        );
    }

    #[test]
    fn closing_lines_count_unchanged_copies_and_summarise_the_change() {
        let c = ReportCounts {
            workloads_changed: 150,
            workloads_unchanged: 0,
            created: 450,
            unchanged: 0,
            absent: 300,
            added: 597,
            ..Default::default()
        };
        insta::assert_snapshot!(closing_lines(&c, DryRun::None, 0, false, &Styler::plain()), @"Summary: 150 workloads changed, 0 unchanged; copies 450 created, 0 configured, 0 deleted, 0 unchanged; replicas 597 added, 0 removed; 0 unplaced.");
        let c = ReportCounts {
            workloads_changed: 1,
            workloads_unchanged: 149,
            configured: 2,
            unchanged: 448,
            failed: 1,
            added: 3,
            removed: 3,
            moved: 3,
            ..Default::default()
        };
        insta::assert_snapshot!(closing_lines(&c, DryRun::Client, 2, false, &Styler::plain()), @r"
        448 unchanged copies not listed (-v lists them).
        Summary (dry run): 1 workload changed, 149 unchanged; copies 0 created, 2 configured, 0 deleted, 448 unchanged, 1 failed; replicas 3 added, 3 removed (3 moved between members); 2 unplaced.
        ");
        let listed = closing_lines(&c, DryRun::None, 0, true, &Styler::plain());
        assert!(!listed.contains("not listed"), "{listed}");
    }
}
