//! `kubectl fleet reconcile --interval 30s [--once] [--metrics-addr ADDR] [--log-format
//! text|json] [--lease-member NAME --lease-namespace kube-system]`: the controller mode
//! ([`crate::fleet::reconcile`]). Logs go to stderr through `tracing` (JSON lines with
//! `--log-format json`); SIGINT/SIGTERM stop it cleanly (the Lease is released).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use clap_complete::engine::ArgValueCandidates;

use super::global::{parse_timeout, print_out};
use super::{complete, Context, ExitStatus};
use crate::fleet::rebalance::{RebalanceOptions, WorkloadSelection};
use crate::fleet::reconcile::lease::{default_identity, LeaseConfig, LEASE_NAME};
use crate::fleet::reconcile::metrics::Metrics;
use crate::fleet::reconcile::{run as run_loop, serve, ReconcileOptions};

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Arguments of `reconcile`.
#[derive(Args, Debug)]
pub struct ReconcileArgs {
    /// Time between passes.
    #[arg(long, default_value = "30s", value_parser = parse_timeout, value_name = "DURATION")]
    pub interval: Duration,
    /// Run one pass and exit.
    #[arg(long)]
    pub once: bool,
    /// Serve /healthz and Prometheus /metrics on this address (e.g. 127.0.0.1:9090).
    #[arg(long, value_name = "ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// Log format on stderr.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, value_name = "FORMAT")]
    pub log_format: LogFormat,
    /// Leader election: the member holding the coordination.k8s.io Lease (or a kubeconfig
    /// context outside the fleet, e.g. the hosting cluster excluded with --clusters).
    #[arg(long, value_name = "CLUSTER", add = ArgValueCandidates::new(complete::member_candidates))]
    pub lease_member: Option<String>,
    /// Namespace of the Lease.
    #[arg(long, default_value = "kube-system", value_name = "NAMESPACE")]
    pub lease_namespace: String,
    /// Name of the Lease.
    #[arg(long, default_value = LEASE_NAME, value_name = "NAME")]
    pub lease_name: String,
    /// leaseDurationSeconds: a holder that stops renewing loses the Lease after this.
    #[arg(long, default_value = "15s", value_parser = parse_timeout, value_name = "DURATION")]
    pub lease_duration: Duration,
    /// holderIdentity (default: $POD_NAME or $HOSTNAME, plus the process id).
    #[arg(long, value_name = "ID")]
    pub identity: Option<String>,
    /// At most this many optional moves per workload and pass.
    #[arg(long, value_name = "N")]
    pub max_moves: Option<u32>,
    /// Move replicas Pending for longer than this.
    #[arg(long, default_value = "2m", value_parser = parse_timeout, value_name = "DURATION")]
    pub pending_timeout: Duration,
    /// Fail over members unreachable (or replicas not Ready) for longer than this.
    #[arg(long, default_value = "2m", value_parser = parse_timeout, value_name = "DURATION")]
    pub unready_timeout: Duration,
    /// How long one pass waits for new replicas before removing old ones.
    #[arg(long, default_value = "5m", value_parser = parse_timeout, value_name = "DURATION")]
    pub timeout: Duration,
}

/// Logging for the controller: info by default, JSON lines with `--log-format json`.
pub fn init_logging(format: LogFormat, verbose: u8) {
    let default = match verbose {
        0 => "kubectl_fleet=info",
        1 => "kubectl_fleet=debug,kube=info",
        _ => "kubectl_fleet=trace,kube=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init(),
    };
}

/// Runs `reconcile`.
pub async fn run(args: ReconcileArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let fleet = ctx.load_fleet()?;
    if let Some(m) = &args.lease_member {
        if fleet.member_or_context(m).is_none() {
            super::cordon::member(&fleet, m)?;
        }
    }
    let (tx, rx) = tokio::sync::watch::channel(false);
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            super::signals::interrupted().await;
            tracing::info!("shutdown requested");
            let _ = tx.send(true);
        });
    }
    let metrics = Arc::new(Metrics::new());
    let server = match args.metrics_addr {
        Some(addr) => {
            let (bound, handle) = serve(addr, metrics.clone(), rx.clone())
                .await
                .map_err(|e| anyhow::anyhow!("--metrics-addr {addr}: {e}"))?;
            tracing::info!(addr = %bound, "serving /healthz and /metrics");
            Some(handle)
        }
        None => None,
    };
    let opts = ReconcileOptions {
        interval: args.interval,
        once: args.once,
        rebalance: RebalanceOptions {
            selection: WorkloadSelection::All,
            max_moves: args.max_moves,
            pending_timeout: args.pending_timeout,
            unready_timeout: args.unready_timeout,
        },
        apply_timeout: args.timeout,
        lease: args.lease_member.clone().map(|m| {
            (
                m,
                LeaseConfig {
                    namespace: args.lease_namespace.clone(),
                    name: args.lease_name.clone(),
                    identity: args.identity.clone().unwrap_or_else(default_identity),
                    duration: args.lease_duration,
                },
            )
        }),
    };
    let passes = run_loop(&fleet, &opts, metrics, rx).await;
    let _ = tx.send(true);
    if let Some(h) = server {
        let _ = tokio::time::timeout(Duration::from_secs(2), h).await;
    }
    let passes = passes?;
    if args.once {
        match passes.last() {
            Some(s) => {
                let mut out = String::new();
                for r in &s.rescaled {
                    out.push_str(&format!("autoscaled {r}\n"));
                }
                out.push_str(&format!(
                    "reconciled: {} workloads, {} actions, {} replicas moved, {} member writes, {} events, {} autoscalers{}\n",
                    s.workloads,
                    s.actions,
                    s.moves,
                    s.writes,
                    s.events,
                    s.autoscalers,
                    if s.unreachable.is_empty() {
                        String::new()
                    } else {
                        format!(", unreachable: {}", s.unreachable.join(", "))
                    }
                ));
                print_out(&out)?;
                for w in &s.warnings {
                    eprintln!("warning: {w}");
                }
            }
            None => {
                print_out("not the leader: another reconciler holds the lease; nothing done\n")?
            }
        }
        if let Some(s) = passes.last().filter(|s| !s.errors.is_empty()) {
            for e in &s.errors {
                eprintln!("error: {e}");
            }
            return Ok(ExitStatus::Failure);
        }
    }
    Ok(ExitStatus::Success)
}
