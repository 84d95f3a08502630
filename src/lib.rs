//! kubectl-fleet: the clusters in your kubeconfig as one fleet.
//!
//! Pure core (no I/O, no async): [`policy`], [`capacity`], [`schedule`], [`rollout`].
//! Edges: [`fleet`] (membership, fan-out clients, apply), [`cli`] (clap commands),
//! [`output`] (tables, json/yaml) and [`sim`] (the simulated fleet).

pub mod autoscale;
pub mod capacity;
pub mod cli;
pub mod fleet;
pub mod output;
pub mod policy;
pub mod rollout;
pub mod schedule;
pub mod sim;
