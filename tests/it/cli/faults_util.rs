//! Helpers of the fault and bad-input tests: run `kubectl-fleet` with an exit code and extra
//! environment, and kill it with SIGINT.

use std::path::Path;
use std::process::{Child, Command, Stdio};

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

/// Starts `kubectl-fleet ARGS` in the background.
pub fn spawn(kubeconfig: &Path, args: &[&str]) -> Child {
    command(kubeconfig, args)
        .spawn()
        .expect("kubectl-fleet starts")
}

/// Sends SIGINT (what Ctrl-C sends) to a child.
pub fn sigint(child: &Child) {
    let ok = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .expect("kill runs")
        .success();
    assert!(ok, "kill -INT {}", child.id());
}

/// Collects a finished child's output.
pub fn finish(child: Child) -> Out {
    let o = child.wait_with_output().expect("child output");
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}
