//! From the metrics' proposal to the replica count the controller sets: stabilization windows
//! and scaling policies (`normalizeDesiredReplicasWithBehaviors`) or, without `behavior`, the
//! legacy rules (`normalizeDesiredReplicas`) of kube-controller-manager's `horizontal.go`.

use serde::{Deserialize, Serialize};

use super::model::{Millis, PolicyKind, ResolvedRules, SelectPolicy};

/// One recommendation kept for the stabilization windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub replicas: u32,
    pub at: Millis,
}

/// One applied change kept for the scaling policies' periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScaleEvent {
    pub change: u32,
    pub at: Millis,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outdated: bool,
}

/// A limit's result: replicas plus the condition reason and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    pub replicas: u32,
    pub reason: &'static str,
    pub message: &'static str,
}

/// Record `desired` among the recommendations, replacing one sample older than every window.
fn record(recs: &mut Vec<Recommendation>, index_old: Option<usize>, desired: u32, now: Millis) {
    let rec = Recommendation {
        replicas: desired,
        at: now,
    };
    match index_old {
        Some(i) => recs[i] = rec,
        None => recs.push(rec),
    }
}

/// `stabilizeRecommendationWithBehaviors`: the current count moved only as far as every
/// recommendation inside the scale-up window (their minimum) and the scale-down window (their
/// maximum) allows. Records `desired`.
pub fn stabilize_with_behaviors(
    recs: &mut Vec<Recommendation>,
    current: u32,
    desired: u32,
    up_window_s: i32,
    down_window_s: i32,
    now: Millis,
) -> Limited {
    let up_cutoff = now - i64::from(up_window_s) * 1000;
    let down_cutoff = now - i64::from(down_window_s) * 1000;
    let mut up = desired;
    let mut down = desired;
    let mut old = None;
    for (i, r) in recs.iter().enumerate() {
        if r.at > up_cutoff {
            up = up.min(r.replicas);
        }
        if r.at > down_cutoff {
            down = down.max(r.replicas);
        }
        if r.at < up_cutoff && r.at < down_cutoff {
            old = Some(i);
        }
    }
    let mut recommendation = current;
    if recommendation < up {
        recommendation = up;
    }
    if recommendation > down {
        recommendation = down;
    }
    record(recs, old, desired, now);
    let (reason, message) = if desired >= current {
        (
            "ScaleUpStabilized",
            "recent recommendations were lower than current one, applying the lowest recent recommendation",
        )
    } else {
        (
            "ScaleDownStabilized",
            "recent recommendations were higher than current one, applying the highest recent recommendation",
        )
    };
    Limited {
        replicas: recommendation,
        reason,
        message,
    }
}

/// `stabilizeRecommendation` (no `behavior`): the highest recommendation of the downscale
/// window. Records `desired`.
pub fn stabilize_legacy(
    recs: &mut Vec<Recommendation>,
    desired: u32,
    window_s: i32,
    now: Millis,
) -> u32 {
    let cutoff = now - i64::from(window_s) * 1000;
    let mut max = desired;
    let mut old = None;
    for (i, r) in recs.iter().enumerate() {
        if r.at < cutoff {
            old = Some(i);
        } else if r.replicas > max {
            max = r.replicas;
        }
    }
    record(recs, old, desired, now);
    max
}

/// Replicas changed by the events of the last `period_s` seconds.
fn change_in_period(period_s: i32, events: &[ScaleEvent], now: Millis) -> i64 {
    let cutoff = now - i64::from(period_s) * 1000;
    events
        .iter()
        .filter(|e| e.at > cutoff)
        .map(|e| i64::from(e.change))
        .sum()
}

/// Which way a scaling limit goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// `calculateScaleUpLimitWithScalingRules` (`Up`) and `calculateScaleDownLimitWithBehaviors`
/// (`Down`): per policy, the count at the start of its period (current − added + deleted in
/// the period) moved by the policy's `Pods` or `Percent` (rounded up on the way up, truncated
/// on the way down); `selectPolicy: Max` takes the largest change (the highest count up, the
/// lowest down), `Min` the smallest, `Disabled` keeps the current count.
pub fn scale_limit(
    direction: Direction,
    current: u32,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    rules: &ResolvedRules,
    now: Millis,
) -> i64 {
    let current = i64::from(current);
    let largest_change = match rules.select_policy {
        SelectPolicy::Disabled => return current,
        SelectPolicy::Max => true,
        SelectPolicy::Min => false,
    };
    // The largest change up and the smallest change down are the highest count.
    let highest = largest_change == (direction == Direction::Up);
    let (mut result, pick): (i64, fn(i64, i64) -> i64) = if highest {
        (i64::MIN, i64::max)
    } else {
        (i64::MAX, i64::min)
    };
    for p in &rules.policies {
        let start = current - change_in_period(p.period_seconds, up_events, now)
            + change_in_period(p.period_seconds, down_events, now);
        let v = i64::from(p.value);
        let proposed = match (p.kind, direction) {
            (PolicyKind::Pods, Direction::Up) => start + v,
            (PolicyKind::Pods, Direction::Down) => start - v,
            (PolicyKind::Percent, Direction::Up) => {
                (start as f64 * (1.0 + v as f64 / 100.0)).ceil() as i64
            }
            (PolicyKind::Percent, Direction::Down) => {
                (start as f64 * (1.0 - v as f64 / 100.0)) as i64
            }
        };
        result = pick(result, proposed);
    }
    result
}

fn clamp_u32(x: i64) -> u32 {
    x.clamp(0, i64::from(u32::MAX)) as u32
}

/// `convertDesiredReplicasWithBehaviorRate`.
#[allow(clippy::too_many_arguments)]
pub fn limit_with_behavior_rate(
    current: u32,
    desired: u32,
    min: u32,
    max: u32,
    up: &ResolvedRules,
    down: &ResolvedRules,
    up_events: &[ScaleEvent],
    down_events: &[ScaleEvent],
    now: Millis,
) -> Limited {
    if desired > current {
        let limit = scale_limit(Direction::Up, current, up_events, down_events, up, now)
            .max(i64::from(current));
        let (allowed, reason, message) = if i64::from(max) > limit {
            (
                clamp_u32(limit),
                "ScaleUpLimit",
                "the desired replica count is increasing faster than the maximum scale rate",
            )
        } else {
            (
                max,
                "TooManyReplicas",
                "the desired replica count is more than the maximum replica count",
            )
        };
        if desired > allowed {
            return Limited {
                replicas: allowed,
                reason,
                message,
            };
        }
    } else if desired < current {
        let limit = scale_limit(Direction::Down, current, up_events, down_events, down, now)
            .min(i64::from(current));
        let (allowed, reason, message) = if i64::from(min) < limit {
            (
                clamp_u32(limit),
                "ScaleDownLimit",
                "the desired replica count is decreasing faster than the maximum scale rate",
            )
        } else {
            (
                min,
                "TooFewReplicas",
                "the desired replica count is less than the minimum replica count",
            )
        };
        if desired < allowed {
            return Limited {
                replicas: allowed,
                reason,
                message,
            };
        }
    }
    Limited {
        replicas: desired,
        reason: "DesiredWithinRange",
        message: "the desired count is within the acceptable range",
    }
}

/// `convertDesiredReplicasWithRules` (no `behavior`): min, max and a scale-up limit of
/// max(2 × current, 4).
pub fn limit_legacy(current: u32, desired: u32, min: u32, max: u32) -> Limited {
    let scale_up_limit = current.saturating_mul(2).max(4);
    let (maximum, reason, message) = if max > scale_up_limit {
        (
            scale_up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    if desired < min {
        return Limited {
            replicas: min,
            reason: "TooFewReplicas",
            message: "the desired replica count is less than the minimum replica count",
        };
    }
    if desired > maximum {
        return Limited {
            replicas: maximum,
            reason,
            message,
        };
    }
    Limited {
        replicas: desired,
        reason: "DesiredWithinRange",
        message: "the desired count is within the acceptable range",
    }
}

/// `storeScaleEvent`: remember an applied change for the policies' periods, reusing one slot
/// older than the longest period.
pub fn store_scale_event(
    events: &mut Vec<ScaleEvent>,
    longest_period_s: i32,
    change: u32,
    now: Millis,
) {
    let cutoff = now - i64::from(longest_period_s) * 1000;
    let mut old = None;
    for (i, e) in events.iter_mut().enumerate() {
        if e.at < cutoff {
            e.outdated = true;
        }
        if e.outdated {
            old = Some(i);
        }
    }
    let ev = ScaleEvent {
        change,
        at: now,
        outdated: false,
    };
    match old {
        Some(i) => events[i] = ev,
        None => events.push(ev),
    }
}
