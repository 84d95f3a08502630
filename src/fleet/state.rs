//! What kubectl-fleet stores in member clusters (documented in docs/state.md): the label and
//! annotations on managed Deployments, the cordon ConfigMap, the inventory ConfigMap.
//! There is no hub and no local state file: everything a later command needs is here.

use serde::{Deserialize, Serialize};

/// Label on every Deployment kubectl-fleet manages.
pub const MANAGED_BY_LABEL: &str = "app.kubernetes.io/managed-by";
/// Value of [`MANAGED_BY_LABEL`].
pub const MANAGED_BY_VALUE: &str = "kubectl-fleet";
/// `MANAGED_BY_LABEL=MANAGED_BY_VALUE` as a label selector.
pub const MANAGED_SELECTOR: &str = "app.kubernetes.io/managed-by=kubectl-fleet";
/// Default field manager for server-side apply.
pub const FIELD_MANAGER: &str = "kubectl-fleet";

/// Annotation: fleet-wide total replicas of the workload.
pub const ANN_TOTAL_REPLICAS: &str = "fleet.kubectl.dev/total-replicas";
/// Annotation: the policy that placed the workload (compact JSON of the policy document).
pub const ANN_POLICY: &str = "fleet.kubectl.dev/policy";
/// Annotation: `namespace/name` of the policy (empty namespace for cluster-scoped).
pub const ANN_POLICY_NAME: &str = "fleet.kubectl.dev/policy-name";
/// Annotation: the whole placement as JSON `{"cluster": replicas, ...}`.
pub const ANN_PLACEMENT: &str = "fleet.kubectl.dev/placement";
/// Annotation: the priority group (affinity name) this member belongs to for the workload.
pub const ANN_GROUP: &str = "fleet.kubectl.dev/group";
/// Annotation: `"true"` when the copy existed before and was adopted (conflictResolution Overwrite).
pub const ANN_ADOPTED: &str = "fleet.kubectl.dev/adopted";
/// Annotation: hash of the applied pod template + workload spec (idempotency check).
pub const ANN_SPEC_HASH: &str = "fleet.kubectl.dev/spec-hash";
/// Annotation `get deploy -o yaml|json` and `diff` put on each member copy they print: the
/// member it was read from (never stored on the members).
pub const ANN_MEMBER: &str = "fleet.kubectl.dev/member";

/// Annotation: the fleet generation of the write that last changed the copy (the write
/// lock's generation, see `fleet::lock`); also on the workload's lock Leases.
pub const ANN_GENERATION: &str = "fleet.kubectl.dev/generation";
/// Label on the write-lock Leases: the workload (Deployment) name, truncated to 63 chars.
pub const WORKLOAD_LABEL: &str = "fleet.kubectl.dev/workload";

/// Namespace of the member-level ConfigMaps.
pub const MEMBER_NAMESPACE: &str = "kube-system";
/// ConfigMap holding the member's cordon state.
pub const MEMBER_CONFIGMAP: &str = "kubectl-fleet-member";
/// Namespace of the inventory ConfigMap.
pub const INVENTORY_NAMESPACE: &str = "kube-system";
/// Inventory ConfigMap (node pools + available instances), published by the simulator or a
/// cloud controller.
pub const INVENTORY_CONFIGMAP: &str = "kubectl-fleet-inventory";
/// Key of the inventory ConfigMap.
pub const INVENTORY_KEY: &str = "pools.json";

/// Cordon state of a member, stored in ConfigMap `kube-system/kubectl-fleet-member`
/// (data keys `cordoned` = "true"/"false", `reason`, `by`, `at` RFC 3339).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CordonState {
    pub cordoned: bool,
    pub reason: Option<String>,
    pub by: Option<String>,
    pub at: Option<String>,
}

impl CordonState {
    /// Reads the state from the ConfigMap's data (absent keys = not cordoned).
    pub fn from_data(data: &std::collections::BTreeMap<String, String>) -> Self {
        let get = |k: &str| data.get(k).filter(|v| !v.is_empty()).cloned();
        CordonState {
            cordoned: data.get("cordoned").is_some_and(|v| v == "true"),
            reason: get("reason"),
            by: get("by"),
            at: get("at"),
        }
    }

    /// The ConfigMap data for this state.
    pub fn to_data(&self) -> std::collections::BTreeMap<String, String> {
        let mut d = std::collections::BTreeMap::new();
        d.insert("cordoned".to_string(), self.cordoned.to_string());
        d.insert(
            "reason".to_string(),
            self.reason.clone().unwrap_or_default(),
        );
        d.insert("by".to_string(), self.by.clone().unwrap_or_default());
        d.insert("at".to_string(), self.at.clone().unwrap_or_default());
        d
    }
}
