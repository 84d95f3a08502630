//! `kubectl fleet diff -f FILE...`: what `apply -f` would change on each member, as unified
//! diffs of the member copies (live against the result of a server-side dry-run apply),
//! with kubectl diff's contract: exit 0 when nothing would change, 1 when something would,
//! 2 (>1) on any error. `KUBECTL_EXTERNAL_DIFF` (e.g. `colordiff -u`, `meld`) is run on two
//! directories, LIVE and MERGED, holding one file per member copy, as kubectl does.

use std::path::{Path, PathBuf};

use clap::{Args, ValueHint};

use super::global::print_out;
use super::plan::{compute, warn_all};
use super::{Context, ExitStatus};
use crate::fleet::diff::ObjectDiff;
use crate::output::diff::{file_name, render, side_text};

/// Arguments of `diff`.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// Manifests: Deployments and (Cluster)PropagationPolicies; files, directories or `-`.
    #[arg(short = 'f', long = "filename", value_name = "FILE", required = true, value_hint = ValueHint::AnyPath)]
    pub files: Vec<PathBuf>,
}

/// Runs `diff`: errors of any kind exit 2, as `kubectl diff`'s >1.
pub async fn run(args: DiffArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    match diff(args, ctx).await {
        Ok(status) => Ok(status),
        Err(e) => {
            ctx.error_line(&super::exit::one_line(&e));
            Ok(ExitStatus::Usage)
        }
    }
}

async fn diff(args: DiffArgs, ctx: &Context) -> anyhow::Result<ExitStatus> {
    let (fleet, plan) = compute(&args.files, ctx).await?;
    warn_all(&plan, ctx);
    let unreadable = plan
        .workloads
        .iter()
        .flat_map(|w| w.placements.iter())
        .any(|p| p.unreachable);
    let report = crate::fleet::diff::diff(&fleet, &plan).await;
    let differs = report.objects.iter().any(ObjectDiff::differs);
    match std::env::var("KUBECTL_EXTERNAL_DIFF")
        .ok()
        .filter(|s| !s.trim().is_empty())
    {
        Some(cmd) => {
            let code = external(&cmd, &report.objects)?;
            if code > 1 {
                anyhow::bail!("KUBECTL_EXTERNAL_DIFF {cmd:?} exited {code}");
            }
        }
        None => print_out(&render(&report.objects))?,
    }
    for e in &report.errors {
        ctx.error_line(e);
    }
    if !report.errors.is_empty() || unreadable {
        return Ok(ExitStatus::Usage);
    }
    Ok(if differs {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// Writes LIVE/ and MERGED/ (one file per copy that differs) under a fresh temporary
/// directory, runs `cmd LIVE MERGED` with stdout/stderr passed through, removes the
/// directory and returns the command's exit code.
fn external(cmd: &str, objects: &[ObjectDiff]) -> anyhow::Result<i32> {
    let root = std::env::temp_dir().join(format!(
        "kubectl-fleet-diff-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    let result = (|| -> anyhow::Result<i32> {
        let (live, merged) = (root.join("LIVE"), root.join("MERGED"));
        std::fs::create_dir_all(&live)?;
        std::fs::create_dir_all(&merged)?;
        for o in objects.iter().filter(|o| o.differs()) {
            write_side(&live, o, o.live.as_ref())?;
            write_side(&merged, o, o.planned.as_ref())?;
        }
        let mut words = cmd.split_whitespace();
        let program = words.next().unwrap_or("diff");
        let status = std::process::Command::new(program)
            .args(words)
            .arg(&live)
            .arg(&merged)
            .status()
            .map_err(|e| anyhow::anyhow!("KUBECTL_EXTERNAL_DIFF {cmd:?}: {e}"))?;
        Ok(status.code().unwrap_or(2))
    })();
    let _ = std::fs::remove_dir_all(&root);
    result
}

fn write_side(dir: &Path, o: &ObjectDiff, v: Option<&serde_json::Value>) -> std::io::Result<()> {
    if v.is_none() {
        // Absent on this side: no file, as `diff -N` expects.
        return Ok(());
    }
    std::fs::write(dir.join(file_name(o)), side_text(v))
}
