//! Per-cluster context shared by the HTTP server and the simulated controllers: name, store,
//! config, speed and the network faults currently applied to the cluster's API endpoint.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::watch;

use super::config::ClusterConfig;
use super::store::Store;

/// Everything one simulated cluster is made of. Shared as `Arc<ClusterCtx>`.
#[derive(Debug)]
pub struct ClusterCtx {
    /// Cluster name (kubeconfig cluster, context and user name).
    pub name: String,
    /// The cluster's object store.
    pub store: Arc<Store>,
    /// The cluster's configuration.
    pub config: ClusterConfig,
    /// Simulated-time speed factor (2.0 = delays take half as long).
    pub speed: f64,
    /// Network faults the HTTP layer applies.
    pub faults: Faults,
    /// What the controllers learned while seeding (their view of 60,000 pods, timers), handed
    /// to the control loop so it does not start by re-reading every object.
    pub(crate) seeded: std::sync::Mutex<Option<super::controllers::State>>,
    /// Images made bad by the `badImage` fault: pods running them start but never turn
    /// Ready, and their containers restart every 10 simulated seconds (CrashLoopBackOff).
    pub bad_images: std::sync::RwLock<std::collections::BTreeSet<String>>,
    /// ServiceAccount tokens issued by the TokenRequest API.
    pub tokens: super::auth::Tokens,
    /// Authorization decisions about users other than the admin.
    pub access: super::auth::AccessLog,
}

impl ClusterCtx {
    /// A context with an empty store and no faults.
    pub fn new(config: ClusterConfig, speed: f64) -> Self {
        ClusterCtx {
            name: config.name.clone(),
            store: Arc::new(Store::new()),
            config,
            speed,
            faults: Faults::default(),
            seeded: std::sync::Mutex::new(None),
            bad_images: Default::default(),
            tokens: super::auth::Tokens::default(),
            access: super::auth::AccessLog::default(),
        }
    }

    /// Scales a simulated duration in seconds by the speed factor.
    pub fn scaled(&self, seconds: f64) -> std::time::Duration {
        let speed = if self.speed > 0.0 { self.speed } else { 1.0 };
        std::time::Duration::from_secs_f64((seconds / speed).max(0.0))
    }
}

/// Network faults of one cluster's API endpoint (thread-safe, changed at runtime).
#[derive(Debug)]
pub struct Faults {
    down: watch::Sender<bool>,
    latency_ms: AtomicU64,
    error_rate_bits: AtomicU64,
    no_metrics: AtomicBool,
    /// When the metrics APIs were last switched off or on (RFC 3339; None: never).
    metrics_changed: std::sync::Mutex<Option<String>>,
    /// How often the metrics APIs were switched off or on.
    metrics_toggles: AtomicU64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            down: watch::channel(false).0,
            latency_ms: AtomicU64::new(0),
            error_rate_bits: AtomicU64::new(0f64.to_bits()),
            no_metrics: AtomicBool::new(false),
            metrics_changed: std::sync::Mutex::new(None),
            metrics_toggles: AtomicU64::new(0),
        }
    }
}

impl Faults {
    /// Whether the endpoint is down (listener closed: connection refused).
    pub fn is_down(&self) -> bool {
        *self.down.borrow()
    }

    /// Takes the endpoint down (`true`) or brings it back on the same port (`false`).
    pub fn set_down(&self, down: bool) {
        self.down.send_replace(down);
    }

    /// Notified whenever the down flag changes.
    pub fn down_watch(&self) -> watch::Receiver<bool> {
        self.down.subscribe()
    }

    /// Extra latency added to every request, in milliseconds.
    pub fn latency_ms(&self) -> u64 {
        self.latency_ms.load(Ordering::Relaxed)
    }

    /// Sets the extra latency per request.
    pub fn set_latency_ms(&self, ms: u64) {
        self.latency_ms.store(ms, Ordering::Relaxed);
    }

    /// Probability in [0, 1] that a request fails with 500 InternalError.
    pub fn error_rate(&self) -> f64 {
        f64::from_bits(self.error_rate_bits.load(Ordering::Relaxed))
    }

    /// Whether the metrics APIs answer 503 (`sim fault --no-metrics`).
    pub fn no_metrics(&self) -> bool {
        self.no_metrics.load(Ordering::Relaxed)
    }

    /// Makes the metrics APIs unavailable (`true`) or available again (`false`).
    pub fn set_no_metrics(&self, off: bool) {
        if self.no_metrics.swap(off, Ordering::Relaxed) != off {
            *self
                .metrics_changed
                .lock()
                .unwrap_or_else(|e| e.into_inner()) = Some(super::store::now_rfc3339());
            self.metrics_toggles.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// How often the metrics APIs were switched off or on since start.
    pub fn metrics_toggles(&self) -> u64 {
        self.metrics_toggles.load(Ordering::Relaxed)
    }

    /// When the metrics APIs were last switched off or on (None: never since start).
    pub fn metrics_changed(&self) -> Option<String> {
        self.metrics_changed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Sets the error probability (clamped to [0, 1]).
    pub fn set_error_rate(&self, p: f64) {
        let p = if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.error_rate_bits.store(p.to_bits(), Ordering::Relaxed);
    }
}

/// Shared handle type used by the servers and controllers.
pub type SharedCtx = Arc<ClusterCtx>;
