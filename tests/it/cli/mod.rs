//! CLI tests (the kubectl-fleet binary against the simulated fleet).

mod badinput_apply;
mod commands;
mod completion;
mod faults_apply;
mod faults_interrupt;
mod faults_members;
mod faults_util;
mod faults_wait;
mod fleet_bench;
mod fleet_ops;
mod ops_common;
mod ops_drain;
mod ops_manifests;
mod ops_rebalance;
mod ops_reconcile;
mod parsers_fuzz;
mod rollout;
