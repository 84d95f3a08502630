//! Shared test helpers: start a simulated fleet, write its kubeconfig, run binaries.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kubectl_fleet::sim::config::{ClusterConfig, SimConfig};
use kubectl_fleet::sim::{SimHandle, SimOptions};

/// A running simulated fleet plus a temp dir holding its kubeconfig.
pub struct TestFleet {
    /// The fleet (stopped on drop).
    pub sim: SimHandle,
    /// Temp dir (kubeconfig, manifests).
    pub dir: tempfile::TempDir,
    /// Path of the written kubeconfig.
    pub kubeconfig: PathBuf,
}

/// A config of empty clusters with the given names (nodes/workloads come from the config owner's
/// controllers when present).
pub fn config_of(names: &[&str]) -> SimConfig {
    SimConfig {
        clusters: names
            .iter()
            .map(|n| ClusterConfig {
                name: n.to_string(),
                ..Default::default()
            })
            .collect(),
    }
}

/// Starts a fleet from `config` at a fast speed and writes its kubeconfig to a temp dir.
pub fn start_fleet(config: SimConfig) -> TestFleet {
    let sim = SimHandle::start_blocking(config, SimOptions { speed: 50.0 }).expect("sim starts");
    let dir = tempfile::tempdir().expect("tempdir");
    let kubeconfig = dir.path().join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig)
        .expect("kubeconfig written");
    TestFleet {
        sim,
        dir,
        kubeconfig,
    }
}

/// Result of a command.
#[derive(Debug)]
pub struct Run {
    /// Exit status success.
    pub ok: bool,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            ok: o.status.success(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl TestFleet {
    /// Writes a file into the temp dir and returns its path.
    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write file");
        p
    }

    /// Runs `kubectl` with KUBECONFIG pointing at the fleet, `--context` = `cluster`.
    pub fn kubectl(&self, cluster: &str, args: &[&str]) -> Run {
        kubectl_with(&self.kubeconfig, cluster, args, None)
    }

    /// Runs `kubectl` with stdin.
    pub fn kubectl_stdin(&self, cluster: &str, args: &[&str], stdin: &str) -> Run {
        kubectl_with(&self.kubeconfig, cluster, args, Some(stdin))
    }

    /// Runs the built `kubectl-fleet` binary with KUBECONFIG set.
    pub fn kubectl_fleet(&self, args: &[&str]) -> Run {
        Command::new(env!("CARGO_BIN_EXE_kubectl-fleet"))
            .args(args)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("NO_COLOR", "1")
            .output()
            .expect("run kubectl-fleet")
            .into()
    }

    /// A kube client for one member, built from the written kubeconfig.
    pub async fn client(&self, cluster: &str) -> kube::Client {
        let kc = kube::config::Kubeconfig::read_from(&self.kubeconfig).expect("kubeconfig parses");
        let opts = kube::config::KubeConfigOptions {
            context: Some(cluster.to_string()),
            ..Default::default()
        };
        let cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
            .await
            .expect("config");
        kube::Client::try_from(cfg).expect("client")
    }
}

/// Runs kubectl with an explicit kubeconfig.
pub fn kubectl_with(kubeconfig: &Path, cluster: &str, args: &[&str], stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut cmd = Command::new("kubectl");
    cmd.arg("--context")
        .arg(cluster)
        .args(args)
        .env("KUBECONFIG", kubeconfig);
    if stdin.is_some() {
        cmd.stdin(std::process::Stdio::piped());
    }
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("kubectl runs");
    if let Some(s) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(s.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("kubectl output").into()
}
