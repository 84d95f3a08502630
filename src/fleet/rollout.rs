//! Fleet-wide progressive delivery, the I/O half of [`crate::rollout`].
//!
//! A workload's rollout record lives in every member that runs it: ConfigMap
//! `kubectl-fleet-rollout.<name>` in the workload's namespace (docs/state.md), with the
//! Rollout's steps, the state ([`RolloutState`]: revision, step, pause, folded members), the
//! member order and the revision history (templates and change causes). Every write bumps
//! `seq`; readers take the record with the highest `seq` among the reachable members, so a
//! member that missed a write is overruled, and any machine can continue the rollout.
//!
//! [`expand`] runs at the start of every [`super::apply()`] (apply, scale, drain, rebalance,
//! reconcile, rollout commands: every writer of member copies goes through it). It decides
//! what the plan's template means for the workload's rollout (nothing, a new revision applied
//! at once, a rollout's first step, the current step of a running rollout), records it in the
//! members before any copy is written, and turns the workload's plan into two: the member
//! copies (stable template, or the new one where a member is folded) and the
//! `<name>-canary` copies (new template) of the members running a partial step. Because
//! the split is recomputed from the plan's counts each time, scaling, failover and drain during
//! a rollout keep the step's ratio, and folded members never revert.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Pod};
use kube::api::{Api, ListParams, Patch, PatchParams};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::apply::{spec_hash, ApplyOptions, DryRun};
use super::error::{FleetError, MemberError};
use super::lock::LockOptions;
use super::membership::Fleet;
use super::plan::{clean_deployment, FleetPlan, WorkloadPlan};
use super::state;
use crate::rollout::{
    self, assess, member_order, split, Health, HealthLimits, MemberObs, MemberSplit, Phase, PodObs,
    RolloutSpec, RolloutState, Share, Step,
};

/// Prefix of the record ConfigMap's name (`kubectl-fleet-rollout.<deployment>`).
pub const RECORD_PREFIX: &str = "kubectl-fleet-rollout.";
/// Suffix of the canary Deployment's name.
pub const CANARY_SUFFIX: &str = "-canary";
/// Label on canary Deployments, their selector and pods: the Deployment they are a canary of.
pub const LABEL_CANARY_OF: &str = "fleet.kubectl.dev/canary-of";
/// The annotation kubectl uses for a revision's change cause.
pub const ANN_CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// Revisions kept when the Deployment does not say (`revisionHistoryLimit`).
pub const DEFAULT_HISTORY: usize = 10;

/// One fleet revision of a workload's template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    pub revision: u64,
    /// `fleet.kubectl.dev/spec-hash` of the template.
    pub hash: String,
    /// Other hashes of the same template (the hash of the template as read back from a
    /// member, with the server's defaults, which `scale` and `rebalance` re-apply).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub change_cause: Option<String>,
    /// RFC 3339.
    pub created: String,
    /// The propagated Deployment (replicas are per member).
    pub template: Value,
}

/// The rollout record of one workload (ConfigMap data keys `seq`, `rollout`, `state`,
/// `order`, `history`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub seq: u64,
    /// Write-lock generation of the writer ([`super::lock`]; 0 when written without a lock).
    /// Records are ordered by `(generation, seq)`: a writer that lost its lock never
    /// overwrites the record of the writer that took over.
    #[serde(default)]
    pub generation: u64,
    pub rollout: Option<RolloutSpec>,
    pub state: Option<RolloutState>,
    /// Member order of the current rollout.
    pub order: Vec<String>,
    /// The member order named with `--order` (apply, rollout restart) for the current
    /// rollout: wins over the Rollout's own order (field or annotation); cleared
    /// when a rollout starts without `--order`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_order: Vec<String>,
    pub history: Vec<Revision>,
}

impl Record {
    fn from_configmap(cm: &ConfigMap) -> Result<Record, String> {
        let data = cm.data.clone().unwrap_or_default();
        let get = |k: &str| data.get(k).map(String::as_str).unwrap_or("");
        let parse = |k: &str| -> Result<Value, String> {
            match get(k) {
                "" => Ok(Value::Null),
                t => serde_json::from_str(t).map_err(|e| format!("data.{k}: {e}")),
            }
        };
        let seq = get("seq").parse::<u64>().unwrap_or(0);
        let generation = get("generation").parse::<u64>().unwrap_or(0);
        let rollout = serde_json::from_value(parse("rollout")?).map_err(|e| e.to_string())?;
        let state = serde_json::from_value(parse("state")?).map_err(|e| e.to_string())?;
        let order = match parse("order")? {
            Value::Null => Vec::new(),
            v => serde_json::from_value(v).map_err(|e| e.to_string())?,
        };
        let history = match parse("history")? {
            Value::Null => Vec::new(),
            v => serde_json::from_value(v).map_err(|e| e.to_string())?,
        };
        let requested_order = match parse("requestedOrder")? {
            Value::Null => Vec::new(),
            v => serde_json::from_value(v).map_err(|e| e.to_string())?,
        };
        Ok(Record {
            seq,
            generation,
            rollout,
            state,
            order,
            requested_order,
            history,
        })
    }

    fn data(&self) -> BTreeMap<String, String> {
        let mut d = BTreeMap::new();
        d.insert("seq".into(), self.seq.to_string());
        d.insert("generation".into(), self.generation.to_string());
        d.insert("rollout".into(), js(&self.rollout));
        d.insert("state".into(), js(&self.state));
        d.insert("order".into(), js(&self.order));
        d.insert("requestedOrder".into(), js(&self.requested_order));
        d.insert("history".into(), js(&self.history));
        d
    }

    /// The order of records: `(generation, seq)`.
    pub fn version(&self) -> (u64, u64) {
        (self.generation, self.seq)
    }

    /// The entry of a revision.
    pub fn revision(&self, n: u64) -> Option<&Revision> {
        self.history.iter().find(|r| r.revision == n)
    }

    /// The template of a revision.
    pub fn template(&self, n: u64) -> Result<Deployment, FleetError> {
        // The callers ask for revisions the record itself names (its state, a checked undo
        // target): one missing or unreadable is a damaged record, not bad input.
        let r = self.revision(n).ok_or_else(|| {
            FleetError::Runtime(format!(
                "revision {n} is not in the rollout history (kept: {})",
                self.history
                    .iter()
                    .map(|r| r.revision.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
        serde_json::from_value(r.template.clone())
            .map_err(|e| FleetError::Runtime(format!("revision {n}: stored template: {e}")))
    }

    /// Whether revision `n` has one of these hashes; if so, the others become its aliases.
    fn is_revision(&mut self, n: u64, hashes: &[&str]) -> bool {
        let Some(r) = self.history.iter_mut().find(|r| r.revision == n) else {
            return false;
        };
        let known = |r: &Revision, h: &str| r.hash == h || r.aliases.iter().any(|a| a == h);
        if !hashes.iter().any(|h| known(r, h)) {
            return false;
        }
        for h in hashes {
            if !known(r, h) && !h.is_empty() {
                r.aliases.push(h.to_string());
            }
        }
        true
    }

    /// Records `d` as a new revision (a template seen before moves to the new number, like
    /// Kubernetes' ReplicaSet revisions) and trims the history to `limit` entries, never
    /// dropping the revisions the state refers to.
    pub fn push_revision(&mut self, d: &Deployment, limit: usize) -> u64 {
        let hash = spec_hash(d);
        let n = self.history.iter().map(|r| r.revision).max().unwrap_or(0) + 1;
        let change_cause = d
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANN_CHANGE_CAUSE))
            .cloned()
            .or_else(|| {
                self.history
                    .iter()
                    .find(|r| r.hash == hash)
                    .and_then(|r| r.change_cause.clone())
            });
        self.history
            .retain(|r| r.hash != hash && !r.aliases.contains(&hash));
        let mut template = serde_json::to_value(d).unwrap_or(Value::Null);
        if let Some(spec) = template.get_mut("spec").and_then(Value::as_object_mut) {
            spec.remove("replicas");
        }
        self.history.push(Revision {
            revision: n,
            hash,
            aliases: Vec::new(),
            change_cause,
            created: super::rebalance::now_rfc3339(),
            template,
        });
        let keep: BTreeSet<u64> = self
            .state
            .iter()
            .flat_map(|s| [s.revision, s.stable_revision])
            .chain([n])
            .collect();
        while self.history.len() > limit.max(1) + 1 {
            match self
                .history
                .iter()
                .position(|r| !keep.contains(&r.revision))
            {
                Some(i) => {
                    self.history.remove(i);
                }
                None => break,
            }
        }
        n
    }

    /// The member order the user named: `--order` of the current rollout, else the Rollout's
    /// (`spec.strategy.canary.memberOrder`, else annotation `fleet.kubectl.dev/member-order`).
    pub fn user_order(&self) -> Vec<String> {
        if !self.requested_order.is_empty() {
            return self.requested_order.clone();
        }
        self.rollout
            .as_ref()
            .map(|r| r.member_order.clone())
            .unwrap_or_default()
    }

    /// The effective steps of the stored Rollout (none when there is none or it is disabled).
    pub fn steps(&self) -> Option<Vec<Step>> {
        self.rollout
            .as_ref()
            .filter(|r| !r.disabled)
            .map(RolloutSpec::effective_steps)
    }
}

fn js<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Name of the record ConfigMap of a Deployment.
pub fn record_name(name: &str) -> String {
    format!("{RECORD_PREFIX}{name}")
}

/// Name of the canary Deployment.
pub fn canary_name(name: &str) -> String {
    format!("{name}{CANARY_SUFFIX}")
}

/// Unix seconds now.
pub fn now_secs() -> i64 {
    k8s_openapi::jiff::Timestamp::now().as_second()
}

/// What one member holds for a workload.
#[derive(Debug, Clone, Default)]
pub struct MemberRead {
    pub record: Option<Record>,
    pub copy: Option<Deployment>,
    pub canary: Option<Deployment>,
    /// New-template (canary) pods.
    pub pods: Vec<Pod>,
    /// Pods of the copy's current template ([`current_pods`]: its new ReplicaSet's, as the
    /// member's Deployment controller rolls it out).
    pub copy_pods: Vec<Pod>,
}

/// Whether every field `want` sets has the same value in `have` (objects recursively; the
/// API server only adds defaults to what a template sets).
fn json_subset(want: &Value, have: &Value) -> bool {
    match (want, have) {
        (Value::Object(w), Value::Object(h)) => w
            .iter()
            .all(|(k, v)| h.get(k).is_some_and(|hv| json_subset(v, hv))),
        (Value::Array(w), Value::Array(h)) => {
            w.len() == h.len() && w.iter().zip(h).all(|(a, b)| json_subset(a, b))
        }
        (w, h) => w == h,
    }
}

/// Whether every entry of `want` is in `have`.
fn has_all(
    want: Option<&BTreeMap<String, String>>,
    have: Option<&BTreeMap<String, String>>,
) -> bool {
    want.into_iter()
        .flatten()
        .all(|(k, v)| have.and_then(|h| h.get(k)) == Some(v))
}

/// The pods of a Deployment's current template (its new ReplicaSet's), found without reading
/// ReplicaSets (the member RBAC does not grant them): the pods its selector matches, not a
/// canary's, not terminating, made from its template: the template's labels and annotations
/// are on the pod and its containers are the pod's (every field the template sets; pods of
/// older templates differ in the field the change was about).
fn current_pods(d: &Deployment, pods: &[Pod]) -> Vec<Pod> {
    let Some(selector) = d.spec.selector.match_labels.as_ref() else {
        return Vec::new();
    };
    let t = &d.spec.template;
    let Some(spec) = t.spec.as_ref() else {
        return Vec::new();
    };
    let meta = t.metadata.as_ref();
    // The template's containers once, not once per pod.
    let containers = serde_json::to_value(&spec.containers).unwrap_or(Value::Null);
    pods.iter()
        .filter(|p| {
            let labels = p.metadata.labels.as_ref();
            has_all(Some(selector), labels)
                && !labels.is_some_and(|l| l.contains_key(LABEL_CANARY_OF))
                && p.metadata.deletion_timestamp.is_none()
                && has_all(meta.and_then(|m| m.labels.as_ref()), labels)
                && has_all(
                    meta.and_then(|m| m.annotations.as_ref()),
                    p.metadata.annotations.as_ref(),
                )
                && p.spec.as_ref().is_some_and(|ps| {
                    json_subset(
                        &containers,
                        &serde_json::to_value(&ps.containers).unwrap_or(Value::Null),
                    )
                })
        })
        .cloned()
        .collect()
}

fn is_managed(d: &Deployment) -> bool {
    d.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(state::MANAGED_BY_LABEL))
        .map(String::as_str)
        == Some(state::MANAGED_BY_VALUE)
}

/// Reads the record, the copy, the canary copy and (with `pods`) the canary pods of a
/// workload on the given members.
pub async fn read_workload(
    fleet: &Fleet,
    clusters: &[String],
    namespace: &str,
    name: &str,
    pods: bool,
) -> BTreeMap<String, Result<MemberRead, MemberError>> {
    let members = fleet.members.iter().filter(|m| clusters.contains(&m.name));
    let out = super::fanout::for_members(members, fleet.request_timeout, |m| async move {
        let client = m.client().await?;
        let cms: Api<ConfigMap> = Api::namespaced(client.clone(), namespace);
        let deps: Api<Deployment> = Api::namespaced(client.clone(), namespace);
        let record = match cms.get_opt(&record_name(name)).await? {
            Some(cm) => Some(
                Record::from_configmap(&cm)
                    .map_err(|e| MemberError::Other(format!("{}: {e}", record_name(name))))?,
            ),
            None => None,
        };
        let copy = deps.get_opt(name).await?.filter(is_managed);
        let canary = deps.get_opt(&canary_name(name)).await?.filter(is_managed);
        let (pods, copy_pods) = if pods {
            let api: Api<Pod> = Api::namespaced(client.clone(), namespace);
            let canary_pods = api
                .list(&ListParams::default().labels(&format!("{LABEL_CANARY_OF}={name}")))
                .await?
                .items;
            let copy_pods = match &copy {
                Some(d) => {
                    let selector: Vec<String> = d
                        .spec
                        .selector
                        .match_labels
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect();
                    let all = api
                        .list(&ListParams::default().labels(&selector.join(",")))
                        .await?
                        .items;
                    current_pods(d, &all)
                }
                None => Vec::new(),
            };
            (canary_pods, copy_pods)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(MemberRead {
            record,
            copy,
            canary,
            pods,
            copy_pods,
        })
    })
    .await;
    out.into_iter().collect()
}

/// The newest record among the members read: the highest `(generation, seq)`.
pub fn newest(reads: &BTreeMap<String, Result<MemberRead, MemberError>>) -> Option<Record> {
    reads
        .values()
        .filter_map(|r| r.as_ref().ok().and_then(|m| m.record.clone()))
        .max_by_key(Record::version)
}

/// What [`write_record`] did on the members.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordWrites {
    /// Members whose record is now this writer's.
    pub written: Vec<String>,
    /// One line per member that could not be written (unreachable, API error).
    pub errors: Vec<String>,
    /// One line per member holding a newer record (a higher `(generation, seq)`: another
    /// writer's): nothing was written there.
    pub newer: Vec<String>,
}

impl RecordWrites {
    /// The error of a write that found a newer record somewhere (one line).
    pub fn newer_error(&self, namespace: &str, name: &str) -> Option<FleetError> {
        (!self.newer.is_empty()).then(|| {
            FleetError::Runtime(format!(
                "the rollout of deployment {namespace}/{name} was changed by another writer: {}; nothing more was written (re-run the command to continue from the new state)",
                self.newer.join("; ")
            ))
        })
    }
}

/// How often a record write re-reads a ConfigMap whose resourceVersion moved before giving up.
const RECORD_CAS_ATTEMPTS: usize = 8;

enum RecordWrite {
    Written,
    Newer(u64, u64),
}

/// Writes the record to the given members, fenced like the copies: on each member the
/// ConfigMap is read, a record with a higher `(generation, seq)` than this one is left alone
/// (reported in [`RecordWrites::newer`]), and the write is a compare-and-swap on the
/// resourceVersion read (create when there is none; re-read and check again on a conflict).
/// A writer without a lock (`opts.fence` None: dry runs) compares `seq` only.
pub async fn write_record(
    fleet: &Fleet,
    clusters: &[String],
    namespace: &str,
    name: &str,
    record: &Record,
    opts: &ApplyOptions,
) -> RecordWrites {
    let mut out = RecordWrites::default();
    if opts.dry_run == DryRun::Client {
        return out;
    }
    let body = json!({
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": record_name(name),
            "namespace": namespace,
            "labels": {state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE},
        },
        "data": record.data(),
    });
    let members = fleet.members.iter().filter(|m| clusters.contains(&m.name));
    let body = &body;
    let results = super::fanout::for_members(members, fleet.request_timeout, |m| async move {
        let client = m.client().await?;
        super::apply::ensure_namespace(&client, namespace, opts).await?;
        let api: Api<ConfigMap> = Api::namespaced(client, namespace);
        cas_record(&api, name, record, body, opts).await
    })
    .await;
    let rn = record_name(name);
    for (c, r) in results {
        match r {
            Ok(RecordWrite::Written) => out.written.push(c),
            Ok(RecordWrite::Newer(g, s)) => out.newer.push(format!(
                "{c}: configmap {namespace}/{rn} holds generation {g} seq {s}, newer than this writer's generation {} seq {}",
                record.generation, record.seq
            )),
            Err(e) => out.errors.push(format!("{c}: configmap {namespace}/{rn}: {e}")),
        }
    }
    out
}

async fn cas_record(
    api: &Api<ConfigMap>,
    name: &str,
    record: &Record,
    body: &Value,
    opts: &ApplyOptions,
) -> Result<RecordWrite, MemberError> {
    let rn = record_name(name);
    for attempt in 1..=RECORD_CAS_ATTEMPTS {
        let current = api.get_opt(&rn).await?;
        let result = match &current {
            Some(cm) => {
                // An unreadable record is overwritten (it cannot be newer than anything).
                if let Ok(found) = Record::from_configmap(cm) {
                    let newer = if opts.fence.is_none() {
                        found.seq > record.seq
                    } else {
                        found.version() > record.version()
                    };
                    if newer {
                        return Ok(RecordWrite::Newer(found.generation, found.seq));
                    }
                }
                let mut body = body.clone();
                body["metadata"]["resourceVersion"] = json!(cm.metadata.resource_version);
                let mut pp = PatchParams::apply(&opts.field_manager).force();
                if opts.dry_run == DryRun::Server {
                    pp = pp.dry_run();
                }
                api.patch(&rn, &pp, &Patch::Apply(&body)).await.map(|_| ())
            }
            None => {
                let cm: ConfigMap = serde_json::from_value(body.clone())
                    .map_err(|e| MemberError::Other(e.to_string()))?;
                let pp = kube::api::PostParams {
                    dry_run: opts.dry_run == DryRun::Server,
                    field_manager: Some(opts.field_manager.clone()),
                };
                api.create(&pp, &cm).await.map(|_| ())
            }
        };
        match result {
            Ok(()) => return Ok(RecordWrite::Written),
            // Changed (or created) by someone else since it was read: read it again.
            Err(kube::Error::Api(s)) if s.code == 409 && attempt < RECORD_CAS_ATTEMPTS => {}
            Err(e) => return Err(e.into()),
        }
    }
    Err(MemberError::Other(
        "the record kept changing while being written".into(),
    ))
}

/// The canary Deployment of a template: `<name>-canary`, with label [`LABEL_CANARY_OF`] on
/// itself, its selector and its pods (so it never shares pods with the stable copy).
pub fn canary_template(d: &Deployment, name: &str) -> Deployment {
    let mut c = d.clone();
    c.metadata.name = Some(canary_name(name));
    c.metadata
        .labels
        .get_or_insert_with(Default::default)
        .insert(LABEL_CANARY_OF.into(), name.into());
    c.spec
        .selector
        .match_labels
        .get_or_insert_with(Default::default)
        .insert(LABEL_CANARY_OF.into(), name.into());
    c.spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default)
        .insert(LABEL_CANARY_OF.into(), name.into());
    c
}

fn history_limit(d: &Deployment) -> usize {
    d.spec
        .revision_history_limit
        .map(|n| n.max(1) as usize)
        .unwrap_or(DEFAULT_HISTORY)
}

/// What the plan's template means for a workload's rollout.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Every member copy gets the plan's template (no rollout running), or this one: the
    /// current revision's, when the plan was read back from a copy that is not on it.
    AllAtOnce(Option<Box<Deployment>>),
    /// A rollout is running: split the members.
    Steps {
        state: RolloutState,
        steps: Vec<Step>,
        stable: Box<Deployment>,
        new: Box<Deployment>,
    },
}

/// Decides (and updates the record) for a plan's template. `live` is the template of an
/// existing copy (for workloads that existed before their first record). Returns whether
/// the record changed.
pub fn decide(
    w: &WorkloadPlan,
    record: &mut Record,
    live: Option<&Deployment>,
    now: i64,
) -> Result<(bool, Decision), FleetError> {
    let before = record.clone();
    let d = &w.apply.deployment;
    // The plan's template: its own hash, and the hash recorded on the copies it was read from.
    let own = spec_hash(d);
    let hashes: Vec<&str> = [own.as_str(), w.apply.spec_hash.as_str()]
        .into_iter()
        .filter(|h| !h.is_empty())
        .collect();
    let limit = history_limit(d);
    if let Some(r) = &w.apply.rollout {
        if record.rollout.as_ref() != Some(r) {
            record.rollout = Some(r.clone());
        }
    }
    let steps = record.steps();
    if record.state.is_none() {
        // First record: the live template (if any, and different) is revision 1.
        if let Some(live) = live.filter(|l| !hashes.contains(&spec_hash(l).as_str())) {
            let n = record.push_revision(live, limit);
            record.state = Some(RolloutState::complete(n, now));
        }
    }
    if w.apply.from_members {
        if let Some(s) = record.state.clone() {
            // Re-planned from the members: keep whatever the record says.
            let n_steps = steps.as_ref().map_or(0, Vec::len);
            let decision = if steps.is_some() && s.is_active(n_steps) {
                Decision::Steps {
                    stable: Box::new(record.template(s.stable_revision)?),
                    new: Box::new(record.template(s.revision)?),
                    state: s,
                    steps: steps.unwrap_or_default(),
                }
            } else if record.is_revision(s.revision, &hashes) {
                Decision::AllAtOnce(None)
            } else {
                Decision::AllAtOnce(Some(Box::new(record.template(s.revision)?)))
            };
            return Ok((*record != before, decision));
        }
    }
    let decision = match record.state.clone() {
        None => {
            let n = record.push_revision(d, limit);
            record.is_revision(n, &hashes);
            record.state = Some(RolloutState::complete(n, now));
            Decision::AllAtOnce(None)
        }
        Some(s) => {
            let n_steps = steps.as_ref().map_or(0, Vec::len);
            let active = steps.is_some() && s.is_active(n_steps);
            if active
                && (record.is_revision(s.revision, &hashes)
                    || record.is_revision(s.stable_revision, &hashes))
            {
                Decision::Steps {
                    stable: Box::new(record.template(s.stable_revision)?),
                    new: Box::new(record.template(s.revision)?),
                    state: s,
                    steps: steps.unwrap_or_default(),
                }
            } else if !active && record.is_revision(s.revision, &hashes) {
                Decision::AllAtOnce(None)
            } else {
                let stable_rev = if active {
                    s.stable_revision
                } else {
                    s.revision
                };
                let n = record.push_revision(d, limit);
                record.is_revision(n, &hashes);
                match steps {
                    Some(steps) if steps.len() > 1 => {
                        let st = RolloutState::start(Some(&s), n, stable_rev, now, steps.len());
                        record.state = Some(st.clone());
                        Decision::Steps {
                            stable: Box::new(record.template(stable_rev)?),
                            new: Box::new(d.clone()),
                            state: st,
                            steps,
                        }
                    }
                    _ => {
                        record.state = Some(RolloutState::complete(n, now));
                        Decision::AllAtOnce(None)
                    }
                }
            }
        }
    };
    Ok((*record != before, decision))
}

/// The members' splits at a state: order, shares and split of a workload plan.
pub fn splits_for(
    spec_order: &[String],
    scale_in_order: &[String],
    placement: &BTreeMap<String, u32>,
    state: &RolloutState,
    steps: &[Step],
) -> (Vec<String>, Vec<MemberSplit>) {
    let members: Vec<String> = placement
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(c, _)| c.clone())
        .collect();
    let order = member_order(spec_order, scale_in_order, &members);
    let shares: Vec<Share> = order
        .iter()
        .map(|c| Share {
            cluster: c.clone(),
            replicas: placement.get(c).copied().unwrap_or(0),
        })
        .collect();
    let total: u32 = shares.iter().map(|s| s.replicas).sum();
    let target = state.target(steps, total);
    let splits = split(&shares, target, &state.folded);
    (order, splits)
}

/// Expands the plan's workloads for their rollouts (see the module docs) and records the
/// decisions in the members. Returns the plan to apply and notes for the user.
pub async fn expand(
    fleet: &Fleet,
    plan: &FleetPlan,
    opts: &ApplyOptions,
) -> Result<(FleetPlan, Vec<String>), FleetError> {
    let mut out = FleetPlan {
        workloads: Vec::new(),
        warnings: plan.warnings.clone(),
    };
    let mut notes = Vec::new();
    let now = now_secs();
    for w in &plan.workloads {
        let clusters: Vec<String> = w.placements.iter().map(|p| p.cluster.clone()).collect();
        let reads = read_workload(fleet, &clusters, &w.namespace, &w.name, false).await;
        // A record that cannot be read (or an answer that cannot be decoded) stops the
        // workload: its rollout state is unknown. A runtime failure of that member (exit 1).
        for (c, r) in &reads {
            if let Err(e @ MemberError::Other(_)) = r {
                return Err(FleetError::Member {
                    member: c.clone(),
                    source: e.clone(),
                });
            }
        }
        let mut record = newest(&reads).unwrap_or_default();
        let live = reads
            .values()
            .filter_map(|r| r.as_ref().ok())
            .find_map(|m| m.copy.as_ref())
            .map(clean_deployment);
        let before_revision = record.state.as_ref().map(|s| s.revision);
        let (mut changed, decision) = decide(w, &mut record, live.as_ref(), now)?;
        let canary_current = |c: &str| -> u32 {
            reads
                .get(c)
                .and_then(|r| r.as_ref().ok())
                .and_then(|m| m.canary.as_ref())
                .and_then(|d| d.spec.replicas)
                .unwrap_or(0)
                .max(0) as u32
        };
        let mut stable = w.clone();
        stable.apply.recorded_placement = Some(w.placement_map());
        let mut canary: Option<WorkloadPlan> = None;
        match &decision {
            Decision::AllAtOnce(template) => {
                if let Some(t) = template {
                    stable.apply.deployment = (**t).clone();
                }
                if clusters.iter().any(|c| canary_current(c) > 0)
                    || reads
                        .values()
                        .any(|r| r.as_ref().ok().is_some_and(|m| m.canary.is_some()))
                {
                    let mut c = canary_plan(w, &w.apply.deployment);
                    for p in &mut c.placements {
                        p.current = canary_current(&p.cluster);
                        p.desired = 0;
                    }
                    canary = Some(c);
                }
            }
            Decision::Steps {
                state: st,
                steps,
                stable: stable_t,
                new,
            } => {
                // `--order` names the order of the rollout it starts or runs; a rollout
                // started without it uses the Rollout's annotation.
                let started = before_revision != Some(st.revision);
                match &opts.member_order {
                    Some(o) if *o != record.requested_order => {
                        record.requested_order = o.clone();
                        changed = true;
                    }
                    None if started && !record.requested_order.is_empty() => {
                        record.requested_order.clear();
                        changed = true;
                    }
                    _ => {}
                }
                let (order, splits) = splits_for(
                    &record.user_order(),
                    &w.apply.scale_in_order,
                    &w.placement_map(),
                    st,
                    steps,
                );
                let st2 = st.clone().with_folded(&splits);
                if Some(&st2) != record.state.as_ref() || order != record.order {
                    record.state = Some(st2.clone());
                    record.order = order;
                    changed = true;
                }
                stable.apply.deployment = (**stable_t).clone();
                stable.apply.member_templates.clear();
                for p in &mut stable.placements {
                    if let Some(s) = splits.iter().find(|s| s.cluster == p.cluster) {
                        p.desired = if s.folded { s.total } else { s.stable() };
                        if s.folded {
                            stable
                                .apply
                                .member_templates
                                .insert(p.cluster.clone(), (**new).clone());
                        }
                    }
                }
                let mut c = canary_plan(w, new);
                for p in &mut c.placements {
                    p.current = canary_current(&p.cluster);
                    p.desired = splits
                        .iter()
                        .find(|s| s.cluster == p.cluster)
                        .map_or(0, MemberSplit::canary);
                }
                canary = Some(c);
                let total: u32 = splits.iter().map(|s| s.total).sum();
                let on_new: u32 = splits.iter().map(|s| s.new).sum();
                notes.push(format!(
                    "rollout {}/{}: revision {} step {}/{}: {on_new} of {total} replicas on the new template ({})",
                    w.namespace,
                    w.name,
                    st2.revision,
                    st2.step + 1,
                    steps.len(),
                    splits
                        .iter()
                        .map(|s| if s.folded {
                            format!("{} updated", s.cluster)
                        } else if s.new > 0 {
                            format!("{} {}+{} canary", s.cluster, s.stable(), s.new)
                        } else {
                            format!("{} stable", s.cluster)
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if changed {
            record.seq += 1;
            if let Some(g) = opts
                .fence
                .as_ref()
                .and_then(|f| f.generation(&format!("{}/{}", w.namespace, w.name)))
            {
                record.generation = g;
            }
            // Members that run (or will run) the workload, or hold a record.
            let targets: Vec<String> = w
                .placements
                .iter()
                .filter(|p| {
                    p.desired > 0
                        || p.current > 0
                        || reads
                            .get(&p.cluster)
                            .and_then(|r| r.as_ref().ok())
                            .is_some_and(|m| m.record.is_some() || m.copy.is_some())
                })
                .filter(|p| reads.get(&p.cluster).is_some_and(|r| r.is_ok()))
                .map(|p| p.cluster.clone())
                .collect();
            let writes = write_record(fleet, &targets, &w.namespace, &w.name, &record, opts).await;
            if let Some(e) = writes.newer_error(&w.namespace, &w.name) {
                return Err(e);
            }
            if !writes.errors.is_empty() && writes.written.is_empty() {
                return Err(FleetError::Runtime(format!(
                    "cannot record the rollout state of deployment {}/{}: {}",
                    w.namespace,
                    w.name,
                    writes.errors.join("; ")
                )));
            }
            out.warnings.extend(writes.errors);
        }
        out.workloads.push(stable);
        if let Some(mut c) = canary {
            // Only members that have or get a canary copy.
            c.placements.retain(|p| {
                p.current > 0
                    || p.desired > 0
                    || reads
                        .get(&p.cluster)
                        .and_then(|r| r.as_ref().ok())
                        .is_some_and(|m| m.canary.is_some())
            });
            if !c.placements.is_empty() {
                out.workloads.push(c);
            }
        }
    }
    Ok((out, notes))
}

fn canary_plan(w: &WorkloadPlan, template: &Deployment) -> WorkloadPlan {
    let mut c = w.clone();
    c.name = canary_name(&w.name);
    c.apply.deployment = canary_template(template, &w.name);
    c.apply.member_templates.clear();
    c.apply.rollout = None;
    c.apply.recorded_placement = Some(w.placement_map());
    c.apply.conflict_resolution = super::plan::ConflictResolution::Abort;
    c.apply.spec_hash = spec_hash(&c.apply.deployment);
    c.unplaced = 0;
    c
}

/// One member's row of `rollout status`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberStatus {
    pub cluster: String,
    pub total: u32,
    /// Replicas on the stable template / in the canary copy.
    pub stable: u32,
    pub canary: u32,
    pub folded: bool,
    /// New-template replicas wanted and available.
    pub want_new: u32,
    pub new_available: u32,
    pub ready: u32,
    pub reachable: bool,
    /// `stable`, `canary`, `updated`, `unreachable`.
    pub state: String,
}

/// Everything `rollout status` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutStatus {
    pub namespace: String,
    pub name: String,
    pub revision: u64,
    pub stable_revision: u64,
    /// 1-based step and the number of steps (0/0 without steps).
    pub step: usize,
    pub steps: usize,
    pub total: u32,
    /// New-template replicas the step wants, updated (available) and ready fleet-wide.
    pub target: u32,
    pub updated: u32,
    pub ready: u32,
    pub paused: bool,
    pub phase: Phase,
    pub health: Health,
    pub members: Vec<MemberStatus>,
    #[serde(skip)]
    pub record: Record,
}

fn pod_obs(p: &Pod, now: i64) -> PodObs {
    let st = p.status.clone().unwrap_or_default();
    let ready_cond = st
        .conditions
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.type_ == "Ready");
    let ready = ready_cond.as_ref().is_some_and(|c| c.status == "True");
    let ready_for = ready_cond
        .as_ref()
        .filter(|_| ready)
        .and_then(|c| c.last_transition_time.as_ref())
        .map(|t| (now - t.0.as_second()).max(0) as u64)
        .or(ready.then_some(u64::MAX));
    let cs = st.container_statuses.unwrap_or_default();
    let restarts = cs.iter().map(|c| c.restart_count.max(0) as u32).sum();
    let reason = cs.iter().find_map(|c| {
        c.state
            .as_ref()
            .and_then(|s| s.waiting.as_ref())
            .and_then(|w| w.reason.clone())
    });
    let age = p
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| (now - t.0.as_second()).max(0) as u64)
        .unwrap_or(0);
    PodObs {
        name: p.metadata.name.clone().unwrap_or_default(),
        ready,
        restarts,
        ready_for,
        age,
        reason,
    }
}

fn counts(d: Option<&Deployment>) -> (u32, u32, u32, u32, bool) {
    let Some(d) = d else {
        return (0, 0, 0, 0, true);
    };
    let st = d.status.clone().unwrap_or_default();
    let observed = st.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
    let n = |v: Option<i32>| v.unwrap_or(0).max(0) as u32;
    (
        n(d.spec.replicas),
        n(st.available_replicas),
        n(st.updated_replicas),
        n(st.ready_replicas),
        observed,
    )
}

fn int_or_string(
    v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>,
) -> Option<String> {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    v.map(|v| match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    })
}

/// What a rolling update of `d`'s strategy may take down for `replicas`
/// ([`rollout::rolling_unavailable`]): with the fleet total, the rollout's fleet-wide
/// budget; with a member's replicas, what that member's own rolling update takes down.
pub fn strategy_unavailable(d: &Deployment, replicas: u32) -> u32 {
    let strategy = d.spec.strategy.as_ref();
    let ru = strategy.and_then(|s| s.rolling_update.as_ref());
    rollout::rolling_unavailable(
        int_or_string(ru.and_then(|r| r.max_unavailable.as_ref())).as_deref(),
        int_or_string(ru.and_then(|r| r.max_surge.as_ref())).as_deref(),
        strategy.and_then(|s| s.type_.as_deref()) == Some("Recreate"),
        replicas,
    )
}

/// Reads a workload's rollout across the members and assesses its step.
pub async fn status(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
) -> Result<RolloutStatus, FleetError> {
    let clusters: Vec<String> = fleet.members.iter().map(|m| m.name.clone()).collect();
    let reads = read_workload(fleet, &clusters, namespace, name, true).await;
    // A member refusing the reads (401/403: missing RBAC) is misconfigured, not unreachable.
    if let Some((member, e)) = reads.iter().find_map(|(c, r)| match r {
        Err(
            e @ MemberError::Api {
                code: 401 | 403, ..
            },
        ) => Some((c, e)),
        _ => None,
    }) {
        return Err(FleetError::Member {
            member: member.clone(),
            source: e.clone(),
        });
    }
    let record = newest(&reads).ok_or_else(|| {
        let any_copy = reads
            .values()
            .any(|r| r.as_ref().ok().is_some_and(|m| m.copy.is_some()));
        let unreachable = reads.values().any(|r| r.is_err());
        if unreachable && !any_copy {
            // The members that hold it may be the ones that did not answer: nothing says the
            // target is wrong (a runtime failure, exit 1, not bad input).
            FleetError::Runtime(format!(
                "deployment {namespace}/{name} is not managed by kubectl-fleet in any reachable member; cannot read {}",
                reads
                    .iter()
                    .filter_map(|(c, r)| r.as_ref().err().map(|e| format!("{c} ({e})")))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        } else if any_copy {
            FleetError::Input(format!(
                "deployment {namespace}/{name} has no rollout record yet (apply it once with kubectl fleet apply)"
            ))
        } else {
            FleetError::Input(format!(
                "deployment {namespace}/{name} is not managed by kubectl-fleet in any reachable member"
            ))
        }
    })?;
    let state = record.state.clone().ok_or_else(|| {
        FleetError::Runtime(format!(
            "{namespace}/{name}: the rollout record has no state"
        ))
    })?;
    let steps = record.steps().unwrap_or_default();
    let new_t = record.template(state.revision)?;
    // The placement recorded on the copies (any reachable one).
    let placement: BTreeMap<String, u32> = reads
        .values()
        .filter_map(|r| r.as_ref().ok())
        .filter_map(|m| m.copy.as_ref())
        .filter_map(|d| d.metadata.annotations.as_ref())
        .find_map(|a| a.get(state::ANN_PLACEMENT))
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    let (_, splits) = splits_for(
        &record.user_order(),
        &record.order,
        &placement,
        &state,
        &steps,
    );
    let now = now_secs();
    let active = !steps.is_empty() && state.is_active(steps.len());
    let mut obs = Vec::new();
    let mut members = Vec::new();
    for s in &splits {
        let read = reads.get(&s.cluster).and_then(|r| r.as_ref().ok());
        let reachable = read.is_some();
        let (mut desired, mut available, mut ready) = (0, 0, 0);
        let mut new_available = 0;
        let mut pods = Vec::new();
        if let Some(m) = read {
            let copy_new = m
                .copy
                .as_ref()
                .and_then(|d| d.metadata.annotations.as_ref())
                .and_then(|a| a.get(state::ANN_SPEC_HASH))
                .is_some_and(|h| {
                    record
                        .revision(state.revision)
                        .is_some_and(|r| &r.hash == h || r.aliases.contains(h))
                });
            let (cr, ca, cu, crd, cobs) = counts(m.copy.as_ref());
            let (kr, ka, _ku, krd, kobs) = counts(m.canary.as_ref());
            desired = cr + kr;
            available = ca + ka;
            ready = crd + krd;
            new_available = if s.folded {
                if copy_new && cobs {
                    cu.min(ca)
                } else {
                    0
                }
            } else if kobs {
                ka.min(s.canary())
            } else {
                0
            };
            pods = m.pods.iter().map(|p| pod_obs(p, now)).collect();
            // A member copy on the new template (folded members, and every member of a
            // template change without steps): while steps remain, its current pods count
            // like canary pods (settle time, restarts). After the last step, only until its
            // own rolling update has converged, and only those not Ready (crash loops,
            // progress deadline): restarts long after the rollout never fail it.
            let converged = cobs && cu >= cr && ca >= cr;
            if s.folded && copy_new && active {
                pods.extend(m.copy_pods.iter().map(|p| pod_obs(p, now)));
            } else if s.folded && copy_new && !converged {
                pods.extend(
                    m.copy_pods
                        .iter()
                        .map(|p| pod_obs(p, now))
                        .filter(|p| !p.ready),
                );
            }
        }
        obs.push(MemberObs {
            cluster: s.cluster.clone(),
            reachable,
            want_new: s.new,
            new_available,
            desired,
            available,
            pods,
        });
        members.push(MemberStatus {
            cluster: s.cluster.clone(),
            total: s.total,
            stable: s.stable(),
            canary: s.canary(),
            folded: s.folded,
            want_new: s.new,
            new_available,
            ready,
            reachable,
            state: if !reachable {
                "unreachable".into()
            } else if s.folded {
                "updated".into()
            } else if s.new > 0 {
                "canary".into()
            } else {
                "stable".into()
            },
        });
    }
    let spec = new_t.spec.clone();
    let total: u32 = splits.iter().map(|s| s.total).sum();
    let limits = HealthLimits {
        progress_deadline: spec.progress_deadline_seconds.unwrap_or(600).max(0) as u64,
        settle_seconds: record
            .rollout
            .as_ref()
            .map_or(rollout::spec::DEFAULT_SETTLE_SECONDS, |r| r.settle_seconds),
        max_restarts: record
            .rollout
            .as_ref()
            .map_or(rollout::spec::DEFAULT_MAX_RESTARTS, |r| r.max_restarts),
        max_unavailable: strategy_unavailable(&new_t, total),
    };
    let step_age = (now - state.step_started).max(0) as u64;
    let health = assess(&obs, step_age, &limits);
    let steps_n = if state.done { 0 } else { steps.len() };
    let phase = if state.done || steps.is_empty() {
        match &health {
            Health::Ready => Phase::Completed,
            Health::Failed {
                cluster,
                pod,
                reason,
            } => Phase::Failed {
                cluster: cluster.clone(),
                pod: pod.clone(),
                reason: reason.clone(),
            },
            Health::Progressing { reason } => Phase::Progressing {
                reason: reason.clone(),
            },
        }
    } else {
        rollout::phase(&state, &steps, &health, now)
    };
    Ok(RolloutStatus {
        namespace: namespace.to_string(),
        name: name.to_string(),
        revision: state.revision,
        stable_revision: state.stable_revision,
        step: if steps_n == 0 { 0 } else { state.step + 1 },
        steps: steps_n,
        total,
        target: splits.iter().map(|s| s.new).sum(),
        updated: obs.iter().map(|o| o.new_available).sum(),
        ready: members.iter().map(|m| m.ready).sum(),
        paused: state.paused,
        phase,
        health,
        members,
        record,
    })
}

/// Writes a new state (seq + 1, the lock's generation) to every reachable member that holds
/// the workload, under `lock` (see [`write_record`]: never over a newer record).
pub async fn write_state(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    mut record: Record,
    lock: &Locked,
    opts: &ApplyOptions,
) -> Result<Record, FleetError> {
    let clusters: Vec<String> = fleet.members.iter().map(|m| m.name.clone()).collect();
    let reads = read_workload(fleet, &clusters, namespace, name, false).await;
    if let Some(newer) = newest(&reads).filter(|r| r.version() > record.version()) {
        return Err(FleetError::Runtime(format!(
            "the rollout of deployment {namespace}/{name} changed meanwhile (record generation {} seq {} is newer than generation {} seq {}): run the command again",
            newer.generation, newer.seq, record.generation, record.seq
        )));
    }
    record.seq += 1;
    let fence = lock.fence();
    if let Some(g) = fence.generation(&format!("{namespace}/{name}")) {
        record.generation = g;
    }
    let opts = ApplyOptions {
        fence: (!fence.generations.is_empty()).then_some(fence),
        ..opts.clone()
    };
    let targets: Vec<String> = reads
        .iter()
        .filter_map(|(c, r)| {
            r.as_ref()
                .ok()
                .filter(|m| m.copy.is_some() || m.record.is_some() || m.canary.is_some())
                .map(|_| c.clone())
        })
        .collect();
    if targets.is_empty() {
        return Err(FleetError::Runtime(format!(
            "deployment {namespace}/{name}: no reachable member holds it"
        )));
    }
    let writes = write_record(fleet, &targets, namespace, name, &record, &opts).await;
    if let Some(e) = writes.newer_error(namespace, name) {
        return Err(e);
    }
    if writes.written.is_empty() {
        return Err(FleetError::Runtime(format!(
            "cannot record the rollout state of deployment {namespace}/{name}: {}",
            writes.errors.join("; ")
        )));
    }
    Ok(record)
}

/// Holds the write lock of a workload ([`super::lock`]) while a rollout command changes its
/// record and its copies; `None` for dry runs.
pub struct Locked {
    locks: super::lock::WorkloadLocks,
}

impl Locked {
    /// Takes the lock of `namespace/name` (the one write path's per-workload lock).
    pub async fn acquire(
        fleet: &Fleet,
        namespace: &str,
        name: &str,
        opts: &LockOptions,
    ) -> Result<Locked, FleetError> {
        let mut locks = super::lock::WorkloadLocks::default();
        if let Err(e) = locks
            .acquire(fleet, &[(namespace.to_string(), name.to_string())], opts)
            .await
        {
            locks.release().await;
            return Err(e);
        }
        Ok(Locked { locks })
    }

    /// Releases the lock.
    pub async fn release(self) {
        self.locks.release().await;
    }

    /// The fence of the lock (its generation).
    pub fn fence(&self) -> super::lock::Fence {
        self.locks.fence()
    }
}

/// Re-plans a managed workload from its members (stored policy, total, template) and applies
/// it through [`super::apply()`] under the lock's fence; `template` replaces the template
/// (undo, restart).
pub async fn apply_managed(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    template: Option<Deployment>,
    lock: Option<&Locked>,
    opts: &ApplyOptions,
) -> Result<(FleetPlan, super::apply::ApplyReport), FleetError> {
    let snapshots = super::read::read_snapshots(fleet, &super::read::ReadOptions::default()).await;
    let mut plan = super::plan::plan_managed(
        fleet,
        &snapshots,
        namespace,
        name,
        None,
        &super::plan::PlanOptions::default(),
    )?;
    if let Some(t) = template {
        for w in &mut plan.workloads {
            w.apply.spec_hash = spec_hash(&t);
            w.apply.deployment = t.clone();
            w.apply.from_members = false;
        }
    }
    // Make-before-break across copies: the grown copies must be available before canaries
    // and shrunk copies go (the fleet's availability budget).
    let mut opts = ApplyOptions {
        wait: opts.dry_run == DryRun::None,
        ..opts.clone()
    };
    if let Some(l) = lock.filter(|l| !l.locks.locks.is_empty()) {
        opts.fence = Some(l.locks.fence());
    }
    let report = super::apply::apply(fleet, &plan, &opts).await?;
    Ok((plan, report))
}

/// Outcome of a rollout command that changes the state.
#[derive(Debug, Clone)]
pub enum Changed {
    /// The state was written and the copies applied.
    Applied {
        record: Box<Record>,
        report: Box<super::apply::ApplyReport>,
    },
    /// Only the record changed (pause, or resume lifting a pause).
    Recorded(Box<Record>),
}

/// `rollout pause`.
pub async fn pause(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    lock_opts: &LockOptions,
    opts: &ApplyOptions,
) -> Result<Changed, FleetError> {
    let lock = Locked::acquire(fleet, namespace, name, lock_opts).await?;
    let r = async {
        let st = status(fleet, namespace, name).await?;
        let mut record = st.record.clone();
        let steps = record_steps(&st.record);
        let state = record.state.as_mut().expect("status has a state");
        if !state.is_active(steps) {
            return Err(FleetError::Input(format!(
                "deployment {namespace}/{name}: no rollout in progress (revision {} is fully rolled out)",
                state.revision
            )));
        }
        if state.paused {
            return Ok(Changed::Recorded(Box::new(record)));
        }
        state.paused = true;
        Ok(Changed::Recorded(Box::new(
            write_state(fleet, namespace, name, record, &lock, opts).await?,
        )))
    }
    .await;
    lock.release().await;
    r
}

fn record_steps(r: &Record) -> usize {
    r.steps().map_or(0, |s| s.len())
}

/// `rollout resume`: lifts a pause and continues a step waiting for it. When the step is
/// not Ready yet, polls until it is (bounded by `timeout`), then takes the workload's lock,
/// checks again and writes the next step.
pub async fn resume(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    timeout: std::time::Duration,
    lock_opts: &LockOptions,
    opts: &ApplyOptions,
) -> Result<Changed, FleetError> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let st = status(fleet, namespace, name).await?;
        let state = st.record.state.clone().expect("status has a state");
        let steps = st.record.steps().unwrap_or_default();
        let outcome = rollout::resume(&state, &steps, &st.health, now_secs())
            .map_err(|e| resume_error(namespace, name, e))?;
        if let rollout::Resumed::NotReady(why) = outcome {
            if std::time::Instant::now() >= deadline {
                return Err(FleetError::NotReady(format!(
                    "deployment {namespace}/{name}: step {}/{} is not ready after --timeout ({why}); run resume again later",
                    st.step, st.steps
                )));
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            continue;
        }
        let lock = Locked::acquire(fleet, namespace, name, lock_opts).await?;
        let r = resume_locked(fleet, namespace, name, &lock, opts).await;
        lock.release().await;
        match r {
            Ok(Some(c)) => return Ok(c),
            // Not ready any more (re-checked under the lock): wait again.
            Ok(None) => continue,
            Err(e) => return Err(e),
        }
    }
}

/// A refused resume: nothing to resume is bad input (exit 2), a failed step a runtime
/// condition (exit 1).
fn resume_error(namespace: &str, name: &str, e: rollout::RolloutError) -> FleetError {
    let line = format!("deployment {namespace}/{name}: {e}");
    match e {
        rollout::RolloutError::Failed(_) => FleetError::Runtime(line),
        _ => FleetError::Input(line),
    }
}

async fn resume_locked(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    lock: &Locked,
    opts: &ApplyOptions,
) -> Result<Option<Changed>, FleetError> {
    let st = status(fleet, namespace, name).await?;
    let state = st.record.state.clone().expect("status has a state");
    let steps = st.record.steps().unwrap_or_default();
    let outcome = rollout::resume(&state, &steps, &st.health, now_secs())
        .map_err(|e| resume_error(namespace, name, e))?;
    let mut record = st.record.clone();
    match outcome {
        rollout::Resumed::Unpaused(s) => {
            record.state = Some(s);
            Ok(Some(Changed::Recorded(Box::new(
                write_state(fleet, namespace, name, record, lock, opts).await?,
            ))))
        }
        rollout::Resumed::Advance(s) => {
            record.state = Some(s);
            let record = write_state(fleet, namespace, name, record, lock, opts).await?;
            let (_, report) = apply_managed(fleet, namespace, name, None, Some(lock), opts).await?;
            Ok(Some(Changed::Applied {
                record: Box::new(record),
                report: Box::new(report),
            }))
        }
        rollout::Resumed::NotReady(_) => Ok(None),
    }
}

/// The revision `rollout undo` goes back to: `--to-revision`, else the stable revision of a
/// running rollout, else the newest revision before the current one.
pub fn undo_target(record: &Record, to_revision: Option<u64>) -> Result<u64, String> {
    let state = record.state.as_ref().ok_or("no rollout state recorded")?;
    let active = state.is_active(record_steps(record));
    let target = match to_revision {
        Some(n) if n > 0 => n,
        _ if active => state.stable_revision,
        _ => record
            .history
            .iter()
            .map(|r| r.revision)
            .filter(|r| *r < state.revision)
            .max()
            .ok_or("no previous revision to roll back to")?,
    };
    if record.revision(target).is_none() {
        return Err(format!(
            "revision {target} is not in the history (kept: {})",
            record
                .history
                .iter()
                .map(|r| r.revision.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !active && target == state.revision {
        return Err(format!("revision {target} is already the current one"));
    }
    Ok(target)
}

/// `rollout undo [--to-revision N]`: the target revision's template becomes a new revision
/// and goes to every member at once (make-before-break); canary copies are removed.
pub async fn undo(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    to_revision: Option<u64>,
    lock_opts: &LockOptions,
    opts: &ApplyOptions,
) -> Result<(u64, Changed), FleetError> {
    let lock = Locked::acquire(fleet, namespace, name, lock_opts).await?;
    let r = async {
        let st = status(fleet, namespace, name).await?;
        undo_locked(fleet, st, to_revision, &lock, opts).await
    }
    .await;
    lock.release().await;
    r
}

async fn undo_locked(
    fleet: &Fleet,
    st: RolloutStatus,
    to_revision: Option<u64>,
    lock: &Locked,
    opts: &ApplyOptions,
) -> Result<(u64, Changed), FleetError> {
    let (namespace, name) = (st.namespace.as_str(), st.name.as_str());
    let mut record = st.record.clone();
    let target = undo_target(&record, to_revision)
        .map_err(|e| FleetError::Input(format!("deployment {namespace}/{name}: {e}")))?;
    let template = record.template(target)?;
    let n = record.push_revision(&template, history_limit(&template));
    record.state = Some(RolloutState::complete(n, now_secs()));
    let record = write_state(fleet, namespace, name, record, lock, opts).await?;
    let (_, report) =
        apply_managed(fleet, namespace, name, Some(template), Some(lock), opts).await?;
    Ok((
        target,
        Changed::Applied {
            record: Box::new(record),
            report: Box::new(report),
        },
    ))
}

/// A rollback done by `--rollback-on-failure`.
#[derive(Debug, Clone)]
pub struct RolledBack {
    /// The failed rollout as it was seen under the lock.
    pub failed: Box<RolloutStatus>,
    /// The revision whose template was restored.
    pub restored: u64,
    pub changed: Changed,
}

/// `--rollback-on-failure`: takes the workload's lock, checks again that its rollout failed
/// and, if so, restores the previous template everywhere like `rollout undo` (the stable
/// revision of a running rollout; make-before-break, through the fenced write path).
/// `Ok(None)` when the rollout has not failed (any more).
pub async fn rollback_failed(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    lock_opts: &LockOptions,
    opts: &ApplyOptions,
) -> Result<Option<RolledBack>, FleetError> {
    let lock = Locked::acquire(fleet, namespace, name, lock_opts).await?;
    let r = async {
        let st = status(fleet, namespace, name).await?;
        if !matches!(st.phase, Phase::Failed { .. }) {
            return Ok(None);
        }
        let failed = Box::new(st.clone());
        let (restored, changed) = undo_locked(fleet, st, None, &lock, opts).await?;
        Ok(Some(RolledBack {
            failed,
            restored,
            changed,
        }))
    }
    .await;
    lock.release().await;
    r
}

/// Polls the rollout of `namespace/name` until its current step is no longer progressing
/// (it waits for a pause, completed or failed) or `timeout` passes; returns the last status.
pub async fn wait_step(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    timeout: std::time::Duration,
) -> Result<RolloutStatus, FleetError> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let st = status(fleet, namespace, name).await?;
        if !matches!(st.phase, Phase::Progressing { .. }) || std::time::Instant::now() >= deadline {
            return Ok(st);
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
}

/// Checks a member order named by the user (`what`: `--order`, or the Rollout's field):
/// every name is a fleet member, none twice.
pub fn check_order(fleet: &Fleet, order: &[String], what: &str) -> Result<(), String> {
    let members: Vec<&str> = fleet.members.iter().map(|m| m.name.as_str()).collect();
    for (i, c) in order.iter().enumerate() {
        if c.is_empty() {
            return Err(format!("{what}: empty member name"));
        }
        if !members.contains(&c.as_str()) {
            return Err(format!(
                "{what}: {c:?} is not a member of the fleet (members: {})",
                members.join(", ")
            ));
        }
        if order[..i].contains(c) {
            return Err(format!("{what}: {c:?} is named twice"));
        }
    }
    Ok(())
}

/// `rollout restart`: the current template with annotation `kubectl.kubernetes.io/restartedAt`
/// on the pod template (like kubectl); with a Rollout it goes through the steps.
pub async fn restart(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    lock_opts: &LockOptions,
    opts: &ApplyOptions,
) -> Result<Changed, FleetError> {
    let lock = Locked::acquire(fleet, namespace, name, lock_opts).await?;
    let r = async {
        let st = status(fleet, namespace, name).await?;
        let state = st.record.state.clone().expect("status has a state");
        let mut template = st.record.template(state.revision)?;
        template
            .spec
            .template
            .metadata
            .get_or_insert_with(Default::default)
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                "kubectl.kubernetes.io/restartedAt".into(),
                super::rebalance::now_rfc3339(),
            );
        let (_, report) =
            apply_managed(fleet, namespace, name, Some(template), Some(&lock), opts).await?;
        let clusters: Vec<String> = fleet.members.iter().map(|m| m.name.clone()).collect();
        let reads = read_workload(fleet, &clusters, namespace, name, false).await;
        Ok(Changed::Applied {
            record: Box::new(newest(&reads).unwrap_or_default()),
            report: Box::new(report),
        })
    }
    .await;
    lock.release().await;
    r
}

/// `reconcile`: advances a workload's timed pause when it is over (records when the step
/// became Ready first). Returns a line saying what it did, if anything.
pub async fn advance_timed(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    opts: &ApplyOptions,
) -> Result<Option<String>, FleetError> {
    let st = match status(fleet, namespace, name).await {
        Ok(st) => st,
        // No record (workload applied before rollouts were recorded): nothing to advance.
        Err(FleetError::Input(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let state = st.record.state.clone().expect("status has a state");
    let steps = st.record.steps().unwrap_or_default();
    let mut record = st.record.clone();
    let action = rollout::reconcile_action(&state, &steps, &st.health, now_secs());
    if action == rollout::Action::Nothing {
        return Ok(None);
    }
    let lock = Locked::acquire(fleet, namespace, name, &LockOptions::new("reconcile")).await?;
    let r = async {
        match action {
            rollout::Action::Nothing => Ok(None),
            rollout::Action::RecordReady(s) => {
                record.state = Some(s);
                write_state(fleet, namespace, name, record, &lock, opts).await?;
                Ok(None)
            }
            rollout::Action::Advance(s) => {
                let step = s.step + 1;
                record.state = Some(s);
                write_state(fleet, namespace, name, record, &lock, opts).await?;
                apply_managed(fleet, namespace, name, None, Some(&lock), opts).await?;
                Ok(Some(format!(
                    "deployment {namespace}/{name}: timed pause over, rollout at step {step}/{}",
                    steps.len()
                )))
            }
        }
    }
    .await;
    lock.release().await;
    r
}

/// Reads the rollout records of the view's managed Deployments (one ConfigMap list per
/// member and namespace) and fills in the revisions ([`fill_revisions`]). Members that
/// cannot be read only contribute no record.
pub async fn add_revisions(fleet: &Fleet, view: &mut super::views::DeploymentsView) {
    let wanted: BTreeSet<(String, String)> = view
        .totals
        .iter()
        .filter(|t| t.managed)
        .map(|t| (t.namespace.clone(), t.name.clone()))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let namespaces: BTreeSet<String> = wanted.iter().map(|(ns, _)| ns.clone()).collect();
    let (namespaces, wanted) = (&namespaces, &wanted);
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let mut out = Vec::new();
            for ns in namespaces {
                let api: Api<ConfigMap> = Api::namespaced(client.clone(), ns);
                let lp = ListParams::default().labels(&format!(
                    "{}={}",
                    state::MANAGED_BY_LABEL,
                    state::MANAGED_BY_VALUE
                ));
                for cm in api.list(&lp).await?.items {
                    let Some(name) = cm
                        .metadata
                        .name
                        .as_deref()
                        .and_then(|n| n.strip_prefix(RECORD_PREFIX))
                    else {
                        continue;
                    };
                    let key = (ns.clone(), name.to_string());
                    if !wanted.contains(&key) {
                        continue;
                    }
                    if let Ok(r) = Record::from_configmap(&cm) {
                        out.push((key, r));
                    }
                }
            }
            Ok(out)
        })
        .await;
    let mut records: BTreeMap<(String, String), Record> = BTreeMap::new();
    for (key, r) in results.into_iter().filter_map(|(_, r)| r.ok()).flatten() {
        match records.get(&key) {
            Some(have) if have.version() >= r.version() => {}
            _ => {
                records.insert(key, r);
            }
        }
    }
    fill_revisions(view, &records);
}

/// Fills in each copy's revision (the history entry of its spec hash; a canary copy's hash is
/// that of the revision's canary template) and its available replicas on the current
/// revision, and each total's [`super::views::RolloutSummary`], from the records by
/// `(namespace, name)`.
pub fn fill_revisions(
    view: &mut super::views::DeploymentsView,
    records: &BTreeMap<(String, String), Record>,
) {
    let mut hashes: BTreeMap<(String, String), BTreeMap<String, u64>> = BTreeMap::new();
    for (key, r) in records {
        let m = hashes.entry(key.clone()).or_default();
        for rev in &r.history {
            m.insert(rev.hash.clone(), rev.revision);
            for a in &rev.aliases {
                m.insert(a.clone(), rev.revision);
            }
            if let Ok(t) = r.template(rev.revision) {
                m.insert(spec_hash(&canary_template(&t, &key.1)), rev.revision);
            }
        }
    }
    for row in &mut view.rows {
        let name = row.canary_of.clone().unwrap_or_else(|| row.name.clone());
        let key = (row.namespace.clone(), name);
        let Some(st) = records.get(&key).and_then(|r| r.state.as_ref()) else {
            continue;
        };
        let steps = records.get(&key).map_or(0, record_steps);
        row.revision = row
            .spec_hash
            .as_ref()
            .and_then(|h| hashes.get(&key).and_then(|m| m.get(h)).copied())
            // A canary copy runs the new revision of the rollout in progress.
            .or((row.canary_of.is_some() && st.is_active(steps)).then_some(st.revision));
        row.updated = Some(if row.revision == Some(st.revision) {
            row.available.min(row.up_to_date).max(0) as u32
        } else {
            0
        });
    }
    for t in &mut view.totals {
        let key = (t.namespace.clone(), t.name.clone());
        let Some(r) = records.get(&key) else {
            continue;
        };
        let Some(st) = &r.state else {
            continue;
        };
        let steps = record_steps(r);
        let updated = view
            .rows
            .iter()
            .filter(|row| {
                row.namespace == t.namespace
                    && (row.name == t.name || row.canary_of.as_deref() == Some(t.name.as_str()))
            })
            .filter_map(|row| row.updated)
            .sum();
        t.rollout = Some(super::views::RolloutSummary {
            revision: st.revision,
            stable_revision: st.stable_revision,
            step: st.is_active(steps).then_some((st.step + 1, steps)),
            paused: st.paused,
            updated,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::views::{Adoption, DeploymentTotals, DeploymentsView, MemberDeploymentRow};

    fn deployment(image: &str) -> Deployment {
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "app", "image": image}]}}}
        }))
        .unwrap()
    }

    fn row(cluster: &str, name: &str, hash: &str, available: i32) -> MemberDeploymentRow {
        MemberDeploymentRow {
            namespace: "default".into(),
            name: name.into(),
            cluster: cluster.into(),
            desired: available,
            ready: available,
            up_to_date: available,
            available,
            pending: 0,
            created: None,
            adoption: Adoption::Created,
            group: None,
            images: vec![],
            total_replicas: Some(6),
            generation: Some(1),
            canary_of: (name != "web").then(|| "web".to_string()),
            spec_hash: Some(hash.into()),
            revision: None,
            updated: None,
            placement: None,
            object: Box::default(),
        }
    }

    #[test]
    fn revisions_come_from_hashes_aliases_and_canary_templates() {
        let (v1, v2) = (deployment("nginx:1"), deployment("nginx:2"));
        let mut record = Record::default();
        let r1 = record.push_revision(&v1, 10);
        let r2 = record.push_revision(&v2, 10);
        // The hash of v1 as read back from a member (server defaults) becomes an alias.
        assert!(record.is_revision(r1, &[&spec_hash(&v1), "read-back-hash"]));
        let mut st = RolloutState::start(None, r2, r1, 0, 2);
        st.folded.insert("west".into());
        record.state = Some(st);
        record.rollout = Some(RolloutSpec {
            name: "web".into(),
            namespace: "default".into(),
            workload: "web".into(),
            steps: vec![crate::rollout::Step {
                replicas: crate::rollout::StepReplicas::Percent(50),
                pause: crate::rollout::Pause::Manual,
            }],
            member_order: vec![],
            settle_seconds: 1,
            max_restarts: 1,
            disabled: false,
        });
        let canary_hash = spec_hash(&canary_template(&v2, "web"));
        let mut view = DeploymentsView {
            rows: vec![
                row("east", "web", "read-back-hash", 2),
                row("east", "web-canary", &canary_hash, 1),
                row("west", "web", &spec_hash(&v2), 3),
                row("north", "web", "unknown", 1),
            ],
            totals: vec![DeploymentTotals {
                namespace: "default".into(),
                name: "web".into(),
                clusters: vec![],
                replicas: 6,
                desired: 6,
                ready: 6,
                up_to_date: 6,
                available: 6,
                pending: 0,
                created: None,
                managed: true,
                generation: Some(1),
                torn: None,
                rollout: None,
            }],
            errors: vec![],
        };
        let records = BTreeMap::from([(("default".to_string(), "web".to_string()), record)]);
        fill_revisions(&mut view, &records);
        let got: Vec<(Option<u64>, Option<u32>)> =
            view.rows.iter().map(|r| (r.revision, r.updated)).collect();
        assert_eq!(
            got,
            vec![
                (Some(r1), Some(0)),
                (Some(r2), Some(1)),
                (Some(r2), Some(3)),
                (None, Some(0)),
            ]
        );
        let summary = view.totals[0].rollout.clone().unwrap();
        assert_eq!(summary.cell(), "1->2 step 1/2");
        assert_eq!(summary.updated, 4);
    }

    #[test]
    fn current_pods_are_the_copys_template_without_canary_or_old_pods() {
        let d = deployment("nginx:2");
        let pod = |name: &str, image: &str, canary: bool| -> Pod {
            let mut labels = json!({"app": "web", "pod-template-hash": "x"});
            if canary {
                labels[LABEL_CANARY_OF] = json!("web");
            }
            serde_json::from_value(json!({
                "metadata": {"name": name, "labels": labels},
                "spec": {"containers": [{"name": "app", "image": image,
                    "imagePullPolicy": "IfNotPresent"}]}
            }))
            .unwrap()
        };
        let pods = vec![
            pod("new", "nginx:2", false),
            pod("old", "nginx:1", false),
            pod("canary", "nginx:2", true),
        ];
        let names: Vec<String> = current_pods(&d, &pods)
            .into_iter()
            .filter_map(|p| p.metadata.name)
            .collect();
        assert_eq!(names, vec!["new".to_string()]);
        // A restart annotation on the template tells the restarted pods apart.
        let mut restarted = d.clone();
        restarted
            .spec
            .template
            .metadata
            .get_or_insert_with(Default::default)
            .annotations
            .get_or_insert_with(Default::default)
            .insert("kubectl.kubernetes.io/restartedAt".into(), "now".into());
        assert!(current_pods(&restarted, &pods).is_empty());
    }

    #[test]
    fn the_newest_record_is_the_highest_generation_then_seq() {
        let read = |generation: u64, seq: u64| -> Result<MemberRead, MemberError> {
            Ok(MemberRead {
                record: Some(Record {
                    generation,
                    seq,
                    ..Default::default()
                }),
                ..Default::default()
            })
        };
        // A member that a writer with a lost lock wrote last (higher seq, older generation)
        // does not win over the writer that took over.
        let reads = BTreeMap::from([
            ("a".to_string(), read(3, 10)),
            ("b".to_string(), read(4, 2)),
            ("c".to_string(), Err(MemberError::Other("down".into()))),
        ]);
        assert_eq!(newest(&reads).map(|r| r.version()), Some((4, 2)));
    }
}
