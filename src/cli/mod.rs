//! The `kubectl fleet` command line: the clap tree, global flags, dispatch, exit codes.
//!
//! One module per command. Each has an `Args` struct (clap), resolves it into options
//! (complete → validate) and runs a [`crate::fleet`] operation, printing through
//! [`crate::output`]. Nothing here holds fleet logic. Exit codes live in [`exit`].
//!
//! The same binary is also the completion helper: when invoked as `kubectl_complete-fleet`
//! (how kubectl ≥ 1.26 completes plugins) or as `kubectl-fleet __complete ...` (cobra-style
//! wrappers) it prints completion candidates instead, see [`complete`].

pub mod apply;
pub mod autoscale;
pub mod clusters;
pub mod complete;
pub mod completion;
pub mod cordon;
pub mod delete;
pub mod demo;
pub mod describe;
pub mod diff;
pub mod drain;
pub mod exit;
pub mod get;
pub mod global;
pub mod plan;
pub mod rebalance;
pub mod reconcile;
pub mod rollout;
pub mod scale;
pub mod signals;
pub mod sim;
pub mod top;

use std::ffi::OsString;

use clap::{Parser, Subcommand};

pub use exit::{ExitStatus, UsageError};
pub use global::{Context, GlobalArgs};

/// `kubectl fleet`: the clusters in your kubeconfig as one fleet.
#[derive(Parser, Debug)]
#[command(
    name = "kubectl-fleet",
    bin_name = "kubectl fleet",
    version,
    about = "Treat the clusters of your kubeconfig as one fleet: plan, split and apply Deployments across them",
    long_about = None,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// Global flags.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// All commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// List the member clusters: reachability, version, nodes, GPUs, cordon state, labels.
    Clusters(clusters::ClustersArgs),
    /// Show where the replicas of Deployments would go (changes nothing; exit 3 if some are unplaced).
    Plan(plan::PlanArgs),
    /// Plan, confirm and apply Deployments and policies to the member clusters.
    Apply(apply::ApplyArgs),
    /// Show what apply -f would change on each member (exit 0 none, 1 changes, 2 error).
    Diff(diff::DiffArgs),
    /// Show Deployments, pods, nodes, events or autoscalers across the fleet (-M: per member).
    Get(get::GetArgs),
    /// Show one Deployment across the fleet: policy, plan, member copies, conditions, events.
    Describe(describe::DescribeArgs),
    /// Change the fleet-wide replica count of a managed Deployment (re-plans with its policy).
    Scale(scale::ScaleArgs),
    /// Delete a managed Deployment or fleet autoscaler (hpa/NAME) from the members.
    Delete(delete::DeleteArgs),
    /// Create a fleet autoscaler for a managed Deployment, like kubectl autoscale.
    Autoscale(autoscale::AutoscaleArgs),
    /// Show CPU and memory of pods or nodes across the fleet, like kubectl top.
    #[command(subcommand)]
    Top(top::TopCommand),
    /// Run the whole workflow on a simulated 3-cluster GPU fleet (no clusters needed).
    Demo(demo::DemoArgs),
    /// Run or control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1).
    #[command(subcommand)]
    Sim(sim::SimCommand),
    /// Generate a static shell completion script for kubectl-fleet.
    Completion(completion::CompletionArgs),
    /// Cordon a member: it gets no new replicas (state stored in the member).
    Cordon(cordon::CordonArgs),
    /// Uncordon a member.
    Uncordon(cordon::UncordonArgs),
    /// Cordon a member and move its managed replicas to the others, make-before-break.
    Drain(drain::DrainArgs),
    /// One pass of descheduling, failover and return to priority.
    Rebalance(rebalance::RebalanceArgs),
    /// Controller mode: loop plan/apply/rebalance, with metrics and leader election.
    Reconcile(reconcile::ReconcileArgs),
    /// Fleet-wide rollouts: status, history, undo, pause, resume, restart (Kruise Rollout steps).
    #[command(subcommand)]
    Rollout(rollout::RolloutCommand),
}

/// The clap command tree (used by completion and the static script generator).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Entry point of `kubectl-fleet`; returns the process exit code.
pub fn main_entry() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    if complete::is_completion_invocation(&args) {
        return complete::run(complete::completion_words(&args));
    }
    run_args(args)
}

/// Entry point of `kubectl_complete-fleet`; returns the process exit code.
pub fn complete_entry() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    complete::run(complete::completion_words(&args))
}

/// Parse `args` (argv, including argv[0]) and run the command.
pub fn run_args(args: Vec<OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            if !err.use_stderr() {
                // --help / --version
                let _ = err.print();
                return ExitStatus::Success.code();
            }
            if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                // `kubectl fleet` (or `kubectl fleet sim`) alone: the full help, like kubectl,
                // on stderr with the usage exit code.
                let _ = err.print();
                return ExitStatus::Usage.code();
            }
            eprintln!("{}", clap_error_line(&err));
            return ExitStatus::Usage.code();
        }
    };
    match &cli.command {
        Command::Reconcile(a) => reconcile::init_logging(a.log_format, cli.global.verbose),
        _ => global::init_tracing(cli.global.verbose),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: starting the async runtime: {err}");
            return ExitStatus::Failure.code();
        }
    };
    let result = runtime.block_on(async move {
        let ctx = cli.global.resolve()?;
        dispatch(cli.command, &ctx).await
    });
    let status = match result {
        Ok(status) => status,
        Err(err) => {
            let status = exit::classify(&err);
            if status != ExitStatus::Success {
                eprintln!("error: {}", exit::one_line(&err));
            }
            status
        }
    };
    // Do not wait for stray background tasks (e.g. a hung member connection).
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    status.code()
}

/// A clap usage error as one line: `error: <what> [possible values: ...]`.
pub fn clap_error_line(err: &clap::Error) -> String {
    let rendered = err.render().to_string();
    let mut parts: Vec<&str> = Vec::new();
    for line in rendered.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with("Usage:") || line.starts_with("For more information")
        {
            continue;
        }
        parts.push(line);
    }
    let mut line = parts.join(" ");
    if !line.starts_with("error:") {
        line = format!("error: {line}");
    }
    line
}

async fn dispatch(command: Command, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match command {
        Command::Clusters(args) => clusters::run(args, ctx).await,
        Command::Plan(args) => plan::run(args, ctx).await,
        Command::Apply(args) => apply::run(args, ctx).await,
        Command::Diff(args) => diff::run(args, ctx).await,
        Command::Get(args) => get::run(args, ctx).await,
        Command::Describe(args) => describe::run(args, ctx).await,
        Command::Scale(args) => scale::run(args, ctx).await,
        Command::Delete(args) => delete::run(args, ctx).await,
        Command::Autoscale(args) => autoscale::run(args, ctx).await,
        Command::Top(cmd) => top::run(cmd, ctx).await,
        Command::Demo(args) => demo::run(args, ctx).await,
        Command::Sim(cmd) => {
            let code = sim::run_with_globals(
                cmd,
                ctx.global.kubeconfig.as_deref(),
                ctx.global.namespace.as_deref(),
            )
            .await?;
            Ok(match code {
                0 => ExitStatus::Success,
                2 => ExitStatus::Usage,
                _ => ExitStatus::Failure,
            })
        }
        Command::Completion(args) => completion::run(args, ctx),
        Command::Cordon(args) => cordon::run_cordon(args, ctx).await,
        Command::Uncordon(args) => cordon::run_uncordon(args, ctx).await,
        Command::Drain(args) => drain::run(args, ctx).await,
        Command::Rebalance(args) => rebalance::run(args, ctx).await,
        Command::Reconcile(args) => reconcile::run(args, ctx).await,
        Command::Rollout(cmd) => rollout::run(cmd, ctx).await,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn top_level_help_lists_every_command() {
        let help = super::command().term_width(100).render_help().to_string();
        insta::assert_snapshot!(help);
    }

    #[test]
    fn describe_and_diff_help_state_their_contract() {
        let mut cmd = super::command().term_width(100);
        cmd.build();
        let describe = cmd
            .find_subcommand_mut("describe")
            .expect("describe")
            .render_help()
            .to_string();
        insta::assert_snapshot!(describe);
        let diff = cmd
            .find_subcommand_mut("diff")
            .expect("diff")
            .render_help()
            .to_string();
        assert!(diff.contains("exit 0 none, 1 changes, 2 error"), "{diff}");
    }
}
