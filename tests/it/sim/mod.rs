//! Simulator tests (real kubectl and kube-rs against src/sim).

mod api_auth;
mod api_faults;
mod api_kinds;
mod api_kube;
mod api_kubectl;
mod api_openapi;
mod api_scale;
mod behaviour_controllers;
mod behaviour_kubectl;
