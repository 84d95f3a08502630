//! The simulated fleet: N Kubernetes-API-compatible member clusters served over HTTP on
//! 127.0.0.1 (one port each) plus a fleet admin endpoint, so unmodified kubectl and the kube
//! crate can be pointed at it (think kwok: the API is real, the kubelets are simulated).
//!
//! Layout: [`store`] (objects, resourceVersions, watch history, GC), [`cluster`] (per-cluster
//! context and network faults), [`config`] (the `SimulatedFleet` config) and [`controllers`]
//! (scheduler, kubelet, deployment/replicaset controllers, node pools).

pub mod admission;
mod api;
pub mod auth;
pub mod cluster;
pub mod config;
pub mod controllers;
pub mod load;
pub mod selector;
mod server;
pub mod store;
pub mod tls;

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use tokio::sync::watch;

use cluster::ClusterCtx;
use config::SimConfig;
use store::Store;

/// Name of the kubeconfig cluster extension that carries the admin URL.
pub const ADMIN_EXTENSION: &str = "fleet.kubectl.dev/sim-admin";

/// Options of a running simulated fleet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SimOptions {
    /// Simulated-time speed factor: 1.0 = real time, 10.0 = delays are ten times shorter.
    pub speed: f64,
}

impl Default for SimOptions {
    fn default() -> Self {
        SimOptions { speed: 1.0 }
    }
}

/// A change applied to a running simulated cluster. JSON form (admin API):
/// `"down"`, `"up"`, `{"latency": 200}`, `{"errorRate": 0.3}`, `{"nodeNotReady": "n1"}`,
/// `{"nodeReady": "n1"}`, `{"inventory": {"pool": "gpu", "count": 2}}`,
/// `{"badImage": "repo/img:tag"}`, `{"goodImage": "repo/img:tag"}`, `"noMetrics"`, `"metrics"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Fault {
    /// The API endpoint stops listening (connection refused).
    Down,
    /// The API endpoint listens again, on the same port; also clears latency and errors.
    Up,
    /// Every request is delayed by this many milliseconds.
    Latency(u64),
    /// Each request fails with 500 InternalError with this probability (0..=1).
    ErrorRate(f64),
    /// The node turns NotReady.
    NodeNotReady(String),
    /// The node turns Ready again.
    NodeReady(String),
    /// An elastic node pool's remaining inventory is set to `count`.
    Inventory {
        /// Pool name.
        pool: String,
        /// New inventory.
        count: u32,
    },
    /// Pods with a container running this image start but never turn Ready; their
    /// restartCount grows every 10 simulated seconds (CrashLoopBackOff).
    BadImage(String),
    /// Clears [`Fault::BadImage`] for the image: its pods turn Ready at their next restart.
    GoodImage(String),
    /// The metrics APIs (`metrics.k8s.io`, `custom.metrics.k8s.io`, `external.metrics.k8s.io`)
    /// answer 503 ServiceUnavailable, like an aggregated API whose backend is missing; the
    /// rest of the API server keeps working.
    NoMetrics,
    /// Clears [`Fault::NoMetrics`].
    Metrics,
}

/// Errors of starting or driving a simulated fleet.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The config cannot be served (no clusters, duplicate names).
    #[error("simulated fleet config: {0}")]
    Config(String),
    /// Binding a listener failed.
    #[error("cannot listen on 127.0.0.1: {0}")]
    Bind(#[source] std::io::Error),
    /// No cluster of that name.
    #[error("unknown simulated cluster {0:?}")]
    UnknownCluster(String),
    /// A fault could not be applied.
    #[error("{0}")]
    Fault(String),
    /// Writing the kubeconfig failed.
    #[error("cannot write kubeconfig {path}: {source}")]
    Write {
        /// File path.
        path: String,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// The runtime thread could not be started or died.
    #[error("simulator runtime: {0}")]
    Runtime(String),
}

/// One running cluster.
#[derive(Debug)]
pub(crate) struct ClusterEntry {
    pub(crate) ctx: Arc<ClusterCtx>,
    pub(crate) port: u16,
    token: String,
}

/// What the servers, the admin API and the handles share.
#[derive(Debug)]
pub(crate) struct FleetShared {
    pub(crate) clusters: Vec<ClusterEntry>,
    admin_port: u16,
    tls: tls::FleetTls,
    /// Fleet-wide demand per Deployment (`sim load`), served as metrics by every member.
    pub(crate) load: Arc<load::LoadModel>,
}

fn yq(s: &str) -> String {
    serde_json::to_string(s).expect("string serializes")
}

impl FleetShared {
    fn entry(&self, name: &str) -> Result<&ClusterEntry, SimError> {
        self.clusters
            .iter()
            .find(|c| c.ctx.name == name)
            .ok_or_else(|| SimError::UnknownCluster(name.to_string()))
    }

    pub(crate) fn fault(&self, name: &str, fault: Fault) -> Result<(), SimError> {
        let c = self.entry(name)?;
        let f = &c.ctx.faults;
        match fault {
            Fault::Down => f.set_down(true),
            Fault::Up => {
                f.set_latency_ms(0);
                f.set_error_rate(0.0);
                f.set_down(false);
            }
            Fault::Latency(ms) => f.set_latency_ms(ms),
            Fault::NoMetrics => f.set_no_metrics(true),
            Fault::Metrics => f.set_no_metrics(false),
            Fault::ErrorRate(p) => {
                if !(0.0..=1.0).contains(&p) {
                    return Err(SimError::Fault(format!(
                        "{name}: error rate {p} is not between 0 and 1"
                    )));
                }
                f.set_error_rate(p);
            }
            other => controllers::apply_fault(&c.ctx, &other).map_err(SimError::Fault)?,
        }
        Ok(())
    }

    fn kubeconfig_yaml(&self) -> String {
        let admin = format!("http://127.0.0.1:{}", self.admin_port);
        let mut y = String::from("apiVersion: v1\nkind: Config\npreferences: {}\n");
        if let Some(first) = self.clusters.first() {
            y.push_str(&format!("current-context: {}\n", yq(&first.ctx.name)));
        }
        y.push_str("clusters:\n");
        for c in &self.clusters {
            y.push_str(&format!(
                "- name: {}\n  cluster:\n    server: {}\n    certificate-authority-data: {}\n    extensions:\n    - name: {}\n      extension:\n        url: {}\n",
                yq(&c.ctx.name),
                yq(&format!("https://127.0.0.1:{}", c.port)),
                yq(&admission::base64_encode(self.tls.ca_pem.as_bytes())),
                yq(ADMIN_EXTENSION),
                yq(&admin)
            ));
        }
        y.push_str("users:\n");
        for c in &self.clusters {
            y.push_str(&format!(
                "- name: {}\n  user:\n    token: {}\n",
                yq(&c.ctx.name),
                yq(&c.token)
            ));
        }
        y.push_str("contexts:\n");
        for c in &self.clusters {
            y.push_str(&format!(
                "- name: {n}\n  context:\n    cluster: {n}\n    user: {n}\n    namespace: default\n",
                n = yq(&c.ctx.name)
            ));
        }
        y
    }
}

macro_rules! fleet_accessors {
    () => {
        /// A kubeconfig with one cluster, user (bearer token) and context per member
        /// (context = cluster name, namespace default); every cluster entry carries the admin
        /// URL as extension `fleet.kubectl.dev/sim-admin`.
        pub fn kubeconfig_yaml(&self) -> String {
            self.shared.kubeconfig_yaml()
        }

        /// Writes [`Self::kubeconfig_yaml`] to `path`.
        pub fn write_kubeconfig(&self, path: impl AsRef<Path>) -> Result<(), SimError> {
            let path = path.as_ref();
            std::fs::write(path, self.kubeconfig_yaml()).map_err(|source| SimError::Write {
                path: path.display().to_string(),
                source,
            })
        }

        /// Member cluster names, in config order.
        pub fn cluster_names(&self) -> Vec<String> {
            self.shared
                .clusters
                .iter()
                .map(|c| c.ctx.name.clone())
                .collect()
        }

        /// `http://127.0.0.1:<port>` of a member's API server.
        pub fn server_url(&self, name: &str) -> Option<String> {
            self.shared
                .entry(name)
                .ok()
                .map(|c| format!("https://127.0.0.1:{}", c.port))
        }

        /// The admin bearer token of a cluster (user `kubernetes-admin`, cluster-admin), as
        /// in the kubeconfig.
        pub fn admin_token(&self, name: &str) -> Option<String> {
            self.shared.entry(name).ok().map(|c| c.token.clone())
        }

        /// The PEM CA certificate the API servers' TLS certificate is signed by.
        pub fn ca_pem(&self) -> String {
            self.shared.tls.ca_pem.clone()
        }

        /// `http://127.0.0.1:<port>` of the fleet's admin server.
        pub fn admin_url(&self) -> String {
            format!("http://127.0.0.1:{}", self.shared.admin_port)
        }

        /// Applies a fault to a member (network faults here, node/inventory faults through the
        /// member's controllers).
        pub fn fault(&self, name: &str, fault: Fault) -> Result<(), SimError> {
            self.shared.fault(name, fault)
        }

        /// A member's object store (for tests).
        pub fn store(&self, name: &str) -> Option<Arc<Store>> {
            self.shared.entry(name).ok().map(|c| c.ctx.store.clone())
        }

        /// A member's context (for tests and controllers).
        pub fn cluster(&self, name: &str) -> Option<Arc<ClusterCtx>> {
            self.shared.entry(name).ok().map(|c| c.ctx.clone())
        }
    };
}

/// A running simulated fleet inside the caller's tokio runtime. Dropping it stops the servers
/// and controllers ([`SimFleet::shutdown`] also waits for them).
#[derive(Debug)]
pub struct SimFleet {
    shared: Arc<FleetShared>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl SimFleet {
    /// Seeds every member, binds its API server on 127.0.0.1 (a free port each), starts its
    /// controllers, and binds the admin server.
    pub async fn start(config: SimConfig, opts: SimOptions) -> Result<SimFleet, SimError> {
        Self::start_inner(config, opts, true).await
    }

    /// Like [`SimFleet::start`] but without controllers: the API servers serve what the seed
    /// and the clients write, nothing else changes objects. For API tests and for measuring
    /// the API server's own memory and latency.
    pub async fn start_api_only(config: SimConfig, opts: SimOptions) -> Result<SimFleet, SimError> {
        Self::start_inner(config, opts, false).await
    }

    async fn start_inner(
        config: SimConfig,
        opts: SimOptions,
        with_controllers: bool,
    ) -> Result<SimFleet, SimError> {
        if config.clusters.is_empty() {
            return Err(SimError::Config(
                "clusters: at least one cluster is required".into(),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for (i, c) in config.clusters.iter().enumerate() {
            if c.name.is_empty() {
                return Err(SimError::Config(format!("clusters[{i}].name: required")));
            }
            if !seen.insert(c.name.clone()) {
                return Err(SimError::Config(format!(
                    "clusters[{i}].name: duplicate cluster name {:?}",
                    c.name
                )));
            }
        }
        let (shutdown, shutdown_rx) = watch::channel(false);
        let mut entries = Vec::new();
        let mut listeners = Vec::new();
        let initial_load = config.load;
        for c in config.clusters {
            let ctx = Arc::new(ClusterCtx::new(c, opts.speed));
            controllers::seed(&ctx);
            let l = TcpListener::bind("127.0.0.1:0")
                .await
                .map_err(SimError::Bind)?;
            let port = l.local_addr().map_err(SimError::Bind)?.port();
            let token = format!("sim-{}-{:016x}", ctx.name, fastrand::u64(..));
            entries.push(ClusterEntry { ctx, port, token });
            listeners.push(l);
        }
        let admin = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(SimError::Bind)?;
        let admin_port = admin.local_addr().map_err(SimError::Bind)?.port();
        let tls = tls::FleetTls::generate().map_err(SimError::Runtime)?;
        let first = entries
            .first()
            .map(|e| e.ctx.name.clone())
            .unwrap_or_default();
        let load = Arc::new(
            load::LoadModel::new(
                entries
                    .iter()
                    .map(|e: &ClusterEntry| e.ctx.store.clone())
                    .collect(),
            )
            .with_first(&first),
        );
        for d in initial_load {
            load.set(d);
        }
        let shared = Arc::new(FleetShared {
            clusters: entries,
            admin_port,
            tls,
            load,
        });
        let mut tasks = Vec::new();
        for (c, l) in shared.clusters.iter().zip(listeners) {
            let state = Arc::new(api::ApiState {
                ctx: c.ctx.clone(),
                token: c.token.clone(),
                port: c.port,
                shutdown: shutdown_rx.clone(),
                load: shared.load.clone(),
            });
            tasks.push(tokio::spawn(server::serve_cluster(
                c.ctx.clone(),
                l,
                shared.tls.clone(),
                api::router(state),
                shutdown_rx.clone(),
            )));
            if with_controllers {
                controllers::spawn(c.ctx.clone(), shutdown_rx.clone());
            } else {
                // Nobody will pick up the seeding controllers' state.
                drop(
                    c.ctx
                        .seeded
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .take(),
                );
            }
        }
        tasks.push(tokio::spawn(server::serve_admin(
            admin,
            server::admin_router(shared.clone()),
            shutdown_rx,
        )));
        Ok(SimFleet {
            shared,
            shutdown,
            tasks,
        })
    }

    fleet_accessors!();

    /// Stops servers and controllers and waits (up to 5 s) for the servers to close.
    pub async fn shutdown(mut self) {
        self.shutdown.send_replace(true);
        let tasks = std::mem::take(&mut self.tasks);
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            futures::future::join_all(tasks),
        )
        .await;
    }
}

impl Drop for SimFleet {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

/// A simulated fleet on its own thread and multi-thread runtime, for synchronous callers and
/// tests. Stops on drop or [`SimHandle::shutdown`].
#[derive(Debug)]
pub struct SimHandle {
    shared: Arc<FleetShared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimHandle {
    /// Starts the fleet on a new thread and returns once every server listens.
    pub fn start_blocking(config: SimConfig, opts: SimOptions) -> Result<SimHandle, SimError> {
        Self::start_blocking_inner(config, opts, true)
    }

    /// [`SimFleet::start_api_only`] on its own thread.
    pub fn start_blocking_api_only(
        config: SimConfig,
        opts: SimOptions,
    ) -> Result<SimHandle, SimError> {
        Self::start_blocking_inner(config, opts, false)
    }

    fn start_blocking_inner(
        config: SimConfig,
        opts: SimOptions,
        with_controllers: bool,
    ) -> Result<SimHandle, SimError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("kubectl-fleet-sim".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("kubectl-fleet-sim-rt")
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(SimError::Runtime(e.to_string())));
                        return;
                    }
                };
                rt.block_on(async move {
                    match SimFleet::start_inner(config, opts, with_controllers).await {
                        Ok(fleet) => {
                            let _ = ready_tx.send(Ok(fleet.shared.clone()));
                            let _ = stop_rx.await;
                            fleet.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
                rt.shutdown_timeout(std::time::Duration::from_secs(2));
            })
            .map_err(|e| SimError::Runtime(e.to_string()))?;
        let shared = ready_rx
            .recv()
            .map_err(|_| SimError::Runtime("the simulator thread exited during start".into()))??;
        Ok(SimHandle {
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    fleet_accessors!();

    /// Stops the fleet and joins its thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
