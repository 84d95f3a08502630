//! Leader election for `reconcile` on a coordination.k8s.io/v1 Lease in one member (like
//! client-go's leaderelection): acquire when the Lease is absent, expired
//! (`renewTime + leaseDurationSeconds` in the past) or already ours; renew while holding;
//! every write carries the resourceVersion read, so two candidates racing for the same Lease
//! cannot both win (the loser gets 409 Conflict). Only the holder acts.

use std::time::Duration;

use k8s_openapi::api::coordination::v1::Lease;
use kube::api::{Api, PostParams};
use kube::Client;
use serde_json::json;

use crate::fleet::error::MemberError;

/// Default Lease name.
pub const LEASE_NAME: &str = "kubectl-fleet-reconcile";

/// Where the Lease lives and who we are.
#[derive(Debug, Clone)]
pub struct LeaseConfig {
    pub namespace: String,
    pub name: String,
    /// `holderIdentity` of this process.
    pub identity: String,
    pub duration: Duration,
}

/// Outcome of one [`try_acquire`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseStatus {
    /// We hold the Lease (acquired or renewed).
    Leader { acquired: bool },
    /// Someone else holds an unexpired Lease.
    Follower { holder: String },
}

impl LeaseStatus {
    pub fn is_leader(&self) -> bool {
        matches!(self, LeaseStatus::Leader { .. })
    }
}

fn now_micro() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

/// Acquires or renews the Lease.
pub async fn try_acquire(client: &Client, cfg: &LeaseConfig) -> Result<LeaseStatus, MemberError> {
    let api: Api<Lease> = Api::namespaced(client.clone(), &cfg.namespace);
    let secs = cfg.duration.as_secs().max(1) as i32;
    let now = now_micro();
    let existing = api.get_opt(&cfg.name).await.map_err(MemberError::from)?;
    let Some(lease) = existing else {
        let obj: Lease = serde_json::from_value(json!({
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": {"name": cfg.name, "namespace": cfg.namespace},
            "spec": {
                "holderIdentity": cfg.identity,
                "leaseDurationSeconds": secs,
                "acquireTime": now,
                "renewTime": now,
                "leaseTransitions": 0,
            }
        }))
        .map_err(|e| MemberError::Other(e.to_string()))?;
        return match api.create(&PostParams::default(), &obj).await {
            Ok(_) => Ok(LeaseStatus::Leader { acquired: true }),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(LeaseStatus::Follower {
                holder: "(another candidate, just now)".into(),
            }),
            Err(e) => Err(e.into()),
        };
    };
    let spec = lease.spec.clone().unwrap_or_default();
    let holder = spec.holder_identity.clone().unwrap_or_default();
    let ours = holder == cfg.identity;
    let expired = match (&spec.renew_time, spec.lease_duration_seconds) {
        (Some(t), Some(d)) => {
            let renewed = t.0.as_millisecond();
            let now_ms = k8s_openapi::jiff::Timestamp::now().as_millisecond();
            renewed + i64::from(d) * 1000 < now_ms
        }
        _ => true,
    };
    if !ours && !holder.is_empty() && !expired {
        return Ok(LeaseStatus::Follower { holder });
    }
    let mut updated = lease.clone();
    let mut new_spec = spec.clone();
    new_spec.holder_identity = Some(cfg.identity.clone());
    new_spec.lease_duration_seconds = Some(secs);
    let now_t: k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime =
        serde_json::from_value(json!(now)).map_err(|e| MemberError::Other(e.to_string()))?;
    new_spec.renew_time = Some(now_t.clone());
    if !ours {
        new_spec.acquire_time = Some(now_t);
        new_spec.lease_transitions = Some(spec.lease_transitions.unwrap_or(0) + 1);
    }
    updated.spec = Some(new_spec);
    match api
        .replace(&cfg.name, &PostParams::default(), &updated)
        .await
    {
        Ok(_) => Ok(LeaseStatus::Leader { acquired: !ours }),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(LeaseStatus::Follower {
            holder: "(another candidate won the race)".into(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Gives the Lease up on shutdown (only when we hold it): the holder is cleared so a waiting
/// candidate takes over without waiting for expiry.
pub async fn release(client: &Client, cfg: &LeaseConfig) -> Result<(), MemberError> {
    let api: Api<Lease> = Api::namespaced(client.clone(), &cfg.namespace);
    let Some(mut lease) = api.get_opt(&cfg.name).await.map_err(MemberError::from)? else {
        return Ok(());
    };
    let mut spec = lease.spec.clone().unwrap_or_default();
    if spec.holder_identity.as_deref() != Some(cfg.identity.as_str()) {
        return Ok(());
    }
    spec.holder_identity = None;
    lease.spec = Some(spec);
    api.replace(&cfg.name, &PostParams::default(), &lease)
        .await
        .map(|_| ())
        .map_err(MemberError::from)
}

/// A default identity: `$POD_NAME` or `$HOSTNAME`, plus the process id.
pub fn default_identity() -> String {
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "kubectl-fleet".to_string());
    format!("{host}-{}", std::process::id())
}
