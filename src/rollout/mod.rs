//! rollout (pure): fleet-wide progressive delivery with Kruise Rollouts' canary steps.
//!
//! Plain data in, plain data out; no I/O, no clocks (times are passed in as Unix seconds).
//!
//! - [`spec`]: the `rollouts.kruise.io/v1beta1` `Rollout` document.
//! - [`split`]: which members run how many replicas of the new template at a step. Steps count
//!   replicas fleet-wide; members take the new template in rollout order (by default the
//!   lowest-priority group first, see [`member_order`]); the first members are filled
//!   completely (*folded*: the member copy itself runs the new template), the next one runs a
//!   partial step as a `<name>-canary` Deployment whose replicas are taken from the stable copy
//!   (the member total stays what the plan says). A member that was folded stays folded.
//! - [`assess`]: whether the step's new pods are Ready and settled, still progressing, or
//!   failed (crash loops, progress deadline), and whether fleet-wide availability is within the
//!   Deployment's `maxUnavailable` budget.
//! - [`RolloutState`] and its transitions ([`RolloutState::start`], [`reconcile_action`],
//!   [`resume`], [`phase`]): the state machine whose state lives in the members.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

pub mod spec;

#[cfg(test)]
mod proptests;

pub use spec::{parse_rollout, Pause, RolloutSpec, Step, StepReplicas};

/// Errors of the rollout core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolloutError {
    #[error("{source_name}: {path}: {message}")]
    Field {
        source_name: String,
        path: String,
        message: String,
    },
    /// The request does not fit the rollout's state (nothing to resume): bad input.
    #[error("{0}")]
    State(String),
    /// The rollout's step failed: a runtime condition, not bad input.
    #[error("{0}")]
    Failed(String),
}

/// One member's share of the workload (the plan's desired replicas).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub cluster: String,
    pub replicas: u32,
}

/// One member's split between the old (stable) and the new (canary) template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberSplit {
    pub cluster: String,
    /// The member's total (what the plan says).
    pub total: u32,
    /// Replicas on the new template.
    pub new: u32,
    /// The member copy itself runs the new template (no canary Deployment).
    pub folded: bool,
}

impl MemberSplit {
    /// Replicas of the stable copy with the old template.
    pub fn stable(&self) -> u32 {
        if self.folded {
            0
        } else {
            self.total - self.new
        }
    }

    /// Replicas of the `<name>-canary` Deployment.
    pub fn canary(&self) -> u32 {
        if self.folded {
            0
        } else {
            self.new
        }
    }
}

/// The rollout order of members: members the user names first (in that order), then
/// `default_order` (lowest-priority group first: the plan's scale-in order), then any other
/// member by name. Only members in `members` are returned.
pub fn member_order(user: &[String], default_order: &[String], members: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(members.len());
    let candidates = user.iter().chain(default_order.iter()).cloned().chain({
        let mut rest: Vec<String> = members.to_vec();
        rest.sort();
        rest
    });
    for c in candidates {
        if members.contains(&c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// Splits `target` new-template replicas over `shares` (in rollout order). Members in `folded`
/// stay entirely on the new template (nothing reverts an updated member, so the fleet may run
/// more than `target` new replicas after scaling); the rest are filled in order, a member
/// covered completely is folded. The result is in the order of `shares`.
pub fn split(shares: &[Share], target: u32, folded: &BTreeSet<String>) -> Vec<MemberSplit> {
    let sticky: u32 = shares
        .iter()
        .filter(|s| folded.contains(&s.cluster))
        .map(|s| s.replicas)
        .sum();
    let mut left = target.saturating_sub(sticky);
    shares
        .iter()
        .map(|s| {
            if folded.contains(&s.cluster) {
                return MemberSplit {
                    cluster: s.cluster.clone(),
                    total: s.replicas,
                    new: s.replicas,
                    folded: s.replicas > 0,
                };
            }
            let take = s.replicas.min(left);
            left -= take;
            MemberSplit {
                cluster: s.cluster.clone(),
                total: s.replicas,
                new: take,
                folded: take == s.replicas && take > 0,
            }
        })
        .collect()
}

/// `maxUnavailable` of a Deployment's rolling update (`"25%"` default; percentages round
/// down like Kubernetes) for a fleet total.
pub fn max_unavailable(value: Option<&str>, total: u32) -> u32 {
    let v = value.unwrap_or("25%");
    if let Some(p) = v.strip_suffix('%') {
        let p = p.trim().parse::<u64>().unwrap_or(25).min(100);
        (u64::from(total) * p / 100) as u32
    } else {
        v.trim().parse::<u32>().unwrap_or(0).min(total)
    }
}

/// Unavailability a rolling update of `replicas` may cause, with Kubernetes' rules:
/// `maxUnavailable` (default 25%) rounds down, `maxSurge` (default 25%) rounds up, and when
/// both resolve to 0 `maxUnavailable` is 1; a `Recreate` strategy takes every replica down.
/// For the fleet total this is the rollout's fleet-wide budget; for one member's copy it is
/// what that member's own rolling update may take down at once.
pub fn rolling_unavailable(
    max_unavailable_v: Option<&str>,
    max_surge: Option<&str>,
    recreate: bool,
    replicas: u32,
) -> u32 {
    if recreate {
        return replicas;
    }
    let unavailable = max_unavailable(max_unavailable_v, replicas);
    let surge = {
        let v = max_surge.unwrap_or("25%");
        match v.strip_suffix('%') {
            Some(p) => {
                let p = u64::from(p.trim().parse::<u32>().unwrap_or(25));
                (u64::from(replicas) * p).div_ceil(100) as u32
            }
            None => v.trim().parse::<u32>().unwrap_or(0),
        }
    };
    if unavailable == 0 && surge == 0 {
        1
    } else {
        unavailable
    }
}

/// Batches of writes whose rolling updates run at the same time without taking more than a
/// budget down. `items` are `(group, cost)` in write order (a group is one workload with its
/// canary copy; the cost is what the write may take down, 0 for writes that only add or
/// remove replicas); `budget` is each group's fleet-wide budget. Every batch holds, per
/// group, writes whose costs sum to at most the budget, or one write alone when its cost
/// exceeds the budget by itself. Returns indices into `items`, in write order.
pub fn budget_batches(items: &[(usize, u32)], budget: &[u32]) -> Vec<Vec<usize>> {
    let mut left: Vec<usize> = (0..items.len()).collect();
    let mut out = Vec::new();
    while !left.is_empty() {
        let mut used = vec![0u32; budget.len()];
        let mut started = vec![false; budget.len()];
        let mut batch = Vec::new();
        left.retain(|&i| {
            let (g, cost) = items[i];
            let cap = budget.get(g).copied().unwrap_or(u32::MAX);
            let fits = cost == 0
                || used.get(g).is_none()
                || used[g].saturating_add(cost) <= cap
                || !started[g];
            if fits {
                if let Some(u) = used.get_mut(g) {
                    *u = u.saturating_add(cost);
                    started[g] |= cost > 0;
                }
                batch.push(i);
            }
            !fits
        });
        out.push(batch);
    }
    out
}

/// A new-template pod as observed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodObs {
    pub name: String,
    pub ready: bool,
    /// Sum of the containers' restartCount.
    pub restarts: u32,
    /// Seconds since the pod became Ready (when Ready).
    pub ready_for: Option<u64>,
    /// Seconds since the pod was created.
    pub age: u64,
    /// A container's waiting/terminated reason, when there is one.
    pub reason: Option<String>,
}

/// One member as observed for the health of a step.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberObs {
    pub cluster: String,
    pub reachable: bool,
    /// New-template replicas this member should run at the step.
    pub want_new: u32,
    /// New-template replicas available (canary copy, or the folded copy once updated).
    pub new_available: u32,
    /// Desired and available replicas of all copies (for the unavailability budget).
    pub desired: u32,
    pub available: u32,
    /// New-template pods (for restarts, readiness age).
    pub pods: Vec<PodObs>,
}

/// Limits of [`assess`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthLimits {
    /// `progressDeadlineSeconds` of the Deployment (default 600).
    pub progress_deadline: u64,
    pub settle_seconds: u64,
    pub max_restarts: u32,
    /// Fleet-wide unavailability budget ([`max_unavailable`]).
    pub max_unavailable: u32,
}

/// Health of the current step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum Health {
    /// Not there yet: why.
    Progressing { reason: String },
    /// Every new pod the step wants is Ready and settled; availability is within budget.
    Ready,
    /// The step failed.
    Failed {
        cluster: String,
        pod: Option<String>,
        reason: String,
    },
}

/// Assesses a step from observations. `step_age` is the time since the step was written.
pub fn assess(obs: &[MemberObs], step_age: u64, limits: &HealthLimits) -> Health {
    // Crash loops fail at once, wherever they are.
    for m in obs {
        for p in &m.pods {
            if p.restarts > limits.max_restarts {
                return Health::Failed {
                    cluster: m.cluster.clone(),
                    pod: Some(p.name.clone()),
                    reason: format!(
                        "new pod restarted {} times (limit {}){}",
                        p.restarts,
                        limits.max_restarts,
                        p.reason
                            .as_ref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    ),
                };
            }
        }
    }
    for m in obs {
        for p in &m.pods {
            if !p.ready && p.age > limits.progress_deadline {
                return Health::Failed {
                    cluster: m.cluster.clone(),
                    pod: Some(p.name.clone()),
                    reason: format!(
                        "new pod not Ready after progressDeadlineSeconds {}{}",
                        limits.progress_deadline,
                        p.reason
                            .as_ref()
                            .map(|r| format!(": {r}"))
                            .unwrap_or_default()
                    ),
                };
            }
        }
        if m.reachable && m.new_available < m.want_new && step_age > limits.progress_deadline {
            return Health::Failed {
                cluster: m.cluster.clone(),
                pod: None,
                reason: format!(
                    "{}/{} new replicas available after progressDeadlineSeconds {}",
                    m.new_available, m.want_new, limits.progress_deadline
                ),
            };
        }
    }
    for m in obs {
        if !m.reachable && m.want_new > 0 {
            return Health::Progressing {
                reason: format!("{}: unreachable", m.cluster),
            };
        }
    }
    for m in obs {
        if m.new_available < m.want_new {
            return Health::Progressing {
                reason: format!(
                    "{}: {}/{} new replicas available",
                    m.cluster, m.new_available, m.want_new
                ),
            };
        }
    }
    for m in obs {
        for p in &m.pods {
            if p.ready && p.ready_for.unwrap_or(0) < limits.settle_seconds {
                return Health::Progressing {
                    reason: format!(
                        "{}: pod {} settling ({}s of {}s Ready)",
                        m.cluster,
                        p.name,
                        p.ready_for.unwrap_or(0),
                        limits.settle_seconds
                    ),
                };
            }
        }
    }
    let desired: u32 = obs.iter().filter(|m| m.reachable).map(|m| m.desired).sum();
    let available: u32 = obs
        .iter()
        .filter(|m| m.reachable)
        .map(|m| m.available)
        .sum();
    let unavailable = desired.saturating_sub(available);
    if unavailable > limits.max_unavailable {
        return Health::Progressing {
            reason: format!(
                "{unavailable} replicas unavailable fleet-wide (maxUnavailable {})",
                limits.max_unavailable
            ),
        };
    }
    Health::Ready
}

/// The rollout state stored in the members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutState {
    /// Fleet revision of the new template.
    pub revision: u64,
    /// Fleet revision of the stable template (what undo and failure restore).
    pub stable_revision: u64,
    /// Index into [`RolloutSpec::effective_steps`].
    pub step: usize,
    /// Unix seconds when the step was written.
    pub step_started: i64,
    /// Unix seconds when the step was first seen Ready (the clock of a timed pause).
    #[serde(default)]
    pub ready_at: Option<i64>,
    /// `rollout pause`: nothing advances until `rollout resume`.
    #[serde(default)]
    pub paused: bool,
    /// Members folded onto the new template (they stay updated).
    #[serde(default)]
    pub folded: BTreeSet<String>,
    /// Finished (every member on `revision`): written by an apply without steps and by undo.
    #[serde(default)]
    pub done: bool,
}

impl RolloutState {
    /// A rollout of `revision` starting at step 0. Members folded by an unfinished rollout
    /// that this one supersedes stay folded (nothing reverts an updated member).
    pub fn start(
        previous: Option<&RolloutState>,
        revision: u64,
        stable_revision: u64,
        now: i64,
        steps: usize,
    ) -> RolloutState {
        let folded = previous
            .filter(|p| p.is_active(steps))
            .map(|p| p.folded.clone())
            .unwrap_or_default();
        RolloutState {
            revision,
            stable_revision,
            step: 0,
            step_started: now,
            ready_at: None,
            paused: false,
            folded,
            done: false,
        }
    }

    /// A finished rollout of `revision` (every member on it): the state written by an apply
    /// without steps and by undo.
    pub fn complete(revision: u64, now: i64) -> RolloutState {
        RolloutState {
            revision,
            stable_revision: revision,
            step: 0,
            step_started: now,
            ready_at: None,
            paused: false,
            folded: BTreeSet::new(),
            done: true,
        }
    }

    /// True while steps remain (the last step is the full one).
    pub fn is_active(&self, steps: usize) -> bool {
        !self.done && self.step + 1 < steps
    }

    /// New-template replicas of the current step for a fleet total.
    pub fn target(&self, steps: &[Step], total: u32) -> u32 {
        match steps.get(self.step) {
            Some(s) if self.is_active(steps.len()) => s.replicas.resolve(total),
            _ => total,
        }
    }

    /// The next step, written at `now`.
    pub fn advanced(&self, now: i64) -> RolloutState {
        RolloutState {
            step: self.step + 1,
            step_started: now,
            ready_at: None,
            ..self.clone()
        }
    }

    /// Records the members folded by `splits`.
    pub fn with_folded(mut self, splits: &[MemberSplit]) -> RolloutState {
        for s in splits.iter().filter(|s| s.folded) {
            self.folded.insert(s.cluster.clone());
        }
        self
    }
}

/// The phase shown by `rollout status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "phase")]
pub enum Phase {
    /// The step's new pods are coming up.
    Progressing {
        reason: String,
    },
    /// `rollout pause` is in effect.
    Paused,
    /// The step is done and waits for `rollout resume` (`pause: {}`).
    WaitingForResume,
    /// The step is done and waits `remaining` more seconds (`pause: {duration}`), after which
    /// `reconcile` (or `resume`) continues.
    WaitingForTimer {
        remaining: u64,
    },
    /// A timed pause is over; the next `reconcile` or `resume` continues.
    ReadyToAdvance,
    Failed {
        cluster: String,
        pod: Option<String>,
        reason: String,
    },
    Completed,
}

/// The phase of a rollout from its state, steps, the step's health and the time.
pub fn phase(state: &RolloutState, steps: &[Step], health: &Health, now: i64) -> Phase {
    if let Health::Failed {
        cluster,
        pod,
        reason,
    } = health
    {
        return Phase::Failed {
            cluster: cluster.clone(),
            pod: pod.clone(),
            reason: reason.clone(),
        };
    }
    let last = !state.is_active(steps.len());
    match health {
        Health::Ready if last => Phase::Completed,
        _ if state.paused && !last => Phase::Paused,
        Health::Progressing { reason } => Phase::Progressing {
            reason: reason.clone(),
        },
        _ => match steps.get(state.step).map(|s| s.pause) {
            Some(Pause::Seconds(d)) => {
                let since = state.ready_at.unwrap_or(now);
                let end = since.saturating_add(d as i64);
                if now >= end {
                    Phase::ReadyToAdvance
                } else {
                    Phase::WaitingForTimer {
                        remaining: (end - now) as u64,
                    }
                }
            }
            _ => Phase::WaitingForResume,
        },
    }
}

/// What `reconcile` does with a rollout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Nothing,
    /// Record `ready_at` (the step just became Ready; a timed pause starts now).
    RecordReady(RolloutState),
    /// Write the next step.
    Advance(RolloutState),
}

/// `reconcile`: advances timed pauses (never manual ones, never a paused or failed rollout).
pub fn reconcile_action(state: &RolloutState, steps: &[Step], health: &Health, now: i64) -> Action {
    if state.paused || !state.is_active(steps.len()) || *health != Health::Ready {
        return Action::Nothing;
    }
    match steps.get(state.step).map(|s| s.pause) {
        Some(Pause::Seconds(d)) => match state.ready_at {
            Some(t) if now >= t.saturating_add(d as i64) => Action::Advance(state.advanced(now)),
            Some(_) => Action::Nothing,
            None if d == 0 => Action::Advance(state.advanced(now)),
            None => Action::RecordReady(RolloutState {
                ready_at: Some(now),
                ..state.clone()
            }),
        },
        _ => Action::Nothing,
    }
}

/// Outcome of [`resume`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resumed {
    /// The next step (a step waiting for `resume`, or a finished timed pause).
    Advance(RolloutState),
    /// Only `rollout pause` was lifted; the step goes on by itself.
    Unpaused(RolloutState),
    /// The step is not Ready yet: wait and ask again.
    NotReady(String),
}

/// `rollout resume`: lifts `rollout pause` and continues a step that waits for it.
pub fn resume(
    state: &RolloutState,
    steps: &[Step],
    health: &Health,
    now: i64,
) -> Result<Resumed, RolloutError> {
    if !state.is_active(steps.len()) {
        return Err(RolloutError::State(format!(
            "revision {} is fully rolled out: nothing to resume",
            state.revision
        )));
    }
    if let Health::Failed {
        cluster,
        pod,
        reason,
    } = health
    {
        return Err(RolloutError::Failed(format!(
            "step {} failed on {cluster}{}: {reason}; fix the template and apply it, or run `rollout undo`",
            state.step + 1,
            pod.as_ref().map(|p| format!(" (pod {p})")).unwrap_or_default()
        )));
    }
    let unpaused = RolloutState {
        paused: false,
        ..state.clone()
    };
    let waits_for_resume = matches!(steps.get(state.step).map(|s| s.pause), Some(Pause::Manual));
    if state.paused && !waits_for_resume {
        return Ok(Resumed::Unpaused(unpaused));
    }
    match health {
        Health::Ready => Ok(Resumed::Advance(unpaused.advanced(now))),
        Health::Progressing { reason } => Ok(Resumed::NotReady(reason.clone())),
        Health::Failed { .. } => unreachable!("handled above"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(v: &[(&str, u32)]) -> Vec<Share> {
        v.iter()
            .map(|(c, r)| Share {
                cluster: c.to_string(),
                replicas: *r,
            })
            .collect()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn split_fills_members_in_order_and_folds_full_ones() {
        let out = split(
            &shares(&[("a", 2), ("b", 4), ("c", 2)]),
            4,
            &BTreeSet::new(),
        );
        assert_eq!(
            out.iter()
                .map(|m| (m.cluster.as_str(), m.stable(), m.canary(), m.folded))
                .collect::<Vec<_>>(),
            vec![("a", 0, 0, true), ("b", 2, 2, false), ("c", 2, 0, false)]
        );
    }

    #[test]
    fn folded_members_stay_folded_after_scaling() {
        let folded: BTreeSet<String> = ["a".to_string()].into();
        // a grew from 2 to 4: still all new, and b gets nothing more although 50% of 6 is 3.
        let out = split(&shares(&[("a", 4), ("b", 2)]), 3, &folded);
        assert!(out[0].folded && out[0].new == 4);
        assert_eq!(out[1].new, 0);
    }

    #[test]
    fn order_user_first_then_default_then_names() {
        assert_eq!(
            member_order(&s(&["b"]), &s(&["c", "a"]), &s(&["a", "b", "c", "d"])),
            s(&["b", "c", "a", "d"])
        );
        assert_eq!(
            member_order(&s(&["zzz"]), &[], &s(&["b", "a"])),
            s(&["a", "b"])
        );
    }

    #[test]
    fn max_unavailable_rounds_percent_down() {
        assert_eq!(max_unavailable(None, 7), 1);
        assert_eq!(max_unavailable(Some("50%"), 5), 2);
        assert_eq!(max_unavailable(Some("2"), 5), 2);
        assert_eq!(max_unavailable(Some("9"), 5), 5);
    }

    #[test]
    fn rolling_unavailable_follows_kubernetes() {
        // Defaults 25%/25%: 6 replicas -> 1 down.
        assert_eq!(rolling_unavailable(None, None, false, 6), 1);
        // maxUnavailable 0 with a surge: nothing down; with maxSurge 0 too: 1.
        assert_eq!(rolling_unavailable(Some("0"), None, false, 6), 0);
        assert_eq!(rolling_unavailable(Some("0%"), Some("0"), false, 6), 1);
        assert_eq!(rolling_unavailable(Some("10%"), Some("0%"), false, 6), 1);
        assert_eq!(rolling_unavailable(Some("2"), Some("1"), false, 6), 2);
        assert_eq!(rolling_unavailable(Some("2"), Some("1"), false, 1), 1);
        assert_eq!(rolling_unavailable(None, None, true, 4), 4);
    }

    #[test]
    fn budget_batches_keep_each_group_within_its_budget() {
        // Group 0 (budget 1): three rolls of cost 1 and a shrink; group 1 (budget 3) two
        // rolls of cost 2; group 2 (budget 1) a roll of cost 3 (alone).
        let items = [(0, 1), (0, 1), (1, 2), (0, 0), (1, 2), (0, 1), (2, 3)];
        let b = budget_batches(&items, &[1, 3, 1]);
        assert_eq!(b, vec![vec![0, 2, 3, 6], vec![1, 4], vec![5]]);
        for batch in &b {
            for (g, cap) in [(0, 1), (1, 3)] {
                let sum: u32 = batch
                    .iter()
                    .filter(|&&i| items[i].0 == g)
                    .map(|&i| items[i].1)
                    .sum();
                assert!(sum <= cap, "{batch:?}");
            }
        }
        assert_eq!(budget_batches(&[], &[1]), Vec::<Vec<usize>>::new());
    }

    fn limits() -> HealthLimits {
        HealthLimits {
            progress_deadline: 600,
            settle_seconds: 5,
            max_restarts: 2,
            max_unavailable: 1,
        }
    }

    fn obs(cluster: &str, want: u32, avail: u32, pods: Vec<PodObs>) -> MemberObs {
        MemberObs {
            cluster: cluster.into(),
            reachable: true,
            want_new: want,
            new_available: avail,
            desired: 4,
            available: 4,
            pods,
        }
    }

    fn pod(name: &str, ready: bool, restarts: u32, ready_for: u64) -> PodObs {
        PodObs {
            name: name.into(),
            ready,
            restarts,
            ready_for: ready.then_some(ready_for),
            age: 30,
            reason: (!ready).then(|| "ImagePullBackOff".to_string()),
        }
    }

    #[test]
    fn assess_crash_loop_fails_naming_member_and_pod() {
        let h = assess(
            &[
                obs("a", 1, 1, vec![pod("p1", true, 0, 60)]),
                obs("b", 1, 0, vec![pod("p2", false, 3, 0)]),
            ],
            10,
            &limits(),
        );
        assert_eq!(
            h,
            Health::Failed {
                cluster: "b".into(),
                pod: Some("p2".into()),
                reason: "new pod restarted 3 times (limit 2): ImagePullBackOff".into()
            }
        );
    }

    #[test]
    fn assess_waits_for_availability_then_settle_then_budget() {
        let l = limits();
        let h = assess(&[obs("a", 2, 1, vec![pod("p", true, 0, 60)])], 10, &l);
        assert!(matches!(h, Health::Progressing { ref reason } if reason.contains("1/2")));
        let h = assess(&[obs("a", 1, 1, vec![pod("p", true, 0, 2)])], 10, &l);
        assert!(matches!(h, Health::Progressing { ref reason } if reason.contains("settling")));
        let mut m = obs("a", 1, 1, vec![pod("p", true, 0, 60)]);
        m.available = 2;
        let h = assess(&[m], 10, &l);
        assert!(
            matches!(h, Health::Progressing { ref reason } if reason.contains("maxUnavailable"))
        );
        let h = assess(&[obs("a", 1, 1, vec![pod("p", true, 0, 60)])], 10, &l);
        assert_eq!(h, Health::Ready);
        let h = assess(&[obs("a", 2, 1, vec![])], 601, &l);
        assert!(matches!(h, Health::Failed { ref cluster, .. } if cluster == "a"));
    }

    fn steps() -> Vec<Step> {
        vec![
            Step {
                replicas: StepReplicas::Percent(50),
                pause: Pause::Manual,
            },
            Step {
                replicas: StepReplicas::Percent(75),
                pause: Pause::Seconds(30),
            },
            Step {
                replicas: StepReplicas::Percent(100),
                pause: Pause::Seconds(0),
            },
        ]
    }

    #[test]
    fn manual_pause_needs_resume_and_timed_pause_needs_time() {
        let st = RolloutState::start(None, 2, 1, 100, 3);
        assert_eq!(st.target(&steps(), 4), 2);
        assert_eq!(
            phase(&st, &steps(), &Health::Ready, 110),
            Phase::WaitingForResume
        );
        assert_eq!(
            reconcile_action(&st, &steps(), &Health::Ready, 110),
            Action::Nothing
        );
        let Ok(Resumed::Advance(st)) = resume(&st, &steps(), &Health::Ready, 120) else {
            panic!("resume advances a ready manual step");
        };
        assert_eq!(st.step, 1);
        let Action::RecordReady(st) = reconcile_action(&st, &steps(), &Health::Ready, 130) else {
            panic!("records ready");
        };
        assert_eq!(
            phase(&st, &steps(), &Health::Ready, 140),
            Phase::WaitingForTimer { remaining: 20 }
        );
        assert_eq!(
            reconcile_action(&st, &steps(), &Health::Ready, 150),
            Action::Nothing
        );
        let Action::Advance(st) = reconcile_action(&st, &steps(), &Health::Ready, 160) else {
            panic!("advances after the duration");
        };
        assert_eq!(st.step, 2);
        assert_eq!(st.target(&steps(), 4), 4);
        assert_eq!(phase(&st, &steps(), &Health::Ready, 170), Phase::Completed);
        // Nothing to resume is a request that does not fit the state (bad input).
        assert!(matches!(
            resume(&st, &steps(), &Health::Ready, 170),
            Err(RolloutError::State(_))
        ));
    }

    #[test]
    fn pause_blocks_everything_and_resume_lifts_it() {
        let mut st = RolloutState::start(None, 2, 1, 100, 3).advanced(100);
        st.paused = true;
        st.ready_at = Some(0);
        assert_eq!(phase(&st, &steps(), &Health::Ready, 1000), Phase::Paused);
        assert_eq!(
            reconcile_action(&st, &steps(), &Health::Ready, 1000),
            Action::Nothing
        );
        let Ok(Resumed::Unpaused(st)) = resume(&st, &steps(), &Health::Ready, 1000) else {
            panic!("resume lifts the pause of a timed step");
        };
        assert!(!st.paused);
        let failed = Health::Failed {
            cluster: "a".into(),
            pod: None,
            reason: "x".into(),
        };
        // A failed step is a runtime condition, not bad input.
        assert!(matches!(
            resume(&st, &steps(), &failed, 1000),
            Err(RolloutError::Failed(_))
        ));
        assert!(matches!(
            phase(&st, &steps(), &failed, 1000),
            Phase::Failed { .. }
        ));
    }
}
