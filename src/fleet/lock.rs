//! The per-workload write lock (docs/state.md, "Write lock and fencing").
//!
//! kubectl-fleet has no control plane, so the lock lives in the members: one
//! coordination.k8s.io/v1 Lease per workload, `kubectl-fleet-deploy-<name>` in the workload's
//! namespace, on every member of the fleet (the *lock set*). A writer holds the lock when it
//! holds the Lease on a **majority** of the lock set; each Lease is taken with a
//! resourceVersion precondition (create, or update of the version read), so two writers can
//! never both win one member, and two majorities always share a member.
//!
//! - A Lease is *free* when it has no holder or its holder stopped renewing it
//!   (`renewTime + leaseDurationSeconds` in the past); `--force-unlock` treats a held one as
//!   free too.
//! - A writer that finds an unexpired Lease of another holder takes nothing and retries
//!   (with jitter) until `timeout`, then fails with [`FleetError::Locked`] naming the holder.
//!   A writer that could take some but not a majority gives them back and retries.
//! - While held, a background task renews every held Lease every `duration / 3`. When it
//!   cannot keep a majority (the Leases were taken over, or members stopped answering for a
//!   whole `duration`) the lock is *lost*: [`Fence::lost`] turns true and the apply stops
//!   between members.
//! - Every acquisition gets a **fleet generation**: one more than the highest generation
//!   found on the Leases and on the workload's copies. Every copy written under the lock
//!   carries it (annotation `fleet.kubectl.dev/generation`), and a copy that already carries a
//!   higher one is never overwritten (see `fleet::apply`): a writer that lost its lock cannot
//!   overwrite the work of the writer that took over.
//!
//! The pure part (classifying a Lease, deciding what to do with a round of reads, the next
//! generation) is in [`classify`], [`decide`] and [`next_generation`], unit-tested below.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::Namespace;
use kube::api::{Api, PostParams};
use kube::Client;
use serde_json::json;

use super::error::{FleetError, MemberError};
use super::membership::{Fleet, Member};
use super::state;

/// Prefix of the Lease name: `kubectl-fleet-deploy-<name>`.
pub const LEASE_PREFIX: &str = "kubectl-fleet-deploy-";
/// Lease annotation: the command of the holder (`scale`, `apply`, ...).
pub const ANN_LOCK_COMMAND: &str = "fleet.kubectl.dev/lock-command";
/// Lease annotation: when the holder took the lock (RFC 3339).
pub const ANN_LOCK_SINCE: &str = "fleet.kubectl.dev/lock-since";
/// Default `leaseDurationSeconds` of a write lock.
pub const DEFAULT_LEASE_DURATION: Duration = Duration::from_secs(30);
/// Environment variable overriding the lease duration (a humantime duration, e.g. `3s`).
pub const LEASE_DURATION_ENV: &str = "KUBECTL_FLEET_LOCK_LEASE";
/// How long a release waits for a member (one that does not answer keeps the Lease until it
/// expires).
const RELEASE_TIMEOUT: Duration = Duration::from_secs(1);
/// Default `--lock-timeout`.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// Options of [`lock_workloads`].
#[derive(Debug, Clone)]
pub struct LockOptions {
    /// What the holder is doing, shown to a writer that waits (`scale`, `apply`, ...).
    pub command: String,
    /// How long to wait for a lock held by someone else (0 = try once).
    pub timeout: Duration,
    /// `--force-unlock`: take the lock even when another holder's Lease has not expired.
    pub force: bool,
    /// `leaseDurationSeconds` (a holder that stops renewing loses the lock after this).
    pub lease_duration: Duration,
    /// `holderIdentity` (default [`default_identity`]).
    pub identity: String,
}

impl LockOptions {
    /// Options for `command` with the default timeout, the lease duration from
    /// [`LEASE_DURATION_ENV`] (else 30 s) and this process's identity.
    pub fn new(command: &str) -> LockOptions {
        LockOptions {
            command: command.to_string(),
            timeout: DEFAULT_LOCK_TIMEOUT,
            force: false,
            lease_duration: lease_duration_from_env(),
            identity: default_identity(),
        }
    }
}

/// The lease duration from [`LEASE_DURATION_ENV`] (at least 1 s), else the default.
pub fn lease_duration_from_env() -> Duration {
    std::env::var(LEASE_DURATION_ENV)
        .ok()
        .and_then(|v| humantime::parse_duration(v.trim()).ok())
        .map(|d| d.max(Duration::from_secs(1)))
        .unwrap_or(DEFAULT_LEASE_DURATION)
}

/// `user@host/pid/random`: unique per process and readable by the operator who waits.
pub fn default_identity() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into());
    format!(
        "{user}@{host}/{}/{:06x}",
        std::process::id(),
        fastrand::u32(..0x100_0000)
    )
}

/// `user@host/pid/random` → `(host, pid)`.
pub fn identity_host_pid(identity: &str) -> Option<(&str, u32)> {
    let (_, rest) = identity.split_once('@')?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let pid = parts.next()?.parse().ok()?;
    Some((host, pid))
}

/// True when `identity` names a process of this host (same host part as ours) that no longer
/// runs: a writer killed on this machine (a second Ctrl-C, SIGKILL) does not make the next
/// command on the same machine wait for its Leases to expire. Only answers true where
/// `/proc` exists; elsewhere the Lease expires as usual.
pub fn holder_is_dead_here(identity: &str, me: &str) -> bool {
    let (Some((host, pid)), Some((my_host, my_pid))) =
        (identity_host_pid(identity), identity_host_pid(me))
    else {
        return false;
    };
    host == my_host
        && pid != my_pid
        && Path::new("/proc/self").exists()
        && !Path::new(&format!("/proc/{pid}")).exists()
}

/// The Lease name of workload `name` (names too long for a Lease are shortened with a hash).
pub fn lease_name(name: &str) -> String {
    let full = format!("{LEASE_PREFIX}{name}");
    if full.len() <= 253 {
        return full;
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{h:016x}", &full[..253 - 17])
}

/// The holder of a lock, as a waiting writer reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub identity: String,
    pub command: String,
    /// RFC 3339 time the holder took the lock (empty when unknown).
    pub since: String,
}

/// What one member's Lease says (the pure view of [`Lease`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaseView {
    /// The Lease exists (else: create it).
    pub exists: bool,
    pub resource_version: Option<String>,
    pub holder: Option<String>,
    pub command: String,
    pub since: String,
    /// `renewTime` in milliseconds since the epoch.
    pub renew_ms: Option<i64>,
    pub duration_s: i64,
    /// `fleet.kubectl.dev/generation` of the Lease.
    pub generation: u64,
    pub transitions: i32,
}

impl LeaseView {
    /// The view of a Lease read from a member (`None`: absent).
    pub fn of(lease: Option<&Lease>) -> LeaseView {
        let Some(l) = lease else {
            return LeaseView::default();
        };
        let spec = l.spec.clone().unwrap_or_default();
        let ann = l.metadata.annotations.clone().unwrap_or_default();
        LeaseView {
            exists: true,
            resource_version: l.metadata.resource_version.clone(),
            holder: spec.holder_identity.filter(|h| !h.is_empty()),
            command: ann.get(ANN_LOCK_COMMAND).cloned().unwrap_or_default(),
            since: ann.get(ANN_LOCK_SINCE).cloned().unwrap_or_default(),
            renew_ms: spec.renew_time.map(|t| t.0.as_millisecond()),
            duration_s: i64::from(spec.lease_duration_seconds.unwrap_or(0)),
            generation: ann
                .get(state::ANN_GENERATION)
                .and_then(|g| g.parse().ok())
                .unwrap_or(0),
            transitions: spec.lease_transitions.unwrap_or(0),
        }
    }
}

/// One member's Lease, from the point of view of a writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// No holder, or the holder's Lease expired (or `--force-unlock`): can be taken.
    Free,
    /// Already ours.
    Ours,
    /// Held by another writer whose Lease has not expired.
    Held(Holder),
}

/// Classifies a Lease for writer `me` at wall-clock time `now_ms`. `holder_dead`: the
/// holder is known to be dead (a process of this host that no longer runs, see
/// [`holder_is_dead_here`]).
pub fn classify(view: &LeaseView, me: &str, now_ms: i64, force: bool, holder_dead: bool) -> Slot {
    let Some(holder) = &view.holder else {
        return Slot::Free;
    };
    if holder == me {
        return Slot::Ours;
    }
    let expired = match view.renew_ms {
        Some(r) => r + view.duration_s * 1000 < now_ms,
        None => true,
    };
    if expired || force || holder_dead {
        Slot::Free
    } else {
        Slot::Held(Holder {
            identity: holder.clone(),
            command: view.command.clone(),
            since: view.since.clone(),
        })
    }
}

/// What to do after reading the lock set's Leases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Take every free Lease (and keep the ones that are ours).
    Take,
    /// Another writer holds the lock: take nothing, wait and retry.
    Wait(Holder),
    /// Fewer than a majority of the lock set answered.
    NoQuorum { reachable: usize, need: usize },
}

/// Majority of `n`.
pub fn majority(n: usize) -> usize {
    n / 2 + 1
}

/// Decides from one round of reads (`None` = the member did not answer). A held Lease on any
/// member means "wait" even when a majority looks free: taking the rest could only succeed
/// if that holder lost its majority, and the holder would then stop on its own.
pub fn decide(slots: &[Option<Slot>]) -> Decision {
    let need = majority(slots.len());
    let reachable = slots.iter().filter(|s| s.is_some()).count();
    if let Some(Slot::Held(h)) = slots.iter().flatten().find(|s| matches!(s, Slot::Held(_))) {
        return Decision::Wait(h.clone());
    }
    if reachable < need {
        return Decision::NoQuorum { reachable, need };
    }
    Decision::Take
}

/// The generation of a new acquisition: one more than every generation seen on the Leases
/// and the copies.
pub fn next_generation(seen: impl IntoIterator<Item = u64>) -> u64 {
    seen.into_iter().max().unwrap_or(0) + 1
}

/// One member's Lease that we hold.
#[derive(Clone)]
struct Held {
    member: String,
    client: Client,
    namespace: String,
    name: String,
    resource_version: String,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Held")
            .field("member", &self.member)
            .field("name", &self.name)
            .field("resource_version", &self.resource_version)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Inner {
    namespace: String,
    name: String,
    identity: String,
    command: String,
    since: String,
    generation: u64,
    duration: Duration,
    lock_set: usize,
    held: Mutex<Vec<Held>>,
    lost: Arc<AtomicBool>,
    lost_reason: Mutex<Option<String>>,
}

/// A held write lock on one workload. Release it with [`WorkloadLock::release`] (a lock
/// that is dropped stops renewing and expires after the lease duration).
#[derive(Debug)]
pub struct WorkloadLock {
    inner: Arc<Inner>,
    renewer: Option<tokio::task::JoinHandle<()>>,
}

/// What the apply needs to know about the locks it writes under: the generation per
/// workload and whether any lock was lost.
#[derive(Debug, Clone, Default)]
pub struct Fence {
    /// `namespace/name` → generation.
    pub generations: BTreeMap<String, u64>,
    lost: Vec<(String, Arc<AtomicBool>, Arc<Inner>)>,
}

impl Fence {
    /// A fence with fixed generations and no lock (tests, and writes whose lock the caller
    /// manages itself).
    pub fn fixed(generations: BTreeMap<String, u64>) -> Fence {
        Fence {
            generations,
            lost: Vec::new(),
        }
    }

    /// The generation of `namespace/name`, if it is fenced.
    pub fn generation(&self, key: &str) -> Option<u64> {
        self.generations.get(key).copied()
    }

    /// Why the first lost lock was lost, if one was (`deployment ns/name: ...`).
    pub fn lost(&self) -> Option<String> {
        self.lost.iter().find_map(|(k, flag, inner)| {
            flag.load(Ordering::SeqCst).then(|| {
                let why = inner
                    .lost_reason
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone()
                    .unwrap_or_else(|| "not renewed".into());
                format!("lost the write lock on deployment {k} ({why})")
            })
        })
    }
}

impl WorkloadLock {
    /// `namespace/name` of the workload.
    pub fn key(&self) -> String {
        format!("{}/{}", self.inner.namespace, self.inner.name)
    }

    /// The fleet generation of this acquisition.
    pub fn generation(&self) -> u64 {
        self.inner.generation
    }

    /// `holderIdentity` of this lock.
    pub fn identity(&self) -> &str {
        &self.inner.identity
    }

    /// True once renewal could not keep a majority.
    pub fn is_lost(&self) -> bool {
        self.inner.lost.load(Ordering::SeqCst)
    }

    /// Members whose Lease we hold.
    pub fn members(&self) -> Vec<String> {
        self.inner
            .held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|h| h.member.clone())
            .collect()
    }

    /// Gives the Leases back (holder cleared; the generation stays on the Lease).
    pub async fn release(mut self) {
        if let Some(r) = self.renewer.take() {
            r.abort();
        }
        let held: Vec<Held> =
            std::mem::take(&mut *self.inner.held.lock().unwrap_or_else(|e| e.into_inner()));
        let inner = self.inner.clone();
        let futs = held.into_iter().map(|h| {
            let inner = inner.clone();
            async move {
                // Bounded: a member that does not answer keeps its Lease until it expires.
                let _ = tokio::time::timeout(RELEASE_TIMEOUT, give_back(&h, &inner)).await;
            }
        });
        futures::future::join_all(futs).await;
    }
}

impl Drop for WorkloadLock {
    fn drop(&mut self) {
        if let Some(r) = self.renewer.take() {
            r.abort();
        }
    }
}

/// Several workload locks taken by one command.
#[derive(Debug, Default)]
pub struct WorkloadLocks {
    pub locks: Vec<WorkloadLock>,
}

impl WorkloadLocks {
    /// The fence of every held lock.
    pub fn fence(&self) -> Fence {
        let mut f = Fence::default();
        for l in &self.locks {
            f.generations.insert(l.key(), l.generation());
            f.lost
                .push((l.key(), l.inner.lost.clone(), l.inner.clone()));
        }
        f
    }

    /// True when `namespace/name` is locked.
    pub fn holds(&self, key: &str) -> bool {
        self.locks.iter().any(|l| l.key() == key)
    }

    /// Releases every lock.
    pub async fn release(self) {
        futures::future::join_all(self.locks.into_iter().map(WorkloadLock::release)).await;
    }

    /// Locks every workload of `keys` (`(namespace, name)`) not held yet, in sorted order
    /// (two writers locking overlapping sets cannot deadlock). Returns how many were added.
    pub async fn acquire(
        &mut self,
        fleet: &Fleet,
        keys: &[(String, String)],
        opts: &LockOptions,
    ) -> Result<usize, FleetError> {
        let mut keys: Vec<(String, String)> = keys.to_vec();
        keys.sort();
        keys.dedup();
        let mut added = 0;
        for (ns, name) in keys {
            if self.holds(&format!("{ns}/{name}")) {
                continue;
            }
            self.locks
                .push(lock_workload(fleet, &ns, &name, opts).await?);
            added += 1;
        }
        Ok(added)
    }
}

/// Locks several workloads (see [`WorkloadLocks::acquire`]); on failure the locks already
/// taken are released.
pub async fn lock_workloads(
    fleet: &Fleet,
    keys: &[(String, String)],
    opts: &LockOptions,
) -> Result<WorkloadLocks, FleetError> {
    let mut locks = WorkloadLocks::default();
    match locks.acquire(fleet, keys, opts).await {
        Ok(_) => Ok(locks),
        Err(e) => {
            locks.release().await;
            Err(e)
        }
    }
}

fn now_micro() -> String {
    k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

fn now_ms() -> i64 {
    k8s_openapi::jiff::Timestamp::now().as_millisecond()
}

/// One member's read: the Lease and the generation of the workload's copy there.
struct Read {
    member: String,
    client: Client,
    lease: Option<Lease>,
    copy_generation: u64,
}

async fn read_one(m: &Member, namespace: &str, name: &str) -> Result<Read, MemberError> {
    let client = m.client().await?;
    let leases: Api<Lease> = Api::namespaced(client.clone(), namespace);
    let lease = leases.get_opt(&lease_name(name)).await?;
    let deploys: Api<Deployment> = Api::namespaced(client.clone(), namespace);
    let copy_generation = deploys
        .get_opt(name)
        .await?
        .and_then(|d| d.metadata.annotations)
        .and_then(|a| a.get(state::ANN_GENERATION).and_then(|g| g.parse().ok()))
        .unwrap_or(0);
    Ok(Read {
        member: m.name.clone(),
        client,
        lease,
        copy_generation,
    })
}

/// Takes one member's Lease: create when absent, else update the version read. `Ok(None)`:
/// another writer won the race (409).
async fn take(
    r: &Read,
    inner: &Inner,
    view: &LeaseView,
    force_note: bool,
) -> Result<Option<Held>, MemberError> {
    let api: Api<Lease> = Api::namespaced(r.client.clone(), &inner.namespace);
    let lname = lease_name(&inner.name);
    let now = now_micro();
    let secs = inner.duration.as_secs().max(1) as i32;
    let transitions = if view.exists && view.holder.as_deref() != Some(&inner.identity) {
        view.transitions + 1
    } else {
        view.transitions
    };
    let mut body = json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": lname,
            "namespace": inner.namespace,
            "labels": {
                state::MANAGED_BY_LABEL: state::MANAGED_BY_VALUE,
                state::WORKLOAD_LABEL: inner.name.chars().take(63).collect::<String>(),
            },
            "annotations": {
                ANN_LOCK_COMMAND: inner.command,
                ANN_LOCK_SINCE: inner.since,
                state::ANN_GENERATION: inner.generation.to_string(),
            },
        },
        "spec": {
            "holderIdentity": inner.identity,
            "leaseDurationSeconds": secs,
            "acquireTime": now,
            "renewTime": now,
            "leaseTransitions": transitions,
        }
    });
    if force_note {
        body["metadata"]["annotations"]["fleet.kubectl.dev/lock-forced-from"] =
            json!(view.holder.clone().unwrap_or_default());
    }
    let lease: Lease =
        serde_json::from_value(body).map_err(|e| MemberError::Other(e.to_string()))?;
    let result = if view.exists {
        let mut l = lease;
        l.metadata.resource_version = view.resource_version.clone();
        api.replace(&lname, &PostParams::default(), &l).await
    } else {
        match api.create(&PostParams::default(), &lease).await {
            Err(kube::Error::Api(s)) if s.code == 404 => {
                // The namespace does not exist on this member yet.
                ensure_namespace(&r.client, &inner.namespace).await?;
                api.create(&PostParams::default(), &lease).await
            }
            other => other,
        }
    };
    match result {
        Ok(l) => Ok(Some(Held {
            member: r.member.clone(),
            client: r.client.clone(),
            namespace: inner.namespace.clone(),
            name: lname,
            resource_version: l.metadata.resource_version.unwrap_or_default(),
        })),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn ensure_namespace(client: &Client, ns: &str) -> Result<(), MemberError> {
    let api: Api<Namespace> = Api::all(client.clone());
    let obj: Namespace = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}
    }))
    .map_err(|e| MemberError::Other(e.to_string()))?;
    match api
        .create(
            &PostParams {
                field_manager: Some(state::FIELD_MANAGER.into()),
                ..Default::default()
            },
            &obj,
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Clears the holder of a Lease we hold (resourceVersion precondition: a Lease taken over
/// meanwhile is left alone).
async fn give_back(h: &Held, inner: &Inner) -> Result<(), MemberError> {
    let api: Api<Lease> = Api::namespaced(h.client.clone(), &h.namespace);
    let Some(mut lease) = api.get_opt(&h.name).await? else {
        return Ok(());
    };
    let mut spec = lease.spec.clone().unwrap_or_default();
    if spec.holder_identity.as_deref() != Some(inner.identity.as_str()) {
        return Ok(());
    }
    spec.holder_identity = None;
    lease.spec = Some(spec);
    api.replace(&h.name, &PostParams::default(), &lease).await?;
    Ok(())
}

/// Renews one held Lease. `Ok(false)`: it is no longer ours.
async fn renew(h: &mut Held, inner: &Inner) -> Result<bool, MemberError> {
    let api: Api<Lease> = Api::namespaced(h.client.clone(), &h.namespace);
    let Some(mut lease) = api.get_opt(&h.name).await? else {
        return Ok(false);
    };
    let mut spec = lease.spec.clone().unwrap_or_default();
    if spec.holder_identity.as_deref() != Some(inner.identity.as_str())
        || lease.metadata.resource_version.as_deref() != Some(h.resource_version.as_str())
    {
        return Ok(false);
    }
    spec.renew_time = Some(
        serde_json::from_value(json!(now_micro()))
            .map_err(|e| MemberError::Other(e.to_string()))?,
    );
    lease.spec = Some(spec);
    match api.replace(&h.name, &PostParams::default(), &lease).await {
        Ok(l) => {
            h.resource_version = l.metadata.resource_version.unwrap_or_default();
            Ok(true)
        }
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Renews every `duration / 3`; marks the lock lost when fewer than a majority stay ours, or
/// when no majority was renewed for a whole `duration`.
async fn renew_loop(inner: Arc<Inner>, request_timeout: Duration) {
    let tick = (inner.duration / 3).max(Duration::from_millis(200));
    let need = majority(inner.lock_set);
    let mut last_ok = Instant::now();
    loop {
        tokio::time::sleep(tick).await;
        let held: Vec<Held> = inner.held.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let bound = request_timeout
            .min(inner.duration / 2)
            .max(Duration::from_millis(500));
        let results = futures::future::join_all(held.into_iter().map(|mut h| {
            let inner = inner.clone();
            async move {
                let r = tokio::time::timeout(bound, renew(&mut h, &inner)).await;
                (h, r)
            }
        }))
        .await;
        let mut keep = Vec::new();
        let mut renewed = 0;
        let mut taken_over = Vec::new();
        for (h, r) in results {
            match r {
                Ok(Ok(true)) => {
                    renewed += 1;
                    keep.push(h);
                }
                Ok(Ok(false)) => taken_over.push(h.member.clone()),
                // Not answering: keep trying this member.
                _ => keep.push(h),
            }
        }
        let still = keep.len();
        *inner.held.lock().unwrap_or_else(|e| e.into_inner()) = keep;
        if renewed >= need {
            last_ok = Instant::now();
        }
        let reason = if still < need {
            Some(format!(
                "taken over on {}",
                if taken_over.is_empty() {
                    "a majority".to_string()
                } else {
                    taken_over.join(", ")
                }
            ))
        } else if last_ok.elapsed() >= inner.duration {
            Some(format!(
                "could not renew it on a majority for {}",
                humantime::format_duration(inner.duration)
            ))
        } else {
            None
        };
        if let Some(r) = reason {
            tracing::warn!(workload = %format!("{}/{}", inner.namespace, inner.name), reason = %r, "write lock lost");
            *inner.lost_reason.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            inner.lost.store(true, Ordering::SeqCst);
            return;
        }
    }
}

/// Takes the write lock of Deployment `namespace/name` (see the module docs), waiting up to
/// `opts.timeout` for another holder.
pub async fn lock_workload(
    fleet: &Fleet,
    namespace: &str,
    name: &str,
    opts: &LockOptions,
) -> Result<WorkloadLock, FleetError> {
    if fleet.members.is_empty() {
        return Err(FleetError::Selection("no fleet members to lock".into()));
    }
    let deadline = Instant::now() + opts.timeout;
    let lock_set = fleet.members.len();
    let need = majority(lock_set);
    let since = k8s_openapi::jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut attempt: u32 = 0;
    // After a lost race at the deadline, one more read names the winner (or finds the lock
    // free again).
    let mut extra_round = false;
    loop {
        attempt += 1;
        let reads = fleet.for_each(|m| read_one(m, namespace, name)).await;
        let now = now_ms();
        let mut slots = Vec::new();
        let mut views = Vec::new();
        let mut failures = Vec::new();
        let mut ok_reads = Vec::new();
        for (member, r) in reads {
            match r {
                Ok(read) => {
                    let view = LeaseView::of(read.lease.as_ref());
                    let dead = view
                        .holder
                        .as_deref()
                        .is_some_and(|h| holder_is_dead_here(h, &opts.identity));
                    slots.push(Some(classify(&view, &opts.identity, now, opts.force, dead)));
                    views.push(view);
                    ok_reads.push(read);
                }
                Err(e) => {
                    slots.push(None);
                    failures.push(format!("{member}: {e}"));
                }
            }
        }
        let decision = decide(&slots);
        let retry_reason = match decision {
            Decision::Wait(h) => Err(h),
            Decision::NoQuorum { reachable, need } => Ok(format!(
                "only {reachable} of {lock_set} members answered, a majority ({need}) is needed ({})",
                failures.join("; ")
            )),
            Decision::Take => {
                let generation = next_generation(
                    views
                        .iter()
                        .map(|v| v.generation)
                        .chain(ok_reads.iter().map(|r| r.copy_generation)),
                );
                let inner = Arc::new(Inner {
                    namespace: namespace.to_string(),
                    name: name.to_string(),
                    identity: opts.identity.clone(),
                    command: opts.command.clone(),
                    since: since.clone(),
                    generation,
                    duration: opts.lease_duration,
                    lock_set,
                    held: Mutex::new(Vec::new()),
                    lost: Arc::new(AtomicBool::new(false)),
                    lost_reason: Mutex::new(None),
                });
                let takes = ok_reads.iter().zip(&views).map(|(r, v)| {
                    let inner = inner.clone();
                    let forced = opts.force
                        && v.holder.is_some()
                        && v.holder.as_deref() != Some(opts.identity.as_str());
                    async move {
                        tokio::time::timeout(fleet.request_timeout, take(r, &inner, v, forced))
                            .await
                            .unwrap_or(Err(MemberError::Timeout(fleet.request_timeout)))
                    }
                });
                let taken: Vec<Held> = futures::future::join_all(takes)
                    .await
                    .into_iter()
                    .filter_map(|r| r.ok().flatten())
                    .collect();
                let won = taken.len();
                *inner.held.lock().unwrap_or_else(|e| e.into_inner()) = taken;
                if won >= need {
                    let renewer = tokio::spawn(renew_loop(inner.clone(), fleet.request_timeout));
                    tracing::debug!(workload = %format!("{namespace}/{name}"), generation, members = won, "write lock taken");
                    return Ok(WorkloadLock {
                        inner,
                        renewer: Some(renewer),
                    });
                }
                // Lost the race on too many members: give back what we took and retry.
                WorkloadLock {
                    inner,
                    renewer: None,
                }
                .release()
                .await;
                if Instant::now() >= deadline && !extra_round {
                    extra_round = true;
                    continue;
                }
                Ok(format!(
                    "another writer took the lock at the same moment (won {won} of {lock_set})"
                ))
            }
        };
        if Instant::now() >= deadline {
            return Err(match retry_reason {
                Err(h) => FleetError::Locked {
                    workload: format!("{namespace}/{name}"),
                    holder: h.identity,
                    command: h.command,
                    since: h.since,
                    waited: opts.timeout,
                },
                Ok(reason) => FleetError::LockUnavailable {
                    workload: format!("{namespace}/{name}"),
                    reason,
                },
            });
        }
        // Back off with jitter (50..250 ms, growing a little), never past the deadline.
        let base = 50 + 20 * u64::from(attempt.min(10));
        let pause = Duration::from_millis(base + fastrand::u64(..base.max(1) * 2));
        tokio::time::sleep(pause.min(deadline.saturating_duration_since(Instant::now()))).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(holder: Option<&str>, renew_ms: i64, duration_s: i64) -> LeaseView {
        LeaseView {
            exists: true,
            resource_version: Some("1".into()),
            holder: holder.map(str::to_string),
            command: "scale".into(),
            since: "2026-12-01T00:00:00Z".into(),
            renew_ms: Some(renew_ms),
            duration_s,
            generation: 3,
            transitions: 0,
        }
    }

    #[test]
    fn a_lease_without_holder_or_expired_is_free() {
        assert_eq!(
            classify(&LeaseView::default(), "me", 0, false, false),
            Slot::Free
        );
        assert_eq!(
            classify(&view(None, 1_000, 30), "me", 2_000, false, false),
            Slot::Free
        );
        // Renewed at t=1s for 30 s: held at 30 s, expired at 31.001 s.
        assert!(matches!(
            classify(&view(Some("other"), 1_000, 30), "me", 30_000, false, false),
            Slot::Held(_)
        ));
        assert_eq!(
            classify(&view(Some("other"), 1_000, 30), "me", 31_001, false, false),
            Slot::Free
        );
    }

    #[test]
    fn our_own_lease_is_ours_and_force_frees_anothers() {
        assert_eq!(
            classify(&view(Some("me"), 0, 30), "me", 1, false, false),
            Slot::Ours
        );
        assert_eq!(
            classify(&view(Some("other"), 0, 30), "me", 1, true, false),
            Slot::Free
        );
        assert_eq!(
            classify(&view(Some("other"), 0, 30), "me", 1, false, true),
            Slot::Free
        );
        match classify(&view(Some("other"), 0, 30), "me", 1, false, false) {
            Slot::Held(h) => {
                assert_eq!(h.identity, "other");
                assert_eq!(h.command, "scale");
                assert_eq!(h.since, "2026-12-01T00:00:00Z");
            }
            s => panic!("{s:?}"),
        }
    }

    #[test]
    fn decide_needs_a_majority_and_waits_for_any_live_holder() {
        let h = Holder {
            identity: "o".into(),
            command: "scale".into(),
            since: String::new(),
        };
        assert_eq!(
            decide(&[Some(Slot::Free), Some(Slot::Free), None]),
            Decision::Take
        );
        assert_eq!(
            decide(&[Some(Slot::Free), None, None]),
            Decision::NoQuorum {
                reachable: 1,
                need: 2
            }
        );
        assert_eq!(
            decide(&[
                Some(Slot::Free),
                Some(Slot::Free),
                Some(Slot::Held(h.clone()))
            ]),
            Decision::Wait(h.clone())
        );
        // A live holder is reported even when a majority cannot be reached.
        assert_eq!(
            decide(&[Some(Slot::Held(h.clone())), None, None]),
            Decision::Wait(h)
        );
        assert_eq!(decide(&[Some(Slot::Ours)]), Decision::Take);
        assert_eq!(majority(1), 1);
        assert_eq!(majority(2), 2);
        assert_eq!(majority(3), 2);
        assert_eq!(majority(4), 3);
    }

    #[test]
    fn generations_grow_past_everything_seen() {
        assert_eq!(next_generation([]), 1);
        assert_eq!(next_generation([3, 7, 0]), 8);
    }

    #[test]
    fn lease_names_fit_the_api_limit() {
        assert_eq!(lease_name("web"), "kubectl-fleet-deploy-web");
        let long = "a".repeat(250);
        let n = lease_name(&long);
        assert_eq!(n.len(), 253);
        assert_ne!(n, lease_name(&"a".repeat(251)));
    }

    #[test]
    fn only_dead_processes_of_this_host_are_known_dead() {
        let me = format!("u@thishost/{}/000001", std::process::id());
        // This very process is alive.
        assert!(!holder_is_dead_here(
            &format!("u@thishost/{}/000002", std::process::id()),
            &me
        ));
        // Another host: never judged from here.
        assert!(!holder_is_dead_here("u@otherhost/999999999/000003", &me));
        // pid 999999999 does not run here (above pid_max).
        if Path::new("/proc/self").exists() {
            assert!(holder_is_dead_here("v@thishost/999999999/000004", &me));
        }
        assert!(!holder_is_dead_here("garbage", &me));
        assert_eq!(identity_host_pid("a@h/12/x"), Some(("h", 12)));
    }

    #[test]
    fn identities_name_user_host_and_process() {
        let id = default_identity();
        assert!(id.contains('@'), "{id}");
        assert!(id.contains(&format!("/{}/", std::process::id())), "{id}");
        assert_ne!(id, default_identity());
    }

    #[test]
    fn fences_report_lost_locks() {
        let f = Fence::fixed([("default/web".to_string(), 4)].into());
        assert_eq!(f.generation("default/web"), Some(4));
        assert_eq!(f.generation("default/x"), None);
        assert!(f.lost().is_none());
    }
}
