//! `kubectl fleet demo [--keep] [--speed X]`: the whole workflow on a simulated fleet started
//! in-process (3 members: an on-prem IDC with a few GPUs, a primary cloud region with an
//! elastic GPU pool, a secondary region with only elastic inventory). It applies the ACK One
//! guide's qwen3-8b vLLM Deployment with a 2-group priority policy, shows plan → apply →
//! get -M, attaches a FederatedHPA (docs/examples/qwen3-8b-hpa.yaml), then drives a traffic
//! peak and its end with the simulator's load model (`sim load`, a custom pods metric) and
//! the autoscaler (`reconcile --once` passes): 4 → 12 in one pass (overflow into elastic
//! capacity and the second group), the scale-down stabilization window holding 12 after the
//! peak, then 12 → 4 (reverse scale-in); then it rolls out a new vLLM image with a canary step
//! (Kruise Rollout, `rollout status`, `resume`). Each step is narrated with the real commands.
//! It stops the fleet and removes its temp files at the end; `--keep` leaves the fleet up until
//! Ctrl-C.

use std::path::PathBuf;

use clap::Args;

use super::apply::{ApplyArgs, DryRunArg, WriteArgs};
use super::get::{GetArgs, Resource};
use super::plan::PlanArgs;
use super::reconcile::ReconcileArgs;
use super::{Context, ExitStatus};
use crate::output::Paint;
use crate::sim::config::SimConfig;
use crate::sim::{SimFleet, SimOptions};

/// The demo Deployment (docs/examples/qwen3-8b.yaml).
pub const DEPLOYMENT_YAML: &str = include_str!("../../docs/examples/qwen3-8b.yaml");
/// The demo policy (docs/examples/policy.yaml).
pub const POLICY_YAML: &str = include_str!("../../docs/examples/policy.yaml");
/// The demo autoscaler (docs/examples/qwen3-8b-hpa.yaml).
pub const HPA_YAML: &str = include_str!("../../docs/examples/qwen3-8b-hpa.yaml");
/// The autoscaler's metric (a custom pods metric, fleet-wide total set with `sim load`).
const METRIC: &str = "requests_per_second";
/// `behavior.scaleDown.stabilizationWindowSeconds` of [`HPA_YAML`].
const SCALE_DOWN_WINDOW: std::time::Duration = std::time::Duration::from_secs(10);

/// Arguments of `demo`.
#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Keep the simulated fleet running at the end (prints the KUBECONFIG to export; Ctrl-C stops it).
    #[arg(long)]
    pub keep: bool,
    /// Simulated time runs this many times faster than real time (readiness delays, node provisioning).
    #[arg(long, value_name = "X", default_value_t = 20.0)]
    pub speed: f64,
}

/// Removes the demo's temp dir however the demo ends.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Run `demo`.
pub async fn run(args: DemoArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(super::exit::usage("--speed must be a positive number"));
    }
    let dir = std::env::temp_dir().join(format!("kubectl-fleet-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let dir = TempDir(dir);
    let kubeconfig = dir.0.join("kubeconfig");
    let deploy = dir.0.join("qwen3-8b.yaml");
    let policy = dir.0.join("policy.yaml");
    let hpa = dir.0.join("qwen3-8b-hpa.yaml");
    std::fs::write(&deploy, DEPLOYMENT_YAML)?;
    std::fs::write(&policy, POLICY_YAML)?;
    std::fs::write(&hpa, HPA_YAML)?;

    let n = Narrator { ctx };
    n.step(
        "Starting a simulated fleet of 3 clusters on 127.0.0.1 (speed x{})",
        &[args.speed.to_string()],
    );
    let sim = SimFleet::start(SimConfig::builtin(), SimOptions { speed: args.speed }).await?;
    sim.write_kubeconfig(&kubeconfig)?;
    n.say("idc-beijing (on-prem, 8 GPUs mostly used by a low-priority batch job), ack-hangzhou (2 idle GPUs + an elastic GPU pool with inventory 4), ack-shanghai (no GPU nodes, elastic inventory 8).");

    let mut ctx = ctx.clone();
    ctx.global.kubeconfig = Some(kubeconfig.clone());
    ctx.global.clusters.clear();
    ctx.global.cluster_selector = None;
    ctx.global.fleet = None;
    ctx.global.namespace = Some("default".into());
    ctx.context_namespace = None;
    ctx.global.all_namespaces = false;
    let ctx = &ctx;
    let files = vec![deploy.clone(), policy.clone()];
    let result = script(&n, ctx, &files, &hpa).await;

    if args.keep && result.is_ok() {
        n.step("The fleet stays up. In another shell:", &[]);
        println!("  export KUBECONFIG={}", kubeconfig.display());
        println!("  kubectl fleet get deploy -M");
        println!("  kubectl --context ack-hangzhou get pods");
        println!("Press Ctrl-C to stop the fleet.");
        super::signals::interrupted().await;
        eprintln!();
    }
    sim.shutdown().await;
    drop(dir);
    result?;
    n.step(
        "Done: the simulated fleet is stopped and its temp files removed.",
        &[],
    );
    Ok(ExitStatus::Success)
}

async fn script(
    n: &Narrator<'_>,
    ctx: &Context,
    files: &[PathBuf],
    hpa: &PathBuf,
) -> anyhow::Result<()> {
    let f = |p: &PathBuf| {
        p.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let shown = format!("-f {} -f {}", f(&files[0]), f(&files[1]));

    n.command("kubectl fleet clusters");
    super::clusters::run(super::clusters::ClustersArgs { output: None }, ctx).await?;

    n.say("The policy puts idc-beijing and ack-hangzhou in group 1 and ack-shanghai in group 2: fill group 1 first (idle GPUs, then preemptible, then elastic), spill into group 2 only when group 1 is full.");
    n.command(&format!("kubectl fleet plan {shown}"));
    super::plan::run(
        PlanArgs {
            files: files.to_vec(),
            output: None,
        },
        ctx,
    )
    .await?;

    n.command(&format!("kubectl fleet apply {shown} --yes --wait"));
    expect_ok(
        super::apply::run(apply_args(files, true), ctx).await?,
        "apply",
    )?;

    n.command("kubectl fleet get deploy qwen3-8b -M");
    get(ctx).await?;
    n.say("4 replicas on group 1's idle GPUs; ack-shanghai got none. ADOPTION N = created by kubectl-fleet.");

    n.command("kubectl fleet apply ... --yes   (again: nothing to do)");
    expect_ok(
        super::apply::run(apply_args(files, true), ctx).await?,
        "apply",
    )?;

    autoscale(n, ctx, hpa).await?;
    rollout_scene(n, ctx, files).await
}

/// The traffic peak and its end, driven by the load model and the fleet autoscaler.
async fn autoscale(n: &Narrator<'_>, ctx: &Context, hpa: &PathBuf) -> anyhow::Result<()> {
    n.step(
        "Attach one autoscaler for the fleet-wide total (FederatedHPA: 4..12 replicas, 10 requests/s each)",
        &[],
    );
    n.command("kubectl fleet apply -f qwen3-8b-hpa.yaml --yes");
    expect_ok(
        super::apply::run(apply_args(std::slice::from_ref(hpa), false), ctx).await?,
        "apply",
    )?;

    n.step("Traffic peak: 120 requests/s across the fleet", &[]);
    load(n, ctx, 120).await?;
    n.say("The simulator divides the fleet-wide load evenly over the Ready pods of every member (like a global load balancer): 4 pods at 30 requests/s each.");
    reconcile(n, ctx).await?;
    n.say("One pass: 30/10 per pod → 12 replicas (the scale-up policy allows +200% per minute), planned and applied like `scale` under the workload's write lock.");
    n.say("(waiting until the 12 replicas are Ready: the elastic pools add GPU nodes first)");
    wait_ready(ctx, 12).await?;
    n.command("kubectl fleet get deploy qwen3-8b -M -o wide");
    get_wide(ctx).await?;
    n.say("Group 1 filled its idle GPUs and ack-hangzhou's elastic pool (new GPU nodes from inventory); the rest overflowed into group 2 (ack-shanghai's elastic pool).");

    let peak = std::time::Instant::now();
    reconcile(n, ctx).await?;
    n.say("Still at the peak: 120/12 = 10 per replica, the target; the pass keeps 12 (a `reconcile` loop runs such a pass every --interval).");

    n.step("Peak over: 20 requests/s", &[]);
    load(n, ctx, 20).await?;
    reconcile(n, ctx).await?;
    n.say(&format!(
        "Still 12: the scale-down stabilization window ({} s here, 5 min by default) keeps the peak's recommendation, so a short dip does not scale in.",
        SCALE_DOWN_WINDOW.as_secs()
    ));
    let wait =
        (SCALE_DOWN_WINDOW + std::time::Duration::from_secs(1)).saturating_sub(peak.elapsed());
    if !wait.is_zero() {
        n.say(&format!(
            "(waiting {:.0} s for the window to pass)",
            wait.as_secs_f64().ceil()
        ));
        tokio::time::sleep(wait).await;
    }
    reconcile(n, ctx).await?;
    n.command("kubectl fleet get deploy qwen3-8b -M");
    get(ctx).await?;
    n.say("Reverse scale-in to the minimum of 4: group 2 (ack-shanghai) was emptied first and its copy removed; inside group 1 the replicas on ack-hangzhou's elastic pool nodes went next (its pool scales back in), leaving the idle 2 + 2.");
    Ok(())
}

/// The demo's new vLLM image (the rollout scene).
pub const NEW_IMAGE: &str =
    "kube-ai-registry.cn-shanghai.cr.aliyuncs.com/kube-ai/vllm-openai:v0.9.2";

/// The rollout scene's Kruise Rollout: one canary replica, wait for `rollout resume`, then all.
pub const ROLLOUT_YAML: &str = "apiVersion: rollouts.kruise.io/v1beta1
kind: Rollout
metadata:
  name: qwen3-8b
  namespace: default
  annotations:
    fleet.kubectl.dev/settle-seconds: \"2\"
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: qwen3-8b}
  strategy:
    canary:
      steps:
      - replicas: 1
        pause: {}
      - replicas: 100%
";

/// "Roll out a new vLLM image with a canary step": apply the new image with a Rollout, the
/// first step stops with one canary replica, `resume` completes it.
async fn rollout_scene(n: &Narrator<'_>, ctx: &Context, files: &[PathBuf]) -> anyhow::Result<()> {
    use super::rollout::{ResumeArgs, RolloutCommand, StatusArgs, TargetArgs};
    let dir = files[0].parent().map(PathBuf::from).unwrap_or_default();
    let deploy = dir.join("qwen3-8b-v0.9.2.yaml");
    let rollout = dir.join("rollout.yaml");
    // GPUs are scarce: each member replaces its pods one at a time (no surge GPU needed).
    std::fs::write(
        &deploy,
        DEPLOYMENT_YAML
            .replace("vllm-openai:v0.9.1", "vllm-openai:v0.9.2")
            .replace(
                "  replicas: 4\n",
                "  replicas: 4\n  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}\n",
            ),
    )?;
    std::fs::write(&rollout, ROLLOUT_YAML)?;
    let target = || TargetArgs {
        target: vec!["deploy/qwen3-8b".into()],
    };
    let status = |watch: bool| StatusArgs {
        target: target(),
        watch,
        timeout: std::time::Duration::from_secs(120),
        output: None,
        rollback_on_failure: false,
        revision: 0,
        lock: write_args(false).lock,
    };

    n.step("Roll out a new vLLM image (v0.9.2) with a canary step", &[]);
    n.say("A Kruise Rollout next to the Deployment: step 1 runs 1 replica of the new image fleet-wide (a qwen3-8b-canary Deployment next to the member's copy), then waits for `rollout resume`; then 100%. The new template also sets maxSurge 0: GPUs are scarce, each member replaces its pods one at a time.");
    n.say("--order ack-hangzhou: the canary goes first where the elastic GPU pool can add a node for it (idc-beijing has no spare GPU).");
    n.command("kubectl fleet apply -f qwen3-8b-v0.9.2.yaml -f policy.yaml -f rollout.yaml --order ack-hangzhou --yes --wait");
    let files = vec![deploy, files[1].clone(), rollout];
    let mut args = apply_args(&files, true);
    args.rollout.order = vec!["ack-hangzhou".into()];
    expect_ok(super::apply::run(args, ctx).await?, "apply")?;
    // Let the canary settle before showing the paused step.
    let fleet = ctx.load_fleet()?;
    crate::fleet::rollout::wait_step(
        &fleet,
        "default",
        "qwen3-8b",
        std::time::Duration::from_secs(60),
    )
    .await?;
    n.command("kubectl fleet rollout status deploy/qwen3-8b --watch=false");
    expect_ok(
        super::rollout::run(RolloutCommand::Status(status(false)), ctx).await?,
        "rollout status",
    )?;
    n.command("kubectl fleet get deploy qwen3-8b -M -o wide");
    get_wide(ctx).await?;
    n.say("One member runs 1 canary replica (revision 2) next to its stable copy (revision 1); the member's total is unchanged. Check the canary, then continue:");
    n.command("kubectl fleet rollout resume deploy/qwen3-8b");
    expect_ok(
        super::rollout::run(
            RolloutCommand::Resume(ResumeArgs {
                target: target(),
                timeout: std::time::Duration::from_secs(120),
                lock: write_args(false).lock,
            }),
            ctx,
        )
        .await?,
        "rollout resume",
    )?;
    n.command("kubectl fleet rollout status deploy/qwen3-8b");
    expect_ok(
        super::rollout::run(RolloutCommand::Status(status(true)), ctx).await?,
        "rollout status",
    )?;
    n.say("Every member runs v0.9.2 and the canary folded back into the member copies. `kubectl fleet rollout undo deploy/qwen3-8b` would bring v0.9.1 back everywhere.");
    Ok(())
}

/// Waits (at most a minute) until the fleet's qwen3-8b has `replicas` Ready replicas.
async fn wait_ready(ctx: &Context, replicas: i32) -> anyhow::Result<()> {
    let fleet = ctx.load_fleet()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let snaps =
            crate::fleet::read_snapshots(&fleet, &crate::fleet::ReadOptions::default()).await;
        let ready: i32 = snaps
            .iter()
            .filter_map(|s| s.result.as_ref().ok())
            .filter_map(|m| m.deployment("default", "qwen3-8b"))
            .map(|d| d.ready)
            .sum();
        if ready >= replicas {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!("demo: qwen3-8b has {ready}/{replicas} Ready replicas after 60 s");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// `kubectl fleet sim load deploy/qwen3-8b --cpu 0 --metric requests_per_second=RPS`.
async fn load(n: &Narrator<'_>, ctx: &Context, rps: u32) -> anyhow::Result<()> {
    n.command(&format!(
        "kubectl fleet sim load deploy/qwen3-8b --cpu 0 --metric {METRIC}={rps}"
    ));
    let args = super::sim::LoadArgs {
        target: "deploy/qwen3-8b".into(),
        cpu: "0".into(),
        memory: None,
        metrics: vec![format!("{METRIC}={rps}")],
        objects: Vec::new(),
        external: Vec::new(),
        cluster: None,
    };
    let code = super::sim::run_with_globals(
        super::sim::SimCommand::Load(args),
        ctx.global.kubeconfig.as_deref(),
        Some("default"),
    )
    .await?;
    if code != 0 {
        anyhow::bail!("demo: sim load did not succeed (exit {code})");
    }
    Ok(())
}

/// `kubectl fleet reconcile --once` (the autoscaler's evaluation is part of every pass).
async fn reconcile(n: &Narrator<'_>, ctx: &Context) -> anyhow::Result<()> {
    n.command("kubectl fleet reconcile --once");
    let args = <ReconcileArgs as clap::FromArgMatches>::from_arg_matches(
        &<ReconcileArgs as clap::Args>::augment_args(clap::Command::new("reconcile"))
            .try_get_matches_from(["reconcile", "--once"])?,
    )?;
    expect_ok(super::reconcile::run(args, ctx).await?, "reconcile")
}

fn expect_ok(status: ExitStatus, what: &str) -> anyhow::Result<()> {
    match status {
        ExitStatus::Success => Ok(()),
        other => Err(anyhow::anyhow!(
            "demo: {what} did not succeed (exit {})",
            other.code()
        )),
    }
}

fn write_args(wait: bool) -> WriteArgs {
    WriteArgs {
        dry_run: DryRunArg::None,
        wait,
        timeout: std::time::Duration::from_secs(60),
        allow_unreachable: false,
        lock: super::apply::LockArgs {
            lock_timeout: crate::fleet::lock::DEFAULT_LOCK_TIMEOUT,
            force_unlock: false,
        },
    }
}

fn apply_args(files: &[PathBuf], wait: bool) -> ApplyArgs {
    ApplyArgs {
        files: files.to_vec(),
        output: None,
        yes: true,
        field_manager: crate::fleet::state::FIELD_MANAGER.to_string(),
        force_conflicts: false,
        write: write_args(wait),
        rollout: Default::default(),
    }
}

async fn get(ctx: &Context) -> anyhow::Result<ExitStatus> {
    super::get::run(
        GetArgs {
            resource: Resource::Deployments,
            name: Some("qwen3-8b".into()),
            member_clusters: true,
            output: None,
            selector: None,
            for_object: None,
        },
        ctx,
    )
    .await
}

async fn get_wide(ctx: &Context) -> anyhow::Result<ExitStatus> {
    super::get::run(
        GetArgs {
            resource: Resource::Deployments,
            name: Some("qwen3-8b".into()),
            member_clusters: true,
            output: Some(super::get::GetOutput::Wide),
            selector: None,
            for_object: None,
        },
        ctx,
    )
    .await
}

struct Narrator<'a> {
    ctx: &'a Context,
}

impl Narrator<'_> {
    fn step(&self, text: &str, args: &[String]) {
        let mut text = text.to_string();
        for a in args {
            text = text.replacen("{}", a, 1);
        }
        println!(
            "\n{}",
            self.ctx.out.paint(Paint::Bold, &format!("==> {text}"))
        );
    }

    fn command(&self, cmd: &str) {
        println!("\n{}", self.ctx.out.paint(Paint::Bold, &format!("$ {cmd}")));
    }

    fn say(&self, text: &str) {
        println!("{}", self.ctx.out.paint(Paint::Dim, &format!("# {text}")));
    }
}
