//! The HPA controller's test table, ported in spirit (replica_calculator_test.go,
//! horizontal_test.go): every expectation below is worked out by hand from the algorithm.

use std::collections::BTreeMap;

use super::calc::*;
use super::evaluate::*;
use super::model::*;
use super::normalize::*;
use crate::capacity::Resources;

const NOW: Millis = 1_000_000_000;
const MIN: i64 = 60_000;

fn cfg() -> ControllerConfig {
    ControllerConfig::default()
}

/// A Running, Ready pod started long ago, requesting 1 cpu, using `cpu_milli`.
fn pod(i: usize, cpu_milli: Option<i64>) -> PodInfo {
    PodInfo {
        member: i % 2,
        name: format!("p{i}"),
        phase: PodPhase::Running,
        deleting: false,
        ready: Some(ReadyCondition {
            ready: true,
            last_transition: NOW - 20 * MIN,
        }),
        start_time: Some(NOW - 21 * MIN),
        containers: vec![ContainerInfo {
            name: "app".into(),
            requests: Resources::from_milli([("cpu", 1000), ("memory", 1 << 30)]),
        }],
        usage: cpu_milli.map(|c| UsageSample {
            timestamp: NOW - 10_000,
            window_ms: 30_000,
            containers: vec![("app".into(), Resources::from_milli([("cpu", c)]))],
        }),
        custom: BTreeMap::new(),
    }
}

fn pods(levels: &[i64]) -> Vec<PodInfo> {
    levels
        .iter()
        .enumerate()
        .map(|(i, l)| pod(i, Some(*l)))
        .collect()
}

/// Not ready, started a minute ago (inside the CPU initialization period).
fn unready(mut p: PodInfo) -> PodInfo {
    p.start_time = Some(NOW - MIN);
    p.ready = Some(ReadyCondition {
        ready: false,
        last_transition: NOW - MIN,
    });
    p
}

fn util(target: i32) -> PodMetric<'static> {
    PodMetric::Utilization {
        resource: "cpu",
        container: None,
        target_percent: target,
    }
}

fn calc(current: u32, target: i32, pods: &[PodInfo]) -> Proposal {
    pod_metric_replicas(current, &util(target), pods, NOW, &cfg()).unwrap()
}

#[test]
fn scale_up_from_the_fleet_average() {
    // 1500m of 3000m requested = 50% against 30% → ceil(3 × 50/30) = 5.
    let p = calc(3, 30, &pods(&[300, 500, 700]));
    assert_eq!(p.replicas, 5);
    assert_eq!(p.utilization, Some(50));
    assert_eq!(p.value, 500);
}

#[test]
fn scale_down_from_the_fleet_average() {
    // 1400/5000 = 28% against 50% → ceil(5 × 0.56) = 3.
    let p = calc(5, 50, &pods(&[100, 300, 500, 250, 250]));
    assert_eq!((p.replicas, p.utilization), (3, Some(28)));
}

#[test]
fn inside_the_tolerance_keeps_the_current_count() {
    // 102% against 100%: |1 - 1.02| <= 0.1.
    let p = calc(3, 100, &pods(&[1010, 1030, 1020]));
    assert_eq!((p.replicas, p.utilization), (3, Some(102)));
    // 111% is outside: ceil(3 × 1.11) = 4.
    assert_eq!(calc(3, 100, &pods(&[1110, 1110, 1110])).replicas, 4);
}

#[test]
fn unready_pods_count_as_zero_on_scale_up() {
    // Ready pods: 1200/2000 = 60% vs 30% → scale-up with an unready pod: it counts as 0,
    // 1200/3000 = 40% → ceil(3 × 1.333) = 4. The reported utilization is the ready pods' 60%.
    let mut ps = pods(&[300, 500, 700]);
    ps[0] = unready(ps[0].clone());
    let p = calc(3, 30, &ps);
    assert_eq!((p.replicas, p.utilization), (4, Some(60)));
}

#[test]
fn unready_pods_are_left_out_of_a_scale_down() {
    // Ready: 900/3000 = 30% vs 50% → ceil(3 × 0.6) = 2.
    let mut ps = pods(&[100, 300, 500, 250, 250]);
    ps[3] = unready(ps[3].clone());
    ps[4] = unready(ps[4].clone());
    let p = calc(5, 50, &ps);
    assert_eq!((p.replicas, p.utilization), (2, Some(30)));
}

#[test]
fn unready_pods_that_would_flip_the_direction_keep_the_count() {
    // Ready 1 pod at 100% vs 60% → up; with 3 unready at 0: 1000/4000 = 25% → down: no change.
    let mut ps = pods(&[1000, 0, 0, 0]);
    for p in ps.iter_mut().skip(1) {
        *p = unready(p.clone());
    }
    assert_eq!(calc(4, 60, &ps).replicas, 4);
}

#[test]
fn missing_metrics_count_as_zero_on_scale_up() {
    // 2800/2000 = 140% vs 50%; two pods without metrics at 0: 2800/4000 = 70% → ceil(4 × 1.4) = 6.
    let mut ps = pods(&[1400, 1400]);
    ps.push(pod(2, None));
    ps.push(pod(3, None));
    assert_eq!(calc(4, 50, &ps).replicas, 6);
    // 90%: with the missing at 0, 45% < 50% flips the direction → keep 4.
    let mut ps = pods(&[900, 900]);
    ps.push(pod(2, None));
    ps.push(pod(3, None));
    assert_eq!(calc(4, 50, &ps).replicas, 4);
}

#[test]
fn missing_metrics_count_as_full_request_on_scale_down() {
    // 200/2000 = 10% vs 80%; missing at 100% of request: 2200/4000 = 55% → ceil(4 × 0.6875) = 3.
    let mut ps = pods(&[100, 100]);
    ps.push(pod(2, None));
    ps.push(pod(3, None));
    assert_eq!(calc(4, 80, &ps).replicas, 3);
    // vs 50%: 55% > 50% flips the direction → keep 4.
    assert_eq!(calc(4, 50, &ps).replicas, 4);
}

#[test]
fn missing_metrics_use_the_target_when_it_is_above_100_percent() {
    // 400/2000 = 20% vs 150%; missing at 150% of 1000m: 3400/4000 = 85% → ceil(4 × 0.5667) = 3.
    let mut ps = pods(&[200, 200]);
    ps.push(pod(2, None));
    ps.push(pod(3, None));
    assert_eq!(calc(4, 150, &ps).replicas, 3);
}

#[test]
fn deleted_and_failed_pods_are_ignored() {
    let mut ps = pods(&[500, 500, 9000, 9000]);
    ps[2].deleting = true;
    ps[3].phase = PodPhase::Failed;
    // Only the two 50% pods count: vs 50% → within tolerance → current.
    assert_eq!(calc(2, 50, &ps).replicas, 2);
}

#[test]
fn pending_pods_are_unready() {
    let mut ps = pods(&[1000, 1000, 0]);
    ps[2].phase = PodPhase::Pending;
    ps[2].usage = None;
    // 100% vs 50% on 2 ready; pending at 0: 2000/3000 = 66% → ceil(3 × 1.333) = 4.
    assert_eq!(calc(3, 50, &ps).replicas, 4);
}

#[test]
fn cpu_initialization_period_ignores_samples_taken_before_readiness() {
    // Started a minute ago, Ready 5 s ago, sample 10 s old with a 30 s window: unready.
    let mut fresh = pod(1, Some(5000));
    fresh.start_time = Some(NOW - MIN);
    fresh.ready = Some(ReadyCondition {
        ready: true,
        last_transition: NOW - 5000,
    });
    let ps = vec![pod(0, Some(1000)), fresh.clone()];
    // The 500% pod is left out (it counts 0 on the way up): 1000/2000 = 50% vs 50% → 2.
    assert_eq!(calc(2, 50, &ps).replicas, 2);
    // Ready long enough before the sample: it counts: 6000/2000 = 300% → 12.
    fresh.ready = Some(ReadyCondition {
        ready: true,
        last_transition: NOW - 50_000,
    });
    assert_eq!(calc(2, 50, &[pod(0, Some(1000)), fresh]).replicas, 12);
}

#[test]
fn after_the_initialization_period_only_never_ready_pods_are_unready() {
    // Started 10 min ago; not ready since 10 s after start (inside the 30 s readiness delay):
    // never became ready → unready (its sample is left out).
    let mut p = pod(1, Some(3000));
    p.start_time = Some(NOW - 10 * MIN);
    p.ready = Some(ReadyCondition {
        ready: false,
        last_transition: NOW - 10 * MIN + 10_000,
    });
    assert_eq!(calc(2, 50, &[pod(0, Some(500)), p.clone()]).replicas, 2);
    // Not ready since 1 min after start: it was ready once, so its sample counts (CPU rule).
    p.ready = Some(ReadyCondition {
        ready: false,
        last_transition: NOW - 9 * MIN,
    });
    // 3500/2000 = 175% vs 50% → ceil(2 × 3.5) = 7.
    assert_eq!(calc(2, 50, &[pod(0, Some(500)), p]).replicas, 7);
}

#[test]
fn memory_has_no_initialization_period() {
    let mut p = unready(pod(1, None));
    p.usage = Some(UsageSample {
        timestamp: NOW,
        window_ms: 30_000,
        containers: vec![("app".into(), Resources::from_milli([("memory", 1 << 30)]))],
    });
    let mut q = pod(0, None);
    q.usage = p.usage.clone();
    let m = PodMetric::Utilization {
        resource: "memory",
        container: None,
        target_percent: 50,
    };
    // Both count (the not-ready Running pod too): 100% vs 50% → 4.
    assert_eq!(
        pod_metric_replicas(2, &m, &[q, p], NOW, &cfg())
            .unwrap()
            .replicas,
        4
    );
}

#[test]
fn missing_request_is_an_error_naming_container_and_pod() {
    let mut ps = pods(&[500]);
    ps[0].containers[0].requests = Resources::new();
    let err = pod_metric_replicas(1, &util(50), &ps, NOW, &cfg()).unwrap_err();
    assert_eq!(err, "missing request for cpu in container app of Pod p0");
}

#[test]
fn no_metrics_at_all_is_an_error() {
    let err =
        pod_metric_replicas(2, &util(50), &[pod(0, None), pod(1, None)], NOW, &cfg()).unwrap_err();
    assert!(err.contains("did not receive metrics"), "{err}");
    let err = pod_metric_replicas(2, &util(50), &[], NOW, &cfg()).unwrap_err();
    assert!(err.contains("no pods"), "{err}");
}

#[test]
fn container_resource_uses_one_container() {
    let mut p = pod(0, None);
    p.containers.push(ContainerInfo {
        name: "sidecar".into(),
        requests: Resources::from_milli([("cpu", 1000)]),
    });
    p.usage = Some(UsageSample {
        timestamp: NOW - 10_000,
        window_ms: 30_000,
        containers: vec![
            ("app".into(), Resources::from_milli([("cpu", 1000)])),
            ("sidecar".into(), Resources::from_milli([("cpu", 0)])),
        ],
    });
    let app = PodMetric::Utilization {
        resource: "cpu",
        container: Some("app"),
        target_percent: 50,
    };
    // app alone: 100% vs 50% → 2; both containers: 50% → 1 (within tolerance).
    assert_eq!(
        pod_metric_replicas(1, &app, &[p.clone()], NOW, &cfg())
            .unwrap()
            .replicas,
        2
    );
    assert_eq!(calc(1, 50, &[p]).replicas, 1);
}

#[test]
fn raw_average_and_pods_metrics() {
    let avg = PodMetric::ResourceAverage {
        resource: "cpu",
        container: None,
        target: 250,
    };
    // average 500m vs 250m → 6.
    let p = pod_metric_replicas(3, &avg, &pods(&[300, 500, 700]), NOW, &cfg()).unwrap();
    assert_eq!((p.replicas, p.value, p.utilization), (6, 500, None));

    let mut ps = pods(&[0, 0, 0]);
    for (p, v) in ps.iter_mut().zip([10_000, 20_000, 30_000]) {
        p.custom.insert("qps".into(), v);
    }
    let qps = PodMetric::PodsAverage {
        metric: "qps",
        target: 10_000,
    };
    assert_eq!(
        pod_metric_replicas(3, &qps, &ps, NOW, &cfg())
            .unwrap()
            .replicas,
        6
    );
}

#[test]
fn object_and_external_values() {
    let ps = pods(&[0, 0, 0]);
    // Value 20 vs 10 over 3 ready pods → 6; 10.5 vs 10 → within tolerance.
    assert_eq!(
        value_replicas(3, 20_000, 10_000, &ps, &cfg())
            .unwrap()
            .replicas,
        6
    );
    assert_eq!(
        value_replicas(3, 10_500, 10_000, &ps, &cfg())
            .unwrap()
            .replicas,
        3
    );
    // From zero replicas: ceil(ratio).
    assert_eq!(
        value_replicas(0, 25_000, 10_000, &[], &cfg())
            .unwrap()
            .replicas,
        3
    );
    // AverageValue: 100 vs 20 per pod over 4 pods: ratio 1.25 → ceil(100/20) = 5; 25 per pod.
    let p = per_pod_value_replicas(4, 100_000, 20_000, &cfg());
    assert_eq!((p.replicas, p.value), (5, 25_000));
    assert_eq!(
        per_pod_value_replicas(5, 100_000, 20_000, &cfg()).replicas,
        5
    );
}

// ---- behavior: stabilization, policies, min/max (horizontal_test.go) ----

fn rules(window: i32, select: SelectPolicy, policies: &[(PolicyKind, i32, i32)]) -> ResolvedRules {
    ResolvedRules {
        stabilization_window_seconds: window,
        select_policy: select,
        policies: policies
            .iter()
            .map(|&(kind, value, period_seconds)| ScalingPolicy {
                kind,
                value,
                period_seconds,
            })
            .collect(),
    }
}

#[test]
fn defaults_of_autoscaling_v2() {
    let r = Behavior::default().resolved(300);
    assert_eq!(
        r.scale_up,
        rules(
            0,
            SelectPolicy::Max,
            &[(PolicyKind::Pods, 4, 15), (PolicyKind::Percent, 100, 15)]
        )
    );
    assert_eq!(
        r.scale_down,
        rules(300, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)])
    );
    // A set field is kept, unset ones defaulted.
    let b = Behavior {
        scale_down: Some(ScalingRules {
            stabilization_window_seconds: Some(60),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(b.resolved(300).scale_down.stabilization_window_seconds, 60);
}

#[test]
fn scale_up_limit_by_policies_and_select_policy() {
    let up = |sel| {
        rules(
            0,
            sel,
            &[(PolicyKind::Pods, 4, 15), (PolicyKind::Percent, 100, 15)],
        )
    };
    let down = rules(300, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]);
    // Max: max(10 + 4, 10 × 2) = 20.
    let l = limit_with_behavior_rate(
        10,
        100,
        1,
        1000,
        &up(SelectPolicy::Max),
        &down,
        &[],
        &[],
        NOW,
    );
    assert_eq!((l.replicas, l.reason), (20, "ScaleUpLimit"));
    // Min: min(14, 20) = 14.
    let l = limit_with_behavior_rate(
        10,
        100,
        1,
        1000,
        &up(SelectPolicy::Min),
        &down,
        &[],
        &[],
        NOW,
    );
    assert_eq!(l.replicas, 14);
    // Disabled: stays.
    let l = limit_with_behavior_rate(
        10,
        100,
        1,
        1000,
        &up(SelectPolicy::Disabled),
        &down,
        &[],
        &[],
        NOW,
    );
    assert_eq!(l.replicas, 10);
    // max below the rate limit: TooManyReplicas.
    let l = limit_with_behavior_rate(10, 100, 1, 15, &up(SelectPolicy::Max), &down, &[], &[], NOW);
    assert_eq!((l.replicas, l.reason), (15, "TooManyReplicas"));
    // Percent rounds up: 3 × 1.1 = 3.3 → 4.
    let p10 = rules(0, SelectPolicy::Max, &[(PolicyKind::Percent, 10, 60)]);
    assert_eq!(
        limit_with_behavior_rate(3, 10, 1, 100, &p10, &down, &[], &[], NOW).replicas,
        4
    );
}

#[test]
fn scale_up_limit_counts_changes_inside_the_period() {
    let up = rules(0, SelectPolicy::Max, &[(PolicyKind::Pods, 4, 60)]);
    let down = rules(0, SelectPolicy::Max, &[(PolicyKind::Percent, 100, 15)]);
    let ev = |change, ago| ScaleEvent {
        change,
        at: NOW - ago,
        outdated: false,
    };
    // +4 thirty seconds ago: the period started at 6, so 6 + 4 = 10 = current → no more.
    let l = limit_with_behavior_rate(10, 20, 1, 100, &up, &down, &[ev(4, 30_000)], &[], NOW);
    assert_eq!((l.replicas, l.reason), (10, "ScaleUpLimit"));
    // The event is older than the period: 10 + 4.
    let l = limit_with_behavior_rate(10, 20, 1, 100, &up, &down, &[ev(4, 61_000)], &[], NOW);
    assert_eq!(l.replicas, 14);
    // A scale-down inside the period raises the start: 10 + 3 + 4 = 17.
    let l = limit_with_behavior_rate(10, 20, 1, 100, &up, &down, &[], &[ev(3, 10_000)], NOW);
    assert_eq!(l.replicas, 17);
}

#[test]
fn scale_down_limit_counts_changes_inside_the_period() {
    let up = rules(0, SelectPolicy::Max, &[(PolicyKind::Pods, 4, 15)]);
    let down = rules(0, SelectPolicy::Max, &[(PolicyKind::Pods, 2, 60)]);
    let ev = |change, ago| ScaleEvent {
        change,
        at: NOW - ago,
        outdated: false,
    };
    // -2 thirty seconds ago: the period started at 12, so 12 - 2 = 10 = current → no less.
    let l = limit_with_behavior_rate(10, 1, 1, 100, &up, &down, &[], &[ev(2, 30_000)], NOW);
    assert_eq!((l.replicas, l.reason), (10, "ScaleDownLimit"));
    // The event is older than the period: 10 - 2.
    let l = limit_with_behavior_rate(10, 1, 1, 100, &up, &down, &[], &[ev(2, 61_000)], NOW);
    assert_eq!((l.replicas, l.reason), (8, "ScaleDownLimit"));
    // A scale-up inside the period lowers the start: 10 - 3 - 2 = 5.
    let l = limit_with_behavior_rate(10, 1, 1, 100, &up, &down, &[ev(3, 10_000)], &[], NOW);
    assert_eq!(l.replicas, 5);
    // Two events inside the period add up; one outside does not count: start 10 + 1 + 1 = 12.
    let l = limit_with_behavior_rate(
        10,
        1,
        1,
        100,
        &up,
        &down,
        &[],
        &[ev(1, 5_000), ev(1, 50_000), ev(4, 70_000)],
        NOW,
    );
    assert_eq!(l.replicas, 10);
    // Percent of the period's start: 50% of (5 + 5) = 5 = current → no less.
    let half = rules(0, SelectPolicy::Max, &[(PolicyKind::Percent, 50, 60)]);
    let l = limit_with_behavior_rate(5, 1, 1, 100, &up, &half, &[], &[ev(5, 30_000)], NOW);
    assert_eq!((l.replicas, l.reason), (5, "ScaleDownLimit"));
    // The limit never goes below minReplicas.
    let l = limit_with_behavior_rate(10, 1, 9, 100, &up, &down, &[], &[ev(2, 61_000)], NOW);
    assert_eq!((l.replicas, l.reason), (9, "TooFewReplicas"));
}

#[test]
fn scale_down_limit_by_policies() {
    let up = rules(0, SelectPolicy::Max, &[(PolicyKind::Pods, 4, 15)]);
    let pods2 = rules(0, SelectPolicy::Max, &[(PolicyKind::Pods, 2, 60)]);
    let l = limit_with_behavior_rate(10, 1, 1, 100, &up, &pods2, &[], &[], NOW);
    assert_eq!((l.replicas, l.reason), (8, "ScaleDownLimit"));
    // Percent truncates: 10 × 0.85 = 8.5 → 8.
    let p15 = rules(0, SelectPolicy::Max, &[(PolicyKind::Percent, 15, 60)]);
    assert_eq!(
        limit_with_behavior_rate(10, 1, 1, 100, &up, &p15, &[], &[], NOW).replicas,
        8
    );
    // Max picks the biggest change (lowest count), Min the smallest.
    let both = |sel| {
        rules(
            0,
            sel,
            &[(PolicyKind::Pods, 2, 60), (PolicyKind::Percent, 50, 60)],
        )
    };
    assert_eq!(
        limit_with_behavior_rate(10, 1, 1, 100, &up, &both(SelectPolicy::Max), &[], &[], NOW)
            .replicas,
        5
    );
    assert_eq!(
        limit_with_behavior_rate(10, 1, 1, 100, &up, &both(SelectPolicy::Min), &[], &[], NOW)
            .replicas,
        8
    );
    assert_eq!(
        limit_with_behavior_rate(
            10,
            1,
            1,
            100,
            &up,
            &both(SelectPolicy::Disabled),
            &[],
            &[],
            NOW
        )
        .replicas,
        10
    );
    // min above the rate limit: TooFewReplicas.
    let l = limit_with_behavior_rate(10, 1, 7, 100, &up, &both(SelectPolicy::Max), &[], &[], NOW);
    assert_eq!((l.replicas, l.reason), (7, "TooFewReplicas"));
}

#[test]
fn stabilization_windows() {
    let mut recs = vec![Recommendation {
        replicas: 8,
        at: NOW - 60_000,
    }];
    // Scale-down window 300 s holds the 8 of a minute ago.
    let s = stabilize_with_behaviors(&mut recs, 8, 3, 0, 300, NOW);
    assert_eq!((s.replicas, s.reason), (8, "ScaleDownStabilized"));
    assert_eq!(recs.len(), 2);
    // A 30 s window has forgotten it (and reuses its slot: it is older than both windows).
    let mut recs = vec![Recommendation {
        replicas: 8,
        at: NOW - 60_000,
    }];
    let s = stabilize_with_behaviors(&mut recs, 8, 3, 0, 30, NOW);
    assert_eq!(s.replicas, 3);
    assert_eq!(
        recs,
        vec![Recommendation {
            replicas: 3,
            at: NOW
        }]
    );
    // Scale-up window: the lowest recent recommendation wins.
    let mut recs = vec![Recommendation {
        replicas: 5,
        at: NOW - 10_000,
    }];
    let s = stabilize_with_behaviors(&mut recs, 4, 9, 60, 300, NOW);
    assert_eq!((s.replicas, s.reason), (5, "ScaleUpStabilized"));
    // Legacy: the highest of the downscale window.
    let mut recs = vec![
        Recommendation {
            replicas: 7,
            at: NOW - 100_000,
        },
        Recommendation {
            replicas: 9,
            at: NOW - 400_000,
        },
    ];
    assert_eq!(stabilize_legacy(&mut recs, 2, 300, NOW), 7);
    assert_eq!(
        recs[1],
        Recommendation {
            replicas: 2,
            at: NOW
        }
    );
}

#[test]
fn legacy_limits() {
    assert_eq!(limit_legacy(3, 20, 1, 100).replicas, 6);
    assert_eq!(limit_legacy(1, 20, 1, 100).replicas, 4);
    assert_eq!(limit_legacy(3, 20, 1, 5).reason, "TooManyReplicas");
    let l = limit_legacy(3, 1, 2, 5);
    assert_eq!((l.replicas, l.reason), (2, "TooFewReplicas"));
    assert_eq!(limit_legacy(3, 4, 2, 5).reason, "DesiredWithinRange");
}

#[test]
fn scale_events_reuse_outdated_slots() {
    let mut ev = vec![ScaleEvent {
        change: 2,
        at: NOW - 100_000,
        outdated: false,
    }];
    store_scale_event(&mut ev, 60, 3, NOW);
    assert_eq!(
        ev,
        vec![ScaleEvent {
            change: 3,
            at: NOW,
            outdated: false
        }]
    );
    store_scale_event(&mut ev, 60, 1, NOW + 1000);
    assert_eq!(ev.len(), 2);
}

// ---- whole evaluations ----

fn spec(min: u32, max: u32, behavior: Option<Behavior>) -> AutoscalerSpec {
    AutoscalerSpec {
        kind: AutoscalerKind::FederatedHpa,
        name: "web".into(),
        namespace: "default".into(),
        target: "web".into(),
        min_replicas: min,
        max_replicas: max,
        metrics: vec![MetricSpec::Resource {
            name: "cpu".into(),
            target: MetricTarget::Utilization(50),
        }],
        behavior,
    }
}

fn observe<'a>(
    now: Millis,
    current: u32,
    pods: &'a [PodInfo],
    objects: &'a BTreeMap<usize, Result<i64, String>>,
    partial: &'a [(String, String)],
) -> Observation<'a> {
    Observation {
        now,
        spec_replicas: current,
        status_replicas: pods.len() as u32,
        pods,
        object_values: objects,
        partial,
    }
}

#[test]
fn evaluation_scales_up_with_reason_conditions_and_event() {
    let s = spec(1, 10, Some(Behavior::default()));
    let mut st = AutoscalerState::default();
    let ps = pods(&[1000, 1000]);
    let none = BTreeMap::new();
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &ps, &none, &[]), &cfg());
    assert_eq!((d.desired, d.rescale), (4, true));
    assert_eq!(
        d.reason,
        "cpu resource utilization (percentage of request) above target"
    );
    assert_eq!(
        st.condition("ScalingActive").unwrap().reason,
        "ValidMetricFound"
    );
    assert_eq!(st.condition("ScalingLimited").unwrap().status, "False");
    assert_eq!(st.current_metrics[0].average_utilization, Some(100));
    let ev = st.rescaled(&s, &cfg(), &d, NOW);
    assert_eq!(ev.reason, "SuccessfulRescale");
    assert_eq!(
        ev.message,
        "New size: 4; reason: cpu resource utilization (percentage of request) above target"
    );
    assert_eq!(
        st.condition("AbleToScale").unwrap().reason,
        "SucceededRescale"
    );
    assert_eq!(st.scale_up_events.len(), 1);
    assert_eq!(st.last_scale_time, Some(NOW));
}

#[test]
fn evaluation_holds_scale_down_inside_the_window_then_releases() {
    let s = spec(1, 10, Some(Behavior::default()));
    let mut st = AutoscalerState::default();
    let none = BTreeMap::new();
    let ps = pods(&[100, 100, 100, 100]);
    // First sight records the current 4: the 10% load cannot scale down for 5 minutes.
    let d = evaluate(&s, &mut st, &observe(NOW, 4, &ps, &none, &[]), &cfg());
    assert!(!d.rescale);
    assert_eq!(
        st.condition("AbleToScale").unwrap().reason,
        "ScaleDownStabilized"
    );
    let d = evaluate(
        &s,
        &mut st,
        &observe(NOW + 4 * MIN, 4, &ps, &none, &[]),
        &cfg(),
    );
    assert!(!d.rescale);
    // After 5 minutes the window holds only the low recommendations: 1.
    let d = evaluate(
        &s,
        &mut st,
        &observe(NOW + 5 * MIN + 1000, 4, &ps, &none, &[]),
        &cfg(),
    );
    assert_eq!(
        (d.desired, d.reason.as_str()),
        (1, "All metrics below target")
    );
}

#[test]
fn evaluation_outside_min_max_and_disabled() {
    let none = BTreeMap::new();
    let ps = pods(&[500]);
    let mut st = AutoscalerState::default();
    let d = evaluate(
        &spec(2, 10, None),
        &mut st,
        &observe(NOW, 1, &ps, &none, &[]),
        &cfg(),
    );
    assert_eq!(
        (d.desired, d.reason.as_str()),
        (2, "Current number of replicas below Spec.MinReplicas")
    );
    let d = evaluate(
        &spec(1, 3, None),
        &mut st,
        &observe(NOW, 5, &ps, &none, &[]),
        &cfg(),
    );
    assert_eq!(
        (d.desired, d.reason.as_str()),
        (3, "Current number of replicas above Spec.MaxReplicas")
    );
    let d = evaluate(
        &spec(1, 3, None),
        &mut st,
        &observe(NOW, 0, &ps, &none, &[]),
        &cfg(),
    );
    assert!(!d.rescale);
    assert_eq!(
        st.condition("ScalingActive").unwrap().reason,
        "ScalingDisabled"
    );
}

#[test]
fn evaluation_takes_the_largest_metric_and_tolerates_one_invalid_on_scale_up() {
    let mut s = spec(1, 20, Some(Behavior::default()));
    s.metrics.push(MetricSpec::External {
        metric: MetricIdentifier {
            name: "queue".into(),
            selector: None,
        },
        target: MetricTarget::AverageValue(10_000),
    });
    let ps = pods(&[500, 500]);
    let mut objects = BTreeMap::new();
    objects.insert(1, Ok(60_000));
    let mut st = AutoscalerState::default();
    // cpu says 2 (at target), the queue says ceil(60/10) = 6.
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &ps, &objects, &[]), &cfg());
    assert_eq!(d.desired, 6);
    assert_eq!(d.reason, "external metric queue above target");
    assert_eq!(st.current_metrics[1].value, Some(30_000));

    // The external metric fails; cpu alone says scale up: fine.
    objects.insert(1, Err("not found".into()));
    let hot = pods(&[1000, 1000]);
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &hot, &objects, &[]), &cfg());
    assert_eq!(d.desired, 4);
    assert!(d
        .events
        .iter()
        .any(|e| e.reason == "FailedGetExternalMetric"));

    // ... but never scale down with an invalid metric.
    let cold = pods(&[100, 100, 100, 100]);
    let mut st = AutoscalerState::default();
    let d = evaluate(&s, &mut st, &observe(NOW, 4, &cold, &objects, &[]), &cfg());
    assert!(!d.rescale);
    let c = st.condition("ScalingActive").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("False", "FailedGetExternalMetric")
    );
    assert!(d
        .events
        .iter()
        .any(|e| e.reason == "FailedComputeMetricsReplicas"));
}

#[test]
fn evaluation_never_scales_down_on_partial_data() {
    let s = spec(
        1,
        10,
        Some(Behavior {
            scale_down: Some(ScalingRules {
                stabilization_window_seconds: Some(0),
                ..Default::default()
            }),
            ..Default::default()
        }),
    );
    let none = BTreeMap::new();
    let partial = vec![("ack-shanghai".to_string(), "unreachable".to_string())];
    let ps = pods(&[100, 100]);
    let mut st = AutoscalerState::default();
    let d = evaluate(&s, &mut st, &observe(NOW, 4, &ps, &none, &partial), &cfg());
    assert!(!d.rescale);
    let c = st.condition("ScalingLimited").unwrap();
    assert_eq!(c.reason, "PartialMetrics");
    assert!(c.message.contains("ack-shanghai"), "{}", c.message);
    // Scale-up on partial data is allowed.
    let hot = pods(&[2000, 2000]);
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &hot, &none, &partial), &cfg());
    assert_eq!(d.desired, 6); // 8 proposed, limited to max(2 + 4, 2 × 2)
}

#[test]
fn a_scale_up_on_partial_data_says_so_in_a_condition() {
    let s = spec(1, 10, Some(Behavior::default()));
    let none = BTreeMap::new();
    let partial = vec![(
        "ack-shanghai".to_string(),
        "no resource metrics: 503".to_string(),
    )];
    let hot = pods(&[2000, 2000]);
    let mut st = AutoscalerState::default();
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &hot, &none, &partial), &cfg());
    assert!(d.rescale && d.desired > 2, "{d:?}");
    let c = st.condition("ScalingActive").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("True", "ValidMetricFound")
    );
    assert!(
        c.message
            .ends_with("(partial data: no pods or metrics from ack-shanghai)"),
        "{}",
        c.message
    );
    assert_eq!(st.partial, partial);
    // The next pass with every member answering drops the note.
    let d = evaluate(
        &s,
        &mut st,
        &observe(NOW + 1000, 2, &hot, &none, &[]),
        &cfg(),
    );
    assert!(d.rescale);
    assert!(!st
        .condition("ScalingActive")
        .unwrap()
        .message
        .contains("partial"));
}

#[test]
fn above_max_is_clamped_even_on_partial_data() {
    // kube clamps a count above maxReplicas whatever the metrics say: an outage does not keep
    // the fleet above its maximum.
    let none = BTreeMap::new();
    let partial = vec![("ack-shanghai".to_string(), "unreachable".to_string())];
    let ps = pods(&[100, 100, 100, 100, 100]);
    for behavior in [None, Some(Behavior::default())] {
        let mut st = AutoscalerState::default();
        let d = evaluate(
            &spec(1, 3, behavior),
            &mut st,
            &observe(NOW, 5, &ps, &none, &partial),
            &cfg(),
        );
        assert_eq!(
            (d.desired, d.rescale, d.reason.as_str()),
            (3, true, "Current number of replicas above Spec.MaxReplicas")
        );
        let c = st.condition("ScalingLimited").unwrap();
        assert_eq!(
            (c.status.as_str(), c.reason.as_str()),
            ("True", "TooManyReplicas")
        );
        assert!(c.message.contains("ack-shanghai"), "{}", c.message);
    }
    // Below min on partial data: raised to min, and said so.
    let mut st = AutoscalerState::default();
    let d = evaluate(
        &spec(4, 10, None),
        &mut st,
        &observe(NOW, 2, &ps[..2], &none, &partial),
        &cfg(),
    );
    assert_eq!((d.desired, d.rescale), (4, true));
    let c = st.condition("ScalingLimited").unwrap();
    assert_eq!(c.reason, "TooFewReplicas");
    assert!(c.message.contains("ack-shanghai"), "{}", c.message);
}

#[test]
fn legacy_evaluation_without_behavior() {
    let s = spec(1, 100, None);
    let none = BTreeMap::new();
    let hot = pods(&[5000, 5000, 5000]);
    let mut st = AutoscalerState::default();
    // Proposal 30, limited to max(2 × 3, 4) = 6.
    let d = evaluate(&s, &mut st, &observe(NOW, 3, &hot, &none, &[]), &cfg());
    assert_eq!(d.desired, 6);
    let c = st.condition("ScalingLimited").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("True", "ScaleUpLimit")
    );
    // No scale events are kept without behavior.
    st.rescaled(&s, &cfg(), &d, NOW);
    assert!(st.scale_up_events.is_empty());
}

#[test]
fn failed_rescale_sets_able_to_scale_false() {
    let s = spec(1, 10, None);
    let none = BTreeMap::new();
    let hot = pods(&[2000]);
    let mut st = AutoscalerState::default();
    let d = evaluate(&s, &mut st, &observe(NOW, 1, &hot, &none, &[]), &cfg());
    let ev = st.rescale_failed(&d, "member down", NOW);
    assert_eq!(ev.reason, "FailedRescale");
    let c = st.condition("AbleToScale").unwrap();
    assert_eq!(
        (c.status.as_str(), c.reason.as_str()),
        ("False", "FailedUpdateScale")
    );
    assert_eq!(st.desired_replicas, 1);
}

#[test]
fn condition_transition_time_changes_only_with_status() {
    let mut st = AutoscalerState::default();
    st.set_condition("ScalingActive", true, "A", "a", 1);
    st.set_condition("ScalingActive", true, "B", "b", 2);
    assert_eq!(
        st.condition("ScalingActive").unwrap().last_transition_time,
        1
    );
    st.set_condition("ScalingActive", false, "C", "c", 3);
    assert_eq!(
        st.condition("ScalingActive").unwrap().last_transition_time,
        3
    );
}

#[test]
fn state_round_trips_through_json() {
    let s = spec(1, 10, Some(Behavior::default()));
    let mut st = AutoscalerState::default();
    let ps = pods(&[1000, 1000]);
    let none = BTreeMap::new();
    let d = evaluate(&s, &mut st, &observe(NOW, 2, &ps, &none, &[]), &cfg());
    st.rescaled(&s, &cfg(), &d, NOW);
    let json = serde_json::to_string(&st).unwrap();
    let back: AutoscalerState = serde_json::from_str(&json).unwrap();
    assert_eq!(back, st);
}
