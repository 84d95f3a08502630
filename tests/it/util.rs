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
        ..Default::default()
    }
}

/// Starts a fleet from `config` at a fast speed and writes its kubeconfig to a temp dir.
pub fn start_fleet(config: SimConfig) -> TestFleet {
    let sim = SimHandle::start_blocking(config, SimOptions { speed: 50.0 }).expect("sim starts");
    register_tokens(&sim);
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

/// Starts a fleet's API servers only (no controllers), e.g. for measurements.
pub fn start_fleet_api_only(config: SimConfig) -> TestFleet {
    let sim =
        SimHandle::start_blocking_api_only(config, SimOptions { speed: 50.0 }).expect("sim starts");
    register_tokens(&sim);
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
    /// Exit code (None: killed by a signal).
    pub code: Option<i32>,
    /// Stdout.
    pub stdout: String,
    /// Stderr.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            ok: o.status.success(),
            code: o.status.code(),
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

/// kubectl's discovery and HTTP cache for the fleet of `kubeconfig`, next to it: the shared
/// `~/.kube/cache` is keyed by `host:port`, and ports are reused by the next test's fleet (or
/// a mock server) within the cache's lifetime.
pub fn kube_cache_dir(kubeconfig: &Path) -> PathBuf {
    kubeconfig
        .parent()
        .unwrap_or(Path::new("."))
        .join(".kube-cache")
}

/// Runs kubectl with an explicit kubeconfig.
pub fn kubectl_with(kubeconfig: &Path, cluster: &str, args: &[&str], stdin: Option<&str>) -> Run {
    use std::io::Write;
    let mut cmd = Command::new("kubectl");
    cmd.arg("--context")
        .arg(cluster)
        .args(args)
        .env("KUBECONFIG", kubeconfig)
        .env("KUBECACHEDIR", kube_cache_dir(kubeconfig));
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

/// Admin tokens of the simulated clusters tests started, by `host:port`, so that [`http`]
/// authenticates like kubectl does.
static ADMIN_TOKENS: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());

fn register_tokens(sim: &SimHandle) {
    let mut t = ADMIN_TOKENS.lock().unwrap_or_else(|e| e.into_inner());
    for name in sim.cluster_names() {
        let url = sim.server_url(&name).expect("cluster url");
        let host = url.split("://").nth(1).unwrap_or_default().to_string();
        t.retain(|(h, _)| *h != host);
        t.push((host, sim.admin_token(&name).expect("admin token")));
    }
}

/// A minimal blocking HTTP/1.1 client for the simulator's endpoints, in plain HTTP (the API
/// servers also speak plain HTTP on their TLS port): returns (status code, body). Requests
/// to an API server of a fleet the tests started carry its admin bearer token. `Err` carries
/// the connect error (e.g. connection refused).
pub fn http(
    method: &str,
    url: &str,
    content_type: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .expect("http(s) url");
    let host = rest.split('/').next().unwrap_or(rest);
    let token = ADMIN_TOKENS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(h, _)| h == host)
        .map(|(_, t)| t.clone());
    http_with_token(method, url, token.as_deref(), content_type, body)
}

/// [`http`] with an explicit bearer token (None: no Authorization header).
pub fn http_with_token(
    method: &str,
    url: &str,
    token: Option<&str>,
    content_type: &str,
    body: &str,
) -> std::io::Result<(u16, String)> {
    use std::io::{Read, Write};
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .expect("http(s) url");
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let mut s = std::net::TcpStream::connect(host)?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{auth}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let code = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((code, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}
