//! Simulated fleet configuration (placeholder; owned and replaced by helper "simctl").

use std::collections::BTreeMap;

/// A whole simulated fleet: one entry per member cluster.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SimConfig {
    /// Member clusters.
    pub clusters: Vec<ClusterConfig>,
}

/// One simulated member cluster.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ClusterConfig {
    /// Cluster name; also the kubeconfig cluster, user and context name.
    pub name: String,
    /// Member labels.
    pub labels: BTreeMap<String, String>,
}

/// A config error (one line naming the field).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

impl SimConfig {
    /// Parses a `SimulatedFleet` document (placeholder: not implemented yet).
    pub fn from_yaml(_text: &str, source: &str) -> Result<SimConfig, ConfigError> {
        Err(ConfigError(format!(
            "{source}: SimulatedFleet parsing is not built yet"
        )))
    }

    /// The built-in demo fleet (placeholder: three empty clusters).
    pub fn builtin() -> SimConfig {
        let c = |n: &str| ClusterConfig {
            name: n.into(),
            ..Default::default()
        };
        SimConfig {
            clusters: vec![c("idc-beijing"), c("ack-hangzhou"), c("ack-shanghai")],
        }
    }
}
