//! `kubectl fleet apply -f ...`: plan, show the plan, confirm (on a terminal, unless
//! `--yes`), then server-side apply the member copies make-before-break. `--wait` shows a
//! progress bar per member on stderr. Ctrl-C stops between members and says what was applied;
//! re-running the same command resumes (apply is idempotent).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clap::{Args, ValueHint};

use super::global::{parse_timeout, print_out};
use super::plan::{render, warn_all, PlanOutput};
use super::{Context, ExitStatus};
use crate::fleet::write::LockedPlan;
use crate::fleet::{
    ApplyOptions, ApplyProgress, ApplyReport, ConflictResolution, DryRun, Fleet, FleetPlan, Inputs,
    LockOptions,
};
use crate::output::{to_json, to_yaml};

/// `--dry-run` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DryRunArg {
    /// Really apply.
    None,
    /// Compute and show what would change; send no writes.
    Client,
    /// Send every write with dryRun=All (the members validate, nothing persists).
    Server,
}

impl From<DryRunArg> for DryRun {
    fn from(d: DryRunArg) -> Self {
        match d {
            DryRunArg::None => DryRun::None,
            DryRunArg::Client => DryRun::Client,
            DryRunArg::Server => DryRun::Server,
        }
    }
}

/// The write-lock flags of every command that writes workload copies.
#[derive(Args, Debug, Clone)]
pub struct LockArgs {
    /// How long to wait for another writer's lock on a workload before giving up (exit 1,
    /// naming the holder); 0 tries once.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_lock_timeout)]
    pub lock_timeout: Duration,
    /// Take the workload's write lock even though another writer holds it. Only for a
    /// holder that is known to be dead (it would otherwise expire after its lease duration).
    #[arg(long)]
    pub force_unlock: bool,
}

impl LockArgs {
    /// The lock options of `command`.
    pub fn options(&self, command: &str) -> LockOptions {
        LockOptions {
            timeout: self.lock_timeout,
            force: self.force_unlock,
            ..LockOptions::new(command)
        }
    }

    /// The lock options of a command that changes the reachable members while others are
    /// down (see [`LockOptions::allow_minority`]).
    pub fn options_allowing_unreachable(&self, command: &str) -> LockOptions {
        LockOptions {
            allow_minority: true,
            ..self.options(command)
        }
    }
}

/// `--lock-timeout`: a duration (`5s`, `1m`) or plain seconds; `0` means try once.
pub fn parse_lock_timeout(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(s).map_err(|e| format!("invalid duration {s:?}: {e}"))
}

/// Flags shared by the commands that write to members (apply, scale).
#[derive(Args, Debug, Clone)]
pub struct WriteArgs {
    /// Only show what would change (`--dry-run` alone means client).
    #[arg(long, value_enum, value_name = "MODE", num_args = 0..=1, default_missing_value = "client", default_value = "none")]
    pub dry_run: DryRunArg,
    /// Wait until the new replicas are available (growing members first, then shrinking).
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_timeout)]
    pub timeout: Duration,
    /// Change the reachable members even if the plan involves unreachable ones.
    #[arg(long)]
    pub allow_unreachable: bool,
    #[command(flatten)]
    pub lock: LockArgs,
}

/// Arguments of `apply`.
#[derive(Args, Debug)]
pub struct ApplyArgs {
    /// Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true, value_hint = ValueHint::AnyPath)]
    pub files: Vec<PathBuf>,
    /// How to show the plan and the result (json/yaml print the apply report).
    #[arg(short = 'o', long = "output", value_enum, value_name = "FORMAT")]
    pub output: Option<PlanOutput>,
    /// Do not ask for confirmation.
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Field manager of the server-side apply.
    #[arg(long, value_name = "NAME", default_value = crate::fleet::state::FIELD_MANAGER)]
    pub field_manager: String,
    /// Adopt same-named Deployments that kubectl-fleet does not manage (conflictResolution Overwrite).
    #[arg(long)]
    pub force_conflicts: bool,
    #[command(flatten)]
    pub write: WriteArgs,
    #[command(flatten)]
    pub rollout: RolloutFlags,
}

/// The rollout flags of `apply`.
#[derive(Args, Debug, Clone, Default)]
pub struct RolloutFlags {
    /// Member order of the rollout this apply starts (comma-separated members, first first);
    /// wins over the Rollout's memberOrder field and member-order annotation. Members not named
    /// follow in the default order (lowest-priority group first).
    #[arg(long, value_name = "MEMBER,...", value_delimiter = ',')]
    pub order: Vec<String>,
    /// Watch the step this apply writes (up to --timeout); when it fails, restore the previous
    /// template everywhere (like `rollout undo`, make-before-break) and exit 1.
    #[arg(long)]
    pub rollback_on_failure: bool,
}

/// Run `apply`.
pub async fn run(args: ApplyArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if args.field_manager.is_empty() || args.field_manager.len() > 128 {
        return Err(super::exit::usage(
            "--field-manager must be 1 to 128 characters",
        ));
    }
    let dry_run: DryRun = args.write.dry_run.into();
    let mut inputs = Inputs::read_paths(&args.files)?;
    inputs.default_namespace(&ctx.namespace(), ctx.global.namespace.is_some())?;
    if inputs.deployments.is_empty() && inputs.policies.is_empty() && inputs.autoscalers.is_empty()
    {
        return Err(super::exit::usage(
            "the -f inputs contain no Deployment, PropagationPolicy or autoscaler",
        ));
    }
    let fleet = ctx.load_fleet()?;
    crate::fleet::rollout::check_order(&fleet, &args.rollout.order, "--order")
        .map_err(super::exit::usage)?;
    // The Rollout's own order may name members outside this command's selection: a warning.
    for r in &inputs.rollouts {
        if let Err(e) = crate::fleet::rollout::check_order(
            &fleet,
            &r.member_order,
            &format!("Rollout {}: member order", r.key()),
        ) {
            ctx.warn(&format!("{e}; the names that are members are used"));
        }
    }
    let lock = (dry_run == DryRun::None).then(|| {
        if args.write.allow_unreachable {
            args.write.lock.options_allowing_unreachable("apply")
        } else {
            args.write.lock.options("apply")
        }
    });
    let locked = crate::fleet::write::plan_inputs(&fleet, &inputs, lock.as_ref()).await?;
    for s in &locked.snapshots {
        if let Err(e) = &s.result {
            ctx.error_line(&format!("{}: {e} (planned without it)", s.name));
        }
    }
    let result = match crate::fleet::autoscale::validate_targets(&inputs, &locked.snapshots) {
        Ok(()) => apply_planned(&fleet, &locked, &args, dry_run, &inputs.autoscalers, ctx).await,
        Err(e) => Err(e.into()),
    };
    let keys = crate::fleet::write::plan_keys(&locked.plan);
    locked.release().await;
    let status = result?;
    if !args.rollout.rollback_on_failure
        || dry_run != DryRun::None
        || matches!(status, ExitStatus::Failure)
    {
        return Ok(status);
    }
    // The watch runs without the locks (rollback_failed takes the lock again).
    let print = !args.output.is_some_and(PlanOutput::is_machine);
    let mut ok = true;
    for (ns, name) in keys {
        ok &= super::rollout::watch_step_or_roll_back(
            &fleet,
            &ns,
            &name,
            args.write.timeout,
            &args.write.lock,
            print,
            ctx,
        )
        .await?;
    }
    Ok(if ok { status } else { ExitStatus::Failure })
}

/// Shows the plan, confirms and applies it (the locks are the caller's).
async fn apply_planned(
    fleet: &Fleet,
    locked: &LockedPlan,
    args: &ApplyArgs,
    dry_run: DryRun,
    autoscalers: &[crate::policy::AutoscalerDocument],
    ctx: &Context,
) -> anyhow::Result<ExitStatus> {
    let plan = &locked.plan;
    warn_all(plan, ctx);
    let machine = args.output.is_some_and(PlanOutput::is_machine);
    if !machine {
        print_out(&render(plan, args.output, ctx)?)?;
    }
    if dry_run == DryRun::None
        && !args.yes
        && !machine
        && interactive()
        && plan.workloads.iter().any(|w| w.changes_replicas())
    {
        let prompt = confirm_prompt(plan);
        let ok = dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .interact_on(&dialoguer::console::Term::stderr())?;
        if !ok {
            eprintln!("Aborted: nothing was applied.");
            return Ok(ExitStatus::Failure);
        }
    }
    let opts = ApplyOptions {
        dry_run,
        field_manager: args.field_manager.clone(),
        conflict_resolution: args
            .force_conflicts
            .then_some(ConflictResolution::Overwrite),
        member_order: (!args.rollout.order.is_empty()).then(|| args.rollout.order.clone()),
        ..ApplyOptions::default()
    };
    let report = execute(fleet, locked, opts, &args.write, ctx, !machine).await?;
    let status = finish(plan, &report, args.output, ctx)?;
    if report.cancelled || autoscalers.is_empty() {
        return Ok(status);
    }
    let stored_ok = store_autoscalers(fleet, autoscalers, dry_run, !machine, ctx).await;
    Ok(if stored_ok {
        status
    } else {
        ExitStatus::Failure
    })
}

/// Stores the fleet autoscalers of the inputs in every member (never an HPA object) and says so.
async fn store_autoscalers(
    fleet: &Fleet,
    autoscalers: &[crate::policy::AutoscalerDocument],
    dry_run: DryRun,
    print: bool,
    ctx: &Context,
) -> bool {
    let suffix = match dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let mut ok = true;
    for a in autoscalers {
        let results = crate::fleet::autoscale::store(fleet, a, dry_run).await;
        let stored: Vec<&str> = results
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|(m, _)| m.as_str())
            .collect();
        for (m, r) in &results {
            if let Err(e) = r {
                ok = false;
                ctx.error_line(&format!(
                    "{m}: autoscaler {} not stored: {e} (re-run apply to store it there)",
                    a.spec.name
                ));
            }
        }
        let resource = match a.spec.kind {
            crate::autoscale::AutoscalerKind::FederatedHpa => "federatedhpa.autoscaling.karmada.io",
            crate::autoscale::AutoscalerKind::HorizontalPodAutoscaler => {
                "horizontalpodautoscaler.autoscaling"
            }
        };
        if print {
            println!(
                "{resource}/{} stored in {} member(s){suffix}: one fleet autoscaler for deploy/{} (min {}, max {}); no HorizontalPodAutoscaler is created in any member, `kubectl fleet reconcile` evaluates it",
                a.spec.name,
                stored.len(),
                a.spec.target,
                a.spec.min_replicas,
                a.spec.max_replicas
            );
        }
    }
    ok
}

/// `Apply to 3 members, 2 of 150 workloads: create 9 copies, configure 4, delete 1; 23 replicas added?`
pub fn confirm_prompt(plan: &FleetPlan) -> String {
    let members = plan
        .workloads
        .iter()
        .flat_map(|w| w.placements.iter().filter(|p| p.desired != p.current))
        .map(|p| p.cluster.as_str())
        .collect::<std::collections::BTreeSet<_>>();
    let change = plan.change();
    let n = members.len();
    format!(
        "Apply to {n} member{}, {} of {} workload{}: {}?",
        if n == 1 { "" } else { "s" },
        change.workloads,
        plan.workloads.len(),
        if plan.workloads.len() == 1 { "" } else { "s" },
        crate::output::plan::change_phrase(&change),
    )
}

fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Apply (through the fenced write path) with Ctrl-C handling and (on a terminal) progress
/// bars.
pub async fn execute(
    fleet: &Fleet,
    locked: &LockedPlan,
    mut opts: ApplyOptions,
    write: &WriteArgs,
    ctx: &Context,
    show_progress: bool,
) -> anyhow::Result<ApplyReport> {
    let cancel = Arc::new(AtomicBool::new(false));
    // Members written so far, for the message of a second Ctrl-C (which quits at once).
    let applied: Arc<Mutex<Vec<String>>> = Arc::default();
    let watcher = {
        let cancel = cancel.clone();
        let applied = applied.clone();
        tokio::spawn(async move {
            super::signals::interrupted().await;
            eprintln!("\nInterrupted: finishing the current member, then stopping (Ctrl-C again to quit now).");
            cancel.store(true, Ordering::SeqCst);
            super::signals::interrupted().await;
            let done = applied.lock().unwrap_or_else(|e| e.into_inner()).join(", ");
            let done = if done.is_empty() {
                "nothing".into()
            } else {
                done
            };
            eprintln!("Quit: applied to {done} (a write in flight may or may not have landed). Run the same command again to resume (apply is idempotent).");
            std::process::exit(130);
        })
    };
    opts.cancel = Some(cancel);
    opts.wait = write.wait;
    opts.timeout = write.timeout;
    opts.allow_unreachable = write.allow_unreachable;
    let bars = (show_progress && write.wait && std::io::stderr().is_terminal())
        .then(|| Arc::new(Bars::new()));
    let bars_done = bars.clone();
    let previous = opts.progress.take();
    opts.progress = Some(Arc::new(move |p: &ApplyProgress| {
        if let ApplyProgress::Applied { cluster, .. } = p {
            let mut done = applied.lock().unwrap_or_else(|e| e.into_inner());
            if !done.contains(cluster) {
                done.push(cluster.clone());
            }
        }
        if let Some(bars) = &bars {
            bars.update(p);
        }
        if let Some(f) = &previous {
            f(p);
        }
    }));
    let result = crate::fleet::write::apply_locked(fleet, locked, opts).await;
    watcher.abort();
    if let Some(bars) = &bars_done {
        bars.finish();
    }
    let _ = ctx;
    Ok(result?)
}

/// Print the report and decide the exit status.
pub fn finish(
    plan: &FleetPlan,
    report: &ApplyReport,
    output: Option<PlanOutput>,
    ctx: &Context,
) -> anyhow::Result<ExitStatus> {
    match output {
        Some(PlanOutput::Json) => print_out(&to_json(
            &serde_json::json!({"plan": plan, "report": report}),
        )?)?,
        Some(PlanOutput::Yaml) => print_out(&to_yaml(
            &serde_json::json!({"plan": plan, "report": report}),
        )?)?,
        _ => print_out(&crate::output::applied::render(
            report,
            plan.unplaced(),
            ctx.global.verbose > 0,
            &ctx.out,
        ))?,
    }
    for w in &report.warnings {
        ctx.warn(w);
    }
    for e in &report.errors {
        ctx.error_line(e);
    }
    if report.cancelled {
        let done = if report.written.is_empty() {
            "nothing".to_string()
        } else {
            report.written.join(", ")
        };
        eprintln!("Stopped: applied to {done}. Run the same command again to resume (apply is idempotent).");
        return Ok(ExitStatus::Failure);
    }
    if !report.errors.is_empty() {
        return Ok(ExitStatus::Failure);
    }
    Ok(if plan.unplaced() > 0 {
        ExitStatus::Unplaced
    } else {
        ExitStatus::Success
    })
}

/// The apply report as `apply` prints it (one line per changed copy, rollout notes, the
/// closing lines).
pub fn render_report(report: &ApplyReport, ctx: &Context) -> String {
    crate::output::applied::render(report, 0, ctx.global.verbose > 0, &ctx.out)
}

/// One progress bar per member copy being waited for (stderr only).
struct Bars {
    multi: indicatif::MultiProgress,
    bars: Mutex<std::collections::BTreeMap<String, indicatif::ProgressBar>>,
}

impl Bars {
    fn new() -> Self {
        Bars {
            multi: indicatif::MultiProgress::with_draw_target(
                indicatif::ProgressDrawTarget::stderr(),
            ),
            bars: Mutex::new(Default::default()),
        }
    }

    fn bar(&self, key: &str, len: u64) -> indicatif::ProgressBar {
        let mut bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        bars.entry(key.to_string())
            .or_insert_with(|| {
                let style = indicatif::ProgressStyle::with_template(
                    "{prefix:>28} [{bar:30}] {pos}/{len} available {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> ");
                let b = self.multi.add(indicatif::ProgressBar::new(len));
                b.set_style(style);
                b.set_prefix(key.to_string());
                b
            })
            .clone()
    }

    fn update(&self, p: &ApplyProgress) {
        match p {
            ApplyProgress::Waiting {
                cluster,
                workload,
                available,
                desired,
            } => {
                let b = self.bar(&format!("{workload}@{cluster}"), u64::from(*desired));
                b.set_length(u64::from(*desired));
                b.set_position(u64::from(*available));
            }
            ApplyProgress::Ready { cluster, workload } => {
                let b = self.bar(&format!("{workload}@{cluster}"), 0);
                b.set_position(b.length().unwrap_or(0));
                b.finish_with_message("ready");
            }
            _ => {}
        }
    }

    fn finish(&self) {
        let bars = self.bars.lock().unwrap_or_else(|e| e.into_inner());
        for b in bars.values() {
            if !b.is_finished() {
                b.abandon();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::{Placement, WorkloadPlan};

    fn workload(name: &str, rows: &[(&str, u32, u32)]) -> WorkloadPlan {
        WorkloadPlan {
            name: name.into(),
            placements: rows
                .iter()
                .map(|&(cluster, current, desired)| Placement {
                    cluster: cluster.into(),
                    current,
                    desired,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn the_prompt_states_the_size_of_the_change() {
        let plan = FleetPlan {
            workloads: vec![
                workload("a", &[("m0", 0, 3), ("m1", 2, 4), ("m2", 1, 0)]),
                workload("b", &[("m0", 0, 2), ("m1", 0, 0)]),
                workload("c", &[("m0", 2, 2)]),
            ],
            warnings: vec![],
        };
        assert_eq!(
            confirm_prompt(&plan),
            "Apply to 3 members, 2 of 3 workloads: create 2 copies, configure 1, delete 1; 7 replicas added, 1 removed (1 moved between members)?"
        );
    }
}
