//! Dynamic completion: kubectl's plugin completion protocol.
//!
//! kubectl ≥ 1.26 completes `kubectl fleet <args> <TAB>` by running
//! `kubectl_complete-fleet <args...> <word being completed>` from `$PATH` (the word is `""` on
//! a new word; kubectl does not insert `__complete`). Cobra-style wrappers instead run
//! `kubectl-fleet __complete <args...> <word>`; both are accepted. The output is one
//! candidate per line (`value\tdescription`), then `:<directive>` on the last line: `4`
//! (no file completion) for names and enums, `0` when a file path is expected (the shell
//! then completes files), `1` on error.
//!
//! Candidates come from the clap tree via `clap_complete::engine::complete`, with runtime
//! values from the completers below: member names (kubeconfig contexts / Fleet file, no
//! network) and Deployment names (read from the members with a short timeout; on any failure
//! there are simply no candidates). Nothing but the protocol is written to stdout.

use std::cell::RefCell;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap_complete::engine::CompletionCandidate;

/// Directive: default (the shell may fall back to file completion).
pub const DIRECTIVE_DEFAULT: u8 = 0;
/// Directive: an error happened, no completion.
pub const DIRECTIVE_ERROR: u8 = 1;
/// Directive: do not fall back to file completion.
pub const DIRECTIVE_NO_FILE_COMP: u8 = 4;

/// Name of the companion executable kubectl looks for.
pub const COMPLETE_BIN: &str = "kubectl_complete-fleet";

/// How long completion may spend reading Deployment names from the members.
pub const NETWORK_BUDGET: Duration = Duration::from_millis(1500);

/// Whether argv means "complete" rather than "run".
pub fn is_completion_invocation(args: &[OsString]) -> bool {
    let argv0_is_complete = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .and_then(OsStr::to_str)
        .is_some_and(|n| n == COMPLETE_BIN || n == "kubectl_complete-fleet.exe");
    argv0_is_complete || args.get(1).is_some_and(|a| a == "__complete")
}

/// The words after the program name (and after `__complete`, if present).
pub fn completion_words(args: &[OsString]) -> Vec<String> {
    let mut words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if words.first().is_some_and(|w| w == "__complete") {
        words.remove(0);
    }
    words
}

/// Print the completion for `words` and return the exit code (always 0).
pub fn run(words: Vec<String>) -> i32 {
    use std::io::Write as _;
    let out = complete_lines(&words);
    let _ = std::io::stdout().write_all(out.as_bytes());
    0
}

/// The flags whose values affect completion, scanned from the words typed so far.
#[derive(Clone, Debug, Default)]
pub struct CompletionEnv {
    /// `--kubeconfig`.
    pub kubeconfig: Option<PathBuf>,
    /// `--fleet`.
    pub fleet: Option<PathBuf>,
    /// `--clusters` / `--context`.
    pub clusters: Vec<String>,
    /// `-n` / `--namespace`.
    pub namespace: Option<String>,
    /// All words, including the one being completed (last).
    pub words: Vec<String>,
}

impl CompletionEnv {
    /// Scan `words` for the flags that matter.
    pub fn scan(words: &[String]) -> Self {
        let mut env = CompletionEnv {
            words: words.to_vec(),
            ..Default::default()
        };
        // The last word is being typed; do not take it as a value.
        let typed = &words[..words.len().saturating_sub(1)];
        let mut i = 0;
        while i < typed.len() {
            let w = &typed[i];
            let (flag, inline) = match w.split_once('=') {
                Some((f, v)) if f.starts_with('-') => (f, Some(v.to_string())),
                _ => (w.as_str(), None),
            };
            let takes = matches!(
                flag,
                "--kubeconfig" | "--fleet" | "--clusters" | "--context" | "-n" | "--namespace"
            );
            if takes {
                let value = match inline {
                    Some(v) => Some(v),
                    None => {
                        i += 1;
                        typed.get(i).cloned()
                    }
                };
                if let Some(v) = value {
                    match flag {
                        "--kubeconfig" => env.kubeconfig = Some(PathBuf::from(v)),
                        "--fleet" => env.fleet = Some(PathBuf::from(v)),
                        "-n" | "--namespace" => env.namespace = Some(v),
                        _ => env
                            .clusters
                            .extend(v.split(',').filter(|s| !s.is_empty()).map(str::to_string)),
                    }
                }
            } else if let Some(ns) = w
                .strip_prefix("-n")
                .filter(|r| !r.is_empty() && !w.starts_with("--"))
            {
                env.namespace = Some(ns.to_string());
            }
            i += 1;
        }
        env
    }
}

thread_local! {
    // The engine calls completers on the calling thread, without context: pass it here.
    static ENV: RefCell<CompletionEnv> = RefCell::new(CompletionEnv::default());
}

fn current_env() -> CompletionEnv {
    ENV.with(|e| e.borrow().clone())
}

/// The full protocol output (candidates, then `:<directive>`) for `words`.
pub fn complete_lines(words: &[String]) -> String {
    let mut words = words.to_vec();
    if words.is_empty() {
        words.push(String::new());
    }
    ENV.with(|e| *e.borrow_mut() = CompletionEnv::scan(&words));
    let mut cmd = super::command();
    if expects_path(&cmd, &words) {
        return format!(":{DIRECTIVE_DEFAULT}\n");
    }
    let mut args: Vec<OsString> = vec![OsString::from("kubectl-fleet")];
    args.extend(words.iter().map(OsString::from));
    let index = args.len() - 1;
    let cwd = std::env::current_dir().ok();
    match clap_complete::engine::complete(&mut cmd, args, index, cwd.as_deref()) {
        Ok(mut candidates) => {
            // Like cobra: flags are offered once the user types `-`, unless nothing else fits.
            let typing_flag = words.last().is_some_and(|w| w.starts_with('-'));
            let has_values = candidates
                .iter()
                .any(|c| !c.get_value().to_string_lossy().starts_with('-'));
            if !typing_flag && has_values {
                candidates.retain(|c| !c.get_value().to_string_lossy().starts_with('-'));
            }
            render(&candidates, DIRECTIVE_NO_FILE_COMP)
        }
        Err(_) => format!(":{DIRECTIVE_ERROR}\n"),
    }
}

fn render(candidates: &[CompletionCandidate], directive: u8) -> String {
    let mut out = String::new();
    let mut seen = std::collections::BTreeSet::new();
    for c in candidates {
        let value = c.get_value().to_string_lossy();
        if value.is_empty() || !seen.insert(value.to_string()) {
            continue;
        }
        out.push_str(&value);
        if let Some(help) = c.get_help() {
            let help = help.to_string();
            let first = help.lines().next().unwrap_or("").trim();
            if !first.is_empty() {
                out.push('\t');
                out.push_str(first);
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(":{directive}\n"));
    out
}

/// Whether the word being completed is the value of a flag that takes a file path.
fn expects_path(cmd: &clap::Command, words: &[String]) -> bool {
    let mut longs = Vec::new();
    let mut shorts = Vec::new();
    collect_path_flags(cmd, &mut longs, &mut shorts);
    let current = words.last().map(String::as_str).unwrap_or("");
    if let Some((flag, _)) = current.split_once('=') {
        if let Some(long) = flag.strip_prefix("--") {
            return longs.iter().any(|l| l == long);
        }
    }
    if current.starts_with('-') {
        return false;
    }
    let Some(prev) = words.len().checked_sub(2).map(|i| words[i].as_str()) else {
        return false;
    };
    if let Some(long) = prev.strip_prefix("--") {
        return longs.iter().any(|l| l == long);
    }
    if let Some(short) = prev.strip_prefix('-') {
        let mut chars = short.chars();
        return chars.clone().count() == 1 && chars.next().is_some_and(|c| shorts.contains(&c));
    }
    false
}

fn collect_path_flags(cmd: &clap::Command, longs: &mut Vec<String>, shorts: &mut Vec<char>) {
    use clap::ValueHint;
    for arg in cmd.get_arguments() {
        if arg.is_positional() {
            continue;
        }
        if matches!(
            arg.get_value_hint(),
            ValueHint::FilePath | ValueHint::DirPath | ValueHint::AnyPath
        ) {
            if let Some(l) = arg.get_long() {
                longs.push(l.to_string());
            }
            if let Some(s) = arg.get_short() {
                shorts.push(s);
            }
        }
    }
    for sub in cmd.get_subcommands() {
        collect_path_flags(sub, longs, shorts);
    }
}

/// Member names: the kubeconfig's contexts (no network).
pub fn member_names(env: &CompletionEnv) -> Vec<String> {
    let Some(kc) = load_kubeconfig(env) else {
        return Vec::new();
    };
    kc.contexts.into_iter().map(|c| c.name).collect()
}

fn load_kubeconfig(env: &CompletionEnv) -> Option<kube::config::Kubeconfig> {
    use kube::config::Kubeconfig;
    match &env.kubeconfig {
        Some(path) => Kubeconfig::read_from(path).ok(),
        None => match Kubeconfig::from_env() {
            Ok(Some(kc)) => Some(kc),
            Ok(None) => Kubeconfig::read().ok(),
            Err(_) => None,
        },
    }
}

/// Candidates for `--clusters` / `--context` and member-name arguments.
pub fn member_candidates() -> Vec<CompletionCandidate> {
    let env = current_env();
    // `--clusters a,b,<TAB>`: do not offer the members already listed.
    let current = env.words.last().cloned().unwrap_or_default();
    let current = current.split_once('=').map_or(current.as_str(), |(_, v)| v);
    let listed: Vec<&str> = current.split(',').collect();
    let listed = &listed[..listed.len().saturating_sub(1)];
    member_names(&env)
        .into_iter()
        .filter(|n| !listed.contains(&n.as_str()))
        .map(CompletionCandidate::new)
        .collect()
}

/// The resource kinds that mean Deployments, as kubectl spells them.
pub const DEPLOYMENT_KINDS: &[&str] = &[
    "deploy",
    "deployment",
    "deployments",
    "deployment.apps",
    "deployments.apps",
];

/// Candidates for `get deploy <NAME>` and `get hpa <NAME>`: Deployment or autoscaler names
/// read from the members.
pub fn deployment_name_candidates(current: &OsStr) -> Vec<CompletionCandidate> {
    let env = current_env();
    let typed = &env.words[..env.words.len().saturating_sub(1)];
    let names = if typed.iter().any(|w| DEPLOYMENT_KINDS.contains(&w.as_str())) {
        names_in_members(&env, Listed::Deployments)
    } else if typed
        .iter()
        .any(|w| super::delete::AUTOSCALER_KINDS.contains(&w.as_str()))
    {
        names_in_members(&env, Listed::Autoscalers)
    } else {
        return Vec::new();
    };
    let prefix = current.to_string_lossy();
    names
        .into_iter()
        .filter(|n| n.starts_with(prefix.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}

/// Candidates for `scale deploy/<NAME>` and `delete deploy/<NAME>`.
pub fn deployment_target_candidates(current: &OsStr) -> Vec<CompletionCandidate> {
    let env = current_env();
    let current = current.to_string_lossy();
    let (kind, partial) = match current.split_once('/') {
        Some((k, p)) => (k.to_string(), p.to_string()),
        None => ("deploy".to_string(), String::new()),
    };
    let names = if DEPLOYMENT_KINDS.contains(&kind.as_str()) {
        names_in_members(&env, Listed::Deployments)
    } else if super::delete::AUTOSCALER_KINDS.contains(&kind.as_str())
        && env.words.iter().any(|w| w == "delete")
    {
        names_in_members(&env, Listed::Autoscalers)
    } else {
        return Vec::new();
    };
    names
        .into_iter()
        .filter(|n| n.starts_with(&partial))
        .map(|n| format!("{kind}/{n}"))
        .map(CompletionCandidate::new)
        .collect()
}

/// What [`names_in_members`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    Deployments,
    /// Fleet autoscalers (their ConfigMaps' `fleet.kubectl.dev/autoscaler` label).
    Autoscalers,
}

/// Deployment names in the namespace across the selected members, within [`NETWORK_BUDGET`].
pub fn deployment_names(env: &CompletionEnv) -> Vec<String> {
    names_in_members(env, Listed::Deployments)
}

/// Names of `what` in the namespace across the selected members, within [`NETWORK_BUDGET`].
pub fn names_in_members(env: &CompletionEnv, what: Listed) -> Vec<String> {
    let Some(kc) = load_kubeconfig(env) else {
        return Vec::new();
    };
    let contexts: Vec<(String, Option<String>)> = kc
        .contexts
        .iter()
        .filter(|c| env.clusters.is_empty() || env.clusters.contains(&c.name))
        .map(|c| {
            let ns = c.context.as_ref().and_then(|x| x.namespace.clone());
            (c.name.clone(), ns)
        })
        .collect();
    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return Vec::new();
    };
    let names = rt.block_on(async {
        let lookups = contexts.into_iter().map(|(ctx, ctx_ns)| {
            let kc = kc.clone();
            let ns = env
                .namespace
                .clone()
                .or(ctx_ns)
                .unwrap_or_else(|| "default".to_string());
            async move { list_names(kc, ctx, ns, what).await.unwrap_or_default() }
        });
        tokio::time::timeout(NETWORK_BUDGET, futures::future::join_all(lookups))
            .await
            .unwrap_or_default()
    });
    rt.shutdown_background();
    let mut all: Vec<String> = names.into_iter().flatten().collect();
    all.sort();
    all.dedup();
    all
}

async fn list_names(
    kc: kube::config::Kubeconfig,
    context: String,
    namespace: String,
    what: Listed,
) -> Option<Vec<String>> {
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::ConfigMap;
    use kube::api::{Api, ListParams};
    let opts = kube::config::KubeConfigOptions {
        context: Some(context),
        ..Default::default()
    };
    let mut config = kube::Config::from_custom_kubeconfig(kc, &opts).await.ok()?;
    config.connect_timeout = Some(NETWORK_BUDGET);
    config.read_timeout = Some(NETWORK_BUDGET);
    let client = kube::Client::try_from(config).ok()?;
    if what == Listed::Autoscalers {
        let label = crate::fleet::autoscale::LABEL_AUTOSCALER;
        let api: Api<ConfigMap> = Api::namespaced(client, &namespace);
        let list = api
            .list_metadata(&ListParams::default().labels(label).limit(500))
            .await
            .ok()?;
        return Some(
            list.items
                .into_iter()
                .filter_map(|c| c.metadata.labels?.get(label).cloned())
                .collect(),
        );
    }
    let api: Api<Deployment> = Api::namespaced(client, &namespace);
    let list = api
        .list_metadata(&ListParams::default().limit(500))
        .await
        .ok()?;
    Some(
        list.items
            .into_iter()
            .filter_map(|d| d.metadata.name)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn both_entry_points_are_recognised() {
        let os = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(is_completion_invocation(&os(&[
            "/usr/bin/kubectl_complete-fleet",
            "get"
        ])));
        assert!(is_completion_invocation(&os(&[
            "kubectl-fleet",
            "__complete",
            "get"
        ])));
        assert!(!is_completion_invocation(&os(&["kubectl-fleet", "get"])));
        assert_eq!(
            completion_words(&os(&["kubectl-fleet", "__complete", "get", ""])),
            words(&["get", ""])
        );
        assert_eq!(
            completion_words(&os(&["kubectl_complete-fleet", "get", ""])),
            words(&["get", ""])
        );
    }

    #[test]
    fn subcommands_complete_without_file_fallback() {
        let out = complete_lines(&words(&[""]));
        assert!(out.lines().any(|l| l.starts_with("completion\t")), "{out}");
        assert!(out.ends_with(":4\n"), "{out}");
    }

    #[test]
    fn output_enum_values_complete() {
        let out = complete_lines(&words(&["--color", ""]));
        let values: Vec<&str> = out.lines().map(|l| l.split('\t').next().unwrap()).collect();
        assert_eq!(values, ["auto", "always", "never", ":4"]);
    }

    #[test]
    fn file_flags_ask_the_shell_for_files() {
        assert_eq!(complete_lines(&words(&["--kubeconfig", ""])), ":0\n");
        assert_eq!(complete_lines(&words(&["--kubeconfig=/tm"])), ":0\n");
    }

    #[test]
    fn scanning_picks_up_flags_before_the_current_word() {
        let env = CompletionEnv::scan(&words(&[
            "--kubeconfig",
            "/k",
            "get",
            "-nprod",
            "--clusters=a,b",
            "--context",
        ]));
        assert_eq!(env.kubeconfig, Some(PathBuf::from("/k")));
        assert_eq!(env.namespace.as_deref(), Some("prod"));
        assert_eq!(env.clusters, ["a", "b"]);
    }

    #[test]
    fn member_names_come_from_the_kubeconfig_without_network() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(
            &path,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1'}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: east\n  context: {cluster: c, user: u}\n- name: west\n  context: {cluster: c, user: u}\n",
        )
        .unwrap();
        let p = path.to_string_lossy().to_string();
        let out = complete_lines(&words(&["--kubeconfig", &p, "--clusters", "east,"]));
        assert_eq!(out, "east,west\n:4\n");
        let out = complete_lines(&words(&["--kubeconfig", &p, "--context", "w"]));
        assert_eq!(out, "west\n:4\n");
    }
}
