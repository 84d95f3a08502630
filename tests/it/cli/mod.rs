//! CLI tests (the kubectl-fleet binary against the simulated fleet).

mod autoscale_apply;
mod autoscale_bench;
mod autoscale_cli;
mod autoscale_e2e;
mod autoscale_metrics;
mod badinput_apply;
mod commands;
mod completion;
mod conventions;
mod faults_apply;
mod faults_interrupt;
mod faults_members;
mod faults_util;
mod faults_wait;
mod fence_writers;
mod fleet_bench;
mod fleet_ops;
mod ops_common;
mod ops_drain;
mod ops_manifests;
mod ops_manifests_rbac;
mod ops_rebalance;
mod ops_reconcile;
mod output_many;
mod parsers_fuzz;
mod rollout;
