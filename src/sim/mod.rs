//! The simulated fleet: N Kubernetes-API-compatible member clusters served over HTTP on
//! 127.0.0.1 (one port each) plus a fleet admin endpoint, so unmodified kubectl and the kube
//! crate can be pointed at it (think kwok: the API is real, the kubelets are simulated).
//!
//! Layout: [`store`] (objects, resourceVersions, watch history, GC), [`cluster`] (per-cluster
//! context and network faults), [`config`] (the `SimulatedFleet` config) and [`controllers`]
//! (scheduler, kubelet, deployment/replicaset controllers, node pools).

pub mod cluster;
pub mod config;
pub mod controllers;
pub mod selector;
pub mod store;

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

/// A change applied to a running simulated cluster.
#[derive(Clone, Debug, PartialEq)]
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
}
