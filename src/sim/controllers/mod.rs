//! Simulated cluster behaviour (placeholder; owned and replaced by helper "simctl").

use std::sync::Arc;

use serde_json::json;

use super::cluster::ClusterCtx;
use super::store::Kind;
use super::Fault;

/// Seeds a new cluster's store (placeholder: namespaces only).
pub fn seed(ctx: &ClusterCtx) {
    for ns in ["default", "kube-system", "kube-public", "kube-node-lease"] {
        let _ = ctx.store.create(
            Kind::Namespace,
            json!({"metadata": {"name": ns}, "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}),
        );
    }
}

/// Starts the cluster's controllers (placeholder: none).
pub fn spawn(ctx: Arc<ClusterCtx>, shutdown: tokio::sync::watch::Receiver<bool>) {
    let _ = (ctx, shutdown);
}

/// Applies a node / inventory fault (placeholder: unsupported).
pub fn apply_fault(ctx: &ClusterCtx, fault: &Fault) -> Result<(), String> {
    Err(format!(
        "{}: fault {fault:?} is not supported yet",
        ctx.name
    ))
}
