//! One line per member copy of an apply report, kubectl style, shared by `apply`, `scale`,
//! `drain` and `rebalance`:
//! `deployment.apps/web configured on c1 (2 -> 6)`,
//! `deployment.apps/web configured on c2 (2 replicas; changed: fleet total, placement)`,
//! `deployment.apps/web deleted from c3 (4 -> 0)`.

use crate::fleet::{ChangeAction, MemberChange};

use super::{Paint, Styler};

/// The line of one member copy (with a trailing newline). `suffix` marks dry runs.
pub fn change_line(name: &str, m: &MemberChange, suffix: &str, styler: &Styler) -> String {
    let paint = match m.action {
        ChangeAction::Failed => Paint::Bad,
        ChangeAction::Skipped => Paint::Warn,
        ChangeAction::Unchanged => Paint::Dim,
        _ => Paint::Good,
    };
    let counts = match m.action {
        ChangeAction::Unchanged => format!(" ({})", replicas_word(m.to)),
        ChangeAction::Deleted => format!(" ({} -> 0)", m.from),
        ChangeAction::Skipped | ChangeAction::Failed => format!(" ({})", replicas_word(m.from)),
        _ if m.from == m.to && m.action == ChangeAction::Configured => {
            // Same replica count: say what the write changed instead of "(2 -> 2)".
            let what: Vec<&str> = m
                .changed
                .iter()
                .map(String::as_str)
                .filter(|w| *w != "replicas")
                .collect();
            if what.is_empty() {
                format!(" ({})", replicas_word(m.to))
            } else {
                format!(" ({}; changed: {})", replicas_word(m.to), what.join(", "))
            }
        }
        _ => format!(" ({} -> {})", m.from, m.to),
    };
    let note = m
        .message
        .as_deref()
        .map(|s| format!(": {s}"))
        .unwrap_or_default();
    let prep = if m.action == ChangeAction::Deleted {
        "from"
    } else {
        "on"
    };
    format!(
        "deployment.apps/{name} {} {prep} {}{counts}{suffix}{note}\n",
        styler.paint(paint, m.action.as_str()),
        m.cluster
    )
}

fn replicas_word(n: u32) -> String {
    if n == 1 {
        "1 replica".to_string()
    } else {
        format!("{n} replicas")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(action: ChangeAction, from: u32, to: u32, changed: &[&str]) -> MemberChange {
        MemberChange {
            cluster: "c1".into(),
            action,
            from,
            to,
            phase: 1,
            message: None,
            changed: changed.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_write_that_keeps_the_replicas_says_what_changed() {
        let s = Styler::new(false);
        let line = change_line(
            "web",
            &change(
                ChangeAction::Configured,
                1,
                1,
                &["fleet total", "placement"],
            ),
            "",
            &s,
        );
        assert_eq!(
            line,
            "deployment.apps/web configured on c1 (1 replica; changed: fleet total, placement)\n"
        );
        assert!(!line.contains("1 -> 1"));
        let scaled = change_line(
            "web",
            &change(ChangeAction::Configured, 2, 6, &["replicas"]),
            "",
            &s,
        );
        assert_eq!(scaled, "deployment.apps/web configured on c1 (2 -> 6)\n");
        let deleted = change_line("web", &change(ChangeAction::Deleted, 4, 0, &[]), "", &s);
        assert_eq!(deleted, "deployment.apps/web deleted from c1 (4 -> 0)\n");
        let same = change_line("web", &change(ChangeAction::Unchanged, 2, 2, &[]), "", &s);
        assert_eq!(same, "deployment.apps/web unchanged on c1 (2 replicas)\n");
    }
}
