//! Simulator tests (real kubectl and kube-rs against src/sim).
mod behaviour_controllers;
