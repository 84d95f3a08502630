//! Global flags shared by every command, and the resolved [`Context`] commands receive.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueHint};
use clap_complete::engine::ArgValueCandidates;

use super::complete;
use super::exit::usage;
use crate::output::{ColorChoice, Styler};

/// Flags accepted before or after any command, kubectl style.
#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Path to the kubeconfig file to use (only this file; default: $KUBECONFIG, then ~/.kube/config).
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub kubeconfig: Option<PathBuf>,

    /// Fleet members to use, comma separated (default: every member).
    #[arg(
        long = "clusters",
        visible_alias = "context",
        global = true,
        value_delimiter = ',',
        value_name = "NAMES",
        add = ArgValueCandidates::new(complete::member_candidates)
    )]
    pub clusters: Vec<String>,

    /// Only members whose labels match this selector (e.g. `region=cn-beijing,provider!=idc`).
    #[arg(long, global = true, value_name = "SELECTOR")]
    pub cluster_selector: Option<String>,

    /// Fleet file (kind Fleet); default $XDG_CONFIG_HOME/kubectl-fleet/fleet.yaml when present.
    #[arg(long, global = true, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub fleet: Option<PathBuf>,

    /// Namespace (default: the namespace of the kubeconfig's current context, else `default`;
    /// manifests that name a namespace keep it).
    #[arg(short = 'n', long, global = true, value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// All namespaces (get).
    #[arg(short = 'A', long, global = true)]
    pub all_namespaces: bool,

    /// Per-member timeout for API requests (e.g. 5s, 1m); 0 waits forever.
    #[arg(long, global = true, value_name = "DURATION", default_value = "10s", value_parser = parse_timeout)]
    pub request_timeout: Duration,

    /// More logs on stderr (-v info, -vv debug, -vvv trace). Credentials are never logged.
    #[arg(short = 'v', long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// Parse a kubectl-style duration: `0` (no timeout), `30` (seconds), or humantime (`5s`, `2m`).
pub fn parse_timeout(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s == "0" {
        return Ok(Duration::from_secs(24 * 3600));
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(s).map_err(|e| format!("invalid duration {s:?}: {e}"))
}

/// Everything a command needs besides its own arguments.
#[derive(Clone, Debug)]
pub struct Context {
    /// The global flags, validated.
    pub global: GlobalArgs,
    /// Colours for stdout.
    pub out: Styler,
    /// Colours for stderr.
    pub err: Styler,
    /// The namespace of the kubeconfig's current context (kubectl's default namespace).
    pub context_namespace: Option<String>,
}

impl GlobalArgs {
    /// Validate and resolve into a [`Context`].
    pub fn resolve(self) -> anyhow::Result<Context> {
        if self.namespace.is_some() && self.all_namespaces {
            return Err(usage(
                "--namespace and --all-namespaces cannot be used together",
            ));
        }
        if let Some(bad) = self.clusters.iter().find(|c| c.trim().is_empty()) {
            return Err(usage(format!("--clusters: empty member name in {bad:?}")));
        }
        if let Some(path) = &self.kubeconfig {
            if !path.exists() {
                return Err(usage(format!(
                    "--kubeconfig: {} does not exist",
                    path.display()
                )));
            }
        }
        let context_namespace = if self.namespace.is_none() {
            current_context_namespace(self.kubeconfig.as_deref())
        } else {
            None
        };
        Ok(Context {
            out: Styler::new(self.color.for_stdout()),
            err: Styler::new(self.color.for_stderr()),
            context_namespace,
            global: self,
        })
    }
}

/// The namespace of the current context of the kubeconfig kubectl would use (`--kubeconfig`,
/// else `$KUBECONFIG` merged, else `~/.kube/config`). `None` when there is no kubeconfig, no
/// current context or no namespace in it; a broken kubeconfig is reported later by the
/// command that loads the fleet.
pub fn current_context_namespace(explicit: Option<&std::path::Path>) -> Option<String> {
    let (kc, _) = crate::fleet::membership::load_kubeconfig(
        explicit,
        std::env::var_os("KUBECONFIG"),
        std::env::var_os("HOME").map(PathBuf::from),
    )
    .ok()?;
    context_namespace_of(&kc)
}

/// The namespace of `kc`'s current context, if set and not empty.
pub fn context_namespace_of(kc: &kube::config::Kubeconfig) -> Option<String> {
    let current = kc.current_context.as_deref()?;
    kc.contexts
        .iter()
        .find(|c| c.name == current)?
        .context
        .as_ref()?
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
}

/// Logs to stderr; `RUST_LOG` overrides the level chosen by `-v`.
pub fn init_tracing(verbose: u8) {
    let default = match verbose {
        // Other crates (kube logs connection failures at ERROR) stay quiet by default: the
        // command reports member failures itself.
        0 => "kubectl_fleet=warn",
        1 => "kubectl_fleet=info,kube=warn",
        2 => "kubectl_fleet=debug,kube=info",
        _ => "kubectl_fleet=trace,kube=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .try_init();
}

impl Context {
    /// Membership options from the global flags.
    pub fn membership(&self) -> crate::fleet::MembershipOptions {
        crate::fleet::MembershipOptions {
            kubeconfig: self.global.kubeconfig.clone(),
            fleet_file: self.global.fleet.clone(),
            clusters: self.global.clusters.clone(),
            cluster_selector: self.global.cluster_selector.clone(),
            request_timeout: self.global.request_timeout,
        }
    }

    /// Load the fleet (no network); its warnings go to stderr.
    pub fn load_fleet(&self) -> anyhow::Result<crate::fleet::Fleet> {
        let fleet = crate::fleet::Fleet::load(&self.membership())?;
        for w in &fleet.warnings {
            self.warn(w);
        }
        if fleet.members.is_empty() {
            return Err(usage("no fleet members selected (check --clusters / --cluster-selector / the kubeconfig)"));
        }
        Ok(fleet)
    }

    /// `warning: <msg>` on stderr.
    pub fn warn(&self, msg: &str) {
        use crate::output::Paint;
        eprintln!("{} {msg}", self.err.paint(Paint::Warn, "warning:"));
    }

    /// `error: <msg>` on stderr for a problem that does not stop the command.
    pub fn error_line(&self, msg: &str) {
        use crate::output::Paint;
        eprintln!("{} {msg}", self.err.paint(Paint::Bad, "error:"));
    }

    /// The namespace commands work in, like kubectl: `-n`, else the namespace of the
    /// kubeconfig's current context, else `default`.
    pub fn namespace(&self) -> String {
        self.global
            .namespace
            .clone()
            .or_else(|| self.context_namespace.clone())
            .unwrap_or_else(|| "default".to_string())
    }

    /// The namespace filter of read views: `None` = all namespaces.
    pub fn namespace_filter(&self) -> Option<String> {
        if self.global.all_namespaces {
            None
        } else {
            Some(self.namespace())
        }
    }
}

/// Write to stdout; a closed pipe (`| head`) is not an error.
pub fn print_out(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_contexts_namespace_is_the_default() {
        let kc: kube::config::Kubeconfig = serde_saphyr::from_str(
            "apiVersion: v1\nkind: Config\ncurrent-context: b\ncontexts:\n- name: a\n  context: {cluster: a, namespace: ns-a}\n- name: b\n  context: {cluster: b, namespace: ns-b}\n",
        )
        .unwrap();
        assert_eq!(context_namespace_of(&kc).as_deref(), Some("ns-b"));
        let none: kube::config::Kubeconfig = serde_saphyr::from_str(
            "apiVersion: v1\nkind: Config\ncurrent-context: a\ncontexts:\n- name: a\n  context: {cluster: a}\n",
        )
        .unwrap();
        assert_eq!(context_namespace_of(&none), None);
    }

    #[test]
    fn timeouts_accept_kubectl_forms() {
        assert_eq!(parse_timeout("5s").unwrap(), Duration::from_secs(5));
        assert_eq!(parse_timeout("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_timeout("30").unwrap(), Duration::from_secs(30));
        assert!(parse_timeout("0").unwrap() >= Duration::from_secs(3600));
        assert!(parse_timeout("soon").is_err());
    }
}
