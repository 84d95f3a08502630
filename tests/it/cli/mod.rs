//! CLI tests (the kubectl-fleet binary against the simulated fleet).

mod commands;
mod completion;
mod fleet_bench;
mod faults_apply;
mod fleet_ops;
mod ops_common;
mod ops_drain;
mod ops_manifests;
mod ops_rebalance;
mod ops_reconcile;
mod parsers_fuzz;
