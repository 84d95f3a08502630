//! Simulator tests (real kubectl and kube-rs against src/sim).
