//! The per-node rules shared by the estimator and the simulator's scheduler:
//! [`node_eligible`] (may this pod run on this node at all?) and [`fit_count`] (how many
//! replicas fit in the node's free room?).

use std::fmt;

use super::requirements::PodRequirements;
use super::resources::Resources;
use super::snapshot::{NodeSnapshot, PodSnapshot, Taint, TaintEffect};

/// Why a node cannot run a pod regardless of its free room.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ineligible {
    /// Condition Ready is not True.
    NotReady,
    /// `spec.unschedulable` (kubectl cordon).
    Cordoned,
    /// A NoSchedule/NoExecute taint no toleration matches (the first one found).
    UntoleratedTaint(Taint),
    /// A nodeSelector entry the node's labels do not have (`key=value`).
    NodeSelectorMismatch(String),
    /// No required node affinity term matches.
    AffinityMismatch,
}

impl fmt::Display for Ineligible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ineligible::NotReady => f.write_str("node not ready"),
            Ineligible::Cordoned => f.write_str("cordoned"),
            Ineligible::UntoleratedTaint(t) => write!(f, "untolerated taint {t}"),
            Ineligible::NodeSelectorMismatch(kv) => write!(f, "nodeSelector mismatch ({kv})"),
            Ineligible::AffinityMismatch => f.write_str("node affinity mismatch"),
        }
    }
}

/// Whether `pod` may be scheduled on `node`, ignoring free room: the node is Ready and not
/// cordoned, every NoSchedule/NoExecute taint is tolerated, nodeSelector and required node
/// affinity match. Checked in that order; the first failure is returned.
pub fn node_eligible(pod: &PodRequirements, node: &NodeSnapshot) -> Result<(), Ineligible> {
    shape_eligible(pod, &node.name, node)?;
    Ok(())
}

fn shape_eligible(
    pod: &PodRequirements,
    name: &str,
    node: &NodeSnapshot,
) -> Result<(), Ineligible> {
    if !node.ready {
        return Err(Ineligible::NotReady);
    }
    if node.unschedulable {
        return Err(Ineligible::Cordoned);
    }
    placement_eligible(pod, name, node, |_| false)
}

/// Taints, nodeSelector and required node affinity (`tolerated`: taints tolerated anyway).
fn placement_eligible(
    pod: &PodRequirements,
    name: &str,
    node: &NodeSnapshot,
    tolerated: impl Fn(&Taint) -> bool,
) -> Result<(), Ineligible> {
    if let Some(t) = node
        .taints
        .iter()
        .find(|t| t.effect.blocks_scheduling() && !pod.tolerates(t) && !tolerated(t))
    {
        return Err(Ineligible::UntoleratedTaint(t.clone()));
    }
    if let Some(key) = pod.node_selector_mismatch(&node.labels) {
        return Err(Ineligible::NodeSelectorMismatch(format!(
            "{key}={}",
            pod.node_selector[key]
        )));
    }
    if !pod.affinity_matches(name, &node.labels) {
        return Err(Ineligible::AffinityMismatch);
    }
    Ok(())
}

/// Whether a DaemonSet whose pod template is `pod` runs a pod on `node`, as the DaemonSet
/// controller decides: taints (plus the tolerations the controller adds to every DaemonSet
/// pod: `node.kubernetes.io/{not-ready,unreachable}:NoExecute`,
/// `node.kubernetes.io/{disk-pressure,memory-pressure,pid-pressure,unschedulable}:NoSchedule`),
/// nodeSelector and required node affinity. Readiness and cordon do not matter.
pub fn daemonset_eligible(pod: &PodRequirements, node: &NodeSnapshot) -> Result<(), Ineligible> {
    placement_eligible(pod, &node.name, node, |t| {
        let key = t.key.strip_prefix("node.kubernetes.io/").unwrap_or("");
        match t.effect {
            TaintEffect::NoExecute => matches!(key, "not-ready" | "unreachable"),
            TaintEffect::NoSchedule => matches!(
                key,
                "disk-pressure" | "memory-pressure" | "pid-pressure" | "unschedulable"
            ),
            TaintEffect::PreferNoSchedule => true,
        }
    })
}

/// What DaemonSets take on `node`: the summed requests of the pod templates in `daemonsets`
/// that run a pod there ([`daemonset_eligible`]: device plugins, log agents), and how many
/// pods that is. A node a pool adds loses this much of its allocatable at once.
pub fn daemonset_overhead<'a>(
    node: &NodeSnapshot,
    daemonsets: impl IntoIterator<Item = &'a PodRequirements>,
) -> (Resources, i64) {
    let mut sum = Resources::new();
    let mut pods = 0;
    for ds in daemonsets {
        if daemonset_eligible(ds, node).is_ok() {
            sum.add(&ds.requests);
            pods += 1;
        }
    }
    (sum, pods)
}

/// How many replicas requesting `request` fit in `free` with room for `free_pods` more pods:
/// the minimum over every positively requested resource of `free / request` (a resource
/// absent from `free`, or negative, gives 0) and `free_pods`. With no positive request only
/// the pod count limits. `pods` in `request` is ignored (the pod count is `free_pods`).
pub fn fit_count(free: &Resources, request: &Resources, free_pods: i64) -> u32 {
    let mut n = free_pods.max(0);
    for (name, need) in request.iter() {
        if need <= 0 || name == "pods" {
            continue;
        }
        n = n.min(free.get(name).max(0) / need);
        if n == 0 {
            return 0;
        }
    }
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Free room of `node` given the pods bound to it: allocatable minus the requests of every
/// non-terminal pod in `pods` whose `node_name` is this node (others are ignored), and the
/// number of further pods it accepts. Values may be negative when the node is over-committed.
pub fn node_free<'a>(
    node: &NodeSnapshot,
    pods: impl IntoIterator<Item = &'a PodSnapshot>,
) -> (Resources, i64) {
    let mut free = node.allocatable.clone();
    let mut free_pods = node.max_pods();
    for p in pods {
        if p.phase.is_terminal() || p.node_name.as_deref() != Some(node.name.as_str()) {
            continue;
        }
        free.sub(&p.requests);
        free_pods -= 1;
    }
    (free, free_pods)
}

/// A pod on a node that preemption may consider, identified by the caller's `id`.
#[derive(Debug, Clone, Copy)]
pub struct VictimCandidate<'a> {
    pub id: usize,
    pub priority: i32,
    pub requests: &'a Resources,
}

/// The pods to evict from one node so that one pod of `priority` requesting `request` fits,
/// the way kube-scheduler picks victims: remove every pod of strictly lower priority; if
/// the pod still does not fit, `None`; otherwise reprieve candidates one by one, highest
/// priority first (then in the given order), keeping each that can stay while the pod
/// still fits. Returns the ids of the remaining victims (empty when it fits already).
/// `free`/`free_pods` are the node's current free room (see [`node_free`]), with all
/// `candidates` still running; the caller applies its preemptionPolicy check.
pub fn preemption_victims(
    request: &Resources,
    priority: i32,
    free: &Resources,
    free_pods: i64,
    candidates: &[VictimCandidate<'_>],
) -> Option<Vec<usize>> {
    if fit_count(free, request, free_pods) >= 1 {
        return Some(Vec::new());
    }
    let mut lower: Vec<&VictimCandidate<'_>> = candidates
        .iter()
        .filter(|c| c.priority < priority)
        .collect();
    let mut room = free.clone();
    let mut room_pods = free_pods;
    for c in &lower {
        room.add(c.requests);
        room_pods += 1;
    }
    if fit_count(&room, request, room_pods) == 0 {
        return None;
    }
    lower.sort_by_key(|c| std::cmp::Reverse(c.priority));
    let mut victims = Vec::new();
    for c in lower {
        let mut trial = room.clone();
        trial.sub(c.requests);
        if fit_count(&trial, request, room_pods - 1) >= 1 {
            room = trial;
            room_pods -= 1;
        } else {
            victims.push(c.id);
        }
    }
    Some(victims)
}

#[cfg(test)]
#[allow(clippy::field_reassign_with_default)]
mod tests {
    use super::*;
    use crate::capacity::requirements::{
        NodeSelectorTerm, SelectorOperator as Op, SelectorRequirement, Toleration,
        TolerationOperator,
    };
    use crate::capacity::snapshot::TaintEffect;
    use std::collections::BTreeMap;

    fn node() -> NodeSnapshot {
        NodeSnapshot::new("n1", Resources::parse([("cpu", "4")]).unwrap())
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn tol(
        key: &str,
        op: TolerationOperator,
        value: &str,
        effect: Option<TaintEffect>,
    ) -> Toleration {
        Toleration {
            key: key.into(),
            operator: op,
            value: value.into(),
            effect,
        }
    }

    #[test]
    fn not_ready_and_cordoned_nodes_are_ineligible() {
        let pod = PodRequirements::default();
        let mut n = node();
        assert_eq!(node_eligible(&pod, &n), Ok(()));
        n.unschedulable = true;
        assert_eq!(node_eligible(&pod, &n), Err(Ineligible::Cordoned));
        assert_eq!(Ineligible::Cordoned.to_string(), "cordoned");
        n.ready = false;
        assert_eq!(node_eligible(&pod, &n), Err(Ineligible::NotReady));
        assert_eq!(Ineligible::NotReady.to_string(), "node not ready");
    }

    #[test]
    fn untolerated_noschedule_taint_blocks_and_names_the_taint() {
        let mut n = node();
        n.taints
            .push(Taint::new("gpu", "true", TaintEffect::NoSchedule));
        let err = node_eligible(&PodRequirements::default(), &n).unwrap_err();
        assert_eq!(err.to_string(), "untolerated taint gpu=true:NoSchedule");
    }

    #[test]
    fn prefer_no_schedule_taint_does_not_block() {
        let mut n = node();
        n.taints
            .push(Taint::new("spot", "", TaintEffect::PreferNoSchedule));
        assert_eq!(node_eligible(&PodRequirements::default(), &n), Ok(()));
    }

    #[test]
    fn no_execute_taint_blocks_unless_tolerated() {
        let mut n = node();
        n.taints
            .push(Taint::new("maint", "", TaintEffect::NoExecute));
        let mut pod = PodRequirements::default();
        assert!(node_eligible(&pod, &n).is_err());
        pod.tolerations.push(tol(
            "maint",
            TolerationOperator::Exists,
            "",
            Some(TaintEffect::NoExecute),
        ));
        assert_eq!(node_eligible(&pod, &n), Ok(()));
    }

    #[test]
    fn toleration_equal_needs_same_value_and_effect_when_set() {
        let t = Taint::new("gpu", "true", TaintEffect::NoSchedule);
        assert!(tol("gpu", TolerationOperator::Equal, "true", None).tolerates(&t));
        assert!(tol(
            "gpu",
            TolerationOperator::Equal,
            "true",
            Some(TaintEffect::NoSchedule)
        )
        .tolerates(&t));
        assert!(!tol("gpu", TolerationOperator::Equal, "false", None).tolerates(&t));
        assert!(!tol(
            "gpu",
            TolerationOperator::Equal,
            "true",
            Some(TaintEffect::NoExecute)
        )
        .tolerates(&t));
        assert!(!tol("other", TolerationOperator::Equal, "true", None).tolerates(&t));
    }

    #[test]
    fn toleration_exists_matches_any_value_and_empty_key_matches_every_taint() {
        let t = Taint::new("gpu", "true", TaintEffect::NoSchedule);
        assert!(tol("gpu", TolerationOperator::Exists, "", None).tolerates(&t));
        assert!(tol("", TolerationOperator::Exists, "", None).tolerates(&t));
        assert!(tol(
            "",
            TolerationOperator::Exists,
            "",
            Some(TaintEffect::NoSchedule)
        )
        .tolerates(&t));
        assert!(!tol(
            "",
            TolerationOperator::Exists,
            "",
            Some(TaintEffect::NoExecute)
        )
        .tolerates(&t));
    }

    #[test]
    fn node_selector_must_match_every_label() {
        let mut n = node();
        n.labels = labels(&[("gpu", "a10"), ("zone", "a")]);
        let mut pod = PodRequirements::default();
        pod.node_selector = labels(&[("gpu", "a10")]);
        assert_eq!(node_eligible(&pod, &n), Ok(()));
        pod.node_selector = labels(&[("gpu", "a10"), ("zone", "b")]);
        let err = node_eligible(&pod, &n).unwrap_err();
        assert_eq!(err.to_string(), "nodeSelector mismatch (zone=b)");
    }

    fn term(reqs: Vec<SelectorRequirement>) -> NodeSelectorTerm {
        NodeSelectorTerm {
            match_expressions: reqs,
            match_fields: vec![],
        }
    }

    #[test]
    fn affinity_operators_in_notin_exists_doesnotexist() {
        let l = labels(&[("zone", "a"), ("gpu", "a10")]);
        let ok = |r: SelectorRequirement| term(vec![r]).matches("n1", &l);
        assert!(ok(SelectorRequirement::new("zone", Op::In, &["a", "b"])));
        assert!(!ok(SelectorRequirement::new("zone", Op::In, &["b"])));
        assert!(!ok(SelectorRequirement::new("missing", Op::In, &["a"])));
        assert!(ok(SelectorRequirement::new("zone", Op::NotIn, &["b"])));
        assert!(!ok(SelectorRequirement::new("zone", Op::NotIn, &["a"])));
        assert!(ok(SelectorRequirement::new("missing", Op::NotIn, &["a"])));
        assert!(ok(SelectorRequirement::new("gpu", Op::Exists, &[])));
        assert!(!ok(SelectorRequirement::new("missing", Op::Exists, &[])));
        assert!(ok(SelectorRequirement::new(
            "missing",
            Op::DoesNotExist,
            &[]
        )));
        assert!(!ok(SelectorRequirement::new("gpu", Op::DoesNotExist, &[])));
    }

    #[test]
    fn affinity_gt_lt_compare_numerically() {
        let l = labels(&[("gpus", "8"), ("name", "eight")]);
        let ok = |r: SelectorRequirement| term(vec![r]).matches("n1", &l);
        assert!(ok(SelectorRequirement::new("gpus", Op::Gt, &["4"])));
        assert!(!ok(SelectorRequirement::new("gpus", Op::Gt, &["8"])));
        // numeric, not lexical: "8" > "10" lexically but 8 < 10
        assert!(ok(SelectorRequirement::new("gpus", Op::Lt, &["10"])));
        assert!(!ok(SelectorRequirement::new("gpus", Op::Lt, &["8"])));
        assert!(!ok(SelectorRequirement::new("name", Op::Gt, &["1"])));
        assert!(!ok(SelectorRequirement::new("missing", Op::Lt, &["1"])));
    }

    #[test]
    fn affinity_terms_are_ored_expressions_anded_and_empty_term_matches_nothing() {
        let mut n = node();
        n.labels = labels(&[("zone", "a"), ("gpu", "a10")]);
        let mut pod = PodRequirements::default();
        pod.required_affinity = Some(vec![term(vec![
            SelectorRequirement::new("zone", Op::In, &["a"]),
            SelectorRequirement::new("gpu", Op::In, &["h100"]),
        ])]);
        assert_eq!(node_eligible(&pod, &n), Err(Ineligible::AffinityMismatch));
        pod.required_affinity
            .as_mut()
            .unwrap()
            .push(term(vec![SelectorRequirement::new("gpu", Op::Exists, &[])]));
        assert_eq!(node_eligible(&pod, &n), Ok(()));
        pod.required_affinity = Some(vec![NodeSelectorTerm::default()]);
        assert_eq!(node_eligible(&pod, &n), Err(Ineligible::AffinityMismatch));
    }

    #[test]
    fn affinity_match_fields_uses_node_name() {
        let mut n = node();
        let mut pod = PodRequirements::default();
        pod.required_affinity = Some(vec![NodeSelectorTerm {
            match_expressions: vec![],
            match_fields: vec![SelectorRequirement::new("metadata.name", Op::In, &["n1"])],
        }]);
        assert_eq!(node_eligible(&pod, &n), Ok(()));
        n.name = "n2".into();
        assert!(node_eligible(&pod, &n).is_err());
    }

    #[test]
    fn node_free_subtracts_non_terminal_pods_bound_to_the_node() {
        let n = NodeSnapshot::new(
            "n1",
            Resources::parse([("cpu", "4"), ("pods", "10")]).unwrap(),
        );
        let pod = |node: &str, cpu: &str, phase| PodSnapshot {
            node_name: Some(node.into()),
            phase,
            requests: Resources::parse([("cpu", cpu)]).unwrap().into(),
            ..Default::default()
        };
        use crate::capacity::snapshot::PodPhase::*;
        let pods = [
            pod("n1", "1", Running),
            pod("n1", "1", Pending),
            pod("n1", "1", Succeeded),
            pod("n2", "1", Running),
        ];
        let (free, free_pods) = node_free(&n, &pods);
        assert_eq!(free.get("cpu"), 2000);
        assert_eq!(free_pods, 8);
    }

    #[test]
    fn preemption_victims_evicts_only_lower_priority_and_reprieves_what_it_can() {
        let gpu = |n: &str| Resources::parse([("nvidia.com/gpu", n)]).unwrap();
        let (a, b, c, d) = (gpu("1"), gpu("1"), gpu("2"), gpu("1"));
        let cands = [
            VictimCandidate {
                id: 0,
                priority: 100,
                requests: &a,
            },
            VictimCandidate {
                id: 1,
                priority: 50,
                requests: &b,
            },
            VictimCandidate {
                id: 2,
                priority: 100,
                requests: &c,
            },
            VictimCandidate {
                id: 3,
                priority: 1000,
                requests: &d,
            },
        ];
        // node of 5 GPUs, all used; the pod needs 2 GPUs at priority 500
        let free = gpu("0");
        let v = preemption_victims(&gpu("2"), 500, &free, 100, &cands).unwrap();
        // all lower (0, 1, 2) removed frees 4; reprieve by priority: keep 0 → 3 free; 2 would
        // leave 1 (< 2) so 2 is a victim; keep 1 → 2 free, still fits.
        assert_eq!(v, vec![2]);
        // equal/higher priority pods are never victims: not enough room
        assert_eq!(preemption_victims(&gpu("5"), 500, &free, 100, &cands), None);
        // fits already: no victims
        assert_eq!(
            preemption_victims(&gpu("1"), 500, &gpu("1"), 100, &cands),
            Some(vec![])
        );
    }

    #[test]
    fn fit_count_is_min_over_resources_and_pods() {
        let free = Resources::parse([("cpu", "4"), ("memory", "8Gi")]).unwrap();
        let req = Resources::parse([("cpu", "1"), ("memory", "3Gi")]).unwrap();
        assert_eq!(fit_count(&free, &req, 110), 2);
        assert_eq!(fit_count(&free, &req, 1), 1);
        assert_eq!(fit_count(&free, &req, 0), 0);
        assert_eq!(fit_count(&free, &req, -3), 0);
    }

    #[test]
    fn fit_count_absent_resource_gives_zero_and_zero_request_is_pod_limited() {
        let free = Resources::parse([("cpu", "4")]).unwrap();
        let gpu = Resources::parse([("nvidia.com/gpu", "1")]).unwrap();
        assert_eq!(fit_count(&free, &gpu, 110), 0);
        assert_eq!(fit_count(&free, &Resources::new(), 7), 7);
        assert_eq!(
            fit_count(&free, &Resources::parse([("cpu", "0")]).unwrap(), 7),
            7
        );
        let overcommitted = Resources::from_milli([("cpu", -500)]);
        assert_eq!(
            fit_count(&overcommitted, &Resources::from_milli([("cpu", 100)]), 5),
            0
        );
    }

    #[test]
    fn daemonset_pods_ignore_readiness_and_the_controllers_taints_but_not_others() {
        let mut agent = PodRequirements::with_requests(Resources::parse([("cpu", "1")]).unwrap());
        let mut n = node();
        n.ready = false;
        n.unschedulable = true;
        n.taints = vec![
            Taint::new("node.kubernetes.io/not-ready", "", TaintEffect::NoExecute),
            Taint::new(
                "node.kubernetes.io/unschedulable",
                "",
                TaintEffect::NoSchedule,
            ),
        ];
        assert_eq!(daemonset_eligible(&agent, &n), Ok(()));
        // A provisioning node's not-ready NoSchedule taint holds DaemonSet pods back.
        n.taints.push(Taint::new(
            "node.kubernetes.io/not-ready",
            "",
            TaintEffect::NoSchedule,
        ));
        assert!(matches!(
            daemonset_eligible(&agent, &n),
            Err(Ineligible::UntoleratedTaint(_))
        ));
        n.taints = vec![Taint::new("gpu", "true", TaintEffect::NoSchedule)];
        assert!(daemonset_eligible(&agent, &n).is_err());
        agent
            .tolerations
            .push(tol("gpu", TolerationOperator::Exists, "", None));
        assert_eq!(daemonset_eligible(&agent, &n), Ok(()));
        agent.node_selector = labels(&[("accelerator", "gpu")]);
        assert!(matches!(
            daemonset_eligible(&agent, &n),
            Err(Ineligible::NodeSelectorMismatch(_))
        ));
        n.labels = labels(&[("accelerator", "gpu")]);
        // Two DaemonSets, one matching: its requests and one pod.
        let other = PodRequirements {
            node_selector: labels(&[("accelerator", "npu")]),
            ..PodRequirements::with_requests(Resources::parse([("cpu", "2")]).unwrap())
        };
        let (overhead, pods) = daemonset_overhead(&n, [&agent, &other]);
        assert_eq!((overhead.get("cpu"), pods), (1000, 1));
    }
}
