//! Interrupt handling shared by the long-running commands.
//!
//! SIGINT (Ctrl-C) and SIGTERM (what `kill`, systemd and a Pod's termination send) mean the
//! same thing everywhere: `apply`, `drain` and `rebalance` finish the member they are writing
//! and stop with a report of what was done; `reconcile`, `sim up` and `demo` shut down cleanly.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Resolves at the next SIGINT or SIGTERM received after the call.
pub async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// A flag that turns true at the first SIGINT/SIGTERM (checked between members).
pub fn cancel_flag() -> Arc<AtomicBool> {
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    tokio::spawn(async move {
        interrupted().await;
        flag.store(true, Ordering::SeqCst);
    });
    cancel
}
