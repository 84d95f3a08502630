//! Planning: for each workload, find its policy, estimate every member's capacity for one
//! replica of its pod template, and divide the replicas with the engine. The result,
//! [`FleetPlan`], is plain data: `-o json` prints it (schema in docs/plan-json.md) and
//! [`super::apply`] executes it, however it was computed (plan, scale, drain, rebalance).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::api::apps::v1::Deployment;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::FleetError;
use super::membership::Fleet;
use super::read::{DeploymentState, MemberSnapshot};
use super::state;
use crate::capacity::{self, EstimateOptions, PodRequirements};
use crate::policy::{self, Document, MemberInfo, PropagationPolicy};
use crate::schedule::{self, ClusterState, Mode, PlacementInput};

/// The plan for every workload of one invocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FleetPlan {
    pub workloads: Vec<WorkloadPlan>,
    pub warnings: Vec<String>,
}

/// The plan of one workload.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkloadPlan {
    /// Always `Deployment` for now.
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Fleet-wide total replicas.
    pub replicas: u32,
    /// `namespace/name` of the policy (`name` alone for a ClusterPropagationPolicy).
    pub policy: String,
    pub placements: Vec<Placement>,
    pub unplaced: u32,
    pub unplaced_reason: Option<String>,
    /// The member copies disagree (docs/state.md, "Torn fleets"): what each says. Applying
    /// the plan repairs it (every copy is written with one generation, total and placement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub torn: Option<String>,
    /// What holds for the whole workload (a capacity tier switched off, and why): the table
    /// says it once under the rows instead of on every row (not in JSON: the row reasons
    /// there keep their full text).
    #[serde(skip)]
    pub notes: Vec<PlanNote>,
    /// What apply needs and JSON does not show.
    #[serde(skip)]
    pub apply: ApplySpec,
}

/// A fact about the whole workload, shown once under its plan table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanNote {
    /// The sentence under the table.
    pub text: String,
    /// The part (between `; `) of the row reasons that says the same for one member; tables
    /// leave it out of the rows.
    pub row_part: Option<String>,
}

impl PlanNote {
    /// The row reason without the parts this workload's notes already say.
    pub fn strip<'a>(notes: &[PlanNote], reason: &'a str) -> std::borrow::Cow<'a, str> {
        let drop = |part: &str| notes.iter().any(|n| n.row_part.as_deref() == Some(part));
        if !reason.split("; ").any(drop) {
            return std::borrow::Cow::Borrowed(reason);
        }
        std::borrow::Cow::Owned(
            reason
                .split("; ")
                .filter(|p| !drop(p))
                .collect::<Vec<_>>()
                .join("; "),
        )
    }
}

/// One cluster's row of a workload plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    pub cluster: String,
    /// Priority group (affinity name) the cluster belongs to for this workload.
    pub group: String,
    /// Replicas the member's copy has now.
    pub current: u32,
    /// Replicas the member's copy should have.
    pub desired: u32,
    /// Estimated room for more replicas, per tier.
    pub capacity: Tiers,
    /// Which tiers the desired replicas come from.
    pub tiers: Tiers,
    pub reason: String,
    /// Pending replicas of the current copy (not serialized).
    #[serde(skip)]
    pub pending: u32,
    /// The member could not be read.
    #[serde(skip)]
    pub unreachable: bool,
    /// The member is cordoned.
    #[serde(skip)]
    pub cordoned: bool,
    /// The policy does not select the member for this workload and it holds no copy: the
    /// default table leaves the row out (a note names such members).
    #[serde(skip)]
    pub unselected: bool,
}

impl Placement {
    /// desired - current.
    pub fn delta(&self) -> i64 {
        i64::from(self.desired) - i64::from(self.current)
    }
}

/// Counts per capacity tier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tiers {
    pub idle: u32,
    pub preemptible: u32,
    pub elastic: u32,
}

impl Tiers {
    pub fn total(&self) -> u32 {
        self.idle + self.preemptible + self.elastic
    }
}

/// How an existing same-named Deployment that kubectl-fleet does not manage is treated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConflictResolution {
    /// Leave it alone and fail for that member (default).
    #[default]
    Abort,
    /// Adopt it (annotation `fleet.kubectl.dev/adopted: "true"`).
    Overwrite,
}

/// What apply writes besides replica counts: the template and the recorded policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplySpec {
    /// The Deployment to propagate (its `spec.replicas` is replaced per member).
    pub deployment: Deployment,
    /// Compact policy document stored in annotation `fleet.kubectl.dev/policy`.
    pub policy_json: String,
    /// From the policy (`conflictResolution`).
    pub conflict_resolution: ConflictResolution,
    /// From the policy (`preserveResourcesOnDeletion`).
    pub preserve_resources_on_deletion: bool,
    /// Engine explanation lines (shown by `plan`).
    pub explanation: Vec<String>,
    /// Hash of the propagated template (annotation `fleet.kubectl.dev/spec-hash`).
    pub spec_hash: String,
    /// Member order for scale-in: lowest priority first (reverse of group order).
    pub scale_in_order: Vec<String>,
    /// The `Rollout` given with `-f` for this Deployment (its steps apply to template
    /// changes; see [`super::rollout`]).
    pub rollout: Option<crate::rollout::RolloutSpec>,
    /// Per member, a template that replaces `deployment` on that member (a rollout keeps the
    /// stable template on some members and the new one on others).
    pub member_templates: BTreeMap<String, Deployment>,
    /// Annotation `fleet.kubectl.dev/placement` when it differs from the placements' desired
    /// counts (a rollout splits members' replicas between the copy and its canary).
    pub recorded_placement: Option<BTreeMap<String, u32>>,
    /// The template was read back from a member copy (scale, rebalance, drain, reconcile):
    /// it never starts a new revision; the rollout's recorded templates are used.
    pub from_members: bool,
}

impl ApplySpec {
    /// The template written to `cluster`.
    pub fn deployment_for(&self, cluster: &str) -> &Deployment {
        self.member_templates
            .get(cluster)
            .unwrap_or(&self.deployment)
    }
}

impl WorkloadPlan {
    /// `{"cluster": desired}` of clusters with desired > 0 (annotation `fleet.kubectl.dev/placement`).
    pub fn placement_map(&self) -> BTreeMap<String, u32> {
        self.placements
            .iter()
            .filter(|p| p.desired > 0)
            .map(|p| (p.cluster.clone(), p.desired))
            .collect()
    }

    /// True when applying would change any replica count.
    pub fn changes_replicas(&self) -> bool {
        self.placements.iter().any(|p| p.desired != p.current)
    }

    /// The replica changes this plan makes to member copies.
    pub fn change(&self) -> PlanChange {
        let mut c = PlanChange::default();
        let (mut added, mut removed) = (0u64, 0u64);
        for p in &self.placements {
            match (p.current, p.desired) {
                (a, b) if a == b => {}
                (0, _) => c.create += 1,
                (_, 0) => c.delete += 1,
                _ => c.configure += 1,
            }
            added += u64::from(p.desired.saturating_sub(p.current));
            removed += u64::from(p.current.saturating_sub(p.desired));
        }
        c.workloads = u32::from(added + removed > 0);
        c.moved = added.min(removed);
        c.added = added;
        c.removed = removed;
        c
    }
}

/// Size of the replica changes of a plan (what the confirmation prompt and the summaries
/// state): copies to create (0 → n), configure (n → m) and delete (n → 0), replicas added and
/// removed, and how many of them move between members of one workload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanChange {
    /// Workloads whose replica placement changes.
    pub workloads: u32,
    pub create: u32,
    pub configure: u32,
    pub delete: u32,
    pub added: u64,
    pub removed: u64,
    /// Σ over workloads of min(added, removed): replicas that leave one member for another.
    pub moved: u64,
}

impl std::ops::AddAssign for PlanChange {
    fn add_assign(&mut self, o: PlanChange) {
        self.workloads += o.workloads;
        self.create += o.create;
        self.configure += o.configure;
        self.delete += o.delete;
        self.added += o.added;
        self.removed += o.removed;
        self.moved += o.moved;
    }
}

impl FleetPlan {
    /// Sum of unplaced replicas (exit code 3 when > 0).
    pub fn unplaced(&self) -> u32 {
        self.workloads.iter().map(|w| w.unplaced).sum()
    }

    /// The replica changes of every workload together.
    pub fn change(&self) -> PlanChange {
        let mut c = PlanChange::default();
        for w in &self.workloads {
            c += w.change();
        }
        c
    }
}

/// Largest `-f` file accepted (a member's API server refuses objects far smaller: etcd's
/// limit is 1.5 MiB), so a stray 10 MB file fails fast instead of being parsed.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// Deployments and policies read from `-f` files, with each policy's original document (it is
/// stored on the member copies so that later commands can re-plan from the members alone).
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    pub deployments: Vec<Deployment>,
    pub policies: Vec<PropagationPolicy>,
    /// The JSON document of `policies[i]`.
    pub policy_documents: Vec<Value>,
    /// Fleet autoscalers (HorizontalPodAutoscaler / FederatedHPA documents).
    pub autoscalers: Vec<crate::policy::AutoscalerDocument>,
    /// Parser warnings (unknown fields, skipped kinds), one line each.
    pub warnings: Vec<String>,
    /// `rollouts.kruise.io/v1beta1` Rollouts.
    pub rollouts: Vec<crate::rollout::RolloutSpec>,
}

impl Inputs {
    /// Parses a multi-document YAML/JSON text (`source` names it in messages).
    pub fn parse(text: &str, source: &str) -> Result<Inputs, FleetError> {
        let docs =
            policy::parse_documents(text, source).map_err(|e| FleetError::Input(e.to_string()))?;
        let raw: Vec<Value> = serde_saphyr::from_multiple::<Value>(text).unwrap_or_default();
        let mut out = Inputs::default();
        for doc in docs {
            for w in doc.warnings() {
                out.warnings.push(w.to_string());
            }
            match doc {
                Document::Deployment(d) => out.deployments.push(*d),
                Document::Policy(p) => {
                    let document = raw
                        .iter()
                        .find(|v| {
                            v["kind"].as_str() == Some(p.kind())
                                && v["metadata"]["name"].as_str() == Some(p.name.as_str())
                                && (p.cluster_scoped
                                    || v["metadata"]["namespace"].as_str()
                                        == p.namespace.as_deref())
                        })
                        .map(clean_policy_document)
                        .unwrap_or(Value::Null);
                    out.policies.push(*p);
                    out.policy_documents.push(document);
                }
                Document::Skipped {
                    api_version,
                    kind,
                    name,
                    ..
                } if kind == "Rollout"
                    && api_version.split('/').next() == Some(crate::rollout::spec::GROUP) =>
                {
                    // Not skipped after all: drop the "skipped" warning pushed above.
                    out.warnings.pop();
                    let doc = raw
                        .iter()
                        .find(|v| {
                            v["kind"].as_str() == Some("Rollout")
                                && v["metadata"]["name"].as_str() == Some(name.as_str())
                        })
                        .cloned()
                        .unwrap_or(Value::Null);
                    let (r, warnings) = crate::rollout::parse_rollout(&doc, source)
                        .map_err(|e| FleetError::Input(e.to_string()))?;
                    out.warnings.extend(warnings);
                    out.rollouts.push(r);
                }
                Document::Autoscaler(a) => out.autoscalers.push(*a),
                Document::Skipped { .. } => {}
            }
        }
        Ok(out)
    }

    /// Reads files and directories (`*.yaml`, `*.yml`, `*.json`, sorted; `-` = stdin).
    /// Files larger than [`MAX_INPUT_BYTES`] are refused before they are read.
    pub fn read_paths(paths: &[PathBuf]) -> Result<Inputs, FleetError> {
        let mut out = Inputs::default();
        for path in paths {
            if path.as_os_str() == "-" {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                    .map_err(|e| FleetError::Input(format!("stdin: {e}")))?;
                out.extend(Inputs::parse(&text, "stdin")?);
            } else if path.is_dir() {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| FleetError::Input(format!("{}: {e}", path.display())))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| {
                        p.is_file()
                            && matches!(
                                p.extension().and_then(|e| e.to_str()),
                                Some("yaml" | "yml" | "json")
                            )
                    })
                    .collect();
                files.sort();
                for f in files {
                    out.extend(Inputs::read_file(&f)?);
                }
            } else {
                out.extend(Inputs::read_file(path)?);
            }
        }
        Ok(out)
    }

    fn read_file(path: &Path) -> Result<Inputs, FleetError> {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.len() > MAX_INPUT_BYTES {
                return Err(FleetError::Input(format!(
                    "{}: file is {:.1} MiB, larger than the {} MiB limit of an input file",
                    path.display(),
                    meta.len() as f64 / (1024.0 * 1024.0),
                    MAX_INPUT_BYTES / (1024 * 1024)
                )));
            }
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            FleetError::Input(format!(
                "{}: {}",
                path.display(),
                super::error::one_line(e).to_lowercase()
            ))
        })?;
        Inputs::parse(&text, &path.display().to_string())
    }

    /// Puts the objects that name no namespace into `namespace`, as kubectl does with `-n`
    /// or the context's namespace. With `explicit` (`-n` given), an object that names another
    /// namespace is an error naming the object, as in kubectl.
    pub fn default_namespace(&mut self, namespace: &str, explicit: bool) -> Result<(), FleetError> {
        let mismatch = |kind: &str, name: &str, own: &str| {
            FleetError::Input(format!(
                "{kind} {name}: the namespace from the manifest {own:?} does not match the namespace {namespace:?}; pass --namespace={own} or remove -n"
            ))
        };
        for d in &mut self.deployments {
            match d.metadata.namespace.as_deref().filter(|n| !n.is_empty()) {
                None => d.metadata.namespace = Some(namespace.to_string()),
                Some(own) if explicit && own != namespace => {
                    let name = d.metadata.name.clone().unwrap_or_default();
                    return Err(mismatch("deployment", &name, own));
                }
                Some(_) => {}
            }
        }
        for (p, doc) in self
            .policies
            .iter_mut()
            .zip(self.policy_documents.iter_mut())
        {
            if p.cluster_scoped {
                continue;
            }
            match p.namespace.as_deref().filter(|n| !n.is_empty()) {
                None => {
                    p.namespace = Some(namespace.to_string());
                    if let Some(meta) = doc.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.insert("namespace".into(), Value::String(namespace.to_string()));
                    }
                }
                Some(own) if explicit && own != namespace => {
                    return Err(mismatch(p.kind(), &p.name, own));
                }
                Some(_) => {}
            }
        }
        for a in &mut self.autoscalers {
            if !a.namespace_given {
                a.set_namespace(namespace);
            } else if explicit && a.spec.namespace != namespace {
                let own = a.spec.namespace.clone();
                return Err(mismatch(a.spec.kind.kind(), &a.spec.name, &own));
            }
        }
        Ok(())
    }

    /// Appends another set of inputs.
    pub fn extend(&mut self, other: Inputs) {
        self.deployments.extend(other.deployments);
        self.policies.extend(other.policies);
        self.policy_documents.extend(other.policy_documents);
        self.autoscalers.extend(other.autoscalers);
        self.warnings.extend(other.warnings);
        self.rollouts.extend(other.rollouts);
    }
}

/// Keeps apiVersion, kind, metadata {name, namespace, labels} and spec.
fn clean_policy_document(v: &Value) -> Value {
    let mut meta = serde_json::Map::new();
    for k in ["name", "namespace", "labels"] {
        if let Some(x) = v["metadata"].get(k) {
            meta.insert(k.to_string(), x.clone());
        }
    }
    serde_json::json!({
        "apiVersion": v["apiVersion"],
        "kind": v["kind"],
        "metadata": meta,
        "spec": v.get("spec").cloned().unwrap_or(Value::Null),
    })
}

/// Reads the policy stored in annotation `fleet.kubectl.dev/policy` of a member copy.
pub fn stored_policy(text: &str, source: &str) -> Result<(PropagationPolicy, Value), FleetError> {
    let docs =
        policy::parse_documents(text, source).map_err(|e| FleetError::Input(e.to_string()))?;
    let raw: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    docs.into_iter()
        .find_map(|d| match d {
            Document::Policy(p) => Some((*p, raw.clone())),
            _ => None,
        })
        .ok_or_else(|| FleetError::Input(format!("{source}: no policy document")))
}

/// Options of [`plan_with`] (rebalance and drain use other modes).
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    pub mode: Mode,
    /// Members being drained: no new replicas, existing ones moved away.
    pub draining: Vec<String>,
}

/// Plans every input Deployment (see the module docs); policies that select none of the
/// input Deployments re-place the managed Deployments they select that are already in the fleet.
pub fn plan(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    inputs: &Inputs,
) -> Result<FleetPlan, FleetError> {
    plan_with(fleet, snapshots, inputs, &PlanOptions::default())
}

/// [`plan`] with a scheduling mode.
pub fn plan_with(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    inputs: &Inputs,
    opts: &PlanOptions,
) -> Result<FleetPlan, FleetError> {
    let mut out = FleetPlan {
        workloads: Vec::new(),
        warnings: inputs.warnings.clone(),
    };
    push_member_warnings(snapshots, &mut out.warnings);
    let members = member_infos(fleet, snapshots);
    let mut validated = vec![false; inputs.policies.len()];
    let mut used = vec![false; inputs.policies.len()];
    let mut seen = std::collections::BTreeSet::new();
    for d in &inputs.deployments {
        let d = clean_deployment(d);
        let key = (
            namespace_of(&d),
            d.metadata.name.clone().unwrap_or_default(),
        );
        if !seen.insert(key.clone()) {
            return Err(FleetError::Input(format!(
                "deployment {}/{} is given twice",
                key.0, key.1
            )));
        }
        let Some(policy) = policy::select_policy(&inputs.policies, &d) else {
            return Err(FleetError::Input(format!(
                "deployment {}/{}: no PropagationPolicy or ClusterPropagationPolicy selects it (give one with -f)",
                key.0, key.1
            )));
        };
        let pi = inputs
            .policies
            .iter()
            .position(|p| std::ptr::eq(p, policy))
            .expect("selected from the list");
        used[pi] = true;
        if !validated[pi] {
            validate(policy, &members, &mut out.warnings)?;
            validated[pi] = true;
        }
        let total = policy::deployment_replicas(&d);
        let hash = super::apply::spec_hash(&d);
        let mut wp = plan_workload(
            snapshots,
            &d,
            policy,
            &inputs.policy_documents[pi],
            total,
            hash,
            opts,
        )?;
        wp.apply.rollout = inputs
            .rollouts
            .iter()
            .find(|r| r.namespace == key.0 && r.workload == key.1)
            .cloned();
        if let Some(t) = super::torn::torn_in(snapshots, &key.0, &key.1) {
            out.warnings.push(format!(
                "deployment {}/{} is torn: {}; repairing with the applied plan (total {total})",
                key.0,
                key.1,
                t.describe()
            ));
            wp.torn = Some(t.describe());
        }
        out.workloads.push(wp);
    }
    for r in &inputs.rollouts {
        if !seen.contains(&(r.namespace.clone(), r.workload.clone())) {
            return Err(FleetError::Input(format!(
                "Rollout {}: its Deployment {}/{} is not among the inputs (give it with -f)",
                r.key(),
                r.namespace,
                r.workload
            )));
        }
    }
    // Policies alone: re-place the managed Deployments they select.
    let managed = managed_workloads(snapshots);
    for (pi, policy) in inputs.policies.iter().enumerate() {
        if used[pi] {
            continue;
        }
        let mut any = false;
        for w in &managed {
            if seen.contains(&(w.namespace.clone(), w.name.clone())) {
                continue;
            }
            let d = clean_deployment(&w.object);
            let chosen = policy::select_policy(&inputs.policies, &d);
            if !chosen.is_some_and(|c| std::ptr::eq(c, policy)) {
                continue;
            }
            any = true;
            if !validated[pi] {
                validate(policy, &members, &mut out.warnings)?;
                validated[pi] = true;
            }
            seen.insert((w.namespace.clone(), w.name.clone()));
            let total = w.total_replicas.unwrap_or_else(|| w.replicas.max(0) as u32);
            let hash = w
                .spec_hash
                .clone()
                .unwrap_or_else(|| super::apply::spec_hash(&d));
            let mut pw = plan_workload(
                snapshots,
                &d,
                policy,
                &inputs.policy_documents[pi],
                total,
                hash,
                opts,
            )?;
            pw.apply.from_members = true;
            out.workloads.push(pw);
        }
        if !any {
            out.warnings.push(format!(
                "{} {}: selects no given Deployment and no Deployment managed in the fleet",
                policy.kind(),
                policy_name(policy)
            ));
        }
    }
    Ok(out)
}

/// Re-plans a managed Deployment from what its member copies record (stored policy, template,
/// total replicas), optionally with a new total: `scale`, `rebalance`, `drain`.
pub fn plan_managed(
    fleet: &Fleet,
    snapshots: &[MemberSnapshot],
    namespace: &str,
    name: &str,
    replicas: Option<u32>,
    opts: &PlanOptions,
) -> Result<FleetPlan, FleetError> {
    let managed = managed_workloads(snapshots);
    let Some(w) = managed
        .iter()
        .find(|w| w.namespace == namespace && w.name == name)
    else {
        let unreachable: Vec<&str> = snapshots
            .iter()
            .filter(|s| s.result.is_err())
            .map(|s| s.name.as_str())
            .collect();
        let line = format!(
            "deployment {namespace}/{name} is not managed by kubectl-fleet in any reachable member"
        );
        // With members unreachable the copies may be there: a runtime condition (exit 1),
        // not bad input (exit 2).
        return Err(if unreachable.is_empty() {
            FleetError::Input(line)
        } else {
            FleetError::Runtime(format!("{line} (unreachable: {})", unreachable.join(", ")))
        });
    };
    let source = format!(
        "annotation {} of deployment {namespace}/{name}",
        state::ANN_POLICY
    );
    let text = w
        .policy
        .as_deref()
        .ok_or_else(|| FleetError::Input(format!("{source}: missing")))?;
    let (policy, doc) = stored_policy(text, &source)?;
    let mut out = FleetPlan::default();
    push_member_warnings(snapshots, &mut out.warnings);
    validate(&policy, &member_infos(fleet, snapshots), &mut out.warnings)?;
    let d = clean_deployment(&w.object);
    let total = replicas
        .or(w.total_replicas)
        .unwrap_or_else(|| w.replicas.max(0) as u32);
    let hash = w
        .spec_hash
        .clone()
        .unwrap_or_else(|| super::apply::spec_hash(&d));
    let mut wp = plan_workload(snapshots, &d, &policy, &doc, total, hash, opts)?;
    if let Some(t) = super::torn::torn_in(snapshots, namespace, name) {
        let how = match replicas {
            Some(r) if Some(r) != t.newest().total => {
                format!("repairing with the new plan (total {r})")
            }
            _ => format!(
                "repairing to generation {}'s plan (total {total})",
                t.newest().generation
            ),
        };
        let line = format!("deployment {namespace}/{name} is torn: {}", t.describe());
        out.warnings.push(format!("{line}; {how}"));
        wp.torn = Some(t.describe());
    }
    wp.apply.from_members = true;
    out.workloads.push(wp);
    Ok(out)
}

/// One managed workload as seen across members (the first reachable copy that records it).
pub fn managed_workloads(snapshots: &[MemberSnapshot]) -> Vec<DeploymentState> {
    let mut out: Vec<DeploymentState> = Vec::new();
    for s in snapshots {
        let Ok(st) = &s.result else { continue };
        for d in st.deployments.iter().filter(|d| d.managed) {
            match out
                .iter_mut()
                .find(|o| o.namespace == d.namespace && o.name == d.name)
            {
                // Prefer a copy that records the policy, then the newest generation (the
                // intent a torn fleet is repaired to).
                Some(o)
                    if (d.policy.is_some(), d.generation.unwrap_or(0))
                        > (o.policy.is_some(), o.generation.unwrap_or(0)) =>
                {
                    *o = d.clone()
                }
                Some(_) => {}
                None => out.push(d.clone()),
            }
        }
    }
    out.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    out
}

fn policy_name(p: &PropagationPolicy) -> String {
    match p.effective_namespace() {
        Some(ns) => format!("{ns}/{}", p.name),
        None => p.name.clone(),
    }
}

fn namespace_of(d: &Deployment) -> String {
    d.metadata
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

fn push_member_warnings(snapshots: &[MemberSnapshot], warnings: &mut Vec<String>) {
    for s in snapshots {
        match &s.result {
            Ok(st) => warnings.extend(st.warnings.iter().cloned()),
            Err(e) => warnings.push(format!(
                "{}: {e}: it gets no new replicas and its recorded replicas are kept",
                s.name
            )),
        }
    }
}

fn member_infos(fleet: &Fleet, snapshots: &[MemberSnapshot]) -> Vec<MemberInfo> {
    fleet
        .members
        .iter()
        .map(|m| MemberInfo {
            name: m.name.clone(),
            labels: snapshots
                .iter()
                .find(|s| s.name == m.name)
                .and_then(|s| s.state())
                .map(|st| st.labels.clone())
                .unwrap_or_else(|| m.labels.clone()),
        })
        .collect()
}

fn validate(
    policy: &PropagationPolicy,
    members: &[MemberInfo],
    warnings: &mut Vec<String>,
) -> Result<(), FleetError> {
    for w in &policy.warnings {
        warnings.push(w.to_string());
    }
    let found = policy
        .validate(members)
        .map_err(|e| FleetError::Input(e.to_string()))?;
    warnings.extend(found.iter().map(|w| w.to_string()));
    Ok(())
}

/// The Deployment as it is propagated: namespace defaulted, status and server metadata
/// dropped, fleet label/annotations removed (they are re-added per member).
pub fn clean_deployment(d: &Deployment) -> Deployment {
    let mut labels = d.metadata.labels.clone().unwrap_or_default();
    labels.remove(state::MANAGED_BY_LABEL);
    let annotations: BTreeMap<String, String> = d
        .metadata
        .annotations
        .clone()
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| {
            !k.starts_with("fleet.kubectl.dev/")
                && k != "kubectl.kubernetes.io/last-applied-configuration"
                && k != "deployment.kubernetes.io/revision"
        })
        .collect();
    let mut out = Deployment {
        metadata: Default::default(),
        spec: d.spec.clone(),
        status: None,
    };
    out.metadata.name = d.metadata.name.clone();
    out.metadata.namespace = Some(namespace_of(d));
    out.metadata.labels = (!labels.is_empty()).then_some(labels);
    out.metadata.annotations = (!annotations.is_empty()).then_some(annotations);
    out
}

/// Label the simulator (and kubectl-fleet's docs) put on nodes an elastic pool added.
pub const NODE_POOL_LABEL: &str = "fleet.kubectl.dev/node-pool";

/// The workload's running pods on nodes an elastic pool added: nodes labelled
/// [`NODE_POOL_LABEL`], or carrying every label of one of the member's pools.
fn elastic_replicas(st: &super::read::MemberState, own: &capacity::OwnPods) -> u32 {
    let pool_nodes: std::collections::HashSet<&str> = st
        .snapshot
        .nodes
        .iter()
        .filter(|n| {
            n.labels.contains_key(NODE_POOL_LABEL)
                || st.snapshot.pools.iter().any(|p| {
                    !p.labels.is_empty() && p.labels.iter().all(|(k, v)| n.labels.get(k) == Some(v))
                })
        })
        .map(|n| n.name.as_str())
        .collect();
    if pool_nodes.is_empty() {
        return 0;
    }
    st.snapshot
        .pods
        .iter()
        .filter(|p| !p.phase.is_terminal() && own.matches(p))
        .filter(|p| {
            p.node_name
                .as_deref()
                .is_some_and(|n| pool_nodes.contains(n))
        })
        .count() as u32
}

/// The notes of the capacity tiers a workload may not use (docs/policy.md, "Capacity tiers"),
/// with the row-reason part of `capacity::estimate` each one replaces.
fn tier_notes(
    tiers: policy::EnabledTiers,
    pod: &k8s_openapi::api::core::v1::PodSpec,
) -> Vec<PlanNote> {
    let mut notes = Vec::new();
    if !tiers.preemptible {
        let why = if pod.preemption_policy.as_deref() == Some("Never") {
            "the pod template sets preemptionPolicy: Never"
        } else {
            "the pod template has no priorityClassName and the policy does not set preemption: Always"
        };
        notes.push(PlanNote {
            text: format!("Preemptible tier off: {why}."),
            row_part: Some("0 preemptible: preemption not enabled for this workload".into()),
        });
    }
    if !tiers.elastic {
        notes.push(PlanNote {
            text: "Elastic tier off: the policy does not set autoScaling.ecsProvision: true."
                .into(),
            row_part: Some("0 elastic: elastic provisioning not enabled".into()),
        });
    }
    notes
}

#[allow(clippy::too_many_arguments)]
fn plan_workload(
    snapshots: &[MemberSnapshot],
    d: &Deployment,
    policy: &PropagationPolicy,
    policy_doc: &Value,
    total: u32,
    spec_hash: String,
    opts: &PlanOptions,
) -> Result<WorkloadPlan, FleetError> {
    let namespace = namespace_of(d);
    let name = d.metadata.name.clone().unwrap_or_default();
    let wkey = format!("{namespace}/{name}");
    let template = d.spec.template.spec.clone().unwrap_or_default();
    let req = PodRequirements::from_pod_spec(&template)
        .map_err(|e| FleetError::Input(format!("deployment {wkey}: spec.template.spec.{e}")))?;
    let tiers = policy::EnabledTiers::for_workload(policy, d);
    let own = d.spec.selector.match_labels.clone().unwrap_or_default();
    let est_opts = EstimateOptions {
        own_pods: if own.is_empty() {
            capacity::OwnPods::None
        } else {
            capacity::OwnPods::Labels {
                namespace: namespace.clone(),
                labels: own,
            }
        },
        priority: None,
        preemption: tiers.preemptible,
        elastic: tiers.elastic,
    };
    // Recorded placement (from any reachable managed copy) gives the current replicas of
    // members that cannot be read.
    // (The newest generation's record, when copies disagree.)
    let recorded: BTreeMap<String, u32> = snapshots
        .iter()
        .filter_map(|s| s.state())
        .filter_map(|st| st.deployment(&namespace, &name))
        .filter(|c| c.managed && c.placement.is_some())
        .max_by_key(|c| c.generation.unwrap_or(0))
        .and_then(|c| c.placement.clone())
        .unwrap_or_default();
    let mut clusters = Vec::new();
    let mut reasons: BTreeMap<String, String> = BTreeMap::new();
    let mut flags: BTreeMap<String, (u32, bool, bool)> = BTreeMap::new();
    for s in snapshots {
        let mut cs = ClusterState {
            name: s.name.clone(),
            draining: opts.draining.contains(&s.name),
            ..Default::default()
        };
        match &s.result {
            Ok(st) => {
                cs.labels = st.labels.clone();
                cs.cordoned = st.cordon.cordoned;
                if let Some(copy) = st.deployment(&namespace, &name).filter(|c| c.managed) {
                    cs.current = copy.replicas.max(0) as u32;
                    cs.pending = (copy.pending.max(0) as u32).min(cs.current);
                    cs.current_elastic = elastic_replicas(st, &est_opts.own_pods).min(cs.current);
                }
                let e = capacity::estimate(&req, &st.snapshot, &est_opts);
                cs.capacity = schedule::Tiers::new(e.idle, e.preemptible, e.elastic);
                let why: Vec<String> = [e.idle_reason, e.preemptible_reason, e.elastic_reason]
                    .into_iter()
                    .flatten()
                    .collect();
                if !why.is_empty() {
                    reasons.insert(s.name.clone(), why.join("; "));
                }
            }
            Err(e) => {
                cs.reachable = false;
                cs.current = recorded.get(&s.name).copied().unwrap_or(0);
                reasons.insert(s.name.clone(), e.unreachable_reason());
            }
        }
        flags.insert(s.name.clone(), (cs.pending, !cs.reachable, cs.cordoned));
        clusters.push(cs);
    }
    let input = PlacementInput::for_workload(policy, d, clusters)
        .with_replicas(total)
        .with_mode(opts.mode);
    let placed = schedule::place(&input);
    let placements: Vec<Placement> = placed
        .clusters
        .iter()
        .map(|c| {
            let (pending, unreachable, cordoned) =
                flags.get(&c.cluster).copied().unwrap_or_default();
            let mut reason = c.reason.clone();
            if let Some(extra) = reasons.get(&c.cluster) {
                if c.desired < c.current || c.desired == 0 || unreachable {
                    if reason.is_empty() {
                        reason = extra.clone();
                    } else if !reason.contains(extra.as_str()) {
                        reason = format!("{reason}; {extra}");
                    }
                }
            }
            Placement {
                cluster: c.cluster.clone(),
                group: c.group_name.clone().unwrap_or_default(),
                current: c.current,
                desired: c.desired,
                capacity: Tiers {
                    idle: c.capacity.idle,
                    preemptible: c.capacity.preemptible,
                    elastic: c.capacity.elastic,
                },
                tiers: Tiers {
                    idle: c.tiers.idle,
                    preemptible: c.tiers.preemptible,
                    elastic: c.tiers.elastic,
                },
                reason,
                pending,
                unreachable,
                cordoned,
                unselected: c.group.is_none() && c.current == 0 && c.desired == 0,
            }
        })
        .collect();
    // Rows the engine orders by group then name; keep that (highest priority first).
    let scale_in_order: Vec<String> = placements.iter().rev().map(|p| p.cluster.clone()).collect();
    Ok(WorkloadPlan {
        kind: "Deployment".to_string(),
        namespace,
        name,
        replicas: total,
        policy: policy_name(policy),
        placements,
        unplaced: placed.unplaced,
        unplaced_reason: placed.unplaced_reason.clone(),
        torn: None,
        notes: tier_notes(tiers, &template),
        apply: ApplySpec {
            deployment: d.clone(),
            policy_json: if policy_doc.is_null() {
                String::new()
            } else {
                serde_json::to_string(policy_doc).unwrap_or_default()
            },
            conflict_resolution: match policy.spec.conflict_resolution {
                policy::ConflictResolution::Overwrite => ConflictResolution::Overwrite,
                _ => ConflictResolution::Abort,
            },
            preserve_resources_on_deletion: policy.spec.preserve_resources_on_deletion,
            explanation: placed.explanation.clone(),
            scale_in_order,
            spec_hash,
            ..Default::default()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_json_has_the_documented_shape() {
        let plan = FleetPlan {
            workloads: vec![WorkloadPlan {
                kind: "Deployment".into(),
                namespace: "default".into(),
                name: "qwen3-8b".into(),
                replicas: 4,
                policy: "default/qwen".into(),
                placements: vec![Placement {
                    cluster: "c1".into(),
                    group: "ack-region1".into(),
                    current: 0,
                    desired: 3,
                    capacity: Tiers {
                        idle: 3,
                        preemptible: 0,
                        elastic: 0,
                    },
                    tiers: Tiers {
                        idle: 3,
                        preemptible: 0,
                        elastic: 0,
                    },
                    reason: "idle".into(),
                    // Table-only facts are not part of the JSON document.
                    unselected: true,
                    ..Default::default()
                }],
                unplaced: 1,
                unplaced_reason: None,
                torn: None,
                notes: vec![PlanNote {
                    text: "Elastic tier off.".into(),
                    row_part: None,
                }],
                apply: ApplySpec::default(),
            }],
            warnings: vec![],
        };
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(
            json,
            r#"{"workloads":[{"kind":"Deployment","namespace":"default","name":"qwen3-8b","replicas":4,"policy":"default/qwen","placements":[{"cluster":"c1","group":"ack-region1","current":0,"desired":3,"capacity":{"idle":3,"preemptible":0,"elastic":0},"tiers":{"idle":3,"preemptible":0,"elastic":0},"reason":"idle"}],"unplaced":1,"unplacedReason":null}],"warnings":[]}"#
        );
    }

    fn row(cluster: &str, current: u32, desired: u32) -> Placement {
        Placement {
            cluster: cluster.into(),
            current,
            desired,
            ..Default::default()
        }
    }

    #[test]
    fn change_counts_copies_and_replicas_moved_between_members() {
        let w = WorkloadPlan {
            placements: vec![
                row("a", 0, 3),
                row("b", 2, 4),
                row("c", 3, 0),
                row("d", 1, 1),
            ],
            ..Default::default()
        };
        assert_eq!(
            w.change(),
            PlanChange {
                workloads: 1,
                create: 1,
                configure: 1,
                delete: 1,
                added: 5,
                removed: 3,
                moved: 3,
            }
        );
        let same = WorkloadPlan {
            placements: vec![row("a", 2, 2)],
            ..Default::default()
        };
        let plan = FleetPlan {
            workloads: vec![w, same],
            warnings: vec![],
        };
        assert_eq!(plan.change().workloads, 1);
        assert_eq!(plan.change().create, 1);
    }

    #[test]
    fn notes_strip_their_part_from_row_reasons_only() {
        let notes = [PlanNote {
            text: "Elastic tier off.".into(),
            row_part: Some("0 elastic: elastic provisioning not enabled".into()),
        }];
        assert_eq!(
            PlanNote::strip(
                &notes,
                "not needed; 0 elastic: elastic provisioning not enabled"
            ),
            "not needed"
        );
        assert_eq!(
            PlanNote::strip(&notes, "0 elastic: pool gpu: inventory 0"),
            "0 elastic: pool gpu: inventory 0"
        );
    }
}
