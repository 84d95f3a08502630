//! Invariants of the fleet autoscaler: never outside [min, max]; no scale-down inside the
//! stabilization window.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::calc::*;
use super::evaluate::*;
use super::model::*;
use crate::capacity::Resources;

const NOW: Millis = 1_000_000_000;

fn pod(i: usize, cpu: Option<i64>, ready: bool, qps: Option<i64>) -> PodInfo {
    PodInfo {
        member: i % 3,
        name: format!("p{i}"),
        phase: PodPhase::Running,
        deleting: false,
        ready: Some(ReadyCondition {
            ready,
            last_transition: NOW - 600_000,
        }),
        start_time: Some(NOW - 3_600_000),
        containers: vec![ContainerInfo {
            name: "c".into(),
            requests: Resources::from_milli([("cpu", 500)]),
        }],
        usage: cpu.map(|c| UsageSample {
            timestamp: NOW,
            window_ms: 30_000,
            containers: vec![("c".into(), Resources::from_milli([("cpu", c)]))],
        }),
        custom: qps.map(|q| ("qps".to_string(), q)).into_iter().collect(),
    }
}

fn arb_rules() -> impl Strategy<Value = Option<ScalingRules>> {
    proptest::option::of(
        (
            proptest::option::of(0i32..600),
            proptest::option::of(prop_oneof![
                Just(SelectPolicy::Max),
                Just(SelectPolicy::Min),
                Just(SelectPolicy::Disabled)
            ]),
            proptest::option::of(proptest::collection::vec(
                (any::<bool>(), 1i32..200, 1i32..120),
                1..3,
            )),
        )
            .prop_map(|(w, s, p)| ScalingRules {
                stabilization_window_seconds: w,
                select_policy: s,
                policies: p.map(|v| {
                    v.into_iter()
                        .map(|(pods, value, period_seconds)| ScalingPolicy {
                            kind: if pods {
                                PolicyKind::Pods
                            } else {
                                PolicyKind::Percent
                            },
                            value,
                            period_seconds,
                        })
                        .collect()
                }),
            }),
    )
}

/// The metrics of a spec: cpu utilization, plus (maybe) a `Pods` metric and an `Object` or
/// `External` one.
fn arb_metrics() -> impl Strategy<Value = Vec<MetricSpec>> {
    (
        10i32..150,
        proptest::option::of(1i64..5_000),
        0u8..3,
        1i64..100_000,
    )
        .prop_map(|(cpu, pods_target, other, value_target)| {
            let mut metrics = vec![MetricSpec::Resource {
                name: "cpu".into(),
                target: MetricTarget::Utilization(cpu),
            }];
            if let Some(t) = pods_target {
                metrics.push(MetricSpec::Pods {
                    metric: MetricIdentifier {
                        name: "qps".into(),
                        selector: None,
                    },
                    target: MetricTarget::AverageValue(t),
                });
            }
            let id = MetricIdentifier {
                name: "queue".into(),
                selector: None,
            };
            match other {
                1 => metrics.push(MetricSpec::Object {
                    described_object: ObjectRef {
                        api_version: "networking.k8s.io/v1".into(),
                        kind: "Ingress".into(),
                        name: "main".into(),
                    },
                    metric: id,
                    target: MetricTarget::Value(value_target),
                }),
                2 => metrics.push(MetricSpec::External {
                    metric: id,
                    target: MetricTarget::AverageValue(value_target),
                }),
                _ => {}
            }
            metrics
        })
}

fn arb_spec() -> impl Strategy<Value = AutoscalerSpec> {
    (
        1u32..20,
        0u32..40,
        arb_metrics(),
        any::<bool>(),
        arb_rules(),
        arb_rules(),
    )
        .prop_map(
            |(min, extra, metrics, has_behavior, up, down)| AutoscalerSpec {
                kind: AutoscalerKind::HorizontalPodAutoscaler,
                name: "w".into(),
                namespace: "default".into(),
                target: "w".into(),
                min_replicas: min,
                max_replicas: min + extra,
                metrics,
                behavior: has_behavior.then_some(Behavior {
                    scale_up: up,
                    scale_down: down,
                }),
            },
        )
}

/// `n` pods of the current count, with random usage, some without metrics or not ready.
fn make_pods(loads: &[Load], n: u32) -> Vec<PodInfo> {
    (0..n as usize)
        .map(|i| {
            let (cpu, ready, qps) = loads[i % loads.len()];
            pod(i, cpu, ready, qps)
        })
        .collect()
}

/// One pod's cpu usage (milli), readiness and `qps` sample (milli).
type Load = (Option<i64>, bool, Option<i64>);

fn arb_loads() -> impl Strategy<Value = Vec<Load>> {
    proptest::collection::vec(
        (
            proptest::option::of(0i64..3000),
            proptest::bool::weighted(0.85),
            proptest::option::of(0i64..20_000),
        ),
        1..6,
    )
}

/// The Object/External value of a pass (index 1 or 2 of the metrics; absent or failing is
/// an invalid metric), and the members left out of it.
/// One pass's Object/External value and members left out.
type Pass = (Option<Result<i64, String>>, Vec<(String, String)>);

fn arb_pass() -> impl Strategy<Value = Pass> {
    (
        proptest::option::of(prop_oneof![
            4 => (0i64..1_000_000).prop_map(Ok),
            1 => Just(Err("no member serves it".to_string())),
        ]),
        proptest::collection::vec(
            prop_oneof![
                Just(("m2".to_string(), "unreachable: refused".to_string())),
                Just(("m3".to_string(), "no resource metrics: 503".to_string())),
            ],
            0..2,
        ),
    )
}

fn object_values(
    spec: &AutoscalerSpec,
    v: &Option<Result<i64, String>>,
) -> BTreeMap<usize, Result<i64, String>> {
    let mut out = BTreeMap::new();
    if let (Some(i), Some(v)) = (
        spec.metrics
            .iter()
            .position(|m| matches!(m, MetricSpec::Object { .. } | MetricSpec::External { .. })),
        v,
    ) {
        out.insert(i, v.clone());
    }
    out
}

proptest! {
    #[test]
    fn a_rescale_never_leaves_min_max(
        spec in arb_spec(),
        start in 0u32..80,
        steps in proptest::collection::vec((arb_loads(), arb_pass(), 1i64..120), 1..12),
    ) {
        let cfg = ControllerConfig::default();
        let mut st = AutoscalerState::default();
        let mut current = start;
        let mut now = NOW;
        for (loads, (value, partial), dt) in steps {
            now += dt * 1000;
            let pods = make_pods(&loads, current);
            let objects = object_values(&spec, &value);
            let obs = Observation { now, spec_replicas: current, status_replicas: current, pods: &pods, object_values: &objects, partial: &partial };
            let in_range = (spec.min_replicas..=spec.max_replicas).contains(&current);
            let d = evaluate(&spec, &mut st, &obs, &cfg);
            if d.rescale {
                prop_assert!(d.desired >= spec.min_replicas && d.desired <= spec.max_replicas,
                    "desired {} outside [{}, {}]", d.desired, spec.min_replicas, spec.max_replicas);
                if in_range && !partial.is_empty() {
                    prop_assert!(d.desired > current, "scaled down from {} to {} on partial data", current, d.desired);
                }
                st.rescaled(&spec, &cfg, &d, now);
                current = d.desired;
            } else if in_range {
                prop_assert_eq!(d.desired, current);
            }
        }
    }

    #[test]
    fn no_scale_down_inside_the_stabilization_window(
        mut spec in arb_spec(),
        window in 30i32..900,
        start in 1u32..40,
        steps in proptest::collection::vec((arb_loads(), 1i64..30), 1..12),
    ) {
        // Whatever the load, inside `window` seconds of first sight the total never goes below
        // the count it had then (the first recommendation is that count).
        let cfg = ControllerConfig { downscale_stabilization_seconds: window, ..Default::default() };
        if let Some(b) = spec.behavior.as_mut() {
            let mut down = b.scale_down.clone().unwrap_or_default();
            down.stabilization_window_seconds = Some(window);
            b.scale_down = Some(down);
        }
        spec.max_replicas = spec.max_replicas.max(start);
        spec.min_replicas = spec.min_replicas.min(start);
        let mut st = AutoscalerState::default();
        let mut current = start;
        let mut now = NOW;
        let none = BTreeMap::new();
        for (loads, dt) in steps {
            let pods = make_pods(&loads, current);
            let obs = Observation { now, spec_replicas: current, status_replicas: current, pods: &pods, object_values: &none, partial: &[] };
            let d = evaluate(&spec, &mut st, &obs, &cfg);
            prop_assert!(d.desired >= start, "scaled down to {} from {} inside the window", d.desired, start);
            if d.rescale {
                st.rescaled(&spec, &cfg, &d, now);
                current = d.desired;
            }
            now += dt * 1000;
            if now - NOW >= i64::from(window) * 1000 { break; }
        }
    }

    #[test]
    fn partial_data_never_scales_down(
        spec in arb_spec(),
        start in 1u32..60,
        loads in arb_loads(),
    ) {
        let cfg = ControllerConfig { downscale_stabilization_seconds: 0, ..Default::default() };
        let mut spec = spec;
        spec.behavior = Some(Behavior { scale_up: None, scale_down: Some(ScalingRules { stabilization_window_seconds: Some(0), ..Default::default() }) });
        let pods = make_pods(&loads, start);
        let none = BTreeMap::new();
        let partial = vec![("m".to_string(), "unreachable".to_string())];
        let mut st = AutoscalerState::default();
        let obs = Observation { now: NOW, spec_replicas: start, status_replicas: start, pods: &pods, object_values: &none, partial: &partial };
        let d = evaluate(&spec, &mut st, &obs, &cfg);
        if start >= spec.min_replicas && start <= spec.max_replicas {
            prop_assert!(d.desired >= start);
        }
    }
}
