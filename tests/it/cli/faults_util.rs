//! Helpers of the fault and bad-input tests: run `kubectl-fleet` with its exit code and a
//! clean environment.

use std::path::Path;
use std::process::{Command, Stdio};

/// Outcome of one `kubectl-fleet` run.
#[derive(Debug)]
pub struct Out {
    /// Exit code (None when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

fn command(kubeconfig: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"));
    cmd.args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .env("XDG_CONFIG_HOME", kubeconfig.parent().unwrap().join("xdg"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `kubectl-fleet ARGS` with `KUBECONFIG=kubeconfig`.
pub fn fleet(kubeconfig: &Path, args: &[&str]) -> Out {
    let o = command(kubeconfig, args)
        .output()
        .expect("kubectl-fleet runs");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Starts `kubectl-fleet ARGS` (stdout/stderr piped) without waiting for it.
pub fn spawn(kubeconfig: &Path, args: &[&str]) -> std::process::Child {
    command(kubeconfig, args)
        .spawn()
        .expect("kubectl-fleet starts")
}

/// Sends SIGINT (what Ctrl-C sends) to a process, through `kill -INT`.
pub fn sigint(pid: u32) {
    signal(pid, "INT");
}

/// Sends signal `sig` (`INT`, `TERM`) to `pid` with `kill`.
pub fn signal(pid: u32, sig: &str) {
    let st = Command::new("kill")
        .args([&format!("-{sig}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(st.success(), "kill -{sig} {pid}: {st}");
}

/// Polls `cond` every 10 ms until it holds; panics after `within`.
pub fn wait_until(within: std::time::Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !cond() {
        assert!(start.elapsed() < within, "timed out waiting for {what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Collects a finished child's outcome.
pub fn collect(child: std::process::Child) -> Out {
    let o = child.wait_with_output().expect("kubectl-fleet output");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Deployment `default/web` (app=web, nginx, 1 GPU per replica) with `replicas` replicas,
/// used by the fault and write-lock tests.
pub fn web_gpu_deployment(replicas: u32) -> String {
    format!(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: default, labels: {{app: web}}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: {{limits: {{nvidia.com/gpu: "1"}}}}
"#
    )
}
