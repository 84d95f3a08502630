//! `diff -f`: for every member copy a plan touches, the live object and the object the member
//! would hold after `apply`, like `kubectl diff` (which compares the live object with the
//! result of a server-side dry-run apply). The planned object comes from a server-side
//! dry-run apply of the exact body `apply` would send ([`super::apply::copy_body`]), so the
//! member's defaulting is on both sides and only real changes show; a copy the plan removes
//! has no planned object, a copy it creates no live one. Nothing is written.
//!
//! Both sides leave out what every write changes or that is not the user's:
//! `metadata.managedFields`, `resourceVersion`, `generation`, `uid`, `creationTimestamp`, the
//! write lock's generation annotation (`fleet.kubectl.dev/generation`) and `status`.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::Deployment;
use kube::api::{Api, Patch, PatchParams};
use serde_json::Value;

use super::apply::copy_body;
use super::error::MemberError;
use super::membership::Fleet;
use super::plan::FleetPlan;
use super::state;

/// One member copy: before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectDiff {
    pub cluster: String,
    pub namespace: String,
    pub name: String,
    /// The live copy (None: absent).
    pub live: Option<Value>,
    /// The copy after apply (None: apply deletes it or leaves it absent).
    pub planned: Option<Value>,
}

impl ObjectDiff {
    /// Whether apply would change this copy.
    pub fn differs(&self) -> bool {
        self.live != self.planned
    }
}

/// Every copy of every planned workload, by workload then member, plus members that failed.
#[derive(Debug, Clone, Default)]
pub struct DiffReport {
    pub objects: Vec<ObjectDiff>,
    /// `cluster: message` of members that could not be read or dry-run.
    pub errors: Vec<String>,
}

/// Computes the diff of `plan` against the members.
pub async fn diff(fleet: &Fleet, plan: &FleetPlan) -> DiffReport {
    let results = fleet
        .for_each(|m| async move {
            let client = m.client().await?;
            let mut out = Vec::new();
            for w in &plan.workloads {
                let Some(p) = w.placements.iter().find(|p| p.cluster == m.name) else {
                    continue;
                };
                let api: Api<Deployment> = Api::namespaced(client.clone(), &w.namespace);
                let live = api.get_opt(&w.name).await.map_err(MemberError::from)?;
                let adopted = live
                    .as_ref()
                    .and_then(|d| d.metadata.annotations.as_ref())
                    .and_then(|a| a.get(state::ANN_ADOPTED))
                    .is_some_and(|v| v == "true");
                let unmanaged = live.as_ref().is_some_and(|d| !super::views::is_managed(d));
                let planned = if p.desired == 0 {
                    // apply deletes a managed copy and leaves an unmanaged one alone.
                    if unmanaged {
                        live.as_ref().map(to_value)
                    } else {
                        None
                    }
                } else {
                    let body = copy_body(w, &m.name, p.desired, adopted || unmanaged);
                    let pp = PatchParams::apply(state::FIELD_MANAGER).force().dry_run();
                    match api.patch(&w.name, &pp, &Patch::Apply(&body)).await {
                        Ok(d) => Some(to_value(&d)),
                        // A copy in a namespace the member does not have yet: apply creates
                        // the namespace first; show the body as it would be sent.
                        Err(kube::Error::Api(s)) if s.code == 404 && live.is_none() => Some(body),
                        Err(e) => return Err(MemberError::from(e)),
                    }
                };
                out.push(ObjectDiff {
                    cluster: m.name.clone(),
                    namespace: w.namespace.clone(),
                    name: w.name.clone(),
                    live: live.as_ref().map(to_value).map(clean),
                    planned: planned.map(clean),
                });
            }
            Ok(out)
        })
        .await;
    let mut by_member: BTreeMap<String, Vec<ObjectDiff>> = BTreeMap::new();
    let mut report = DiffReport::default();
    for (cluster, r) in results {
        match r {
            Ok(objs) => {
                by_member.insert(cluster, objs);
            }
            Err(e) => report.errors.push(format!("{cluster}: {e}")),
        }
    }
    for w in &plan.workloads {
        for p in &w.placements {
            if let Some(o) = by_member.get(&p.cluster).and_then(|objs| {
                objs.iter()
                    .find(|o| o.namespace == w.namespace && o.name == w.name)
            }) {
                report.objects.push(o.clone());
            }
        }
    }
    report
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// Leaves out what every write changes and what is not the user's (see the module docs).
pub fn clean(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("status");
        if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
            for k in [
                "managedFields",
                "resourceVersion",
                "generation",
                "uid",
                "creationTimestamp",
            ] {
                meta.remove(k);
            }
            // The write lock's generation: every write of a copy sets it (apply would write the
            // next one), and the dry-run body has none, so it is never a change of its own.
            if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
                a.remove(state::ANN_GENERATION);
            }
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn volatile_fields_are_left_out_of_both_sides() {
        let v = clean(json!({"kind": "Deployment", "status": {"replicas": 1},
            "metadata": {"name": "web", "resourceVersion": "7", "generation": 3,
                "managedFields": [], "uid": "u", "creationTimestamp": "t", "labels": {"a": "b"},
                "annotations": {"fleet.kubectl.dev/generation": "6", "fleet.kubectl.dev/group": "g"}}}));
        assert_eq!(
            v,
            json!({"kind": "Deployment", "metadata": {"name": "web", "labels": {"a": "b"},
                "annotations": {"fleet.kubectl.dev/group": "g"}}})
        );
        let same = ObjectDiff {
            cluster: "c1".into(),
            namespace: "default".into(),
            name: "web".into(),
            live: Some(v.clone()),
            planned: Some(v),
        };
        assert!(!same.differs());
    }
}
