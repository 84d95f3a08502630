//! The closing lines of `apply` and `scale` after the one line per changed copy: how many
//! unchanged copies were not listed, and one summary line (workloads changed; copies created,
//! configured, deleted, unchanged; replicas added, removed and moved; unplaced).

use super::color::{Paint, Styler};
use crate::fleet::{DryRun, ReportCounts};

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
