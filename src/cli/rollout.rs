//! `kubectl fleet rollout status|history|undo|pause|resume|restart deploy/NAME`: kubectl
//! rollout's commands for a fleet-wide rollout ([`crate::fleet::rollout`]). The state lives
//! in the members, so any machine can run any of them.

use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use super::apply::{render_report, DryRunArg, LockArgs};
use super::exit::usage;
use super::global::{parse_timeout, print_out};
use super::scale::deployment_target;
use super::{complete, Context, ExitStatus};
use crate::fleet::rollout::{self as fr, Changed};
use crate::fleet::{ApplyOptions, DryRun};
use crate::output::rollout::{history_table, status_line, status_table};
use crate::output::{to_json, to_yaml};
use crate::rollout::Phase;

/// `-o` of the rollout commands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RolloutOutput {
    Json,
    Yaml,
}

/// `rollout` subcommands.
#[derive(Subcommand, Debug)]
pub enum RolloutCommand {
    /// Show the rollout's step, fleet-wide counts and state per member; wait until it completes
    /// (exit 0), fails (exit 1) or --timeout passes (exit 1).
    Status(StatusArgs),
    /// List the fleet revisions of the template with their change cause.
    History(HistoryArgs),
    /// Roll back to the previous revision (or --to-revision) on every member at once,
    /// make-before-break; canary copies are removed.
    Undo(UndoArgs),
    /// Pause the rollout: no step advances until `rollout resume`.
    Pause(PauseArgs),
    /// Resume: lift a pause and continue a step that waits for resume (`pause: {}`).
    Resume(ResumeArgs),
    /// Restart the pods (annotation kubectl.kubernetes.io/restartedAt), through the Rollout's steps if there is one.
    Restart(RestartArgs),
}

/// `deploy/NAME`.
#[derive(Args, Debug)]
pub struct TargetArgs {
    /// `deploy/NAME` (or `deploy NAME`).
    #[arg(value_name = "TYPE/NAME", num_args = 1..=2, required = true, add = ArgValueCompleter::new(complete::deployment_target_candidates))]
    pub target: Vec<String>,
}

/// Arguments of `rollout status`.
#[derive(Args, Debug)]
pub struct StatusArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Watch until the rollout completes or fails (`--watch=false`: print once).
    #[arg(short = 'w', long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub watch: bool,
    /// How long to watch (0 = no limit).
    #[arg(long, value_name = "DURATION", default_value = "0s", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// Print the whole status document as json or yaml (again each time it changes while
    /// watching; yaml documents separated by `---`).
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<RolloutOutput>,
    /// When the rollout fails, restore the previous template everywhere (like `rollout undo`,
    /// make-before-break) before exiting 1.
    #[arg(long)]
    pub rollback_on_failure: bool,
    /// Pin to a revision: exit 1 when the rollout runs another one (0 = the latest).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub revision: u64,
    #[command(flatten)]
    pub lock: LockArgs,
}

/// Arguments of `rollout pause`.
#[derive(Args, Debug)]
pub struct PauseArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub lock: LockArgs,
}

/// Arguments of `rollout restart`.
#[derive(Args, Debug)]
pub struct RestartArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub lock: LockArgs,
    /// Member order of the restart's rollout (comma-separated members, first first); wins
    /// over the Rollout's memberOrder field and member-order annotation.
    #[arg(long, value_name = "MEMBER,...", value_delimiter = ',')]
    pub order: Vec<String>,
}

/// Arguments of `rollout history`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Show the template of this revision.
    #[arg(long, value_name = "N")]
    pub revision: Option<u64>,
    /// Print the history (with --revision: that revision, its template included) as json or
    /// yaml.
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<RolloutOutput>,
}

/// Arguments of `rollout undo`.
#[derive(Args, Debug)]
pub struct UndoArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// The revision to roll back to (0 = the previous one).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub to_revision: u64,
    /// Only show what would change (client: nothing is written).
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "client", default_value = "none")]
    pub dry_run: DryRunArg,
    #[command(flatten)]
    pub lock: LockArgs,
}

/// Arguments of `rollout resume`.
#[derive(Args, Debug)]
pub struct ResumeArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// How long to wait for the current step to be Ready before continuing.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_timeout)]
    pub timeout: Duration,
    #[command(flatten)]
    pub lock: LockArgs,
}

/// Runs a `rollout` subcommand.
pub async fn run(cmd: RolloutCommand, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let ns = ctx.namespace();
    let fleet = ctx.load_fleet()?;
    let opts = ApplyOptions::default();
    match cmd {
        RolloutCommand::Status(a) => {
            let name = deployment_target(&a.target.target)?;
            let start = Instant::now();
            let mut last = String::new();
            loop {
                let st = fr::status(&fleet, &ns, &name).await?;
                if a.revision != 0 && st.revision != a.revision {
                    anyhow::bail!(
                        "desired revision ({}) is different from the running revision ({})",
                        a.revision,
                        st.revision
                    );
                }
                match a.output {
                    // Machine output: the whole status each time it changes (like the
                    // table's line), YAML documents separated by `---`.
                    Some(o) => {
                        let doc = match o {
                            RolloutOutput::Json => to_json(&st)?,
                            RolloutOutput::Yaml => to_yaml(&st)?,
                        };
                        if doc != last {
                            if o == RolloutOutput::Yaml && !last.is_empty() {
                                print_out("---\n")?;
                            }
                            print_out(&doc)?;
                            last = doc;
                        }
                    }
                    None => {
                        let line = status_line(&st);
                        let table = status_table(&st, &ctx.out);
                        if line != last {
                            print_out(&format!("{line}\n"))?;
                            if !a.watch
                                || last.is_empty()
                                || matches!(st.phase, Phase::Completed | Phase::Failed { .. })
                            {
                                print_out(&table)?;
                            }
                            last = line;
                        }
                    }
                }
                match st.phase {
                    Phase::Completed => return Ok(ExitStatus::Success),
                    Phase::Failed { .. } if a.rollback_on_failure => {
                        roll_back(&fleet, &ns, &name, &a.lock, a.output.is_none(), ctx).await?;
                        return Ok(ExitStatus::Failure);
                    }
                    Phase::Failed { .. } => return Ok(ExitStatus::Failure),
                    _ if !a.watch => return Ok(ExitStatus::Success),
                    _ => {}
                }
                if !a.timeout.is_zero() && start.elapsed() >= a.timeout {
                    eprintln!("error: timed out waiting for the rollout of deployment {ns}/{name} to finish");
                    return Ok(ExitStatus::Failure);
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
        RolloutCommand::History(a) => {
            let name = deployment_target(&a.target.target)?;
            let st = fr::status(&fleet, &ns, &name).await?;
            let record = &st.record;
            if let Some(n) = a.revision {
                let rev = record.revision(n).ok_or_else(|| {
                    usage(format!(
                        "--revision {n}: not in the history of deployment {ns}/{name}"
                    ))
                })?;
                match a.output {
                    Some(RolloutOutput::Json) => print_out(&to_json(rev)?)?,
                    Some(RolloutOutput::Yaml) => print_out(&to_yaml(rev)?)?,
                    None => print_out(&format!(
                        "deployment.apps/{name} with revision #{n}\n{}",
                        to_yaml(&rev.template)?
                    ))?,
                }
                return Ok(ExitStatus::Success);
            }
            match a.output {
                Some(RolloutOutput::Json) => print_out(&to_json(&record.history)?)?,
                Some(RolloutOutput::Yaml) => print_out(&to_yaml(&record.history)?)?,
                None => print_out(&history_table(&name, record))?,
            }
            Ok(ExitStatus::Success)
        }
        RolloutCommand::Undo(a) => {
            let name = deployment_target(&a.target.target)?;
            let opts = ApplyOptions {
                dry_run: DryRun::from(a.dry_run),
                ..opts
            };
            if opts.dry_run == DryRun::Client {
                let st = fr::status(&fleet, &ns, &name).await?;
                let rev =
                    fr::undo_target(&st.record, (a.to_revision != 0).then_some(a.to_revision))
                        .map_err(|e| usage(format!("deployment {ns}/{name}: {e}")))?;
                print_out(&format!(
                    "deployment.apps/{name} would roll back to revision {rev} (dry run)\n"
                ))?;
                return Ok(ExitStatus::Success);
            }
            let target = (a.to_revision != 0).then_some(a.to_revision);
            let (rev, changed) = fr::undo(
                &fleet,
                &ns,
                &name,
                target,
                &a.lock.options("rollout undo"),
                &opts,
            )
            .await?;
            print_out(&format!(
                "deployment.apps/{name} rolled back to revision {rev}\n"
            ))?;
            finish(changed, ctx)
        }
        RolloutCommand::Pause(a) => {
            let name = deployment_target(&a.target.target)?;
            fr::pause(&fleet, &ns, &name, &a.lock.options("rollout pause"), &opts).await?;
            print_out(&format!("deployment.apps/{name} paused\n"))?;
            Ok(ExitStatus::Success)
        }
        RolloutCommand::Resume(a) => {
            let name = deployment_target(&a.target.target)?;
            let changed = fr::resume(
                &fleet,
                &ns,
                &name,
                a.timeout,
                &a.lock.options("rollout resume"),
                &opts,
            )
            .await?;
            print_out(&format!("deployment.apps/{name} resumed\n"))?;
            finish(changed, ctx)
        }
        RolloutCommand::Restart(a) => {
            let name = deployment_target(&a.target.target)?;
            fr::check_order(&fleet, &a.order, "--order").map_err(usage)?;
            let opts = ApplyOptions {
                member_order: (!a.order.is_empty()).then_some(a.order),
                ..opts
            };
            let changed = fr::restart(
                &fleet,
                &ns,
                &name,
                &a.lock.options("rollout restart"),
                &opts,
            )
            .await?;
            print_out(&format!("deployment.apps/{name} restarted\n"))?;
            finish(changed, ctx)
        }
    }
}

/// `--rollback-on-failure` of `apply`: watches the step of `namespace/name` (up to
/// `timeout`); when it failed, rolls back. Returns false when the rollout failed (rolled back
/// or not) or was still progressing at the timeout.
pub async fn watch_step_or_roll_back(
    fleet: &crate::fleet::Fleet,
    namespace: &str,
    name: &str,
    timeout: Duration,
    lock: &LockArgs,
    print: bool,
    ctx: &Context,
) -> anyhow::Result<bool> {
    let st = match fr::wait_step(fleet, namespace, name, timeout).await {
        Ok(st) => st,
        // No rollout record (nothing was applied for it): nothing to watch.
        Err(crate::fleet::FleetError::Input(_)) => return Ok(true),
        Err(e) => return Err(e.into()),
    };
    match st.phase {
        Phase::Failed { .. } => {
            roll_back(fleet, namespace, name, lock, print, ctx).await?;
            Ok(false)
        }
        Phase::Progressing { .. } => {
            ctx.error_line(&format!(
                "--rollback-on-failure: the rollout of deployment {namespace}/{name} is still progressing after --timeout {}: not rolled back (keep watching with `kubectl fleet rollout status deploy/{name} --rollback-on-failure`)",
                humantime::format_duration(timeout)
            ));
            Ok(false)
        }
        _ => {
            if print {
                print_out(&format!("{}\n", status_line(&st)))?;
            }
            Ok(true)
        }
    }
}

/// Rolls a failed rollout back (under the lock; a rollout that is no longer failed is left
/// alone) and prints what happened.
async fn roll_back(
    fleet: &crate::fleet::Fleet,
    namespace: &str,
    name: &str,
    lock: &LockArgs,
    print: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let opts = ApplyOptions::default();
    let lock_opts = lock.options("rollback on failure");
    match fr::rollback_failed(fleet, namespace, name, &lock_opts, &opts).await? {
        None => ctx.warn(&format!(
            "deployment {namespace}/{name}: the rollout is no longer failed: not rolled back"
        )),
        Some(rb) => {
            if print {
                print_out(&format!(
                    "{}\nRolling back (--rollback-on-failure): revision {} everywhere\n",
                    status_line(&rb.failed),
                    rb.restored
                ))?;
            }
            if let Changed::Applied { report, .. } = &rb.changed {
                if print {
                    print_out(&render_report(report, ctx))?;
                }
                for w in &report.warnings {
                    ctx.warn(w);
                }
                for e in &report.errors {
                    ctx.error_line(e);
                }
            }
            if print {
                print_out(&format!(
                    "deployment.apps/{name} rolled back to revision {}\n",
                    rb.restored
                ))?;
            } else {
                // Machine output keeps stdout to the status documents.
                eprintln!(
                    "deployment.apps/{name} rolled back to revision {} (--rollback-on-failure)",
                    rb.restored
                );
            }
        }
    }
    Ok(())
}

fn finish(changed: Changed, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match changed {
        Changed::Recorded(_) => Ok(ExitStatus::Success),
        Changed::Applied { report, .. } => {
            print_out(&render_report(&report, ctx))?;
            for w in &report.warnings {
                ctx.warn(w);
            }
            for e in &report.errors {
                ctx.error_line(e);
            }
            Ok(if report.errors.is_empty() {
                ExitStatus::Success
            } else {
                ExitStatus::Failure
            })
        }
    }
}
