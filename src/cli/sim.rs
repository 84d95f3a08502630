//! `kubectl fleet sim up|fault`: run a simulated fleet in the foreground, and change a
//! running one (faults) through its admin endpoint.
//!
//! The fleet itself is `crate::sim`; this module parses flags, prints, and talks to the
//! admin endpoint whose URL a simulated kubeconfig carries in the cluster extension
//! `fleet.kubectl.dev/sim-admin` (see docs/simulator.md).

use std::future::Future;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context as _};
use serde_json::{json, Value};

use crate::cli::exit::usage;
use crate::sim::config::SimConfig;
use crate::sim::{Fault, SimFleet, SimOptions, ADMIN_EXTENSION};

/// Default kubeconfig written by `sim up` (in the current directory).
pub const DEFAULT_KUBECONFIG_OUT: &str = "simfleet.kubeconfig";

/// Run and control a simulated fleet (Kubernetes-API-compatible clusters on 127.0.0.1).
#[derive(Debug, clap::Subcommand)]
pub enum SimCommand {
    /// Start a simulated fleet in the foreground and write its kubeconfig.
    ///
    /// Every member cluster gets its own API server on 127.0.0.1 that kubectl and kube-rs
    /// talk to, with simulated controllers, scheduler, kubelets and elastic node pools.
    /// Without --config the built-in 3-cluster GPU fleet of the demo is used
    /// (docs/examples/simfleet.yaml). Stop with Ctrl-C.
    #[command(after_help = "Examples:\n  \
        kubectl fleet sim up\n  \
        kubectl fleet sim up --config simfleet.yaml --kubeconfig-out /tmp/fleet.kubeconfig --speed 10\n  \
        export KUBECONFIG=$PWD/simfleet.kubeconfig; kubectl --context idc-beijing get nodes")]
    Up(UpArgs),
    /// Inject a fault into a running simulated cluster, or lift it.
    ///
    /// Finds the fleet's admin endpoint in the kubeconfig (--kubeconfig, else $KUBECONFIG,
    /// else ./simfleet.kubeconfig) and applies exactly one change to CLUSTER.
    #[command(after_help = "Examples:\n  \
        kubectl fleet sim fault ack-hangzhou --down --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault ack-hangzhou --up --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault idc-beijing --node-not-ready gpu-a10-1 --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault ack-shanghai --inventory gpu-elastic=0 --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault ack-shanghai --bad-image vllm/vllm-openai:v0.9.2 --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault ack-shanghai --no-metrics --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim fault ack-shanghai --metrics --kubeconfig simfleet.kubeconfig")]
    Fault(FaultArgs),
    /// Set the fleet-wide load of a Deployment (served as metrics by every member).
    ///
    /// The demand is divided evenly over the Deployment's Ready pods in every member, like
    /// traffic behind a global load balancer: scaling out lowers each pod's usage. Pods that
    /// are not Ready report no metrics. `--cpu 0` with nothing else clears the load.
    #[command(after_help = "Examples:\n  \
        kubectl fleet sim load deploy/qwen3-8b --cpu 24 --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim load deploy/web -n shop --cpu 3 --memory 6Gi --metric requests_per_second=900 --kubeconfig simfleet.kubeconfig\n  \
        kubectl fleet sim load deploy/worker --cpu 1 --external queue_depth=120 --cluster idc-beijing --kubeconfig simfleet.kubeconfig")]
    Load(LoadArgs),
}

/// Flags of `sim load` (namespace and kubeconfig come from the global flags).
#[derive(Debug, Clone, clap::Args)]
pub struct LoadArgs {
    /// `deploy/NAME`.
    #[arg(value_name = "TYPE/NAME")]
    pub target: String,
    /// Fleet-wide cpu demand in cores (`2.5`, `750m`).
    #[arg(long, value_name = "CORES")]
    pub cpu: String,
    /// Fleet-wide memory demand (`6Gi`); without it each pod reports its memory request.
    #[arg(long, value_name = "QUANTITY")]
    pub memory: Option<String>,
    /// A custom pods metric and its fleet-wide total (`requests_per_second=900`); repeatable.
    #[arg(long = "metric", value_name = "NAME=TOTAL")]
    pub metrics: Vec<String>,
    /// An object metric served by one member's custom.metrics.k8s.io
    /// (`ingress/main:requests_per_second=900`); repeatable.
    #[arg(long = "object", value_name = "KIND/NAME:METRIC=VALUE")]
    pub objects: Vec<String>,
    /// An external metric served by one member's external.metrics.k8s.io (`queue_depth=30`,
    /// series labelled deployment=NAME); repeatable.
    #[arg(long = "external", value_name = "NAME=VALUE")]
    pub external: Vec<String>,
    /// The member serving --object and --external (default: the fleet's first member).
    #[arg(long = "cluster", value_name = "MEMBER")]
    pub cluster: Option<String>,
}

impl LoadArgs {
    /// The demand this asks for in `namespace`.
    pub fn demand(&self, namespace: &str) -> anyhow::Result<crate::sim::load::Demand> {
        use crate::capacity::quantity::parse_quantity;
        let name = super::scale::deployment_target(std::slice::from_ref(&self.target))?;
        let q = |flag: &str, v: &str| {
            parse_quantity(v)
                .ok()
                .filter(|m| *m >= 0)
                .ok_or_else(|| usage(format!("{flag}: {v:?} is not a non-negative quantity")))
        };
        let mut metrics = std::collections::BTreeMap::new();
        for m in &self.metrics {
            let (k, v) = m
                .split_once('=')
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| usage(format!("--metric: {m:?}: expected NAME=TOTAL")))?;
            metrics.insert(k.to_string(), q("--metric", v)?);
        }
        let mut objects = std::collections::BTreeMap::new();
        for o in &self.objects {
            let (k, v) = o
                .rsplit_once('=')
                .filter(|(k, _)| {
                    k.split_once(':').is_some_and(|(obj, m)| {
                        !m.is_empty()
                            && obj
                                .split_once('/')
                                .is_some_and(|(kind, n)| !kind.is_empty() && !n.is_empty())
                    })
                })
                .ok_or_else(|| {
                    usage(format!(
                        "--object: {o:?}: expected KIND/NAME:METRIC=VALUE, e.g. ingress/main:requests_per_second=900"
                    ))
                })?;
            objects.insert(k.to_string(), q("--object", v)?);
        }
        let mut external = std::collections::BTreeMap::new();
        for e in &self.external {
            let (k, v) = e
                .split_once('=')
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| usage(format!("--external: {e:?}: expected NAME=VALUE")))?;
            external.insert(k.to_string(), q("--external", v)?);
        }
        if self.cluster.is_some() && objects.is_empty() && external.is_empty() {
            return Err(usage(
                "--cluster names the member serving --object/--external: give one of them",
            ));
        }
        Ok(crate::sim::load::Demand {
            namespace: namespace.to_string(),
            deployment: name,
            cpu_milli: q("--cpu", &self.cpu)?,
            memory_milli: self
                .memory
                .as_deref()
                .map(|m| q("--memory", m))
                .transpose()?,
            metrics,
            objects,
            external,
            cluster: self.cluster.clone(),
        })
    }
}

/// Flags of `sim up`.
#[derive(Debug, Clone, clap::Args)]
pub struct UpArgs {
    /// SimulatedFleet config (YAML). Default: the built-in demo fleet.
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub config: Option<PathBuf>,
    /// Where to write the kubeconfig (one context per cluster, namespace default).
    #[arg(long, value_name = "PATH", default_value = DEFAULT_KUBECONFIG_OUT, value_hint = clap::ValueHint::FilePath)]
    pub kubeconfig_out: PathBuf,
    /// Simulated time speed: 10 makes provisioning, readiness and eviction delays 10x shorter.
    #[arg(long, value_name = "X", default_value_t = 1.0)]
    pub speed: f64,
}

/// Flags of `sim fault` (the kubeconfig comes from the global --kubeconfig flag).
#[derive(Debug, Clone, clap::Args)]
#[command(group(clap::ArgGroup::new("fault").required(true).multiple(false)))]
pub struct FaultArgs {
    /// The member cluster to change (its kubeconfig cluster or context name).
    #[arg(value_name = "CLUSTER")]
    pub cluster: String,
    /// Take the cluster's API server down (connections are refused).
    #[arg(long, group = "fault")]
    pub down: bool,
    /// Bring the API server back, and clear latency and error rate.
    #[arg(long, group = "fault")]
    pub up: bool,
    /// Delay every API request by MS milliseconds (0 clears it).
    #[arg(long, group = "fault", value_name = "MS")]
    pub latency: Option<u64>,
    /// Fail this fraction of API requests (0..1) with 500 InternalError.
    #[arg(long, group = "fault", value_name = "P")]
    pub error_rate: Option<f64>,
    /// Turn a node NotReady: its pods lose readiness, and are evicted after 40 simulated seconds.
    #[arg(long, group = "fault", value_name = "NODE")]
    pub node_not_ready: Option<String>,
    /// Turn a node Ready again.
    #[arg(long, group = "fault", value_name = "NODE")]
    pub node_ready: Option<String>,
    /// Set the remaining inventory (instances the cloud can still provide) of a node pool.
    #[arg(long, group = "fault", value_name = "POOL=N")]
    pub inventory: Option<String>,
    /// Make an image bad: its pods start but never turn Ready, and their restartCount grows
    /// (CrashLoopBackOff every 10 simulated seconds).
    #[arg(long, group = "fault", value_name = "IMAGE")]
    pub bad_image: Option<String>,
    /// Make a bad image good again: its pods turn Ready at their next restart.
    #[arg(long, group = "fault", value_name = "IMAGE")]
    pub good_image: Option<String>,
    /// Make the metrics APIs (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io)
    /// answer 503 ServiceUnavailable, like a missing metrics backend; the rest of the API
    /// server keeps working.
    #[arg(long, group = "fault")]
    pub no_metrics: bool,
    /// Serve the metrics APIs again (lifts --no-metrics).
    #[arg(long, group = "fault")]
    pub metrics: bool,
}

impl FaultArgs {
    /// The fault these flags ask for.
    pub fn fault(&self) -> anyhow::Result<Fault> {
        if self.down {
            return Ok(Fault::Down);
        }
        if self.up {
            return Ok(Fault::Up);
        }
        if let Some(ms) = self.latency {
            return Ok(Fault::Latency(ms));
        }
        if let Some(p) = self.error_rate {
            if !(0.0..=1.0).contains(&p) {
                return Err(usage(format!("--error-rate: {p} is not between 0 and 1")));
            }
            return Ok(Fault::ErrorRate(p));
        }
        if let Some(n) = &self.node_not_ready {
            return Ok(Fault::NodeNotReady(n.clone()));
        }
        if let Some(n) = &self.node_ready {
            return Ok(Fault::NodeReady(n.clone()));
        }
        if let Some(spec) = &self.inventory {
            let (pool, n) = spec
                .split_once('=')
                .ok_or_else(|| usage(format!("--inventory: expected POOL=N, got {spec:?}")))?;
            let count: u32 = n.trim().parse().map_err(|_| {
                usage(format!(
                    "--inventory: {n:?} is not a non-negative integer (expected POOL=N)"
                ))
            })?;
            if pool.is_empty() {
                return Err(usage(
                    "--inventory: the pool name is empty (expected POOL=N)",
                ));
            }
            return Ok(Fault::Inventory {
                pool: pool.to_string(),
                count,
            });
        }
        if let Some(i) = &self.bad_image {
            return Ok(Fault::BadImage(i.clone()));
        }
        if let Some(i) = &self.good_image {
            return Ok(Fault::GoodImage(i.clone()));
        }
        if self.no_metrics {
            return Ok(Fault::NoMetrics);
        }
        if self.metrics {
            return Ok(Fault::Metrics);
        }
        Err(usage(
            "one of --down, --up, --latency, --error-rate, --node-not-ready, --node-ready, --inventory, --bad-image, --good-image, --no-metrics, --metrics is required",
        ))
    }
}

/// Runs a `sim` command; `sim fault` looks for the kubeconfig in $KUBECONFIG, then
/// ./simfleet.kubeconfig. Returns the exit code.
pub async fn run(cmd: SimCommand) -> anyhow::Result<i32> {
    run_with_kubeconfig(cmd, None).await
}

/// Like [`run`], with the global `--kubeconfig` flag.
pub async fn run_with_kubeconfig(
    cmd: SimCommand,
    kubeconfig: Option<&Path>,
) -> anyhow::Result<i32> {
    run_with_globals(cmd, kubeconfig, None).await
}

/// Like [`run_with_kubeconfig`], with the global `--namespace` flag (for `sim load`).
pub async fn run_with_globals(
    cmd: SimCommand,
    kubeconfig: Option<&Path>,
    namespace: Option<&str>,
) -> anyhow::Result<i32> {
    match cmd {
        SimCommand::Up(args) => up(args, super::signals::interrupted()).await,
        SimCommand::Fault(args) => fault(&args, kubeconfig).await,
        SimCommand::Load(args) => load(&args, kubeconfig, namespace.unwrap_or("default")).await,
    }
}

/// The admin URL of the fleet in the kubeconfig (any cluster entry that carries it).
fn any_admin_url(kubeconfig: Option<&Path>) -> anyhow::Result<String> {
    for path in kubeconfig_candidates(kubeconfig) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if kubeconfig.is_some() => {
                return Err(usage(format!(
                    "--kubeconfig: cannot read {}: {e}",
                    path.display()
                )))
            }
            Err(_) => continue,
        };
        let kc = kube::config::Kubeconfig::from_yaml(&text)
            .map_err(|e| usage(format!("{}: {e}", path.display())))?;
        for c in &kc.clusters {
            if let Ok(Some(url)) = admin_url_from_kubeconfig(&text, &c.name) {
                return Ok(url);
            }
        }
    }
    Err(usage(
        "no simulated fleet in the kubeconfig: pass --kubeconfig (the file `kubectl fleet sim up` wrote)",
    ))
}

/// `sim load`: sets a Deployment's fleet-wide demand through the admin endpoint.
async fn load(args: &LoadArgs, kubeconfig: Option<&Path>, namespace: &str) -> anyhow::Result<i32> {
    let demand = args.demand(namespace)?;
    let admin = any_admin_url(kubeconfig)?;
    let body = serde_json::to_value(&demand)?;
    let (status, response) = post_json(&admin, "/load", &body).await.with_context(|| {
        format!(
            "simulated fleet admin endpoint {admin} is not reachable (is `sim up` still running?)"
        )
    })?;
    if !(200..300).contains(&status) {
        let why = serde_json::from_str::<serde_json::Value>(&response)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or(response);
        return Err(anyhow!("admin endpoint answered {status}: {why}"));
    }
    let mut extra = String::new();
    if let Some(m) = demand.memory_milli {
        extra.push_str(&format!(
            ", memory {}",
            crate::capacity::quantity::format_memory(m)
        ));
    }
    for (k, v) in &demand.metrics {
        extra.push_str(&format!(
            ", {k} {}",
            crate::capacity::quantity::format_count(*v)
        ));
    }
    println!(
        "deployment.apps/{} in {}: fleet-wide load set to cpu {}{extra}, divided over its Ready pods in every member",
        demand.deployment,
        demand.namespace,
        crate::capacity::quantity::format_cpu(demand.cpu_milli)
    );
    let served: Vec<String> = demand
        .objects
        .iter()
        .map(|(k, v)| format!("object {k} {}", crate::capacity::quantity::format_count(*v)))
        .chain(demand.external.iter().map(|(k, v)| {
            format!(
                "external {k} {}",
                crate::capacity::quantity::format_count(*v)
            )
        }))
        .collect();
    if !served.is_empty() {
        println!(
            "{} served by {}",
            served.join(", "),
            demand.cluster.as_deref().unwrap_or("the first member")
        );
    }
    Ok(0)
}

/// `sim up`: starts the fleet, writes the kubeconfig, prints how to use it, and runs until
/// `stop` resolves. Bad config or flags: a usage error (exit 2).
pub async fn up(args: UpArgs, stop: impl Future<Output = ()>) -> anyhow::Result<i32> {
    if !(args.speed.is_finite() && args.speed > 0.0) {
        return Err(usage(format!(
            "--speed: must be a positive number, got {}",
            args.speed
        )));
    }
    let config = match &args.config {
        Some(path) => SimConfig::from_file(path).map_err(|e| usage(e.to_string()))?,
        None => SimConfig::builtin(),
    };
    let summary: Vec<(String, usize, usize, u32)> = config
        .clusters
        .iter()
        .map(|c| {
            let nodes: u32 = c.nodes.iter().map(|g| g.count).sum();
            let gpus: usize = c
                .nodes
                .iter()
                .map(|g| {
                    g.allocatable
                        .get("nvidia.com/gpu")
                        .and_then(|q| q.parse::<usize>().ok())
                        .unwrap_or(0)
                        * g.count as usize
                })
                .sum();
            let inventory: u32 = c.node_pools.iter().map(|p| p.inventory).sum();
            (c.name.clone(), nodes as usize, gpus, inventory)
        })
        .collect();
    let fleet = SimFleet::start(config, SimOptions { speed: args.speed })
        .await
        .context("starting the simulated fleet")?;
    fleet
        .write_kubeconfig(&args.kubeconfig_out)
        .with_context(|| format!("writing {}", args.kubeconfig_out.display()))?;
    let path = std::path::absolute(&args.kubeconfig_out).unwrap_or(args.kubeconfig_out.clone());
    println!(
        "Simulated fleet is up: {} cluster(s), speed {}x",
        summary.len(),
        args.speed
    );
    for (name, nodes, gpus, inventory) in &summary {
        println!(
            "  {name:<16} {:<24} {nodes} nodes, {gpus} GPUs, elastic inventory {inventory}",
            fleet.server_url(name).unwrap_or_default()
        );
    }
    println!("Kubeconfig written to {}", path.display());
    println!("  export KUBECONFIG={}", path.display());
    if let Some((first, ..)) = summary.first() {
        println!("  kubectl --context {first} get nodes");
    }
    println!(
        "Faults: kubectl fleet sim fault CLUSTER --down|--up|--node-not-ready NODE|... --kubeconfig {}",
        path.display()
    );
    println!("Press Ctrl-C to stop.");
    stop.await;
    fleet.shutdown().await;
    println!("Simulated fleet stopped.");
    Ok(0)
}

/// Candidate kubeconfig files for `sim fault`, in order.
fn kubeconfig_candidates(explicit: Option<&Path>) -> Vec<PathBuf> {
    if let Some(p) = explicit {
        return vec![p.to_path_buf()];
    }
    let mut out = Vec::new();
    if let Some(kc) = std::env::var_os("KUBECONFIG").filter(|v| !v.is_empty()) {
        out.extend(std::env::split_paths(&kc));
    }
    out.push(PathBuf::from(DEFAULT_KUBECONFIG_OUT));
    out
}

/// The admin URL of the simulated fleet serving `cluster`, from a kubeconfig's cluster
/// extension `fleet.kubectl.dev/sim-admin` (`cluster` may be a cluster or context name).
pub fn admin_url_from_kubeconfig(text: &str, cluster: &str) -> Result<Option<String>, String> {
    let kc: Value = serde_saphyr::from_str(text).map_err(|e| {
        format!(
            "not a kubeconfig: {}",
            e.to_string().lines().next().unwrap_or("invalid YAML")
        )
    })?;
    let contexts = kc["contexts"].as_array().cloned().unwrap_or_default();
    let cluster_name = contexts
        .iter()
        .find(|c| c["name"] == cluster)
        .and_then(|c| c["context"]["cluster"].as_str())
        .unwrap_or(cluster)
        .to_string();
    let Some(entry) = kc["clusters"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["name"] == cluster_name.as_str()))
    else {
        return Ok(None);
    };
    let url = entry["cluster"]["extensions"]
        .as_array()
        .and_then(|exts| exts.iter().find(|e| e["name"] == ADMIN_EXTENSION))
        .and_then(|e| {
            e["extension"]["url"]
                .as_str()
                .or_else(|| e["extension"].as_str())
        })
        .map(str::to_string);
    match url {
        Some(u) => Ok(Some(u)),
        None => Err(format!(
            "cluster {cluster:?} is not a simulated cluster (no {ADMIN_EXTENSION} extension)"
        )),
    }
}

/// `sim fault`.
async fn fault(args: &FaultArgs, kubeconfig: Option<&Path>) -> anyhow::Result<i32> {
    let fault = args.fault()?;
    let mut admin = None;
    let mut looked = Vec::new();
    for path in kubeconfig_candidates(kubeconfig) {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if kubeconfig.is_some() => {
                return Err(usage(format!(
                    "--kubeconfig: cannot read {}: {e}",
                    path.display()
                )))
            }
            Err(_) => continue,
        };
        match admin_url_from_kubeconfig(&text, &args.cluster) {
            Ok(Some(url)) => {
                admin = Some(url);
                break;
            }
            Ok(None) => looked.push(path.display().to_string()),
            Err(e) => return Err(usage(format!("{}: {e}", path.display()))),
        }
    }
    let Some(admin) = admin else {
        return Err(usage(if looked.is_empty() {
            format!(
                "no kubeconfig found for cluster {:?}: pass --kubeconfig (the file `kubectl fleet sim up` wrote)",
                args.cluster
            )
        } else {
            format!(
                "cluster {:?} not found in {}",
                args.cluster,
                looked.join(", ")
            )
        }));
    };
    let body = json!({"cluster": args.cluster, "fault": fault});
    let (status, response) = post_json(&admin, "/faults", &body).await.with_context(|| {
        format!(
            "simulated fleet admin endpoint {admin} is not reachable (is `sim up` still running?)"
        )
    })?;
    if !(200..300).contains(&status) {
        let msg = serde_json::from_str::<Value>(&response)
            .ok()
            .and_then(|v| v["error"].as_str().map(str::to_string))
            .unwrap_or(response);
        return Err(if status == 404 || status == 400 {
            usage(msg)
        } else {
            anyhow!("admin endpoint answered {status}: {msg}")
        });
    }
    println!("{}", describe(&args.cluster, &fault));
    Ok(0)
}

/// What a fault does, in words.
pub fn describe(cluster: &str, fault: &Fault) -> String {
    match fault {
        Fault::Down => format!("{cluster}: API server is down (connections refused)"),
        Fault::Up => format!("{cluster}: API server is up (latency and errors cleared)"),
        Fault::Latency(ms) => format!("{cluster}: API requests delayed by {ms} ms"),
        Fault::ErrorRate(p) => {
            format!("{cluster}: {:.0}% of API requests fail with 500", p * 100.0)
        }
        Fault::NodeNotReady(n) => format!(
            "{cluster}: node {n} is NotReady (its pods are evicted after 40 simulated seconds)"
        ),
        Fault::NodeReady(n) => format!("{cluster}: node {n} is Ready"),
        Fault::Inventory { pool, count } => {
            format!("{cluster}: node pool {pool} has {count} instance(s) of inventory left")
        }
        Fault::BadImage(i) => format!(
            "{cluster}: image {i} is bad (its pods never turn Ready and restart every 10 simulated seconds)"
        ),
        Fault::GoodImage(i) => format!("{cluster}: image {i} is good again"),
        Fault::NoMetrics => format!(
            "{cluster}: metrics APIs answer 503 ServiceUnavailable (metrics.k8s.io, custom.metrics.k8s.io, external.metrics.k8s.io)"
        ),
        Fault::Metrics => format!("{cluster}: metrics APIs are served again"),
    }
}

/// A minimal HTTP/1.1 JSON POST to a plain-http URL (the admin endpoint is on 127.0.0.1).
async fn post_json(base: &str, path: &str, body: &Value) -> anyhow::Result<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| anyhow!("admin URL {base:?} is not http://"))?;
    let host = rest.split('/').next().unwrap_or(rest);
    let payload = serde_json::to_string(body)?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    let io = async {
        let mut stream = tokio::net::TcpStream::connect(host).await?;
        stream.write_all(request.as_bytes()).await?;
        let mut buf = Vec::new();
        stream.read_to_end(&mut buf).await?;
        Ok::<_, std::io::Error>(buf)
    };
    let buf = tokio::time::timeout(std::time::Duration::from_secs(10), io)
        .await
        .map_err(|_| anyhow!("timed out after 10s"))??;
    let text = String::from_utf8_lossy(&buf);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| anyhow!("malformed HTTP response"))?;
    let chunked = head.lines().any(|l| {
        l.to_ascii_lowercase().starts_with("transfer-encoding:")
            && l.to_ascii_lowercase().contains("chunked")
    });
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok((status, body))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[command(subcommand)]
        cmd: SimCommand,
    }

    fn parse(args: &[&str]) -> Result<SimCommand, clap::Error> {
        let mut v = vec!["sim"];
        v.extend_from_slice(args);
        T::try_parse_from(v).map(|t| t.cmd)
    }

    /// How the CLI mounts these commands: under the kubectl-style global flags.
    #[derive(Debug, Parser)]
    struct WithGlobals {
        #[command(flatten)]
        global: crate::cli::GlobalArgs,
        #[command(subcommand)]
        cmd: SimCommand,
    }

    #[test]
    fn sim_commands_fit_under_the_global_flags() {
        use clap::CommandFactory;
        WithGlobals::command().debug_assert();
        let w =
            WithGlobals::try_parse_from(["x", "fault", "c1", "--down", "--kubeconfig", "k.yaml"])
                .unwrap();
        assert_eq!(w.global.kubeconfig, Some(PathBuf::from("k.yaml")));
        assert!(matches!(
            w.cmd,
            SimCommand::Fault(FaultArgs { down: true, .. })
        ));
    }

    #[test]
    fn up_defaults_to_builtin_fleet_and_default_kubeconfig() {
        let SimCommand::Up(a) = parse(&["up"]).unwrap() else {
            panic!("up")
        };
        assert_eq!(a.config, None);
        assert_eq!(a.kubeconfig_out, PathBuf::from(DEFAULT_KUBECONFIG_OUT));
        assert_eq!(a.speed, 1.0);
    }

    #[test]
    fn fault_needs_exactly_one_change() {
        assert!(parse(&["fault", "c1"]).is_err());
        assert!(parse(&["fault", "c1", "--down", "--up"]).is_err());
        let SimCommand::Fault(f) = parse(&["fault", "c1", "--inventory", "gpu=3"]).unwrap() else {
            panic!("fault")
        };
        assert_eq!(
            f.fault().unwrap(),
            Fault::Inventory {
                pool: "gpu".into(),
                count: 3
            }
        );
        let SimCommand::Fault(f) = parse(&["fault", "c1", "--node-not-ready", "n1"]).unwrap()
        else {
            panic!("fault")
        };
        assert_eq!(f.fault().unwrap(), Fault::NodeNotReady("n1".into()));
    }

    #[test]
    fn bad_fault_values_are_usage_errors() {
        let SimCommand::Fault(f) = parse(&["fault", "c1", "--inventory", "gpu"]).unwrap() else {
            panic!("fault")
        };
        assert_eq!(
            f.fault().unwrap_err().to_string(),
            "--inventory: expected POOL=N, got \"gpu\""
        );
        let SimCommand::Fault(f) = parse(&["fault", "c1", "--error-rate", "1.5"]).unwrap() else {
            panic!("fault")
        };
        assert!(f
            .fault()
            .unwrap_err()
            .to_string()
            .contains("between 0 and 1"));
    }

    #[test]
    fn admin_url_is_read_from_the_cluster_extension() {
        let kc = "apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
    server: http://127.0.0.1:1
    extensions:
    - name: fleet.kubectl.dev/sim-admin
      extension:
        url: http://127.0.0.1:9
- name: real
  cluster:
    server: https://example
contexts:
- name: ctx1
  context: {cluster: c1, user: u}
";
        assert_eq!(
            admin_url_from_kubeconfig(kc, "c1").unwrap().as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            admin_url_from_kubeconfig(kc, "ctx1").unwrap().as_deref(),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(admin_url_from_kubeconfig(kc, "nope").unwrap(), None);
        assert!(admin_url_from_kubeconfig(kc, "real")
            .unwrap_err()
            .contains("not a simulated cluster"));
    }

    #[test]
    fn chunked_bodies_are_decoded() {
        assert_eq!(
            dechunk("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
            "hello world"
        );
    }
}
