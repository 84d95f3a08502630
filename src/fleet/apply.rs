//! Executing a [`FleetPlan`]: server-side apply of each member's copy, make-before-break.
//!
//! 1. Read every member's current copy (concurrently). Unreachable members that the plan
//!    changes stop the apply unless `allow_unreachable`; a same-named Deployment not managed
//!    by kubectl-fleet is a conflict (Abort: nothing is written to that member; Overwrite:
//!    adopted, annotation `fleet.kubectl.dev/adopted: "true"`).
//! 2. Phase 1: copies that grow or are new (and annotation-only updates), highest priority
//!    first; namespaces are created when missing. With `wait`, wait until they are available
//!    (status polls, see [`wait_available`]); a copy not available within `timeout` is an
//!    error line of the report and holds phase 2 back.
//! 3. Phase 2: copies that shrink, lowest priority first, then copies going to 0 are deleted.
//!
//! With a rollout in the plan (a step, or a canary copy being removed: see
//! [`super::rollout`]) the order also protects the workload's fleet-wide `maxUnavailable`
//! budget, with or without `wait`: phase 1 first writes what only adds replicas (canary
//! copies, increases) and waits for it to be available; then the copies whose template
//! changes (a member folded onto the new template, or back) are written in batches whose
//! members' own rolling updates take at most the budget down together, each batch available
//! before the next; phase 2 goes in batches the same way. A new pod of the step that fails
//! (crash loop, progress deadline) stops the wait: the stable copies keep their replicas.
//!
//! Copies whose replicas, template hash and fleet annotations already match are `unchanged`
//! and not written: a second identical apply makes no writes. Cancellation is checked
//! between members. A failure stops nothing already written; re-running converges.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams};
use kube::Client;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::error::{FleetError, MemberError};
use super::lock::Fence;
use super::membership::{Fleet, Member};
use super::plan::{ConflictResolution, FleetPlan, WorkloadPlan};
use super::state;

/// `--dry-run`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DryRun {
    #[default]
    None,
    /// Compute and report; send no writes (reads still happen).
    Client,
    /// Send every write with `dryRun=All`.
    Server,
}

/// Progress of an apply, for the CLI's progress bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyProgress {
    /// A phase starts (1 = increases, 2 = decreases/deletions).
    Phase { phase: u8, changes: usize },
    /// One member copy was written (or found unchanged).
    Applied {
        cluster: String,
        workload: String,
        action: ChangeAction,
        from: u32,
        to: u32,
    },
    /// Waiting for a copy to become available.
    Waiting {
        cluster: String,
        workload: String,
        available: u32,
        desired: u32,
    },
    /// A copy reached its desired available replicas.
    Ready { cluster: String, workload: String },
}

/// Progress callback.
pub type ProgressFn = Arc<dyn Fn(&ApplyProgress) + Send + Sync>;

/// Options of [`apply`].
#[derive(Clone)]
pub struct ApplyOptions {
    pub dry_run: DryRun,
    /// Field manager of server-side apply (default `kubectl-fleet`).
    pub field_manager: String,
    /// Overrides the policies' conflictResolution.
    pub conflict_resolution: Option<ConflictResolution>,
    /// Wait for the copies that grow to be available before shrinking others (always done,
    /// in budget batches, when the plan holds a rollout step or canary change: see the
    /// module docs).
    pub wait: bool,
    /// Bound of the wait.
    pub timeout: Duration,
    /// Apply even if the plan changes members that cannot be reached (they are skipped).
    pub allow_unreachable: bool,
    pub progress: Option<ProgressFn>,
    /// Set by the CLI on Ctrl-C; checked between members.
    pub cancel: Option<Arc<AtomicBool>>,
    /// The write locks this apply runs under ([`super::lock`]): every copy of a fenced
    /// workload is written with its generation (annotation `fleet.kubectl.dev/generation`)
    /// and only over copies whose generation is not newer (compare-and-swap on the copy's
    /// resourceVersion); a lost lock stops the apply between members.
    pub fence: Option<Fence>,
    /// `--order`: the member order of a rollout this apply starts (or runs); wins over the
    /// Rollout's `fleet.kubectl.dev/member-order` annotation (see [`super::rollout`]).
    pub member_order: Option<Vec<String>>,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        ApplyOptions {
            dry_run: DryRun::None,
            field_manager: state::FIELD_MANAGER.to_string(),
            conflict_resolution: None,
            wait: false,
            timeout: Duration::from_secs(300),
            allow_unreachable: false,
            progress: None,
            cancel: None,
            fence: None,
            member_order: None,
        }
    }
}

impl std::fmt::Debug for ApplyOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApplyOptions")
            .field("dry_run", &self.dry_run)
            .field("field_manager", &self.field_manager)
            .field("conflict_resolution", &self.conflict_resolution)
            .field("wait", &self.wait)
            .field("timeout", &self.timeout)
            .field("allow_unreachable", &self.allow_unreachable)
            .field("fence", &self.fence)
            .field("member_order", &self.member_order)
            .finish_non_exhaustive()
    }
}

/// What happened to one member copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeAction {
    Created,
    Configured,
    Adopted,
    Deleted,
    Unchanged,
    /// Not touched: unreachable (allowed), cancelled, or phase 2 held back after a failed wait.
    Skipped,
    Failed,
}

impl ChangeAction {
    /// kubectl-style word: created, configured, unchanged, ...
    pub fn as_str(&self) -> &'static str {
        match self {
            ChangeAction::Created => "created",
            ChangeAction::Configured => "configured",
            ChangeAction::Adopted => "adopted",
            ChangeAction::Deleted => "deleted",
            ChangeAction::Unchanged => "unchanged",
            ChangeAction::Skipped => "skipped",
            ChangeAction::Failed => "failed",
        }
    }

    /// True when the member was (or, in a dry run, would be) written.
    pub fn is_write(&self) -> bool {
        matches!(
            self,
            ChangeAction::Created
                | ChangeAction::Configured
                | ChangeAction::Adopted
                | ChangeAction::Deleted
        )
    }
}

/// One member copy's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberChange {
    pub cluster: String,
    pub action: ChangeAction,
    /// Replicas before.
    pub from: u32,
    /// Replicas after.
    pub to: u32,
    /// 1 = make (increases), 2 = break (decreases), 0 = nothing to do.
    pub phase: u8,
    pub message: Option<String>,
    /// What a write changes on the copy: `replicas`, `template`, `fleet total`, `placement`,
    /// `policy`, `group`... (empty for creations, deletions and unchanged copies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<String>,
}

/// One workload's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadReport {
    pub namespace: String,
    pub name: String,
    /// A rollout's canary copy (`<name>-canary`): the Deployment it is a canary of. The
    /// summary counts it under that Deployment (one workload); its copies count as copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub canary_of: Option<String>,
    pub members: Vec<MemberChange>,
}

/// The result of [`apply`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplyReport {
    pub dry_run: DryRun,
    pub workloads: Vec<WorkloadReport>,
    /// Members that were written (or would be, in a dry run).
    pub written: Vec<String>,
    /// One line per failure (`cluster: object: message`).
    pub errors: Vec<String>,
    /// Things the user should know (skipped unreachable members, held-back phase 2).
    pub warnings: Vec<String>,
    /// Everything in the plan was done.
    pub complete: bool,
    pub cancelled: bool,
    /// What a rollout did (step, split per member), one line per workload with a rollout.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The apply stopped because its write lock was lost or a newer writer's copy was found.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fenced: bool,
}

impl ApplyReport {
    /// Records how a phase (or batch) of writes ended.
    fn note(&mut self, stop: Stop) {
        match stop {
            Stop::Done => {}
            Stop::Cancelled => self.cancelled = true,
            Stop::Fenced(why) => {
                self.fenced = true;
                self.errors.push(why);
            }
        }
    }

    /// True when nothing had to be written.
    pub fn unchanged(&self) -> bool {
        self.written.is_empty() && self.errors.is_empty()
    }

    /// What the apply did, counted (the closing line of `apply` and `scale`). A rollout's
    /// canary copies count as copies of their Deployment's workload, not as a workload.
    pub fn counts(&self) -> ReportCounts {
        let mut c = ReportCounts::default();
        // (namespace, Deployment) -> some copy of it (or of its canary) was written.
        let mut workloads: BTreeMap<(&str, &str), bool> = BTreeMap::new();
        for w in &self.workloads {
            let (mut added, mut removed) = (0u64, 0u64);
            let mut written = false;
            for m in &w.members {
                match m.action {
                    ChangeAction::Created => c.created += 1,
                    ChangeAction::Configured | ChangeAction::Adopted => c.configured += 1,
                    ChangeAction::Deleted => c.deleted += 1,
                    ChangeAction::Unchanged if m.to > 0 => c.unchanged += 1,
                    ChangeAction::Unchanged => c.absent += 1,
                    ChangeAction::Skipped => c.skipped += 1,
                    ChangeAction::Failed => c.failed += 1,
                }
                if m.action.is_write() {
                    written = true;
                    added += u64::from(m.to.saturating_sub(m.from));
                    removed += u64::from(m.from.saturating_sub(m.to));
                }
            }
            let name = w.canary_of.as_deref().unwrap_or(&w.name);
            *workloads.entry((&w.namespace, name)).or_default() |= written;
            c.added += added;
            c.removed += removed;
            c.moved += added.min(removed);
        }
        for written in workloads.into_values() {
            if written {
                c.workloads_changed += 1;
            } else {
                c.workloads_unchanged += 1;
            }
        }
        c
    }
}

/// [`ApplyReport::counts`]: workloads with at least one written copy; copies per outcome
/// (`unchanged` copies hold replicas, `absent` are members with no copy before or after);
/// replicas added and removed by the writes, and how many of them moved between members of
/// one workload (Σ min(added, removed) per workload).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportCounts {
    pub workloads_changed: u32,
    pub workloads_unchanged: u32,
    pub created: u32,
    pub configured: u32,
    pub deleted: u32,
    pub unchanged: u32,
    pub absent: u32,
    pub skipped: u32,
    pub failed: u32,
    pub added: u64,
    pub removed: u64,
    pub moved: u64,
}

/// Existing copy of a workload on a member.
#[derive(Debug, Clone)]
enum Existing {
    Absent,
    Managed(Box<Deployment>),
    Unmanaged(Box<Deployment>),
}

#[derive(Debug, Clone)]
struct Step {
    workload: usize,
    cluster: String,
    from: u32,
    to: u32,
    action: ChangeAction,
    phase: u8,
    body: Option<Value>,
    changed: Vec<String>,
    /// resourceVersion of the copy read (compare-and-swap of fenced writes).
    rv: Option<String>,
    adopted: bool,
    /// Generation of the managed copy read.
    copy_gen: Option<u64>,
}

fn key(w: &WorkloadPlan) -> String {
    format!("{}/{}", w.namespace, w.name)
}

/// FNV-1a 64 of the propagated spec (replicas excluded) + user labels/annotations: decides
/// whether the template changed.
pub fn spec_hash(d: &Deployment) -> String {
    let mut spec = serde_json::to_value(&d.spec).unwrap_or(Value::Null);
    if let Some(obj) = spec.as_object_mut() {
        obj.remove("replicas");
    }
    let meta = json!({
        "labels": d.metadata.labels,
        "annotations": user_annotations(d),
    });
    let text = format!("{spec}|{meta}");
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn user_annotations(d: &Deployment) -> BTreeMap<String, String> {
    d.metadata
        .annotations
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| {
            !k.starts_with("fleet.kubectl.dev/")
                && k != "kubectl.kubernetes.io/last-applied-configuration"
                && k != "deployment.kubernetes.io/revision"
        })
        .collect()
}

/// The fleet annotations a copy of `w` on `cluster` must carry.
fn fleet_annotations(w: &WorkloadPlan, cluster: &str, adopted: bool) -> BTreeMap<String, String> {
    let group = w
        .placements
        .iter()
        .find(|p| p.cluster == cluster)
        .map(|p| p.group.clone())
        .unwrap_or_default();
    let mut a = BTreeMap::new();
    a.insert(
        state::ANN_TOTAL_REPLICAS.to_string(),
        w.replicas.to_string(),
    );
    a.insert(state::ANN_POLICY.to_string(), w.apply.policy_json.clone());
    a.insert(state::ANN_POLICY_NAME.to_string(), w.policy.clone());
    let placement = match &w.apply.recorded_placement {
        Some(p) => p.clone(),
        None => w.placement_map(),
    };
    a.insert(
        state::ANN_PLACEMENT.to_string(),
        serde_json::to_string(&placement).unwrap_or_default(),
    );
    a.insert(state::ANN_GROUP.to_string(), group);
    a.insert(
        state::ANN_SPEC_HASH.to_string(),
        spec_hash(w.apply.deployment_for(cluster)),
    );
    if adopted {
        a.insert(state::ANN_ADOPTED.to_string(), "true".to_string());
    }
    a
}

/// The server-side apply body of `w`'s copy on `cluster` with `replicas`.
pub fn copy_body(w: &WorkloadPlan, cluster: &str, replicas: u32, adopted: bool) -> Value {
    let d = w.apply.deployment_for(cluster);
    let mut labels = d.metadata.labels.clone().unwrap_or_default();
    labels.insert(
        state::MANAGED_BY_LABEL.into(),
        state::MANAGED_BY_VALUE.into(),
    );
    let mut annotations = user_annotations(d);
    annotations.extend(fleet_annotations(w, cluster, adopted));
    let mut spec = serde_json::to_value(&d.spec).unwrap_or_else(|_| json!({}));
    if !spec.is_object() {
        spec = json!({});
    }
    spec["replicas"] = json!(replicas);
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": w.name,
            "namespace": w.namespace,
            "labels": labels,
            "annotations": annotations,
        },
        "spec": spec,
    })
}

/// True when the existing managed copy already is what we would write.
/// What writing `w`'s copy with `replicas` would change on `existing`, in words (empty: the
/// copy is current).
fn changes(existing: &Deployment, w: &WorkloadPlan, cluster: &str, replicas: u32) -> Vec<String> {
    let mut changed = Vec::new();
    let replicas_now = existing.spec.replicas.unwrap_or(1);
    if i64::from(replicas_now) != i64::from(replicas) {
        changed.push("replicas".to_string());
    }
    let ann = existing.metadata.annotations.clone().unwrap_or_default();
    let adopted = ann.get(state::ANN_ADOPTED).map(String::as_str) == Some("true");
    let want = fleet_annotations(w, cluster, adopted);
    for (k, v) in &want {
        if ann.get(k) != Some(v) {
            changed.push(annotation_word(k));
        }
    }
    changed
}

/// The word for a changed fleet annotation in apply lines (`configured on c1: placement`).
fn annotation_word(key: &str) -> String {
    match key {
        state::ANN_SPEC_HASH => "template".to_string(),
        state::ANN_TOTAL_REPLICAS => "fleet total".to_string(),
        state::ANN_POLICY => "policy".to_string(),
        state::ANN_POLICY_NAME => "policy name".to_string(),
        state::ANN_PLACEMENT => "placement".to_string(),
        state::ANN_GROUP => "group".to_string(),
        other => other
            .strip_prefix("fleet.kubectl.dev/")
            .unwrap_or(other)
            .to_string(),
    }
}

/// `fleet.kubectl.dev/generation` of a copy (0 when it has none).
pub fn copy_generation(d: &Deployment) -> u64 {
    d.metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(state::ANN_GENERATION))
        .and_then(|g| g.parse().ok())
        .unwrap_or(0)
}

fn emit(opts: &ApplyOptions, ev: ApplyProgress) {
    if let Some(p) = &opts.progress {
        p(&ev);
    }
}

fn cancelled(opts: &ApplyOptions) -> bool {
    opts.cancel
        .as_ref()
        .is_some_and(|c| c.load(Ordering::SeqCst))
}

async fn read_existing(client: &Client, ns: &str, name: &str) -> Result<Existing, MemberError> {
    let api: Api<Deployment> = Api::namespaced(client.clone(), ns);
    match api.get_opt(name).await.map_err(MemberError::from)? {
        None => Ok(Existing::Absent),
        Some(d) => {
            let managed = d
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(state::MANAGED_BY_LABEL))
                .map(String::as_str)
                == Some(state::MANAGED_BY_VALUE);
            Ok(if managed {
                Existing::Managed(Box::new(d))
            } else {
                Existing::Unmanaged(Box::new(d))
            })
        }
    }
}

/// Applies a plan. Returns `Err` only when nothing was written (unreachable members the plan
/// changes, a plan naming clusters that are not members, cancellation before any write);
/// per-member failures during writing are in [`ApplyReport::errors`].
pub async fn apply(
    fleet: &Fleet,
    plan: &FleetPlan,
    opts: &ApplyOptions,
) -> Result<ApplyReport, FleetError> {
    // Rollouts: the template may go to some members only (steps, canary copies).
    let (expanded, notes) = super::rollout::expand(fleet, plan, opts).await?;
    // A canary copy is written under its Deployment's lock (same generation).
    let mut fenced_opts = None;
    if let Some(fence) = &opts.fence {
        let mut fence = fence.clone();
        for w in &plan.workloads {
            if let Some(g) = fence.generation(&key(w)) {
                fence.generations.insert(
                    format!("{}/{}", w.namespace, super::rollout::canary_name(&w.name)),
                    g,
                );
            }
        }
        fenced_opts = Some(ApplyOptions {
            fence: Some(fence),
            ..opts.clone()
        });
    }
    let opts = fenced_opts.as_ref().unwrap_or(opts);
    let guard = Guard::of(&expanded);
    // A rollout step or canary change is make-before-break even without --wait: the new
    // replicas must be available before the stable ones go (the fleet's budget).
    let forced;
    let opts = if !guard.groups.is_empty() && !opts.wait && opts.dry_run == DryRun::None {
        forced = ApplyOptions {
            wait: true,
            ..opts.clone()
        };
        &forced
    } else {
        opts
    };
    let mut report = apply_expanded(fleet, &expanded, opts, &guard).await?;
    report.warnings.extend(
        expanded
            .warnings
            .iter()
            .filter(|w| !plan.warnings.contains(w))
            .cloned(),
    );
    report.notes = notes;
    Ok(report)
}

/// The rollouts of an expanded plan: each workload with a canary copy (a step, or a canary
/// being removed) and that canary form a group with the fleet-wide unavailability budget of
/// the workload's rolling update (`maxUnavailable` of the new template's strategy on the
/// fleet total, [`super::rollout::strategy_unavailable`]).
#[derive(Debug, Default)]
struct Guard {
    /// `(namespace, name, budget)` of each group.
    groups: Vec<(String, String, u32)>,
    /// The group of each plan workload.
    of: Vec<Option<usize>>,
    /// The plan workloads that are canary copies.
    canary: Vec<bool>,
}

impl Guard {
    fn of(plan: &FleetPlan) -> Guard {
        let mut g = Guard {
            groups: Vec::new(),
            of: vec![None; plan.workloads.len()],
            canary: vec![false; plan.workloads.len()],
        };
        for (ci, c) in plan.workloads.iter().enumerate() {
            let Some(base) = c
                .apply
                .deployment
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(super::rollout::LABEL_CANARY_OF))
                .filter(|b| super::rollout::canary_name(b) == c.name)
            else {
                continue;
            };
            let Some(wi) = plan
                .workloads
                .iter()
                .position(|w| w.namespace == c.namespace && &w.name == base)
            else {
                continue;
            };
            let budget = super::rollout::strategy_unavailable(&c.apply.deployment, c.replicas);
            g.of[wi] = Some(g.groups.len());
            g.of[ci] = Some(g.groups.len());
            g.canary[ci] = true;
            g.groups.push((c.namespace.clone(), base.clone(), budget));
        }
        g
    }

    /// What step `s` may take down while its member's Deployment controller rolls it out:
    /// the member's own rolling-update unavailability when it changes the template of a
    /// running copy, else 0 (adding or removing replicas takes nothing down that the
    /// make-before-break order has not replaced).
    fn cost(&self, s: &Step, plan: &FleetPlan) -> (usize, u32) {
        let w = &plan.workloads[s.workload];
        let Some(g) = self.of[s.workload] else {
            return (usize::MAX, 0);
        };
        let rolls = s.from > 0
            && s.to > 0
            && (s.action == ChangeAction::Adopted || s.changed.iter().any(|c| c == "template"));
        let cost = if rolls {
            super::rollout::strategy_unavailable(w.apply.deployment_for(&s.cluster), s.to)
        } else {
            0
        };
        (g, cost)
    }

    /// The batches of a phase (one batch without a rollout). Phase 1 (`make`): the writes
    /// that take nothing down first, then the template rolls within the budget; phase 2:
    /// every write within the budget ([`crate::rollout::budget_batches`]).
    fn batches(
        &self,
        phase: &[usize],
        steps: &[Step],
        plan: &FleetPlan,
        make: bool,
    ) -> Vec<Vec<usize>> {
        if self.groups.is_empty() {
            return vec![phase.to_vec()];
        }
        let budgets: Vec<u32> = self.groups.iter().map(|g| g.2).collect();
        let (first, rest): (Vec<usize>, Vec<usize>) = if make {
            phase
                .iter()
                .partition(|&&i| self.cost(&steps[i], plan).1 == 0)
        } else {
            (Vec::new(), phase.to_vec())
        };
        let items: Vec<(usize, u32)> = rest.iter().map(|&i| self.cost(&steps[i], plan)).collect();
        let mut out = vec![first];
        out.extend(
            crate::rollout::budget_batches(&items, &budgets)
                .into_iter()
                .map(|b| b.into_iter().map(|k| rest[k]).collect()),
        );
        out.retain(|b| !b.is_empty());
        out
    }

    /// [`wait_available`]; with a rollout, also stops when a new pod of a rollout's step
    /// fails (crash loop, not Ready within the progress deadline): its copies would never
    /// become available, and the stable copies are not shrunk.
    async fn wait(
        &self,
        fleet: &Fleet,
        clients: &BTreeMap<String, Client>,
        plan: &FleetPlan,
        targets: &[&Step],
        opts: &ApplyOptions,
        request_timeout: Duration,
    ) -> Result<(), WaitEnd> {
        let waiting = wait_available(clients, plan, targets, opts, request_timeout);
        if self.groups.is_empty() {
            return waiting.await;
        }
        let failures = async {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                let mut lines = Vec::new();
                for (ns, name, _) in &self.groups {
                    let Ok(st) = super::rollout::status(fleet, ns, name).await else {
                        continue;
                    };
                    if let crate::rollout::Health::Failed {
                        cluster,
                        pod: Some(pod),
                        reason,
                    } = &st.health
                    {
                        lines.push(format!(
                            "{cluster}: deployment {ns}/{name}: rollout step failed: pod {pod}: {reason}; stopped, the stable copies keep their replicas (make-before-break): see `kubectl fleet rollout status deploy/{name}`, then `rollout undo` or apply a fixed template"
                        ));
                    }
                }
                if !lines.is_empty() {
                    return lines;
                }
            }
        };
        tokio::select! {
            r = waiting => r,
            lines = failures => Err(WaitEnd::StepFailed(lines)),
        }
    }
}

async fn apply_expanded(
    fleet: &Fleet,
    plan: &FleetPlan,
    opts: &ApplyOptions,
    guard: &Guard,
) -> Result<ApplyReport, FleetError> {
    // Which members does the plan touch?
    let mut involved: Vec<&Member> = Vec::new();
    for w in &plan.workloads {
        for p in &w.placements {
            let m = fleet.member(&p.cluster).ok_or_else(|| {
                FleetError::Input(format!(
                    "plan for {} names cluster {:?}, which is not a selected fleet member",
                    key(w),
                    p.cluster
                ))
            })?;
            if !involved.iter().any(|x| x.name == m.name) {
                involved.push(m);
            }
        }
    }

    // 1. Read current copies.
    let reads = super::fanout::for_members(
        involved.iter().copied(),
        fleet.request_timeout,
        |m| async move {
            let client = m.client().await?;
            let mut out = Vec::new();
            for w in &plan.workloads {
                if w.placements.iter().any(|p| p.cluster == m.name) {
                    out.push((key(w), read_existing(&client, &w.namespace, &w.name).await?));
                } else {
                    out.push((key(w), Existing::Absent));
                }
            }
            Ok((client, out))
        },
    )
    .await;

    let mut report = ApplyReport {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let mut clients: BTreeMap<String, Client> = BTreeMap::new();
    let mut existing: BTreeMap<(String, String), Existing> = BTreeMap::new();
    let mut unreachable: BTreeMap<String, String> = BTreeMap::new();
    for (name, r) in reads {
        match r {
            Ok((client, list)) => {
                clients.insert(name.clone(), client);
                for (k, e) in list {
                    existing.insert((name.clone(), k), e);
                }
            }
            Err(e) => {
                unreachable.insert(name, e.unreachable_reason());
            }
        }
    }
    for (name, reason) in &unreachable {
        let changes = plan.workloads.iter().any(|w| {
            w.placements
                .iter()
                .any(|p| &p.cluster == name && (p.desired != p.current || p.desired > 0))
        });
        if changes && !opts.allow_unreachable {
            return Err(FleetError::Unreachable {
                member: name.clone(),
                reason: reason.clone(),
            });
        }
        report.warnings.push(format!(
            "{name}: {reason}, skipped; re-run apply when it is back"
        ));
    }

    // 2. Decide the steps; conflicts block their member entirely.
    let mut blocked: BTreeMap<String, String> = BTreeMap::new();
    let mut steps: Vec<Step> = Vec::new();
    for (wi, w) in plan.workloads.iter().enumerate() {
        let conflict = opts
            .conflict_resolution
            .unwrap_or(w.apply.conflict_resolution);
        for p in &w.placements {
            if unreachable.contains_key(&p.cluster) {
                steps.push(Step {
                    workload: wi,
                    cluster: p.cluster.clone(),
                    from: p.current,
                    to: p.current,
                    action: ChangeAction::Skipped,
                    phase: 0,
                    body: None,
                    changed: Vec::new(),
                    rv: None,
                    adopted: false,
                    copy_gen: None,
                });
                continue;
            }
            let ex = existing
                .get(&(p.cluster.clone(), key(w)))
                .cloned()
                .unwrap_or(Existing::Absent);
            let mut changed = Vec::new();
            let (from, action, adopted) = match &ex {
                Existing::Absent => (0, ChangeAction::Created, false),
                Existing::Managed(d) => {
                    let from = d.spec.replicas.unwrap_or(1).max(0) as u32;
                    let adopted = d
                        .metadata
                        .annotations
                        .as_ref()
                        .and_then(|a| a.get(state::ANN_ADOPTED))
                        .map(String::as_str)
                        == Some("true");
                    changed = changes(d, w, &p.cluster, p.desired);
                    if p.desired > 0 && changed.is_empty() {
                        (from, ChangeAction::Unchanged, adopted)
                    } else {
                        (from, ChangeAction::Configured, adopted)
                    }
                }
                Existing::Unmanaged(d) => {
                    let from = d.spec.replicas.unwrap_or(1).max(0) as u32;
                    if p.desired == 0 {
                        // Not ours and not wanted here: leave it alone (and do not count it).
                        (0, ChangeAction::Unchanged, false)
                    } else if conflict == ConflictResolution::Abort {
                        let object = format!("deployment {}", key(w));
                        blocked.entry(p.cluster.clone()).or_insert_with(|| {
                            FleetError::Conflict {
                                member: p.cluster.clone(),
                                object: object.clone(),
                            }
                            .to_string()
                        });
                        (from, ChangeAction::Failed, false)
                    } else {
                        (from, ChangeAction::Adopted, true)
                    }
                }
            };
            let to = p.desired;
            let (action, phase, body) = match action {
                ChangeAction::Unchanged | ChangeAction::Failed => (action, 0, None),
                _ if to == 0 => match ex {
                    Existing::Absent => (ChangeAction::Unchanged, 0, None),
                    _ => (ChangeAction::Deleted, 2, None),
                },
                _ => {
                    let phase = if to < from { 2 } else { 1 };
                    (action, phase, Some(copy_body(w, &p.cluster, to, adopted)))
                }
            };
            steps.push(Step {
                workload: wi,
                cluster: p.cluster.clone(),
                from,
                to: if action == ChangeAction::Unchanged {
                    from
                } else {
                    to
                },
                action,
                phase,
                body,
                changed: if action == ChangeAction::Configured {
                    changed
                } else {
                    Vec::new()
                },
                rv: match &ex {
                    Existing::Managed(d) | Existing::Unmanaged(d) => {
                        d.metadata.resource_version.clone()
                    }
                    Existing::Absent => None,
                },
                adopted,
                copy_gen: match &ex {
                    Existing::Managed(d) => Some(copy_generation(d)),
                    _ => None,
                },
            });
        }
    }
    for (member, err) in &blocked {
        report.errors.push(err.clone());
        for s in steps
            .iter_mut()
            .filter(|s| &s.cluster == member && s.phase > 0)
        {
            s.action = ChangeAction::Skipped;
            s.phase = 0;
            s.body = None;
        }
    }
    for s in steps
        .iter_mut()
        .filter(|s| s.action == ChangeAction::Failed)
    {
        s.to = s.from;
    }
    // Fencing: a copy written by a newer writer stops this writer for that workload; the
    // copies of a workload that is written all get this writer's generation (so copies
    // that agree also agree on their generation).
    let mut fenced_out: BTreeMap<usize, String> = BTreeMap::new();
    if let Some(fence) = &opts.fence {
        for (wi, w) in plan.workloads.iter().enumerate() {
            let Some(gen) = fence.generation(&key(w)) else {
                continue;
            };
            if let Some(s) = steps
                .iter()
                .find(|s| s.workload == wi && s.copy_gen.is_some_and(|g| g > gen))
            {
                fenced_out.insert(
                    wi,
                    format!(
                        "{}: deployment {}: the copy has generation {}, newer than this writer's {gen}: another writer changed it; nothing was written for this workload (re-run the command to plan from the new state)",
                        s.cluster,
                        key(w),
                        s.copy_gen.unwrap_or(0)
                    ),
                );
                for s in steps.iter_mut().filter(|s| s.workload == wi && s.phase > 0) {
                    s.action = ChangeAction::Skipped;
                    s.phase = 0;
                    s.body = None;
                    s.to = s.from;
                }
                continue;
            }
            let writes = steps.iter().any(|s| s.workload == wi && s.phase > 0);
            if !writes {
                continue;
            }
            for s in steps.iter_mut().filter(|s| {
                s.workload == wi
                    && s.action == ChangeAction::Unchanged
                    && s.from > 0
                    && s.copy_gen.is_some_and(|g| g != gen)
            }) {
                s.action = ChangeAction::Configured;
                s.phase = 1;
                s.body = Some(copy_body(w, &s.cluster, s.from, s.adopted));
                s.changed = vec!["fleet generation".to_string()];
            }
        }
        for s in steps.iter_mut() {
            let w = &plan.workloads[s.workload];
            if let (Some(body), Some(gen)) = (s.body.as_mut(), fence.generation(&key(w))) {
                body["metadata"]["annotations"][state::ANN_GENERATION] = json!(gen.to_string());
            }
        }
    }
    if !fenced_out.is_empty() {
        report.fenced = true;
        report.errors.extend(fenced_out.values().cloned());
    }

    // Order: phase 1 in plan (priority) order; phase 2 in reverse priority order.
    let mut outcome: Vec<(usize, MemberChange)> = Vec::new();
    let phase1: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].phase == 1).collect();
    let mut phase2: Vec<usize> = (0..steps.len()).filter(|&i| steps[i].phase == 2).collect();
    phase2.sort_by_key(|&i| {
        let s = &steps[i];
        let w = &plan.workloads[s.workload];
        let order = &w.apply.scale_in_order;
        let rank = order
            .iter()
            .position(|c| c == &s.cluster)
            .unwrap_or(usize::MAX);
        // Per workload: lowest priority first; deletions after shrinks at the same rank.
        (s.workload, rank, s.to == 0)
    });

    let mut written: Vec<String> = Vec::new();
    let wait = opts.wait && opts.dry_run == DryRun::None;
    // A rollout in the plan (canary copies): phase 1 first adds replicas (new copies, canary
    // and pure increases), then rolls the templates of existing copies in batches within
    // the fleet-wide maxUnavailable budget, each batch available before the next.
    let batches1 = guard.batches(&phase1, &steps, plan, true);
    let batches2 = guard.batches(&phase2, &steps, plan, false);
    emit(
        opts,
        ApplyProgress::Phase {
            phase: 1,
            changes: phase1.len(),
        },
    );
    let mut done = vec![false; steps.len()];
    let mut errors_by_step: BTreeMap<usize, String> = BTreeMap::new();
    // One line per copy that --wait gave up on (they are errors: the command did not do
    // what --wait promises).
    let mut wait_errors: Vec<String> = Vec::new();
    let mut hold_phase2 = false;
    let mut increase_failed = false;
    for (bi, batch) in batches1.iter().enumerate() {
        let stop = run_phase(
            batch,
            &steps,
            &clients,
            plan,
            opts,
            &mut done,
            &mut errors_by_step,
            &mut written,
        )
        .await;
        report.note(stop);
        // Make-before-break: decreases only after every increase was written (and, with
        // `wait`, became available).
        increase_failed = batch.iter().any(|i| errors_by_step.contains_key(i));
        hold_phase2 = report.cancelled || increase_failed || report.fenced;
        if hold_phase2 {
            break;
        }
        let more = bi + 1 < batches1.len() || !phase2.is_empty();
        if wait && !batch.is_empty() {
            let targets: Vec<&Step> = batch
                .iter()
                .filter(|i| done[**i])
                .map(|&i| &steps[i])
                .collect();
            match guard
                .wait(fleet, &clients, plan, &targets, opts, fleet.request_timeout)
                .await
            {
                Ok(()) => {}
                Err(WaitEnd::Cancelled) => {
                    report.cancelled = true;
                    hold_phase2 = true;
                }
                Err(WaitEnd::TimedOut(lines)) => {
                    wait_errors.extend(lines);
                    if more {
                        report.warnings.push(
                            "decreases were not applied because the grown copies did not become available within --timeout (make-before-break): re-run apply to converge".into(),
                        );
                    }
                    hold_phase2 = true;
                }
                Err(WaitEnd::StepFailed(lines)) => {
                    report.errors.extend(lines);
                    hold_phase2 = true;
                }
            }
            if hold_phase2 {
                break;
            }
        }
    }
    // A rollout's canary copies written by an earlier command (a re-plan: scale, reconcile)
    // must be available too before stable replicas go.
    if !hold_phase2 && wait && !phase2.is_empty() && !guard.groups.is_empty() {
        let targets: Vec<&Step> = steps
            .iter()
            .filter(|s| guard.canary[s.workload] && s.phase == 0 && s.to > 0)
            .filter(|s| s.action == ChangeAction::Unchanged)
            .collect();
        if !targets.is_empty() {
            match guard
                .wait(fleet, &clients, plan, &targets, opts, fleet.request_timeout)
                .await
            {
                Ok(()) => {}
                Err(WaitEnd::Cancelled) => {
                    report.cancelled = true;
                    hold_phase2 = true;
                }
                Err(WaitEnd::TimedOut(lines)) => {
                    wait_errors.extend(lines);
                    report.warnings.push(
                        "decreases were not applied because the canary copies did not become available within --timeout (make-before-break): re-run apply to converge".into(),
                    );
                    hold_phase2 = true;
                }
                Err(WaitEnd::StepFailed(lines)) => {
                    report.errors.extend(lines);
                    hold_phase2 = true;
                }
            }
        }
    }
    if increase_failed && !phase2.is_empty() {
        report.warnings.push(
            "decreases were not applied because an increase failed (make-before-break): fix and re-run apply".into(),
        );
    }

    if !hold_phase2 {
        emit(
            opts,
            ApplyProgress::Phase {
                phase: 2,
                changes: phase2.len(),
            },
        );
        for batch in &batches2 {
            let stop = run_phase(
                batch,
                &steps,
                &clients,
                plan,
                opts,
                &mut done,
                &mut errors_by_step,
                &mut written,
            )
            .await;
            report.note(stop);
            if report.cancelled || report.fenced {
                break;
            }
            // With --wait (and between the batches of a rollout), the shrunk copies must also
            // have settled (surplus pods gone), so the command returns with the fleet in the
            // planned state.
            if wait {
                let targets: Vec<&Step> = batch
                    .iter()
                    .filter(|&&i| done[i] && steps[i].to > 0)
                    .map(|&i| &steps[i])
                    .collect();
                if !targets.is_empty() {
                    match guard
                        .wait(fleet, &clients, plan, &targets, opts, fleet.request_timeout)
                        .await
                    {
                        Ok(()) => {}
                        Err(WaitEnd::Cancelled) => report.cancelled = true,
                        Err(WaitEnd::TimedOut(lines)) => wait_errors.extend(lines),
                        Err(WaitEnd::StepFailed(lines)) => report.errors.extend(lines),
                    }
                }
                if report.cancelled || !wait_errors.is_empty() {
                    break;
                }
            }
        }
    }
    // Report.
    for (i, s) in steps.iter().enumerate() {
        let (action, to, message) = if let Some(e) = errors_by_step.get(&i) {
            (ChangeAction::Failed, s.from, Some(e.clone()))
        } else if s.phase > 0 && !done[i] {
            (
                ChangeAction::Skipped,
                s.from,
                Some("not applied".to_string()),
            )
        } else if s.action == ChangeAction::Skipped {
            let why = blocked
                .get(&s.cluster)
                .cloned()
                .or_else(|| unreachable.get(&s.cluster).cloned());
            (s.action, s.from, why)
        } else if s.action == ChangeAction::Failed {
            (s.action, s.from, blocked.get(&s.cluster).cloned())
        } else {
            (s.action, s.to, None)
        };
        outcome.push((
            s.workload,
            MemberChange {
                cluster: s.cluster.clone(),
                action,
                from: s.from,
                to,
                phase: s.phase,
                message,
                changed: if action == ChangeAction::Configured {
                    s.changed.clone()
                } else {
                    Vec::new()
                },
            },
        ));
    }
    for (wi, w) in plan.workloads.iter().enumerate() {
        report.workloads.push(WorkloadReport {
            namespace: w.namespace.clone(),
            name: w.name.clone(),
            canary_of: w
                .apply
                .deployment
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get(super::rollout::LABEL_CANARY_OF))
                .cloned(),
            members: outcome
                .iter()
                .filter(|(i, _)| *i == wi)
                .map(|(_, c)| c.clone())
                .collect(),
        });
    }
    for e in errors_by_step.values() {
        report.errors.push(e.clone());
    }
    let timed_out = !wait_errors.is_empty();
    report.errors.extend(wait_errors);
    written.sort();
    written.dedup();
    report.written = written;
    report.complete =
        report.errors.is_empty() && !report.cancelled && !hold_phase2 && unreachable.is_empty();
    let all_written = steps
        .iter()
        .enumerate()
        .all(|(i, s)| s.phase == 0 || done[i])
        && errors_by_step.is_empty()
        && blocked.is_empty()
        && unreachable.is_empty();
    if !report.complete && !report.written.is_empty() {
        if all_written && (timed_out || report.cancelled) {
            let why = if timed_out {
                "--wait gave up"
            } else {
                "stopped waiting"
            };
            report.warnings.push(format!(
                "every copy was written ({}); {why} before all were available: see `kubectl fleet get deploy -M`",
                report.written.join(", ")
            ));
        } else {
            report.warnings.push(format!(
                "partially applied (written: {}); re-running apply converges",
                report.written.join(", ")
            ));
        }
    }
    Ok(report)
}

/// Why a phase stopped.
enum Stop {
    Done,
    Cancelled,
    /// The write lock was lost, or a copy carries a newer writer's generation (the line says
    /// which).
    Fenced(String),
}

/// Executes the steps of one phase in order, recording each outcome; stops between members
/// when cancelled or when the write lock was lost.
#[allow(clippy::too_many_arguments)]
async fn run_phase(
    phase: &[usize],
    steps: &[Step],
    clients: &BTreeMap<String, Client>,
    plan: &FleetPlan,
    opts: &ApplyOptions,
    done: &mut [bool],
    errors_by_step: &mut BTreeMap<usize, String>,
    written: &mut Vec<String>,
) -> Stop {
    for &i in phase {
        if cancelled(opts) {
            return Stop::Cancelled;
        }
        if let Some(why) = opts.fence.as_ref().and_then(Fence::lost) {
            return Stop::Fenced(format!(
                "{why}: stopped before writing {}; re-run the command",
                steps[i].cluster
            ));
        }
        match execute(clients, plan, &steps[i], opts).await {
            Ok(()) => record(
                done,
                errors_by_step,
                written,
                &steps[i],
                i,
                Ok(()),
                opts,
                plan,
            ),
            Err(StepError::Member(e)) => record(
                done,
                errors_by_step,
                written,
                &steps[i],
                i,
                Err(e),
                opts,
                plan,
            ),
            Err(StepError::Fenced(line)) => return Stop::Fenced(line),
        }
    }
    Stop::Done
}

/// Why one write failed.
enum StepError {
    Member(MemberError),
    /// The copy carries a newer generation than this writer's: stop.
    Fenced(String),
}

impl From<MemberError> for StepError {
    fn from(e: MemberError) -> Self {
        StepError::Member(e)
    }
}

impl From<kube::Error> for StepError {
    fn from(e: kube::Error) -> Self {
        StepError::Member(e.into())
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    done: &mut [bool],
    errors: &mut BTreeMap<usize, String>,
    written: &mut Vec<String>,
    step: &Step,
    i: usize,
    r: Result<(), MemberError>,
    opts: &ApplyOptions,
    plan: &FleetPlan,
) {
    let w = &plan.workloads[step.workload];
    match r {
        Ok(()) => {
            done[i] = true;
            written.push(step.cluster.clone());
            emit(
                opts,
                ApplyProgress::Applied {
                    cluster: step.cluster.clone(),
                    workload: key(w),
                    action: step.action,
                    from: step.from,
                    to: step.to,
                },
            );
        }
        Err(e) => {
            errors.insert(i, format!("{}: deployment {}: {e}", step.cluster, key(w)));
        }
    }
}

pub(crate) async fn ensure_namespace(
    client: &Client,
    ns: &str,
    opts: &ApplyOptions,
) -> Result<(), MemberError> {
    let api: Api<Namespace> = Api::all(client.clone());
    if api.get_opt(ns).await.map_err(MemberError::from)?.is_some() {
        return Ok(());
    }
    let obj: Namespace = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}
    }))
    .map_err(|e| MemberError::Other(e.to_string()))?;
    let pp = PostParams {
        dry_run: opts.dry_run == DryRun::Server,
        field_manager: Some(opts.field_manager.clone()),
    };
    match api.create(&pp, &obj).await {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// How often a fenced write re-reads a copy whose resourceVersion moved (status updates by
/// the member's controllers move it too) before giving up.
const CAS_ATTEMPTS: usize = 8;

async fn execute(
    clients: &BTreeMap<String, Client>,
    plan: &FleetPlan,
    step: &Step,
    opts: &ApplyOptions,
) -> Result<(), StepError> {
    if opts.dry_run == DryRun::Client {
        return Ok(());
    }
    let w = &plan.workloads[step.workload];
    let client = clients
        .get(&step.cluster)
        .ok_or_else(|| MemberError::Other("no client".into()))?;
    let api: Api<Deployment> = Api::namespaced(client.clone(), &w.namespace);
    let gen = opts.fence.as_ref().and_then(|f| f.generation(&key(w)));
    // Compare-and-swap: with a fence, every write names the resourceVersion it was planned
    // from; when it moved, the copy is read again and the write goes ahead only while the
    // copy's generation is not newer than ours.
    let mut rv = if gen.is_some() { step.rv.clone() } else { None };
    let fenced_line = |found: u64, gen: u64| {
        format!(
            "{}: deployment {}: generation {found} was written by another writer while this one (generation {gen}) was applying: stopped (re-run the command to plan from the new state)",
            step.cluster,
            key(w)
        )
    };
    for attempt in 1..=CAS_ATTEMPTS {
        let result = match step.action {
            ChangeAction::Deleted => {
                let mut dp = DeleteParams::background();
                if opts.dry_run == DryRun::Server {
                    dp = dp.dry_run();
                }
                if let Some(v) = &rv {
                    dp = dp.preconditions(kube::api::Preconditions {
                        resource_version: Some(v.clone()),
                        uid: None,
                    });
                }
                match api.delete(&w.name, &dp).await {
                    Ok(_) => Ok(()),
                    Err(kube::Error::Api(s)) if s.code == 404 => Ok(()),
                    Err(e) => Err(e),
                }
            }
            _ => {
                if step.action == ChangeAction::Created && attempt == 1 {
                    ensure_namespace(client, &w.namespace, opts).await?;
                }
                let mut body = step.body.clone().expect("writes have a body");
                if let Some(v) = &rv {
                    body["metadata"]["resourceVersion"] = json!(v);
                }
                let mut pp = PatchParams::apply(&opts.field_manager).force();
                if opts.dry_run == DryRun::Server {
                    pp = pp.dry_run();
                }
                api.patch(&w.name, &pp, &Patch::Apply(&body))
                    .await
                    .map(|_| ())
            }
        };
        let Some(gen) = gen else {
            return result.map_err(StepError::from);
        };
        match result {
            Ok(()) => return Ok(()),
            // The copy changed (409) or vanished (404 with a precondition) since it was read.
            Err(kube::Error::Api(s))
                if (s.code == 409 || (s.code == 404 && rv.is_some())) && attempt < CAS_ATTEMPTS =>
            {
                match api.get_opt(&w.name).await? {
                    None if step.action == ChangeAction::Deleted => return Ok(()),
                    None => rv = None,
                    Some(d) => {
                        let found = copy_generation(&d);
                        if found > gen {
                            return Err(StepError::Fenced(fenced_line(found, gen)));
                        }
                        rv = d.metadata.resource_version.clone();
                    }
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(StepError::Member(MemberError::Other(
        "the copy kept changing while being written".into(),
    )))
}

/// Why [`wait_available`] stopped before every copy settled.
enum WaitEnd {
    /// Ctrl-C (the cancel flag) while waiting.
    Cancelled,
    /// `--timeout` passed: one line per copy that had not settled
    /// (`cluster: deployment ns/name: ...`).
    TimedOut(Vec<String>),
    /// A rollout's step failed while its new replicas were awaited (one line per rollout).
    StepFailed(Vec<String>),
}

/// Polls copies until each has settled at its desired count: the rollout observed,
/// `available >= desired`, `updated >= desired` and no surplus pods (`replicas <= desired`).
///
/// There is no long-lived watch to lose: each copy is polled on its own (concurrently) with
/// one GET every 250 ms, each bounded by `min(request_timeout, time left)`. A dropped
/// connection or a refused or stalled member costs that copy's polls only (the kube client
/// opens a new connection for the next one) and holds up no other copy, so the wait goes on
/// as soon as the member answers again and never outlives `opts.timeout` by more than a
/// moment.
async fn wait_available(
    clients: &BTreeMap<String, Client>,
    plan: &FleetPlan,
    targets: &[&Step],
    opts: &ApplyOptions,
    request_timeout: Duration,
) -> Result<(), WaitEnd> {
    let deadline = Instant::now() + opts.timeout;
    let waits = targets
        .iter()
        .map(|s| wait_one(clients, plan, s, opts, request_timeout, deadline));
    let mut lines = Vec::new();
    let mut cancel = false;
    for r in futures::future::join_all(waits).await {
        match r {
            Ok(()) => {}
            Err(None) => cancel = true,
            Err(Some(line)) => lines.push(line),
        }
    }
    if cancel {
        Err(WaitEnd::Cancelled)
    } else if !lines.is_empty() {
        Err(WaitEnd::TimedOut(lines))
    } else {
        Ok(())
    }
}

/// Waits for one copy (see [`wait_available`]). `Err(None)`: cancelled; `Err(Some(line))`:
/// not settled at the deadline, with what was last seen and why the last poll failed.
async fn wait_one(
    clients: &BTreeMap<String, Client>,
    plan: &FleetPlan,
    s: &Step,
    opts: &ApplyOptions,
    request_timeout: Duration,
    deadline: Instant,
) -> Result<(), Option<String>> {
    let w = &plan.workloads[s.workload];
    let client = clients.get(&s.cluster).cloned();
    let api: Option<Api<Deployment>> = client.map(|c| Api::namespaced(c, &w.namespace));
    // `(available, updated, replicas)` of the last status read.
    let mut status: Option<(u32, u32, u32)> = None;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let bound = request_timeout.min(left).max(Duration::from_millis(100));
        let polled = match &api {
            None => Err("no client".to_string()),
            Some(api) => match tokio::time::timeout(bound, api.get_opt(&w.name)).await {
                Ok(r) => r.map_err(|e| MemberError::from(e).to_string()),
                Err(_) if bound < request_timeout => Err("no answer before --timeout".to_string()),
                Err(_) => Err(format!(
                    "no answer within --request-timeout {}",
                    humantime::format_duration(request_timeout)
                )),
            },
        };
        // The last poll's failure (none when it read the status).
        let error = match polled {
            Ok(Some(d)) => {
                let st = d.status.clone().unwrap_or_default();
                let observed =
                    st.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
                let available = st.available_replicas.unwrap_or(0).max(0) as u32;
                let updated = st.updated_replicas.unwrap_or(0).max(0) as u32;
                let replicas = st.replicas.unwrap_or(0).max(0) as u32;
                if status.map(|(a, _, _)| a) != Some(available) {
                    emit(
                        opts,
                        ApplyProgress::Waiting {
                            cluster: s.cluster.clone(),
                            workload: key(w),
                            available,
                            desired: s.to,
                        },
                    );
                }
                status = Some((available, updated, replicas));
                if observed && available >= s.to && updated >= s.to && replicas <= s.to {
                    emit(
                        opts,
                        ApplyProgress::Ready {
                            cluster: s.cluster.clone(),
                            workload: key(w),
                        },
                    );
                    return Ok(());
                }
                None
            }
            Ok(None) => Some("the copy is gone (deleted?)".to_string()),
            Err(e) => Some(e),
        };
        if cancelled(opts) {
            return Err(None);
        }
        let now = Instant::now();
        if now >= deadline {
            let seen = match status {
                Some((a, u, r)) => {
                    format!("last seen {a}/{} available, {u} updated, {r} pods", s.to)
                }
                None => "never seen".to_string(),
            };
            let error = error
                .map(|e| format!("; last poll failed: {e}"))
                .unwrap_or_default();
            return Err(Some(format!(
                "{}: deployment {}: not available after --timeout {} ({seen}{error})",
                s.cluster,
                key(w),
                humantime::format_duration(opts.timeout)
            )));
        }
        tokio::time::sleep(Duration::from_millis(250).min(deadline - now)).await;
    }
}
