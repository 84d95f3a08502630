//! Command-line interface: one module per command (placeholder, filled by its owner).

pub mod sim;

/// Entry point of `kubectl-fleet`; returns the process exit code.
pub fn main_entry() -> i32 {
    eprintln!("error: not built yet");
    1
}

/// Entry point of `kubectl_complete-fleet`; returns the process exit code.
pub fn complete_entry() -> i32 {
    0
}
