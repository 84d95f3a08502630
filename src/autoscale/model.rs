//! The autoscaler spec as plain data: the `autoscaling/v2` HorizontalPodAutoscaler spec, which is
//! also the spec of Karmada's `autoscaling.karmada.io/v1alpha1` FederatedHPA.

use std::fmt;

/// Milliseconds since the Unix epoch (the core never reads a clock; callers pass `now`).
pub type Millis = i64;

/// Which document kind declared the autoscaler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoscalerKind {
    /// `autoscaling.karmada.io/v1alpha1` `FederatedHPA`.
    FederatedHpa,
    /// `autoscaling/v2` `HorizontalPodAutoscaler`.
    HorizontalPodAutoscaler,
}

impl AutoscalerKind {
    pub fn api_version(self) -> &'static str {
        match self {
            AutoscalerKind::FederatedHpa => "autoscaling.karmada.io/v1alpha1",
            AutoscalerKind::HorizontalPodAutoscaler => "autoscaling/v2",
        }
    }

    pub fn kind(self) -> &'static str {
        match self {
            AutoscalerKind::FederatedHpa => "FederatedHPA",
            AutoscalerKind::HorizontalPodAutoscaler => "HorizontalPodAutoscaler",
        }
    }
}

/// One fleet autoscaler.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoscalerSpec {
    pub kind: AutoscalerKind,
    pub name: String,
    pub namespace: String,
    /// `scaleTargetRef`: always a Deployment (`apps/v1`) of the fleet.
    pub target: String,
    /// `minReplicas` (default 1).
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// `metrics` (default: cpu at 80% utilization, like the autoscaling/v2 defaults).
    pub metrics: Vec<MetricSpec>,
    /// `behavior`; `None` means the controller's legacy rules (downscale stabilization window,
    /// scale-up limit max(2 × current, 4)), exactly as kube-controller-manager does.
    pub behavior: Option<Behavior>,
}

/// One entry of `metrics`.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricSpec {
    /// `type: Resource`: cpu/memory averaged over the target's pods.
    Resource { name: String, target: MetricTarget },
    /// `type: ContainerResource`: like Resource, for one container of each pod.
    ContainerResource {
        name: String,
        container: String,
        target: MetricTarget,
    },
    /// `type: Pods`: a custom metric of each pod (custom.metrics.k8s.io).
    Pods {
        metric: MetricIdentifier,
        target: MetricTarget,
    },
    /// `type: Object`: one value describing one object.
    Object {
        described_object: ObjectRef,
        metric: MetricIdentifier,
        target: MetricTarget,
    },
    /// `type: External`: a value from outside the cluster (external.metrics.k8s.io).
    External {
        metric: MetricIdentifier,
        target: MetricTarget,
    },
}

impl MetricSpec {
    pub fn target(&self) -> &MetricTarget {
        match self {
            MetricSpec::Resource { target, .. }
            | MetricSpec::ContainerResource { target, .. }
            | MetricSpec::Pods { target, .. }
            | MetricSpec::Object { target, .. }
            | MetricSpec::External { target, .. } => target,
        }
    }

    /// The metric's name as kubectl shows it (`cpu`, `requests_per_second`, ...).
    pub fn name(&self) -> &str {
        match self {
            MetricSpec::Resource { name, .. } | MetricSpec::ContainerResource { name, .. } => name,
            MetricSpec::Pods { metric, .. }
            | MetricSpec::Object { metric, .. }
            | MetricSpec::External { metric, .. } => &metric.name,
        }
    }

    /// The phrase the HPA controller uses in rescale reasons and conditions.
    pub fn description(&self) -> String {
        match self {
            MetricSpec::Resource { name, target } => match target {
                MetricTarget::Utilization(_) => {
                    format!("{name} resource utilization (percentage of request)")
                }
                _ => format!("{name} resource"),
            },
            MetricSpec::ContainerResource {
                name,
                container,
                target,
            } => match target {
                MetricTarget::Utilization(_) => format!(
                    "{name} container resource utilization (percentage of request) of container {container}"
                ),
                _ => format!("{name} container resource of container {container}"),
            },
            MetricSpec::Pods { metric, .. } => format!("pods metric {}", metric.name),
            MetricSpec::Object {
                described_object,
                metric,
                ..
            } => format!(
                "{} metric {}",
                described_object.kind.to_lowercase(),
                metric.name
            ),
            MetricSpec::External { metric, .. } => format!("external metric {}", metric.name),
        }
    }

    /// The `type` field.
    pub fn type_name(&self) -> &'static str {
        match self {
            MetricSpec::Resource { .. } => "Resource",
            MetricSpec::ContainerResource { .. } => "ContainerResource",
            MetricSpec::Pods { .. } => "Pods",
            MetricSpec::Object { .. } => "Object",
            MetricSpec::External { .. } => "External",
        }
    }
}

/// `metric: {name, selector}` of Pods/Object/External metrics.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetricIdentifier {
    pub name: String,
    /// `selector.matchLabels` as `k=v,k2=v2` (label selector text for the metrics APIs).
    pub selector: Option<String>,
}

/// `describedObject` of an Object metric.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

impl ObjectRef {
    /// The API group of `apiVersion` (empty for the core group).
    pub fn group(&self) -> &str {
        self.api_version
            .rsplit_once('/')
            .map(|(g, _)| g)
            .unwrap_or_default()
    }

    /// The resource the custom metrics API names the object by: the lower-case plural of the
    /// kind, qualified by its group (`ingresses.networking.k8s.io`, `services`).
    pub fn resource(&self) -> String {
        let plural = plural_of_kind(&self.kind);
        match self.group() {
            "" => plural,
            g => format!("{plural}.{g}"),
        }
    }
}

/// The lower-case plural of a kind, as the API names its resources (`Ingress` → `ingresses`,
/// `NetworkPolicy` → `networkpolicies`, `Service` → `services`).
pub fn plural_of_kind(kind: &str) -> String {
    let k = kind.to_ascii_lowercase();
    if k.ends_with('s') || k.ends_with('x') || k.ends_with("ch") || k.ends_with("sh") {
        format!("{k}es")
    } else if let Some(stem) = k
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{k}s")
    }
}

/// `target` of a metric. Values are in milli-units (like `capacity::Resources`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricTarget {
    /// `type: Utilization`, `averageUtilization` (percent of request).
    Utilization(i32),
    /// `type: AverageValue`, `averageValue` (milli).
    AverageValue(i64),
    /// `type: Value`, `value` (milli).
    Value(i64),
}

/// `behavior`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Behavior {
    pub scale_up: Option<ScalingRules>,
    pub scale_down: Option<ScalingRules>,
}

/// `behavior.scaleUp` / `behavior.scaleDown` as written (unset fields take the autoscaling/v2
/// defaults, see [`Behavior::resolved`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScalingRules {
    pub stabilization_window_seconds: Option<i32>,
    pub select_policy: Option<SelectPolicy>,
    pub policies: Option<Vec<ScalingPolicy>>,
}

/// `selectPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectPolicy {
    Max,
    Min,
    Disabled,
}

impl fmt::Display for SelectPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SelectPolicy::Max => "Max",
            SelectPolicy::Min => "Min",
            SelectPolicy::Disabled => "Disabled",
        })
    }
}

/// One entry of `policies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScalingPolicy {
    pub kind: PolicyKind,
    pub value: i32,
    pub period_seconds: i32,
}

/// `type` of a scaling policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Pods,
    Percent,
}

/// Scaling rules with every default filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedRules {
    pub stabilization_window_seconds: i32,
    pub select_policy: SelectPolicy,
    pub policies: Vec<ScalingPolicy>,
}

impl ResolvedRules {
    /// The longest `periodSeconds` of the policies (how long scale events are kept).
    pub fn longest_period(&self) -> i32 {
        self.policies
            .iter()
            .map(|p| p.period_seconds)
            .max()
            .unwrap_or(0)
    }
}

/// `behavior` with the autoscaling/v2 defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedBehavior {
    pub scale_up: ResolvedRules,
    pub scale_down: ResolvedRules,
}

impl Behavior {
    /// Fills unset fields like the API server's defaulting of autoscaling/v2
    /// (`GenerateHPAScaleUpRules` / `GenerateHPAScaleDownRules`): scale-up window 0, policies
    /// 4 pods and 100% per 15 s, Max; scale-down window `downscale_window_seconds` (the
    /// controller's `--horizontal-pod-autoscaler-downscale-stabilization`, 300 s), policy 100%
    /// per 15 s, Max.
    pub fn resolved(&self, downscale_window_seconds: i32) -> ResolvedBehavior {
        let up = self.scale_up.clone().unwrap_or_default();
        let down = self.scale_down.clone().unwrap_or_default();
        ResolvedBehavior {
            scale_up: ResolvedRules {
                stabilization_window_seconds: up.stabilization_window_seconds.unwrap_or(0),
                select_policy: up.select_policy.unwrap_or(SelectPolicy::Max),
                policies: up.policies.unwrap_or_else(|| {
                    vec![
                        ScalingPolicy {
                            kind: PolicyKind::Pods,
                            value: 4,
                            period_seconds: 15,
                        },
                        ScalingPolicy {
                            kind: PolicyKind::Percent,
                            value: 100,
                            period_seconds: 15,
                        },
                    ]
                }),
            },
            scale_down: ResolvedRules {
                stabilization_window_seconds: down
                    .stabilization_window_seconds
                    .unwrap_or(downscale_window_seconds),
                select_policy: down.select_policy.unwrap_or(SelectPolicy::Max),
                policies: down.policies.unwrap_or_else(|| {
                    vec![ScalingPolicy {
                        kind: PolicyKind::Percent,
                        value: 100,
                        period_seconds: 15,
                    }]
                }),
            },
        }
    }
}

/// The controller's flags (kube-controller-manager defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ControllerConfig {
    /// `--horizontal-pod-autoscaler-tolerance` (0.1).
    pub tolerance: f64,
    /// `--horizontal-pod-autoscaler-cpu-initialization-period` (5 min), in ms.
    pub cpu_initialization_period_ms: i64,
    /// `--horizontal-pod-autoscaler-initial-readiness-delay` (30 s), in ms.
    pub initial_readiness_delay_ms: i64,
    /// `--horizontal-pod-autoscaler-downscale-stabilization` (5 min), in seconds.
    pub downscale_stabilization_seconds: i32,
}

impl Default for ControllerConfig {
    fn default() -> Self {
        ControllerConfig {
            tolerance: 0.1,
            cpu_initialization_period_ms: 5 * 60 * 1000,
            initial_readiness_delay_ms: 30 * 1000,
            downscale_stabilization_seconds: 300,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_objects_are_named_like_the_custom_metrics_api_names_them() {
        let r = |api_version: &str, kind: &str| {
            ObjectRef {
                api_version: api_version.into(),
                kind: kind.into(),
                name: "main".into(),
            }
            .resource()
        };
        assert_eq!(
            r("networking.k8s.io/v1", "Ingress"),
            "ingresses.networking.k8s.io"
        );
        assert_eq!(r("v1", "Service"), "services");
        assert_eq!(
            r("networking.k8s.io/v1", "NetworkPolicy"),
            "networkpolicies.networking.k8s.io"
        );
        assert_eq!(r("apps/v1", "Deployment"), "deployments.apps");
        assert_eq!(plural_of_kind("Gateway"), "gateways");
    }
}
