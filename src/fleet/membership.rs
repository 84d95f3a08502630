//! Fleet membership: which clusters are members, under which names and labels, and how to
//! reach them (one lazily built `kube::Client` per member, with connect/read timeouts).
//!
//! Sources, in order: `--kubeconfig FILE` (only that file) or `$KUBECONFIG` (several paths,
//! merged with client-go rules: the first file to set a value wins) or `~/.kube/config`; then
//! the optional Fleet file. Without a Fleet file every context is a member named after the
//! context. Selection: `--clusters a,b` and `-l/--cluster-selector` on member labels.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig, NamedExtension};
use kube::Client;
use tokio::sync::OnceCell;

use super::error::{one_line, FleetError, MemberError};
use super::fleetfile::{default_fleet_file, CapacityProvider, FleetFile};
use super::selector::LabelSelector;

/// Kubeconfig extension (on a cluster or context entry) carrying member labels as a map.
pub const LABELS_EXTENSION: &str = "fleet.kubectl.dev/labels";
/// Kubeconfig cluster extension the simulator sets to its admin URL.
pub const SIM_ADMIN_EXTENSION: &str = "fleet.kubectl.dev/sim-admin";

/// How to build the fleet (filled by the CLI from its global flags).
#[derive(Debug, Clone)]
pub struct MembershipOptions {
    /// `--kubeconfig`: only this file (no `$KUBECONFIG` merge).
    pub kubeconfig: Option<PathBuf>,
    /// `--fleet`: Fleet file; default `$XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml` when present.
    pub fleet_file: Option<PathBuf>,
    /// `--clusters a,b`: only these members (by member name).
    pub clusters: Vec<String>,
    /// `-l/--cluster-selector`: only members whose labels match.
    pub cluster_selector: Option<String>,
    /// Per-member timeout of one operation (connect + requests), `--request-timeout`.
    pub request_timeout: Duration,
}

impl Default for MembershipOptions {
    fn default() -> Self {
        MembershipOptions {
            kubeconfig: None,
            fleet_file: None,
            clusters: Vec::new(),
            cluster_selector: None,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// The members of the fleet.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Selected members, in Fleet-file order or sorted by name.
    pub members: Vec<Member>,
    /// Non-fatal findings (e.g. a `$KUBECONFIG` entry that does not exist).
    pub warnings: Vec<String>,
    /// The Fleet file used, if any.
    pub fleet_file: Option<PathBuf>,
    /// Per-member timeout used by [`Fleet::for_each`].
    pub request_timeout: Duration,
    /// The kubeconfig the members were built from (for [`Fleet::member_or_context`]).
    kubeconfig: Option<SharedKubeconfig>,
}

/// A kubeconfig whose Debug never prints it (it holds credentials).
#[derive(Clone)]
struct SharedKubeconfig(Arc<Kubeconfig>);

impl std::fmt::Debug for SharedKubeconfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Kubeconfig(..)")
    }
}

/// One member cluster. Cheap to clone (the client is shared).
#[derive(Clone)]
pub struct Member {
    /// Member name (what policies' clusterNames refer to).
    pub name: String,
    /// kubeconfig context used to reach it.
    pub context: String,
    /// Member labels (Fleet file, else kubeconfig extension `fleet.kubectl.dev/labels`).
    pub labels: BTreeMap<String, String>,
    /// Where the elastic tier's pools come from.
    pub capacity_providers: Vec<CapacityProvider>,
    /// API server URL from the kubeconfig (for display; never credentials).
    pub server: Option<String>,
    /// Namespace of the context (default `default`).
    pub namespace: String,
    /// Why this member cannot be used (broken kubeconfig entry); reported at first use.
    pub problem: Option<String>,
    kubeconfig: Arc<Kubeconfig>,
    extensions: BTreeMap<String, serde_json::Value>,
    request_timeout: Duration,
    client: Arc<OnceCell<Client>>,
    metrics_client: Arc<OnceCell<Client>>,
}

impl std::fmt::Debug for Member {
    // Hand-written so that a Debug print can never include kubeconfig credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Member")
            .field("name", &self.name)
            .field("context", &self.context)
            .field("labels", &self.labels)
            .field("server", &self.server)
            .field("problem", &self.problem)
            .finish_non_exhaustive()
    }
}

impl Member {
    /// The member's client, built on first use (runs exec credential plugins then).
    pub async fn client(&self) -> Result<Client, MemberError> {
        if let Some(p) = &self.problem {
            return Err(MemberError::Config(p.clone()));
        }
        let client = self
            .client
            .get_or_try_init(|| self.build_client(true))
            .await?;
        Ok(client.clone())
    }

    /// The member's client for the aggregated metrics APIs (`metrics.k8s.io`,
    /// `custom.metrics.k8s.io`, `external.metrics.k8s.io`): like [`Member::client`] but without
    /// kube's retry of 429/503/504. A member whose metrics backend is missing answers 503 at
    /// once (kube-aggregator); retrying it would turn "no metrics" into "member timed out",
    /// and the HPA controller's metrics client does not retry either.
    pub async fn metrics_client(&self) -> Result<Client, MemberError> {
        if let Some(p) = &self.problem {
            return Err(MemberError::Config(p.clone()));
        }
        let client = self
            .metrics_client
            .get_or_try_init(|| self.build_client(false))
            .await?;
        Ok(client.clone())
    }

    async fn build_client(&self, retry: bool) -> Result<Client, MemberError> {
        let options = KubeConfigOptions {
            context: Some(self.context.clone()),
            ..Default::default()
        };
        let mut config = kube::Config::from_custom_kubeconfig((*self.kubeconfig).clone(), &options)
            .await
            .map_err(|e| MemberError::Config(one_line(e)))?;
        config.connect_timeout = Some(self.request_timeout.min(Duration::from_secs(10)));
        config.read_timeout = Some(self.request_timeout);
        config.write_timeout = Some(self.request_timeout);
        config.default_retry = retry;
        Client::try_from(config).map_err(|e| MemberError::Config(one_line(e)))
    }

    /// A kubeconfig extension of the member's cluster or context entry (e.g. the simulator's
    /// admin URL under [`SIM_ADMIN_EXTENSION`]).
    pub fn extension(&self, name: &str) -> Option<&serde_json::Value> {
        self.extensions.get(name)
    }

    /// Builds a member directly (tests, the simulator, in-cluster use).
    pub fn from_kubeconfig(
        name: &str,
        context: &str,
        kubeconfig: Arc<Kubeconfig>,
        request_timeout: Duration,
    ) -> Member {
        build_member(
            name,
            context,
            kubeconfig,
            BTreeMap::new(),
            None,
            request_timeout,
        )
    }
}

impl Fleet {
    /// Loads the kubeconfig(s) and the Fleet file and selects the members.
    pub fn load(opts: &MembershipOptions) -> Result<Fleet, FleetError> {
        let (kubeconfig, mut warnings) = load_kubeconfig(
            opts.kubeconfig.as_deref(),
            std::env::var_os("KUBECONFIG"),
            std::env::var_os("HOME").map(PathBuf::from),
        )?;
        let fleet_file = match &opts.fleet_file {
            Some(p) => Some(FleetFile::read(p)?),
            None => match default_fleet_file() {
                Some(p) if p.is_file() => Some(FleetFile::read(&p)?),
                _ => None,
            },
        };
        let mut fleet = Fleet::from_parts(kubeconfig, fleet_file.as_ref(), opts)?;
        warnings.append(&mut fleet.warnings);
        fleet.warnings = warnings;
        Ok(fleet)
    }

    /// Builds the fleet from an already loaded kubeconfig (and optional Fleet file).
    pub fn from_parts(
        kubeconfig: Kubeconfig,
        fleet_file: Option<&FleetFile>,
        opts: &MembershipOptions,
    ) -> Result<Fleet, FleetError> {
        let kubeconfig = Arc::new(kubeconfig);
        let mut members = Vec::new();
        let warnings = Vec::new();
        match fleet_file {
            Some(file) => {
                for spec in &file.members {
                    let kc = match &spec.kubeconfig {
                        Some(path) => Arc::new(read_kubeconfig_file(path)?),
                        None => kubeconfig.clone(),
                    };
                    let context = spec.context.clone().unwrap_or_else(|| spec.name.clone());
                    let mut m = build_member(
                        &spec.name,
                        &context,
                        kc,
                        spec.labels.clone(),
                        spec.capacity_providers.clone(),
                        opts.request_timeout,
                    );
                    if m.problem.is_some()
                        && !m.kubeconfig.contexts.iter().any(|c| c.name == context)
                    {
                        m.problem = Some(format!(
                            "context {context:?} of member {:?} (fleet file {}) is not in the kubeconfig",
                            spec.name,
                            file.path.display()
                        ));
                    }
                    members.push(m);
                }
            }
            None => {
                let mut names: Vec<&str> = kubeconfig
                    .contexts
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                names.sort_unstable();
                names.dedup();
                for name in names {
                    members.push(build_member(
                        name,
                        name,
                        kubeconfig.clone(),
                        BTreeMap::new(),
                        None,
                        opts.request_timeout,
                    ));
                }
            }
        }
        if members.is_empty() {
            return Err(FleetError::Selection(match fleet_file {
                Some(f) => format!("fleet file {}: no members", f.path.display()),
                None => "the kubeconfig has no contexts: the fleet is empty".to_string(),
            }));
        }
        let members = select_members(members, &opts.clusters, opts.cluster_selector.as_deref())?;
        Ok(Fleet {
            members,
            warnings,
            fleet_file: fleet_file.map(|f| f.path.clone()),
            request_timeout: opts.request_timeout,
            kubeconfig: Some(SharedKubeconfig(kubeconfig)),
        })
    }

    /// Member names, in order.
    pub fn names(&self) -> Vec<&str> {
        self.members.iter().map(|m| m.name.as_str()).collect()
    }

    /// The member called `name`.
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The member called `name`, else the kubeconfig context `name` when it is not a selected
    /// member (a cluster outside the fleet, e.g. the one hosting the reconciler's Lease,
    /// excluded with `--clusters` or absent from the Fleet file).
    pub fn member_or_context(&self, name: &str) -> Option<Member> {
        if let Some(m) = self.member(name) {
            return Some(m.clone());
        }
        let kc = &self.kubeconfig.as_ref()?.0;
        kc.contexts
            .iter()
            .any(|c| c.name == name)
            .then(|| Member::from_kubeconfig(name, name, kc.clone(), self.request_timeout))
    }
}

/// Applies `--clusters` and `--cluster-selector`. Unknown names are an error listing members.
pub fn select_members(
    members: Vec<Member>,
    clusters: &[String],
    selector: Option<&str>,
) -> Result<Vec<Member>, FleetError> {
    let wanted: Vec<&str> = clusters
        .iter()
        .flat_map(|c| c.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    for w in &wanted {
        if !members.iter().any(|m| m.name == *w) {
            let all: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
            return Err(FleetError::Selection(format!(
                "--clusters: {w:?} is not a fleet member (members: {})",
                all.join(", ")
            )));
        }
    }
    let selector = match selector {
        Some(s) => Some(
            LabelSelector::parse(s)
                .map_err(|e| FleetError::Selection(format!("--cluster-selector: {e}")))?,
        ),
        None => None,
    };
    let selected: Vec<Member> = members
        .into_iter()
        .filter(|m| wanted.is_empty() || wanted.contains(&m.name.as_str()))
        .filter(|m| selector.as_ref().is_none_or(|s| s.matches(&m.labels)))
        .collect();
    if selected.is_empty() {
        return Err(FleetError::Selection(
            "no fleet member matches --clusters/--cluster-selector".to_string(),
        ));
    }
    Ok(selected)
}

fn extensions_map(
    list: Option<&Vec<NamedExtension>>,
    into: &mut BTreeMap<String, serde_json::Value>,
) {
    for e in list.into_iter().flatten() {
        into.entry(e.name.clone())
            .or_insert_with(|| e.extension.clone());
    }
}

fn build_member(
    name: &str,
    context: &str,
    kubeconfig: Arc<Kubeconfig>,
    mut labels: BTreeMap<String, String>,
    providers: Option<Vec<CapacityProvider>>,
    request_timeout: Duration,
) -> Member {
    let mut problem = None;
    let mut server = None;
    let mut namespace = "default".to_string();
    let mut extensions = BTreeMap::new();
    match kubeconfig.contexts.iter().find(|c| c.name == context) {
        None => problem = Some(format!("context {context:?} is not in the kubeconfig")),
        Some(named) => match &named.context {
            None => problem = Some(format!("context {context:?} has no cluster")),
            Some(ctx) => {
                if let Some(ns) = ctx.namespace.as_ref().filter(|n| !n.is_empty()) {
                    namespace = ns.clone();
                }
                extensions_map(ctx.extensions.as_ref(), &mut extensions);
                if ctx.cluster.is_empty() {
                    problem = Some(format!("context {context:?} has no cluster"));
                } else {
                    match kubeconfig.clusters.iter().find(|c| c.name == ctx.cluster) {
                        None => {
                            problem = Some(format!(
                                "context {context:?} refers to cluster {:?}, which is not in the kubeconfig",
                                ctx.cluster
                            ))
                        }
                        Some(c) => match &c.cluster {
                            Some(cluster) => {
                                server = cluster.server.clone();
                                extensions_map(cluster.extensions.as_ref(), &mut extensions);
                                if server.as_deref().is_none_or(str::is_empty) {
                                    problem = Some(format!(
                                        "cluster {:?} of context {context:?} has no server",
                                        ctx.cluster
                                    ));
                                }
                            }
                            None => {
                                problem = Some(format!(
                                    "cluster {:?} of context {context:?} has no server",
                                    ctx.cluster
                                ))
                            }
                        },
                    }
                }
            }
        },
    }
    if labels.is_empty() {
        if let Some(serde_json::Value::Object(map)) = extensions.get(LABELS_EXTENSION) {
            for (k, v) in map {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                labels.insert(k.clone(), v);
            }
        }
    }
    Member {
        name: name.to_string(),
        context: context.to_string(),
        labels,
        capacity_providers: providers
            .unwrap_or_else(|| vec![CapacityProvider::default_inventory()]),
        server,
        namespace,
        problem,
        kubeconfig,
        extensions,
        request_timeout,
        client: Arc::new(OnceCell::new()),
        metrics_client: Arc::new(OnceCell::new()),
    }
}

fn read_kubeconfig_file(path: &Path) -> Result<Kubeconfig, FleetError> {
    if !path.exists() {
        return Err(FleetError::Kubeconfig {
            path: path.to_path_buf(),
            message: "no such file".into(),
        });
    }
    Kubeconfig::read_from(path).map_err(|e| FleetError::Kubeconfig {
        path: path.to_path_buf(),
        message: kubeconfig_message(&e),
    })
}

fn kubeconfig_message(e: &kube::config::KubeconfigError) -> String {
    use std::error::Error as _;
    // The parse error's Display is a multi-line snippet: keep its first line (with position).
    match e.source() {
        Some(src) => format!("{}: {}", one_line(e), one_line(src)),
        None => one_line(e),
    }
}

/// Resolves and reads the kubeconfig like kubectl: an explicit path is the only file; else
/// every existing file of `$KUBECONFIG` merged (first wins); else `~/.kube/config`.
/// Returns the merged kubeconfig and warnings (listed `$KUBECONFIG` files that do not exist).
pub fn load_kubeconfig(
    explicit: Option<&Path>,
    env: Option<OsString>,
    home: Option<PathBuf>,
) -> Result<(Kubeconfig, Vec<String>), FleetError> {
    if let Some(path) = explicit {
        return Ok((read_kubeconfig_file(path)?, Vec::new()));
    }
    if let Some(env) = env.filter(|v| !v.is_empty()) {
        let mut warnings = Vec::new();
        let mut merged: Option<Kubeconfig> = None;
        for path in std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()) {
            if !path.exists() {
                warnings.push(format!(
                    "KUBECONFIG entry {} does not exist, skipped",
                    path.display()
                ));
                continue;
            }
            let kc = read_kubeconfig_file(&path)?;
            merged = Some(match merged {
                None => kc,
                Some(m) => m.merge(kc).map_err(|e| FleetError::Kubeconfig {
                    path: path.clone(),
                    message: kubeconfig_message(&e),
                })?,
            });
        }
        return match merged {
            Some(kc) => Ok((kc, warnings)),
            None => Err(FleetError::Kubeconfig {
                path: PathBuf::from(env),
                message: "none of the KUBECONFIG files exist".into(),
            }),
        };
    }
    let home = home.ok_or(FleetError::NoKubeconfig)?;
    let path = home.join(".kube").join("config");
    if !path.exists() {
        return Err(FleetError::NoKubeconfig);
    }
    Ok((read_kubeconfig_file(&path)?, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig_text(contexts: &[(&str, &str)], server_port: u16) -> String {
        let mut s = String::from("apiVersion: v1\nkind: Config\nclusters:\n");
        for (ctx, cluster) in contexts {
            let _ = ctx;
            s += &format!(
                "- name: {cluster}\n  cluster:\n    server: http://127.0.0.1:{server_port}\n"
            );
        }
        s += "users:\n- name: u\n  user:\n    token: secret-token-123\ncontexts:\n";
        for (ctx, cluster) in contexts {
            s += &format!("- name: {ctx}\n  context:\n    cluster: {cluster}\n    user: u\n");
        }
        s
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn opts() -> MembershipOptions {
        MembershipOptions::default()
    }

    #[test]
    fn kubeconfig_env_with_several_files_merges_contexts_first_wins() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig_text(&[("east", "east-c"), ("shared", "a-c")], 1),
        );
        let b = write(
            dir.path(),
            "b",
            &kubeconfig_text(&[("west", "west-c"), ("shared", "b-c")], 2),
        );
        let missing = dir.path().join("missing");
        let env = std::env::join_paths([a, missing, b]).unwrap();
        let (kc, warnings) = load_kubeconfig(None, Some(env), None).unwrap();
        let fleet = Fleet::from_parts(kc, None, &opts()).unwrap();
        assert_eq!(fleet.names(), ["east", "shared", "west"]);
        // client-go merge: the first file that defines "shared" wins.
        assert_eq!(
            fleet.member("shared").unwrap().server.as_deref(),
            Some("http://127.0.0.1:1")
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("missing"), "{warnings:?}");
    }

    #[test]
    fn explicit_kubeconfig_is_the_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(dir.path(), "a", &kubeconfig_text(&[("east", "east-c")], 1));
        let b = write(dir.path(), "b", &kubeconfig_text(&[("west", "west-c")], 2));
        let env = std::env::join_paths([&a, &b]).unwrap();
        let (kc, _) = load_kubeconfig(Some(&b), Some(env), None).unwrap();
        let fleet = Fleet::from_parts(kc, None, &opts()).unwrap();
        assert_eq!(fleet.names(), ["west"]);
    }

    #[test]
    fn missing_kubeconfig_is_a_one_line_error_naming_the_path() {
        let err = load_kubeconfig(Some(Path::new("/no/such/kubeconfig")), None, None)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "kubeconfig /no/such/kubeconfig: no such file");
        let dir = tempfile::tempdir().unwrap();
        let bad = write(dir.path(), "bad", "clusters: [\n  - name: x\n  bad: : :\n");
        let err = load_kubeconfig(Some(&bad), None, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("kubeconfig {}: ", bad.display())),
            "{err}"
        );
        assert!(!err.contains('\n'), "{err:?}");
        let err = load_kubeconfig(None, None, Some(dir.path().to_path_buf())).unwrap_err();
        assert!(matches!(err, FleetError::NoKubeconfig));
    }

    #[tokio::test]
    async fn context_without_cluster_is_a_member_error_not_a_fleet_error() {
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: ok\n  cluster: {server: 'http://127.0.0.1:1'}\ncontexts:\n- name: good\n  context: {cluster: ok}\n- name: broken\n  context: {cluster: gone}\n";
        let kc = Kubeconfig::from_yaml(text).unwrap();
        let fleet = Fleet::from_parts(kc, None, &opts()).unwrap();
        assert_eq!(fleet.names(), ["broken", "good"]);
        let broken = fleet.member("broken").unwrap();
        let err = broken.client().await.err().unwrap().to_string();
        assert!(err.contains("cluster \"gone\""), "{err}");
        assert!(fleet.member("good").unwrap().problem.is_none());
    }

    #[test]
    fn fleet_file_names_members_labels_and_contexts() {
        let kc = Kubeconfig::from_yaml(&kubeconfig_text(
            &[("ctx-a", "a"), ("ctx-b", "b"), ("ctx-c", "c")],
            1,
        ))
        .unwrap();
        let ff = FleetFile::parse(
            "apiVersion: fleet.kubectl.dev/v1alpha1\nkind: Fleet\nmembers:\n- {name: beijing, context: ctx-b, labels: {region: cn-beijing}}\n- {name: hz, context: ctx-a, labels: {region: cn-hangzhou}}\n- {name: ghost, context: nope}\n",
            Path::new("/f.yaml"),
        )
        .unwrap();
        let fleet = Fleet::from_parts(kc.clone(), Some(&ff), &opts()).unwrap();
        assert_eq!(fleet.names(), ["beijing", "hz", "ghost"]);
        assert_eq!(fleet.member("beijing").unwrap().context, "ctx-b");
        let ghost = fleet.member("ghost").unwrap().problem.clone().unwrap();
        assert!(
            ghost.contains("nope") && ghost.contains("/f.yaml"),
            "{ghost}"
        );

        let sel = MembershipOptions {
            cluster_selector: Some("region in (cn-beijing)".into()),
            ..opts()
        };
        assert_eq!(
            Fleet::from_parts(kc.clone(), Some(&ff), &sel)
                .unwrap()
                .names(),
            ["beijing"]
        );
        let by_name = MembershipOptions {
            clusters: vec!["hz,beijing".into()],
            ..opts()
        };
        assert_eq!(
            Fleet::from_parts(kc.clone(), Some(&ff), &by_name)
                .unwrap()
                .names(),
            ["beijing", "hz"]
        );
        let unknown = MembershipOptions {
            clusters: vec!["nowhere".into()],
            ..opts()
        };
        let err = Fleet::from_parts(kc.clone(), Some(&ff), &unknown)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("\"nowhere\" is not a fleet member (members: beijing, hz, ghost)"),
            "{err}"
        );
        let none = MembershipOptions {
            cluster_selector: Some("region=mars".into()),
            ..opts()
        };
        assert!(Fleet::from_parts(kc, Some(&ff), &none).is_err());
    }

    #[test]
    fn member_labels_come_from_kubeconfig_extension_without_fleet_file() {
        let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:1\n    extensions:\n    - name: fleet.kubectl.dev/labels\n      extension: {region: cn-beijing}\ncontexts:\n- name: c\n  context: {cluster: c}\n";
        let kc = Kubeconfig::from_yaml(text).unwrap();
        let fleet = Fleet::from_parts(kc, None, &opts()).unwrap();
        assert_eq!(fleet.members[0].labels["region"], "cn-beijing");
    }

    #[test]
    fn member_debug_never_prints_credentials() {
        let kc = Kubeconfig::from_yaml(&kubeconfig_text(&[("a", "a")], 1)).unwrap();
        let fleet = Fleet::from_parts(kc, None, &opts()).unwrap();
        let dbg = format!("{:?}", fleet);
        assert!(!dbg.contains("secret-token-123"), "{dbg}");
    }
}
