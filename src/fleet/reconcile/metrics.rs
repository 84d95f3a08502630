//! Prometheus metrics of `reconcile`, rendered in the text exposition format (version 0.0.4)
//! by hand: placements per cluster, moves, errors, member reachability, passes, leadership,
//! and the fleet autoscalers' current/desired replicas and rescales.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// Metrics shared between the reconcile loop and the HTTP server.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// (cluster, namespace, deployment) → desired replicas.
    placements: BTreeMap<(String, String, String), u32>,
    reachable: BTreeMap<String, bool>,
    errors: BTreeMap<String, u64>,
    moves: u64,
    passes: u64,
    writes: u64,
    leader: bool,
    last_pass_seconds: f64,
    /// (namespace, autoscaler) → (current, desired) replicas of the last evaluation.
    autoscalers: BTreeMap<(String, String), (u32, u32)>,
    /// (namespace, autoscaler) → rescales applied.
    rescales: BTreeMap<(String, String), u64>,
}

fn esc(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut g)
    }

    /// Replaces the placements of one workload.
    pub fn set_placements(&self, namespace: &str, name: &str, rows: &[(String, u32)]) {
        self.with(|m| {
            m.placements
                .retain(|(_, ns, n), _| !(ns == namespace && n == name));
            for (cluster, replicas) in rows {
                m.placements.insert(
                    (cluster.clone(), namespace.to_string(), name.to_string()),
                    *replicas,
                );
            }
        });
    }

    pub fn set_reachable(&self, cluster: &str, up: bool) {
        self.with(|m| {
            m.reachable.insert(cluster.to_string(), up);
        });
    }

    pub fn add_error(&self, cluster: &str) {
        self.with(|m| *m.errors.entry(cluster.to_string()).or_default() += 1);
    }

    pub fn add_moves(&self, n: u64) {
        self.with(|m| m.moves += n);
    }

    pub fn add_writes(&self, n: u64) {
        self.with(|m| m.writes += n);
    }

    pub fn pass_done(&self, seconds: f64) {
        self.with(|m| {
            m.passes += 1;
            m.last_pass_seconds = seconds;
        });
    }

    /// Replaces the autoscalers' gauges with this pass's evaluations: (namespace, name,
    /// current, desired). Autoscalers no longer evaluated drop out.
    pub fn set_autoscalers(&self, rows: &[(String, String, u32, u32)]) {
        self.with(|m| {
            m.autoscalers = rows
                .iter()
                .map(|(ns, n, c, d)| ((ns.clone(), n.clone()), (*c, *d)))
                .collect();
        });
    }

    /// Counts one applied rescale of autoscaler `namespace/name`.
    pub fn add_rescale(&self, namespace: &str, name: &str) {
        self.with(|m| {
            *m.rescales
                .entry((namespace.to_string(), name.to_string()))
                .or_default() += 1
        });
    }

    pub fn set_leader(&self, leader: bool) {
        self.with(|m| m.leader = leader);
    }

    /// Passes run so far.
    pub fn passes(&self) -> u64 {
        self.with(|m| m.passes)
    }

    /// Member writes (apply) so far.
    pub fn writes(&self) -> u64 {
        self.with(|m| m.writes)
    }

    /// The text exposition.
    pub fn render(&self) -> String {
        self.with(|m| {
            let mut o = String::new();
            let _ = writeln!(o, "# HELP kubectl_fleet_placement_replicas Desired replicas of a managed Deployment on a member cluster.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_placement_replicas gauge");
            for ((c, ns, n), v) in &m.placements {
                let _ = writeln!(
                    o,
                    "kubectl_fleet_placement_replicas{{cluster=\"{}\",namespace=\"{}\",deployment=\"{}\"}} {v}",
                    esc(c),
                    esc(ns),
                    esc(n)
                );
            }
            let _ = writeln!(o, "# HELP kubectl_fleet_member_reachable 1 when the member's API server answered in the last pass.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_member_reachable gauge");
            for (c, up) in &m.reachable {
                let _ = writeln!(
                    o,
                    "kubectl_fleet_member_reachable{{cluster=\"{}\"}} {}",
                    esc(c),
                    u8::from(*up)
                );
            }
            let _ = writeln!(o, "# HELP kubectl_fleet_errors_total Errors per member (reads, writes).");
            let _ = writeln!(o, "# TYPE kubectl_fleet_errors_total counter");
            for (c, n) in &m.errors {
                let _ = writeln!(o, "kubectl_fleet_errors_total{{cluster=\"{}\"}} {n}", esc(c));
            }
            let _ = writeln!(o, "# HELP kubectl_fleet_moves_total Replicas moved between members.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_moves_total counter");
            let _ = writeln!(o, "kubectl_fleet_moves_total {}", m.moves);
            let _ = writeln!(o, "# HELP kubectl_fleet_member_writes_total Member copies written by apply.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_member_writes_total counter");
            let _ = writeln!(o, "kubectl_fleet_member_writes_total {}", m.writes);
            let _ = writeln!(o, "# HELP kubectl_fleet_reconcile_passes_total Reconcile passes run by this process (as leader).");
            let _ = writeln!(o, "# TYPE kubectl_fleet_reconcile_passes_total counter");
            let _ = writeln!(o, "kubectl_fleet_reconcile_passes_total {}", m.passes);
            let _ = writeln!(o, "# HELP kubectl_fleet_reconcile_last_pass_seconds Duration of the last pass.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_reconcile_last_pass_seconds gauge");
            let _ = writeln!(o, "kubectl_fleet_reconcile_last_pass_seconds {}", m.last_pass_seconds);
            let _ = writeln!(o, "# HELP kubectl_fleet_leader 1 while this process holds the reconcile Lease (or runs without one).");
            let _ = writeln!(o, "# TYPE kubectl_fleet_leader gauge");
            let _ = writeln!(o, "kubectl_fleet_leader {}", u8::from(m.leader));
            let _ = writeln!(o, "# HELP kubectl_fleet_autoscaler_current_replicas Fleet-wide replicas of a fleet autoscaler's target at its last evaluation.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_autoscaler_current_replicas gauge");
            for ((ns, n), (c, _)) in &m.autoscalers {
                let _ = writeln!(
                    o,
                    "kubectl_fleet_autoscaler_current_replicas{{namespace=\"{}\",name=\"{}\"}} {c}",
                    esc(ns),
                    esc(n)
                );
            }
            let _ = writeln!(o, "# HELP kubectl_fleet_autoscaler_desired_replicas Fleet-wide replicas a fleet autoscaler decided at its last evaluation.");
            let _ = writeln!(o, "# TYPE kubectl_fleet_autoscaler_desired_replicas gauge");
            for ((ns, n), (_, d)) in &m.autoscalers {
                let _ = writeln!(
                    o,
                    "kubectl_fleet_autoscaler_desired_replicas{{namespace=\"{}\",name=\"{}\"}} {d}",
                    esc(ns),
                    esc(n)
                );
            }
            let _ = writeln!(o, "# HELP kubectl_fleet_autoscaler_rescales_total Rescales applied by a fleet autoscaler (SuccessfulRescale).");
            let _ = writeln!(o, "# TYPE kubectl_fleet_autoscaler_rescales_total counter");
            for ((ns, n), v) in &m.rescales {
                let _ = writeln!(
                    o,
                    "kubectl_fleet_autoscaler_rescales_total{{namespace=\"{}\",name=\"{}\"}} {v}",
                    esc(ns),
                    esc(n)
                );
            }
            o
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text_with_labels() {
        let m = Metrics::new();
        m.set_placements("default", "web", &[("a".into(), 3), ("b".into(), 1)]);
        m.set_reachable("a", true);
        m.set_reachable("b", false);
        m.add_error("b");
        m.add_moves(2);
        let text = m.render();
        assert!(text.contains(
            "kubectl_fleet_placement_replicas{cluster=\"a\",namespace=\"default\",deployment=\"web\"} 3"
        ));
        assert!(text.contains("kubectl_fleet_member_reachable{cluster=\"b\"} 0"));
        assert!(text.contains("kubectl_fleet_errors_total{cluster=\"b\"} 1"));
        assert!(text.contains("kubectl_fleet_moves_total 2"));
        m.set_placements("default", "web", &[("a".into(), 4)]);
        assert!(!m.render().contains("cluster=\"b\",namespace"));
    }

    #[test]
    fn renders_the_autoscalers_replicas_and_rescales() {
        let m = Metrics::new();
        m.set_autoscalers(&[
            ("default".into(), "web".into(), 4, 12),
            ("ml".into(), "qwen".into(), 2, 2),
        ]);
        m.add_rescale("default", "web");
        m.add_rescale("default", "web");
        let text = m.render();
        for line in [
            "# TYPE kubectl_fleet_autoscaler_current_replicas gauge",
            "kubectl_fleet_autoscaler_current_replicas{namespace=\"default\",name=\"web\"} 4",
            "kubectl_fleet_autoscaler_desired_replicas{namespace=\"default\",name=\"web\"} 12",
            "kubectl_fleet_autoscaler_current_replicas{namespace=\"ml\",name=\"qwen\"} 2",
            "kubectl_fleet_autoscaler_desired_replicas{namespace=\"ml\",name=\"qwen\"} 2",
            "# TYPE kubectl_fleet_autoscaler_rescales_total counter",
            "kubectl_fleet_autoscaler_rescales_total{namespace=\"default\",name=\"web\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
        assert!(!text.contains("rescales_total{namespace=\"ml\""));
        // A deleted autoscaler drops out of the gauges; the counter keeps its total.
        m.set_autoscalers(&[("ml".into(), "qwen".into(), 2, 3)]);
        let text = m.render();
        assert!(!text.contains("current_replicas{namespace=\"default\""));
        assert!(text.contains(
            "kubectl_fleet_autoscaler_desired_replicas{namespace=\"ml\",name=\"qwen\"} 3"
        ));
        assert!(text.contains(
            "kubectl_fleet_autoscaler_rescales_total{namespace=\"default\",name=\"web\"} 2"
        ));
    }
}
