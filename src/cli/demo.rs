//! `kubectl fleet demo [--keep] [--speed X]`: the whole workflow on a simulated fleet started
//! in-process (3 members: an on-prem IDC with a few GPUs, a primary cloud region with an
//! elastic GPU pool, a secondary region with only elastic inventory). It applies the ACK One
//! guide's qwen3-8b vLLM Deployment with a 2-group priority policy, shows plan → apply →
//! get -M, scales 4 → 12 (overflow into elastic capacity and the second group) and back to
//! 4 (reverse scale-in), then rolls out a new vLLM image with a canary step (Kruise Rollout,
//! `rollout status`, `resume`), narrating each step with the real commands. It stops the fleet and
//! removes its temp files at the end; `--keep` leaves the fleet up until Ctrl-C.

use std::path::PathBuf;

use clap::Args;

use super::apply::{ApplyArgs, DryRunArg, WriteArgs};
use super::get::{GetArgs, Resource};
use super::plan::PlanArgs;
use super::scale::ScaleArgs;
use super::{Context, ExitStatus};
use crate::output::Paint;
use crate::sim::config::SimConfig;
use crate::sim::{SimFleet, SimOptions};

/// The demo Deployment (docs/examples/qwen3-8b.yaml).
pub const DEPLOYMENT_YAML: &str = include_str!("../../docs/examples/qwen3-8b.yaml");
/// The demo policy (docs/examples/policy.yaml).
pub const POLICY_YAML: &str = include_str!("../../docs/examples/policy.yaml");

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
    std::fs::write(&deploy, DEPLOYMENT_YAML)?;
    std::fs::write(&policy, POLICY_YAML)?;

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
    let result = script(&n, ctx, &files).await;

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

async fn script(n: &Narrator<'_>, ctx: &Context, files: &[PathBuf]) -> anyhow::Result<()> {
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
    expect_ok(super::apply::run(apply_args(files), ctx).await?, "apply")?;

    n.command("kubectl fleet get deploy qwen3-8b -M");
    get(ctx).await?;
    n.say("4 replicas on group 1's idle GPUs; ack-shanghai got none. ADOPTION N = created by kubectl-fleet.");

    n.command("kubectl fleet apply ... --yes   (again: nothing to do)");
    expect_ok(super::apply::run(apply_args(files), ctx).await?, "apply")?;

    n.step("Traffic peak: scale to 12 replicas", &[]);
    n.command("kubectl fleet scale deploy/qwen3-8b --replicas 12 --wait");
    expect_ok(super::scale::run(scale_args(12), ctx).await?, "scale")?;
    n.command("kubectl fleet get deploy qwen3-8b -M -o wide");
    get_wide(ctx).await?;
    n.say("Group 1 filled its idle GPUs and ack-hangzhou's elastic pool (new GPU nodes from inventory); the rest overflowed into group 2 (ack-shanghai's elastic pool).");

    n.step("Peak over: scale back to 4 replicas", &[]);
    n.command("kubectl fleet scale deploy/qwen3-8b --replicas 4 --wait");
    expect_ok(super::scale::run(scale_args(4), ctx).await?, "scale")?;
    n.command("kubectl fleet get deploy qwen3-8b -M");
    get(ctx).await?;
    n.say("Reverse scale-in: group 2 (ack-shanghai) was emptied first and its copy removed; inside group 1 the replicas on ack-hangzhou's elastic pool nodes went next (its pool scales back in), leaving the idle 2 + 2.");
    rollout_scene(n, ctx, files).await
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
    let mut args = apply_args(&files);
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

fn apply_args(files: &[PathBuf]) -> ApplyArgs {
    ApplyArgs {
        files: files.to_vec(),
        output: None,
        yes: true,
        field_manager: crate::fleet::state::FIELD_MANAGER.to_string(),
        force_conflicts: false,
        write: write_args(true),
        rollout: Default::default(),
    }
}

fn scale_args(replicas: u32) -> ScaleArgs {
    ScaleArgs {
        target: vec!["deploy/qwen3-8b".into()],
        replicas,
        output: None,
        write: write_args(true),
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
