//! One evaluation of one fleet autoscaler (`reconcileAutoscaler` of kube-controller-manager's
//! `horizontal.go`): metrics → proposal per metric → the largest → stabilization and policies
//! (or the legacy rules) → min/max, with the HPA's conditions and events.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::calc::{
    per_pod_value_replicas, pod_metric_replicas, value_replicas, PodInfo, PodMetric, Proposal,
};
use super::model::{AutoscalerSpec, ControllerConfig, MetricSpec, MetricTarget, Millis};
use super::normalize::{
    limit_legacy, limit_with_behavior_rate, stabilize_legacy, stabilize_with_behaviors,
    store_scale_event, Recommendation, ScaleEvent,
};

/// What one evaluation sees of the fleet.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    pub now: Millis,
    /// The fleet-wide spec replicas of the target (its total).
    pub spec_replicas: u32,
    /// The target's pods that exist now, fleet-wide (`status.replicas` summed).
    pub status_replicas: u32,
    /// The target's pods in every member that could be read.
    pub pods: &'a [PodInfo],
    /// Object/External metric values by index in `spec.metrics` (milli), or why not read.
    pub object_values: &'a BTreeMap<usize, Result<i64, String>>,
    /// Members whose pods or metrics could not be read: (member, why). The evaluation uses the
    /// others and never scales down.
    pub partial: &'a [(String, String)],
}

/// An HPA condition (`AbleToScale`, `ScalingActive`, `ScalingLimited`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    #[serde(rename = "type")]
    pub type_: String,
    /// `True` / `False`.
    pub status: String,
    pub reason: String,
    pub message: String,
    pub last_transition_time: Millis,
}

/// The current value of one metric (aligned with `spec.metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct MetricStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
    /// Milli: the average per pod, or the object's/external value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
}

/// The autoscaler's state, stored in the members next to its spec (docs/state.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutoscalerState {
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    #[serde(default)]
    pub scale_up_events: Vec<ScaleEvent>,
    #[serde(default)]
    pub scale_down_events: Vec<ScaleEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_scale_time: Option<Millis>,
    #[serde(default)]
    pub current_replicas: u32,
    #[serde(default)]
    pub desired_replicas: u32,
    #[serde(default)]
    pub current_metrics: Vec<MetricStatus>,
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Members left out of the last evaluation (member, why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partial: Vec<(String, String)>,
}

/// An event like the HPA controller records (`SuccessfulRescale`, `FailedGetResourceMetric`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// `Normal` or `Warning`.
    pub kind: &'static str,
    pub reason: String,
    pub message: String,
}

impl Event {
    fn warning(reason: &str, message: impl Into<String>) -> Self {
        Event {
            kind: "Warning",
            reason: reason.into(),
            message: message.into(),
        }
    }
}

/// The outcome of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub current: u32,
    pub desired: u32,
    /// `desired != current`: the caller should apply `desired` as the new fleet total and then
    /// call [`AutoscalerState::rescaled`] or [`AutoscalerState::rescale_failed`].
    pub rescale: bool,
    /// Why (`cpu resource utilization (percentage of request) above target`, ...).
    pub reason: String,
    pub events: Vec<Event>,
}

impl AutoscalerState {
    /// Sets a condition; `lastTransitionTime` changes only when the status does.
    pub fn set_condition(
        &mut self,
        type_: &str,
        status: bool,
        reason: &str,
        message: &str,
        now: Millis,
    ) {
        let status = if status { "True" } else { "False" };
        if let Some(c) = self.conditions.iter_mut().find(|c| c.type_ == type_) {
            if c.status != status {
                c.last_transition_time = now;
                c.status = status.into();
            }
            c.reason = reason.into();
            c.message = message.into();
            return;
        }
        self.conditions.push(Condition {
            type_: type_.into(),
            status: status.into(),
            reason: reason.into(),
            message: message.into(),
            last_transition_time: now,
        });
        let order = |t: &str| match t {
            "AbleToScale" => 0,
            "ScalingActive" => 1,
            "ScalingLimited" => 2,
            _ => 3,
        };
        self.conditions.sort_by_key(|c| order(&c.type_));
    }

    /// The condition of that type, if set.
    pub fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }

    /// Records an applied rescale: `SucceededRescale`, last scale time and the scale event for
    /// the behavior's policies. Returns the `SuccessfulRescale` event.
    pub fn rescaled(
        &mut self,
        spec: &AutoscalerSpec,
        cfg: &ControllerConfig,
        decision: &Decision,
        now: Millis,
    ) -> Event {
        let desired = decision.desired;
        self.set_condition(
            "AbleToScale",
            true,
            "SucceededRescale",
            &format!("the HPA controller was able to update the target scale to {desired}"),
            now,
        );
        if let Some(b) = &spec.behavior {
            let r = b.resolved(cfg.downscale_stabilization_seconds);
            if desired > decision.current {
                store_scale_event(
                    &mut self.scale_up_events,
                    r.scale_up.longest_period(),
                    desired - decision.current,
                    now,
                );
            } else {
                store_scale_event(
                    &mut self.scale_down_events,
                    r.scale_down.longest_period(),
                    decision.current - desired,
                    now,
                );
            }
        }
        self.last_scale_time = Some(now);
        self.desired_replicas = desired;
        Event {
            kind: "Normal",
            reason: "SuccessfulRescale".into(),
            message: format!("New size: {desired}; reason: {}", decision.reason),
        }
    }

    /// Records a rescale that could not be applied (`FailedUpdateScale`); returns the
    /// `FailedRescale` event.
    pub fn rescale_failed(&mut self, decision: &Decision, error: &str, now: Millis) -> Event {
        self.set_condition(
            "AbleToScale",
            false,
            "FailedUpdateScale",
            &format!("the HPA controller was unable to update the target scale: {error}"),
            now,
        );
        self.desired_replicas = decision.current;
        Event::warning(
            "FailedRescale",
            format!(
                "New size: {}; reason: {}; error: {error}",
                decision.desired, decision.reason
            ),
        )
    }
}

/// Evaluates `spec` against `obs`, updating the recommendations, metrics and conditions of
/// `state`. Applying the decision is the caller's job.
pub fn evaluate(
    spec: &AutoscalerSpec,
    state: &mut AutoscalerState,
    obs: &Observation<'_>,
    cfg: &ControllerConfig,
) -> Decision {
    let now = obs.now;
    let current = obs.spec_replicas;
    let mut events = Vec::new();
    if state.recommendations.is_empty() {
        // recordInitialRecommendation: a new (or restarted) autoscaler does not scale down at once.
        state.recommendations.push(Recommendation {
            replicas: current,
            at: now,
        });
    }
    state.current_replicas = current;
    state.partial = obs.partial.to_vec();
    state.set_condition(
        "AbleToScale",
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
        now,
    );
    let hold = |state: &mut AutoscalerState, events: Vec<Event>| Decision {
        current,
        desired: {
            state.desired_replicas = current;
            current
        },
        rescale: false,
        reason: String::new(),
        events,
    };

    let mut reason = String::new();
    let mut desired;
    // The decision comes from the metrics (not from a count outside [min, max]).
    let mut from_metrics = false;
    if current == 0 && spec.min_replicas != 0 {
        state.current_metrics = vec![MetricStatus::default(); spec.metrics.len()];
        state.set_condition(
            "ScalingActive",
            false,
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
            now,
        );
        return hold(state, events);
    } else if current > spec.max_replicas {
        reason = "Current number of replicas above Spec.MaxReplicas".into();
        desired = spec.max_replicas;
    } else if current < spec.min_replicas {
        reason = "Current number of replicas below Spec.MinReplicas".into();
        desired = spec.min_replicas;
    } else {
        let (proposal, metric, statuses, metric_events) = match compute_for_metrics(spec, obs, cfg)
        {
            Ok(x) => x,
            Err(fail) => {
                state.current_metrics = fail.statuses;
                state.set_condition("ScalingActive", false, fail.reason, &fail.message, now);
                events.extend(fail.events);
                events.push(Event::warning("FailedComputeMetricsReplicas", fail.error));
                return hold(state, events);
            }
        };
        state.current_metrics = statuses;
        events.extend(metric_events);
        from_metrics = true;
        state.set_condition(
            "ScalingActive",
            true,
            "ValidMetricFound",
            &format!("the HPA was able to successfully calculate a replica count from {metric}"),
            now,
        );
        if proposal > current {
            reason = format!("{metric} above target");
        }
        if proposal < current {
            reason = "All metrics below target".into();
        }
        desired = match &spec.behavior {
            Some(b) => {
                let r = b.resolved(cfg.downscale_stabilization_seconds);
                let st = stabilize_with_behaviors(
                    &mut state.recommendations,
                    current,
                    proposal,
                    r.scale_up.stabilization_window_seconds,
                    r.scale_down.stabilization_window_seconds,
                    now,
                );
                if st.replicas != proposal {
                    state.set_condition("AbleToScale", true, st.reason, st.message, now);
                } else {
                    state.set_condition(
                        "AbleToScale",
                        true,
                        "ReadyForNewScale",
                        "recommended size matches current size",
                        now,
                    );
                }
                let lim = limit_with_behavior_rate(
                    current,
                    st.replicas,
                    spec.min_replicas,
                    spec.max_replicas,
                    &r.scale_up,
                    &r.scale_down,
                    &state.scale_up_events,
                    &state.scale_down_events,
                    now,
                );
                state.set_condition(
                    "ScalingLimited",
                    lim.replicas != st.replicas,
                    lim.reason,
                    lim.message,
                    now,
                );
                lim.replicas
            }
            None => {
                let stabilized = stabilize_legacy(
                    &mut state.recommendations,
                    proposal,
                    cfg.downscale_stabilization_seconds,
                    now,
                );
                if stabilized != proposal {
                    state.set_condition(
                        "AbleToScale",
                        true,
                        "ScaleDownStabilized",
                        "recent recommendations were higher than current one, applying the highest recent recommendation",
                        now,
                    );
                } else {
                    state.set_condition(
                        "AbleToScale",
                        true,
                        "ReadyForNewScale",
                        "recommended size matches current size",
                        now,
                    );
                }
                let lim = limit_legacy(current, stabilized, spec.min_replicas, spec.max_replicas);
                state.set_condition(
                    "ScalingLimited",
                    lim.replicas != stabilized,
                    lim.reason,
                    lim.message,
                    now,
                );
                lim.replicas
            }
        };
    }

    // Never scale down on partial data: the members left out may be busy. The clamp of a
    // count above maxReplicas is not a metrics decision (kube clamps regardless) and still
    // happens.
    let names: Vec<&str> = obs.partial.iter().map(|(m, _)| m.as_str()).collect();
    if desired <= current && !obs.partial.is_empty() && current <= spec.max_replicas {
        let message = if desired < current {
            format!(
                "not scaling down to {desired} on partial data: no pods or metrics from {}",
                names.join(", ")
            )
        } else {
            format!(
                "holding {current} on partial data: no pods or metrics from {} (never scales down without them)",
                names.join(", ")
            )
        };
        state.set_condition("ScalingLimited", true, "PartialMetrics", &message, now);
        if desired < current {
            events.push(Event::warning("PartialMetrics", message));
        }
        desired = current;
    } else if !obs.partial.is_empty() {
        // A scale-up (or a min/max clamp) on partial data: computed from the members that
        // answered. Say so on the condition that carries the decision.
        let note = format!(
            "(partial data: no pods or metrics from {})",
            names.join(", ")
        );
        if from_metrics {
            if let Some(c) = state
                .conditions
                .iter_mut()
                .find(|c| c.type_ == "ScalingActive")
            {
                c.message = format!("{} {note}", c.message);
            }
        } else {
            let (reason, what) = if current > spec.max_replicas {
                ("TooManyReplicas", "more than the maximum")
            } else {
                ("TooFewReplicas", "less than the minimum")
            };
            state.set_condition(
                "ScalingLimited",
                true,
                reason,
                &format!("the current replica count is {what} replica count {note}"),
                now,
            );
        }
    }
    if desired == current {
        return hold(state, events);
    }
    Decision {
        current,
        desired,
        rescale: true,
        reason,
        events,
    }
}

struct MetricsFailure {
    reason: &'static str,
    message: String,
    error: String,
    statuses: Vec<MetricStatus>,
    events: Vec<Event>,
}

/// `computeReplicasForMetrics`: the largest proposal of the valid metrics. Fails when every
/// metric is invalid, or some are and the valid ones would scale down.
fn compute_for_metrics(
    spec: &AutoscalerSpec,
    obs: &Observation<'_>,
    cfg: &ControllerConfig,
) -> Result<(u32, String, Vec<MetricStatus>, Vec<Event>), MetricsFailure> {
    let current = obs.spec_replicas;
    let mut statuses = vec![MetricStatus::default(); spec.metrics.len()];
    let mut best: Option<(u32, String)> = None;
    let mut invalid: Option<(&'static str, String)> = None;
    let mut invalid_count = 0;
    let mut events = Vec::new();
    for (i, m) in spec.metrics.iter().enumerate() {
        let result: Result<Proposal, (&'static str, String)> = match m {
            MetricSpec::Resource { name, target }
            | MetricSpec::ContainerResource { name, target, .. } => {
                let container = match m {
                    MetricSpec::ContainerResource { container, .. } => Some(container.as_str()),
                    _ => None,
                };
                let failed = if container.is_some() {
                    "FailedGetContainerResourceMetric"
                } else {
                    "FailedGetResourceMetric"
                };
                let metric = match *target {
                    MetricTarget::Utilization(p) => Some(PodMetric::Utilization {
                        resource: name,
                        container,
                        target_percent: p,
                    }),
                    MetricTarget::AverageValue(v) => Some(PodMetric::ResourceAverage {
                        resource: name,
                        container,
                        target: v,
                    }),
                    MetricTarget::Value(_) => None,
                };
                match metric {
                    Some(metric) => pod_metric_replicas(current, &metric, obs.pods, obs.now, cfg)
                        .map_err(|e| {
                            let what = if matches!(target, MetricTarget::Utilization(_)) {
                                "utilization"
                            } else {
                                "usage"
                            };
                            (failed, format!("failed to get {name} {what}: {e}"))
                        }),
                    None => Err((
                        "InvalidMetricSourceType",
                        format!("invalid target type Value for {name} resource metric"),
                    )),
                }
            }
            MetricSpec::Pods { metric, target } => match *target {
                MetricTarget::AverageValue(v) => pod_metric_replicas(
                    current,
                    &PodMetric::PodsAverage {
                        metric: &metric.name,
                        target: v,
                    },
                    obs.pods,
                    obs.now,
                    cfg,
                )
                .map_err(|e| {
                    (
                        "FailedGetPodsMetric",
                        format!("failed to get pods metric value: {e}"),
                    )
                }),
                _ => Err((
                    "InvalidMetricSourceType",
                    "pods metrics support only AverageValue targets".into(),
                )),
            },
            MetricSpec::Object { .. } | MetricSpec::External { .. } => {
                let (failed, what) = if matches!(m, MetricSpec::Object { .. }) {
                    (
                        "FailedGetObjectMetric",
                        "failed to get object metric value".to_string(),
                    )
                } else {
                    (
                        "FailedGetExternalMetric",
                        format!("failed to get external metric {}", m.name()),
                    )
                };
                match obs.object_values.get(&i) {
                    None => Err((failed, format!("{what}: no value read"))),
                    Some(Err(e)) => Err((failed, format!("{what}: {e}"))),
                    Some(Ok(usage)) => match *m.target() {
                        MetricTarget::Value(t) => value_replicas(current, *usage, t, obs.pods, cfg)
                            .map_err(|e| (failed, format!("{what}: {e}"))),
                        MetricTarget::AverageValue(t) => {
                            Ok(per_pod_value_replicas(obs.status_replicas, *usage, t, cfg))
                        }
                        MetricTarget::Utilization(_) => Err((
                            "InvalidMetricSourceType",
                            "Utilization targets are only for resource metrics".into(),
                        )),
                    },
                }
            }
        };
        match result {
            Ok(p) => {
                statuses[i] = MetricStatus {
                    average_utilization: p.utilization,
                    value: Some(p.value),
                };
                if best.as_ref().is_none_or(|(r, _)| p.replicas > *r) {
                    best = Some((p.replicas, m.description()));
                }
            }
            Err((reason, message)) => {
                invalid_count += 1;
                events.push(Event::warning(reason, message.clone()));
                if invalid.is_none() {
                    invalid = Some((reason, message));
                }
            }
        }
    }
    let scale_down_with_invalid =
        invalid_count > 0 && best.as_ref().is_some_and(|(r, _)| *r < current);
    match (best, invalid) {
        (Some((replicas, metric)), _) if !scale_down_with_invalid => {
            Ok((replicas, metric, statuses, events))
        }
        (_, invalid) => {
            let (reason, error) =
                invalid.unwrap_or(("FailedGetResourceMetric", "no metrics".into()));
            Err(MetricsFailure {
                reason,
                message: format!("the HPA was unable to compute the replica count: {error}"),
                error: format!(
                    "invalid metrics ({invalid_count} invalid out of {}), first error is: {error}",
                    spec.metrics.len()
                ),
                statuses,
                events,
            })
        }
    }
}
