//! Shared test helpers: start a simulated fleet, write its kubeconfig, run binaries.
