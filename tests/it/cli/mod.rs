//! CLI tests (the kubectl-fleet binary against the simulated fleet).

mod completion;
mod fleet_ops;
mod parsers_fuzz;
