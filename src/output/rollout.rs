//! `rollout status` and `rollout history` tables.

use super::color::{Paint, Styler};
use super::table::{Cell, Table};
use crate::fleet::rollout::{Record, RolloutStatus};
use crate::rollout::Phase;

/// One line: where the rollout is (kubectl's `Waiting for ...` / `successfully rolled out`).
pub fn status_line(st: &RolloutStatus) -> String {
    let what = format!("deployment {:?}", st.name);
    let step = if st.steps > 0 {
        format!("revision {} step {}/{}: ", st.revision, st.step, st.steps)
    } else {
        format!("revision {}: ", st.revision)
    };
    let counts = format!(
        "{} of {} new replicas updated ({} wanted at this step)",
        st.updated, st.total, st.target
    );
    match &st.phase {
        Phase::Completed => format!("{what} successfully rolled out (revision {})", st.revision),
        Phase::Progressing { reason } => {
            format!("Waiting for {what} rollout to finish: {step}{counts}: {reason}")
        }
        Phase::Paused => format!("{what} rollout paused at {step}{counts} (kubectl fleet rollout resume deploy/{})", st.name),
        Phase::WaitingForResume => format!(
            "{what} rollout waiting at {step}{counts}: pause until `kubectl fleet rollout resume deploy/{}`",
            st.name
        ),
        Phase::WaitingForTimer { remaining } => format!(
            "{what} rollout waiting at {step}{counts}: pause, {remaining}s left (kubectl fleet reconcile continues it)"
        ),
        Phase::ReadyToAdvance => format!(
            "{what} rollout waiting at {step}{counts}: pause over, the next `kubectl fleet reconcile` (or `rollout resume`) continues"
        ),
        Phase::Failed {
            cluster,
            pod,
            reason,
        } => format!(
            "{what} rollout failed at {step}{cluster}{}: {reason}",
            pod.as_ref().map(|p| format!(" pod {p}")).unwrap_or_default()
        ),
    }
}

/// The per-member table of `rollout status`.
pub fn status_table(st: &RolloutStatus, styler: &Styler) -> String {
    let mut t = Table::new([
        "CLUSTER", "TOTAL", "STABLE", "CANARY", "UPDATED", "READY", "STATE",
    ]);
    for m in &st.members {
        let paint = match m.state.as_str() {
            "updated" => Paint::Good,
            "canary" => Paint::Warn,
            "unreachable" => Paint::Bad,
            _ => Paint::Plain,
        };
        t.row([
            Cell::from(m.cluster.as_str()),
            Cell::from(m.total.to_string()),
            Cell::from(m.stable.to_string()),
            Cell::from(m.canary.to_string()),
            Cell::from(format!("{}/{}", m.new_available, m.want_new)),
            Cell::from(m.ready.to_string()),
            Cell::painted(m.state.as_str(), paint),
        ]);
    }
    t.row([
        Cell::from("(fleet)"),
        Cell::from(st.total.to_string()),
        Cell::from(st.members.iter().map(|m| m.stable).sum::<u32>().to_string()),
        Cell::from(st.members.iter().map(|m| m.canary).sum::<u32>().to_string()),
        Cell::from(format!("{}/{}", st.updated, st.target)),
        Cell::from(st.ready.to_string()),
        Cell::from(""),
    ]);
    t.render(styler)
}

/// `rollout history` (kubectl's REVISION / CHANGE-CAUSE), with the fleet's state per revision.
pub fn history_table(name: &str, r: &Record) -> String {
    let state = r.state.as_ref();
    let active = state.is_some_and(|s| s.is_active(r.steps().map_or(0, |x| x.len())));
    let mut t = Table::new(["REVISION", "CHANGE-CAUSE", "CREATED", "STATE"]);
    let mut revs: Vec<_> = r.history.iter().collect();
    revs.sort_by_key(|x| x.revision);
    for rev in revs {
        let st = match state {
            Some(s) if s.revision == rev.revision && !active => "current",
            Some(s) if s.revision == rev.revision => "rolling out",
            Some(s) if s.stable_revision == rev.revision && active => "stable",
            _ => "",
        };
        t.row([
            Cell::from(rev.revision.to_string()),
            Cell::from(rev.change_cause.clone().unwrap_or_else(|| "<none>".into())),
            Cell::from(rev.created.as_str()),
            Cell::from(st),
        ]);
    }
    format!("deployment.apps/{name}\n{}", t.render_plain())
}
