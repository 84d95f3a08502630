//! The replica calculator of the HPA controller (kube-controller-manager
//! `pkg/controller/podautoscaler/replica_calculator.go`), over the target's pods in every member.
//!
//! Summing per-pod values over all members is the fleet-wide aggregate sum(avg_i × count_i).

use std::collections::BTreeMap;

use crate::capacity::Resources;

use super::model::{ControllerConfig, Millis};

/// The pod phase as the calculator needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

/// The pod's `Ready` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadyCondition {
    pub ready: bool,
    pub last_transition: Millis,
}

/// One container: its name and requests (milli).
#[derive(Debug, Clone, PartialEq)]
pub struct ContainerInfo {
    pub name: String,
    pub requests: Resources,
}

/// A PodMetrics sample (metrics.k8s.io): per-container usage in milli-units.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageSample {
    pub timestamp: Millis,
    pub window_ms: i64,
    pub containers: Vec<(String, Resources)>,
}

/// One pod of the target in one member.
#[derive(Debug, Clone, PartialEq)]
pub struct PodInfo {
    /// Index of the member in the observation's member list.
    pub member: usize,
    pub name: String,
    pub phase: PodPhase,
    pub deleting: bool,
    pub ready: Option<ReadyCondition>,
    pub start_time: Option<Millis>,
    pub containers: Vec<ContainerInfo>,
    /// Resource metrics; `None` when the metrics API has no sample for the pod.
    pub usage: Option<UsageSample>,
    /// Pods metrics (custom.metrics.k8s.io), metric name → milli value.
    pub custom: BTreeMap<String, i64>,
}

impl PodInfo {
    /// Running with a true Ready condition (`getReadyPodsCount`).
    pub fn is_running_ready(&self) -> bool {
        self.phase == PodPhase::Running && self.ready.is_some_and(|c| c.ready)
    }

    /// The pod's usage of `resource` (one container or the sum of all); `None` when any
    /// container lacks a sample.
    pub fn resource_usage(&self, resource: &str, container: Option<&str>) -> Option<i64> {
        let usage = self.usage.as_ref()?;
        let mut total = 0i64;
        let mut found = false;
        for (name, res) in &usage.containers {
            if container.is_some_and(|c| c != name) {
                continue;
            }
            let v = res.0.get(resource)?;
            total = total.saturating_add(*v);
            found = true;
        }
        found.then_some(total)
    }

    /// The pod's request of `resource` (one container or the sum of all).
    pub fn resource_request(&self, resource: &str, container: Option<&str>) -> Result<i64, String> {
        let mut total = 0i64;
        let mut found = false;
        for c in &self.containers {
            if container.is_some_and(|want| want != c.name) {
                continue;
            }
            found = true;
            match c.requests.0.get(resource) {
                Some(v) => total = total.saturating_add(*v),
                None => {
                    return Err(format!(
                        "missing request for {resource} in container {} of Pod {}",
                        c.name, self.name
                    ))
                }
            }
        }
        if !found {
            if let Some(want) = container {
                return Err(format!("container {want} not present in Pod {}", self.name));
            }
        }
        Ok(total)
    }
}

/// What the calculator proposes for one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proposal {
    pub replicas: u32,
    /// Current value: average utilization (percent) for Utilization targets.
    pub utilization: Option<i32>,
    /// Current value (milli): average value per pod, or the object's value.
    pub value: i64,
}

#[derive(Debug, Default)]
struct Groups {
    ready_count: usize,
    unready: Vec<usize>,
    missing: Vec<usize>,
}

/// `groupPods`: which pods count as ready, unready (or pending), missing metrics or ignored
/// (deleted/failed; these are simply not returned).
fn group_pods(
    pods: &[PodInfo],
    values: &[Option<i64>],
    cpu: bool,
    now: Millis,
    cfg: &ControllerConfig,
) -> Groups {
    let mut g = Groups::default();
    for (i, pod) in pods.iter().enumerate() {
        if pod.deleting || pod.phase == PodPhase::Failed {
            continue;
        }
        if pod.phase == PodPhase::Pending {
            g.unready.push(i);
            continue;
        }
        if values[i].is_none() {
            g.missing.push(i);
            continue;
        }
        if cpu {
            let unready = match (pod.ready, pod.start_time) {
                (Some(cond), Some(start)) => {
                    if start + cfg.cpu_initialization_period_ms > now {
                        // Inside the initialization period: ignore unready pods and samples not
                        // taken a whole window after the last readiness change.
                        let (ts, window) = pod
                            .usage
                            .as_ref()
                            .map(|u| (u.timestamp, u.window_ms))
                            .unwrap_or((now, 0));
                        !cond.ready || ts < cond.last_transition + window
                    } else {
                        // Later: ignore only pods that have never been ready.
                        !cond.ready && start + cfg.initial_readiness_delay_ms > cond.last_transition
                    }
                }
                _ => true,
            };
            if unready {
                g.unready.push(i);
                continue;
            }
        }
        g.ready_count += 1;
    }
    g
}

fn within_tolerance(ratio: f64, tolerance: f64) -> bool {
    (1.0 - ratio).abs() <= tolerance
}

fn ceil_u32(x: f64) -> u32 {
    let c = x.ceil();
    if c <= 0.0 {
        0
    } else if c >= u32::MAX as f64 {
        u32::MAX
    } else {
        c as u32
    }
}

/// A per-pod metric with a target per pod: `Resource`/`ContainerResource` (Utilization or
/// AverageValue) and `Pods` (AverageValue).
pub enum PodMetric<'a> {
    /// Utilization of a resource in percent of request.
    Utilization {
        resource: &'a str,
        container: Option<&'a str>,
        target_percent: i32,
    },
    /// Average raw value of a resource (milli).
    ResourceAverage {
        resource: &'a str,
        container: Option<&'a str>,
        target: i64,
    },
    /// Average of a custom pods metric (milli).
    PodsAverage { metric: &'a str, target: i64 },
}

/// `GetResourceReplicas` / `GetRawResourceReplicas` / `GetMetricReplicas` over the fleet's pods.
/// `current` is the fleet-wide spec replicas.
pub fn pod_metric_replicas(
    current: u32,
    metric: &PodMetric<'_>,
    pods: &[PodInfo],
    now: Millis,
    cfg: &ControllerConfig,
) -> Result<Proposal, String> {
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let (values, cpu): (Vec<Option<i64>>, bool) = match metric {
        PodMetric::Utilization {
            resource,
            container,
            ..
        }
        | PodMetric::ResourceAverage {
            resource,
            container,
            ..
        } => (
            pods.iter()
                .map(|p| p.resource_usage(resource, *container))
                .collect(),
            *resource == "cpu",
        ),
        PodMetric::PodsAverage { metric, .. } => (
            pods.iter()
                .map(|p| p.custom.get(*metric).copied())
                .collect(),
            false,
        ),
    };
    let groups = group_pods(pods, &values, cpu, now, cfg);
    let unready: std::collections::HashSet<usize> = groups.unready.iter().copied().collect();
    // The metrics that count: ready pods with a sample.
    let mut counted: Vec<(usize, i64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let v = (*v)?;
            let p = &pods[i];
            (!p.deleting && p.phase != PodPhase::Failed && !unready.contains(&i)).then_some((i, v))
        })
        .collect();
    if counted.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }

    // Requests per pod (Utilization only).
    let requests: Option<Vec<i64>> = match metric {
        PodMetric::Utilization {
            resource,
            container,
            ..
        } => Some(
            pods.iter()
                .map(|p| p.resource_request(resource, *container))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        _ => None,
    };
    let (target_util, target_value) = match metric {
        PodMetric::Utilization { target_percent, .. } => (*target_percent, 0),
        PodMetric::ResourceAverage { target, .. } | PodMetric::PodsAverage { target, .. } => {
            (0, *target)
        }
    };
    // usage ratio, utilization (percent, Utilization only), raw average value
    let ratio = |counted: &[(usize, i64)]| -> Result<(f64, Option<i32>, i64), String> {
        match &requests {
            Some(req) => {
                let mut metrics_total = 0i64;
                let mut requests_total = 0i64;
                for (i, v) in counted {
                    metrics_total = metrics_total.saturating_add(*v);
                    requests_total = requests_total.saturating_add(req[*i]);
                }
                if requests_total == 0 {
                    return Err("no metrics returned matched known pods".into());
                }
                let util = (metrics_total.saturating_mul(100) / requests_total) as i32;
                Ok((
                    util as f64 / target_util as f64,
                    Some(util),
                    metrics_total / counted.len() as i64,
                ))
            }
            None => {
                let total: i64 = counted.iter().map(|(_, v)| *v).sum();
                let avg = total / counted.len() as i64;
                Ok((avg as f64 / target_value as f64, None, avg))
            }
        }
    };
    let (usage_ratio, utilization, raw) = ratio(&counted)?;
    let proposal = |replicas: u32| Proposal {
        replicas,
        utilization,
        value: raw,
    };

    let scale_up_with_unready = !groups.unready.is_empty() && usage_ratio > 1.0;
    if !scale_up_with_unready && groups.missing.is_empty() {
        if within_tolerance(usage_ratio, cfg.tolerance) {
            return Ok(proposal(current));
        }
        return Ok(proposal(ceil_u32(usage_ratio * groups.ready_count as f64)));
    }

    if !groups.missing.is_empty() {
        if usage_ratio < 1.0 {
            // Scale-down: pods without metrics count as using their whole request (or the
            // target, when the target is above 100%).
            for &i in &groups.missing {
                let v = match &requests {
                    Some(req) => req[i] * i64::from(target_util.max(100)) / 100,
                    None => target_value,
                };
                counted.push((i, v));
            }
        } else if usage_ratio > 1.0 {
            // Scale-up: they count as using nothing.
            for &i in &groups.missing {
                counted.push((i, 0));
            }
        }
    }
    if scale_up_with_unready {
        for &i in &groups.unready {
            counted.push((i, 0));
        }
    }
    let (new_ratio, _, _) = ratio(&counted)?;
    if within_tolerance(new_ratio, cfg.tolerance)
        || (usage_ratio < 1.0 && new_ratio > 1.0)
        || (usage_ratio > 1.0 && new_ratio < 1.0)
    {
        return Ok(proposal(current));
    }
    let new_replicas = ceil_u32(new_ratio * counted.len() as f64);
    if (new_ratio < 1.0 && new_replicas > current) || (new_ratio > 1.0 && new_replicas < current) {
        return Ok(proposal(current));
    }
    Ok(proposal(new_replicas))
}

/// `Object`/`External` metrics with a `Value` target: `getUsageRatioReplicaCount`.
pub fn value_replicas(
    current: u32,
    usage: i64,
    target: i64,
    pods: &[PodInfo],
    cfg: &ControllerConfig,
) -> Result<Proposal, String> {
    let ratio = usage as f64 / target as f64;
    let replicas = if current != 0 {
        if within_tolerance(ratio, cfg.tolerance) {
            current
        } else {
            if pods.is_empty() {
                return Err("no pods returned by selector while calculating replica count".into());
            }
            let ready = pods.iter().filter(|p| p.is_running_ready()).count();
            ceil_u32(ratio * ready as f64)
        }
    } else {
        ceil_u32(ratio)
    };
    Ok(Proposal {
        replicas,
        utilization: None,
        value: usage,
    })
}

/// `Object`/`External` metrics with an `AverageValue` target (`Get*PerPodMetricReplicas`);
/// `status_replicas` is the number of pods the target has now.
pub fn per_pod_value_replicas(
    status_replicas: u32,
    usage: i64,
    target: i64,
    cfg: &ControllerConfig,
) -> Proposal {
    let mut replicas = status_replicas;
    let ratio = usage as f64 / (target as f64 * f64::from(replicas));
    if !within_tolerance(ratio, cfg.tolerance) {
        replicas = ceil_u32(usage as f64 / target as f64);
    }
    let per_pod = if status_replicas == 0 {
        usage
    } else {
        (usage as f64 / f64::from(status_replicas)).ceil() as i64
    };
    Proposal {
        replicas,
        utilization: None,
        value: per_pod,
    }
}
